package cn.zhuanshu.model

import uniffi.zhuanshu.Span

/** A run of text, highlighted or not, for rendering search results (an AnnotatedString on Android). */
data class TextRun(val text: String, val highlighted: Boolean)

/**
 * Splits [text] by the core's highlight [spans]. Spans count Unicode characters (code points), while
 * Kotlin strings index UTF-16 units, so rare characters outside the BMP (𠈌) would shift every later
 * highlight if the offsets were used directly. Spans that overlap, run past the end or are empty are
 * clipped or skipped rather than trusted.
 */
fun highlightRuns(text: String, spans: List<Span>): List<TextRun> {
    val points = text.codePointCount(0, text.length)
    fun unit(cp: Int): Int = text.offsetByCodePoints(0, cp.coerceIn(0, points))
    val runs = mutableListOf<TextRun>()
    var at = 0 // code points consumed
    for (span in spans.sortedBy { it.start }) {
        val start = maxOf(span.start.toInt(), at).coerceAtMost(points)
        val end = span.end.toInt().coerceAtMost(points)
        if (end <= start) continue
        if (start > at) runs += TextRun(text.substring(unit(at), unit(start)), false)
        runs += TextRun(text.substring(unit(start), unit(end)), true)
        at = end
    }
    if (at < points || runs.isEmpty()) runs += TextRun(text.substring(unit(at)), false)
    return runs
}
