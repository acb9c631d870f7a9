//! What keeping content up to date costs a device: requests and bytes per sync, and the time to verify
//! and apply.
//!
//! - first sync after install: only files that differ from the embedded copies travel;
//! - `unchanged`: the device holds the current version and the server answers its ETag with a 304;
//! - `one_file_changed`: the publisher corrected one holiday year; manifest, signatures and that file travel.
//!
//! The site is in memory (the sync logic is sans-I/O), so the times are the device's own work: signature
//! checks, hashing, parsing and the SQLite transaction. Bytes are HTTP bodies; each request adds its
//! headers on the wire (about 250 bytes with nginx). Run with `cargo bench -p zhuanshu-core --bench feed`.

use std::collections::BTreeMap;
use std::hint::black_box;

use chrono::{DateTime, NaiveDate};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use zhuanshu::feed::publish;
use zhuanshu::feed::transport::{MemorySite, block_on};
use zhuanshu::feed::{SyncReport, embedded};
use zhuanshu::{Clock, Config, Zhuanshu};

fn app() -> Zhuanshu {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    Zhuanshu::open(Config { data_dir: None, clock: Clock::fixed_on(today), ..Default::default() }).expect("open")
}

/// The embedded content, next year's holidays (first day off given), and a larger policy catalog.
fn content(new_year: &str) -> BTreeMap<String, Vec<u8>> {
    let mut c: BTreeMap<String, Vec<u8>> =
        embedded::files().iter().map(|(n, f)| (n.clone(), f.bytes.clone())).collect();
    let year = format!(
        r#"{{"year": 2027, "papers": [], "days": [{{"name": "元旦", "date": "{new_year}", "isOffDay": true}},
            {{"name": "春节", "date": "2027-02-08", "isOffDay": true}}]}}"#
    );
    c.insert("holidays/2027.json".into(), year.into_bytes());
    let mut policies = c["policies.json"].clone();
    policies.extend_from_slice(b"\n");
    c.insert("policies.json".into(), policies);
    c
}

fn site(version: u64, new_year: &str) -> BTreeMap<String, Vec<u8>> {
    let expires = DateTime::parse_from_rfc3339("2027-03-01T00:00:00+08:00").expect("expiry");
    publish::site(&content(new_year), version, expires, &[embedded::ROOT_JSON], &[&publish::demo_key()]).expect("site")
}

fn sync(app: &Zhuanshu, site: &MemorySite) -> SyncReport {
    block_on(app.feed().sync(site, MemorySite::BASE)).expect("runtime").expect("sync")
}

fn row(name: &str, r: &SyncReport) {
    println!("{name:<28} {:>8} {:>12}   {}", r.requests, r.bytes, r.changed.join(", "));
}

fn bench(c: &mut Criterion) {
    let v1 = site(1, "2027-01-01");
    let v2 = site(2, "2027-01-04");
    let total: usize = embedded::files().values().map(|f| f.bytes.len()).sum();
    println!("content: {} files, {total} bytes embedded", embedded::files().len());
    println!("{:<28} {:>8} {:>12}   changed", "sync", "requests", "body bytes");
    let app_ = app();
    let server = MemorySite::new(v1.clone());
    row("first (from embedded)", &sync(&app_, &server));
    row("unchanged (304)", &sync(&app_, &server));
    server.put(v2.clone());
    row("one file changed", &sync(&app_, &server));
    row("unchanged again (304)", &sync(&app_, &server));

    let mut group = c.benchmark_group("feed");
    group.sample_size(30);
    group.bench_function("unchanged", |b| b.iter(|| black_box(sync(&app_, &server))));
    group.bench_function("one_file_changed", |b| {
        b.iter_batched(
            || {
                let app = app();
                let server = MemorySite::new(v1.clone());
                sync(&app, &server);
                server.put(v2.clone());
                (app, server)
            },
            |(app, server)| black_box(sync(&app, &server)),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
