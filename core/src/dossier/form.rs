//! The company form (企业信息表单) as an owner types it. Every front end shows the same fields and hands
//! the typed text here: the core reads the amounts, the headcount, the date and the tags, checks the
//! profile, and says what is wrong field by field. So no front end parses a number, splits tags or
//! words a message of its own.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::company::{Company, CompanyType, CreditGrade, TaxpayerKind};
use super::money;
use crate::error::{Error, Issues, Result};

/// What separates tags typed on one line: commas and semicolons (half or full width), 、 and white space.
const TAG_SEPARATORS: &[char] = &[',', '，', '、', ';', '；'];

/// The form's fields, named as the front ends name their inputs (and as the issues of [`Self::read`] name
/// them). The closed lists are chosen from the core's labels, so they are typed; everything typed by hand
/// is text, empty by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CompanyForm {
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub uscc: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub name: String,
    pub company_type: CompanyType,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub legal_representative: String,
    /// 注册资本 in yuan, as typed (`1,000,000`, `１２.５`, `100万` is not understood).
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub registered_capital_yuan: String,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub established_on: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub address: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub district: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub industry: String,
    /// A whole number.
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub employees: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub revenue_yuan: String,
    /// Empty when unknown.
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub total_assets_yuan: String,
    pub taxpayer_kind: TaxpayerKind,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub credit_grade: Option<CreditGrade>,
    /// One line; see [`split_tags`].
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub tags: String,
}

impl Default for CompanyForm {
    /// The empty form a new company starts from.
    fn default() -> Self {
        CompanyForm {
            uscc: String::new(),
            name: String::new(),
            company_type: CompanyType::LimitedLiability,
            legal_representative: String::new(),
            registered_capital_yuan: String::new(),
            established_on: String::new(),
            address: String::new(),
            district: String::new(),
            industry: String::new(),
            employees: String::new(),
            revenue_yuan: String::new(),
            total_assets_yuan: String::new(),
            taxpayer_kind: TaxpayerKind::SmallScale,
            credit_grade: None,
            tags: String::new(),
        }
    }
}

impl CompanyForm {
    /// The form filled from a saved profile, for editing: amounts as the plain number an owner would type
    /// (`1234.5`, not `1,234.50元`), tags joined with `，`.
    pub fn from_company(c: &Company) -> CompanyForm {
        CompanyForm {
            uscc: c.uscc.clone(),
            name: c.name.clone(),
            company_type: c.company_type,
            legal_representative: c.legal_representative.clone(),
            registered_capital_yuan: plain_yuan(c.registered_capital_fen),
            established_on: c.established_on.format("%Y-%m-%d").to_string(),
            address: c.address.clone(),
            district: c.district.clone(),
            industry: c.industry.clone(),
            employees: c.employees.to_string(),
            revenue_yuan: plain_yuan(c.revenue_fen),
            total_assets_yuan: c.total_assets_fen.map(plain_yuan).unwrap_or_default(),
            taxpayer_kind: c.taxpayer_kind,
            credit_grade: c.credit_grade,
            tags: c.tags.join("，"),
        }
    }

    /// Reads the typed text into a profile and checks it against every rule of [`Company::validate`],
    /// reporting all problems at once. Issue paths are this form's field names (a profile rule on
    /// `revenue_fen` is reported on `revenue_yuan`, one on `tags[2]` on `tags`).
    pub fn read(&self, today: NaiveDate) -> Result<Company> {
        let mut issues = Issues::default();
        let mut amount = |field: &str, label: &str, text: &str, required: bool| -> Option<i64> {
            if text.trim().is_empty() {
                if required {
                    issues.push(field, format!("请填写{label}（元）"), format!("{field} is empty"));
                }
                return None;
            }
            match money::parse_yuan(text) {
                Ok(fen) => Some(fen),
                Err(e) => {
                    issues.push(field, e.user_message(), e.to_string());
                    None
                }
            }
        };
        let capital = amount("registered_capital_yuan", "注册资本", &self.registered_capital_yuan, true);
        let revenue = amount("revenue_yuan", "上年度营业收入", &self.revenue_yuan, true);
        let assets = amount("total_assets_yuan", "资产总额", &self.total_assets_yuan, false);
        let employees = read_count(&self.employees);
        if employees.is_none() {
            issues.push(
                "employees",
                "请填写从业人数（整数）",
                format!("employees: not a whole number: {:?}", self.employees),
            );
        }
        let established_on = read_date(&self.established_on);
        match (&established_on, self.established_on.trim().is_empty()) {
            (Some(_), _) => {}
            (None, true) => issues.push("established_on", "请填写成立日期", "established_on is empty"),
            (None, false) => issues.push(
                "established_on",
                format!("成立日期格式应为 YYYY-MM-DD：{}", self.established_on.trim()),
                format!("established_on: not a date: {:?}", self.established_on),
            ),
        }
        // The profile's own rules run even when a field could not be read (it then holds a harmless
        // value, and its reading issue already stops the save), so the owner sees every problem at once.
        let company = Company {
            uscc: self.uscc.clone(),
            name: self.name.clone(),
            company_type: self.company_type,
            legal_representative: self.legal_representative.clone(),
            registered_capital_fen: capital.unwrap_or(0),
            established_on: established_on.unwrap_or(today),
            address: self.address.clone(),
            district: self.district.clone(),
            industry: self.industry.clone(),
            employees: employees.unwrap_or(0),
            revenue_fen: revenue.unwrap_or(0),
            total_assets_fen: assets,
            taxpayer_kind: self.taxpayer_kind,
            credit_grade: self.credit_grade,
            tags: split_tags(&self.tags),
        };
        if let Err(Error::Invalid(found)) = company.cleaned().validate(today) {
            let mut tags_reported = false;
            for issue in found {
                let path = form_path(&issue.path);
                // The tags are one field: their issues (one per tag) read as its first.
                if path == "tags" && std::mem::replace(&mut tags_reported, true) {
                    continue;
                }
                issues.push(path, issue.user_message, issue.message);
            }
        }
        issues.into_result()?;
        Ok(company)
    }
}

/// Tags typed on one line, split on commas, semicolons, 、 and white space, empty pieces dropped. Every
/// front end's tag field is read by this.
pub fn split_tags(line: &str) -> Vec<String> {
    line.split(|c: char| TAG_SEPARATORS.contains(&c) || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The form field a profile rule's path belongs to.
fn form_path(path: &str) -> String {
    let field = path.split(['[', '.']).next().unwrap_or(path);
    match field.strip_suffix("_fen") {
        Some(amount) => format!("{amount}_yuan"),
        None => field.to_owned(),
    }
}

fn read_count(text: &str) -> Option<u32> {
    let folded: String = text.trim().chars().map(fold_digit).collect();
    if folded.is_empty() || !folded.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    folded.parse().ok()
}

pub(super) fn read_date(text: &str) -> Option<NaiveDate> {
    let folded: String = text.trim().chars().map(fold_digit).collect();
    folded.parse().ok()
}

/// Full-width digits and hyphen as typed by Chinese input methods.
pub(super) fn fold_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '－' => '-',
        _ => c,
    }
}

/// Fen as a plain decimal number of yuan (`1234.5`, `100`).
fn plain_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let (yuan, cents) = (fen.unsigned_abs() / 100, fen.unsigned_abs() % 100);
    match cents {
        0 => format!("{sign}{yuan}"),
        c if c % 10 == 0 => format!("{sign}{yuan}.{}", c / 10),
        c => format!("{sign}{yuan}.{c:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::company::tests::sample;

    fn today() -> NaiveDate {
        "2026-11-21".parse().unwrap()
    }

    fn paths(e: &Error) -> Vec<&str> {
        e.issues().iter().map(|i| i.path.as_str()).collect()
    }

    #[test]
    fn a_saved_profile_reads_back_unchanged_through_its_form() {
        let mut c = sample("91310115MA1K3YJ5A", "上海𠈌科技有限公司");
        c.tags = vec!["高新技术企业".into(), "专精特新".into()];
        c.total_assets_fen = Some(123_450);
        c.registered_capital_fen = 100_000_001;
        let form = CompanyForm::from_company(&c);
        assert_eq!(form.registered_capital_yuan, "1000000.01");
        assert_eq!(form.total_assets_yuan, "1234.5");
        assert_eq!(form.tags, "高新技术企业，专精特新");
        assert_eq!(form.read(today()).unwrap(), c);
    }

    #[test]
    fn tags_split_on_every_separator_owners_type() {
        assert_eq!(
            split_tags(" 专精特新，高新技术企业、软件企业;外贸企业；绿色工厂,首次贷款 重点群体就业\t"),
            ["专精特新", "高新技术企业", "软件企业", "外贸企业", "绿色工厂", "首次贷款", "重点群体就业"]
        );
        assert!(split_tags(" ，、 ").is_empty());
    }

    #[test]
    fn every_unreadable_field_and_every_rule_is_reported_at_once() {
        let mut form = CompanyForm::from_company(&sample("91310115MA1K3YJ5A", "上海某科技有限公司"));
        form.employees = "四十".into();
        form.revenue_yuan = "12.345".into();
        form.registered_capital_yuan = " ".into();
        form.established_on = "".into();
        form.name = "".into();
        form.district = "990000".into();
        let e = form.read(today()).unwrap_err();
        assert_eq!(
            paths(&e),
            ["registered_capital_yuan", "revenue_yuan", "employees", "established_on", "name", "district"]
        );
        let messages: Vec<&str> = e.issues().iter().map(|i| i.user_message.as_str()).collect();
        assert_eq!(messages[0], "请填写注册资本（元）");
        assert_eq!(messages[2], "请填写从业人数（整数）");
        assert_eq!(messages[3], "请填写成立日期");
    }

    #[test]
    fn profile_rules_are_reported_on_the_form_fields() {
        let mut form = CompanyForm::from_company(&sample("91310115MA1K3YJ5A", "上海某科技有限公司"));
        form.revenue_yuan = "-5".into();
        form.established_on = "2030-01-01".into();
        form.tags = format!("{}，好", "长".repeat(31));
        let e = form.read(today()).unwrap_err();
        // A negative amount is not read at all (parse_yuan), the date and the tags break profile rules.
        assert_eq!(paths(&e), ["revenue_yuan", "established_on", "tags"]);
    }

    #[test]
    fn full_width_digits_are_read() {
        let mut form = CompanyForm::from_company(&sample("91310115MA1K3YJ5A", "上海某科技有限公司"));
        form.employees = "４０".into();
        form.established_on = "２０１９－０５－２０".into();
        let c = form.read(today()).unwrap();
        assert_eq!((c.employees, c.established_on.to_string().as_str()), (40, "2019-05-20"));
    }
}
