//! A build made for distribution (`--features distribution`) pins the publisher's own feed root, given
//! as the path in `ZHUANSHU_FEED_ROOT`, and refuses to build with the demo key (see build/root_guard.rs).
//! Ordinary builds, `cargo xtask demo`, the tests and the benchmarks pin core/content/feed/root.json,
//! which trusts the public demo key.

include!("build/root_guard.rs");

fn main() {
    println!("cargo:rerun-if-changed=build/root_guard.rs");
    println!("cargo:rerun-if-env-changed=ZHUANSHU_FEED_ROOT");
    if std::env::var_os("CARGO_FEATURE_DISTRIBUTION").is_none() {
        return;
    }
    let Some(path) = std::env::var_os("ZHUANSHU_FEED_ROOT") else {
        panic!(
            "a distribution build needs the publisher's feed root: set ZHUANSHU_FEED_ROOT to the path of its \
             root.json (the demo root is not allowed)"
        );
    };
    let path = std::path::PathBuf::from(path);
    let path = std::fs::canonicalize(&path).unwrap_or_else(|e| panic!("ZHUANSHU_FEED_ROOT={}: {e}", path.display()));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("ZHUANSHU_FEED_ROOT={}: {e}", path.display()));
    if let Some(problem) = distribution_root_problem(&bytes) {
        panic!("refusing a distribution build with ZHUANSHU_FEED_ROOT={}: {problem}", path.display());
    }
    println!("cargo:rerun-if-changed={}", path.display());
    println!("cargo:rustc-env=ZHUANSHU_PINNED_ROOT={}", path.display());
}
