//! The guide's content: lifecycle themes (the 生命树), service items (事项) and "一件事" bundles, loaded
//! from core/content/guide/guide.json and checked on load, so a broken reference is found by the tests,
//! not by an owner halfway through a form.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::dossier::{licence, material};
use crate::error::{Error, Issues, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub code: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A scenario question (情形引导).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub options: Vec<Choice>,
}

/// "Applies when every one of these answers is among the values": `{question, in: [values]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
// Not `Condition`: that is the policy engine's eligibility grammar, exported to every front end too.
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct GuideCondition {
    pub question: String,
    #[serde(rename = "in")]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MaterialRule {
    /// A material kind of the dossier catalog, or `other`.
    pub kind: String,
    pub name: String,
    pub required: bool,
    #[serde(default)]
    pub when: Option<Vec<GuideCondition>>,
    #[serde(default)]
    pub note: Option<String>,
    /// How recent the material must be, in days, when the department says so.
    #[serde(default)]
    pub valid_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub text: String,
    #[serde(default)]
    pub when: Option<Vec<GuideCondition>>,
}

/// One field of an item's form and where its value comes from in the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct FormFieldRule {
    pub field: String,
    /// `company.name`, `licence.food_business.number` …; `None` when only the owner knows it.
    #[serde(default)]
    pub source: Option<String>,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub code: String,
    pub name: String,
    pub theme: String,
    /// What in the app leads here: `licence-renewal:food_business`, `tax:vat`, `annual-report` … (see
    /// `Guide::for_dynamic`).
    #[serde(default)]
    pub topic: Option<String>,
    pub department: String,
    pub conditions: String,
    /// 承诺时限, as the department states it.
    pub time_limit: String,
    pub time_limit_days: Option<u32>,
    pub fee: String,
    /// `online`, `window`, `mail`.
    pub channels: Vec<String>,
    /// Laws and regulations, by name.
    pub basis: Vec<String>,
    #[serde(default)]
    pub questions: Vec<Question>,
    pub materials: Vec<MaterialRule>,
    pub steps: Vec<Step>,
    #[serde(default)]
    pub form: Vec<FormFieldRule>,
    #[serde(default)]
    pub faq: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct BundleItem {
    pub code: String,
    #[serde(default)]
    pub when: Option<Vec<GuideCondition>>,
}

/// A "一件事" bundle: several items an owner does together, chosen by the bundle's own questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub code: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub questions: Vec<Question>,
    pub items: Vec<BundleItem>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideContent {
    pub version: u32,
    pub themes: Vec<Theme>,
    pub items: Vec<Item>,
    pub bundles: Vec<Bundle>,
}

/// Dossier fields a form may take its value from (besides `licence.<kind>.<number|valid_until|issuer>`).
pub const COMPANY_SOURCES: &[&str] = &[
    "company.uscc",
    "company.name",
    "company.company_type",
    "company.legal_representative",
    "company.registered_capital_fen",
    "company.established_on",
    "company.address",
    "company.district",
    "company.industry",
    "company.employees",
    "company.revenue_fen",
    "company.taxpayer_kind",
    "company.credit_grade",
];

fn valid_source(source: &str) -> bool {
    if COMPANY_SOURCES.contains(&source) {
        return true;
    }
    let mut parts = source.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("licence"), Some(kind), Some("number" | "valid_until" | "issuer"), None) if licence::kind(kind).is_some()
    )
}

fn check_conditions(issues: &mut Issues, path: &str, when: &Option<Vec<GuideCondition>>, questions: &[Question]) {
    for (i, c) in when.iter().flatten().enumerate() {
        match questions.iter().find(|q| q.id == c.question) {
            None => issues.push(
                format!("{path}.when[{i}]"),
                "条件引用了不存在的问题",
                format!("unknown question {}", c.question),
            ),
            Some(q) => {
                for v in &c.values {
                    if !q.options.iter().any(|o| &o.value == v) {
                        issues.push(
                            format!("{path}.when[{i}]"),
                            "条件引用了不存在的选项",
                            format!("question {} has no option {v}", q.id),
                        );
                    }
                }
            }
        }
    }
}

fn check_questions(issues: &mut Issues, path: &str, questions: &[Question]) {
    let mut ids = HashSet::new();
    for (i, q) in questions.iter().enumerate() {
        if !ids.insert(q.id.as_str()) {
            issues.push(format!("{path}.questions[{i}]"), "问题编号重复", format!("duplicate question id {}", q.id));
        }
        if q.options.len() < 2 {
            issues.push(format!("{path}.questions[{i}]"), "问题至少要有两个选项", "a question needs 2+ options");
        }
    }
}

impl GuideContent {
    pub fn parse(json: &str) -> Result<GuideContent> {
        let content: GuideContent =
            serde_json::from_slice(json.as_bytes()).map_err(|e| Error::Format(format!("guide: {e}")))?;
        content.validate()?;
        Ok(content)
    }

    /// Every reference resolves: themes, questions and options in conditions, material kinds, form
    /// sources, bundle items; codes are unique.
    fn validate(&self) -> Result<()> {
        let mut issues = Issues::default();
        let themes: HashSet<&str> = self.themes.iter().map(|t| t.code.as_str()).collect();
        let mut codes = HashSet::new();
        for (i, item) in self.items.iter().enumerate() {
            let path = format!("items[{i}]");
            if !codes.insert(item.code.as_str()) {
                issues.push(&path, "事项编码重复", format!("duplicate item code {}", item.code));
            }
            if !themes.contains(item.theme.as_str()) {
                issues.push(format!("{path}.theme"), "未知的主题", format!("unknown theme {}", item.theme));
            }
            check_questions(&mut issues, &path, &item.questions);
            for (j, m) in item.materials.iter().enumerate() {
                let mpath = format!("{path}.materials[{j}]");
                if m.kind != material::OTHER && material::kind(&m.kind).is_none() {
                    issues.push(&mpath, "未知的材料类型", format!("unknown material kind {}", m.kind));
                }
                check_conditions(&mut issues, &mpath, &m.when, &item.questions);
            }
            for (j, s) in item.steps.iter().enumerate() {
                check_conditions(&mut issues, &format!("{path}.steps[{j}]"), &s.when, &item.questions);
            }
            for (j, f) in item.form.iter().enumerate() {
                if let Some(source) = &f.source {
                    if !valid_source(source) {
                        issues.push(format!("{path}.form[{j}]"), "未知的数据来源", format!("unknown source {source}"));
                    }
                }
            }
        }
        for (i, b) in self.bundles.iter().enumerate() {
            let path = format!("bundles[{i}]");
            if !codes.insert(b.code.as_str()) {
                issues.push(&path, "编码重复", format!("duplicate code {}", b.code));
            }
            check_questions(&mut issues, &path, &b.questions);
            for (j, bi) in b.items.iter().enumerate() {
                if !self.items.iter().any(|it| it.code == bi.code) {
                    issues.push(format!("{path}.items[{j}]"), "事项不存在", format!("unknown item {}", bi.code));
                }
                check_conditions(&mut issues, &format!("{path}.items[{j}]"), &bi.when, &b.questions);
            }
        }
        issues.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_guide_is_complete_and_consistent() {
        let g = GuideContent::parse(include_str!("../../content/guide/guide.json")).unwrap();
        assert!(g.themes.len() >= 12, "{} themes", g.themes.len());
        assert!(g.items.len() >= 100, "{} items", g.items.len());
        assert!(g.bundles.len() >= 4);
        for name in ["开办小餐馆", "开办便利店", "企业迁移", "简易注销"] {
            assert!(g.bundles.iter().any(|b| b.name.contains(name)), "bundle {name}");
        }
        assert!(g.items.iter().all(|i| !i.basis.is_empty() && !i.department.is_empty()));
    }

    #[test]
    fn broken_references_are_reported_with_paths() {
        let mut g = GuideContent::parse(include_str!("../../content/guide/guide.json")).unwrap();
        g.items[0].theme = "nowhere".into();
        g.items[1].materials[0].kind = "moon_rock".into();
        g.bundles[0].items[0].code = "NO-SUCH".into();
        let err = g.validate().unwrap_err();
        let paths: Vec<&str> = err.issues().iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["items[0].theme", "items[1].materials[0]", "bundles[0].items[0]"]);
    }
}
