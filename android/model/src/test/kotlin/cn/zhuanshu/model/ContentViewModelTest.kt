package cn.zhuanshu.model

import com.google.gson.Gson
import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import java.io.File
import java.net.InetAddress
import java.net.InetSocketAddress
import java.nio.file.Files
import java.security.MessageDigest
import java.time.Duration
import java.time.LocalDateTime
import java.time.ZoneId
import java.util.Collections
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import uniffi.zhuanshu_ffi.ZhuanshuApp

/**
 * 内容更新 end to end: a feed site published with the `zhuanshu` command (the content in force plus one new
 * FAQ entry, version 1, signed with the demo key the app pins), served over loopback HTTP with ETags, and
 * synced through the view model and the core's reqwest transport.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentViewModelTest {
    private val tmp: File = Files.createTempDirectory("zhuanshu-content-vm").toFile()
    private lateinit var server: HttpServer

    /** Every request the site answered, as "GET /feed/manifest.json 304". */
    private val requests: MutableList<String> = Collections.synchronizedList(mutableListOf())

    private val feedUrl get() = "http://127.0.0.1:${server.address.port}/feed/"

    /** A fresh device per test (the class instance, and so the site, is shared). */
    private lateinit var dataDir: File
    private lateinit var app: ZhuanshuApp

    private fun zhuanshu(vararg args: String) = ZhuanshuCli.run(*args)

    @BeforeAll
    fun publish() {
        zhuanshu("--data-dir", File(tmp, "data").path, "feed", "content", "--out", File(tmp, "content").path)
        val faq = File(tmp, "content/faq.jsonl")
        val entry = mapOf(
            "id" to NEW_FAQ,
            "question" to "内容更新后新增的问题：安卓同步测试怎么验证？",
            "alternatives" to listOf("安卓同步测试"),
            "answer" to "同步后这条问答出现在知识库里。",
            "tags" to emptyList<String>(),
            "theme" to "其他",
            "related" to emptyList<String>(),
            "updated" to "2026-11-20",
        )
        val before = faq.readText()
        faq.appendText((if (before.endsWith("\n")) "" else "\n") + Gson().toJson(entry) + "\n")
        zhuanshu("feed", "keygen", "--demo", "--out", File(tmp, "demo.key").path)
        zhuanshu("feed", "build", File(tmp, "content").path, "--out", File(tmp, "site").path, "--version", "1")
        zhuanshu("feed", "sign", File(tmp, "site").path, "--key", File(tmp, "demo.key").path)
        server = serve(File(tmp, "site"))
    }

    @AfterAll
    fun stop() {
        if (::server.isInitialized) server.stop(0)
        tmp.deleteRecursively()
    }

    @BeforeEach
    fun open() {
        dataDir = Files.createTempDirectory("zhuanshu-content-app").toFile()
        app = ZhuanshuApp.open(dataDir.path, NOW, null)
    }

    @AfterEach
    fun close() {
        app.close()
        dataDir.deleteRecursively()
    }

    /** [site] under /feed/ like any static web server: a strong ETag (SHA-256 of the file), 304 for a match, 404 otherwise. */
    private fun serve(site: File): HttpServer {
        val root = site.canonicalFile
        val http = HttpServer.create(InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
        http.createContext("/") { exchange: HttpExchange ->
            try {
                val path = exchange.requestURI.path
                val file = path.removePrefix("/feed/").takeIf { path.startsWith("/feed/") && it.isNotEmpty() }
                    ?.let { File(root, it).canonicalFile }
                    ?.takeIf { exchange.requestMethod == "GET" && it.isFile && it.path.startsWith(root.path + File.separator) }
                val bytes = file?.readBytes()
                val tag = bytes?.let { b -> "\"" + MessageDigest.getInstance("SHA-256").digest(b).joinToString("") { "%02x".format(it) } + "\"" }
                val status = when {
                    tag == null -> 404
                    exchange.requestHeaders.getFirst("If-None-Match") == tag -> 304
                    else -> 200
                }
                // Recorded before answering: the client may be done as soon as the answer arrives.
                requests += "${exchange.requestMethod} $path $status"
                tag?.let { exchange.responseHeaders.add("ETag", it) }
                if (status == 200) {
                    val type = if (file!!.name.endsWith(".json")) "application/json" else "application/octet-stream"
                    exchange.responseHeaders.add("Content-Type", type)
                    exchange.sendResponseHeaders(200, bytes!!.size.toLong())
                    exchange.responseBody.write(bytes)
                } else {
                    exchange.sendResponseHeaders(status, -1)
                }
            } finally {
                exchange.close()
            }
        }
        http.start()
        return http
    }

    private fun at(url: String) = ContentViewModel(app, ManualScheduler(), url)

    @Test
    fun `the built-in content is version 0 until a sync`() {
        val content = at(feedUrl)
        content.refresh()
        val s = content.state.value
        assertFalse(s.loading)
        assertEquals(0UL, s.status!!.version)
        assertNull(s.status!!.source)
        assertTrue(s.status!!.files.isNotEmpty(), "the embedded files are listed")
        assertNull(s.message)
        assertNull(s.error)
    }

    @Test
    fun `a signed update shows version 1, the assistant finds its new question, and again is one 304`() {
        assertTrue(app.assistant().search("安卓同步测试怎么验证", 5u).none { it.id == NEW_FAQ }, "not there before the sync")
        val vm = at(feedUrl)
        vm.refresh()
        assertEquals(0UL, vm.state.value.status!!.version)

        vm.sync()
        var s = vm.state.value
        assertFalse(s.syncing)
        assertNull(s.error)
        assertEquals(1UL, s.status!!.version)
        assertEquals(feedUrl, s.status!!.source)
        // A sync's time is a security time (the feed's expiry is judged on it): the real clock, whatever
        // planning date the app was opened with.
        val synced = LocalDateTime.parse(s.status!!.syncedAt)
        val realNow = LocalDateTime.now(ZoneId.of("Asia/Shanghai"))
        assertTrue(Duration.between(synced, realNow).abs() < Duration.ofMinutes(5), "synced at $synced, now $realNow")
        assertEquals(listOf("faq.jsonl"), s.report!!.changed)
        assertEquals("已更新到第1版，更新了1个文件", s.message)
        assertEquals(NEW_FAQ, app.assistant().search("安卓同步测试怎么验证", 5u).first().id, "the core rebuilt the index")

        requests.clear()
        vm.sync()
        s = vm.state.value
        assertEquals("已是最新（第1版）", s.message)
        assertFalse(s.report!!.updated)
        assertEquals(1u, s.report!!.requests)
        assertEquals(listOf("GET /feed/timestamp.json 304"), requests.toList(), "one conditional request, answered 304")
        assertTrue(s.status!!.fresh)
        assertTrue(ContentSync.freshness(s.status!!)!!.startsWith("内容已于 "), ContentSync.freshness(s.status!!))
        assertEquals(1UL, s.status!!.version)
    }

    @Test
    fun `a site that serves nothing shows the core's Chinese message and keeps version 1`() {
        at(feedUrl).sync()
        val vm = at("http://127.0.0.1:${server.address.port}/nothing/")
        vm.refresh()
        assertEquals(1UL, vm.state.value.status!!.version)
        requests.clear()
        vm.sync()
        val s = vm.state.value
        assertFalse(s.syncing)
        assertNotNull(s.error)
        assertEquals("无法从服务器获取更新，请检查网络后重试（现有内容不受影响）", s.error!!.message)
        assertNull(s.message)
        assertEquals(1UL, s.status!!.version, "a failed sync keeps what was shown")
        assertEquals(feedUrl, s.status!!.source)
        assertTrue(requests.isNotEmpty() && requests.all { it.endsWith(" 404") }, requests.toString())
        assertEquals(1UL, app.feed().status().version, "the core kept version 1 in force")
        assertEquals(NEW_FAQ, app.assistant().search("安卓同步测试怎么验证", 5u).first().id)
        vm.clearError()
        assertNull(vm.state.value.error)
    }

    @Test
    fun `the periodic sync says what the job scheduler should do`() {
        assertEquals(PeriodicSyncResult.RETRY, ContentSync.periodic(app, "http://127.0.0.1:${server.address.port}/nothing/"))
        assertEquals(PeriodicSyncResult.UPDATED, ContentSync.periodic(app, feedUrl))
        assertEquals(PeriodicSyncResult.UP_TO_DATE, ContentSync.periodic(app, feedUrl))
        assertEquals(1UL, app.feed().status().version)
        // A view model opened afterwards shows what the job applied.
        val content = at(feedUrl)
        content.refresh()
        assertEquals(1UL, content.state.value.status!!.version)
    }

    private companion object {
        const val NOW = "2026-11-22T09:00:00"
        const val NEW_FAQ = "sync-test-android"
    }
}
