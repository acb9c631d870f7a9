package cn.zhuanshu.app

import android.app.Application
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import cn.zhuanshu.app.content.ContentUpdates
import cn.zhuanshu.app.notify.Notifications
import cn.zhuanshu.app.vault.BiometricAuthenticator
import cn.zhuanshu.app.vault.KeystoreDeviceSecret
import cn.zhuanshu.app.vault.PlatformKey
import cn.zhuanshu.model.AssistantViewModel
import cn.zhuanshu.model.ContentViewModel
import cn.zhuanshu.model.DossierViewModel
import cn.zhuanshu.model.GuideViewModel
import cn.zhuanshu.model.HomeViewModel
import cn.zhuanshu.model.PoliciesViewModel
import cn.zhuanshu.model.VaultViewModel
import java.io.File
import uniffi.zhuanshu.LicenceKind
import uniffi.zhuanshu.MaterialKind
import uniffi.zhuanshu_ffi.ZhuanshuApp

/**
 * Opens the core once per process (data in the app's private files, never backed up nor moved to a new
 * phone: see the manifest's backup rules) and holds the view models, which outlive configuration changes
 * this way without Android's ViewModel classes.
 *
 * The core gets the phone's device secret ([deviceSecret], a Keystore HMAC key): the vault's PIN is bound
 * to this phone. The vault's platform key is [keyProvider] (a Keystore key that needs the owner's
 * biometric or screen lock for each use, through [prompts]; null where the phone has neither); [vault]
 * sets the vault up with it and the PIN, and opens it with it, falling back to the PIN when the prompt is
 * cancelled or the key is lost. When the app goes to the background the vault locks
 * ([VaultViewModel.onBackground]).
 *
 * Content (policies, FAQ, guide, holiday calendar) comes from the signed feed at [feedUrl]: daily in the
 * background ([ContentUpdates]) and on demand from 首页's 内容更新 card ([content]).
 */
class ZhuanshuApplication : Application() {
    val deviceSecret by lazy { KeystoreDeviceSecret() }
    val core: ZhuanshuApp by lazy {
        ZhuanshuApp.open(File(filesDir, "zhuanshu").path, null, deviceSecret)
    }
    val scheduler by lazy { AndroidScheduler() }

    /** Asks for the owner's biometric or screen lock; made in [onCreate], before any activity starts. */
    lateinit var prompts: BiometricAuthenticator
        private set
    val keyProvider by lazy { PlatformKey.provider(this, prompts) }
    val feedUrl: String get() = getString(R.string.feed_url)

    val home by lazy { HomeViewModel(core, scheduler) }
    val dossier by lazy { DossierViewModel(core, scheduler) }
    val assistant by lazy { AssistantViewModel(core, scheduler) }
    val guide by lazy { GuideViewModel(core, scheduler) }
    val policies by lazy { PoliciesViewModel(core, scheduler) }

    /**
     * The core's licence and material catalogs for the dossier's pickers (built into the core, so read
     * once; the material names also label a policy's required materials).
     */
    val licenceKinds: List<LicenceKind> by lazy { core.dossier().licenceKinds() }
    val materialKinds: List<MaterialKind> by lazy { core.dossier().materialKinds() }
    private val vaultModel = lazy { VaultViewModel(core, scheduler, keyProvider) }
    val vault by vaultModel
    val content by lazy { ContentViewModel(core, scheduler, feedUrl) }

    override fun onCreate() {
        super.onCreate()
        prompts = BiometricAuthenticator(this)
        // The whole app (every activity) left the screen, or came back. The vault view model decides.
        ProcessLifecycleOwner.get().lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStart(owner: LifecycleOwner) {
                if (vaultModel.isInitialized()) vault.onForeground()
            }

            override fun onStop(owner: LifecycleOwner) {
                if (vaultModel.isInitialized()) vault.onBackground()
                // A 查询密码 shown on a record page goes with the vault's key.
                dossier.forgetSecrets()
            }
        })
        Notifications.createChannels(this)
        Notifications.scheduleDailyRefresh(this)
        ContentUpdates.schedulePeriodic(this)
    }
}
