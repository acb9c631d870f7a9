package cn.zhuanshu.app

import android.os.Handler
import android.os.Looper
import cn.zhuanshu.model.Cancellable
import cn.zhuanshu.model.Scheduler
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors

/**
 * The model's [Scheduler] on Android: core calls on one background thread (in order, never two at once,
 * so SQLite sees one writer), results and debounced tasks on the main thread.
 */
class AndroidScheduler(
    private val main: Handler = Handler(Looper.getMainLooper()),
    private val worker: ExecutorService = Executors.newSingleThreadExecutor { r -> Thread(r, "zhuanshu-core") },
) : Scheduler {
    override fun schedule(delayMillis: Long, task: () -> Unit): Cancellable {
        val runnable = Runnable { task() }
        main.postDelayed(runnable, delayMillis)
        return Cancellable { main.removeCallbacks(runnable) }
    }

    override fun <T> background(work: () -> T, deliver: (T) -> Unit) {
        worker.execute {
            val result = work()
            main.post { deliver(result) }
        }
    }
}
