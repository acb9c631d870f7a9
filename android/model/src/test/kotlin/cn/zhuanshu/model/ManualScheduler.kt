package cn.zhuanshu.model

/**
 * A [Scheduler] with a virtual clock: background work runs at once on the test thread (counted in
 * [backgroundCalls]), delayed tasks run when the test calls [advanceBy].
 */
class ManualScheduler : Scheduler {
    var now = 0L
        private set
    var backgroundCalls = 0
        private set

    private data class Task(val at: Long, val seq: Int, val run: () -> Unit, var cancelled: Boolean = false)

    private val tasks = mutableListOf<Task>()
    private var seq = 0

    override fun schedule(delayMillis: Long, task: () -> Unit): Cancellable {
        val t = Task(now + delayMillis, seq++, task)
        tasks += t
        return Cancellable { t.cancelled = true }
    }

    override fun <T> background(work: () -> T, deliver: (T) -> Unit) {
        backgroundCalls++
        deliver(work())
    }

    /** Moves the clock on, running every task that falls due, in order. */
    fun advanceBy(millis: Long) {
        val until = now + millis
        while (true) {
            val next = tasks.filter { !it.cancelled && it.at <= until }.minWithOrNull(compareBy({ it.at }, { it.seq })) ?: break
            tasks.remove(next)
            now = next.at
            next.run()
        }
        now = until
        tasks.removeAll { it.cancelled }
    }

    val pendingTasks: Int get() = tasks.count { !it.cancelled }
}
