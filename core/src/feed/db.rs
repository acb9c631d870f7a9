//! Rows of the feed tables: the signed documents of the version in force (`feed_state`, one row, and
//! `feed_roots`, the root chain) and the content files themselves (`content_files`, shared with their
//! readers: policies, assistant, calendar, guide).
//!
//! These rows are evidence, not facts: `crate::feed::stored` verifies them again from the pinned root
//! whenever it loads them, so a row changed behind the app's back is noticed, never believed.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};

/// What a sync writes when it applies a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The manifest in force, its detached signatures and the timestamp naming it, exactly as verified.
    pub manifest_json: Vec<u8>,
    pub signatures_json: Vec<u8>,
    pub timestamp_json: Vec<u8>,
    /// Copies for a person reading the database (the trusted root, its version, the manifest's version
    /// and expiry): written, never read back for a decision.
    pub root_json: Vec<u8>,
    pub root_version: u64,
    pub version: u64,
    pub expires: NaiveDateTime,
    /// The timestamp's ETag, sent back as If-None-Match.
    pub etag: Option<String>,
    /// The site it came from.
    pub source: String,
    /// When this version was applied.
    pub synced_at: NaiveDateTime,
    /// The last sync that verified a fresh timestamp (a 200 or a 304).
    pub checked_at: NaiveDateTime,
}

/// The `feed_state` row as read: documents to verify, and columns that only inform (where, when, ETag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub manifest_json: Vec<u8>,
    /// `None` only in a row no sync of this format wrote.
    pub signatures_json: Option<Vec<u8>>,
    pub timestamp_json: Option<Vec<u8>>,
    pub etag: Option<String>,
    pub source: String,
    pub synced_at: NaiveDateTime,
    pub checked_at: NaiveDateTime,
}

/// The documents a sync started from (manifest, timestamp; `None`: no row). A sync writes only if the row
/// still holds them, so two syncs racing cannot interleave, whatever the versions say.
pub type Basis = Option<(Vec<u8>, Option<Vec<u8>>)>;

fn to_i64(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::Internal(format!("version {v} does not fit")))
}

pub fn stored(conn: &Connection) -> Result<Option<Stored>> {
    Ok(conn
        .query_row(
            "SELECT manifest_json, signatures_json, timestamp_json, etag, source, synced_at, checked_at
             FROM feed_state WHERE id = 1",
            [],
            |r| {
                Ok(Stored {
                    manifest_json: r.get(0)?,
                    signatures_json: r.get(1)?,
                    timestamp_json: r.get(2)?,
                    etag: r.get(3)?,
                    source: r.get(4)?,
                    synced_at: r.get(5)?,
                    checked_at: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// The stored root documents, by version, oldest first.
pub fn roots(conn: &Connection) -> Result<Vec<(u64, Vec<u8>)>> {
    let mut stmt = conn.prepare("SELECT version, json FROM feed_roots ORDER BY version")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?.unsigned_abs(), r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn basis(conn: &Connection) -> Result<Basis> {
    Ok(conn
        .query_row("SELECT manifest_json, timestamp_json FROM feed_state WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// One stored content file.
pub fn file(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn.query_row("SELECT bytes FROM content_files WHERE name = ?1", [name], |r| r.get(0)).optional()?)
}

/// Stored files whose name starts with `prefix` (`""`: all), by name.
pub fn files_under(conn: &Connection, prefix: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let mut stmt =
        conn.prepare("SELECT name, bytes FROM content_files WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name")?;
    let rows = stmt.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Name -> (version that delivered it, length) of every stored file.
#[cfg(test)]
pub fn file_versions(conn: &Connection) -> Result<std::collections::BTreeMap<String, (u64, u64)>> {
    let mut stmt = conn.prepare("SELECT name, version, length(bytes) FROM content_files")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, (r.get::<_, i64>(1)?.unsigned_abs(), r.get::<_, i64>(2)?.unsigned_abs())))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every stored file: name, the version that delivered it, bytes; by name.
pub fn files_with_versions(conn: &Connection) -> Result<Vec<(String, u64, Vec<u8>)>> {
    let mut stmt = conn.prepare("SELECT name, version, bytes FROM content_files ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.unsigned_abs(), r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn upsert_files(conn: &Connection, files: &[(String, Vec<u8>)], version: i64) -> Result<()> {
    let mut upsert = conn.prepare(
        "INSERT INTO content_files (name, version, bytes) VALUES (?1, ?2, ?3)
         ON CONFLICT(name) DO UPDATE SET version = excluded.version, bytes = excluded.bytes",
    )?;
    for (name, bytes) in files {
        upsert.execute(params![name, version, bytes])?;
    }
    Ok(())
}

/// Makes `state` the version in force: records the root documents walked to reach it (`roots`, by
/// version; later stored ones are dropped), writes the changed files, deletes the ones the new manifest no
/// longer lists (`keep` is every name it lists), and records the state. Call inside one transaction.
/// Returns `false` without writing when the row no longer holds `basis` (a concurrent sync won the race).
pub fn apply(
    conn: &Connection,
    basis: &Basis,
    state: &State,
    roots: &[(u64, Vec<u8>)],
    changed: &[(String, Vec<u8>)],
    keep: &[&str],
) -> Result<bool> {
    if self::basis(conn)? != *basis {
        return Ok(false);
    }
    let version = to_i64(state.version)?;
    {
        let names: Vec<String> = conn
            .prepare("SELECT name FROM content_files")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut delete = conn.prepare("DELETE FROM content_files WHERE name = ?1")?;
        for name in names.iter().filter(|n| !keep.contains(&n.as_str())) {
            delete.execute([name])?;
        }
        upsert_files(conn, changed, version)?;
        let mut root = conn.prepare(
            "INSERT INTO feed_roots (version, json) VALUES (?1, ?2)
             ON CONFLICT(version) DO UPDATE SET json = excluded.json",
        )?;
        for (v, json) in roots {
            root.execute(params![to_i64(*v)?, json])?;
        }
        conn.execute("DELETE FROM feed_roots WHERE version > ?1", [to_i64(state.root_version)?])?;
    }
    conn.execute(
        "INSERT INTO feed_state (id, root_json, root_version, manifest_json, manifest_version, expires, etag, source,
                                 synced_at, checked_at, signatures_json, timestamp_json)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(id) DO UPDATE SET
            root_json = excluded.root_json, root_version = excluded.root_version,
            manifest_json = excluded.manifest_json, manifest_version = excluded.manifest_version,
            expires = excluded.expires, etag = excluded.etag, source = excluded.source,
            synced_at = excluded.synced_at, checked_at = excluded.checked_at,
            signatures_json = excluded.signatures_json, timestamp_json = excluded.timestamp_json",
        params![
            state.root_json,
            to_i64(state.root_version)?,
            state.manifest_json,
            version,
            state.expires,
            state.etag,
            state.source,
            state.synced_at,
            state.checked_at,
            state.signatures_json,
            state.timestamp_json,
        ],
    )?;
    Ok(true)
}

/// The version in force is still current: a newer timestamp naming it (`timestamp_json`), and files that
/// failed their check rewritten (`repairs`, delivered by manifest version `version`). Returns `false`
/// without writing when the row no longer holds `basis`.
pub fn refresh(
    conn: &Connection,
    basis: &Basis,
    timestamp_json: Option<&[u8]>,
    repairs: &[(String, Vec<u8>)],
    version: u64,
) -> Result<bool> {
    if basis.is_none() || self::basis(conn)? != *basis {
        return Ok(false);
    }
    if let Some(json) = timestamp_json {
        conn.execute("UPDATE feed_state SET timestamp_json = ?1 WHERE id = 1", [json])?;
    }
    upsert_files(conn, repairs, to_i64(version)?)?;
    Ok(true)
}

/// A sync verified that the version in force is still current: remember when, and the (possibly new)
/// ETag.
pub fn touch(conn: &Connection, etag: Option<&str>, source: &str, at: NaiveDateTime) -> Result<()> {
    conn.execute(
        "UPDATE feed_state SET etag = ?1, source = ?2, checked_at = ?3 WHERE id = 1",
        params![etag, source, at],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn state(version: u64) -> State {
        let t: NaiveDateTime = "2026-11-22T09:00:00".parse().unwrap();
        State {
            manifest_json: format!("{{\"v\":{version}}}").into_bytes(),
            signatures_json: b"{}".to_vec(),
            timestamp_json: format!("{{\"t\":{version}}}").into_bytes(),
            root_json: b"{}".to_vec(),
            root_version: 2,
            version,
            expires: t,
            etag: Some("\"e\"".into()),
            source: "http://127.0.0.1/".into(),
            synced_at: t,
            checked_at: t,
        }
    }

    fn basis_of(s: &State) -> Basis {
        Some((s.manifest_json.clone(), Some(s.timestamp_json.clone())))
    }

    #[test]
    fn a_version_replaces_files_and_only_over_what_the_sync_started_from() {
        let mut store = Store::open(None).unwrap();
        let files = [("a.json".to_owned(), b"1".to_vec()), ("b.json".to_owned(), b"2".to_vec())];
        let walked = [(2, b"r2".to_vec()), (3, b"r3".to_vec())];
        assert!(store.write(|tx| apply(tx, &None, &state(1), &walked, &files, &["a.json", "b.json"])).unwrap());
        let changed = [("c.json".to_owned(), b"3".to_vec())];
        assert!(
            store.write(|tx| apply(tx, &basis_of(&state(1)), &state(2), &[], &changed, &["a.json", "c.json"])).unwrap()
        );
        store
            .read(|c| {
                assert_eq!(file(c, "a.json")?, Some(b"1".to_vec()));
                assert_eq!(file(c, "b.json")?, None, "dropped from the manifest");
                assert_eq!(file_versions(c)?["c.json"], (2, 1));
                assert_eq!(file_versions(c)?["a.json"], (1, 1), "unchanged files keep their version");
                assert_eq!(stored(c)?.map(|s| s.manifest_json), Some(state(2).manifest_json));
                assert_eq!(roots(c)?, vec![(2, b"r2".to_vec())], "roots past the one in force are dropped");
                Ok(())
            })
            .unwrap();
        // A sync that started from version 1 lost the race.
        assert!(!store.write(|tx| apply(tx, &basis_of(&state(1)), &state(3), &[], &files, &["a.json"])).unwrap());
        assert!(!store.write(|tx| apply(tx, &None, &state(3), &[], &files, &["a.json"])).unwrap());
        assert_eq!(store.read(|c| file(c, "c.json")).unwrap(), Some(b"3".to_vec()));
        // A lower version is written when the sync's basis holds (a key rotation reset the floor).
        assert!(store.write(|tx| apply(tx, &basis_of(&state(2)), &state(1), &[], &files, &["a.json"])).unwrap());
        let repairs = [("a.json".to_owned(), b"fixed".to_vec())];
        assert!(!store.write(|tx| refresh(tx, &basis_of(&state(2)), Some(b"t"), &repairs, 1)).unwrap());
        assert!(store.write(|tx| refresh(tx, &basis_of(&state(1)), Some(b"t"), &repairs, 1)).unwrap());
        assert_eq!(store.read(|c| file(c, "a.json")).unwrap(), Some(b"fixed".to_vec()));
        assert_eq!(store.read(stored).unwrap().unwrap().timestamp_json, Some(b"t".to_vec()));
        store.write(|tx| touch(tx, None, "http://x/", "2026-11-23T09:00:00".parse().unwrap())).unwrap();
        let s = store.read(stored).unwrap().unwrap();
        assert_eq!((s.etag, s.checked_at.to_string()), (None, "2026-11-23 09:00:00".to_owned()));
    }

    #[test]
    fn files_under_a_prefix_are_listed_by_name() {
        let mut store = Store::open(None).unwrap();
        let files = [
            ("holidays/2028.json".to_owned(), b"b".to_vec()),
            ("holidays/2027.json".to_owned(), b"a".to_vec()),
            ("holidays_x.json".to_owned(), b"x".to_vec()),
        ];
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        store.write(|tx| apply(tx, &None, &state(1), &[], &files, &names)).unwrap();
        let listed = store.read(|c| files_under(c, "holidays/")).unwrap();
        assert_eq!(
            listed.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            ["holidays/2027.json", "holidays/2028.json"]
        );
        assert_eq!(store.read(|c| files_under(c, "")).unwrap().len(), 3);
    }
}
