package cn.zhuanshu.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Card
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.model.AnswerView
import cn.zhuanshu.model.AssistantViewModel

private val HIGHLIGHT = Color(0x66FFD54F)

/** 客服: search as you type with the core's suggestions and highlights; answers with related questions. */
@Composable
fun AssistantScreen(vm: AssistantViewModel, modifier: Modifier = Modifier) {
    val s by vm.state.collectAsStateWithLifecycle()
    s.open?.let {
        Answer(it, modifier, onOpen = vm::open, onClose = vm::close)
        return
    }
    Column(modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(
            value = s.query,
            onValueChange = vm::onQueryChange,
            label = { Text("问问专属客服，如“营业执照丢了怎么办”") },
            singleLine = true,
            keyboardOptions = KeyboardOptions(imeAction = ImeAction.Search),
            keyboardActions = KeyboardActions(onSearch = { vm.submit() }),
            modifier = Modifier.fillMaxWidth(),
        )
        if (s.searching) LinearProgressIndicator(Modifier.fillMaxWidth())
        ErrorBanner(s.error, vm::clearError)
        LazyColumn(verticalArrangement = Arrangement.spacedBy(8.dp)) {
            if (s.query.isBlank()) {
                if (s.predicted.isNotEmpty()) item { Text("您可能想问", style = MaterialTheme.typography.titleMedium) }
                items(s.predicted, key = { "p:" + it.id }) { p ->
                    Column(Modifier.fillMaxWidth().clickable { vm.open(p.id) }.padding(vertical = 8.dp)) {
                        Text(p.question)
                        Text(p.reason, style = MaterialTheme.typography.bodySmall)
                    }
                }
            } else {
                items(s.suggestions.filter { sug -> s.hits.none { it.id == sug.id } }, key = { "s:" + it.id }) { sug ->
                    TextButton(onClick = { vm.open(sug.id) }) { Text(sug.question) }
                }
                items(s.hits, key = { "h:" + it.id }) { hit ->
                    Card(Modifier.fillMaxWidth().clickable { vm.open(hit.id) }) {
                        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                            Text(runs(hit.question, HIGHLIGHT), style = MaterialTheme.typography.titleSmall)
                            Text(runs(hit.answer, HIGHLIGHT), style = MaterialTheme.typography.bodySmall, maxLines = 3)
                            Text(hit.hit.theme, style = MaterialTheme.typography.labelSmall)
                        }
                    }
                }
                if (!s.searching && s.hits.isEmpty()) item { Text("没有找到相关问题，换个说法试试") }
            }
        }
    }
}

@Composable
private fun Answer(answer: AnswerView, modifier: Modifier, onOpen: (String) -> Unit, onClose: () -> Unit) {
    Column(modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        TextButton(onClick = onClose) { Text("‹ 返回") }
        Text(answer.entry.question, style = MaterialTheme.typography.titleLarge)
        Text(answer.entry.answer.replace("**", ""))
        Text("更新于 ${answer.entry.updated}", style = MaterialTheme.typography.labelSmall)
        if (answer.related.isNotEmpty()) {
            Text("相关问题", style = MaterialTheme.typography.titleMedium)
            answer.related.forEach { r -> TextButton(onClick = { onOpen(r.id) }) { Text(r.question) } }
        }
    }
}
