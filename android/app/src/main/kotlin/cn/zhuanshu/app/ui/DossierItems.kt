package cn.zhuanshu.app.ui

import android.content.ClipData
import android.content.ClipDescription
import android.content.ClipboardManager
import android.os.PersistableBundle
import androidx.activity.compose.BackHandler
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.SnackbarHost
import androidx.compose.material3.SnackbarHostState
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.model.CoreLabels
import cn.zhuanshu.model.DossierViewModel
import cn.zhuanshu.model.ItemFormState
import cn.zhuanshu.model.UiError
import cn.zhuanshu.model.VaultViewModel
import kotlinx.coroutines.launch
import uniffi.zhuanshu.Channel
import uniffi.zhuanshu.DocumentInfo
import uniffi.zhuanshu.LicenceForm
import uniffi.zhuanshu.LicenceKind
import uniffi.zhuanshu.MaterialForm
import uniffi.zhuanshu.MaterialKind
import uniffi.zhuanshu.Record
import uniffi.zhuanshu.RecordForm
import uniffi.zhuanshu.RecordStatus

// The dossier's item editors (证照, 材料, 办事记录) and a record's page. Every field is text the core reads:
// its message for a field (by the core's field key) shows under that field, its message for the whole
// form above it. Closed lists come from the core (catalogs, labels); nothing here judges a value.

/** The material catalog's code for a material outside it (the core's `material::OTHER`). */
/** The core's code for a material outside the catalog: its name is no title worth prefilling. */
private const val OTHER_MATERIAL = "other"

/** A scrolling form page: large text grows it downwards, never clips it. */
@Composable
private fun FormPage(modifier: Modifier, content: @Composable ColumnScope.() -> Unit) {
    Column(
        modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
        content = content,
    )
}

/** A text field of an item form with the core's message for [error]'s field under it. */
@Composable
private fun ItemField(
    label: String,
    value: String,
    error: String?,
    hint: String? = null,
    placeholder: String? = null,
    minLines: Int = 1,
    onChange: (String) -> Unit,
) {
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        placeholder = placeholder?.let { { Text(it) } },
        isError = error != null,
        supportingText = (error ?: hint)?.let { { Text(it) } },
        minLines = minLines,
        modifier = Modifier.fillMaxWidth(),
    )
}

/** Save / cancel, and delete for a saved item (asked once more: a deleted item cannot be restored). */
@Composable
private fun FormButtons(saving: Boolean, onSave: () -> Unit, onCancel: () -> Unit, onRemove: (() -> Unit)?, removeQuestion: String) {
    var confirming by remember { mutableStateOf(false) }
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
        Button(onClick = onSave, enabled = !saving) { Text("保存") }
        OutlinedButton(onClick = onCancel) { Text("取消") }
        if (onRemove != null) TextButton(onClick = { confirming = true }) { Text("删除") }
    }
    if (confirming && onRemove != null) {
        ConfirmRemove(removeQuestion, onConfirm = {
            confirming = false
            onRemove()
        }, onDismiss = { confirming = false })
    }
}

@Composable
private fun ConfirmRemove(question: String, onConfirm: () -> Unit, onDismiss: () -> Unit) {
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(question) },
        text = { Text("删除后无法恢复。") },
        confirmButton = { TextButton(onClick = onConfirm) { Text("删除", color = MaterialTheme.colorScheme.error) } },
        dismissButton = { TextButton(onClick = onDismiss) { Text("取消") } },
    )
}

@Composable
private fun FormMessage(message: String?) {
    message?.let { Text(it, color = MaterialTheme.colorScheme.error) }
}

/**
 * 证照: kind from the core's licence catalog, number, issuer (the kind's usual issuer as a hint), dates
 * as text with a calendar, 长期有效 as an empty 有效期至, scope; a saved licence's scans from the vault.
 */
@Composable
fun LicenceEditor(
    vm: DossierViewModel,
    vault: VaultViewModel,
    editor: ItemFormState<LicenceForm>,
    kinds: List<LicenceKind>,
    modifier: Modifier = Modifier,
) {
    val f = editor.form
    val errors = editor.fieldErrors
    // A saved licence without an end date is 长期有效; a new one starts unticked, so a forgotten date is
    // a choice the owner sees rather than a silent default.
    var longTerm by remember(editor.id) { mutableStateOf(editor.id != null && f.validUntil.isEmpty()) }
    BackHandler(onBack = vm::cancelLicence)
    FormPage(modifier) {
        Text(if (editor.id == null) "添加证照" else "编辑证照", style = MaterialTheme.typography.titleLarge)
        FormMessage(editor.message)
        val kind = kinds.firstOrNull { it.code == f.kind }
        Choice(
            label = "证照类型",
            current = kind?.name ?: f.kind,
            options = kinds,
            optionText = { it.name },
            onSelect = { k -> vm.editLicence("kind") { it.copy(kind = k.code) } },
            error = errors["kind"],
        )
        kind?.description?.takeIf { it.isNotBlank() }?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
        ItemField("证照编号", f.number, errors["number"]) { v -> vm.editLicence("number") { it.copy(number = v) } }
        ItemField("发证机关", f.issuer, errors["issuer"], placeholder = kind?.issuer?.takeIf { it.isNotBlank() }) { v ->
            vm.editLicence("issuer") { it.copy(issuer = v) }
        }
        DateField(f.issuedOn, { v -> vm.editLicence("issued_on") { it.copy(issuedOn = v) } }, "发证日期（如 2024-05-20）", errors["issued_on"])
        Row(verticalAlignment = Alignment.CenterVertically) {
            Checkbox(checked = longTerm, onCheckedChange = { on ->
                longTerm = on
                if (on) vm.editLicence("valid_until") { it.copy(validUntil = "") }
            })
            Text("长期有效")
        }
        DateField(
            f.validUntil,
            { v -> vm.editLicence("valid_until") { it.copy(validUntil = v) } },
            "有效期至",
            errors["valid_until"],
            enabled = !longTerm,
        )
        ItemField("许可范围 / 经营项目", f.scope, errors["scope"], minLines = 3) { v -> vm.editLicence("scope") { it.copy(scope = v) } }
        val id = editor.id
        if (id != null) {
            ScansSection(vm, vault, editor.scans, editor.scansError, single = false)
        } else {
            Text("保存后可关联证照夹中的扫描件。", style = MaterialTheme.typography.bodySmall)
        }
        FormButtons(
            saving = editor.saving,
            onSave = { vm.saveLicence() },
            onCancel = vm::cancelLicence,
            onRemove = id?.let { saved -> { vm.removeLicence(saved); vm.cancelLicence() } },
            removeQuestion = "删除这张证照？",
        )
    }
}

/** 材料: kind from the core's material catalog (or 其他), title, 有效期至; a saved material's one scan. */
@Composable
fun MaterialEditor(
    vm: DossierViewModel,
    vault: VaultViewModel,
    editor: ItemFormState<MaterialForm>,
    kinds: List<MaterialKind>,
    modifier: Modifier = Modifier,
) {
    val f = editor.form
    val errors = editor.fieldErrors
    BackHandler(onBack = vm::cancelMaterial)
    // The catalog, then the core's code for anything else.
    // The core's kinds: the catalog's, then `other` (其他材料).
    val options = kinds.map { it.code to it.name }
    FormPage(modifier) {
        Text(if (editor.id == null) "添加材料" else "编辑材料", style = MaterialTheme.typography.titleLarge)
        FormMessage(editor.message)
        val kind = kinds.firstOrNull { it.code == f.kind }
        Choice(
            label = "材料类型",
            current = options.firstOrNull { it.first == f.kind }?.second ?: f.kind,
            options = options,
            optionText = { it.second },
            onSelect = { (code, name) ->
                // A catalog kind names the material until the owner types a title of their own.
                vm.editMaterial("kind") { it.copy(kind = code, title = if (it.title.isBlank() && code != OTHER_MATERIAL) name else it.title) }
            },
            error = errors["kind"],
        )
        kind?.validity?.takeIf { it.isNotBlank() }?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
        ItemField("材料名称", f.title, errors["title"]) { v -> vm.editMaterial("title") { it.copy(title = v) } }
        DateField(
            f.validUntil,
            { v -> vm.editMaterial("valid_until") { it.copy(validUntil = v) } },
            "有效期至（选填）",
            errors["valid_until"],
            hint = "不填表示长期有效",
        )
        val id = editor.id
        if (id != null) {
            ScansSection(vm, vault, editor.scans, editor.scansError, single = true)
        } else {
            Text("保存后可关联证照夹中的扫描件。", style = MaterialTheme.typography.bodySmall)
        }
        FormButtons(
            saving = editor.saving,
            onSave = { vm.saveMaterial() },
            onCancel = vm::cancelMaterial,
            onRemove = id?.let { saved -> { vm.removeMaterial(saved); vm.cancelMaterial() } },
            removeQuestion = "删除这份材料？",
        )
    }
}

/**
 * 办事记录: item code and name, channel (the core's labels), submission date, and a 查询密码 that the
 * vault seals. A locked vault makes the save say [ItemFormState.needsUnlock]: unlock, then save again.
 */
@Composable
fun RecordEditor(vm: DossierViewModel, vault: VaultViewModel, editor: ItemFormState<RecordForm>, modifier: Modifier = Modifier) {
    val f = editor.form
    val errors = editor.fieldErrors
    // Asked again for each save that needs the vault, even after the owner closed the last prompt.
    var unlockClosed by remember(editor.needsUnlock) { mutableStateOf(false) }
    BackHandler(onBack = vm::cancelRecord)
    FormPage(modifier) {
        Text(if (editor.id == null) "添加办事记录" else "编辑办事记录", style = MaterialTheme.typography.titleLarge)
        FormMessage(editor.message)
        ItemField("事项名称", f.itemName, errors["item_name"]) { v -> vm.editRecord("item_name") { it.copy(itemName = v) } }
        ItemField("事项编码", f.itemCode, errors["item_code"]) { v -> vm.editRecord("item_code") { it.copy(itemCode = v) } }
        Choice(
            label = "办理渠道",
            current = CoreLabels.channel(f.channel),
            options = Channel.entries,
            optionText = CoreLabels::channel,
            onSelect = { c -> vm.editRecord("channel") { it.copy(channel = c) } },
            error = errors["channel"],
        )
        DateField(f.submittedOn, { v -> vm.editRecord("submitted_on") { it.copy(submittedOn = v) } }, "提交日期", errors["submitted_on"])
        OutlinedTextField(
            value = f.lookupPassword,
            onValueChange = { v -> vm.editRecord("lookup_password") { it.copy(lookupPassword = v) } },
            label = { Text("查询密码（选填）") },
            isError = errors["lookup_password"] != null,
            supportingText = {
                Text(errors["lookup_password"] ?: if (editor.id == null) "加密保存在证照夹中" else "不填则保留已保存的查询密码")
            },
            visualTransformation = PasswordVisualTransformation(),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password),
            modifier = Modifier.fillMaxWidth(),
        )
        FormButtons(
            saving = editor.saving,
            onSave = { vm.saveRecord() },
            onCancel = vm::cancelRecord,
            onRemove = null,
            removeQuestion = "",
        )
    }
    if (editor.needsUnlock && !unlockClosed) {
        VaultUnlockDialog(vault, onUnlocked = {
            unlockClosed = true
            vm.saveRecord()
        }, onDismiss = { unlockClosed = true })
    }
}

/**
 * The scans of the licence or material being edited, linked from the vault's documents. While the vault
 * is locked the core says so ([scansError]) and the owner unlocks here, then the list loads again.
 */
@Composable
private fun ScansSection(vm: DossierViewModel, vault: VaultViewModel, scans: List<DocumentInfo>, scansError: UiError?, single: Boolean) {
    val vs by vault.state.collectAsStateWithLifecycle()
    var unlocking by remember { mutableStateOf(false) }
    var picking by remember { mutableStateOf(false) }
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text("扫描件", style = MaterialTheme.typography.titleMedium)
            if (scansError != null) {
                Text(scansError.message, style = MaterialTheme.typography.bodySmall)
                OutlinedButton(onClick = { unlocking = true }) { Text("解锁证照夹") }
            } else {
                if (scans.isEmpty()) Text("尚未关联扫描件", style = MaterialTheme.typography.bodySmall)
                scans.forEach { d ->
                    Row(verticalAlignment = Alignment.CenterVertically) {
                        Text(d.name, Modifier.weight(1f))
                        TextButton(onClick = { vm.unlinkScan(d.id) }) { Text("取消关联") }
                    }
                }
                OutlinedButton(onClick = {
                    vault.refresh()
                    picking = true
                }) { Text(if (single && scans.isNotEmpty()) "更换扫描件" else "从证照夹关联") }
            }
        }
    }
    if (unlocking) {
        VaultUnlockDialog(vault, onUnlocked = {
            unlocking = false
            vm.reloadScans()
        }, onDismiss = { unlocking = false })
    }
    if (picking) {
        val linked = scans.mapTo(HashSet()) { it.id }
        AlertDialog(
            onDismissRequest = { picking = false },
            title = { Text("从证照夹选择") },
            text = {
                Column(Modifier.verticalScroll(rememberScrollState())) {
                    val status = vs.status
                    when {
                        status != null && !status.unlocked -> {
                            Text("证照夹已锁定。")
                            TextButton(onClick = {
                                picking = false
                                unlocking = true
                            }) { Text("解锁证照夹") }
                        }
                        vs.documents.none { it.id !in linked } -> Text("证照夹中没有可关联的文件。请先在“证照夹”页添加扫描件。")
                        else -> vs.documents.filter { it.id !in linked }.forEach { d ->
                            TextButton(onClick = {
                                vm.linkScan(d.id)
                                picking = false
                            }, modifier = Modifier.fillMaxWidth()) {
                                Column(Modifier.fillMaxWidth()) {
                                    Text(d.name)
                                    Text(shortTime(d.createdAt), style = MaterialTheme.typography.bodySmall)
                                }
                            }
                        }
                    }
                }
            },
            confirmButton = {},
            dismissButton = { TextButton(onClick = { picking = false }) { Text("取消") } },
        )
    }
}

/**
 * A record's page: what was applied for, its status history (the core's labels), a status change at a
 * picked or typed time, the 查询密码 (shown only after the vault opens, copied as sensitive, hidden again
 * when the page closes or the vault locks), edit and delete.
 */
@Composable
fun RecordPage(
    vm: DossierViewModel,
    vault: VaultViewModel,
    record: Record,
    lookupPassword: String?,
    error: UiError?,
    onClose: () -> Unit,
    modifier: Modifier = Modifier,
) {
    val context = LocalContext.current
    val vs by vault.state.collectAsStateWithLifecycle()
    val snackbar = remember { SnackbarHostState() }
    val scope = rememberCoroutineScope()
    val latest = record.history.lastOrNull()?.status ?: RecordStatus.SUBMITTED
    var status by remember(record.id, latest) { mutableStateOf(latest) }
    var at by remember(record.id) { mutableStateOf("") }
    var unlocking by remember { mutableStateOf(false) }
    var wantsPassword by remember(record.id) { mutableStateOf(false) }
    var confirmingRemove by remember { mutableStateOf(false) }
    BackHandler(onBack = onClose)
    // A new history entry means the change went through: the typed time is used up.
    LaunchedEffect(record.history.size) { at = "" }
    // The vault locked on its own (idle, or the app went to the background): ask, then show.
    LaunchedEffect(error) {
        if (error?.kind == UiError.Kind.VAULT_LOCKED && wantsPassword) {
            vm.clearError()
            unlocking = true
        }
    }
    LaunchedEffect(vs.status?.unlocked) {
        if (vs.status?.unlocked == false) vm.hideLookupPassword(record.id)
    }
    DisposableEffect(record.id) {
        onDispose { vm.hideLookupPassword(record.id) }
    }
    Box(modifier.fillMaxSize()) {
        Column(
            Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            TextButton(onClick = onClose) { Text("‹ 返回") }
            ErrorBanner(error, vm::clearError)
            Text(record.data.itemName, style = MaterialTheme.typography.titleLarge)
            Section("办理信息") {
                Fact("事项编码", record.data.itemCode)
                Fact("办理渠道", CoreLabels.channel(record.data.channel))
                Fact("提交日期", record.data.submittedOn)
            }
            Section("办理进度") {
                record.history.forEach { h ->
                    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        Text(shortTime(h.at), style = MaterialTheme.typography.bodySmall, modifier = Modifier.weight(0.45f))
                        Text(CoreLabels.recordStatus(h.status), modifier = Modifier.weight(0.55f))
                    }
                }
            }
            Section("更新进度") {
                Choice(
                    label = "新的状态",
                    current = CoreLabels.recordStatus(status),
                    options = RecordStatus.entries,
                    optionText = CoreLabels::recordStatus,
                    onSelect = { status = it },
                )
                DateTimeField(at, { at = it }, "时间（选填）", hint = "如 2026-12-08 14:30；不填为现在")
                Button(onClick = { vm.setRecordStatus(record.id, status, at.trim()) }) { Text("更新进度") }
            }
            Section("查询密码") {
                when {
                    lookupPassword == null -> OutlinedButton(onClick = {
                        wantsPassword = true
                        if (vs.status?.unlocked == true) vm.showLookupPassword(record.id) else unlocking = true
                    }) { Text("显示查询密码") }
                    lookupPassword.isEmpty() -> Text("这条记录没有保存查询密码。可在“编辑”中添加。")
                    else -> {
                        SecureWindow()
                        Text(lookupPassword, style = MaterialTheme.typography.titleLarge.copy(fontFamily = FontFamily.Monospace))
                        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                            Button(onClick = {
                                copySensitive(context.getSystemService(ClipboardManager::class.java), lookupPassword)
                                scope.launch { snackbar.showSnackbar("已复制查询密码") }
                            }) { Text("复制") }
                            OutlinedButton(onClick = {
                                wantsPassword = false
                                vm.hideLookupPassword(record.id)
                            }) { Text("隐藏") }
                        }
                    }
                }
            }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = { vm.startRecord(record.id) }) { Text("编辑") }
                TextButton(onClick = { confirmingRemove = true }) { Text("删除") }
            }
        }
        SnackbarHost(snackbar, Modifier.align(Alignment.BottomCenter))
    }
    if (unlocking) {
        VaultUnlockDialog(vault, onUnlocked = {
            unlocking = false
            vm.showLookupPassword(record.id)
        }, onDismiss = {
            unlocking = false
            wantsPassword = false
        })
    }
    if (confirmingRemove) {
        ConfirmRemove("删除这条办事记录？", onConfirm = {
            confirmingRemove = false
            vm.removeRecord(record.id)
            onClose()
        }, onDismiss = { confirmingRemove = false })
    }
}

/**
 * Copies a 查询密码 marked sensitive, so Android 13+ keeps it out of the clipboard preview (the flag is
 * an extra that older versions ignore).
 */
private fun copySensitive(clipboard: ClipboardManager?, text: String) {
    val clip = ClipData.newPlainText("查询密码", text)
    clip.description.extras = PersistableBundle().apply { putBoolean(ClipDescription.EXTRA_IS_SENSITIVE, true) }
    clipboard?.setPrimaryClip(clip)
}
