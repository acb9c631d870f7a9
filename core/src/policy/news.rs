//! Policy items for the dynamics list (专属动态), handed to it as [`ExternalItem`]s.
//!
//! - *Newly eligible*: a policy the company qualifies for that it had not qualified for before — a new
//!   policy reached the catalog or was published, the company turned three, the owner added a tag. The
//!   first time a company is looked at, everything it already qualifies for is recorded silently as a
//!   baseline (the owner meets those in the checkup; forty "new" items on the first day would bury the
//!   deadlines). After that, each newly eligible policy is announced once and shown for
//!   [`NEW_DAYS`] days, or until the owner opens it.
//! - *Deadline*: an open application window closing within [`DEADLINE_DAYS`] days, for a policy the
//!   company is eligible for or nearly (a near miss says what is still missing). 免申即享 policies need
//!   no application and get none.
//!
//! Ids: `policy:{id}:new` and `policy:{id}:deadline:{closes}` (the dynamics module adds `ext:`), so a
//! dismissed deadline of this round does not hide next year's.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::checkup::{PolicyCheck, Verdict, WindowStatus};
use crate::dynamics::{Action, DynamicKind, ExternalItem, Severity};

pub const NEW_DAYS: i64 = 14;
pub const DEADLINE_DAYS: i64 = 30;

/// What the store remembers about an eligible policy of a company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub policy_id: String,
    pub first_seen_on: NaiveDate,
    /// Announced as new (false: recorded in the baseline).
    pub announced: bool,
}

/// Policies eligible today that the store has not seen: the rows to record. With no baseline yet, they
/// are recorded unannounced.
pub fn to_record(checks: &[PolicyCheck], seen: &[Seen], has_baseline: bool, today: NaiveDate) -> Vec<Seen> {
    let known: HashSet<&str> = seen.iter().map(|s| s.policy_id.as_str()).collect();
    checks
        .iter()
        .filter(|c| c.verdict == Verdict::Eligible && !known.contains(c.policy.id.as_str()))
        .map(|c| Seen { policy_id: c.policy.id.clone(), first_seen_on: today, announced: has_baseline })
        .collect()
}

/// The policy's status as an item's detail says it. Items also become notifications planned days ahead,
/// so the detail names dates, never a count of days left (the notification says that for its own day).
fn dated_status(check: &PolicyCheck) -> String {
    if check.no_application_needed { check.status_label.to_string() } else { check.window.dated_label() }
}

/// The items for `today`. `last_opened` maps policy ids to the last day the owner opened them.
pub fn items(
    checks: &[PolicyCheck],
    seen: &[Seen],
    last_opened: &HashMap<String, NaiveDate>,
    today: NaiveDate,
) -> Vec<ExternalItem> {
    let by_id: HashMap<&str, &PolicyCheck> = checks.iter().map(|c| (c.policy.id.as_str(), c)).collect();
    let mut out = Vec::new();
    for s in seen.iter().filter(|s| s.announced) {
        let Some(check) = by_id.get(s.policy_id.as_str()) else { continue };
        let fresh = (today - s.first_seen_on).num_days() < NEW_DAYS && s.first_seen_on <= today;
        let opened = last_opened.get(&s.policy_id).is_some_and(|d| *d >= s.first_seen_on);
        if check.verdict == Verdict::Eligible && fresh && !opened {
            let p = &check.policy;
            out.push(ExternalItem {
                id: format!("policy:{}:new", p.id),
                kind: DynamicKind::Policy,
                title: format!("新符合政策：{}", p.title),
                detail: format!("{}。{}", dated_status(check), p.benefit.description),
                due: s.first_seen_on,
                action: Some(Action::Policy { id: p.id.clone() }),
                severity: Some(Severity::Info),
            });
        }
    }
    for check in checks {
        let WindowStatus::Open { closes, days_left } = check.window else { continue };
        let relevant = matches!(check.verdict, Verdict::Eligible | Verdict::NearMiss);
        if !relevant || check.policy.auto_granted || days_left > DEADLINE_DAYS {
            continue;
        }
        let p = &check.policy;
        let detail = if check.verdict == Verdict::NearMiss {
            format!("差一点符合，还需：{}。", check.missing.join("；"))
        } else {
            format!("符合申报条件，{}。", dated_status(check))
        };
        out.push(ExternalItem {
            id: format!("policy:{}:deadline:{closes}", p.id),
            kind: DynamicKind::Policy,
            title: format!("{}申报截止", p.title),
            detail,
            due: closes,
            action: Some(Action::Policy { id: p.id.clone() }),
            severity: None,
        });
    }
    out
}
