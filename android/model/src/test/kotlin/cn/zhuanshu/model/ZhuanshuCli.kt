package cn.zhuanshu.model

import java.io.File
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue

/** The `zhuanshu` command the Rust suite built (`-Dzhuanshu.cli`): tests publish feed sites with it. */
object ZhuanshuCli {
    private val cli = File(System.getProperty("zhuanshu.cli") ?: "../../target/debug/zhuanshu")

    /** Runs `zhuanshu args…` and fails the test, with its output, unless it succeeds within a minute. */
    fun run(vararg args: String) {
        assertTrue(cli.canExecute(), "the zhuanshu command at $cli (-Dzhuanshu.cli; cargo build -p zhuanshu-cli)")
        val process = ProcessBuilder(listOf(cli.path) + args).redirectErrorStream(true).start()
        val output = process.inputStream.bufferedReader().readText()
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "zhuanshu ${args.joinToString(" ")} did not finish")
        assertEquals(0, process.exitValue(), "zhuanshu ${args.joinToString(" ")}:\n$output")
    }
}
