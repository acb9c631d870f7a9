package cn.zhuanshu.model

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.Field
import uniffi.zhuanshu.Verdict
import uniffi.zhuanshu.WindowStatus
import uniffi.zhuanshu_ffi.ZhuanshuApp

/**
 * The 政策 tab against the real core on a fixed day (2026-11-21), with the fictional demo companies: the
 * current one is 上海云栈信息科技有限公司 (software, 浦东新区), which has eligible policies, near misses
 * and 免申即享 ones in the embedded catalog.
 */
class PoliciesViewModelTest {
    private val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
    private val scheduler = ManualScheduler()
    private val policies = PoliciesViewModel(app, scheduler)

    private fun withDemo(): PoliciesState {
        app.dossier().loadDemo()
        policies.refresh()
        return policies.state.value
    }

    private fun uscc(): String = policies.state.value.company!!.company.uscc

    /** Background work waits until [runAll], so a test can act while a call is still on its way. */
    private class QueuedScheduler : Scheduler {
        private val queue = ArrayDeque<() -> Unit>()

        override fun schedule(delayMillis: Long, task: () -> Unit): Cancellable {
            queue.addLast(task)
            return Cancellable {}
        }

        override fun <T> background(work: () -> T, deliver: (T) -> Unit) {
            queue.addLast { deliver(work()) }
        }

        fun runAll() {
            while (queue.isNotEmpty()) queue.removeFirst()()
        }
    }

    @Test
    fun `without a company the tab says so, and opening or saving names the reason`() {
        policies.refresh()
        var s = policies.state.value
        assertFalse(s.loading)
        assertTrue(s.noCompany)
        assertNull(s.company)
        assertNull(s.checkup)
        assertTrue(s.eligible.isEmpty() && s.nearMisses.isEmpty() && s.notEligible.isEmpty() && s.saved.isEmpty())
        assertNull(s.error, "an empty dossier is a state, not a failure")

        val id = app.policies().list().first().id
        policies.open(id)
        s = policies.state.value
        assertEquals(UiError.Kind.NO_CURRENT_COMPANY, s.error?.kind)
        assertTrue(s.error!!.message.isNotBlank())
        assertNull(s.detail)
        assertNull(s.opening)
        policies.toggleSave(id)
        assertEquals(UiError.Kind.NO_CURRENT_COMPANY, policies.state.value.error?.kind)
        assertTrue(policies.state.value.saved.isEmpty())

        s = withDemo()
        assertFalse(s.noCompany)
        assertNull(s.error)
        assertTrue(s.eligible.isNotEmpty())
    }

    @Test
    fun `the checkup is the core's, grouped by verdict in its ranking, with a line per condition`() {
        val s = withDemo()
        val checkup = app.policies().checkup(uscc())
        assertEquals(checkup, s.checkup)
        // The ranking puts verdicts first, so the three lists together are the core's order.
        assertEquals(checkup.policies, s.eligible + s.nearMisses + s.notEligible)
        assertEquals(checkup.eligible.toInt(), s.eligible.size)
        assertEquals(checkup.nearMiss.toInt(), s.nearMisses.size)
        assertEquals(checkup.notEligible.toInt(), s.notEligible.size)
        assertTrue(s.eligible.isNotEmpty() && s.notEligible.isNotEmpty())

        for (p in s.eligible + s.nearMisses + s.notEligible) {
            assertTrue(p.conditions.isNotEmpty(), p.policy.id)
            assertTrue(p.conditions.all { it.line.isNotBlank() }, p.policy.id)
            assertTrue(p.statusLabel.isNotBlank(), p.policy.id)
        }
        assertTrue(s.eligible.all { p -> p.conditions.all { it.met } && p.unmet.isEmpty() })
        assertTrue(s.notEligible.all { it.unmet.isNotEmpty() })

        // 免申即享: the core marks the eligible ones as needing no application.
        val free = s.eligible.filter { it.noApplicationNeeded }
        assertTrue(free.isNotEmpty())
        assertTrue(free.all { it.policy.autoGranted })
        assertTrue(s.eligible.filterNot { it.policy.autoGranted }.none { it.noApplicationNeeded })
    }

    @Test
    fun `near misses say exactly what is missing`() {
        val s = withDemo()
        assertTrue(s.nearMisses.isNotEmpty())
        for (p in s.nearMisses) {
            assertEquals(Verdict.NEAR_MISS, p.verdict)
            assertTrue(p.unmet.isNotEmpty(), p.policy.id)
            for (c in p.unmet) {
                assertTrue(c.reachable, "${p.policy.id}: ${c.line}")
                assertFalse(c.missing.isNullOrBlank(), "${p.policy.id}: ${c.line}")
            }
        }
        // The software company lacks the 软件企业 qualification for the 两免三减半 preference.
        val software = s.nearMisses.first { it.policy.id == "pol-software-cit-preference" }
        assertTrue(software.unmet.any { it.missing!!.contains("软件企业") }, software.unmet.toString())
    }

    @Test
    fun `opening a policy shows the core's page and is remembered for the ranking`() {
        val s = withDemo()
        val uscc = uscc()
        // Policies the ranking cannot tell apart by verdict, deadline or benefit: interest decides among them.
        val ties = s.eligible.filter { (it.window is WindowStatus.Always || it.policy.autoGranted) && it.policy.benefit.maxFen == 0L }
        assertTrue(ties.size >= 2, ties.map { it.policy.id }.toString())
        val id = ties.last().policy.id
        assertNotEquals(id, ties.first().policy.id)

        policies.open(id)
        val detail = policies.state.value.detail
        assertNotNull(detail)
        assertNull(policies.state.value.opening)
        assertEquals(uscc, detail!!.uscc)
        assertEquals(app.policies().check(uscc, id), detail.check)
        assertEquals(app.guide().forPolicy(id), detail.services)

        // The list keeps its order until the next refresh; then the opened policy leads its equals.
        assertEquals(id, policies.state.value.eligible.last { t -> ties.any { it.policy.id == t.policy.id } }.policy.id)
        policies.refresh()
        val after = policies.state.value.eligible.filter { t -> ties.any { it.policy.id == t.policy.id } }
        assertEquals(id, after.first().policy.id)
        assertEquals(detail, policies.state.value.detail, "the page stays open over a refresh of the same company")

        policies.close()
        assertNull(policies.state.value.detail)
    }

    @Test
    fun `save and unsave round trip through the core`() {
        val s = withDemo()
        val uscc = uscc()
        val first = s.eligible.first()
        val near = s.nearMisses.first()

        policies.toggleSave(first.policy.id)
        assertTrue(policies.state.value.isSaved(first.policy.id))
        policies.save(near.policy.id)
        var saved = policies.state.value.saved
        assertEquals(setOf(near.policy.id, first.policy.id), saved.map { it.id }.toSet())
        assertEquals(app.policies().saved(uscc), saved.map { it.id }, "in the core's order")
        assertEquals(near, saved.first { it.id == near.policy.id }.check, "a listed policy's row is its checkup judgement")
        policies.save(near.policy.id) // twice: nothing changes
        assertEquals(saved, policies.state.value.saved)

        policies.toggleSave(first.policy.id)
        saved = policies.state.value.saved
        assertEquals(listOf(near.policy.id), saved.map { it.id })
        assertFalse(policies.state.value.isSaved(first.policy.id))
        assertEquals(listOf(near.policy.id), app.policies().saved(uscc))
        policies.unsave(near.policy.id)
        assertTrue(policies.state.value.saved.isEmpty())
        assertTrue(app.policies().saved(uscc).isEmpty())
        assertNull(policies.state.value.error)
    }

    @Test
    fun `a saved policy of another region is listed with the core's reason`() {
        val s = withDemo()
        val district = s.company!!.company.district
        val elsewhere = app.policies().list().first { p -> p.regions.isNotEmpty() && p.regions.none { district.startsWith(it) } }
        assertTrue(s.checkup!!.policies.none { it.policy.id == elsewhere.id })
        policies.save(elsewhere.id)
        val row = policies.state.value.saved.single()
        assertEquals(elsewhere.id, row.id)
        assertEquals(Verdict.NOT_ELIGIBLE, row.check?.verdict)
        // Its first line is the region's, unmet: the reason, in the core's words.
        assertEquals(Field.DISTRICT, row.check!!.conditions.first().field)
        assertFalse(row.check!!.conditions.first().met)
        assertEquals(app.policies().check(uscc(), elsewhere.id), row.check)
        policies.refresh()
        assertEquals(listOf(row), policies.state.value.saved)
    }

    @Test
    fun `an unknown policy lands in error, and the screen carries on`() {
        withDemo()
        val known = policies.state.value.eligible.first().policy.id
        policies.open(known)
        policies.open("pol-does-not-exist")
        var s = policies.state.value
        assertEquals(UiError.Kind.NOT_FOUND, s.error?.kind)
        assertTrue(s.error!!.message.isNotBlank())
        assertNull(s.opening)
        assertEquals(known, s.detail?.check?.policy?.id, "the page already open stays")
        policies.clearError()

        policies.save("pol-does-not-exist")
        s = policies.state.value
        assertEquals(UiError.Kind.NOT_FOUND, s.error?.kind)
        assertTrue(s.saved.isEmpty())
        policies.clearError()
        assertNull(policies.state.value.error)

        policies.open(known)
        assertNull(policies.state.value.error)
    }

    @Test
    fun `a page that arrives after the owner closed it is dropped`() {
        app.dossier().loadDemo()
        val queued = QueuedScheduler()
        val vm = PoliciesViewModel(app, queued)
        val id = app.policies().checkup(app.dossier().current().company.uscc).policies.first().policy.id
        vm.open(id)
        assertEquals(id, vm.state.value.opening)
        vm.close()
        queued.runAll()
        assertNull(vm.state.value.detail)
        assertNull(vm.state.value.opening)

        // A second open supersedes the first: only the last page shows.
        val other = app.policies().checkup(app.dossier().current().company.uscc).policies[1].policy.id
        vm.open(id)
        vm.open(other)
        queued.runAll()
        assertEquals(other, vm.state.value.detail?.check?.policy?.id)
    }

    @Test
    fun `switching company shows its checkup and closes the other company's page`() {
        withDemo()
        policies.open(policies.state.value.eligible.first().policy.id)
        assertNotNull(policies.state.value.detail)
        val other = app.dossier().companies().first { !it.current }.company.uscc
        app.dossier().useCompany(other)
        policies.refresh()
        val s = policies.state.value
        assertEquals(other, s.company!!.company.uscc)
        assertEquals(app.policies().checkup(other), s.checkup)
        assertNull(s.detail)
    }
}
