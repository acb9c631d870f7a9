import SwiftUI
import UniformTypeIdentifiers
import ZhuanshuKit

/// One application record (办事记录): what was submitted where and when, its progress newest first, a new
/// status, the 查询密码 (from the vault, shown on demand and hidden again on leaving), edit and delete.
struct RecordPage: View {
    @ObservedObject var vm: DossierViewModel
    @ObservedObject var vault: VaultViewModel
    let id: Int64
    let onRemoved: () -> Void
    /// nil: the picker shows the latest status until the owner picks another.
    @State private var status: RecordStatus? = nil
    @State private var at = ""
    /// A status change was sent: its failure (an unreadable time) shows under the form, not at the top.
    @State private var statusSent = false
    /// The owner asked for the 查询密码: a locked vault then shows the unlock prompt in its place.
    @State private var wantsPassword = false
    @State private var copied = false
    @State private var confirmingRemove = false

    private var record: Record? { vm.state.records.first { $0.id == id } }

    /// The status form or the password section is waiting on the last call: its error shows there, by the
    /// button that caused it, rather than at the top of the page.
    private var errorShownInPlace: Bool {
        statusSent || (wantsPassword && vm.state.lookupPasswords[id] == nil)
    }

    var body: some View {
        List {
            ErrorBanner(error: errorShownInPlace ? nil : vm.state.error, dismiss: vm.clearError)
            if let r = record {
                Section {
                    LabeledContent("事项编码", value: r.data.itemCode)
                    LabeledContent("办理渠道", value: CoreLabels.label(r.data.channel))
                    LabeledContent("提交日期", value: r.data.submittedOn)
                    if let last = r.history.last {
                        LabeledContent("最新状态", value: CoreLabels.label(last.status))
                    }
                }
                Section("办理进度") {
                    ForEach(Array(r.history.enumerated()).reversed(), id: \.offset) { step in
                        HStack {
                            Text(CoreLabels.label(step.element.status))
                            Spacer()
                            Text(CoreDate.shown(step.element.at)).foregroundColor(.secondary)
                        }
                    }
                }
                statusForm(r)
                passwordSection
                Section {
                    Button("编辑办事记录") { vm.startRecord(id: id) }
                    Button("删除办事记录", role: .destructive) { confirmingRemove = true }
                }
            } else if !vm.state.loading {
                Text("这条办事记录已不存在。").foregroundColor(.secondary)
            }
        }
        .navigationTitle(record?.data.itemName ?? "办事记录")
        .navigationBarTitleDisplayMode(.inline)
        // The password leaves the screen's state with the page: it is not kept on screen behind the owner.
        .onDisappear { vm.hideLookupPassword(id: id) }
        // A new entry in the history means the change was saved: the form starts over.
        .onChange(of: record?.history.count) { _ in
            status = nil
            at = ""
            statusSent = false
        }
        .confirmationDialog("确定删除这条办事记录吗？其查询密码也会一并删除。", isPresented: $confirmingRemove, titleVisibility: .visible) {
            Button("删除", role: .destructive) {
                vm.removeRecord(id: id)
                onRemoved()
            }
        }
    }

    @ViewBuilder private func statusForm(_ r: Record) -> some View {
        Section("更新状态") {
            Picker("新状态", selection: Binding(
                get: { status ?? r.history.last?.status ?? .submitted },
                set: { status = $0 }
            )) {
                ForEach(CoreLabels.recordStatuses, id: \.self) { s in
                    Text(CoreLabels.label(s)).tag(s)
                }
            }
            DateTextField(label: "时间（选填）", text: $at, error: nil, withTime: true, hint: "留空即为现在。")
            Button("更新状态") {
                statusSent = true
                vm.setRecordStatus(id: id, status: status ?? r.history.last?.status ?? .submitted, at: at)
            }
            if statusSent, let error = vm.state.error {
                HStack {
                    Text(error.message).font(.caption).foregroundColor(.red)
                    Spacer()
                    Button("知道了") {
                        statusSent = false
                        vm.clearError()
                    }
                    .buttonStyle(.borderless)
                }
            }
        }
    }

    @ViewBuilder private var passwordSection: some View {
        Section("查询密码") {
            if let password = vm.state.lookupPasswords[id] {
                if password.isEmpty {
                    Text("还没有保存查询密码。可在“编辑办事记录”中填写。").foregroundColor(.secondary)
                } else {
                    Text(password).font(.body.monospaced()).textSelection(.enabled)
                    HStack {
                        Button("复制") { copy(password) }.buttonStyle(.borderless)
                        if copied {
                            Text("已复制").font(.caption).foregroundColor(.green)
                        }
                        Spacer()
                        Button("隐藏") {
                            wantsPassword = false
                            vm.hideLookupPassword(id: id)
                        }
                        .buttonStyle(.borderless)
                    }
                }
            } else if wantsPassword, let error = vm.state.error, error.kind == .vaultLocked {
                VaultUnlockPrompt(vault: vault, reason: error.message) {
                    vm.clearError()
                    vm.showLookupPassword(id: id)
                }
            } else {
                Text("查询密码加密保存在证照夹中，解锁后可查看。").font(.caption).foregroundColor(.secondary)
                Button("显示查询密码") {
                    wantsPassword = true
                    vm.showLookupPassword(id: id)
                }
                if wantsPassword, let error = vm.state.error {
                    Text(error.message).font(.caption).foregroundColor(.red)
                }
            }
        }
    }

    /// Copies for pasting into the department's site: kept on this phone (not Universal Clipboard) and
    /// expiring after two minutes, since it is a password.
    private func copy(_ password: String) {
        UIPasteboard.general.setItems(
            [[UTType.plainText.identifier: password]],
            options: [.localOnly: true, .expirationDate: Date().addingTimeInterval(120)]
        )
        copied = true
        DispatchQueue.main.asyncAfter(deadline: .now() + 2) { copied = false }
    }
}
