package cn.zhuanshu.model

import com.google.gson.Gson
import com.google.gson.JsonObject
import com.google.gson.JsonParser
import com.sun.net.httpserver.HttpServer
import java.io.File
import java.net.InetSocketAddress
import java.nio.file.Files
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.Action
import uniffi.zhuanshu.Channel
import uniffi.zhuanshu.CompanyType
import uniffi.zhuanshu.DynamicKind
import uniffi.zhuanshu.RecordStatus
import uniffi.zhuanshu.TaxpayerKind
import uniffi.zhuanshu_ffi.ZhuanshuApp

/**
 * The owner's whole loop on the phone's view models, step by step as issue 14 scripts it (the web app runs
 * the same steps in web/tests-app): add a company → a licence that expires in 20 days shows on home with the
 * days left → an application record with 事项编码 and 查询密码 → 已受理 shows as progress → a feed sync brings
 * a policy the company matches → it is on home, in the notification schedule and in the calendar file.
 */
class JourneyTest {
    private val tmp: File = Files.createTempDirectory("zhuanshu-journey").toFile()
    private var server: HttpServer? = null

    @AfterEach
    fun clean() {
        server?.stop(0)
        tmp.deleteRecursively()
    }

    private fun zhuanshu(vararg args: String) = ZhuanshuCli.run(*args)

    /**
     * A signed feed (version 1, the demo key the app pins): the content in force plus one policy for every
     * small-scale taxpayer, a copy of the catalog's own 1% VAT policy under a new id. Served over loopback.
     */
    private fun publishNewPolicy(): String {
        zhuanshu("--data-dir", File(tmp, "data").path, "feed", "content", "--out", File(tmp, "content").path)
        val file = File(tmp, "content/policies.json")
        val catalog = JsonParser.parseString(file.readText()).asJsonObject
        val policies = catalog.getAsJsonArray("policies")
        val model = policies.map { it.asJsonObject }.first { it["id"].asString == "pol-vat-small-scale-1pct" }
        val added: JsonObject = model.deepCopy()
        added.addProperty("id", NEW_POLICY)
        added.addProperty("title", "旅程测试：小规模纳税人的新政策")
        policies.add(added)
        catalog.addProperty("version", catalog["version"].asInt + 1)
        file.writeText(Gson().toJson(catalog))
        zhuanshu("feed", "keygen", "--demo", "--out", File(tmp, "demo.key").path)
        zhuanshu("feed", "build", File(tmp, "content").path, "--out", File(tmp, "site").path, "--version", "1")
        zhuanshu("feed", "sign", File(tmp, "site").path, "--key", File(tmp, "demo.key").path)
        val site = File(tmp, "site")
        val http = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        http.createContext("/feed/") { exchange ->
            val f = File(site, exchange.requestURI.path.removePrefix("/feed/"))
            val body = if (f.isFile && f.canonicalPath.startsWith(site.canonicalPath)) f.readBytes() else null
            exchange.sendResponseHeaders(if (body == null) 404 else 200, body?.size?.toLong() ?: -1)
            body?.let { exchange.responseBody.write(it) }
            exchange.close()
        }
        http.start()
        server = http
        return "http://127.0.0.1:${http.address.port}/feed/"
    }

    @Test
    fun `add a company, a licence and a record, then progress and a new policy reach home, notifications and the calendar`() {
        val app = ZhuanshuApp.open(File(tmp, "app").path, NOW, null)
        val scheduler = ManualScheduler()
        val dossier = DossierViewModel(app, scheduler)
        val home = HomeViewModel(app, scheduler)
        dossier.refresh()

        // 1. A company, through the core's form.
        val uscc = ZhuanshuApp.open(null, NOW, null).dossier().loadDemo().first().company.uscc
        dossier.startAdd()
        dossier.edit(CompanyField.USCC) {
            it.copy(
                uscc = uscc, name = "上海旅程测试科技有限公司", companyType = CompanyType.LIMITED_LIABILITY,
                legalRepresentative = "王𠈌", registeredCapitalYuan = "1000000", establishedOn = "2019-05-20",
                address = "上海市浦东新区张江路1号", district = "310115", industry = "I65", employees = "12",
                revenueYuan = "3000000", taxpayerKind = TaxpayerKind.SMALL_SCALE,
            )
        }
        dossier.submit()
        assertEquals(uscc, dossier.state.value.current?.company?.uscc, dossier.state.value.editor.toString())

        // 2. A licence that expires in 20 days (a 营业执照 whose 营业期限 ends; kinds with a renewal rule warn
        //    by their renewal deadline instead): on home with the days left.
        dossier.startLicence()
        assertEquals("business_licence", dossier.state.value.licenceEditor?.form?.kind, "a new licence starts as the 营业执照")
        dossier.editLicence("number") { it.copy(number = "91310115MA1K3YJ5A0", issuer = "浦东新区市场监督管理局") }
        dossier.editLicence("valid_until") { it.copy(validUntil = "2026-12-11") }
        dossier.saveLicence()
        // The date left empty: the core's message, at its field, and nothing saved.
        assertEquals("请填写发证日期", dossier.state.value.licenceEditor?.fieldErrors?.get("issued_on"))
        assertTrue(dossier.state.value.licences.isEmpty())
        dossier.editLicence("issued_on") { it.copy(issuedOn = "2006-12-11") }
        assertEquals(null, dossier.state.value.licenceEditor?.fieldErrors?.get("issued_on"), "fixing a field clears its message")
        var saved = false
        dossier.saveLicence(done = { saved = true })
        assertTrue(saved, dossier.state.value.licenceEditor.toString())
        assertEquals(null, dossier.state.value.licenceEditor, "a saved form closes")
        val licence = dossier.state.value.licences.single()
        home.refresh()
        val expiry = home.state.value.items.find { (it.action as? Action.Licence)?.id == licence.id }
        assertNotNull(expiry, home.state.value.items.map { it.id }.toString())
        expiry!!
        assertEquals(20L, expiry.daysLeft)
        assertEquals("还剩20天", CoreLabels.days(expiry.daysLeft))

        // 3. An application record with its 事项编码 and 查询密码 (sealed by the vault, so unlock it first).
        app.vault().init("246813", null)
        app.vault().lock()
        dossier.startRecord()
        dossier.editRecord("item_code") { it.copy(itemCode = "310115-SCJG-0002", itemName = "食品经营许可变更", submittedOn = "2026-11-20") }
        dossier.editRecord("lookup_password") { it.copy(lookupPassword = "Ab12cd") }
        dossier.saveRecord()
        assertEquals(true, dossier.state.value.recordEditor?.needsUnlock, "locked: the PIN is asked for, nothing is saved")
        assertTrue(dossier.state.value.records.isEmpty())
        app.vault().unlockWithPin("246813")
        dossier.saveRecord()
        assertEquals(null, dossier.state.value.recordEditor, dossier.state.value.recordEditor.toString())
        val record = dossier.state.value.records.single()
        assertEquals("310115-SCJG-0002", record.data.itemCode)
        app.vault().lock()
        dossier.showLookupPassword(record.id)
        assertTrue(dossier.state.value.lookupPasswords[record.id] == null, "locked: not shown")
        assertNotNull(dossier.state.value.error)
        dossier.clearError()
        app.vault().unlockWithPin("246813")
        dossier.showLookupPassword(record.id)
        assertEquals("Ab12cd", dossier.state.value.lookupPasswords[record.id])
        dossier.forgetSecrets() // the app left the screen
        assertTrue(dossier.state.value.lookupPasswords.isEmpty(), "a shown password goes with the vault's key")

        // 4. 已受理: a progress item on home.
        dossier.setRecordStatus(record.id, RecordStatus.ACCEPTED, "2026-11-21 07:30")
        assertEquals(null, dossier.state.value.error)
        assertEquals(RecordStatus.ACCEPTED, dossier.state.value.records.single().history.last().status)
        home.refresh()
        assertTrue(
            home.state.value.items.any { it.kind == DynamicKind.PROGRESS && (it.action as? Action.Record)?.id == record.id },
            home.state.value.items.map { it.id }.toString(),
        )

        // 5. A feed sync brings a policy the company matches: news on home, in the schedule and the .ics.
        assertTrue(home.state.value.items.none { it.id.endsWith(":new") }, "the first look is a silent baseline")
        val report = app.feed().sync(publishNewPolicy())
        assertTrue(report.updated && "policies.json" in report.changed, report.toString())
        home.refresh()
        val news = home.state.value.items.find { it.id == "ext:policy:$NEW_POLICY:new" }
        assertNotNull(news, home.state.value.items.map { it.id }.toString())
        news!!
        assertEquals(DynamicKind.POLICY, news.kind)
        assertEquals(Action.Policy(NEW_POLICY), news.action)
        val planned = NotificationPlanner.plan(app, emptySet(), NOW_MILLIS, count = 500u)
        assertTrue(planned.schedule.any { it.id.startsWith("${news.id}#") }, planned.schedule.map { it.id }.toString())
        val ics = app.dynamics().ics(uscc).replace("\r\n ", "")
        assertTrue(ics.contains("UID:${news.id}@"), ics)
        assertTrue(ics.contains("SUMMARY:${expiry.title}"), "the licence's deadline is in the calendar file too")
        app.close()
    }

    private companion object {
        const val NOW = "2026-11-21T08:00:00"
        /** 2026-11-21T08:00:00 Asia/Shanghai. */
        const val NOW_MILLIS = 1795219200000L
        const val NEW_POLICY = "pol-journey-small-scale"
    }
}
