//! Interest learned on the device from what the owner opens and saves, used to break ties in the ranking.
//!
//! Each signal counts with a weight that halves every [`HALF_LIFE_DAYS`] days, measured from the day it
//! happened to the `today` the caller passes (the app's clock; nothing here reads the time), so last
//! month's curiosity fades instead of steering the list for ever. A saved policy counts while it stays
//! saved, decaying from the day it was saved.
//!
//! Interest carries over: opening three 人才 policies from 上海市人力资源和社会保障局 also lifts other
//! policies of that kind ([`KIND_SHARE`]) and that issuer ([`ISSUER_SHARE`]), which the owner has not
//! opened yet. Signals keep the kind and issuer they had when recorded, so they still count after the
//! catalog is replaced.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{Catalog, Policy, PolicyKind};

pub const HALF_LIFE_DAYS: f64 = 30.0;
pub const OPEN_WEIGHT: f64 = 1.0;
pub const SAVE_WEIGHT: f64 = 3.0;
/// Share of an issuer's interest that each of its policies gets.
pub const ISSUER_SHARE: f64 = 0.5;
/// Share of a kind's interest that each policy of the kind gets.
pub const KIND_SHARE: f64 = 0.25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    Open,
    Save,
}

/// One thing the owner did with a policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Signal {
    pub policy_id: String,
    pub kind: PolicyKind,
    pub issuer: String,
    pub action: SignalKind,
    pub on: NaiveDate,
}

/// The weight of a signal `age_days` old (a signal dated after today counts fully).
pub fn decay(age_days: i64) -> f64 {
    0.5f64.powf(age_days.max(0) as f64 / HALF_LIFE_DAYS)
}

/// FNV-1a: the keys are policy ids and issuer names from the device's own store, so the default hasher's
/// flooding resistance buys nothing, and a checkup looks up ten thousand of them.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Weights = HashMap<String, f64, BuildHasherDefault<Fnv>>;

/// Decayed interest per policy, kind and issuer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Interest {
    policy: Weights,
    /// Indexed by `PolicyKind as usize`.
    kind: [f64; 6],
    issuer: Weights,
}

impl Interest {
    pub fn learn(signals: &[Signal], today: NaiveDate) -> Interest {
        let mut interest = Interest::default();
        for s in signals {
            let base = match s.action {
                SignalKind::Open => OPEN_WEIGHT,
                SignalKind::Save => SAVE_WEIGHT,
            };
            let w = base * decay((today - s.on).num_days());
            *interest.policy.entry(s.policy_id.clone()).or_default() += w;
            if let Some(k) = interest.kind.get_mut(s.kind as usize) {
                *k += w;
            }
            *interest.issuer.entry(s.issuer.clone()).or_default() += w;
        }
        interest
    }

    pub fn is_empty(&self) -> bool {
        self.policy.is_empty()
    }

    /// [`Interest::score`] of every catalog entry, resolved once per issuer and per signalled policy
    /// (a checkup scores ten thousand policies). Empty when there is no interest.
    pub(crate) fn per_entry(&self, catalog: &Catalog) -> Vec<f64> {
        if self.is_empty() {
            return Vec::new();
        }
        let by_issuer: Vec<f64> =
            catalog.issuers().iter().map(|name| self.issuer.get(name).copied().unwrap_or(0.0)).collect();
        let mut scores: Vec<f64> = catalog
            .entries()
            .iter()
            .map(|e| {
                ISSUER_SHARE * by_issuer.get(e.issuer).copied().unwrap_or(0.0)
                    + KIND_SHARE * self.kind.get(e.policy.kind as usize).copied().unwrap_or(0.0)
            })
            .collect();
        for (id, w) in &self.policy {
            if let Some(score) = catalog.index_of(id).and_then(|i| scores.get_mut(i)) {
                *score += w;
            }
        }
        scores
    }

    /// The policy's own interest plus its shares of its issuer's and its kind's.
    pub fn score(&self, policy: &Policy) -> f64 {
        if self.is_empty() {
            return 0.0;
        }
        self.policy.get(&policy.id).copied().unwrap_or(0.0)
            + ISSUER_SHARE * self.issuer.get(&policy.issuer).copied().unwrap_or(0.0)
            + KIND_SHARE * self.kind.get(policy.kind as usize).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::model::Catalog;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn signal(p: &Policy, action: SignalKind, on: &str) -> Signal {
        Signal { policy_id: p.id.clone(), kind: p.kind, issuer: p.issuer.clone(), action, on: day(on) }
    }

    #[test]
    fn interest_halves_every_thirty_days() {
        assert_eq!(decay(0), 1.0);
        assert!((decay(30) - 0.5).abs() < 1e-12);
        assert!((decay(90) - 0.125).abs() < 1e-12);
        assert_eq!(decay(-5), 1.0);
    }

    #[test]
    fn interest_carries_over_to_the_same_kind_and_issuer() {
        let catalog = Catalog::embedded().unwrap();
        let p = |id: &str| catalog.get(id).unwrap().as_ref().clone();
        let opened = p("pol-pd-talent-apartment");
        let same_kind = p("pol-mh-talent-housing");
        let unrelated = p("pol-vat-small-scale-1pct");
        let today = day("2026-11-21");
        let interest = Interest::learn(&[signal(&opened, SignalKind::Open, "2026-11-21")], today);
        assert_eq!(interest.score(&opened), 1.0 + ISSUER_SHARE + KIND_SHARE);
        assert_eq!(interest.score(&same_kind), KIND_SHARE);
        assert_eq!(interest.score(&unrelated), 0.0);
        let saved = Interest::learn(&[signal(&opened, SignalKind::Save, "2026-10-22")], today);
        assert!((saved.score(&same_kind) - SAVE_WEIGHT * 0.5 * KIND_SHARE).abs() < 1e-12);
        // The per-catalog scores are the same numbers.
        let both = Interest::learn(
            &[signal(&opened, SignalKind::Open, "2026-11-01"), signal(&unrelated, SignalKind::Save, "2026-09-01")],
            today,
        );
        let per_entry = both.per_entry(&catalog);
        assert_eq!(per_entry.len(), catalog.len());
        for (p, score) in catalog.policies().zip(&per_entry) {
            assert!((both.score(p) - score).abs() < 1e-12, "{}", p.id);
        }
        assert!(Interest::default().per_entry(&catalog).is_empty());
    }
}
