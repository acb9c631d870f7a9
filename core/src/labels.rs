//! Every closed list the front ends show, as (code, Chinese label) pairs, so a screen can name a stored
//! code (`small_scale`, `overdue`) or offer the choices of a form without a table of its own.

use serde::Serialize;

use crate::dossier::{Channel, Choice, CompanyType, CreditGrade, LifeStage, RecordStatus, SizeClass, TaxpayerKind};
use crate::dynamics::{DynamicKind, Severity};
use crate::policy::Verdict;

/// One value of a closed list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Label {
    /// As stored and exported (`small_scale`).
    pub code: String,
    /// `小规模纳税人`.
    pub label: String,
}

/// The closed lists, each in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Labels {
    pub company_types: Vec<Label>,
    pub taxpayer_kinds: Vec<Label>,
    pub credit_grades: Vec<Label>,
    pub channels: Vec<Label>,
    pub record_statuses: Vec<Label>,
    pub size_classes: Vec<Label>,
    pub life_stages: Vec<Label>,
    pub severities: Vec<Label>,
    pub dynamic_kinds: Vec<Label>,
    /// The policy checkup's verdicts, as its sections are titled.
    pub verdicts: Vec<Label>,
}

/// The days left until a date, as the phones' badges say it: `还剩3天`, `今天到期`, `已逾期2天`.
pub fn days_left(days: i64) -> String {
    match days {
        1.. => format!("还剩{days}天"),
        0 => "今天到期".to_owned(),
        _ => format!("已逾期{}天", days.unsigned_abs()),
    }
}

fn code<T: Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn choices<T: Choice>() -> Vec<Label> {
    T::ALL.iter().map(|v| Label { code: v.code(), label: v.label().to_owned() }).collect()
}

fn listed<T: Serialize + Copy>(values: &[T], label: fn(T) -> &'static str) -> Vec<Label> {
    values.iter().map(|&v| Label { code: code(v), label: label(v).to_owned() }).collect()
}

pub fn labels() -> Labels {
    use DynamicKind as K;
    Labels {
        company_types: choices::<CompanyType>(),
        taxpayer_kinds: choices::<TaxpayerKind>(),
        credit_grades: choices::<CreditGrade>(),
        channels: choices::<Channel>(),
        record_statuses: choices::<RecordStatus>(),
        size_classes: listed(
            &[SizeClass::Micro, SizeClass::Small, SizeClass::Medium, SizeClass::Large],
            SizeClass::label,
        ),
        life_stages: listed(
            &[LifeStage::Preparing, LifeStage::StartUp, LifeStage::Growth, LifeStage::Mature],
            LifeStage::label,
        ),
        severities: listed(&[Severity::Overdue, Severity::Urgent, Severity::Soon, Severity::Info], Severity::label),
        dynamic_kinds: listed(
            &[
                K::TaxFiling,
                K::AnnualReport,
                K::LicenceRenewal,
                K::LicenceExpiry,
                K::MaterialExpiry,
                K::Progress,
                K::Policy,
                K::External,
                K::Custom,
            ],
            DynamicKind::label,
        ),
        verdicts: listed(&[Verdict::Eligible, Verdict::NearMiss, Verdict::NotEligible], Verdict::label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_serde_names_and_every_label_is_chinese() {
        let l = labels();
        assert!(l.taxpayer_kinds.contains(&Label { code: "small_scale".into(), label: "小规模纳税人".into() }));
        assert_eq!(l.severities[0], Label { code: "overdue".into(), label: "已逾期".into() });
        assert_eq!(l.credit_grades[0].code, "A");
        for list in [
            &l.company_types,
            &l.channels,
            &l.record_statuses,
            &l.size_classes,
            &l.life_stages,
            &l.dynamic_kinds,
            &l.verdicts,
        ] {
            assert!(list.iter().all(|x| !x.code.is_empty() && x.label.chars().any(|c| c > '\u{2e80}')), "{list:?}");
        }
    }

    #[test]
    fn days_left_are_worded_once_for_every_front_end() {
        assert_eq!([days_left(3), days_left(0), days_left(-2)], ["还剩3天", "今天到期", "已逾期2天"]);
        assert_eq!(days_left(i64::MIN), format!("已逾期{}天", i64::MIN.unsigned_abs()));
    }
}
