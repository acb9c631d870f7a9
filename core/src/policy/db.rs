//! Rows of the policy tables <-> policy types: interest signals, saves, seen policies, and the stored
//! catalog file the feed delivers.

use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;
use crate::policy::interest::{Signal, SignalKind};
use crate::policy::news::Seen;
use crate::policy::{Policy, PolicyKind};
use crate::store::{enum_from, enum_text};

/// Opens older than this weigh less than 1/4000 and are deleted when a new one is recorded.
const KEEP_OPENS_DAYS: i64 = 365;

/// (feed version, byte length) of a stored content file: cheap to read, changes whenever the file does.
/// Only a cache key: the bytes themselves are read through the feed, which checks them against the
/// verified manifest (`crate::feed::stored_file`).
pub fn content_key(conn: &Connection, name: &str) -> Result<Option<(i64, i64)>> {
    Ok(conn
        .query_row("SELECT version, length(bytes) FROM content_files WHERE name = ?1", [name], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

pub fn record_open(conn: &Connection, uscc: &str, policy: &Policy, on: NaiveDate) -> Result<()> {
    conn.execute(
        "INSERT INTO policy_opens (uscc, policy_id, kind, issuer, on_day) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![uscc, policy.id, enum_text(&policy.kind)?, policy.issuer, on],
    )?;
    let cutoff = on - Duration::days(KEEP_OPENS_DAYS);
    conn.execute("DELETE FROM policy_opens WHERE uscc = ?1 AND on_day < ?2", params![uscc, cutoff])?;
    Ok(())
}

/// Saves a policy; saving again keeps the first day.
pub fn save(conn: &Connection, uscc: &str, policy: &Policy, on: NaiveDate) -> Result<()> {
    conn.execute(
        "INSERT INTO policy_saves (uscc, policy_id, kind, issuer, saved_on) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(uscc, policy_id) DO NOTHING",
        params![uscc, policy.id, enum_text(&policy.kind)?, policy.issuer, on],
    )?;
    Ok(())
}

pub fn unsave(conn: &Connection, uscc: &str, policy_id: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM policy_saves WHERE uscc = ?1 AND policy_id = ?2", [uscc, policy_id])? == 1)
}

/// Saved policy ids with the day, newest first.
pub fn saved(conn: &Connection, uscc: &str) -> Result<Vec<(String, NaiveDate)>> {
    let mut stmt =
        conn.prepare("SELECT policy_id, saved_on FROM policy_saves WHERE uscc = ?1 ORDER BY saved_on DESC, policy_id")?;
    let rows = stmt.query_map([uscc], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every open and every current save of the company.
pub fn signals(conn: &Connection, uscc: &str) -> Result<Vec<Signal>> {
    let mut stmt = conn.prepare(
        "SELECT policy_id, kind, issuer, on_day, 0 FROM policy_opens WHERE uscc = ?1
         UNION ALL
         SELECT policy_id, kind, issuer, saved_on, 1 FROM policy_saves WHERE uscc = ?1
         ORDER BY 5, 4, 1",
    )?;
    let rows = stmt.query_map([uscc], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, NaiveDate>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (policy_id, kind, issuer, on, save) = row?;
        let kind: PolicyKind = enum_from(&kind)?;
        let action = if save == 1 { SignalKind::Save } else { SignalKind::Open };
        out.push(Signal { policy_id, kind, issuer, action, on });
    }
    Ok(out)
}

pub fn has_baseline(conn: &Connection, uscc: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT 1 FROM policy_baselines WHERE uscc = ?1", [uscc], |_| Ok(())).optional()?.is_some())
}

pub fn set_baseline(conn: &Connection, uscc: &str, on: NaiveDate) -> Result<()> {
    conn.execute("INSERT OR IGNORE INTO policy_baselines (uscc, on_day) VALUES (?1, ?2)", params![uscc, on])?;
    Ok(())
}

pub fn seen(conn: &Connection, uscc: &str) -> Result<Vec<Seen>> {
    let mut stmt = conn.prepare(
        "SELECT policy_id, first_seen_on, announced FROM policy_seen WHERE uscc = ?1 ORDER BY first_seen_on, policy_id",
    )?;
    let rows = stmt.query_map([uscc], |r| {
        Ok(Seen { policy_id: r.get(0)?, first_seen_on: r.get(1)?, announced: r.get::<_, i64>(2)? == 1 })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_seen(conn: &Connection, uscc: &str, s: &Seen) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO policy_seen (uscc, policy_id, first_seen_on, announced) VALUES (?1, ?2, ?3, ?4)",
        params![uscc, s.policy_id, s.first_seen_on, i64::from(s.announced)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::db;
    use crate::policy::Catalog;
    use crate::store::Store;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn signals_saves_and_seen_round_trip_and_old_opens_are_pruned() {
        let mut store = Store::open(None).unwrap();
        let company = crate::dossier::company::tests::sample("91310115MA1K3YJ5A", "上海𠈌科技有限公司");
        let uscc = company.uscc.clone();
        let catalog = Catalog::embedded().unwrap();
        let p = catalog.policies().next().unwrap().clone();
        store
            .write(|tx| {
                db::insert_company(tx, &company)?;
                record_open(tx, &uscc, &p, day("2025-01-01"))?;
                record_open(tx, &uscc, &p, day("2026-11-01"))?;
                record_open(tx, &uscc, &p, day("2026-11-21"))?;
                save(tx, &uscc, &p, day("2026-11-02"))?;
                save(tx, &uscc, &p, day("2026-11-20"))
            })
            .unwrap();
        let all = store.read(|c| signals(c, &uscc)).unwrap();
        let days: Vec<(NaiveDate, SignalKind)> = all.iter().map(|s| (s.on, s.action)).collect();
        assert_eq!(
            days,
            [
                (day("2026-11-01"), SignalKind::Open),
                (day("2026-11-21"), SignalKind::Open),
                (day("2026-11-02"), SignalKind::Save)
            ],
            "the 2025 open is pruned; saving twice keeps the first day"
        );
        assert_eq!(all[0].kind, p.kind);
        assert_eq!(store.read(|c| saved(c, &uscc)).unwrap(), [(p.id.clone(), day("2026-11-02"))]);
        assert!(store.write(|tx| unsave(tx, &uscc, &p.id)).unwrap());
        assert!(!store.write(|tx| unsave(tx, &uscc, &p.id)).unwrap());

        assert!(!store.read(|c| has_baseline(c, &uscc)).unwrap());
        let row = Seen { policy_id: p.id.clone(), first_seen_on: day("2026-11-21"), announced: true };
        store
            .write(|tx| {
                set_baseline(tx, &uscc, day("2026-11-21"))?;
                insert_seen(tx, &uscc, &row)?;
                insert_seen(tx, &uscc, &Seen { announced: false, ..row.clone() })
            })
            .unwrap();
        assert!(store.read(|c| has_baseline(c, &uscc)).unwrap());
        assert_eq!(store.read(|c| seen(c, &uscc)).unwrap(), [row]);
        // Everything goes with the company.
        store.write(|tx| db::delete_company(tx, &uscc).map(drop)).unwrap();
        assert!(store.read(|c| seen(c, &uscc)).unwrap().is_empty());
        assert!(store.read(|c| signals(c, &uscc)).unwrap().is_empty());
    }

    #[test]
    fn content_files_are_read_by_name() {
        let mut store = Store::open(None).unwrap();
        assert_eq!(store.read(|c| content_key(c, "policies.json")).unwrap(), None);
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO content_files (name, version, bytes) VALUES ('policies.json', 7, x'7B7D')",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        assert_eq!(store.read(|c| content_key(c, "policies.json")).unwrap(), Some((7, 2)));
    }
}
