package cn.zhuanshu.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.model.ContentSync
import cn.zhuanshu.model.ContentViewModel

/**
 * 内容更新: the content version in force (policies, FAQ, guide, holiday calendar) and 立即更新. The core
 * verifies the signed feed; a refused sync keeps the content, and the card says why in the core's words.
 */
@Composable
fun ContentCard(vm: ContentViewModel, modifier: Modifier = Modifier) {
    val s by vm.state.collectAsStateWithLifecycle()
    Card(modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 8.dp)) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text("内容更新", style = MaterialTheme.typography.titleMedium)
            Text("政策、问答、办事指南和节假日日历由发布方签名后更新；验证不通过时，现有内容保持不变。", style = MaterialTheme.typography.bodySmall)
            s.status?.let { status ->
                Text(
                    "当前版本：" + if (status.version == 0UL) "内置内容（第 0 版）" else "第 ${status.version} 版",
                    style = MaterialTheme.typography.bodyMedium,
                )
                Text("上次检查：" + (status.checkedAt?.let(::minutes) ?: "尚未检查"), style = MaterialTheme.typography.bodySmall)
                status.expires?.let { Text("有效期至：${minutes(it)}", style = MaterialTheme.typography.bodySmall) }
                ContentSync.freshness(status)?.let {
                    Text(it, style = MaterialTheme.typography.bodySmall, color = if (status.fresh) Color.Unspecified else MaterialTheme.colorScheme.error)
                }
                status.problem?.let { Text(it, color = MaterialTheme.colorScheme.error) }
                if (status.expired) {
                    Text("内容已过期：发布方尚未发布新版本。现有内容仍可使用，但可能不是最新的。", color = MaterialTheme.colorScheme.error)
                }
            }
            s.message?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
            s.error?.let { Text(it.message, color = MaterialTheme.colorScheme.error) }
            OutlinedButton(onClick = vm::sync, enabled = !s.syncing) {
                Text(if (s.syncing) "正在检查更新…" else "立即更新")
            }
        }
    }
}

/** `2026-11-22T09:00:00` as `2026-11-22 09:00`. */
private fun minutes(at: String): String = at.replace('T', ' ').take(16)
