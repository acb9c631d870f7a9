//! The official working-day calendar of mainland China, and the deadlines that are counted on it.
//!
//! A day is a working day when it is Monday–Friday and not a public holiday, or when it is a weekend day
//! the State Council made a make-up working day (调休上班). Only the exceptions are data (see
//! [`holidays`]); the ordinary week is arithmetic. All dates are Asia/Shanghai dates: the authorities set
//! deadlines in Beijing time, whatever the device's zone.
//!
//! A date in a year the calendar has no notice for is reckoned with weekends only, and every answer that
//! depended on such a date says so (`estimated: true`), so the app can show "约" instead of a false
//! certainty. Holiday notices come out each November for the next year; until the feed delivers it, next
//! year's deadlines are estimates.

mod holidays;
pub mod tax;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use crate::error::Result;

pub use tax::{TaxDeadline, tax_deadline};

/// A value reckoned on the calendar, and whether any date it depended on lies in a year without an
/// official notice (then weekends were the only rest days assumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Estimate<T> {
    pub value: T,
    pub estimated: bool,
}

impl<T> Estimate<T> {
    fn new(value: T, estimated: bool) -> Self {
        Estimate { value, estimated }
    }
}

/// Everything the calendar knows about one date (the CLI's `calendar workday DATE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct DayInfo {
    pub date: NaiveDate,
    pub workday: bool,
    /// The public holiday this date belongs to (`国庆节`), when it is one.
    pub holiday: Option<String>,
    /// `Some(name)` when this weekend day is a make-up working day for that holiday.
    pub make_up_for: Option<String>,
    /// The first working day on or after `date` (the date itself when it is a working day).
    pub next_workday: NaiveDate,
    /// `星期一` … `星期日`.
    pub weekday_label: String,
    pub estimated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    off: bool,
    name: String,
    /// The year of the notice that listed it (2023's notice lists 2022-12-31).
    source: i32,
}

/// The working-day calendar: ordinary weeks plus the official exceptions of the years it knows.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, Listed>,
    years: BTreeSet<i32>,
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Monday–Friday days from a fixed Monday up to and including `d`; only differences are meaningful.
fn weekdays_through(d: NaiveDate) -> i64 {
    let n = i64::from(d.num_days_from_ce());
    let w = i64::from(d.weekday().num_days_from_monday());
    (n - w).div_euclid(7) * 5 + (w + 1).min(5)
}

pub fn weekday_label(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

impl Calendar {
    /// The calendar of the embedded notices (2020–2026). Built once; cheap to call.
    pub fn official() -> &'static Calendar {
        static CELL: OnceLock<Calendar> = OnceLock::new();
        CELL.get_or_init(|| {
            // The embedded files are checked by the tests; a broken one would leave its year unknown (its
            // dates then count as estimates) rather than take the app down.
            holidays::EMBEDDED.iter().fold(Calendar::default(), |cal, json| {
                let fallback = cal.clone();
                cal.with_year_json(json).unwrap_or(fallback)
            })
        })
    }

    /// A calendar that knows no year: weekends only, every answer an estimate. For tests and as a base.
    pub fn weekends_only() -> Calendar {
        Calendar::default()
    }

    /// This calendar plus one year file (holiday-cn format), e.g. next year's notice from the feed. A
    /// file for a year already known replaces everything the old file of that year listed (a corrected
    /// notice); days it lists in neighbouring years are added. The file is checked first and refused
    /// whole, with the path of every problem, if anything is wrong.
    pub fn with_year_json(mut self, json: &str) -> Result<Calendar> {
        let year = holidays::parse(json)?;
        self.days.retain(|_, listed| listed.source != year.year);
        for day in year.days {
            let listed = Listed { off: day.off, name: day.name, source: year.year };
            self.days.insert(day.date, listed);
        }
        self.years.insert(year.year);
        Ok(self)
    }

    /// The years with an official notice, ascending.
    pub fn known_years(&self) -> Vec<i32> {
        self.years.iter().copied().collect()
    }

    pub fn knows(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// Whether every year from `a` to `b` (either order) has a notice.
    fn knows_range(&self, a: NaiveDate, b: NaiveDate) -> bool {
        let (lo, hi) = if a <= b { (a.year(), b.year()) } else { (b.year(), a.year()) };
        (lo..=hi).all(|y| self.years.contains(&y))
    }

    /// The working-day test without the estimate flag (callers that track the flag themselves).
    fn workday(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(listed) => !listed.off,
            None => !is_weekend(d),
        }
    }

    /// Whether `d` is a public holiday of a notice (`isOffDay: true`), as opposed to an ordinary weekend.
    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.days.get(&d).is_some_and(|l| l.off)
    }

    pub fn is_workday(&self, d: NaiveDate) -> Estimate<bool> {
        Estimate::new(self.workday(d), !self.knows(d.year()))
    }

    /// The first working day **on or after** `d` (so a working day is its own answer). This is the
    /// statutory roll-forward: a deadline that falls on a rest day moves to the next working day.
    pub fn next_workday(&self, d: NaiveDate) -> Estimate<NaiveDate> {
        let mut day = d;
        while !self.workday(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return Estimate::new(day, true),
            }
        }
        Estimate::new(day, !self.knows_range(d, day))
    }

    /// The `n`-th working day strictly after `d` (n > 0) or strictly before it (n < 0); `d` itself for
    /// n = 0, whether or not it is a working day. "30 working days before expiry" is
    /// `add_workdays(expiry, -30)`.
    pub fn add_workdays(&self, d: NaiveDate, n: i64) -> Estimate<NaiveDate> {
        let mut day = d;
        let mut left = n.unsigned_abs();
        while left > 0 {
            let next = if n > 0 { day.succ_opt() } else { day.pred_opt() };
            let Some(next) = next else {
                return Estimate::new(day, true);
            };
            day = next;
            if self.workday(day) {
                left -= 1;
            }
        }
        Estimate::new(day, !self.knows_range(d, day))
    }

    /// Working days in `(a, b]` when `a <= b`, and minus the working days in `[b, a)` when `b < a`; so
    /// `workdays_between(d, add_workdays(d, n)) == n` for every n, a deadline today has 0 working days
    /// left, one on the next working day 1, and one on the previous working day −1.
    pub fn workdays_between(&self, a: NaiveDate, b: NaiveDate) -> Estimate<i64> {
        let estimated = !self.knows_range(a, b);
        if a <= b {
            return Estimate::new(self.count_after(a, b), estimated);
        }
        // [b, a) = (b − 1, a − 1].
        match (b.pred_opt(), a.pred_opt()) {
            (Some(lo), Some(hi)) => Estimate::new(-self.count_after(lo, hi), estimated),
            _ => Estimate::new(0, true),
        }
    }

    /// Working days in `(lo, hi]`, `lo <= hi`: weekdays by arithmetic, corrected by the listed days.
    fn count_after(&self, lo: NaiveDate, hi: NaiveDate) -> i64 {
        let mut count = weekdays_through(hi) - weekdays_through(lo);
        if let Some(start) = lo.succ_opt().filter(|s| *s <= hi) {
            for (date, listed) in self.days.range(start..=hi) {
                match (listed.off, is_weekend(*date)) {
                    (true, false) => count -= 1,
                    (false, true) => count += 1,
                    _ => {}
                }
            }
        }
        count
    }

    /// The holiday name of `d`, when it is a listed holiday.
    fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        self.days.get(&d).filter(|l| l.off).map(|l| l.name.as_str())
    }

    /// Everything about one date.
    pub fn day(&self, d: NaiveDate) -> DayInfo {
        let next = self.next_workday(d);
        DayInfo {
            date: d,
            workday: self.workday(d),
            holiday: self.holiday_name(d).map(str::to_owned),
            make_up_for: self.days.get(&d).filter(|l| !l.off).map(|l| l.name.clone()),
            next_workday: next.value,
            weekday_label: weekday_label(d).to_owned(),
            estimated: next.estimated || !self.knows(d.year()),
        }
    }

    /// The maximal run of consecutive rest days around `d` (`d` itself must be a rest day).
    pub(crate) fn rest_run(&self, d: NaiveDate) -> (NaiveDate, NaiveDate) {
        let mut start = d;
        while let Some(prev) = start.pred_opt().filter(|p| !self.workday(*p)) {
            start = prev;
        }
        let mut end = d;
        while let Some(next) = end.succ_opt().filter(|n| !self.workday(*n)) {
            end = next;
        }
        (start, end)
    }
}

#[cfg(test)]
pub(crate) fn date(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cal() -> &'static Calendar {
        Calendar::official()
    }

    #[test]
    fn the_embedded_years_are_known() {
        assert_eq!(cal().known_years(), (2020..=2026).collect::<Vec<_>>());
    }

    #[test]
    fn holidays_make_up_days_and_ordinary_weeks() {
        let c = cal();
        // National Day 2025: Oct 1–8 off, Sunday Sep 28 and Saturday Oct 11 worked.
        for d in ["2025-10-01", "2025-10-06", "2025-10-08"] {
            assert_eq!(c.is_workday(date(d)), Estimate { value: false, estimated: false }, "{d}");
        }
        assert!(c.is_workday(date("2025-09-28")).value, "make-up Sunday");
        assert!(c.is_workday(date("2025-10-11")).value, "make-up Saturday");
        assert!(!c.is_workday(date("2025-10-12")).value, "ordinary Sunday");
        assert!(c.is_workday(date("2025-10-09")).value);
        // A date of a neighbouring year listed in the next year's notice (2023's notice gives 2022-12-31).
        assert!(c.is_holiday(date("2022-12-31")));
        let info = c.day(date("2024-02-18"));
        assert!(info.workday && info.make_up_for.as_deref() == Some("春节") && info.weekday_label == "星期日");
        let info = c.day(date("2024-02-10"));
        assert_eq!(
            (info.workday, info.holiday.as_deref(), info.next_workday),
            (false, Some("春节"), date("2024-02-18"))
        );
    }

    #[test]
    fn next_workday_is_inclusive() {
        let c = cal();
        assert_eq!(c.next_workday(date("2025-10-09")).value, date("2025-10-09"));
        assert_eq!(c.next_workday(date("2025-10-01")).value, date("2025-10-09"));
        assert_eq!(c.next_workday(date("2024-09-14")).value, date("2024-09-14"), "make-up Saturday");
        assert_eq!(c.next_workday(date("2024-09-15")).value, date("2024-09-18"));
    }

    #[test]
    fn adding_working_days_forwards_and_backwards() {
        let c = cal();
        assert_eq!(c.add_workdays(date("2025-10-15"), 8).value, date("2025-10-27"));
        assert_eq!(c.add_workdays(date("2024-02-15"), 1).value, date("2024-02-18"), "make-up Sunday counts");
        assert_eq!(c.add_workdays(date("2025-10-09"), -1).value, date("2025-09-30"));
        assert_eq!(c.add_workdays(date("2025-10-12"), -1).value, date("2025-10-11"));
        assert_eq!(c.add_workdays(date("2025-10-05"), 0).value, date("2025-10-05"));
        // Across a year boundary into a year without a notice: an estimate.
        let late = c.add_workdays(date("2026-12-30"), 3);
        assert_eq!(late, Estimate { value: date("2027-01-04"), estimated: true });
        assert!(!c.add_workdays(date("2026-12-01"), 3).estimated);
    }

    #[test]
    fn counting_working_days_between_dates() {
        let c = cal();
        assert_eq!(c.workdays_between(date("2025-10-15"), date("2025-10-27")).value, 8);
        assert_eq!(c.workdays_between(date("2025-10-27"), date("2025-10-15")).value, -8);
        assert_eq!(c.workdays_between(date("2025-10-28"), date("2025-10-27")).value, -1, "a day late");
        assert_eq!(
            c.workdays_between(date("2025-10-13"), date("2025-10-10")).value,
            -2,
            "Friday and the make-up Saturday"
        );
        assert_eq!(c.workdays_between(date("2025-09-30"), date("2025-10-09")).value, 1);
        assert_eq!(c.workdays_between(date("2025-10-10"), date("2025-10-11")).value, 1, "make-up Saturday");
        assert_eq!(c.workdays_between(date("2025-10-10"), date("2025-10-10")).value, 0);
        // A whole year: 2025 has 261 weekdays, 18 of them holidays, and 5 make-up weekend days.
        assert_eq!(c.workdays_between(date("2024-12-31"), date("2025-12-31")).value, 248);
        assert!(!c.workdays_between(date("2024-12-31"), date("2025-12-31")).estimated);
        assert!(c.workdays_between(date("2026-12-01"), date("2027-01-10")).estimated);
    }

    #[test]
    fn unknown_years_fall_back_to_weekends_and_say_so() {
        let c = cal();
        let d = c.is_workday(date("2019-10-01"));
        assert_eq!(d, Estimate { value: true, estimated: true }, "2019 is not embedded: a Tuesday is a workday");
        assert!(c.day(date("2031-01-04")).estimated);
        let weekends = Calendar::weekends_only();
        assert_eq!(
            weekends.add_workdays(date("2025-10-01"), 1),
            Estimate { value: date("2025-10-02"), estimated: true }
        );
    }

    #[test]
    fn a_year_from_the_feed_is_added_or_replaces_its_year() {
        let json = r#"{"year": 2027, "papers": ["https://example.invalid/notice"], "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
            {"name": "春节", "date": "2027-02-06", "isOffDay": false},
            {"name": "春节", "date": "2027-02-08", "isOffDay": true}]}"#;
        let c = cal().clone().with_year_json(json).unwrap();
        assert!(c.knows(2027));
        assert_eq!(c.is_workday(date("2027-02-08")), Estimate { value: false, estimated: false });
        assert!(c.is_workday(date("2027-02-06")).value);
        // A corrected notice for the same year replaces the old days.
        let corrected = json.replace("2027-02-08", "2027-02-09");
        let c = c.with_year_json(&corrected).unwrap();
        assert!(c.is_workday(date("2027-02-08")).value);
        assert!(!c.is_workday(date("2027-02-09")).value);
        // Reloading 2022's notice keeps 2022-12-31, which 2023's notice listed.
        let c = cal().clone().with_year_json(holidays::EMBEDDED[2]).unwrap();
        assert!(c.is_holiday(date("2022-12-31")));
        // A broken file leaves nothing half-applied: the call fails and the caller keeps its calendar.
        assert!(cal().clone().with_year_json("[]").is_err());
    }

    proptest! {
        #[test]
        fn counting_inverts_adding(offset in 0i64..4000, n in -400i64..400) {
            let c = cal();
            let start = date("2019-06-01") + chrono::Duration::days(offset);
            let end = c.add_workdays(start, n).value;
            prop_assert_eq!(c.workdays_between(start, end).value, n);
            if n != 0 {
                prop_assert!(c.is_workday(end).value);
            }
        }

        #[test]
        fn the_fast_count_equals_walking_day_by_day(offset in 0i64..3000, len in 0i64..500) {
            let c = cal();
            let a = date("2019-11-01") + chrono::Duration::days(offset);
            let b = a + chrono::Duration::days(len);
            let walked = (1..=len).filter(|i| c.is_workday(a + chrono::Duration::days(*i)).value).count() as i64;
            prop_assert_eq!(c.workdays_between(a, b).value, walked);
        }
    }
}
