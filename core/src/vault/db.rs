//! Rows of the vault tables. No crypto and no rules here: the vault module seals before writing and
//! opens after reading.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::Result;
use crate::vault::lockout::Attempts;

pub struct StateRow {
    pub vault_id: Vec<u8>,
    pub key_check: Vec<u8>,
    pub auto_lock_seconds: u32,
}

pub fn get_state(conn: &Connection) -> Result<Option<StateRow>> {
    Ok(conn
        .query_row("SELECT vault_id, key_check, auto_lock_seconds FROM vault_state WHERE id = 1", [], |r| {
            Ok(StateRow { vault_id: r.get(0)?, key_check: r.get(1)?, auto_lock_seconds: r.get(2)? })
        })
        .optional()?)
}

pub fn insert_state(conn: &Connection, s: &StateRow, now: NaiveDateTime) -> Result<()> {
    conn.execute(
        "INSERT INTO vault_state (id, vault_id, key_check, auto_lock_seconds, created_at) VALUES (1, ?1, ?2, ?3, ?4)",
        params![s.vault_id, s.key_check, s.auto_lock_seconds, now],
    )?;
    Ok(())
}

/// Replaces the key check (after the data key was rotated).
pub fn set_key_check(conn: &Connection, key_check: &[u8]) -> Result<()> {
    conn.execute("UPDATE vault_state SET key_check = ?1 WHERE id = 1", [key_check])?;
    Ok(())
}

pub fn set_auto_lock(conn: &Connection, seconds: u32) -> Result<()> {
    conn.execute("UPDATE vault_state SET auto_lock_seconds = ?1 WHERE id = 1", [seconds])?;
    Ok(())
}

pub struct SlotRow {
    pub salt: Option<Vec<u8>>,
    pub iterations: Option<u32>,
    pub wrapped: Vec<u8>,
    /// How the PIN's key is bound to the device (`keys::Binding::level`).
    pub device_binding: u8,
}

pub fn get_slot(conn: &Connection, slot: &str) -> Result<Option<SlotRow>> {
    Ok(conn
        .query_row(
            "SELECT salt, iterations, wrapped, device_binding FROM vault_key_slots WHERE slot = ?1",
            [slot],
            |r| Ok(SlotRow { salt: r.get(0)?, iterations: r.get(1)?, wrapped: r.get(2)?, device_binding: r.get(3)? }),
        )
        .optional()?)
}

pub fn put_slot(conn: &Connection, slot: &str, s: &SlotRow, now: NaiveDateTime) -> Result<()> {
    conn.execute(
        "INSERT INTO vault_key_slots (slot, salt, iterations, wrapped, device_binding, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(slot) DO UPDATE SET salt = excluded.salt, iterations = excluded.iterations,
            wrapped = excluded.wrapped, device_binding = excluded.device_binding, created_at = excluded.created_at",
        params![slot, s.salt, s.iterations, s.wrapped, s.device_binding, now],
    )?;
    Ok(())
}

pub fn delete_slot(conn: &Connection, slot: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM vault_key_slots WHERE slot = ?1", [slot])? == 1)
}

pub fn slots(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT slot FROM vault_key_slots ORDER BY slot")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get_attempts(conn: &Connection) -> Result<Attempts> {
    Ok(conn
        .query_row("SELECT failures, last_failure FROM vault_attempts WHERE id = 1", [], |r| {
            Ok(Attempts { failures: r.get(0)?, last_failure: r.get(1)? })
        })
        .optional()?
        .unwrap_or_default())
}

pub fn set_attempts(conn: &Connection, a: &Attempts) -> Result<()> {
    conn.execute(
        "INSERT INTO vault_attempts (id, failures, last_failure) VALUES (1, ?1, ?2)
         ON CONFLICT(id) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure",
        params![a.failures, a.last_failure],
    )?;
    Ok(())
}

pub struct DocumentRow {
    pub id: String,
    pub sealed_name: Vec<u8>,
    pub media_type: String,
    pub size: u64,
    pub wrapped_key: Vec<u8>,
    pub created_at: NaiveDateTime,
}

pub fn insert_document(conn: &Connection, d: &DocumentRow) -> Result<()> {
    conn.execute(
        "INSERT INTO vault_documents (id, sealed_name, media_type, size, wrapped_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![d.id, d.sealed_name, d.media_type, d.size as i64, d.wrapped_key, d.created_at],
    )?;
    Ok(())
}

fn document_from(r: &Row<'_>) -> rusqlite::Result<DocumentRow> {
    Ok(DocumentRow {
        id: r.get(0)?,
        sealed_name: r.get(1)?,
        media_type: r.get(2)?,
        size: r.get::<_, i64>(3)?.max(0) as u64,
        wrapped_key: r.get(4)?,
        created_at: r.get(5)?,
    })
}

const DOCUMENT_COLUMNS: &str = "id, sealed_name, media_type, size, wrapped_key, created_at";

pub fn get_document(conn: &Connection, id: &str) -> Result<Option<DocumentRow>> {
    let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM vault_documents WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], document_from).optional()?)
}

/// All documents, oldest first.
pub fn list_documents(conn: &Connection) -> Result<Vec<DocumentRow>> {
    let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM vault_documents ORDER BY rowid");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], document_from)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn document_ids(conn: &Connection) -> Result<std::collections::HashSet<String>> {
    let mut stmt = conn.prepare("SELECT id FROM vault_documents")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count_documents(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("SELECT COUNT(*) FROM vault_documents", [], |r| r.get(0))?)
}

/// Deletes the row (its licence links go with it) and clears materials that pointed at it.
pub fn delete_document(conn: &Connection, id: &str) -> Result<bool> {
    conn.execute("UPDATE materials SET vault_document = NULL WHERE vault_document = ?1", [id])?;
    Ok(conn.execute("DELETE FROM vault_documents WHERE id = ?1", [id])? == 1)
}

pub fn licence_exists(conn: &Connection, licence_id: i64) -> Result<bool> {
    Ok(conn.query_row("SELECT 1 FROM licences WHERE id = ?1", [licence_id], |_| Ok(())).optional()?.is_some())
}

pub fn link_licence(conn: &Connection, licence_id: i64, document_id: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO licence_documents (licence_id, document_id) VALUES (?1, ?2)",
        params![licence_id, document_id],
    )?;
    Ok(())
}

pub fn unlink_licence(conn: &Connection, licence_id: i64, document_id: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM licence_documents WHERE licence_id = ?1 AND document_id = ?2",
        params![licence_id, document_id],
    )? == 1)
}

pub fn licences_of(conn: &Connection, document_id: &str) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT licence_id FROM licence_documents WHERE document_id = ?1 ORDER BY licence_id")?;
    let rows = stmt.query_map([document_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn documents_of_licence(conn: &Connection, licence_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT l.document_id FROM licence_documents l JOIN vault_documents d ON d.id = l.document_id
         WHERE l.licence_id = ?1 ORDER BY d.rowid",
    )?;
    let rows = stmt.query_map([licence_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Points a material at a document (or at nothing); false if there is no such material.
pub fn set_material_document(conn: &Connection, material_id: i64, document_id: Option<&str>) -> Result<bool> {
    Ok(conn.execute("UPDATE materials SET vault_document = ?1 WHERE id = ?2", params![document_id, material_id])? == 1)
}

pub fn materials_of(conn: &Connection, document_id: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM materials WHERE vault_document = ?1 ORDER BY id")?;
    let rows = stmt.query_map([document_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub struct SealRow {
    pub uscc: String,
    pub key_id: String,
    pub public_key: Vec<u8>,
    pub sealed_private: Vec<u8>,
    pub created_at: NaiveDateTime,
}

fn seal_from(r: &Row<'_>) -> rusqlite::Result<SealRow> {
    Ok(SealRow {
        uscc: r.get(0)?,
        key_id: r.get(1)?,
        public_key: r.get(2)?,
        sealed_private: r.get(3)?,
        created_at: r.get(4)?,
    })
}

pub fn get_seal(conn: &Connection, uscc: &str) -> Result<Option<SealRow>> {
    Ok(conn
        .query_row(
            "SELECT uscc, key_id, public_key, sealed_private, created_at FROM seal_keys WHERE uscc = ?1",
            [uscc],
            seal_from,
        )
        .optional()?)
}

pub fn list_seals(conn: &Connection) -> Result<Vec<SealRow>> {
    let mut stmt =
        conn.prepare("SELECT uscc, key_id, public_key, sealed_private, created_at FROM seal_keys ORDER BY rowid")?;
    let rows = stmt.query_map([], seal_from)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_seal(conn: &Connection, s: &SealRow) -> Result<()> {
    conn.execute(
        "INSERT INTO seal_keys (uscc, key_id, public_key, sealed_private, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![s.uscc, s.key_id, s.public_key, s.sealed_private, s.created_at],
    )?;
    Ok(())
}

/// Rewrites a document's sealed name and wrapped key (after the data key was rotated).
pub fn reseal_document(conn: &Connection, id: &str, sealed_name: &[u8], wrapped_key: &[u8]) -> Result<()> {
    conn.execute(
        "UPDATE vault_documents SET sealed_name = ?2, wrapped_key = ?3 WHERE id = ?1",
        params![id, sealed_name, wrapped_key],
    )?;
    Ok(())
}

/// Rewrites a seal's sealed private key (after the data key was rotated).
pub fn reseal_seal(conn: &Connection, key_id: &str, sealed_private: &[u8]) -> Result<()> {
    conn.execute("UPDATE seal_keys SET sealed_private = ?2 WHERE key_id = ?1", params![key_id, sealed_private])?;
    Ok(())
}

/// Every record with a sealed lookup password: (record id, sealed bytes).
pub fn lookup_secrets(conn: &Connection) -> Result<Vec<(i64, Vec<u8>)>> {
    let mut stmt = conn.prepare("SELECT id, lookup_secret FROM records WHERE lookup_secret IS NOT NULL")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn company_exists(conn: &Connection, uscc: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT 1 FROM companies WHERE uscc = ?1", [uscc], |_| Ok(())).optional()?.is_some())
}

pub fn company_name(conn: &Connection, uscc: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT name FROM companies WHERE uscc = ?1", [uscc], |r| r.get(0)).optional()?)
}

/// `None`: no such record; `Some(None)`: a record without a lookup password.
pub fn get_lookup_secret(conn: &Connection, record_id: i64) -> Result<Option<Option<Vec<u8>>>> {
    Ok(conn.query_row("SELECT lookup_secret FROM records WHERE id = ?1", [record_id], |r| r.get(0)).optional()?)
}

pub fn set_lookup_secret(conn: &Connection, record_id: i64, sealed: Option<&[u8]>) -> Result<bool> {
    Ok(conn.execute("UPDATE records SET lookup_secret = ?1 WHERE id = ?2", params![sealed, record_id])? == 1)
}

pub fn record_exists(conn: &Connection, record_id: i64) -> Result<bool> {
    Ok(conn.query_row("SELECT 1 FROM records WHERE id = ?1", [record_id], |_| Ok(())).optional()?.is_some())
}

/// Sealed bytes of the database back end.
pub fn put_blob(conn: &Connection, id: &str, data: &[u8]) -> Result<()> {
    conn.execute("INSERT OR REPLACE INTO vault_blobs (id, data) VALUES (?1, ?2)", params![id, data])?;
    Ok(())
}

pub fn get_blob(conn: &Connection, id: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn.query_row("SELECT data FROM vault_blobs WHERE id = ?1", [id], |r| r.get(0)).optional()?)
}

pub fn blob_len(conn: &Connection, id: &str) -> Result<Option<u64>> {
    Ok(conn
        .query_row("SELECT length(data) FROM vault_blobs WHERE id = ?1", [id], |r| r.get::<_, i64>(0))
        .optional()?
        .map(|n| n.max(0) as u64))
}

pub fn delete_blob(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM vault_blobs WHERE id = ?1", [id])?;
    Ok(())
}

/// Removes sealed bytes no document row owns (left by a crash between the two steps of a write).
pub fn sweep_blobs(conn: &Connection) -> Result<usize> {
    Ok(conn.execute("DELETE FROM vault_blobs WHERE id NOT IN (SELECT id FROM vault_documents)", [])?)
}
