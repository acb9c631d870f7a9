import SwiftUI
import ZhuanshuKit

/// The tabs, as on Android: the web app's four, and 证照夹 (the vault, which needs the platform key). More
/// (政策) are added here: one case and one view each.
enum Tab: Hashable {
    case home, dossier, assistant, guide, vault
}

struct ContentView: View {
    @ObservedObject var home: HomeViewModel
    @ObservedObject var dossier: DossierViewModel
    @ObservedObject var assistant: AssistantViewModel
    @ObservedObject var guide: GuideViewModel
    @ObservedObject var vault: VaultViewModel
    @ObservedObject var content: ContentViewModel
    /// Re-plans the local notifications; called once the core has recorded a done / snooze / dismiss /
    /// undo (the view model then posts its notice).
    let onChanged: () -> Void
    @State private var tab: Tab = .home

    var body: some View {
        TabView(selection: $tab) {
            HomeView(vm: home, content: content, onAction: follow, onAddCompany: {
                dossier.startAdd()
                tab = .dossier
            })
            .tabItem { Label("首页", systemImage: "house") }
            .tag(Tab.home)
            DossierView(vm: dossier)
                .tabItem { Label("档案", systemImage: "building.2") }
                .tag(Tab.dossier)
            AssistantView(vm: assistant)
                .tabItem { Label("客服", systemImage: "magnifyingglass") }
                .tag(Tab.assistant)
            GuideView(vm: guide)
                .tabItem { Label("办事", systemImage: "list.bullet.clipboard") }
                .tag(Tab.guide)
            VaultView(vm: vault, currentUscc: home.state.company?.company.uscc)
                .tabItem { Label("证照夹", systemImage: "lock.doc") }
                .tag(Tab.vault)
        }
        // Each tab reloads when shown: another tab may have switched the company or changed its data.
        .onChange(of: tab) { shown in reload(shown) }
        .onAppear { reload(tab) }
        .onChange(of: home.state.notice) { notice in
            if notice != nil {
                onChanged()
            }
        }
        // New content (a holiday calendar moves deadlines, new FAQ changes the predicted questions):
        // reload 首页 and plan the notifications again.
        .onChange(of: content.state.report) { report in
            if report?.updated == true {
                home.refresh()
                onChanged()
            }
        }
    }

    private func reload(_ shown: Tab) {
        switch shown {
        case .home:
            home.refresh()
            content.refresh()
        case .dossier: dossier.refresh()
        case .assistant: assistant.start()
        case .guide: guide.refresh()
        case .vault: vault.refresh()
        }
    }

    /// Where a home item's action leads.
    private func follow(_ action: Action) {
        switch action {
        case let .faq(id):
            assistant.open(id)
            tab = .assistant
        case let .guide(item):
            guide.start(item)
            tab = .guide
        case .licence, .material, .record:
            tab = .dossier
        case let .website(url):
            if let link = URL(string: url) {
                UIApplication.shared.open(link)
            }
        default:
            break
        }
    }
}

/// The core's Chinese message, dismissible.
struct ErrorBanner: View {
    let error: UiError?
    let dismiss: () -> Void

    var body: some View {
        if let error = error {
            HStack {
                Text(error.message).foregroundColor(.red)
                Spacer()
                Button("知道了", action: dismiss)
            }
            .padding(8)
        }
    }
}

/// Highlighted runs from the view model as one Text.
func highlighted(_ runs: [TextRun]) -> Text {
    runs.reduce(Text("")) { text, run in
        text + (run.highlighted ? Text(run.text).bold().foregroundColor(.orange) : Text(run.text))
    }
}

/// The core's label of a severity.
func severityLabel(_ s: Severity) -> String { CoreLabels.label(s) }

func severityColor(_ s: Severity) -> Color {
    switch s {
    case .overdue: return .red
    case .urgent: return .orange
    case .soon: return .blue
    case .info: return .gray
    }
}

/// The core's "还剩3天" / "今天到期" / "已逾期2天".
func daysText(_ days: Int64) -> String { CoreLabels.days(days) }
