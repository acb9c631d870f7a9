//! The notification schedule: the next N notifications, for the front ends to hand to the OS
//! (Android AlarmManager / WorkManager, iOS UNUserNotificationCenter), which cannot run the rules
//! themselves while the app sleeps.
//!
//! One notification per item per milestone, at a fixed local time (default 09:00 Asia/Shanghai):
//! - `new`: the day a milestone item first shows (年报 window opening, 30 and 7 days before; a licence's
//!   90/30/7-day marks, its lapse; a stalled application). Items rated by their days left (tax filings,
//!   reminders, external items) do not announce themselves, or a monthly filing would ring three times;
//! - `d3` and `d0`: three days before, and on, the due day of any deadline still shown then;
//! - `again`: the day a snoozed item comes back.
//!
//! Several milestones of one item on the same day make one notification. Notification ids are
//! `{dynamic id}#{milestone}@{uscc}`: stable across runs, so re-scheduling replaces instead of adding, and
//! unique across companies.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Asia::Shanghai;
use serde::Serialize;

use super::{CompanyFacts, Draft, Level, Marks, Severity, Span, drafts, shift};
use crate::calendar::Calendar;
use crate::error::{Error, Result};

/// How far ahead the schedule looks: beyond a year, so yearly milestones are always in it.
const HORIZON_DAYS: i64 = 400;

/// How many notifications the phones schedule ahead: iOS keeps at most 64 pending local notifications,
/// and a month of deadlines for a few companies fits well below.
pub const DEFAULT_COUNT: u32 = 30;

/// A time of day as an owner sets it (`09:00`, `9:30`).
pub fn time_of_day(text: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        Error::invalid("at", format!("提醒时间应为 HH:MM：{text}"), format!("at: not a time of day: {text}"))
    })
}

/// 09:00, when offices open.
pub fn default_time() -> NaiveTime {
    NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Notification {
    /// `{dynamic id}#{milestone}@{uscc}`.
    pub id: String,
    pub dynamic_id: String,
    pub uscc: String,
    pub company_name: String,
    /// Local time, Asia/Shanghai.
    pub at: NaiveDateTime,
    /// The same instant as Unix seconds, for OS schedulers whatever the device's zone.
    pub timestamp: i64,
    pub title: String,
    pub body: String,
    /// The item's severity on that day.
    pub severity: Severity,
    /// Whether the OS should show it as important (see [`Severity::important`]).
    pub important: bool,
}

fn unix_seconds(local: NaiveDateTime) -> i64 {
    // China has had no daylight saving time since 1991, so every local time exists exactly once.
    match Shanghai.from_local_datetime(&local).earliest() {
        Some(t) => t.timestamp(),
        None => (local - Duration::hours(8)).and_utc().timestamp(),
    }
}

fn when(due: NaiveDate, day: NaiveDate) -> String {
    let left = (due - day).num_days();
    match left {
        1.. => format!("还有{left}天到期（{due}）"),
        0 => "今天到期".to_owned(),
        _ => format!("已逾期{}天", -left),
    }
}

/// The milestone days of one draft from `today` on, given the owner's marks: `(day, milestone)`.
fn milestones(d: &Draft, marks: &Marks, today: NaiveDate) -> BTreeMap<NaiveDate, &'static str> {
    let mut days: BTreeMap<NaiveDate, &'static str> = BTreeMap::new();
    if marks.closed(&d.id, &d.subject) {
        return days;
    }
    let snoozed = marks.snoozed_until(&d.id);
    let mut candidates: Vec<(NaiveDate, &'static str)> = Vec::new();
    if matches!(d.level, Level::Fixed(_)) && d.shown.0 != NaiveDate::MIN {
        candidates.push((d.shown.0, "new"));
    }
    if let Some(until) = snoozed {
        candidates.push((until, "again"));
    }
    if d.is_deadline() {
        candidates.push((d.due, "d0"));
        candidates.push((shift(d.due, -3), "d3"));
    }
    for (day, key) in candidates {
        let shown = d.shown.0 <= day && day <= d.shown.1;
        let awake = snoozed.is_none_or(|until| day >= until);
        if shown && awake && day >= today {
            days.entry(day).or_insert(key);
        }
    }
    days
}

/// The next `count` notifications strictly after `now`, over every company given.
pub fn notifications(
    companies: &[(CompanyFacts, Marks)],
    cal: &Calendar,
    now: NaiveDateTime,
    count: usize,
    at: NaiveTime,
) -> Vec<Notification> {
    let today = now.date();
    let span = Span::new(today, shift(today, HORIZON_DAYS));
    let mut out: Vec<Notification> = Vec::new();
    for (facts, marks) in companies {
        let uscc = &facts.company.uscc;
        for d in drafts(facts, cal, span) {
            for (day, key) in milestones(&d, marks, today) {
                let local = day.and_time(at);
                if local <= now {
                    continue;
                }
                let dynamic = d.to_dynamic(cal, day);
                let body =
                    if d.is_deadline() { format!("{}。{}", when(d.due, day), d.detail) } else { d.detail.clone() };
                out.push(Notification {
                    id: format!("{}#{key}@{uscc}", d.id),
                    dynamic_id: d.id.clone(),
                    uscc: uscc.clone(),
                    company_name: facts.company.name.clone(),
                    at: local,
                    timestamp: unix_seconds(local),
                    title: d.title.clone(),
                    body,
                    severity: dynamic.severity,
                    important: dynamic.severity.important(),
                });
            }
        }
    }
    out.sort_by(|a, b| (a.at, a.severity, &a.id).cmp(&(b.at, b.severity, &b.id)));
    out.truncate(count);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::super::testing::*;
    use super::super::{DynamicState, StateKind};
    use super::*;
    use crate::dossier::{Licence, LicenceData};

    fn licensed() -> CompanyFacts {
        let mut f = facts();
        f.licences.push(Licence {
            id: 42,
            uscc: f.company.uscc.clone(),
            data: LicenceData {
                kind: "pollutant_discharge".into(),
                number: "91310115MA1K3YJ5AX001P".into(),
                issuer: "上海市浦东新区生态环境局".into(),
                issued_on: date("2022-03-01"),
                valid_until: Some(date("2027-03-01")),
                scope: String::new(),
            },
            kind_name: "排污许可证".into(),
            days_left: None,
        });
        f
    }

    fn at(d: &str, h: u32) -> NaiveDateTime {
        date(d).and_hms_opt(h, 0, 0).unwrap()
    }

    #[test]
    fn a_time_of_day_is_read_or_refused_with_the_field() {
        assert_eq!(time_of_day(" 9:30 ").unwrap(), NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        let e = time_of_day("9点").unwrap_err();
        assert_eq!(
            (e.issues()[0].path.as_str(), e.issues()[0].user_message.as_str()),
            ("at", "提醒时间应为 HH:MM：9点")
        );
        assert!(time_of_day("25:00").is_err());
    }

    #[test]
    fn milestones_of_a_licence_and_tax_deadlines() {
        let f = licensed();
        let list =
            notifications(&[(f, Marks::default())], Calendar::official(), at("2026-10-01", 8), 200, default_time());
        let ids: Vec<&str> = list.iter().map(|n| n.id.as_str()).collect();
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "never duplicated");
        // Renewal deadline 60 days before 2027-03-01 = 2026-12-31: new at 90/30/7 days, then d3 and d0.
        let renew: Vec<(String, NaiveDateTime)> = list
            .iter()
            .filter(|n| n.dynamic_id.starts_with("licence:42:2027-03-01:renew"))
            .map(|n| (n.id.split('@').next().unwrap().to_owned(), n.at))
            .collect();
        let s = "licence:42:2027-03-01:renew";
        assert_eq!(
            renew,
            [
                (format!("{s}:90#new"), at("2026-10-02", 9)),
                (format!("{s}:30#new"), at("2026-12-01", 9)),
                (format!("{s}:7#new"), at("2026-12-24", 9)),
                (format!("{s}:7#d3"), at("2026-12-28", 9)),
                (format!("{s}:7#d0"), at("2026-12-31", 9)),
                (format!("{s}:late#new"), at("2027-01-01", 9)),
            ]
        );
        // Tax: three days before and on the day, not when the next period appears.
        let vat: Vec<&str> = ids.iter().copied().filter(|i| i.starts_with("tax:vat:2026-09")).collect();
        assert_eq!(vat.len(), 2, "{vat:?}");
        let first = list.iter().find(|n| n.id.starts_with("tax:vat:2026-09#d0")).unwrap();
        assert_eq!(first.at, at("2026-10-26", 9));
        assert!(first.body.starts_with("今天到期"));
        assert_eq!(first.timestamp, 1_792_976_400, "2026-10-26 01:00 UTC");
        // Sorted by time.
        assert!(list.windows(2).all(|w| w[0].at <= w[1].at));
    }

    #[test]
    fn only_future_notifications_count_and_the_time_is_configurable() {
        let f = licensed();
        let marks = Marks::default();
        let companies = [(f, marks)];
        let at_nine = notifications(&companies, Calendar::official(), at("2026-10-02", 8), 1, default_time());
        assert_eq!(at_nine[0].at, at("2026-10-02", 9));
        let after_nine = notifications(&companies, Calendar::official(), at("2026-10-02", 10), 1, default_time());
        assert!(after_nine[0].at > at("2026-10-02", 10));
        let evening = NaiveTime::from_hms_opt(18, 30, 0).unwrap();
        let list = notifications(&companies, Calendar::official(), at("2026-10-02", 10), 1, evening);
        assert_eq!(list[0].at, date("2026-10-02").and_time(evening));
    }

    #[test]
    fn marks_remove_or_move_notifications() {
        let f = licensed();
        let t = at("2026-10-01", 8);
        let state = |id: &str, subject: &str, state, until| DynamicState {
            dynamic_id: id.into(),
            subject: subject.into(),
            state,
            until,
            at: t,
        };
        let s = "licence:42:2027-03-01:renew";
        let done = Marks::new(&[state(&format!("{s}:90"), s, StateKind::Done, None)]);
        let list = notifications(&[(f.clone(), done)], Calendar::official(), t, 500, default_time());
        assert!(!list.iter().any(|n| n.dynamic_id.starts_with(s)), "done closes every milestone");

        let snoozed = Marks::new(&[state(&format!("{s}:90"), s, StateKind::Snoozed, Some(date("2026-11-15")))]);
        let list = notifications(&[(f, snoozed)], Calendar::official(), t, 500, default_time());
        let ninety: Vec<&Notification> = list.iter().filter(|n| n.dynamic_id == format!("{s}:90")).collect();
        assert_eq!(ninety.len(), 1);
        assert_eq!(
            (ninety[0].id.split('@').next().unwrap(), ninety[0].at),
            (format!("{s}:90#again").as_str(), at("2026-11-15", 9))
        );
    }
}
