import Combine
import Foundation

/// What the owner just did to an item, offered for undo ("已完成 · 撤销").
public struct Notice: Equatable {
    public enum Kind: Equatable {
        case done, dismissed, snoozed, restored
    }

    public var kind: Kind
    public var dynamicId: String
    public var title: String
    public var until: String?
}

public struct HomeState {
    public var loading = true
    /// The current company; nil with `noCompany` when the dossier is empty.
    public var company: CompanyOverview?
    public var noCompany = false
    /// Today's items, soonest and most serious first (the core's order).
    public var items: [Dynamic] = []
    public var predicted: [Prediction] = []
    /// The dates "稍后提醒" offers today.
    public var snoozeChoices: [SnoozeChoice] = []
    public var notice: Notice?
    public var error: UiError?

    public init() {}
}

/// 首页, as `HomeViewModel` on Android: the current company's dynamics with done / dismiss / snooze (each
/// undoable), the snooze dates the core offers, and the predicted questions.
public final class HomeViewModel: ObservableObject {
    @Published public private(set) var state = HomeState()

    private let app: ZhuanshuAppProtocol
    private let scheduler: Scheduler

    public init(app: ZhuanshuAppProtocol, scheduler: Scheduler = DispatchScheduler()) {
        self.app = app
        self.scheduler = scheduler
    }

    private struct Loaded {
        var company: CompanyOverview?
        var items: [Dynamic] = []
        var predicted: [Prediction] = []
        var choices: [SnoozeChoice] = []
    }

    private static func load(_ app: ZhuanshuAppProtocol) throws -> Loaded {
        let company: CompanyOverview
        do {
            company = try app.dossier().current()
        } catch ZhuanshuError.NoCurrentCompany {
            return Loaded(company: nil)
        }
        let uscc = company.company.uscc
        return Loaded(
            company: company,
            items: try app.dynamics().list(uscc: uscc),
            predicted: try app.assistant().predicted(uscc: uscc),
            choices: app.dynamics().snoozeChoices()
        )
    }

    public func refresh() {
        state.loading = true
        let app = self.app
        scheduler.background({ try Self.load(app) }) { [weak self] result in
            self?.show(result, notice: nil)
        }
    }

    public func markDone(_ item: Dynamic) {
        act(item, .done, until: nil) { app, uscc in _ = try app.dynamics().markDone(uscc: uscc, id: item.id) }
    }

    public func dismiss(_ item: Dynamic) {
        act(item, .dismissed, until: nil) { app, uscc in _ = try app.dynamics().dismiss(uscc: uscc, id: item.id) }
    }

    /// `until` is one of `state.snoozeChoices` (or a date the owner picked), `YYYY-MM-DD`.
    public func snooze(_ item: Dynamic, until: String) {
        act(item, .snoozed, until: until) { app, uscc in _ = try app.dynamics().snooze(uscc: uscc, id: item.id, until: until) }
    }

    public func undo() {
        guard let notice = state.notice, let uscc = state.company?.company.uscc else { return }
        state.notice = nil
        let app = self.app
        scheduler.background({ () throws -> Loaded in
            _ = try app.dynamics().restore(uscc: uscc, id: notice.dynamicId)
            return try Self.load(app)
        }) { [weak self] result in
            self?.show(result, notice: Notice(kind: .restored, dynamicId: notice.dynamicId, title: notice.title, until: nil))
        }
    }

    public func loadDemo() {
        let app = self.app
        scheduler.background({ () throws -> Loaded in
            _ = try app.dossier().loadDemo()
            return try Self.load(app)
        }) { [weak self] result in
            self?.show(result, notice: nil)
        }
    }

    public func clearNotice() { state.notice = nil }

    public func clearError() { state.error = nil }

    private func act(_ item: Dynamic, _ kind: Notice.Kind, until: String?, _ action: @escaping (ZhuanshuAppProtocol, String) throws -> Void) {
        guard let uscc = state.company?.company.uscc else { return }
        // Optimistic: the item leaves the list at once; the reload brings the core's truth.
        state.items.removeAll { $0.id == item.id }
        let app = self.app
        scheduler.background({ () throws -> Loaded in
            try action(app, uscc)
            return try Self.load(app)
        }) { [weak self] result in
            self?.show(result, notice: Notice(kind: kind, dynamicId: item.id, title: item.title, until: until))
        }
    }

    private func show(_ result: Result<Loaded, Error>, notice: Notice?) {
        switch result {
        case let .success(loaded):
            state.loading = false
            state.company = loaded.company
            state.noCompany = loaded.company == nil
            state.items = loaded.items
            state.predicted = loaded.predicted
            state.snoozeChoices = loaded.choices
            state.notice = notice
            state.error = nil
        case let .failure(error):
            state.loading = false
            state.error = uiError(error)
            // Undo the optimistic removal.
            let app = self.app
            scheduler.background({ try Self.load(app) }) { [weak self] again in
                if case let .success(loaded) = again {
                    self?.state.items = loaded.items
                }
            }
        }
    }
}
