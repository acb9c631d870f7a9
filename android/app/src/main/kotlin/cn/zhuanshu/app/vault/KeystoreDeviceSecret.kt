package cn.zhuanshu.app.vault

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import cn.zhuanshu.model.MacDeviceSecret
import java.security.KeyStore
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import uniffi.zhuanshu.DeviceSecret

/**
 * The device secret on Android: an HMAC-SHA256 key in the Android Keystore (StrongBox where the phone has
 * one, else the TEE), non-exportable, usable without user authentication; the core asks it for an HMAC
 * of every PIN guess (over that guess's stretched PIN) and mixes the answer into the PIN's key
 * (`ZhuanshuApp.open(…, deviceSecret)`).
 *
 * What it protects: the vault's PIN wrapping cannot be guessed away from this phone. A copy of the app's
 * files — a rooted phone's dump, a forensic image of the flash, the database pulled by a backup tool —
 * holds no key to test PINs with, so a six-digit PIN cannot be brute-forced offline; every guess must go
 * through this phone's Keystore and the core's lockout. The key never leaves the secure hardware and is
 * not in any backup or device-to-device transfer (neither is the database, see the manifest).
 *
 * What it does not protect: code running as this app on this phone (or a rooted phone with the attacker
 * at the controls) can ask the Keystore to answer guesses, but only there, one Keystore call per guess:
 * nothing it can take away lets it guess elsewhere. Uninstalling the app or clearing its data deletes the key: a vault whose PIN was bound to it
 * then opens only with the recovery key (the core says so: `device_unavailable`). A new phone is a new
 * key — the recovery key, or the vault's encrypted backup, is the way over.
 *
 * The key is looked up on each use and made on first use (the core only asks off the main thread).
 */
class KeystoreDeviceSecret(private val alias: String = ALIAS) : DeviceSecret {
    private val keyStore: KeyStore by lazy { KeyStore.getInstance(KEYSTORE).apply { load(null) } }
    private val mac = MacDeviceSecret(::key)

    override fun derive(input: ByteArray): ByteArray = mac.derive(input)

    @Synchronized
    private fun key(): SecretKey = (keyStore.getKey(alias, null) as? SecretKey) ?: create()

    private fun create(): SecretKey {
        if (Build.VERSION.SDK_INT >= 28) {
            try {
                return generate(spec().setIsStrongBoxBacked(true))
            } catch (e: StrongBoxUnavailableException) {
                // No StrongBox on this phone: the TEE.
            }
        }
        return generate(spec())
    }

    /** HMAC-SHA256, signing only, no user authentication (the PIN is the owner's part, this the device's). */
    private fun spec(): KeyGenParameterSpec.Builder =
        KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_SIGN)
            .setDigests(KeyProperties.DIGEST_SHA256)
            .setKeySize(256)
            .setUserAuthenticationRequired(false)

    private fun generate(spec: KeyGenParameterSpec.Builder): SecretKey {
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_HMAC_SHA256, KEYSTORE)
        generator.init(spec.build())
        return generator.generateKey()
    }

    private companion object {
        const val KEYSTORE = "AndroidKeyStore"
        const val ALIAS = "zhuanshu-device-secret"
    }
}
