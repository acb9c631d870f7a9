//! The closed lists of the dossier (company type, taxpayer kind, channel, status …) share one way to be
//! read from text: by their code (`small_scale`) or by their Chinese label (`小规模纳税人`), so a CLI flag,
//! a form and an import all accept what an owner would write.

use serde::Serialize;

pub trait Choice: Sized + Copy + Serialize + 'static {
    const ALL: &'static [Self];
    fn label(self) -> &'static str;

    /// The serde code of the value, as stored and exported.
    fn code(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => s,
            _ => String::new(),
        }
    }

    /// Reads a code (case-insensitive, `-` or `_`) or a Chinese label.
    fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let as_code = t.to_ascii_lowercase().replace('-', "_");
        Self::ALL.iter().copied().find(|v| v.code().to_ascii_lowercase() == as_code || v.label() == t)
    }

    /// "code（label）" for every value, for help texts and error messages.
    fn choices() -> String {
        Self::ALL.iter().map(|v| format!("{}（{}）", v.code(), v.label())).collect::<Vec<_>>().join("、")
    }
}

use super::{Channel, CompanyType, CreditGrade, RecordStatus, TaxpayerKind};

macro_rules! choice {
    ($t:ty, [$($v:expr),* $(,)?]) => {
        impl Choice for $t {
            const ALL: &'static [Self] = &[$($v),*];
            fn label(self) -> &'static str {
                <$t>::label(self)
            }
        }
    };
}

choice!(
    CompanyType,
    [
        CompanyType::LimitedLiability,
        CompanyType::JointStock,
        CompanyType::IndividualBusiness,
        CompanyType::SoleProprietorship,
        CompanyType::Partnership,
        CompanyType::Branch,
        CompanyType::FarmerCooperative,
    ]
);
choice!(TaxpayerKind, [TaxpayerKind::General, TaxpayerKind::SmallScale]);
choice!(Channel, [Channel::Online, Channel::Window, Channel::Mail]);
choice!(
    RecordStatus,
    [
        RecordStatus::Submitted,
        RecordStatus::Accepted,
        RecordStatus::Reviewing,
        RecordStatus::NeedsCorrection,
        RecordStatus::Completed,
        RecordStatus::Returned,
    ]
);
choice!(CreditGrade, [CreditGrade::A, CreditGrade::B, CreditGrade::M, CreditGrade::C, CreditGrade::D]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_both_read() {
        assert_eq!(TaxpayerKind::parse("small-scale"), Some(TaxpayerKind::SmallScale));
        assert_eq!(TaxpayerKind::parse("小规模纳税人"), Some(TaxpayerKind::SmallScale));
        assert_eq!(RecordStatus::parse("需补正"), Some(RecordStatus::NeedsCorrection));
        assert_eq!(CreditGrade::parse("a"), Some(CreditGrade::A));
        assert_eq!(CompanyType::parse("个体工商户"), Some(CompanyType::IndividualBusiness));
        assert_eq!(Channel::parse("fax"), None);
        assert!(Channel::choices().contains("online（网上办理）"));
    }
}
