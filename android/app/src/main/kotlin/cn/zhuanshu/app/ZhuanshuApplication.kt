package cn.zhuanshu.app

import android.app.Application
import cn.zhuanshu.app.notify.Notifications
import cn.zhuanshu.model.AssistantViewModel
import cn.zhuanshu.model.DossierViewModel
import cn.zhuanshu.model.GuideViewModel
import cn.zhuanshu.model.HomeViewModel
import java.io.File
import uniffi.zhuanshu_ffi.ZhuanshuApp

/**
 * Opens the core once per process (data in the app's private files, never backed up) and holds the view
 * models, which outlive configuration changes this way without Android's ViewModel classes.
 *
 * TODO(vault): the Android Keystore `KeyProvider` belongs here once the vault and its `KeyProvider`
 * foreign trait are exported by bindings/ffi (they are not yet: `target/bindings/kotlin` has no
 * `KeyProvider` interface). It will wrap the vault's data key with a non-exportable AES-256-GCM key
 * (`KeyGenParameterSpec`, `setUserAuthenticationRequired` per the owner's setting) and pass the
 * implementation to the core. Until then there is no vault screen and nothing is wrapped; no placeholder
 * pretends otherwise.
 */
class ZhuanshuApplication : Application() {
    val core: ZhuanshuApp by lazy {
        ZhuanshuApp.open(File(filesDir, "zhuanshu").path, null)
    }
    val scheduler by lazy { AndroidScheduler() }

    val home by lazy { HomeViewModel(core, scheduler) }
    val dossier by lazy { DossierViewModel(core, scheduler) }
    val assistant by lazy { AssistantViewModel(core, scheduler) }
    val guide by lazy { GuideViewModel(core, scheduler) }

    override fun onCreate() {
        super.onCreate()
        Notifications.createChannels(this)
        Notifications.scheduleDailyRefresh(this)
    }
}
