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
    Zhuanshu::open(Config { data_dir: None, clock }).unwrap()
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
    assert_eq!(report.requests, 3, "manifest, signatures, one file");
    assert!(app.dynamics().calendar().knows(2027), "the calendar sees the new year at once");
    assert!(!app.dynamics().workday("2027-02-08".parse().unwrap()).workday);
    let status = app.feed().status().unwrap();
    assert_eq!((status.version, status.expired, status.source.as_deref()), (1, false, Some(URL)));
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
    assert_eq!((one.updated, one.version, one.requests), (true, 2, 3));
    assert_eq!(one.changed, ["holidays/2027.json"]);
    assert!(one.bytes < 4096, "manifest + signature + one small file: {} bytes", one.bytes);
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
    let app = Zhuanshu::open(Config { data_dir: Some(dir.path().into()), clock: app().clock().clone() }).unwrap();
    sync(&app, &site).unwrap();
    drop(app);
    // The same device a day after the manifest's expiry; the server answers 304 for ever.
    let late = Clock::fixed_on(NaiveDate::from_ymd_opt(2027, 3, 2).unwrap_or_default());
    let app = Zhuanshu::open(Config { data_dir: Some(dir.path().into()), clock: late }).unwrap();
    let err = sync(&app, &site).unwrap_err();
    assert_eq!(err.code(), "feed_expired");
    assert!(app.feed().status().unwrap().expired);
    assert_eq!(app.feed().file("holidays/2027.json").unwrap(), Some(year_2027()), "content stays");
}

#[test]
fn a_device_walks_several_key_rotations_in_one_sync() {
    let (k1, k2, k3) = (publish::demo_key(), SigningKey::from_seed(&[2; 32]), SigningKey::from_seed(&[3; 32]));
    let far = expires("2036-01-01T00:00:00+08:00");
    let r2 = publish::sign_root(&publish::new_root(2, far, &[&k2], 1, &[&k2], 1), &[&k1, &k2]).unwrap();
    let r3 = publish::sign_root(&publish::new_root(3, far, &[&k3], 1, &[&k3], 1), &[&k2, &k3]).unwrap();
    let roots: [&[u8]; 3] = [embedded::ROOT_JSON, &r2, &r3];
    let site = publish::site(&content(), 1, expires("2027-03-01T00:00:00+08:00"), &roots, &[&k3]).unwrap();
    let app = app();
    let report = sync(&app, &MemorySite::new(site)).unwrap();
    assert_eq!((report.root_version, report.requests), (3, 5), "manifest, roots 2 and 3, signatures, one file");
    // From now on only the newest keys count: the demo key can no longer sign a manifest.
    let old_keys = publish::site(&content(), 2, expires("2027-03-01T00:00:00+08:00"), &roots, &[&k1]).unwrap();
    let err = sync(&app, &MemorySite::new(old_keys)).unwrap_err();
    assert_eq!(err.code(), "feed_unknown_key");
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
