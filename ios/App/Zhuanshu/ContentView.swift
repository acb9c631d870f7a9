import SwiftUI
import ZhuanshuKit

/// The tabs, in Android's order: 政策 next to 首页, and 证照夹 (the vault, which needs the platform key) last.
/// With six tabs an iPhone shows four and 更多: the daily ones (首页, 政策, 档案, 客服) come first, and 办事 and
/// 证照夹 are also reached from the screens that need them (a policy's services, the dossier's unlock prompts).
enum Tab: Hashable {
    case home, policies, dossier, assistant, guide, vault
}

struct ContentView: View {
    @ObservedObject var home: HomeViewModel
    @ObservedObject var dossier: DossierViewModel
    @ObservedObject var assistant: AssistantViewModel
    @ObservedObject var guide: GuideViewModel
    @ObservedObject var vault: VaultViewModel
    @ObservedObject var content: ContentViewModel
    @ObservedObject var policies: PoliciesViewModel
    let catalog: DossierCatalog
    /// Re-plans the local notifications; called once the core has recorded a done / snooze / dismiss /
    /// undo (the view model then posts its notice).
    let onChanged: () -> Void
    @State private var tab: Tab = .home
    /// The dossier's pushed record pages, so a home item can open one.
    @State private var dossierPath: [Int64] = []

    var body: some View {
        TabView(selection: $tab) {
            HomeView(vm: home, content: content, onAction: follow, onAddCompany: addCompany, onQuick: quick)
                .tabItem { SwiftUI.Label("首页", systemImage: "house") }
                .tag(Tab.home)
            PoliciesView(vm: policies, onAddCompany: addCompany, onService: { code in
                guide.start(code)
                tab = .guide
            })
            .tabItem { SwiftUI.Label("政策", systemImage: "checkmark.seal") }
            .tag(Tab.policies)
            DossierView(vm: dossier, vault: vault, catalog: catalog, path: $dossierPath)
                .tabItem { SwiftUI.Label("档案", systemImage: "building.2") }
                .tag(Tab.dossier)
            AssistantView(vm: assistant)
                .tabItem { SwiftUI.Label("客服", systemImage: "magnifyingglass") }
                .tag(Tab.assistant)
            GuideView(vm: guide)
                .tabItem { SwiftUI.Label("办事", systemImage: "list.bullet.clipboard") }
                .tag(Tab.guide)
            VaultView(vm: vault, currentUscc: home.state.company?.company.uscc)
                .tabItem { SwiftUI.Label("证照夹", systemImage: "lock.doc") }
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
        case .policies: policies.refresh()
        case .assistant: assistant.start()
        case .guide: guide.refresh()
        case .vault: vault.refresh()
        }
    }

    private func addCompany() {
        dossier.startAdd()
        tab = .dossier
    }

    /// 首页's quick actions: an editor opens over 档案 (saving or cancelling leaves the owner there, by the
    /// item they added), the other two are tabs.
    private func quick(_ action: QuickAction) {
        switch action {
        case .addLicence:
            dossier.startLicence()
            tab = .dossier
        case .addRecord:
            dossier.startRecord()
            tab = .dossier
        case .policies:
            tab = .policies
        case .ask:
            tab = .assistant
        }
    }

    /// Where a home item's action leads: to the very item (its editor, its record page, its policy).
    private func follow(_ action: Action) {
        switch action {
        case let .faq(id):
            assistant.open(id)
            tab = .assistant
        case let .guide(item):
            guide.start(item)
            tab = .guide
        case let .policy(id):
            policies.open(id)
            tab = .policies
        case let .licence(id):
            dossier.startLicence(id: id)
            tab = .dossier
        case let .material(id):
            dossier.startMaterial(id: id)
            tab = .dossier
        case let .record(id):
            dossierPath = [id]
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
