//! The owner's own reminders (我的提醒): one-off, or repeating monthly, quarterly or yearly from a first
//! date. A repeat keeps the first date's day of month, clamped to short months (31 Jan → 28/29 Feb → 31
//! Mar; 29 Feb → 28 Feb in common years).
//!
//! Like tax filings, an occurrence is shown from the day after the previous one until the day of the
//! next one: the upcoming occurrence, plus the last one (overdue) until the owner marks it done or the next
//! comes round. A one-off reminder stays until done, dismissed or removed. Ids:
//! `custom:{reminder id}:{occurrence date}`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Action, Draft, DynamicKind, Level, Span, from_month_index, month_end, month_index, shift};
use crate::error::{Issues, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    Once,
    Monthly,
    Quarterly,
    Yearly,
}

impl Repeat {
    pub fn label(self) -> &'static str {
        match self {
            Repeat::Once => "一次",
            Repeat::Monthly => "每月",
            Repeat::Quarterly => "每季度",
            Repeat::Yearly => "每年",
        }
    }

    fn months(self) -> Option<i64> {
        match self {
            Repeat::Once => None,
            Repeat::Monthly => Some(1),
            Repeat::Quarterly => Some(3),
            Repeat::Yearly => Some(12),
        }
    }
}

/// Read like the dossier's closed lists: by code (`monthly`) or label (`每月`); `Repeat::choices()` lists
/// them for help texts and errors.
impl crate::dossier::Choice for Repeat {
    const ALL: &'static [Repeat] = &[Repeat::Once, Repeat::Monthly, Repeat::Quarterly, Repeat::Yearly];

    fn label(self) -> &'static str {
        Repeat::label(self)
    }
}

fn once() -> Repeat {
    Repeat::Once
}

/// What the owner enters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ReminderData {
    pub title: String,
    #[serde(default)]
    pub detail: String,
    /// The (first) day.
    pub due: NaiveDate,
    #[serde(default = "once")]
    pub repeat: Repeat,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Reminder {
    pub id: i64,
    pub uscc: String,
    pub data: ReminderData,
}

fn check_text(issues: &mut Issues, path: &str, label: &str, value: &str, max: usize, required: bool) {
    let count = value.chars().count();
    if required && count == 0 {
        issues.push(path, format!("请填写{label}"), format!("{path} is required"));
    }
    if count > max {
        issues.push(
            path,
            format!("{label}最多{max}个字，当前{count}个"),
            format!("{path} has {count} characters, at most {max}"),
        );
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        issues.push(path, format!("{label}含有不可见的控制字符"), format!("{path} contains a control character"));
    }
}

impl ReminderData {
    pub fn cleaned(&self) -> ReminderData {
        ReminderData { title: self.title.trim().to_owned(), detail: self.detail.trim().to_owned(), ..self.clone() }
    }

    pub fn validate(&self) -> Result<()> {
        let mut issues = Issues::default();
        check_text(&mut issues, "title", "提醒标题", &self.title, 60, true);
        check_text(&mut issues, "detail", "提醒说明", &self.detail, 500, false);
        if !(2000..=2100).contains(&self.due.year()) {
            issues.push("due", format!("提醒日期{}不合理", self.due), "due must be within 2000–2100");
        }
        issues.into_result()
    }
}

/// The `k`-th occurrence (k = 0 is the first date).
fn occurrence(first: NaiveDate, months: i64, k: i64) -> Option<NaiveDate> {
    let (y, m) = from_month_index(month_index(first) + months * k)?;
    let last = month_end(y, m)?.day();
    NaiveDate::from_ymd_opt(y, m, first.day().min(last))
}

pub(crate) fn drafts(reminders: &[Reminder], span: Span) -> Vec<Draft> {
    let mut out = Vec::new();
    for r in reminders {
        let first = r.data.due;
        let mut push = |due: NaiveDate, shown: (NaiveDate, NaiveDate)| {
            if span.overlaps(shown.0, shown.1) {
                let id = format!("custom:{}:{due}", r.id);
                out.push(Draft {
                    subject: id.clone(),
                    id,
                    kind: DynamicKind::Custom,
                    title: r.data.title.clone(),
                    detail: match (r.data.repeat, r.data.detail.is_empty()) {
                        (Repeat::Once, _) => r.data.detail.clone(),
                        (repeat, true) => format!("{}提醒", repeat.label()),
                        (repeat, false) => format!("{}（{}提醒）", r.data.detail, repeat.label()),
                    },
                    due,
                    shown,
                    level: Level::Deadline { urgent: 1, soon: 7 },
                    action: Some(Action::Reminder { id: r.id }),
                    estimated: false,
                });
            }
        };
        let Some(months) = r.data.repeat.months() else {
            push(first, (NaiveDate::MIN, NaiveDate::MAX));
            continue;
        };
        // Occurrences whose window [previous + 1, next] can meet the span.
        let from_k = ((month_index(span.from) - month_index(first)) / months - 2).max(0);
        let to_k = (month_index(span.to) - month_index(first)) / months + 2;
        for k in from_k..=to_k {
            let Some(due) = occurrence(first, months, k) else {
                continue;
            };
            let start = if k == 0 {
                NaiveDate::MIN
            } else {
                occurrence(first, months, k - 1).map_or(NaiveDate::MIN, |p| shift(p, 1))
            };
            let end = occurrence(first, months, k + 1).unwrap_or(NaiveDate::MAX);
            push(due, (start, end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{DynamicKind, Severity};
    use super::*;

    #[test]
    fn a_repeat_reads_from_its_code_or_label() {
        use crate::dossier::Choice;
        assert_eq!(Repeat::parse("once"), Some(Repeat::Once));
        assert_eq!(Repeat::parse(" 每月 "), Some(Repeat::Monthly));
        assert_eq!(Repeat::parse("每季度"), Some(Repeat::Quarterly));
        assert_eq!(Repeat::parse("Yearly"), Some(Repeat::Yearly));
        assert_eq!(Repeat::parse("weekly"), None);
        assert_eq!(Repeat::choices(), "once（一次）、monthly（每月）、quarterly（每季度）、yearly（每年）");
        for r in Repeat::ALL {
            assert_eq!(Repeat::parse(&r.code()), Some(*r));
            assert_eq!(Repeat::parse(r.label()), Some(*r));
        }
    }

    fn reminder(due: &str, repeat: Repeat) -> Reminder {
        Reminder {
            id: 3,
            uscc: "91310115MA1K3YJ5AX".into(),
            data: ReminderData {
                title: "缴纳房租".into(), detail: "转账给房东".into(), due: date(due), repeat
            },
        }
    }

    fn seen(r: Reminder, today: &str) -> Vec<(String, Severity)> {
        let mut f = facts();
        f.reminders = vec![r];
        of_kind(&f, DynamicKind::Custom, today).into_iter().map(|d| (d.id, d.severity)).collect()
    }

    #[test]
    fn monthly_clamps_to_short_months_and_keeps_the_day() {
        let first = date("2024-01-31");
        let dates: Vec<NaiveDate> = (0..4).filter_map(|k| occurrence(first, 1, k)).collect();
        assert_eq!(dates, [date("2024-01-31"), date("2024-02-29"), date("2024-03-31"), date("2024-04-30")]);
        let leap = date("2024-02-29");
        let years: Vec<NaiveDate> = (0..5).filter_map(|k| occurrence(leap, 12, k)).collect();
        assert_eq!(years, [leap, date("2025-02-28"), date("2026-02-28"), date("2027-02-28"), date("2028-02-29")]);
    }

    #[test]
    fn upcoming_and_last_occurrence() {
        let r = reminder("2026-01-05", Repeat::Monthly);
        assert_eq!(seen(r.clone(), "2026-01-01"), [("custom:3:2026-01-05".to_owned(), Severity::Soon)]);
        assert_eq!(seen(r.clone(), "2026-01-05"), [("custom:3:2026-01-05".to_owned(), Severity::Urgent)]);
        assert_eq!(
            seen(r.clone(), "2026-01-06"),
            [("custom:3:2026-01-05".to_owned(), Severity::Overdue), ("custom:3:2026-02-05".to_owned(), Severity::Info)]
        );
        assert_eq!(
            seen(r.clone(), "2026-02-06"),
            [("custom:3:2026-02-05".to_owned(), Severity::Overdue), ("custom:3:2026-03-05".to_owned(), Severity::Info)],
            "January's is gone once February's has come"
        );
        // Across the year boundary.
        assert_eq!(
            seen(r, "2026-12-31"),
            [("custom:3:2026-12-05".to_owned(), Severity::Overdue), ("custom:3:2027-01-05".to_owned(), Severity::Soon)]
        );
    }

    #[test]
    fn once_stays_until_handled_and_quarterly_steps_three_months() {
        assert_eq!(
            seen(reminder("2026-03-01", Repeat::Once), "2027-06-01"),
            [("custom:3:2026-03-01".to_owned(), Severity::Overdue)]
        );
        let q = seen(reminder("2026-01-10", Repeat::Quarterly), "2026-02-01");
        assert_eq!(
            q,
            [("custom:3:2026-01-10".to_owned(), Severity::Overdue), ("custom:3:2026-04-10".to_owned(), Severity::Info)]
        );
        assert!(seen(reminder("2026-01-10", Repeat::Yearly), "2025-06-01").len() == 1, "before the first date");
    }

    #[test]
    fn input_is_checked() {
        let ok = ReminderData {
            title: " 续签租赁合同 ".into(),
            detail: String::new(),
            due: date("2026-12-01"),
            repeat: Repeat::Once,
        };
        assert!(ok.cleaned().validate().is_ok());
        let bad =
            ReminderData { title: "".into(), detail: "\u{7}".into(), due: date("1990-01-01"), repeat: Repeat::Once };
        let paths: Vec<String> = bad.validate().unwrap_err().issues().iter().map(|i| i.path.clone()).collect();
        assert_eq!(paths, ["title", "detail", "due"]);
    }
}
