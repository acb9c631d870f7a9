//! The order of the checkup list: what the owner can get, and must act on first, comes first.
//!
//! 1. Verdict: eligible, then near miss, then not eligible.
//! 2. Deadline: open windows, closing soonest first; then policies with nothing to do by a date
//!    (常年受理, and 免申即享 which needs no application); then upcoming windows, opening soonest first;
//!    then windows that have closed for this round.
//! 3. Benefit: the higher `max_fen` first.
//! 4. Learned interest (see [`super::interest`]): the higher first.
//! 5. Catalog order (the publisher's own order), so equal policies keep a stable place.

use std::cmp::Ordering;

use chrono::NaiveDate;

use super::checkup::{PolicyCheck, WindowStatus};

/// (bucket, date) of a policy's deadline, smaller = more urgent.
fn urgency(check: &PolicyCheck) -> (u8, NaiveDate) {
    if check.policy.auto_granted {
        return (1, NaiveDate::MAX);
    }
    match check.window {
        WindowStatus::Open { closes, .. } => (0, closes),
        WindowStatus::Always => (1, NaiveDate::MAX),
        WindowStatus::Upcoming { opens, .. } => (2, opens),
        WindowStatus::Closed { closed_on } => (3, closed_on),
    }
}

/// Rules 1–4 as one key (smaller first).
#[derive(Debug, Clone, Copy)]
struct Key {
    verdict: super::checkup::Verdict,
    urgency: (u8, NaiveDate),
    benefit: i64,
    interest: f64,
}

impl Key {
    fn of(check: &PolicyCheck) -> Key {
        Key {
            verdict: check.verdict,
            urgency: urgency(check),
            benefit: check.policy.benefit.max_fen,
            interest: check.interest,
        }
    }

    fn cmp(&self, other: &Key) -> Ordering {
        self.verdict
            .cmp(&other.verdict)
            .then_with(|| self.urgency.cmp(&other.urgency))
            .then_with(|| other.benefit.cmp(&self.benefit))
            .then_with(|| other.interest.total_cmp(&self.interest))
    }
}

/// Rules 1–4; equal checks compare equal (rule 5 is the order they are in).
pub fn compare(a: &PolicyCheck, b: &PolicyCheck) -> Ordering {
    Key::of(a).cmp(&Key::of(b))
}

/// Sorts checks given in catalog order into ranking order. The keys are computed once and sorted with
/// the checks' positions (a stable sort, so ties keep catalog order); the checks are then put in place
/// by following the permutation's cycles — a check is large, and a merge sort of ten thousand of them
/// would mostly move memory.
pub fn rank(checks: &mut [PolicyCheck]) {
    let mut order: Vec<(Key, usize)> = checks.iter().map(Key::of).zip(0..).collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    // from[k]: the position whose check belongs at k; usize::MAX once k holds its check.
    let mut from: Vec<usize> = order.into_iter().map(|(_, i)| i).collect();
    for start in 0..from.len() {
        let mut at = start;
        while let Some(&next) = from.get(at) {
            if next == usize::MAX {
                break;
            }
            from[at] = usize::MAX;
            if next == start {
                break;
            }
            checks.swap(at, next);
            at = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::policy::checkup::Verdict;
    use crate::policy::interest::{Interest, Signal, SignalKind};
    use crate::policy::model::{Catalog, Policy, PolicyKind, Window};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn check(id: &str, verdict: Verdict, window: Option<(&str, &str)>, max_fen: i64, today: &str) -> PolicyCheck {
        let template = Catalog::embedded().unwrap();
        let mut p: Policy = template.policies().next().unwrap().as_ref().clone();
        p.id = id.into();
        p.auto_granted = false;
        p.kind = PolicyKind::Subsidy;
        p.issuer = format!("{id}局");
        p.window = window.map(|(o, c)| Window { opens: day(o), closes: day(c) });
        p.benefit.max_fen = max_fen;
        PolicyCheck {
            window: WindowStatus::of(p.window.as_ref(), day(today)),
            policy: Arc::new(p),
            verdict,
            no_application_needed: false,
            status_label: Default::default(),
            conditions: Vec::new(),
            missing: Vec::new(),
            interest: 0.0,
        }
    }

    fn ids(checks: &[PolicyCheck]) -> Vec<&str> {
        checks.iter().map(|c| c.policy.id.as_str()).collect()
    }

    #[test]
    fn eligibility_then_deadline_then_benefit_then_catalog_order() {
        let t = "2026-11-21";
        let mut list = vec![
            check("near-open", Verdict::NearMiss, Some(("2026-11-01", "2026-11-25")), 0, t),
            check("closed", Verdict::Eligible, Some(("2026-01-01", "2026-06-30")), 9_000_000, t),
            check("always-big", Verdict::Eligible, None, 5_000_000, t),
            check("open-late", Verdict::Eligible, Some(("2026-11-01", "2026-12-31")), 100, t),
            check("not", Verdict::NotEligible, Some(("2026-11-01", "2026-11-22")), 9_000_000, t),
            check("upcoming", Verdict::Eligible, Some(("2026-12-01", "2026-12-31")), 9_000_000, t),
            check("open-soon", Verdict::Eligible, Some(("2026-11-01", "2026-11-30")), 1, t),
            check("always-small-b", Verdict::Eligible, None, 100, t),
            check("always-small-a", Verdict::Eligible, None, 100, t),
        ];
        rank(&mut list);
        assert_eq!(
            ids(&list),
            [
                "open-soon",
                "open-late",
                "always-big",
                "always-small-b",
                "always-small-a",
                "upcoming",
                "closed",
                "near-open",
                "not"
            ]
        );
    }

    #[test]
    fn interest_breaks_ties_and_fades() {
        let t = "2026-11-21";
        let a = check("a", Verdict::Eligible, None, 100, t);
        let b = check("b", Verdict::Eligible, None, 100, t);
        let signal = |p: &PolicyCheck, action, on: &str| Signal {
            policy_id: p.policy.id.clone(),
            kind: p.policy.kind,
            issuer: p.policy.issuer.clone(),
            action,
            on: day(on),
        };
        // `b` was saved 120 days ago (3 × 1/16), `a` opened 10 days ago (2^-1/3 ≈ 0.79).
        let signals = [signal(&b, SignalKind::Save, "2026-07-24"), signal(&a, SignalKind::Open, "2026-11-11")];
        let ranked = |today: &str| {
            let interest = Interest::learn(&signals, day(today));
            let mut list: Vec<PolicyCheck> =
                [&b, &a].iter().map(|c| PolicyCheck { interest: interest.score(&c.policy), ..(*c).clone() }).collect();
            rank(&mut list);
            ids(&list).iter().map(|s| s.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(ranked("2026-11-21"), ["a", "b"]);
        // On the day of the save, `b` (3) is ahead of `a` (opened "in the future": counts fully, 1).
        assert_eq!(ranked("2026-07-24"), ["b", "a"]);
        // Without signals, catalog order decides.
        let mut plain = vec![b.clone(), a.clone()];
        rank(&mut plain);
        assert_eq!(ids(&plain), ["b", "a"]);
    }

    proptest::proptest! {
        /// Ranking by permutation cycles gives exactly a stable sort by [`compare`].
        #[test]
        fn rank_is_a_stable_sort(spec in proptest::collection::vec((0usize..3, 0usize..4, 0i64..3), 0..40)) {
            let t = "2026-11-21";
            let verdicts = [Verdict::Eligible, Verdict::NearMiss, Verdict::NotEligible];
            let windows = [None, Some(("2026-11-01", "2026-11-30")), Some(("2026-12-01", "2026-12-31")), Some(("2026-01-01", "2026-02-01"))];
            let checks: Vec<PolicyCheck> = spec
                .iter()
                .enumerate()
                .map(|(i, (v, w, b))| check(&format!("p{i}"), verdicts[*v], windows[*w], *b, t))
                .collect();
            let mut expected = checks.clone();
            expected.sort_by(compare);
            let mut ranked = checks;
            rank(&mut ranked);
            proptest::prop_assert_eq!(ids(&ranked), ids(&expected));
        }
    }
}
