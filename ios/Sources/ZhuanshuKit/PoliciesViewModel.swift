import Combine
import Foundation

/// A policy the owner opened: the core's judgement of it for `uscc` today (verdict, window, one line per
/// condition) and the 办事 services that carry it out. `uscc` is kept so a company switch closes a page
/// that no longer speaks about the current company.
public struct PolicyDetail: Equatable {
    public var uscc: String
    public var check: PolicyCheckView
    public var services: [ItemSummary] = []
}

/// One row of 收藏. `check` is the policy judged for the company — from the checkup, or checked on its own
/// when the checkup does not list it (a policy of another region); nil when the catalog no longer has the
/// policy, so the row can still show `id` and be unsaved.
public struct SavedPolicy: Equatable {
    public var id: String
    public var check: PolicyCheckView?
}

public struct PoliciesState {
    public var loading = true
    /// The company the checkup is for; nil with `noCompany` when the dossier is empty.
    public var company: CompanyOverview?
    public var noCompany = false
    /// The core's checkup (its day and counts); the three lists below are its policies, by verdict.
    public var checkup: CheckupView?
    /// In the core's ranking: what the owner can get, and must act on first, comes first.
    public var eligible: [PolicyCheckView] = []
    /// 差一点: each with its unmet conditions and what would change them (see `unmet`).
    public var nearMisses: [PolicyCheckView] = []
    public var notEligible: [PolicyCheckView] = []
    /// 收藏, in the core's order (the latest day saved first).
    public var saved: [SavedPolicy] = [] {
        didSet { savedIds = Set(saved.map { $0.id }) }
    }
    /// The saved ids, for the star on every card and on the page.
    public private(set) var savedIds: Set<String> = []
    /// The id being opened, until its page arrives (a spinner on that row).
    public var opening: String?
    public var detail: PolicyDetail?
    public var error: UiError?

    public init() {}

    public func isSaved(_ id: String) -> Bool { savedIds.contains(id) }
}

extension PolicyCheckView {
    /// The conditions the core judged not met (unmet, or unknown for want of data), in the policy's order:
    /// for a near miss, exactly what is still needed — each line with its `missing` text when the owner can
    /// act on it. A selection of the core's `met`, not a judgement of its own.
    public var unmet: [ConditionResult] { conditions.filter { !$0.met } }
}

/// 政策, as `PoliciesViewModel` on Android: the current company's checkup (政策体检) as the core judges and
/// ranks it, the saved list, and a policy's page. Opening goes through the core's `open`, which records the
/// read so the ranking learns; the list keeps its order until the next `refresh()`, so nothing moves under
/// the owner's finger.
public final class PoliciesViewModel: ObservableObject {
    @Published public private(set) var state = PoliciesState()

    private let app: ZhuanshuAppProtocol
    private let scheduler: Scheduler

    public init(app: ZhuanshuAppProtocol, scheduler: Scheduler = DispatchScheduler()) {
        self.app = app
        self.scheduler = scheduler
    }

    private struct Loaded {
        var company: CompanyOverview?
        var checkup: CheckupView?
        var saved: [SavedPolicy] = []
    }

    private static func load(_ app: ZhuanshuAppProtocol) throws -> Loaded {
        let company: CompanyOverview
        do {
            company = try app.dossier().current()
        } catch ZhuanshuError.NoCurrentCompany {
            return Loaded(company: nil, checkup: nil)
        }
        let uscc = company.company.uscc
        let checkup = try app.policies().checkup(uscc: uscc)
        return Loaded(company: company, checkup: checkup, saved: try savedOf(app, uscc: uscc, judged: checkup.policies))
    }

    /// The saved rows, judged: from `judged` when listed there, else by the core's `check` (not an open).
    private static func savedOf(_ app: ZhuanshuAppProtocol, uscc: String, judged: [PolicyCheckView]) throws -> [SavedPolicy] {
        var byId: [String: PolicyCheckView] = [:]
        for check in judged {
            byId[check.policy.id] = check
        }
        let policies = app.policies()
        return try policies.saved(uscc: uscc).map { (id: String) throws -> SavedPolicy in
            if let check = byId[id] {
                return SavedPolicy(id: id, check: check)
            }
            do {
                return SavedPolicy(id: id, check: try policies.check(uscc: uscc, id: id))
            } catch ZhuanshuError.NotFound {
                return SavedPolicy(id: id, check: nil) // withdrawn from the catalog
            }
        }
    }

    /// The company acted for: the one on screen, which is what the owner means; the core's current company
    /// when the tab has not loaded yet (a home item or a notification opened a policy directly).
    private static func actingUscc(_ app: ZhuanshuAppProtocol, shown: String?) throws -> String {
        if let shown = shown {
            return shown
        }
        return try app.dossier().current().company.uscc
    }

    /// Reloads the checkup and the saved list (when the tab is shown, after a company switch or a sync).
    public func refresh() {
        state.loading = true
        let app = self.app
        scheduler.background({ try Self.load(app) }) { [weak self] result in
            guard let self = self else { return }
            self.state.loading = false
            switch result {
            case let .success(loaded):
                let policies = loaded.checkup?.policies ?? []
                let uscc = loaded.company?.company.uscc
                self.state.company = loaded.company
                self.state.noCompany = loaded.company == nil
                self.state.checkup = loaded.checkup
                self.state.eligible = policies.filter { $0.verdict == .eligible }
                self.state.nearMisses = policies.filter { $0.verdict == .nearMiss }
                self.state.notEligible = policies.filter { $0.verdict == .notEligible }
                self.state.saved = loaded.saved
                if self.state.detail?.uscc != uscc {
                    self.state.detail = nil
                }
                self.state.error = nil
            case let .failure(error):
                self.state.error = uiError(error)
            }
        }
    }

    /// Opens policy `id` (a card, a saved row, a home item): the core records the read and judges the
    /// policy today. Without a company the core's no-current-company error lands in `error`, as does its
    /// not-found error for an id the catalog does not have.
    public func open(_ id: String) {
        let shown = state.company?.company.uscc
        state.opening = id
        let app = self.app
        scheduler.background({ () throws -> PolicyDetail in
            let uscc = try Self.actingUscc(app, shown: shown)
            let check = try app.policies().open(uscc: uscc, id: id)
            return PolicyDetail(uscc: uscc, check: check, services: try app.guide().forPolicy(policyId: id))
        }) { [weak self] result in
            // Closed, or another policy opened, while this one was loading: the owner has moved on.
            guard let self = self, self.state.opening == id else { return }
            self.state.opening = nil
            switch result {
            case let .success(detail):
                self.state.detail = detail
                self.state.error = nil
            case let .failure(error):
                self.state.error = uiError(error)
            }
        }
    }

    /// Back from a policy's page (or gives up one still loading).
    public func close() {
        state.opening = nil
        state.detail = nil
    }

    /// 收藏. Saving twice changes nothing (the core's rule).
    public func save(_ id: String) {
        changeSaved { app, uscc in try app.policies().save(uscc: uscc, id: id) }
    }

    /// 取消收藏.
    public func unsave(_ id: String) {
        changeSaved { app, uscc in _ = try app.policies().unsave(uscc: uscc, id: id) }
    }

    /// The star: saves or unsaves `id` as `state.savedIds` shows it now.
    public func toggleSave(_ id: String) {
        if state.isSaved(id) {
            unsave(id)
        } else {
            save(id)
        }
    }

    public func clearError() { state.error = nil }

    /// One save or unsave, then the saved list reloaded from the core. Only the saved list: a save also
    /// counts as interest, but re-ranking the checkup at once would move the card the owner just starred.
    private func changeSaved(_ action: @escaping (ZhuanshuAppProtocol, String) throws -> Void) {
        let shown = state.company?.company.uscc
        let judged = state.checkup?.policies ?? []
        let app = self.app
        scheduler.background({ () throws -> [SavedPolicy] in
            let uscc = try Self.actingUscc(app, shown: shown)
            try action(app, uscc)
            return try Self.savedOf(app, uscc: uscc, judged: judged)
        }) { [weak self] result in
            switch result {
            case let .success(saved):
                self?.state.saved = saved
                self?.state.error = nil
            case let .failure(error):
                self?.state.error = uiError(error)
            }
        }
    }
}
