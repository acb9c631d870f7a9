package cn.zhuanshu.model

import com.google.gson.JsonArray
import com.google.gson.JsonNull
import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.io.File
import kotlin.test.assertFailsWith
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu_ffi.ZhuanshuApp
import uniffi.zhuanshu_ffi.ZhuanshuException

/** The assistant through the Kotlin bindings: the same searches give the same results as native. */
class AssistantGoldenTest {
    private val goldenDir = File(System.getProperty("zhuanshu.golden") ?: "../../tests/golden")

    @Test
    fun `golden searches match the Rust replay`() {
        val scenario = JsonParser.parseString(File(goldenDir, "assistant.json").readText()).asJsonObject
        val expected = JsonParser.parseString(File(goldenDir, "assistant.expected.json").readText())
        val assistant = ZhuanshuApp.open(null, scenario.get("now").asString, null).assistant()
        val limit = scenario.get("limit").asInt.toUInt()
        val searches = JsonArray()
        for (q in scenario.getAsJsonArray("searches")) {
            val hits = assistant.search(q.asString, limit)
            searches.add(JsonObject().apply {
                addProperty("query", q.asString)
                add("ids", JsonArray().apply { hits.forEach { add(it.id) } })
                add("question_highlights", hits.firstOrNull()?.let { hit ->
                    JsonArray().apply {
                        hit.questionHighlights.forEach { s ->
                            add(JsonObject().apply {
                                addProperty("start", s.start.toLong())
                                addProperty("end", s.end.toLong())
                            })
                        }
                    }
                } ?: JsonNull.INSTANCE)
            })
        }
        val suggests = JsonArray()
        for (p in scenario.getAsJsonArray("suggests")) {
            suggests.add(JsonObject().apply {
                addProperty("prefix", p.asString)
                add("ids", JsonArray().apply { assistant.suggest(p.asString).forEach { add(it.id) } })
            })
        }
        val actual = JsonObject().apply {
            add("searches", searches)
            add("suggests", suggests)
        }
        assertEquals(expected, actual)
    }

    @Test
    fun `predicted questions follow the demo company's deadlines`() {
        val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
        val restaurant = app.dossier().loadDemo().first { it.company.industry.startsWith("H62") }
        val predicted = app.assistant().predicted(restaurant.company.uscc)
        assertTrue(predicted.any { it.reason.contains("食品经营许可证") && it.question.contains("食品经营许可") }, predicted.toString())
    }

    @Test
    fun `a bad import is refused with line numbers`() {
        val assistant = ZhuanshuApp.open(null, null, null).assistant()
        val e = assertFailsWith<ZhuanshuException.Invalid> { assistant.importKb("not json") }
        assertEquals("line 1", e.issues.single().path)
        assertTrue(e.userMessage.startsWith("第1行"), e.userMessage)
        assertTrue(assistant.kbStats().entries >= 300u)
    }
}
