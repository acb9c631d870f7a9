//! The content feed (内容更新): policies, the FAQ knowledge base, guide content and holiday years, published
//! as static files that any web server or CDN can host, and believed only when signed.
//!
//! It follows The Update Framework's threat model with two documents. The *root* lists the publisher's
//! Ed25519 keys and how many must sign; the app pins one (see [`embedded`]) and accepts a new root only
//! when a threshold of the old root's keys signed it. The *manifest* names every content file by SHA-256
//! and length, carries a version that only goes up and an expiry, and is signed by the root's manifest
//! keys. Files are stored on the site by hash, so a file can never change under its name.
//!
//! A sync ([`Feed::sync`]) verifies everything before it writes anything, then applies the new version in
//! one transaction; on any failure the device keeps the content it had and the error names the attack
//! class ([`Rejection`]). The logic is sans-I/O: it speaks to the network through [`Transport`], so the
//! same code runs over reqwest, fetch, a platform HTTP stack or an in-memory site.
//!
//! Consumers read content by name with [`content_file`] (stored version, else the embedded one): the
//! policy catalog (`policies.json`), the assistant (`faq.jsonl`), the calendar (`holidays/YYYY.json`) and
//! the guide (`guide.json`).

pub mod embedded;
pub mod format;
pub mod publish;
mod sync;
pub mod transport;
pub mod verify;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::Serialize;

use crate::Zhuanshu;
use crate::error::{Error, Result};
use crate::store::feed as db;
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
    /// HTTP requests made, and body bytes received.
    pub requests: u32,
    pub bytes: u64,
    /// When the version in force expires (Asia/Shanghai); `None` for the embedded feed.
    pub expires: Option<NaiveDateTime>,
}

/// One content file in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct ContentFile {
    pub name: String,
    /// The feed version that delivered it; 0 for the embedded copy.
    pub version: u64,
    pub length: u64,
    pub sha256: String,
}

/// The feed as the device holds it (`zhuanshu feed status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct FeedStatus {
    /// 0 until the first successful sync (the embedded feed).
    pub version: u64,
    pub root_version: u64,
    pub expires: Option<NaiveDateTime>,
    /// The version in force has expired: syncs fail until the publisher signs a new one; content stays.
    pub expired: bool,
    pub source: Option<String>,
    pub synced_at: Option<NaiveDateTime>,
    pub checked_at: Option<NaiveDateTime>,
    pub files: Vec<ContentFile>,
}

/// The content file `name` in force: the stored version, else the embedded one, else the one the front
/// end shipped beside the binary ([`crate::content::provide`]), else `None`.
pub fn content_file(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>> {
    match db::file(conn, name)? {
        Some(bytes) => Ok(Some(bytes)),
        None => Ok(embedded::files().get(name).map(|f| f.bytes.clone()).or_else(|| crate::content::shipped(name))),
    }
}

/// The file `name` only if a feed version delivered it (consumers that already hold the embedded copy in
/// another form, like the assistant's parsed knowledge base).
pub(crate) fn stored_file(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>> {
    db::file(conn, name)
}

/// The holiday years the feed delivered, as text, oldest first (the embedded years are in the calendar
/// already).
pub(crate) fn stored_holiday_years(conn: &Connection) -> Result<Vec<String>> {
    Ok(db::files_under(conn, HOLIDAYS_DIR)?
        .into_iter()
        .filter_map(|(_, bytes)| String::from_utf8(bytes).ok())
        .collect())
}

fn stored_manifest(json: &[u8]) -> Result<(format::Manifest, Vec<u8>)> {
    let value: serde_json::Value =
        serde_json::from_slice(json).map_err(|e| Error::Internal(format!("stored manifest: {e}")))?;
    let canonical = format::canonical(&value).map_err(|e| Error::Internal(format!("stored manifest: {e}")))?;
    let manifest = serde_json::from_value(value).map_err(|e| Error::Internal(format!("stored manifest: {e}")))?;
    Ok((manifest, canonical))
}

/// The feed service. Borrowed from [`Zhuanshu::feed`].
pub struct Feed<'a> {
    app: &'a Zhuanshu,
}

impl<'a> Feed<'a> {
    pub(crate) fn new(app: &'a Zhuanshu) -> Self {
        Feed { app }
    }

    /// What the device holds: the stored state, or the embedded feed.
    fn held(&self) -> Result<sync::Held> {
        let (state, versions) = self.app.store()?.read(|c| Ok((db::state(c)?, db::file_versions(c)?)))?;
        let pinned = embedded::root().map_err(|e| Error::Internal(format!("the pinned feed root: {e}")))?;
        let stored = versions.into_keys().collect();
        let Some(state) = state else {
            return Ok(sync::Held {
                root: pinned,
                root_json: embedded::ROOT_JSON.to_vec(),
                version: 0,
                manifest: None,
                canonical: None,
                etag: None,
                stored,
            });
        };
        let stored_root = verify::verify_pinned_root(&state.root_json)
            .map_err(|e| Error::Internal(format!("the stored feed root: {e}")))?;
        // An app update may pin a newer root than the one synced so far; the binary is trusted.
        let (root, root_json) = if pinned.version > stored_root.version {
            (pinned, embedded::ROOT_JSON.to_vec())
        } else {
            (stored_root, state.root_json)
        };
        let (manifest, canonical) = stored_manifest(&state.manifest_json)?;
        Ok(sync::Held {
            root,
            root_json,
            version: state.version,
            manifest: Some(manifest),
            canonical: Some(canonical),
            etag: state.etag,
            stored,
        })
    }

    /// Brings the content up to date from the site at `url` (the directory holding `manifest.json`).
    /// Everything is verified before anything is written; a new version is applied in one transaction and
    /// the assistant's index and the calendar are rebuilt on next use. On any error the content in force
    /// is unchanged.
    pub async fn sync<T: Transport + ?Sized>(&self, transport: &T, url: &str) -> Result<SyncReport> {
        let url = url.trim();
        if url.is_empty() {
            return Err(Error::invalid("url", "请提供内容更新地址", "the feed URL is empty"));
        }
        let held = self.held()?;
        let now = self.app.clock().now();
        let counted = sync::Counted::new(transport);
        let plan = sync::plan(&counted, url, &held, now).await?;
        let mut report = SyncReport {
            updated: false,
            version: held.version,
            previous_version: held.version,
            root_version: held.root.version,
            changed: Vec::new(),
            removed: Vec::new(),
            requests: counted.requests.get(),
            bytes: counted.bytes.get(),
            expires: held.manifest.as_ref().map(|m| format::local(&m.expires)),
        };
        let update = match plan {
            sync::Plan::Unchanged { etag } => {
                if held.version > 0 {
                    self.app.store()?.write(|tx| db::touch(tx, etag.as_deref(), url, now))?;
                }
                return Ok(report);
            }
            sync::Plan::Update(update) => update,
        };
        let state = db::State {
            root_json: update.root_json.clone(),
            root_version: update.root.version,
            manifest_json: update.manifest_json.clone(),
            version: update.manifest.version,
            expires: format::local(&update.manifest.expires),
            etag: update.etag.clone(),
            source: url.to_owned(),
            synced_at: now,
            checked_at: now,
        };
        let keep: Vec<&str> = update.manifest.files.keys().map(String::as_str).collect();
        if !self.app.store()?.write(|tx| db::apply(tx, &state, &update.writes, &keep))? {
            // Another sync applied this version (or a newer one) meanwhile.
            return Ok(report);
        }
        self.app.forget_faq_index();
        *self.app.calendar.lock().unwrap_or_else(|p| p.into_inner()) = None;
        report.updated = true;
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

    /// The content file `name` in force (stored, else embedded, else shipped beside the binary).
    pub fn file(&self, name: &str) -> Result<Option<Vec<u8>>> {
        self.app.store()?.read(|c| content_file(c, name))
    }

    /// Every content file in force, by name: what `zhuanshu feed content` writes out as a content
    /// directory to publish from.
    pub fn content(&self) -> Result<BTreeMap<String, Vec<u8>>> {
        self.app.store()?.read(|c| {
            let mut names: BTreeSet<String> = embedded::files().keys().cloned().collect();
            names.extend(db::file_versions(c)?.into_keys());
            let mut out = BTreeMap::new();
            for name in names {
                if let Some(bytes) = content_file(c, &name)? {
                    out.insert(name, bytes);
                }
            }
            Ok(out)
        })
    }

    pub fn status(&self) -> Result<FeedStatus> {
        let (state, versions) = self.app.store()?.read(|c| Ok((db::state(c)?, db::file_versions(c)?)))?;
        let manifest = match &state {
            Some(s) => Some(stored_manifest(&s.manifest_json)?.0),
            None => None,
        };
        let mut files: Vec<ContentFile> = embedded::files()
            .iter()
            .filter(|(name, _)| !versions.contains_key(*name))
            .map(|(name, f)| ContentFile {
                name: name.clone(),
                version: 0,
                length: f.bytes.len() as u64,
                sha256: f.sha256.clone(),
            })
            .collect();
        for (name, bytes) in crate::content::all_shipped() {
            if !versions.contains_key(&name) && !embedded::files().contains_key(&name) {
                let (length, sha256) = (bytes.len() as u64, format::sha256_hex(&bytes));
                files.push(ContentFile { name, version: 0, length, sha256 });
            }
        }
        for (name, (version, length)) in versions {
            let sha256 =
                manifest.as_ref().and_then(|m| m.files.get(&name)).map(|e| e.sha256.clone()).unwrap_or_default();
            files.push(ContentFile { name, version, length, sha256 });
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        let pinned = embedded::root().map_err(|e| Error::Internal(format!("the pinned feed root: {e}")))?;
        let now = self.app.clock().now();
        Ok(match state {
            Some(s) => FeedStatus {
                version: s.version,
                root_version: s.root_version.max(pinned.version),
                expires: Some(s.expires),
                expired: s.expires <= now,
                source: Some(s.source),
                synced_at: Some(s.synced_at),
                checked_at: Some(s.checked_at),
                files,
            },
            None => FeedStatus {
                version: 0,
                root_version: pinned.version,
                expires: None,
                expired: false,
                source: None,
                synced_at: None,
                checked_at: None,
                files,
            },
        })
    }
}

#[cfg(test)]
mod tests;
