package cn.zhuanshu.app.ui

import android.content.Context
import android.content.Intent
import android.net.Uri
import android.provider.OpenableColumns
import android.view.WindowManager
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
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
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.DialogProperties
import androidx.compose.ui.window.SecureFlagPolicy
import androidx.core.content.FileProvider
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.model.VaultViewModel
import java.io.File
import uniffi.zhuanshu.PackageSummary

/**
 * 证照夹: setup (PIN + Android Keystore key), unlock with the platform key (biometric or screen lock), the
 * PIN or the recovery key, documents, and a package signed with the company's seal handed to the share
 * sheet. While it is shown the window is FLAG_SECURE: no screenshots, screen recording or recents
 * thumbnail of documents or the recovery key.
 */
@Composable
fun VaultScreen(vm: VaultViewModel, currentUscc: String?, modifier: Modifier = Modifier) {
    val s by vm.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    var pin by remember { mutableStateOf("") }
    var recoveryKey by remember { mutableStateOf("") }
    var newPin by remember { mutableStateOf("") }
    var selected by remember { mutableStateOf(setOf<String>()) }
    val pick = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        if (uri != null) readDocument(context, uri)?.let { (name, type, bytes) -> vm.add(name, type, bytes) }
    }
    DisposableEffect(context) {
        val window = context.findActivity()?.window
        window?.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
        onDispose { window?.clearFlags(WindowManager.LayoutParams.FLAG_SECURE) }
    }
    LaunchedEffect(s.shared) {
        s.shared?.let {
            share(context, it)
            vm.sharedDone()
        }
    }
    Column(modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        ErrorBanner(s.error, vm::clearError)
        val status = s.status ?: return@Column
        when {
            !status.setUp || s.needsPin || !status.unlocked -> {
                Text(if (status.setUp) "证照夹已锁定" else "设置证照夹", style = MaterialTheme.typography.titleLarge)
                Text(if (status.setUp) "输入PIN码解锁。" else "设置6位以上PIN码。证照以加密方式保存在本机，并使用本机安全芯片中的密钥。")
                if (!status.setUp || s.needsPin || !status.hasKeyProvider) {
                    OutlinedTextField(
                        value = pin,
                        onValueChange = { pin = it },
                        label = { Text("PIN码") },
                        visualTransformation = PasswordVisualTransformation(),
                        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
                        modifier = Modifier.fillMaxWidth(),
                    )
                }
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    if (!status.setUp) {
                        Button(onClick = { vm.setUp(pin); pin = "" }) { Text("设置") }
                    } else {
                        if (!s.needsPin && status.hasKeyProvider) Button(onClick = vm::unlock) { Text("解锁") }
                        if (s.needsPin || !status.hasKeyProvider) Button(onClick = { vm.unlockWithPin(pin); pin = "" }) { Text("用PIN码解锁") }
                    }
                }
                if (status.setUp && (s.needsPin || !status.hasKeyProvider)) {
                    // Forgotten PIN, or a PIN bound to another phone (the core's message says so).
                    Text("忘记PIN码或换了手机：用抄下的恢复密钥解锁，并设置新的PIN码。", style = MaterialTheme.typography.bodySmall)
                    OutlinedTextField(
                        value = recoveryKey,
                        onValueChange = { recoveryKey = it },
                        label = { Text("恢复密钥") },
                        modifier = Modifier.fillMaxWidth(),
                    )
                    OutlinedTextField(
                        value = newPin,
                        onValueChange = { newPin = it },
                        label = { Text("新PIN码") },
                        visualTransformation = PasswordVisualTransformation(),
                        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
                        modifier = Modifier.fillMaxWidth(),
                    )
                    OutlinedButton(onClick = { vm.recover(recoveryKey, newPin); recoveryKey = ""; newPin = "" }) { Text("用恢复密钥解锁") }
                }
            }
            else -> {
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = {
                        // The system's picker is another app: leaving for it must not lock the vault.
                        vm.pickingDocument()
                        pick.launch(arrayOf("image/*", "application/pdf"))
                    }) { Text("添加证照") }
                    OutlinedButton(onClick = vm::lock) { Text("锁定") }
                }
                s.documents.forEach { d ->
                    Card(Modifier.fillMaxWidth()) {
                        Row(Modifier.padding(8.dp), verticalAlignment = Alignment.CenterVertically) {
                            Checkbox(checked = d.id in selected, onCheckedChange = { on -> selected = if (on) selected + d.id else selected - d.id })
                            Column(Modifier.weight(1f)) {
                                Text(d.name)
                                Text("${d.size / 1024u} KB · ${d.createdAt}", style = MaterialTheme.typography.bodySmall)
                            }
                            TextButton(onClick = { vm.remove(d.id) }) { Text("删除") }
                        }
                    }
                }
                if (currentUscc != null && selected.isNotEmpty()) {
                    Button(onClick = {
                        val out = File(File(context.cacheDir, "packages"), "材料包-${System.currentTimeMillis()}.zip")
                        out.parentFile?.mkdirs()
                        vm.signPackage(currentUscc, selected.toList(), out.path)
                    }) { Text("加盖企业电子印章并分享") }
                }
            }
        }
    }
    s.recoveryKey?.let { key ->
        AlertDialog(
            onDismissRequest = {},
            title = { Text("请抄下恢复密钥") },
            text = { Text("忘记PIN码或更换手机时，只能用它恢复证照夹。它只显示这一次。\n\n$key") },
            confirmButton = { TextButton(onClick = vm::recoveryKeyNoted) { Text("我已抄下") } },
            // A dialog is a window of its own: secure too, so the key is in no screenshot.
            properties = DialogProperties(securePolicy = SecureFlagPolicy.SecureOn),
        )
    }
}

/** The picked file's name, type and bytes (scans are small; large files would go through `addFile`). */
private fun readDocument(context: Context, uri: Uri): Triple<String, String, ByteArray>? {
    val resolver = context.contentResolver
    val name = resolver.query(uri, arrayOf(OpenableColumns.DISPLAY_NAME), null, null, null)?.use { c ->
        if (c.moveToFirst()) c.getString(0) else null
    } ?: "证照"
    val type = resolver.getType(uri) ?: "application/octet-stream"
    val bytes = resolver.openInputStream(uri)?.use { it.readBytes() } ?: return null
    return Triple(name, type, bytes)
}

/** The signed package (one ZIP file: documents, manifest, signature) to the share sheet. */
private fun share(context: Context, pkg: PackageSummary) {
    val path = pkg.path ?: return
    val uri = FileProvider.getUriForFile(context, context.packageName + ".files", File(path))
    val send = Intent(Intent.ACTION_SEND)
        .setType("application/zip")
        .putExtra(Intent.EXTRA_STREAM, uri)
        .putExtra(Intent.EXTRA_SUBJECT, "${pkg.signer.name} 加盖电子印章的材料")
        .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
    context.startActivity(Intent.createChooser(send, "分享材料包"))
}
