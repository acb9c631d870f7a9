package cn.zhuanshu.model

import java.security.GeneralSecurityException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.Mac
import javax.crypto.SecretKey
import uniffi.zhuanshu.DeviceSecret
import uniffi.zhuanshu.KeyProvider
import uniffi.zhuanshu.KeyProviderException

// The platform's two keys for the vault, as far as they are platform-neutral (the Android Keystore parts
// are in the app module: `KeystoreKeyProvider.kt`). Both are JCA objects, so the logic here runs, and is
// tested, on the JVM with software keys standing in for Keystore keys.
//
// 1. The vault's platform key ([AuthenticatedKeyProvider]): an AES-GCM key that wraps the vault's data key
//    and that only the owner's biometric or screen lock lets the app use, once per use.
// 2. The device secret ([MacDeviceSecret]): an HMAC key, used without any prompt, whose value the core
//    mixes into the PIN's key so that a copy of the database cannot be guessed away from this phone.

/** What the owner is asked to approve; the platform side words its prompt after it. */
enum class KeyUse {
    /** Binding the vault to the platform key (setup, a new recovery key, renewing a lost key). */
    WRAP,

    /** Opening the vault with the platform key (解锁). */
    UNWRAP,
}

/**
 * The owner's approval of one use of a key that needs user authentication. On Android: BiometricPrompt with
 * a `CryptoObject(cipher)` (biometrics or the screen lock), after which the Keystore lets that one cipher
 * finish one operation.
 */
fun interface Authenticator {
    /**
     * Asks the owner to approve [cipher] for one [use] and returns the cipher the platform authorised: the
     * only one the caller may use. Blocks until the owner answers, so it is called off the UI thread (the
     * core calls key providers on the thread that called it, the view models' background thread). Throws
     * [KeyProviderException.Unavailable] when the owner cancels or fails, or cannot be asked (no screen).
     */
    fun approve(cipher: Cipher, use: KeyUse): Cipher
}

/** The wrapping key in the platform's key store. It hands out ciphers, never key bytes. */
interface WrappingKeys {
    /** A cipher set up to encrypt (AES-GCM, the store's random IV) under the wrapping key, made on first use. */
    fun encrypting(): Cipher

    /**
     * A cipher set up to decrypt what [encrypting] sealed with [iv]. Throws [KeyProviderException.Lost] when
     * the key is gone or was invalidated (new biometrics, screen lock removed, app data restored elsewhere).
     */
    fun decrypting(iv: ByteArray): Cipher
}

/** What [VaultViewModel] asks of a platform key beyond wrapping and unwrapping. */
interface PlatformKeyProvider : KeyProvider {
    /**
     * Its wrapping of the vault's key no longer opens (the key was lost or invalidated, or the wrapping was
     * made by an older version of the app): after the next PIN or recovery unlock the view model wraps the
     * key again with it.
     */
    val needsRenewal: Boolean

    /**
     * The owner is being asked right now. The screen-lock prompt is another app's screen, so the app goes
     * to the background while it shows: that must not lock the vault the owner is unlocking.
     */
    val prompting: Boolean
}

/**
 * The vault's platform key: the core's 32-byte data key sealed with AES-GCM under [keys], every use
 * approved by the owner through [authenticator] — so 解锁 with the platform key needs the owner's
 * biometric or screen lock each time, and nothing unlocks when the prompt is cancelled (the core then
 * reports the vault locked, and the PIN still opens it).
 *
 * Wrapped format: version byte 2, the 12-byte IV, GCM ciphertext + tag. Version 1 was made by the key
 * of earlier versions, which needed no authentication: it is refused as lost, so the owner unlocks with
 * the PIN once and the key is wrapped again under the authenticated one ([needsRenewal]).
 *
 * The data key handed over to be wrapped is wiped as soon as it is sealed. The unwrapped key returned to
 * the core cannot be wiped here (the core copies it out of the returned array after this returns).
 */
class AuthenticatedKeyProvider(
    private val keys: WrappingKeys,
    private val authenticator: Authenticator,
) : PlatformKeyProvider {
    @Volatile
    final override var needsRenewal: Boolean = false
        private set

    private val asking = java.util.concurrent.atomic.AtomicInteger()

    override val prompting: Boolean get() = asking.get() > 0

    private fun approve(cipher: Cipher, use: KeyUse): Cipher {
        asking.incrementAndGet()
        try {
            return authenticator.approve(cipher, use)
        } finally {
            asking.decrementAndGet()
        }
    }

    override fun wrapKey(key: ByteArray): ByteArray = try {
        guarded {
            val approved = approve(keys.encrypting(), KeyUse.WRAP)
            val iv = approved.iv ?: throw KeyProviderException.Failed("the cipher has no IV")
            if (iv.size != IV_BYTES) throw KeyProviderException.Failed("unexpected IV length ${iv.size}")
            val sealed = approved.doFinal(key)
            needsRenewal = false
            byteArrayOf(VERSION) + iv + sealed
        }
    } finally {
        key.fill(0)
    }

    override fun unwrapKey(wrapped: ByteArray): ByteArray = guarded {
        if (wrapped.size <= 1 + IV_BYTES + TAG_BYTES) throw KeyProviderException.Failed("not a wrapped key of this provider")
        when (wrapped[0]) {
            VERSION -> Unit
            UNAUTHENTICATED_VERSION -> lost("made by the unauthenticated key of an earlier version")
            else -> throw KeyProviderException.Failed("unknown wrapping version ${wrapped[0]}")
        }
        val cipher = try {
            keys.decrypting(wrapped.copyOfRange(1, 1 + IV_BYTES))
        } catch (e: KeyProviderException.Lost) {
            needsRenewal = true
            throw e
        }
        val approved = approve(cipher, KeyUse.UNWRAP)
        try {
            approved.doFinal(wrapped, 1 + IV_BYTES, wrapped.size - 1 - IV_BYTES)
        } catch (e: AEADBadTagException) {
            // Sealed under another key of the same name: the one that made it is gone.
            lost("the wrapping does not open with the current key")
        }
    }

    private fun lost(reason: String): Nothing {
        needsRenewal = true
        throw KeyProviderException.Lost(reason)
    }

    private companion object {
        const val VERSION: Byte = 2
        const val UNAUTHENTICATED_VERSION: Byte = 1
        const val IV_BYTES = 12
        const val TAG_BYTES = 16
    }
}

/**
 * The device secret over a JCA HMAC-SHA256 key that the platform keeps: on Android a non-exportable
 * Keystore key (TEE or StrongBox), in tests a software key. Only HMACs leave the key store; no prompt is
 * shown (the PIN is the owner's part, this is the device's). [key] is looked up on each use.
 */
class MacDeviceSecret(private val key: () -> SecretKey) : DeviceSecret {
    override fun derive(input: ByteArray): ByteArray = guarded {
        Mac.getInstance("HmacSHA256").run {
            init(key())
            doFinal(input)
        }
    }
}

/** JCA failures as the core's kinds; the provider's own [KeyProviderException]s pass through. */
internal inline fun <T> guarded(block: () -> T): T = try {
    block()
} catch (e: KeyProviderException) {
    throw e
} catch (e: GeneralSecurityException) {
    throw KeyProviderException.Failed(e.javaClass.simpleName)
} catch (e: IllegalStateException) {
    throw KeyProviderException.Failed(e.javaClass.simpleName)
}
