//! Rows of the dossier tables <-> dossier types. No rules here: callers validate before writing.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::dossier::{Company, LicenceData, MaterialData, RecordData, StatusChange};
use crate::error::{Error, Result};
use crate::store::{enum_from, enum_text};

fn tags_json(tags: &[String]) -> Result<String> {
    serde_json::to_string(tags).map_err(|e| Error::Internal(e.to_string()))
}

pub fn insert_company(conn: &Connection, c: &Company) -> Result<()> {
    conn.execute(
        "INSERT INTO companies (uscc, name, company_type, legal_representative, registered_capital_fen,
            established_on, address, district, industry, employees, revenue_fen, total_assets_fen,
            taxpayer_kind, credit_grade, tags, created_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
            (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM companies))",
        params![
            c.uscc,
            c.name,
            enum_text(&c.company_type)?,
            c.legal_representative,
            c.registered_capital_fen,
            c.established_on,
            c.address,
            c.district,
            c.industry,
            c.employees,
            c.revenue_fen,
            c.total_assets_fen,
            enum_text(&c.taxpayer_kind)?,
            c.credit_grade.as_ref().map(enum_text).transpose()?,
            tags_json(&c.tags)?,
        ],
    )?;
    Ok(())
}

/// Replaces the profile of `uscc` (which may change to `c.uscc`; children follow by ON UPDATE CASCADE).
pub fn update_company(conn: &Connection, uscc: &str, c: &Company) -> Result<bool> {
    let n = conn.execute(
        "UPDATE companies SET uscc = ?1, name = ?2, company_type = ?3, legal_representative = ?4,
            registered_capital_fen = ?5, established_on = ?6, address = ?7, district = ?8, industry = ?9,
            employees = ?10, revenue_fen = ?11, total_assets_fen = ?12, taxpayer_kind = ?13,
            credit_grade = ?14, tags = ?15
         WHERE uscc = ?16",
        params![
            c.uscc,
            c.name,
            enum_text(&c.company_type)?,
            c.legal_representative,
            c.registered_capital_fen,
            c.established_on,
            c.address,
            c.district,
            c.industry,
            c.employees,
            c.revenue_fen,
            c.total_assets_fen,
            enum_text(&c.taxpayer_kind)?,
            c.credit_grade.as_ref().map(enum_text).transpose()?,
            tags_json(&c.tags)?,
            uscc,
        ],
    )?;
    Ok(n == 1)
}

pub fn delete_company(conn: &Connection, uscc: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM companies WHERE uscc = ?1", [uscc])? == 1)
}

const COMPANY_COLUMNS: &str = "uscc, name, company_type, legal_representative, registered_capital_fen,
    established_on, address, district, industry, employees, revenue_fen, total_assets_fen, taxpayer_kind,
    credit_grade, tags";

/// A company row. The outer result is SQLite's; the inner one is ours, for stored text that no longer
/// reads as a value of an enum (which would mean a bug or a tampered database).
fn company_from(row: &Row<'_>) -> rusqlite::Result<Result<Company>> {
    let company_type: String = row.get(2)?;
    let taxpayer: String = row.get(12)?;
    let grade: Option<String> = row.get(13)?;
    let tags: String = row.get(14)?;
    let (uscc, name, legal_representative, registered_capital_fen, established_on, address) =
        (row.get(0)?, row.get(1)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?);
    let (district, industry, employees, revenue_fen, total_assets_fen) =
        (row.get(7)?, row.get(8)?, row.get(9)?, row.get(10)?, row.get(11)?);
    Ok((|| {
        Ok(Company {
            uscc,
            name,
            company_type: enum_from(&company_type)?,
            legal_representative,
            registered_capital_fen,
            established_on,
            address,
            district,
            industry,
            employees,
            revenue_fen,
            total_assets_fen,
            taxpayer_kind: enum_from(&taxpayer)?,
            credit_grade: grade.as_deref().map(enum_from).transpose()?,
            tags: serde_json::from_slice(tags.as_bytes()).map_err(|e| Error::Internal(e.to_string()))?,
        })
    })())
}

pub fn get_company(conn: &Connection, uscc: &str) -> Result<Option<Company>> {
    let sql = format!("SELECT {COMPANY_COLUMNS} FROM companies WHERE uscc = ?1");
    conn.query_row(&sql, [uscc], company_from).optional()?.transpose()
}

pub fn list_companies(conn: &Connection) -> Result<Vec<Company>> {
    let sql = format!("SELECT {COMPANY_COLUMNS} FROM companies ORDER BY created_seq");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], company_from)?;
    rows.map(|r| r?).collect()
}

pub fn insert_licence(conn: &Connection, uscc: &str, l: &LicenceData) -> Result<i64> {
    conn.execute(
        "INSERT INTO licences (uscc, kind, number, issuer, issued_on, valid_until, scope)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![uscc, l.kind, l.number, l.issuer, l.issued_on, l.valid_until, l.scope],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_licence(conn: &Connection, id: i64, l: &LicenceData) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE licences SET kind = ?1, number = ?2, issuer = ?3, issued_on = ?4, valid_until = ?5, scope = ?6
         WHERE id = ?7",
        params![l.kind, l.number, l.issuer, l.issued_on, l.valid_until, l.scope, id],
    )? == 1)
}

pub fn delete_licence(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM licences WHERE id = ?1", [id])? == 1)
}

fn licence_from(row: &Row<'_>) -> rusqlite::Result<(i64, String, LicenceData)> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        LicenceData {
            kind: row.get(2)?,
            number: row.get(3)?,
            issuer: row.get(4)?,
            issued_on: row.get(5)?,
            valid_until: row.get(6)?,
            scope: row.get(7)?,
        },
    ))
}

const LICENCE_COLUMNS: &str = "id, uscc, kind, number, issuer, issued_on, valid_until, scope";

/// One row of `table` by id.
fn select_by_id<T>(
    conn: &Connection,
    table: &str,
    columns: &str,
    id: i64,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Option<T>> {
    let sql = format!("SELECT {columns} FROM {table} WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], map).optional()?)
}

/// Every row of `table` of one company, oldest first.
fn select_by_company<T>(
    conn: &Connection,
    table: &str,
    columns: &str,
    uscc: &str,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let sql = format!("SELECT {columns} FROM {table} WHERE uscc = ?1 ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([uscc], map)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get_licence(conn: &Connection, id: i64) -> Result<Option<(i64, String, LicenceData)>> {
    select_by_id(conn, "licences", LICENCE_COLUMNS, id, licence_from)
}

pub fn list_licences(conn: &Connection, uscc: &str) -> Result<Vec<(i64, String, LicenceData)>> {
    select_by_company(conn, "licences", LICENCE_COLUMNS, uscc, licence_from)
}

pub fn insert_material(conn: &Connection, uscc: &str, m: &MaterialData) -> Result<i64> {
    conn.execute(
        "INSERT INTO materials (uscc, kind, title, valid_until, vault_document) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![uscc, m.kind, m.title, m.valid_until, m.vault_document],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_material(conn: &Connection, id: i64, m: &MaterialData) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE materials SET kind = ?1, title = ?2, valid_until = ?3, vault_document = ?4 WHERE id = ?5",
        params![m.kind, m.title, m.valid_until, m.vault_document, id],
    )? == 1)
}

pub fn delete_material(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM materials WHERE id = ?1", [id])? == 1)
}

fn material_from(row: &Row<'_>) -> rusqlite::Result<(i64, String, MaterialData)> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        MaterialData { kind: row.get(2)?, title: row.get(3)?, valid_until: row.get(4)?, vault_document: row.get(5)? },
    ))
}

const MATERIAL_COLUMNS: &str = "id, uscc, kind, title, valid_until, vault_document";

pub fn get_material(conn: &Connection, id: i64) -> Result<Option<(i64, String, MaterialData)>> {
    select_by_id(conn, "materials", MATERIAL_COLUMNS, id, material_from)
}

pub fn list_materials(conn: &Connection, uscc: &str) -> Result<Vec<(i64, String, MaterialData)>> {
    select_by_company(conn, "materials", MATERIAL_COLUMNS, uscc, material_from)
}

pub fn insert_record(conn: &Connection, uscc: &str, r: &RecordData) -> Result<i64> {
    conn.execute(
        "INSERT INTO records (uscc, item_code, item_name, channel, submitted_on) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![uscc, r.item_code, r.item_name, enum_text(&r.channel)?, r.submitted_on],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Replaces a record's entered data and moves its first status (已提交) to `first_at`.
pub fn update_record(conn: &Connection, id: i64, r: &RecordData, first_at: Option<NaiveDateTime>) -> Result<bool> {
    let found = conn.execute(
        "UPDATE records SET item_code = ?1, item_name = ?2, channel = ?3, submitted_on = ?4 WHERE id = ?5",
        params![r.item_code, r.item_name, enum_text(&r.channel)?, r.submitted_on, id],
    )? == 1;
    if let (true, Some(at)) = (found, first_at) {
        conn.execute(
            "UPDATE record_statuses SET at = ?1 WHERE id = (SELECT MIN(id) FROM record_statuses WHERE record_id = ?2)",
            params![at, id],
        )?;
    }
    Ok(found)
}

pub fn delete_record(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM records WHERE id = ?1", [id])? == 1)
}

pub fn insert_status(conn: &Connection, record_id: i64, s: &StatusChange) -> Result<()> {
    conn.execute(
        "INSERT INTO record_statuses (record_id, status, at) VALUES (?1, ?2, ?3)",
        params![record_id, enum_text(&s.status)?, s.at],
    )?;
    Ok(())
}

fn history(conn: &Connection, record_id: i64) -> Result<Vec<StatusChange>> {
    let mut stmt = conn.prepare_cached("SELECT status, at FROM record_statuses WHERE record_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([record_id], |row| Ok((row.get::<_, String>(0)?, row.get::<_, NaiveDateTime>(1)?)))?;
    rows.map(|r| {
        let (status, at) = r?;
        Ok(StatusChange { status: enum_from(&status)?, at })
    })
    .collect()
}

type RecordRow = (i64, String, RecordData, Vec<StatusChange>);

fn records_where(conn: &Connection, clause: &str, key: &dyn rusqlite::ToSql) -> Result<Vec<RecordRow>> {
    let sql =
        format!("SELECT id, uscc, item_code, item_name, channel, submitted_on FROM records WHERE {clause} ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([key], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, NaiveDate>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, uscc, item_code, item_name, channel, submitted_on) = row?;
        let data = RecordData { item_code, item_name, channel: enum_from(&channel)?, submitted_on };
        out.push((id, uscc, data, history(conn, id)?));
    }
    Ok(out)
}

pub fn get_record(conn: &Connection, id: i64) -> Result<Option<RecordRow>> {
    Ok(records_where(conn, "id = ?1", &id)?.pop())
}

pub fn list_records(conn: &Connection, uscc: &str) -> Result<Vec<RecordRow>> {
    records_where(conn, "uscc = ?1", &uscc)
}
