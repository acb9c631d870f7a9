package cn.zhuanshu.model

import java.nio.file.Files
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import kotlin.test.assertFailsWith
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.KeyProvider
import uniffi.zhuanshu.KeyProviderException
import uniffi.zhuanshu_ffi.ZhuanshuApp
import uniffi.zhuanshu_ffi.ZhuanshuException

/**
 * A KeyProvider written in Kotlin, as the Android Keystore one will be: the wrapping key never leaves
 * the provider (here a JCE AES key standing in for a Keystore key), the core only sees wrapped bytes.
 */
class JceKeyProvider : KeyProvider {
    private val key: SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    var available = true

    override fun wrapKey(key: ByteArray): ByteArray {
        val iv = ByteArray(12).also { SecureRandom().nextBytes(it) }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding").apply { init(Cipher.ENCRYPT_MODE, this@JceKeyProvider.key, GCMParameterSpec(128, iv)) }
        return iv + cipher.doFinal(key)
    }

    override fun unwrapKey(wrapped: ByteArray): ByteArray {
        if (!available) throw KeyProviderException.Unavailable("user not authenticated")
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
            .apply { init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, wrapped.copyOfRange(0, 12))) }
        return cipher.doFinal(wrapped.copyOfRange(12, wrapped.size))
    }
}

class VaultKeyProviderTest {
    @Test
    fun `a Kotlin key provider unlocks the vault and documents round trip`() {
        val dir = Files.createTempDirectory("zhuanshu-vault").toFile()
        try {
            val provider = JceKeyProvider()
            val app = ZhuanshuApp.open(dir.path, "2026-11-21T09:00:00", null)
            val vault = app.vault()
            val recovery = vault.init("246810", provider)
            assertTrue(recovery.isNotBlank())
            val scan = "营业执照扫描件 𠈌".toByteArray()
            val doc = vault.add("营业执照.jpg", "image/jpeg", scan)
            vault.lock()
            assertFailsWith<ZhuanshuException.VaultLocked> { vault.read(doc.id) }
            vault.unlockWithProvider(provider)
            assertArrayEquals(scan, vault.read(doc.id))
            assertEquals(listOf(doc.id), vault.documents().map { it.id })

            vault.lock()
            provider.available = false
            val refused = assertFailsWith<ZhuanshuException.VaultLocked> { vault.unlockWithProvider(provider) }
            assertTrue(refused.userMessage.isNotBlank())
            val wrong = assertFailsWith<ZhuanshuException.WrongSecret> { vault.unlockWithPin("000000") }
            assertEquals("wrong_pin", wrong.code)
            vault.unlockWithPin("246810")
            assertArrayEquals(scan, vault.read(doc.id))
        } finally {
            dir.deleteRecursively()
        }
    }
}
