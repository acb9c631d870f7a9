import SwiftUI
import ZhuanshuKit

/// What an owner most often opens the app to do, each one tap from 首页 (ContentView carries it out).
enum QuickAction {
    case addLicence, addRecord, policies, ask
}

/// 首页: quick actions, today's items of the current company, with done / snooze / dismiss and undo;
/// 内容更新 at the end.
struct HomeView: View {
    @ObservedObject var vm: HomeViewModel
    let content: ContentViewModel
    let onAction: (Action) -> Void
    let onAddCompany: () -> Void
    let onQuick: (QuickAction) -> Void
    @State private var snoozing: Dynamic? = nil
    @Environment(\.dynamicTypeSize) private var typeSize

    var body: some View {
        NavigationStack {
            List {
                ErrorBanner(error: vm.state.error, dismiss: vm.clearError)
                if vm.state.noCompany {
                    Section {
                        Text("还没有企业档案").font(.headline)
                        Text("添加您的企业，专属会按它的证照、税种和经营情况提醒您办事期限。")
                        Button("添加企业", action: onAddCompany)
                        Button("载入示例企业", action: vm.loadDemo)
                    }
                } else {
                    quickActions
                    Section {
                        if vm.state.items.isEmpty && !vm.state.loading {
                            Text("近期没有需要办理的事项")
                        }
                        ForEach(vm.state.items, id: \.id) { item in
                            DynamicRow(item: item, vm: vm, onAction: onAction, snoozing: $snoozing)
                        }
                    }
                    if !vm.state.predicted.isEmpty {
                        Section("您可能想问") {
                            ForEach(vm.state.predicted, id: \.id) { p in
                                Button {
                                    onAction(.faq(id: p.id))
                                } label: {
                                    VStack(alignment: .leading) {
                                        Text(p.question)
                                        Text(p.reason).font(.caption).foregroundColor(.secondary)
                                    }
                                }
                            }
                        }
                    }
                }
                ContentSection(vm: content)
            }
            .navigationTitle(vm.state.company?.company.name ?? "专属")
            .refreshable { vm.refresh() }
            .safeAreaInset(edge: .bottom) { noticeBar }
            .confirmationDialog("稍后提醒", isPresented: Binding(get: { snoozing != nil }, set: { if !$0 { snoozing = nil } })) {
                ForEach(vm.state.snoozeChoices, id: \.until) { choice in
                    Button("\(choice.label)  \(choice.until)") {
                        if let item = snoozing {
                            vm.snooze(item, until: choice.until)
                        }
                        snoozing = nil
                    }
                }
            }
        }
    }

    /// Two columns of buttons, one at the accessibility text sizes so the words are not cut.
    private var quickActions: some View {
        Section("快捷操作") {
            LazyVGrid(columns: Array(repeating: GridItem(.flexible(), alignment: .leading), count: typeSize.isAccessibilitySize ? 1 : 2), alignment: .leading) {
                quickButton("添加证照", "doc.badge.plus", .addLicence)
                quickButton("添加办事记录", "square.and.pencil", .addRecord)
                quickButton("政策体检", "checkmark.seal", .policies)
                quickButton("问客服", "questionmark.bubble", .ask)
            }
            .padding(.vertical, 4)
        }
    }

    /// Bordered, so each button in the one List row takes its own taps.
    private func quickButton(_ title: String, _ icon: String, _ action: QuickAction) -> some View {
        Button {
            onQuick(action)
        } label: {
            SwiftUI.Label(title, systemImage: icon)
                .frame(maxWidth: .infinity, alignment: .leading)
        }
        .buttonStyle(.bordered)
    }

    @ViewBuilder private var noticeBar: some View {
        if let notice = vm.state.notice {
            HStack {
                Text(noticeText(notice)).lineLimit(2)
                Spacer()
                if notice.kind != .restored {
                    Button("撤销", action: vm.undo)
                }
                Button("关闭", action: vm.clearNotice)
            }
            .padding()
            .background(.thinMaterial)
        }
    }

    private func noticeText(_ n: Notice) -> String {
        switch n.kind {
        case .done: return "已完成：\(n.title)"
        case .dismissed: return "已忽略：\(n.title)"
        case .snoozed: return "将于\(n.until ?? "")再提醒：\(n.title)"
        case .restored: return "已恢复：\(n.title)"
        }
    }
}

private struct DynamicRow: View {
    let item: Dynamic
    let vm: HomeViewModel
    let onAction: (Action) -> Void
    @Binding var snoozing: Dynamic?

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Text(severityLabel(item.severity)).foregroundColor(severityColor(item.severity)).font(.caption.bold())
                Text(daysText(item.daysLeft)).font(.caption)
            }
            Text(item.title).font(.headline)
            if !item.detail.isEmpty {
                Text(item.detail).font(.subheadline)
            }
            Text("截止 \(item.due)" + (item.daysLeft > 0 ? " · 还有\(item.workdaysLeft)个工作日" : "") + (item.estimated ? " · 按预估日历" : ""))
                .font(.caption)
                .foregroundColor(.secondary)
            HStack {
                if let action = item.action {
                    Button("去办理") { onAction(action) }
                }
                Button("已办") { vm.markDone(item) }
                Button("稍后") { snoozing = item }
                Button("忽略", role: .destructive) { vm.dismiss(item) }
            }
            .buttonStyle(.bordered)
        }
    }
}
