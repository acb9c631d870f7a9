package cn.zhuanshu.app.ui

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.LazyListScope
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.model.CoreLabels
import cn.zhuanshu.model.PoliciesViewModel
import cn.zhuanshu.model.PolicyDetail
import cn.zhuanshu.model.SavedPolicy
import uniffi.zhuanshu.ConditionResult
import uniffi.zhuanshu.MaterialKind
import uniffi.zhuanshu.Truth
import uniffi.zhuanshu.Verdict
import uniffi.zhuanshu_ffi.CheckupView
import uniffi.zhuanshu_ffi.PolicyCheckView

/**
 * 政策: the current company's checkup as the core judges and ranks it — the counts, then 符合条件,
 * 差一点 (with what is still missing), 收藏 and 暂不符合, each policy opening its page. Verdicts, condition
 * lines and status words are the core's; this screen only lays them out. Without a company it points to
 * the dossier ([onAddCompany]); a policy's 办事 service opens in 办事 ([onOpenService], by item code).
 */
@Composable
fun PoliciesScreen(
    vm: PoliciesViewModel,
    materialKinds: List<MaterialKind>,
    modifier: Modifier = Modifier,
    onAddCompany: () -> Unit,
    onOpenService: (String) -> Unit,
) {
    val s by vm.state.collectAsStateWithLifecycle()
    s.detail?.let { d ->
        PolicyPage(vm, d, s.isSaved(d.check.policy.id), materialKinds, modifier, onOpenService)
        return
    }
    Column(modifier.fillMaxSize()) {
        if (s.loading || s.opening != null) LinearProgressIndicator(Modifier.fillMaxWidth())
        ErrorBanner(s.error, vm::clearError)
        if (s.noCompany) {
            Card(Modifier.fillMaxWidth().padding(16.dp)) {
                Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Text("还没有企业档案", style = MaterialTheme.typography.titleMedium)
                    Text("添加您的企业后，专属会按档案逐条核对政策条件，告诉您能享受哪些政策、还差什么。")
                    Button(onClick = onAddCompany) { Text("去添加企业") }
                }
            }
            return@Column
        }
        LazyColumn(
            Modifier.weight(1f),
            contentPadding = PaddingValues(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            s.checkup?.let { c -> item(key = "summary") { Summary(c, s.company?.company?.name) } }
            if (s.checkup != null) {
                section("eligible", Verdict.ELIGIBLE, s.eligible, s.savedIds, vm)
                section("near", Verdict.NEAR_MISS, s.nearMisses, s.savedIds, vm)
            }
            if (s.saved.isNotEmpty()) {
                item(key = "saved-title") { Text("★ 收藏", style = MaterialTheme.typography.titleMedium) }
                items(s.saved, key = { "saved:" + it.id }) { saved -> SavedRow(saved, onOpen = { vm.open(saved.id) }) }
            }
            if (s.checkup != null) section("not", Verdict.NOT_ELIGIBLE, s.notEligible, s.savedIds, vm)
        }
    }
}

/** One verdict's section: its title is the core's label for the verdict, with the count beside it. */
private fun LazyListScope.section(key: String, verdict: Verdict, checks: List<PolicyCheckView>, saved: Set<String>, vm: PoliciesViewModel) {
    item(key = "$key-title") {
        Text("${CoreLabels.verdict(verdict)}（${checks.size}）", style = MaterialTheme.typography.titleMedium)
    }
    if (checks.isEmpty()) {
        item(key = "$key-empty") { Text("暂无", style = MaterialTheme.typography.bodySmall) }
    }
    items(checks, key = { "$key:" + it.policy.id }) { check ->
        PolicyCard(
            check,
            saved = check.policy.id in saved,
            onOpen = { vm.open(check.policy.id) },
            onToggleSave = { vm.toggleSave(check.policy.id) },
        )
    }
}

/** The checkup's counts, each under the core's verdict label. */
@Composable
private fun Summary(c: CheckupView, companyName: String?) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text("政策体检", style = MaterialTheme.typography.titleLarge)
            Text(listOfNotNull(companyName, c.today).joinToString(" · "), style = MaterialTheme.typography.bodySmall)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Count(c.eligible.toString(), CoreLabels.verdict(Verdict.ELIGIBLE), Modifier.weight(1f))
                Count(c.nearMiss.toString(), CoreLabels.verdict(Verdict.NEAR_MISS), Modifier.weight(1f))
                Count(c.notEligible.toString(), CoreLabels.verdict(Verdict.NOT_ELIGIBLE), Modifier.weight(1f))
            }
        }
    }
}

@Composable
private fun Count(number: String, label: String, modifier: Modifier) {
    Column(modifier, horizontalAlignment = Alignment.CenterHorizontally) {
        Text(number, style = MaterialTheme.typography.headlineMedium)
        Text(label, style = MaterialTheme.typography.bodyMedium)
    }
}

/** The star: its words say what it is now, so it reads without colour or icon. */
@Composable
private fun SaveToggle(saved: Boolean, onToggle: () -> Unit) {
    TextButton(onClick = onToggle) { Text(if (saved) "★ 已收藏" else "☆ 收藏") }
}

/** 免申即享: the core says the company qualifies and need not apply ([PolicyCheckView.noApplicationNeeded]). */
@Composable
private fun NoApplicationBadge() {
    Surface(color = MaterialTheme.colorScheme.tertiaryContainer, shape = MaterialTheme.shapes.small) {
        Text(
            "免申即享",
            style = MaterialTheme.typography.labelLarge,
            color = MaterialTheme.colorScheme.onTertiaryContainer,
            modifier = Modifier.padding(horizontal = 8.dp, vertical = 2.dp),
        )
    }
}

/** A condition's line as the core words it (it ends in ✓, ✗ or ？), coloured by the core's truth. */
@Composable
private fun ConditionLine(c: ConditionResult, withMissing: Boolean) {
    Column {
        Text(c.line, color = truthColor(c.truth), style = MaterialTheme.typography.bodyMedium)
        if (withMissing) c.missing?.let { Text("→ $it", style = MaterialTheme.typography.bodySmall) }
        if (!c.met && c.alternatives.isNotEmpty()) {
            Text(c.alternatives.joinToString("；"), style = MaterialTheme.typography.bodySmall)
        }
    }
}

@Composable
private fun truthColor(t: Truth): Color = when (t) {
    Truth.MET -> MaterialTheme.colorScheme.primary
    Truth.UNMET -> MaterialTheme.colorScheme.error
    Truth.UNKNOWN -> MaterialTheme.colorScheme.onSurfaceVariant
}

/**
 * A policy in the checkup: title, the core's status words, 免申即享, one line per condition; a near miss
 * also lists what is still missing (the core's `missing`, one line per unmet condition).
 */
@Composable
private fun PolicyCard(check: PolicyCheckView, saved: Boolean, onOpen: () -> Unit, onToggleSave: () -> Unit) {
    val p = check.policy
    Card(Modifier.fillMaxWidth().clickable(role = Role.Button, onClick = onOpen)) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Row(verticalAlignment = Alignment.Top) {
                Column(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                    Text(p.title, style = MaterialTheme.typography.titleMedium)
                    Text(check.statusLabel, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
                    if (check.noApplicationNeeded) NoApplicationBadge()
                }
                SaveToggle(saved, onToggleSave)
            }
            if (p.benefit.description.isNotBlank()) Text(p.benefit.description, style = MaterialTheme.typography.bodyMedium)
            check.conditions.forEach { ConditionLine(it, withMissing = false) }
            if (check.verdict == Verdict.NEAR_MISS && check.missing.isNotEmpty()) {
                Text("还差：", style = MaterialTheme.typography.labelLarge)
                check.missing.forEach { Text("• $it", style = MaterialTheme.typography.bodyMedium) }
            }
            Text("查看详情 ›", style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
        }
    }
}

/** A saved policy; one the catalog withdrew is still listed by its id, so it can be opened or found. */
@Composable
private fun SavedRow(saved: SavedPolicy, onOpen: () -> Unit) {
    Card(Modifier.fillMaxWidth().clickable(role = Role.Button, onClick = onOpen)) {
        Column(Modifier.padding(16.dp)) {
            Text(saved.check?.policy?.title ?: saved.id, style = MaterialTheme.typography.bodyLarge)
            saved.check?.let { Text(it.statusLabel, style = MaterialTheme.typography.bodySmall) }
        }
    }
}

/**
 * A policy's page, as the core's `Policy` record carries it: summary, benefit, window, issuer, source
 * document, publication date, the required materials (named by the core's material catalog), every
 * condition with what is missing and the other ways to qualify, and the 办事 services that carry it out.
 */
@Composable
private fun PolicyPage(
    vm: PoliciesViewModel,
    d: PolicyDetail,
    saved: Boolean,
    materialKinds: List<MaterialKind>,
    modifier: Modifier,
    onOpenService: (String) -> Unit,
) {
    val check = d.check
    val p = check.policy
    BackHandler(onBack = vm::close)
    Column(
        modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Row(verticalAlignment = Alignment.CenterVertically) {
            TextButton(onClick = vm::close) { Text("‹ 返回") }
            Spacer(Modifier.weight(1f))
            SaveToggle(saved) { vm.toggleSave(p.id) }
        }
        Text(p.title, style = MaterialTheme.typography.titleLarge)
        Text(
            "${CoreLabels.verdict(check.verdict)} · ${check.statusLabel}",
            style = MaterialTheme.typography.labelLarge,
            color = MaterialTheme.colorScheme.primary,
        )
        if (check.noApplicationNeeded) NoApplicationBadge()
        if (p.summary.isNotBlank()) Text(p.summary)
        Section("政策信息") {
            if (p.benefit.description.isNotBlank()) Fact("扶持内容", p.benefit.description)
            Fact("申报时间", p.window?.let { "${it.opens} 至 ${it.closes}" } ?: check.statusLabel)
            if (p.issuer.isNotBlank()) Fact("发布机关", p.issuer)
            if (p.source.isNotBlank()) Fact("政策文件", p.source)
            Fact("发布日期", p.publishedOn)
        }
        Section("条件核对") {
            check.conditions.forEach { ConditionLine(it, withMissing = true) }
        }
        if (p.materials.isNotEmpty()) {
            Section("所需材料") {
                p.materials.forEach { code ->
                    Text("• " + (materialKinds.firstOrNull { it.code == code }?.name ?: code))
                }
            }
        }
        if (d.services.isNotEmpty()) {
            Section("去办理") {
                d.services.forEach { item ->
                    Column(
                        Modifier.fillMaxWidth().clickable(role = Role.Button) { onOpenService(item.code) }.padding(vertical = 8.dp),
                    ) {
                        Text("${item.name} ›", style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.primary)
                        Text(
                            listOf(item.department, item.timeLimit).filter { it.isNotBlank() }.joinToString(" · "),
                            style = MaterialTheme.typography.bodySmall,
                        )
                    }
                }
            }
        }
    }
}
