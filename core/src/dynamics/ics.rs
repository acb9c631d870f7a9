//! iCalendar export (RFC 5545) of a company's deadlines over the coming year, for the owner's phone or
//! desktop calendar.
//!
//! One all-day VEVENT per obligation (subject) with a deadline still ahead, whatever milestone it is at,
//! with two VALARMs: 09:00 seven days before and 09:00 the day before. The UID is
//! `{subject}@{uscc}.zhuanshu`: the subject, not the milestone id, so an event keeps its UID while the
//! obligation moves from "90 days" to "7 days", and importing a newer export updates events instead of
//! duplicating them. Deadlines the owner marked done are left out.
//!
//! Writing rules (RFC 5545 §3.1, §3.3.11): CRLF line ends; lines folded at 75 octets with CRLF + space,
//! never inside a UTF-8 sequence (Chinese characters are 3 octets); TEXT values escape `\`, `;`, `,` and
//! newlines.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime, TimeZone};
use chrono_tz::Asia::Shanghai;

use super::{Action, CompanyFacts, Draft, Marks, Span, drafts, shift};
use crate::calendar::Calendar;

/// How far ahead the export reaches.
const HORIZON_DAYS: i64 = 366;

/// Escapes a TEXT value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no line exceeds 75 octets, and its CRLF.
pub fn push_line(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

fn utc_stamp(local: NaiveDateTime) -> String {
    let utc = match Shanghai.from_local_datetime(&local).earliest() {
        Some(t) => t.naive_utc(),
        None => local - Duration::hours(8),
    };
    utc.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The deadlines to export: per subject, the earliest milestone still ahead of its due day.
fn events(facts: &CompanyFacts, cal: &Calendar, marks: &Marks, now: NaiveDateTime) -> Vec<Draft> {
    let today = now.date();
    let mut by_subject: BTreeMap<String, Draft> = BTreeMap::new();
    for d in drafts(facts, cal, Span::new(today, shift(today, HORIZON_DAYS))) {
        // Deadlines only, still ahead, and not the after-the-fact items (late, expired, overdue).
        if !d.is_deadline() || d.due < today || d.shown.0 > d.due || marks.closed(&d.id, &d.subject) {
            continue;
        }
        match by_subject.get(&d.subject) {
            Some(kept) if kept.shown.0 <= d.shown.0 => {}
            _ => {
                by_subject.insert(d.subject.clone(), d);
            }
        }
    }
    let mut list: Vec<Draft> = by_subject.into_values().collect();
    list.sort_by(|a, b| (a.due, &a.subject).cmp(&(b.due, &b.subject)));
    list
}

/// The .ics text.
pub fn export(facts: &CompanyFacts, cal: &Calendar, marks: &Marks, now: NaiveDateTime) -> String {
    let company = &facts.company;
    let stamp = utc_stamp(now);
    let mut out = String::new();
    let mut line = |l: &str| push_line(&mut out, l);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Zhuanshu//Dynamics 1.0//ZH");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape(&format!("{}·专属动态", company.name))));
    line("X-WR-TIMEZONE:Asia/Shanghai");
    for d in events(facts, cal, marks, now) {
        let title = escape(&d.title);
        let mut description = d.detail.clone();
        if d.estimated {
            description.push_str("\n（该日期依据尚未公布的节假日安排估算，请以官方公布为准。）");
        }
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape(&format!("{}@{}.zhuanshu", d.subject, company.uscc))));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!("DTSTART;VALUE=DATE:{}", d.due.format("%Y%m%d")));
        line(&format!("DTEND;VALUE=DATE:{}", shift(d.due, 1).format("%Y%m%d")));
        line(&format!("SUMMARY:{title}"));
        line(&format!("DESCRIPTION:{}", escape(&description)));
        line(&format!("CATEGORIES:{}", escape(d.kind.label())));
        if let Some(Action::Website { url }) = &d.action {
            line(&format!("URL:{url}"));
        }
        line("TRANSP:TRANSPARENT");
        // Triggers are relative to the start of the all-day event (00:00 local): 09:00 seven days
        // before is −6 days 15 hours, 09:00 the day before is −15 hours.
        for (trigger, when) in [("-P6DT15H", "7天后到期"), ("-PT15H", "明天到期")] {
            line("BEGIN:VALARM");
            line("ACTION:DISPLAY");
            line(&format!("DESCRIPTION:{}", escape(&format!("{when}：{}", d.title))));
            line(&format!("TRIGGER:{trigger}"));
            line("END:VALARM");
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::NaiveDate;
    use icalendar::Component;

    use super::super::testing::*;
    use super::super::{DynamicState, StateKind};
    use super::*;
    use crate::dossier::{Licence, LicenceData};

    fn sample() -> CompanyFacts {
        let mut f = facts();
        f.company.name = "上海示例科技有限公司, 含逗号; 分号\\反斜杠".into();
        f.licences.push(Licence {
            id: 42,
            uscc: f.company.uscc.clone(),
            data: LicenceData {
                kind: "food_business".into(),
                number: "JY23101150012345".into(),
                issuer: "上海市浦东新区市场监督管理局".into(),
                issued_on: date("2021-12-01"),
                valid_until: Some(date("2027-06-30")),
                scope: String::new(),
            },
            kind_name: "食品经营许可证".into(),
            days_left: None,
        });
        f
    }

    fn now() -> NaiveDateTime {
        date("2026-11-21").and_hms_opt(10, 30, 0).unwrap()
    }

    #[test]
    fn folding_never_splits_a_character_and_escapes_text() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "申报纳税期限顺延".repeat(12));
        push_line(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{long}\r\n"), "unfolding restores the line");
        assert_eq!(escape("a,b;c\\d\r\ne\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn the_export_is_valid_icalendar_with_the_deadlines_and_stable_uids() {
        let facts = sample();
        let text = export(&facts, Calendar::official(), &Marks::default(), now());
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "only CRLF line ends");
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }

        // Parse with an independent RFC 5545 parser.
        let unfolded = icalendar::parser::unfold(&text);
        let parsed = icalendar::parser::read_calendar(&unfolded).expect("parses");
        let calendar: icalendar::Calendar = parsed.into();
        let events: Vec<&icalendar::Event> = calendar.components.iter().filter_map(|c| c.as_event()).collect();
        let by_uid: std::collections::HashMap<String, &icalendar::Event> =
            events.iter().map(|e| (e.get_uid().unwrap().to_owned(), *e)).collect();
        assert_eq!(by_uid.len(), events.len(), "UIDs are unique");

        let start = |uid: &str| -> NaiveDate {
            match by_uid.get(uid).unwrap_or_else(|| panic!("{uid} in {:?}", by_uid.keys())).get_start() {
                Some(icalendar::DatePerhapsTime::Date(d)) => d,
                other => panic!("{uid}: all-day date expected, got {other:?}"),
            }
        };
        let uscc = &facts.company.uscc;
        // October 2026 VAT for a general taxpayer is due 2026-11-16 (passed); November's on 2026-12-15.
        assert_eq!(start(&format!("tax:vat:2026-11@{uscc}.zhuanshu")), date("2026-12-15"));
        assert!(!by_uid.contains_key(&format!("tax:vat:2026-10@{uscc}.zhuanshu")), "past deadlines are left out");
        // A year ahead: annual report 2027 and the EIT settlement for 2026 (31 May 2027 is a Monday).
        assert_eq!(start(&format!("annual-report:2027@{uscc}.zhuanshu")), date("2027-06-30"));
        assert_eq!(start(&format!("tax:eit-annual:2026@{uscc}.zhuanshu")), date("2027-05-31"));
        // The licence's renewal deadline, one event for all its milestones.
        let renew = format!("licence:42:2027-06-30:renew@{uscc}.zhuanshu");
        let renewal = by_uid[&renew];
        assert!(renewal.get_summary().unwrap().contains("食品经营许可证"));
        assert!(matches!(renewal.get_start(), Some(icalendar::DatePerhapsTime::Date(_))));
        assert_eq!(events.iter().filter(|e| e.get_uid().unwrap().starts_with("licence:42:")).count(), 1);
        // Every event has its two alarms.
        assert_eq!(text.matches("BEGIN:VALARM").count(), 2 * events.len());
        assert!(text.contains("TRIGGER:-P6DT15H\r\n"));
        // The company name survives escaping: written escaped, read back as it was.
        assert!(unfolded.contains("X-WR-CALNAME:上海示例科技有限公司\\, 含逗号\\; 分号\\\\反斜杠·专属动态\r\n"));
        let name = calendar.properties.iter().find(|p| p.key() == "X-WR-CALNAME").unwrap();
        assert_eq!(name.value(), format!("{}·专属动态", facts.company.name));
        // The next export (a day later) keeps the UIDs.
        let later = export(&facts, Calendar::official(), &Marks::default(), now() + Duration::days(1));
        let uids = |t: &str| -> HashSet<String> {
            t.split("\r\n").filter_map(|l| l.strip_prefix("UID:")).map(str::to_owned).collect()
        };
        assert!(uids(&icalendar::parser::unfold(&later)).contains(&renew));
    }

    #[test]
    fn done_obligations_are_left_out() {
        let facts = sample();
        let uscc = facts.company.uscc.clone();
        let marks = Marks::new(&[DynamicState {
            dynamic_id: "tax:vat:2026-11".into(),
            subject: "tax:vat:2026-11".into(),
            state: StateKind::Done,
            until: None,
            at: now(),
        }]);
        let text = icalendar::parser::unfold(&export(&facts, Calendar::official(), &marks, now()));
        assert!(!text.contains(&format!("UID:tax:vat:2026-11@{uscc}")));
        assert!(text.contains(&format!("UID:tax:vat:2026-12@{uscc}")));
    }
}
