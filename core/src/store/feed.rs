//! Rows of the feed tables: what the device trusts and holds (`feed_state`, one row) and the content
//! files themselves (`content_files`, shared with their readers: policies, assistant, calendar, guide).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};

/// The feed version in force. Absent until the first successful sync (the embedded feed needs no row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The trusted root, exactly as fetched and verified (or the pinned one).
    pub root_json: Vec<u8>,
    pub root_version: u64,
    /// The manifest in force, exactly as fetched and verified.
    pub manifest_json: Vec<u8>,
    pub version: u64,
    /// The manifest's expiry, Asia/Shanghai local time.
    pub expires: NaiveDateTime,
    /// The manifest's ETag, sent back as If-None-Match.
    pub etag: Option<String>,
    /// The site it came from.
    pub source: String,
    /// When this version was applied.
    pub synced_at: NaiveDateTime,
    /// The last sync that found the feed fresh (a 200 or a 304).
    pub checked_at: NaiveDateTime,
}

fn to_i64(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::Internal(format!("version {v} does not fit")))
}

pub fn state(conn: &Connection) -> Result<Option<State>> {
    let row = conn
        .query_row(
            "SELECT root_json, root_version, manifest_json, manifest_version, expires, etag, source, synced_at,
                    checked_at
             FROM feed_state WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, NaiveDateTime>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, NaiveDateTime>(7)?,
                    r.get::<_, NaiveDateTime>(8)?,
                ))
            },
        )
        .optional()?;
    Ok(row.map(|(root_json, root_version, manifest_json, version, expires, etag, source, synced_at, checked_at)| {
        State {
            root_json,
            root_version: root_version.unsigned_abs(),
            manifest_json,
            version: version.unsigned_abs(),
            expires,
            etag,
            source,
            synced_at,
            checked_at,
        }
    }))
}

/// One stored content file.
pub fn file(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn.query_row("SELECT bytes FROM content_files WHERE name = ?1", [name], |r| r.get(0)).optional()?)
}

/// Stored files whose name starts with `prefix`, by name.
pub fn files_under(conn: &Connection, prefix: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let mut stmt =
        conn.prepare("SELECT name, bytes FROM content_files WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name")?;
    let rows = stmt.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Name -> (version that delivered it, length) of every stored file.
pub fn file_versions(conn: &Connection) -> Result<BTreeMap<String, (u64, u64)>> {
    let mut stmt = conn.prepare("SELECT name, version, length(bytes) FROM content_files")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, (r.get::<_, i64>(1)?.unsigned_abs(), r.get::<_, i64>(2)?.unsigned_abs())))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Makes `state` the version in force: writes the changed files, deletes the ones the new manifest no
/// longer lists (`keep` is every name it lists), and records the state. Call inside one transaction.
/// Returns `false` without writing when a version at least as new is already stored (a concurrent sync
/// won the race).
pub fn apply(conn: &Connection, state: &State, changed: &BTreeMap<String, Vec<u8>>, keep: &[&str]) -> Result<bool> {
    let stored: Option<i64> =
        conn.query_row("SELECT manifest_version FROM feed_state WHERE id = 1", [], |r| r.get(0)).optional()?;
    let version = to_i64(state.version)?;
    if stored.is_some_and(|v| v >= version) {
        return Ok(false);
    }
    {
        let names: Vec<String> = conn
            .prepare("SELECT name FROM content_files")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut delete = conn.prepare("DELETE FROM content_files WHERE name = ?1")?;
        for name in names.iter().filter(|n| !keep.contains(&n.as_str())) {
            delete.execute([name])?;
        }
        let mut upsert = conn.prepare(
            "INSERT INTO content_files (name, version, bytes) VALUES (?1, ?2, ?3)
             ON CONFLICT(name) DO UPDATE SET version = excluded.version, bytes = excluded.bytes",
        )?;
        for (name, bytes) in changed {
            upsert.execute(params![name, version, bytes])?;
        }
    }
    conn.execute(
        "INSERT INTO feed_state (id, root_json, root_version, manifest_json, manifest_version, expires, etag, source,
                                 synced_at, checked_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET
            root_json = excluded.root_json, root_version = excluded.root_version,
            manifest_json = excluded.manifest_json, manifest_version = excluded.manifest_version,
            expires = excluded.expires, etag = excluded.etag, source = excluded.source,
            synced_at = excluded.synced_at, checked_at = excluded.checked_at",
        params![
            state.root_json,
            to_i64(state.root_version)?,
            state.manifest_json,
            version,
            state.expires,
            state.etag,
            state.source,
            state.synced_at,
            state.checked_at
        ],
    )?;
    Ok(true)
}

/// A sync found the version in force still current: remember when, and the (possibly new) ETag.
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
            root_json: b"{}".to_vec(),
            root_version: 1,
            manifest_json: format!("{{\"v\":{version}}}").into_bytes(),
            version,
            expires: t,
            etag: Some("\"e\"".into()),
            source: "http://127.0.0.1/".into(),
            synced_at: t,
            checked_at: t,
        }
    }

    #[test]
    fn a_version_replaces_files_and_never_goes_back() {
        let mut store = Store::open(None).unwrap();
        let files = BTreeMap::from([("a.json".to_owned(), b"1".to_vec()), ("b.json".to_owned(), b"2".to_vec())]);
        assert!(store.write(|tx| apply(tx, &state(1), &files, &["a.json", "b.json"])).unwrap());
        let changed = BTreeMap::from([("c.json".to_owned(), b"3".to_vec())]);
        assert!(store.write(|tx| apply(tx, &state(2), &changed, &["a.json", "c.json"])).unwrap());
        store
            .read(|c| {
                assert_eq!(file(c, "a.json")?, Some(b"1".to_vec()));
                assert_eq!(file(c, "b.json")?, None, "dropped from the manifest");
                assert_eq!(file_versions(c)?["c.json"], (2, 1));
                assert_eq!(file_versions(c)?["a.json"], (1, 1), "unchanged files keep their version");
                assert_eq!(super::state(c)?.map(|s| s.version), Some(2));
                Ok(())
            })
            .unwrap();
        assert!(!store.write(|tx| apply(tx, &state(2), &files, &["a.json"])).unwrap(), "not newer");
        assert_eq!(store.read(|c| file(c, "c.json")).unwrap(), Some(b"3".to_vec()));
        store.write(|tx| touch(tx, None, "http://x/", "2026-11-23T09:00:00".parse().unwrap())).unwrap();
        let s = store.read(super::state).unwrap().unwrap();
        assert_eq!((s.etag, s.checked_at.to_string()), (None, "2026-11-23 09:00:00".to_owned()));
    }

    #[test]
    fn files_under_a_prefix_are_listed_by_name() {
        let mut store = Store::open(None).unwrap();
        let files = BTreeMap::from([
            ("holidays/2028.json".to_owned(), b"b".to_vec()),
            ("holidays/2027.json".to_owned(), b"a".to_vec()),
            ("holidays_x.json".to_owned(), b"x".to_vec()),
        ]);
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        store.write(|tx| apply(tx, &state(1), &files, &names)).unwrap();
        let listed = store.read(|c| files_under(c, "holidays/")).unwrap();
        assert_eq!(
            listed.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            ["holidays/2027.json", "holidays/2028.json"]
        );
    }
}
