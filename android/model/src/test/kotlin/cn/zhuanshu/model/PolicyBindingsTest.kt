package cn.zhuanshu.model

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.Verdict
import uniffi.zhuanshu_ffi.ZhuanshuApp

/** The policy checkup through the Kotlin bindings. */
class PolicyBindingsTest {
    @Test
    fun `checkup ranks eligible policies first and explains every condition`() {
        val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
        val software = app.dossier().loadDemo().first { it.company.industry == "I65" }
        val checkup = app.policies().checkup(software.company.uscc)
        assertTrue(checkup.eligible > 0u)
        assertEquals(checkup.policies.size.toUInt(), checkup.eligible + checkup.nearMiss + checkup.notEligible)
        assertEquals(Verdict.ELIGIBLE, checkup.policies.first().verdict)
        assertTrue(checkup.policies.all { p -> p.conditions.all { it.line.isNotEmpty() } })
        val id = checkup.policies.first().policy.id
        app.policies().save(software.company.uscc, id)
        assertEquals(listOf(id), app.policies().saved(software.company.uscc))
    }
}
