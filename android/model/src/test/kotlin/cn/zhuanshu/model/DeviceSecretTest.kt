package cn.zhuanshu.model

import java.io.File
import java.nio.file.Files
import javax.crypto.KeyGenerator
import kotlin.test.assertFailsWith
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.DeviceSecret
import uniffi.zhuanshu_ffi.ZhuanshuApp
import uniffi.zhuanshu_ffi.ZhuanshuException

/** A phone's device secret: an HMAC key that never leaves its store (here a software key). */
private fun device(): DeviceSecret {
    val key = KeyGenerator.getInstance("HmacSHA256").generateKey()
    return MacDeviceSecret { key }
}

/**
 * The PIN is bound to the device: a copy of the data directory opened with another device's secret, or
 * with none, does not open with the right PIN; the recovery key still does. Through the real FFI.
 */
class DeviceSecretTest {
    private val dir: File = Files.createTempDirectory("zhuanshu-device").toFile()
    private val copy: File = Files.createTempDirectory("zhuanshu-device-copy").toFile()
    private val scan = "营业执照扫描件 𠈌".toByteArray()

    @AfterEach
    fun cleanUp() {
        dir.deleteRecursively()
        copy.deleteRecursively()
    }

    /** A vault set up with [pin] under [secret], one document in it, everything closed. */
    private fun setUp(secret: DeviceSecret, pin: String): Pair<String, String> =
        ZhuanshuApp.open(dir.path, null, secret).use { app ->
            app.vault().use { vault ->
                val recovery = vault.init(pin, null)
                val id = vault.add("营业执照.jpg", "image/jpeg", scan).id
                vault.lock()
                recovery to id
            }
        }

    @Test
    fun `the MAC device secret is a deterministic PRF of its input`() {
        val a = device()
        val input = "zhuanshu/vault/pin-device-binding/v1".toByteArray()
        assertArrayEquals(a.derive(input), a.derive(input))
        assertEquals(32, a.derive(input).size)
        assertFalse(a.derive(input).contentEquals(device().derive(input)))
    }

    @Test
    fun `a copied data directory does not open with the PIN on another device, the recovery key does`() {
        val phoneA = device()
        val (recovery, id) = setUp(phoneA, "246810")
        dir.copyRecursively(copy, overwrite = true)

        // The same phone: the PIN opens.
        ZhuanshuApp.open(dir.path, null, phoneA).use { app ->
            app.vault().use { vault ->
                vault.unlockWithPin("246810")
                assertArrayEquals(scan, vault.read(id))
            }
        }

        // Another phone's secret: the right PIN is just wrong there.
        ZhuanshuApp.open(copy.path, null, device()).use { app ->
            app.vault().use { vault ->
                val wrong = assertFailsWith<ZhuanshuException.WrongSecret> { vault.unlockWithPin("246810") }
                assertEquals("wrong_pin", wrong.code)
                assertFalse(vault.status().unlocked)
            }
        }

        // No device secret at all (a platform without one): the core says the PIN needs its device.
        ZhuanshuApp.open(copy.path, null, null).use { app ->
            app.vault().use { vault ->
                val unavailable = assertFailsWith<ZhuanshuException.VaultLocked> { vault.unlockWithPin("246810") }
                assertEquals("device_unavailable", unavailable.code)
                assertTrue(unavailable.userMessage.contains("恢复密钥"), unavailable.userMessage)
                assertFalse(vault.status().unlocked)
            }
        }

        // The recovery key still recovers the copy, on a new phone, through the view model; the new PIN is
        // bound to that phone.
        val phoneB = device()
        ZhuanshuApp.open(copy.path, null, phoneB).use { app ->
            val vm = VaultViewModel(app, ManualScheduler(), null)
            vm.refresh()
            vm.recover(recovery, "135790")
            val s = vm.state.value
            assertNull(s.error)
            assertTrue(s.status!!.unlocked)
            assertEquals(listOf(id), s.documents.map { it.id })
            app.vault().use { vault ->
                assertArrayEquals(scan, vault.read(id))
                vault.lock()
                vault.unlockWithPin("135790")
            }
        }
        ZhuanshuApp.open(copy.path, null, null).use { app ->
            app.vault().use { vault ->
                val unavailable = assertFailsWith<ZhuanshuException.VaultLocked> { vault.unlockWithPin("135790") }
                assertEquals("device_unavailable", unavailable.code)
            }
        }
    }

    @Test
    fun `without a device secret the view model shows the core's message and recovers`() {
        val (recovery, id) = setUp(device(), "246810")
        ZhuanshuApp.open(dir.path, null, null).use { app ->
            val vm = VaultViewModel(app, ManualScheduler(), null)
            vm.refresh()
            vm.unlockWithPin("246810")
            val s = vm.state.value
            assertEquals(UiError.Kind.VAULT_LOCKED, s.error?.kind)
            assertTrue(s.error!!.message.contains("恢复密钥"), s.error!!.message)
            assertFalse(s.status!!.unlocked)
            assertEquals(0u, s.status!!.failedAttempts, "a PIN that cannot work on this device is not counted")
            vm.recover(recovery, "135790")
            assertTrue(vm.state.value.status!!.unlocked)
            assertEquals(listOf(id), vm.state.value.documents.map { it.id })
        }
    }
}
