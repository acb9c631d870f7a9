//! The matcher: a condition tree evaluated against a company's profile on a day, with one Chinese line
//! per condition saying why.
//!
//! Three-valued. A condition is met, unmet, or *unknown* when the profile lacks the data (total assets
//! not filled in, no credit grade, a size class that needs total assets). Unknown is not unmet: the owner
//! is told which field to fill, and a policy that fails only on unknowns is a near miss. `all`/`any`
//! combine by Kleene's rules (unmet beats unknown in `all`, met beats unknown in `any`).
//!
//! Compiled once per catalog. `not` is pushed down to the leaves (De Morgan; each operator has an exact
//! opposite: `in`/`not_in`, `gte`/`lt`, `has_any`/`has_none` …), so every line reads positively
//! ("行业：不能为房地产业 …") instead of "not (…) ✗". Requirement texts are rendered at compile time, so
//! evaluating ten thousand policies only formats the lines.
//!
//! Explanations. `all` shows every child; `any` shows its best branch only — the first met one, or else
//! the one needing the fewest changes the owner cannot make, then the fewest changes, then the fewest
//! unknowns — and lists the other branches as `alternatives`. So the unmet lines of an explanation are
//! exactly the conditions that must change for the policy to apply.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::model::{Condition, Field, Leaf, LeafValue, Op};
use crate::dossier::{Choice, CompanyOverview, CompanyType, CreditGrade, SizeClass, TaxpayerKind, industry, region};

/// An unmet "at least N years old" is within reach if the anniversary is at most this many days away.
pub const AGE_REACH_DAYS: i64 = 365;
/// An unmet "at least N employees / N fen of revenue / assets" is within reach if the gap is at most this
/// percentage of N (rounded up, so "at least 1 employee" is always within reach).
pub const NUMBER_REACH_PERCENT: i64 = 20;
/// Tags that describe the founder rather than something the company can obtain.
pub const FOUNDER_TAGS: &[&str] = &["退役军人创业", "高校毕业生创业"];

/// Whether a condition holds for the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Truth {
    Met,
    Unmet,
    /// The profile lacks the data to decide.
    Unknown,
}

/// One leaf of a policy's condition, judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct ConditionResult {
    pub field: Field,
    pub truth: Truth,
    /// `truth == Met`, for front ends that only need a tick.
    pub met: bool,
    /// Not met, but the owner can change it: wait for an anniversary within a year, obtain a
    /// qualification, grow a little, raise capital, or fill in a missing profile field.
    pub reachable: bool,
    /// `成立满1年：还差83天 ✗`, `行业：软件和信息技术服务业 ✓`, `资产总额：需不超过5000万元，档案未填写 ？`.
    pub line: String,
    /// What the owner can do about it, when not met and within reach: `还差83天（2027-02-12满1年）`,
    /// `取得“高新技术企业”`, `在档案中填写资产总额`. `None` when met or out of the owner's hands (the line
    /// says why).
    pub missing: Option<String>,
    /// For the branch shown for an unmet `any`: the other ways to qualify, as requirements.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
}

/// What the matcher reads about a company, with the display texts it needs prepared once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub industry: String,
    pub industry_name: String,
    pub district: String,
    pub district_name: String,
    pub size: Option<SizeClass>,
    pub established_on: NaiveDate,
    pub age_years: i32,
    pub employees: i64,
    pub revenue_fen: i64,
    pub registered_capital_fen: i64,
    pub total_assets_fen: Option<i64>,
    pub taxpayer_kind: TaxpayerKind,
    pub credit_grade: Option<CreditGrade>,
    pub company_type: CompanyType,
    pub tags: Vec<String>,
    /// The values as lines show them, rendered once per profile.
    texts: Texts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Texts {
    age: String,
    employees: String,
    revenue: String,
    capital: String,
    assets: Option<String>,
}

impl Profile {
    /// The profile of a company as derived on the overview's day (size class and age come from the
    /// dossier's own rules).
    pub fn new(overview: &CompanyOverview) -> Profile {
        let c = &overview.company;
        Profile {
            industry: c.industry.clone(),
            industry_name: if overview.industry_name.is_empty() {
                c.industry.clone()
            } else {
                overview.industry_name.clone()
            },
            district: c.district.clone(),
            district_name: if overview.district_name.is_empty() {
                c.district.clone()
            } else {
                overview.district_name.clone()
            },
            size: overview.size.class,
            established_on: c.established_on,
            age_years: overview.age_years,
            employees: i64::from(c.employees),
            revenue_fen: c.revenue_fen,
            registered_capital_fen: c.registered_capital_fen,
            total_assets_fen: c.total_assets_fen,
            taxpayer_kind: c.taxpayer_kind,
            credit_grade: c.credit_grade,
            company_type: c.company_type,
            tags: c.tags.clone(),
            texts: Texts {
                age: if overview.age_years < 0 {
                    "尚未成立".to_owned()
                } else {
                    format!("已成立{}年", overview.age_years)
                },
                employees: amount(Field::Employees, i64::from(c.employees)),
                revenue: amount(Field::RevenueFen, c.revenue_fen),
                capital: amount(Field::RegisteredCapitalFen, c.registered_capital_fen),
                assets: c.total_assets_fen.map(|a| amount(Field::TotalAssetsFen, a)),
            },
        }
    }

    fn number_text(&self, field: Field) -> Option<&str> {
        match field {
            Field::Employees => Some(&self.texts.employees),
            Field::RevenueFen => Some(&self.texts.revenue),
            Field::RegisteredCapitalFen => Some(&self.texts.capital),
            Field::TotalAssetsFen => self.texts.assets.as_deref(),
            _ => None,
        }
    }

    fn number(&self, field: Field) -> Option<i64> {
        match field {
            Field::Employees => Some(self.employees),
            Field::RevenueFen => Some(self.revenue_fen),
            Field::RegisteredCapitalFen => Some(self.registered_capital_fen),
            Field::TotalAssetsFen => self.total_assets_fen,
            Field::AgeYears => Some(i64::from(self.age_years)),
            _ => None,
        }
    }

    /// The index of the profile's value among the field's enum names (see `model::enum_names`).
    fn class(&self, field: Field) -> Option<usize> {
        match field {
            Field::SizeClass => self.size.map(|s| s as usize),
            Field::CreditGrade => self.credit_grade.map(|g| g as usize),
            Field::CompanyType => Some(self.company_type as usize),
            Field::TaxpayerKind => Some(self.taxpayer_kind as usize),
            _ => None,
        }
    }
}

// ---- compiled form ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Gte,
    Gt,
    Lte,
    Lt,
}

impl Cmp {
    fn holds(self, value: i64, bound: i64) -> bool {
        match self {
            Cmp::Gte => value >= bound,
            Cmp::Gt => value > bound,
            Cmp::Lte => value <= bound,
            Cmp::Lt => value < bound,
        }
    }

    fn opposite(self) -> Cmp {
        match self {
            Cmp::Gte => Cmp::Lt,
            Cmp::Gt => Cmp::Lte,
            Cmp::Lte => Cmp::Gt,
            Cmp::Lt => Cmp::Gte,
        }
    }

    /// "At least" comparisons are the ones growth can satisfy.
    fn is_lower_bound(self) -> bool {
        matches!(self, Cmp::Gte | Cmp::Gt)
    }

    /// The smallest value that satisfies a lower bound.
    fn least(self, bound: i64) -> i64 {
        if self == Cmp::Gt { bound.saturating_add(1) } else { bound }
    }

    fn zh(self) -> &'static str {
        match self {
            Cmp::Gte => "不少于",
            Cmp::Gt => "超过",
            Cmp::Lte => "不超过",
            Cmp::Lt => "少于",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagMode {
    /// Has at least one of the tags.
    Any,
    /// Has none of them.
    None,
}

#[derive(Debug, Clone)]
enum Test {
    Prefix {
        prefixes: Vec<String>,
        negate: bool,
    },
    /// A bit set over the field's enum (`model::enum_names`).
    Class {
        allowed: u32,
        negate: bool,
    },
    Number {
        cmp: Cmp,
        bound: i64,
    },
    /// `head`: `成立满3年`, rendered once.
    Age {
        cmp: Cmp,
        years: i64,
        head: String,
    },
    Tags {
        tags: Vec<String>,
        mode: TagMode,
    },
    /// Cannot happen in a checked catalog; evaluates to unknown rather than failing.
    Invalid,
}

#[derive(Debug, Clone)]
pub(crate) struct Check {
    field: Field,
    test: Test,
    /// `需为微型或小型`, `不能为C级或D级`, `需不少于20人` — rendered once.
    requirement: String,
}

/// A compiled condition, in negation normal form.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    All(Vec<Node>),
    Any { branches: Vec<Node>, describe: Vec<String> },
    Check(Check),
}

/// The Chinese label of enum value `index` of `field`.
fn class_label(field: Field, index: usize) -> &'static str {
    const SIZES: [SizeClass; 4] = [SizeClass::Micro, SizeClass::Small, SizeClass::Medium, SizeClass::Large];
    match field {
        Field::SizeClass => SIZES.get(index).map(|s| s.label()),
        Field::CreditGrade => <CreditGrade as Choice>::ALL.get(index).map(|g| g.label()),
        Field::CompanyType => <CompanyType as Choice>::ALL.get(index).map(|t| t.label()),
        Field::TaxpayerKind => <TaxpayerKind as Choice>::ALL.get(index).map(|k| k.label()),
        _ => None,
    }
    .unwrap_or("未知")
}

/// `A或B`, `A、B或C`.
fn either(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}或{}", rest.join("、"), last),
    }
}

/// `制造业`, `软件和信息技术服务业`, `房地产开发经营（K701）`.
fn industry_label(prefix: &str) -> String {
    let mut chars = prefix.chars();
    let Some(letter) = chars.next() else { return prefix.to_owned() };
    if chars.as_str().is_empty() {
        return industry::all()
            .into_iter()
            .find(|i| i.code.starts_with(letter))
            .map(|i| i.section_name)
            .unwrap_or_else(|| prefix.to_owned());
    }
    match (industry::name(prefix), prefix.len()) {
        (Some(name), 3) => name,
        (Some(name), _) => format!("{name}（{prefix}）"),
        (None, _) => prefix.to_owned(),
    }
}

fn district_label(prefix: &str) -> String {
    match (prefix.len(), region::prefix_name(prefix)) {
        (2, Some(name)) | (6, Some(name)) => name,
        (_, Some(name)) => format!("{name}（{prefix}）"),
        (_, None) => prefix.to_owned(),
    }
}

/// `上海市`, `上海市徐汇区或上海市长宁区`.
pub(crate) fn region_names(regions: &[String]) -> String {
    either(&regions.iter().map(|r| district_label(r)).collect::<Vec<_>>())
}

/// 万元 in fen.
const WAN: i64 = 1_000_000;

/// Money for a line: `5000万元` for whole 万元, else `1,234.50元`.
fn money(fen: i64) -> String {
    if fen != 0 && fen % WAN == 0 { format!("{}万元", fen / WAN) } else { crate::dossier::money::format_yuan(fen) }
}

fn amount(field: Field, value: i64) -> String {
    match field {
        Field::Employees => format!("{value}人"),
        Field::AgeYears => format!("{value}年"),
        _ => money(value),
    }
}

fn quoted(tags: &[String]) -> String {
    either(&tags.iter().map(|t| format!("“{t}”")).collect::<Vec<_>>())
}

/// Compiles a (checked) condition. Total: anything malformed becomes a test that is always unknown.
pub(crate) fn compile(c: &Condition) -> Node {
    compile_in(c, false)
}

fn compile_in(c: &Condition, negated: bool) -> Node {
    match (c, negated) {
        (Condition::All(items), false) | (Condition::Any(items), true) => {
            Node::All(items.iter().map(|i| compile_in(i, negated)).collect())
        }
        (Condition::Any(items), false) | (Condition::All(items), true) => {
            let branches: Vec<Node> = items.iter().map(|i| compile_in(i, negated)).collect();
            let describe = branches.iter().map(describe).collect();
            Node::Any { branches, describe }
        }
        (Condition::Not(inner), _) => compile_in(inner, !negated),
        (Condition::Leaf(leaf), _) => Node::Check(compile_leaf(leaf, negated)),
    }
}

/// A requirement-only description of a node, for `alternatives`.
fn describe(node: &Node) -> String {
    match node {
        Node::Check(check) => format!("{}{}", check.field.label(), check.requirement),
        Node::All(items) => items.iter().map(describe).collect::<Vec<_>>().join("且"),
        Node::Any { describe, .. } => format!("（{}）", describe.join("或")),
    }
}

fn compile_leaf(leaf: &Leaf, negated: bool) -> Check {
    let field = leaf.field;
    let test = match (field, leaf.op, &leaf.value) {
        (Field::Industry | Field::District, Op::PrefixIn | Op::NotPrefixIn, LeafValue::List(list)) => {
            Test::Prefix { prefixes: list.clone(), negate: (leaf.op == Op::NotPrefixIn) != negated }
        }
        (Field::SizeClass | Field::CreditGrade | Field::CompanyType, Op::In | Op::NotIn, LeafValue::List(list)) => {
            Test::Class { allowed: class_bits(field, list), negate: (leaf.op == Op::NotIn) != negated }
        }
        (Field::TaxpayerKind, Op::Eq, LeafValue::Text(name)) => {
            Test::Class { allowed: class_bits(field, std::slice::from_ref(name)), negate: negated }
        }
        (_, Op::Gte | Op::Gt | Op::Lte | Op::Lt, LeafValue::Number(n)) if field.ops().contains(&leaf.op) => {
            let cmp = match leaf.op {
                Op::Gte => Cmp::Gte,
                Op::Gt => Cmp::Gt,
                Op::Lte => Cmp::Lte,
                _ => Cmp::Lt,
            };
            let cmp = if negated { cmp.opposite() } else { cmp };
            if field == Field::AgeYears {
                let head = match cmp {
                    Cmp::Gte => format!("成立满{n}年"),
                    Cmp::Gt => format!("成立超过{n}年"),
                    Cmp::Lte => format!("成立不超过{n}年"),
                    Cmp::Lt => format!("成立未满{n}年"),
                };
                Test::Age { cmp, years: *n, head }
            } else {
                Test::Number { cmp, bound: *n }
            }
        }
        (Field::Tags, Op::Has, LeafValue::Text(tag)) => {
            Test::Tags { tags: vec![tag.trim().to_owned()], mode: if negated { TagMode::None } else { TagMode::Any } }
        }
        (Field::Tags, Op::HasAny | Op::HasNone, LeafValue::List(list)) => {
            let any = (leaf.op == Op::HasAny) != negated;
            Test::Tags {
                tags: list.iter().map(|t| t.trim().to_owned()).collect(),
                mode: if any { TagMode::Any } else { TagMode::None },
            }
        }
        _ => Test::Invalid,
    };
    let requirement = requirement(field, &test);
    Check { field, test, requirement }
}

fn class_bits(field: Field, names: &[String]) -> u32 {
    let all = super::model::enum_names(field);
    names.iter().filter_map(|n| all.iter().position(|a| a == n)).fold(0, |bits, i| bits | (1 << i))
}

fn requirement(field: Field, test: &Test) -> String {
    match test {
        Test::Prefix { prefixes, negate } => {
            let names: Vec<String> = prefixes
                .iter()
                .map(|p| if field == Field::Industry { industry_label(p) } else { district_label(p) })
                .collect();
            format!("{}{}", if *negate { "不能为" } else { "需为" }, either(&names))
        }
        Test::Class { allowed, negate } => {
            let names: Vec<String> = (0..super::model::enum_names(field).len())
                .filter(|i| allowed & (1 << i) != 0)
                .map(|i| class_label(field, i).to_owned())
                .collect();
            format!("{}{}", if *negate { "不能为" } else { "需为" }, either(&names))
        }
        Test::Number { cmp, bound } => format!("需{}{}", cmp.zh(), amount(field, *bound)),
        Test::Age { cmp, years, .. } => match cmp {
            Cmp::Gte => format!("需满{years}年"),
            Cmp::Gt => format!("需超过{years}年"),
            Cmp::Lte => format!("需不超过{years}年"),
            Cmp::Lt => format!("需未满{years}年"),
        },
        Test::Tags { tags, mode: TagMode::Any } => format!("需具有{}", quoted(tags)),
        Test::Tags { tags, mode: TagMode::None } => format!("不能已有{}", quoted(tags)),
        Test::Invalid => "无法判断".to_owned(),
    }
}

// ---- evaluation ----

/// How far a node is from being met: unmet leaves the owner cannot change (`hard`), unmet leaves within
/// reach (`soft`), unknown leaves. Ordered so that the best `any` branch is the smallest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Cost {
    pub hard: u32,
    pub soft: u32,
    pub unknown: u32,
}

impl Cost {
    fn add(self, other: Cost) -> Cost {
        Cost { hard: self.hard + other.hard, soft: self.soft + other.soft, unknown: self.unknown + other.unknown }
    }
}

/// The result of evaluating a node.
#[cfg(test)]
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub truth: Truth,
    pub cost: Cost,
    /// The explanation, one result per shown leaf.
    pub results: Vec<ConditionResult>,
}

#[cfg(test)]
pub(crate) fn evaluate(node: &Node, profile: &Profile, today: NaiveDate) -> Outcome {
    let mut results = Vec::with_capacity(4);
    let (truth, cost) = evaluate_into(node, profile, today, &mut results);
    Outcome { truth, cost, results }
}

/// Evaluates `node`, appending its explanation to `out` (one buffer for the whole tree: a checkup of ten
/// thousand policies should not allocate a vector per leaf).
pub(crate) fn evaluate_into(
    node: &Node,
    profile: &Profile,
    today: NaiveDate,
    out: &mut Vec<ConditionResult>,
) -> (Truth, Cost) {
    match node {
        Node::Check(check) => {
            let result = check.evaluate(profile, today);
            let cost = match (result.truth, result.reachable) {
                (Truth::Met, _) => Cost::default(),
                (Truth::Unknown, _) => Cost { unknown: 1, ..Cost::default() },
                (Truth::Unmet, true) => Cost { soft: 1, ..Cost::default() },
                (Truth::Unmet, false) => Cost { hard: 1, ..Cost::default() },
            };
            let truth = result.truth;
            out.push(result);
            (truth, cost)
        }
        Node::All(items) => {
            let (mut truth, mut cost) = (Truth::Met, Cost::default());
            for item in items {
                let (t, c) = evaluate_into(item, profile, today, out);
                truth = match (truth, t) {
                    (Truth::Unmet, _) | (_, Truth::Unmet) => Truth::Unmet,
                    (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
                    _ => Truth::Met,
                };
                cost = cost.add(c);
            }
            (truth, cost)
        }
        Node::Any { branches, describe } => {
            let start = out.len();
            let mut best: Option<(usize, Cost, Vec<ConditionResult>)> = None;
            let mut any_unknown = false;
            for (i, branch) in branches.iter().enumerate() {
                let (t, c) = evaluate_into(branch, profile, today, out);
                if t == Truth::Met {
                    // The met branch's lines are the last ones appended; earlier branches were taken off.
                    return (Truth::Met, Cost::default());
                }
                any_unknown |= t == Truth::Unknown;
                if best.as_ref().is_none_or(|(_, b, _)| c < *b) {
                    best = Some((i, c, out.split_off(start)));
                } else {
                    out.truncate(start);
                }
            }
            let Some((chosen, cost, results)) = best else {
                return (Truth::Unmet, Cost { hard: 1, ..Cost::default() });
            };
            out.extend(results);
            if let Some(first) = out.get_mut(start) {
                first.alternatives =
                    describe.iter().enumerate().filter(|(i, _)| *i != chosen).map(|(_, d)| d.clone()).collect();
            }
            (if any_unknown { Truth::Unknown } else { Truth::Unmet }, cost)
        }
    }
}

/// Joins pieces into one string with a single allocation (cheaper than `format!` on the hot path).
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// The day a company founded on `established` turns `years` old, as `stage::age_years` counts (a
/// 29 February founder's anniversary is 28 February in common years).
fn anniversary(established: NaiveDate, years: i64) -> Option<NaiveDate> {
    let year = established.year().checked_add(i32::try_from(years).ok()?)?;
    NaiveDate::from_ymd_opt(year, established.month(), established.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, established.month(), 28))
}

pub(crate) const MET: &str = " ✓";
pub(crate) const UNMET: &str = " ✗";
const UNKNOWN: &str = " ？";

impl Check {
    fn result(&self, truth: Truth, reachable: bool, line: String, missing: Option<String>) -> ConditionResult {
        ConditionResult {
            field: self.field,
            truth,
            met: truth == Truth::Met,
            reachable: truth != Truth::Met && reachable,
            line,
            missing: if truth == Truth::Met { None } else { missing },
            alternatives: Vec::new(),
        }
    }

    /// `{label}：{current} ✓` when met, `{label}：{requirement}，当前为{current} ✗` when not.
    fn simple(&self, holds: bool, current: &str, reachable: bool, missing: Option<String>) -> ConditionResult {
        let label = self.field.label();
        if holds {
            self.result(Truth::Met, false, concat(&[label, "：", current, MET]), None)
        } else {
            let line = concat(&[label, "：", &self.requirement, "，当前为", current, UNMET]);
            self.result(Truth::Unmet, reachable, line, missing)
        }
    }

    fn unknown(&self, what: &str) -> ConditionResult {
        let line = format!("{}：{}，档案未填写{what}{UNKNOWN}", self.field.label(), self.requirement);
        self.result(Truth::Unknown, true, line, Some(format!("在档案中填写{what}")))
    }

    fn evaluate(&self, p: &Profile, today: NaiveDate) -> ConditionResult {
        let field = self.field;
        match &self.test {
            Test::Prefix { prefixes, negate } => {
                let value = if field == Field::Industry { &p.industry } else { &p.district };
                let name = if field == Field::Industry { &p.industry_name } else { &p.district_name };
                let listed = prefixes.iter().any(|pre| value.starts_with(pre.as_str()));
                self.simple(listed != *negate, name, false, None)
            }
            Test::Class { allowed, negate } => {
                let Some(index) = p.class(field) else {
                    return match field {
                        Field::SizeClass => {
                            let mut r = self.unknown("资产总额");
                            r.line = format!("{}：{}，缺少资产总额无法判定{UNKNOWN}", field.label(), self.requirement);
                            r.missing = Some("在档案中填写资产总额（用于判定企业规模）".to_owned());
                            r
                        }
                        _ => self.unknown(field.label()),
                    };
                };
                let listed = allowed & (1 << index) != 0;
                // A small-scale taxpayer may register as a general one; nothing else here is the owner's
                // to change.
                let reachable = field == Field::TaxpayerKind
                    && p.taxpayer_kind == TaxpayerKind::SmallScale
                    && (allowed & 1 != 0) != *negate;
                let missing = reachable.then(|| "登记为一般纳税人".to_owned());
                self.simple(listed != *negate, class_label(field, index), reachable, missing)
            }
            Test::Number { cmp, bound } => {
                let label = field.label();
                let (Some(value), Some(text)) = (p.number(field), p.number_text(field)) else {
                    return self.unknown(label);
                };
                if cmp.holds(value, *bound) {
                    let line = concat(&[label, "：", text, "（", &self.requirement, "）", MET]);
                    return self.result(Truth::Met, false, line, None);
                }
                let line = concat(&[label, "：", &self.requirement, "，当前为", text, UNMET]);
                if cmp.is_lower_bound() {
                    let gap = cmp.least(*bound).saturating_sub(value);
                    let reach = bound.saturating_mul(NUMBER_REACH_PERCENT).saturating_add(99) / 100;
                    let reachable = field == Field::RegisteredCapitalFen || gap <= reach.max(1);
                    let missing = match (reachable, field) {
                        (false, _) => None,
                        (true, Field::RegisteredCapitalFen) => {
                            Some(format!("注册资本还差{}（可办理增资）", amount(field, gap)))
                        }
                        (true, _) => Some(format!("{label}还差{}", amount(field, gap))),
                    };
                    self.result(Truth::Unmet, reachable, line, missing)
                } else {
                    self.result(Truth::Unmet, false, line, None)
                }
            }
            Test::Age { cmp, years, head } => {
                let age = i64::from(p.age_years);
                let age_text = &p.texts.age;
                if cmp.holds(age, *years) {
                    return self.result(Truth::Met, false, concat(&[head, "：", age_text, MET]), None);
                }
                let too_old = concat(&[head, "：", age_text, UNMET]);
                if !cmp.is_lower_bound() {
                    return self.result(Truth::Unmet, false, too_old, None);
                }
                let target = cmp.least(*years);
                match anniversary(p.established_on, target) {
                    Some(day) => {
                        let days = (day - today).num_days();
                        let line = format!("{head}：还差{days}天{UNMET}");
                        let reachable = days <= AGE_REACH_DAYS;
                        let missing = reachable.then(|| format!("还差{days}天（{day}满{target}年）"));
                        self.result(Truth::Unmet, reachable, line, missing)
                    }
                    None => self.result(Truth::Unmet, false, too_old, None),
                }
            }
            Test::Tags { tags, mode } => {
                let label = field.label();
                let found = tags.iter().find(|t| p.tags.iter().any(|own| own == *t));
                match (mode, found) {
                    (TagMode::Any, Some(tag)) => {
                        self.result(Truth::Met, false, concat(&[label, "：已有“", tag, "”", MET]), None)
                    }
                    (TagMode::Any, None) => {
                        let obtainable: Vec<String> =
                            tags.iter().filter(|t| !FOUNDER_TAGS.contains(&t.as_str())).cloned().collect();
                        let line = concat(&[label, "：", &self.requirement, UNMET]);
                        let missing = (!obtainable.is_empty()).then(|| concat(&["取得", &quoted(&obtainable)]));
                        self.result(Truth::Unmet, !obtainable.is_empty(), line, missing)
                    }
                    (TagMode::None, None) => {
                        let line = concat(&[
                            label,
                            "：尚无",
                            self.requirement.strip_prefix("不能已有").unwrap_or(&self.requirement),
                            MET,
                        ]);
                        self.result(Truth::Met, false, line, None)
                    }
                    (TagMode::None, Some(tag)) => {
                        let line = format!("{label}：{}，当前已有“{tag}”{UNMET}", self.requirement);
                        self.result(Truth::Unmet, false, line, None)
                    }
                }
            }
            Test::Invalid => {
                let line = format!("{}：条件无法判断{UNKNOWN}", field.label());
                self.result(Truth::Unknown, false, line, None)
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dossier::{Company, CompanyOverview};
    use serde_json::json;

    pub fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A Pudong software company: 40 people, 3000万元 revenue, founded 2019-05-20, A grade, 高企.
    pub fn company() -> Company {
        crate::dynamics::testing::company("2019-05-20")
    }

    pub fn profile_of(c: Company, today: &str) -> Profile {
        Profile::new(&CompanyOverview::derive(c, true, day(today)))
    }

    pub fn software() -> Company {
        Company {
            employees: 40,
            revenue_fen: 3_000 * WAN,
            credit_grade: Some(CreditGrade::A),
            tags: vec!["高新技术企业".into()],
            ..company()
        }
    }

    fn eval(cond: serde_json::Value, c: Company, today: &str) -> Outcome {
        let cond: Condition = serde_json::from_value(cond).unwrap();
        evaluate(&compile(&cond), &profile_of(c, today), day(today))
    }

    fn leaf(field: &str, op: &str, value: serde_json::Value) -> serde_json::Value {
        json!({"field": field, "op": op, "value": value})
    }

    /// (truth, line) of a single leaf.
    fn one(field: &str, op: &str, value: serde_json::Value, c: &Company) -> (Truth, String) {
        let o = eval(leaf(field, op, value), c.clone(), "2026-11-21");
        assert_eq!(o.results.len(), 1);
        (o.truth, o.results[0].line.clone())
    }

    #[test]
    fn every_field_and_operator() {
        use Truth::*;
        let c = software();
        let cases: Vec<(&str, &str, serde_json::Value, Truth, &str)> = vec![
            ("industry", "prefix_in", json!(["I65", "C"]), Met, "行业：软件和信息技术服务业 ✓"),
            ("industry", "prefix_in", json!(["I"]), Met, "行业：软件和信息技术服务业 ✓"),
            (
                "industry",
                "prefix_in",
                json!(["C", "H62"]),
                Unmet,
                "行业：需为制造业或餐饮业，当前为软件和信息技术服务业 ✗",
            ),
            ("industry", "not_prefix_in", json!(["K", "F"]), Met, "行业：软件和信息技术服务业 ✓"),
            (
                "industry",
                "not_prefix_in",
                json!(["I65"]),
                Unmet,
                "行业：不能为软件和信息技术服务业，当前为软件和信息技术服务业 ✗",
            ),
            ("district", "prefix_in", json!(["31"]), Met, "所在地区：上海市浦东新区 ✓"),
            ("district", "prefix_in", json!(["310104"]), Unmet, "所在地区：需为上海市徐汇区，当前为上海市浦东新区 ✗"),
            (
                "district",
                "not_prefix_in",
                json!(["310115"]),
                Unmet,
                "所在地区：不能为上海市浦东新区，当前为上海市浦东新区 ✗",
            ),
            ("size_class", "in", json!(["micro", "small"]), Met, "企业规模：小型 ✓"),
            ("size_class", "not_in", json!(["small"]), Unmet, "企业规模：不能为小型，当前为小型 ✗"),
            ("age_years", "gte", json!(7), Met, "成立满7年：已成立7年 ✓"),
            ("age_years", "gt", json!(7), Unmet, "成立超过7年：还差180天 ✗"),
            ("age_years", "lte", json!(7), Met, "成立不超过7年：已成立7年 ✓"),
            ("age_years", "lt", json!(7), Unmet, "成立未满7年：已成立7年 ✗"),
            ("employees", "gte", json!(40), Met, "从业人员：40人（需不少于40人） ✓"),
            ("employees", "gt", json!(40), Unmet, "从业人员：需超过40人，当前为40人 ✗"),
            ("employees", "lte", json!(40), Met, "从业人员：40人（需不超过40人） ✓"),
            ("employees", "lt", json!(40), Unmet, "从业人员：需少于40人，当前为40人 ✗"),
            ("revenue_fen", "lte", json!(5000 * WAN), Met, "上年营业收入：3000万元（需不超过5000万元） ✓"),
            ("registered_capital_fen", "gte", json!(500 * WAN), Unmet, "注册资本：需不少于500万元，当前为100万元 ✗"),
            (
                "total_assets_fen",
                "lte",
                json!(5000 * WAN),
                Unknown,
                "资产总额：需不超过5000万元，档案未填写资产总额 ？",
            ),
            ("taxpayer_kind", "eq", json!("general"), Met, "纳税人类型：一般纳税人 ✓"),
            ("taxpayer_kind", "eq", json!("small_scale"), Unmet, "纳税人类型：需为小规模纳税人，当前为一般纳税人 ✗"),
            ("credit_grade", "in", json!(["A", "B"]), Met, "纳税信用等级：A级 ✓"),
            ("credit_grade", "not_in", json!(["A"]), Unmet, "纳税信用等级：不能为A级，当前为A级 ✗"),
            ("company_type", "in", json!(["limited_liability", "joint_stock"]), Met, "市场主体类型：有限责任公司 ✓"),
            (
                "company_type",
                "not_in",
                json!(["limited_liability"]),
                Unmet,
                "市场主体类型：不能为有限责任公司，当前为有限责任公司 ✗",
            ),
            ("tags", "has", json!("高新技术企业"), Met, "企业标签：已有“高新技术企业” ✓"),
            ("tags", "has", json!("专精特新"), Unmet, "企业标签：需具有“专精特新” ✗"),
            ("tags", "has_any", json!(["专精特新", "高新技术企业"]), Met, "企业标签：已有“高新技术企业” ✓"),
            ("tags", "has_none", json!(["专精特新", "软件企业"]), Met, "企业标签：尚无“专精特新”或“软件企业” ✓"),
            (
                "tags",
                "has_none",
                json!(["高新技术企业"]),
                Unmet,
                "企业标签：不能已有“高新技术企业”，当前已有“高新技术企业” ✗",
            ),
        ];
        for (field, op, value, truth, line) in cases {
            let (t, l) = one(field, op, value.clone(), &c);
            assert_eq!((t, l.as_str()), (truth, line), "{field} {op} {value}");
        }
    }

    #[test]
    fn unmet_lines_say_what_is_missing_and_whether_it_is_within_reach() {
        let c = Company { established_on: day("2025-11-21"), employees: 9, ..software() };
        let o = eval(leaf("age_years", "gte", json!(2)), c.clone(), "2026-08-30");
        let r = &o.results[0];
        assert_eq!(r.line, "成立满2年：还差448天 ✗");
        assert!(!r.reachable, "more than a year away");
        let o = eval(leaf("age_years", "gte", json!(1)), c.clone(), "2026-08-30");
        assert_eq!(o.results[0].line, "成立满1年：还差83天 ✗");
        assert_eq!(o.results[0].missing.as_deref(), Some("还差83天（2026-11-21满1年）"));
        assert!(o.results[0].reachable);

        // 20% of 10 is 2: 8 is within reach of "at least 10", 7 is not.
        let with = |n: u32| Company { employees: n, ..c.clone() };
        let reach = |n: u32| eval(leaf("employees", "gte", json!(10)), with(n), "2026-11-21").results[0].reachable;
        assert!(reach(8) && !reach(7));
        let r = &eval(leaf("employees", "gte", json!(10)), with(8), "2026-11-21").results[0];
        assert_eq!(r.missing.as_deref(), Some("从业人员还差2人"));
        assert!(eval(leaf("employees", "gte", json!(1)), with(0), "2026-11-21").results[0].reachable);
        let over = &eval(leaf("employees", "lte", json!(5)), with(8), "2026-11-21").results[0];
        assert_eq!((over.reachable, over.missing.as_deref()), (false, None));
        let capital = &eval(leaf("registered_capital_fen", "gte", json!(1000 * WAN)), with(8), "2026-11-21").results[0];
        assert!(capital.reachable, "capital can be raised");

        let founder = &eval(leaf("tags", "has", json!("退役军人创业")), with(8), "2026-11-21").results[0];
        assert!(!founder.reachable);
        let tag = &eval(leaf("tags", "has_any", json!(["退役军人创业", "专精特新"])), with(8), "2026-11-21").results[0];
        assert_eq!((tag.reachable, tag.missing.as_deref()), (true, Some("取得“专精特新”")));

        let small = Company { taxpayer_kind: TaxpayerKind::SmallScale, ..with(8) };
        let general = &eval(leaf("taxpayer_kind", "eq", json!("general")), small, "2026-11-21").results[0];
        assert_eq!((general.reachable, general.missing.as_deref()), (true, Some("登记为一般纳税人")));
        let region = &eval(leaf("district", "prefix_in", json!(["44"])), with(8), "2026-11-21").results[0];
        assert!(!region.reachable);
        // Absurd thresholds neither overflow nor panic.
        let huge = &eval(leaf("revenue_fen", "gte", json!(i64::MAX)), with(8), "2026-11-21").results[0];
        assert!(!huge.met && !huge.reachable);
        let ancient = &eval(leaf("age_years", "gte", json!(i64::MAX)), with(8), "2026-11-21").results[0];
        assert!(!ancient.met && !ancient.reachable);
    }

    #[test]
    fn unknown_data_is_unknown_not_unmet() {
        let c = Company { credit_grade: None, industry: "E47".into(), total_assets_fen: None, ..software() };
        let o = eval(
            json!({"all": [leaf("size_class", "in", json!(["micro", "small"])),
                           leaf("credit_grade", "in", json!(["A", "B"])),
                           leaf("employees", "gte", json!(1))]}),
            c.clone(),
            "2026-11-21",
        );
        assert_eq!(o.truth, Truth::Unknown);
        assert_eq!(o.cost, Cost { hard: 0, soft: 0, unknown: 2 });
        assert_eq!(o.results[0].line, "企业规模：需为微型或小型，缺少资产总额无法判定 ？");
        assert_eq!(o.results[0].missing.as_deref(), Some("在档案中填写资产总额（用于判定企业规模）"));
        assert_eq!(o.results[1].line, "纳税信用等级：需为A级或B级，档案未填写纳税信用等级 ？");
        assert!(o.results.iter().take(2).all(|r| !r.met && r.reachable && r.truth == Truth::Unknown));
        // Kleene: an unmet sibling decides `all`, a met one decides `any`.
        let all = eval(
            json!({"all": [leaf("credit_grade", "in", json!(["A"])), leaf("employees", "gte", json!(100))]}),
            c.clone(),
            "2026-11-21",
        );
        assert_eq!(all.truth, Truth::Unmet);
        let any = eval(
            json!({"any": [leaf("credit_grade", "in", json!(["A"])), leaf("employees", "gte", json!(1))]}),
            c.clone(),
            "2026-11-21",
        );
        assert_eq!(any.truth, Truth::Met);
        // `not` of an unknown stays unknown.
        let not = eval(json!({"not": leaf("credit_grade", "in", json!(["D"]))}), c, "2026-11-21");
        assert_eq!(not.truth, Truth::Unknown);
        assert_eq!(not.results[0].line, "纳税信用等级：不能为D级，档案未填写纳税信用等级 ？");
    }

    #[test]
    fn not_is_explained_positively_at_any_depth() {
        let c = software();
        // not(all(a, b)) = any(not a, not b); not(not x) = x.
        let o = eval(
            json!({"not": {"all": [leaf("industry", "prefix_in", json!(["I65"])),
                                   {"not": {"not": leaf("employees", "lt", json!(10))}}]}}),
            c.clone(),
            "2026-11-21",
        );
        assert_eq!(o.truth, Truth::Met);
        assert_eq!(o.results.len(), 1, "the met branch of the any");
        assert_eq!(o.results[0].line, "从业人员：40人（需不少于10人） ✓");
        let o = eval(json!({"not": leaf("tags", "has", json!("专精特新"))}), c.clone(), "2026-11-21");
        assert_eq!(o.results[0].line, "企业标签：尚无“专精特新” ✓");
        let o = eval(json!({"not": leaf("size_class", "in", json!(["micro", "small"]))}), c.clone(), "2026-11-21");
        assert_eq!(o.results[0].line, "企业规模：不能为微型或小型，当前为小型 ✗");
        let o = eval(json!({"not": leaf("tags", "has_none", json!(["专精特新"]))}), c, "2026-11-21");
        assert_eq!(o.results[0].line, "企业标签：需具有“专精特新” ✗");
    }

    #[test]
    fn any_shows_its_best_branch_and_names_the_others() {
        let c = Company { credit_grade: Some(CreditGrade::M), tags: vec![], ..software() };
        let o = eval(
            json!({"all": [
                leaf("company_type", "in", json!(["limited_liability"])),
                {"any": [
                    {"all": [leaf("industry", "prefix_in", json!(["C"])), leaf("credit_grade", "in", json!(["A", "B"]))]},
                    leaf("tags", "has_any", json!(["高新技术企业", "科技型中小企业"])),
                    leaf("taxpayer_kind", "eq", json!("small_scale"))
                ]}
            ]}),
            c,
            "2026-11-21",
        );
        assert_eq!(o.truth, Truth::Unmet);
        assert_eq!(o.cost, Cost { hard: 0, soft: 1, unknown: 0 }, "the tag branch is within reach");
        let lines: Vec<&str> = o.results.iter().map(|r| r.line.as_str()).collect();
        assert_eq!(lines, ["市场主体类型：有限责任公司 ✓", "企业标签：需具有“高新技术企业”或“科技型中小企业” ✗"]);
        assert_eq!(
            o.results[1].alternatives,
            ["行业需为制造业且纳税信用等级需为A级或B级", "纳税人类型需为小规模纳税人"]
        );
        assert!(o.results[0].alternatives.is_empty());
        let young = eval(
            json!({"any": [leaf("tags", "has", json!("专精特新")), leaf("age_years", "lt", json!(3))]}),
            software(),
            "2026-11-21",
        );
        assert_eq!(young.results[0].alternatives, ["成立年限需未满3年"]);
    }

    #[test]
    fn leap_day_founders_have_their_anniversary_on_28_february() {
        assert_eq!(anniversary(day("2020-02-29"), 1), Some(day("2021-02-28")));
        assert_eq!(anniversary(day("2020-02-29"), 4), Some(day("2024-02-29")));
        let c = Company { established_on: day("2024-02-29"), ..software() };
        let o = eval(leaf("age_years", "gte", json!(1)), c, "2025-02-27");
        assert_eq!(o.results[0].line, "成立满1年：还差1天 ✗");
    }
}
