// Pure Kotlin/JVM: the view models over the generated bindings. No Android imports, so the same code is
// tested on the JVM here and by `cargo xtask test` (which compiles these sources with kotlinc directly).
plugins {
    id("org.jetbrains.kotlin.jvm")
}

val rustRoot: File = rootDir.parentFile

kotlin {
    jvmToolchain(17)
    sourceSets["main"].kotlin.srcDir(File(rustRoot, "target/bindings/kotlin"))
}

dependencies {
    api("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.9.0")
    // The bindings call the Rust library through JNA. The app brings the Android AAR (with its native
    // dispatch libraries); the JVM tests bring the jar.
    compileOnly("net.java.dev.jna:jna:5.15.0")
    testImplementation("net.java.dev.jna:jna:5.15.0")
    testImplementation(kotlin("test-junit5"))
    testImplementation(platform("org.junit:junit-bom:5.11.3"))
    testImplementation("org.junit.jupiter:junit-jupiter")
    testRuntimeOnly("org.junit.platform:junit-platform-launcher")
    testImplementation("com.google.code.gson:gson:2.11.0")
}

tasks.named("compileKotlin") { dependsOn(rootProject.tasks.named("uniffiBindings")) }

tasks.test {
    useJUnitPlatform()
    // The host build of the library (cargo xtask bindings builds it) and the golden scenarios.
    systemProperty("jna.library.path", File(rustRoot, "target/debug").path)
    systemProperty("zhuanshu.golden", File(rustRoot, "tests/golden").path)
}
