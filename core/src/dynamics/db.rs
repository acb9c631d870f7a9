//! Rows of the dynamics tables <-> dynamics types: the owner's marks on items, and custom reminders.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, Row, params};

use crate::dynamics::{DynamicState, Reminder, ReminderData};
use crate::error::Result;
use crate::store::{enum_from, enum_text};

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
    Ok(conn.execute("DELETE FROM dynamic_states WHERE uscc = ?1 AND dynamic_id = ?2", [uscc, dynamic_id])? == 1)
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
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, state, until, at))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (dynamic_id, subject, state, until, at) = row?;
        out.push(DynamicState { dynamic_id, subject, state: enum_from(&state)?, until, at });
    }
    Ok(out)
}

pub fn insert_reminder(conn: &Connection, uscc: &str, r: &ReminderData, now: NaiveDateTime) -> Result<i64> {
    conn.execute(
        "INSERT INTO reminders (uscc, title, detail, due, repeat, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![uscc, r.title, r.detail, r.due, enum_text(&r.repeat)?, now],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn delete_reminder(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM reminders WHERE id = ?1", [id])? == 1)
}

fn reminder_from(row: &Row<'_>) -> rusqlite::Result<(i64, String, String, String, NaiveDate, String)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?))
}

/// In the order they were added.
pub fn list_reminders(conn: &Connection, uscc: &str) -> Result<Vec<Reminder>> {
    let mut stmt =
        conn.prepare("SELECT id, uscc, title, detail, due, repeat FROM reminders WHERE uscc = ?1 ORDER BY id")?;
    let rows = stmt.query_map([uscc], reminder_from)?;
    let mut out = Vec::new();
    for row in rows {
        let (id, uscc, title, detail, due, repeat) = row?;
        out.push(Reminder { id, uscc, data: ReminderData { title, detail, due, repeat: enum_from(&repeat)? } });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::db;
    use crate::dynamics::{Repeat, StateKind};
    use crate::store::Store;

    #[test]
    fn states_and_reminders_round_trip_and_are_checked() {
        let mut store = Store::open(None).unwrap();
        let company = crate::dossier::company::tests::sample("91310115MA1K3YJ5A", "上海𠈌科技有限公司");
        let uscc = company.uscc.clone();
        let at: NaiveDateTime = "2026-11-21T09:00:00".parse().unwrap();
        let snoozed = DynamicState {
            dynamic_id: "tax:vat:2026-10".into(),
            subject: "tax:vat:2026-10".into(),
            state: StateKind::Snoozed,
            until: Some("2026-12-01".parse().unwrap()),
            at,
        };
        store
            .write(|tx| {
                db::insert_company(tx, &company)?;
                set_state(tx, &uscc, &snoozed)?;
                // The same id again replaces.
                set_state(tx, &uscc, &DynamicState { state: StateKind::Done, until: None, ..snoozed.clone() })
            })
            .unwrap();
        let states = store.read(|c| list_states(c, &uscc)).unwrap();
        assert_eq!(states.len(), 1);
        assert_eq!((states[0].state, states[0].until), (StateKind::Done, None));

        // A snooze without a date is refused by the schema.
        let bad = DynamicState { until: None, ..snoozed };
        assert!(store.write(|tx| set_state(tx, &uscc, &bad)).is_err());

        let data = ReminderData {
            title: "缴纳房租".into(),
            detail: String::new(),
            due: "2026-12-05".parse().unwrap(),
            repeat: Repeat::Quarterly,
        };
        let id = store.write(|tx| insert_reminder(tx, &uscc, &data, at)).unwrap();
        let list = store.read(|c| list_reminders(c, &uscc)).unwrap();
        assert_eq!(list, [Reminder { id, uscc: uscc.clone(), data }]);
        assert!(store.write(|tx| delete_reminder(tx, id)).unwrap());
        assert!(!store.write(|tx| clear_state(tx, &uscc, "nothing")).unwrap());
    }
}
