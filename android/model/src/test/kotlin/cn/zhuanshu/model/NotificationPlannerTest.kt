package cn.zhuanshu.model

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.test.assertFailsWith
import uniffi.zhuanshu_ffi.ZhuanshuApp
import uniffi.zhuanshu_ffi.ZhuanshuException

class NotificationPlannerTest {
    /** 2026-11-21T09:00:00 Asia/Shanghai. */
    private val now = 1795222800000L

    @Test
    fun `the core's schedule becomes OS requests, old ones are cancelled`() {
        val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
        app.dossier().loadDemo()
        val notes = app.dynamics().notifications(30u, "09:00")
        val plan = NotificationPlanner.plan(app, setOf("gone#d0@x", notes.first().id), now)
        assertTrue(plan.schedule.isNotEmpty() && plan.schedule.size <= 30)
        assertTrue(plan.schedule.all { it.triggerAtMillis > now })
        assertEquals(plan.schedule.sortedBy { it.triggerAtMillis }, plan.schedule)
        assertTrue("gone#d0@x" in plan.cancel)
        assertEquals(notes.first().timestamp * 1000 <= now, notes.first().id in plan.cancel)
        assertTrue(plan.cancel.none { id -> plan.schedule.any { it.id == id } })
        val first = plan.schedule.first()
        val source = notes.first { it.id == first.id }
        assertEquals(source.timestamp * 1000, first.triggerAtMillis)
        assertEquals(source.title, first.title)
        assertEquals(source.important, first.important)
        assertTrue(plan.schedule.all { NotificationPlanner.requestCode(it.id) >= 0 })
        // 09:00 in Shanghai is 01:00 UTC.
        assertTrue(plan.schedule.all { (it.triggerAtMillis / 1000) % 86_400 == 3_600L }, plan.schedule.toString())
    }

    @Test
    fun `past notifications are dropped and a bad time is the core's error`() {
        val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
        app.dossier().loadDemo()
        val all = app.dynamics().notifications(30u, "09:00")
        val later = all.last().timestamp * 1000
        val plan = NotificationPlanner.plan(all, emptySet(), later)
        assertTrue(plan.schedule.all { it.triggerAtMillis > later })
        assertTrue(plan.schedule.size < all.size)
        val e = assertFailsWith<ZhuanshuException.Invalid> { NotificationPlanner.plan(app, emptySet(), now, at = "9点") }
        assertEquals("at", e.issues.single().path)
        assertEquals("at", e.toUiError().fields.keys.single())
    }
}
