//! Rows of the dynamics tables <-> dynamics types: the owner's marks on items, and custom reminders.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, Row, params};

use super::{enum_from, enum_text};
use crate::dynamics::{DynamicState, Reminder, ReminderData};
use crate::error::Result;

/// Records (or replaces) what the owner did with one item.
pub fn set_state(conn: &Connection, uscc: &str, s: &DynamicState) -> Result<()> {
    conn.execute(
        "INSERT INTO dynamic_states (uscc, dynamic_id, subject, state, until, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(uscc, dynamic_id) DO UPDATE SET
            subject = excluded.subject, state = excluded.state, until = excluded.until, at = excluded.at",
        params![uscc, s.dynamic_id, s.subject, enum_text(&s.state)?, s.until, s.at],
    )?;
    Ok(())
}

pub fn clear_state(conn: &Connection, uscc: &str, dynamic_id: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM dynamic_states WHERE uscc = ?1 AND dynamic_id = ?2",
        [uscc, dynamic_id],
    )? == 1)
}

/// Newest first.
pub fn list_states(conn: &Connection, uscc: &str) -> Result<Vec<DynamicState>> {
    let mut stmt = conn.prepare(
        "SELECT dynamic_id, subject, state, until, at FROM dynamic_states WHERE uscc = ?1 ORDER BY at DESC, dynamic_id",
    )?;
    let rows = stmt.query_map([uscc], |row| {
        let state: String = row.get(2)?;
        let until: Option<NaiveDate> = row.get(3)?;
        let at: NaiveDateTime = row.get(4)?;
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            state,
            until,
            at,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (dynamic_id, subject, state, until, at) = row?;
        out.push(DynamicState {
            dynamic_id,
            subject,
            state: enum_from(&state)?,
            until,
            at,
        });
    }
    Ok(out)
}

pub fn insert_reminder(
    conn: &Connection,
    uscc: &str,
    r: &ReminderData,
    now: NaiveDateTime,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO reminders (uscc, title, detail, due, repeat, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![uscc, r.title, r.detail, r.due, enum_text(&r.repeat)?, now],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn delete_reminder(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM reminders WHERE id = ?1", [id])? == 1)
}

fn reminder_from(
    row: &Row<'_>,
) -> rusqlite::Result<(i64, String, String, String, NaiveDate, String)> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

/// In the order they were added.
pub fn list_reminders(conn: &Connection, uscc: &str) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare(
        "SELECT id, uscc, title, detail, due, repeat FROM reminders WHERE uscc = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([uscc], reminder_from)?;
    let mut out = Vec::new();
    for row in rows {
        let (id, uscc, title, detail, due, repeat) = row?;
        out.push(Reminder {
            id,
            uscc,
            data: ReminderData {
                title,
                detail,
                due,
                repeat: enum_from(&repeat)?,
            },
        });
    }
    Ok(out)
}
