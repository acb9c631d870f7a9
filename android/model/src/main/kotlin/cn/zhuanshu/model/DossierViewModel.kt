package cn.zhuanshu.model

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.zhuanshu.Company
import uniffi.zhuanshu.CompanyOverview
import uniffi.zhuanshu.CompanyType
import uniffi.zhuanshu.CreditGrade
import uniffi.zhuanshu.Industry
import uniffi.zhuanshu.Licence
import uniffi.zhuanshu.Material
import uniffi.zhuanshu.Record
import uniffi.zhuanshu.Region
import uniffi.zhuanshu.TaxpayerKind
import uniffi.zhuanshu_ffi.ZhuanshuAppInterface
import uniffi.zhuanshu_ffi.ZhuanshuException
import uniffi.zhuanshu_ffi.parseYuan

/** The company form's fields; [key] is the core's issue path for that field, so its messages land here. */
enum class CompanyField(val key: String) {
    USCC("uscc"),
    NAME("name"),
    COMPANY_TYPE("company_type"),
    LEGAL_REPRESENTATIVE("legal_representative"),
    REGISTERED_CAPITAL("registered_capital_fen"),
    ESTABLISHED_ON("established_on"),
    ADDRESS("address"),
    DISTRICT("district"),
    INDUSTRY("industry"),
    EMPLOYEES("employees"),
    REVENUE("revenue_fen"),
    TOTAL_ASSETS("total_assets_fen"),
    TAXPAYER_KIND("taxpayer_kind"),
    CREDIT_GRADE("credit_grade"),
    TAGS("tags"),
}

/**
 * The company form as typed: amounts in yuan as text (`1,234.5`), dates `YYYY-MM-DD`, tags separated by
 * commas or 、. [toCompany] turns it into the core's `Company`; the core then validates it.
 */
data class CompanyForm(
    val uscc: String = "",
    val name: String = "",
    val companyType: CompanyType = CompanyType.LIMITED_LIABILITY,
    val legalRepresentative: String = "",
    val registeredCapitalYuan: String = "",
    val establishedOn: String = "",
    val address: String = "",
    val district: String = "",
    val industry: String = "",
    val employees: String = "",
    val revenueYuan: String = "",
    val totalAssetsYuan: String = "",
    val taxpayerKind: TaxpayerKind = TaxpayerKind.SMALL_SCALE,
    val creditGrade: CreditGrade? = null,
    val tags: String = "",
) {
    companion object {
        /** The form filled from a saved company, for editing. */
        fun from(c: Company) = CompanyForm(
            uscc = c.uscc, name = c.name, companyType = c.companyType, legalRepresentative = c.legalRepresentative,
            registeredCapitalYuan = yuanText(c.registeredCapitalFen), establishedOn = c.establishedOn,
            address = c.address, district = c.district, industry = c.industry, employees = c.employees.toString(),
            revenueYuan = yuanText(c.revenueFen), totalAssetsYuan = c.totalAssetsFen?.let(::yuanText) ?: "",
            taxpayerKind = c.taxpayerKind, creditGrade = c.creditGrade, tags = c.tags.joinToString("，"),
        )

        /** Fen as the plain number an owner would type (`1234.5`), not the display format. */
        fun yuanText(fen: Long): String {
            val yuan = java.math.BigDecimal.valueOf(fen, 2).stripTrailingZeros()
            return yuan.toPlainString()
        }

        private val TAG_SEPARATORS = Regex("[,，、;；\\s]+")
    }

    /**
     * The core's `Company`, or the per-field messages of what cannot even be read (an amount that is not
     * a number, a headcount that is not a whole number). Amounts are read by the core's `parseYuan`.
     */
    fun toCompany(): Pair<Company?, Map<String, String>> {
        val errors = linkedMapOf<String, String>()
        fun yuan(field: CompanyField, text: String, optional: Boolean = false): Long? {
            if (text.isBlank()) {
                if (!optional) errors[field.key] = "请填写金额（元）"
                return null
            }
            return try {
                parseYuan(text)
            } catch (e: ZhuanshuException) {
                errors[field.key] = e.userMessage
                null
            }
        }
        val capital = yuan(CompanyField.REGISTERED_CAPITAL, registeredCapitalYuan)
        val revenue = yuan(CompanyField.REVENUE, revenueYuan)
        val assets = yuan(CompanyField.TOTAL_ASSETS, totalAssetsYuan, optional = true)
        val staff = employees.trim().toUIntOrNull()
        if (staff == null) errors[CompanyField.EMPLOYEES.key] = "请填写从业人数（整数）"
        if (establishedOn.isBlank()) errors[CompanyField.ESTABLISHED_ON.key] = "请填写成立日期"
        if (errors.isNotEmpty()) return null to errors
        return Company(
            uscc = uscc.trim(), name = name, companyType = companyType, legalRepresentative = legalRepresentative,
            registeredCapitalFen = capital!!, establishedOn = establishedOn.trim(), address = address,
            district = district.trim(), industry = industry.trim(), employees = staff!!, revenueFen = revenue!!,
            totalAssetsFen = assets, taxpayerKind = taxpayerKind, creditGrade = creditGrade,
            tags = tags.split(TAG_SEPARATORS).filter { it.isNotBlank() },
        ) to emptyMap()
    }
}

/** An add or edit form in progress; [editing] is the USCC being edited, null when adding. */
data class CompanyFormState(
    val form: CompanyForm = CompanyForm(),
    val editing: String? = null,
    val fieldErrors: Map<String, String> = emptyMap(),
    val message: String? = null,
    val saving: Boolean = false,
)

data class DossierState(
    val loading: Boolean = true,
    val companies: List<CompanyOverview> = emptyList(),
    val current: CompanyOverview? = null,
    val licences: List<Licence> = emptyList(),
    val materials: List<Material> = emptyList(),
    val records: List<Record> = emptyList(),
    /** Open while the owner adds or edits a company. */
    val editor: CompanyFormState? = null,
    val error: UiError? = null,
)

/**
 * 档案: companies and switching between them, the current company's licences, materials and records,
 * and the add / edit form whose field errors come from the core's issue paths.
 */
class DossierViewModel(private val app: ZhuanshuAppInterface, private val scheduler: Scheduler) {
    private val _state = MutableStateFlow(DossierState())
    val state: StateFlow<DossierState> = _state.asStateFlow()

    /** Pickers for the form: GB/T 2260 districts and GB/T 4754 industries, loaded on first use. */
    val regions: List<Region> by lazy { app.dossier().regions() }
    val industries: List<Industry> by lazy { app.dossier().industries() }

    private data class Loaded(
        val companies: List<CompanyOverview>,
        val current: CompanyOverview?,
        val licences: List<Licence>,
        val materials: List<Material>,
        val records: List<Record>,
    )

    private fun load(): Loaded {
        val dossier = app.dossier()
        val companies = dossier.companies()
        val current = companies.firstOrNull { it.current } ?: return Loaded(companies, null, emptyList(), emptyList(), emptyList())
        val uscc = current.company.uscc
        return Loaded(companies, current, dossier.licences(uscc), dossier.materials(uscc), dossier.records(uscc))
    }

    private fun show(outcome: Outcome<Loaded>, editor: CompanyFormState? = _state.value.editor) {
        when (outcome) {
            is Outcome.Ok -> _state.update {
                val l = outcome.value
                it.copy(
                    loading = false, companies = l.companies, current = l.current, licences = l.licences,
                    materials = l.materials, records = l.records, editor = editor, error = null,
                )
            }
            is Outcome.Failed -> _state.update { it.copy(loading = false, error = outcome.error) }
        }
    }

    fun refresh() {
        _state.update { it.copy(loading = true) }
        scheduler.call({ load() }) { show(it) }
    }

    /** Makes [uscc] the current company (the switcher). */
    fun switchTo(uscc: String) {
        if (_state.value.current?.company?.uscc == uscc) return
        scheduler.call({
            app.dossier().useCompany(uscc)
            load()
        }) { show(it) }
    }

    fun loadDemo() = scheduler.call({
        app.dossier().loadDemo()
        load()
    }) { show(it) }

    fun removeCompany(uscc: String) = scheduler.call({
        app.dossier().removeCompany(uscc)
        load()
    }) { show(it) }

    fun startAdd() = _state.update { it.copy(editor = CompanyFormState()) }

    fun startEdit() {
        val current = _state.value.current ?: return
        _state.update { it.copy(editor = CompanyFormState(CompanyForm.from(current.company), editing = current.company.uscc)) }
    }

    /** Applies an edit; the message of the edited field goes away as the owner fixes it. */
    fun edit(field: CompanyField, change: (CompanyForm) -> CompanyForm) = _state.update { s ->
        val editor = s.editor ?: return@update s
        s.copy(editor = editor.copy(form = change(editor.form), fieldErrors = editor.fieldErrors - field.key))
    }

    fun cancelEdit() = _state.update { it.copy(editor = null) }

    /** Saves the form: a new company becomes the current one; errors stay on the form, by field. */
    fun submit() {
        val editor = _state.value.editor ?: return
        if (editor.saving) return
        val (company, readErrors) = editor.form.toCompany()
        if (company == null) {
            _state.update { it.copy(editor = editor.copy(fieldErrors = readErrors, message = "请检查标出的项目")) }
            return
        }
        _state.update { it.copy(editor = editor.copy(saving = true, message = null)) }
        scheduler.call({
            val dossier = app.dossier()
            if (editor.editing == null) {
                val saved = dossier.addCompany(company)
                dossier.useCompany(saved.company.uscc)
            } else {
                dossier.updateCompany(editor.editing, company)
            }
            load()
        }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> show(outcome, editor = null)
                is Outcome.Failed -> _state.update {
                    it.copy(editor = editor.copy(saving = false, fieldErrors = outcome.error.fields, message = outcome.error.message))
                }
            }
        }
    }

    fun clearError() = _state.update { it.copy(error = null) }
}
