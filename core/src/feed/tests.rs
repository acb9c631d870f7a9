//! Syncs against an in-memory site: what travels, what is applied, and what the rest of the app sees.
//! (The attack suite over real HTTP is tests/feed.rs.)

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::publish::{self, SigningKey};
use super::transport::{MemorySite, block_on};
use super::*;
use crate::{Clock, Config, Zhuanshu};

const URL: &str = MemorySite::BASE;

fn app() -> Zhuanshu {
    let clock = Clock::fixed_on(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default());
    Zhuanshu::open(Config { data_dir: None, security_clock: clock.clone(), clock, ..Default::default() }).unwrap()
}

fn expires(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn year_2027() -> Vec<u8> {
    r#"{"year": 2027, "papers": [], "days": [
        {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
        {"name": "春节", "date": "2027-02-08", "isOffDay": true}]}"#
        .as_bytes()
        .to_vec()
}

/// The embedded content plus next year's holidays.
fn content() -> BTreeMap<String, Vec<u8>> {
    let mut c: BTreeMap<String, Vec<u8>> =
        embedded::files().iter().map(|(n, f)| (n.clone(), f.bytes.clone())).collect();
    c.insert("holidays/2027.json".into(), year_2027());
    c
}

fn demo_site(content: &BTreeMap<String, Vec<u8>>, version: u64) -> BTreeMap<String, Vec<u8>> {
    let key = publish::demo_key();
    publish::site(content, version, expires("2027-03-01T00:00:00+08:00"), &[embedded::ROOT_JSON], &[&key]).unwrap()
}

fn sync(app: &Zhuanshu, site: &MemorySite) -> Result<SyncReport> {
    block_on(app.feed().sync(site, URL)).unwrap()
}

#[test]
fn the_first_sync_fetches_only_what_the_app_does_not_ship() {
    let app = app();
    assert_eq!(app.feed().status().unwrap().version, 0);
    assert!(!app.dynamics().calendar().knows(2027));
    let site = MemorySite::new(demo_site(&content(), 1));
    let report = sync(&app, &site).unwrap();
    assert!(report.updated);
    assert_eq!((report.version, report.previous_version), (1, 0));
    assert_eq!(report.changed, ["holidays/2027.json"]);
    assert_eq!(report.requests, 4, "timestamp, manifest, signatures, one file");
    assert!(app.dynamics().calendar().knows(2027), "the calendar sees the new year at once");
    assert!(!app.dynamics().workday("2027-02-08".parse().unwrap()).workday);
    let status = app.feed().status().unwrap();
    assert_eq!((status.version, status.expired, status.source.as_deref()), (1, false, Some(URL)));
    assert_eq!((status.fresh, status.problem.as_deref()), (true, None));
    assert_eq!(status.verified_until, Some("2027-03-01T00:00:00".parse().unwrap()));
    assert!(status.files.iter().all(|f| f.version == 1), "every file of the version is stored");
    assert_eq!(app.feed().file("holidays/2027.json").unwrap(), Some(year_2027()));
}

#[test]
fn an_unchanged_sync_is_one_conditional_request_and_a_changed_file_travels_alone() {
    let app = app();
    let site = MemorySite::new(demo_site(&content(), 1));
    sync(&app, &site).unwrap();
    let unchanged = sync(&app, &site).unwrap();
    assert_eq!((unchanged.updated, unchanged.requests, unchanged.bytes), (false, 1, 0));

    let mut next = content();
    next.insert("holidays/2027.json".into(), year_2027().replace_bytes("2027-02-08", "2027-02-09"));
    site.put(demo_site(&next, 2));
    let one = sync(&app, &site).unwrap();
    assert_eq!((one.updated, one.version, one.requests), (true, 2, 4));
    assert_eq!(one.changed, ["holidays/2027.json"]);
    assert!(one.bytes < 5120, "timestamp + manifest + signature + one small file: {} bytes", one.bytes);
    assert!(app.dynamics().workday("2027-02-08".parse().unwrap()).workday, "the corrected notice is in force");
}

trait ReplaceBytes {
    fn replace_bytes(&self, from: &str, to: &str) -> Vec<u8>;
}

impl ReplaceBytes for Vec<u8> {
    fn replace_bytes(&self, from: &str, to: &str) -> Vec<u8> {
        String::from_utf8_lossy(self).replace(from, to).into_bytes()
    }
}

#[cfg(feature = "search")]
#[test]
fn the_assistant_answers_from_the_feeds_knowledge_base() {
    let app = app();
    let mut content = content();
    let first = content["faq.jsonl"].split(|b| *b == b'\n').next().unwrap().to_vec();
    let mut entry: serde_json::Value = serde_json::from_slice(&first).unwrap();
    entry["id"] = "feed-new-1".into();
    entry["question"] = "跨境电商海外仓补贴怎么申请".into();
    entry["alternatives"] = serde_json::json!(["海外仓补贴申请"]);
    entry["related"] = serde_json::json!([]);
    let faq = content.get_mut("faq.jsonl").unwrap();
    faq.extend_from_slice(serde_json::to_string(&entry).unwrap().as_bytes());
    faq.push(b'\n');
    let before = app.assistant().search("海外仓补贴", 3).unwrap();
    assert!(before.iter().all(|h| h.id != "feed-new-1"));
    sync(&app, &MemorySite::new(demo_site(&content, 1))).unwrap();
    let after = app.assistant().search("海外仓补贴", 3).unwrap();
    assert_eq!(after.first().map(|h| h.id.as_str()), Some("feed-new-1"), "the index was rebuilt");
}

#[test]
fn a_frozen_feed_is_reported_once_the_manifest_in_force_expires() {
    let site = MemorySite::new(demo_site(&content(), 1));
    let dir = tempfile::tempdir().unwrap();
    let app = Zhuanshu::open(Config {
        data_dir: Some(dir.path().into()),
        clock: app().clock().clone(),
        security_clock: app().clock().clone(),
        ..Default::default()
    })
    .unwrap();
    sync(&app, &site).unwrap();
    drop(app);
    // The same device a day after the manifest's expiry; the server answers 304 for ever.
    let late = Clock::fixed_on(NaiveDate::from_ymd_opt(2027, 3, 2).unwrap_or_default());
    let app = Zhuanshu::open(Config {
        data_dir: Some(dir.path().into()),
        security_clock: late.clone(),
        clock: late,
        ..Default::default()
    })
    .unwrap();
    let err = sync(&app, &site).unwrap_err();
    assert_eq!(err.code(), "feed_expired");
    assert!(app.feed().status().unwrap().expired);
    assert_eq!(app.feed().file("holidays/2027.json").unwrap(), Some(year_2027()), "content stays");
}

#[test]
fn a_device_walks_several_key_rotations_in_one_sync() {
    let (k1, k2, k3) = (publish::demo_key(), SigningKey::from_seed(&[2; 32]), SigningKey::from_seed(&[3; 32]));
    let far = expires("2036-01-01T00:00:00+08:00");
    let r2 = publish::sign_root(&publish::new_root(2, far, &[&k2], 1, &[&k2], 1, &[&k2], 1), &[&k1, &k2]).unwrap();
    let r3 = publish::sign_root(&publish::new_root(3, far, &[&k3], 1, &[&k3], 1, &[&k3], 1), &[&k2, &k3]).unwrap();
    let roots: [&[u8]; 3] = [embedded::ROOT_JSON, &r2, &r3];
    let site = publish::site(&content(), 1, expires("2027-03-01T00:00:00+08:00"), &roots, &[&k3]).unwrap();
    let app = app();
    let report = sync(&app, &MemorySite::new(site)).unwrap();
    assert_eq!(
        (report.root_version, report.requests),
        (3, 6),
        "timestamp, roots 2 and 3, manifest, signatures, a file"
    );
    // From now on only the newest keys count: the demo key can no longer sign a manifest.
    let old_keys = publish::site(&content(), 2, expires("2027-03-01T00:00:00+08:00"), &roots, &[&k1]).unwrap();
    let err = sync(&app, &MemorySite::new(old_keys)).unwrap_err();
    assert_eq!(err.code(), "feed_unknown_key");
    // A device that reopens re-verifies the stored chain 1 -> 2 -> 3 from the pinned root.
    assert_eq!(app.feed().status().unwrap().root_version, 3);
    assert_eq!(app.feed().status().unwrap().problem, None);
}

#[test]
fn a_file_dropped_from_the_feed_falls_back_to_the_embedded_copy() {
    let app = app();
    let mut changed = content();
    changed.insert("policies.json".into(), br#"{"version": 99, "policies": []}"#.to_vec());
    sync(&app, &MemorySite::new(demo_site(&changed, 1))).unwrap();
    assert_eq!(app.feed().file("policies.json").unwrap().as_deref(), Some(&br#"{"version": 99, "policies": []}"#[..]));
    let mut dropped = content();
    dropped.remove("policies.json");
    let report = sync(&app, &MemorySite::new(demo_site(&dropped, 2))).unwrap();
    assert_eq!(report.removed, ["policies.json"]);
    assert_eq!(
        app.feed().file("policies.json").unwrap().as_deref(),
        Some(embedded::files()["policies.json"].bytes.as_slice())
    );
}

#[test]
fn failures_change_nothing_and_say_why() {
    let app = app();
    let site = MemorySite::new(demo_site(&content(), 1));
    site.remove(format::SIGNATURE_FILE);
    let err = sync(&app, &site).unwrap_err();
    assert_eq!(err.code(), "network", "a missing file is the server's problem: {err}");
    assert_eq!(app.feed().status().unwrap().version, 0);
    assert!(!app.dynamics().calendar().knows(2027));
    let empty = block_on(app.feed().sync(&site, "  ")).unwrap().unwrap_err();
    assert_eq!(empty.code(), "invalid_input");
}

// ---- what the device stored is checked again, not believed ----

/// A device on a database file, so a test can change rows behind the app's back and open it again.
fn app_on(dir: &std::path::Path) -> Zhuanshu {
    let clock = Clock::fixed_on(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default());
    Zhuanshu::open(Config { data_dir: Some(dir.into()), security_clock: clock.clone(), clock, ..Default::default() })
        .unwrap()
}

fn sql(app: &Zhuanshu, statement: &str, params: impl rusqlite::Params) {
    app.ctx.store().unwrap().write(|tx| Ok(tx.execute(statement, params)?)).unwrap();
}

/// An attacker with one write to the database installs a root of its own (self-signed, version 2) and a
/// manifest, timestamp and content signed with its key. Before, the stored root only had to be signed
/// by itself; now the chain is walked from the pinned root and this one is refused.
#[test]
fn a_root_written_into_the_database_is_not_believed() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_on(dir.path());
    let site = MemorySite::new(demo_site(&content(), 1));
    sync(&app, &site).unwrap();

    let attacker = SigningKey::from_seed(&[66; 32]);
    let far = expires("2036-01-01T00:00:00+08:00");
    let evil_root = publish::new_root(2, far, &[&attacker], 1, &[&attacker], 1, &[&attacker], 1);
    let evil_root = publish::sign_root(&evil_root, &[&attacker]).unwrap();
    let mut evil_content = content();
    evil_content.insert("holidays/2027.json".into(), year_2027().replace_bytes("2027-02-08", "2027-02-10"));
    let evil = publish::site(&evil_content, 99, far, &[embedded::ROOT_JSON, &evil_root], &[&attacker]).unwrap();
    sql(&app, "INSERT INTO feed_roots (version, json) VALUES (2, ?1)", [&evil_root]);
    sql(
        &app,
        "UPDATE feed_state SET root_json = ?1, root_version = 2, manifest_json = ?2, signatures_json = ?3,
                timestamp_json = ?4, manifest_version = 99",
        [&evil_root, &evil[format::MANIFEST_FILE], &evil[format::SIGNATURE_FILE], &evil[format::TIMESTAMP_FILE]],
    );
    sql(
        &app,
        "UPDATE content_files SET bytes = ?1 WHERE name = 'holidays/2027.json'",
        [&evil_content["holidays/2027.json"]],
    );
    drop(app);

    let app = app_on(dir.path());
    let status = app.feed().status().unwrap();
    assert_eq!((status.version, status.root_version, status.fresh), (0, 1, false), "the embedded feed is in force");
    let problem = status.problem.expect("the owner is told");
    assert!(problem.contains("roots/2.json") && problem.contains("已改用内置内容"), "{problem}");
    assert_eq!(app.feed().file("holidays/2027.json").unwrap(), None, "the attacker's year is not served");
    assert!(!app.dynamics().calendar().knows(2027));
    // The attacker's site is refused: its root 2 was never signed by the pinned root's keys.
    let err = sync(&app, &MemorySite::new(evil)).unwrap_err();
    assert_eq!(err.code(), "feed_untrusted_root");
    // The publisher's site repairs the device.
    let report = sync(&app, &site).unwrap();
    assert_eq!((report.updated, report.version, report.root_version), (true, 1, 1));
    assert!(report.repaired.contains(&"roots/2.json".to_owned()), "{:?}", report.repaired);
    let status = app.feed().status().unwrap();
    assert_eq!((status.version, status.root_version, status.problem), (1, 1, None));
    assert_eq!(app.feed().file("holidays/2027.json").unwrap(), Some(year_2027()));
}

/// A content file changed in the database (same length, so nothing but the hash can tell) is not
/// served: the embedded copy is, the status says so, and the next sync fetches that file again even
/// though the site has not changed.
#[test]
fn a_content_file_changed_in_the_database_is_not_served_and_the_next_sync_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_on(dir.path());
    let mut changed = content();
    changed.insert("policies.json".into(), br#"{"version": 99, "policies": []}"#.to_vec());
    let site = MemorySite::new(demo_site(&changed, 1));
    sync(&app, &site).unwrap();
    sql(
        &app,
        "UPDATE content_files SET bytes = ?1 WHERE name = 'policies.json'",
        [br#"{"version": 98, "policies": []}"#],
    );
    sql(
        &app,
        "UPDATE content_files SET bytes = CAST(replace(CAST(bytes AS TEXT), '02-08', '02-09') AS BLOB) WHERE name = 'holidays/2027.json'",
        [],
    );
    drop(app);

    let app = app_on(dir.path());
    let embedded_policies = embedded::files()["policies.json"].bytes.clone();
    assert_eq!(app.feed().file("policies.json").unwrap(), Some(embedded_policies.clone()), "the embedded copy");
    assert_eq!(app.feed().file("holidays/2027.json").unwrap(), None);
    assert!(!app.dynamics().calendar().knows(2027), "the calendar skips the changed year");
    assert_eq!(app.feed().content().unwrap()["policies.json"], embedded_policies);
    let status = app.feed().status().unwrap();
    assert_eq!(status.version, 1, "the signed documents are intact");
    assert!(status.problem.as_deref().is_some_and(|p| p.contains("holidays/2027.json")), "{:?}", status.problem);
    assert!(status.files.iter().all(|f| f.name != "holidays/2027.json"), "not in force");
    assert_eq!(status.files.iter().find(|f| f.name == "policies.json").map(|f| f.version), Some(0));

    let report = sync(&app, &site).unwrap();
    assert!(!report.updated);
    assert_eq!(report.repaired, ["holidays/2027.json", "policies.json"]);
    assert_eq!(report.requests, 3, "a 304 for the timestamp, then the two files");
    assert_eq!(app.feed().file("holidays/2027.json").unwrap(), Some(year_2027()));
    assert!(app.dynamics().calendar().knows(2027), "the repaired year is in the calendar at once");
    assert_eq!(app.feed().status().unwrap().problem, None);
}

/// The version and expiry columns are copies for people; what the device believes comes from the
/// verified documents.
#[test]
fn a_version_column_changed_in_the_database_changes_nothing_believed() {
    let app = app();
    let site = MemorySite::new(demo_site(&content(), 2));
    sync(&app, &site).unwrap();
    sql(&app, "UPDATE feed_state SET manifest_version = 1, root_version = 7, expires = '2099-01-01T00:00:00'", []);
    let status = app.feed().status().unwrap();
    assert_eq!((status.version, status.root_version), (2, 1));
    assert_eq!(status.expires, Some("2027-03-01T00:00:00".parse().unwrap()));
    // Version 1 is still a rollback, of the timestamp and (under a newer timestamp) of the manifest.
    let err = sync(&app, &MemorySite::new(demo_site(&content(), 1))).unwrap_err();
    assert_eq!(err.to_string(), "feed update rejected: timestamp rollback: holding version 2, offered 1");
    let replay = retimestamped(demo_site(&content(), 1), 10, "2026-11-24T09:00:00+08:00");
    let err = sync(&app, &MemorySite::new(replay)).unwrap_err();
    assert_eq!(err.to_string(), "feed update rejected: manifest rollback: holding version 2, offered 1");
    // And a huge column does not block version 3.
    sql(&app, "UPDATE feed_state SET manifest_version = 9223372036854775807", []);
    assert_eq!(sync(&app, &MemorySite::new(demo_site(&content(), 3))).unwrap().version, 3);
}

// ---- the timestamp: freshness within days ----

/// `site` with its timestamp re-signed by the demo key: version `version`, expiring at `until`.
fn retimestamped(mut site: BTreeMap<String, Vec<u8>>, version: u64, until: &str) -> BTreeMap<String, Vec<u8>> {
    let t = publish::new_timestamp(&site[format::MANIFEST_FILE], version, expires(until), 1).unwrap();
    site.insert(format::TIMESTAMP_FILE.into(), publish::sign_timestamp(&t, &[&publish::demo_key()]).unwrap());
    site
}

fn at_day(dir: &std::path::Path, day: u32) -> Zhuanshu {
    let clock = Clock::fixed_on(NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default());
    Zhuanshu::open(Config { data_dir: Some(dir.into()), security_clock: clock.clone(), clock, ..Default::default() })
        .unwrap()
}

/// An attacker on the path replays what the site served (or the server answers 304 for ever): the
/// manifest is valid for months, but the device stops believing it is current when the two-day timestamp
/// runs out, and says so.
#[test]
fn a_frozen_timestamp_is_refused_after_its_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let site = MemorySite::new(retimestamped(demo_site(&content(), 1), 1, "2026-11-24T09:00:00+08:00"));
    sync(&at_day(dir.path(), 22), &site).unwrap();

    let app = at_day(dir.path(), 23);
    assert_eq!(sync(&app, &site).unwrap().requests, 1, "still fresh: one 304");
    assert!(app.feed().status().unwrap().fresh);
    drop(app);

    let app = at_day(dir.path(), 25);
    let status = app.feed().status().unwrap();
    assert_eq!((status.fresh, status.expired), (false, false), "the manifest is valid, the timestamp is not");
    assert_eq!(status.verified_until, Some("2026-11-24T09:00:00".parse().unwrap()));
    for attempt in ["a 304", "the same timestamp again"] {
        let err = sync(&app, &site).unwrap_err();
        assert_eq!(err.code(), "feed_expired", "{attempt}");
        assert!(matches!(&err, Error::FeedRejected { reason: Rejection::Expired { role: Role::Timestamp, .. } }));
        assert!(err.user_message().contains("内容更新已过期"), "{}", err.user_message());
        sql(&app, "UPDATE feed_state SET etag = NULL", []); // the next attempt: a plain 200
    }
    assert_eq!(app.feed().file("holidays/2027.json").unwrap(), Some(year_2027()), "content stays");

    // The publisher re-signs the timestamp: the same manifest, fresh again, one small request.
    site.put(retimestamped(demo_site(&content(), 1), 2, "2026-11-27T09:00:00+08:00"));
    let report = sync(&app, &site).unwrap();
    assert_eq!((report.updated, report.version, report.requests), (false, 1, 1));
    let status = app.feed().status().unwrap();
    assert!(status.fresh);
    assert_eq!(status.verified_until, Some("2026-11-27T09:00:00".parse().unwrap()));
    assert_eq!(status.checked_at, Some("2026-11-25T09:00:00".parse().unwrap()));
}

#[test]
fn a_rolled_back_timestamp_is_refused() {
    let app = app();
    let site = MemorySite::new(retimestamped(demo_site(&content(), 1), 5, "2026-11-24T09:00:00+08:00"));
    sync(&app, &site).unwrap();
    // An older timestamp of the same manifest, still unexpired.
    site.put(retimestamped(demo_site(&content(), 1), 4, "2026-11-24T00:00:00+08:00"));
    let err = sync(&app, &site).unwrap_err();
    assert!(matches!(
        err,
        Error::FeedRejected { reason: Rejection::Rollback { role: Role::Timestamp, held: 5, offered: 4 } }
    ));
}

/// The timestamp names one manifest by hash; a site serving another one (an older version a mirror
/// still has, or a mix of two publications) is refused before its signatures matter.
#[test]
fn a_manifest_that_does_not_match_the_timestamp_is_refused() {
    let app = app();
    let v1 = demo_site(&content(), 1);
    let mut mixed = demo_site(&content(), 2);
    mixed.insert(
        format::TIMESTAMP_FILE.into(),
        retimestamped(demo_site(&content(), 3), 3, "2026-11-24T09:00:00+08:00")[format::TIMESTAMP_FILE].clone(),
    );
    let err = sync(&app, &MemorySite::new(mixed)).unwrap_err();
    assert_eq!(err.code(), "feed_timestamp_mismatch");
    assert_eq!(app.feed().status().unwrap().version, 0);
    // The timestamp of version 1 in front of manifest 2 as well.
    let mut mixed = demo_site(&content(), 2);
    mixed.insert(format::TIMESTAMP_FILE.into(), v1[format::TIMESTAMP_FILE].clone());
    assert_eq!(sync(&app, &MemorySite::new(mixed)).unwrap_err().code(), "feed_timestamp_mismatch");
}

// ---- fast-forward recovery ----

/// A leaked manifest (and timestamp) key signed version i64::MAX, and the device applied it. Without
/// recovery no later version could ever be accepted. The publisher rotates to new keys (signed by the old
/// root keys); the version floors start again, and version 2 by the new keys is accepted.
#[test]
fn a_rotation_of_the_online_keys_recovers_from_a_fast_forward_attack() {
    let app = app();
    let (a, b) = (publish::demo_key(), SigningKey::from_seed(&[12; 32]));
    let far = expires("2027-03-01T00:00:00+08:00");
    let huge = i64::MAX as u64;
    let attack = publish::site(&content(), huge, far, &[embedded::ROOT_JSON], &[&a]).unwrap();
    assert_eq!(sync(&app, &MemorySite::new(attack)).unwrap().version, huge);
    let v2_by_a = publish::site(&content(), 2, far, &[embedded::ROOT_JSON], &[&a]).unwrap();
    assert_eq!(sync(&app, &MemorySite::new(v2_by_a)).unwrap_err().code(), "feed_rollback");

    // Only the root keys rotate: the online keys are the same, so the floors stay.
    let root_only = publish::new_root(2, expires("2036-01-01T00:00:00+08:00"), &[&b], 1, &[&a], 1, &[&a], 1);
    let root_only = publish::sign_root(&root_only, &[&a, &b]).unwrap();
    let site = publish::site(&content(), 2, far, &[embedded::ROOT_JSON, &root_only], &[&a]).unwrap();
    assert_eq!(sync(&app, &MemorySite::new(site)).unwrap_err().code(), "feed_rollback");

    // The online keys rotate to b: version 2 by b is accepted.
    let rotated = publish::new_root(2, expires("2036-01-01T00:00:00+08:00"), &[&a], 1, &[&b], 1, &[&b], 1);
    let rotated = publish::sign_root(&rotated, &[&a]).unwrap();
    let site = MemorySite::new(publish::site(&content(), 2, far, &[embedded::ROOT_JSON, &rotated], &[&b]).unwrap());
    let report = sync(&app, &site).unwrap();
    assert_eq!((report.updated, report.version, report.root_version), (true, 2, 2));
    let status = app.feed().status().unwrap();
    assert_eq!((status.version, status.root_version, status.problem), (2, 2, None));
    // From here on the floor is 2 again, and version 3 follows as usual.
    assert_eq!(sync(&app, &site).unwrap().requests, 1);
    site.put(publish::site(&content(), 3, far, &[embedded::ROOT_JSON, &rotated], &[&b]).unwrap());
    assert_eq!(sync(&app, &site).unwrap().version, 3);
}

// ---- where a device may sync from ----

/// Counts requests and answers 404: whether a sync got as far as the network.
#[derive(Default)]
struct Spy {
    requests: std::cell::Cell<u32>,
}

impl Transport for Spy {
    async fn get(&self, _url: &str, _etag: Option<&str>, _cap: u64) -> Result<Response> {
        self.requests.set(self.requests.get() + 1);
        Ok(Response { status: 404, etag: None, body: Vec::new(), truncated: false })
    }
}

#[test]
fn plain_http_is_refused_before_any_request_unless_it_stays_on_this_device() {
    let app = app();
    for url in ["http://example.invalid/feed/", "http://10.0.2.2:8080/feed/", "ftp://127.0.0.1/", "feed.example.cn/"] {
        let spy = Spy::default();
        let err = block_on(app.feed().sync(&spy, url)).unwrap().unwrap_err();
        assert_eq!((err.code(), spy.requests.get()), ("invalid_input", 0), "{url}");
        assert!(err.user_message().contains("https://"), "{}", err.user_message());
    }
    for url in ["http://127.0.0.1:9/feed/", "http://[::1]:9/", "http://localhost/", "https://feed.example.cn/"] {
        let spy = Spy::default();
        let err = block_on(app.feed().sync(&spy, url)).unwrap().unwrap_err();
        assert_eq!((err.code(), spy.requests.get()), ("network", 1), "{url}: the request was made");
    }
}

#[test]
fn signed_content_its_reader_refuses_is_not_applied() {
    // The site is signed by the trusted key, and its holiday year is JSON: only the calendar's own check,
    // handed to the feed by the content module, can refuse it.
    let app = app();
    let mut broken = content();
    broken.insert("holidays/2027.json".into(), b"[]".to_vec());
    let site = MemorySite::new(demo_site(&broken, 1));
    let e = sync(&app, &site).unwrap_err();
    assert_eq!(e.code(), "feed_invalid_content", "{e}");
    assert_eq!(app.feed().status().unwrap().version, 0, "nothing was applied");
    assert!(!app.dynamics().calendar().knows(2027));
}
