import Foundation

/// One local notification, with everything UNUserNotificationCenter needs.
public struct PlannedNotification: Equatable {
    /// The core's stable id (`{dynamic id}#{milestone}@{uscc}`): re-planning replaces, never duplicates.
    public var id: String
    public var fireDate: Date
    public var title: String
    public var body: String
    /// The core says which interrupt (overdue and urgent items): time-sensitive.
    public var important: Bool
    public var uscc: String
}

/// What to hand to the OS: requests to (re)add and identifiers scheduled before that are gone.
public struct NotificationPlan: Equatable {
    public var schedule: [PlannedNotification]
    public var cancel: Set<String>
}

/// The core's notification schedule as OS requests, as `NotificationPlanner` on Android.
public enum NotificationPlanner {
    public static func plan(_ notifications: [Notification], scheduledBefore: Set<String>, now: Date) -> NotificationPlan {
        var seen = Set<String>()
        var upcoming: [PlannedNotification] = []
        for n in notifications where Double(n.timestamp) > now.timeIntervalSince1970 && !seen.contains(n.id) {
            seen.insert(n.id)
            upcoming.append(PlannedNotification(
                id: n.id,
                fireDate: Date(timeIntervalSince1970: TimeInterval(n.timestamp)),
                title: n.title,
                body: n.body,
                important: n.important,
                uscc: n.uscc
            ))
        }
        upcoming.sort { $0.fireDate < $1.fireDate }
        return NotificationPlan(schedule: upcoming, cancel: scheduledBefore.subtracting(seen))
    }

    /// Asks the core for the next notifications (`count` of them at `at`, `HH:MM`; the core's defaults when
    /// nil) and plans them.
    public static func plan(app: ZhuanshuAppProtocol, scheduledBefore: Set<String>, now: Date = Date(), count: UInt32? = nil, at: String? = nil) throws -> NotificationPlan {
        plan(try app.dynamics().notifications(count: count, at: at), scheduledBefore: scheduledBefore, now: now)
    }
}
