package cn.zhuanshu.app

import android.app.Application
import cn.zhuanshu.app.content.ContentUpdates
import cn.zhuanshu.app.notify.Notifications
import cn.zhuanshu.app.vault.KeystoreKeyProvider
import cn.zhuanshu.model.AssistantViewModel
import cn.zhuanshu.model.ContentViewModel
import cn.zhuanshu.model.DossierViewModel
import cn.zhuanshu.model.GuideViewModel
import cn.zhuanshu.model.HomeViewModel
import cn.zhuanshu.model.VaultViewModel
import java.io.File
import uniffi.zhuanshu_ffi.ZhuanshuApp

/**
 * Opens the core once per process (data in the app's private files, never backed up) and holds the view
 * models, which outlive configuration changes this way without Android's ViewModel classes.
 *
 * The vault's platform key is [keyProvider] (Android Keystore); [vault] sets the vault up with it and the
 * PIN, and opens it with it, falling back to the PIN when the key is unavailable or lost.
 *
 * Content (policies, FAQ, guide, holiday calendar) comes from the signed feed at [feedUrl]: daily in the
 * background ([ContentUpdates]) and on demand from 首页's 内容更新 card ([content]).
 */
class ZhuanshuApplication : Application() {
    val core: ZhuanshuApp by lazy {
        ZhuanshuApp.open(File(filesDir, "zhuanshu").path, null)
    }
    val scheduler by lazy { AndroidScheduler() }
    val keyProvider by lazy { KeystoreKeyProvider() }
    val feedUrl: String get() = getString(R.string.feed_url)

    val home by lazy { HomeViewModel(core, scheduler) }
    val dossier by lazy { DossierViewModel(core, scheduler) }
    val assistant by lazy { AssistantViewModel(core, scheduler) }
    val guide by lazy { GuideViewModel(core, scheduler) }
    val vault by lazy { VaultViewModel(core, scheduler, keyProvider) }
    val content by lazy { ContentViewModel(core, scheduler, feedUrl) }

    override fun onCreate() {
        super.onCreate()
        Notifications.createChannels(this)
        Notifications.scheduleDailyRefresh(this)
        ContentUpdates.schedulePeriodic(this)
    }
}
