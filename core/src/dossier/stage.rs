//! Life stage (生命周期阶段), derived from the company's age on a given day.
//!
//! The boundaries follow how support policies themselves talk about age, so a stage tells the owner
//! which family of policies and duties applies: most start-up support (创业担保贷款, 初创企业补贴, 首贷)
//! is for companies "成立3年内", and programmes for established firms (专精特新, 技术改造) ask for
//! "成立3年以上"; ten years is where growth programmes usually stop and the company is treated as mature.
//! A company registered in the future (pre-dated paperwork) is 筹建期.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum LifeStage {
    /// Not yet established on the given day.
    Preparing,
    /// Under 3 full years.
    StartUp,
    /// 3 to under 10 full years.
    Growth,
    /// 10 full years or more.
    Mature,
}

impl LifeStage {
    pub fn label(self) -> &'static str {
        match self {
            LifeStage::Preparing => "筹建期",
            LifeStage::StartUp => "初创期",
            LifeStage::Growth => "成长期",
            LifeStage::Mature => "成熟期",
        }
    }
}

/// Full years between `established` and `today` (the anniversary day counts as a full year; a company
/// founded on 29 February has its anniversary on 28 February in common years). Negative before founding.
pub fn age_years(established: NaiveDate, today: NaiveDate) -> i32 {
    let mut years = today.year() - established.year();
    let anniversary_passed = (today.month(), today.day()) >= (established.month(), established.day())
        || (established.month() == 2 && established.day() == 29 && today.month() == 2 && today.day() == 28);
    if !anniversary_passed {
        years -= 1;
    }
    if today < established { years.min(-1) } else { years }
}

pub fn stage(established: NaiveDate, today: NaiveDate) -> LifeStage {
    match age_years(established, today) {
        ..0 => LifeStage::Preparing,
        0..3 => LifeStage::StartUp,
        3..10 => LifeStage::Growth,
        _ => LifeStage::Mature,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn age_counts_full_years_including_leap_day_founders() {
        assert_eq!(age_years(d("2020-05-20"), d("2023-05-19")), 2);
        assert_eq!(age_years(d("2020-05-20"), d("2023-05-20")), 3);
        assert_eq!(age_years(d("2020-02-29"), d("2021-02-28")), 1);
        assert_eq!(age_years(d("2020-02-29"), d("2021-02-27")), 0);
        assert_eq!(age_years(d("2020-02-29"), d("2024-02-29")), 4);
        assert_eq!(age_years(d("2026-12-01"), d("2026-11-21")), -1);
    }

    #[test]
    fn stages_switch_on_the_anniversary() {
        assert_eq!(stage(d("2026-11-22"), d("2026-11-21")), LifeStage::Preparing);
        assert_eq!(stage(d("2026-11-21"), d("2026-11-21")), LifeStage::StartUp);
        assert_eq!(stage(d("2023-11-22"), d("2026-11-21")), LifeStage::StartUp);
        assert_eq!(stage(d("2023-11-21"), d("2026-11-21")), LifeStage::Growth);
        assert_eq!(stage(d("2016-11-22"), d("2026-11-21")), LifeStage::Growth);
        assert_eq!(stage(d("2016-11-21"), d("2026-11-21")), LifeStage::Mature);
    }
}
