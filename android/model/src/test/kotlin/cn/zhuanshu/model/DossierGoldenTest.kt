package cn.zhuanshu.model

import com.google.gson.JsonArray
import com.google.gson.JsonElement
import com.google.gson.JsonNull
import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.io.File
import java.nio.file.Files
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.test.assertFailsWith
import uniffi.zhuanshu.Channel
import uniffi.zhuanshu.Company
import uniffi.zhuanshu.CompanyType
import uniffi.zhuanshu.CreditGrade
import uniffi.zhuanshu.LicenceForm
import uniffi.zhuanshu.MaterialForm
import uniffi.zhuanshu.RecordForm
import uniffi.zhuanshu.RecordStatus
import uniffi.zhuanshu.TaxpayerKind
import uniffi.zhuanshu_ffi.ZhuanshuApp
import uniffi.zhuanshu_ffi.ZhuanshuException
import uniffi.zhuanshu_ffi.formatYuan
import uniffi.zhuanshu_ffi.parseYuan
import uniffi.zhuanshu_ffi.usccNormalize

/** Replays tests/golden through the Kotlin bindings; the results must equal the Rust replay's. */
class DossierGoldenTest {
    private val goldenDir = File(System.getProperty("zhuanshu.golden") ?: "../../tests/golden")

    private fun load(name: String): JsonElement = JsonParser.parseString(File(goldenDir, name).readText())

    private fun JsonObject.str(key: String): String = get(key).asString
    private fun JsonObject.strOrNull(key: String): String? = get(key)?.takeUnless { it.isJsonNull }?.asString
    private fun JsonObject.long(key: String): Long = get(key).asLong
    private fun <T : Enum<T>> code(value: T?): JsonElement =
        value?.let { com.google.gson.JsonPrimitive(it.name.lowercase()) } ?: JsonNull.INSTANCE

    private fun company(o: JsonObject) = Company(
        uscc = o.str("uscc"),
        name = o.str("name"),
        companyType = CompanyType.valueOf(o.str("company_type").uppercase()),
        legalRepresentative = o.str("legal_representative"),
        registeredCapitalFen = o.long("registered_capital_fen"),
        establishedOn = o.str("established_on"),
        address = o.str("address"),
        district = o.str("district"),
        industry = o.str("industry"),
        employees = o.get("employees").asInt.toUInt(),
        revenueFen = o.long("revenue_fen"),
        totalAssetsFen = o.get("total_assets_fen")?.takeUnless { it.isJsonNull }?.asLong,
        taxpayerKind = TaxpayerKind.valueOf(o.str("taxpayer_kind").uppercase()),
        creditGrade = o.strOrNull("credit_grade")?.let { CreditGrade.valueOf(it) },
        tags = o.getAsJsonArray("tags").map { it.asString },
    )

    // The phones save items through the core's forms (text as typed); the Rust replay of the same steps
    // uses the typed calls, so equal goldens show the forms read exactly what the typed data says.
    private fun licence(o: JsonObject) = LicenceForm(
        kind = o.str("kind"), number = o.str("number"), issuer = o.str("issuer"),
        issuedOn = o.str("issued_on"), validUntil = o.strOrNull("valid_until") ?: "", scope = o.str("scope"),
    )

    private fun material(o: JsonObject): MaterialForm {
        check(o.strOrNull("vault_document") == null) { "a scan is linked from the vault, not through the form" }
        return MaterialForm(kind = o.str("kind"), title = o.str("title"), validUntil = o.strOrNull("valid_until") ?: "")
    }

    private fun record(o: JsonObject) = RecordForm(
        itemCode = o.str("item_code"), itemName = o.str("item_name"),
        channel = Channel.valueOf(o.str("channel").uppercase()), submittedOn = o.str("submitted_on"), lookupPassword = "",
    )

    private fun runStep(app: ZhuanshuApp, step: JsonObject) {
        val dossier = app.dossier()
        when (step.str("op")) {
            "add_company" -> dossier.addCompany(company(step.getAsJsonObject("company")))
            "use_company" -> dossier.useCompany(step.str("uscc"))
            "add_licence" -> dossier.saveLicence(step.str("uscc"), null, licence(step.getAsJsonObject("licence")))
            "add_material" -> dossier.saveMaterial(step.str("uscc"), null, material(step.getAsJsonObject("material")))
            "add_record" -> dossier.saveRecord(step.str("uscc"), null, record(step.getAsJsonObject("record")))
            "set_record_status" -> {
                val id = dossier.records(step.str("uscc"))[step.get("record_index").asInt].id
                dossier.setRecordStatus(id, RecordStatus.valueOf(step.str("status").uppercase()), step.str("at"))
            }
            else -> error("unknown op ${step.str("op")}")
        }
    }

    private fun errorCode(e: ZhuanshuException): String = when (e) {
        is ZhuanshuException.Invalid -> "invalid_input"
        is ZhuanshuException.NotFound -> "not_found"
        is ZhuanshuException.AlreadyExists -> "already_exists"
        is ZhuanshuException.NoCurrentCompany -> "no_current_company"
        is ZhuanshuException.BadFormat -> "bad_format"
        is ZhuanshuException.Storage -> "storage"
        is ZhuanshuException.Internal -> "internal"
        is ZhuanshuException.VaultLocked -> e.code
        is ZhuanshuException.WrongSecret -> e.code
        is ZhuanshuException.Corrupt -> "corrupt"
        is ZhuanshuException.Sync -> e.code
    }

    @Test
    fun `dossier scenario matches the Rust replay`() {
        val scenario = load("dossier.json").asJsonObject
        val app = ZhuanshuApp.open(null, scenario.str("now"), null)
        for ((i, element) in scenario.getAsJsonArray("steps").withIndex()) {
            val step = element.asJsonObject
            val expected = step.getAsJsonObject("expect_error")
            if (expected == null) {
                runStep(app, step)
                continue
            }
            val e = assertFailsWith<ZhuanshuException>("step $i") { runStep(app, step) }
            assertEquals(expected.str("code"), errorCode(e), "step $i")
            val paths = JsonArray().apply {
                (e as? ZhuanshuException.Invalid)?.issues?.forEach { add(it.path) }
            }
            assertEquals(expected.getAsJsonArray("paths"), paths, "step $i")
        }

        val expect = scenario.getAsJsonObject("expect")
        val dossier = app.dossier()
        assertEquals(expect.str("current"), dossier.current().company.uscc)
        val companies = JsonArray()
        val exports = JsonObject()
        val dynamics = JsonObject()
        for (c in dossier.companies()) {
            val uscc = c.company.uscc
            val records = dossier.records(uscc)
            companies.add(JsonObject().apply {
                addProperty("uscc", uscc)
                addProperty("name", c.company.name)
                addProperty("current", c.current)
                add("size_class", code(c.size.`class`))
                add("stage", code(c.stage))
                addProperty("age_years", c.ageYears)
                addProperty("district_name", c.districtName)
                addProperty("industry_name", c.industryName)
                add("licences", JsonArray().apply { dossier.licences(uscc).forEach { add(it.daysLeft) } })
                addProperty("materials", dossier.materials(uscc).size)
                addProperty("records", records.size)
                add("last_status", JsonArray().apply { records.forEach { add(code(it.history.last().status)) } })
            })
            exports.add(uscc, JsonParser.parseString(dossier.exportJson(uscc)))
            dynamics.add(uscc, JsonArray().apply {
                app.dynamics().list(uscc).forEach { d ->
                    add(JsonObject().apply {
                        addProperty("id", d.id)
                        add("kind", code(d.kind))
                        add("severity", code(d.severity))
                        addProperty("due", d.due)
                        addProperty("days_left", d.daysLeft)
                        addProperty("workdays_left", d.workdaysLeft)
                    })
                }
            })
        }
        assertEquals(expect.getAsJsonArray("companies"), companies)
        assertEquals(load(expect.str("exports")), exports)
        assertEquals(load(expect.str("dynamics")), dynamics)
    }

    @Test
    fun `tax deadlines, ics and notifications through the bindings`() {
        val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
        assertEquals("2025-10-27", app.dynamics().taxDeadline(2025, 10u).date)
        val restaurant = app.dossier().loadDemo().first { it.company.industry.startsWith("H62") }
        val ics = app.dynamics().ics(restaurant.company.uscc)
        assertTrue(ics.startsWith("BEGIN:VCALENDAR\r\n"), ics.take(40))
        val notes = app.dynamics().notifications(5u, "08:30")
        assertTrue(notes.isNotEmpty() && notes.size <= 5)
        assertTrue(notes.all { it.at.endsWith("08:30:00") }, notes.toString())
        val item = app.dynamics().list(restaurant.company.uscc).first()
        app.dynamics().markDone(restaurant.company.uscc, item.id)
        assertTrue(app.dynamics().list(restaurant.company.uscc).none { it.id == item.id })
        assertFailsWith<ZhuanshuException.Invalid> { app.dynamics().notifications(5u, "9点") }
    }

    @Test
    fun `rare characters survive the file database and reopening`() {
        val dir = Files.createTempDirectory("zhuanshu-kt").toFile()
        try {
            val name = "上海𠈌𠀌科技有限公司"
            ZhuanshuApp.open(dir.path, "2026-11-21T09:00:00", null).use { app ->
                app.dossier().loadDemo()
                val first = app.dossier().current().company
                app.dossier().updateCompany(first.uscc, first.copy(name = name))
            }
            ZhuanshuApp.open(dir.path, "2026-11-21T09:00:00", null).use { app ->
                assertEquals(name, app.dossier().current().company.name)
                assertTrue(app.dossier().companies().size >= 3)
            }
        } finally {
            dir.deleteRecursively()
        }
    }

    @Test
    fun `errors arrive typed with Chinese messages`() {
        val e = assertFailsWith<ZhuanshuException.Invalid> { usccNormalize("91310104MA1FL8XK2Y") }
        assertTrue(e.userMessage.contains("第18位应为“X”"), e.userMessage)
        assertEquals("uscc", e.issues.single().path)
        assertEquals("91310104MA1FL8XK2X", usccNormalize("91310104ma1fl8xk2x"))
        val app = ZhuanshuApp.open(null, null, null)
        val missing = assertFailsWith<ZhuanshuException.NotFound> { app.dossier().company("91310104MA1FL8XK2X") }
        assertTrue(missing.userMessage.startsWith("找不到企业"))
        assertFailsWith<ZhuanshuException.NoCurrentCompany> { app.dossier().current() }
        assertFailsWith<ZhuanshuException.BadFormat> { app.dossier().importJson("{") }
        assertEquals(123456L, parseYuan("1,234.56"))
        assertEquals("1,234.56元", formatYuan(123456L))
    }
}
