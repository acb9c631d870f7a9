package cn.zhuanshu.model

import java.io.File
import java.nio.file.Files
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu_ffi.ZhuanshuApp

class VaultViewModelTest {
    private val dir: File = Files.createTempDirectory("zhuanshu-vault-vm").toFile()
    private val app = ZhuanshuApp.open(dir.path, "2026-11-21T09:00:00", null)
    private val provider = JceKeyProvider()
    private val vault = VaultViewModel(app, ManualScheduler(), provider)

    @AfterEach
    fun cleanUp() {
        app.close()
        dir.deleteRecursively()
    }

    private fun setUpWithDocument(): String {
        vault.refresh()
        assertFalse(vault.state.value.status!!.setUp)
        vault.setUp("246810")
        vault.add("营业执照.jpg", "image/jpeg", "营业执照扫描件 𠈌".toByteArray())
        return vault.state.value.documents.single().id
    }

    @Test
    fun `setup shows the recovery key once and opens the vault`() {
        setUpWithDocument()
        val s = vault.state.value
        assertTrue(s.status!!.setUp && s.status!!.unlocked && s.status!!.hasKeyProvider && s.status!!.hasPin)
        assertTrue(!s.recoveryKey.isNullOrBlank())
        vault.recoveryKeyNoted()
        assertNull(vault.state.value.recoveryKey)
        assertEquals("营业执照.jpg", s.documents.single().name)
    }

    @Test
    fun `the platform key unlocks, and when it cannot the PIN does`() {
        val id = setUpWithDocument()
        vault.lock()
        assertFalse(vault.state.value.status!!.unlocked)
        assertTrue(vault.state.value.documents.isEmpty())
        vault.unlock()
        assertTrue(vault.state.value.status!!.unlocked)
        assertEquals(listOf(id), vault.state.value.documents.map { it.id })

        vault.lock()
        provider.available = false
        vault.unlock()
        var s = vault.state.value
        assertTrue(s.needsPin)
        assertEquals(UiError.Kind.VAULT_LOCKED, s.error?.kind)
        assertFalse(s.status!!.unlocked)
        vault.unlockWithPin("000000")
        s = vault.state.value
        assertTrue(s.error!!.message.isNotBlank())
        assertFalse(s.status!!.unlocked)
        assertEquals(1u, s.status!!.failedAttempts)
        vault.unlockWithPin("246810")
        s = vault.state.value
        assertTrue(s.status!!.unlocked && !s.needsPin)
        assertNull(s.error)
        vault.remove(id)
        assertTrue(vault.state.value.documents.isEmpty())
    }

    @Test
    fun `a signed package for the share sheet, with the seal made on first use`() {
        val id = setUpWithDocument()
        val company = app.dossier().loadDemo().first().company
        val out = File(File(dir, "packages"), "材料-1.zip")
        vault.signPackage(company.uscc, listOf(id), out.path)
        val shared = vault.state.value.shared!!
        assertEquals(company.uscc, shared.signer.uscc)
        assertEquals(1, shared.files.size)
        assertEquals(out.path, shared.path)
        assertEquals(out.length().toULong(), shared.bytes)
        // One ZIP file for the share sheet, which verifies.
        val report = app.vault().verifyPackage(out.path, emptyList())
        assertTrue(report.valid)
        assertEquals(listOf(shared.files[0].name), report.verifiedFiles)
        vault.sharedDone()
        assertNull(vault.state.value.shared)
        // The same place twice is refused with the core's message.
        vault.signPackage(company.uscc, listOf(id), out.path)
        assertEquals(UiError.Kind.INVALID, vault.state.value.error?.kind)
        assertNull(vault.state.value.shared)
    }

    @Test
    fun `going to the background locks the vault, except while the file picker is open`() {
        val id = setUpWithDocument()
        vault.recoveryKeyNoted()
        vault.onBackground()
        var s = vault.state.value
        assertFalse(s.status!!.unlocked)
        assertTrue(s.documents.isEmpty(), "no document name stays in the screen's state")
        assertFalse(app.vault().status().unlocked, "the core dropped the key")

        // The owner comes back: the PIN opens again.
        vault.onForeground()
        vault.unlockWithPin("246810")
        assertTrue(vault.state.value.status!!.unlocked)

        // 添加证照 sends the owner to the system's picker: leaving for it does not lock …
        vault.pickingDocument()
        vault.onBackground()
        assertTrue(app.vault().status().unlocked)
        vault.add("税务登记证.pdf", "application/pdf", "%PDF-1.4".toByteArray())
        assertEquals(2, vault.state.value.documents.size)
        // … but once back, the next trip to the background does.
        vault.onForeground()
        vault.onBackground()
        s = vault.state.value
        assertFalse(s.status!!.unlocked)
        assertTrue(s.documents.isEmpty())
        vault.unlockWithPin("246810")
        assertTrue(id in vault.state.value.documents.map { it.id })
    }

    @Test
    fun `without a platform key the vault asks for the PIN`() {
        val pinOnly = VaultViewModel(app, ManualScheduler(), null)
        pinOnly.setUp("135790")
        assertFalse(pinOnly.state.value.status!!.hasKeyProvider)
        pinOnly.lock()
        pinOnly.unlock()
        assertTrue(pinOnly.state.value.needsPin)
        pinOnly.unlockWithPin("135790")
        assertTrue(pinOnly.state.value.status!!.unlocked)
    }
}
