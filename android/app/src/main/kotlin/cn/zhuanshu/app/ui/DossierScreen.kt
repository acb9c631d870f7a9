package cn.zhuanshu.app.ui

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.clickable
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
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.model.CompanyField
import cn.zhuanshu.model.CompanyFormState
import cn.zhuanshu.model.CoreLabels
import cn.zhuanshu.model.DossierViewModel
import cn.zhuanshu.model.VaultViewModel
import uniffi.zhuanshu.CompanyForm
import uniffi.zhuanshu.CompanyType
import uniffi.zhuanshu.LicenceKind
import uniffi.zhuanshu.MaterialKind
import uniffi.zhuanshu.TaxpayerKind
import uniffi.zhuanshu_ffi.formatYuan

/**
 * 档案: the company switcher, the profile with what the core derives, and its licences, materials and
 * records, each opening its editor (or, for a record, its page). [openRecord] is the record page shown;
 * it is held by the shell so a home item can open a record directly. An open item editor comes first:
 * 首页's quick actions open one straight away, whatever this tab showed before.
 */
@Composable
fun DossierScreen(
    vm: DossierViewModel,
    vault: VaultViewModel,
    licenceKinds: List<LicenceKind>,
    materialKinds: List<MaterialKind>,
    openRecord: Long?,
    onOpenRecord: (Long?) -> Unit,
    modifier: Modifier = Modifier,
) {
    val s by vm.state.collectAsStateWithLifecycle()
    s.licenceEditor?.let { editor ->
        LicenceEditor(vm, vault, editor, licenceKinds, modifier)
        return
    }
    s.materialEditor?.let { editor ->
        MaterialEditor(vm, vault, editor, materialKinds, modifier)
        return
    }
    s.recordEditor?.let { editor ->
        RecordEditor(vm, vault, editor, modifier)
        return
    }
    s.editor?.let { editor ->
        CompanyEditor(vm, editor, modifier)
        return
    }
    val record = openRecord?.let { id -> s.records.firstOrNull { it.id == id } }
    if (record != null) {
        RecordPage(vm, vault, record, s.lookupPasswords[record.id], s.error, onClose = { onOpenRecord(null) }, modifier = modifier)
        return
    }
    Column(modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        if (s.loading) LinearProgressIndicator(Modifier.fillMaxWidth())
        ErrorBanner(s.error, vm::clearError)
        Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            s.companies.forEach { c ->
                FilterChip(selected = c.current, onClick = {
                    onOpenRecord(null)
                    vm.switchTo(c.company.uscc)
                }, label = { Text(c.company.name) })
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
        Section("证照", action = "＋ 添加证照", onAction = { vm.startLicence() }) {
            if (s.licences.isEmpty()) Empty("还没有证照")
            s.licences.forEach { l ->
                ItemRow(
                    title = l.kindName,
                    detail = listOf(l.data.number, "有效期至 ${l.data.validUntil ?: "长期有效"}").filter { it.isNotBlank() }.joinToString(" · "),
                    badge = l.daysLeft?.let(::daysText),
                    overdue = (l.daysLeft ?: 0) < 0,
                    onClick = { vm.startLicence(l.id) },
                )
            }
        }
        Section("材料", action = "＋ 添加材料", onAction = { vm.startMaterial() }) {
            if (s.materials.isEmpty()) Empty("还没有材料")
            s.materials.forEach { m ->
                ItemRow(
                    title = m.data.title,
                    detail = m.kindName + (m.data.validUntil?.let { " · 有效期至 $it" } ?: ""),
                    badge = m.daysLeft?.let(::daysText),
                    overdue = (m.daysLeft ?: 0) < 0,
                    onClick = { vm.startMaterial(m.id) },
                )
            }
        }
        Section("办事记录", action = "＋ 添加记录", onAction = { vm.startRecord() }) {
            if (s.records.isEmpty()) Empty("还没有办事记录")
            s.records.forEach { r ->
                val last = r.history.lastOrNull()
                ItemRow(
                    title = r.data.itemName,
                    detail = last?.let { "${CoreLabels.recordStatus(it.status)} · ${shortTime(it.at)}" } ?: r.data.submittedOn,
                    badge = null,
                    overdue = false,
                    onClick = { onOpenRecord(r.id) },
                )
            }
        }
    }
}

/** One licence, material or record in its section: the whole row opens it (a large target). */
@Composable
private fun ItemRow(title: String, detail: String, badge: String?, overdue: Boolean, onClick: () -> Unit) {
    Row(
        Modifier.fillMaxWidth().clickable(onClick = onClick).padding(vertical = 8.dp),
        verticalAlignment = Alignment.CenterVertically,
        horizontalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        Column(Modifier.weight(1f)) {
            Text(title, style = MaterialTheme.typography.bodyLarge)
            if (detail.isNotEmpty()) Text(detail, style = MaterialTheme.typography.bodySmall)
            badge?.let {
                Text(it, style = MaterialTheme.typography.labelLarge, color = if (overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.primary)
            }
        }
        Text("›", style = MaterialTheme.typography.titleLarge)
    }
}

@Composable
private fun Empty(text: String) {
    Text(text, style = MaterialTheme.typography.bodySmall)
}

@Composable
internal fun Fact(term: String, value: String) {
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(term, style = MaterialTheme.typography.bodySmall, modifier = Modifier.weight(0.4f))
        Text(value, modifier = Modifier.weight(0.6f))
    }
}

/** A titled card; [action] is a button beside the title (添加…). */
@Composable
internal fun Section(title: String, action: String? = null, onAction: () -> Unit = {}, content: @Composable () -> Unit) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Row(verticalAlignment = Alignment.CenterVertically) {
                Text(title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.weight(1f))
                if (action != null) TextButton(onClick = onAction) { Text(action) }
            }
            content()
        }
    }
}

/** The add / edit form; each field shows the core's message for its issue path. */
@Composable
private fun CompanyEditor(vm: DossierViewModel, editor: CompanyFormState, modifier: Modifier) {
    val f = editor.form
    BackHandler(onBack = vm::cancelEdit)
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
