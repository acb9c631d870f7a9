package cn.zhuanshu.model

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.zhuanshu.CompanyForm
import uniffi.zhuanshu.CompanyType
import uniffi.zhuanshu.TaxpayerKind
import uniffi.zhuanshu_ffi.ZhuanshuApp

class DossierViewModelTest {
    private val app = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
    private val scheduler = ManualScheduler()
    private val dossier = DossierViewModel(app, scheduler)

    private fun validForm() = CompanyForm(
        uscc = "",
        name = "上海𠈌测试科技有限公司",
        companyType = CompanyType.LIMITED_LIABILITY,
        legalRepresentative = "王𠈌",
        registeredCapitalYuan = "1,000,000",
        establishedOn = "2019-05-20",
        address = "上海市浦东新区张江路1号",
        district = "310115",
        industry = "I65",
        employees = "40",
        revenueYuan = "30000000.5",
        taxpayerKind = TaxpayerKind.GENERAL,
        tags = "高新技术企业，专精特新",
    )

    /** A valid USCC: the demo company's, which the empty dossier of this test does not hold. */
    private fun demoUscc(): String {
        val other = ZhuanshuApp.open(null, "2026-11-21T09:00:00", null)
        return other.dossier().loadDemo().first().company.uscc
    }

    @Test
    fun `companies load and switching makes another company current`() {
        dossier.loadDemo()
        var s = dossier.state.value
        assertFalse(s.loading)
        assertTrue(s.companies.size >= 3)
        val current = s.current!!
        assertTrue(current.current)
        assertEquals(app.dossier().licences(current.company.uscc), s.licences)
        val other = s.companies.first { !it.current }
        dossier.switchTo(other.company.uscc)
        s = dossier.state.value
        assertEquals(other.company.uscc, s.current!!.company.uscc)
        assertEquals(other.company.uscc, app.dossier().current().company.uscc)
        assertEquals(app.dossier().records(other.company.uscc), s.records)
        val calls = scheduler.backgroundCalls
        dossier.switchTo(other.company.uscc) // already current: nothing to do
        assertEquals(calls, scheduler.backgroundCalls)
    }

    @Test
    fun `adding a company makes it current and closes the form`() {
        dossier.refresh()
        assertNull(dossier.state.value.current)
        dossier.startAdd()
        val uscc = demoUscc()
        dossier.edit(CompanyField.USCC) { validForm().copy(uscc = uscc.lowercase()) }
        dossier.submit()
        val s = dossier.state.value
        assertNull(s.editor, s.editor.toString())
        assertEquals(uscc, s.current!!.company.uscc)
        assertEquals("上海𠈌测试科技有限公司", s.current!!.company.name)
        assertEquals(100_000_000L, s.current!!.company.registeredCapitalFen)
        assertEquals(3_000_000_050L, s.current!!.company.revenueFen)
        assertEquals(listOf("高新技术企业", "专精特新"), s.current!!.company.tags)
    }

    @Test
    fun `the core's issues land on the fields they name`() {
        dossier.refresh()
        dossier.startAdd()
        dossier.edit(CompanyField.NAME) {
            validForm().copy(uscc = "91310104MA1FL8XK2Y", name = "", district = "990000", establishedOn = "2030-01-01")
        }
        dossier.submit()
        val editor = dossier.state.value.editor!!
        assertFalse(editor.saving)
        assertEquals(setOf("uscc", "name", "district", "established_on"), editor.fieldErrors.keys)
        assertTrue(editor.fieldErrors.getValue("uscc").contains("第18位"), editor.fieldErrors.toString())
        assertTrue(editor.fieldErrors.getValue("established_on").contains("晚于今天"))
        assertNotNull(editor.message)
        // Fixing a field clears its message only.
        dossier.edit(CompanyField.NAME) { it.copy(name = "上海测试有限公司") }
        assertEquals(setOf("uscc", "district", "established_on"), dossier.state.value.editor!!.fieldErrors.keys)
        assertTrue(app.dossier().companies().isEmpty())
    }

    @Test
    fun `amounts and headcount that cannot be read are reported before anything is saved`() {
        dossier.refresh()
        dossier.startAdd()
        dossier.edit(CompanyField.REGISTERED_CAPITAL) {
            validForm().copy(registeredCapitalYuan = "一百万", employees = "四十", revenueYuan = "")
        }
        val calls = scheduler.backgroundCalls
        dossier.submit()
        assertEquals(calls, scheduler.backgroundCalls)
        val errors = dossier.state.value.editor!!.fieldErrors
        // Read by the core with every other problem of the form at once (this form has no USCC yet).
        assertEquals(setOf("registered_capital_yuan", "employees", "revenue_yuan", "uscc"), errors.keys)
        assertTrue(errors.values.all { it.isNotBlank() })
    }

    @Test
    fun `a duplicate company is refused with the core's message`() {
        dossier.loadDemo()
        val existing = dossier.state.value.current!!.company
        dossier.startAdd()
        dossier.edit(CompanyField.USCC) { app.dossier().companyForm(existing.uscc) }
        dossier.submit()
        val editor = dossier.state.value.editor!!
        assertTrue(editor.message!!.isNotBlank())
        assertTrue(editor.fieldErrors.isEmpty())
    }

    @Test
    fun `editing round-trips the form and saves through the core`() {
        dossier.loadDemo()
        val before = dossier.state.value.current!!.company
        dossier.startEdit()
        val form = dossier.state.value.editor!!.form
        assertEquals(before, app.dossier().readCompanyForm(form))
        dossier.edit(CompanyField.EMPLOYEES) { it.copy(employees = "12") }
        dossier.submit()
        assertNull(dossier.state.value.editor)
        assertEquals(12u, dossier.state.value.current!!.company.employees)
        assertEquals(before.uscc, dossier.state.value.current!!.company.uscc)
        dossier.cancelEdit()
        assertTrue(dossier.regions.any { it.code == "310115" })
        assertTrue(dossier.industries.isNotEmpty())
    }

    @Test
    fun `removing the current company moves on`() {
        dossier.loadDemo()
        val count = dossier.state.value.companies.size
        val current = dossier.state.value.current!!.company.uscc
        dossier.removeCompany(current)
        assertEquals(count - 1, dossier.state.value.companies.size)
        assertTrue(dossier.state.value.companies.none { it.company.uscc == current })
    }

    @Test
    fun `materials and records are added, edited and removed through the core's forms`() {
        dossier.loadDemo()
        // A material: the core's empty form, a bad date said at its field, then saved, edited, removed.
        val before = dossier.state.value.materials.size
        dossier.startMaterial()
        dossier.editMaterial("title") { it.copy(title = "门店租赁合同", validUntil = "2027/03/01") }
        dossier.saveMaterial()
        assertEquals("有效期至格式应为 YYYY-MM-DD：2027/03/01", dossier.state.value.materialEditor?.fieldErrors?.get("valid_until"))
        dossier.editMaterial("valid_until") { it.copy(validUntil = "2027-03-01") }
        dossier.saveMaterial()
        assertNull(dossier.state.value.materialEditor)
        val added = dossier.state.value.materials.single { it.data.title == "门店租赁合同" }
        assertEquals(before + 1, dossier.state.value.materials.size)
        dossier.startMaterial(added.id)
        assertEquals("2027-03-01", dossier.state.value.materialEditor?.form?.validUntil)
        dossier.editMaterial("valid_until") { it.copy(validUntil = "") }
        dossier.saveMaterial()
        assertNull(dossier.state.value.materials.single { it.id == added.id }.data.validUntil, "empty: does not expire")
        dossier.removeMaterial(added.id)
        assertTrue(dossier.state.value.materials.none { it.id == added.id })

        // A record: edited (its 已提交 moves with the day), a status time the core cannot read, removed.
        val record = dossier.state.value.records.first()
        dossier.startRecord(record.id)
        assertEquals(record.data.itemCode, dossier.state.value.recordEditor?.form?.itemCode)
        dossier.editRecord("item_name") { it.copy(itemName = "${it.itemName}（补充）") }
        dossier.saveRecord()
        assertNull(dossier.state.value.recordEditor, dossier.state.value.recordEditor.toString())
        assertEquals("${record.data.itemName}（补充）", dossier.state.value.records.first { it.id == record.id }.data.itemName)
        dossier.setRecordStatus(record.id, uniffi.zhuanshu.RecordStatus.RETURNED, "昨天")
        assertEquals("状态时间格式应为 YYYY-MM-DD HH:MM：昨天", dossier.state.value.error?.fields?.get("at"))
        dossier.clearError()
        dossier.removeRecord(record.id)
        assertTrue(dossier.state.value.records.none { it.id == record.id })

        // A licence removed from the list.
        val licence = dossier.state.value.licences.first()
        dossier.removeLicence(licence.id)
        assertTrue(dossier.state.value.licences.none { it.id == licence.id })
    }

    @Test
    fun `scans are linked to the licence or material being edited, and a locked vault says so`() {
        dossier.loadDemo()
        app.vault().init("246813", null)
        val scan = app.vault().add("营业执照扫描件.pdf", "application/pdf", byteArrayOf(1, 2, 3))
        val licence = dossier.state.value.licences.first()
        dossier.startLicence(licence.id)
        assertTrue(dossier.state.value.licenceEditor!!.scans.none { it.id == scan.id })
        dossier.linkScan(scan.id)
        assertTrue(dossier.state.value.licenceEditor!!.scans.any { it.id == scan.id })
        assertEquals(listOf(licence.id), app.vault().document(scan.id).licenceIds)
        app.vault().lock()
        dossier.reloadScans()
        assertEquals(UiError.Kind.VAULT_LOCKED, dossier.state.value.licenceEditor!!.scansError?.kind)
        app.vault().unlockWithPin("246813")
        dossier.unlinkScan(scan.id)
        assertNull(dossier.state.value.licenceEditor!!.scansError)
        assertTrue(dossier.state.value.licenceEditor!!.scans.none { it.id == scan.id })
        dossier.cancelLicence()

        // A material has one scan; the form saved afterwards keeps it.
        val material = dossier.state.value.materials.first()
        dossier.startMaterial(material.id)
        dossier.linkScan(scan.id)
        assertEquals(listOf(scan.id), dossier.state.value.materialEditor!!.scans.map { it.id })
        dossier.editMaterial("title") { it.copy(title = "${it.title}（新）") }
        dossier.saveMaterial()
        assertEquals(scan.id, dossier.state.value.materials.first { it.id == material.id }.data.vaultDocument)
        // Locked when opened: the form still opens, the scans say why they are not listed.
        app.vault().lock()
        dossier.startMaterial(material.id)
        assertNotNull(dossier.state.value.materialEditor)
        assertEquals(UiError.Kind.VAULT_LOCKED, dossier.state.value.materialEditor!!.scansError?.kind)
    }
}
