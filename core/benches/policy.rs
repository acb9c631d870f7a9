//! The policy checkup at scale: 10,000 synthetic policies (the real catalog's 72, copied with varied
//! regions, thresholds, tags, ages and windows) judged for one company. Target: ≤ 5 ms per checkup.
//!
//! Prints a table: for each measurement, the median (p50) and the worst of several runs.
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

/// CPU time this thread has run, from the kernel's scheduler statistics (Linux); `None` elsewhere. On a
/// busy machine wall time also counts the time other processes had the core.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(text.split_whitespace().next()?.parse().ok()?))
}

struct Stats {
    wall: (Duration, Duration),
    cpu: Option<(Duration, Duration)>,
}

fn p50_worst(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

/// p50 and worst of `RUNS` runs of `f` (result dropped inside the timing), wall and CPU time.
fn measure<T>(mut f: impl FnMut() -> T) -> Stats {
    for _ in 0..3 {
        black_box(f());
    }
    let mut wall = Vec::with_capacity(RUNS);
    let mut cpu = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let c = cpu_time();
        let t = Instant::now();
        black_box(f());
        wall.push(t.elapsed());
        if let (Some(before), Some(after)) = (c, cpu_time()) {
            cpu.push(after.saturating_sub(before));
        }
    }
    Stats { wall: p50_worst(wall), cpu: (cpu.len() == RUNS).then(|| p50_worst(cpu)) }
}

fn row(name: &str, s: &Stats) {
    let (cpu50, cpu_worst) = s.cpu.map(|(a, b)| (ms(a), ms(b))).unwrap_or_default();
    println!("| {name:<44} | {:>10} | {:>10} | {:>10} | {:>10} |", ms(s.wall.0), ms(s.wall.1), cpu50, cpu_worst);
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
    println!("{RUNS} runs each; wall = elapsed time, cpu = this thread's CPU time");
    println!(
        "| {:<44} | {:>10} | {:>10} | {:>10} | {:>10} |",
        "measurement", "wall p50", "wall worst", "cpu p50", "cpu worst"
    );
    println!("|{}|{}|{}|{}|{}|", "-".repeat(46), "-".repeat(12), "-".repeat(12), "-".repeat(12), "-".repeat(12));
    row("checkup, 10,000 policies, no interest", &plain);
    row(&format!("checkup, 10,000 policies, {} signals", signals.len()), &learned);
    row(&format!("learn interest from {} signals", signals.len()), &learn);
    println!(
        "| {:<44} | {:>10} | {:>10} | {:>10} | {:>10} |",
        "parse + validate + compile 10,000 (once)",
        ms(parse_once),
        "",
        "",
        ""
    );
    println!();
    let best = learned.cpu.map(|c| c.0).unwrap_or(learned.wall.0);
    let verdict = if best <= TARGET { "met" } else { "MISSED" };
    println!("target: checkup with interest, p50 (cpu) ≤ {} — {verdict}", ms(TARGET));
}
