//! Scenario questions (情形引导): which questions apply given the answers so far, and the plan they
//! lead to: the exact materials and steps, each material checked against what the company holds.

use chrono::NaiveDate;
use serde::Serialize;

use super::Answers;
use super::content::{Target, item};
use super::model::{Choice, GuideCondition, GuideContent, Item, MaterialRule, Question};
use crate::dossier::{Licence, Material};
use crate::error::{Issues, Result};

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

pub(super) fn holds(when: &Option<Vec<GuideCondition>>, answers: &Answers, prefix: &str) -> bool {
    when.iter().flatten().all(|c| answers.get(&format!("{prefix}{}", c.question)).is_some_and(|a| c.values.contains(a)))
}

/// Every question that applies, in order, each with its key: for a bundle, its own questions, then the
/// questions of the items its answers select (those appear only once the bundle's are answered).
pub(super) fn applicable_questions<'c>(
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
pub(super) fn check_answers(questions: &[(String, &Question, Option<String>)], answers: &Answers) -> Result<()> {
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

pub(super) fn material_kind_name(kind: &str) -> String {
    crate::dossier::material::kind_name(kind)
}

/// Compares one required material with the dossier on `on` (the application day).
pub(super) fn check_material(
    rule: &MaterialRule,
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

pub(super) fn item_plan(
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
