import SwiftUI
import ZhuanshuKit

/// 政策: the current company's checkup as the core judges and ranks it — counts, 收藏, then the policies by
/// verdict, each card saying why (one line per condition) — and a policy's page in a sheet.
struct PoliciesView: View {
    @ObservedObject var vm: PoliciesViewModel
    /// No company yet: the checkup has nothing to judge, so the way out is the dossier.
    let onAddCompany: () -> Void
    /// A 办事 service of a policy: the guide takes it from there.
    let onService: (String) -> Void
    /// 暂不符合 is the longest list and the least useful: folded until asked for.
    @State private var showNotEligible = false

    var body: some View {
        NavigationStack {
            List {
                ErrorBanner(error: vm.state.error, dismiss: vm.clearError)
                if vm.state.noCompany {
                    Section {
                        Text("还没有企业档案").font(.headline)
                        Text("添加企业后，专属会按档案逐条核对政策条件。")
                        Button("去档案添加企业", action: onAddCompany)
                    }
                } else if let checkup = vm.state.checkup {
                    counts(checkup)
                    if !vm.state.saved.isEmpty {
                        savedSection
                    }
                    Section(CoreLabels.label(Verdict.eligible)) {
                        if vm.state.eligible.isEmpty {
                            Text("暂时没有完全符合条件的政策。").foregroundColor(.secondary)
                        }
                        cards(vm.state.eligible)
                    }
                    Section(CoreLabels.label(Verdict.nearMiss)) {
                        if vm.state.nearMisses.isEmpty {
                            Text("没有“差一点”的政策。").foregroundColor(.secondary)
                        }
                        cards(vm.state.nearMisses)
                    }
                    if !vm.state.notEligible.isEmpty {
                        Section(CoreLabels.label(Verdict.notEligible)) {
                            DisclosureGroup("查看全部 \(vm.state.notEligible.count) 项", isExpanded: $showNotEligible) {
                                cards(vm.state.notEligible)
                            }
                        }
                    }
                } else if vm.state.loading {
                    ProgressView()
                }
            }
            .navigationTitle("政策")
            .refreshable { vm.refresh() }
            .sheet(isPresented: Binding(get: { vm.state.detail != nil }, set: { if !$0 { vm.close() } })) {
                if let detail = vm.state.detail {
                    PolicyPage(vm: vm, detail: detail) { code in
                        vm.close()
                        onService(code)
                    }
                }
            }
        }
    }

    @ViewBuilder private func counts(_ checkup: CheckupView) -> some View {
        Section {
            // Side by side when they fit; one under another at the largest text sizes.
            ViewThatFits(in: .horizontal) {
                HStack(alignment: .top) { countTiles(checkup) }
                VStack(alignment: .leading, spacing: 8) { countTiles(checkup) }
            }
        } header: {
            Text("\(vm.state.company?.company.name ?? "") · \(checkup.today) 体检")
        }
    }

    @ViewBuilder private func countTiles(_ checkup: CheckupView) -> some View {
        countTile(checkup.eligible, .eligible, .green)
        countTile(checkup.nearMiss, .nearMiss, .orange)
        countTile(checkup.notEligible, .notEligible, .secondary)
    }

    private func countTile(_ n: UInt32, _ verdict: Verdict, _ color: Color) -> some View {
        VStack(alignment: .leading) {
            Text("\(n)").font(.title.bold()).foregroundColor(color)
            Text(CoreLabels.label(verdict)).font(.caption)
        }
        .frame(maxWidth: .infinity, alignment: .leading)
        .accessibilityElement(children: .combine)
    }

    private func cards(_ checks: [PolicyCheckView]) -> some View {
        ForEach(checks, id: \.policy.id) { check in
            PolicyCard(
                check: check,
                saved: vm.state.isSaved(check.policy.id),
                opening: vm.state.opening == check.policy.id,
                open: { vm.open(check.policy.id) },
                toggleSave: { vm.toggleSave(check.policy.id) }
            )
        }
    }

    @ViewBuilder private var savedSection: some View {
        Section("我的收藏") {
            ForEach(vm.state.saved, id: \.id) { saved in
                if let check = saved.check {
                    PolicyCard(
                        check: check,
                        saved: true,
                        opening: vm.state.opening == saved.id,
                        open: { vm.open(saved.id) },
                        toggleSave: { vm.toggleSave(saved.id) },
                        compact: true
                    )
                } else {
                    // Withdrawn from the catalog: nothing to open, but it can still be unsaved.
                    HStack {
                        VStack(alignment: .leading) {
                            Text(saved.id)
                            Text("这条政策已不在政策目录中。").font(.caption).foregroundColor(.secondary)
                        }
                        Spacer()
                        Button("取消收藏") { vm.unsave(saved.id) }.buttonStyle(.borderless)
                    }
                }
            }
        }
    }
}

func verdictColor(_ v: Verdict) -> Color {
    switch v {
    case .eligible: return .green
    case .nearMiss: return .orange
    case .notEligible: return .secondary
    }
}

/// 免申即享: the company qualifies and the benefit comes without applying — worth a mark of its own.
struct NoApplicationBadge: View {
    var body: some View {
        Text("免申即享")
            .font(.caption2.bold())
            .padding(.horizontal, 6)
            .padding(.vertical, 2)
            .background(Color.green.opacity(0.15), in: Capsule())
            .foregroundColor(.green)
    }
}

/// One condition as the core judged it. The core's line already carries its mark (✓ met, ✗ unmet, ？ the
/// dossier lacks the data) and the reason; the colour only repeats the mark for a glance. On the page, an
/// unmet condition also shows what the owner can do and the other ways to qualify.
struct ConditionLine: View {
    let condition: ConditionResult
    var detailed = false

    private var color: Color {
        if condition.met {
            return .primary
        }
        return condition.truth == .unknown ? .orange : .red
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            Text(condition.line).foregroundColor(color)
            if detailed && !condition.met {
                if let missing = condition.missing {
                    Text("→ \(missing)").font(.caption).foregroundColor(.secondary)
                }
                ForEach(condition.alternatives, id: \.self) { alternative in
                    Text("或：\(alternative)").font(.caption).foregroundColor(.secondary)
                }
            }
        }
        .accessibilityElement(children: .combine)
    }
}

/// A policy in the checkup: title, the core's status (window, or 无需申请), 免申即享, why (each condition),
/// and for a near miss what is still missing. The card opens the page; the star saves it.
struct PolicyCard: View {
    let check: PolicyCheckView
    let saved: Bool
    let opening: Bool
    let open: () -> Void
    let toggleSave: () -> Void
    /// 收藏 lists the card without its conditions: the page has them.
    var compact = false

    var body: some View {
        HStack(alignment: .top) {
            // Two buttons in one row: a plain and a borderless style keep their taps apart in a List.
            Button(action: open) {
                VStack(alignment: .leading, spacing: 4) {
                    Text(check.policy.title).font(.headline)
                    HStack {
                        Text(check.statusLabel).font(.caption.bold()).foregroundColor(verdictColor(check.verdict))
                        if check.noApplicationNeeded {
                            NoApplicationBadge()
                        }
                        if opening {
                            ProgressView()
                        }
                    }
                    if !compact {
                        ForEach(Array(check.conditions.enumerated()), id: \.offset) { c in
                            ConditionLine(condition: c.element).font(.subheadline)
                        }
                        if !check.missing.isEmpty {
                            Text("还差：").font(.subheadline.bold())
                            ForEach(check.missing, id: \.self) { line in
                                Text("· \(line)").font(.subheadline).foregroundColor(.orange)
                            }
                        }
                    }
                }
                .frame(maxWidth: .infinity, alignment: .leading)
                .contentShape(Rectangle())
            }
            .buttonStyle(.plain)
            StarButton(saved: saved, toggle: toggleSave)
        }
        .padding(.vertical, 4)
    }
}

struct StarButton: View {
    let saved: Bool
    let toggle: () -> Void

    var body: some View {
        Button(action: toggle) {
            Image(systemName: saved ? "star.fill" : "star")
                .foregroundColor(saved ? .yellow : .secondary)
                .imageScale(.large)
        }
        .buttonStyle(.borderless)
        .accessibilityLabel(saved ? "取消收藏" : "收藏")
    }
}

/// A policy's page: what the core's `Policy` record carries (issuer, the document it rests on, dates,
/// benefit), the conditions with what would change them, and the 办事 services that carry it out.
struct PolicyPage: View {
    @ObservedObject var vm: PoliciesViewModel
    let detail: PolicyDetail
    let onService: (String) -> Void

    private var check: PolicyCheckView { detail.check }
    private var policy: Policy { detail.check.policy }

    /// The source as a link when it is an address, else the document's name as text.
    private var sourceUrl: URL? {
        guard policy.source.hasPrefix("http://") || policy.source.hasPrefix("https://") else { return nil }
        return URL(string: policy.source)
    }

    var body: some View {
        NavigationStack {
            List {
                Section {
                    Text(policy.title).font(.title3.bold())
                    HStack {
                        Text(CoreLabels.label(check.verdict)).font(.caption.bold()).foregroundColor(verdictColor(check.verdict))
                        Text(check.statusLabel).font(.caption)
                        if check.noApplicationNeeded {
                            NoApplicationBadge()
                        }
                    }
                    if !policy.summary.isEmpty {
                        Text(policy.summary)
                    }
                }
                Section("政策信息") {
                    LabeledContent("可享受", value: policy.benefit.description)
                    LabeledContent("发布部门", value: policy.issuer)
                    if let url = sourceUrl {
                        LabeledContent("政策依据") { Link(policy.source, destination: url) }
                    } else if !policy.source.isEmpty {
                        LabeledContent("政策依据", value: policy.source)
                    }
                    LabeledContent("发布日期", value: policy.publishedOn)
                    if let window = policy.window {
                        LabeledContent("申报期", value: "\(window.opens) 至 \(window.closes)")
                    }
                }
                Section("申请条件") {
                    ForEach(Array(check.conditions.enumerated()), id: \.offset) { c in
                        ConditionLine(condition: c.element, detailed: true)
                    }
                }
                if !check.missing.isEmpty {
                    Section("还差") {
                        ForEach(check.missing, id: \.self) { line in
                            Text(line)
                        }
                    }
                }
                if !detail.services.isEmpty {
                    Section("去办理") {
                        ForEach(detail.services, id: \.code) { s in
                            Button {
                                onService(s.code)
                            } label: {
                                VStack(alignment: .leading) {
                                    Text(s.name)
                                    Text("\(s.department) · \(s.timeLimit)").font(.caption).foregroundColor(.secondary)
                                }
                            }
                        }
                    }
                }
            }
            .navigationTitle("政策详情")
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("关闭", action: vm.close) }
                ToolbarItem(placement: .primaryAction) {
                    StarButton(saved: vm.state.isSaved(policy.id)) { vm.toggleSave(policy.id) }
                }
            }
        }
    }
}
