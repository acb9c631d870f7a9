//! The content feed over real HTTP.
//!
//! - The attack suite: a loopback server started by each test (127.0.0.1, a random port) plays the
//!   attacker, one test per class of The Update Framework's model. Every attack must be rejected with its
//!   own error code, and the device must still serve the content it had.
//! - End to end with Debian's nginx (installed by `cargo xtask test`): nginx serves a published site
//!   directory, the device syncs, then syncs again for a 304. Without nginx the test fails, saying so.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use zhuanshu::feed::format::{self, Manifest};
use zhuanshu::feed::publish::{self, SigningKey};
use zhuanshu::feed::{Rejection, embedded};
use zhuanshu::{Clock, Config, Error, Zhuanshu};

// ---- a static server that can lie ----

/// What the server sends for a path.
#[derive(Clone)]
enum Served {
    /// A normal file: 200 with Content-Length and a strong ETag, or 304.
    File(Vec<u8>),
    /// A chunked body that never ends (bounded here by time and bytes, so the test cannot run away).
    Endless,
    /// Declares the file's full length, sends half of it, and closes the connection.
    Truncated(Vec<u8>),
}

/// Most the endless stream sends, and for how long, before giving up on a client that never stops.
const ENDLESS_BYTES: u64 = 512 * 1024 * 1024;
const ENDLESS_TIME: Duration = Duration::from_secs(20);

struct Server {
    addr: SocketAddr,
    site: Arc<Mutex<BTreeMap<String, Served>>>,
    /// Body bytes written to clients (for the endless-data test: how far the client let it go).
    sent: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    fn start(files: BTreeMap<String, Vec<u8>>) -> Server {
        Server::start_on("127.0.0.1:0", files)
    }

    fn start_on(bind: &str, files: BTreeMap<String, Vec<u8>>) -> Server {
        let listener = TcpListener::bind(bind).expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let site: BTreeMap<String, Served> = files.into_iter().map(|(p, b)| (p, Served::File(b))).collect();
        let site = Arc::new(Mutex::new(site));
        let sent = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (site, sent, stop) = (Arc::clone(&site), Arc::clone(&sent), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (site, sent) = (Arc::clone(&site), Arc::clone(&sent));
                    std::thread::spawn(move || handle(stream, &site, &sent));
                }
            })
        };
        Server { addr, site, sent, stop, accept: Some(accept) }
    }

    /// `http://127.0.0.1:PORT/feed/` (or `http://[::1]:PORT/feed/`): plain HTTP, allowed on loopback only.
    fn url(&self) -> String {
        format!("http://{}/feed/", self.addr)
    }

    /// Publishes (adds or replaces) files, as a normal publisher would.
    fn publish(&self, files: &BTreeMap<String, Vec<u8>>) {
        let mut site = self.site.lock().unwrap();
        for (path, bytes) in files {
            site.insert(path.clone(), Served::File(bytes.clone()));
        }
    }

    fn serve(&self, path: &str, what: Served) {
        self.site.lock().unwrap().insert(path.to_owned(), what);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn etag(bytes: &[u8]) -> String {
    format!("\"{}\"", &format::sha256_hex(bytes)[..16])
}

fn handle(mut stream: TcpStream, site: &Mutex<BTreeMap<String, Served>>, sent: &AtomicU64) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("if-none-match")
                {
                    if_none_match = Some(value.trim().to_owned());
                }
            }
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or_default();
    let served = path.strip_prefix("/feed/").and_then(|p| site.lock().unwrap().get(p).cloned());
    let mut write = |bytes: &[u8]| -> bool {
        let ok = stream.write_all(bytes).is_ok();
        if ok {
            sent.fetch_add(bytes.len() as u64, Ordering::SeqCst);
        }
        ok
    };
    match served {
        None => {
            write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
        Some(Served::File(bytes)) => {
            let tag = etag(&bytes);
            if if_none_match.as_deref() == Some(tag.as_str()) {
                write(format!("HTTP/1.1 304 Not Modified\r\nETag: {tag}\r\nConnection: close\r\n\r\n").as_bytes());
            } else {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: {tag}\r\nConnection: close\r\n\r\n",
                    bytes.len()
                );
                let _ = write(head.as_bytes()) && write(&bytes);
            }
        }
        Some(Served::Truncated(bytes)) => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", bytes.len());
            let _ = write(head.as_bytes()) && write(&bytes[..bytes.len() / 2]);
        }
        Some(Served::Endless) => {
            write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            let chunk = vec![b'{'; 64 * 1024];
            let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
            frame.extend_from_slice(&chunk);
            frame.extend_from_slice(b"\r\n");
            let start = Instant::now();
            while sent.load(Ordering::SeqCst) < ENDLESS_BYTES && start.elapsed() < ENDLESS_TIME {
                if !write(&frame) {
                    break; // the client hung up: what a capped client does
                }
            }
        }
    }
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}

// ---- the device and the publisher ----

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn app() -> Zhuanshu {
    Zhuanshu::open(Config {
        data_dir: None,
        clock: Clock::fixed_on(today()),
        security_clock: Clock::fixed_on(today()),
        ..Default::default()
    })
    .unwrap()
}

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

const EXPIRES: &str = "2027-03-01T00:00:00+08:00";

fn holidays_2027(new_year_off: &str) -> Vec<u8> {
    format!(
        r#"{{"year": 2027, "papers": [], "days": [
            {{"name": "元旦", "date": "{new_year_off}", "isOffDay": true}},
            {{"name": "春节", "date": "2027-02-08", "isOffDay": true}}]}}"#
    )
    .into_bytes()
}

/// Version `version` of the content: the embedded files, next year's holidays, and a policies file that
/// grows with the version (so an older one is always shorter).
fn content(version: u64) -> BTreeMap<String, Vec<u8>> {
    let mut c: BTreeMap<String, Vec<u8>> =
        embedded::files().iter().map(|(n, f)| (n.clone(), f.bytes.clone())).collect();
    c.insert("holidays/2027.json".into(), holidays_2027("2027-01-01"));
    let padding = " ".repeat(version as usize * 16);
    c.insert("policies.json".into(), format!(r#"{{"version": {version}, "policies": []{padding}}}"#).into_bytes());
    c
}

fn site(version: u64, expires: &str, roots: &[&[u8]], keys: &[&SigningKey]) -> BTreeMap<String, Vec<u8>> {
    publish::site(&content(version), version, at(expires), roots, keys).unwrap()
}

fn demo_site(version: u64) -> BTreeMap<String, Vec<u8>> {
    site(version, EXPIRES, &[embedded::ROOT_JSON], &[&publish::demo_key()])
}

/// `files` with a fresh timestamp (version `version`, valid until 2026-11-24) over the manifest it holds
/// now, signed by the demo key: the attacks below then reach the manifest's own checks.
fn timestamped(mut files: BTreeMap<String, Vec<u8>>, version: u64) -> BTreeMap<String, Vec<u8>> {
    let t = publish::new_timestamp(&files[format::MANIFEST_FILE], version, at("2026-11-24T00:00:00+08:00"), 1).unwrap();
    files.insert(format::TIMESTAMP_FILE.into(), publish::sign_timestamp(&t, &[&publish::demo_key()]).unwrap());
    files
}

/// The site path of a content file in a built site.
fn path_of(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    let manifest: Manifest = serde_json::from_slice(&files[format::MANIFEST_FILE]).unwrap();
    manifest.files[name].path.clone()
}

/// A device that has synced version 1 from a loopback server.
struct Fixture {
    app: Zhuanshu,
    server: Server,
}

impl Fixture {
    fn new() -> Fixture {
        let server = Server::start(demo_site(1));
        let app = app();
        let report = app.feed().sync_blocking(&server.url()).unwrap();
        assert_eq!((report.updated, report.version), (true, 1));
        Fixture { app, server }
    }

    fn sync(&self) -> Result<zhuanshu::feed::SyncReport, Error> {
        self.app.feed().sync_blocking(&self.server.url())
    }

    /// The sync fails with `code`, and version `version` is still what the device serves.
    fn rejected(&self, code: &str, version: u64) -> Rejection {
        let err = self.sync().expect_err("the attack must be rejected");
        assert_eq!(err.code(), code, "{err}");
        assert!(err.user_message().contains("继续使用现有内容"), "{}", err.user_message());
        self.assert_serves(version);
        match err {
            Error::FeedRejected { reason } => reason,
            other => panic!("not a feed rejection: {other}"),
        }
    }

    fn assert_serves(&self, version: u64) {
        let feed = self.app.feed();
        assert_eq!(feed.status().unwrap().version, version);
        for (name, bytes) in content(version) {
            assert_eq!(feed.file(&name).unwrap().as_deref(), Some(bytes.as_slice()), "{name} of version {version}");
        }
        assert!(self.app.dynamics().calendar().knows(2027), "the calendar keeps the synced year");
    }
}

// ---- the attack suite ----

#[test]
fn a_tampered_file_is_rejected() {
    let fx = Fixture::new();
    let v2 = demo_site(2);
    fx.server.publish(&v2);
    let path = path_of(&v2, "policies.json");
    let mut tampered = v2[&path].clone();
    let last = tampered.len() - 2;
    tampered[last] = b'X'; // same length, one byte changed
    fx.server.serve(&path, Served::File(tampered));
    let reason = fx.rejected("feed_hash_mismatch", 1);
    assert_eq!(reason, Rejection::HashMismatch { file: "policies.json".into() });
}

#[test]
fn a_bad_signature_is_rejected() {
    let fx = Fixture::new();
    let mut v2 = demo_site(2);
    // The attacker changes the signed manifest (a later expiry) and keeps the publisher's signature.
    let manifest = String::from_utf8(v2[format::MANIFEST_FILE].clone()).unwrap();
    v2.insert(format::MANIFEST_FILE.into(), manifest.replace("2027-03-01", "2099-03-01").into_bytes());
    fx.server.publish(&timestamped(v2, 2));
    let reason = fx.rejected("feed_bad_signature", 1);
    assert!(matches!(reason, Rejection::BadSignature { role: format::Role::Manifest, .. }));
}

#[test]
fn a_signature_by_an_unknown_key_is_rejected() {
    let fx = Fixture::new();
    let stranger = SigningKey::from_seed(&[7; 32]);
    let by_stranger = site(2, EXPIRES, &[embedded::ROOT_JSON], &[&stranger]);
    fx.server.publish(&by_stranger);
    let reason = fx.rejected("feed_unknown_key", 1);
    assert_eq!(reason, Rejection::UnknownKey { role: format::Role::Timestamp, keyid: stranger.id() });
    // With a timestamp the device trusts, the manifest's own signature is refused.
    fx.server.publish(&timestamped(by_stranger, 2));
    let reason = fx.rejected("feed_unknown_key", 1);
    assert_eq!(reason, Rejection::UnknownKey { role: format::Role::Manifest, keyid: stranger.id() });
}

#[test]
fn a_rollback_to_an_older_version_is_rejected() {
    let fx = Fixture::new();
    fx.server.publish(&demo_site(2));
    assert_eq!(fx.sync().unwrap().version, 2);
    // The attacker replays version 1: validly signed, not expired, just old.
    fx.server.publish(&demo_site(1));
    let reason = fx.rejected("feed_rollback", 2);
    assert_eq!(reason, Rejection::Rollback { role: format::Role::Timestamp, held: 2, offered: 1 });
    // Even under a newer timestamp (a leaked online key), the manifest itself does not go back.
    fx.server.publish(&timestamped(demo_site(1), 3));
    let reason = fx.rejected("feed_rollback", 2);
    assert_eq!(reason, Rejection::Rollback { role: format::Role::Manifest, held: 2, offered: 1 });
}

#[test]
fn an_expired_manifest_is_rejected() {
    let fx = Fixture::new();
    // A freeze: a newer version, genuinely signed, but its expiry passed (today is 2026-11-22).
    // The site's timestamp expires with it: the freshness check refuses it first.
    let stale = site(2, "2026-11-20T00:00:00+08:00", &[embedded::ROOT_JSON], &[&publish::demo_key()]);
    fx.server.publish(&stale);
    let reason = fx.rejected("feed_expired", 1);
    assert!(matches!(reason, Rejection::Expired { role: format::Role::Timestamp, .. }));
    // A fresh timestamp over the expired manifest: the manifest's own expiry.
    fx.server.publish(&timestamped(stale, 2));
    let reason = fx.rejected("feed_expired", 1);
    assert!(matches!(reason, Rejection::Expired { role: format::Role::Manifest, .. }));
}

#[test]
fn mixing_files_of_different_versions_is_rejected() {
    let fx = Fixture::new();
    let (v1, v2) = (demo_site(1), demo_site(2));
    fx.server.publish(&v2);
    // The new manifest, but the old policies file where the new one should be.
    fx.server.serve(&path_of(&v2, "policies.json"), Served::File(v1[&path_of(&v1, "policies.json")].clone()));
    let reason = fx.rejected("feed_length_mismatch", 1);
    assert!(
        matches!(reason, Rejection::LengthMismatch { ref file, expected, got } if file == "policies.json" && got < expected)
    );
}

#[test]
fn endless_data_is_cut_at_the_cap() {
    let fx = Fixture::new();
    let v2 = demo_site(2);
    fx.server.publish(&v2);
    let path = path_of(&v2, "policies.json");
    let length = serde_json::from_slice::<Manifest>(&v2[format::MANIFEST_FILE]).unwrap().files["policies.json"].length;
    fx.server.serve(&path, Served::Endless);
    let before = fx.server.sent.load(Ordering::SeqCst);
    let started = Instant::now();
    let reason = fx.rejected("feed_too_large", 1);
    assert_eq!(reason, Rejection::TooLarge { file: "policies.json".into(), cap: length });
    let streamed = fx.server.sent.load(Ordering::SeqCst) - before;
    // The client read `length + 1` bytes and hung up; what the server got into the socket buffers before
    // noticing is bounded by them, far from the stream's own limit.
    assert!(streamed < 16 * 1024 * 1024, "the server streamed {streamed} bytes");
    assert!(started.elapsed() < ENDLESS_TIME / 2, "the client stopped early");

    // An endless manifest is cut at the length the timestamp names, an endless timestamp at its cap.
    fx.server.serve(format::MANIFEST_FILE, Served::Endless);
    let reason = fx.rejected("feed_too_large", 1);
    assert!(matches!(reason, Rejection::TooLarge { ref file, .. } if file == format::MANIFEST_FILE));
    fx.server.serve(format::TIMESTAMP_FILE, Served::Endless);
    let reason = fx.rejected("feed_too_large", 1);
    assert!(matches!(reason, Rejection::TooLarge { ref file, .. } if file == format::TIMESTAMP_FILE));
}

#[test]
fn a_truncated_response_is_rejected() {
    let fx = Fixture::new();
    let v2 = demo_site(2);
    fx.server.publish(&v2);
    let path = path_of(&v2, "policies.json");
    fx.server.serve(&path, Served::Truncated(v2[&path].clone()));
    let reason = fx.rejected("feed_truncated", 1);
    assert!(matches!(reason, Rejection::Truncated { ref file, .. } if file == "policies.json"));
}

#[test]
fn a_key_rotation_is_accepted_only_with_the_old_roots_signature() {
    let fx = Fixture::new();
    let (old, new) = (publish::demo_key(), SigningKey::from_seed(&[42; 32]));
    let root2 = publish::new_root(2, at("2036-01-01T00:00:00+08:00"), &[&new], 1, &[&new], 1, &[&new], 1);

    // The attacker holds only a new key: a root 2 signed by itself, and a manifest signed by it.
    let self_signed = publish::sign_root(&root2, &[&new]).unwrap();
    fx.server.publish(&site(2, EXPIRES, &[embedded::ROOT_JSON, &self_signed], &[&new]));
    let reason = fx.rejected("feed_untrusted_root", 1);
    assert!(matches!(reason, Rejection::UntrustedRoot { version: 2, .. }));

    // The publisher rotates: root 2 signed by the old key and the new one. Accepted.
    let rotated = publish::sign_root(&root2, &[&old, &new]).unwrap();
    fx.server.publish(&site(2, EXPIRES, &[embedded::ROOT_JSON, &rotated], &[&new]));
    let report = fx.sync().unwrap();
    assert_eq!((report.version, report.root_version), (2, 2));
    fx.assert_serves(2);

    // After the rotation the old key alone no longer signs manifests.
    fx.server.publish(&site(3, EXPIRES, &[embedded::ROOT_JSON, &rotated], &[&old]));
    fx.rejected("feed_unknown_key", 2);
}

#[test]
fn every_attack_class_has_its_own_code_and_message() {
    let role = format::Role::Manifest;
    let file = || "policies.json".to_owned();
    let all = [
        Rejection::HashMismatch { file: file() },
        Rejection::BadSignature { role, keyid: "k".into() },
        Rejection::UnknownKey { role, keyid: "k".into() },
        Rejection::Rollback { role, held: 2, offered: 1 },
        Rejection::Expired {
            role,
            expires: "2026-01-01T00:00:00".parse().unwrap(),
            now: "2026-11-22T09:00:00".parse().unwrap(),
        },
        Rejection::LengthMismatch { file: file(), expected: 9, got: 3 },
        Rejection::TooLarge { file: file(), cap: 9 },
        Rejection::Truncated { file: file(), got: 3 },
        Rejection::UntrustedRoot { version: 2, detail: String::new() },
        Rejection::TimestampMismatch { detail: String::new() },
    ];
    let codes: std::collections::BTreeSet<&str> = all.iter().map(Rejection::code).collect();
    let messages: std::collections::BTreeSet<String> = all.iter().map(Rejection::user_message).collect();
    assert_eq!((codes.len(), messages.len()), (all.len(), all.len()));
}

#[test]
fn a_frozen_site_is_noticed_when_its_timestamp_expires() {
    let fx = Fixture::new();
    // The manifest (valid until March) is fine; the timestamp in front of it, genuinely signed, expired
    // yesterday: what a device sees when someone replays the site as it was days ago.
    let mut frozen = demo_site(1);
    let t = publish::new_timestamp(&frozen[format::MANIFEST_FILE], 2, at("2026-11-21T00:00:00+08:00"), 1).unwrap();
    frozen.insert(format::TIMESTAMP_FILE.into(), publish::sign_timestamp(&t, &[&publish::demo_key()]).unwrap());
    fx.server.publish(&frozen);
    let reason = fx.rejected("feed_expired", 1);
    assert!(matches!(reason, Rejection::Expired { role: format::Role::Timestamp, .. }));
    assert!(reason.user_message().contains("内容更新已过期"), "{}", reason.user_message());
}

/// Plain HTTP is for this device only: refused (before any request) for another host, accepted on
/// 127.0.0.1 (every test here) and on [::1].
#[test]
fn plain_http_is_accepted_only_on_loopback() {
    let app = app();
    let err = app.feed().sync_blocking("http://example.invalid/feed/").unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.user_message().contains("https://"), "{}", err.user_message());
    match TcpListener::bind("[::1]:0") {
        Ok(probe) => {
            drop(probe);
            let server = Server::start_on("[::1]:0", demo_site(1));
            assert!(server.url().starts_with("http://[::1]:"), "{}", server.url());
            assert_eq!(app.feed().sync_blocking(&server.url()).unwrap().version, 1);
        }
        Err(e) => eprintln!("no IPv6 loopback here ({e}); [::1] is covered by the core's address tests"),
    }
}

// ---- end to end with nginx ----

fn nginx_binary() -> PathBuf {
    let candidates = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("nginx")).collect::<Vec<_>>())
        .unwrap_or_default();
    candidates
        .into_iter()
        .chain([PathBuf::from("/usr/sbin/nginx"), PathBuf::from("/usr/local/sbin/nginx")])
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "nginx is not installed, so the end-to-end feed test cannot run. `cargo xtask test` installs \
                 Debian's nginx; or run `apt-get install nginx`."
            )
        })
}

/// nginx in the foreground on a loopback port, with its config, pid and logs in a temp dir.
struct Nginx {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Nginx {
    fn start(site: &Path, dir: &Path) -> Nginx {
        let binary = nginx_binary();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let d = dir.display();
        let config = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  access_log {d}/access.log;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  \
             fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  \
             types {{ application/json json; }}\n  default_type application/octet-stream;\n  \
             server {{\n    listen 127.0.0.1:{port};\n    root {};\n    etag on;\n  }}\n}}\n",
            site.display()
        );
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config).unwrap();
        let child = Command::new(&binary)
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let mut nginx = Nginx { child, port, dir: dir.to_owned() };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = nginx.child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("nginx exited with {status}: {err}\n{}", nginx.log("error.log"));
            }
            assert!(Instant::now() < deadline, "nginx did not listen on {port}: {}", nginx.log("error.log"));
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write_site(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

#[test]
fn nginx_serves_a_published_site_and_answers_304_when_nothing_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let (site_dir, nginx_dir) = (tmp.path().join("site"), tmp.path().join("nginx"));
    std::fs::create_dir_all(&nginx_dir).unwrap();
    write_site(&site_dir, &demo_site(1));
    let nginx = Nginx::start(&site_dir, &nginx_dir);
    let url = format!("http://127.0.0.1:{}/", nginx.port);
    let app = app();

    let first = app.feed().sync_blocking(&url).unwrap();
    assert_eq!((first.updated, first.version), (true, 1));
    assert_eq!(first.changed, ["holidays/2027.json", "policies.json"]);
    assert_eq!(first.requests, 5, "timestamp, manifest, signatures, two files");

    let again = app.feed().sync_blocking(&url).unwrap();
    assert_eq!((again.updated, again.requests, again.bytes), (false, 1, 0));
    let log = nginx.log("access.log");
    assert!(log.lines().last().is_some_and(|l| l.contains("GET /timestamp.json") && l.contains(" 304 ")), "{log}");

    // One file changes. nginx's ETag is mtime-size with one-second mtimes: publish in a later second.
    std::thread::sleep(Duration::from_millis(1100));
    let mut next = content(1);
    next.insert("holidays/2027.json".into(), holidays_2027("2027-01-04"));
    write_site(
        &site_dir,
        &publish::site(&next, 2, at(EXPIRES), &[embedded::ROOT_JSON], &[&publish::demo_key()]).unwrap(),
    );
    let second = app.feed().sync_blocking(&url).unwrap();
    assert_eq!((second.updated, second.version, second.requests), (true, 2, 4));
    assert_eq!(second.changed, ["holidays/2027.json"]);
    let workday = |d: u32| app.dynamics().workday(NaiveDate::from_ymd_opt(2027, 1, d).unwrap()).workday;
    assert_eq!((workday(1), workday(4)), (true, false), "the corrected notice is in force");
}
