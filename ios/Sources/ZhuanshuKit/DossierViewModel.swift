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

public struct DossierState {
    public var loading = true
    public var companies: [CompanyOverview] = []
    public var current: CompanyOverview?
    public var licences: [Licence] = []
    public var materials: [Material] = []
    public var records: [Record] = []
    public var editor: CompanyFormState?
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

    /// Adds a licence (`id` nil) or replaces one; `data.validUntil` nil is 长期有效.
    public func saveLicence(id: Int64?, data: LicenceData) {
        change { d, uscc in
            if let id = id { _ = try d.updateLicence(id: id, data: data) } else { _ = try d.addLicence(uscc: uscc, data: data) }
        }
    }

    public func removeLicence(id: Int64) { change { d, _ in try d.removeLicence(id: id) } }

    public func saveMaterial(id: Int64?, data: MaterialData) {
        change { d, uscc in
            if let id = id { _ = try d.updateMaterial(id: id, data: data) } else { _ = try d.addMaterial(uscc: uscc, data: data) }
        }
    }

    public func removeMaterial(id: Int64) { change { d, _ in try d.removeMaterial(id: id) } }

    /// Adds an application record; its 查询密码, when given, is sealed by the vault (which must be unlocked).
    public func addRecord(_ data: RecordData, lookupPassword: String? = nil) {
        change { d, uscc in
            let record = try d.addRecord(uscc: uscc, data: data)
            if let password = lookupPassword, !password.isEmpty {
                try d.setRecordLookupPassword(recordId: record.id, password: password)
            }
        }
    }

    /// The record's progress: a new status at `at` (`YYYY-MM-DDTHH:MM:SS`; now when nil).
    public func setRecordStatus(id: Int64, status: RecordStatus, at: String? = nil) {
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
}
