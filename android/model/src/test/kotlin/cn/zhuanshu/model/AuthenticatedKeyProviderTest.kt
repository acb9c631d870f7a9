package cn.zhuanshu.model

import java.io.File
import java.nio.file.Files
import java.security.SecureRandom
import java.util.IdentityHashMap
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import kotlin.test.assertFailsWith
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.KeyProviderException
import uniffi.zhuanshu_ffi.ZhuanshuApp
import uniffi.zhuanshu_ffi.ZhuanshuException

private fun aesKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()

/**
 * A software stand-in for a Keystore key that needs user authentication. The ciphers it hands out are
 * set up with a decoy key, and only [authorise] (what the prompt does) gives the cipher that works under
 * the real key — as the Keystore refuses to finish an operation nobody authenticated. A provider that used
 * a cipher without approval would seal under, or open with, the decoy and fail.
 */
class FakeAuthKeys : WrappingKeys {
    private var real: SecretKey = aesKey()
    private val decoy: SecretKey = aesKey()
    private val pending = IdentityHashMap<Cipher, Pair<Int, ByteArray>>()

    /** The key is gone or invalidated (new biometrics, screen lock removed). */
    var lost = false

    private fun cipher(mode: Int, key: SecretKey, iv: ByteArray) =
        Cipher.getInstance("AES/GCM/NoPadding").apply { init(mode, key, GCMParameterSpec(128, iv)) }

    @Synchronized
    override fun encrypting(): Cipher {
        val iv = ByteArray(12).also { SecureRandom().nextBytes(it) }
        return cipher(Cipher.ENCRYPT_MODE, decoy, iv).also { pending[it] = Cipher.ENCRYPT_MODE to iv }
    }

    @Synchronized
    override fun decrypting(iv: ByteArray): Cipher {
        if (lost) throw KeyProviderException.Lost("key invalidated")
        return cipher(Cipher.DECRYPT_MODE, decoy, iv).also { pending[it] = Cipher.DECRYPT_MODE to iv }
    }

    /** The cipher the platform lets finish one operation, once the owner has authenticated. */
    @Synchronized
    fun authorise(cipher: Cipher): Cipher {
        val (mode, iv) = pending.remove(cipher) ?: error("not a cipher of this key, or already used")
        return cipher(mode, real, iv)
    }

    /** The app made a new key under the same name (the old one was lost). */
    fun regenerate() {
        real = aesKey()
        lost = false
    }
}

/** The prompt: approves or refuses, and remembers what it was asked. */
class FakeAuthenticator(private val keys: FakeAuthKeys) : Authenticator {
    var approves = true
    val asked = mutableListOf<KeyUse>()

    /** Runs while the prompt shows (the screen-lock prompt sends the app to the background). */
    var whileShowing: () -> Unit = {}

    override fun approve(cipher: Cipher, use: KeyUse): Cipher {
        asked += use
        whileShowing()
        if (!approves) throw KeyProviderException.Unavailable("the owner cancelled the prompt")
        return keys.authorise(cipher)
    }
}

class AuthenticatedKeyProviderTest {
    private val dir: File = Files.createTempDirectory("zhuanshu-auth-key").toFile()
    private val app = ZhuanshuApp.open(dir.path, "2026-11-21T09:00:00", null)
    private val keys = FakeAuthKeys()
    private val prompt = FakeAuthenticator(keys)
    private val provider = AuthenticatedKeyProvider(keys, prompt)
    private val vault = VaultViewModel(app, ManualScheduler(), provider)

    @AfterEach
    fun cleanUp() {
        app.close()
        dir.deleteRecursively()
    }

    private fun setUp(): String {
        vault.refresh()
        vault.setUp("246810")
        assertNull(vault.state.value.error)
        vault.recoveryKeyNoted()
        vault.add("营业执照.jpg", "image/jpeg", "营业执照扫描件".toByteArray())
        return vault.state.value.documents.single().id
    }

    @Test
    fun `unlocking with the platform key needs the owner's approval every time`() {
        val id = setUp()
        assertEquals(listOf(KeyUse.WRAP), prompt.asked, "setup binds the key through the prompt")
        assertTrue(vault.state.value.status!!.hasKeyProvider)
        vault.lock()

        // Cancelled: the core's error, nothing unlocks, the PIN is offered.
        prompt.approves = false
        vault.unlock()
        var s = vault.state.value
        assertEquals(listOf(KeyUse.WRAP, KeyUse.UNWRAP), prompt.asked)
        assertTrue(s.needsPin)
        assertEquals(UiError.Kind.VAULT_LOCKED, s.error?.kind)
        val refused = assertFailsWith<ZhuanshuException.VaultLocked> { app.vault().unlockWithProvider(provider) }
        assertEquals("key_provider", refused.code)
        assertEquals(refused.userMessage, s.error!!.message, "the message is the core's")
        assertFalse(s.status!!.unlocked)
        assertTrue(s.documents.isEmpty())
        assertFalse(app.vault().status().unlocked)
        assertFailsWith<ZhuanshuException.VaultLocked> { app.vault().read(id) }

        // Approved: open, and the documents are there.
        prompt.approves = true
        prompt.asked.clear()
        vault.unlock()
        s = vault.state.value
        assertEquals(listOf(KeyUse.UNWRAP), prompt.asked)
        assertTrue(s.status!!.unlocked && !s.needsPin)
        assertNull(s.error)
        assertEquals(listOf(id), s.documents.map { it.id })

        // And again after locking: one prompt per unlock, no remembered approval.
        vault.lock()
        vault.unlock()
        assertEquals(listOf(KeyUse.UNWRAP, KeyUse.UNWRAP), prompt.asked)
        assertTrue(vault.state.value.status!!.unlocked)
    }

    @Test
    fun `the prompt sending the app to the background does not lock the vault being unlocked`() {
        setUp()
        vault.lock()
        var promptingSeen = false
        prompt.whileShowing = {
            promptingSeen = provider.prompting
            vault.onBackground()
        }
        vault.unlock()
        assertTrue(promptingSeen)
        assertFalse(provider.prompting)
        assertTrue(vault.state.value.status!!.unlocked, "the unlock the owner approved stands")
        prompt.whileShowing = {}
        vault.onBackground()
        assertFalse(vault.state.value.status!!.unlocked, "a real trip to the background locks")
    }

    @Test
    fun `a cancelled prompt at setup sets nothing up`() {
        vault.refresh()
        prompt.approves = false
        vault.setUp("246810")
        val s = vault.state.value
        assertNotNull(s.error)
        assertFalse(s.status!!.setUp)
        assertNull(s.recoveryKey)
        prompt.approves = true
        vault.setUp("246810")
        assertTrue(vault.state.value.status!!.setUp && vault.state.value.status!!.unlocked)
        assertNotNull(vault.state.value.recoveryKey)
    }

    @Test
    fun `a lost key falls back to the PIN and is bound again after it`() {
        setUp()
        vault.lock()
        keys.lost = true
        vault.unlock()
        assertTrue(vault.state.value.needsPin)
        assertFalse(vault.state.value.status!!.unlocked)
        assertTrue(provider.needsRenewal)

        // The app makes a new key; the PIN opens the vault and the new key is bound through the prompt.
        keys.regenerate()
        prompt.asked.clear()
        vault.unlockWithPin("246810")
        assertTrue(vault.state.value.status!!.unlocked)
        assertEquals(listOf(KeyUse.WRAP), prompt.asked)
        assertFalse(provider.needsRenewal)

        vault.lock()
        vault.unlock()
        assertTrue(vault.state.value.status!!.unlocked, "the renewed key opens the vault")
        assertFalse(vault.state.value.needsPin)
    }

    @Test
    fun `wrappings of the unauthenticated key of earlier versions are refused as lost`() {
        val old = byteArrayOf(1) + ByteArray(12 + 48)
        assertFailsWith<KeyProviderException.Lost> { provider.unwrapKey(old) }
        assertTrue(provider.needsRenewal)
        assertEquals(emptyList<KeyUse>(), prompt.asked, "no prompt for a wrapping that cannot open")
    }

    @Test
    fun `the data key handed over is wiped once sealed`() {
        val key = ByteArray(32) { (it + 1).toByte() }
        val copy = key.copyOf()
        val wrapped = provider.wrapKey(key)
        assertTrue(key.all { it == 0.toByte() }, "the caller's array is zeroed")
        assertEquals(2.toByte(), wrapped[0])
        assertArrayEquals(copy, provider.unwrapKey(wrapped))
        prompt.approves = false
        val kept = copy.copyOf()
        assertFailsWith<KeyProviderException.Unavailable> { provider.wrapKey(kept) }
        assertTrue(kept.all { it == 0.toByte() }, "wiped even when the owner refuses")
    }
}
