//! How the core's foreign types cross UniFFI: dates as ISO-8601 text (`2026-11-21`,
//! `2026-11-21T09:00:00`), the same spelling the JSON export uses, so Kotlin and Swift see one format.

use chrono::{NaiveDate, NaiveDateTime};

uniffi::custom_type!(NaiveDate, String, {
    remote,
    lower: |d| d.format("%Y-%m-%d").to_string(),
    try_lift: |s| Ok(s.trim().parse::<NaiveDate>()?),
});

uniffi::custom_type!(NaiveDateTime, String, {
    remote,
    lower: |t| t.format("%Y-%m-%dT%H:%M:%S").to_string(),
    try_lift: |s| Ok(s.trim().parse::<NaiveDateTime>()?),
});
