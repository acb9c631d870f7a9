package cn.zhuanshu.model

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.MaterialStatus
import uniffi.zhuanshu_ffi.ZhuanshuApp

class GuideViewModelTest {
    private val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
    private val guide = GuideViewModel(app, ManualScheduler())
    private val bundle = "bundle-small-restaurant"

    /** Answers every question with its first option until the plan arrives. */
    private fun answerAll(): Map<String, String> {
        var rounds = 0
        while (guide.state.value.session!!.plan == null) {
            val q = guide.state.value.session!!.questions.first()
            guide.answer(q.key, q.options.first().value)
            check(++rounds < 50) { "the question loop does not end" }
        }
        return guide.state.value.session!!.answers
    }

    @Test
    fun `the tree and bundles load`() {
        guide.refresh()
        val s = guide.state.value
        assertTrue(s.tree.size >= 12)
        assertTrue(s.bundles.any { it.code == bundle })
    }

    @Test
    fun `the question loop ends in a plan checked against the current company`() {
        val restaurant = app.dossier().loadDemo().first { it.company.industry.startsWith("H62") }
        app.dossier().useCompany(restaurant.company.uscc)
        guide.start(bundle)
        assertTrue(guide.state.value.session!!.questions.isNotEmpty())
        val answers = answerAll()
        val plan = guide.state.value.session!!.plan!!
        assertEquals(app.guide().checkMaterials(restaurant.company.uscc, bundle, answers), plan)
        assertTrue(MaterialStatus.MISSING in plan.items.flatMap { it.materials }.map { it.status })
        assertTrue(guide.state.value.session!!.questions.isEmpty())
    }

    @Test
    fun `without a company the plan is not checked`() {
        guide.start(bundle)
        val answers = answerAll()
        val plan = guide.state.value.session!!.plan!!
        assertEquals(app.guide().plan(bundle, answers), plan)
        assertTrue(plan.items.flatMap { it.materials }.all { it.status == MaterialStatus.PREPARE })
        guide.prefill("SH-SCJG-0102")
        assertEquals(UiError.Kind.NO_CURRENT_COMPANY, guide.state.value.error?.kind)
    }

    @Test
    fun `back takes the last answer back, and past the first closes`() {
        guide.start(bundle)
        val first = guide.state.value.session!!.questions
        val q = first.first()
        guide.answer(q.key, q.options.first().value)
        assertTrue(q.key in guide.state.value.session!!.answers)
        guide.back()
        assertEquals(first, guide.state.value.session!!.questions)
        assertTrue(guide.state.value.session!!.answers.isEmpty())
        guide.back()
        assertNull(guide.state.value.session)
    }

    @Test
    fun `a bad answer shows the core's message, a prefill fills the company's fields`() {
        val restaurant = app.dossier().loadDemo().first { it.company.industry.startsWith("H62") }
        app.dossier().useCompany(restaurant.company.uscc)
        guide.start("SH-SCJG-0002")
        guide.answer("q1", "castle")
        val error = guide.state.value.error!!
        assertEquals(UiError.Kind.INVALID, error.kind)
        assertTrue("answers.q1" in error.fields, error.toString())
        guide.clearError()
        guide.prefill("SH-SCJG-0102")
        val form = guide.state.value.form!!
        assertEquals(restaurant.company.name, form.fields.first { it.source == "company.name" }.value)
        guide.closeForm()
        assertNull(guide.state.value.form)
    }
}
