//! The State Council's yearly holiday arrangement (国务院办公厅关于部分节假日安排的通知), in the file format
//! of the holiday-cn project: `{"year", "papers", "days": [{"name", "date", "isOffDay"}]}`.
//!
//! A file lists only the exceptions to the ordinary week: public holidays (`isOffDay: true`) and make-up
//! working days (调休上班, `isOffDay: false`). It may list days of the neighbouring years, because a notice
//! for one year can move a day of the next or the previous (2023's notice gives 2022-12-31 off).
//!
//! Years 2020–2026 are embedded (core/content/holidays, MIT licence of holiday-cn beside them); later years
//! arrive through the feed and go through the same checks, so a damaged file is refused with a message that
//! names the bad entry instead of silently shifting every deadline.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::error::{Error, Issues, Result};

/// The embedded years, oldest first.
pub(super) const EMBEDDED: [&str; 7] = [
    include_str!("../../content/holidays/2020.json"),
    include_str!("../../content/holidays/2021.json"),
    include_str!("../../content/holidays/2022.json"),
    include_str!("../../content/holidays/2023.json"),
    include_str!("../../content/holidays/2024.json"),
    include_str!("../../content/holidays/2025.json"),
    include_str!("../../content/holidays/2026.json"),
];

/// Years outside this range are certainly a mistake (a typo such as 20266), not a notice.
const YEARS: std::ops::RangeInclusive<i32> = 1999..=2200;

#[derive(Debug, Deserialize)]
struct YearFile {
    year: i32,
    #[serde(default)]
    papers: Vec<String>,
    days: Vec<DayEntry>,
}

#[derive(Debug, Deserialize)]
struct DayEntry {
    name: String,
    date: String,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

/// One listed day of a year file, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ListedDay {
    pub date: NaiveDate,
    /// `true`: public holiday; `false`: a working day, normally a make-up weekend day (2020's file also
    /// marks Monday 2020-02-03 as the end of the extended Spring Festival; harmless, it is a weekday).
    pub off: bool,
    pub name: String,
}

/// A checked year file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Year {
    pub year: i32,
    pub papers: Vec<String>,
    pub days: Vec<ListedDay>,
}

/// Parses and checks one year file. Every problem is reported with its path (`days[3].date`).
pub(super) fn parse(json: &str) -> Result<Year> {
    let de = &mut serde_json::Deserializer::from_slice(json.as_bytes());
    let file: YearFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            Error::Format(format!("holiday calendar is not JSON: {inner}"))
        } else {
            Error::invalid(
                if path == "." { "" } else { &path },
                format!("节假日数据格式不正确（第{}行第{}列）", inner.line(), inner.column()),
                format!("holiday calendar: {inner}"),
            )
        }
    })?;

    if !YEARS.contains(&file.year) {
        return Err(Error::invalid(
            "year",
            format!("节假日数据的年份{}不合理", file.year),
            format!("year {} is out of range", file.year),
        ));
    }
    let mut issues = Issues::default();
    if file.days.is_empty() {
        issues.push("days", "节假日数据没有任何日期", "days is empty");
    }
    let mut days: Vec<ListedDay> = Vec::with_capacity(file.days.len());
    for (i, entry) in file.days.iter().enumerate() {
        let path = format!("days[{i}]");
        let Ok(date) = NaiveDate::parse_from_str(&entry.date, "%Y-%m-%d") else {
            issues.push(
                format!("{path}.date"),
                format!("日期“{}”不是有效的日期（应为YYYY-MM-DD）", entry.date),
                format!("{:?} is not a YYYY-MM-DD date", entry.date),
            );
            continue;
        };
        if (date.year() - file.year).abs() > 1 {
            issues.push(
                format!("{path}.date"),
                format!("{date}不属于{}年或相邻年份", file.year),
                format!("{date} is not in {} or a neighbouring year", file.year),
            );
        }
        if entry.name.trim().is_empty() {
            issues.push(format!("{path}.name"), "请填写节日名称", "name is empty");
        }
        if let Some(prev) = days.iter().find(|d| d.date == date) {
            if prev.off != entry.is_off_day {
                issues.push(
                    format!("{path}.date"),
                    format!("{date}同时被标为放假和上班"),
                    format!("{date} is listed both as a holiday and as a working day"),
                );
            }
            continue;
        }
        days.push(ListedDay { date, off: entry.is_off_day, name: entry.name.trim().to_owned() });
    }
    if !days.iter().any(|d| d.off && d.date.year() == file.year) {
        issues.push("days", format!("节假日数据没有{}年的放假日期", file.year), "no holiday falls in the file's year");
    }
    issues.into_result()?;
    days.sort_by_key(|d| d.date);
    Ok(Year { year: file.year, papers: file.papers, days })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_year_parses_and_is_consistent() {
        for (i, json) in EMBEDDED.iter().enumerate() {
            let year = parse(json).unwrap_or_else(|e| panic!("embedded year #{i}: {e}"));
            assert_eq!(year.year, 2020 + i as i32);
            assert!(!year.papers.is_empty(), "{} names its notice", year.year);
            assert!(year.days.iter().filter(|d| d.off).count() >= 20, "{}", year.year);
        }
    }

    #[test]
    fn bad_files_are_refused_with_the_path_of_the_problem() {
        let err = parse("{ nope").unwrap_err();
        assert_eq!(err.code(), "bad_format");

        let err = parse(
            r#"{"year": 2027, "papers": [], "days": [{"name": "春节", "date": "2027-02-30", "isOffDay": true}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.issues()[0].path, "days[0].date");
        assert!(err.user_message().contains("不是有效的日期"), "{}", err.user_message());

        let err = parse(
            r#"{"year": 2027, "papers": [], "days": [
            {"name": "春节", "date": "2027-02-08", "isOffDay": true},
            {"name": "", "date": "2027-02-10", "isOffDay": false},
            {"name": "国庆", "date": "2029-10-01", "isOffDay": true},
            {"name": "国庆", "date": "2027-02-08", "isOffDay": false}]}"#,
        )
        .unwrap_err();
        let paths: Vec<&str> = err.issues().iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["days[1].name", "days[2].date", "days[3].date"]);
        assert!(err.user_message().contains("同时被标为放假和上班"), "{}", err.user_message());

        let err = parse(r#"{"year": 20270, "papers": [], "days": []}"#).unwrap_err();
        assert_eq!(err.issues()[0].path, "year");

        let err =
            parse(r#"{"year": 2027, "papers": [], "days": [{"name": "春节", "date": 20270208, "isOffDay": true}]}"#)
                .unwrap_err();
        assert_eq!(err.issues()[0].path, "days[0].date");
    }
}
