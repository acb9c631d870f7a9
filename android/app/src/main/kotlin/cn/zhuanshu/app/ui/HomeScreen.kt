package cn.zhuanshu.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Snackbar
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalUriHandler
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.model.ContentViewModel
import cn.zhuanshu.model.HomeViewModel
import cn.zhuanshu.model.Notice
import uniffi.zhuanshu.Action
import uniffi.zhuanshu.Dynamic

/** 首页's shortcuts: what an owner comes to do most, each one tap away (the shell carries them out). */
enum class QuickAction(val label: String) {
    ADD_LICENCE("添加证照"),
    ADD_RECORD("添加办事记录"),
    POLICIES("查政策"),
    ASK("问客服"),
}

/**
 * 首页: the quick actions, today's items of the current company, with done / snooze / dismiss and undo;
 * 内容更新 at the end.
 */
@Composable
fun HomeScreen(
    vm: HomeViewModel,
    content: ContentViewModel,
    modifier: Modifier = Modifier,
    onAction: (Action) -> Unit,
    onAddCompany: () -> Unit,
    onQuick: (QuickAction) -> Unit,
) {
    val s by vm.state.collectAsStateWithLifecycle()
    var snoozing by remember { mutableStateOf<Dynamic?>(null) }
    val uri = LocalUriHandler.current
    Column(modifier.fillMaxSize()) {
        if (s.loading) LinearProgressIndicator(Modifier.fillMaxWidth())
        ErrorBanner(s.error, vm::clearError)
        if (s.noCompany) {
            Card(Modifier.fillMaxWidth().padding(16.dp)) {
                Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Text("还没有企业档案", style = MaterialTheme.typography.titleMedium)
                    Text("添加您的企业，专属会按它的证照、税种和经营情况提醒您办事期限。")
                    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        Button(onClick = onAddCompany) { Text("添加企业") }
                        OutlinedButton(onClick = vm::loadDemo) { Text("载入示例企业") }
                    }
                }
            }
            ContentCard(content)
            return@Column
        }
        s.company?.let { Text(it.company.name, style = MaterialTheme.typography.titleLarge, modifier = Modifier.padding(16.dp)) }
        LazyColumn(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            item(key = "quick") { QuickActions(onQuick) }
            if (s.items.isEmpty() && !s.loading) {
                item { Text("近期没有需要办理的事项", Modifier.padding(16.dp)) }
            }
            items(s.items, key = { it.id }) { item ->
                DynamicCard(
                    item,
                    onDone = { vm.markDone(item) },
                    onSnooze = { snoozing = item },
                    onDismiss = { vm.dismiss(item) },
                    onOpen = item.action?.let { a ->
                        {
                            if (a is Action.Website) uri.openUri(a.url) else onAction(a)
                        }
                    },
                )
            }
            if (s.predicted.isNotEmpty()) {
                item { Text("您可能想问", style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(16.dp, 8.dp)) }
                items(s.predicted, key = { "faq:" + it.id }) { p ->
                    TextButton(onClick = { onAction(Action.Faq(p.id)) }, modifier = Modifier.padding(horizontal = 8.dp)) {
                        Column {
                            Text(p.question)
                            Text(p.reason, style = MaterialTheme.typography.bodySmall)
                        }
                    }
                }
            }
            item(key = "content") { ContentCard(content) }
        }
        s.notice?.let { notice ->
            Snackbar(
                modifier = Modifier.padding(8.dp),
                action = if (notice.kind != Notice.Kind.RESTORED) {
                    { TextButton(onClick = vm::undo) { Text("撤销") } }
                } else {
                    null
                },
                dismissAction = { TextButton(onClick = vm::clearNotice) { Text("关闭") } },
            ) {
                Text(
                    when (notice.kind) {
                        Notice.Kind.DONE -> "已完成：${notice.title}"
                        Notice.Kind.DISMISSED -> "已忽略：${notice.title}"
                        Notice.Kind.SNOOZED -> "将于${notice.until}再提醒：${notice.title}"
                        Notice.Kind.RESTORED -> "已恢复：${notice.title}"
                    },
                )
            }
        }
    }
    snoozing?.let { item ->
        AlertDialog(
            onDismissRequest = { snoozing = null },
            title = { Text("稍后提醒") },
            text = {
                Column {
                    s.snoozeChoices.forEach { c ->
                        TextButton(onClick = {
                            vm.snooze(item, c.until)
                            snoozing = null
                        }) { Text("${c.label}  ${c.until}") }
                    }
                }
            },
            confirmButton = {},
            dismissButton = { TextButton(onClick = { snoozing = null }) { Text("取消") } },
        )
    }
}

@Composable
private fun DynamicCard(item: Dynamic, onDone: () -> Unit, onSnooze: () -> Unit, onDismiss: () -> Unit, onOpen: (() -> Unit)?) {
    Card(Modifier.fillMaxWidth().padding(horizontal = 16.dp)) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(severityLabel(item.severity), color = severityColor(item.severity), style = MaterialTheme.typography.labelLarge)
                Text(daysText(item.daysLeft), style = MaterialTheme.typography.labelLarge)
            }
            Text(item.title, style = MaterialTheme.typography.titleMedium)
            if (item.detail.isNotEmpty()) Text(item.detail, style = MaterialTheme.typography.bodyMedium)
            Text(
                "截止 ${item.due}" + (if (item.daysLeft > 0) " · 还有${item.workdaysLeft}个工作日" else "") +
                    (if (item.estimated) " · 按预估日历" else ""),
                style = MaterialTheme.typography.bodySmall,
            )
            Row(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                if (onOpen != null) OutlinedButton(onClick = onOpen) { Text("去办理") }
                Button(onClick = onDone) { Text("已办") }
                OutlinedButton(onClick = onSnooze) { Text("稍后") }
                TextButton(onClick = onDismiss) { Text("忽略") }
            }
        }
    }
}

/** Two by two, so each button keeps its whole label at large font sizes (a row of four would cut them). */
@Composable
private fun QuickActions(onQuick: (QuickAction) -> Unit) {
    Column(Modifier.fillMaxWidth().padding(horizontal = 16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        QuickAction.entries.chunked(2).forEach { pair ->
            Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                pair.forEach { q ->
                    OutlinedButton(onClick = { onQuick(q) }, modifier = Modifier.weight(1f)) { Text(q.label) }
                }
            }
        }
    }
}
