//! Items other modules produce (a newly matched policy, a policy's application deadline), so the policy
//! module plugs into the list, the notifications and the .ics without this module knowing policies.
//! They are shown as given; ids get the prefix `ext:` so they can never collide with a rule's.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Action, Draft, DynamicKind, Level, Severity};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct ExternalItem {
    /// Stable within its module, e.g. `policy:123:deadline`; the item's id is `ext:` + this.
    pub id: String,
    /// Usually `Policy`; `External` for anything else.
    pub kind: DynamicKind,
    pub title: String,
    pub detail: String,
    pub due: NaiveDate,
    pub action: Option<Action>,
    /// A fixed severity (a newly matched policy is `Info` whatever its deadline); `None` to rate it by
    /// the days left like any deadline.
    #[serde(default)]
    pub severity: Option<Severity>,
}

pub(crate) fn drafts(items: &[ExternalItem]) -> Vec<Draft> {
    items
        .iter()
        .map(|e| {
            let id = format!("ext:{}", e.id.trim());
            Draft {
                subject: id.clone(),
                id,
                kind: e.kind,
                title: e.title.clone(),
                detail: e.detail.clone(),
                due: e.due,
                shown: (NaiveDate::MIN, NaiveDate::MAX),
                level: e.severity.map(Level::Fixed).unwrap_or(Level::Deadline { urgent: 3, soon: 14 }),
                action: e.action.clone(),
                estimated: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn external_items_are_listed_with_their_own_action() {
        let mut f = facts();
        f.external.push(ExternalItem {
            id: "policy:88:deadline".into(),
            kind: DynamicKind::Policy,
            title: "研发费用加计扣除备案截止".into(),
            detail: "符合条件的企业请在截止日前申报。".into(),
            due: date("2026-12-01"),
            action: Some(Action::Policy { id: "88".into() }),
            severity: None,
        });
        let items = of_kind(&f, DynamicKind::Policy, "2026-11-21");
        assert_eq!(ids(&items), ["ext:policy:88:deadline"]);
        assert_eq!(items[0].severity, Severity::Soon);
        assert_eq!(items[0].action, Some(Action::Policy { id: "88".into() }));
        f.external[0].severity = Some(Severity::Info);
        assert_eq!(of_kind(&f, DynamicKind::Policy, "2026-11-30")[0].severity, Severity::Info);
    }
}
