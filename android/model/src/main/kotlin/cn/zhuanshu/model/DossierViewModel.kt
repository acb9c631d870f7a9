package cn.zhuanshu.model

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.zhuanshu.CompanyForm
import uniffi.zhuanshu.DocumentInfo
import uniffi.zhuanshu.LicenceForm
import uniffi.zhuanshu.MaterialForm
import uniffi.zhuanshu.RecordForm
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

/**
 * A licence, material or record form in progress: the core's form as typed so far, [id] the item being
 * edited (null when adding), and the core's messages by field key (the form's field names).
 */
data class ItemFormState<F>(
    val form: F,
    val id: Long? = null,
    val fieldErrors: Map<String, String> = emptyMap(),
    val message: String? = null,
    val saving: Boolean = false,
    /** The save needs the vault (a 查询密码 was typed) and the vault is locked: ask for the PIN, then save again. */
    val needsUnlock: Boolean = false,
    /** A saved licence's or material's scans in the vault (a material has at most one). */
    val scans: List<DocumentInfo> = emptyList(),
    /** Why the scans cannot be listed (the vault is locked or not set up): the core's message. */
    val scansError: UiError? = null,
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
    val licenceEditor: ItemFormState<LicenceForm>? = null,
    val materialEditor: ItemFormState<MaterialForm>? = null,
    val recordEditor: ItemFormState<RecordForm>? = null,
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

    // The three item editors work alike: open the core's form (empty, or the saved item's), apply edits
    // field by field, save through the core, which reads the text and answers by field.

    /** Which editor of [DossierState] an action works on. */
    private class Slot<F>(
        val get: (DossierState) -> ItemFormState<F>?,
        val put: (DossierState, ItemFormState<F>?) -> DossierState,
    )

    private val licenceSlot = Slot({ it.licenceEditor }, { s, e -> s.copy(licenceEditor = e) })
    private val materialSlot = Slot({ it.materialEditor }, { s, e -> s.copy(materialEditor = e) })
    private val recordSlot = Slot({ it.recordEditor }, { s, e -> s.copy(recordEditor = e) })

    private fun <F> open(slot: Slot<F>, id: Long?, form: (DossierApiInterface) -> F, scans: (() -> List<DocumentInfo>)? = null) =
        scheduler.call({ ItemFormState(form(app.dossier()), id).withScans(scans) }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> _state.update { slot.put(it, outcome.value) }
                is Outcome.Failed -> _state.update { it.copy(error = outcome.error) }
            }
        }

    /** The scans listed, or why not: a locked vault does not keep the form from opening. */
    private fun <F> ItemFormState<F>.withScans(scans: (() -> List<DocumentInfo>)?): ItemFormState<F> {
        if (scans == null) return this
        return try {
            copy(scans = scans(), scansError = null)
        } catch (e: ZhuanshuException) {
            copy(scans = emptyList(), scansError = e.toUiError())
        }
    }

    /** The vault side of the open licence or material editor: its scans linked, unlinked, listed again. */
    private fun <F> scanChange(slot: Slot<F>, work: () -> Unit, scans: () -> List<DocumentInfo>) {
        val editor = slot.get(_state.value) ?: return
        scheduler.call({
            work()
            editor.withScans(scans)
        }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> _state.update { s -> slot.get(s)?.let { slot.put(s, it.copy(scans = outcome.value.scans, scansError = outcome.value.scansError)) } ?: s }
                is Outcome.Failed -> _state.update { s -> slot.get(s)?.let { slot.put(s, it.copy(scansError = outcome.error)) } ?: s }
            }
        }
    }

    private fun licenceScans(id: Long): () -> List<DocumentInfo> = { app.vault().licenceDocuments(id) }

    private fun materialScans(id: Long): () -> List<DocumentInfo> =
        { listOfNotNull(app.dossier().material(id).data.vaultDocument?.let { app.vault().document(it) }) }

    /** Links vault document [documentId] to the licence or material being edited (a material's replaces its scan). */
    fun linkScan(documentId: String) {
        val s = _state.value
        s.licenceEditor?.id?.let { id -> return scanChange(licenceSlot, { app.vault().linkLicence(documentId, id) }, licenceScans(id)) }
        s.materialEditor?.id?.let { id -> return scanChange(materialSlot, { app.vault().linkMaterial(documentId, id) }, materialScans(id)) }
    }

    /** Unlinks a scan from the licence or material being edited; the document stays in the vault. */
    fun unlinkScan(documentId: String) {
        val s = _state.value
        s.licenceEditor?.id?.let { id -> return scanChange(licenceSlot, { app.vault().unlinkLicence(documentId, id) }, licenceScans(id)) }
        s.materialEditor?.id?.let { id -> return scanChange(materialSlot, { app.vault().unlinkMaterial(id) }, materialScans(id)) }
    }

    /** Lists the open editor's scans again (after the vault was unlocked). */
    fun reloadScans() {
        val s = _state.value
        s.licenceEditor?.id?.let { id -> return scanChange(licenceSlot, {}, licenceScans(id)) }
        s.materialEditor?.id?.let { id -> return scanChange(materialSlot, {}, materialScans(id)) }
    }

    private fun <F> edit(slot: Slot<F>, key: String, change: (F) -> F) = _state.update { s ->
        val editor = slot.get(s) ?: return@update s
        slot.put(s, editor.copy(form = change(editor.form), fieldErrors = editor.fieldErrors - key, needsUnlock = false))
    }

    private fun <F> save(slot: Slot<F>, done: () -> Unit, write: (DossierApiInterface, String, Long?, F) -> Unit) {
        val editor = slot.get(_state.value) ?: return
        if (editor.saving) return
        _state.update { slot.put(it, editor.copy(saving = true, message = null, needsUnlock = false)) }
        scheduler.call({
            val dossier = app.dossier()
            write(dossier, dossier.current().company.uscc, editor.id, editor.form)
            load()
        }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> {
                    show(outcome)
                    _state.update { slot.put(it, null) }
                    done()
                }
                is Outcome.Failed -> _state.update {
                    slot.put(it, editor.copy(
                        saving = false, fieldErrors = outcome.error.fields, message = outcome.error.message,
                        needsUnlock = outcome.error.kind == UiError.Kind.VAULT_LOCKED,
                    ))
                }
            }
        }
    }

    /** Opens the licence form: the empty one ([id] null; a 营业执照) or licence [id]'s. */
    fun startLicence(id: Long? = null) = open(licenceSlot, id, { it.licenceForm(id) }, id?.let(::licenceScans))

    /** One field of the licence form; [key] is the field's name (`issued_on`), whose message goes away. */
    fun editLicence(key: String, change: (LicenceForm) -> LicenceForm) = edit(licenceSlot, key, change)

    /** Saves the licence form; an empty 有效期至 is 长期有效. */
    fun saveLicence(done: () -> Unit = {}) = save(licenceSlot, done) { d, uscc, id, form -> d.saveLicence(uscc, id, form) }

    fun cancelLicence() = _state.update { it.copy(licenceEditor = null) }

    fun removeLicence(id: Long) = change({ d, _ -> d.removeLicence(id) })

    fun startMaterial(id: Long? = null) = open(materialSlot, id, { it.materialForm(id) }, id?.let(::materialScans))

    fun editMaterial(key: String, change: (MaterialForm) -> MaterialForm) = edit(materialSlot, key, change)

    /** Saves the material form; a saved material keeps its vault scan (linked from the vault). */
    fun saveMaterial(done: () -> Unit = {}) = save(materialSlot, done) { d, uscc, id, form -> d.saveMaterial(uscc, id, form) }

    fun cancelMaterial() = _state.update { it.copy(materialEditor = null) }

    fun removeMaterial(id: Long) = change({ d, _ -> d.removeMaterial(id) })

    /** Opens the application record form (办事记录): a new one submitted today, or record [id]'s. */
    fun startRecord(id: Long? = null) = open(recordSlot, id, { it.recordForm(id) })

    fun editRecord(key: String, change: (RecordForm) -> RecordForm) = edit(recordSlot, key, change)

    /**
     * Saves the record form. A 查询密码 typed in it is sealed by the vault: locked, the core saves nothing
     * and the editor says [ItemFormState.needsUnlock]; after the PIN, save again. Empty keeps a saved one.
     */
    fun saveRecord(done: () -> Unit = {}) = save(recordSlot, done) { d, uscc, id, form -> d.saveRecord(uscc, id, form) }

    fun cancelRecord() = _state.update { it.copy(recordEditor = null) }

    /** The record's progress: a new status at [at] as typed or picked (`YYYY-MM-DD HH:MM`; empty is now). */
    fun setRecordStatus(id: Long, status: RecordStatus, at: String = "") =
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

    /**
     * Drops every 查询密码 shown and any typed into an open record form: the app left the screen and the
     * vault locked, so what it guards must not stay in memory or reappear when the app comes back.
     */
    fun forgetSecrets() = _state.update { s ->
        s.copy(
            lookupPasswords = emptyMap(),
            recordEditor = s.recordEditor?.let { it.copy(form = it.form.copy(lookupPassword = "")) },
        )
    }
}
