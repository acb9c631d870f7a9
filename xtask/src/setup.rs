//! Installs what the suites need, skipping whatever is already there. Everything comes from the
//! registries this machine reaches: Debian packages, crates.io, npm and PyPI.

use std::process::Command;

use crate::{root, run};

/// Debian packages: a C23-capable clang for SQLite's wasm shim, Chromium for the browser tests (and a CJK
/// font, so the web app's screenshots show Chinese), JNA, JUnit 5 and Gson for the Kotlin tests, binaryen
/// for wasm-opt.
const DEBIAN: &[&str] = &[
    "clang-19",
    "llvm-19",
    "chromium",
    "fonts-wqy-microhei",
    "libjna-java",
    "junit5",
    "libgoogle-gson-java",
    "binaryen",
    // The feed's end-to-end test serves a published site with Debian's nginx.
    "nginx",
];

/// The kotlinc that runs the Kotlin tests; its lib/ also carries kotlin-test.
const KOTLIN_COMPILER: &str = "kotlin-compiler@2.4.20";

fn debian_missing(packages: &[&str]) -> Vec<String> {
    packages
        .iter()
        .filter(|p| {
            !Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", p])
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .map(|p| (*p).to_owned())
        .collect()
}

fn apt(packages: &[&str]) -> Result<(), String> {
    let missing = debian_missing(packages);
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian packages: {}", missing.join(" "));
    let sudo = !Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let apt_get = |args: &[&str]| {
        let mut c = if sudo { Command::new("sudo") } else { Command::new("apt-get") };
        if sudo {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut apt_get(&["update", "-qq"]))?;
    let mut install = apt_get(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(&missing);
    run(&mut install)
}

/// The version of a crate as Cargo.lock pins it.
fn locked_version(krate: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{krate}\"\nversion = \"");
    let start = lock.find(&needle).ok_or_else(|| format!("{krate} is not in Cargo.lock"))? + needle.len();
    Ok(lock[start..].split('"').next().unwrap_or_default().to_owned())
}

fn rust_target(target: &str) -> Result<(), String> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output();
    if installed.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == target)) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", target]))
}

fn cargo_install(binary: &str, version_arg: &str, expect: &str, krate: &str, extra: &[&str]) -> Result<(), String> {
    let present = Command::new(binary)
        .arg(version_arg)
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains(expect));
    if present {
        return Ok(());
    }
    eprintln!("xtask: cargo install {krate} {}", extra.join(" "));
    run(Command::new("cargo").args(["install", krate]).args(extra))
}

/// wasm-bindgen-cli must match the wasm-bindgen crate exactly (its schema changes between versions).
pub fn tools_for_wasm() -> Result<(), String> {
    rust_target("wasm32-unknown-unknown")?;
    apt(&["clang-19", "llvm-19", "binaryen"])?;
    let version = locked_version("wasm-bindgen")?;
    cargo_install(
        "wasm-bindgen",
        "--version",
        &format!("wasm-bindgen {version}"),
        "wasm-bindgen-cli",
        &["--version", &version],
    )
}

pub fn npm_packages() -> Result<(), String> {
    let web = root().join("web");
    let wanted = ["playwright-core", "vite", "typescript"];
    if !wanted.iter().all(|p| web.join("node_modules").join(p).exists()) {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&web)
            .env("npm_config_loglevel", "error"))
        .or_else(|_| run(Command::new("npm").args(["install", "--no-audit", "--no-fund"]).current_dir(&web)))?;
    }
    Ok(())
}

pub fn kotlin() -> Result<(), String> {
    if !root().join(".tools/kotlin/node_modules/kotlin-compiler/bin/kotlinc").exists() {
        run(Command::new("npm").args([
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            ".tools/kotlin",
            KOTLIN_COMPILER,
        ]))?;
    }
    Ok(())
}

/// tree-sitter with the Swift grammar, in a venv of its own under .tools.
pub fn swift_parser() -> Result<(), String> {
    tree_sitter_grammar("tree_sitter_swift", "tree-sitter-swift")
}

/// tree-sitter with the Kotlin grammar (MIT), in the same venv. Pinned: kotlin_parse.py lists the valid Kotlin
/// this version rejects.
pub fn kotlin_parser() -> Result<(), String> {
    tree_sitter_grammar("tree_sitter_kotlin", "tree-sitter-kotlin==1.1.0")
}

/// Installs tree-sitter and one grammar (`module`, from PyPI's `package`) into .tools/venv unless both import.
fn tree_sitter_grammar(module: &str, package: &str) -> Result<(), String> {
    let python = root().join(".tools/venv/bin/python");
    let ok = Command::new(&python).args(["-c", &format!("import tree_sitter, {module}")]).output();
    if ok.is_ok_and(|o| o.status.success()) {
        return Ok(());
    }
    run(Command::new("python3").args(["-m", "venv", ".tools/venv"]))?;
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "tree-sitter", package]))
}

pub fn cargo_deny() -> Result<(), String> {
    cargo_install("cargo-deny", "--version", "cargo-deny", "cargo-deny", &["--locked"])
}

/// Everything `cargo xtask test` needs.
pub fn everything() -> Result<(), String> {
    apt(DEBIAN)?;
    tools_for_wasm()?;
    npm_packages()?;
    kotlin()?;
    swift_parser()?;
    kotlin_parser()?;
    cargo_deny()
}
