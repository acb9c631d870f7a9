import Combine
import Foundation

/// The company form's fields (the core's `CompanyForm`, which reads the typed text: amounts, headcount,
/// date, tags); `key` is the core's issue path for that field, so its messages land here.
public enum CompanyField: String, CaseIterable {
    case uscc
    case name
    case companyType = "company_type"
    case legalRepresentative = "legal_representative"
    case registeredCapital = "registered_capital_yuan"
    case establishedOn = "established_on"
    case address
    case district
    case industry
    case employees
    case revenue = "revenue_yuan"
    case totalAssets = "total_assets_yuan"
    case taxpayerKind = "taxpayer_kind"
    case creditGrade = "credit_grade"
    case tags

    public var key: String { rawValue }
}

/// An add or edit form in progress; `editing` is the USCC being edited, nil when adding.
public struct CompanyFormState: Equatable {
    public var form: CompanyForm
    public var editing: String?
    public var fieldErrors: [String: String] = [:]
    public var message: String?
    public var saving = false
}

/// A licence, material or record form in progress: the core's form as typed so far, `id` the item being
/// edited (nil when adding), and the core's messages by field key (the form's field names).
public struct ItemFormState<F: Equatable>: Equatable {
    public var form: F
    public var id: Int64?
    public var fieldErrors: [String: String] = [:]
    public var message: String?
    public var saving = false
    /// The save needs the vault (a 查询密码 was typed) and it is locked: ask for the PIN, then save again.
    public var needsUnlock = false
    /// A saved licence's or material's scans in the vault (a material has at most one).
    public var scans: [DocumentInfo] = []
    /// Why the scans cannot be listed (the vault is locked or not set up): the core's message.
    public var scansError: UiError?

    public init(form: F, id: Int64? = nil) {
        self.form = form
        self.id = id
    }
}

public struct DossierState {
    public var loading = true
    public var companies: [CompanyOverview] = []
    public var current: CompanyOverview?
    public var licences: [Licence] = []
    public var materials: [Material] = []
    public var records: [Record] = []
    public var editor: CompanyFormState?
    public var licenceEditor: ItemFormState<LicenceForm>?
    public var materialEditor: ItemFormState<MaterialForm>?
    public var recordEditor: ItemFormState<RecordForm>?
    /// 查询密码 shown again, by record id (empty: the record has none).
    public var lookupPasswords: [Int64: String] = [:]
    public var error: UiError?

    public init() {}
}

/// 档案, as `DossierViewModel` on Android.
public final class DossierViewModel: ObservableObject {
    @Published public private(set) var state = DossierState()

    private let app: ZhuanshuAppProtocol
    private let scheduler: Scheduler

    public init(app: ZhuanshuAppProtocol, scheduler: Scheduler = DispatchScheduler()) {
        self.app = app
        self.scheduler = scheduler
    }

    public lazy var regions: [Region] = app.dossier().regions()
    public lazy var industries: [Industry] = app.dossier().industries()

    private struct Loaded {
        var companies: [CompanyOverview]
        var current: CompanyOverview?
        var licences: [Licence] = []
        var materials: [Material] = []
        var records: [Record] = []
    }

    private static func load(_ app: ZhuanshuAppProtocol) throws -> Loaded {
        let dossier = app.dossier()
        let companies = try dossier.companies()
        guard let current = companies.first(where: { $0.current }) else {
            return Loaded(companies: companies, current: nil)
        }
        let uscc = current.company.uscc
        return Loaded(
            companies: companies,
            current: current,
            licences: try dossier.licences(uscc: uscc),
            materials: try dossier.materials(uscc: uscc),
            records: try dossier.records(uscc: uscc)
        )
    }

    private func run(_ action: @escaping (ZhuanshuAppProtocol) throws -> Void) {
        let app = self.app
        scheduler.background({ () throws -> Loaded in
            try action(app)
            return try Self.load(app)
        }) { [weak self] result in
            self?.show(result)
        }
    }

    private func show(_ result: Result<Loaded, Error>) {
        state.loading = false
        switch result {
        case let .success(l):
            state.companies = l.companies
            state.current = l.current
            state.licences = l.licences
            state.materials = l.materials
            state.records = l.records
            state.error = nil
        case let .failure(error):
            state.error = uiError(error)
        }
    }

    public func refresh() {
        state.loading = true
        run { _ in }
    }

    public func switchTo(_ uscc: String) {
        if state.current?.company.uscc == uscc {
            return
        }
        run { app in _ = try app.dossier().useCompany(uscc: uscc) }
    }

    public func loadDemo() {
        run { app in _ = try app.dossier().loadDemo() }
    }

    public func removeCompany(_ uscc: String) {
        run { app in try app.dossier().removeCompany(uscc: uscc) }
    }

    /// The core's empty form of a new company.
    public func startAdd() { openForm(nil) }

    /// The core's form of the current company's saved profile.
    public func startEdit() {
        guard let current = state.current else { return }
        openForm(current.company.uscc)
    }

    /// Asks the core for the form off the main thread (editing reads the store); its error shows like any.
    private func openForm(_ uscc: String?) {
        let app = self.app
        scheduler.background({ () throws -> CompanyForm in
            try app.dossier().companyForm(uscc: uscc)
        }) { [weak self] result in
            guard let self = self else { return }
            switch result {
            case let .success(form): self.state.editor = CompanyFormState(form: form, editing: uscc)
            case let .failure(error): self.state.error = uiError(error)
            }
        }
    }

    /// Applies an edit; the message of the edited field goes away as the owner fixes it.
    public func edit(_ field: CompanyField, _ change: (inout CompanyForm) -> Void) {
        guard var editor = state.editor else { return }
        change(&editor.form)
        editor.fieldErrors[field.key] = nil
        state.editor = editor
    }

    public func cancelEdit() { state.editor = nil }

    /// Saves the form: a new company becomes the current one; errors stay on the form, by field.
    public func submit() {
        guard var editor = state.editor, !editor.saving else { return }
        // The core reads the typed text (no I/O, so on this thread): what cannot be read or breaks a rule
        // stays on the form, by field, before anything is saved.
        let company: Company
        do {
            company = try app.dossier().readCompanyForm(form: editor.form)
        } catch {
            let e = uiError(error)
            editor.fieldErrors = e.fields
            editor.message = e.message
            state.editor = editor
            return
        }
        editor.saving = true
        editor.message = nil
        state.editor = editor
        let app = self.app
        let editing = editor.editing
        scheduler.background({ () throws -> Loaded in
            let dossier = app.dossier()
            if let uscc = editing {
                _ = try dossier.updateCompany(uscc: uscc, company: company)
            } else {
                let saved = try dossier.addCompany(company: company)
                _ = try dossier.useCompany(uscc: saved.company.uscc)
            }
            return try Self.load(app)
        }) { [weak self] result in
            guard let self = self else { return }
            switch result {
            case .success:
                self.state.editor = nil
                self.show(result)
            case let .failure(error):
                let e = uiError(error)
                editor.saving = false
                editor.fieldErrors = e.fields
                editor.message = e.message
                self.state.editor = editor
            }
        }
    }

    public func clearError() { state.error = nil }

    // ---- licences, materials and application records of the current company (as on Android) ----

    /// One change to the current company's dossier, then a reload; the core checks every input.
    private func change(_ work: @escaping (DossierApiProtocol, String) throws -> Void) {
        run { app in
            let dossier = app.dossier()
            try work(dossier, try dossier.current().company.uscc)
        }
    }

    // The three item editors work alike (as on Android): open the core's form (empty, or the saved
    // item's), apply edits field by field, save through the core, which reads the text and answers by field.

    private func open<F>(
        _ slot: WritableKeyPath<DossierState, ItemFormState<F>?>, id: Int64?,
        _ form: @escaping (DossierApiProtocol) throws -> F,
        scans: (() throws -> [DocumentInfo])? = nil
    ) {
        let app = self.app
        scheduler.background({ () throws -> ItemFormState<F> in
            Self.withScans(ItemFormState(form: try form(app.dossier()), id: id), scans)
        }) { [weak self] result in
            guard let self = self else { return }
            switch result {
            case let .success(editor): self.state[keyPath: slot] = editor
            case let .failure(error): self.state.error = uiError(error)
            }
        }
    }

    /// The scans listed, or why not: a locked vault does not keep the form from opening.
    private static func withScans<F>(_ editor: ItemFormState<F>, _ scans: (() throws -> [DocumentInfo])?) -> ItemFormState<F> {
        guard let scans = scans else { return editor }
        var e = editor
        do {
            e.scans = try scans()
            e.scansError = nil
        } catch {
            e.scans = []
            e.scansError = uiError(error)
        }
        return e
    }

    /// The vault side of the open licence or material editor: its scans linked, unlinked, listed again.
    private func scanChange<F>(
        _ slot: WritableKeyPath<DossierState, ItemFormState<F>?>,
        _ work: @escaping () throws -> Void, _ scans: @escaping () throws -> [DocumentInfo]
    ) {
        guard let editor = state[keyPath: slot] else { return }
        scheduler.background({ () throws -> ItemFormState<F> in
            try work()
            return Self.withScans(editor, scans)
        }) { [weak self] result in
            guard let self = self, var current = self.state[keyPath: slot] else { return }
            switch result {
            case let .success(listed):
                current.scans = listed.scans
                current.scansError = listed.scansError
            case let .failure(error):
                current.scansError = uiError(error)
            }
            self.state[keyPath: slot] = current
        }
    }

    private func licenceScans(_ id: Int64) -> () throws -> [DocumentInfo] {
        let app = self.app
        return { try app.vault().licenceDocuments(licenceId: id) }
    }

    private func materialScans(_ id: Int64) -> () throws -> [DocumentInfo] {
        let app = self.app
        return {
            guard let doc = try app.dossier().material(id: id).data.vaultDocument else { return [] }
            return [try app.vault().document(id: doc)]
        }
    }

    /// Links vault document `documentId` to the licence or material being edited (a material's replaces its scan).
    public func linkScan(_ documentId: String) {
        let app = self.app
        if let id = state.licenceEditor?.id {
            scanChange(\.licenceEditor, { _ = try app.vault().linkLicence(id: documentId, licenceId: id) }, licenceScans(id))
        } else if let id = state.materialEditor?.id {
            scanChange(\.materialEditor, { _ = try app.vault().linkMaterial(id: documentId, materialId: id) }, materialScans(id))
        }
    }

    /// Unlinks a scan from the licence or material being edited; the document stays in the vault.
    public func unlinkScan(_ documentId: String) {
        let app = self.app
        if let id = state.licenceEditor?.id {
            scanChange(\.licenceEditor, { _ = try app.vault().unlinkLicence(id: documentId, licenceId: id) }, licenceScans(id))
        } else if let id = state.materialEditor?.id {
            scanChange(\.materialEditor, { try app.vault().unlinkMaterial(materialId: id) }, materialScans(id))
        }
    }

    /// Lists the open editor's scans again (after the vault was unlocked).
    public func reloadScans() {
        if let id = state.licenceEditor?.id {
            scanChange(\.licenceEditor, {}, licenceScans(id))
        } else if let id = state.materialEditor?.id {
            scanChange(\.materialEditor, {}, materialScans(id))
        }
    }

    private func edit<F>(_ slot: WritableKeyPath<DossierState, ItemFormState<F>?>, _ key: String, _ change: (inout F) -> Void) {
        guard var editor = state[keyPath: slot] else { return }
        change(&editor.form)
        editor.fieldErrors[key] = nil
        editor.needsUnlock = false
        state[keyPath: slot] = editor
    }

    private func save<F>(
        _ slot: WritableKeyPath<DossierState, ItemFormState<F>?>,
        _ write: @escaping (DossierApiProtocol, String, Int64?, F) throws -> Void
    ) {
        guard var editor = state[keyPath: slot], !editor.saving else { return }
        editor.saving = true
        editor.message = nil
        editor.needsUnlock = false
        state[keyPath: slot] = editor
        let app = self.app
        scheduler.background({ () throws -> Loaded in
            let dossier = app.dossier()
            try write(dossier, try dossier.current().company.uscc, editor.id, editor.form)
            return try Self.load(app)
        }) { [weak self] result in
            guard let self = self else { return }
            switch result {
            case .success:
                self.show(result)
                self.state[keyPath: slot] = nil
            case let .failure(error):
                let e = uiError(error)
                editor.saving = false
                editor.fieldErrors = e.fields
                editor.message = e.message
                editor.needsUnlock = e.kind == .vaultLocked
                self.state[keyPath: slot] = editor
            }
        }
    }

    /// Opens the licence form: the empty one (`id` nil; a 营业执照) or licence `id`'s.
    public func startLicence(id: Int64? = nil) {
        open(\.licenceEditor, id: id, { try $0.licenceForm(id: id) }, scans: id.map(licenceScans))
    }

    /// One field of the licence form; `key` is the field's name (`issued_on`), whose message goes away.
    public func editLicence(_ key: String, _ change: (inout LicenceForm) -> Void) { edit(\.licenceEditor, key, change) }

    /// Saves the licence form; an empty 有效期至 is 长期有效.
    public func saveLicence() {
        save(\.licenceEditor) { d, uscc, id, form in _ = try d.saveLicence(uscc: uscc, id: id, form: form) }
    }

    public func cancelLicence() { state.licenceEditor = nil }

    public func removeLicence(id: Int64) { change { d, _ in try d.removeLicence(id: id) } }

    public func startMaterial(id: Int64? = nil) {
        open(\.materialEditor, id: id, { try $0.materialForm(id: id) }, scans: id.map(materialScans))
    }

    public func editMaterial(_ key: String, _ change: (inout MaterialForm) -> Void) { edit(\.materialEditor, key, change) }

    /// Saves the material form; a saved material keeps its vault scan (linked from the vault).
    public func saveMaterial() {
        save(\.materialEditor) { d, uscc, id, form in _ = try d.saveMaterial(uscc: uscc, id: id, form: form) }
    }

    public func cancelMaterial() { state.materialEditor = nil }

    public func removeMaterial(id: Int64) { change { d, _ in try d.removeMaterial(id: id) } }

    /// Opens the application record form (办事记录): a new one submitted today, or record `id`'s.
    public func startRecord(id: Int64? = nil) { open(\.recordEditor, id: id) { try $0.recordForm(id: id) } }

    public func editRecord(_ key: String, _ change: (inout RecordForm) -> Void) { edit(\.recordEditor, key, change) }

    /// Saves the record form. A 查询密码 typed in it is sealed by the vault: locked, the core saves nothing
    /// and the editor says `needsUnlock`; after the PIN, save again. Empty keeps a saved one.
    public func saveRecord() {
        save(\.recordEditor) { d, uscc, id, form in _ = try d.saveRecord(uscc: uscc, id: id, form: form) }
    }

    public func cancelRecord() { state.recordEditor = nil }

    /// The record's progress: a new status at `at` as typed or picked (`YYYY-MM-DD HH:MM`; empty is now).
    public func setRecordStatus(id: Int64, status: RecordStatus, at: String = "") {
        change { d, _ in _ = try d.setRecordStatus(id: id, status: status, at: at) }
    }

    public func removeRecord(id: Int64) { change { d, _ in try d.removeRecord(id: id) } }

    /// Shows a record's 查询密码 again (the vault must be unlocked).
    public func showLookupPassword(id: Int64) {
        let app = self.app
        scheduler.background({ () throws -> String? in
            try app.dossier().recordLookupPassword(recordId: id)
        }) { [weak self] result in
            guard let self = self else { return }
            switch result {
            case let .success(password): self.state.lookupPasswords[id] = password ?? ""
            case let .failure(error): self.state.error = uiError(error)
            }
        }
    }

    public func hideLookupPassword(id: Int64) { state.lookupPasswords[id] = nil }

    /// Drops every 查询密码 shown and any typed into an open record form: the app left the screen and the
    /// vault locked, so what it guards must not stay in memory or reappear when the app comes back.
    public func forgetSecrets() {
        state.lookupPasswords = [:]
        state.recordEditor?.form.lookupPassword = ""
    }
}
