// The Compose shell. All behaviour lives in `model` (JVM-tested) and the Rust core; this module draws
// state and wires the platform: the native library (cargo-ndk), notifications (WorkManager).
plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

val rustRoot: File = rootDir.parentFile

android {
    namespace = "cn.zhuanshu.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "cn.zhuanshu.app"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        ndk { abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64") }
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    kotlinOptions { jvmTarget = "17" }

    buildFeatures { compose = true }
}

dependencies {
    implementation(project(":model"))
    implementation("net.java.dev.jna:jna:5.15.0@aar")

    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.material:material-icons-core")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.compose.ui:ui-tooling-preview")
    debugImplementation("androidx.compose.ui:ui-tooling")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")
    // The vault locks when the whole app goes to the background (ProcessLifecycleOwner).
    implementation("androidx.lifecycle:lifecycle-process:2.8.7")
    // The vault's platform key: BiometricPrompt with a CryptoObject (it needs a FragmentActivity).
    implementation("androidx.biometric:biometric:1.1.0")
    implementation("androidx.fragment:fragment-ktx:1.8.5")
    implementation("androidx.work:work-runtime-ktx:2.10.0")
}

/**
 * Builds libzhuanshu_ffi.so for the three ABIs into src/main/jniLibs with cargo-ndk
 * (`cargo install cargo-ndk`, `rustup target add aarch64-linux-android armv7-linux-androideabi
 * x86_64-linux-android`, and ANDROID_NDK_HOME pointing at an installed NDK).
 */
/**
 * The publisher's feed root (`-Pzhuanshu.feedRoot=/path/to/root.json`). Given, the core is built with
 * `--features distribution`, which pins that root and refuses the public demo key (core/build.rs).
 * A release build without it fails: shipping the demo root would let anyone sign content.
 */
val feedRoot: String? = providers.gradleProperty("zhuanshu.feedRoot").orNull

val cargoNdk by tasks.registering(Exec::class) {
    group = "rust"
    description = "cargo ndk: the Rust core for arm64-v8a, armeabi-v7a and x86_64 into src/main/jniLibs"
    workingDir = projectDir
    val distribution = if (feedRoot != null) listOf("--features", "distribution") else emptyList()
    if (feedRoot != null) environment("ZHUANSHU_FEED_ROOT", feedRoot)
    commandLine(
        listOf(
            "cargo", "ndk",
            "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64",
            "-o", "src/main/jniLibs",
            "build", "--release", "-p", "zhuanshu-ffi",
        ) + distribution,
    )
    inputs.dir(File(rustRoot, "core/src"))
    inputs.dir(File(rustRoot, "bindings/ffi/src"))
    outputs.dir(File(projectDir, "src/main/jniLibs"))
}

tasks.named("preBuild") {
    dependsOn(cargoNdk)
    dependsOn(rootProject.tasks.named("uniffiBindings"))
}

// A release is for owners: it must pin the publisher's root, never the demo key's.
tasks.matching { it.name == "preReleaseBuild" }.configureEach {
    doFirst {
        if (feedRoot == null) {
            throw GradleException(
                "a release build needs the publisher's feed root: -Pzhuanshu.feedRoot=/path/to/root.json " +
                    "(the demo root's signing key is public)",
            )
        }
    }
}
