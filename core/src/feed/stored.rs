//! What the device stored, believed only after checking it again.
//!
//! The database is not a trust anchor. Whoever can change one row of it (malware with the app's file
//! access, a doctored backup, a bug) must not be able to install a root, raise or lower the version floor,
//! or change a content file. So every load starts again from the root the binary pins
//! ([`embedded::root`]), walks the stored root chain through each rotation, re-verifies the manifest's
//! signatures and the timestamp against the root at its end, and takes versions and expiries from those
//! verified documents only. Every content file is hashed against the verified manifest when it is read.
//!
//! Anything that fails is treated as absent: readers get the embedded content, the status names the
//! problem ([`Rejection::StoredDamaged`]), and the next sync starts from what is still trusted and
//! rewrites what is missing.

use rusqlite::Connection;

use super::embedded;
use super::format::{FileEntry, MANIFEST_FILE, Manifest, Root, TIMESTAMP_FILE, Timestamp, root_path, sha256_hex};
use super::verify::{self, Rejection};
use crate::error::{Error, Result};
use crate::feed::db;

/// The version in force, every document of it verified.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    pub manifest: Manifest,
    /// The canonical form of the manifest (what "the same manifest" compares).
    pub canonical: Vec<u8>,
    pub timestamp: Timestamp,
    pub timestamp_canonical: Vec<u8>,
}

/// What the stored rows prove.
#[derive(Debug, Clone)]
pub(crate) struct Trusted {
    /// The end of the verified chain (the pinned root when nothing more is proven), and its document.
    pub root: Root,
    pub root_json: Vec<u8>,
    /// `None`: the embedded feed is in force (nothing synced, or what was stored failed its check).
    pub current: Option<Current>,
    /// Why the stored state was not believed.
    pub problem: Option<Rejection>,
    /// The row as read, believed or not: a sync writes only over exactly this.
    pub basis: db::Basis,
    /// The informational columns (source, times, ETag) of a believed row.
    pub row: Option<db::Stored>,
}

impl Trusted {
    /// The verified manifest's entry for `name`.
    pub fn entry(&self, name: &str) -> Option<&FileEntry> {
        self.current.as_ref().and_then(|c| c.manifest.files.get(name))
    }

    /// The stored bytes of `name` when the verified manifest lists them and they match it.
    pub fn file(&self, conn: &Connection, name: &str) -> Result<Option<Vec<u8>>> {
        let Some(entry) = self.entry(name) else { return Ok(None) };
        Ok(db::file(conn, name)?.filter(|bytes| intact(entry, bytes)))
    }

    /// Whether the stored `bytes` of `name` are what the verified manifest lists.
    pub fn holds(&self, name: &str, bytes: &[u8]) -> bool {
        self.entry(name).is_some_and(|e| intact(e, bytes))
    }
}

/// A stored file against its verified entry: exact length, then hash.
pub(crate) fn intact(entry: &FileEntry, bytes: &[u8]) -> bool {
    bytes.len() as u64 == entry.length && sha256_hex(bytes) == entry.sha256.to_ascii_lowercase()
}

fn damaged(file: impl Into<String>, e: Rejection) -> Option<Rejection> {
    Some(Rejection::StoredDamaged { file: file.into(), detail: e.to_string() })
}

/// Loads and verifies the stored feed state (see the module docs). Fails only when the database cannot
/// be read; a state that fails verification is reported in [`Trusted::problem`].
pub(crate) fn load(conn: &Connection) -> Result<Trusted> {
    let pinned = embedded::root().map_err(|e| Error::Internal(format!("the pinned feed root: {e}")))?;
    let pinned_json = embedded::ROOT_JSON.to_vec();
    let Some(row) = db::stored(conn)? else {
        return Ok(Trusted {
            root: pinned,
            root_json: pinned_json,
            current: None,
            problem: None,
            basis: None,
            row: None,
        });
    };
    let basis = Some((row.manifest_json.clone(), row.timestamp_json.clone()));
    let roots = db::roots(conn)?;
    Ok(match verify_row(&pinned, &roots, &row) {
        Ok((root, current)) => {
            let root_json = roots.into_iter().rfind(|(v, _)| *v == root.version && *v > pinned.version);
            let root_json = root_json.map_or(pinned_json, |(_, json)| json);
            Trusted { root, root_json, current: Some(current), problem: None, basis, row: Some(row) }
        }
        Err(problem) => Trusted { root: pinned, root_json: pinned_json, current: None, problem, basis, row: None },
    })
}

/// The chain, the manifest and the timestamp of a stored row, from `pinned`. `Err(None)`: not damaged,
/// but no longer provable (the app now pins a newer root than the one the manifest was signed under).
fn verify_row(
    pinned: &Root,
    roots: &[(u64, Vec<u8>)],
    row: &db::Stored,
) -> std::result::Result<(Root, Current), Option<Rejection>> {
    // Rows at or below the pinned version predate an app update that pins a newer root: the binary wins.
    let mut root = pinned.clone();
    for (version, json) in roots.iter().filter(|(v, _)| *v > pinned.version) {
        let path = root_path(*version);
        root = verify::verify_rotation(&root, &path, json).map_err(|e| damaged(path, e))?;
    }
    let manifest_json = &row.manifest_json;
    let missing =
        |what: &str| damaged(MANIFEST_FILE, Rejection::Malformed { file: what.into(), detail: "missing".into() });
    let signatures = row.signatures_json.as_deref().ok_or_else(|| missing(super::format::SIGNATURE_FILE))?;
    let (manifest, canonical) = verify::verify_manifest(&root, manifest_json, signatures).map_err(|e| {
        match verify::manifest_root_version(manifest_json) {
            Ok(signed_for) if signed_for < pinned.version && root.version == pinned.version => None,
            _ => damaged(MANIFEST_FILE, e),
        }
    })?;
    let timestamp_json = row.timestamp_json.as_deref().ok_or_else(|| missing(TIMESTAMP_FILE))?;
    let (timestamp, timestamp_canonical) =
        verify::verify_timestamp(&root, timestamp_json).map_err(|e| damaged(TIMESTAMP_FILE, e))?;
    verify::check_manifest_bytes(&timestamp, manifest_json, false)
        .and_then(|()| verify::check_manifest_version(&timestamp, &manifest))
        .map_err(|e| damaged(TIMESTAMP_FILE, e))?;
    Ok((root, Current { manifest, canonical, timestamp, timestamp_canonical }))
}
