package cn.zhuanshu.model

import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.File
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.util.zip.CRC32
import java.util.zip.ZipInputStream
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.PackageReport
import uniffi.zhuanshu.ProblemKind
import uniffi.zhuanshu.TrustedSeal
import uniffi.zhuanshu_ffi.ZhuanshuApp

/**
 * 验章 through the bindings, as the Android app does it. Java's ZipInputStream reads a ZIP front to back by
 * its local headers, where the core's ZIP library reads the central directory: a package forged so the two
 * disagree must be refused by the core (it checks the raw bytes), and a seal counts for its own company only.
 */
class SealTest {
    private val dir: File = Files.createTempDirectory("zhuanshu-seal").toFile()
    private val app = ZhuanshuApp.open(dir.path, NOW, null)
    private val forgedText = "rent: 9000 yuan a month".toByteArray()

    @AfterEach
    fun cleanUp() {
        app.close()
        dir.deleteRecursively()
    }

    private class Signed(val uscc: String, val otherUscc: String, val fingerprint: String, val bytes: ByteArray)

    private fun signed(): Signed {
        val companies = app.dossier().loadDemo()
        val uscc = companies[0].company.uscc
        val vault = app.vault()
        vault.init(null, JceKeyProvider())
        val seal = vault.createSeal(uscc)
        val doc = vault.add("contract.txt", "text/plain", "rent: 1000 yuan a month".toByteArray())
        val out = File(dir, "genuine.zip")
        vault.signPackage(uscc, listOf(doc.id), out.path)
        return Signed(uscc, companies[1].company.uscc, seal.fingerprint, out.readBytes())
    }

    private fun verify(bytes: ByteArray, trusted: List<TrustedSeal> = emptyList(), on: ZhuanshuApp = app): PackageReport {
        val file = File.createTempFile("package", ".zip", dir)
        file.writeBytes(bytes)
        return on.vault().verifyPackage(file.path, trusted)
    }

    private fun le32(b: ByteArray, at: Int): Int = ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).int

    private fun put32(b: ByteArray, at: Int, v: Int) {
        ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(v)
    }

    /** A stored local entry (header, name, bytes), as a forger writes one. */
    private fun localEntry(name: String, data: ByteArray): ByteArray {
        val n = name.toByteArray()
        val crc = CRC32().apply { update(data) }.value.toInt()
        val b = ByteBuffer.allocate(30 + n.size + data.size).order(ByteOrder.LITTLE_ENDIAN)
        b.putInt(0x04034b50).putShort(20).putShort(0x0800).putShort(0).putShort(0).putShort(0)
        b.putInt(crc).putInt(data.size).putInt(data.size).putShort(n.size.toShort()).putShort(0)
        b.put(n).put(data)
        return b.array()
    }

    /** What ZipInputStream shows: (name, content) of each entry, front to back. */
    private fun streamed(bytes: ByteArray): List<Pair<String, String>> {
        val entries = mutableListOf<Pair<String, String>>()
        ZipInputStream(ByteArrayInputStream(bytes)).use { zip ->
            while (true) {
                val entry = zip.nextEntry ?: break
                val content = ByteArrayOutputStream().also { zip.copyTo(it) }.toByteArray()
                entries += entry.name to String(content)
            }
        }
        return entries
    }

    @Test
    fun `packages forged for ZipInputStream are refused whole`() {
        val genuine = signed().bytes
        assertTrue(verify(genuine).valid, "the app's own seal, the vault unlocked")
        val forgery = localEntry("files/contract.txt", forgedText)
        val end = genuine.size - 22
        val cd = le32(genuine, end + 16)

        // A forged entry between the last entry and the central directory (the end record's offset moved).
        val inserted = genuine.copyOfRange(0, cd) + forgery + genuine.copyOfRange(cd, genuine.size)
        put32(inserted, inserted.size - 22 + 16, cd + forgery.size)
        // The same before the first entry.
        val prepended = forgery + genuine
        // The genuine entry renamed in its local header only.
        val renamed = genuine.copyOf()
        val at = String(renamed, Charsets.ISO_8859_1).indexOf("files/contract.txt")
        renamed[at + 12] = 'k'.code.toByte()

        // What the Android app would unpack: the forgery.
        val forged = "files/contract.txt" to String(forgedText)
        assertEquals(forged, streamed(inserted).last())
        assertEquals(forged, streamed(prepended).first())
        assertTrue(streamed(renamed).any { it.first == "files/contrakt.txt" })

        val commented = genuine.copyOf() + "note".toByteArray()
        commented[genuine.size - 2] = 4
        for ((what, bytes) in listOf(
            "inserted" to inserted,
            "prepended" to prepended,
            "renamed" to renamed,
            "comment" to commented,
            "trailing bytes" to genuine + forgery,
        )) {
            val report = verify(bytes)
            assertFalse(report.valid, what)
            assertEquals(listOf(ProblemKind.FORGED_LAYOUT), report.problems.map { it.kind }, what)
            assertTrue(report.problems[0].userMessage.contains("文件包结构异常"), what)
            assertTrue(report.verifiedFiles.isEmpty(), what)
        }
        assertTrue(verify(genuine).valid, "the genuine package still verifies")
    }

    @Test
    fun `a seal is trusted for its own company only`() {
        val s = signed()
        val stranger = ZhuanshuApp.open(null, NOW, null)
        try {
            assertEquals(listOf(ProblemKind.UNKNOWN_KEY), verify(s.bytes, on = stranger).problems.map { it.kind })
            assertTrue(verify(s.bytes, listOf(TrustedSeal(s.uscc, s.fingerprint.uppercase())), stranger).valid)
            val asOther = verify(s.bytes, listOf(TrustedSeal(s.otherUscc, s.fingerprint)), stranger)
            assertFalse(asOther.valid)
            assertEquals(listOf(ProblemKind.SIGNER_MISMATCH), asOther.problems.map { it.kind })
        } finally {
            stranger.close()
        }
    }

    private companion object {
        const val NOW = "2026-11-21T09:00:00"
    }
}
