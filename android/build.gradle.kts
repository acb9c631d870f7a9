// Versions of the build plugins, applied in the modules.
plugins {
    id("com.android.application") version "8.7.3" apply false
    id("org.jetbrains.kotlin.android") version "2.1.0" apply false
    id("org.jetbrains.kotlin.jvm") version "2.1.0" apply false
    id("org.jetbrains.kotlin.plugin.compose") version "2.1.0" apply false
}

/** The Rust workspace (Cargo.toml, target/, tests/golden). */
val rustRoot: File = rootDir.parentFile

/**
 * Generates the Kotlin bindings from the host build of zhuanshu-ffi (UniFFI library mode) into
 * target/bindings/kotlin, which `model` compiles. `cargo xtask bindings` is the one place that knows how.
 */
val uniffiBindings by tasks.registering(Exec::class) {
    group = "rust"
    description = "cargo xtask bindings: the UniFFI Kotlin (and Swift) bindings into target/bindings"
    workingDir = rustRoot
    commandLine("cargo", "xtask", "bindings")
    inputs.dir(File(rustRoot, "bindings/ffi/src"))
    inputs.dir(File(rustRoot, "core/src"))
    outputs.dir(File(rustRoot, "target/bindings/kotlin"))
}
