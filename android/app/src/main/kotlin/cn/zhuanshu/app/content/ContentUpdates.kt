package cn.zhuanshu.app.content

import android.content.Context
import androidx.work.Constraints
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.NetworkType
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.Worker
import androidx.work.WorkerParameters
import cn.zhuanshu.app.ZhuanshuApplication
import cn.zhuanshu.app.notify.Notifications
import cn.zhuanshu.model.ContentSync
import cn.zhuanshu.model.PeriodicSyncResult
import java.util.concurrent.TimeUnit

/**
 * The daily content sync (policies, FAQ, guide, holiday calendar) while the app sleeps: a periodic
 * WorkManager job that runs when the phone is online. The model's [ContentSync] does the sync and says
 * whether to retry; 立即更新 on 首页 is the same sync on demand.
 */
object ContentUpdates {
    fun schedulePeriodic(context: Context) {
        val request = PeriodicWorkRequestBuilder<ContentSyncWorker>(ContentSync.PERIOD_HOURS, TimeUnit.HOURS)
            .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
            .build()
        WorkManager.getInstance(context)
            .enqueueUniquePeriodicWork("content-sync", ExistingPeriodicWorkPolicy.KEEP, request)
    }
}

/** Syncs with the configured feed; a new holiday calendar can move deadlines, so reminders are re-planned. */
class ContentSyncWorker(context: Context, params: WorkerParameters) : Worker(context, params) {
    override fun doWork(): Result {
        val app = applicationContext as ZhuanshuApplication
        return when (ContentSync.periodic(app.core, app.feedUrl)) {
            PeriodicSyncResult.UPDATED -> {
                Notifications.refreshNow(applicationContext)
                Result.success()
            }
            PeriodicSyncResult.UP_TO_DATE -> Result.success()
            PeriodicSyncResult.RETRY -> Result.retry()
            PeriodicSyncResult.FAILED -> Result.failure()
        }
    }
}
