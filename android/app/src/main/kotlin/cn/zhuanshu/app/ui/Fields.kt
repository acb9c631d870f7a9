package cn.zhuanshu.app.ui

import android.view.WindowManager
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.ArrowDropDown
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.DatePicker
import androidx.compose.material3.DatePickerDialog
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TimePicker
import androidx.compose.material3.rememberDatePickerState
import androidx.compose.material3.rememberTimePickerState
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.model.VaultViewModel
import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import java.time.ZoneOffset
import java.time.format.DateTimeParseException
import java.util.Locale

// Form pieces shared by the dossier's item editors and the record page. The core reads and checks every
// typed value; these only help the owner type it (a picker writes the same text the owner could type).

/** The picker's day of a typed `YYYY-MM-DD`, as the DatePicker's UTC-midnight millis; null when unreadable. */
internal fun dateMillis(text: String): Long? = try {
    LocalDate.parse(text.trim().take(10)).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
} catch (e: DateTimeParseException) {
    null
}

/** The DatePicker's selection (UTC midnight) as the text the core reads, `YYYY-MM-DD`. */
internal fun dateText(millis: Long): String = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString()

/** The core's `2026-12-08T14:30:00` as the owner reads it: `2026-12-08 14:30`. */
internal fun shortTime(at: String): String = at.replace('T', ' ').take(16)

/**
 * A date typed as text (the core validates it and its message shows under the field), with a calendar
 * button that writes the text: large-text users and people who know the date can still just type it.
 */
@Composable
fun DateField(
    value: String,
    onValueChange: (String) -> Unit,
    label: String,
    error: String?,
    modifier: Modifier = Modifier,
    enabled: Boolean = true,
    hint: String? = null,
) {
    var picking by remember { mutableStateOf(false) }
    OutlinedTextField(
        value = value,
        onValueChange = onValueChange,
        label = { Text(label) },
        enabled = enabled,
        isError = error != null,
        supportingText = (error ?: hint)?.let { { Text(it) } },
        trailingIcon = {
            IconButton(onClick = { picking = true }, enabled = enabled) {
                Icon(Icons.Filled.DateRange, contentDescription = "选择日期")
            }
        },
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Ascii),
        modifier = modifier.fillMaxWidth(),
    )
    if (picking) {
        PickDate(initial = value, onPicked = { onValueChange(it); picking = false }, onDismiss = { picking = false })
    }
}

/**
 * A date and time typed as `YYYY-MM-DD HH:MM` (empty: now, the core's rule), or picked: the calendar,
 * then the clock.
 */
@Composable
fun DateTimeField(value: String, onValueChange: (String) -> Unit, label: String, hint: String?, modifier: Modifier = Modifier) {
    var pickingDate by remember { mutableStateOf(false) }
    var pickedDate by remember { mutableStateOf<String?>(null) }
    OutlinedTextField(
        value = value,
        onValueChange = onValueChange,
        label = { Text(label) },
        supportingText = hint?.let { { Text(it) } },
        trailingIcon = {
            IconButton(onClick = { pickingDate = true }) { Icon(Icons.Filled.DateRange, contentDescription = "选择日期和时间") }
        },
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Ascii),
        modifier = modifier.fillMaxWidth(),
    )
    if (pickingDate) {
        PickDate(initial = value, onPicked = { pickedDate = it; pickingDate = false }, onDismiss = { pickingDate = false })
    }
    pickedDate?.let { date ->
        val typed = try {
            LocalTime.parse(value.trim().drop(11).take(5))
        } catch (e: DateTimeParseException) {
            null
        }
        val now = typed ?: LocalTime.now()
        PickTime(
            initialHour = now.hour,
            initialMinute = now.minute,
            onPicked = { h, m ->
                onValueChange(String.format(Locale.ROOT, "%s %02d:%02d", date, h, m))
                pickedDate = null
            },
            onDismiss = { pickedDate = null },
        )
    }
}

/** Material 3's date picker dialog, starting on the typed day when it reads as one. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
private fun PickDate(initial: String, onPicked: (String) -> Unit, onDismiss: () -> Unit) {
    val state = rememberDatePickerState(initialSelectedDateMillis = dateMillis(initial))
    DatePickerDialog(
        onDismissRequest = onDismiss,
        confirmButton = {
            TextButton(onClick = { state.selectedDateMillis?.let { onPicked(dateText(it)) } ?: onDismiss() }) { Text("确定") }
        },
        dismissButton = { TextButton(onClick = onDismiss) { Text("取消") } },
    ) {
        DatePicker(state = state)
    }
}

/** Material 3 has no time picker dialog in this version: the clock in an AlertDialog. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
private fun PickTime(initialHour: Int, initialMinute: Int, onPicked: (Int, Int) -> Unit, onDismiss: () -> Unit) {
    val state = rememberTimePickerState(initialHour = initialHour, initialMinute = initialMinute, is24Hour = true)
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text("选择时间") },
        text = { TimePicker(state = state) },
        confirmButton = { TextButton(onClick = { onPicked(state.hour, state.minute) }) { Text("确定") } },
        dismissButton = { TextButton(onClick = onDismiss) { Text("取消") } },
    )
}

/**
 * One value of a closed list (the core's catalog or labels): a button showing [current] that opens the
 * list. A menu rather than chips, because catalogs are long and labels grow with the font size.
 */
@Composable
fun <T> Choice(
    label: String,
    current: String,
    options: List<T>,
    optionText: (T) -> String,
    onSelect: (T) -> Unit,
    error: String? = null,
    modifier: Modifier = Modifier,
) {
    var expanded by remember { mutableStateOf(false) }
    Column(modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(2.dp)) {
        Text(label, style = MaterialTheme.typography.labelLarge)
        Box {
            OutlinedButton(onClick = { expanded = true }, modifier = Modifier.fillMaxWidth()) {
                Text(current, Modifier.weight(1f))
                Icon(Icons.Filled.ArrowDropDown, contentDescription = null)
            }
            DropdownMenu(expanded = expanded, onDismissRequest = { expanded = false }) {
                options.forEach { option ->
                    DropdownMenuItem(
                        text = { Text(optionText(option)) },
                        onClick = {
                            onSelect(option)
                            expanded = false
                        },
                    )
                }
            }
        }
        error?.let { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall) }
    }
}

/**
 * Asks for the vault before an action that needs it (a 查询密码 saved or shown, scans listed): the
 * platform key (biometric or screen lock) or the PIN, through the vault's own view model. [onUnlocked]
 * runs once the vault turns from locked to unlocked; a status that already says unlocked (the core may
 * have auto-locked since) is only trusted after the owner confirms, so a stale status cannot loop.
 */
@Composable
fun VaultUnlockDialog(vault: VaultViewModel, onUnlocked: () -> Unit, onDismiss: () -> Unit) {
    val vs by vault.state.collectAsStateWithLifecycle()
    var pin by remember { mutableStateOf("") }
    var sawLocked by remember { mutableStateOf(false) }
    LaunchedEffect(Unit) { vault.refresh() }
    val status = vs.status
    val unlocked = status?.unlocked
    LaunchedEffect(unlocked) {
        if (unlocked == false) sawLocked = true
        if (unlocked == true && sawLocked) onUnlocked()
    }
    AlertDialog(
        onDismissRequest = {
            vault.clearError()
            onDismiss()
        },
        title = { Text("解锁证照夹") },
        text = {
            Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                when {
                    status == null -> Text("正在读取证照夹…")
                    !status.setUp -> Text("证照夹尚未设置。请先在“证照夹”页设置PIN码，再回来操作。")
                    status.unlocked && !sawLocked -> Text("证照夹已解锁。")
                    else -> {
                        Text("查询密码和扫描件加密保存在证照夹中，需要先解锁。")
                        if (vs.needsPin || !status.hasKeyProvider) {
                            OutlinedTextField(
                                value = pin,
                                onValueChange = { pin = it },
                                label = { Text("PIN码") },
                                visualTransformation = PasswordVisualTransformation(),
                                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
                                modifier = Modifier.fillMaxWidth(),
                            )
                        }
                    }
                }
                vs.error?.let { Text(it.message, color = MaterialTheme.colorScheme.error) }
            }
        },
        confirmButton = {
            when {
                status == null || !status.setUp -> Unit
                status.unlocked && !sawLocked -> Button(onClick = onUnlocked) { Text("继续") }
                vs.needsPin || !status.hasKeyProvider -> Button(onClick = {
                    vault.unlockWithPin(pin)
                    pin = ""
                }) { Text("用PIN码解锁") }
                else -> Button(onClick = vault::unlock) { Text("解锁") }
            }
        },
        dismissButton = {
            TextButton(onClick = {
                vault.clearError()
                onDismiss()
            }) { Text("取消") }
        },
    )
}

/** While shown, the window is FLAG_SECURE: a revealed 查询密码 stays out of screenshots and recents. */
@Composable
fun SecureWindow() {
    val context = LocalContext.current
    DisposableEffect(context) {
        val window = context.findActivity()?.window
        window?.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
        onDispose { window?.clearFlags(WindowManager.LayoutParams.FLAG_SECURE) }
    }
}
