//! The annual report (企业年度报告公示, 年报): every market entity established before a year reports the
//! previous year between 1 January and 30 June on the 国家企业信用信息公示系统 (《企业信息公示暂行条例》
//! 第八条; 个体工商户 by 《个体工商户年度报告办法》).
//!
//! Milestones, all due 30 June: the window's opening (1 January, info), 30 days before the end (31 May,
//! soon), 7 days before (23 June, urgent), and from 1 July an overdue item saying what follows — listing
//! in the 经营异常名录 (for 个体工商户: marked 经营异常状态), shown to the end of the year. A completed
//! application record of the report (its name contains 年报 or 年度报告, or its item code contains `NB`)
//! completed in the year closes the year's items from the completion day on.

use chrono::{Datelike, NaiveDate};

use super::{Action, Draft, DynamicKind, Level, Severity, Span, shift};
use crate::dossier::{Company, CompanyType, Record, RecordStatus};

/// Whether a record is the annual report filing.
fn is_annual_report(r: &Record) -> bool {
    let name = &r.data.item_name;
    name.contains("年报") || name.contains("年度报告") || r.data.item_code.to_ascii_uppercase().contains("NB")
}

/// The day the year's report was completed, per the records.
fn filed_on(records: &[Record], year: i32) -> Option<NaiveDate> {
    records
        .iter()
        .filter(|r| is_annual_report(r))
        .flat_map(|r| r.history.iter())
        .filter(|c| c.status == RecordStatus::Completed && c.at.date().year() == year)
        .map(|c| c.at.date())
        .min()
}

pub(crate) fn drafts(company: &Company, records: &[Record], span: Span) -> Vec<Draft> {
    let mut out = Vec::new();
    for year in span.from.year()..=span.to.year() {
        if company.established_on.year() >= year {
            continue;
        }
        let (Some(open), Some(end), Some(year_end)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 6, 30),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            continue;
        };
        // Closed from the day the report was completed.
        let last_shown = filed_on(records, year).map(|d| shift(d, -1)).unwrap_or(year_end);
        let report_year = year - 1;
        let subject = format!("annual-report:{year}");
        let title = format!("报送{report_year}年度报告（截止6月30日）");
        let how = format!(
            "请在{year}年1月1日至6月30日登录国家企业信用信息公示系统报送{report_year}年度报告（基本信息、经营状况、\
             资产状况等），并向社会公示。"
        );
        let consequence = if company.company_type == CompanyType::IndividualBusiness {
            "逾期未报送的个体工商户将被标记为经营异常状态，补报后可申请恢复正常记载状态。"
        } else {
            "逾期未报送的企业将被列入经营异常名录；补报并公示后可申请移出，满3年未履行的将被列入严重违法失信名单。"
        };
        let milestones = [
            ("open", open, shift(end, -31), Severity::Info, title.clone(), format!("年报窗口已开启。{how}")),
            (
                "30",
                shift(end, -30),
                shift(end, -8),
                Severity::Soon,
                title.clone(),
                format!("距年报截止还有30天。{how}{consequence}"),
            ),
            (
                "7",
                shift(end, -7),
                end,
                Severity::Urgent,
                title.clone(),
                format!("距年报截止不足7天。{how}{consequence}"),
            ),
            (
                "overdue",
                shift(end, 1),
                year_end,
                Severity::Overdue,
                format!("{report_year}年度报告逾期未报"),
                format!("{report_year}年度报告已过6月30日截止日。{consequence}请尽快补报。"),
            ),
        ];
        for (milestone, from, to, severity, title, detail) in milestones {
            let to = to.min(last_shown);
            if from > to || !span.overlaps(from, to) {
                continue;
            }
            out.push(Draft {
                id: format!("{subject}:{milestone}"),
                subject: subject.clone(),
                kind: DynamicKind::AnnualReport,
                title,
                detail,
                due: end,
                shown: (from, to),
                level: Level::Fixed(severity),
                action: Some(Action::Website { url: "https://www.gsxt.gov.cn".into() }),
                estimated: false,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{CompanyFacts, DynamicKind, Severity};
    use super::*;
    use crate::dossier::{Channel, RecordData, StatusChange};

    fn report(facts: &CompanyFacts, today: &str) -> Vec<(String, Severity, i64)> {
        of_kind(facts, DynamicKind::AnnualReport, today).into_iter().map(|d| (d.id, d.severity, d.days_left)).collect()
    }

    fn one(id: &str, severity: Severity, days_left: i64) -> Vec<(String, Severity, i64)> {
        vec![(id.to_owned(), severity, days_left)]
    }

    #[test]
    fn milestones_from_the_opening_day_to_the_day_after_the_deadline() {
        let f = facts();
        assert_eq!(report(&f, "2025-12-31"), one("annual-report:2025:overdue", Severity::Overdue, -184));
        assert_eq!(report(&f, "2026-01-01"), one("annual-report:2026:open", Severity::Info, 180), "window opening day");
        assert_eq!(report(&f, "2026-05-30"), one("annual-report:2026:open", Severity::Info, 31));
        assert_eq!(report(&f, "2026-05-31"), one("annual-report:2026:30", Severity::Soon, 30));
        assert_eq!(report(&f, "2026-06-22"), one("annual-report:2026:30", Severity::Soon, 8));
        assert_eq!(report(&f, "2026-06-23"), one("annual-report:2026:7", Severity::Urgent, 7));
        assert_eq!(report(&f, "2026-06-30"), one("annual-report:2026:7", Severity::Urgent, 0), "the deadline itself");
        assert_eq!(report(&f, "2026-07-01"), one("annual-report:2026:overdue", Severity::Overdue, -1), "the day after");
        let overdue = &of_kind(&f, DynamicKind::AnnualReport, "2026-07-01")[0];
        assert!(overdue.detail.contains("经营异常名录"));
        assert_eq!(overdue.title, "2025年度报告逾期未报");
    }

    #[test]
    fn a_leap_year_window_has_the_same_milestones() {
        // 2024 is a leap year: 30 days before 30 June is still 31 May.
        let f = facts();
        assert_eq!(report(&f, "2024-02-29"), one("annual-report:2024:open", Severity::Info, 122));
        assert_eq!(report(&f, "2024-05-31"), one("annual-report:2024:30", Severity::Soon, 30));
    }

    #[test]
    fn companies_established_this_year_report_next_year() {
        let mut f = facts();
        f.company.established_on = date("2026-01-01");
        assert!(report(&f, "2026-03-01").is_empty());
        assert_eq!(report(&f, "2027-01-01").len(), 1);
        f.company.company_type = CompanyType::IndividualBusiness;
        let overdue = &of_kind(&f, DynamicKind::AnnualReport, "2027-07-01")[0];
        assert!(overdue.detail.contains("经营异常状态"));
    }

    #[test]
    fn a_completed_report_record_closes_the_year() {
        let mut f = facts();
        let record = |name: &str, code: &str, done: Option<&str>| {
            let mut history = vec![StatusChange {
                status: RecordStatus::Submitted,
                at: date("2026-03-02").and_hms_opt(10, 0, 0).unwrap(),
            }];
            if let Some(d) = done {
                history
                    .push(StatusChange { status: RecordStatus::Completed, at: date(d).and_hms_opt(16, 0, 0).unwrap() });
            }
            Record {
                id: 7,
                uscc: f.company.uscc.clone(),
                data: RecordData {
                    item_code: code.into(),
                    item_name: name.into(),
                    channel: Channel::Online,
                    submitted_on: date("2026-03-02"),
                },
                history,
            }
        };
        f.records = vec![record("2025年度报告公示", "X1", None)];
        assert_eq!(report(&f, "2026-03-05").len(), 1, "submitted is not completed");
        f.records = vec![record("企业年报", "X1", Some("2026-03-04"))];
        assert_eq!(report(&f, "2026-03-03").len(), 1);
        assert!(report(&f, "2026-03-04").is_empty(), "closed from the completion day");
        assert!(report(&f, "2026-07-01").is_empty());
        assert_eq!(report(&f, "2027-01-01").len(), 1, "next year's report is a new one");
        f.records = vec![record("信息公示", "SCJG-NB-001", Some("2026-03-04"))];
        assert!(report(&f, "2026-06-30").is_empty(), "matched by item code");
        f.records = vec![record("食品经营许可延续", "SCJG-XK", Some("2026-03-04"))];
        assert_eq!(report(&f, "2026-06-30").len(), 1);
    }
}
