package cn.zhuanshu.model

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.Span
import uniffi.zhuanshu_ffi.ZhuanshuApp

class AssistantViewModelTest {
    private val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
    private val scheduler = ManualScheduler()
    private val assistant = AssistantViewModel(app, scheduler, debounceMillis = 200)

    @Test
    fun `typing waits for a pause, then suggests and searches once`() {
        val calls = scheduler.backgroundCalls
        for (prefix in listOf("营", "营业", "营业执照")) {
            assistant.onQueryChange(prefix)
            scheduler.advanceBy(50)
        }
        var s = assistant.state.value
        assertEquals("营业执照", s.query)
        assertTrue(s.searching)
        assertTrue(s.hits.isEmpty())
        assertEquals(calls, scheduler.backgroundCalls, "nothing asked of the core while typing")
        scheduler.advanceBy(200)
        s = assistant.state.value
        assertFalse(s.searching)
        assertEquals(calls + 1, scheduler.backgroundCalls, "one core call after the pause")
        assertEquals(app.assistant().search("营业执照", 10u).map { it.id }, s.hits.map { it.id })
        assertEquals(app.assistant().suggest("营业执照"), s.suggestions)
        assertTrue(s.hits.isNotEmpty())
        assertEquals(0, scheduler.pendingTasks)
    }

    @Test
    fun `results carry the core's highlights as runs`() {
        assistant.onQueryChange("营业执照")
        scheduler.advanceBy(200)
        val first = assistant.state.value.hits.first()
        assertEquals(first.hit.question, first.question.joinToString("") { it.text })
        val marked = first.question.filter { it.highlighted }.joinToString("") { it.text }
        assertTrue(marked.isNotEmpty(), first.question.toString())
        assertTrue(first.answer.none { it.text.contains("**") })
    }

    @Test
    fun `clearing the box drops results and any pending search`() {
        assistant.onQueryChange("发票")
        assistant.onQueryChange("")
        val calls = scheduler.backgroundCalls
        scheduler.advanceBy(1000)
        val s = assistant.state.value
        assertEquals(calls, scheduler.backgroundCalls)
        assertTrue(s.hits.isEmpty() && s.suggestions.isEmpty())
        assertFalse(s.searching)
    }

    @Test
    fun `submit searches at once and pinyin finds Chinese`() {
        assistant.onQueryChange("fapiao")
        assistant.submit()
        val s = assistant.state.value
        assertFalse(s.searching)
        assertTrue(s.hits.isNotEmpty())
        assertTrue(s.hits.first().hit.question.contains("发票"), s.hits.first().hit.question)
        scheduler.advanceBy(1000) // the cancelled debounce does not search again
        assertEquals(s, assistant.state.value)
    }

    @Test
    fun `start loads predicted questions, open shows an answer with related questions`() {
        app.dossier().loadDemo()
        val restaurant = app.dossier().companies().first { it.company.industry.startsWith("H62") }
        app.dossier().useCompany(restaurant.company.uscc)
        assistant.start()
        val predicted = assistant.state.value.predicted
        assertEquals(app.assistant().predicted(restaurant.company.uscc), predicted)
        assertTrue(predicted.isNotEmpty())
        assistant.open(predicted.first().id)
        val open = assistant.state.value.open!!
        assertEquals(predicted.first().id, open.entry.id)
        assertTrue(open.related.none { it.id == open.entry.id })
        assistant.close()
        assertNull(assistant.state.value.open)
        assistant.open("no-such-faq")
        assertEquals(UiError.Kind.NOT_FOUND, assistant.state.value.error?.kind)
    }

    @Test
    fun `highlight runs count characters, not UTF-16 units`() {
        // 𠈌 is one character but two UTF-16 units: the highlight of "科技" must not shift by one.
        val runs = highlightRuns("上海𠈌科技有限公司", listOf(Span(3u, 5u)))
        assertEquals(listOf(TextRun("上海𠈌", false), TextRun("科技", true), TextRun("有限公司", false)), runs)
        assertEquals(listOf(TextRun("ab", true)), highlightRuns("ab", listOf(Span(0u, 9u))))
        assertEquals(
            listOf(TextRun("a", false), TextRun("bc", true), TextRun("d", false)),
            highlightRuns("abcd", listOf(Span(1u, 3u), Span(2u, 3u), Span(3u, 3u))),
        )
        assertEquals(listOf(TextRun("", false)), highlightRuns("", emptyList()))
    }
}
