//! The guide (专属办事): the enterprise life tree of services, scenario questions that turn "I want to open
//! a small restaurant" into the exact list of materials and steps, material reuse against the dossier
//! and the vault, and forms prefilled from the dossier.
//!
//! Answers are keyed by question id. An item's questions use their own ids (`q1`); in a bundle, the
//! bundle's questions use theirs and each chosen item's questions are prefixed with the item code
//! (`SH-SCJG-0002.q1`). [`Guide::next_questions`] says what is still to be asked, so a front end simply
//! loops until it is empty and then calls [`Guide::plan`]; the same answers always give the same plan.

mod content;
mod form;
pub mod model;
mod scenario;

use std::collections::BTreeMap;
#[cfg(feature = "search")]
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use content::{Target, closest_to_title, item, loaded, not_found, search_entry, target};
use form::source_value;
pub use form::{FieldStatus, Form, FormField};
pub use model::{Bundle, Choice, GuideCondition, GuideContent, Item, Question, Theme};
pub use scenario::{ItemPlan, MaterialStatus, PendingQuestion, Plan, RequiredMaterial};
use scenario::{applicable_questions, check_answers, holds, item_plan};

use crate::assistant::FaqEntry;
#[cfg(feature = "search")]
use crate::assistant::{FaqIndex, Hit};
use crate::context::Context;
use crate::dossier::{Licence, Material};
use crate::dynamics::{Dynamic, DynamicKind};
#[cfg(feature = "search")]
use crate::error::Error;
use crate::error::{Issues, Result};

/// Answers to scenario questions: question key -> option value.
pub type Answers = BTreeMap<String, String>;

#[cfg(feature = "ts")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const ANSWERS_TS: &str = "/** Answers to scenario questions: question key -> option value. */\nexport type Answers = { [question: string]: string };";

/// One service in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct ItemSummary {
    pub code: String,
    pub name: String,
    pub department: String,
    pub time_limit: String,
}

/// A branch of the life tree (生命树): a lifecycle theme and its services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct ThemeNode {
    pub theme: Theme,
    pub items: Vec<ItemSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct BundleSummary {
    pub code: String,
    pub name: String,
    pub description: String,
    pub items: u32,
}

/// The guide service. Borrowed from [`Zhuanshu::guide`].
pub struct Guide<'a> {
    ctx: &'a Context,
}

impl<'a> Guide<'a> {
    pub(crate) fn new(ctx: &'a Context) -> Self {
        Guide { ctx }
    }

    /// The life tree: every theme with its services.
    pub fn tree(&self) -> Result<Vec<ThemeNode>> {
        let l = loaded(self.ctx)?;
        let c = &l.content;
        Ok(c.themes
            .iter()
            .map(|t| ThemeNode {
                theme: t.clone(),
                items: c
                    .items
                    .iter()
                    .filter(|i| i.theme == t.code)
                    .map(|i| ItemSummary {
                        code: i.code.clone(),
                        name: i.name.clone(),
                        department: i.department.clone(),
                        time_limit: i.time_limit.clone(),
                    })
                    .collect(),
            })
            .collect())
    }

    /// The "一件事" bundles.
    pub fn bundles(&self) -> Result<Vec<BundleSummary>> {
        Ok(loaded(self.ctx)?
            .content
            .bundles
            .iter()
            .map(|b| BundleSummary {
                code: b.code.clone(),
                name: b.name.clone(),
                description: b.description.clone(),
                items: b.items.len() as u32,
            })
            .collect())
    }

    pub fn item(&self, code: &str) -> Result<Item> {
        item(&loaded(self.ctx)?.content, code).cloned()
    }

    pub fn bundle(&self, code: &str) -> Result<Bundle> {
        loaded(self.ctx)?.content.bundles.iter().find(|b| b.code == code).cloned().ok_or_else(|| not_found(code))
    }

    /// The questions still to answer for item or bundle `code`, given the answers so far.
    pub fn next_questions(&self, code: &str, answers: &Answers) -> Result<Vec<PendingQuestion>> {
        let l = loaded(self.ctx)?;
        let t = target(&l.content, code)?;
        let questions = applicable_questions(&l.content, &t, answers)?;
        check_answers(&questions, answers)?;
        Ok(questions
            .into_iter()
            .filter(|(key, _, _)| !answers.contains_key(key))
            .map(|(key, q, item_name)| PendingQuestion {
                key,
                text: q.text.clone(),
                options: q.options.clone(),
                item_name,
            })
            .collect())
    }

    fn plan_for(
        &self,
        code: &str,
        answers: &Answers,
        company: Option<(&[Material], &[Licence])>,
        on: NaiveDate,
    ) -> Result<Plan> {
        let pending = self.next_questions(code, answers)?;
        if !pending.is_empty() {
            let mut issues = Issues::default();
            for p in &pending {
                issues.push(
                    format!("answers.{}", p.key),
                    format!("请先回答：{}", p.text),
                    format!("{} is unanswered", p.key),
                );
            }
            issues.into_result()?;
        }
        let l = loaded(self.ctx)?;
        let c = &l.content;
        Ok(match target(c, code)? {
            Target::Item(it) => Plan {
                code: it.code.clone(),
                name: it.name.clone(),
                items: vec![item_plan(it, answers, "", company, on)],
            },
            Target::Bundle(b) => Plan {
                code: b.code.clone(),
                name: b.name.clone(),
                items: b
                    .items
                    .iter()
                    .filter(|bi| holds(&bi.when, answers, ""))
                    .map(|bi| item(c, &bi.code).map(|it| item_plan(it, answers, &format!("{}.", it.code), company, on)))
                    .collect::<Result<_>>()?,
            },
        })
    }

    /// The exact materials and steps for the answers (every applicable question must be answered).
    pub fn plan(&self, code: &str, answers: &Answers) -> Result<Plan> {
        self.plan_for(code, answers, None, self.ctx.clock().today())
    }

    /// The plan with each material checked against company `uscc`'s dossier on `on` (the day the
    /// application will be made): reuse, renew or missing.
    pub fn check_materials(&self, uscc: &str, code: &str, answers: &Answers, on: NaiveDate) -> Result<Plan> {
        let materials = crate::dossier::Dossier::new(self.ctx).materials(uscc)?;
        let licences = crate::dossier::Dossier::new(self.ctx).licences(uscc)?;
        self.plan_for(code, answers, Some((&materials, &licences)), on)
    }

    /// Item `code`'s form filled from company `uscc`'s dossier, with the fields still to enter.
    pub fn prefill(&self, uscc: &str, code: &str) -> Result<Form> {
        let l = loaded(self.ctx)?;
        let it = item(&l.content, code)?;
        let company = crate::dossier::Dossier::new(self.ctx).company(uscc)?;
        let licences = crate::dossier::Dossier::new(self.ctx).licences(uscc)?;
        let today = self.ctx.clock().today();
        let fields: Vec<FormField> = it
            .form
            .iter()
            .map(|rule| {
                let (value, problem) = match &rule.source {
                    Some(source) => source_value(source, &company, &licences, today),
                    None => (None, None),
                };
                let (status, message) = match (&value, problem) {
                    (Some(_), Some(problem)) => (FieldStatus::Invalid, Some(problem)),
                    (Some(_), None) => (FieldStatus::Filled, None),
                    (None, _) if rule.required => {
                        let why = if rule.source.is_some() { "档案中没有此项，请填写" } else { "请填写" };
                        (FieldStatus::Missing, Some(why.to_owned()))
                    }
                    (None, _) => (FieldStatus::Empty, None),
                };
                FormField {
                    field: rule.field.clone(),
                    source: rule.source.clone(),
                    value,
                    required: rule.required,
                    status,
                    message,
                }
            })
            .collect();
        let missing = fields
            .iter()
            .filter(|f| matches!(f.status, FieldStatus::Missing | FieldStatus::Invalid))
            .map(|f| f.field.clone())
            .collect();
        Ok(Form { item_code: it.code.clone(), item_name: it.name.clone(), fields, missing })
    }

    /// The guide's services as search entries (name, department, conditions and steps), for the
    /// assistant's engine: [`Guide::search`] here, the second wasm module in the web app.
    pub fn search_entries(&self) -> Result<Vec<FaqEntry>> {
        let c = &loaded(self.ctx)?.content;
        Ok(c.items.iter().map(|i| search_entry(c, i)).collect())
    }

    /// Services matching `query`, searched with the assistant's analyzer (characters, traditional
    /// characters, pinyin, synonyms).
    #[cfg(feature = "search")]
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<Hit>> {
        let l = loaded(self.ctx)?;
        let index = l
            .index
            .get_or_init(|| {
                let entries = l.content.items.iter().map(|i| search_entry(&l.content, i)).collect();
                FaqIndex::build(entries).map(Arc::new).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| Error::Internal(format!("guide index: {e}")))?;
        index.search(query, limit as usize)
    }

    /// The services that carry out a policy: the ones its authors linked, else the best guide match for
    /// its title (so a policy of the catalog or the feed always leads somewhere to act).
    pub fn for_policy(&self, policy: &crate::policy::Policy) -> Result<Vec<ItemSummary>> {
        let l = loaded(self.ctx)?;
        let summary = |i: &Item| ItemSummary {
            code: i.code.clone(),
            name: i.name.clone(),
            department: i.department.clone(),
            time_limit: i.time_limit.clone(),
        };
        let linked: Vec<ItemSummary> = policy
            .guide
            .iter()
            .filter_map(|code| l.content.items.iter().find(|i| &i.code == code))
            .map(summary)
            .collect();
        if !linked.is_empty() {
            return Ok(linked);
        }
        Ok(closest_to_title(&l.content.items, &policy.title).map(summary).into_iter().collect())
    }

    /// The service an item of the home list leads to: the renewal of that licence, the filing, the
    /// annual report.
    pub fn for_dynamic(&self, uscc: &str, d: &Dynamic) -> Result<Option<ItemSummary>> {
        let topic = match d.kind {
            DynamicKind::LicenceRenewal | DynamicKind::LicenceExpiry => {
                let Some(crate::dynamics::Action::Licence { id }) = &d.action else { return Ok(None) };
                let licence = crate::dossier::Dossier::new(self.ctx).licence(*id)?;
                format!("licence-renewal:{}", licence.data.kind)
            }
            DynamicKind::TaxFiling => {
                let t = d.id.split(':').nth(1).unwrap_or_default();
                format!("tax:{t}")
            }
            DynamicKind::AnnualReport => {
                match crate::dossier::Dossier::new(self.ctx).company(uscc)?.company.company_type {
                    crate::dossier::CompanyType::IndividualBusiness => "annual-report:individual".to_owned(),
                    _ => "annual-report".to_owned(),
                }
            }
            _ => return Ok(None),
        };
        Ok(loaded(self.ctx)?.content.items.iter().find(|i| i.topic.as_deref() == Some(topic.as_str())).map(|i| {
            ItemSummary {
                code: i.code.clone(),
                name: i.name.clone(),
                department: i.department.clone(),
                time_limit: i.time_limit.clone(),
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Zhuanshu;
    use crate::content::demo_companies;
    use crate::dossier::MaterialData;
    use crate::{Clock, Config};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn app() -> Zhuanshu {
        Zhuanshu::open(Config { data_dir: None, clock: Clock::fixed_on(today()), ..Default::default() }).unwrap()
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// Answers every pending question with its option number `pick(i)`, until nothing is pending.
    fn answer_all(g: &Guide<'_>, code: &str, mut a: Answers, pick: &dyn Fn(usize, usize) -> usize) -> Answers {
        loop {
            let pending = g.next_questions(code, &a).unwrap();
            if pending.is_empty() {
                return a;
            }
            for (i, q) in pending.iter().enumerate() {
                a.insert(q.key.clone(), q.options[pick(i, q.options.len())].value.clone());
            }
        }
    }

    #[test]
    fn every_branch_of_every_bundle_gives_a_plan_and_the_same_answers_the_same_plan() {
        let app = app();
        let g = app.guide();
        for b in g.bundles().unwrap() {
            let bundle = g.bundle(&b.code).unwrap();
            // Every combination of the bundle's own answers.
            let mut combos: Vec<Answers> = vec![Answers::new()];
            for q in &bundle.questions {
                combos = combos
                    .into_iter()
                    .flat_map(|a| {
                        q.options.iter().map(move |o| {
                            let mut a = a.clone();
                            a.insert(q.id.clone(), o.value.clone());
                            a
                        })
                    })
                    .collect();
            }
            for a in combos {
                let first = |_: usize, _: usize| 0usize;
                let last = |_: usize, n: usize| n - 1;
                for pick in [&first as &dyn Fn(usize, usize) -> usize, &last] {
                    let full = answer_all(&g, &b.code, a.clone(), pick);
                    let plan = g.plan(&b.code, &full).unwrap();
                    assert!(!plan.items.is_empty(), "{} {full:?}", b.code);
                    let expected: Vec<&str> = bundle
                        .items
                        .iter()
                        .filter(|bi| holds(&bi.when, &full, ""))
                        .map(|bi| bi.code.as_str())
                        .collect();
                    let got: Vec<&str> = plan.items.iter().map(|i| i.code.as_str()).collect();
                    assert_eq!(got, expected, "{} {full:?}", b.code);
                    assert_eq!(g.plan(&b.code, &full).unwrap(), plan, "deterministic");
                }
            }
        }
    }

    #[test]
    fn answers_select_exactly_the_materials() {
        let app = app();
        let g = app.guide();
        // 有限责任公司设立登记: lease vs own premises, an agent or not.
        let lease = g.plan("SH-SCJG-0002", &answers(&[("q1", "lease"), ("q2", "no"), ("q3", "yes")])).unwrap();
        let kinds: Vec<&str> = lease.items[0].materials.iter().map(|m| m.kind.as_str()).collect();
        assert!(kinds.contains(&"lease_contract") && kinds.contains(&"power_of_attorney"), "{kinds:?}");
        assert!(!kinds.contains(&"property_certificate"));
        let own = g.plan("SH-SCJG-0002", &answers(&[("q1", "own"), ("q2", "no"), ("q3", "no")])).unwrap();
        let kinds: Vec<&str> = own.items[0].materials.iter().map(|m| m.kind.as_str()).collect();
        assert!(kinds.contains(&"property_certificate") && !kinds.contains(&"lease_contract"), "{kinds:?}");
        assert!(!kinds.contains(&"power_of_attorney"));
    }

    #[test]
    fn unanswered_and_wrong_answers_are_named() {
        let app = app();
        let g = app.guide();
        let err = g.plan("SH-SCJG-0002", &answers(&[("q1", "lease")])).unwrap_err();
        let paths: Vec<&str> = err.issues().iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["answers.q2", "answers.q3"]);
        assert!(err.issues()[0].user_message.starts_with("请先回答："));
        let err = g.next_questions("SH-SCJG-0002", &answers(&[("q1", "castle"), ("q9", "x")])).unwrap_err();
        assert_eq!(err.issues().len(), 2);
        assert!(err.issues()[0].user_message.contains("租赁"), "{err:?}");
        assert_eq!(g.plan("NO-SUCH", &Answers::new()).unwrap_err().issues()[0].path, "code");
        // In a bundle, item questions appear once the bundle's own are answered, under the item's code.
        let first = g.next_questions("bundle-small-restaurant", &Answers::new()).unwrap();
        assert!(first.iter().all(|q| !q.key.contains('.')));
        let bundle_answers = answers(&[("q1", "llc"), ("q2", "no"), ("q3", "yes"), ("q4", "yes")]);
        let next = g.next_questions("bundle-small-restaurant", &bundle_answers).unwrap();
        assert!(
            next.iter().any(|q| q.key == "SH-SCJG-0002.q1" && q.item_name.as_deref() == Some("有限责任公司设立登记"))
        );
    }

    #[test]
    fn materials_are_reused_renewed_or_missing_by_validity_on_the_day() {
        let app = app();
        let restaurant = demo_companies(today()).unwrap().into_iter().find(|d| d.company.industry == "H62").unwrap();
        let uscc = restaurant.company.uscc.clone();
        app.dossier().import(&restaurant).unwrap();
        let lease = MaterialData {
            kind: "lease_contract".into(),
            title: "门店租赁合同".into(),
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 31),
            vault_document: Some("doc-1".into()),
        };
        app.dossier().add_material(&uscc, &lease).unwrap();
        let a = answers(&[("q1", "lease"), ("q2", "no"), ("q3", "yes")]);
        let g = app.guide();
        let status = |on: NaiveDate, kind: &str| {
            let plan = g.check_materials(&uscc, "SH-SCJG-0002", &a, on).unwrap();
            plan.items[0].materials.iter().find(|m| m.kind == kind).unwrap().clone()
        };
        let now = status(today(), "lease_contract");
        // The demo restaurant may have its own lease; the freshest one is chosen either way.
        assert_eq!(now.status, MaterialStatus::Reuse, "{now:?}");
        let later = status(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(), "lease_contract");
        assert_eq!(later.status, MaterialStatus::Renew, "{later:?}");
        assert!(later.detail.contains("过期"));
        assert_eq!(status(today(), "power_of_attorney").status, MaterialStatus::Missing);
        assert_eq!(status(today(), "other").status, MaterialStatus::Prepare);
    }

    #[test]
    fn forms_are_prefilled_and_gaps_named() {
        let app = app();
        let docs = demo_companies(today()).unwrap();
        let restaurant = docs.iter().find(|d| d.company.industry == "H62").unwrap();
        app.dossier().import(restaurant).unwrap();
        let g = app.guide();
        let item = g.tree().unwrap().into_iter().flat_map(|t| t.items).find(|i| i.code == "SH-SCJG-0102").unwrap();
        let form = g.prefill(&restaurant.company.uscc, &item.code).unwrap();
        let number = form.fields.iter().find(|f| f.source.as_deref() == Some("licence.food_business.number"));
        if let Some(n) = number {
            assert_eq!(n.status, FieldStatus::Filled, "{form:#?}");
        }
        let name = form.fields.iter().find(|f| f.source.as_deref() == Some("company.name")).expect("name field");
        assert_eq!(name.value.as_deref(), Some(restaurant.company.name.as_str()));
        // Without the licence in the dossier, its fields become gaps the owner must fill.
        let mut bare = restaurant.clone();
        bare.licences.retain(|l| l.kind != "food_business");
        bare.company.uscc = crate::dossier::uscc::complete("91310104MA1FL8XK2").unwrap();
        app.dossier().import(&bare).unwrap();
        let form = g.prefill(&bare.company.uscc, &item.code).unwrap();
        let licence_fields: Vec<&FormField> = form
            .fields
            .iter()
            .filter(|f| f.source.as_deref().is_some_and(|s| s.starts_with("licence.food_business")))
            .collect();
        assert!(!licence_fields.is_empty(), "the renewal form asks for the licence");
        for f in licence_fields {
            assert_ne!(f.status, FieldStatus::Filled);
            if f.required {
                assert!(form.missing.contains(&f.field));
            }
        }
    }

    #[test]
    fn every_policy_leads_to_a_service() {
        let app = app();
        let g = app.guide();
        let policies = app.policies().list().unwrap();
        for p in policies.iter() {
            assert!(!g.for_policy(p).unwrap().is_empty(), "{}", p.title);
        }
        let hitech = policies.iter().find(|p| p.title.contains("高新技术企业认定")).expect("a 高企 policy");
        assert!(g.for_policy(hitech).unwrap()[0].name.contains("高新技术企业"), "{:?}", g.for_policy(hitech));
    }

    #[test]
    fn a_policy_linked_to_nothing_leads_to_the_service_named_most_like_it() {
        let app = app();
        let catalog = app.policies().list().unwrap();
        let mut policy = catalog.iter().find(|p| p.title.contains("高新技术企业认定")).unwrap().as_ref().clone();
        policy.guide.clear();
        policy.title = "《高新技术企业认定》申报奖励（区级）".into();
        let found = app.guide().for_policy(&policy).unwrap();
        assert_eq!(found.len(), 1);
        assert!(found[0].name.contains("高新技术企业认定"), "{found:?}");
        // Punctuation pairs match nothing: a title sharing only them with every item finds none.
        policy.title = "《》（）".into();
        assert!(app.guide().for_policy(&policy).unwrap().is_empty());
    }

    #[cfg(feature = "search")]
    #[test]
    fn guide_search_and_links_from_the_home_list() {
        let app = app();
        let g = app.guide();
        let hits = g.search("食品經營許可證延續", 3).unwrap();
        assert_eq!(hits[0].id, "SH-SCJG-0102", "{hits:?}");
        let restaurant = demo_companies(today()).unwrap().into_iter().find(|d| d.company.industry == "H62").unwrap();
        app.dossier().import(&restaurant).unwrap();
        let items = app.dynamics().list(&restaurant.company.uscc, today()).unwrap();
        let renewal =
            items.iter().find(|d| d.kind == DynamicKind::LicenceRenewal && d.title.contains("食品经营")).unwrap();
        let target = g.for_dynamic(&restaurant.company.uscc, renewal).unwrap().expect("a guide item");
        assert_eq!(target.code, "SH-SCJG-0102");
        let report = items.iter().find(|d| d.kind == DynamicKind::AnnualReport).unwrap();
        assert_eq!(g.for_dynamic(&restaurant.company.uscc, report).unwrap().unwrap().code, "SH-SCJG-0701");
    }
}
