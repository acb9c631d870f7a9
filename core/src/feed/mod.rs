//! The content feed (内容更新): policies, the FAQ knowledge base, guide content and holiday years, published
//! as static files that any web server or CDN can host, and believed only when signed.
//!
//! It follows The Update Framework's threat model with three documents. The *root* lists the publisher's
//! Ed25519 keys and how many must sign for each role; the app pins one (see [`embedded`]) and accepts a
//! new root only when a threshold of the old root's keys signed it. The *manifest* names every content
//! file by SHA-256 and length, carries a version that only goes up and an expiry of months, and is signed
//! offline by the root's manifest keys. The *timestamp* names the current manifest and expires within
//! days; an online key re-signs it, so a device that is fed an old site (a freeze) notices within days.
//! Files are stored on the site by hash, so a file can never change under its name.
//!
//! A sync ([`Feed::sync`]) verifies everything before it writes anything, then applies the new version in
//! one transaction; on any failure the device keeps the content it had and the error names the attack
//! class ([`Rejection`]). Only `https://` sites are synced (plain `http://` on loopback too, for the demo
//! and tests; see [`address`]). The logic is sans-I/O: it speaks to the network through [`Transport`], so
//! the same code runs over reqwest, fetch, a platform HTTP stack or an in-memory site.
//!
//! What a sync stored is not trusted as it lies in the database: [`stored`] re-verifies it from the pinned
//! root on every load, and each content file is hashed against the verified manifest when it is read.
//!
//! Consumers read content by name with [`content_file`] (stored version, else the embedded one): the
//! policy catalog (`policies.json`), the assistant (`faq.jsonl`), the calendar (`holidays/YYYY.json`) and
//! the guide (`guide.json`).

pub mod address;
mod checks;
pub(crate) mod db;
pub mod embedded;
pub mod format;
pub mod publish;
pub(crate) mod shipped;
/// The publisher's files on disk: native only (the apps never publish).
#[cfg(not(target_arch = "wasm32"))]
pub mod site;
mod stored;
mod sync;
pub mod transport;
pub mod verify;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::Serialize;

use crate::context::Context;
use crate::error::{Error, Result};
pub use checks::{Check, ContentChecks};
pub use format::Role;
#[cfg(not(target_arch = "wasm32"))]
pub use transport::Http;
pub use transport::{MemorySite, Response, Transport};
pub use verify::Rejection;

pub const POLICIES_FILE: &str = "policies.json";
pub const FAQ_FILE: &str = "faq.jsonl";
pub const GUIDE_FILE: &str = "guide.json";
/// Holiday years: `holidays/2027.json` (holiday-cn format).
pub const HOLIDAYS_DIR: &str = "holidays/";

/// What a sync did and what it cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct SyncReport {
    /// A new version was applied.
    pub updated: bool,
    /// The version in force now (0: the embedded feed).
    pub version: u64,
    pub previous_version: u64,
    pub root_version: u64,
    /// Files whose content changed (new or different from what was in force), by name.
    pub changed: Vec<String>,
    /// Files the new version no longer carries (their embedded copy, if any, is in force again).
    pub removed: Vec<String>,
    /// Stored data that failed its check and was replaced with verified data: content files by name, or
    /// the feed's own documents (`timestamp.json`, `manifest.json`, `roots/N.json`).
    pub repaired: Vec<String>,
    /// HTTP requests made, and body bytes received.
    pub requests: u32,
    pub bytes: u64,
    /// When the version in force expires (Asia/Shanghai); `None` for the embedded feed.
    pub expires: Option<NaiveDateTime>,
}

/// One content file in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct ContentFile {
    pub name: String,
    /// The feed version that delivered it; 0 for the embedded copy.
    pub version: u64,
    pub length: u64,
    pub sha256: String,
}

/// The feed as the device holds it (`zhuanshu feed status`). Versions and expiries come from the verified
/// documents, never from a stored column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct FeedStatus {
    /// 0 until the first successful sync (the embedded feed).
    pub version: u64,
    pub root_version: u64,
    /// The manifest's expiry.
    pub expires: Option<NaiveDateTime>,
    /// The version in force has expired: syncs fail until the publisher signs a new one; content stays.
    pub expired: bool,
    /// Until when the last verified timestamp vouches that the version in force is the publisher's
    /// current one ("内容已于 checked_at 核验，有效至 verified_until").
    pub verified_until: Option<NaiveDateTime>,
    /// The content in force is known to be current: a synced version whose timestamp and manifest have not
    /// expired. `false` for the embedded feed and once the timestamp runs out without a new sync.
    pub fresh: bool,
    pub source: Option<String>,
    pub synced_at: Option<NaiveDateTime>,
    /// The last sync that verified a fresh timestamp.
    pub checked_at: Option<NaiveDateTime>,
    /// Stored feed data failed its check (the owner's message): the embedded content is in force where it
    /// failed, and the next sync repairs it.
    pub problem: Option<String>,
    pub files: Vec<ContentFile>,
}

/// `name` as readers see it under `trusted`: the stored file when it matches the verified manifest, else
/// the embedded one, else the one the front end shipped beside the binary.
fn read_in_force(conn: &Connection, trusted: &stored::Trusted, name: &str) -> Result<Option<Vec<u8>>> {
    Ok(match trusted.file(conn, name)? {
        Some(bytes) => Some(bytes),
        None => embedded::files().get(name).map(|f| f.bytes.clone()).or_else(|| shipped::get(name)),
    })
}

/// The content file `name` in force: the stored version if it matches the verified manifest, else the
/// embedded one, else the one the front end shipped beside the binary ([`crate::content::provide`], kept in [`shipped`]), else
/// `None`.
pub fn content_file(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>> {
    read_in_force(conn, &stored::load(conn)?, name)
}

/// The file `name` only if a feed version delivered it and it matches the verified manifest (consumers
/// that already hold the embedded copy in another form, like the assistant's parsed knowledge base).
pub(crate) fn stored_file(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>> {
    stored::load(conn)?.file(conn, name)
}

/// The holiday years the feed delivered and the verified manifest lists, as text, oldest first (the
/// embedded years are in the calendar already).
pub(crate) fn stored_holiday_years(conn: &Connection) -> Result<Vec<String>> {
    let trusted = stored::load(conn)?;
    Ok(db::files_under(conn, HOLIDAYS_DIR)?
        .into_iter()
        .filter(|(name, bytes)| trusted.holds(name, bytes))
        .filter_map(|(_, bytes)| String::from_utf8(bytes).ok())
        .collect())
}

/// The feed service. Borrowed from [`Zhuanshu::feed`].
pub struct Feed<'a> {
    ctx: &'a Context,
}

impl<'a> Feed<'a> {
    pub(crate) fn new(ctx: &'a Context) -> Self {
        Feed { ctx }
    }

    /// What the device holds, as far as it is proven (see [`stored`]), and why the rest is not believed.
    fn held(&self) -> Result<(sync::Held, Option<Rejection>)> {
        self.ctx.store()?.read(|c| {
            let trusted = stored::load(c)?;
            // In name order, as `files_under` lists them (SQLite's binary collation orders names as Rust does).
            let mut intact = Vec::new();
            if trusted.current.is_some() {
                for (name, bytes) in db::files_under(c, "")? {
                    if trusted.holds(&name, &bytes) {
                        intact.push(name);
                    }
                }
            }
            let held = sync::Held {
                root: trusted.root,
                root_json: trusted.root_json,
                etag: trusted.row.and_then(|r| r.etag),
                current: trusted.current,
                stored: intact,
                basis: trusted.basis,
            };
            Ok((held, trusted.problem))
        })
    }

    /// The caches built from content: rebuilt on next use.
    fn forget_content(&self) {
        self.ctx.forget_content();
    }

    /// Brings the content up to date from the site at `url` (the directory holding `timestamp.json`).
    /// Everything is verified before anything is written; a new version is applied in one transaction and
    /// the assistant's index and the calendar are rebuilt on next use. On any error the content in force
    /// is unchanged. Stored data that fails its check is fetched again and reported in
    /// [`SyncReport::repaired`].
    pub async fn sync<T: Transport + ?Sized>(&self, transport: &T, url: &str) -> Result<SyncReport> {
        let url = url.trim();
        if url.is_empty() {
            return Err(Error::invalid("url", "请提供内容更新地址", "the feed URL is empty"));
        }
        address::check(url)?;
        let (held, problem) = self.held()?;
        let now = self.ctx.security_now();
        let counted = sync::Counted::new(transport);
        let checks = *self.ctx.part::<ContentChecks>()?;
        let plan = sync::plan(&counted, url, &held, now, &checks).await?;
        let previous = held.version();
        let mut report = SyncReport {
            updated: false,
            version: previous,
            previous_version: previous,
            root_version: held.root.version,
            changed: Vec::new(),
            removed: Vec::new(),
            repaired: Vec::new(),
            requests: counted.requests.get(),
            bytes: counted.bytes.get(),
            expires: held.current.as_ref().map(|c| format::local(&c.manifest.expires)),
        };
        let update = match plan {
            sync::Plan::Current { timestamp_json, etag, repairs } => {
                let Some(current) = &held.current else { return Ok(report) };
                let timestamp_json = timestamp_json.as_deref();
                let wrote = self.ctx.store()?.write(|tx| {
                    let changes = timestamp_json.is_some() || !repairs.is_empty();
                    if changes && !db::refresh(tx, &held.basis, timestamp_json, &repairs, current.manifest.version)? {
                        return Ok(false); // another sync wrote meanwhile
                    }
                    db::touch(tx, etag.as_deref(), url, now)?;
                    Ok(true)
                })?;
                if wrote && !repairs.is_empty() {
                    self.forget_content();
                    report.repaired = repairs.into_iter().map(|(name, _)| name).collect();
                }
                return Ok(report);
            }
            sync::Plan::Update(update) => update,
        };
        let state = db::State {
            manifest_json: update.manifest_json.clone(),
            signatures_json: update.signatures_json.clone(),
            timestamp_json: update.timestamp_json.clone(),
            root_json: update.root_json.clone(),
            root_version: update.root.version,
            version: update.manifest.version,
            expires: format::local(&update.manifest.expires),
            etag: update.etag.clone(),
            source: url.to_owned(),
            synced_at: now,
            checked_at: now,
        };
        let keep: Vec<&str> = update.manifest.files.keys().map(String::as_str).collect();
        let applied =
            self.ctx.store()?.write(|tx| db::apply(tx, &held.basis, &state, &update.roots, &update.writes, &keep))?;
        if !applied {
            // Another sync applied a version meanwhile.
            return Ok(report);
        }
        self.forget_content();
        let damaged = |name: &String| {
            !held.holds(name) && held.current.as_ref().is_some_and(|c| c.manifest.files.contains_key(name))
        };
        report.repaired = update
            .writes
            .iter()
            .map(|(name, _)| name)
            .filter(|n| damaged(n) && !update.changed.contains(n))
            .cloned()
            .chain(problem.into_iter().filter_map(|p| match p {
                Rejection::StoredDamaged { file, .. } => Some(file),
                _ => None,
            }))
            .collect();
        report.updated = held.current.as_ref().is_none_or(|c| c.canonical != update.canonical);
        report.version = state.version;
        report.root_version = state.root_version;
        report.changed = update.changed.clone();
        report.removed = held.stored.iter().filter(|n| !update.manifest.files.contains_key(*n)).cloned().collect();
        report.expires = Some(state.expires);
        Ok(report)
    }

    /// [`Feed::sync`] over HTTP(S), blocking the calling thread (CLI, blocking FFI calls). Not from inside a
    /// tokio runtime.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn sync_blocking(&self, url: &str) -> Result<SyncReport> {
        let http = Http::new()?;
        transport::block_on(self.sync(&http, url))?
    }

    /// The content file `name` in force (stored and intact, else embedded, else shipped beside the binary).
    pub fn file(&self, name: &str) -> Result<Option<Vec<u8>>> {
        self.ctx.store()?.read(|c| content_file(c, name))
    }

    /// Every content file in force, by name: what `zhuanshu feed content` writes out as a content
    /// directory to publish from.
    pub fn content(&self) -> Result<BTreeMap<String, Vec<u8>>> {
        self.ctx.store()?.read(|c| {
            let trusted = stored::load(c)?;
            let mut names: BTreeSet<String> = embedded::files().keys().cloned().collect();
            names.extend(trusted.current.iter().flat_map(|cur| cur.manifest.files.keys().cloned()));
            let mut out = BTreeMap::new();
            for name in names {
                if let Some(bytes) = read_in_force(c, &trusted, &name)? {
                    out.insert(name, bytes);
                }
            }
            Ok(out)
        })
    }

    pub fn status(&self) -> Result<FeedStatus> {
        // Name, version that delivered it, intact under the verified manifest; in name order (SQLite's binary
        // collation orders names as Rust does). Sorted vectors, not maps: each map type costs the web app's
        // first-screen module its own B-tree code.
        let (trusted, rows) = self.ctx.store()?.read(|c| {
            let trusted = stored::load(c)?;
            let rows: Vec<(String, u64, bool)> = db::files_with_versions(c)?
                .into_iter()
                .map(|(name, version, bytes)| {
                    let intact = trusted.holds(&name, &bytes);
                    (name, version, intact)
                })
                .collect();
            Ok((trusted, rows))
        })?;
        // Sorted by name, each name once: the embedded files, then shipped ones not embedded, then the
        // verified manifest's (which replace the built-in entry of their name).
        let mut files: Vec<ContentFile> = embedded::files()
            .iter()
            .map(|(name, f)| ContentFile {
                name: name.clone(),
                version: 0,
                length: f.bytes.len() as u64,
                sha256: f.sha256.clone(),
            })
            .collect();
        let put = |files: &mut Vec<ContentFile>, file: ContentFile, replace: bool| match files
            .binary_search_by(|f| f.name.cmp(&file.name))
        {
            Ok(i) if replace => files[i] = file,
            Ok(_) => {}
            Err(i) => files.insert(i, file),
        };
        for (name, bytes) in shipped::all() {
            let (length, sha256) = (bytes.len() as u64, format::sha256_hex(&bytes));
            put(&mut files, ContentFile { name, version: 0, length, sha256 }, false);
        }
        let mut problem = trusted.problem.clone();
        if let Some(current) = &trusted.current {
            for (name, entry) in &current.manifest.files {
                match rows.binary_search_by(|(n, ..)| n.cmp(name)).ok().map(|i| &rows[i]) {
                    Some((_, version, true)) => {
                        let version = (*version).min(current.manifest.version);
                        let file = ContentFile {
                            name: name.clone(),
                            version,
                            length: entry.length,
                            sha256: entry.sha256.clone(),
                        };
                        put(&mut files, file, true);
                    }
                    _ => {
                        problem.get_or_insert_with(|| Rejection::StoredDamaged {
                            file: name.clone(),
                            detail: "missing or not matching the manifest".into(),
                        });
                    }
                }
            }
        }
        let now = self.ctx.security_now();
        let current = trusted.current.as_ref();
        let expires = current.map(|c| format::local(&c.manifest.expires));
        let verified_until = current.map(|c| format::local(&c.timestamp.expires));
        let expired = expires.is_some_and(|e| e <= now);
        let row = trusted.row.as_ref();
        Ok(FeedStatus {
            version: current.map_or(0, |c| c.manifest.version),
            root_version: trusted.root.version,
            expires,
            expired,
            verified_until,
            fresh: !expired && verified_until.is_some_and(|t| t > now),
            source: row.map(|r| r.source.clone()),
            synced_at: row.map(|r| r.synced_at),
            checked_at: row.map(|r| r.checked_at),
            problem: problem.map(|p| p.user_message()),
            files,
        })
    }
}

/// For other modules' tests: makes `files` the stored content of feed version `version`, signed with the
/// demo key (which the pinned root trusts) and applied as a sync would, but without the content checks a
/// publisher's build makes, so a test can store content that a later app version no longer accepts.
#[cfg(test)]
pub(crate) fn install_for_test(app: &crate::Zhuanshu, version: u64, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    let expires = publish::demo_root_expiry();
    let key = publish::demo_key();
    let entries = files
        .iter()
        .map(|(name, bytes)| {
            let sha256 = format::sha256_hex(bytes);
            let entry = format::FileEntry { length: bytes.len() as u64, path: format::content_path(&sha256), sha256 };
            (name.clone(), entry)
        })
        .collect();
    let manifest = format::Manifest {
        kind: "manifest".into(),
        spec: format::SPEC,
        version,
        expires,
        root_version: 1,
        files: entries,
    };
    let manifest_json = serde_json::to_vec(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
    let timestamp = publish::new_timestamp(&manifest_json, version, expires, 1)?;
    let now = app.ctx.security_now();
    let state = db::State {
        signatures_json: publish::sign_manifest(&manifest_json, None, &[&key])?,
        timestamp_json: publish::sign_timestamp(&timestamp, &[&key])?,
        manifest_json,
        root_json: embedded::ROOT_JSON.to_vec(),
        root_version: 1,
        version,
        expires: format::local(&expires),
        etag: None,
        source: "test".into(),
        synced_at: now,
        checked_at: now,
    };
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    let files: Vec<(String, Vec<u8>)> = files.iter().map(|(n, b)| (n.clone(), b.clone())).collect();
    app.ctx.store()?.write(|tx| {
        let basis = stored::load(tx)?.basis;
        db::apply(tx, &basis, &state, &[], &files, &names)
    })?;
    Ok(())
}

#[cfg(test)]
mod tests;
