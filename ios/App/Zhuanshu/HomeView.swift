import SwiftUI
import ZhuanshuKit

/// 首页: today's items of the current company, with done / snooze / dismiss and undo; 内容更新 at the end.
struct HomeView: View {
    @ObservedObject var vm: HomeViewModel
    let content: ContentViewModel
    let onAction: (Action) -> Void
    let onAddCompany: () -> Void
    @State private var snoozing: Dynamic?

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
