//! Tax filing (纳税申报): the filings a company owes by its taxpayer kind and company type, each due on
//! the authority's deadline for the filing month (see [`crate::calendar::tax`]).
//!
//! - 一般纳税人: VAT and its surcharges every month, for the previous month (with the employees' individual
//!   income tax withheld, when there are employees).
//! - 小规模纳税人: VAT quarterly, filed in January, April, July and October; the withheld individual income
//!   tax is still monthly, so companies with employees get a monthly withholding filing too.
//! - Corporate income tax (企业所得税) prepayment quarterly for companies; 个体工商户, 个人独资企业 and 合伙企业
//!   pay 个人所得税（经营所得） instead, also quarterly.
//! - Annual settlements: 企业所得税汇算清缴 by 31 May, 经营所得汇算 by 31 March of the next year, moved only
//!   when that day is a rest day.
//!
//! Which filings show: the next one not yet due, and the current month's filing when its deadline has
//! passed (overdue until the month ends or the owner marks it done). So filing month F is shown from the
//! day after the previous filing's deadline to the last day of F. An annual settlement is shown the whole
//! following year (overdue after its deadline until marked done).

use chrono::{Datelike, NaiveDate};

use super::{Action, Draft, DynamicKind, Level, Span, from_month_index, month_end, month_index, shift};
use crate::calendar::Calendar;
use crate::calendar::tax::md;
use crate::dossier::{Company, CompanyType, TaxpayerKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cadence {
    Monthly,
    Quarterly,
}

struct Obligation {
    /// Id segment: `vat`, `iit-withholding`, `eit`, `iit-business`.
    code: &'static str,
    cadence: Cadence,
    /// `增值税及附加税费申报` — the title is the period plus this.
    name: &'static str,
    detail: String,
}

/// Pays 个人所得税（经营所得） rather than 企业所得税.
fn pays_business_iit(t: CompanyType) -> bool {
    matches!(t, CompanyType::IndividualBusiness | CompanyType::SoleProprietorship | CompanyType::Partnership)
}

fn obligations(company: &Company) -> Vec<Obligation> {
    let withholding = company.employees > 0;
    let mut list = Vec::new();
    match company.taxpayer_kind {
        TaxpayerKind::General => list.push(Obligation {
            code: "vat",
            cadence: Cadence::Monthly,
            name: "增值税及附加税费申报",
            detail: format!(
                "一般纳税人按月申报增值税、城市维护建设税、教育费附加和地方教育附加{}。",
                if withholding { "，并申报代扣代缴的个人所得税" } else { "" }
            ),
        }),
        TaxpayerKind::SmallScale => {
            list.push(Obligation {
                code: "vat",
                cadence: Cadence::Quarterly,
                name: "增值税及附加税费申报",
                detail: "小规模纳税人按季申报增值税及城市维护建设税、教育费附加和地方教育附加（季度销售额未超过免征额的也要申报）。"
                    .to_owned(),
            });
            if withholding {
                list.push(Obligation {
                    code: "iit-withholding",
                    cadence: Cadence::Monthly,
                    name: "个人所得税扣缴申报",
                    detail: "支付工资薪金的单位每月办理个人所得税全员全额扣缴申报，当月没有扣税也要申报。".to_owned(),
                });
            }
        }
    }
    if pays_business_iit(company.company_type) {
        list.push(Obligation {
            code: "iit-business",
            cadence: Cadence::Quarterly,
            name: "个人所得税（经营所得）预缴申报",
            detail: format!(
                "{}按季预缴个人所得税（经营所得），次年3月31日前办理年度汇算。",
                company.company_type.label()
            ),
        });
    } else {
        list.push(Obligation {
            code: "eit",
            cadence: Cadence::Quarterly,
            name: "企业所得税预缴申报",
            detail: "企业所得税按季预缴，次年5月31日前办理上一年度汇算清缴。".to_owned(),
        });
    }
    list
}

/// The period a filing in month `(y, m)` covers: `2026年10月` or `2026年第3季度`, and its id segment.
fn period(cadence: Cadence, filing: i64) -> Option<(String, String, NaiveDate)> {
    let (y, m) = from_month_index(filing - 1)?;
    let end = month_end(y, m)?;
    Some(match cadence {
        Cadence::Monthly => (format!("{y}年{m}月"), format!("{y}-{m:02}"), end),
        Cadence::Quarterly => {
            let q = (m - 1) / 3 + 1;
            (format!("{y}年第{q}季度"), format!("{y}-Q{q}"), end)
        }
    })
}

fn is_filing_month(cadence: Cadence, filing: i64) -> bool {
    cadence == Cadence::Monthly || filing.rem_euclid(3) == 0
}

const LEVEL: Level = Level::Deadline { urgent: 3, soon: 10 };
const ANNUAL_LEVEL: Level = Level::Deadline { urgent: 7, soon: 30 };

pub(crate) fn drafts(company: &Company, cal: &Calendar, span: Span) -> Vec<Draft> {
    let mut out = Vec::new();
    let established = company.established_on;
    let action = Some(Action::Guide { item: "tax_filing".into() });
    // Filing months that can be shown within the span: the previous filing's deadline is at most 3 months
    // and a few days back, so look a quarter around it.
    let first = month_index(span.from) - 1;
    let last = month_index(span.to) + 4;
    for ob in obligations(company) {
        let step = if ob.cadence == Cadence::Monthly { 1 } else { 3 };
        for filing in first..=last {
            if !is_filing_month(ob.cadence, filing) {
                continue;
            }
            let Some((label, key, period_end)) = period(ob.cadence, filing) else {
                continue;
            };
            if period_end < established {
                continue;
            }
            let Some((fy, fm)) = from_month_index(filing) else {
                continue;
            };
            let Some((py, pm)) = from_month_index(filing - step) else {
                continue;
            };
            let (Ok(deadline), Ok(previous)) = (cal.tax_deadline(fy, fm), cal.tax_deadline(py, pm)) else {
                continue;
            };
            let Some(last_day) = month_end(fy, fm) else {
                continue;
            };
            // Shown from the day after the previous filing's deadline; a company that did not exist in the
            // previous period sees its first filing from its first day.
            let owed_before = period(ob.cadence, filing - step).is_some_and(|(_, _, end)| end >= established);
            let start = if owed_before { shift(previous.date, 1) } else { established };
            let shown = (start, last_day);
            if !span.overlaps(shown.0, shown.1) {
                continue;
            }
            let id = format!("tax:{}:{key}", ob.code);
            out.push(Draft {
                subject: id.clone(),
                id,
                kind: DynamicKind::TaxFiling,
                title: format!("{label}{}", ob.name),
                detail: format!(
                    "{}截止{}（{}）。{}",
                    ob.detail,
                    md(deadline.date),
                    deadline.explanation,
                    overdue_note()
                ),
                due: deadline.date,
                shown,
                level: LEVEL,
                action: action.clone(),
                estimated: deadline.estimated,
            });
        }
    }
    out.extend(annual(company, cal, span));
    out
}

fn overdue_note() -> &'static str {
    "逾期申报将加收滞纳金并可能被罚款，影响纳税信用。"
}

/// The annual settlements for tax years whose following year meets the span.
fn annual(company: &Company, cal: &Calendar, span: Span) -> Vec<Draft> {
    let mut out = Vec::new();
    let business_iit = pays_business_iit(company.company_type);
    for year in span.from.year() - 1..=span.to.year() {
        let tax_year = year - 1;
        if company.established_on.year() > tax_year {
            continue;
        }
        let (Some(start), Some(end)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        else {
            continue;
        };
        if !span.overlaps(start, end) {
            continue;
        }
        let (code, title, month, day, detail) = if business_iit {
            (
                "iit-business-annual",
                format!("{tax_year}年度个人所得税（经营所得）汇算"),
                3,
                31,
                "取得经营所得的个人在次年3月31日前办理年度汇算清缴，报送个人所得税经营所得纳税申报表（B表）。",
            )
        } else {
            (
                "eit-annual",
                format!("{tax_year}年度企业所得税汇算清缴"),
                5,
                31,
                "企业在年度终了后5个月内（次年5月31日前）报送年度企业所得税纳税申报表并汇算清缴，结清应缴应退税款。",
            )
        };
        let Some(statutory) = NaiveDate::from_ymd_opt(year, month, day) else {
            continue;
        };
        let deadline = cal.statutory_deadline(statutory);
        let moved = if deadline.value == statutory {
            String::new()
        } else {
            format!("{}为休息日，顺延至{}。", md(statutory), md(deadline.value))
        };
        let id = format!("tax:{code}:{tax_year}");
        out.push(Draft {
            subject: id.clone(),
            id,
            kind: DynamicKind::TaxFiling,
            title,
            detail: format!("{detail}{moved}截止{}。{}", md(deadline.value), overdue_note()),
            due: deadline.value,
            shown: (start, end),
            level: ANNUAL_LEVEL,
            action: Some(Action::Guide { item: "tax_filing".into() }),
            estimated: deadline.estimated,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{Dynamic, Severity};
    use super::*;

    fn tax(facts: &super::super::CompanyFacts, today: &str) -> Vec<Dynamic> {
        of_kind(facts, DynamicKind::TaxFiling, today)
    }

    #[test]
    fn general_taxpayer_files_monthly_and_the_next_period_follows_the_deadline() {
        let f = facts();
        // On the deadline itself (Monday 2025-11-17): October's filing, due today, urgent.
        let items = tax(&f, "2025-11-17");
        let vat: Vec<&Dynamic> = items.iter().filter(|d| d.id.starts_with("tax:vat")).collect();
        assert_eq!(vat.len(), 1, "{:?}", ids(&items));
        assert_eq!((vat[0].due, vat[0].days_left, vat[0].severity), (date("2025-11-17"), 0, Severity::Urgent));
        assert!(vat[0].title.starts_with("2025年10月增值税"));
        assert!(vat[0].detail.contains("11月15日为星期六，申报纳税期限顺延至11月17日"), "{}", vat[0].detail);
        // The quarterly prepayment filed in October is done with; January's (for Q4) is the next one.
        assert!(items.iter().any(|d| d.id == "tax:eit:2025-Q4" && d.due == date("2026-01-20")));
        assert!(!items.iter().any(|d| d.id == "tax:eit:2025-Q3"));
        // The day after: October's is overdue, November's (due 2025-12-15) is next.
        let items = tax(&f, "2025-11-18");
        let vat: Vec<&Dynamic> = items.iter().filter(|d| d.id.starts_with("tax:vat")).collect();
        assert_eq!(vat.len(), 2);
        assert_eq!((vat[0].id.as_str(), vat[0].severity), ("tax:vat:2025-10", Severity::Overdue));
        assert_eq!((vat[1].id.as_str(), vat[1].due), ("tax:vat:2025-11", date("2025-12-15")));
        // Next month: only the new filing.
        let items = tax(&f, "2025-12-01");
        assert!(items.iter().any(|d| d.id == "tax:vat:2025-11"));
        assert!(!items.iter().any(|d| d.id == "tax:vat:2025-10"));
    }

    #[test]
    fn a_deadline_inside_a_holiday_block_counts_working_days() {
        let items = tax(&facts(), "2025-10-02");
        let sept = items.iter().find(|d| d.id == "tax:vat:2025-09").unwrap();
        assert_eq!(sept.due, date("2025-10-27"));
        // Oct 2 → Oct 27: 25 calendar days, 14 working days (Oct 9, 10, the make-up Saturday 11, 13–17,
        // 20–24, 27).
        assert_eq!(sept.days_left, 25);
        assert_eq!(sept.workdays_left, 14);
        assert!(sept.detail.contains("10月1日至8日放假8天"));
        // February 2024: the make-up Sunday 18th counts as a working day.
        let feb = tax(&facts(), "2024-02-01");
        assert_eq!(feb.iter().find(|d| d.id == "tax:vat:2024-01").unwrap().due, date("2024-02-23"));
    }

    #[test]
    fn december_to_january_crosses_the_year() {
        let f = facts();
        let items = tax(&f, "2026-12-16");
        let next = items.iter().find(|d| d.id == "tax:vat:2026-12").unwrap();
        // 2027 has no notice yet: Jan 15 2027 is a Friday, but the date is an estimate.
        assert_eq!(next.due, date("2027-01-15"));
        assert!(next.estimated);
        let q4 = items.iter().find(|d| d.id == "tax:eit:2026-Q4").unwrap();
        assert_eq!(q4.due, date("2027-01-15"));
        // January 2026 (known year): New Year 1–3 extends to the 20th.
        let jan = tax(&f, "2026-01-05");
        let dec = jan.iter().find(|d| d.id == "tax:vat:2025-12").unwrap();
        assert_eq!((dec.due, dec.estimated), (date("2026-01-20"), false));
    }

    #[test]
    fn small_scale_files_quarterly_and_withholding_monthly() {
        let mut f = facts();
        f.company.taxpayer_kind = TaxpayerKind::SmallScale;
        let items = tax(&f, "2026-02-10");
        let vat: Vec<&str> = items.iter().filter(|d| d.id.starts_with("tax:vat")).map(|d| d.id.as_str()).collect();
        assert_eq!(vat, ["tax:vat:2026-Q1"], "after January's deadline the next is April's");
        assert_eq!(items.iter().find(|d| d.id == "tax:vat:2026-Q1").unwrap().due, date("2026-04-20"));
        assert!(items.iter().any(|d| d.id == "tax:iit-withholding:2026-01"));
        f.company.employees = 0;
        assert!(!tax(&f, "2026-02-10").iter().any(|d| d.id.starts_with("tax:iit-withholding")));
        // On the quarter's filing month, past its deadline: overdue Q4 and next Q1.
        let mut f = facts();
        f.company.taxpayer_kind = TaxpayerKind::SmallScale;
        let items = tax(&f, "2026-01-21");
        let q: Vec<(&str, Severity)> =
            items.iter().filter(|d| d.id.starts_with("tax:vat")).map(|d| (d.id.as_str(), d.severity)).collect();
        assert_eq!(q, [("tax:vat:2025-Q4", Severity::Overdue), ("tax:vat:2026-Q1", Severity::Info)]);
    }

    #[test]
    fn individual_businesses_pay_business_income_tax_instead_of_eit() {
        let mut f = facts();
        f.company.company_type = CompanyType::IndividualBusiness;
        let items = tax(&f, "2026-03-20");
        assert!(items.iter().any(|d| d.id == "tax:iit-business:2026-Q1"));
        assert!(!items.iter().any(|d| d.id.starts_with("tax:eit")));
        let annual = items.iter().find(|d| d.id == "tax:iit-business-annual:2025").unwrap();
        assert_eq!((annual.due, annual.severity), (date("2026-03-31"), Severity::Soon));
        assert!(annual.title.contains("经营所得"));
    }

    #[test]
    fn annual_settlement_moves_off_a_rest_day_only() {
        let f = facts();
        let items = tax(&f, "2025-05-20");
        let eit = items.iter().find(|d| d.id == "tax:eit-annual:2024").unwrap();
        assert_eq!(eit.due, date("2025-06-03"), "31 May 2025 is in the Dragon Boat holiday");
        assert!(eit.detail.contains("5月31日为休息日，顺延至6月3日"));
        let items = tax(&f, "2024-05-31");
        let eit = items.iter().find(|d| d.id == "tax:eit-annual:2023").unwrap();
        assert_eq!((eit.due, eit.severity), (date("2024-05-31"), Severity::Urgent));
        // Shown all year, overdue after the deadline until marked done.
        assert_eq!(
            tax(&f, "2024-12-31").iter().find(|d| d.id == "tax:eit-annual:2023").unwrap().severity,
            Severity::Overdue
        );
        assert!(!tax(&f, "2025-01-01").iter().any(|d| d.id == "tax:eit-annual:2023"));
    }

    #[test]
    fn a_new_company_owes_nothing_for_periods_before_it_existed() {
        let mut f = facts();
        f.company.established_on = date("2026-10-20");
        let items = tax(&f, "2026-10-20");
        assert!(!items.iter().any(|d| d.id == "tax:vat:2026-09"), "{:?}", ids(&items));
        assert!(items.iter().any(|d| d.id == "tax:vat:2026-10" && d.due == date("2026-11-16")), "from the first day");
        assert!(items.iter().any(|d| d.id == "tax:eit:2026-Q4"));
        assert!(tax(&f, "2026-10-19").is_empty());
        assert!(!items.iter().any(|d| d.id.starts_with("tax:eit-annual")));
    }

    #[test]
    fn leap_years_are_ordinary_months() {
        let f = facts();
        let items = tax(&f, "2024-02-29");
        let jan = items.iter().find(|d| d.id == "tax:vat:2024-01").unwrap();
        assert_eq!(jan.severity, Severity::Overdue);
        let feb = items.iter().find(|d| d.id == "tax:vat:2024-02").unwrap();
        assert_eq!(feb.due, date("2024-03-15"));
    }
}
