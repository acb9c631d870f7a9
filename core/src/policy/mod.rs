//! Policies (专属政策): which government support fits this company, why, and what is still missing.
//!
//! - [`model`]: the catalog and its checks ([`parse_catalog`]);
//! - [`condition`]: the matcher, three-valued, one Chinese line per condition;
//! - [`checkup`]: eligible / near miss / not eligible, and the application window on a day;
//! - [`ranking`] and [`interest`]: the order of the list, with interest learned from opens and saves;
//! - [`news`]: newly eligible policies and approaching deadlines as dynamics items.
//!
//! Privacy. Matching runs on the device only. The catalog comes to the company, never the profile to a
//! server: this module has no network code, reads the profile from the local store, and writes what it
//! learns (opens, saves, seen policies) only to the local store, where it goes with the company when the
//! company is removed.
//!
//! Catalog source. [`Policies::catalog`] is the one place the catalog is read: the embedded
//! `content/policies/policies.json`, unless the feed stored a `policies.json` (table `content_files`)
//! whose catalog `version` is higher. A stored file that does not pass [`parse_catalog`] is ignored (the
//! feed checks it with the same function before storing, so this only happens after a downgrade), and
//! the embedded catalog stays in force.

pub mod checkup;
pub mod condition;
pub(crate) mod db;
pub mod interest;
pub mod model;
pub mod news;
pub mod ranking;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

pub use checkup::{Checkup, NEAR_MISS_MAX, PolicyCheck, Verdict, WindowStatus};
pub use condition::{ConditionResult, Profile, Truth};
pub use interest::{Interest, Signal, SignalKind};
pub use model::{
    Benefit, CATALOG_FILE, Catalog, Condition, Field, Leaf, LeafValue, MAX_DEPTH, Op, Policy, PolicyKind, Window,
    parse_catalog,
};

use crate::context::Context;
use crate::dossier::CompanyOverview;
use crate::dynamics::ExternalItem;
use crate::error::{Entity, Error, Result};

/// The catalog in force and the stored file it came from (`None`: embedded), so a new file is noticed.
#[derive(Debug)]
pub(crate) struct CachedCatalog {
    key: Option<(i64, i64)>,
    catalog: Arc<Catalog>,
}

/// The stored catalog if it is valid and newer than the embedded one.
fn stored_or(embedded: Arc<Catalog>, bytes: Option<Vec<u8>>) -> Arc<Catalog> {
    let parsed = bytes.and_then(|b| String::from_utf8(b).ok()).and_then(|text| parse_catalog(&text).ok());
    match parsed {
        Some(stored) if stored.version() > embedded.version() => Arc::new(stored),
        _ => embedded,
    }
}

/// The policy service. Borrowed from [`Zhuanshu::policies`].
pub struct Policies<'a> {
    ctx: &'a Context,
}

impl<'a> Policies<'a> {
    pub(crate) fn new(ctx: &'a Context) -> Self {
        Policies { ctx }
    }

    /// The catalog in force (see the module doc); parsed once per file and kept until the feed stores
    /// another.
    pub fn catalog(&self) -> Result<Arc<Catalog>> {
        let key = self.ctx.store()?.read(|c| db::content_key(c, CATALOG_FILE))?;
        let cached = self.ctx.cached(
            |cached: &CachedCatalog| cached.key == key,
            || {
                let embedded = Catalog::embedded()?;
                let catalog = match key {
                    None => embedded,
                    Some(_) => {
                        stored_or(embedded, self.ctx.store()?.read(|c| crate::feed::stored_file(c, CATALOG_FILE))?)
                    }
                };
                Ok(CachedCatalog { key, catalog })
            },
        )?;
        Ok(Arc::clone(&cached.catalog))
    }

    /// Every policy of the catalog, in catalog order.
    pub fn list(&self) -> Result<Vec<Arc<Policy>>> {
        Ok(self.catalog()?.policies().cloned().collect())
    }

    pub fn policy(&self, id: &str) -> Result<Arc<Policy>> {
        self.catalog()?.get(id).cloned().ok_or_else(|| Error::NotFound { what: Entity::Policy, key: id.trim().into() })
    }

    /// The company's code as stored and its profile as of `today`.
    fn profile(&self, uscc: &str, today: NaiveDate) -> Result<(String, Profile)> {
        let overview = crate::dossier::Dossier::new(self.ctx).company(uscc)?;
        let overview = CompanyOverview::derive(overview.company, overview.current, today);
        Ok((overview.company.uscc.clone(), Profile::new(&overview)))
    }

    fn interest(&self, uscc: &str, today: NaiveDate) -> Result<Interest> {
        let signals = self.ctx.store()?.read(|c| db::signals(c, uscc))?;
        Ok(Interest::learn(&signals, today))
    }

    /// 政策体检: every published policy of the company's regions, judged on `today` and ranked.
    pub fn checkup(&self, uscc: &str, today: NaiveDate) -> Result<Checkup> {
        let (key, profile) = self.profile(uscc, today)?;
        let interest = self.interest(&key, today)?;
        let catalog = self.catalog()?;
        let policies = checkup::checkup(&catalog, &profile, today, &interest);
        let (eligible, near_miss, not_eligible) = checkup::counts(&policies);
        Ok(Checkup { uscc: key, today, eligible, near_miss, not_eligible, policies })
    }

    /// One policy judged for the company on `today`, whatever its region (a policy of another region is
    /// not eligible, and its first line says so).
    pub fn check(&self, uscc: &str, id: &str, today: NaiveDate) -> Result<PolicyCheck> {
        let (key, profile) = self.profile(uscc, today)?;
        let catalog = self.catalog()?;
        let entry = catalog.entry(id).ok_or_else(|| Error::NotFound { what: Entity::Policy, key: id.trim().into() })?;
        Ok(checkup::check(entry, &profile, today, &self.interest(&key, today)?))
    }

    /// The owner opened a policy: recorded (today by the app's clock) for interest and to retire its
    /// "new" item. Returns the policy judged today.
    pub fn open(&self, uscc: &str, id: &str) -> Result<PolicyCheck> {
        let today = self.ctx.clock().today();
        let policy = self.policy(id)?;
        let key = crate::dossier::Dossier::new(self.ctx).company(uscc)?.company.uscc;
        self.ctx.store()?.write(|tx| db::record_open(tx, &key, &policy, today))?;
        self.check(&key, id, today)
    }

    /// Saves (收藏) a policy; saving it again changes nothing.
    pub fn save(&self, uscc: &str, id: &str) -> Result<()> {
        let today = self.ctx.clock().today();
        let policy = self.policy(id)?;
        let key = crate::dossier::Dossier::new(self.ctx).company(uscc)?.company.uscc;
        self.ctx.store()?.write(|tx| db::save(tx, &key, &policy, today))
    }

    /// Removes a save. Returns whether the policy was saved.
    pub fn unsave(&self, uscc: &str, id: &str) -> Result<bool> {
        let key = crate::dossier::Dossier::new(self.ctx).company(uscc)?.company.uscc;
        self.ctx.store()?.write(|tx| db::unsave(tx, &key, id.trim()))
    }

    /// Saved policy ids, most recently saved first.
    pub fn saved(&self, uscc: &str) -> Result<Vec<String>> {
        let key = crate::dossier::Dossier::new(self.ctx).company(uscc)?.company.uscc;
        Ok(self.ctx.store()?.read(|c| db::saved(c, &key))?.into_iter().map(|(id, _)| id).collect())
    }

    /// Newly eligible policies and approaching application deadlines for the dynamics list (see
    /// [`news`]). Records newly eligible policies as seen, in one transaction.
    pub fn dynamics_items(&self, uscc: &str, today: NaiveDate) -> Result<Vec<ExternalItem>> {
        let (key, profile) = self.profile(uscc, today)?;
        let catalog = self.catalog()?;
        let checks = checkup::checkup(&catalog, &profile, today, &Interest::default());
        // Most looks find nothing new: they only read, and the home list (every launch's first screen) pays
        // for no write transaction. Something to record is recorded in one, looked at again inside it.
        let look = |c: &rusqlite::Connection| -> Result<Look> {
            let baseline = db::has_baseline(c, &key)?;
            let seen = db::seen(c, &key)?;
            let new = news::to_record(&checks, &seen, baseline, today);
            Ok(Look { baseline, seen, new, signals: db::signals(c, &key)? })
        };
        let mut found = self.ctx.store()?.read(look)?;
        if !found.new.is_empty() || !found.baseline {
            found = self.ctx.store()?.write(|tx| {
                let found = look(tx)?;
                for row in &found.new {
                    db::insert_seen(tx, &key, row)?;
                }
                if !found.baseline {
                    db::set_baseline(tx, &key, today)?;
                }
                Ok(found)
            })?;
        }
        let Look { mut seen, new, signals, .. } = found;
        seen.extend(new);
        let mut last_opened: HashMap<String, NaiveDate> = HashMap::new();
        for s in signals.into_iter().filter(|s| s.action == SignalKind::Open) {
            let day = last_opened.entry(s.policy_id).or_insert(s.on);
            *day = (*day).max(s.on);
        }
        Ok(news::items(&checks, &seen, &last_opened, today))
    }
}

/// What [`Policies::dynamics_items`] finds in the store: the first look's day, what was announced, what is
/// new to record, and the owner's reading.
struct Look {
    baseline: bool,
    seen: Vec<news::Seen>,
    new: Vec<news::Seen>,
    signals: Vec<interest::Signal>,
}

/// The policy items of a company's dynamics (see [`Policies::dynamics_items`]), as the dynamics'
/// [`crate::dynamics::ExternalSource`]: the home list, the notifications and the calendar file carry them.
pub(crate) fn external_items(ctx: &Context, uscc: &str, today: NaiveDate) -> Result<Vec<ExternalItem>> {
    Policies::new(ctx).dynamics_items(uscc, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Zhuanshu;
    use crate::dynamics::{Action, DynamicKind, Severity};
    use crate::{Clock, Config};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn app_on(today: &str) -> Zhuanshu {
        Zhuanshu::open(Config { data_dir: None, clock: Clock::fixed_on(day(today)), ..Default::default() }).unwrap()
    }

    /// The demo software company of Pudong (高新技术企业, 科技型中小企业, 专精特新).
    fn with_demo(app: &Zhuanshu) -> String {
        let docs = crate::content::demo_companies(day("2026-11-21")).unwrap();
        app.dossier().import(&docs[0]).unwrap().company.uscc
    }

    #[test]
    fn a_stored_catalog_replaces_the_embedded_one_only_when_newer_and_valid() {
        let app = app_on("2026-11-21");
        let embedded = app.policies().catalog().unwrap();
        let store = |version: u64, text: &str| {
            let files = std::collections::BTreeMap::from([(CATALOG_FILE.to_owned(), text.as_bytes().to_vec())]);
            crate::feed::install_for_test(&app, version, &files).unwrap()
        };
        let mut doc: serde_json::Value =
            serde_json::from_str(include_str!("../../content/policies/policies.json")).unwrap();
        doc["policies"].as_array_mut().unwrap().truncate(3);
        // Same catalog version as the embedded one: not newer, ignored.
        store(2, &doc.to_string());
        assert_eq!(app.policies().catalog().unwrap().len(), embedded.len());
        doc["version"] = serde_json::json!(embedded.version() + 1);
        store(3, &doc.to_string());
        let stored = app.policies().catalog().unwrap();
        assert_eq!((stored.len(), stored.version()), (3, embedded.version() + 1));
        assert!(Arc::ptr_eq(&stored, &app.policies().catalog().unwrap()), "cached");
        // A broken file keeps the embedded catalog in force.
        store(4, "{\"version\": 99, \"policies\": [{}]}");
        assert_eq!(app.policies().catalog().unwrap().len(), embedded.len());
        assert_eq!(app.policies().policy("nope").unwrap_err().code(), "not_found");
    }

    #[test]
    fn the_demo_software_company_checkup() {
        let app = app_on("2026-11-21");
        let uscc = with_demo(&app);
        let checkup = app.policies().checkup(&uscc, day("2026-11-21")).unwrap();
        assert!(checkup.eligible >= 10, "{}", checkup.eligible);
        let total = (checkup.eligible + checkup.near_miss + checkup.not_eligible) as usize;
        assert_eq!(total, checkup.policies.len());
        // Ranked: verdicts in order.
        assert!(checkup.policies.windows(2).all(|w| w[0].verdict <= w[1].verdict));
        // No policy of another district.
        assert!(checkup.policies.iter().all(|c| checkup::in_region(&c.policy, "310115")));
        let pd = checkup.policies.iter().find(|c| c.policy.id == "pol-pd-hitech-award").unwrap();
        assert_eq!((pd.verdict, pd.status_label.as_ref()), (Verdict::Eligible, "无需申请"));
        // The Xuhui policy is out of region: judged on request, not eligible, and says why first.
        let xh = app.policies().check(&uscc, "pol-xh-ai-rent-subsidy", day("2026-11-21")).unwrap();
        assert_eq!(xh.verdict, Verdict::NotEligible);
        assert_eq!(xh.conditions[0].line, "适用地区：需为上海市徐汇区，当前为上海市浦东新区 ✗");
    }

    #[test]
    fn newly_eligible_policies_and_deadlines_become_dynamics_items() {
        // The owner opens policies on the 23rd (the app's clock); the lists are asked for other days.
        let app = app_on("2026-11-23");
        let uscc = with_demo(&app);
        let p = app.policies();
        // First look: a silent baseline, only deadlines.
        let first = p.dynamics_items(&uscc, day("2026-11-21")).unwrap();
        assert!(first.iter().all(|i| i.id.contains(":deadline:")), "{first:#?}");
        // 专精特新 recognition in Shanghai closes 2026-12-05; the demo company is already 专精特新, so it is
        // not eligible (has_none), and no item. The job expansion grant is auto-granted: no item either.
        assert!(!first.iter().any(|i| i.id.contains("pol-sh-job-expansion-grant")));

        // The company gains a tag: the policies that needed it are new.
        let mut company = app.dossier().company(&uscc).unwrap().company;
        company.tags.push("软件企业".into());
        app.dossier().update_company(&uscc, &company).unwrap();
        let later = p.dynamics_items(&uscc, day("2026-11-23")).unwrap();
        let new: Vec<&ExternalItem> = later.iter().filter(|i| i.id.ends_with(":new")).collect();
        assert!(new.iter().any(|i| i.id == "policy:pol-software-cit-preference:new"), "{new:#?}");
        let item = new.iter().find(|i| i.id == "policy:pol-software-cit-preference:new").unwrap();
        assert_eq!(
            (item.kind, item.severity, item.due),
            (DynamicKind::Policy, Some(Severity::Info), day("2026-11-23"))
        );
        assert_eq!(item.action, Some(Action::Policy { id: "pol-software-cit-preference".into() }));
        // Through the dynamics list, with the ext: prefix.
        let list = app.dynamics().list(&uscc, day("2026-11-23")).unwrap();
        let listed = list.iter().find(|d| d.id == "ext:policy:pol-software-cit-preference:new").unwrap();
        assert_eq!((listed.kind, listed.severity), (DynamicKind::Policy, Severity::Info));
        // Still shown the next days, announced once (first seen stays 11-23) …
        let again = p.dynamics_items(&uscc, day("2026-12-06")).unwrap();
        assert!(again.iter().any(|i| i.id == "policy:pol-software-cit-preference:new" && i.due == day("2026-11-23")));
        // … gone after 14 days, or once opened.
        let gone = p.dynamics_items(&uscc, day("2026-12-07")).unwrap();
        assert!(!gone.iter().any(|i| i.id.ends_with(":new")));
        p.open(&uscc, "pol-software-cit-preference").unwrap();
        let opened = p.dynamics_items(&uscc, day("2026-11-24")).unwrap();
        assert!(!opened.iter().any(|i| i.id == "policy:pol-software-cit-preference:new"));
    }
}
