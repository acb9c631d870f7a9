import SwiftUI
import ZhuanshuKit

/// 内容更新 on 首页, as on Android: the content version in force (policies, FAQ, guide, holiday calendar)
/// and 立即更新. The core verifies the signed feed; a refused sync keeps the content, and the section says
/// why in the core's words.
struct ContentSection: View {
    @ObservedObject var vm: ContentViewModel

    var body: some View {
        Section("内容更新") {
            Text("政策、问答、办事指南和节假日日历由发布方签名后更新；验证不通过时，现有内容保持不变。")
                .font(.caption)
                .foregroundColor(.secondary)
            if let status = vm.state.status {
                Text("当前版本：" + (status.version == 0 ? "内置内容（第 0 版）" : "第 \(status.version) 版"))
                Text("上次检查：" + (status.checkedAt.map(minutes) ?? "尚未检查"))
                    .font(.caption)
                    .foregroundColor(.secondary)
                if let expires = status.expires {
                    Text("有效期至：" + minutes(expires))
                        .font(.caption)
                        .foregroundColor(.secondary)
                }
                if let freshness = ContentSync.freshness(status) {
                    Text(freshness)
                        .font(.caption)
                        .foregroundColor(status.fresh ? .secondary : .red)
                }
                if let problem = status.problem {
                    Text(problem).foregroundColor(.red)
                }
                if status.expired {
                    Text("内容已过期：发布方尚未发布新版本。现有内容仍可使用，但可能不是最新的。").foregroundColor(.red)
                }
            }
            if let message = vm.state.message {
                Text(message)
            }
            if let error = vm.state.error {
                Text(error.message).foregroundColor(.red)
            }
            Button(vm.state.syncing ? "正在检查更新…" : "立即更新", action: vm.sync)
                .disabled(vm.state.syncing)
        }
    }
}

/// `2026-11-22T09:00:00` as `2026-11-22 09:00`.
private func minutes(_ at: String) -> String {
    String(at.replacingOccurrences(of: "T", with: " ").prefix(16))
}

/// The daily content sync while the app runs: when it becomes active and the core's last check is a day
/// old (`ContentSync.isDue`), on a queue of its own. iOS gives no guaranteed background time without a
/// BGTaskScheduler registration, so this is the equivalent of Android's periodic job.
final class ContentUpdates {
    static let shared = ContentUpdates()

    private let queue = DispatchQueue(label: "cn.zhuanshu.content", qos: .utility)

    func syncIfDue(core: ZhuanshuApp, url: String, onUpdated: @escaping () -> Void) {
        queue.async {
            guard let status = try? core.feed().status(), ContentSync.isDue(status) else {
                return
            }
            if ContentSync.periodic(app: core, url: url) == .updated {
                DispatchQueue.main.async(execute: onUpdated)
            }
        }
    }
}
