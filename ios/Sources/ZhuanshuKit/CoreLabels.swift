import Foundation

/// The core's words for its closed lists and for day counts, as `CoreLabels` on Android: no screen keeps a
/// table of its own. A value's code is its serde name, the case name in snake_case.
public enum CoreLabels {
    public static let all: Labels = labels()

    /// The values the form's pickers offer, in the core's order (UniFFI's Swift enums list no cases).
    public static let companyTypes: [CompanyType] = [
        .limitedLiability, .jointStock, .individualBusiness, .soleProprietorship, .partnership, .branch,
        .farmerCooperative,
    ]
    public static let taxpayerKinds: [TaxpayerKind] = [.general, .smallScale]
    public static let channels: [Channel] = [.online, .window, .mail]
    public static let recordStatuses: [RecordStatus] = [
        .submitted, .accepted, .reviewing, .needsCorrection, .completed, .returned,
    ]

    static func code(_ value: Any) -> String {
        var out = ""
        for c in String(describing: value) {
            if c.isUppercase, !out.isEmpty { out.append("_") }
            out.append(contentsOf: c.lowercased())
        }
        return out
    }

    private static func label(_ list: [Label], _ value: Any) -> String {
        let c = code(value)
        return list.first { $0.code.lowercased() == c }?.label ?? c
    }

    public static func label(_ t: CompanyType) -> String { label(all.companyTypes, t) }
    public static func label(_ k: TaxpayerKind) -> String { label(all.taxpayerKinds, k) }
    public static func label(_ s: Severity) -> String { label(all.severities, s) }
    public static func label(_ c: SizeClass) -> String { label(all.sizeClasses, c) }
    public static func label(_ s: RecordStatus) -> String { label(all.recordStatuses, s) }
    public static func label(_ c: Channel) -> String { label(all.channels, c) }
    /// The policy checkup's section titles: 符合条件 / 差一点 / 暂不符合.
    public static func label(_ v: Verdict) -> String { label(all.verdicts, v) }

    /// `还剩3天` / `今天到期` / `已逾期2天`.
    public static func days(_ left: Int64) -> String { daysLeft(days: left) }
}
