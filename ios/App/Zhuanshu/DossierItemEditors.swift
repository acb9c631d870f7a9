import SwiftUI
import ZhuanshuKit

let removeLicenceQuestion = "确定删除这本证照吗？"
let removeMaterialQuestion = "确定删除这份材料吗？"

/// The core's closed lists the item editors offer: read once when the app opens the core, since the view
/// model does not hold them (unlike its regions and industries) and a form must not wait for them.
struct DossierCatalog {
    var licenceKinds: [LicenceKind]
    var materialKinds: [MaterialKind]
}

/// 添加证照 / 编辑证照: the core's licence form, field by field; the core reads the dates and answers by field.
struct LicenceEditor: View {
    @ObservedObject var vm: DossierViewModel
    @ObservedObject var vault: VaultViewModel
    let kinds: [LicenceKind]
    /// The form as the view model holds it now (the sheet is shown only while there is one).
    let editor: ItemFormState<LicenceForm>
    /// Called once the owner confirmed 删除证照.
    let onRemove: (Int64) -> Void
    /// 长期有效 is an empty 有效期至; kept here so unticking shows the empty date field to fill.
    @State private var longTerm: Bool
    @State private var confirmingRemove = false

    init(vm: DossierViewModel, vault: VaultViewModel, kinds: [LicenceKind], editor: ItemFormState<LicenceForm>, onRemove: @escaping (Int64) -> Void) {
        self.vm = vm
        self.vault = vault
        self.kinds = kinds
        self.editor = editor
        self.onRemove = onRemove
        _longTerm = State(initialValue: editor.form.validUntil.isEmpty)
    }

    private func text(_ key: String, _ keyPath: WritableKeyPath<LicenceForm, String>) -> Binding<String> {
        Binding(
            get: { vm.state.licenceEditor?.form[keyPath: keyPath] ?? "" },
            set: { value in vm.editLicence(key) { $0[keyPath: keyPath] = value } }
        )
    }

    private var kind: LicenceKind? { kinds.first { $0.code == editor.form.kind } }

    var body: some View {
        NavigationStack {
            List {
                FieldMessage(message: editor.message)
                Section {
                    VStack(alignment: .leading, spacing: 4) {
                        Picker("证照类型", selection: text("kind", \.kind)) {
                            ForEach(kinds, id: \.code) { k in
                                Text(k.name).tag(k.code)
                            }
                        }
                        if let kind = kind, !kind.description.isEmpty {
                            Text(kind.description).font(.caption).foregroundColor(.secondary)
                        }
                        FieldMessage(message: editor.fieldErrors["kind"])
                    }
                    LabeledTextField(label: "证照编号", text: text("number", \.number), error: editor.fieldErrors["number"])
                    LabeledTextField(label: "发证机关", text: text("issuer", \.issuer), prompt: kind?.issuer ?? "", error: editor.fieldErrors["issuer"])
                    DateTextField(label: "发证日期", text: text("issued_on", \.issuedOn), error: editor.fieldErrors["issued_on"])
                    Toggle("长期有效", isOn: $longTerm)
                    if longTerm {
                        FieldMessage(message: editor.fieldErrors["valid_until"])
                    } else {
                        DateTextField(label: "有效期至", text: text("valid_until", \.validUntil), error: editor.fieldErrors["valid_until"])
                    }
                    LabeledTextField(label: "许可范围（选填）", text: text("scope", \.scope), error: editor.fieldErrors["scope"], multiline: true)
                }
                if let id = editor.id {
                    ScansSection(vm: vm, vault: vault, scans: editor.scans, scansError: editor.scansError, single: false)
                    Section {
                        Button("删除证照", role: .destructive) { confirmingRemove = true }
                    }
                    .confirmationDialog(removeLicenceQuestion, isPresented: $confirmingRemove, titleVisibility: .visible) {
                        Button("删除", role: .destructive) { onRemove(id) }
                    }
                } else {
                    Text("保存后可关联证照夹中的扫描件。").font(.caption).foregroundColor(.secondary)
                }
            }
            .navigationTitle(editor.id == nil ? "添加证照" : "编辑证照")
            .navigationBarTitleDisplayMode(.inline)
            .onChange(of: longTerm) { on in
                if on {
                    vm.editLicence("valid_until") { $0.validUntil = "" }
                }
            }
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("取消", action: vm.cancelLicence) }
                ToolbarItem(placement: .confirmationAction) { Button("保存", action: vm.saveLicence).disabled(editor.saving) }
            }
        }
    }
}

/// 添加材料 / 编辑材料: the core's kinds (the catalog's, then 其他材料); an empty 有效期至 is a material that does not expire.
struct MaterialEditor: View {
    @ObservedObject var vm: DossierViewModel
    @ObservedObject var vault: VaultViewModel
    let kinds: [MaterialKind]
    let editor: ItemFormState<MaterialForm>
    /// Called once the owner confirmed 删除材料.
    let onRemove: (Int64) -> Void
    @State private var confirmingRemove = false

    private func text(_ key: String, _ keyPath: WritableKeyPath<MaterialForm, String>) -> Binding<String> {
        Binding(
            get: { vm.state.materialEditor?.form[keyPath: keyPath] ?? "" },
            set: { value in vm.editMaterial(key) { $0[keyPath: keyPath] = value } }
        )
    }

    private var kind: MaterialKind? { kinds.first { $0.code == editor.form.kind } }

    var body: some View {
        NavigationStack {
            List {
                FieldMessage(message: editor.message)
                Section {
                    VStack(alignment: .leading, spacing: 4) {
                        Picker("材料类型", selection: text("kind", \.kind)) {
                            ForEach(kinds, id: \.code) { k in
                                Text(k.name).tag(k.code)
                            }
                        }
                        if let kind = kind, !kind.validity.isEmpty {
                            Text(kind.validity).font(.caption).foregroundColor(.secondary)
                        }
                        FieldMessage(message: editor.fieldErrors["kind"])
                    }
                    LabeledTextField(label: "材料名称", text: text("title", \.title), error: editor.fieldErrors["title"])
                    DateTextField(
                        label: "有效期至（选填）", text: text("valid_until", \.validUntil),
                        error: editor.fieldErrors["valid_until"], hint: "不会过期的材料请留空。"
                    )
                }
                if let id = editor.id {
                    ScansSection(vm: vm, vault: vault, scans: editor.scans, scansError: editor.scansError, single: true)
                    Section {
                        Button("删除材料", role: .destructive) { confirmingRemove = true }
                    }
                    .confirmationDialog(removeMaterialQuestion, isPresented: $confirmingRemove, titleVisibility: .visible) {
                        Button("删除", role: .destructive) { onRemove(id) }
                    }
                } else {
                    Text("保存后可关联证照夹中的扫描件。").font(.caption).foregroundColor(.secondary)
                }
            }
            .navigationTitle(editor.id == nil ? "添加材料" : "编辑材料")
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("取消", action: vm.cancelMaterial) }
                ToolbarItem(placement: .confirmationAction) { Button("保存", action: vm.saveMaterial).disabled(editor.saving) }
            }
        }
    }
}

/// 添加办事记录 / 编辑办事记录. A typed 查询密码 is sealed by the vault: when it is locked the core saves nothing
/// and the editor asks to unlock here, then saves again, so nothing typed is lost.
struct RecordEditor: View {
    @ObservedObject var vm: DossierViewModel
    @ObservedObject var vault: VaultViewModel
    let editor: ItemFormState<RecordForm>

    private func text(_ key: String, _ keyPath: WritableKeyPath<RecordForm, String>) -> Binding<String> {
        Binding(
            get: { vm.state.recordEditor?.form[keyPath: keyPath] ?? "" },
            set: { value in vm.editRecord(key) { $0[keyPath: keyPath] = value } }
        )
    }

    private var channel: Binding<Channel> {
        Binding(
            get: { vm.state.recordEditor?.form.channel ?? editor.form.channel },
            set: { value in vm.editRecord("channel") { $0.channel = value } }
        )
    }

    var body: some View {
        NavigationStack {
            List {
                if editor.needsUnlock {
                    Section {
                        VaultUnlockPrompt(vault: vault, reason: editor.message ?? "查询密码加密保存在证照夹中，请先解锁证照夹。", onUnlocked: vm.saveRecord)
                    }
                } else {
                    FieldMessage(message: editor.message)
                }
                Section {
                    LabeledTextField(
                        label: "事项编码", text: text("item_code", \.itemCode),
                        hint: "受理回执或办事网站上的事项编码。", error: editor.fieldErrors["item_code"]
                    )
                    LabeledTextField(label: "事项名称", text: text("item_name", \.itemName), error: editor.fieldErrors["item_name"])
                    VStack(alignment: .leading, spacing: 4) {
                        Picker("办理渠道", selection: channel) {
                            ForEach(CoreLabels.channels, id: \.self) { c in
                                Text(CoreLabels.label(c)).tag(c)
                            }
                        }
                        FieldMessage(message: editor.fieldErrors["channel"])
                    }
                    DateTextField(label: "提交日期", text: text("submitted_on", \.submittedOn), error: editor.fieldErrors["submitted_on"])
                }
                Section {
                    LabeledTextField(
                        label: "查询密码（选填）", text: text("lookup_password", \.lookupPassword),
                        hint: editor.id == nil
                            ? "部门给的进度查询密码，加密保存在证照夹中。"
                            : "留空则保留已保存的查询密码。新填写的会加密保存在证照夹中。",
                        error: editor.fieldErrors["lookup_password"], secure: true
                    )
                }
            }
            .navigationTitle(editor.id == nil ? "添加办事记录" : "编辑办事记录")
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("取消", action: vm.cancelRecord) }
                ToolbarItem(placement: .confirmationAction) { Button("保存", action: vm.saveRecord).disabled(editor.saving) }
            }
        }
    }
}

/// The scans of the licence or material being edited, linked from documents already in the vault. A locked
/// vault keeps the form usable: the section asks to unlock, then lists the scans again.
struct ScansSection: View {
    @ObservedObject var vm: DossierViewModel
    @ObservedObject var vault: VaultViewModel
    let scans: [DocumentInfo]
    let scansError: UiError?
    /// A material has one scan: linking another replaces it.
    let single: Bool

    private var candidates: [DocumentInfo] {
        vault.state.documents.filter { d in !scans.contains { $0.id == d.id } }
    }

    var body: some View {
        Section("扫描件（证照夹）") {
            if let error = scansError {
                VaultUnlockPrompt(vault: vault, reason: error.message, onUnlocked: vm.reloadScans)
            } else {
                if scans.isEmpty {
                    Text("还没有关联证照夹中的文件。").foregroundColor(.secondary)
                }
                ForEach(scans, id: \.id) { d in
                    HStack {
                        VStack(alignment: .leading) {
                            Text(d.name)
                            Text(CoreDate.shown(d.createdAt)).font(.caption).foregroundColor(.secondary)
                        }
                        Spacer()
                        Button("取消关联") { vm.unlinkScan(d.id) }.buttonStyle(.borderless)
                    }
                }
                if vault.state.status?.unlocked != true {
                    VaultUnlockPrompt(vault: vault, reason: "解锁证照夹后可关联其中的文件。", onUnlocked: vm.reloadScans)
                } else if candidates.isEmpty {
                    Text("证照夹里没有可关联的文件，请先在“证照夹”中添加。").font(.caption).foregroundColor(.secondary)
                } else {
                    Menu(single && !scans.isEmpty ? "更换扫描件" : "关联证照夹文件") {
                        ForEach(candidates, id: \.id) { d in
                            Button(d.name) { vm.linkScan(d.id) }
                        }
                    }
                }
            }
        }
    }
}
