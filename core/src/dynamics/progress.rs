//! Application progress (办事进度): news of the owner's applications, and a nudge when one stalls.
//!
//! Every status change a department reported (the history after the initial 已提交, which the owner
//! entered) is an item for 14 days from the day it happened: info, or soon when the owner must act
//! (需补正, 已退回). An application that is neither completed nor returned and has had no change for 10
//! working days gets a nudge from that day on, until the next change: ask the department, or — when it is
//! waiting for the owner's correction — hand in the missing materials.

use super::{Action, Draft, DynamicKind, Level, Severity, Span, shift};
use crate::calendar::Calendar;
use crate::dossier::{Record, RecordStatus};

/// How long a status change stays in the list.
const NEWS_DAYS: i64 = 14;
/// Working days without a change before a nudge.
pub(crate) const STALL_WORKDAYS: i64 = 10;

fn news(status: RecordStatus) -> (&'static str, Severity) {
    match status {
        RecordStatus::Submitted => ("申请已重新提交，等待部门受理。", Severity::Info),
        RecordStatus::Accepted => ("部门已受理申请，进入办理流程。", Severity::Info),
        RecordStatus::Reviewing => ("申请已进入审查。", Severity::Info),
        RecordStatus::NeedsCorrection => {
            ("部门要求补正材料：请按一次性告知书的要求尽快补正后重新提交。", Severity::Soon)
        }
        RecordStatus::Completed => ("已办结，请留意领取或下载办理结果。", Severity::Info),
        RecordStatus::Returned => ("申请已被退回：请查看退回原因，修改后可重新提交。", Severity::Soon),
    }
}

pub(crate) fn drafts(records: &[Record], cal: &Calendar, span: Span) -> Vec<Draft> {
    let mut out = Vec::new();
    for r in records {
        let name = &r.data.item_name;
        let action = Some(Action::Record { id: r.id });
        for (i, change) in r.history.iter().enumerate().skip(1) {
            let day = change.at.date();
            let shown = (day, shift(day, NEWS_DAYS - 1));
            if !span.overlaps(shown.0, shown.1) {
                continue;
            }
            let (detail, severity) = news(change.status);
            let id = format!("record:{}:status:{i}", r.id);
            out.push(Draft {
                subject: id.clone(),
                id,
                kind: DynamicKind::Progress,
                title: format!("「{name}」{}", change.status.label()),
                detail: format!("{}（{}）", detail, change.at.format("%Y-%m-%d %H:%M")),
                due: day,
                shown,
                level: Level::Fixed(severity),
                action: action.clone(),
                estimated: false,
            });
        }
        let Some(last) = r.history.last() else {
            continue;
        };
        if matches!(last.status, RecordStatus::Completed | RecordStatus::Returned) {
            continue;
        }
        let since = last.at.date();
        let due = cal.add_workdays(since, STALL_WORKDAYS);
        let shown = (due.value, chrono::NaiveDate::MAX);
        if !span.overlaps(shown.0, shown.1) {
            continue;
        }
        let (title, detail) = if last.status == RecordStatus::NeedsCorrection {
            (
                format!("「{name}」待补正已超过{STALL_WORKDAYS}个工作日"),
                format!("自{since}起等待补正材料。请尽快补正；逾期未补正的，申请可能被视为撤回。"),
            )
        } else {
            (
                format!("「{name}」已{STALL_WORKDAYS}个工作日没有进展"),
                format!(
                    "自{since}起状态一直是“{}”。可通过{}查询进度，或致电办理部门询问。",
                    last.status.label(),
                    r.data.channel.label()
                ),
            )
        };
        let id = format!("record:{}:stalled:{since}", r.id);
        out.push(Draft {
            subject: id.clone(),
            id,
            kind: DynamicKind::Progress,
            title,
            detail,
            due: due.value,
            shown,
            level: Level::Fixed(Severity::Soon),
            action,
            estimated: due.estimated,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{DynamicKind, Severity};
    use super::*;
    use crate::dossier::{Channel, RecordData, StatusChange};

    fn record(changes: &[(RecordStatus, &str)]) -> Record {
        Record {
            id: 5,
            uscc: "91310115MA1K3YJ5AX".into(),
            data: RecordData {
                item_code: "SCJG-XK-001".into(),
                item_name: "食品经营许可延续".into(),
                channel: Channel::Online,
                submitted_on: date("2025-09-20"),
            },
            history: changes.iter().map(|(s, at)| StatusChange { status: *s, at: at.parse().unwrap() }).collect(),
        }
    }

    fn seen(r: &Record, today: &str) -> Vec<(String, Severity)> {
        let mut f = facts();
        f.records = vec![r.clone()];
        of_kind(&f, DynamicKind::Progress, today).into_iter().map(|d| (d.id, d.severity)).collect()
    }

    #[test]
    fn status_changes_are_news_for_two_weeks() {
        let r = record(&[
            (RecordStatus::Submitted, "2025-09-22T09:00:00"),
            (RecordStatus::Accepted, "2025-09-23T10:00:00"),
            (RecordStatus::NeedsCorrection, "2025-09-24T15:30:00"),
        ]);
        let items = seen(&r, "2025-09-24");
        assert_eq!(
            items,
            [("record:5:status:2".to_owned(), Severity::Soon), ("record:5:status:1".to_owned(), Severity::Info)]
        );
        assert_eq!(seen(&r, "2025-10-06").len(), 2, "day 13 of the first change");
        assert_eq!(seen(&r, "2025-10-07"), [("record:5:status:2".to_owned(), Severity::Soon)]);
    }

    #[test]
    fn a_stalled_application_gets_a_nudge_after_ten_working_days() {
        // Accepted on Friday 2025-09-26; 10 working days later, across the National Day holiday and the
        // make-up Sunday 28th and Saturday 11th: Oct 16.
        let r = record(&[
            (RecordStatus::Submitted, "2025-09-22T09:00:00"),
            (RecordStatus::Accepted, "2025-09-26T10:00:00"),
        ]);
        assert_eq!(Calendar::official().add_workdays(date("2025-09-26"), 10).value, date("2025-10-16"));
        assert!(!seen(&r, "2025-10-15").iter().any(|(id, _)| id.contains("stalled")));
        let items = seen(&r, "2025-10-16");
        assert_eq!(items, [("record:5:stalled:2025-09-26".to_owned(), Severity::Soon)]);
        assert!(!seen(&r, "2026-03-01").is_empty(), "until something changes");
        // A completed application is never nudged.
        let done = record(&[
            (RecordStatus::Submitted, "2025-09-22T09:00:00"),
            (RecordStatus::Completed, "2025-09-26T10:00:00"),
        ]);
        assert!(seen(&done, "2025-12-01").is_empty());
    }

    #[test]
    fn waiting_for_the_owners_correction_says_so() {
        let r = record(&[
            (RecordStatus::Submitted, "2025-09-22T09:00:00"),
            (RecordStatus::NeedsCorrection, "2025-11-03T10:00:00"),
        ]);
        let mut f = facts();
        f.records = vec![r];
        let items = of_kind(&f, DynamicKind::Progress, "2025-11-20");
        let nudge = items.iter().find(|d| d.id.contains("stalled")).unwrap();
        assert!(nudge.title.contains("待补正"), "{}", nudge.title);
    }
}
