package cn.zhuanshu.model

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.zhuanshu.DocumentInfo
import uniffi.zhuanshu.KeyProvider
import uniffi.zhuanshu.PackageSummary
import uniffi.zhuanshu.VaultStatus
import uniffi.zhuanshu_ffi.ZhuanshuAppInterface
import uniffi.zhuanshu_ffi.ZhuanshuException

data class VaultState(
    val loading: Boolean = true,
    val status: VaultStatus? = null,
    /** The documents, while the vault is unlocked. */
    val documents: List<DocumentInfo> = emptyList(),
    /** Shown once, right after setup: the owner writes it down. */
    val recoveryKey: String? = null,
    /** The platform key could not open the vault (not authenticated, key lost): ask for the PIN. */
    val needsPin: Boolean = false,
    /** The last signed package, for the share sheet. */
    val shared: PackageSummary? = null,
    val error: UiError? = null,
)

/**
 * 证照夹: setup with a PIN and the platform key ([provider]: Android Keystore / iOS Keychain; null where the
 * device has none), unlock with the platform key falling back to the PIN (or the recovery key), documents,
 * and packages signed with the company's seal for sharing. The keys and every rule are the core's.
 *
 * On Android the platform key asks for the owner's biometric or screen lock on every use (see
 * [AuthenticatedKeyProvider]); a cancelled prompt is the core's "locked" error and nothing opens. A
 * platform key that was lost ([PlatformKeyProvider.needsRenewal]) is bound again after the next PIN or
 * recovery-key unlock.
 *
 * When the app goes to the background the vault locks ([onBackground]) — unless the app itself sent the
 * owner to the system's file picker for 添加证照 ([pickingDocument]; the core's idle auto-lock still
 * applies then), or the owner is in the platform key's prompt ([PlatformKeyProvider.prompting]).
 */
class VaultViewModel(
    private val app: ZhuanshuAppInterface,
    private val scheduler: Scheduler,
    private val provider: KeyProvider?,
) {
    private val _state = MutableStateFlow(VaultState())
    val state: StateFlow<VaultState> = _state.asStateFlow()

    private data class Loaded(val status: VaultStatus, val documents: List<DocumentInfo>)

    private fun load(): Loaded {
        val vault = app.vault()
        val status = vault.status()
        return Loaded(status, if (status.unlocked) vault.documents() else emptyList())
    }

    private fun run(work: () -> Unit, after: (VaultState) -> VaultState = { it }) = scheduler.call({
        work()
        load()
    }) { outcome ->
        when (outcome) {
            is Outcome.Ok -> _state.update {
                after(it.copy(loading = false, status = outcome.value.status, documents = outcome.value.documents, error = null))
            }
            is Outcome.Failed -> {
                _state.update { it.copy(loading = false, error = outcome.error) }
                refreshQuietly()
            }
        }
    }

    private fun refreshQuietly() = scheduler.call({ load() }) { outcome ->
        if (outcome is Outcome.Ok) {
            _state.update { it.copy(status = outcome.value.status, documents = outcome.value.documents) }
        }
    }

    fun refresh() = run({})

    /** Sets the vault up with [pin] and the platform key; the recovery key is shown once. */
    fun setUp(pin: String) {
        var recovery = ""
        run({ recovery = app.vault().init(pin, provider) }) { it.copy(recoveryKey = recovery, needsPin = false) }
    }

    fun recoveryKeyNoted() = _state.update { it.copy(recoveryKey = null) }

    /** Opens with the platform key when there is one; otherwise, or when it fails, asks for the PIN. */
    fun unlock() {
        val status = _state.value.status
        if (provider == null || status?.hasKeyProvider != true) {
            _state.update { it.copy(needsPin = true) }
            return
        }
        scheduler.call({
            app.vault().unlockWithProvider(provider)
            load()
        }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> _state.update {
                    it.copy(status = outcome.value.status, documents = outcome.value.documents, needsPin = false, error = null)
                }
                // The key is unavailable or lost: the PIN still opens the vault.
                is Outcome.Failed -> _state.update { it.copy(needsPin = true, error = outcome.error) }
            }
        }
    }

    fun unlockWithPin(pin: String) = run({
        app.vault().unlockWithPin(pin)
        renewPlatformKey()
    }) { it.copy(needsPin = false) }

    /**
     * Forgotten PIN, or a PIN bound to another device (the core's `device_unavailable`): the written-down
     * recovery key opens the vault and sets [newPin] (bound to this device).
     */
    fun recover(recoveryKey: String, newPin: String) = run({
        app.vault().recover(recoveryKey, newPin)
        renewPlatformKey()
    }) { it.copy(needsPin = false) }

    /** A platform key that no longer opens the vault is bound again, now that the vault is open. */
    private fun renewPlatformKey() {
        val renewable = provider as? PlatformKeyProvider ?: return
        if (!renewable.needsRenewal || !app.vault().status().hasKeyProvider) return
        try {
            app.vault().setKeyProvider(renewable)
        } catch (e: ZhuanshuException) {
            // The owner cancelled the prompt: the PIN keeps working, and the next PIN unlock asks again.
        }
    }

    fun lock() = run({ app.vault().lock() })

    @Volatile
    private var picking = false

    /** The owner is sent to the system's file picker for 添加证照: leaving for it does not lock the vault. */
    fun pickingDocument() {
        picking = true
    }

    /** The app is in the foreground again (a pick came back, or was abandoned). */
    fun onForeground() {
        picking = false
    }

    /**
     * The app went to the background (Android: ProcessLifecycleOwner's ON_STOP; iOS: scenePhase
     * `.background`): the key leaves memory at once, the documents leave the screen's state, and a second
     * lock is queued behind any core call still running (an unlock that finishes after this must not leave
     * the vault open). Not while the app waits for the file picker it opened itself, nor while the owner
     * answers the platform key's prompt (the screen lock is another app's screen).
     */
    fun onBackground() {
        if (picking || (provider as? PlatformKeyProvider)?.prompting == true) return
        app.vault().lock()
        _state.update { s -> s.copy(status = s.status?.copy(unlocked = false), documents = emptyList(), needsPin = false) }
        scheduler.call({
            app.vault().lock()
            load()
        }) { outcome ->
            if (outcome is Outcome.Ok) {
                _state.update { it.copy(status = outcome.value.status, documents = outcome.value.documents) }
            }
        }
    }

    fun add(name: String, mediaType: String, bytes: ByteArray) = run({ app.vault().add(name, mediaType, bytes) })

    fun remove(id: String) = run({ app.vault().remove(id) })

    /**
     * Signs [documentIds] with the seal of [uscc] into [outFile] (a new ZIP file in the app's cache), for
     * the share sheet; the seal is created on first use.
     */
    fun signPackage(uscc: String, documentIds: List<String>, outFile: String) {
        var summary: PackageSummary? = null
        run({
            val vault = app.vault()
            summary = try {
                vault.signPackage(uscc, documentIds, outFile)
            } catch (e: ZhuanshuException.NotFound) {
                vault.createSeal(uscc)
                vault.signPackage(uscc, documentIds, outFile)
            }
        }) { it.copy(shared = summary) }
    }

    fun sharedDone() = _state.update { it.copy(shared = null) }

    fun clearError() = _state.update { it.copy(error = null) }
}
