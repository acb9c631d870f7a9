import Combine
import Foundation

/// One scenario being worked through: the answers so far, the questions still open, then the plan.
public struct GuideSession {
    public var code: String
    public var answers: [String: String] = [:]
    public var questions: [PendingQuestion] = []
    public var plan: Plan?
    /// Keys answered, in order, so `back()` can take the last answer back.
    public var order: [String] = []
}

public struct GuideState {
    public var loading = true
    public var tree: [ThemeNode] = []
    public var bundles: [BundleSummary] = []
    public var session: GuideSession?
    public var form: Form?
    public var error: UiError?

    public init() {}
}

/// 办事, as `GuideViewModel` on Android: `nextQuestions` until none is left, then `checkMaterials` against
/// the current company (or `plan` without one).
public final class GuideViewModel: ObservableObject {
    @Published public private(set) var state = GuideState()

    private let app: ZhuanshuAppProtocol
    private let scheduler: Scheduler

    public init(app: ZhuanshuAppProtocol, scheduler: Scheduler = DispatchScheduler()) {
        self.app = app
        self.scheduler = scheduler
    }

    public func refresh() {
        state.loading = true
        let app = self.app
        scheduler.background({ () throws -> ([ThemeNode], [BundleSummary]) in
            (try app.guide().tree(), try app.guide().bundles())
        }) { [weak self] result in
            self?.state.loading = false
            switch result {
            case let .success((tree, bundles)):
                self?.state.tree = tree
                self?.state.bundles = bundles
            case let .failure(error):
                self?.state.error = uiError(error)
            }
        }
    }

    public func start(_ code: String) {
        advance(GuideSession(code: code))
    }

    public func answer(_ key: String, _ value: String) {
        guard var session = state.session else { return }
        session.answers[key] = value
        session.order.removeAll { $0 == key }
        session.order.append(key)
        advance(session)
    }

    public func back() {
        guard var session = state.session else { return }
        guard let last = session.order.popLast() else {
            close()
            return
        }
        session.answers[last] = nil
        advance(session)
    }

    public func close() {
        state.session = nil
        state.form = nil
    }

    public func prefill(_ itemCode: String) {
        let app = self.app
        scheduler.background({ () throws -> Form in
            let uscc = try app.dossier().current().company.uscc
            return try app.guide().prefill(uscc: uscc, code: itemCode)
        }) { [weak self] result in
            switch result {
            case let .success(form): self?.state.form = form
            case let .failure(error): self?.state.error = uiError(error)
            }
        }
    }

    public func closeForm() { state.form = nil }

    public func clearError() { state.error = nil }

    private func advance(_ session: GuideSession) {
        let app = self.app
        scheduler.background({ () throws -> GuideSession in
            var next = session
            let guide = app.guide()
            let pending = try guide.nextQuestions(code: session.code, answers: session.answers)
            if !pending.isEmpty {
                next.questions = pending
                next.plan = nil
                return next
            }
            var uscc: String?
            do {
                uscc = try app.dossier().current().company.uscc
            } catch ZhuanshuError.NoCurrentCompany {
                uscc = nil
            }
            if let uscc = uscc {
                next.plan = try guide.checkMaterials(uscc: uscc, code: session.code, answers: session.answers)
            } else {
                next.plan = try guide.plan(code: session.code, answers: session.answers)
            }
            next.questions = []
            return next
        }) { [weak self] result in
            switch result {
            case let .success(next):
                self?.state.session = next
                self?.state.error = nil
            case let .failure(error):
                self?.state.error = uiError(error)
            }
        }
    }
}
