//! Licence renewal and expiry (证照延续与到期).
//!
//! A licence kind with a [`RenewalRule`] must be renewed by a deadline counted back from `valid_until`:
//! `lead` calendar days, or `lead` working days on the official calendar (the deadline is then the
//! `lead`-th working day before expiry). Where the rule opens a window (`window_opens`), the application
//! cannot be filed earlier; the detail names both ends.
//!
//! Subject `licence:{id}:{valid_until}:renew`, milestones counted in calendar days before the deadline:
//! `90` (info) from 90 days, `30` (soon) from 30 days, `7` (urgent) from 7 days through the deadline, and
//! `late` (overdue) from the day after it until expiry. Subject `licence:{id}:{valid_until}:expiry`:
//! `expired` (overdue) from the day after `valid_until`, until the owner updates or removes the licence.
//! A licence without a renewal rule but with an end date (a fixed 营业期限) gets `90`/`30`/`7` before
//! the end date under the expiry subject. 长期有效 (no `valid_until`) produces nothing.
//!
//! `valid_until` is part of the subject: after a renewal the owner enters the new date and a new cycle
//! starts, untouched by the old one's "done".

use chrono::NaiveDate;

use super::{Action, Draft, DynamicKind, Level, Severity, Span, shift};
use crate::calendar::Calendar;
use crate::dossier::Licence;
use crate::dossier::licence::{DayCount, RenewalRule, kind};

/// `until` moved back by `n` units of the rule.
fn back(cal: &Calendar, until: NaiveDate, n: u32, unit: DayCount) -> (NaiveDate, bool) {
    match unit {
        DayCount::CalendarDays => (shift(until, -i64::from(n)), false),
        DayCount::WorkingDays => {
            let d = cal.add_workdays(until, -i64::from(n));
            (d.value, d.estimated)
        }
    }
}

fn unit_label(unit: DayCount) -> &'static str {
    match unit {
        DayCount::CalendarDays => "日",
        DayCount::WorkingDays => "个工作日",
    }
}

struct Milestone {
    key: &'static str,
    from: NaiveDate,
    to: NaiveDate,
    severity: Severity,
    title: String,
}

fn milestones_before(due: NaiveDate, title: &str) -> [Milestone; 3] {
    [
        Milestone {
            key: "90",
            from: shift(due, -90),
            to: shift(due, -31),
            severity: Severity::Info,
            title: title.to_owned(),
        },
        Milestone {
            key: "30",
            from: shift(due, -30),
            to: shift(due, -8),
            severity: Severity::Soon,
            title: title.to_owned(),
        },
        Milestone { key: "7", from: shift(due, -7), to: due, severity: Severity::Urgent, title: title.to_owned() },
    ]
}

pub(crate) fn drafts(licences: &[Licence], cal: &Calendar, span: Span) -> Vec<Draft> {
    let mut out = Vec::new();
    for licence in licences {
        let Some(until) = licence.data.valid_until else {
            continue;
        };
        let name = &licence.kind_name;
        let number = &licence.data.number;
        let issuer = &licence.data.issuer;
        let action = Some(Action::Licence { id: licence.id });
        let expiry = format!("licence:{}:{until}:expiry", licence.id);
        let mut push =
            |subject: &str, kind: DynamicKind, m: Milestone, detail: &str, due: NaiveDate, estimated: bool| {
                if m.from <= m.to && span.overlaps(m.from, m.to) {
                    out.push(Draft {
                        id: format!("{subject}:{}", m.key),
                        subject: subject.to_owned(),
                        kind,
                        title: m.title,
                        detail: detail.to_owned(),
                        due,
                        shown: (m.from, m.to),
                        level: Level::Fixed(m.severity),
                        action: action.clone(),
                        estimated,
                    });
                }
            };

        let renewal: Option<&RenewalRule> = kind(&licence.data.kind).and_then(|k| k.renewal.as_ref());
        match renewal {
            Some(rule) => {
                let (deadline, est_deadline) = back(cal, until, rule.lead, rule.unit);
                let window = rule.window_opens.map(|w| back(cal, until, w, rule.unit));
                let estimated = est_deadline || window.is_some_and(|(_, e)| e);
                let when = match window {
                    Some((opens, _)) => format!(
                        "应在有效期届满前{}至{}{}之间（{opens}至{deadline}）申请延续",
                        rule.window_opens.unwrap_or_default(),
                        rule.lead,
                        unit_label(rule.unit)
                    ),
                    None => format!("应在有效期届满{}{}前（{deadline}前）申请延续", rule.lead, unit_label(rule.unit)),
                };
                let detail =
                    format!("{name}（编号{number}）有效期至{until}。依据{}，{when}，向{issuer}提交。", rule.basis);
                let subject = format!("licence:{}:{until}:renew", licence.id);
                let title = format!("{name}请于{deadline}前申请延续");
                for m in milestones_before(deadline, &title) {
                    push(&subject, DynamicKind::LicenceRenewal, m, &detail, deadline, estimated);
                }
                let late = Milestone {
                    key: "late",
                    from: shift(deadline, 1),
                    to: until,
                    severity: Severity::Overdue,
                    title: format!("{name}已过延续申请期限"),
                };
                let late_detail = format!(
                    "{detail}延续申请期限已过，请立即联系{issuer}，确认能否延续；逾期未延续的，证照到期后将失效，需重新申请。"
                );
                push(&subject, DynamicKind::LicenceRenewal, late, &late_detail, deadline, estimated);
            }
            None => {
                let detail =
                    format!("{name}（编号{number}）有效期至{until}，到期前请向{issuer}咨询办理换证或重新申请。");
                for m in milestones_before(until, &format!("{name}将于{until}到期")) {
                    push(&expiry, DynamicKind::LicenceExpiry, m, &detail, until, false);
                }
            }
        }
        let expired = Milestone {
            key: "expired",
            from: shift(until, 1),
            to: NaiveDate::MAX,
            severity: Severity::Overdue,
            title: format!("{name}已过期"),
        };
        let detail = format!(
            "{name}（编号{number}）有效期至{until}，已过期。无证经营可能被责令停业并处罚款，请尽快向{issuer}办理；如已延续，请在证照夹中更新有效期。"
        );
        push(&expiry, DynamicKind::LicenceExpiry, expired, &detail, until, false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{CompanyFacts, Dynamic};
    use super::*;
    use crate::dossier::LicenceData;

    fn licence(id: i64, kind_code: &str, until: Option<&str>) -> Licence {
        Licence {
            id,
            uscc: "91310115MA1K3YJ5AX".into(),
            data: LicenceData {
                kind: kind_code.into(),
                number: "JY23101150012345".into(),
                issuer: "上海市浦东新区市场监督管理局".into(),
                issued_on: date("2021-12-01"),
                valid_until: until.map(date),
                scope: String::new(),
            },
            kind_name: kind(kind_code).map(|k| k.name.clone()).unwrap_or_default(),
            days_left: None,
        }
    }

    fn items(l: Licence, today: &str) -> Vec<Dynamic> {
        let mut f: CompanyFacts = facts();
        f.licences = vec![l];
        super::super::evaluate(&f, Calendar::official(), date(today))
            .into_iter()
            .filter(|d| matches!(d.kind, DynamicKind::LicenceRenewal | DynamicKind::LicenceExpiry))
            .collect()
    }

    fn seen(l: &Licence, today: &str) -> Vec<(String, Severity)> {
        items(l.clone(), today).into_iter().map(|d| (d.id, d.severity)).collect()
    }

    fn one(id: &str, s: Severity) -> Vec<(String, Severity)> {
        vec![(id.to_owned(), s)]
    }

    #[test]
    fn working_day_rule_with_a_window_food_business() {
        // 食品经营许可证: renew 90 to 15 working days before expiry. Expiry 2026-10-20: 15 working days
        // back skip the National Day holiday (Oct 1–7) and the Mid-Autumn one (Sep 25–27) → Sep 22; the
        // window opens 90 working days back, on Jun 9.
        let l = licence(42, "food_business", Some("2026-10-20"));
        let d = &items(l.clone(), "2026-09-20")[0];
        assert_eq!(d.due, date("2026-09-22"));
        assert_eq!(Calendar::official().workdays_between(d.due, date("2026-10-20")).value, 15);
        assert!(d.detail.contains("90至15个工作日之间（2026-06-09至2026-09-22）"), "{}", d.detail);
        let s = "licence:42:2026-10-20:renew";
        assert_eq!(seen(&l, "2026-06-23"), vec![], "91 days before the deadline: nothing yet");
        assert_eq!(seen(&l, "2026-06-24"), one(&format!("{s}:90"), Severity::Info), "90 days before");
        assert_eq!(seen(&l, "2026-08-23"), one(&format!("{s}:30"), Severity::Soon));
        assert_eq!(seen(&l, "2026-09-15"), one(&format!("{s}:7"), Severity::Urgent));
        assert_eq!(seen(&l, "2026-09-22"), one(&format!("{s}:7"), Severity::Urgent), "the deadline itself");
        assert_eq!(seen(&l, "2026-09-23"), one(&format!("{s}:late"), Severity::Overdue), "the day after");
        assert_eq!(seen(&l, "2026-10-20"), one(&format!("{s}:late"), Severity::Overdue), "last valid day");
        assert_eq!(
            seen(&l, "2026-10-21"),
            one("licence:42:2026-10-20:expiry:expired", Severity::Overdue),
            "expired, and stays so"
        );
        assert_eq!(seen(&l, "2030-01-01").len(), 1);
    }

    #[test]
    fn calendar_day_rule_pollutant_discharge() {
        // 排污许可证: 60 days before expiry.
        let l = licence(7, "pollutant_discharge", Some("2027-03-01"));
        let d = &items(l, "2026-12-01")[0];
        assert_eq!((d.due, d.severity, d.kind), (date("2026-12-31"), Severity::Soon, DynamicKind::LicenceRenewal));
        assert!(!d.estimated, "calendar days need no holiday notice");
        assert_eq!(d.days_left, 30);
    }

    #[test]
    fn working_days_into_an_unknown_year_are_estimates() {
        let l = licence(8, "food_production", Some("2027-03-15"));
        let d = &items(l, "2027-01-20")[0];
        assert!(d.estimated);
    }

    #[test]
    fn long_term_licences_produce_nothing() {
        assert!(items(licence(1, "business_licence", None), "2026-11-21").is_empty());
        assert!(items(licence(1, "special_equipment", None), "2026-11-21").is_empty());
    }

    #[test]
    fn a_licence_without_renewal_rule_but_an_end_date_reminds_of_the_end() {
        let l = licence(3, "business_licence", Some("2027-02-28"));
        let d = &items(l.clone(), "2027-02-01")[0];
        assert_eq!(
            (d.id.as_str(), d.kind, d.due),
            ("licence:3:2027-02-28:expiry:30", DynamicKind::LicenceExpiry, date("2027-02-28"))
        );
        assert_eq!(seen(&l, "2027-03-01"), one("licence:3:2027-02-28:expiry:expired", Severity::Overdue));
    }

    #[test]
    fn leap_day_expiry() {
        let l = licence(4, "public_health", Some("2028-02-29"));
        let d = &items(l.clone(), "2028-01-29")[0];
        assert_eq!((d.due, d.id.as_str()), (date("2028-01-30"), "licence:4:2028-02-29:renew:7"));
        assert_eq!(seen(&l, "2028-03-01"), one("licence:4:2028-02-29:expiry:expired", Severity::Overdue));
    }

    #[test]
    fn absurd_dates_do_not_panic() {
        let l = licence(5, "food_business", Some("9999-12-31"));
        assert!(items(l, "2026-11-21").is_empty());
    }
}
