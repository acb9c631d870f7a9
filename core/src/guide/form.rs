//! Forms prefilled from the dossier: each field's value and where it came from, or why it is missing.

use chrono::NaiveDate;
use serde::Serialize;

use crate::dossier::{CompanyOverview, Licence, industry, money, region, uscc};

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

/// The value of a form source for a company, or why there is none.
pub(super) fn source_value(
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
