import Combine
import Foundation

/// The company form's fields; `key` is the core's issue path for that field, so its messages land here.
public enum CompanyField: String, CaseIterable {
    case uscc
    case name
    case companyType = "company_type"
    case legalRepresentative = "legal_representative"
    case registeredCapital = "registered_capital_fen"
    case establishedOn = "established_on"
    case address
    case district
    case industry
    case employees
    case revenue = "revenue_fen"
    case totalAssets = "total_assets_fen"
    case taxpayerKind = "taxpayer_kind"
    case creditGrade = "credit_grade"
    case tags

    public var key: String { rawValue }
}

/// The company form as typed: amounts in yuan as text, dates `YYYY-MM-DD`, tags separated by commas or 、.
public struct CompanyForm: Equatable {
    public var uscc = ""
    public var name = ""
    public var companyType = CompanyType.limitedLiability
    public var legalRepresentative = ""
    public var registeredCapitalYuan = ""
    public var establishedOn = ""
    public var address = ""
    public var district = ""
    public var industry = ""
    public var employees = ""
    public var revenueYuan = ""
    public var totalAssetsYuan = ""
    public var taxpayerKind = TaxpayerKind.smallScale
    public var creditGrade: CreditGrade?
    public var tags = ""

    public init() {}

    /// The form filled from a saved company, for editing.
    public init(company c: Company) {
        uscc = c.uscc
        name = c.name
        companyType = c.companyType
        legalRepresentative = c.legalRepresentative
        registeredCapitalYuan = CompanyForm.yuanText(c.registeredCapitalFen)
        establishedOn = c.establishedOn
        address = c.address
        district = c.district
        industry = c.industry
        employees = String(c.employees)
        revenueYuan = CompanyForm.yuanText(c.revenueFen)
        totalAssetsYuan = c.totalAssetsFen.map(CompanyForm.yuanText) ?? ""
        taxpayerKind = c.taxpayerKind
        creditGrade = c.creditGrade
        tags = c.tags.joined(separator: "，")
    }

    /// Fen as the plain number an owner would type (`1234.5`).
    public static func yuanText(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let a = fen.magnitude
        let cents = a % 100
        if cents == 0 {
            return "\(sign)\(a / 100)"
        }
        let frac = cents % 10 == 0 ? "\(cents / 10)" : (cents < 10 ? "0\(cents)" : "\(cents)")
        return "\(sign)\(a / 100).\(frac)"
    }

    /// The core's `Company`, or the per-field messages of what cannot even be read. Amounts are read by
    /// the core's `parseYuan`; the core validates everything else.
    public func toCompany() -> (Company?, [String: String]) {
        var errors: [String: String] = [:]
        func yuan(_ field: CompanyField, _ text: String, optional: Bool = false) -> Int64? {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                if !optional {
                    errors[field.key] = "请填写金额（元）"
                }
                return nil
            }
            do {
                return try parseYuan(text: text)
            } catch {
                errors[field.key] = uiError(error).message
                return nil
            }
        }
        let capital = yuan(.registeredCapital, registeredCapitalYuan)
        let revenue = yuan(.revenue, revenueYuan)
        let assets = yuan(.totalAssets, totalAssetsYuan, optional: true)
        let staff = UInt32(employees.trimmingCharacters(in: .whitespaces))
        if staff == nil {
            errors[CompanyField.employees.key] = "请填写从业人数（整数）"
        }
        if establishedOn.trimmingCharacters(in: .whitespaces).isEmpty {
            errors[CompanyField.establishedOn.key] = "请填写成立日期"
        }
        guard errors.isEmpty, let capital = capital, let revenue = revenue, let staff = staff else {
            return (nil, errors)
        }
        let separators = CharacterSet(charactersIn: ",，、;；").union(.whitespaces)
        let tagList = tags.components(separatedBy: separators).filter { !$0.isEmpty }
        let company = Company(
            uscc: uscc.trimmingCharacters(in: .whitespaces),
            name: name,
            companyType: companyType,
            legalRepresentative: legalRepresentative,
            registeredCapitalFen: capital,
            establishedOn: establishedOn.trimmingCharacters(in: .whitespaces),
            address: address,
            district: district.trimmingCharacters(in: .whitespaces),
            industry: industry.trimmingCharacters(in: .whitespaces),
            employees: staff,
            revenueFen: revenue,
            totalAssetsFen: assets,
            taxpayerKind: taxpayerKind,
            creditGrade: creditGrade,
            tags: tagList
        )
        return (company, [:])
    }
}

/// An add or edit form in progress; `editing` is the USCC being edited, nil when adding.
public struct CompanyFormState: Equatable {
    public var form = CompanyForm()
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

    public func startAdd() { state.editor = CompanyFormState() }

    public func startEdit() {
        guard let current = state.current else { return }
        state.editor = CompanyFormState(form: CompanyForm(company: current.company), editing: current.company.uscc)
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
        let (parsed, readErrors) = editor.form.toCompany()
        guard let company = parsed else {
            editor.fieldErrors = readErrors
            editor.message = "请检查标出的项目"
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
}
