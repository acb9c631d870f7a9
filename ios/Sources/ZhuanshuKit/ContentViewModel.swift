import Combine
import Foundation

public struct ContentState {
    public var loading = true
    /// The version in force, where it came from and when it was checked; kept as it was when a sync fails.
    public var status: FeedStatus?
    /// The feed site this device syncs from.
    public var feedUrl: String
    public var syncing = false
    /// The last successful sync, for the result line and for screens that reload after an update.
    public var report: SyncReport?
    /// "已更新到第1版，更新了1个文件" / "已是最新（第1版）"; nil after a failed sync (see `error`).
    public var message: String?
    /// Why the last sync failed: the core's Chinese message (the previous content stays in force).
    public var error: UiError?

    public init(feedUrl: String = "") {
        self.feedUrl = feedUrl
    }
}

/// 内容更新, as `ContentViewModel` on Android: which content version is in force (policies, FAQ, guide,
/// holiday calendar) and a sync with the signed feed at `feedUrl`. The core verifies and applies
/// everything; a failed sync changes nothing but the message, since the core keeps the previous content.
public final class ContentViewModel: ObservableObject {
    @Published public private(set) var state: ContentState

    private let app: ZhuanshuAppProtocol
    private let scheduler: Scheduler

    public init(app: ZhuanshuAppProtocol, scheduler: Scheduler = DispatchScheduler(), feedUrl: String) {
        self.app = app
        self.scheduler = scheduler
        state = ContentState(feedUrl: feedUrl)
    }

    /// Reloads the status (when the screen is shown; the background sync may have updated it meanwhile).
    public func refresh() {
        state.loading = true
        let app = self.app
        scheduler.background({ try app.feed().status() }) { [weak self] result in
            guard let self = self else { return }
            self.state.loading = false
            switch result {
            case let .success(status):
                self.state.status = status
            case let .failure(error):
                self.state.error = uiError(error)
            }
        }
    }

    /// Syncs now (立即更新). One at a time: a second tap while syncing does nothing.
    public func sync() {
        if state.syncing {
            return
        }
        let app = self.app
        let url = state.feedUrl
        state.syncing = true
        state.message = nil
        state.error = nil
        scheduler.background({ () throws -> (SyncReport, FeedStatus) in
            let report = try app.feed().sync(url: url)
            return (report, try app.feed().status())
        }) { [weak self] result in
            guard let self = self else { return }
            self.state.syncing = false
            switch result {
            case let .success((report, status)):
                self.state.loading = false
                self.state.status = status
                self.state.report = report
                self.state.message = ContentSync.message(report)
            case let .failure(error):
                self.state.error = uiError(error)
                // The version shown stays; only the time of the last check may have moved on.
                self.scheduler.background({ try app.feed().status() }) { [weak self] again in
                    if case let .success(status) = again {
                        self?.state.status = status
                    }
                }
            }
        }
    }

    public func clearMessage() { state.message = nil }

    public func clearError() { state.error = nil }
}

/// What a background sync asks of the platform.
public enum PeriodicSyncResult: Equatable {
    /// A new version was applied: screens showing content should reload.
    case updated
    case upToDate
    /// The site could not be reached: try again later.
    case retry
    /// The core refused the update (signature, rollback, expiry …) or failed otherwise: wait for the next period.
    case failed
}

/// The sync the app runs on its own (when it becomes active and the last check is a day old), and the
/// wording of a sync's outcome, as `ContentSync` on Android.
public enum ContentSync {
    public static let period: TimeInterval = 24 * 60 * 60

    /// How current the content is, from the core's status, as on Android: "内容已于 … 核验，有效至 …" while
    /// the verified timestamp holds, a warning once it has run out; nil for the built-in content.
    public static func freshness(_ status: FeedStatus) -> String? {
        guard let checked = status.checkedAt, let until = status.verifiedUntil else {
            return nil
        }
        if status.fresh {
            return "内容已于 \(minutes(checked)) 核验，有效至 \(minutes(until))"
        }
        return "内容更新已过期（有效至 \(minutes(until))）：可能被拦截或发布方未及时更新，请重新同步"
    }

    /// `2026-11-22T09:00:00` as `2026-11-22 09:00`.
    private static func minutes(_ at: String) -> String {
        String(at.replacingOccurrences(of: "T", with: " ").prefix(16))
    }

    /// The result line of a sync, from the core's report.
    public static func message(_ report: SyncReport) -> String {
        if report.updated {
            return "已更新到第\(report.version)版，更新了\(report.changed.count + report.removed.count)个文件"
        }
        return report.version == 0 ? "已是最新（内置内容）" : "已是最新（第\(report.version)版）"
    }

    /// Syncs with `url` on the calling (background) thread; never throws.
    public static func periodic(app: ZhuanshuAppProtocol, url: String) -> PeriodicSyncResult {
        do {
            return try app.feed().sync(url: url).updated ? .updated : .upToDate
        } catch let ZhuanshuError.Sync(code, _, _) {
            return code == "network" ? .retry : .failed
        } catch {
            return .failed
        }
    }

    /// Whether the core's last check (`checkedAt`, Asia/Shanghai local time) is at least a period ago.
    public static func isDue(_ status: FeedStatus, now: Date = Date()) -> Bool {
        guard let checked = status.checkedAt, let at = shanghaiTime.date(from: checked) else {
            return true
        }
        return now.timeIntervalSince(at) >= period
    }

    /// `2026-11-22T09:00:00`, as the core spells its local times.
    private static let shanghaiTime: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter
    }()
}
