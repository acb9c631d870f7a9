package cn.zhuanshu.model

import uniffi.zhuanshu.CompanyType
import uniffi.zhuanshu.Label
import uniffi.zhuanshu.Labels
import uniffi.zhuanshu.RecordStatus
import uniffi.zhuanshu.Severity
import uniffi.zhuanshu.SizeClass
import uniffi.zhuanshu.TaxpayerKind
import uniffi.zhuanshu.Verdict
import uniffi.zhuanshu.Channel
import uniffi.zhuanshu_ffi.daysLeft
import uniffi.zhuanshu_ffi.labels

/**
 * The core's words for its closed lists and for day counts, so no screen keeps a table of its own. A
 * list's code is the value's serde name, which is the Kotlin enum's name in lower case.
 */
object CoreLabels {
    val all: Labels by lazy { labels() }

    private fun of(list: List<Label>, value: Enum<*>): String =
        list.firstOrNull { it.code.equals(value.name, ignoreCase = true) }?.label ?: value.name

    fun severity(s: Severity): String = of(all.severities, s)
    fun companyType(t: CompanyType): String = of(all.companyTypes, t)
    fun taxpayerKind(k: TaxpayerKind): String = of(all.taxpayerKinds, k)
    fun sizeClass(c: SizeClass): String = of(all.sizeClasses, c)
    fun recordStatus(s: RecordStatus): String = of(all.recordStatuses, s)
    fun channel(c: Channel): String = of(all.channels, c)
    /** The policy checkup's section titles: 符合条件 / 差一点 / 暂不符合. */
    fun verdict(v: Verdict): String = of(all.verdicts, v)

    /** `还剩3天` / `今天到期` / `已逾期2天`. */
    fun days(left: Long): String = daysLeft(left)
}
