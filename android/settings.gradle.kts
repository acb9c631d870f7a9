// Zhuanshu for Android: `model` is pure Kotlin over the UniFFI bindings (tested on the JVM, also by
// `cargo xtask test` without Gradle); `app` is the Compose shell. The Rust workspace is two levels up.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "zhuanshu"
include(":model", ":app")
