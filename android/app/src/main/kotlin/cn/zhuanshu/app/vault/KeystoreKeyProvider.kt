package cn.zhuanshu.app.vault

import android.content.Context
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import androidx.annotation.RequiresApi
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_STRONG
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import cn.zhuanshu.model.AuthenticatedKeyProvider
import cn.zhuanshu.model.Authenticator
import cn.zhuanshu.model.WrappingKeys
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import uniffi.zhuanshu.KeyProviderException

/**
 * The vault's platform key on Android: a non-exportable AES-256-GCM key in the Android Keystore (TEE, or
 * StrongBox where the device has one) that needs the owner's authentication for every single use. The
 * logic (format, approval of each cipher, renewal of a lost key) is `model`'s [AuthenticatedKeyProvider],
 * JVM-tested; here are the Keystore key ([KeystoreWrappingKeys]) and who may authenticate ([authenticators]).
 *
 * - API 30+: `setUserAuthenticationParameters(0, AUTH_BIOMETRIC_STRONG or AUTH_DEVICE_CREDENTIAL)` — each
 *   use needs a strong biometric or the screen lock, through BiometricPrompt with a `CryptoObject`
 *   ([BiometricAuthenticator]). Not invalidated by a new biometric enrolment: whoever can enrol one knows
 *   the screen lock, which opens the key anyway; invalidation would only cost the owner a PIN unlock.
 * - API 26–29: BiometricPrompt cannot combine the screen lock with a `CryptoObject` there, so the key is
 *   per-use (`setUserAuthenticationValidityDurationSeconds(-1)`) with strong biometrics only, and *is*
 *   invalidated by a new enrolment (else someone knowing the screen lock could enrol a finger and use it).
 *   A phone without a strong biometric gets no platform key: the vault opens with the PIN.
 *
 * Either way the vault never opens with one tap: the core counts PIN attempts, the platform counts
 * biometric and screen-lock attempts, and a cancelled prompt unlocks nothing.
 */
object PlatformKey {
    /** Who may use the key, as BiometricPrompt's allowed authenticators. */
    val authenticators: Int
        get() = if (Build.VERSION.SDK_INT >= 30) BIOMETRIC_STRONG or DEVICE_CREDENTIAL else BIOMETRIC_STRONG

    /** The vault's platform key, or null where the owner cannot authenticate (no screen lock or biometric). */
    fun provider(context: Context, authenticator: Authenticator): AuthenticatedKeyProvider? {
        val can = BiometricManager.from(context).canAuthenticate(authenticators)
        if (can != BiometricManager.BIOMETRIC_SUCCESS) return null
        return AuthenticatedKeyProvider(KeystoreWrappingKeys(), authenticator)
    }
}

/**
 * The Keystore key behind [AuthenticatedKeyProvider]: it hands out ciphers that the Keystore lets finish
 * one operation after the owner authenticated for exactly that cipher. Key material never leaves the
 * Keystore.
 */
class KeystoreWrappingKeys(private val alias: String = ALIAS) : WrappingKeys {
    private val keyStore: KeyStore = KeyStore.getInstance(KEYSTORE).apply { load(null) }

    init {
        // Earlier versions kept an AES key needing no authentication under this name: it must not stay
        // usable. Its wrappings (version 1) are refused as lost, and renewed after the next PIN unlock.
        if (keyStore.containsAlias(LEGACY_ALIAS)) keyStore.deleteEntry(LEGACY_ALIAS)
    }

    override fun encrypting(): Cipher {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        try {
            cipher.init(Cipher.ENCRYPT_MODE, existing() ?: create())
        } catch (e: KeyPermanentlyInvalidatedException) {
            // New biometrics (API < 30) or the screen lock removed: a new key for the new wrapping.
            delete()
            cipher.init(Cipher.ENCRYPT_MODE, create())
        }
        return cipher
    }

    override fun decrypting(iv: ByteArray): Cipher {
        val key = existing() ?: throw KeyProviderException.Lost("no key $alias in the Android Keystore")
        return try {
            Cipher.getInstance(TRANSFORMATION).apply { init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, iv)) }
        } catch (e: KeyPermanentlyInvalidatedException) {
            throw KeyProviderException.Lost("key invalidated")
        }
    }

    /** Forgets the key (the owner turned the platform key off); the vault then opens with the PIN only. */
    fun delete() {
        if (keyStore.containsAlias(alias)) keyStore.deleteEntry(alias)
    }

    private fun existing(): SecretKey? = keyStore.getKey(alias, null) as? SecretKey

    @Synchronized
    private fun create(): SecretKey {
        existing()?.let { return it }
        if (Build.VERSION.SDK_INT >= 28) {
            try {
                return generate(spec().setIsStrongBoxBacked(true))
            } catch (e: StrongBoxUnavailableException) {
                // No StrongBox on this phone: the TEE.
            }
        }
        return generate(spec())
    }

    private fun spec(): KeyGenParameterSpec.Builder {
        val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .setUserAuthenticationRequired(true)
        if (Build.VERSION.SDK_INT >= 30) {
            perUseWithScreenLock(spec)
        } else {
            @Suppress("DEPRECATION")
            spec.setUserAuthenticationValidityDurationSeconds(-1)
            spec.setInvalidatedByBiometricEnrollment(true)
        }
        return spec
    }

    @RequiresApi(30)
    private fun perUseWithScreenLock(spec: KeyGenParameterSpec.Builder) {
        spec.setUserAuthenticationParameters(0, KeyProperties.AUTH_BIOMETRIC_STRONG or KeyProperties.AUTH_DEVICE_CREDENTIAL)
        spec.setInvalidatedByBiometricEnrollment(false)
    }

    private fun generate(spec: KeyGenParameterSpec.Builder): SecretKey {
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
        generator.init(spec.build())
        return generator.generateKey()
    }

    private companion object {
        const val KEYSTORE = "AndroidKeyStore"
        const val ALIAS = "zhuanshu-vault-key-v2"
        const val LEGACY_ALIAS = "zhuanshu-vault-key"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val TAG_BITS = 128
    }
}
