//! The policy catalog as published: policies, their application windows and benefits, and eligibility as a
//! condition tree.
//!
//! The catalog arrives as JSON (embedded today, later through the signed feed), so it is untrusted input:
//! [`parse_catalog`] checks everything before a single policy is matched, and reports *every* problem with
//! its path (`policies[3].eligibility.all[1].value`), not only the first, so a publisher fixes a bad file in
//! one round. A catalog that passed the checks cannot make the matcher fail: conditions are compiled once
//! (see [`super::condition`]) and evaluation is total.
//!
//! Condition grammar (depth ≤ [`MAX_DEPTH`], the root counting as 1):
//! `{"all": [c, …]}` | `{"any": [c, …]}` | `{"not": c}` | `{"field": F, "op": OP, "value": V}`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::condition::{self, Node};
use crate::dossier::{CompanyType, CreditGrade, SizeClass, TaxpayerKind, industry, material};
use crate::error::{Error, Issues, Result};

/// The deepest condition tree accepted. Real policies need 3; the bound keeps evaluation and explanations
/// small whatever a catalog contains.
pub const MAX_DEPTH: usize = 8;

/// The name of the catalog file, in the embedded content and in the feed (`content_files.name`).
pub const CATALOG_FILE: &str = "policies.json";

/// 政策类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    Subsidy,
    Tax,
    Finance,
    Talent,
    Qualification,
    Award,
}

impl PolicyKind {
    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::Subsidy => "补贴",
            PolicyKind::Tax => "税费优惠",
            PolicyKind::Finance => "融资",
            PolicyKind::Talent => "人才",
            PolicyKind::Qualification => "资质认定",
            PolicyKind::Award => "奖励",
        }
    }
}

/// The application window (申报期), both days included. A policy without one is accepted all year (常年).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub opens: NaiveDate,
    pub closes: NaiveDate,
}

/// What a company can get, as a range in fen (0 when the benefit is not money, e.g. a qualification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Benefit {
    pub min_fen: i64,
    pub max_fen: i64,
    pub description: String,
}

impl Benefit {
    /// The amount as a list shows it: `最高50,000元`, `10,000元至50,000元`, one figure when both ends are
    /// equal, `非资金支持` when the benefit is not money.
    pub fn amount_text(&self) -> String {
        use crate::dossier::money::format_yuan;
        match (self.min_fen, self.max_fen) {
            (_, 0) => "非资金支持".to_owned(),
            (0, max) => format!("最高{}", format_yuan(max)),
            (min, max) if min == max => format_yuan(max),
            (min, max) => format!("{}至{}", format_yuan(min), format_yuan(max)),
        }
    }
}

/// One policy of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Stable across catalog versions (`pol-sh-startup-rent-subsidy`): interest and "seen" marks use it.
    pub id: String,
    pub title: String,
    pub issuer: String,
    /// GB/T 2260 prefixes (`31` 上海市, `310115` 浦东新区) where the policy applies; empty = nationwide.
    pub regions: Vec<String>,
    pub published_on: NaiveDate,
    /// `None`: 常年受理 (or, for 免申即享, applied automatically).
    pub window: Option<Window>,
    pub benefit: Benefit,
    pub kind: PolicyKind,
    /// 免申即享: granted without an application to companies that qualify.
    pub auto_granted: bool,
    pub eligibility: Condition,
    /// Material kind codes (core/content/materials.json) an application needs.
    pub materials: Vec<String>,
    /// FAQ entry ids (the assistant's knowledge base).
    pub faq: Vec<String>,
    /// Guide item codes.
    pub guide: Vec<String>,
    /// The official document, e.g. `财政部 税务总局公告2023年第12号`.
    pub source: String,
    pub summary: String,
}

impl Policy {
    /// Where the policy applies, by name: `全国` when it names no region, else each region prefix's name
    /// (the prefix itself when it names none) joined by `、`.
    pub fn regions_label(&self) -> String {
        if self.regions.is_empty() {
            return "全国".to_owned();
        }
        self.regions
            .iter()
            .map(|r| crate::dossier::region::prefix_name(r).unwrap_or_else(|| r.clone()))
            .collect::<Vec<_>>()
            .join("、")
    }
}

// ---- the condition tree ----

/// A profile field a condition can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Industry,
    District,
    SizeClass,
    AgeYears,
    Employees,
    RevenueFen,
    RegisteredCapitalFen,
    TotalAssetsFen,
    TaxpayerKind,
    CreditGrade,
    CompanyType,
    Tags,
}

/// How a field is compared with the condition's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Op {
    PrefixIn,
    NotPrefixIn,
    In,
    NotIn,
    Gte,
    Gt,
    Lte,
    Lt,
    Eq,
    Has,
    HasAny,
    HasNone,
}

/// The value of a leaf: a number (thresholds), a text (`eq`, `has`) or a list of texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(untagged)]
pub enum LeafValue {
    Number(i64),
    Text(String),
    // Foreign name `TextList`: a variant named `List` shadows Kotlin's `List` in the generated sealed class.
    #[cfg_attr(feature = "ffi", uniffi(name = "TextList"))]
    List(Vec<String>),
}

/// One test of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Leaf {
    pub field: Field,
    pub op: Op,
    pub value: LeafValue,
}

/// An eligibility condition. Serialized in the grammar of the module doc; deserializing checks the shape
/// and the leaves (see [`Condition::validate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Leaf(Leaf),
}

/// What kind of value a (field, op) pair takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A non-empty list of code prefixes.
    Prefixes,
    /// A non-empty list of names of the field's enum.
    Names,
    /// One name of the field's enum.
    Name,
    /// A non-negative integer.
    Number,
    /// One tag.
    Tag,
    /// A non-empty list of tags.
    TagList,
}

impl Field {
    /// The name in the catalog JSON.
    pub fn key(self) -> &'static str {
        match self {
            Field::Industry => "industry",
            Field::District => "district",
            Field::SizeClass => "size_class",
            Field::AgeYears => "age_years",
            Field::Employees => "employees",
            Field::RevenueFen => "revenue_fen",
            Field::RegisteredCapitalFen => "registered_capital_fen",
            Field::TotalAssetsFen => "total_assets_fen",
            Field::TaxpayerKind => "taxpayer_kind",
            Field::CreditGrade => "credit_grade",
            Field::CompanyType => "company_type",
            Field::Tags => "tags",
        }
    }

    /// The owner's word for it, as the profile screen shows it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Industry => "行业",
            Field::District => "所在地区",
            Field::SizeClass => "企业规模",
            Field::AgeYears => "成立年限",
            Field::Employees => "从业人员",
            Field::RevenueFen => "上年营业收入",
            Field::RegisteredCapitalFen => "注册资本",
            Field::TotalAssetsFen => "资产总额",
            Field::TaxpayerKind => "纳税人类型",
            Field::CreditGrade => "纳税信用等级",
            Field::CompanyType => "市场主体类型",
            Field::Tags => "企业标签",
        }
    }

    /// The operators the field supports.
    pub fn ops(self) -> &'static [Op] {
        match self {
            Field::Industry | Field::District => &[Op::PrefixIn, Op::NotPrefixIn],
            Field::SizeClass | Field::CreditGrade | Field::CompanyType => &[Op::In, Op::NotIn],
            Field::AgeYears
            | Field::Employees
            | Field::RevenueFen
            | Field::RegisteredCapitalFen
            | Field::TotalAssetsFen => &[Op::Gte, Op::Gt, Op::Lte, Op::Lt],
            Field::TaxpayerKind => &[Op::Eq],
            Field::Tags => &[Op::Has, Op::HasAny, Op::HasNone],
        }
    }

    fn shape(self, op: Op) -> Shape {
        match (self, op) {
            (Field::Industry | Field::District, _) => Shape::Prefixes,
            (Field::SizeClass | Field::CreditGrade | Field::CompanyType, _) => Shape::Names,
            (Field::TaxpayerKind, _) => Shape::Name,
            (Field::Tags, Op::Has) => Shape::Tag,
            (Field::Tags, _) => Shape::TagList,
            _ => Shape::Number,
        }
    }

    fn from_key(key: &str) -> Option<Field> {
        serde_json::from_value(Value::String(key.to_owned())).ok()
    }
}

impl Op {
    pub fn key(self) -> &'static str {
        match self {
            Op::PrefixIn => "prefix_in",
            Op::NotPrefixIn => "not_prefix_in",
            Op::In => "in",
            Op::NotIn => "not_in",
            Op::Gte => "gte",
            Op::Gt => "gt",
            Op::Lte => "lte",
            Op::Lt => "lt",
            Op::Eq => "eq",
            Op::Has => "has",
            Op::HasAny => "has_any",
            Op::HasNone => "has_none",
        }
    }

    fn from_key(key: &str) -> Option<Op> {
        serde_json::from_value(Value::String(key.to_owned())).ok()
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// `a.b` + `c` -> `a.b.c`; `` + `c` -> `c`.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// The names an enum field accepts, in the catalog's spelling.
pub(crate) fn enum_names(field: Field) -> &'static [&'static str] {
    match field {
        Field::SizeClass => &["micro", "small", "medium", "large"],
        Field::CreditGrade => &["A", "B", "M", "C", "D"],
        Field::CompanyType => &[
            "limited_liability",
            "joint_stock",
            "individual_business",
            "sole_proprietorship",
            "partnership",
            "branch",
            "farmer_cooperative",
        ],
        Field::TaxpayerKind => &["general", "small_scale"],
        _ => &[],
    }
}

// The enum names above must be the serde names of the dossier's enums; checked in the tests.
const _: fn() = || {
    let _: (SizeClass, CreditGrade, CompanyType, TaxpayerKind);
};

/// Checks an industry prefix: a section letter, optionally followed by a major group of that section and
/// at most two finer digits (`C`, `C39`, `K701`).
fn check_industry_prefix(prefix: &str) -> std::result::Result<(), String> {
    let mut chars = prefix.chars();
    let Some(letter) = chars.next() else { return Err("行业代码不能为空".into()) };
    let digits = chars.as_str();
    if !letter.is_ascii_uppercase() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 4 {
        return Err(format!("行业代码“{prefix}”应为门类字母，可跟大类代码，如 C 或 C39"));
    }
    if digits.is_empty() {
        return if industry::all().iter().any(|i| i.code.starts_with(letter)) {
            Ok(())
        } else {
            Err(format!("没有门类“{letter}”"))
        };
    }
    if digits.len() < 2 {
        return Err(format!("行业代码“{prefix}”的大类应为两位数字"));
    }
    industry::validate(prefix).map_err(|e| e.user_message())
}

/// Checks a division prefix: 2, 4 or 6 digits starting with a province code.
fn check_district_prefix(prefix: &str) -> std::result::Result<(), String> {
    if !matches!(prefix.len(), 2 | 4 | 6) || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("地区代码“{prefix}”应为2、4或6位数字（省、市、区县）"));
    }
    if crate::dossier::region::prefix_name(prefix).is_none() {
        return Err(format!("地区代码“{prefix}”的前两位不是有效的省级代码"));
    }
    Ok(())
}

impl Leaf {
    fn validate(&self, path: &str, issues: &mut Issues) {
        let field = self.field;
        if !field.ops().contains(&self.op) {
            let ops: Vec<&str> = field.ops().iter().map(|o| o.key()).collect();
            issues.push(
                join(path, "op"),
                format!("条件“{}”不支持运算“{}”，可用：{}", field.label(), self.op, ops.join("、")),
                format!("field {field} does not support op {}; supported: {}", self.op, ops.join(", ")),
            );
            return;
        }
        let value_path = join(path, "value");
        let bad_type = |issues: &mut Issues, expected: &str, expected_en: &str| {
            issues.push(
                value_path.clone(),
                format!("条件“{}”的值应为{expected}", field.label()),
                format!("value of {field} {} must be {expected_en}", self.op),
            )
        };
        match (field.shape(self.op), &self.value) {
            (Shape::Number, LeafValue::Number(n)) => {
                if *n < 0 {
                    issues.push(
                        value_path.clone(),
                        format!("条件“{}”的值不能为负数", field.label()),
                        format!("value of {field} is negative"),
                    );
                }
            }
            (Shape::Number, _) => bad_type(issues, "整数", "an integer"),
            (Shape::Name, LeafValue::Text(name)) => {
                if !enum_names(field).contains(&name.as_str()) {
                    issues.push(
                        value_path.clone(),
                        format!("“{name}”不是有效的{}，可用：{}", field.label(), enum_names(field).join("、")),
                        format!("{name:?} is not a {field}; one of {}", enum_names(field).join(", ")),
                    );
                }
            }
            (Shape::Name, _) => bad_type(issues, "文本", "a string"),
            (Shape::Tag, LeafValue::Text(tag)) => {
                if tag.trim().is_empty() {
                    issues.push(value_path.clone(), "标签不能为空", "tag is empty");
                }
            }
            (Shape::Tag, _) => bad_type(issues, "一个标签", "a string"),
            (shape @ (Shape::Prefixes | Shape::Names | Shape::TagList), LeafValue::List(items)) => {
                if items.is_empty() {
                    issues.push(
                        value_path.clone(),
                        format!("条件“{}”的值不能为空列表", field.label()),
                        format!("value of {field} {} is an empty list", self.op),
                    );
                }
                for (i, item) in items.iter().enumerate() {
                    let problem = match (shape, field) {
                        (Shape::Prefixes, Field::Industry) => check_industry_prefix(item).err(),
                        (Shape::Prefixes, _) => check_district_prefix(item).err(),
                        (Shape::Names, _) if !enum_names(field).contains(&item.as_str()) => {
                            Some(format!("“{item}”不是有效的{}，可用：{}", field.label(), enum_names(field).join("、")))
                        }
                        (Shape::TagList, _) if item.trim().is_empty() => Some("标签不能为空".to_owned()),
                        _ => None,
                    };
                    if let Some(zh) = problem {
                        issues.push(format!("{value_path}[{i}]"), zh, format!("invalid {field} value {item:?}"));
                    }
                }
            }
            (_, _) => bad_type(issues, "文本列表", "a list of strings"),
        }
    }
}

impl Condition {
    /// Checks depth, operators per field and values, reporting every problem under `path`.
    pub(crate) fn validate(&self, path: &str, issues: &mut Issues) {
        self.validate_at(path, 1, issues);
    }

    fn validate_at(&self, path: &str, depth: usize, issues: &mut Issues) {
        if depth > MAX_DEPTH {
            issues.push(
                path,
                format!("条件嵌套超过{MAX_DEPTH}层"),
                format!("condition nested deeper than {MAX_DEPTH} levels"),
            );
            return;
        }
        match self {
            Condition::All(items) | Condition::Any(items) => {
                let key = if matches!(self, Condition::All(_)) { "all" } else { "any" };
                if items.is_empty() {
                    issues.push(
                        join(path, key),
                        format!("“{key}”至少要有一个条件"),
                        format!("{key} has no conditions"),
                    );
                }
                for (i, c) in items.iter().enumerate() {
                    c.validate_at(&join(path, &format!("{key}[{i}]")), depth + 1, issues);
                }
            }
            Condition::Not(inner) => inner.validate_at(&join(path, "not"), depth + 1, issues),
            Condition::Leaf(leaf) => leaf.validate(path, issues),
        }
    }

    /// Reads the JSON shape and checks it as [`Condition::validate`] does, reporting every problem with its
    /// path; a broken branch does not stop its siblings from being checked. Returns `None` if anything was
    /// wrong. Recursion stops below [`MAX_DEPTH`].
    pub(crate) fn from_json(value: &Value, path: &str, depth: usize, issues: &mut Issues) -> Option<Condition> {
        if depth > MAX_DEPTH {
            issues.push(
                path,
                format!("条件嵌套超过{MAX_DEPTH}层"),
                format!("condition nested deeper than {MAX_DEPTH} levels"),
            );
            return None;
        }
        let Value::Object(map) = value else {
            issues.push(path, "条件应为对象", "a condition must be a JSON object");
            return None;
        };
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        match keys.as_slice() {
            [key @ ("all" | "any")] => {
                let key = *key;
                let Some(Value::Array(items)) = map.get(key) else {
                    issues.push(join(path, key), format!("“{key}”应为条件列表"), format!("{key} must be an array"));
                    return None;
                };
                if items.is_empty() {
                    issues.push(
                        join(path, key),
                        format!("“{key}”至少要有一个条件"),
                        format!("{key} has no conditions"),
                    );
                }
                let mut out = Vec::with_capacity(items.len());
                let mut ok = !items.is_empty();
                for (i, item) in items.iter().enumerate() {
                    match Condition::from_json(item, &join(path, &format!("{key}[{i}]")), depth + 1, issues) {
                        Some(c) => out.push(c),
                        None => ok = false,
                    }
                }
                let node = if key == "all" { Condition::All(out) } else { Condition::Any(out) };
                ok.then_some(node)
            }
            ["not"] => {
                let inner = Condition::from_json(map.get("not")?, &join(path, "not"), depth + 1, issues)?;
                Some(Condition::Not(Box::new(inner)))
            }
            _ if map.contains_key("field") || map.contains_key("op") || map.contains_key("value") => {
                let leaf = Leaf::from_json(map, path, issues)?;
                let mut own = Issues::default();
                leaf.validate(path, &mut own);
                let ok = own.is_empty();
                issues.nest("", own.into_result());
                ok.then_some(Condition::Leaf(leaf))
            }
            _ => {
                issues.push(
                    path,
                    "条件应为 all、any、not 之一，或包含 field、op、value 的单项条件",
                    format!("a condition has exactly one of all/any/not, or field/op/value; got keys {keys:?}"),
                );
                None
            }
        }
    }

    /// Depth of the tree; a single leaf is 1.
    pub fn depth(&self) -> usize {
        match self {
            Condition::All(items) | Condition::Any(items) => 1 + items.iter().map(Condition::depth).max().unwrap_or(0),
            Condition::Not(inner) => 1 + inner.depth(),
            Condition::Leaf(_) => 1,
        }
    }
}

impl Leaf {
    fn from_json(map: &Map<String, Value>, path: &str, issues: &mut Issues) -> Option<Leaf> {
        let mut ok = true;
        for key in map.keys() {
            if !matches!(key.as_str(), "field" | "op" | "value") {
                issues.push(join(path, key), format!("未知的条件字段“{key}”"), format!("unknown key {key:?}"));
                ok = false;
            }
        }
        let field = match map.get("field") {
            Some(Value::String(f)) => match Field::from_key(f) {
                Some(field) => Some(field),
                None => {
                    issues.push(join(path, "field"), format!("未知的条件字段“{f}”"), format!("unknown field {f:?}"));
                    None
                }
            },
            _ => {
                issues.push(join(path, "field"), "缺少条件字段 field", "field is missing or not a string");
                None
            }
        };
        let op = match map.get("op") {
            Some(Value::String(o)) => match Op::from_key(o) {
                Some(op) => Some(op),
                None => {
                    issues.push(join(path, "op"), format!("未知的运算“{o}”"), format!("unknown op {o:?}"));
                    None
                }
            },
            _ => {
                issues.push(join(path, "op"), "缺少运算 op", "op is missing or not a string");
                None
            }
        };
        let value = match map.get("value") {
            Some(Value::Number(n)) => match n.as_i64() {
                Some(n) => Some(LeafValue::Number(n)),
                None => {
                    issues.push(join(path, "value"), "数值应为整数", format!("{n} is not a 64-bit integer"));
                    None
                }
            },
            Some(Value::String(s)) => Some(LeafValue::Text(s.clone())),
            Some(Value::Array(items)) => {
                let mut list = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => list.push(s.clone()),
                        _ => {
                            issues.push(
                                format!("{}[{i}]", join(path, "value")),
                                "列表中的值应为文本",
                                "list items must be strings",
                            );
                            ok = false;
                        }
                    }
                }
                Some(LeafValue::List(list))
            }
            Some(_) => {
                issues.push(
                    join(path, "value"),
                    "条件的值应为整数、文本或文本列表",
                    "value must be an integer, a string or a list of strings",
                );
                None
            }
            None => {
                issues.push(join(path, "value"), "缺少条件的值 value", "value is missing");
                None
            }
        };
        match (field, op, value) {
            (Some(field), Some(op), Some(value)) if ok => Some(Leaf { field, op, value }),
            _ => None,
        }
    }
}

/// The TypeScript shape of [`Condition`]'s JSON (its serde impls are written by hand, so no derive can say it).
#[cfg(feature = "ts")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const CONDITION_TS: &str =
    "export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | Leaf;";

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Condition::All(items) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("all", items)?;
                map.end()
            }
            Condition::Any(items) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("any", items)?;
                map.end()
            }
            Condition::Not(inner) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("not", inner)?;
                map.end()
            }
            Condition::Leaf(leaf) => leaf.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let mut issues = Issues::default();
        let parsed = Condition::from_json(&value, "", 1, &mut issues);
        if let Some(c) = &parsed {
            c.validate("", &mut issues);
        }
        match (parsed, issues.into_result()) {
            (Some(c), Ok(())) => Ok(c),
            (_, Err(e)) => Err(serde::de::Error::custom(e)),
            (None, Ok(())) => Err(serde::de::Error::custom("invalid condition")),
        }
    }
}

// ---- the catalog ----

/// A policy with its compiled condition.
#[derive(Debug)]
pub(crate) struct Entry {
    pub policy: Arc<Policy>,
    pub rule: Node,
    /// The policy's regions by name (`上海市`), for the region line; empty when nationwide.
    pub regions: String,
    /// The index of the policy's issuer in [`Catalog::issuers`].
    pub issuer: usize,
    /// The window's days as text (`2026-12-05`), for the status label; empty without a window.
    pub opens: String,
    pub closes: String,
}

/// A checked catalog, ready to match. Build it with [`parse_catalog`] or [`Catalog::new`].
#[derive(Debug)]
pub struct Catalog {
    version: u32,
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
    /// Every issuer once, so interest by issuer is looked up once per issuer, not once per policy.
    issuers: Vec<String>,
}

impl Policy {
    /// Checks everything but the JSON shape (which serde checked): texts, regions, dates, amounts,
    /// material codes and the condition tree.
    pub(crate) fn validate(&self, path: &str, issues: &mut Issues) {
        self.validate_fields(path, issues);
        self.eligibility.validate(&join(path, "eligibility"), issues);
    }

    /// [`Policy::validate`] without the condition tree.
    fn validate_fields(&self, path: &str, issues: &mut Issues) {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 80
            && self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !id_ok {
            issues.push(
                join(path, "id"),
                format!("政策编号“{}”应为1至80位小写字母、数字、-或_", self.id),
                format!("policy id {:?} must be 1-80 chars of [a-z0-9_-]", self.id),
            );
        }
        for (key, label, value) in [
            ("title", "标题", &self.title),
            ("issuer", "发布单位", &self.issuer),
            ("source", "政策来源", &self.source),
            ("summary", "政策摘要", &self.summary),
            ("benefit.description", "支持内容", &self.benefit.description),
        ] {
            if value.trim().is_empty() {
                issues.push(join(path, key), format!("请填写{label}"), format!("{key} is empty"));
            }
        }
        for (i, region) in self.regions.iter().enumerate() {
            if let Err(zh) = check_district_prefix(region) {
                issues.push(join(path, &format!("regions[{i}]")), zh, format!("invalid region prefix {region:?}"));
            }
        }
        if let Some(w) = &self.window
            && w.opens > w.closes
        {
            issues.push(
                join(path, "window.closes"),
                format!("申报截止日{}早于开始日{}", w.closes, w.opens),
                format!("window closes ({}) before it opens ({})", w.closes, w.opens),
            );
        }
        if self.benefit.min_fen < 0 {
            issues.push(join(path, "benefit.min_fen"), "支持金额不能为负数", "benefit.min_fen is negative");
        }
        if self.benefit.min_fen > self.benefit.max_fen {
            issues.push(
                join(path, "benefit.max_fen"),
                "支持金额上限不能低于下限",
                format!("benefit.max_fen {} is below min_fen {}", self.benefit.max_fen, self.benefit.min_fen),
            );
        }
        for (i, code) in self.materials.iter().enumerate() {
            if material::kind(code).is_none() {
                issues.push(
                    join(path, &format!("materials[{i}]")),
                    format!("未知的材料类型“{code}”"),
                    format!("unknown material kind {code:?}"),
                );
            }
        }
        for (key, list) in [("faq", &self.faq), ("guide", &self.guide)] {
            for (i, id) in list.iter().enumerate() {
                if id.trim().is_empty() {
                    issues.push(join(path, &format!("{key}[{i}]")), "链接编号不能为空", format!("{key}[{i}] is empty"));
                }
            }
        }
    }
}

impl Catalog {
    /// A catalog of `policies`, after checking every policy (paths `policies[i]…`) and that ids are unique.
    pub fn new(version: u32, policies: Vec<Policy>) -> Result<Catalog> {
        let mut issues = Issues::default();
        for (i, p) in policies.iter().enumerate() {
            p.validate(&format!("policies[{i}]"), &mut issues);
        }
        check_unique_ids(policies.iter().map(|p| p.id.as_str()).enumerate(), &mut issues);
        issues.into_result()?;
        Ok(Catalog::build(version, policies))
    }

    fn build(version: u32, policies: Vec<Policy>) -> Catalog {
        let mut by_id = HashMap::with_capacity(policies.len());
        let mut issuers: Vec<String> = Vec::new();
        let mut issuer_index: HashMap<String, usize> = HashMap::new();
        let entries: Vec<Entry> = policies
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                by_id.insert(p.id.clone(), i);
                let issuer = *issuer_index.entry(p.issuer.clone()).or_insert_with(|| {
                    issuers.push(p.issuer.clone());
                    issuers.len() - 1
                });
                Entry {
                    issuer,
                    rule: condition::compile(&p.eligibility),
                    regions: condition::region_names(&p.regions),
                    opens: p.window.map(|w| w.opens.to_string()).unwrap_or_default(),
                    closes: p.window.map(|w| w.closes.to_string()).unwrap_or_default(),
                    policy: Arc::new(p),
                }
            })
            .collect();
        Catalog { version, entries, by_id, issuers }
    }

    /// The catalog embedded in this build, parsed once per process.
    pub fn embedded() -> Result<Arc<Catalog>> {
        static CELL: OnceLock<std::result::Result<Arc<Catalog>, String>> = OnceLock::new();
        CELL.get_or_init(|| {
            parse_catalog(include_str!("../../content/policies/policies.json")).map(Arc::new).map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| Error::Internal(format!("embedded policy catalog: {e}")))
    }

    /// The catalog's own version (its `version` field); a stored catalog replaces the embedded one only
    /// when this is higher.
    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every policy, in catalog order.
    pub fn policies(&self) -> impl ExactSizeIterator<Item = &Arc<Policy>> {
        self.entries.iter().map(|e| &e.policy)
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Policy>> {
        self.entry(id).map(|e| &e.policy)
    }

    pub(crate) fn issuers(&self) -> &[String] {
        &self.issuers
    }

    pub(crate) fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub(crate) fn entry(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id.trim()).and_then(|&i| self.entries.get(i))
    }
}

fn check_unique_ids<'a>(ids: impl Iterator<Item = (usize, &'a str)>, issues: &mut Issues) {
    let mut seen = HashSet::new();
    for (i, id) in ids {
        if !seen.insert(id) {
            issues.push(
                format!("policies[{i}].id"),
                format!("政策编号“{id}”重复"),
                format!("duplicate policy id {id:?}"),
            );
        }
    }
}

/// The keys a policy object has; anything else is reported and ignored so the rest can still be checked.
const POLICY_KEYS: &[&str] = &[
    "id",
    "title",
    "issuer",
    "regions",
    "published_on",
    "window",
    "benefit",
    "kind",
    "auto_granted",
    "eligibility",
    "materials",
    "faq",
    "guide",
    "source",
    "summary",
];

/// Stands in for the eligibility while serde reads the rest of a policy, so that one bad condition does
/// not hide the problems of the fields after it; the real tree is read by [`Condition::from_json`].
fn placeholder_condition() -> Value {
    serde_json::json!({"field": "employees", "op": "gte", "value": 0})
}

fn parse_policy(value: Value, path: &str, issues: &mut Issues) -> Option<Policy> {
    let Value::Object(mut map) = value else {
        issues.push(path, "每条政策应为对象", "a policy must be a JSON object");
        return None;
    };
    let unknown: Vec<String> = map.keys().filter(|k| !POLICY_KEYS.contains(&k.as_str())).cloned().collect();
    for key in &unknown {
        issues.push(join(path, key), format!("未知字段“{key}”"), format!("unknown field {key:?}"));
        map.remove(key);
    }
    let eligibility = map.insert("eligibility".to_owned(), placeholder_condition());
    let eligibility = match eligibility {
        Some(tree) => Condition::from_json(&tree, &join(path, "eligibility"), 1, issues),
        None => {
            map.remove("eligibility");
            None
        }
    };
    let policy = match serde_path_to_error::deserialize::<_, Policy>(Value::Object(map)) {
        Ok(p) => Some(p),
        Err(e) => {
            let inner_path = e.path().to_string();
            let at = if inner_path == "." { path.to_owned() } else { join(path, &inner_path) };
            let message = e.into_inner().to_string();
            issues.push(at, format!("政策字段格式不正确：{message}"), message);
            None
        }
    };
    let mut policy = policy?;
    policy.validate_fields(path, issues);
    policy.eligibility = eligibility?;
    Some(policy)
}

/// Reads and checks a catalog file (`{"version": N, "policies": [...]}`). Not JSON at all is a
/// `Format` error; anything else wrong is one `Invalid` error listing every problem with its path.
pub fn parse_catalog(json: &str) -> Result<Catalog> {
    let root: Value = serde_json::from_slice(json.as_bytes())
        .map_err(|e| Error::Format(format!("policy catalog is not JSON: {e}")))?;
    let Value::Object(mut root) = root else {
        return Err(Error::Format("policy catalog must be a JSON object".into()));
    };
    let mut issues = Issues::default();
    for key in root.keys() {
        if !matches!(key.as_str(), "version" | "policies") {
            issues.push(key.clone(), format!("未知字段“{key}”"), format!("unknown field {key:?}"));
        }
    }
    let version = match root.get("version").and_then(Value::as_u64).map(u32::try_from) {
        Some(Ok(v)) if v >= 1 => v,
        _ => {
            issues.push("version", "目录版本应为正整数", "version must be a positive integer");
            0
        }
    };
    let Some(Value::Array(items)) = root.remove("policies") else {
        issues.push("policies", "缺少政策列表 policies", "policies is missing or not an array");
        return Err(issues.into_result().err().unwrap_or_else(|| Error::Internal("no issues".into())));
    };
    let mut policies = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("policies[{i}]");
        if let Some(p) = parse_policy(item, &path, &mut issues) {
            policies.push((i, p));
        }
    }
    check_unique_ids(policies.iter().map(|(i, p)| (*i, p.id.as_str())), &mut issues);
    issues.into_result()?;
    Ok(Catalog::build(version, policies.into_iter().map(|(_, p)| p).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy_json() -> Value {
        json!({
            "id": "pol-test",
            "title": "测试政策",
            "issuer": "测试局",
            "regions": ["31"],
            "published_on": "2026-01-01",
            "window": {"opens": "2026-03-01", "closes": "2026-04-30"},
            "benefit": {"min_fen": 0, "max_fen": 100, "description": "一百分"},
            "kind": "subsidy",
            "auto_granted": false,
            "eligibility": {"all": [
                {"field": "size_class", "op": "in", "value": ["micro", "small"]},
                {"field": "age_years", "op": "gte", "value": 1}
            ]},
            "materials": ["business_licence_copy"],
            "faq": [],
            "guide": [],
            "source": "测试文件",
            "summary": "测试摘要"
        })
    }

    fn catalog_with(policies: Vec<Value>) -> Result<Catalog> {
        parse_catalog(&json!({"version": 1, "policies": policies}).to_string())
    }

    fn paths(err: &Error) -> Vec<&str> {
        err.issues().iter().map(|i| i.path.as_str()).collect()
    }

    #[test]
    fn a_benefit_reads_as_an_amount() {
        let b = |min_fen, max_fen| Benefit { min_fen, max_fen, description: String::new() };
        assert_eq!(b(0, 0).amount_text(), "非资金支持");
        assert_eq!(b(0, 5_000_000).amount_text(), "最高50,000元");
        assert_eq!(b(1_000_000, 1_000_000).amount_text(), "10,000元");
        assert_eq!(b(1_000_000, 5_000_050).amount_text(), "10,000元至50,000.50元");
    }

    #[test]
    fn regions_read_by_name_and_no_region_is_nationwide() {
        let mut p: Policy = serde_json::from_value(policy_json()).unwrap();
        assert_eq!(p.regions_label(), "上海市");
        p.regions = vec!["310104".into(), "310105".into(), "99".into()];
        assert_eq!(p.regions_label(), "上海市徐汇区、上海市长宁区、99");
        p.regions.clear();
        assert_eq!(p.regions_label(), "全国");
    }

    #[test]
    fn the_embedded_catalog_is_valid_and_round_trips() {
        let catalog = Catalog::embedded().unwrap();
        assert!(catalog.len() >= 60, "{}", catalog.len());
        let first = catalog.policies().next().unwrap();
        let text = serde_json::to_string(&**first).unwrap();
        let back: Policy = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, &**first);
        assert!(catalog.get("pol-sh-startup-rent-subsidy").is_some());
    }

    #[test]
    fn enum_names_are_the_dossier_spellings() {
        for name in enum_names(Field::SizeClass) {
            serde_json::from_value::<SizeClass>(json!(name)).unwrap();
        }
        for name in enum_names(Field::CreditGrade) {
            serde_json::from_value::<CreditGrade>(json!(name)).unwrap();
        }
        for name in enum_names(Field::CompanyType) {
            serde_json::from_value::<CompanyType>(json!(name)).unwrap();
        }
        for name in enum_names(Field::TaxpayerKind) {
            serde_json::from_value::<TaxpayerKind>(json!(name)).unwrap();
        }
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut bad = policy_json();
        bad["eligibility"]["all"][1]["value"] = json!("one");
        bad["eligibility"]["all"][0]["op"] = json!("gte");
        bad["window"] = json!({"opens": "2026-05-01", "closes": "2026-04-30"});
        bad["benefit"]["min_fen"] = json!(500);
        bad["materials"] = json!(["no_such_material"]);
        bad["colour"] = json!("red");
        let mut second = policy_json();
        second["published_on"] = json!("2026-02-30");
        second["eligibility"] = json!({"any": [{"field": "industry", "op": "prefix_in", "value": ["I99", "Z"]},
                                               {"field": "mood", "op": "eq", "value": "happy"},
                                               {"all": []},
                                               {"not": {"field": "tags", "op": "has", "value": 3}}]});
        let err = catalog_with(vec![policy_json(), bad, second, policy_json()]).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(
            paths(&err),
            [
                "policies[1].colour",
                "policies[1].eligibility.all[0].op",
                "policies[1].eligibility.all[1].value",
                "policies[1].window.closes",
                "policies[1].benefit.max_fen",
                "policies[1].materials[0]",
                "policies[2].eligibility.any[0].value[0]",
                "policies[2].eligibility.any[0].value[1]",
                "policies[2].eligibility.any[1].field",
                "policies[2].eligibility.any[2].all",
                "policies[2].eligibility.any[3].not.value",
                "policies[2].published_on",
                "policies[3].id",
            ]
        );
        assert!(err.to_string().contains("duplicate policy id"), "{err}");
        let messages: Vec<&str> = err.issues().iter().map(|i| i.user_message.as_str()).collect();
        assert!(messages.contains(&"条件“成立年限”的值应为整数"), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("大类99不属于门类I")), "{messages:?}");
    }

    #[test]
    fn depth_is_bounded() {
        let mut tree = json!({"field": "employees", "op": "gte", "value": 1});
        for _ in 0..MAX_DEPTH - 1 {
            tree = json!({"not": tree});
        }
        let mut ok = policy_json();
        ok["eligibility"] = tree.clone();
        assert!(catalog_with(vec![ok]).is_ok(), "depth {MAX_DEPTH} is allowed");
        let mut deep = policy_json();
        deep["eligibility"] = json!({"all": [tree]});
        let err = catalog_with(vec![deep]).unwrap_err();
        let expected = format!("policies[0].eligibility.all[0]{}", ".not".repeat(MAX_DEPTH - 1));
        assert_eq!(paths(&err), [expected.as_str()]);
        assert!(err.user_message().contains("超过8层"));
    }

    #[test]
    fn shapes_values_and_the_catalog_envelope_are_checked() {
        let mut p = policy_json();
        p["eligibility"] = json!({"all": [
            {"field": "credit_grade", "op": "in", "value": ["A", "E"]},
            {"field": "taxpayer_kind", "op": "eq", "value": "big"},
            {"field": "employees", "op": "gte", "value": -1},
            {"field": "revenue_fen", "op": "lt", "value": 1.5},
            {"field": "district", "op": "prefix_in", "value": ["3101", "99", "310"]},
            {"field": "tags", "op": "has_any", "value": []},
            {"field": "company_type", "op": "in", "value": "branch"},
            {"all": [], "any": []},
            [1],
            {"field": "tags", "op": "has", "value": "x", "extra": 1}
        ]});
        let err = catalog_with(vec![p]).unwrap_err();
        let at = |i: usize, rest: &str| format!("policies[0].eligibility.all[{i}]{rest}");
        assert_eq!(
            paths(&err),
            [
                at(0, ".value[1]"),
                at(1, ".value"),
                at(2, ".value"),
                at(3, ".value"),
                at(4, ".value[1]"),
                at(4, ".value[2]"),
                at(5, ".value"),
                at(6, ".value"),
                at(7, ""),
                at(8, ""),
                at(9, ".extra"),
            ]
        );
        assert_eq!(parse_catalog("[1,").unwrap_err().code(), "bad_format");
        let err = parse_catalog(r#"{"version": 0, "policies": [], "extra": 1}"#).unwrap_err();
        assert_eq!(paths(&err), ["extra", "version"]);
    }

    #[test]
    fn catalog_new_checks_typed_policies_too() {
        let p: Policy = serde_json::from_value(policy_json()).unwrap();
        let mut bad = p.clone();
        bad.eligibility = Condition::Leaf(Leaf { field: Field::Industry, op: Op::Gte, value: LeafValue::Number(1) });
        let err = Catalog::new(1, vec![p.clone(), bad, p]).unwrap_err();
        assert_eq!(paths(&err), ["policies[1].eligibility.op", "policies[1].id", "policies[2].id"]);
    }

    #[test]
    fn a_condition_deserializes_only_when_valid() {
        let ok: Condition =
            serde_json::from_value(json!({"not": {"field": "tags", "op": "has", "value": "专精特新"}})).unwrap();
        assert_eq!(ok.depth(), 2);
        assert_eq!(serde_json::to_value(&ok).unwrap()["not"]["op"], "has");
        let err = serde_json::from_value::<Condition>(json!({"field": "tags", "op": "gte", "value": 1})).unwrap_err();
        assert!(err.to_string().contains("does not support op gte"), "{err}");
    }
}
