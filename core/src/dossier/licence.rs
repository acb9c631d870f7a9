//! Licences (证照): the catalog of kinds with their validity and renewal rules, and the owner's licences.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::text;
use crate::error::{Issues, Result};

/// How a renewal lead time is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    CalendarDays,
    /// Working days of the official calendar (weekends and public holidays excluded, make-up days included).
    WorkingDays,
}

/// When a licence must be renewed: the application is due `lead` days before expiry (the latest day the
/// rule allows), and, where the rule sets one, may not be filed earlier than `window_opens` days before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct RenewalRule {
    pub lead: u32,
    pub unit: DayCount,
    #[serde(default)]
    pub window_opens: Option<u32>,
    /// The regulation that sets the rule, by name.
    pub basis: String,
}

/// One kind of licence in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct LicenceKind {
    pub code: String,
    pub name: String,
    /// The usual issuing department.
    pub issuer: String,
    /// Usual validity; `None` for 长期有效.
    pub validity_years: Option<u32>,
    /// `None` when the licence is not renewed (long-term, or re-applied from scratch).
    pub renewal: Option<RenewalRule>,
    pub description: String,
}

/// The embedded catalog (core/content/licence_kinds.json).
pub fn kinds() -> &'static [LicenceKind] {
    static CELL: OnceLock<Vec<LicenceKind>> = OnceLock::new();
    CELL.get_or_init(|| serde_json::from_slice(include_bytes!("../../content/licence_kinds.json")).unwrap_or_default())
}

pub fn kind(code: &str) -> Option<&'static LicenceKind> {
    kinds().iter().find(|k| k.code == code)
}

/// What the owner enters for a licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LicenceData {
    /// A code of the catalog, e.g. `food_business`.
    pub kind: String,
    /// 证照编号.
    pub number: String,
    /// 发证机关.
    pub issuer: String,
    pub issued_on: NaiveDate,
    /// 有效期至; `None` means 长期有效.
    pub valid_until: Option<NaiveDate>,
    /// 许可范围 / 经营项目.
    #[serde(default)]
    pub scope: String,
}

/// A stored licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Licence {
    pub id: i64,
    pub uscc: String,
    pub data: LicenceData,
    /// The kind's Chinese name, for display.
    pub kind_name: String,
    /// Days from today to `valid_until` (negative once expired); `None` for 长期有效.
    pub days_left: Option<i64>,
}

impl LicenceData {
    pub fn cleaned(&self) -> LicenceData {
        LicenceData {
            kind: self.kind.trim().to_owned(),
            number: text::clean(&self.number),
            issuer: text::clean(&self.issuer),
            scope: text::clean(&self.scope),
            ..self.clone()
        }
    }

    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        let mut issues = Issues::default();
        let kind = kind(&self.kind);
        if kind.is_none() {
            issues.push(
                "kind",
                format!("未知的证照类型“{}”", self.kind),
                format!("unknown licence kind {:?}", self.kind),
            );
        }
        text::check(&mut issues, "number", "证照编号", &self.number, 64, true);
        text::check(&mut issues, "issuer", "发证机关", &self.issuer, 100, true);
        text::check(&mut issues, "scope", "许可范围", &self.scope, 2000, false);
        if self.issued_on > today {
            issues.push("issued_on", format!("发证日期{}晚于今天", self.issued_on), "issued_on is in the future");
        }
        match (self.valid_until, kind) {
            (Some(until), _) if until < self.issued_on => issues.push(
                "valid_until",
                format!("有效期至{until}早于发证日期{}", self.issued_on),
                "valid_until is before issued_on",
            ),
            (None, Some(k)) if k.validity_years.is_some() => issues.push(
                "valid_until",
                format!(
                    "{}不是长期有效的证照（通常有效期{}年），请填写有效期至",
                    k.name,
                    k.validity_years.unwrap_or(0)
                ),
                format!("{} is not a long-term licence; valid_until is required", k.code),
            ),
            _ => {}
        }
        issues.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn food(valid_until: Option<&str>) -> LicenceData {
        LicenceData {
            kind: "food_business".into(),
            number: "JY23101150012345".into(),
            issuer: "上海市浦东新区市场监督管理局".into(),
            issued_on: "2021-12-01".parse().unwrap(),
            valid_until: valid_until.map(|d| d.parse().unwrap()),
            scope: "热食类食品制售".into(),
        }
    }

    #[test]
    fn the_catalog_has_the_kinds_the_app_relies_on() {
        assert!(kinds().len() >= 15, "{} kinds", kinds().len());
        for code in [
            "business_licence",
            "food_business",
            "pollutant_discharge",
            "road_transport",
            "special_equipment",
            "medical_device_business",
            "construction_qualification",
            "hitech_enterprise",
            "hr_service",
        ] {
            assert!(kind(code).is_some(), "{code}");
        }
        let food = kind("food_business").unwrap();
        assert_eq!(food.validity_years, Some(5));
        assert!(food.renewal.is_some());
        assert_eq!(kind("business_licence").unwrap().renewal, None);
        for k in kinds() {
            assert!(!k.name.is_empty() && !k.issuer.is_empty(), "{}", k.code);
            if let Some(r) = &k.renewal {
                assert!(r.lead > 0 && !r.basis.is_empty(), "{}", k.code);
                assert!(r.window_opens.is_none_or(|w| w > r.lead), "{}: window opens before the deadline", k.code);
            }
        }
    }

    #[test]
    fn dates_and_kind_are_checked() {
        let today = "2026-11-21".parse().unwrap();
        assert!(food(Some("2026-11-30")).validate(today).is_ok());
        let err = food(None).validate(today).unwrap_err();
        assert!(err.issues()[0].user_message.contains("不是长期有效"), "{err:?}");
        let err = food(Some("2020-01-01")).validate(today).unwrap_err();
        assert_eq!(err.issues()[0].path, "valid_until");
        let mut unknown = food(Some("2026-11-30"));
        unknown.kind = "moon_landing".into();
        assert_eq!(unknown.validate(today).unwrap_err().issues()[0].path, "kind");
    }
}
