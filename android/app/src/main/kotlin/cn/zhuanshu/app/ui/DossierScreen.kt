package cn.zhuanshu.app.ui

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.model.CompanyField
import cn.zhuanshu.model.CoreLabels
import cn.zhuanshu.model.CompanyFormState
import cn.zhuanshu.model.DossierViewModel
import uniffi.zhuanshu.CompanyForm
import uniffi.zhuanshu.CompanyType
import uniffi.zhuanshu.TaxpayerKind
import uniffi.zhuanshu_ffi.formatYuan

/** 档案: the company switcher, the profile with what the core derives, licences, materials, records. */
@Composable
fun DossierScreen(vm: DossierViewModel, modifier: Modifier = Modifier) {
    val s by vm.state.collectAsStateWithLifecycle()
    s.editor?.let { editor ->
        CompanyEditor(vm, editor, modifier)
        return
    }
    Column(modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        ErrorBanner(s.error, vm::clearError)
        Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            s.companies.forEach { c ->
                FilterChip(selected = c.current, onClick = { vm.switchTo(c.company.uscc) }, label = { Text(c.company.name) })
            }
            TextButton(onClick = vm::startAdd) { Text("＋ 添加企业") }
        }
        if (s.companies.isEmpty() && !s.loading) {
            OutlinedButton(onClick = vm::loadDemo) { Text("载入示例企业") }
        }
        val current = s.current ?: return@Column
        val c = current.company
        Card(Modifier.fillMaxWidth()) {
            Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Row(horizontalArrangement = Arrangement.SpaceBetween, modifier = Modifier.fillMaxWidth()) {
                    Text(c.name, style = MaterialTheme.typography.titleLarge, modifier = Modifier.weight(1f))
                    TextButton(onClick = vm::startEdit) { Text("编辑") }
                }
                Text("规模：${current.size.`class`?.let(CoreLabels::sizeClass) ?: "待补充"} · 阶段：${current.stageLabel} · 成立${current.ageYears}年")
                Text(current.size.basis, style = MaterialTheme.typography.bodySmall)
                Fact("统一社会信用代码", c.uscc)
                Fact("类型", current.companyTypeLabel)
                Fact("法定代表人", c.legalRepresentative)
                Fact("注册资本", formatYuan(c.registeredCapitalFen))
                Fact("成立日期", c.establishedOn)
                Fact("登记机关所在地", current.districtName)
                Fact("住所", c.address)
                Fact("行业", current.industryName)
                Fact("从业人数", c.employees.toString())
                Fact("纳税人类型", current.taxpayerKindLabel)
            }
        }
        Section("证照") {
            s.licences.forEach { l ->
                Text("${l.kindName} ${l.data.number} · 有效期至 ${l.data.validUntil ?: "长期"}" + (l.daysLeft?.let { " · ${daysText(it)}" } ?: ""))
            }
        }
        Section("材料") { s.materials.forEach { m -> Text("${m.kindName}：${m.data.title}" + (m.data.validUntil?.let { " · 至 $it" } ?: "")) } }
        Section("办事记录") {
            s.records.forEach { r -> Text("${r.data.itemName} · ${r.history.lastOrNull()?.status?.let(CoreLabels::recordStatus) ?: ""}") }
        }
    }
}

@Composable
private fun Fact(term: String, value: String) {
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(term, style = MaterialTheme.typography.bodySmall, modifier = Modifier.weight(0.4f))
        Text(value, modifier = Modifier.weight(0.6f))
    }
}

@Composable
private fun Section(title: String, content: @Composable () -> Unit) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            content()
        }
    }
}

/** The add / edit form; each field shows the core's message for its issue path. */
@Composable
private fun CompanyEditor(vm: DossierViewModel, editor: CompanyFormState, modifier: Modifier) {
    val f = editor.form
    @Composable
    fun field(field: CompanyField, label: String, value: String, number: Boolean = false, change: (CompanyForm, String) -> CompanyForm) {
        val error = editor.fieldErrors[field.key]
        OutlinedTextField(
            value = value,
            onValueChange = { v -> vm.edit(field) { change(it, v) } },
            label = { Text(label) },
            isError = error != null,
            supportingText = error?.let { { Text(it) } },
            keyboardOptions = if (number) KeyboardOptions(keyboardType = KeyboardType.Decimal) else KeyboardOptions.Default,
            modifier = Modifier.fillMaxWidth(),
        )
    }
    Column(modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(if (editor.editing == null) "添加企业" else "编辑企业", style = MaterialTheme.typography.titleLarge)
        editor.message?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        field(CompanyField.USCC, "统一社会信用代码", f.uscc) { form, v -> form.copy(uscc = v) }
        field(CompanyField.NAME, "企业名称", f.name) { form, v -> form.copy(name = v) }
        Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            CompanyType.entries.forEach { t ->
                FilterChip(selected = f.companyType == t, onClick = { vm.edit(CompanyField.COMPANY_TYPE) { it.copy(companyType = t) } }, label = { Text(CoreLabels.companyType(t)) })
            }
        }
        field(CompanyField.LEGAL_REPRESENTATIVE, "法定代表人（负责人）", f.legalRepresentative) { form, v -> form.copy(legalRepresentative = v) }
        field(CompanyField.REGISTERED_CAPITAL, "注册资本（元）", f.registeredCapitalYuan, number = true) { form, v -> form.copy(registeredCapitalYuan = v) }
        field(CompanyField.ESTABLISHED_ON, "成立日期（如 2019-05-20）", f.establishedOn) { form, v -> form.copy(establishedOn = v) }
        field(CompanyField.ADDRESS, "住所（经营场所）", f.address) { form, v -> form.copy(address = v) }
        field(CompanyField.DISTRICT, "所在区（行政区划代码，如 310115）", f.district) { form, v -> form.copy(district = v) }
        field(CompanyField.INDUSTRY, "行业（如 I65）", f.industry) { form, v -> form.copy(industry = v) }
        field(CompanyField.EMPLOYEES, "从业人数", f.employees, number = true) { form, v -> form.copy(employees = v) }
        field(CompanyField.REVENUE, "上年度营业收入（元）", f.revenueYuan, number = true) { form, v -> form.copy(revenueYuan = v) }
        field(CompanyField.TOTAL_ASSETS, "资产总额（元，选填）", f.totalAssetsYuan, number = true) { form, v -> form.copy(totalAssetsYuan = v) }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            TaxpayerKind.entries.forEach { k ->
                FilterChip(
                    selected = f.taxpayerKind == k,
                    onClick = { vm.edit(CompanyField.TAXPAYER_KIND) { it.copy(taxpayerKind = k) } },
                    label = { Text(CoreLabels.taxpayerKind(k)) },
                )
            }
        }
        field(CompanyField.TAGS, "标签（用逗号分隔）", f.tags) { form, v -> form.copy(tags = v) }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = vm::submit, enabled = !editor.saving) { Text("保存") }
            OutlinedButton(onClick = vm::cancelEdit) { Text("取消") }
        }
    }
}
