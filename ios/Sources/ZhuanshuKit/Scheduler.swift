import Foundation

/// A scheduled task that has not run yet can be cancelled; cancelling one that ran does nothing.
public protocol ScheduledTask {
    func cancel()
}

/// Where the view models run their work, as on Android: core calls block (SQLite, the search index), so
/// they run on one background queue and their results come back on the main queue; debounced work runs
/// after a delay. Tests and previews can supply their own.
public protocol Scheduler {
    func schedule(after seconds: TimeInterval, _ task: @escaping () -> Void) -> ScheduledTask
    func background<T>(_ work: @escaping () throws -> T, deliver: @escaping (Result<T, Error>) -> Void)
}

private final class WorkItemTask: ScheduledTask {
    let item: DispatchWorkItem
    init(_ item: DispatchWorkItem) { self.item = item }
    func cancel() { item.cancel() }
}

/// Core calls on one serial queue (never two at once), results and delayed tasks on the main queue.
public final class DispatchScheduler: Scheduler {
    private let queue = DispatchQueue(label: "cn.zhuanshu.core", qos: .userInitiated)

    public init() {}

    public func schedule(after seconds: TimeInterval, _ task: @escaping () -> Void) -> ScheduledTask {
        let item = DispatchWorkItem(block: task)
        DispatchQueue.main.asyncAfter(deadline: .now() + seconds, execute: item)
        return WorkItemTask(item)
    }

    public func background<T>(_ work: @escaping () throws -> T, deliver: @escaping (Result<T, Error>) -> Void) {
        queue.async {
            let result = Result { try work() }
            DispatchQueue.main.async { deliver(result) }
        }
    }
}

/// Runs everything at once on the calling thread (SwiftUI previews).
public final class ImmediateScheduler: Scheduler {
    private struct Done: ScheduledTask {
        func cancel() {}
    }

    public init() {}

    public func schedule(after seconds: TimeInterval, _ task: @escaping () -> Void) -> ScheduledTask {
        task()
        return Done()
    }

    public func background<T>(_ work: @escaping () throws -> T, deliver: @escaping (Result<T, Error>) -> Void) {
        deliver(Result { try work() })
    }
}
