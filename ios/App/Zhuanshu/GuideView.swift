import SwiftUI
import ZhuanshuKit

/// 办事: scenario bundles and the life tree; the question loop; the plan with materials checked.
struct GuideView: View {
    @ObservedObject var vm: GuideViewModel

    var body: some View {
        NavigationStack {
            List {
                ErrorBanner(error: vm.state.error, dismiss: vm.clearError)
                if let form = vm.state.form {
                    formSection(form)
                } else if let session = vm.state.session {
                    sessionSections(session)
                } else {
                    Section("一件事办理") {
                        ForEach(vm.state.bundles, id: \.code) { b in
                            Button {
                                vm.start(b.code)
                            } label: {
                                VStack(alignment: .leading) {
                                    Text(b.name)
                                    Text("\(b.description) · \(b.items)项").font(.caption).foregroundColor(.secondary)
                                }
                            }
                        }
                    }
                    ForEach(vm.state.tree, id: \.theme.code) { node in
                        Section(node.theme.name) {
                            ForEach(node.items, id: \.code) { item in
                                Button("\(item.name) · \(item.department)") { vm.start(item.code) }
                            }
                        }
                    }
                }
            }
            .navigationTitle("办事")
        }
    }

    @ViewBuilder private func sessionSections(_ session: GuideSession) -> some View {
        Button("‹ 上一步", action: vm.back)
        if let plan = session.plan {
            Section(plan.name) {
                ForEach(plan.items, id: \.code) { item in
                    VStack(alignment: .leading, spacing: 4) {
                        Text(item.name).font(.headline)
                        Text("\(item.department) · \(item.timeLimit)").font(.caption)
                        ForEach(item.materials, id: \.name) { m in
                            Text("\(statusLabel(m.status)) \(m.name)" + (m.detail.isEmpty ? "" : "：\(m.detail)"))
                                .foregroundColor(statusColor(m.status))
                        }
                        ForEach(Array(item.steps.enumerated()), id: \.offset) { step in
                            Text("\(step.offset + 1). \(step.element)").font(.caption)
                        }
                        Button("预填申请表") { vm.prefill(item.code) }
                    }
                }
            }
            Button("完成", action: vm.close)
        } else {
            ForEach(session.questions, id: \.key) { q in
                Section(q.itemName ?? "") {
                    Text(q.text).font(.headline)
                    ForEach(q.options, id: \.value) { o in
                        Button(o.label) { vm.answer(q.key, o.value) }
                    }
                }
            }
        }
    }

    @ViewBuilder private func formSection(_ form: ZhuanshuKit.Form) -> some View {
        Button("‹ 返回", action: vm.closeForm)
        Section(form.itemName) {
            ForEach(form.fields, id: \.field) { f in
                LabeledContent(f.field, value: f.value ?? f.message ?? "待填写")
            }
        }
    }

    private func statusLabel(_ s: MaterialStatus) -> String {
        switch s {
        case .reuse: return "✓ 可复用"
        case .renew: return "⟳ 需更新"
        case .missing: return "✗ 缺少"
        case .prepare: return "· 需准备"
        }
    }

    private func statusColor(_ s: MaterialStatus) -> Color {
        switch s {
        case .reuse: return .green
        case .renew: return .orange
        case .missing: return .red
        case .prepare: return .primary
        }
    }
}
