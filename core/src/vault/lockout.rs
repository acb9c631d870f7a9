//! The delay between wrong PINs.
//!
//! Six digits are a million guesses; only the delay makes the PIN a defence against someone holding the
//! phone. The count of failures in a row and the time of the last one are stored in SQLite, so killing
//! and restarting the app does not reset them. An attempt is counted *before* the slow key derivation
//! runs and forgiven when it succeeds, so killing the app mid-attempt does not help either.
//!
//! The times come from the real clock (`Zhuanshu::security_now`), never from a planning date a front end
//! pinned. A clock set back does not reset the count or shorten the wait: the last failure is moved back
//! with it, so the whole wait starts again from the new "now" (and a clock that was wrong in the future
//! does not lock the owner out for years either). Someone who sets the device's clock forward can
//! shorten the wait; the delay protects against guessing at the app's own screen, and the device secret
//! mixed into the PIN's key (see `keys::DeviceSecret`) keeps a copied database from being guessed
//! elsewhere.

use chrono::{Duration, NaiveDateTime};

use crate::error::{Error, Result};

/// Typos are free: the first three wrong PINs in a row cost nothing.
pub const FREE_ATTEMPTS: u32 = 3;
/// The wait after the last free attempt; it doubles with every further failure …
pub const FIRST_DELAY_SECONDS: i64 = 30;
/// … up to one hour (30 s, 1, 2, 4, 8, 16, 32 min, then 1 h for every further failure).
pub const MAX_DELAY_SECONDS: i64 = 3600;

/// The wait imposed after `failures` wrong attempts in a row.
pub fn delay_after(failures: u32) -> Duration {
    if failures < FREE_ATTEMPTS {
        return Duration::zero();
    }
    let doublings = (failures - FREE_ATTEMPTS).min(20);
    Duration::seconds((FIRST_DELAY_SECONDS << doublings).min(MAX_DELAY_SECONDS))
}

/// Failed unlock attempts, as stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attempts {
    pub failures: u32,
    pub last_failure: Option<NaiveDateTime>,
}

impl Attempts {
    /// When the next attempt is allowed, if there is a wait at all.
    pub fn retry_after(&self) -> Option<NaiveDateTime> {
        let delay = delay_after(self.failures);
        match self.last_failure {
            Some(at) if delay > Duration::zero() => Some(at + delay),
            _ => None,
        }
    }

    /// `Ok` if an attempt may be made at `now`; otherwise the error says until when to wait.
    pub fn check(&self, now: NaiveDateTime) -> Result<()> {
        match self.retry_after() {
            Some(at) if now < at => {
                Err(Error::TooManyAttempts { retry_after: at, wait_seconds: (at - now).num_seconds().max(1) })
            }
            _ => Ok(()),
        }
    }

    /// The record as seen from `now`: a last failure later than `now` (the clock went back) is moved to
    /// `now`, so the full wait applies from here — neither cut short nor stretched to the old future.
    pub fn rebased(&self, now: NaiveDateTime) -> Attempts {
        match self.last_failure {
            Some(at) if at > now => Attempts { failures: self.failures, last_failure: Some(now) },
            _ => *self,
        }
    }

    /// The record after one more attempt started at `now` (counted as failed until it succeeds).
    pub fn counted(&self, now: NaiveDateTime) -> Attempts {
        Attempts { failures: self.failures.saturating_add(1), last_failure: Some(now) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        s.parse().unwrap()
    }

    #[test]
    fn the_wait_doubles_after_three_free_attempts_and_is_capped() {
        let waits: Vec<i64> = (0..13).map(|f| delay_after(f).num_seconds()).collect();
        assert_eq!(waits, [0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        assert_eq!(delay_after(u32::MAX).num_seconds(), MAX_DELAY_SECONDS);
    }

    #[test]
    fn an_attempt_inside_the_wait_is_refused_with_the_time_to_retry() {
        let now = at("2026-11-21T09:00:00");
        let mut a = Attempts::default();
        for _ in 0..3 {
            assert!(a.check(now).is_ok());
            a = a.counted(now);
        }
        let err = a.check(now + Duration::seconds(10)).unwrap_err();
        assert_eq!(err.code(), "too_many_attempts");
        match &err {
            Error::TooManyAttempts { retry_after, wait_seconds } => {
                assert_eq!(*retry_after, at("2026-11-21T09:00:30"));
                assert_eq!(*wait_seconds, 20);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(err.user_message(), "PIN 码错误次数过多，请在 20 秒后（09:00:30）再试");
        assert!(a.check(at("2026-11-21T09:00:30")).is_ok());
    }

    #[test]
    fn a_clock_set_back_neither_resets_nor_stretches_the_wait() {
        let now = at("2026-11-21T09:00:00");
        let mut a = Attempts::default();
        for _ in 0..4 {
            a = a.counted(now);
        }
        // 4 failures: a 60 s wait. The clock jumps back a day: still 60 s, from the new now.
        let back = now - Duration::days(1);
        let seen = a.rebased(back);
        assert_eq!(seen.failures, 4);
        assert!(seen.check(back + Duration::seconds(59)).is_err());
        assert!(seen.check(back + Duration::seconds(60)).is_ok());
        // A failure recorded years ahead (a clock that was wrong) costs the normal wait, not years.
        let future = Attempts { failures: 4, last_failure: Some(at("2030-01-01T00:00:00")) };
        match future.rebased(now).check(now).unwrap_err() {
            Error::TooManyAttempts { wait_seconds, .. } => assert_eq!(wait_seconds, 60),
            other => panic!("{other:?}"),
        }
        // Forward time is left as it is.
        assert_eq!(a.rebased(now + Duration::hours(1)), a);
    }
}
