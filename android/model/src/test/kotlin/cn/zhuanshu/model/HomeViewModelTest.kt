package cn.zhuanshu.model

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.StateKind
import uniffi.zhuanshu_ffi.ZhuanshuApp

class HomeViewModelTest {
    private val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
    private val scheduler = ManualScheduler()
    private val home = HomeViewModel(app, scheduler)

    private fun withDemo(): HomeViewModel {
        app.dossier().loadDemo()
        home.refresh()
        return home
    }

    @Test
    fun `an empty dossier shows the welcome state`() {
        home.refresh()
        val s = home.state.value
        assertFalse(s.loading)
        assertTrue(s.noCompany)
        assertNull(s.company)
        assertTrue(s.items.isEmpty())
        home.loadDemo()
        assertFalse(home.state.value.noCompany)
        assertTrue(home.state.value.items.isNotEmpty())
    }

    @Test
    fun `items, predictions and snooze choices come from the core`() {
        val s = withDemo().state.value
        val uscc = s.company!!.company.uscc
        assertEquals(app.dynamics().list(uscc).map { it.id }, s.items.map { it.id })
        assertEquals(app.assistant().predicted(uscc), s.predicted)
        // 2026-11-21 is a Saturday: tomorrow (Sunday), the next working day (Monday), in 3 days, in a week.
        assertEquals("明天", s.snoozeChoices.first().label)
        assertEquals("2026-11-22", s.snoozeChoices.first().until)
        assertTrue(s.snoozeChoices.any { it.until == "2026-11-23" && it.label.startsWith("下个工作日") }, s.snoozeChoices.toString())
    }

    @Test
    fun `done leaves the list and undo brings it back`() {
        withDemo()
        val item = home.state.value.items.first()
        home.markDone(item)
        var s = home.state.value
        assertTrue(s.items.none { it.id == item.id })
        assertEquals(Notice(Notice.Kind.DONE, item.id, item.title), s.notice)
        val uscc = s.company!!.company.uscc
        assertTrue(app.dynamics().states(uscc).any { it.dynamicId == item.id && it.state == StateKind.DONE })
        home.undo()
        s = home.state.value
        assertTrue(s.items.any { it.id == item.id })
        assertEquals(Notice.Kind.RESTORED, s.notice?.kind)
        assertTrue(app.dynamics().states(uscc).none { it.dynamicId == item.id })
    }

    @Test
    fun `dismiss and snooze record the core's state`() {
        withDemo()
        val (first, second) = home.state.value.items.take(2)
        val uscc = home.state.value.company!!.company.uscc
        home.dismiss(first)
        val until = home.state.value.snoozeChoices.last().until
        home.snooze(second, until)
        val s = home.state.value
        assertTrue(s.items.none { it.id == first.id || it.id == second.id })
        assertEquals(Notice(Notice.Kind.SNOOZED, second.id, second.title, until), s.notice)
        val states = app.dynamics().states(uscc).associateBy { it.dynamicId }
        assertEquals(StateKind.DISMISSED, states[first.id]?.state)
        assertEquals(StateKind.SNOOZED, states[second.id]?.state)
        assertEquals(until, states[second.id]?.until)
        home.clearNotice()
        assertNull(home.state.value.notice)
    }

    @Test
    fun `a refused action shows the core's message and puts the item back`() {
        withDemo()
        val item = home.state.value.items.first()
        // A snooze into the past is invalid input for the core.
        home.snooze(item, "2020-01-01")
        val s = home.state.value
        assertNotNull(s.error)
        assertEquals(UiError.Kind.INVALID, s.error!!.kind)
        assertTrue(s.error!!.message.isNotBlank())
        assertTrue(s.items.any { it.id == item.id }, "the optimistic removal is reverted")
        assertNull(s.notice)
        home.clearError()
        assertNull(home.state.value.error)
    }

    @Test
    fun `switching company elsewhere shows on refresh`() {
        withDemo()
        val other = app.dossier().companies().first { !it.current }
        app.dossier().useCompany(other.company.uscc)
        home.refresh()
        assertEquals(other.company.uscc, home.state.value.company!!.company.uscc)
        assertEquals(app.dynamics().list(other.company.uscc).map { it.id }, home.state.value.items.map { it.id })
    }
}
