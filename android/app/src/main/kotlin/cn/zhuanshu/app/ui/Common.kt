package cn.zhuanshu.app.ui

import android.app.Activity
import android.content.Context
import android.content.ContextWrapper
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.AnnotatedString
import androidx.compose.ui.text.SpanStyle
import androidx.compose.ui.text.buildAnnotatedString
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.withStyle
import androidx.compose.ui.unit.dp
import cn.zhuanshu.model.CoreLabels
import cn.zhuanshu.model.TextRun
import cn.zhuanshu.model.UiError
import uniffi.zhuanshu.Severity

/** The core's Chinese message, dismissible. */
@Composable
fun ErrorBanner(error: UiError?, onDismiss: () -> Unit) {
    if (error == null) return
    Card(
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer),
        modifier = Modifier.fillMaxWidth().padding(8.dp),
    ) {
        Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.SpaceBetween) {
            Text(error.message, Modifier.weight(1f), color = MaterialTheme.colorScheme.onErrorContainer)
            TextButton(onClick = onDismiss) { Text("知道了") }
        }
    }
}

/** Highlighted runs from the model as an AnnotatedString. */
fun runs(runs: List<TextRun>, highlight: Color): AnnotatedString = buildAnnotatedString {
    for (r in runs) {
        if (r.highlighted) {
            withStyle(SpanStyle(background = highlight, fontWeight = FontWeight.SemiBold)) { append(r.text) }
        } else {
            append(r.text)
        }
    }
}

fun severityColor(s: Severity): Color = when (s) {
    Severity.OVERDUE -> Color(0xFFB3261E)
    Severity.URGENT -> Color(0xFFE8710A)
    Severity.SOON -> Color(0xFF1A73E8)
    Severity.INFO -> Color(0xFF5F6368)
}

/** The core's label of a severity. */
fun severityLabel(s: Severity): String = CoreLabels.severity(s)

/** The core's "还剩3天" / "今天到期" / "已逾期2天". */
fun daysText(days: Long): String = CoreLabels.days(days)

/** The activity behind a Compose context (for its window's FLAG_SECURE: 证照夹, a shown 查询密码). */
internal tailrec fun Context.findActivity(): Activity? = when (this) {
    is Activity -> this
    is ContextWrapper -> baseContext.findActivity()
    else -> null
}
