//! The test suites of `cargo xtask test`. Each suite reports how many tests passed and failed, read from
//! its runner's own summary lines; a suite that cannot even run counts as one failure.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use crate::{cargo, root, run, setup};

type Counts = (u64, u64);

/// Runs a command in `dir`, echoing its stdout line by line, and returns (success, stdout).
fn run_echo(cmd: &mut Command) -> Result<(bool, String), String> {
    let mut child = cmd.stdout(Stdio::piped()).spawn().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let mut all = String::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            all.push_str(&line);
            all.push('\n');
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok((status.success(), all))
}

/// The number right before `word` on a line such as "test result: ok. 12 passed; 0 failed".
fn number_before(line: &str, word: &str) -> Option<u64> {
    let at = line.find(word)?;
    line[..at].split_whitespace().last()?.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok()
}

/// The number right after `prefix` on a line such as "# pass 3".
fn number_after(line: &str, prefix: &str) -> Option<u64> {
    line.trim().strip_prefix(prefix)?.split_whitespace().next()?.parse().ok()
}

fn check(name: &str, cmd: &mut Command) -> Result<Counts, String> {
    let status = cmd.current_dir(root()).status().map_err(|e| format!("cannot start {name}: {e}"))?;
    Ok(if status.success() { (1, 0) } else { (0, 1) })
}

/// `cargo xtask parity`, in process: one check, failed if any binding lacks a core method unexcused.
fn parity() -> Result<Counts, String> {
    Ok(match crate::parity::run() {
        Ok(()) => (1, 0),
        Err(e) => {
            eprintln!("xtask: {e}");
            (0, 1)
        }
    })
}

fn rust_tests() -> Result<Counts, String> {
    let (ok, out) = run_echo(cargo().args(["test", "--workspace", "--no-fail-fast"]).current_dir(root()))?;
    let mut counts = (0, 0);
    for line in out.lines().filter(|l| l.starts_with("test result:")) {
        counts.0 += number_before(line, " passed").unwrap_or(0);
        counts.1 += number_before(line, " failed").unwrap_or(0);
    }
    if !ok && counts.1 == 0 {
        counts.1 = 1; // a build failure: no test line at all
    }
    Ok(counts)
}

/// Builds both wasm modules and runs wasm-bindgen into target/wasm-pkg (profile `wasm-dev`: quick to
/// build, no debug info; the tests check behaviour, not size).
pub fn build_wasm() -> Result<(), String> {
    crate::web::dictionary()?;
    for (package, _) in crate::web::WASM_MODULES {
        let built = crate::web::cargo_build_wasm(package, "wasm-dev")?;
        run(Command::new("wasm-bindgen").args(["--target", "web", "--out-dir", "target/wasm-pkg"]).arg(built))?;
    }
    Ok(())
}

fn wasm_tests() -> Result<Counts, String> {
    build_wasm()?;
    let web = root().join("web");
    let (ok, out) = run_echo(Command::new("node").args(["--test", "--test-reporter=tap", "tests/"]).current_dir(web))?;
    let passed = out.lines().find_map(|l| number_after(l, "# pass")).unwrap_or(0);
    let failed = out.lines().find_map(|l| number_after(l, "# fail")).unwrap_or(0);
    Ok((passed, if !ok && failed == 0 { 1 } else { failed }))
}

/// The H5 app (web/app) in Chromium: the size-optimised wasm core, the Vite build, a type check, then
/// the Playwright tests in web/tests-app (phone viewport, WeChat user agent; budgets and screenshots).
fn web_app_tests() -> Result<Counts, String> {
    crate::web::build_all()?;
    let web = root().join("web");
    let typed = check("tsc", Command::new("node").args(["web/node_modules/typescript/bin/tsc", "-p", "web"]))?;
    let (ok, out) =
        run_echo(Command::new("node").args(["--test", "--test-reporter=tap", "tests-app/"]).current_dir(web))?;
    let passed = out.lines().find_map(|l| number_after(l, "# pass")).unwrap_or(0);
    let failed = out.lines().find_map(|l| number_after(l, "# fail")).unwrap_or(0);
    Ok((passed + typed.0, typed.1 + if !ok && failed == 0 { 1 } else { failed }))
}

fn bindings_dir() -> PathBuf {
    root().join("target/bindings")
}

/// Builds the UniFFI library and generates Kotlin and Swift from it (library mode).
pub fn build_bindings() -> Result<(), String> {
    run(cargo().args(["build", "--quiet", "-p", "zhuanshu-ffi", "-p", "uniffi-bindgen"]))?;
    let _ = std::fs::remove_dir_all(bindings_dir());
    // The binary cargo just built: `cargo run -p uniffi-bindgen` alone would compile uniffi a second time
    // with other features (minutes, and gigabytes of target directory on a fresh machine).
    let bindgen = root().join(format!("target/debug/uniffi-bindgen{}", std::env::consts::EXE_SUFFIX));
    for language in ["kotlin", "swift"] {
        run(Command::new(&bindgen)
            .args(["generate", "--no-format", "--library"])
            .arg(format!("target/debug/{}zhuanshu_ffi{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX))
            .args(["--language", language, "--out-dir"])
            .arg(bindings_dir().join(language)))?;
    }
    Ok(())
}

fn kotlin_tests() -> Result<Counts, String> {
    build_bindings()?;
    let kotlin = root().join(".tools/kotlin/node_modules/kotlin-compiler");
    let lib = kotlin.join("lib");
    let java = PathBuf::from("/usr/share/java");
    let jar = |dir: &PathBuf, name: &str| dir.join(name).display().to_string();
    let compile_cp = [
        jar(&java, "jna.jar"),
        jar(&java, "gson.jar"),
        jar(&java, "junit-jupiter-api.jar"),
        jar(&java, "apiguardian-api.jar"),
        jar(&java, "opentest4j.jar"),
        jar(&lib, "kotlin-test.jar"),
        jar(&lib, "kotlin-test-junit5.jar"),
        jar(&lib, "kotlinx-coroutines-core-jvm.jar"), // StateFlow in the view models
    ]
    .join(":");
    let classes = root().join("target/kotlin/classes");
    let _ = std::fs::remove_dir_all(&classes);
    run(Command::new(kotlin.join("bin/kotlinc"))
        .args(["-nowarn", "-jvm-target", "17", "-cp", &compile_cp, "-d"])
        .arg(&classes)
        .arg(bindings_dir().join("kotlin"))
        .arg(root().join("android/model/src")))?;
    let run_cp = [
        classes.display().to_string(),
        jar(&java, "jna.jar"),
        jar(&java, "gson.jar"),
        jar(&lib, "kotlin-stdlib.jar"),
        jar(&lib, "kotlin-test.jar"),
        jar(&lib, "kotlin-test-junit5.jar"),
        jar(&lib, "kotlinx-coroutines-core-jvm.jar"),
    ]
    .join(":");
    // The `zhuanshu` command the Rust suite built: ContentViewModelTest publishes a feed site with it.
    let cli = root().join(format!("target/debug/zhuanshu{}", std::env::consts::EXE_SUFFIX));
    let (ok, out) = run_echo(
        Command::new("java")
            .arg(format!("-Djna.library.path={}", root().join("target/debug").display()))
            .arg(format!("-Dzhuanshu.golden={}", root().join("tests/golden").display()))
            .arg(format!("-Dzhuanshu.cli={}", cli.display()))
            .args(["-jar", &jar(&java, "junit-platform-console-standalone.jar")])
            .args(["--disable-banner", "--disable-ansi-colors", "--details=tree", "-cp", &run_cp])
            .args(["--select-package", "cn.zhuanshu"])
            .current_dir(root()),
    )?;
    let passed = out.lines().find_map(|l| number_before(l, "tests successful")).unwrap_or(0);
    let failed = out.lines().find_map(|l| number_before(l, "tests failed")).unwrap_or(0);
    Ok((passed, if !ok && failed == 0 { 1 } else { failed }))
}

fn swift_parse() -> Result<Counts, String> {
    parse_check("swift", &[bindings_dir().join("swift"), root().join("ios")])
}

/// The Compose app (no Android SDK here to compile it) and the view models. Not the UniFFI bindings: kotlinc
/// compiles those, and the grammar rejects a comment style they use (see kotlin_parse.py).
fn kotlin_parse() -> Result<Counts, String> {
    parse_check("kotlin", &[root().join("android/app/src"), root().join("android/model/src")])
}

/// Runs xtask/{language}_parse.py on `dirs` and reads its closing 'language: N passed, M failed'.
fn parse_check(language: &str, dirs: &[PathBuf]) -> Result<Counts, String> {
    let python = root().join(".tools/venv/bin/python");
    let (_, out) = run_echo(
        Command::new(python).arg(root().join(format!("xtask/{language}_parse.py"))).args(dirs).current_dir(root()),
    )?;
    let line = out.lines().last().unwrap_or_default();
    match (number_before(line, " passed"), number_before(line, " failed")) {
        (Some(p), Some(f)) => Ok((p, f)),
        _ => Err(format!("{language} parse check printed no summary: {line:?}")),
    }
}

pub fn run_all() -> ExitCode {
    let started = Instant::now();
    if let Err(e) = setup::everything() {
        eprintln!("xtask: setup failed: {e}");
        println!("0 passed, 1 failed");
        return ExitCode::FAILURE;
    }
    let suites: [(&str, fn() -> Result<Counts, String>); 9] = [
        ("licences (cargo deny)", || {
            check("cargo deny", cargo().args(["deny", "--log-level", "error", "check", "licenses"]))
        }),
        ("format (cargo fmt)", || check("cargo fmt", cargo().args(["fmt", "--all", "--check"]))),
        ("binding parity", parity),
        ("rust (cargo test)", rust_tests),
        ("wasm in Chromium", wasm_tests),
        ("web app in Chromium", web_app_tests),
        ("kotlin on the JVM", kotlin_tests),
        ("swift parse check", swift_parse),
        ("kotlin parse check", kotlin_parse),
    ];
    let mut rows = Vec::new();
    for (name, suite) in suites {
        println!("\n==== {name} ====");
        let t = Instant::now();
        let counts = suite().unwrap_or_else(|e| {
            eprintln!("xtask: {name}: {e}");
            (0, 1)
        });
        rows.push((name, counts, t.elapsed().as_secs_f64()));
    }
    println!("\n==== summary ====");
    for (name, (p, f), secs) in &rows {
        println!("{name:<24} {p:>5} passed {f:>3} failed {secs:>7.1}s");
    }
    println!("total time {:.1}s", started.elapsed().as_secs_f64());
    let (passed, failed) = rows.iter().fold((0, 0), |(p, f), (_, (p2, f2), _)| (p + p2, f + f2));
    println!("{passed} passed, {failed} failed");
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lines_of_each_runner_are_read() {
        assert_eq!(number_before("test result: ok. 32 passed; 0 failed; 0 ignored", " passed"), Some(32));
        assert_eq!(number_before("test result: FAILED. 3 passed; 1 failed;", " failed"), Some(1));
        assert_eq!(number_after("# pass 3", "# pass"), Some(3));
        assert_eq!(number_before("[         3 tests successful      ]", "tests successful"), Some(3));
        assert_eq!(number_before("swift: 8 passed, 0 failed", " passed"), Some(8));
    }
}
