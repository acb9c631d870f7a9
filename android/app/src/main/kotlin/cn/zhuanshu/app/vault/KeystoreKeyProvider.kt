package cn.zhuanshu.app.vault

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.UserNotAuthenticatedException
import java.security.GeneralSecurityException
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import uniffi.zhuanshu.KeyProvider
import uniffi.zhuanshu.KeyProviderException

/**
 * The vault's platform key on Android: a non-exportable AES-256-GCM key in the Android Keystore (TEE, or
 * StrongBox where the device has one). The core hands over its 32-byte data key to wrap and stores the
 * result; the key material of [alias] never leaves the Keystore. Wrapped format: version byte, 12-byte IV,
 * GCM ciphertext + tag.
 *
 * With [requireAuthentication], unwrapping needs the owner's biometric or screen lock within the last
 * [authValiditySeconds]; until then it fails with `Unavailable`, which the core reports as a locked vault
 * (the screen then asks for authentication, or the PIN). A key invalidated by new biometrics or a wiped
 * screen lock fails with `Lost`: the owner unlocks with the PIN or the recovery key and the app sets a new
 * provider key (`vault().setKeyProvider`).
 *
 * Used as `app.core.vault().init(pin, provider)`, `unlockWithProvider(provider)`.
 */
class KeystoreKeyProvider(
    private val alias: String = "zhuanshu-vault-key",
    private val requireAuthentication: Boolean = false,
    private val authValiditySeconds: Int = 30,
) : KeyProvider {
    private val keyStore: KeyStore by lazy { KeyStore.getInstance(KEYSTORE).apply { load(null) } }

    override fun wrapKey(key: ByteArray): ByteArray = guarded {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, secretKey(create = true))
        val iv = cipher.iv
        if (iv.size != IV_BYTES) throw KeyProviderException.Failed("unexpected IV length ${iv.size}")
        byteArrayOf(VERSION) + iv + cipher.doFinal(key)
    }

    override fun unwrapKey(wrapped: ByteArray): ByteArray = guarded {
        if (wrapped.size <= 1 + IV_BYTES || wrapped[0] != VERSION) {
            throw KeyProviderException.Failed("not a wrapped key of this provider")
        }
        val key = secretKey(create = false) ?: throw KeyProviderException.Lost("no key $alias in the Android Keystore")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, wrapped, 1, IV_BYTES))
        cipher.doFinal(wrapped, 1 + IV_BYTES, wrapped.size - 1 - IV_BYTES)
    }

    /** Forgets the key (the owner turned the platform key off); the vault then opens with the PIN only. */
    fun delete() {
        if (keyStore.containsAlias(alias)) keyStore.deleteEntry(alias)
    }

    private fun secretKey(create: Boolean): SecretKey? {
        (keyStore.getKey(alias, null) as? SecretKey)?.let { return it }
        if (!create) return null
        val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
        if (requireAuthentication) {
            spec.setUserAuthenticationRequired(true)
            spec.setInvalidatedByBiometricEnrollment(true)
            if (Build.VERSION.SDK_INT >= 30) {
                spec.setUserAuthenticationParameters(
                    authValiditySeconds,
                    KeyProperties.AUTH_BIOMETRIC_STRONG or KeyProperties.AUTH_DEVICE_CREDENTIAL,
                )
            } else {
                @Suppress("DEPRECATION")
                spec.setUserAuthenticationValidityDurationSeconds(authValiditySeconds)
            }
        }
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
        generator.init(spec.build())
        return generator.generateKey()
    }

    /** Keystore failures as the core's three kinds: try later, key gone, or broken. */
    private inline fun <T> guarded(block: () -> T): T = try {
        block()
    } catch (e: KeyProviderException) {
        throw e
    } catch (e: UserNotAuthenticatedException) {
        throw KeyProviderException.Unavailable("user not authenticated")
    } catch (e: KeyPermanentlyInvalidatedException) {
        throw KeyProviderException.Lost("key invalidated: ${e.javaClass.simpleName}")
    } catch (e: GeneralSecurityException) {
        throw KeyProviderException.Failed(e.javaClass.simpleName)
    }

    private companion object {
        const val KEYSTORE = "AndroidKeyStore"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BITS = 128
        const val VERSION: Byte = 1
    }
}
