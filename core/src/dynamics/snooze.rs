//! The dates "稍后提醒" offers, so every front end offers the same ones: tomorrow, the next working day
//! when that is later (a Friday's snooze to Monday, a holiday's to the first day back), in three days and
//! in a week.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Dynamics, shift};
use crate::calendar::{Calendar, weekday_label};

/// One choice: a Chinese label and the day the item shows again (for [`Dynamics::snooze`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct SnoozeChoice {
    pub label: String,
    pub until: NaiveDate,
}

pub(crate) fn choices(calendar: &Calendar, today: NaiveDate) -> Vec<SnoozeChoice> {
    let tomorrow = shift(today, 1);
    let mut out = vec![SnoozeChoice { label: "明天".into(), until: tomorrow }];
    let next_workday = calendar.next_workday(tomorrow).value;
    if next_workday != tomorrow {
        out.push(SnoozeChoice {
            label: format!("下个工作日（{}）", weekday_label(next_workday)), until: next_workday
        });
    }
    for (label, days) in [("3天后", 3), ("一周后", 7)] {
        let until = shift(today, days);
        if !out.iter().any(|c| c.until == until) {
            out.push(SnoozeChoice { label: label.into(), until });
        }
    }
    out
}

impl Dynamics<'_> {
    /// The snooze dates to offer today, earliest first.
    pub fn snooze_choices(&self) -> Vec<SnoozeChoice> {
        choices(&self.calendar(), self.today())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_friday_offers_monday_and_a_holiday_eve_the_first_day_back() {
        let cal = Calendar::official();
        // Friday 2026-11-20: tomorrow is Saturday, the next working day Monday the 23rd.
        let friday = choices(cal, day("2026-11-20"));
        assert_eq!(friday[0].until, day("2026-11-21"));
        assert_eq!(friday[1].until, day("2026-11-23"));
        assert!(friday[1].label.starts_with("下个工作日"), "{friday:?}");
        // A Tuesday: tomorrow is a working day, so there is no separate choice for it.
        let tuesday = choices(cal, day("2026-11-17"));
        assert_eq!(
            tuesday.iter().map(|c| c.until).collect::<Vec<_>>(),
            [day("2026-11-18"), day("2026-11-20"), day("2026-11-24")]
        );
        // 2026-09-30: National Day holiday runs to 10-07 (working day 10-08 on the official notice).
        let eve = choices(cal, day("2026-09-30"));
        assert!(eve[1].until > day("2026-10-07"), "{eve:?}");
    }
}
