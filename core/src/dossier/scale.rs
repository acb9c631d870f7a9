//! Enterprise size class (企业规模), derived — never typed in — per 《中小企业划型标准规定》
//! (工信部联企业〔2011〕300号).
//!
//! The standard sorts industries into sixteen categories. Each category measures size by one or two of
//! three indicators: employees (从业人员), last year's revenue (营业收入) and total assets (资产总额), with
//! thresholds for 中型, 小型 and 微型; above the 中型 range a company is 大型.
//!
//! How a class is decided, as the standard's accompanying rules read: a company belongs to a class only if
//! it reaches *every* lower bound the class lists; otherwise it drops to the next class down. 微型 is the
//! floor, so falling short of either 小型 bound makes a company 微型. Example, 工业: 中型 needs ≥300
//! employees and ≥2000万元 revenue; a factory with 500 employees and 1500万元 revenue is therefore 小型.
//!
//! Industries map to categories by GB/T 4754-2017 major group: 工业 = sections B, C, D; 建筑业 = E;
//! 批发业 = 51; 零售业 = 52; 交通运输业 = 53-58 (without 59 仓储 and 60 邮政, which are their own); 住宿业 = 61;
//! 餐饮业 = 62; 信息传输业 = 63-64; 软件和信息技术服务业 = 65; 房地产开发经营 = group 701;
//! 物业管理 = group 702; 租赁和商务服务业 = section L (71-72); 农、林、牧、渔业 = section A; everything else
//! is 其他未列明行业. Real estate written only as `K70` cannot be told apart and is judged as 其他.

use serde::{Deserialize, Serialize};

use super::industry;

/// 万元 in fen.
const WAN: i64 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SizeClass {
    Micro,
    Small,
    Medium,
    Large,
}

impl SizeClass {
    pub fn label(self) -> &'static str {
        match self {
            SizeClass::Micro => "微型",
            SizeClass::Small => "小型",
            SizeClass::Medium => "中型",
            SizeClass::Large => "大型",
        }
    }
}

/// The result of a derivation: the class if it can be decided, and why, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct SizeAssessment {
    /// `None` when an indicator the category needs (total assets) is not in the profile.
    pub class: Option<SizeClass>,
    /// The standard's category, e.g. `工业`.
    pub category: String,
    /// One sentence: the indicators used and the thresholds that decided it.
    pub basis: String,
}

#[derive(Clone, Copy)]
enum Indicator {
    Employees,
    Revenue,
    Assets,
}

impl Indicator {
    fn describe(self, threshold: i64) -> String {
        match self {
            Indicator::Employees => format!("从业人员≥{threshold}人"),
            Indicator::Revenue => format!("营业收入≥{}万元", threshold / WAN),
            Indicator::Assets => format!("资产总额≥{}万元", threshold / WAN),
        }
    }
}

/// One category of the standard: its indicators and, per indicator, the lower bounds of
/// 大型, 中型 and 小型 (in people or fen).
struct Category {
    name: &'static str,
    rules: &'static [(Indicator, [i64; 3])],
}

use Indicator::*;

const fn c(name: &'static str, rules: &'static [(Indicator, [i64; 3])]) -> Category {
    Category { name, rules }
}

const AGRICULTURE: Category = c("农、林、牧、渔业", &[(Revenue, [20000 * WAN, 500 * WAN, 50 * WAN])]);
const INDUSTRY: Category = c("工业", &[(Employees, [1000, 300, 20]), (Revenue, [40000 * WAN, 2000 * WAN, 300 * WAN])]);
const CONSTRUCTION: Category =
    c("建筑业", &[(Revenue, [80000 * WAN, 6000 * WAN, 300 * WAN]), (Assets, [80000 * WAN, 5000 * WAN, 300 * WAN])]);
const WHOLESALE: Category = c("批发业", &[(Employees, [200, 20, 5]), (Revenue, [40000 * WAN, 5000 * WAN, 1000 * WAN])]);
const RETAIL: Category = c("零售业", &[(Employees, [300, 50, 10]), (Revenue, [20000 * WAN, 500 * WAN, 100 * WAN])]);
const TRANSPORT: Category =
    c("交通运输业", &[(Employees, [1000, 300, 20]), (Revenue, [30000 * WAN, 3000 * WAN, 200 * WAN])]);
const WAREHOUSING: Category =
    c("仓储业", &[(Employees, [200, 100, 20]), (Revenue, [30000 * WAN, 1000 * WAN, 100 * WAN])]);
const POSTAL: Category = c("邮政业", &[(Employees, [1000, 300, 20]), (Revenue, [30000 * WAN, 2000 * WAN, 100 * WAN])]);
const LODGING: Category = c("住宿业", &[(Employees, [300, 100, 10]), (Revenue, [10000 * WAN, 2000 * WAN, 100 * WAN])]);
const CATERING: Category = c("餐饮业", &[(Employees, [300, 100, 10]), (Revenue, [10000 * WAN, 2000 * WAN, 100 * WAN])]);
const TELECOM: Category =
    c("信息传输业", &[(Employees, [2000, 100, 10]), (Revenue, [100000 * WAN, 1000 * WAN, 100 * WAN])]);
const SOFTWARE: Category =
    c("软件和信息技术服务业", &[(Employees, [300, 100, 10]), (Revenue, [10000 * WAN, 1000 * WAN, 50 * WAN])]);
const REAL_ESTATE: Category = c(
    "房地产开发经营",
    &[(Revenue, [200000 * WAN, 1000 * WAN, 100 * WAN]), (Assets, [10000 * WAN, 5000 * WAN, 2000 * WAN])],
);
const PROPERTY: Category =
    c("物业管理", &[(Employees, [1000, 300, 100]), (Revenue, [5000 * WAN, 1000 * WAN, 500 * WAN])]);
const LEASING: Category =
    c("租赁和商务服务业", &[(Employees, [300, 100, 10]), (Assets, [120000 * WAN, 8000 * WAN, 100 * WAN])]);
const OTHER: Category = c("其他未列明行业", &[(Employees, [300, 100, 10])]);

fn category(industry_code: &str) -> &'static Category {
    let section = industry_code.chars().next().unwrap_or(' ');
    let Some((group, finer)) = industry::group_number(industry_code) else {
        return &OTHER;
    };
    match (section, group) {
        ('A', _) => &AGRICULTURE,
        ('B' | 'C' | 'D', _) => &INDUSTRY,
        ('E', _) => &CONSTRUCTION,
        (_, 51) => &WHOLESALE,
        (_, 52) => &RETAIL,
        (_, 53..=58) => &TRANSPORT,
        (_, 59) => &WAREHOUSING,
        (_, 60) => &POSTAL,
        (_, 61) => &LODGING,
        (_, 62) => &CATERING,
        (_, 63 | 64) => &TELECOM,
        (_, 65) => &SOFTWARE,
        (_, 70) if finer.starts_with('1') => &REAL_ESTATE,
        (_, 70) if finer.starts_with('2') => &PROPERTY,
        ('L', _) => &LEASING,
        _ => &OTHER,
    }
}

/// Derives the size class from the profile's indicators.
pub fn assess(industry_code: &str, employees: u32, revenue_fen: i64, total_assets_fen: Option<i64>) -> SizeAssessment {
    let cat = category(industry_code);
    let mut values = Vec::with_capacity(cat.rules.len());
    for (indicator, _) in cat.rules {
        let value = match indicator {
            Employees => Some(i64::from(employees)),
            Revenue => Some(revenue_fen),
            Assets => total_assets_fen,
        };
        let Some(value) = value else {
            return SizeAssessment {
                class: None,
                category: cat.name.to_owned(),
                basis: format!("{}按资产总额划型，请在档案中填写资产总额", cat.name),
            };
        };
        values.push(value);
    }
    for (tier, class) in [SizeClass::Large, SizeClass::Medium, SizeClass::Small].into_iter().enumerate() {
        let reaches_all = cat.rules.iter().zip(&values).all(|((_, bounds), v)| *v >= bounds[tier]);
        if reaches_all {
            let bounds: Vec<String> = cat.rules.iter().map(|(i, b)| i.describe(b[tier])).collect();
            return SizeAssessment {
                class: Some(class),
                category: cat.name.to_owned(),
                basis: format!("{}：{}，同时满足即为{}", cat.name, bounds.join("且"), class.label()),
            };
        }
    }
    let small: Vec<String> = cat.rules.iter().map(|(i, b)| i.describe(b[2])).collect();
    SizeAssessment {
        class: Some(SizeClass::Micro),
        category: cat.name.to_owned(),
        basis: format!("{}：未同时达到{}，为微型", cat.name, small.join("且")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(code: &str, employees: u32, revenue_wan: i64, assets_wan: Option<i64>) -> Option<SizeClass> {
        assess(code, employees, revenue_wan * WAN, assets_wan.map(|a| a * WAN)).class
    }

    #[test]
    fn industry_drops_a_class_when_one_bound_is_missed() {
        assert_eq!(class("C39", 500, 1500, None), Some(SizeClass::Small));
        assert_eq!(class("C39", 300, 2000, None), Some(SizeClass::Medium), "bounds are inclusive");
        assert_eq!(class("C39", 1000, 40000, None), Some(SizeClass::Large));
        assert_eq!(class("C39", 19, 5000, None), Some(SizeClass::Micro));
        assert_eq!(class("D44", 20, 300, None), Some(SizeClass::Small));
    }

    #[test]
    fn each_category_of_the_standard_at_its_bounds() {
        // (code, employees, revenue 万元, assets 万元, expected)
        let cases = [
            ("A01", 0, 50, None, SizeClass::Small),
            ("A01", 0, 49, None, SizeClass::Micro),
            ("A03", 0, 20000, None, SizeClass::Large),
            ("E47", 0, 6000, Some(5000), SizeClass::Medium),
            ("E48", 0, 6000, Some(4999), SizeClass::Small),
            ("F51", 20, 5000, None, SizeClass::Medium),
            ("F51", 5, 1000, None, SizeClass::Small),
            ("F51", 4, 1000, None, SizeClass::Micro),
            ("F52", 50, 500, None, SizeClass::Medium),
            ("F52", 10, 100, None, SizeClass::Small),
            ("G54", 300, 3000, None, SizeClass::Medium),
            ("G54", 20, 200, None, SizeClass::Small),
            ("G59", 100, 1000, None, SizeClass::Medium),
            ("G60", 300, 2000, None, SizeClass::Medium),
            ("G60", 20, 100, None, SizeClass::Small),
            ("H61", 100, 2000, None, SizeClass::Medium),
            ("H62", 10, 100, None, SizeClass::Small),
            ("H62", 9, 5000, None, SizeClass::Micro),
            ("I63", 2000, 100000, None, SizeClass::Large),
            ("I64", 100, 1000, None, SizeClass::Medium),
            ("I65", 10, 50, None, SizeClass::Small),
            ("I65", 10, 49, None, SizeClass::Micro),
            ("I65", 300, 10000, None, SizeClass::Large),
            ("K701", 0, 1000, Some(5000), SizeClass::Medium),
            ("K701", 0, 100, Some(2000), SizeClass::Small),
            ("K7010", 0, 200000, Some(10000), SizeClass::Large),
            ("K702", 300, 1000, None, SizeClass::Medium),
            ("K702", 100, 500, None, SizeClass::Small),
            ("K702", 99, 500, None, SizeClass::Micro),
            ("L72", 100, 0, Some(8000), SizeClass::Medium),
            ("L71", 10, 0, Some(100), SizeClass::Small),
            ("M73", 100, 0, None, SizeClass::Medium),
            ("K70", 10, 0, None, SizeClass::Small),
            ("P83", 9, 0, None, SizeClass::Micro),
        ];
        for (code, e, r, a, expected) in cases {
            assert_eq!(class(code, e, r, a), Some(expected), "{code} {e} {r} {a:?}");
        }
    }

    #[test]
    fn asset_based_categories_need_assets() {
        let a = assess("E47", 10, 100 * WAN, None);
        assert_eq!(a.class, None);
        assert!(a.basis.contains("资产总额"));
        assert_eq!(a.category, "建筑业");
    }

    #[test]
    fn basis_names_the_thresholds() {
        let a = assess("I65", 40, 3000 * WAN, None);
        assert_eq!(a.class, Some(SizeClass::Small));
        assert_eq!(a.basis, "软件和信息技术服务业：从业人员≥10人且营业收入≥50万元，同时满足即为小型");
    }
}
