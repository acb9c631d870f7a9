//! Dynamics for a busy company: 50 licences, 200 application records, 10 reminders.
//!
//! - `year_of_lists`: the list for every day of 2026 (365 evaluations), what a year of app starts costs;
//! - `one_list`: one evaluation;
//! - `notifications_64`: the next 64 notifications (the rules over 400 days ahead);
//! - `ics_export`: the .ics of the coming year.
//!
//! Run with `cargo bench -p zhuanshu-core --bench dynamics`.

use std::hint::black_box;

use chrono::{Duration, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use zhuanshu::calendar::Calendar;
use zhuanshu::dossier::licence::kinds;
use zhuanshu::dossier::{
    Channel, Company, CompanyType, Licence, LicenceData, Record, RecordData, RecordStatus, StatusChange, TaxpayerKind,
};
use zhuanshu::dynamics::{CompanyFacts, Marks, Reminder, ReminderData, Repeat, evaluate, ics, schedule};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn busy_company() -> CompanyFacts {
    let start = day("2025-06-01");
    let company = Company {
        uscc: "91310115MA1K3YJ5AX".into(),
        name: "上海示例集团有限公司".into(),
        company_type: CompanyType::LimitedLiability,
        legal_representative: "王𠈌".into(),
        registered_capital_fen: 1_000_000_000,
        established_on: day("2010-01-01"),
        address: "上海市浦东新区张江路1号".into(),
        district: "310115".into(),
        industry: "I65".into(),
        employees: 400,
        revenue_fen: 0,
        total_assets_fen: None,
        taxpayer_kind: TaxpayerKind::General,
        credit_grade: None,
        tags: Vec::new(),
    };
    let mut facts = CompanyFacts::new(company);
    let catalog = kinds();
    for i in 0..50i64 {
        let kind = &catalog[(i as usize) % catalog.len()];
        // Expiry dates spread over two years, so every milestone of every rule occurs in the year.
        let until = kind.validity_years.map(|_| start + Duration::days(i * 15));
        facts.licences.push(Licence {
            id: i + 1,
            uscc: facts.company.uscc.clone(),
            data: LicenceData {
                kind: kind.code.clone(),
                number: format!("NO-{i:04}"),
                issuer: kind.issuer.clone(),
                issued_on: day("2020-01-01"),
                valid_until: until,
                scope: String::new(),
            },
            kind_name: kind.name.clone(),
            days_left: None,
        });
    }
    let statuses =
        [RecordStatus::Accepted, RecordStatus::Reviewing, RecordStatus::NeedsCorrection, RecordStatus::Completed];
    for i in 0..200i64 {
        let submitted = start + Duration::days(i * 2);
        let mut history =
            vec![StatusChange { status: RecordStatus::Submitted, at: submitted.and_hms_opt(9, 0, 0).expect("time") }];
        for (k, status) in statuses.iter().take((i % 4) as usize).enumerate() {
            let at = submitted + Duration::days(3 * (k as i64 + 1));
            history.push(StatusChange { status: *status, at: at.and_hms_opt(10, 0, 0).expect("time") });
        }
        facts.records.push(Record {
            id: i + 1,
            uscc: facts.company.uscc.clone(),
            data: RecordData {
                item_code: format!("SH-{i:04}"),
                item_name: if i == 7 { "2025年度报告".into() } else { format!("事项{i}") },
                channel: Channel::Online,
                submitted_on: submitted,
            },
            history,
        });
    }
    for i in 0..10i64 {
        let repeat = [Repeat::Once, Repeat::Monthly, Repeat::Quarterly, Repeat::Yearly][(i % 4) as usize];
        facts.reminders.push(Reminder {
            id: i + 1,
            uscc: facts.company.uscc.clone(),
            data: ReminderData {
                title: format!("提醒{i}"),
                detail: String::new(),
                due: start + Duration::days(i * 20),
                repeat,
            },
        });
    }
    facts
}

fn bench(c: &mut Criterion) {
    let facts = busy_company();
    let cal = Calendar::official();
    let first = day("2026-01-01");
    let items: usize = (0..365).map(|i| evaluate(&facts, cal, first + Duration::days(i)).len()).sum();
    println!("50 licences, 200 records, 10 reminders: {items} items over 365 days ({:.1} a day)", items as f64 / 365.0);

    c.bench_function("year_of_lists", |b| {
        b.iter(|| {
            let mut n = 0;
            for i in 0..365 {
                n += evaluate(black_box(&facts), cal, first + Duration::days(i)).len();
            }
            n
        })
    });
    c.bench_function("one_list", |b| b.iter(|| evaluate(black_box(&facts), cal, day("2026-06-15"))));
    let companies = [(facts.clone(), Marks::default())];
    let now = day("2026-01-01").and_hms_opt(8, 0, 0).expect("time");
    c.bench_function("notifications_64", |b| {
        b.iter(|| schedule::notifications(black_box(&companies), cal, now, 64, schedule::default_time()))
    });
    c.bench_function("ics_export", |b| b.iter(|| ics::export(black_box(&facts), cal, &Marks::default(), now)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
