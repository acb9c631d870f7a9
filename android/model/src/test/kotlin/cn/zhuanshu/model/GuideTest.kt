package cn.zhuanshu.model

import kotlin.test.assertFailsWith
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.MaterialStatus
import uniffi.zhuanshu_ffi.ZhuanshuApp
import uniffi.zhuanshu_ffi.ZhuanshuException

/** The guide through the Kotlin bindings: the question loop, materials checked against the dossier, prefill. */
class GuideTest {
    @Test
    fun `the question loop ends in a plan checked against the dossier`() {
        val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
        val restaurant = app.dossier().loadDemo().first { it.company.industry.startsWith("H62") }
        val guide = app.guide()
        assertTrue(guide.tree().size >= 12)
        val answers = mutableMapOf<String, String>()
        while (true) {
            val pending = guide.nextQuestions("bundle-small-restaurant", answers)
            if (pending.isEmpty()) break
            pending.forEach { answers[it.key] = it.options.first().value }
        }
        val plan = guide.checkMaterials(restaurant.company.uscc, "bundle-small-restaurant", answers)
        assertTrue(plan.items.isNotEmpty())
        val statuses = plan.items.flatMap { it.materials }.map { it.status }.toSet()
        assertTrue(MaterialStatus.MISSING in statuses, statuses.toString())
        val form = guide.prefill(restaurant.company.uscc, "SH-SCJG-0102")
        assertEquals(restaurant.company.name, form.fields.first { it.source == "company.name" }.value)
        val e = assertFailsWith<ZhuanshuException.Invalid> { guide.plan("SH-SCJG-0002", mapOf("q1" to "castle")) }
        assertEquals("answers.q1", e.issues.first().path)
    }
}
