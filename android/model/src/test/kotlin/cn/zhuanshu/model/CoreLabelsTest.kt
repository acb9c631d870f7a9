package cn.zhuanshu.model

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.CompanyType
import uniffi.zhuanshu.RecordStatus
import uniffi.zhuanshu.Severity
import uniffi.zhuanshu.SizeClass
import uniffi.zhuanshu.TaxpayerKind

class CoreLabelsTest {
    private fun chinese(s: String) = s.any { it.code > 0x2e80 }

    @Test
    fun `every value of every list the screens show has the core's Chinese label`() {
        assertEquals("已逾期", CoreLabels.severity(Severity.OVERDUE))
        assertEquals("小规模纳税人", CoreLabels.taxpayerKind(TaxpayerKind.SMALL_SCALE))
        val all = Severity.entries.map(CoreLabels::severity) + CompanyType.entries.map(CoreLabels::companyType) +
            TaxpayerKind.entries.map(CoreLabels::taxpayerKind) + SizeClass.entries.map(CoreLabels::sizeClass) +
            RecordStatus.entries.map(CoreLabels::recordStatus) + uniffi.zhuanshu.Channel.entries.map(CoreLabels::channel) +
            uniffi.zhuanshu.Verdict.entries.map(CoreLabels::verdict)
        assertTrue(all.all(::chinese), all.toString())
        assertEquals("差一点", CoreLabels.verdict(uniffi.zhuanshu.Verdict.NEAR_MISS))
    }

    @Test
    fun `day counts are worded by the core`() {
        assertEquals(listOf("还剩3天", "今天到期", "已逾期2天"), listOf(3L, 0L, -2L).map(CoreLabels::days))
    }
}
