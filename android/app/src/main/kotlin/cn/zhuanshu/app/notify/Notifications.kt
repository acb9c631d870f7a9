package cn.zhuanshu.app.notify

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import androidx.work.Data
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.Worker
import androidx.work.WorkerParameters
import cn.zhuanshu.app.MainActivity
import cn.zhuanshu.app.R
import cn.zhuanshu.app.ZhuanshuApplication
import cn.zhuanshu.model.NotificationPlan
import cn.zhuanshu.model.NotificationPlanner
import java.util.concurrent.TimeUnit

/**
 * Notifications from the core's schedule (`dynamics().notifications(count, "09:00")`). The rules cannot
 * run while the app sleeps, so a daily worker asks the core for the next notifications and hands each to
 * WorkManager as a delayed one-time job keyed by the core's stable id; jobs no longer in the schedule
 * (an item done, a licence renewed) are cancelled. The model's [NotificationPlanner] does the diff.
 */
object Notifications {
    private const val CHANNEL = "deadlines"
    private const val CHANNEL_URGENT = "deadlines-urgent"
    private const val PREFS = "notifications"
    private const val SCHEDULED = "scheduled"
    const val EXTRA_USCC = "uscc"

    fun createChannels(context: Context) {
        val manager = context.getSystemService(NotificationManager::class.java)
        manager.createNotificationChannel(
            NotificationChannel(CHANNEL, context.getString(R.string.channel_deadlines), NotificationManager.IMPORTANCE_DEFAULT),
        )
        manager.createNotificationChannel(
            NotificationChannel(CHANNEL_URGENT, context.getString(R.string.channel_deadlines_urgent), NotificationManager.IMPORTANCE_HIGH),
        )
    }

    /** Re-plans once a day, so the window of the next notifications moves on. */
    fun scheduleDailyRefresh(context: Context) {
        val request = PeriodicWorkRequestBuilder<RefreshWorker>(1, TimeUnit.DAYS).build()
        WorkManager.getInstance(context)
            .enqueueUniquePeriodicWork("notification-refresh", ExistingPeriodicWorkPolicy.KEEP, request)
    }

    /** Re-plans now: after the owner changes anything that moves deadlines (done, snooze, a licence). */
    fun refreshNow(context: Context) {
        WorkManager.getInstance(context)
            .enqueueUniqueWork("notification-refresh-now", ExistingWorkPolicy.REPLACE, OneTimeWorkRequestBuilder<RefreshWorker>().build())
    }

    internal fun apply(context: Context, plan: NotificationPlan, now: Long) {
        val work = WorkManager.getInstance(context)
        plan.cancel.forEach { work.cancelUniqueWork(workName(it)) }
        for (n in plan.schedule) {
            val data = Data.Builder()
                .putString("id", n.id)
                .putString("title", n.title)
                .putString("body", n.body)
                .putBoolean("important", n.important)
                .putString("uscc", n.uscc)
                .build()
            val request = OneTimeWorkRequestBuilder<ShowWorker>()
                .setInitialDelay(n.triggerAtMillis - now, TimeUnit.MILLISECONDS)
                .setInputData(data)
                .build()
            work.enqueueUniqueWork(workName(n.id), ExistingWorkPolicy.REPLACE, request)
        }
        prefs(context).edit().putStringSet(SCHEDULED, plan.schedule.map { it.id }.toSet()).apply()
    }

    internal fun scheduledBefore(context: Context): Set<String> = prefs(context).getStringSet(SCHEDULED, emptySet()) ?: emptySet()

    private fun prefs(context: Context) = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    private fun workName(id: String) = "notify:$id"

    internal fun show(context: Context, id: String, title: String, body: String, important: Boolean, uscc: String?) {
        if (Build.VERSION.SDK_INT >= 33 &&
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED
        ) {
            return
        }
        val code = NotificationPlanner.requestCode(id)
        val open = PendingIntent.getActivity(
            context, code,
            Intent(context, MainActivity::class.java).putExtra(EXTRA_USCC, uscc).addFlags(Intent.FLAG_ACTIVITY_SINGLE_TOP),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val notification = NotificationCompat.Builder(context, if (important) CHANNEL_URGENT else CHANNEL)
            .setSmallIcon(android.R.drawable.ic_popup_reminder)
            .setContentTitle(title)
            .setContentText(body)
            .setStyle(NotificationCompat.BigTextStyle().bigText(body))
            .setContentIntent(open)
            .setAutoCancel(true)
            .build()
        NotificationManagerCompat.from(context).notify(code, notification)
    }
}

/** Asks the core for the schedule and hands it to WorkManager. */
class RefreshWorker(context: Context, params: WorkerParameters) : Worker(context, params) {
    override fun doWork(): Result = try {
        val app = (applicationContext as ZhuanshuApplication).core
        val now = System.currentTimeMillis()
        Notifications.apply(applicationContext, NotificationPlanner.plan(app, Notifications.scheduledBefore(applicationContext), now), now)
        Result.success()
    } catch (e: Exception) {
        Result.retry()
    }
}

/** Shows one notification at its time. */
class ShowWorker(context: Context, params: WorkerParameters) : Worker(context, params) {
    override fun doWork(): Result {
        val d = inputData
        Notifications.show(
            applicationContext,
            d.getString("id") ?: return Result.failure(),
            d.getString("title").orEmpty(),
            d.getString("body").orEmpty(),
            d.getBoolean("important", false),
            d.getString("uscc"),
        )
        return Result.success()
    }
}
