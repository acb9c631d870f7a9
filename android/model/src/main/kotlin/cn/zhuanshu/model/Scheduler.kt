package cn.zhuanshu.model

/** A scheduled task that has not run yet can be cancelled; cancelling one that ran does nothing. */
fun interface Cancellable {
    fun cancel()
}

/**
 * Where the view models run their work. Core calls block (SQLite, the search index), so on a device
 * they run off the UI thread and their results come back on it; debounced work runs after a delay.
 *
 * The app supplies a Handler + single-thread executor implementation (see the `app` module); tests supply
 * one with a virtual clock, so debounce is tested without sleeping.
 */
interface Scheduler {
    /** Runs [task] on the UI thread after [delayMillis]. */
    fun schedule(delayMillis: Long, task: () -> Unit): Cancellable

    /** Runs [work] off the UI thread (one at a time, in order), then [deliver] with its result on the UI thread. */
    fun <T> background(work: () -> T, deliver: (T) -> Unit)
}

/** Runs everything at once on the calling thread (previews, command-line tools). */
object ImmediateScheduler : Scheduler {
    override fun schedule(delayMillis: Long, task: () -> Unit): Cancellable {
        task()
        return Cancellable {}
    }

    override fun <T> background(work: () -> T, deliver: (T) -> Unit) = deliver(work())
}
