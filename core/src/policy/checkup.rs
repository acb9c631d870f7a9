//! The checkup (政策体检): every policy of the company's regions, judged eligible, near miss or not
//! eligible, with its application window on the day.
//!
//! Near miss, precisely. A policy that is not met is a near miss when the explanation's unmet conditions
//! (see [`super::condition`]: for `any`, those of its best branch) are all within the owner's reach and
//! at most [`NEAR_MISS_MAX`] of them are real changes. Within reach means:
//! - a missing profile field (unknown): fill it in — these do not count against the limit, so a policy
//!   that fails only on unknowns is always a near miss that names the fields to fill;
//! - "成立满N年" with the anniversary at most [`AGE_REACH_DAYS`](super::condition::AGE_REACH_DAYS) away;
//! - a tag the company can obtain (a qualification such as 高新技术企业; not founder tags such as
//!   退役军人创业);
//! - "at least" employees, revenue or total assets within
//!   [`NUMBER_REACH_PERCENT`](super::condition::NUMBER_REACH_PERCENT) of the threshold; registered
//!   capital at any gap (增资);
//! - a small-scale taxpayer where a general one is required (it may register as general).
//!
//! Never within reach: region, industry, company type, size class, credit grade, "at most" thresholds,
//! "成立未满N年", and tags the company must *not* have. One such condition makes a policy not eligible.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use super::condition::{self, ConditionResult, Profile, Truth};
use super::interest::Interest;
use super::model::{Catalog, Entry, Field, Policy, Window};
use super::ranking;

const ALWAYS: &str = "常年受理";

/// At most this many unmet conditions (not counting unknown profile fields) for a near miss.
pub const NEAR_MISS_MAX: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Eligible,
    NearMiss,
    NotEligible,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Eligible => "符合条件",
            Verdict::NearMiss => "差一点",
            Verdict::NotEligible => "暂不符合",
        }
    }
}

/// The application window on a day. Both the opening and the closing day are inside the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum WindowStatus {
    /// No window: 常年受理.
    Always,
    Upcoming {
        opens: NaiveDate,
        days_until: i64,
    },
    /// `days_left` is 0 on the closing day.
    Open {
        closes: NaiveDate,
        days_left: i64,
    },
    Closed {
        closed_on: NaiveDate,
    },
}

impl WindowStatus {
    pub fn of(window: Option<&Window>, today: NaiveDate) -> WindowStatus {
        match window {
            None => WindowStatus::Always,
            Some(w) if today < w.opens => {
                WindowStatus::Upcoming { opens: w.opens, days_until: (w.opens - today).num_days() }
            }
            Some(w) if today <= w.closes => {
                WindowStatus::Open { closes: w.closes, days_left: (w.closes - today).num_days() }
            }
            Some(w) => WindowStatus::Closed { closed_on: w.closes },
        }
    }

    pub fn label(&self) -> String {
        match self {
            WindowStatus::Always => ALWAYS.to_owned(),
            WindowStatus::Upcoming { opens, days_until } => format!("{opens}开始申报（{days_until}天后）"),
            WindowStatus::Open { closes, days_left: 0 } => format!("申报中，今天（{closes}）截止"),
            WindowStatus::Open { closes, days_left } => format!("申报中，{closes}截止（还剩{days_left}天）"),
            WindowStatus::Closed { closed_on } => format!("本期已于{closed_on}截止"),
        }
    }

    /// The label without a count of days, for a text read on another day than it was made (a
    /// notification's body is planned days before it shows): `申报中，2026-12-05截止`.
    pub fn dated_label(&self) -> String {
        match self {
            WindowStatus::Always => ALWAYS.to_owned(),
            WindowStatus::Upcoming { opens, .. } => format!("{opens}开始申报"),
            WindowStatus::Open { closes, .. } => format!("申报中，{closes}截止"),
            WindowStatus::Closed { closed_on } => format!("本期已于{closed_on}截止"),
        }
    }
}

fn inline_policy<S: Serializer>(policy: &Arc<Policy>, s: S) -> Result<S::Ok, S::Error> {
    policy.as_ref().serialize(s)
}

/// One policy judged for one company on one day.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PolicyCheck {
    #[serde(serialize_with = "inline_policy")]
    pub policy: Arc<Policy>,
    pub verdict: Verdict,
    pub window: WindowStatus,
    /// 免申即享 and eligible: the owner need not apply.
    pub no_application_needed: bool,
    /// What the list shows beside the title: `无需申请`, `申报中，2026-12-05截止（还剩14天）`, `常年受理` ….
    /// (Borrowed when it is one of the fixed labels: a checkup of ten thousand policies need not allocate
    /// ten thousand copies of `常年受理`.)
    pub status_label: Cow<'static, str>,
    /// One line per condition (for `any`, its best branch).
    pub conditions: Vec<ConditionResult>,
    /// For a near miss: the `missing` text of every unmet condition, in order — exactly what to change.
    /// Empty otherwise.
    pub missing: Vec<String>,
    /// Learned interest (see [`super::interest`]); breaks ties in the ranking.
    pub interest: f64,
}

impl PolicyCheck {
    /// The conditions that are not met (unmet or unknown).
    pub fn unmet(&self) -> impl Iterator<Item = &ConditionResult> {
        self.conditions.iter().filter(|c| !c.met)
    }
}

/// The checkup of one company.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Checkup {
    pub uscc: String,
    pub today: NaiveDate,
    pub eligible: u32,
    pub near_miss: u32,
    pub not_eligible: u32,
    /// Ranked (see [`super::ranking`]).
    pub policies: Vec<PolicyCheck>,
}

/// [`WindowStatus::label`] from the entry's pre-rendered dates (formatting two dates for each of ten
/// thousand policies is a measurable part of a checkup).
fn window_label(entry: &Entry, window: &WindowStatus) -> String {
    use condition::concat;
    match window {
        WindowStatus::Always => ALWAYS.to_owned(),
        WindowStatus::Upcoming { days_until, .. } => {
            concat(&[&entry.opens, "开始申报（", &days_until.to_string(), "天后）"])
        }
        WindowStatus::Open { days_left: 0, .. } => concat(&["申报中，今天（", &entry.closes, "）截止"]),
        WindowStatus::Open { days_left, .. } => {
            concat(&["申报中，", &entry.closes, "截止（还剩", &days_left.to_string(), "天）"])
        }
        WindowStatus::Closed { .. } => concat(&["本期已于", &entry.closes, "截止"]),
    }
}

/// Whether the policy applies where the company is registered (prefix match; no regions = nationwide).
pub fn in_region(policy: &Policy, district: &str) -> bool {
    policy.regions.is_empty() || policy.regions.iter().any(|r| district.starts_with(r.as_str()))
}

/// Judges one catalog entry.
pub(crate) fn check(entry: &Entry, profile: &Profile, today: NaiveDate, interest: &Interest) -> PolicyCheck {
    judge(entry, profile, today, interest.score(&entry.policy))
}

fn judge(entry: &Entry, profile: &Profile, today: NaiveDate, interest: f64) -> PolicyCheck {
    let policy = &entry.policy;
    let mut results = Vec::with_capacity(4);
    // A policy of another region (only `Policies::check` judges those) says so first. Inside the
    // region there is no line for it: the checkup lists only the company's regions, and the policy's
    // regions are part of what every front end shows of it.
    let region_ok = in_region(policy, &profile.district);
    if !region_ok {
        let line = condition::concat(&[
            "适用地区：需为",
            &entry.regions,
            "，当前为",
            &profile.district_name,
            condition::UNMET,
        ]);
        results.push(ConditionResult {
            field: Field::District,
            truth: Truth::Unmet,
            met: false,
            reachable: false,
            line,
            missing: None,
            alternatives: Vec::new(),
        });
    }
    let (mut truth, mut cost) = condition::evaluate_into(&entry.rule, profile, today, &mut results);
    if !region_ok {
        truth = Truth::Unmet;
        cost.hard += 1;
    }
    let near = cost.hard == 0 && cost.soft <= NEAR_MISS_MAX;
    let verdict = match truth {
        Truth::Met => Verdict::Eligible,
        _ if near => Verdict::NearMiss,
        _ => Verdict::NotEligible,
    };
    let window = WindowStatus::of(policy.window.as_ref(), today);
    let no_application_needed = policy.auto_granted && verdict == Verdict::Eligible;
    let status_label = match (no_application_needed, policy.auto_granted, window) {
        (true, _, _) => Cow::Borrowed("无需申请"),
        (false, true, _) => Cow::Borrowed("免申即享"),
        (false, false, WindowStatus::Always) => Cow::Borrowed(ALWAYS),
        (false, false, w) => Cow::Owned(window_label(entry, &w)),
    };
    let missing = if verdict == Verdict::NearMiss {
        results.iter().filter_map(|r| r.missing.clone()).collect()
    } else {
        Vec::new()
    };
    PolicyCheck {
        policy: Arc::clone(policy),
        verdict,
        window,
        no_application_needed,
        status_label,
        conditions: results,
        missing,
        interest,
    }
}

/// Every published policy of the company's regions, judged and ranked.
pub fn checkup(catalog: &Catalog, profile: &Profile, today: NaiveDate, interest: &Interest) -> Vec<PolicyCheck> {
    let scores = interest.per_entry(catalog);
    let mut checks: Vec<PolicyCheck> = Vec::with_capacity(catalog.len());
    checks.extend(
        catalog
            .entries()
            .iter()
            .enumerate()
            .filter(|(_, e)| e.policy.published_on <= today && in_region(&e.policy, &profile.district))
            .map(|(i, e)| judge(e, profile, today, scores.get(i).copied().unwrap_or(0.0))),
    );
    ranking::rank(&mut checks);
    checks
}

/// Counts by verdict: (eligible, near miss, not eligible).
pub fn counts(checks: &[PolicyCheck]) -> (u32, u32, u32) {
    checks.iter().fold((0, 0, 0), |(e, n, x), c| match c.verdict {
        Verdict::Eligible => (e + 1, n, x),
        Verdict::NearMiss => (e, n + 1, x),
        Verdict::NotEligible => (e, n, x + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::{Company, CreditGrade};
    use crate::policy::condition::tests::{day, profile_of, software};
    use crate::policy::model::parse_catalog;
    use serde_json::json;

    fn policy(id: &str, eligibility: serde_json::Value) -> serde_json::Value {
        json!({
            "id": id, "title": format!("政策{id}"), "issuer": "测试局", "regions": [],
            "published_on": "2026-01-01", "window": null,
            "benefit": {"min_fen": 0, "max_fen": 0, "description": "无"},
            "kind": "subsidy", "auto_granted": false, "eligibility": eligibility,
            "materials": [], "faq": [], "guide": [], "source": "测试", "summary": "测试"
        })
    }

    fn leaf(field: &str, op: &str, value: serde_json::Value) -> serde_json::Value {
        json!({"field": field, "op": op, "value": value})
    }

    fn verdict_of(eligibility: serde_json::Value, c: Company) -> (Verdict, Vec<String>) {
        let catalog =
            parse_catalog(&json!({"version": 1, "policies": [policy("p", eligibility)]}).to_string()).unwrap();
        let today = "2026-11-21";
        let check = check(&catalog.entries()[0], &profile_of(c, today), day(today), &Interest::default());
        (check.verdict, check.missing)
    }

    #[test]
    fn near_miss_at_its_edges() {
        let c = Company { credit_grade: Some(CreditGrade::B), tags: vec![], ..software() };
        let tag = |t: &str| leaf("tags", "has", json!(t));
        // Two obtainable tags: near miss; three: not eligible.
        let (v, missing) = verdict_of(json!({"all": [tag("专精特新"), tag("软件企业")]}), c.clone());
        assert_eq!(v, Verdict::NearMiss);
        assert_eq!(missing, ["取得“专精特新”", "取得“软件企业”"]);
        let (v, _) = verdict_of(json!({"all": [tag("专精特新"), tag("软件企业"), tag("集成电路企业")]}), c.clone());
        assert_eq!(v, Verdict::NotEligible);
        // One obtainable tag plus a region mismatch: never a near miss.
        let (v, _) =
            verdict_of(json!({"all": [tag("专精特新"), leaf("district", "prefix_in", json!(["44"]))]}), c.clone());
        assert_eq!(v, Verdict::NotEligible);
        // Industry and credit grade are not the owner's to change.
        assert_eq!(verdict_of(leaf("industry", "prefix_in", json!(["C"])), c.clone()).0, Verdict::NotEligible);
        assert_eq!(verdict_of(leaf("credit_grade", "in", json!(["A"])), c.clone()).0, Verdict::NotEligible);
        // Age: the 8th anniversary (2027-05-20) is 180 days away, the 9th 545.
        assert_eq!(verdict_of(leaf("age_years", "gte", json!(8)), c.clone()).0, Verdict::NearMiss);
        assert_eq!(verdict_of(leaf("age_years", "gte", json!(9)), c.clone()).0, Verdict::NotEligible);
        assert_eq!(verdict_of(leaf("age_years", "lt", json!(3)), c.clone()).0, Verdict::NotEligible);
        // Only unknowns: a near miss, however many, naming the fields to fill.
        let unknowns =
            json!({"all": [leaf("total_assets_fen", "lte", json!(1)), leaf("credit_grade", "in", json!(["A"]))]});
        let (v, missing) = verdict_of(unknowns, Company { credit_grade: None, ..c.clone() });
        assert_eq!(v, Verdict::NearMiss);
        assert_eq!(missing, ["在档案中填写资产总额", "在档案中填写纳税信用等级"]);
        // Two reachable changes plus an unknown: still a near miss; the unknown does not count.
        let mix = json!({"all": [tag("专精特新"), tag("软件企业"), leaf("total_assets_fen", "lte", json!(1))]});
        assert_eq!(verdict_of(mix, c.clone()).0, Verdict::NearMiss);
        // Everything met.
        assert_eq!(verdict_of(tag("高新技术企业"), software()).0, Verdict::Eligible);
    }

    #[test]
    fn window_status_at_its_edges() {
        let w = Window { opens: day("2026-12-01"), closes: day("2026-12-31") };
        assert_eq!(
            WindowStatus::of(Some(&w), day("2026-11-30")),
            WindowStatus::Upcoming { opens: day("2026-12-01"), days_until: 1 }
        );
        assert_eq!(
            WindowStatus::of(Some(&w), day("2026-12-01")),
            WindowStatus::Open { closes: day("2026-12-31"), days_left: 30 }
        );
        let last = WindowStatus::of(Some(&w), day("2026-12-31"));
        assert_eq!(last, WindowStatus::Open { closes: day("2026-12-31"), days_left: 0 });
        assert_eq!(last.label(), "申报中，今天（2026-12-31）截止");
        assert_eq!(
            WindowStatus::of(Some(&w), day("2027-01-01")),
            WindowStatus::Closed { closed_on: day("2026-12-31") }
        );
        assert_eq!(WindowStatus::of(None, day("2027-01-01")).label(), "常年受理");
        // The checkup's fast label is the same text.
        let mut p = crate::policy::Catalog::embedded().unwrap().policies().next().unwrap().as_ref().clone();
        p.window = Some(w);
        let catalog = Catalog::new(1, vec![p]).unwrap();
        for d in ["2026-11-30", "2026-12-01", "2026-12-15", "2026-12-31", "2027-01-01"] {
            let status = WindowStatus::of(Some(&w), day(d));
            assert_eq!(window_label(&catalog.entries()[0], &status), status.label(), "{d}");
        }
        let one_day = Window { opens: day("2026-12-01"), closes: day("2026-12-01") };
        assert!(matches!(WindowStatus::of(Some(&one_day), day("2026-12-01")), WindowStatus::Open { days_left: 0, .. }));
    }

    #[test]
    fn the_checkup_keeps_published_policies_of_the_company_regions() {
        let mut national = policy("national", leaf("employees", "gte", json!(1)));
        national["auto_granted"] = json!(true);
        let mut pudong = policy("pudong", leaf("employees", "gte", json!(1)));
        pudong["regions"] = json!(["310115"]);
        let mut xuhui = policy("xuhui", leaf("employees", "gte", json!(1)));
        xuhui["regions"] = json!(["310104"]);
        let mut later = policy("later", leaf("employees", "gte", json!(1)));
        later["published_on"] = json!("2026-11-22");
        let catalog =
            parse_catalog(&json!({"version": 1, "policies": [national, pudong, xuhui, later]}).to_string()).unwrap();
        let today = day("2026-11-21");
        let checks = checkup(&catalog, &profile_of(software(), "2026-11-21"), today, &Interest::default());
        let ids: Vec<&str> = checks.iter().map(|c| c.policy.id.as_str()).collect();
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&"national") && ids.contains(&"pudong"));
        let national = checks.iter().find(|c| c.policy.id == "national").unwrap();
        assert!(national.no_application_needed);
        assert_eq!(national.status_label, "无需申请");
        let next_day =
            checkup(&catalog, &profile_of(software(), "2026-11-22"), day("2026-11-22"), &Interest::default());
        assert_eq!(next_day.len(), 3, "published on its day");
        assert_eq!(counts(&next_day), (3, 0, 0));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Whatever the profile, the embedded catalog's checkup is consistent: eligible means every line
        /// is met; a near miss lists one `missing` per unmet line, each within reach; a policy with an
        /// unmet line out of reach is not eligible.
        #[test]
        fn verdicts_agree_with_their_lines(
            employees in 0u32..2000,
            revenue_wan in 0i64..100_000,
            assets_wan in proptest::option::of(0i64..100_000),
            grade in proptest::option::of(0usize..5),
            tag_bits in 0u32..(1 << 14),
            age_days in 0i64..8000,
            district in proptest::sample::select(vec!["310115", "310104", "310112", "310106", "440305"]),
            industry in proptest::sample::select(vec!["I65", "H62", "C33", "F52", "E47", "M73", "K702"]),
            small_scale: bool,
        ) {
            let today = day("2026-11-21");
            let grades = [CreditGrade::A, CreditGrade::B, CreditGrade::M, CreditGrade::C, CreditGrade::D];
            let tags = crate::dossier::KNOWN_TAGS
                .iter()
                .enumerate()
                .filter(|(i, _)| tag_bits & (1 << i) != 0)
                .map(|(_, t)| t.to_string())
                .collect();
            let c = Company {
                employees,
                revenue_fen: revenue_wan * 1_000_000,
                total_assets_fen: assets_wan.map(|a| a * 1_000_000),
                credit_grade: grade.map(|g| grades[g]),
                tags,
                established_on: today - chrono::Duration::days(age_days),
                district: district.to_owned(),
                industry: industry.to_owned(),
                taxpayer_kind: if small_scale {
                    crate::dossier::TaxpayerKind::SmallScale
                } else {
                    crate::dossier::TaxpayerKind::General
                },
                ..software()
            };
            let catalog = Catalog::embedded().unwrap();
            let profile = profile_of(c, "2026-11-21");
            for check in checkup(&catalog, &profile, today, &Interest::default()) {
                let unmet: Vec<&ConditionResult> = check.unmet().collect();
                match check.verdict {
                    Verdict::Eligible => proptest::prop_assert!(unmet.is_empty(), "{}", check.policy.id),
                    Verdict::NearMiss => {
                        proptest::prop_assert!(!unmet.is_empty());
                        proptest::prop_assert!(unmet.iter().all(|r| r.reachable), "{}", check.policy.id);
                        proptest::prop_assert_eq!(check.missing.len(), unmet.len());
                        let changes = unmet.iter().filter(|r| r.truth == Truth::Unmet).count();
                        proptest::prop_assert!(changes <= NEAR_MISS_MAX as usize);
                    }
                    Verdict::NotEligible => proptest::prop_assert!(!unmet.is_empty()),
                }
                proptest::prop_assert!(check.conditions.iter().all(|r| r.met == (r.truth == Truth::Met)));
            }
        }
    }
}
