package cn.zhuanshu.model

import uniffi.zhuanshu.Notification
import uniffi.zhuanshu_ffi.ZhuanshuAppInterface

/** One notification for the OS, with everything the platform scheduler needs and nothing it must compute. */
data class PlannedNotification(
    /** The core's stable id (`{dynamic id}#{milestone}@{uscc}`): re-planning replaces, never duplicates. */
    val id: String,
    /** Unix milliseconds (the core's timestamp is already the Asia/Shanghai instant). */
    val triggerAtMillis: Long,
    val title: String,
    val body: String,
    /** The core says which interrupt (overdue and urgent items): the high-importance channel. */
    val important: Boolean,
    /** The company, so a tap can switch to it before opening 首页. */
    val uscc: String,
)

/** What to hand to the OS: notifications to (re)schedule and ids scheduled before that are gone. */
data class NotificationPlan(val schedule: List<PlannedNotification>, val cancel: Set<String>)

/**
 * Turns the core's notification schedule into OS requests. Runs in the WorkManager worker (Android) and
 * in the background refresh (iOS); both keep the ids they scheduled last time and pass them back in.
 */
object NotificationPlanner {
    fun plan(notifications: List<Notification>, scheduledBefore: Set<String>, nowMillis: Long): NotificationPlan {
        val upcoming = notifications
            .filter { it.timestamp * 1000 > nowMillis }
            .map {
                PlannedNotification(
                    id = it.id,
                    triggerAtMillis = it.timestamp * 1000,
                    title = it.title,
                    body = it.body,
                    important = it.important,
                    uscc = it.uscc,
                )
            }
            .distinctBy { it.id }
            .sortedBy { it.triggerAtMillis }
        return NotificationPlan(upcoming, scheduledBefore - upcoming.map { it.id }.toSet())
    }

    /** Asks the core for the next notifications ([count] of them at [at], `HH:MM`; the core's defaults when
     *  null) and plans them. */
    fun plan(
        app: ZhuanshuAppInterface,
        scheduledBefore: Set<String>,
        nowMillis: Long,
        count: UInt? = null,
        at: String? = null,
    ): NotificationPlan = plan(app.dynamics().notifications(count, at), scheduledBefore, nowMillis)

    /** A stable positive int for Android's PendingIntent request code / notification id. */
    fun requestCode(id: String): Int = id.hashCode() and 0x7fffffff
}
