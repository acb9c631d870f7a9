import SwiftUI
import ZhuanshuKit

/// 档案: the company switcher, the profile with what the core derives, licences, materials, records.
struct DossierView: View {
    @ObservedObject var vm: DossierViewModel

    var body: some View {
        NavigationStack {
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
                    Section("证照") {
                        ForEach(vm.state.licences, id: \.id) { l in
                            Text("\(l.kindName) \(l.data.number) · 有效期至 \(l.data.validUntil ?? "长期")" + (l.daysLeft.map { " · " + daysText($0) } ?? ""))
                        }
                    }
                    Section("材料") {
                        ForEach(vm.state.materials, id: \.id) { m in
                            Text("\(m.kindName)：\(m.data.title)" + (m.data.validUntil.map { " · 至 \($0)" } ?? ""))
                        }
                    }
                    Section("办事记录") {
                        ForEach(vm.state.records, id: \.id) { r in
                            Text(r.data.itemName)
                        }
                    }
                }
            }
            .navigationTitle("档案")
            .toolbar {
                if vm.state.current != nil {
                    Button("编辑", action: vm.startEdit)
                }
            }
            .sheet(isPresented: Binding(get: { vm.state.editor != nil }, set: { if !$0 { vm.cancelEdit() } })) {
                if let editor = vm.state.editor {
                    CompanyEditor(vm: vm, editor: editor)
                }
            }
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
