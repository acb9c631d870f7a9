package cn.zhuanshu.model

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.zhuanshu.FeedStatus
import uniffi.zhuanshu.SyncReport
import uniffi.zhuanshu_ffi.ZhuanshuAppInterface
import uniffi.zhuanshu_ffi.ZhuanshuException

data class ContentState(
    val loading: Boolean = true,
    /** The version in force, where it came from and when it was checked; kept as it was when a sync fails. */
    val status: FeedStatus? = null,
    /** The feed site this device syncs from. */
    val feedUrl: String = "",
    val syncing: Boolean = false,
    /** The last successful sync, for the result line and for screens that reload after an update. */
    val report: SyncReport? = null,
    /** "已更新到第1版，更新了1个文件" / "已是最新（第1版）"; null after a failed sync (see [error]). */
    val message: String? = null,
    /** Why the last sync failed: the core's Chinese message (the previous content stays in force). */
    val error: UiError? = null,
)

/**
 * 内容更新: which content version is in force (policies, FAQ, guide, holiday calendar) and a sync with the
 * signed feed at [feedUrl]. The core verifies and applies everything; a failed sync changes nothing but the
 * message, since the core keeps the previous content in force.
 */
class ContentViewModel(
    private val app: ZhuanshuAppInterface,
    private val scheduler: Scheduler,
    feedUrl: String,
) {
    private val _state = MutableStateFlow(ContentState(feedUrl = feedUrl))
    val state: StateFlow<ContentState> = _state.asStateFlow()

    /** Reloads the status (when the screen is shown; the periodic sync may have updated it meanwhile). */
    fun refresh() {
        _state.update { it.copy(loading = true) }
        scheduler.call({ app.feed().status() }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> _state.update { it.copy(loading = false, status = outcome.value, error = null) }
                is Outcome.Failed -> _state.update { it.copy(loading = false, error = outcome.error) }
            }
        }
    }

    /** Syncs now (立即更新). One at a time: a second tap while syncing does nothing. */
    fun sync() {
        if (_state.value.syncing) return
        val url = _state.value.feedUrl
        _state.update { it.copy(syncing = true, message = null, error = null) }
        scheduler.call({
            val report = app.feed().sync(url)
            report to app.feed().status()
        }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> _state.update {
                    val (report, status) = outcome.value
                    it.copy(syncing = false, loading = false, status = status, report = report, message = ContentSync.message(report))
                }
                is Outcome.Failed -> {
                    _state.update { it.copy(syncing = false, error = outcome.error) }
                    // The version shown stays; only the time of the last check may have moved on.
                    scheduler.call({ app.feed().status() }) { again ->
                        if (again is Outcome.Ok) _state.update { it.copy(status = again.value) }
                    }
                }
            }
        }
    }

    fun clearMessage() = _state.update { it.copy(message = null) }

    fun clearError() = _state.update { it.copy(error = null) }
}

/** What a background sync asks of the platform's job scheduler. */
enum class PeriodicSyncResult {
    /** A new version was applied: screens showing content should reload. */
    UPDATED,
    UP_TO_DATE,
    /** The site could not be reached: try again later (WorkManager's back-off). */
    RETRY,
    /** The core refused the update (signature, rollback, expiry …) or failed otherwise: wait for the next period. */
    FAILED,
}

/**
 * The sync the apps run on their own, once a day (Android: a periodic WorkManager job with a network
 * constraint; iOS: when the app becomes active), and the wording of a sync's outcome.
 */
object ContentSync {
    /** Android's minimum period is 15 minutes; content changes rarely. */
    const val PERIOD_HOURS = 24L

    /**
     * How current the content is, from the core's status: "内容已于 … 核验，有效至 …" while the verified
     * timestamp holds, a warning once it has run out (a frozen or intercepted feed); null for the built-in content.
     */
    fun freshness(status: FeedStatus): String? {
        val checked = status.checkedAt ?: return null
        val until = status.verifiedUntil ?: return null
        return if (status.fresh) {
            "内容已于 ${minutes(checked)} 核验，有效至 ${minutes(until)}"
        } else {
            "内容更新已过期（有效至 ${minutes(until)}）：可能被拦截或发布方未及时更新，请重新同步"
        }
    }

    /** `2026-11-22T09:00:00` as `2026-11-22 09:00`. */
    private fun minutes(at: String): String = at.replace('T', ' ').take(16)

    /** The result line of a sync, from the core's report. */
    fun message(report: SyncReport): String = when {
        report.updated -> "已更新到第${report.version}版，更新了${report.changed.size + report.removed.size}个文件"
        report.version == 0UL -> "已是最新（内置内容）"
        else -> "已是最新（第${report.version}版）"
    }

    /** Syncs with [url] on the calling (background) thread; never throws. */
    fun periodic(app: ZhuanshuAppInterface, url: String): PeriodicSyncResult = try {
        if (app.feed().sync(url).updated) PeriodicSyncResult.UPDATED else PeriodicSyncResult.UP_TO_DATE
    } catch (e: ZhuanshuException.Sync) {
        if (e.code == NETWORK) PeriodicSyncResult.RETRY else PeriodicSyncResult.FAILED
    } catch (e: Exception) {
        PeriodicSyncResult.FAILED
    }

    /** The core's code for a site that could not be reached or answered with an error status. */
    private const val NETWORK = "network"
}
