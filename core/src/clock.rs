//! Where "now" comes from. Rules never read the system time themselves: they are given `today` by the
//! caller, and the facade gets it from this clock, so tests, golden scenarios and demos can pin the date.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Asia::Shanghai;

/// Dates in Zhuanshu are Asia/Shanghai dates, whatever the device's time zone: deadlines are set by
/// Chinese authorities in Beijing time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Clock {
    /// The device's clock, read as Asia/Shanghai local time.
    #[default]
    System,
    /// A fixed local time (tests, demos, "what if" views).
    Fixed(NaiveDateTime),
}

impl Clock {
    pub fn now(&self) -> NaiveDateTime {
        match self {
            Clock::System => Utc::now().with_timezone(&Shanghai).naive_local(),
            Clock::Fixed(t) => *t,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date()
    }

    /// A clock fixed at 09:00 of `day`.
    pub fn fixed_on(day: NaiveDate) -> Clock {
        Clock::Fixed(day.and_hms_opt(9, 0, 0).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike};

    #[test]
    fn system_time_is_read_in_shanghai() {
        // 2026-11-21 20:30 UTC is already the 22nd in Shanghai.
        let utc = Utc.with_ymd_and_hms(2026, 11, 21, 20, 30, 0).unwrap();
        let local = utc.with_timezone(&Shanghai).naive_local();
        assert_eq!(local.date(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        assert_eq!(local.hour(), 4);
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(Clock::fixed_on(day).today(), day);
    }
}
