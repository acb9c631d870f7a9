import SwiftUI
import ZhuanshuKit

/// Opens the core once (data in Application Support, excluded from backups) and holds the view models.
///
/// The core gets the phone's device secret (`KeychainDeviceSecret`, this-device-only): the vault's PIN is
/// bound to this phone, so a copy of the data cannot be guessed elsewhere. When the scene goes to the
/// background the vault locks.
///
/// The vault's platform key is `keyProvider` (Keychain, ZhuanshuKit's `KeychainKeyProvider`); `vault` sets
/// the vault up with it and the PIN, and opens it with it, falling back to the PIN when the key is
/// unavailable or lost.
///
/// Content (policies, FAQ, guide, holiday calendar) comes from the signed feed at `feedUrl`: when the app
/// becomes active and the last check is a day old (`ContentUpdates`), and on demand from 首页's 内容更新.
final class AppModel: ObservableObject {
    /// This repository's app pins the demo root, so the default is the demo site `cargo xtask demo` serves
    /// on the development Mac (the simulator reaches it on 127.0.0.1). A publisher with its own root.json
    /// puts its HTTPS address here.
    static let feedUrl = "http://127.0.0.1:8080/feed/"

    let core: ZhuanshuApp?
    let openError: String?
    let home: HomeViewModel?
    let dossier: DossierViewModel?
    let assistant: AssistantViewModel?
    let guide: GuideViewModel?
    let vault: VaultViewModel?
    let content: ContentViewModel?
    let policies: PoliciesViewModel?
    /// The licence and material kinds the dossier's editors offer (static lists of the core).
    let catalog: DossierCatalog?
    let keyProvider: KeychainKeyProvider

    init() {
        var core: ZhuanshuApp?
        var failure: String?
        do {
            core = try ZhuanshuApp.open(dataDir: AppModel.dataDirectory(), fixedNow: nil, deviceSecret: KeychainDeviceSecret())
        } catch let error as ZhuanshuError {
            failure = error.userMessage
        } catch {
            failure = "无法打开数据"
        }
        self.core = core
        openError = failure
        home = core.map { HomeViewModel(app: $0) }
        dossier = core.map { DossierViewModel(app: $0) }
        assistant = core.map { AssistantViewModel(app: $0) }
        guide = core.map { GuideViewModel(app: $0) }
        let provider = KeychainKeyProvider(requireUserPresence: true)
        keyProvider = provider
        vault = core.map { VaultViewModel(app: $0, provider: provider) }
        content = core.map { ContentViewModel(app: $0, feedUrl: AppModel.feedUrl) }
        policies = core.map { PoliciesViewModel(app: $0) }
        catalog = core.map { DossierCatalog(licenceKinds: $0.dossier().licenceKinds(), materialKinds: $0.dossier().materialKinds()) }
    }

    private static func dataDirectory() -> String {
        let fm = FileManager.default
        let base = (try? fm.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true))
            ?? fm.temporaryDirectory
        var dir = base.appendingPathComponent("zhuanshu", isDirectory: true)
        try? fm.createDirectory(at: dir, withIntermediateDirectories: true)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try? dir.setResourceValues(values)
        return dir.path
    }
}

@main
struct ZhuanshuMain: App {
    @StateObject private var model = AppModel()
    @Environment(\.scenePhase) private var scenePhase

    var body: some Scene {
        WindowGroup {
            if let core = model.core, let home = model.home, let dossier = model.dossier,
               let assistant = model.assistant, let guide = model.guide, let vault = model.vault,
               let content = model.content, let policies = model.policies, let catalog = model.catalog {
                ContentView(home: home, dossier: dossier, assistant: assistant, guide: guide, vault: vault, content: content,
                            policies: policies, catalog: catalog, onChanged: {
                    LocalNotifications.shared.refresh(core: core)
                })
                    .onAppear { LocalNotifications.shared.requestAuthorization(core: core) }
                    .onChange(of: scenePhase) { phase in
                        if phase == .background {
                            vault.onBackground()
                            // A 查询密码 shown on a record page goes with the vault's key.
                            dossier.forgetSecrets()
                        }
                        if phase == .active {
                            LocalNotifications.shared.refresh(core: core)
                            ContentUpdates.shared.syncIfDue(core: core, url: AppModel.feedUrl) {
                                home.refresh()
                                content.refresh()
                                LocalNotifications.shared.refresh(core: core)
                            }
                        }
                    }
            } else {
                Text(model.openError ?? "无法打开数据").padding()
            }
        }
    }
}
