//! The guide (专属办事): the enterprise life tree of services, scenario questions that turn "I want to open
//! a small restaurant" into the exact list of materials and steps, material reuse against the dossier
//! and the vault, and forms prefilled from the dossier.
//!
//! Answers are keyed by question id. An item's questions use their own ids (`q1`); in a bundle, the
//! bundle's questions use theirs and each chosen item's questions are prefixed with the item code
//! (`SH-SCJG-0002.q1`). [`Guide::next_questions`] says what is still to be asked, so a front end simply
//! loops until it is empty and then calls [`Guide::plan`]; the same answers always give the same plan.

pub mod model;

use std::collections::BTreeMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
#[cfg(feature = "search")]
use std::sync::OnceLock;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use serde::Serialize;

pub use model::{Bundle, Choice, GuideCondition, GuideContent, Item, Question, Theme};

use crate::assistant::FaqEntry;
#[cfg(feature = "search")]
use crate::assistant::{FaqIndex, Hit};
use crate::context::Context;
use crate::dossier::{CompanyOverview, Licence, Material, industry, money, region, uscc};
use crate::dynamics::{Dynamic, DynamicKind};
use crate::error::{Error, Issues, Result};

/// Answers to scenario questions: question key -> option value.
pub type Answers = BTreeMap<String, String>;

#[cfg(feature = "ts")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const ANSWERS_TS: &str = "/** Answers to scenario questions: question key -> option value. */\nexport type Answers = { [question: string]: string };";

/// Parsed guide content and its search index, for one version of the content's bytes.
struct Loaded {
    fingerprint: u64,
    content: Arc<GuideContent>,
    #[cfg(feature = "search")]
    index: OnceLock<std::result::Result<Arc<FaqIndex>, String>>,
}

/// The guide in force: the feed's `guide.json` when one has been synced, else the embedded one (in the
/// browser: the one the web app provided). Parsed once per version (the fingerprint of the bytes says
/// when the feed brought a new one).
fn loaded(ctx: &Context) -> Result<Arc<Loaded>> {
    static CACHE: Mutex<Option<Arc<Loaded>>> = Mutex::new(None);
    let bytes = crate::feed::Feed::new(ctx).file(crate::feed::GUIDE_FILE)?.ok_or_else(|| {
        Error::Internal("the guide content is not loaded (the web app provides guide.json first)".into())
    })?;
    let bytes: &[u8] = &bytes;
    let fingerprint = {
        let mut h = DefaultHasher::new();
        bytes.hash(&mut h);
        h.finish()
    };
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(l) = cache.as_ref().filter(|l| l.fingerprint == fingerprint) {
        return Ok(Arc::clone(l));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Internal(format!("guide content: {e}")))?;
    let l = Arc::new(Loaded {
        fingerprint,
        content: Arc::new(GuideContent::parse(text)?),
        #[cfg(feature = "search")]
        index: OnceLock::new(),
    });
    *cache = Some(Arc::clone(&l));
    Ok(l)
}

/// An item as an entry of the search engine.
fn search_entry(c: &GuideContent, i: &Item) -> FaqEntry {
    let theme = c.themes.iter().find(|t| t.code == i.theme).map(|t| t.name.clone()).unwrap_or_default();
    FaqEntry {
        id: i.code.clone(),
        question: i.name.clone(),
        alternatives: vec![format!("{}办理{}", i.department, i.name)],
        answer: format!("{}\n{}", i.conditions, i.steps.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("\n")),
        tags: i.basis.clone(),
        theme,
        related: Vec::new(),
        updated: NaiveDate::default(),
    }
}

/// The item whose name shares the most two-character words with a policy's title (its conditions count
/// a third as much), for a policy its authors linked to nothing. Plain character pairs rather than the
/// search engine, so every build of the core (the web app's first module has no engine) gives the same
/// answer; titles and service names are short and written in the same administrative vocabulary.
fn closest_to_title<'i>(items: &'i [Item], title: &str) -> Option<&'i Item> {
    let pairs = |text: &str| -> std::collections::HashSet<(char, char)> {
        let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let wanted = pairs(title);
    items
        .iter()
        .map(|i| {
            (3 * wanted.intersection(&pairs(&i.name)).count() + wanted.intersection(&pairs(&i.conditions)).count(), i)
        })
        .filter(|(score, _)| *score > 0)
        // The first of equals: content order puts the common services first.
        .fold(None, |best: Option<(usize, &Item)>, (score, i)| match best {
            Some((b, _)) if b >= score => best,
            _ => Some((score, i)),
        })
        .map(|(_, i)| i)
}

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

/// A question still to answer, with the key its answer goes under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct PendingQuestion {
    pub key: String,
    pub text: String,
    pub options: Vec<Choice>,
    /// For an item's question inside a bundle: the item's name.
    pub item_name: Option<String>,
}

/// Where a required material stands for this company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum MaterialStatus {
    /// Not checked against the dossier (no plan for a company, or a material the dossier does not track).
    Prepare,
    /// The dossier has it, valid on the application day: reuse it.
    Reuse,
    /// The dossier has it, but it is no longer valid on the application day.
    Renew,
    /// The dossier does not have it.
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct RequiredMaterial {
    pub kind: String,
    pub name: String,
    pub required: bool,
    pub note: Option<String>,
    pub status: MaterialStatus,
    /// Why, in Chinese: `可复用：漕溪北路门店租赁合同（有效期至2027-03-14），证照夹有扫描件`.
    pub detail: String,
    /// The dossier material reused or to renew.
    pub material_id: Option<i64>,
    /// Its scan in the vault, when there is one.
    pub vault_document: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct ItemPlan {
    pub code: String,
    pub name: String,
    pub department: String,
    pub time_limit: String,
    pub materials: Vec<RequiredMaterial>,
    pub steps: Vec<String>,
}

/// What to hand in and do, for an item or a whole bundle, given the answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Plan {
    pub code: String,
    pub name: String,
    pub items: Vec<ItemPlan>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum FieldStatus {
    Filled,
    /// Required and not in the dossier: the owner must enter it.
    Missing,
    /// Optional and not in the dossier.
    Empty,
    /// In the dossier but not usable as it is (e.g. an expired licence).
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct FormField {
    pub field: String,
    pub source: Option<String>,
    pub value: Option<String>,
    pub required: bool,
    pub status: FieldStatus,
    /// Why a field is missing or invalid, in Chinese.
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Form {
    pub item_code: String,
    pub item_name: String,
    pub fields: Vec<FormField>,
    /// Fields the owner must still fill in.
    pub missing: Vec<String>,
}

fn holds(when: &Option<Vec<GuideCondition>>, answers: &Answers, prefix: &str) -> bool {
    when.iter().flatten().all(|c| answers.get(&format!("{prefix}{}", c.question)).is_some_and(|a| c.values.contains(a)))
}

fn not_found(code: &str) -> Error {
    Error::invalid("code", format!("没有编号为“{code}”的办事事项"), format!("no guide item or bundle {code}"))
}

enum Target<'c> {
    Item(&'c Item),
    Bundle(&'c Bundle),
}

fn target<'c>(c: &'c GuideContent, code: &str) -> Result<Target<'c>> {
    if let Some(i) = c.items.iter().find(|i| i.code == code) {
        return Ok(Target::Item(i));
    }
    c.bundles.iter().find(|b| b.code == code).map(Target::Bundle).ok_or_else(|| not_found(code))
}

fn item<'c>(c: &'c GuideContent, code: &str) -> Result<&'c Item> {
    c.items.iter().find(|i| i.code == code).ok_or_else(|| not_found(code))
}

/// Every question that applies, in order, each with its key: for a bundle, its own questions, then the
/// questions of the items its answers select (those appear only once the bundle's are answered).
fn applicable_questions<'c>(
    c: &'c GuideContent,
    target: &Target<'c>,
    answers: &Answers,
) -> Result<Vec<(String, &'c Question, Option<String>)>> {
    Ok(match target {
        Target::Item(i) => i.questions.iter().map(|q| (q.id.clone(), q, None)).collect(),
        Target::Bundle(b) => {
            let mut out: Vec<(String, &'c Question, Option<String>)> =
                b.questions.iter().map(|q| (q.id.clone(), q, None)).collect();
            if b.questions.iter().all(|q| answers.contains_key(&q.id)) {
                for bi in b.items.iter().filter(|bi| holds(&bi.when, answers, "")) {
                    let it = item(c, &bi.code)?;
                    for q in &it.questions {
                        out.push((format!("{}.{}", it.code, q.id), q, Some(it.name.clone())));
                    }
                }
            }
            out
        }
    })
}

/// Checks that every given answer is for a question that applies and is one of its options.
fn check_answers(questions: &[(String, &Question, Option<String>)], answers: &Answers) -> Result<()> {
    let mut issues = Issues::default();
    for (key, value) in answers {
        match questions.iter().find(|(k, _, _)| k == key) {
            None => issues.push(
                format!("answers.{key}"),
                format!("没有需要回答的问题“{key}”"),
                format!("no applicable question {key}"),
            ),
            Some((_, q, _)) if !q.options.iter().any(|o| &o.value == value) => {
                let options: Vec<String> = q.options.iter().map(|o| format!("{}（{}）", o.value, o.label)).collect();
                issues.push(
                    format!("answers.{key}"),
                    format!("“{}”的回答应为：{}", q.text, options.join("、")),
                    format!("{value:?} is not an option of {key}"),
                )
            }
            Some(_) => {}
        }
    }
    issues.into_result()
}

fn material_kind_name(kind: &str) -> String {
    crate::dossier::material::kind_name(kind)
}

/// Compares one required material with the dossier on `on` (the application day).
fn check_material(
    rule: &model::MaterialRule,
    company: Option<(&[Material], &[Licence])>,
    on: NaiveDate,
) -> RequiredMaterial {
    let mut m = RequiredMaterial {
        kind: rule.kind.clone(),
        name: rule.name.clone(),
        required: rule.required,
        note: rule.note.clone(),
        status: MaterialStatus::Prepare,
        detail: String::new(),
        material_id: None,
        vault_document: None,
    };
    let Some((materials, licences)) = company else {
        m.detail = "需准备".into();
        return m;
    };
    if rule.kind == crate::dossier::material::OTHER {
        m.detail = "档案中不跟踪此类材料，请自行准备".into();
        return m;
    }
    // The freshest material of the kind: no expiry beats any expiry, later beats earlier.
    let best = materials
        .iter()
        .filter(|x| x.data.kind == rule.kind)
        .max_by_key(|x| (x.data.valid_until.is_none(), x.data.valid_until));
    if let Some(x) = best {
        m.material_id = Some(x.id);
        m.vault_document = x.data.vault_document.clone();
        let scan = if x.data.vault_document.is_some() { "，证照夹有扫描件" } else { "" };
        match x.data.valid_until {
            Some(until) if until < on => {
                m.status = MaterialStatus::Renew;
                m.detail = format!("档案中的“{}”已于{until}过期，需重新准备", x.data.title);
            }
            Some(until) => {
                m.status = MaterialStatus::Reuse;
                m.detail = format!("可复用：{}（有效期至{until}）{scan}", x.data.title);
            }
            None => {
                m.status = MaterialStatus::Reuse;
                m.detail = format!("可复用：{}（长期有效）{scan}", x.data.title);
            }
        }
        return m;
    }
    // A copy of the business licence can be made from the licence itself.
    if rule.kind == "business_licence_copy" && licences.iter().any(|l| l.data.kind == "business_licence") {
        m.status = MaterialStatus::Reuse;
        m.detail = "档案中有营业执照，复印并加盖公章即可".into();
        return m;
    }
    m.status = MaterialStatus::Missing;
    m.detail = format!("档案中没有“{}”，需准备", material_kind_name(&rule.kind));
    m
}

fn item_plan(
    it: &Item,
    answers: &Answers,
    prefix: &str,
    company: Option<(&[Material], &[Licence])>,
    on: NaiveDate,
) -> ItemPlan {
    ItemPlan {
        code: it.code.clone(),
        name: it.name.clone(),
        department: it.department.clone(),
        time_limit: it.time_limit.clone(),
        materials: it
            .materials
            .iter()
            .filter(|m| holds(&m.when, answers, prefix))
            .map(|m| check_material(m, company, on))
            .collect(),
        steps: it.steps.iter().filter(|s| holds(&s.when, answers, prefix)).map(|s| s.text.clone()).collect(),
    }
}

/// The value of a form source for a company, or why there is none.
fn source_value(
    source: &str,
    c: &CompanyOverview,
    licences: &[Licence],
    today: NaiveDate,
) -> (Option<String>, Option<String>) {
    let p = &c.company;
    let value = match source {
        "company.uscc" => return (Some(p.uscc.clone()), uscc::normalize(&p.uscc).err().map(|e| e.user_message())),
        "company.name" => Some(p.name.clone()),
        "company.company_type" => Some(p.company_type.label().to_owned()),
        "company.legal_representative" => Some(p.legal_representative.clone()),
        "company.registered_capital_fen" => Some(money::format_yuan(p.registered_capital_fen)),
        "company.established_on" => Some(p.established_on.to_string()),
        "company.address" => Some(p.address.clone()),
        "company.district" => {
            return (
                Some(format!("{}（{}）", c.district_name, p.district)),
                region::validate(&p.district).err().map(|e| e.user_message()),
            );
        }
        "company.industry" => {
            return (
                Some(format!("{} {}", p.industry, c.industry_name)),
                industry::validate(&p.industry).err().map(|e| e.user_message()),
            );
        }
        "company.employees" => Some(p.employees.to_string()),
        "company.revenue_fen" => Some(money::format_yuan(p.revenue_fen)),
        "company.taxpayer_kind" => Some(p.taxpayer_kind.label().to_owned()),
        "company.credit_grade" => p.credit_grade.map(|g| g.label().to_owned()),
        other => {
            let mut parts = other.split('.');
            let (Some("licence"), Some(kind), Some(field)) = (parts.next(), parts.next(), parts.next()) else {
                return (None, None);
            };
            let Some(l) = licences
                .iter()
                .filter(|l| l.data.kind == kind)
                .max_by_key(|l| (l.data.valid_until.is_none(), l.data.valid_until))
            else {
                return (None, None);
            };
            let expired = l.data.valid_until.filter(|u| *u < today).map(|u| format!("{}已于{u}过期", l.kind_name));
            let value = match field {
                "number" => l.data.number.clone(),
                "issuer" => l.data.issuer.clone(),
                "valid_until" => l.data.valid_until.map(|d| d.to_string()).unwrap_or_else(|| "长期有效".into()),
                _ => return (None, None),
            };
            return (Some(value), expired);
        }
    };
    (value, None)
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
        bare.company.uscc = uscc::complete("91310104MA1FL8XK2").unwrap();
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
