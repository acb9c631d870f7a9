import Foundation
import UserNotifications
import ZhuanshuKit

/// Local notifications from the core's schedule (`dynamics().notifications(count, "09:00")`). The rules
/// cannot run while the app sleeps, so each time the app becomes active (and after the owner changes an
/// item) the next notifications are handed to the OS by the core's stable ids; ids no longer in the
/// schedule are removed. `NotificationPlanner` (ZhuanshuKit) does the diff.
final class LocalNotifications {
    static let shared = LocalNotifications()

    private let center = UNUserNotificationCenter.current()
    private let defaults = UserDefaults.standard
    private let key = "scheduledNotificationIds"
    private let queue = DispatchQueue(label: "cn.zhuanshu.notifications")

    func requestAuthorization(core: ZhuanshuApp) {
        center.requestAuthorization(options: [.alert, .sound, .badge]) { granted, _ in
            if granted {
                self.refresh(core: core)
            }
        }
    }

    func refresh(core: ZhuanshuApp) {
        queue.async {
            let before = Set(self.defaults.stringArray(forKey: self.key) ?? [])
            guard let plan = try? NotificationPlanner.plan(app: core, scheduledBefore: before) else { return }
            self.center.removePendingNotificationRequests(withIdentifiers: Array(plan.cancel))
            for n in plan.schedule {
                let content = UNMutableNotificationContent()
                content.title = n.title
                content.body = n.body
                content.sound = .default
                content.userInfo = ["uscc": n.uscc]
                if #available(iOS 15.0, *) {
                    content.interruptionLevel = n.important ? .timeSensitive : .active
                }
                let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: n.fireDate)
                let trigger = UNCalendarNotificationTrigger(dateMatching: parts, repeats: false)
                self.center.add(UNNotificationRequest(identifier: n.id, content: content, trigger: trigger))
            }
            self.defaults.set(plan.schedule.map { $0.id }, forKey: self.key)
        }
    }
}
