//! One sync, from what the device holds to a verified plan — nothing is written here. The caller applies
//! an update in one transaction, or drops it, so every failure leaves the previous content in force.
//!
//! Requests, in order (each only when needed):
//! 1. `timestamp.json` with If-None-Match: a 304 ends an unchanged sync after one small request (if the
//!    timestamp held is still fresh);
//! 2. `roots/N.json` for each root version the timestamp is ahead of the trusted one (key rotation);
//! 3. `manifest.json`, exactly the bytes the timestamp names, and `manifest.json.sig`, when the timestamp
//!    names a manifest other than the one in force;
//! 4. `files/<sha256>` for each file whose hash the device does not already hold intact (stored, embedded,
//!    or shipped beside the binary). A stored file that fails its check is fetched again even when nothing
//!    else changed.

use std::cell::Cell;

use chrono::NaiveDateTime;

use super::ContentChecks;
use super::embedded;
use super::format::{
    FileEntry, MANIFEST_FILE, Manifest, Role, Root, SIGNATURE_FILE, TIMESTAMP_FILE, Timestamp, root_path,
};
use super::stored::Current;
use super::transport::{Response, Transport};
use super::verify::{self, Rejection, caps};
use crate::error::{Error, Result};

/// What the device holds when a sync starts: only what [`super::stored::load`] verified.
#[derive(Debug, Clone)]
pub(crate) struct Held {
    pub root: Root,
    pub root_json: Vec<u8>,
    /// `None`: the embedded feed (version 0).
    pub current: Option<Current>,
    /// The timestamp's ETag, sent only with a verified current state.
    pub etag: Option<String>,
    /// Names whose stored row matches the current manifest, in name order (see [`Held::holds`]).
    pub stored: Vec<String>,
    /// The stored row as read: an update is written only over exactly this.
    pub basis: crate::feed::db::Basis,
}

impl Held {
    pub fn version(&self) -> u64 {
        self.current.as_ref().map_or(0, |c| c.manifest.version)
    }

    fn manifest(&self) -> Option<&Manifest> {
        self.current.as_ref().map(|c| &c.manifest)
    }

    /// Whether `name` is stored intact. (A sorted vector rather than a set: a set type costs the web app's
    /// first-screen module its own B-tree code.)
    pub fn holds(&self, name: &str) -> bool {
        self.stored.binary_search_by(|n| n.as_str().cmp(name)).is_ok()
    }
}

/// A verified new version, ready to apply.
#[derive(Debug, Clone)]
pub(crate) struct Update {
    pub root: Root,
    pub root_json: Vec<u8>,
    /// Root documents walked in this sync, by version (the device stores them to re-verify the chain).
    pub roots: Vec<(u64, Vec<u8>)>,
    pub manifest: Manifest,
    /// Its canonical form (the same manifest laid out differently is not news).
    pub canonical: Vec<u8>,
    pub manifest_json: Vec<u8>,
    pub signatures_json: Vec<u8>,
    pub timestamp_json: Vec<u8>,
    pub etag: Option<String>,
    /// Files to write (downloaded, or copied from the embedded feed), by name; the others keep their rows.
    /// (Name-ordered vectors rather than maps here: each map type costs the web app's first-screen module
    /// its own B-tree code.)
    pub writes: Vec<(String, Vec<u8>)>,
    /// Names whose content differs from what was in force (what the owner would call "updated").
    pub changed: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// The version in force is still the current one.
    Current {
        /// A newer timestamp naming it, to store (`None`: a 304, or the same timestamp again).
        timestamp_json: Option<Vec<u8>>,
        etag: Option<String>,
        /// Stored files that failed their check, fetched again (or copied from the embedded feed), by name.
        repairs: Vec<(String, Vec<u8>)>,
    },
    Update(Box<Update>),
}

/// A transport that counts what a sync costs (the benchmark's figures, and the report's).
pub(crate) struct Counted<'t, T: ?Sized> {
    inner: &'t T,
    pub requests: Cell<u32>,
    pub bytes: Cell<u64>,
}

impl<'t, T: Transport + ?Sized> Counted<'t, T> {
    pub fn new(inner: &'t T) -> Self {
        Counted { inner, requests: Cell::new(0), bytes: Cell::new(0) }
    }

    async fn get(&self, url: &str, etag: Option<&str>, cap: u64) -> Result<Response> {
        self.requests.set(self.requests.get() + 1);
        let response = self.inner.get(url, etag, cap).await?;
        self.bytes.set(self.bytes.get() + response.body.len() as u64);
        Ok(response)
    }
}

/// The copy of a content file the app has without any sync, and its hash: embedded in the binary, or
/// shipped beside it by the front end (the web app's guide). A feed file with the same hash is copied
/// from it instead of downloaded, and is not news.
fn built_in(name: &str) -> Option<(String, Vec<u8>)> {
    embedded::files()
        .get(name)
        .map(|f| (f.sha256.clone(), f.bytes.clone()))
        .or_else(|| super::shipped::get(name).map(|bytes| (super::format::sha256_hex(&bytes), bytes)))
}

fn join(base: &str, path: &str) -> String {
    format!("{}/{path}", base.trim_end_matches('/'))
}

/// A 200 body within `cap`, not truncated; other statuses are network failures.
fn body(response: Response, file: &str, url: &str, cap: u64) -> Result<Vec<u8>> {
    if response.status != 200 {
        return Err(Error::Network(format!("HTTP {} for {url}", response.status)));
    }
    if response.body.len() as u64 > cap {
        return Err(rejected(Rejection::TooLarge { file: file.to_owned(), cap }));
    }
    if response.truncated {
        return Err(rejected(Rejection::Truncated { file: file.to_owned(), got: response.body.len() as u64 }));
    }
    Ok(response.body)
}

fn rejected(reason: Rejection) -> Error {
    Error::FeedRejected { reason }
}

/// What is in force must still be fresh, even when the server says nothing changed: a server that
/// answers 304 for ever is a freeze, caught when the timestamp held expires.
fn held_fresh(held: &Held, now: NaiveDateTime) -> Result<()> {
    match &held.current {
        Some(c) => verify::check_expiry(Role::Timestamp, &c.timestamp.expires, now)
            .and_then(|()| verify::check_expiry(Role::Manifest, &c.manifest.expires, now))
            .map_err(rejected),
        None => Ok(()),
    }
}

/// Fetches `entry` (or copies the built-in copy with its hash) and checks it as a new file would be.
async fn fetch_file<T: Transport + ?Sized>(
    checks: &ContentChecks,
    t: &Counted<'_, T>,
    base: &str,
    name: &str,
    entry: &FileEntry,
) -> Result<Vec<u8>> {
    if let Some((_, bytes)) = built_in(name).filter(|(sha256, _)| *sha256 == entry.sha256) {
        verify::verify_file(name, entry, &bytes, false).map_err(rejected)?;
        return Ok(bytes);
    }
    let url = join(base, &entry.path);
    let response = t.get(&url, None, entry.length).await?;
    if response.status != 200 {
        return Err(Error::Network(format!("HTTP {} for {url}", response.status)));
    }
    verify::verify_file(name, entry, &response.body, response.truncated).map_err(rejected)?;
    checks.check(name, &response.body).map_err(rejected)?;
    Ok(response.body)
}

/// The files the manifest in force lists that are not stored intact: fetched again.
async fn repairs<T: Transport + ?Sized>(
    t: &Counted<'_, T>,
    base: &str,
    held: &Held,
    checks: &ContentChecks,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for (name, entry) in held.manifest().map(|m| &m.files).into_iter().flatten() {
        if !held.holds(name) {
            out.push((name.clone(), fetch_file(checks, t, base, name, entry).await?));
        }
    }
    Ok(out)
}

pub(crate) async fn plan<T: Transport + ?Sized>(
    t: &Counted<'_, T>,
    base: &str,
    held: &Held,
    now: NaiveDateTime,
    checks: &ContentChecks,
) -> Result<Plan> {
    // 1. The timestamp, conditionally.
    let url = join(base, TIMESTAMP_FILE);
    let etag = if held.current.is_some() { held.etag.as_deref() } else { None };
    let response = t.get(&url, etag, caps::TIMESTAMP).await?;
    if response.status == 304 && etag.is_some() {
        return not_modified(t, base, held, now, checks, response.etag).await;
    }
    let new_etag = response.etag.clone();
    let timestamp_json = body(response, TIMESTAMP_FILE, &url, caps::TIMESTAMP)?;

    // 2. Walk the root chain up to the root the timestamp names.
    let RootWalk { root, root_json, roots, rotated } = walk_roots(t, base, held, &timestamp_json, now).await?;

    // 3. The timestamp: signed by the timestamp keys, fresh, not rolled back. New online keys start the
    //    version floors again (TUF's fast-forward recovery): what the old keys signed says nothing now.
    let floor = if rotated { None } else { held.current.as_ref() };
    let (timestamp, newer_timestamp) = check_timestamp(&root, &timestamp_json, floor, now)?;
    if let Some(current) = floor
        && roots.is_empty()
        && timestamp.manifest.sha256.eq_ignore_ascii_case(&current.timestamp.manifest.sha256)
        && timestamp.manifest.length == current.timestamp.manifest.length
    {
        // The manifest in force is still the current one (and must not have expired itself).
        verify::check_manifest_version(&timestamp, &current.manifest).map_err(rejected)?;
        verify::check_expiry(Role::Manifest, &current.manifest.expires, now).map_err(rejected)?;
        let repairs = repairs(t, base, held, checks).await?;
        let timestamp_json = newer_timestamp.then_some(timestamp_json);
        return Ok(Plan::Current { timestamp_json, etag: new_etag, repairs });
    }

    // 4. The manifest the timestamp names, byte for byte, then its signatures and freshness.
    let FetchedManifest { manifest, canonical, manifest_json, signatures_json } =
        fetch_manifest(t, base, &root, &timestamp, floor, now).await?;

    // 5. The files the device does not hold intact yet, each checked against its entry.
    let changed = changed_names(held, &manifest);
    let writes = fetch_writes(t, base, held, &manifest, checks).await?;
    Ok(Plan::Update(Box::new(Update {
        root,
        root_json,
        roots,
        manifest,
        canonical,
        manifest_json,
        signatures_json,
        timestamp_json,
        etag: new_etag,
        writes,
        changed,
    })))
}

/// A 304 costs one small request, but it proves nothing about time: what is in force must still be fresh,
/// and stored files that fail their check are repaired all the same.
async fn not_modified<T: Transport + ?Sized>(
    t: &Counted<'_, T>,
    base: &str,
    held: &Held,
    now: NaiveDateTime,
    checks: &ContentChecks,
    etag: Option<String>,
) -> Result<Plan> {
    held_fresh(held, now)?;
    let repairs = repairs(t, base, held, checks).await?;
    let etag = etag.or_else(|| held.etag.clone());
    Ok(Plan::Current { timestamp_json: None, etag, repairs })
}

/// The root chain as walked up to the root a timestamp names.
struct RootWalk {
    root: Root,
    root_json: Vec<u8>,
    /// Each root document fetched on the way, by version.
    roots: Vec<(u64, Vec<u8>)>,
    /// Whether the online keys changed on the way (the version floors then start again).
    rotated: bool,
}

/// Only a root the trusted one signed may be trusted next (key rotation), one version at a time, so the
/// timestamp is read for its root version before its signatures can be checked; a rollback or an
/// implausible jump is refused before anything is fetched, and the root reached must not have expired.
async fn walk_roots<T: Transport + ?Sized>(
    t: &Counted<'_, T>,
    base: &str,
    held: &Held,
    timestamp_json: &[u8],
    now: NaiveDateTime,
) -> Result<RootWalk> {
    let wanted = verify::timestamp_root_version(timestamp_json).map_err(rejected)?;
    let (mut root, mut root_json) = (held.root.clone(), held.root_json.clone());
    if wanted < root.version {
        return Err(rejected(Rejection::Rollback { role: Role::Root, held: root.version, offered: wanted }));
    }
    if wanted - root.version > caps::ROTATIONS {
        return Err(rejected(Rejection::UntrustedRoot {
            version: wanted,
            detail: format!("more than {} rotations ahead of {}", caps::ROTATIONS, root.version),
        }));
    }
    let mut roots = Vec::new();
    let mut rotated = false;
    while root.version < wanted {
        let path = root_path(root.version + 1);
        let url = join(base, &path);
        let bytes = body(t.get(&url, None, caps::ROOT).await?, &path, &url, caps::ROOT)?;
        let next = verify::verify_rotation(&root, &path, &bytes).map_err(rejected)?;
        rotated |= verify::online_keys_rotated(&root, &next);
        roots.push((next.version, bytes.clone()));
        (root, root_json) = (next, bytes);
    }
    verify::check_expiry(Role::Root, &root.expires, now).map_err(rejected)?;
    Ok(RootWalk { root, root_json, roots, rotated })
}

/// The timestamp is what stops a freeze or a rollback, so it must be the root's timestamp keys' and no
/// older than the one held (`floor`). Returns it, and whether it is newer than the one held (only a
/// newer one is worth storing).
fn check_timestamp(
    root: &Root,
    timestamp_json: &[u8],
    floor: Option<&Current>,
    now: NaiveDateTime,
) -> Result<(Timestamp, bool)> {
    let (timestamp, timestamp_canonical) = verify::verify_timestamp(root, timestamp_json).map_err(rejected)?;
    let newer_timestamp = verify::check_fresh_as(
        Role::Timestamp,
        timestamp.version,
        &timestamp.expires,
        &timestamp_canonical,
        floor.map_or(0, |c| c.timestamp.version),
        floor.map(|c| c.timestamp_canonical.as_slice()),
        now,
    )
    .map_err(rejected)?;
    Ok((timestamp, newer_timestamp))
}

/// A manifest fetched and verified, in the forms the device stores.
struct FetchedManifest {
    manifest: Manifest,
    canonical: Vec<u8>,
    manifest_json: Vec<u8>,
    signatures_json: Vec<u8>,
}

/// The timestamp pins the manifest's exact bytes, so they are checked against it before its signatures
/// are even fetched; then it must be signed by the root's manifest keys and no older than the one held
/// (`floor`).
async fn fetch_manifest<T: Transport + ?Sized>(
    t: &Counted<'_, T>,
    base: &str,
    root: &Root,
    timestamp: &Timestamp,
    floor: Option<&Current>,
    now: NaiveDateTime,
) -> Result<FetchedManifest> {
    let url = join(base, MANIFEST_FILE);
    let response = t.get(&url, None, timestamp.manifest.length).await?;
    if response.status != 200 {
        return Err(Error::Network(format!("HTTP {} for {url}", response.status)));
    }
    verify::check_manifest_bytes(timestamp, &response.body, response.truncated).map_err(rejected)?;
    let manifest_json = response.body;
    let url = join(base, SIGNATURE_FILE);
    let signatures_json = body(t.get(&url, None, caps::SIGNATURES).await?, SIGNATURE_FILE, &url, caps::SIGNATURES)?;
    let (manifest, canonical) = verify::verify_manifest(root, &manifest_json, &signatures_json).map_err(rejected)?;
    verify::check_manifest_version(timestamp, &manifest).map_err(rejected)?;
    // `false` (the same manifest, only laid out differently) is applied all the same: the device stores
    // the bytes the timestamp names.
    verify::check_fresh(
        &manifest,
        &canonical,
        floor.map_or(0, |c| c.manifest.version),
        floor.map(|c| c.canonical.as_slice()),
        now,
    )
    .map_err(rejected)?;
    Ok(FetchedManifest { manifest, canonical, manifest_json, signatures_json })
}

/// A file counts as held only if it is stored intact under the manifest in force: a stored copy that
/// failed its check must neither be kept nor compared against.
fn held_entry<'h>(held: &'h Held, name: &str) -> Option<&'h FileEntry> {
    held.manifest().and_then(|m| m.files.get(name)).filter(|_| held.holds(name))
}

/// What the owner would call "updated": a file whose content differs from what was in force, where a
/// file not held intact is in force as its built-in copy (so a first sync does not report the built-in
/// content as news).
fn changed_names(held: &Held, manifest: &Manifest) -> Vec<String> {
    // The hash in force for a name: the stored file's, else the built-in copy's.
    let in_force = |name: &str| -> Option<String> {
        match held_entry(held, name) {
            Some(h) => Some(h.sha256.clone()),
            None => built_in(name).map(|(sha256, _)| sha256),
        }
    };
    manifest
        .files
        .iter()
        .filter(|(n, e)| in_force(n).as_deref() != Some(e.sha256.as_str()))
        .map(|(n, _)| n.clone())
        .collect()
}

/// Only what the device does not already hold intact is fetched (or copied from the built-in copy), each
/// checked against its entry: the others keep their stored rows.
async fn fetch_writes<T: Transport + ?Sized>(
    t: &Counted<'_, T>,
    base: &str,
    held: &Held,
    manifest: &Manifest,
    checks: &ContentChecks,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut writes = Vec::new();
    for (name, entry) in &manifest.files {
        if held_entry(held, name).is_some_and(|h| h.sha256 == entry.sha256 && h.length == entry.length) {
            continue;
        }
        writes.push((name.clone(), fetch_file(checks, t, base, name, entry).await?));
    }
    Ok(writes)
}
