package cn.zhuanshu.model

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.zhuanshu.CompanyForm
import uniffi.zhuanshu.LicenceData
import uniffi.zhuanshu.MaterialData
import uniffi.zhuanshu.RecordData
import uniffi.zhuanshu.RecordStatus
import uniffi.zhuanshu.CompanyOverview
import uniffi.zhuanshu.Industry
import uniffi.zhuanshu.Licence
import uniffi.zhuanshu.Material
import uniffi.zhuanshu.Record
import uniffi.zhuanshu.Region
import uniffi.zhuanshu_ffi.DossierApiInterface
import uniffi.zhuanshu_ffi.ZhuanshuAppInterface
import uniffi.zhuanshu_ffi.ZhuanshuException

/**
 * The company form's fields (the core's `CompanyForm`, which reads the typed text: amounts, headcount, date,
 * tags); [key] is the core's issue path for that field, so its messages land here.
 */
enum class CompanyField(val key: String) {
    USCC("uscc"),
    NAME("name"),
    COMPANY_TYPE("company_type"),
    LEGAL_REPRESENTATIVE("legal_representative"),
    REGISTERED_CAPITAL("registered_capital_yuan"),
    ESTABLISHED_ON("established_on"),
    ADDRESS("address"),
    DISTRICT("district"),
    INDUSTRY("industry"),
    EMPLOYEES("employees"),
    REVENUE("revenue_yuan"),
    TOTAL_ASSETS("total_assets_yuan"),
    TAXPAYER_KIND("taxpayer_kind"),
    CREDIT_GRADE("credit_grade"),
    TAGS("tags"),
}

/** An add or edit form in progress; [editing] is the USCC being edited, null when adding. */
data class CompanyFormState(
    val form: CompanyForm,
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
    /** 查询密码 shown again, by record id (empty: the record has none). */
    val lookupPasswords: Map<Long, String> = emptyMap(),
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

    /** Opens the core's empty form of a new company. */
    fun startAdd() = openForm(null)

    /** Opens the core's form of the current company's saved profile. */
    fun startEdit() {
        openForm(_state.value.current?.company?.uscc ?: return)
    }

    private fun openForm(uscc: String?) = scheduler.call({ app.dossier().companyForm(uscc) }) { outcome ->
        when (outcome) {
            is Outcome.Ok -> _state.update { it.copy(editor = CompanyFormState(outcome.value, editing = uscc)) }
            is Outcome.Failed -> _state.update { it.copy(error = outcome.error) }
        }
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
        // The core reads the typed text (no I/O, so on this thread): what cannot be read or breaks a rule
        // stays on the form, by field, before anything is saved.
        val company = try {
            app.dossier().readCompanyForm(editor.form)
        } catch (e: ZhuanshuException) {
            val error = e.toUiError()
            _state.update { it.copy(editor = editor.copy(fieldErrors = error.fields, message = error.message)) }
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

    // ---- licences, materials and application records of the current company ----

    /**
     * One change to the current company's dossier, then a reload; [done] runs after it succeeded (a form
     * closes). The core checks every input; its error lands in `error` (with field issues, if any).
     */
    private fun change(work: (DossierApiInterface, String) -> Unit, done: () -> Unit = {}) {
        scheduler.call({
            val dossier = app.dossier()
            work(dossier, dossier.current().company.uscc)
            load()
        }) { outcome ->
            show(outcome)
            if (outcome is Outcome.Ok) done()
        }
    }

    /** Adds a licence ([id] null) or replaces one; `data.validUntil` null is 长期有效. */
    fun saveLicence(id: Long?, data: LicenceData, done: () -> Unit = {}) = change({ d, uscc ->
        if (id == null) d.addLicence(uscc, data) else d.updateLicence(id, data)
    }, done)

    fun removeLicence(id: Long) = change({ d, _ -> d.removeLicence(id) })

    fun saveMaterial(id: Long?, data: MaterialData, done: () -> Unit = {}) = change({ d, uscc ->
        if (id == null) d.addMaterial(uscc, data) else d.updateMaterial(id, data)
    }, done)

    fun removeMaterial(id: Long) = change({ d, _ -> d.removeMaterial(id) })

    /**
     * Adds an application record (办事记录). Its 查询密码, when given, is sealed by the vault, which must be
     * unlocked: the record is added first, so a locked vault keeps the record and says so.
     */
    fun addRecord(data: RecordData, lookupPassword: String? = null, done: () -> Unit = {}) = change({ d, uscc ->
        val record = d.addRecord(uscc, data)
        if (!lookupPassword.isNullOrEmpty()) d.setRecordLookupPassword(record.id, lookupPassword)
    }, done)

    /** The record's progress: a new status at [at] (`YYYY-MM-DDTHH:MM:SS`; now when null). */
    fun setRecordStatus(id: Long, status: RecordStatus, at: String? = null) =
        change({ d, _ -> d.setRecordStatus(id, status, at) })

    fun removeRecord(id: Long) = change({ d, _ -> d.removeRecord(id) })

    /** Shows a record's 查询密码 again (the vault must be unlocked), until [hideLookupPassword]. */
    fun showLookupPassword(id: Long) = scheduler.call({ app.dossier().recordLookupPassword(id) }) { outcome ->
        when (outcome) {
            is Outcome.Ok -> _state.update { it.copy(lookupPasswords = it.lookupPasswords + (id to (outcome.value ?: ""))) }
            is Outcome.Failed -> _state.update { it.copy(error = outcome.error) }
        }
    }

    fun hideLookupPassword(id: Long) = _state.update { it.copy(lookupPasswords = it.lookupPasswords - id) }
}
