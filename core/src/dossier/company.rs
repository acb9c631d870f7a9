//! The company profile (企业基本信息) as the owner enters it, and its checks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{industry, region, text, uscc};
use crate::error::{Issues, Result};

/// 市场主体类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CompanyType {
    LimitedLiability,
    JointStock,
    IndividualBusiness,
    SoleProprietorship,
    Partnership,
    Branch,
    FarmerCooperative,
}

impl CompanyType {
    pub fn label(self) -> &'static str {
        match self {
            CompanyType::LimitedLiability => "有限责任公司",
            CompanyType::JointStock => "股份有限公司",
            CompanyType::IndividualBusiness => "个体工商户",
            CompanyType::SoleProprietorship => "个人独资企业",
            CompanyType::Partnership => "合伙企业",
            CompanyType::Branch => "分公司",
            CompanyType::FarmerCooperative => "农民专业合作社",
        }
    }
}

/// 增值税纳税人类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum TaxpayerKind {
    /// 一般纳税人: files VAT monthly.
    General,
    /// 小规模纳税人: files VAT quarterly.
    SmallScale,
}

impl TaxpayerKind {
    pub fn label(self) -> &'static str {
        match self {
            TaxpayerKind::General => "一般纳税人",
            TaxpayerKind::SmallScale => "小规模纳税人",
        }
    }
}

/// 纳税信用等级. New taxpayers without a full year of history are M.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum CreditGrade {
    A,
    B,
    M,
    C,
    D,
}

impl CreditGrade {
    pub fn label(self) -> &'static str {
        match self {
            CreditGrade::A => "A级",
            CreditGrade::B => "B级",
            CreditGrade::M => "M级",
            CreditGrade::C => "C级",
            CreditGrade::D => "D级",
        }
    }
}

/// Tags the app knows and suggests; owners may add others.
pub const KNOWN_TAGS: &[&str] = &[
    "高新技术企业",
    "科技型中小企业",
    "专精特新",
    "专精特新小巨人",
    "创新型中小企业",
    "小型微利企业",
    "软件企业",
    "集成电路企业",
    "外贸企业",
    "重点群体就业",
    "退役军人创业",
    "高校毕业生创业",
    "首次贷款",
    "绿色工厂",
];

const MAX_TAGS: usize = 30;

/// The profile. Size class and life stage are not here: they are derived (see `scale` and `stage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Company {
    /// 统一社会信用代码, the company's identity in the dossier.
    pub uscc: String,
    pub name: String,
    pub company_type: CompanyType,
    pub legal_representative: String,
    /// 注册资本, in fen.
    pub registered_capital_fen: i64,
    pub established_on: NaiveDate,
    pub address: String,
    /// GB/T 2260 code of the district of registration.
    pub district: String,
    /// GB/T 4754-2017 section letter + major group (see `industry`).
    pub industry: String,
    /// 从业人员.
    pub employees: u32,
    /// 上年度营业收入, in fen.
    pub revenue_fen: i64,
    /// 资产总额, in fen; needed for the size class of construction, real estate development and leasing.
    #[serde(default)]
    pub total_assets_fen: Option<i64>,
    pub taxpayer_kind: TaxpayerKind,
    #[serde(default)]
    pub credit_grade: Option<CreditGrade>,
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Company {
    /// Returns the profile in stored form: text trimmed, code upper case, tags trimmed and de-duplicated
    /// (first occurrence kept). Checks nothing.
    pub fn cleaned(&self) -> Company {
        let mut tags: Vec<String> = Vec::with_capacity(self.tags.len());
        for t in &self.tags {
            let t = text::clean(t);
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        Company {
            uscc: self.uscc.trim().to_ascii_uppercase(),
            name: text::clean(&self.name),
            legal_representative: text::clean(&self.legal_representative),
            address: text::clean(&self.address),
            district: self.district.trim().to_owned(),
            industry: self.industry.trim().to_owned(),
            tags,
            ..self.clone()
        }
    }

    /// Checks a cleaned profile against every rule, reporting all problems at once.
    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        let mut issues = Issues::default();
        issues.nest("", uscc::normalize(&self.uscc).map(drop));
        text::check(&mut issues, "name", "企业名称", &self.name, 100, true);
        text::check(&mut issues, "legal_representative", "法定代表人（负责人）", &self.legal_representative, 50, true);
        text::check(&mut issues, "address", "住所（经营场所）", &self.address, 200, true);
        if self.registered_capital_fen < 0 {
            issues.push("registered_capital_fen", "注册资本不能为负数", "registered_capital_fen is negative");
        }
        if self.established_on > today {
            issues.push(
                "established_on",
                format!("成立日期{}晚于今天", self.established_on),
                "established_on is in the future",
            );
        }
        issues.nest("", region::validate(&self.district));
        issues.nest("", industry::validate(&self.industry));
        if self.revenue_fen < 0 {
            issues.push("revenue_fen", "营业收入不能为负数", "revenue_fen is negative");
        }
        if self.total_assets_fen.is_some_and(|a| a < 0) {
            issues.push("total_assets_fen", "资产总额不能为负数", "total_assets_fen is negative");
        }
        if self.tags.len() > MAX_TAGS {
            issues.push("tags", format!("标签最多{MAX_TAGS}个"), format!("at most {MAX_TAGS} tags"));
        }
        for (i, tag) in self.tags.iter().enumerate() {
            text::check(&mut issues, &format!("tags[{i}]"), "标签", tag, 30, true);
        }
        issues.into_result()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample(uscc_body: &str, name: &str) -> Company {
        Company {
            uscc: uscc::complete(uscc_body).unwrap(),
            name: name.to_owned(),
            company_type: CompanyType::LimitedLiability,
            legal_representative: "王𠈌".to_owned(),
            registered_capital_fen: 100_000_000,
            established_on: "2019-05-20".parse().unwrap(),
            address: "上海市浦东新区张江路1号".to_owned(),
            district: "310115".to_owned(),
            industry: "I65".to_owned(),
            employees: 40,
            revenue_fen: 3_000 * 1_000_000,
            total_assets_fen: None,
            taxpayer_kind: TaxpayerKind::General,
            credit_grade: Some(CreditGrade::A),
            tags: vec!["高新技术企业".to_owned()],
        }
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut c = sample("91310115MA1K3YJ5A", "");
        c.uscc = "91310115MA1K3YJ5AI".into();
        c.district = "990000".into();
        c.industry = "I99".into();
        c.revenue_fen = -1;
        c.established_on = "2030-01-01".parse().unwrap();
        c.tags = vec!["".into()];
        let err = c.cleaned().validate("2026-11-21".parse().unwrap()).unwrap_err();
        let paths: Vec<&str> = err.issues().iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["uscc", "name", "established_on", "district", "industry", "revenue_fen", "tags[0]"]);
    }

    #[test]
    fn cleaning_trims_and_dedups_but_keeps_rare_characters() {
        let mut c = sample("91310115MA1K3YJ5A", "  上海𠈌科技有限公司 ");
        c.uscc = c.uscc.to_lowercase();
        c.tags = vec![" 专精特新".into(), "专精特新".into()];
        let cleaned = c.cleaned();
        assert_eq!(cleaned.name, "上海𠈌科技有限公司");
        assert_eq!(cleaned.tags, ["专精特新"]);
        assert!(cleaned.validate("2026-11-21".parse().unwrap()).is_ok());
    }
}
