//! One sync, from what the device holds to a verified plan — nothing is written here. The caller applies
//! an update in one transaction, or drops it, so every failure leaves the previous content in force.
//!
//! Requests, in order (each only when needed):
//! 1. `manifest.json` with If-None-Match: a 304 ends an unchanged sync after one small request;
//! 2. `roots/N.json` for each root version the manifest is ahead of the trusted one (key rotation);
//! 3. `manifest.json.sig`;
//! 4. `files/<sha256>` for each file whose hash the device does not already hold (stored, embedded, or
//!    shipped beside the binary).

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;

use super::embedded;
use super::format::{FileEntry, MANIFEST_FILE, Manifest, Role, Root, SIGNATURE_FILE, root_path};
use super::transport::{Response, Transport};
use super::verify::{self, Rejection, caps};
use crate::error::{Error, Result};

/// What the device holds when a sync starts.
#[derive(Debug, Clone)]
pub(crate) struct Held {
    pub root: Root,
    pub root_json: Vec<u8>,
    /// 0: the embedded feed.
    pub version: u64,
    pub manifest: Option<Manifest>,
    /// The canonical form of the manifest in force (what "the same manifest" compares).
    pub canonical: Option<Vec<u8>>,
    pub etag: Option<String>,
    /// Names with a stored row.
    pub stored: BTreeSet<String>,
}

/// A verified new version, ready to apply.
#[derive(Debug, Clone)]
pub(crate) struct Update {
    pub root: Root,
    pub root_json: Vec<u8>,
    pub manifest: Manifest,
    pub manifest_json: Vec<u8>,
    pub etag: Option<String>,
    /// Files to write (downloaded, or copied from the embedded feed); the others keep their rows.
    pub writes: BTreeMap<String, Vec<u8>>,
    /// Names whose content differs from what was in force (what the owner would call "updated").
    pub changed: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// The version in force is still current (a 304, or the same manifest again); its ETag.
    Unchanged {
        etag: Option<String>,
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
        .or_else(|| crate::content::shipped(name).map(|bytes| (super::format::sha256_hex(&bytes), bytes)))
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

/// The manifest in force must not have expired, even when the server says nothing changed: a server that
/// answers 304 for ever is a freeze.
fn held_fresh(held: &Held, now: NaiveDateTime) -> Result<()> {
    match &held.manifest {
        Some(m) => verify::check_expiry(Role::Manifest, &m.expires, now).map_err(rejected),
        None => Ok(()),
    }
}

pub(crate) async fn plan<T: Transport + ?Sized>(
    t: &Counted<'_, T>,
    base: &str,
    held: &Held,
    now: NaiveDateTime,
) -> Result<Plan> {
    // 1. The manifest, conditionally.
    let url = join(base, MANIFEST_FILE);
    let etag = if held.manifest.is_some() { held.etag.as_deref() } else { None };
    let response = t.get(&url, etag, caps::MANIFEST).await?;
    if response.status == 304 && etag.is_some() {
        held_fresh(held, now)?;
        return Ok(Plan::Unchanged { etag: response.etag.or_else(|| held.etag.clone()) });
    }
    let new_etag = response.etag.clone();
    let manifest_json = body(response, MANIFEST_FILE, &url, caps::MANIFEST)?;

    // 2. Walk the root chain up to the root the manifest names.
    let wanted = verify::manifest_root_version(&manifest_json).map_err(rejected)?;
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
    while root.version < wanted {
        let path = root_path(root.version + 1);
        let url = join(base, &path);
        let bytes = body(t.get(&url, None, caps::ROOT).await?, &path, &url, caps::ROOT)?;
        root = verify::verify_rotation(&root, &path, &bytes).map_err(rejected)?;
        root_json = bytes;
    }
    verify::check_expiry(Role::Root, &root.expires, now).map_err(rejected)?;

    // 3. Signatures, then freshness against what is held.
    let url = join(base, SIGNATURE_FILE);
    let signatures = body(t.get(&url, None, caps::SIGNATURES).await?, SIGNATURE_FILE, &url, caps::SIGNATURES)?;
    let (manifest, canonical) = verify::verify_manifest(&root, &manifest_json, &signatures).map_err(rejected)?;
    let newer =
        verify::check_fresh(&manifest, &canonical, held.version, held.canonical.as_deref(), now).map_err(rejected)?;
    if !newer {
        return Ok(Plan::Unchanged { etag: new_etag });
    }

    // 4. The files the device does not hold yet, each checked against its entry.
    let held_entry = |name: &str| -> Option<&FileEntry> {
        held.manifest.as_ref().and_then(|m| m.files.get(name)).filter(|_| held.stored.contains(name))
    };
    // The hash in force for a name: the stored file's, else the built-in copy's.
    let in_force = |name: &str| -> Option<String> {
        match held_entry(name) {
            Some(h) => Some(h.sha256.clone()),
            None if held.stored.contains(name) => None,
            None => built_in(name).map(|(sha256, _)| sha256),
        }
    };
    let changed: Vec<String> = manifest
        .files
        .iter()
        .filter(|(n, e)| in_force(n).as_deref() != Some(e.sha256.as_str()))
        .map(|(n, _)| n.clone())
        .collect();
    let mut writes = BTreeMap::new();
    for (name, entry) in &manifest.files {
        if held_entry(name).is_some_and(|h| h.sha256 == entry.sha256 && h.length == entry.length) {
            continue;
        }
        if let Some((_, bytes)) = built_in(name).filter(|(sha256, _)| *sha256 == entry.sha256) {
            verify::verify_file(name, entry, &bytes, false).map_err(rejected)?;
            writes.insert(name.clone(), bytes);
            continue;
        }
        let url = join(base, &entry.path);
        let response = t.get(&url, None, entry.length).await?;
        if response.status != 200 {
            return Err(Error::Network(format!("HTTP {} for {url}", response.status)));
        }
        verify::verify_file(name, entry, &response.body, response.truncated).map_err(rejected)?;
        verify::check_content(name, &response.body).map_err(rejected)?;
        writes.insert(name.clone(), response.body);
    }
    Ok(Plan::Update(Box::new(Update { root, root_json, manifest, manifest_json, etag: new_etag, writes, changed })))
}
