import SwiftUI
import ZhuanshuKit

/// Opens the core once (data in Application Support, excluded from backups) and holds the view models.
///
/// TODO(vault): the Keychain `KeyProvider` belongs here once bindings/ffi exports the vault and its
/// `KeyProvider` foreign trait (not yet: target/bindings/swift has no `KeyProvider` protocol). It will keep
/// the key that wraps the vault's data key in the Keychain (`kSecAttrAccessibleWhenUnlockedThisDeviceOnly`,
/// optionally behind Face ID with `SecAccessControl`) and pass the implementation to the core. Until then
/// there is no vault screen and nothing is wrapped; no placeholder pretends otherwise.
final class AppModel: ObservableObject {
    let core: ZhuanshuApp?
    let openError: String?
    let home: HomeViewModel?
    let dossier: DossierViewModel?
    let assistant: AssistantViewModel?
    let guide: GuideViewModel?

    init() {
        var core: ZhuanshuApp?
        var failure: String?
        do {
            core = try ZhuanshuApp.open(dataDir: AppModel.dataDirectory(), fixedNow: nil)
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
               let assistant = model.assistant, let guide = model.guide {
                ContentView(home: home, dossier: dossier, assistant: assistant, guide: guide)
                    .onAppear { LocalNotifications.shared.requestAuthorization(core: core) }
                    .onChange(of: scenePhase) { phase in
                        if phase == .active {
                            LocalNotifications.shared.refresh(core: core)
                        }
                    }
            } else {
                Text(model.openError ?? "无法打开数据").padding()
            }
        }
    }
}
