//! SQLite storage: one connection, schema migrations, and one transaction per user action.
//!
//! Native builds use bundled SQLite on a file (WAL, so a crash mid-write leaves the last committed state);
//! the wasm build runs the same SQL on sqlite-wasm-rs, in memory or on the browser's storage.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction};
use rusqlite_migration::{M, Migrations};
use serde::{Serialize, de::DeserializeOwned};

use crate::error::{Error, Result};

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_dossier.sql")),
        M::up(include_str!("migrations/002_dynamics.sql")),
        M::up(include_str!("migrations/003_assistant.sql")),
        M::up(include_str!("migrations/004_vault.sql")),
        M::up(include_str!("migrations/005_policy.sql")),
        M::up(include_str!("migrations/006_feed.sql")),
        M::up(include_str!("migrations/007_vault_device.sql")),
        M::up(include_str!("migrations/008_feed_trust.sql")),
    ])
}

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating and migrating as needed) the database at `path`, or an in-memory one.
    pub fn open(path: Option<&Path>) -> Result<Store> {
        let mut conn = match path {
            Some(p) => Connection::open(p)?,
            None => Connection::open_in_memory()?,
        };
        #[cfg(not(target_arch = "wasm32"))]
        if path.is_some() {
            // WAL: readers never block the writer and a crash cannot tear a committed transaction.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        // In the browser the file lives in the storage VFS the wasm binding installed as SQLite's default
        // (OPFS sync access handles, or an IndexedDB mirror). Neither has the shared memory WAL needs, so
        // the rollback journal stays; the IndexedDB mirror writes every commit back itself and accepts only
        // synchronous=OFF.
        #[cfg(target_arch = "wasm32")]
        if path.is_some() && conn.pragma_update(None, "synchronous", "NORMAL").is_err() {
            conn.pragma_update(None, "synchronous", "OFF")?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted and overwritten content is zeroed, not left in free pages: a rotated key's old wrapping
        // must not survive in the file (see `scrub` for the WAL).
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations().to_latest(&mut conn)?;
        Ok(Store { conn })
    }

    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.conn)
    }

    /// Runs `f` in one transaction: everything it wrote is committed together, or nothing is. The write
    /// lock is taken up front (BEGIN IMMEDIATE), so concurrent writers — another process, a sync job beside
    /// the UI — wait their turn within the busy timeout instead of failing when a read turns into a write.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

impl Store {
    /// Moves everything committed out of the write-ahead log into the database and empties the log, so
    /// old copies of overwritten pages (a rotated key's wrappings) do not stay in the `-wal` file.
    pub fn scrub(&mut self) -> Result<()> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            // (busy, log frames, checkpointed frames): busy = 1 means a reader held the log; try later.
            let busy: i64 = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            if busy != 0 {
                return Err(Error::Internal("the write-ahead log could not be emptied: a reader holds it".into()));
            }
        }
        Ok(())
    }
}

pub(crate) fn get_setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub(crate) fn set_setting(conn: &Connection, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => conn.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, v],
        )?,
        None => conn.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

/// Stores a unit enum by its serde name (`small_scale`), the same spelling the JSON export uses.
pub(crate) fn enum_text<T: Serialize>(value: &T) -> Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(Error::Internal("enum does not serialize to a string".into())),
    }
}

pub(crate) fn enum_from<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| Error::Internal(format!("stored value {text:?} is not valid: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_a_file_database_reopens() {
        assert!(migrations().validate().is_ok());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.db");
        {
            let mut store = Store::open(Some(&path)).unwrap();
            store.write(|tx| set_setting(tx, "k", Some("𠈌"))).unwrap();
        }
        let store = Store::open(Some(&path)).unwrap();
        assert_eq!(store.read(|c| get_setting(c, "k")).unwrap().as_deref(), Some("𠈌"));
        let mode: String = store.read(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?)).unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_failed_action_writes_nothing() {
        let mut store = Store::open(None).unwrap();
        let result: Result<()> = store.write(|tx| {
            set_setting(tx, "k", Some("v"))?;
            Err(Error::Internal("boom".into()))
        });
        assert!(result.is_err());
        assert_eq!(store.read(|c| get_setting(c, "k")).unwrap(), None);
    }
}
