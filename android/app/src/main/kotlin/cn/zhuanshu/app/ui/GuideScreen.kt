package cn.zhuanshu.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.model.GuideSession
import cn.zhuanshu.model.GuideViewModel
import uniffi.zhuanshu.Form
import uniffi.zhuanshu.MaterialStatus

/** 办事: scenario bundles and the life tree; the question loop; the plan with materials checked. */
@Composable
fun GuideScreen(vm: GuideViewModel, modifier: Modifier = Modifier) {
    val s by vm.state.collectAsStateWithLifecycle()
    Column(modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        ErrorBanner(s.error, vm::clearError)
        val form = s.form
        val session = s.session
        when {
            form != null -> FormView(form, onClose = vm::closeForm)
            session != null -> SessionView(session, vm)
            else -> {
                Text("一件事办理", style = MaterialTheme.typography.titleMedium)
                s.bundles.forEach { b ->
                    Card(Modifier.fillMaxWidth().clickable { vm.start(b.code) }) {
                        Column(Modifier.padding(12.dp)) {
                            Text(b.name, style = MaterialTheme.typography.titleSmall)
                            Text("${b.description} · ${b.items}项", style = MaterialTheme.typography.bodySmall)
                        }
                    }
                }
                Text("按主题", style = MaterialTheme.typography.titleMedium)
                s.tree.forEach { node ->
                    Text(node.theme.name, style = MaterialTheme.typography.titleSmall)
                    node.items.forEach { item ->
                        TextButton(onClick = { vm.start(item.code) }) { Text("${item.name} · ${item.department}") }
                    }
                }
            }
        }
    }
}

@Composable
private fun SessionView(session: GuideSession, vm: GuideViewModel) {
    TextButton(onClick = vm::back) { Text("‹ 上一步") }
    val plan = session.plan
    if (plan == null) {
        session.questions.forEach { q ->
            q.itemName?.let { Text(it, style = MaterialTheme.typography.labelMedium) }
            Text(q.text, style = MaterialTheme.typography.titleMedium)
            q.options.forEach { o -> OutlinedButton(onClick = { vm.answer(q.key, o.value) }, modifier = Modifier.fillMaxWidth()) { Text(o.label) } }
        }
        return
    }
    Text(plan.name, style = MaterialTheme.typography.titleLarge)
    plan.items.forEach { item ->
        Card(Modifier.fillMaxWidth()) {
            Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(item.name, style = MaterialTheme.typography.titleMedium)
                Text("${item.department} · ${item.timeLimit}", style = MaterialTheme.typography.bodySmall)
                item.materials.forEach { m ->
                    Text("${statusLabel(m.status)} ${m.name}" + (if (m.detail.isNotEmpty()) "：${m.detail}" else ""), color = statusColor(m.status))
                }
                item.steps.forEachIndexed { i, step -> Text("${i + 1}. $step", style = MaterialTheme.typography.bodySmall) }
                TextButton(onClick = { vm.prefill(item.code) }) { Text("预填申请表") }
            }
        }
    }
    OutlinedButton(onClick = vm::close) { Text("完成") }
}

@Composable
private fun FormView(form: Form, onClose: () -> Unit) {
    TextButton(onClick = onClose) { Text("‹ 返回") }
    Text(form.itemName, style = MaterialTheme.typography.titleLarge)
    form.fields.forEach { f ->
        Text(f.field, style = MaterialTheme.typography.labelMedium)
        Text(f.value ?: (f.message ?: "待填写"))
    }
}

private fun statusLabel(s: MaterialStatus) = when (s) {
    MaterialStatus.REUSE -> "✓ 可复用"
    MaterialStatus.RENEW -> "⟳ 需更新"
    MaterialStatus.MISSING -> "✗ 缺少"
    MaterialStatus.PREPARE -> "· 需准备"
}

private fun statusColor(s: MaterialStatus) = when (s) {
    MaterialStatus.REUSE -> Color(0xFF188038)
    MaterialStatus.RENEW -> Color(0xFFE8710A)
    MaterialStatus.MISSING -> Color(0xFFB3261E)
    MaterialStatus.PREPARE -> Color.Unspecified
}
