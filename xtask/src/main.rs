//! Project automation. `cargo xtask demo` runs the main job on the embedded demo data; `cargo xtask
//! test` runs every suite (Rust, wasm in Chromium, Kotlin on the JVM, Swift parse check, licences, binding
//! parity) and ends with one line `N passed, N failed`. Both install what they need first, skipping what is
//! present, so they work on a fresh machine of this kind. `cargo xtask parity` alone checks that both
//! bindings carry the core's service methods (xtask/src/parity.rs).

mod parity;
mod setup;
mod suites;
mod web;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask <command>\n\n\
         demo       build the web app (wasm core + Vite) and serve it on http://127.0.0.1:8080\n\
         demo --cli load the demo companies into a temporary data dir and print their dossiers\n\
         test       install what is missing, then run every test suite\n\
         parity     check that FFI and wasm carry every core service method (bindings/parity-allow.txt)\n\
         wasm       build the wasm package into target/wasm-pkg\n\
         web        build the web app into web/dist without serving it\n\
         bindings   generate the Kotlin and Swift bindings into target/bindings\n\
         bench X    run a benchmark: assistant | dynamics | vault | policy | feed | first-screen"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") if args.get(1).is_some_and(|a| a == "--cli") => demo(),
        Some("demo") => web_demo(),
        Some("test") => return suites::run_all(),
        Some("parity") => parity::run(),
        Some("wasm") => setup::tools_for_wasm().and_then(|_| suites::build_wasm()),
        Some("web") => setup::tools_for_wasm().and_then(|_| setup::npm_packages()).and_then(|_| web::build_all()),
        Some("bindings") => suites::build_bindings(),
        Some("bench") => bench(args.get(1).map(String::as_str)),
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// Commands run in the workspace root unless they were given a directory of their own (npm in web/).
fn in_root(cmd: &mut Command) {
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(root());
    }
}

/// Runs a command in the workspace root, failing with its name if it cannot start or exits non-zero.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    in_root(cmd);
    let status = cmd.status().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{cmd:?} failed with {status}")) }
}

/// Runs a command and returns its stdout (stderr passes through).
pub fn output(cmd: &mut Command) -> Result<String, String> {
    in_root(cmd);
    let out = cmd.stderr(std::process::Stdio::inherit()).output().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("{cmd:?} failed with {}", out.status))
    }
}

/// Benchmarks live with the code (core/benches; the web app's in web/bench); each prints its own table.
fn bench(which: Option<&str>) -> Result<(), String> {
    match which {
        Some(name @ ("assistant" | "dynamics" | "vault" | "policy" | "feed")) => {
            run(cargo().args(["bench", "-p", "zhuanshu-core", "--bench", name]))
        }
        Some("first-screen") => {
            setup::everything()?;
            web::build_all()?;
            run(Command::new("node").arg("bench/first-screen.mjs").current_dir(root().join("web")))
        }
        _ => Err("bench what? assistant | dynamics | vault | policy | feed | first-screen".into()),
    }
}

pub(crate) fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// The web app on the demo companies: builds the size-optimised wasm core and web/, then serves them.
fn web_demo() -> Result<(), String> {
    setup::tools_for_wasm()?;
    setup::npm_packages()?;
    web::build_all()?;
    let feed = demo_feed_site()?;
    let addr = "127.0.0.1:8080";
    println!(
        "\n专属 Zhuanshu: http://{addr}/?demo\n(the demo companies load on first start; 设置 → 内容更新 syncs from"
    );
    println!("http://{addr}/feed/, a feed site signed with the public demo key; Ctrl-C stops the server)");
    web::serve(addr, vec![("/feed/".into(), feed), ("/".into(), web::dist())])
}

/// A signed feed site for the web demo, made by the CLI as a publisher would: the content in force,
/// version 1, signed with the public demo key (which the app's pinned root trusts).
fn demo_feed_site() -> Result<std::path::PathBuf, String> {
    run(cargo().args(["build", "--quiet", "-p", "zhuanshu-cli"]))?;
    let bin = root().join("target/debug/zhuanshu");
    let dir = root().join("target/demo-feed");
    let _ = std::fs::remove_dir_all(&dir);
    let (content, site, key) = (dir.join("content"), dir.join("site"), dir.join("demo.key"));
    let path = |p: &std::path::Path| p.display().to_string();
    let data = path(&dir.join("data"));
    for args in [
        vec!["--data-dir", &data, "feed", "content", "--out", &path(&content)],
        vec!["feed", "keygen", "--demo", "--out", &path(&key)],
        vec!["feed", "build", &path(&content), "--out", &path(&site), "--version", "1"],
        vec!["feed", "sign", &path(&site), "--key", &path(&key)],
    ] {
        run(Command::new(&bin).args(args).stdout(std::process::Stdio::null()))?;
    }
    Ok(site)
}

fn demo() -> Result<(), String> {
    run(cargo().args(["build", "--quiet", "-p", "zhuanshu-cli"]))?;
    let bin = root().join("target/debug/zhuanshu");
    let data = std::env::temp_dir().join(format!("zhuanshu-demo-{}", std::process::id()));
    let zhuanshu = |args: &[&str]| {
        let mut c = Command::new(&bin);
        c.arg("--data-dir").arg(&data).args(args);
        c
    };
    run(&mut zhuanshu(&["demo"]))?;
    let list: serde_json::Value = serde_json::from_str(&output(&mut zhuanshu(&["--json", "company", "list"]))?)
        .map_err(|e| format!("company list is not JSON: {e}"))?;
    for company in list.as_array().into_iter().flatten() {
        let code = company["company"]["uscc"].as_str().unwrap_or_default();
        println!("\n{}", "─".repeat(60));
        run(&mut zhuanshu(&["company", "show", code]))?;
    }
    println!("\n演示数据目录：{}", data.display());
    Ok(())
}
