import SwiftUI
import ZhuanshuKit

/// 档案: the company switcher, the profile with what the core derives, licences, materials, records.
/// Licences and materials open their editor in a sheet; a record opens its page (pushed, so 首页 can open
/// one directly through `path`).
struct DossierView: View {
    @ObservedObject var vm: DossierViewModel
    @ObservedObject var vault: VaultViewModel
    let catalog: DossierCatalog
    /// The records pushed, by id.
    @Binding var path: [Int64]
    @State private var removing: Removal? = nil

    /// An item the owner swiped to delete, until they confirm (records are deleted from their page).
    private enum Removal {
        case licence(Int64), material(Int64)

        var question: String {
            switch self {
            case .licence: return removeLicenceQuestion
            case .material: return removeMaterialQuestion
            }
        }
    }

    var body: some View {
        NavigationStack(path: $path) {
            List {
                ErrorBanner(error: vm.state.error, dismiss: vm.clearError)
                Section("切换企业") {
                    ForEach(vm.state.companies, id: \.company.uscc) { c in
                        Button {
                            vm.switchTo(c.company.uscc)
                        } label: {
                            HStack {
                                Text(c.company.name)
                                Spacer()
                                if c.current {
                                    Image(systemName: "checkmark")
                                }
                            }
                        }
                    }
                    Button("＋ 添加企业", action: vm.startAdd)
                    if vm.state.companies.isEmpty && !vm.state.loading {
                        Button("载入示例企业", action: vm.loadDemo)
                    }
                }
                if let current = vm.state.current {
                    profile(current)
                    licencesSection
                    materialsSection
                    recordsSection
                }
            }
            .navigationTitle("档案")
            .toolbar {
                ToolbarItem(placement: .navigationBarLeading) {
                    if vm.state.current != nil {
                        Button("编辑", action: vm.startEdit)
                    }
                }
                // The three additions without scrolling past the profile.
                ToolbarItem(placement: .navigationBarTrailing) {
                    if vm.state.current != nil {
                        Menu {
                            Button("添加证照") { vm.startLicence() }
                            Button("添加材料") { vm.startMaterial() }
                            Button("添加办事记录") { vm.startRecord() }
                        } label: {
                            SwiftUI.Label("添加", systemImage: "plus")
                        }
                    }
                }
            }
            .navigationDestination(for: Int64.self) { id in
                RecordPage(vm: vm, vault: vault, id: id) {
                    path.removeAll { $0 == id }
                }
            }
            .confirmationDialog(removing?.question ?? "", isPresented: Binding(get: { removing != nil }, set: { if !$0 { removing = nil } }), titleVisibility: .visible) {
                Button("删除", role: .destructive) {
                    switch removing {
                    case let .licence(id)?: vm.removeLicence(id: id)
                    case let .material(id)?: vm.removeMaterial(id: id)
                    case nil: break
                    }
                    removing = nil
                }
            }
        }
        // On the stack, not its root list: they must open over a pushed record page too.
        .sheet(isPresented: Binding(get: { vm.state.editor != nil }, set: { if !$0 { vm.cancelEdit() } })) {
            if let editor = vm.state.editor {
                CompanyEditor(vm: vm, editor: editor)
            }
        }
        .sheet(isPresented: Binding(get: { vm.state.licenceEditor != nil }, set: { if !$0 { vm.cancelLicence() } })) {
            if let editor = vm.state.licenceEditor {
                LicenceEditor(vm: vm, vault: vault, kinds: catalog.licenceKinds, editor: editor) { id in
                    vm.cancelLicence()
                    vm.removeLicence(id: id)
                }
                // Another licence opened in place (from 首页) starts with its own 长期有效.
                .id(editor.id)
            }
        }
        .sheet(isPresented: Binding(get: { vm.state.materialEditor != nil }, set: { if !$0 { vm.cancelMaterial() } })) {
            if let editor = vm.state.materialEditor {
                MaterialEditor(vm: vm, vault: vault, kinds: catalog.materialKinds, editor: editor) { id in
                    vm.cancelMaterial()
                    vm.removeMaterial(id: id)
                }
            }
        }
        .sheet(isPresented: Binding(get: { vm.state.recordEditor != nil }, set: { if !$0 { vm.cancelRecord() } })) {
            if let editor = vm.state.recordEditor {
                RecordEditor(vm: vm, vault: vault, editor: editor)
            }
        }
    }

    @ViewBuilder private var licencesSection: some View {
        Section("证照") {
            if vm.state.licences.isEmpty {
                Text("还没有证照。").foregroundColor(.secondary)
            }
            ForEach(vm.state.licences, id: \.id) { l in
                Button {
                    vm.startLicence(id: l.id)
                } label: {
                    VStack(alignment: .leading, spacing: 2) {
                        Text(l.kindName).font(.headline)
                        Text(l.data.number).font(.subheadline)
                        HStack {
                            Text("有效期至 \(l.data.validUntil ?? "长期有效")")
                            if let days = l.daysLeft {
                                Text(daysText(days)).foregroundColor(days < 0 ? .red : .secondary)
                            }
                        }
                        .font(.caption)
                    }
                    .foregroundColor(.primary)
                }
                .swipeActions {
                    Button("删除", role: .destructive) { removing = .licence(l.id) }
                }
            }
            Button("＋ 添加证照") { vm.startLicence() }
        }
    }

    @ViewBuilder private var materialsSection: some View {
        Section("材料") {
            if vm.state.materials.isEmpty {
                Text("还没有材料。").foregroundColor(.secondary)
            }
            ForEach(vm.state.materials, id: \.id) { m in
                Button {
                    vm.startMaterial(id: m.id)
                } label: {
                    VStack(alignment: .leading, spacing: 2) {
                        Text(m.data.title).font(.headline)
                        HStack {
                            Text(m.kindName)
                            if let until = m.data.validUntil {
                                Text("至 \(until)")
                            }
                            if let days = m.daysLeft {
                                Text(daysText(days)).foregroundColor(days < 0 ? .red : .secondary)
                            }
                        }
                        .font(.caption)
                    }
                    .foregroundColor(.primary)
                }
                .swipeActions {
                    Button("删除", role: .destructive) { removing = .material(m.id) }
                }
            }
            Button("＋ 添加材料") { vm.startMaterial() }
        }
    }

    @ViewBuilder private var recordsSection: some View {
        Section("办事记录") {
            if vm.state.records.isEmpty {
                Text("还没有办事记录。").foregroundColor(.secondary)
            }
            ForEach(vm.state.records, id: \.id) { r in
                NavigationLink(value: r.id) {
                    VStack(alignment: .leading, spacing: 2) {
                        Text(r.data.itemName).font(.headline)
                        Text("\(CoreLabels.label(r.data.channel)) · 提交于 \(r.data.submittedOn)").font(.caption)
                        if let last = r.history.last {
                            Text(CoreLabels.label(last.status)).font(.caption.bold())
                        }
                    }
                }
            }
            Button("＋ 添加办事记录") { vm.startRecord() }
        }
    }

    @ViewBuilder private func profile(_ o: CompanyOverview) -> some View {
        let c = o.company
        Section(c.name) {
            Text("阶段：\(o.stageLabel) · 成立\(o.ageYears)年")
            Text(o.size.basis).font(.caption).foregroundColor(.secondary)
            LabeledContent("统一社会信用代码", value: c.uscc)
            LabeledContent("类型", value: o.companyTypeLabel)
            LabeledContent("法定代表人", value: c.legalRepresentative)
            LabeledContent("注册资本", value: formatYuan(fen: c.registeredCapitalFen))
            LabeledContent("成立日期", value: c.establishedOn)
            LabeledContent("登记机关所在地", value: o.districtName)
            LabeledContent("住所", value: c.address)
            LabeledContent("行业", value: o.industryName)
            LabeledContent("从业人数", value: String(c.employees))
            LabeledContent("纳税人类型", value: o.taxpayerKindLabel)
        }
    }
}

/// The add / edit form; each field shows the core's message for its issue path.
private struct CompanyEditor: View {
    @ObservedObject var vm: DossierViewModel
    /// The form as the view model holds it now (the sheet is shown only while there is one).
    let editor: CompanyFormState

    private func field(_ f: CompanyField, _ label: String, _ keyPath: WritableKeyPath<CompanyForm, String>, number: Bool = false) -> some View {
        VStack(alignment: .leading) {
            TextField(label, text: Binding(
                get: { vm.state.editor?.form[keyPath: keyPath] ?? "" },
                set: { value in vm.edit(f) { $0[keyPath: keyPath] = value } }
            ))
            .keyboardType(number ? .decimalPad : .default)
            if let message = editor.fieldErrors[f.key] {
                Text(message).font(.caption).foregroundColor(.red)
            }
        }
    }

    var body: some View {
        NavigationStack {
            List {
                if let message = editor.message {
                    Text(message).foregroundColor(.red)
                }
                field(.uscc, "统一社会信用代码", \.uscc)
                field(.name, "企业名称", \.name)
                Picker("类型", selection: Binding(get: { editor.form.companyType }, set: { t in vm.edit(.companyType) { $0.companyType = t } })) {
                    ForEach(CoreLabels.companyTypes, id: \.self) { t in
                        Text(CoreLabels.label(t)).tag(t)
                    }
                }
                field(.legalRepresentative, "法定代表人（负责人）", \.legalRepresentative)
                field(.registeredCapital, "注册资本（元）", \.registeredCapitalYuan, number: true)
                field(.establishedOn, "成立日期（如 2019-05-20）", \.establishedOn)
                field(.address, "住所（经营场所）", \.address)
                field(.district, "所在区（行政区划代码，如 310115）", \.district)
                field(.industry, "行业（如 I65）", \.industry)
                field(.employees, "从业人数", \.employees, number: true)
                field(.revenue, "上年度营业收入（元）", \.revenueYuan, number: true)
                field(.totalAssets, "资产总额（元，选填）", \.totalAssetsYuan, number: true)
                Picker("纳税人类型", selection: Binding(get: { editor.form.taxpayerKind }, set: { k in vm.edit(.taxpayerKind) { $0.taxpayerKind = k } })) {
                    ForEach(CoreLabels.taxpayerKinds, id: \.self) { k in
                        Text(CoreLabels.label(k)).tag(k)
                    }
                }
                field(.tags, "标签（用逗号分隔）", \.tags)
            }
            .navigationTitle(editor.editing == nil ? "添加企业" : "编辑企业")
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("取消", action: vm.cancelEdit) }
                ToolbarItem(placement: .confirmationAction) { Button("保存", action: vm.submit).disabled(editor.saving) }
            }
        }
    }
}
