//! `zhuanshu feed …` and `zhuanshu sync URL`: publishing the signed content feed (keys, build, sign,
//! timestamp, rotate, serve) and keeping a device's content up to date. The rules — formats, signatures, every check,
//! and the publishing workflow over a site directory (`zhuanshu::feed::site`: versions, expiries, the order
//! documents are written in) — are in the core; this file parses arguments, prints and serves files.
//!
//! A real publisher runs `keygen`, `sign` and `rotate` on an offline machine and copies only the signed
//! site to the web server; `timestamp` runs where the online timestamp key lives, every day or so, so
//! devices keep believing the site is current. `keygen --demo` writes the public demo key: anyone can sign
//! with it.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use clap::Subcommand;
use zhuanshu::feed::format::{self, MANIFEST_FILE};
use zhuanshu::feed::publish;
use zhuanshu::feed::site::{self, Site};
use zhuanshu::feed::{FeedStatus, SyncReport};
use zhuanshu::{Clock, Error, Zhuanshu};

use crate::{Output, out, parse_date};

#[derive(Subcommand)]
pub enum FeedCmd {
    /// Create a signing key (Ed25519, PKCS#8, file mode 0600). Keep it offline.
    Keygen {
        #[arg(long)]
        out: PathBuf,
        /// Write the public demo key instead (tests and demos only: anyone can sign with it).
        #[arg(long)]
        demo: bool,
    },
    /// Build a new feed version from CONTENT_DIR (policies.json, faq.jsonl, guide.json, holidays/*.json)
    /// into SITE_DIR. Every file is checked as the app will check it.
    Build {
        content: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Default: one more than the site's current manifest, or 1.
        #[arg(long)]
        version: Option<u64>,
        /// Expiry date (00:00 Beijing time); default 90 days from today. Devices refuse it afterwards.
        #[arg(long, value_parser = parse_date)]
        expires: Option<NaiveDate>,
    },
    /// Sign the site's manifest with each KEY (signatures already there are kept). A site without a root
    /// gets root version 1 trusting exactly these keys for every role. Once the signatures are complete,
    /// the timestamp is signed too if the keys include the root's timestamp keys (else run `feed timestamp`).
    Sign {
        site: PathBuf,
        #[arg(long = "key", required = true)]
        keys: Vec<PathBuf>,
    },
    /// Re-sign the site's timestamp.json (what devices fetch first) for the manifest the site serves now,
    /// valid for N hours from now (the real clock, never --today). Run it daily with the online timestamp
    /// key; devices refuse a site whose timestamp has expired.
    Timestamp {
        site: PathBuf,
        #[arg(long = "key", required = true)]
        keys: Vec<PathBuf>,
        #[arg(long, default_value_t = publish::TIMESTAMP_HOURS)]
        expires_in_hours: i64,
    },
    /// Rotate keys: write the next root, trusting the NEW_KEYs (for the timestamp role: the
    /// --new-timestamp-keys, default the NEW_KEYs), signed by the current root keys (--key) and the new
    /// ones. Then build, sign and timestamp again with the new keys.
    Rotate {
        site: PathBuf,
        /// Current root keys, enough to reach their threshold.
        #[arg(long = "key", required = true)]
        keys: Vec<PathBuf>,
        #[arg(long = "new-key", required = true)]
        new_keys: Vec<PathBuf>,
        /// The online key(s) that will sign timestamps (threshold 1). Default: the new keys.
        #[arg(long = "new-timestamp-key")]
        new_timestamp_keys: Vec<PathBuf>,
        /// Signatures needed from the new keys (default: all of them).
        #[arg(long)]
        threshold: Option<u32>,
        /// Root expiry date; default ten years from today.
        #[arg(long, value_parser = parse_date)]
        expires: Option<NaiveDate>,
    },
    /// Serve SITE_DIR over HTTP with ETags (until interrupted). Loopback only unless --bind says otherwise.
    Serve {
        site: PathBuf,
        #[arg(long, default_value_t = 8080)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
    },
    /// The feed version this device holds, and its content files.
    Status,
    /// Write the content in force as a content directory (a starting point for `feed build`).
    Content {
        #[arg(long)]
        out: PathBuf,
    },
}

impl FeedCmd {
    /// The publisher's commands work on files only; they never open the app's data.
    pub fn needs_app(&self) -> bool {
        matches!(self, FeedCmd::Status | FeedCmd::Content { .. })
    }
}

fn keygen(path: &Path, demo: bool) -> Result<Output, Error> {
    let key = site::write_key(path, demo)?;
    let info = serde_json::json!({"key": path, "keyid": key.id(), "public": key.public().public, "demo": demo});
    let warning = if demo {
        "\n注意：这是公开的演示密钥，任何人都能用它签名，只能用于测试和演示。"
    } else {
        "\n请离线保管私钥文件。"
    };
    out(&info, format!("已生成签名密钥：{}\n密钥编号：{}{warning}", path.display(), key.id()))
}

fn build(
    content: &Path,
    site: &Path,
    version: Option<u64>,
    expires: Option<NaiveDate>,
    clock: &Clock,
) -> Result<Output, Error> {
    let files = site::read_content(content)?;
    let built = Site::new(site, clock.clone(), zhuanshu::content::checks()).build(&files, version, expires)?;
    let (version, expires) = (built.version, built.expires);
    let info = serde_json::json!({"version": version, "expires": expires.to_rfc3339(), "root_version": built.root_version,
        "files": files.iter().map(|(n, b)| (n.clone(), b.len())).collect::<BTreeMap<_, _>>()});
    let names: Vec<String> = files.iter().map(|(n, b)| format!("  {n}（{}字节）", b.len())).collect();
    out(
        &info,
        format!(
            "已生成第{version}版（有效期至{}），共{}个文件：\n{}\n下一步：zhuanshu feed sign {} --key 密钥文件（再 feed timestamp）",
            expires.format("%Y-%m-%d %H:%M"),
            files.len(),
            names.join("\n"),
            site.display()
        ),
    )
}

fn sign(site: &Path, key_paths: &[PathBuf], clock: &Clock) -> Result<Output, Error> {
    let signed = Site::new(site, clock.clone(), zhuanshu::content::checks()).sign(key_paths)?;
    let (count, needed, complete) = (signed.signatures, signed.threshold, signed.complete);
    let info = serde_json::json!({"version": signed.version, "signatures": count, "threshold": needed,
        "complete": complete, "created_root": signed.created_root,
        "timestamp_expires": signed.timestamp_expires.map(|t| t.to_rfc3339())});
    let mut text = format!("已签名第{}版清单（{count}个签名，需要{needed}个）", signed.version);
    if signed.created_root {
        text.push_str("\n站点还没有根密钥清单，已用这些密钥生成第1版（root.json）；应用内置的根密钥清单应与之相同。");
    }
    text.push_str(
        match (complete, signed.timestamp_expires) {
            (true, Some(until)) => {
                format!("\n签名齐全，已签发更新时间戳（有效至{}），可以发布。", until.format("%Y-%m-%d %H:%M"))
            }
            (true, None) => format!("\n签名齐全。下一步：zhuanshu feed timestamp {} --key 时间戳密钥", site.display()),
            (false, _) => "\n签名尚不足，还需其他密钥签名。".to_owned(),
        }
        .as_str(),
    );
    out(&info, text)
}

/// `feed timestamp`: re-signs only the timestamp (valid for `hours` from the real clock, never --today).
fn timestamp(site: &Path, key_paths: &[PathBuf], hours: i64) -> Result<Output, Error> {
    let signed = Site::new(site, Clock::System, zhuanshu::content::checks()).timestamp(key_paths, hours)?;
    let info = serde_json::json!({"manifest_version": signed.manifest_version, "expires": signed.expires.to_rfc3339()});
    out(
        &info,
        format!(
            "已签发更新时间戳：第{}版内容清单，有效至{}。请在到期前再次运行。",
            signed.manifest_version,
            signed.expires.format("%Y-%m-%d %H:%M")
        ),
    )
}

fn rotate(
    site: &Path,
    key_paths: &[PathBuf],
    new_key_paths: &[PathBuf],
    new_timestamp_key_paths: &[PathBuf],
    threshold: Option<u32>,
    expires: Option<NaiveDate>,
    clock: &Clock,
) -> Result<Output, Error> {
    let root = Site::new(site, clock.clone(), zhuanshu::content::checks()).rotate(
        key_paths,
        new_key_paths,
        new_timestamp_key_paths,
        threshold,
        expires,
    )?;
    let info = serde_json::json!({"root_version": root.version, "keyids": root.manifest.keyids});
    out(
        &info,
        format!(
            "已生成第{}版根密钥清单，由原密钥和新密钥共同签名。\n下一步：feed build，再用新密钥 feed sign 和 feed timestamp。",
            root.version
        ),
    )
}

fn status_text(s: &FeedStatus) -> String {
    let mut lines = Vec::new();
    if s.version == 0 {
        lines.push(format!("内容版本：内置（尚未同步），根密钥第{}版", s.root_version));
    } else {
        let expires = s.expires.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
        let state = if s.expired { "（已过期，请等待发布方更新）" } else { "" };
        lines.push(format!("内容版本：第{}版，根密钥第{}版，有效期至{expires}{state}", s.version, s.root_version));
        let minutes = |t: NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
        if let (Some(checked), Some(until)) = (s.checked_at, s.verified_until) {
            let fresh = if s.fresh {
                ""
            } else {
                "（已过期：可能被拦截或发布方未及时更新，请重新同步）"
            };
            lines.push(format!("内容已于{}核验，有效至{}{fresh}", minutes(checked), minutes(until)));
        }
        if let Some(source) = &s.source {
            lines.push(format!("来源：{source}"));
        }
        if let (Some(synced), Some(checked)) = (s.synced_at, s.checked_at) {
            lines.push(format!(
                "更新于：{}，最近检查：{}",
                synced.format("%Y-%m-%d %H:%M"),
                checked.format("%Y-%m-%d %H:%M")
            ));
        }
    }
    if let Some(problem) = &s.problem {
        lines.push(format!("注意：{problem}"));
    }
    lines.push("文件：".to_owned());
    for f in &s.files {
        let from = if f.version == 0 { "内置".to_owned() } else { format!("第{}版", f.version) };
        lines.push(format!("  {:<22} {from:<6} {}字节", f.name, f.length));
    }
    lines.join("\n")
}

fn sync_text(r: &SyncReport) -> String {
    let cost = format!("{}次请求，{}字节", r.requests, r.bytes);
    if r.updated {
        let mut text = format!("已更新到第{}版（原第{}版，{cost}）", r.version, r.previous_version);
        if !r.changed.is_empty() {
            text.push_str(&format!("\n更新：{}", r.changed.join("、")));
        }
        if !r.removed.is_empty() {
            text.push_str(&format!("\n移除：{}", r.removed.join("、")));
        }
        if !r.repaired.is_empty() {
            text.push_str(&format!("\n修复：{}", r.repaired.join("、")));
        }
        text
    } else if !r.repaired.is_empty() {
        format!(
            "内容已是最新（第{}版），已重新下载未通过校验的本机数据：{}（{cost}）",
            r.version,
            r.repaired.join("、")
        )
    } else if r.version == 0 {
        format!("内容已是最新（内置内容，{cost}）")
    } else {
        format!("内容已是最新（第{}版，{cost}）", r.version)
    }
}

/// `zhuanshu sync URL`.
pub fn sync(app: &Zhuanshu, url: &str) -> Result<Output, Error> {
    let report = app.feed().sync_blocking(url)?;
    out(&report, sync_text(&report))
}

/// The publisher's commands (no app data).
pub fn publish(cmd: &FeedCmd, clock: &Clock) -> Result<Output, Error> {
    match cmd {
        FeedCmd::Keygen { out: path, demo } => keygen(path, *demo),
        FeedCmd::Build { content, out: site, version, expires } => build(content, site, *version, *expires, clock),
        FeedCmd::Sign { site, keys } => sign(site, keys, clock),
        FeedCmd::Timestamp { site, keys, expires_in_hours } => timestamp(site, keys, *expires_in_hours),
        FeedCmd::Rotate { site, keys, new_keys, new_timestamp_keys, threshold, expires } => {
            rotate(site, keys, new_keys, new_timestamp_keys, *threshold, *expires, clock)
        }
        FeedCmd::Serve { site, port, bind } => serve(site, *bind, *port),
        FeedCmd::Status | FeedCmd::Content { .. } => Err(Error::Internal("needs the app".into())),
    }
}

/// The device's commands.
pub fn run(app: &Zhuanshu, cmd: &FeedCmd) -> Result<Output, Error> {
    match cmd {
        FeedCmd::Status => {
            let status = app.feed().status()?;
            out(&status, status_text(&status))
        }
        FeedCmd::Content { out: dir } => {
            let content = app.feed().content()?;
            site::write_content(dir, &content)?;
            let names: Vec<&String> = content.keys().collect();
            out(&names, format!("已写出{}个内容文件到{}", names.len(), dir.display()))
        }
        other => publish(other, app.clock()),
    }
}

// ---- serve ----

/// A strong ETag for a file: its hash (so it is the same on every server and after a restart).
fn etag(bytes: &[u8]) -> String {
    format!("\"{}\"", &format::sha256_hex(bytes)[..32])
}

/// The answer to one request for `raw_path` under `site`: (status, etag, body).
fn answer(site: &Path, raw_path: &str, if_none_match: Option<&str>) -> (u16, Option<String>, Vec<u8>) {
    let path = raw_path.split(['?', '#']).next().unwrap_or_default().trim_start_matches('/');
    if !format::valid_path(path) {
        return (404, None, Vec::new());
    }
    match std::fs::read(site.join(path)) {
        Ok(bytes) => {
            let tag = etag(&bytes);
            let matches = if_none_match.is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
            if matches { (304, Some(tag), Vec::new()) } else { (200, Some(tag), bytes) }
        }
        Err(_) => (404, None, Vec::new()),
    }
}

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// The feed is public, signed, static content: any web app may read it. A browser must also be allowed
/// to send If-None-Match and to read the ETag, or every sync downloads the manifest again.
fn cors_headers() -> [Option<tiny_http::Header>; 4] {
    [
        header("Access-Control-Allow-Origin", "*"),
        header("Access-Control-Allow-Headers", "If-None-Match"),
        header("Access-Control-Expose-Headers", "ETag"),
        header("Access-Control-Max-Age", "86400"),
    ]
}

/// Answers requests on `server` until it is dropped or `limit` requests were served.
fn serve_on(server: &tiny_http::Server, site: &Path, limit: Option<usize>) {
    for (served, request) in server.incoming_requests().enumerate() {
        let if_none_match =
            request.headers().iter().find(|h| h.field.equiv("If-None-Match")).map(|h| h.value.as_str().to_owned());
        let (status, tag, body) = match request.method() {
            tiny_http::Method::Get | tiny_http::Method::Head => answer(site, request.url(), if_none_match.as_deref()),
            // A browser's CORS preflight (If-None-Match is not a simple header).
            tiny_http::Method::Options => (204, None, Vec::new()),
            _ => (405, None, Vec::new()),
        };
        let kind = if request.url().ends_with(".json") { "application/json" } else { "application/octet-stream" };
        let mut response = tiny_http::Response::from_data(body).with_status_code(status);
        let headers = [tag.as_deref().and_then(|t| header("ETag", t)), header("Content-Type", kind)];
        for h in headers.into_iter().chain(cors_headers()).flatten() {
            response = response.with_header(h);
        }
        // A client that hung up is its own problem; the server goes on.
        let _ = request.respond(response);
        if limit.is_some_and(|n| served + 1 >= n) {
            break;
        }
    }
}

fn serve(site: &Path, bind: IpAddr, port: u16) -> Result<Output, Error> {
    if !site.join(MANIFEST_FILE).is_file() {
        return Err(Error::invalid(
            "site",
            format!("{}不是内容站点目录（没有 manifest.json）", site.display()),
            format!("{} has no {MANIFEST_FILE}", site.display()),
        ));
    }
    let server = tiny_http::Server::http((bind, port)).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    let addr = server.server_addr().to_ip().map(|a| a.to_string()).unwrap_or_default();
    eprintln!("正在提供 {} ：http://{addr}/（Ctrl-C 停止）", site.display());
    serve_on(&server, site, None);
    out(&addr, "已停止".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhuanshu::feed::format::ROOT_FILE;
    use zhuanshu::feed::verify;

    #[test]
    fn the_server_answers_with_etags_and_stays_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("files")).unwrap();
        std::fs::write(dir.path().join("manifest.json"), b"{}").unwrap();
        let (status, tag, body) = answer(dir.path(), "/manifest.json", None);
        assert_eq!((status, body.as_slice()), (200, &b"{}"[..]));
        let tag = tag.unwrap();
        assert_eq!(answer(dir.path(), "/manifest.json?x=1", Some(&tag)).0, 304);
        assert_eq!(answer(dir.path(), "/manifest.json", Some("\"other\"")).0, 200);
        for bad in ["/../secret-outside-site", "/files/../../etc/passwd", "/", "/missing.json", "//etc/passwd"] {
            assert_eq!(answer(dir.path(), bad, None).0, 404, "{bad}");
        }
    }

    #[test]
    fn publish_serve_and_sync_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let (content, site) = (dir.path().join("content"), dir.path().join("site"));
        let clock = Clock::fixed_on(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        let app =
            Zhuanshu::open(zhuanshu::Config { data_dir: None, clock: clock.clone(), ..Default::default() }).unwrap();
        run(&app, &FeedCmd::Content { out: content.clone() }).unwrap();
        std::fs::write(
            content.join("holidays/2027.json"),
            r#"{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#,
        )
        .unwrap();
        let key = dir.path().join("demo.key");
        publish(&FeedCmd::Keygen { out: key.clone(), demo: true }, &clock).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(publish(&FeedCmd::Keygen { out: key.clone(), demo: true }, &clock).is_err(), "never overwrites");
        publish(&FeedCmd::Build { content: content.clone(), out: site.clone(), version: None, expires: None }, &clock)
            .unwrap();
        let signed = publish(&FeedCmd::Sign { site: site.clone(), keys: vec![key.clone()] }, &clock).unwrap();
        assert_eq!(signed.json["complete"], true);
        // The root `sign` created for the demo key is the one the app pins, up to its expiry date.
        let root = verify::verify_pinned_root(&std::fs::read(site.join(ROOT_FILE)).unwrap()).unwrap();
        assert_eq!(root.manifest.keyids, vec![publish::demo_key().id()]);

        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", server.server_addr().to_ip().unwrap());
        std::thread::scope(|s| {
            s.spawn(|| serve_on(&server, &site, None));
            let report = sync(&app, &url).unwrap();
            // Only the new holiday year travels; everything else equals the embedded copy.
            assert_eq!(report.json["changed"], serde_json::json!(["holidays/2027.json"]));
            assert_eq!(report.json["requests"], 4, "timestamp, manifest, signatures, one file");
            let again = sync(&app, &url).unwrap();
            assert_eq!((again.json["updated"].clone(), again.json["requests"].clone()), (false.into(), 1.into()));
            // Unknown paths and methods do not take the server down.
            let missing = app.feed().sync_blocking(&format!("{url}nowhere/")).unwrap_err();
            assert_eq!(missing.code(), "network");
            let status = run(&app, &FeedCmd::Status).unwrap();
            assert!(status.text.contains("第1版"), "{}", status.text);
            assert!(status.text.contains("核验，有效至"), "{}", status.text);
            // The daily re-signing: a new timestamp, the same manifest, one request for the device.
            let again = publish(
                &FeedCmd::Timestamp { site: site.clone(), keys: vec![key.clone()], expires_in_hours: 24 },
                &clock,
            )
            .unwrap();
            assert_eq!(again.json["manifest_version"], 1);
            let refreshed = sync(&app, &url).unwrap();
            assert_eq!(
                (refreshed.json["updated"].clone(), refreshed.json["requests"].clone()),
                (false.into(), 1.into())
            );
            server.unblock();
        });
        assert!(app.dynamics().calendar().knows(2027));
    }
}
