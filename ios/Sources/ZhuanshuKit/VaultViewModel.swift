import Combine
import Foundation

public struct VaultState {
    public var loading = true
    public var status: VaultStatus?
    /// The documents, while the vault is unlocked.
    public var documents: [DocumentInfo] = []
    /// Shown once, right after setup: the owner writes it down.
    public var recoveryKey: String?
    /// The platform key could not open the vault (not authenticated, key lost): ask for the PIN.
    public var needsPin = false
    /// The last signed package, for the share sheet.
    public var shared: PackageSummary?
    public var error: UiError?

    public init() {}
}

/// 证照夹, as `VaultViewModel` on Android: setup with a PIN and the platform key (Keychain, Face ID / Touch
/// ID or the passcode for each use), unlock with the platform key falling back to the PIN or the recovery
/// key, documents, and packages signed with the company's seal. When the app goes to the background the
/// vault locks (`onBackground`, from scenePhase `.background`).
public final class VaultViewModel: ObservableObject {
    @Published public private(set) var state = VaultState()

    private let app: ZhuanshuAppProtocol
    private let scheduler: Scheduler
    private let provider: KeyProvider?

    public init(app: ZhuanshuAppProtocol, scheduler: Scheduler = DispatchScheduler(), provider: KeyProvider?) {
        self.app = app
        self.scheduler = scheduler
        self.provider = provider
    }

    private struct Loaded {
        var status: VaultStatus
        var documents: [DocumentInfo]
    }

    private static func load(_ app: ZhuanshuAppProtocol) throws -> Loaded {
        let vault = app.vault()
        let status = try vault.status()
        return Loaded(status: status, documents: status.unlocked ? try vault.documents() : [])
    }

    private func run<T>(_ work: @escaping (ZhuanshuAppProtocol) throws -> T, after: @escaping (inout VaultState, T) -> Void = { _, _ in }) {
        let app = self.app
        scheduler.background({ () throws -> (T, Loaded) in
            let value = try work(app)
            return (value, try Self.load(app))
        }) { [weak self] result in
            guard let self = self else { return }
            self.state.loading = false
            switch result {
            case let .success((value, loaded)):
                self.state.status = loaded.status
                self.state.documents = loaded.documents
                self.state.error = nil
                after(&self.state, value)
            case let .failure(error):
                self.state.error = uiError(error)
                self.scheduler.background({ try Self.load(app) }) { [weak self] again in
                    if case let .success(loaded) = again {
                        self?.state.status = loaded.status
                        self?.state.documents = loaded.documents
                    }
                }
            }
        }
    }

    public func refresh() {
        run { _ in }
    }

    /// Sets the vault up with `pin` and the platform key; the recovery key is shown once.
    public func setUp(pin: String) {
        let provider = self.provider
        run({ app in try app.vault().`init`(pin: pin, provider: provider) }) { state, recovery in
            state.recoveryKey = recovery
            state.needsPin = false
        }
    }

    public func recoveryKeyNoted() { state.recoveryKey = nil }

    /// Opens with the platform key when there is one; otherwise, or when it fails, asks for the PIN.
    public func unlock() {
        guard let provider = provider, state.status?.hasKeyProvider == true else {
            state.needsPin = true
            return
        }
        let app = self.app
        scheduler.background({ () throws -> Loaded in
            try app.vault().unlockWithProvider(provider: provider)
            return try Self.load(app)
        }) { [weak self] result in
            switch result {
            case let .success(loaded):
                self?.state.status = loaded.status
                self?.state.documents = loaded.documents
                self?.state.needsPin = false
                self?.state.error = nil
            case let .failure(error):
                // The key is unavailable or lost: the PIN still opens the vault.
                self?.state.needsPin = true
                self?.state.error = uiError(error)
            }
        }
    }

    public func unlock(pin: String) {
        run({ app in try app.vault().unlockWithPin(pin: pin) }) { state, _ in state.needsPin = false }
    }

    /// Forgotten PIN, or a PIN bound to another device (the core's `device_unavailable`): the written-down
    /// recovery key opens the vault and sets `newPin` (bound to this device).
    public func recover(recoveryKey: String, newPin: String) {
        run({ app in try app.vault().recover(recoveryKey: recoveryKey, newPin: newPin) }) { state, _ in
            state.needsPin = false
        }
    }

    public func lock() {
        run { app in app.vault().lock() }
    }

    /// The app went to the background (scenePhase `.background`): the key leaves memory at once, the
    /// documents leave the screen's state, and a second lock is queued behind any core call still running
    /// (an unlock that finishes after this must not leave the vault open). The system's file importer and
    /// the Face ID prompt are shown inside the app (the scene stays active or inactive), so they do not
    /// count as leaving it.
    public func onBackground() {
        let app = self.app
        app.vault().lock()
        state.status?.unlocked = false
        state.documents = []
        state.needsPin = false
        scheduler.background({ () throws -> Loaded in
            app.vault().lock()
            return try Self.load(app)
        }) { [weak self] result in
            if case let .success(loaded) = result {
                self?.state.status = loaded.status
                self?.state.documents = loaded.documents
            }
        }
    }

    public func add(name: String, mediaType: String, bytes: Data) {
        run { app in _ = try app.vault().add(name: name, mediaType: mediaType, bytes: bytes) }
    }

    public func remove(_ id: String) {
        run { app in try app.vault().remove(id: id) }
    }

    /// Signs `documentIds` with the seal of `uscc` into `outFile` (a new ZIP file), for the share sheet;
    /// the seal is created on first use.
    public func signPackage(uscc: String, documentIds: [String], outFile: String) {
        run({ app -> PackageSummary in
            let vault = app.vault()
            do {
                return try vault.signPackage(uscc: uscc, documentIds: documentIds, out: outFile)
            } catch ZhuanshuError.NotFound {
                _ = try vault.createSeal(uscc: uscc)
                return try vault.signPackage(uscc: uscc, documentIds: documentIds, out: outFile)
            }
        }) { state, summary in
            state.shared = summary
        }
    }

    public func sharedDone() { state.shared = nil }

    public func clearError() { state.error = nil }
}
