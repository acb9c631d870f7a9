package cn.zhuanshu.app

import android.Manifest
import android.content.Intent
import android.os.Build
import android.os.Bundle
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.AccountBox
import androidx.compose.material.icons.filled.Build
import androidx.compose.material.icons.filled.Home
import androidx.compose.material.icons.filled.Lock
import androidx.compose.material.icons.filled.Search
import androidx.compose.material.icons.filled.Star
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.zhuanshu.app.notify.Notifications
import cn.zhuanshu.app.ui.AssistantScreen
import cn.zhuanshu.app.ui.DossierScreen
import cn.zhuanshu.app.ui.GuideScreen
import cn.zhuanshu.app.ui.HomeScreen
import cn.zhuanshu.app.ui.PoliciesScreen
import cn.zhuanshu.app.ui.QuickAction
import cn.zhuanshu.app.ui.VaultScreen
import uniffi.zhuanshu.Action

/**
 * The tabs: the web app's, and 证照夹 (the vault, which needs the platform key); one entry and one screen
 * each. 政策 sits next to 首页: checking policies is one tap from home.
 */
enum class Tab(val label: String, val icon: ImageVector) {
    HOME("首页", Icons.Filled.Home),
    POLICIES("政策", Icons.Filled.Star),
    DOSSIER("档案", Icons.Filled.AccountBox),
    ASSISTANT("客服", Icons.Filled.Search),
    GUIDE("办事", Icons.Filled.Build),
    VAULT("证照夹", Icons.Filled.Lock),
}

/** A FragmentActivity (a ComponentActivity) because BiometricPrompt, the vault's prompt, needs one. */
class MainActivity : FragmentActivity() {
    private val askNotifications = registerForActivityResult(ActivityResultContracts.RequestPermission()) {
        Notifications.refreshNow(this)
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = application as ZhuanshuApplication
        openFromNotification(intent)
        if (Build.VERSION.SDK_INT >= 33) askNotifications.launch(Manifest.permission.POST_NOTIFICATIONS)
        setContent {
            MaterialTheme { Shell(app) }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        openFromNotification(intent)
    }

    /** A tapped notification names its company: switch to it so 首页 shows that company's item. */
    private fun openFromNotification(intent: Intent?) {
        val uscc = intent?.getStringExtra(Notifications.EXTRA_USCC) ?: return
        (application as ZhuanshuApplication).dossier.switchTo(uscc)
    }
}

/**
 * The tab bar and the routes between tabs. From 首页 every frequent task is at most two taps: its quick
 * actions open the licence or record editor directly (one tap), 政策 and 客服 are tabs (one tap), and a
 * home item opens its licence, material, record or policy page directly (one tap).
 */
@Composable
private fun Shell(app: ZhuanshuApplication) {
    var tab by rememberSaveable { mutableStateOf(Tab.HOME) }
    // The record page shown in 档案, held here so a home item can open it.
    var openRecord by rememberSaveable { mutableStateOf<Long?>(null) }
    // Each tab reloads when shown: another tab may have switched the company or changed its data.
    LaunchedEffect(tab) {
        when (tab) {
            Tab.HOME -> {
                app.home.refresh()
                app.content.refresh()
            }
            Tab.POLICIES -> app.policies.refresh()
            Tab.DOSSIER -> app.dossier.refresh()
            Tab.ASSISTANT -> app.assistant.start()
            Tab.GUIDE -> app.guide.refresh()
            Tab.VAULT -> app.vault.refresh()
        }
    }
    // Once the core has recorded a done / snooze / dismiss / undo (the view model then posts its notice),
    // the notification schedule is planned again.
    val homeState by app.home.state.collectAsStateWithLifecycle()
    LaunchedEffect(homeState.notice) {
        if (homeState.notice != null) Notifications.refreshNow(app)
    }
    // New content (a holiday calendar moves deadlines, new FAQ changes the predicted questions): reload 首页
    // and plan the notifications again.
    val contentState by app.content.state.collectAsStateWithLifecycle()
    LaunchedEffect(contentState.report) {
        if (contentState.report?.updated == true) {
            app.home.refresh()
            Notifications.refreshNow(app)
        }
    }
    Scaffold(
        bottomBar = {
            NavigationBar {
                Tab.entries.forEach { t ->
                    NavigationBarItem(
                        selected = t == tab,
                        onClick = { tab = t },
                        icon = { Icon(t.icon, contentDescription = null) },
                        label = { Text(t.label) },
                    )
                }
            }
        },
    ) { padding ->
        val modifier = Modifier.padding(padding)
        when (tab) {
            Tab.HOME -> HomeScreen(app.home, app.content, modifier, onAction = { action ->
                when (action) {
                    is Action.Faq -> {
                        app.assistant.open(action.id)
                        tab = Tab.ASSISTANT
                    }
                    is Action.Guide -> {
                        app.guide.start(action.item)
                        tab = Tab.GUIDE
                    }
                    is Action.Policy -> {
                        app.policies.open(action.id)
                        tab = Tab.POLICIES
                    }
                    is Action.Licence -> {
                        app.dossier.startLicence(action.id)
                        tab = Tab.DOSSIER
                    }
                    is Action.Material -> {
                        app.dossier.startMaterial(action.id)
                        tab = Tab.DOSSIER
                    }
                    is Action.Record -> {
                        openRecord = action.id
                        tab = Tab.DOSSIER
                    }
                    else -> Unit
                }
            }, onAddCompany = {
                app.dossier.startAdd()
                tab = Tab.DOSSIER
            }, onQuick = { quick ->
                when (quick) {
                    QuickAction.ADD_LICENCE -> {
                        app.dossier.startLicence()
                        tab = Tab.DOSSIER
                    }
                    QuickAction.ADD_RECORD -> {
                        app.dossier.startRecord()
                        tab = Tab.DOSSIER
                    }
                    QuickAction.POLICIES -> tab = Tab.POLICIES
                    QuickAction.ASK -> tab = Tab.ASSISTANT
                }
            })
            Tab.POLICIES -> PoliciesScreen(app.policies, app.materialKinds, modifier, onAddCompany = {
                app.dossier.startAdd()
                tab = Tab.DOSSIER
            }, onOpenService = { code ->
                app.guide.start(code)
                tab = Tab.GUIDE
            })
            Tab.DOSSIER -> DossierScreen(
                app.dossier,
                app.vault,
                app.licenceKinds,
                app.materialKinds,
                openRecord,
                onOpenRecord = { openRecord = it },
                modifier = modifier,
            )
            Tab.ASSISTANT -> AssistantScreen(app.assistant, modifier)
            Tab.GUIDE -> GuideScreen(app.guide, modifier)
            Tab.VAULT -> VaultScreen(app.vault, homeState.company?.company?.uscc, modifier)
        }
    }
}
