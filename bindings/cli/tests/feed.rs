//! `zhuanshu sync` as a person uses it, against a site `zhuanshu feed serve` publishes over loopback: the
//! planning date (`--today`) never decides what is fresh enough to trust.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

fn zhuanshu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhuanshu")).args(args).output().expect("run zhuanshu")
}

fn ok(args: &[&str]) -> Output {
    let out = zhuanshu(args);
    assert!(out.status.success(), "zhuanshu {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    out
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

/// `zhuanshu feed serve SITE --port 0` and its URL (from the line it prints); killed on drop.
struct Serve(Child, String);

impl Serve {
    fn start(site: &Path) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhuanshu"))
            .args(["feed", "serve", path(site), "--port", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start feed serve");
        let mut line = String::new();
        BufReader::new(child.stderr.take().expect("stderr")).read_line(&mut line).expect("its first line");
        let start = line.find("http://").unwrap_or_else(|| panic!("no URL in {line:?}"));
        let url = line[start..].split('（').next().unwrap_or_default().trim().to_owned();
        Serve(child, url)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The regression of issue #17: with `--today` in the past, an expired manifest looked valid. Expiry is
/// checked against the real clock, so the sync is refused; a manifest that is really valid still syncs
/// under the same `--today`.
#[test]
fn a_planning_date_in_the_past_does_not_make_an_expired_manifest_acceptable() {
    let dir = tempfile::tempdir().unwrap();
    let (content, site, key) = (dir.path().join("content"), dir.path().join("site"), dir.path().join("demo.key"));
    let (publisher, device) = (dir.path().join("publisher"), dir.path().join("device"));
    ok(&["--data-dir", path(&publisher), "feed", "content", "--out", path(&content)]);
    ok(&["feed", "keygen", "--demo", "--out", path(&key)]);
    // Expired in 2020 (real time is later), signed, with a fresh timestamp.
    ok(&["feed", "build", path(&content), "--out", path(&site), "--version", "1", "--expires", "2020-06-01"]);
    ok(&["feed", "sign", path(&site), "--key", path(&key)]);
    let server = Serve::start(&site);

    let refused = zhuanshu(&["--data-dir", path(&device), "--today", "2020-01-01", "--json", "sync", &server.1]);
    assert!(!refused.status.success());
    let error: Value = serde_json::from_slice(&refused.stdout).expect("a JSON error");
    assert_eq!(error["code"], "feed_expired", "{error}");
    assert!(error["message"].as_str().is_some_and(|m| m.contains("manifest expired at 2020-06-01")), "{error}");
    let status: Value =
        serde_json::from_slice(&ok(&["--data-dir", path(&device), "--json", "feed", "status"]).stdout).unwrap();
    assert_eq!(status["version"], 0, "nothing was applied");

    // A manifest valid until 2036: the same pinned date syncs it.
    ok(&["feed", "build", path(&content), "--out", path(&site), "--version", "2", "--expires", "2036-01-01"]);
    ok(&["feed", "sign", path(&site), "--key", path(&key)]);
    let synced = ok(&["--data-dir", path(&device), "--today", "2020-01-01", "--json", "sync", &server.1]);
    let report: Value = serde_json::from_slice(&synced.stdout).unwrap();
    assert_eq!((report["updated"].clone(), report["version"].clone()), (true.into(), 2.into()));
    let status = ok(&["--data-dir", path(&device), "feed", "status"]);
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains("第2版") && text.contains("核验，有效至"), "{text}");
}

/// The publisher's daily job: `feed timestamp` re-signs only the timestamp, and refuses a key the root does
/// not list for it.
#[test]
fn feed_timestamp_re_signs_only_the_timestamp_with_a_timestamp_key() {
    let dir = tempfile::tempdir().unwrap();
    let (content, site, key) = (dir.path().join("content"), dir.path().join("site"), dir.path().join("demo.key"));
    ok(&["--data-dir", path(&dir.path().join("data")), "feed", "content", "--out", path(&content)]);
    ok(&["feed", "keygen", "--demo", "--out", path(&key)]);
    ok(&["feed", "build", path(&content), "--out", path(&site), "--version", "1", "--expires", "2036-01-01"]);
    ok(&["feed", "sign", path(&site), "--key", path(&key)]);
    let manifest = std::fs::read(site.join("manifest.json")).unwrap();
    let before: Value = serde_json::from_slice(&std::fs::read(site.join("timestamp.json")).unwrap()).unwrap();
    let out = ok(&["--json", "feed", "timestamp", path(&site), "--key", path(&key), "--expires-in-hours", "6"]);
    let info: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["manifest_version"], 1);
    let after: Value = serde_json::from_slice(&std::fs::read(site.join("timestamp.json")).unwrap()).unwrap();
    assert_eq!(after["signed"]["version"], before["signed"]["version"].as_u64().unwrap() + 1);
    assert_eq!(std::fs::read(site.join("manifest.json")).unwrap(), manifest, "the manifest is untouched");

    let stranger = dir.path().join("stranger.key");
    ok(&["feed", "keygen", "--out", path(&stranger)]);
    let refused = zhuanshu(&["--json", "feed", "timestamp", path(&site), "--key", path(&stranger)]);
    assert!(!refused.status.success());
    let error: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(error["code"], "invalid_input", "{error}");
}

/// A publisher's second release reaches devices that synced the first: the timestamp's version goes on
/// from the last one published (daily re-signing included), never back to 1.
#[test]
fn a_second_release_reaches_a_device_that_synced_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let (content, site, key) = (dir.path().join("content"), dir.path().join("site"), dir.path().join("demo.key"));
    let (publisher, device) = (dir.path().join("publisher"), dir.path().join("device"));
    ok(&["--data-dir", path(&publisher), "feed", "content", "--out", path(&content)]);
    ok(&["feed", "keygen", "--demo", "--out", path(&key)]);
    ok(&["feed", "build", path(&content), "--out", path(&site), "--version", "1", "--expires", "2036-01-01"]);
    ok(&["feed", "sign", path(&site), "--key", path(&key)]);
    ok(&["feed", "timestamp", path(&site), "--key", path(&key)]);
    let server = Serve::start(&site);
    let first: Value =
        serde_json::from_slice(&ok(&["--data-dir", path(&device), "--json", "sync", &server.1]).stdout).unwrap();
    assert_eq!(first["version"], 1);

    ok(&["feed", "build", path(&content), "--out", path(&site), "--version", "2", "--expires", "2036-01-01"]);
    ok(&["feed", "sign", path(&site), "--key", path(&key)]);
    let second: Value =
        serde_json::from_slice(&ok(&["--data-dir", path(&device), "--json", "sync", &server.1]).stdout).unwrap();
    assert_eq!((second["updated"].clone(), second["version"].clone()), (true.into(), 2.into()), "{second}");
}
