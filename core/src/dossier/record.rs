//! Application records (办事记录): what the owner applied for, through which channel, and the status
//! history the department reported.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::text;
use crate::error::{Error, Issues, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 网上办理 (一网通办)
    Online,
    /// 窗口办理
    Window,
    /// 邮寄办理
    Mail,
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Channel::Online => "网上办理",
            Channel::Window => "窗口办理",
            Channel::Mail => "邮寄办理",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    Submitted,
    Accepted,
    Reviewing,
    NeedsCorrection,
    Completed,
    Returned,
}

impl RecordStatus {
    pub fn label(self) -> &'static str {
        match self {
            RecordStatus::Submitted => "已提交",
            RecordStatus::Accepted => "已受理",
            RecordStatus::Reviewing => "审查中",
            RecordStatus::NeedsCorrection => "需补正",
            RecordStatus::Completed => "已办结",
            RecordStatus::Returned => "已退回",
        }
    }

    /// Which statuses may follow this one. 已办结 is final; a 需补正 or 已退回 application is handed in
    /// again (已提交); a department may skip 已受理 and go straight to review or a decision.
    pub fn may_become(self, next: RecordStatus) -> bool {
        use RecordStatus::*;
        match self {
            Submitted => matches!(next, Accepted | Reviewing | NeedsCorrection | Completed | Returned),
            Accepted => matches!(next, Reviewing | NeedsCorrection | Completed | Returned),
            Reviewing => matches!(next, NeedsCorrection | Completed | Returned),
            NeedsCorrection => matches!(next, Submitted | Reviewing | Returned),
            Returned => matches!(next, Submitted),
            Completed => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: RecordStatus,
    /// Local time, Asia/Shanghai.
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct RecordData {
    /// The department's item code (事项编码).
    pub item_code: String,
    pub item_name: String,
    pub channel: Channel,
    pub submitted_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Record {
    pub id: i64,
    pub uscc: String,
    pub data: RecordData,
    /// Oldest first; never empty (the first entry is 已提交).
    pub history: Vec<StatusChange>,
}

impl Record {
    pub fn status(&self) -> Option<RecordStatus> {
        self.history.last().map(|c| c.status)
    }
}

impl RecordData {
    pub fn cleaned(&self) -> RecordData {
        RecordData { item_code: text::clean(&self.item_code), item_name: text::clean(&self.item_name), ..self.clone() }
    }

    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        let mut issues = Issues::default();
        text::check(&mut issues, "item_code", "事项编码", &self.item_code, 64, true);
        text::check(&mut issues, "item_name", "事项名称", &self.item_name, 100, true);
        if self.submitted_on > today {
            issues.push(
                "submitted_on",
                format!("提交日期{}晚于今天", self.submitted_on),
                "submitted_on is in the future",
            );
        }
        issues.into_result()
    }
}

/// Checks that `next` may follow `history` (path `status`/`at` for errors).
pub fn check_transition(history: &[StatusChange], next: &StatusChange) -> Result<()> {
    let Some(last) = history.last() else {
        return if next.status == RecordStatus::Submitted {
            Ok(())
        } else {
            Err(Error::invalid("status", "办事记录的第一个状态应为“已提交”", "the first status must be submitted"))
        };
    };
    if !last.status.may_become(next.status) {
        return Err(Error::invalid(
            "status",
            format!("状态不能从“{}”变为“{}”", last.status.label(), next.status.label()),
            format!("status cannot go from {:?} to {:?}", last.status, next.status),
        ));
    }
    if next.at < last.at {
        return Err(Error::invalid(
            "at",
            format!("状态时间{}早于上一个状态的时间{}", next.at, last.at),
            "status time is before the previous status",
        ));
    }
    Ok(())
}

/// Checks a whole history, as an import supplies it.
pub fn check_history(history: &[StatusChange]) -> Result<()> {
    let mut issues = Issues::default();
    if history.is_empty() {
        issues.push("history", "办事记录至少要有一个状态（已提交）", "history is empty");
    }
    for i in 0..history.len() {
        issues.nest(&format!("history[{i}]"), check_transition(&history[..i], &history[i]));
    }
    issues.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecordStatus::*;

    fn change(status: RecordStatus, at: &str) -> StatusChange {
        StatusChange { status, at: at.parse().unwrap() }
    }

    #[test]
    fn transitions_follow_the_table() {
        assert!(Submitted.may_become(Accepted));
        assert!(NeedsCorrection.may_become(Submitted));
        assert!(!Completed.may_become(Reviewing));
        assert!(!Reviewing.may_become(Reviewing));
        assert!(!Returned.may_become(Completed));
    }

    #[test]
    fn histories_are_checked_in_order_and_time() {
        let good = [change(Submitted, "2026-10-01T09:00:00"), change(Accepted, "2026-10-02T10:00:00")];
        assert!(check_history(&good).is_ok());
        let backwards = [change(Submitted, "2026-10-01T09:00:00"), change(Accepted, "2026-09-30T10:00:00")];
        assert_eq!(check_history(&backwards).unwrap_err().issues()[0].path, "history[1].at");
        let bad_start = [change(Accepted, "2026-10-01T09:00:00")];
        assert_eq!(check_history(&bad_start).unwrap_err().issues()[0].path, "history[0].status");
        let after_done = [
            change(Submitted, "2026-10-01T09:00:00"),
            change(Completed, "2026-10-03T09:00:00"),
            change(Reviewing, "2026-10-04T09:00:00"),
        ];
        let err = check_history(&after_done).unwrap_err();
        assert!(err.issues()[0].user_message.contains("不能从“已办结”变为“审查中”"));
        assert!(check_history(&[]).is_err());
    }
}
