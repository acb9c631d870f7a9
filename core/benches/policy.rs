//! The policy checkup at scale: 10,000 synthetic policies (the real catalog's 72, copied with varied
//! regions, thresholds, tags, ages and windows) judged for one company. Target: ≤ 5 ms per checkup.
//!
//! Prints a table: for each measurement, the median (p50), the worst and the best of several runs (wall
//! time; on a shared machine the best is closest to the uncontended cost).
//! Run with `cargo bench -p zhuanshu-core --bench policy`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::{Value, json};
use zhuanshu::content::demo_companies;
use zhuanshu::dossier::CompanyOverview;
use zhuanshu::policy::checkup::checkup;
use zhuanshu::policy::{Catalog, Interest, Profile, Signal, SignalKind, Verdict, parse_catalog};

const POLICIES: usize = 10_000;
const RUNS: usize = 50;
const TARGET: Duration = Duration::from_millis(5);

const REGIONS: &[&[&str]] = &[&[], &["31"], &["310115"], &["310104"], &["310112"], &["44"], &["3101"], &[]];
const TAGS: &[&str] = &["高新技术企业", "专精特新", "科技型中小企业", "软件企业", "外贸企业", "绿色工厂", "首次贷款"];

/// Varies a condition tree: thresholds scaled, ages shifted, tags rotated.
fn vary(cond: &mut Value, i: usize) {
    let key = if cond.get("all").is_some() { "all" } else { "any" };
    if let Some(items) = cond.get_mut(key).and_then(Value::as_array_mut) {
        for (k, c) in items.iter_mut().enumerate() {
            vary(c, i + k);
        }
        return;
    }
    if let Some(inner) = cond.get_mut("not") {
        vary(inner, i);
        return;
    }
    let field = cond["field"].as_str().unwrap_or_default().to_owned();
    let op = cond["op"].as_str().unwrap_or_default().to_owned();
    match (field.as_str(), op.as_str()) {
        ("age_years", _) => cond["value"] = json!((i % 9) as i64),
        ("employees" | "revenue_fen" | "total_assets_fen" | "registered_capital_fen", _) => {
            let v = cond["value"].as_i64().unwrap_or(1);
            cond["value"] = json!(v / 2 + v * ((i % 5) as i64) / 2);
        }
        ("tags", "has") => cond["value"] = json!(TAGS[i % TAGS.len()]),
        _ => {}
    }
}

fn synthetic_catalog() -> String {
    let real: Value = serde_json::from_str(include_str!("../content/policies/policies.json")).expect("catalog");
    let real = real["policies"].as_array().expect("policies").clone();
    let start = NaiveDate::from_ymd_opt(2026, 9, 1).expect("date");
    let policies: Vec<Value> = (0..POLICIES)
        .map(|i| {
            let mut p = real[i % real.len()].clone();
            p["id"] = json!(format!("{}-{i}", p["id"].as_str().unwrap_or("p")));
            p["regions"] = json!(REGIONS[i % REGIONS.len()]);
            p["published_on"] = json!("2026-01-01");
            if i % 3 == 0 {
                let opens = start + chrono::Duration::days((i % 120) as i64);
                let closes = opens + chrono::Duration::days(20 + (i % 60) as i64);
                p["window"] = json!({"opens": opens, "closes": closes});
            }
            vary(&mut p["eligibility"], i);
            p
        })
        .collect();
    json!({"version": 1, "policies": policies}).to_string()
}

/// How many timed runs: `POLICY_BENCH_RUNS` (for instruction counts with `perf stat`), else `RUNS`.
fn runs() -> usize {
    std::env::var("POLICY_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).filter(|&r| r > 0).unwrap_or(RUNS)
}

/// (best, p50, worst) wall time of the timed runs of `f`, after 3 warm-up runs; the result is dropped
/// inside the timing, as an app would.
fn measure<T>(mut f: impl FnMut() -> T) -> (Duration, Duration, Duration) {
    for _ in 0..3 {
        black_box(f());
    }
    let mut times: Vec<Duration> = (0..runs())
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[times.len() / 2], times[times.len() - 1])
}

fn row(name: &str, (best, p50, worst): (Duration, Duration, Duration)) {
    println!("| {name:<44} | {:>10} | {:>10} | {:>10} |", ms(p50), ms(worst), ms(best));
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let json = synthetic_catalog();
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
    let t = Instant::now();
    let catalog: Catalog = parse_catalog(&json).expect("synthetic catalog is valid");
    let parse_once = t.elapsed();
    let company = demo_companies(today).expect("demo")[0].company.clone();
    let profile = Profile::new(&CompanyOverview::derive(company, true, today));
    let signals: Vec<Signal> = catalog
        .policies()
        .step_by(50)
        .enumerate()
        .map(|(k, p)| Signal {
            policy_id: p.id.clone(),
            kind: p.kind,
            issuer: p.issuer.clone(),
            action: if k % 4 == 0 { SignalKind::Save } else { SignalKind::Open },
            on: today - chrono::Duration::days((k % 90) as i64),
        })
        .collect();
    let interest = Interest::learn(&signals, today);

    let checks = checkup(&catalog, &profile, today, &interest);
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    println!(
        "{} policies, {} in the company's regions: {} eligible, {} near miss, {} not eligible; {} condition lines",
        catalog.len(),
        checks.len(),
        count(Verdict::Eligible),
        count(Verdict::NearMiss),
        count(Verdict::NotEligible),
        checks.iter().map(|c| c.conditions.len()).sum::<usize>(),
    );

    let plain = measure(|| checkup(&catalog, &profile, today, &Interest::default()));
    let learned = measure(|| checkup(&catalog, &profile, today, &interest));
    let learn = measure(|| Interest::learn(&signals, today));
    println!();
    println!("{} timed runs each (wall time)", runs());
    println!("| {:<44} | {:>10} | {:>10} | {:>10} |", "measurement", "p50", "worst", "best");
    println!("|{}|{}|{}|{}|", "-".repeat(46), "-".repeat(12), "-".repeat(12), "-".repeat(12));
    row("checkup, 10,000 policies, no interest", plain);
    row(&format!("checkup, 10,000 policies, {} signals", signals.len()), learned);
    row(&format!("learn interest from {} signals", signals.len()), learn);
    println!(
        "| {:<44} | {:>10} | {:>10} | {:>10} |",
        "parse + validate + compile 10,000 (once)",
        ms(parse_once),
        "",
        ""
    );
    println!();
    let verdict = if learned.1 <= TARGET { "met" } else { "MISSED (on this machine, at this load)" };
    println!("target: checkup with interest, p50 ≤ {} — {verdict}", ms(TARGET));
}
