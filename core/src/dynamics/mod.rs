//! Dynamics (专属动态): what the owner has to do, computed from the dossier and the official calendar.
//!
//! Each rule (tax filing, annual report, licence renewal and expiry, material expiry, application
//! progress, external items, the owner's own reminders) is a pure function of the company's facts, the
//! calendar and a span of days. It returns *drafts*: items with the window of days in which they are
//! shown. The list for a day is the drafts whose window contains it; the notification schedule and the
//! .ics export read the same drafts over the coming year, so the three can never disagree.
//!
//! Identity. Every item has a stable `id` and a `subject`. The subject names the obligation
//! (`licence:42:2027-03-31:renew`, `tax:vat:2026-11`); the id names one milestone of it
//! (`licence:42:2027-03-31:renew:30`). Where an obligation has no milestones, id and subject are equal.
//! What the owner does is stored by id (see [`StateKind`]):
//! - *done* closes the whole subject (every milestone), because the obligation is met;
//! - *dismissed* hides that milestone only, so the next, more serious milestone still comes;
//! - *snoozed* hides that milestone until a date, when it shows again.
//!
//! A subject that carries a date (a licence's expiry) changes when the owner updates the dossier, so a
//! renewed licence starts a fresh cycle instead of inheriting the old "done".

mod annual_report;
mod custom;
pub(crate) mod db;
mod external;
pub mod ics;
mod licence;
mod material;
mod progress;
pub mod schedule;
mod snooze;
mod tax;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, DayInfo, TaxDeadline};
use crate::context::Context;
use crate::dossier::{Company, Licence, Material, Record};
use crate::error::{Error, Result};

pub use custom::{Reminder, ReminderData, Repeat};
pub use external::ExternalItem;
pub use schedule::Notification;
pub use snooze::SnoozeChoice;

/// How serious an item is. Declared in display order: the list shows overdue first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The deadline has passed (or the licence has expired).
    Overdue,
    /// Due within days: act now.
    Urgent,
    /// Due within weeks: plan it.
    Soon,
    /// Worth knowing: news, a window that has opened, a deadline far away.
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Overdue => "已逾期",
            Severity::Urgent => "紧急",
            Severity::Soon => "临近",
            Severity::Info => "提示",
        }
    }

    /// Whether a reminder of this severity should interrupt (a heads-up notification, a time-sensitive
    /// one on iOS) rather than wait quietly in the list.
    pub fn important(self) -> bool {
        matches!(self, Severity::Overdue | Severity::Urgent)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum DynamicKind {
    TaxFiling,
    AnnualReport,
    LicenceRenewal,
    LicenceExpiry,
    MaterialExpiry,
    Progress,
    Policy,
    External,
    Custom,
}

impl DynamicKind {
    pub fn label(self) -> &'static str {
        match self {
            DynamicKind::TaxFiling => "纳税申报",
            DynamicKind::AnnualReport => "企业年报",
            DynamicKind::LicenceRenewal => "证照延续",
            DynamicKind::LicenceExpiry => "证照到期",
            DynamicKind::MaterialExpiry => "材料到期",
            DynamicKind::Progress => "办事进度",
            DynamicKind::Policy => "政策",
            DynamicKind::External => "其他",
            DynamicKind::Custom => "我的提醒",
        }
    }
}

/// Where tapping an item leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    Faq {
        id: String,
    },
    /// A guide item (办事指南) by code; dynamics name `tax_filing`.
    Guide {
        item: String,
    },
    Policy {
        id: String,
    },
    Licence {
        id: i64,
    },
    Material {
        id: i64,
    },
    Record {
        id: i64,
    },
    Reminder {
        id: i64,
    },
    /// An official website where the thing is done (年报: 国家企业信用信息公示系统).
    Website {
        url: String,
    },
}

/// One item of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Dynamic {
    /// Stable across runs, e.g. `tax:vat:2026-11`, `licence:42:2027-03-31:renew:30`.
    pub id: String,
    /// The obligation this item is a milestone of; marking done closes every milestone of it.
    pub subject: String,
    pub kind: DynamicKind,
    pub title: String,
    pub detail: String,
    pub due: NaiveDate,
    /// Calendar days from today to `due`; negative once past.
    pub days_left: i64,
    /// Working days from today to `due` on the official calendar (see
    /// [`Calendar::workdays_between`]); negative once past.
    pub workdays_left: i64,
    pub severity: Severity,
    pub action: Option<Action>,
    /// The due date (or a count) rests on a year without an official holiday notice.
    pub estimated: bool,
}

/// What the owner did with an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    Done,
    Dismissed,
    /// Hidden on the days before `until`; shown again from `until` on.
    Snoozed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct DynamicState {
    pub dynamic_id: String,
    pub subject: String,
    pub state: StateKind,
    /// For `Snoozed`: the day the item shows again.
    pub until: Option<NaiveDate>,
    /// When the owner acted (local time).
    pub at: NaiveDateTime,
}

/// The owner's marks of one company, ready to filter items.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    done: HashSet<String>,
    dismissed: HashSet<String>,
    snoozed: HashMap<String, NaiveDate>,
}

impl Marks {
    pub fn new(states: &[DynamicState]) -> Marks {
        let mut marks = Marks::default();
        for s in states {
            match s.state {
                StateKind::Done => {
                    marks.done.insert(s.subject.clone());
                }
                StateKind::Dismissed => {
                    marks.dismissed.insert(s.dynamic_id.clone());
                }
                StateKind::Snoozed => {
                    if let Some(until) = s.until {
                        marks.snoozed.insert(s.dynamic_id.clone(), until);
                    }
                }
            }
        }
        marks
    }

    /// Whether the owner closed the obligation or threw this milestone away (for good).
    fn closed(&self, id: &str, subject: &str) -> bool {
        self.done.contains(subject) || self.dismissed.contains(id)
    }

    /// The day a snoozed item shows again, if it is snoozed.
    fn snoozed_until(&self, id: &str) -> Option<NaiveDate> {
        self.snoozed.get(id).copied()
    }

    /// Whether the item is hidden on `day`.
    pub fn hides(&self, item: &Dynamic, day: NaiveDate) -> bool {
        self.closed(&item.id, &item.subject) || self.snoozed_until(&item.id).is_some_and(|until| day < until)
    }
}

/// Everything the rules read about one company.
#[derive(Debug, Clone)]
pub struct CompanyFacts {
    pub company: Company,
    pub licences: Vec<Licence>,
    pub materials: Vec<Material>,
    pub records: Vec<Record>,
    pub reminders: Vec<Reminder>,
    /// Items other modules produce (matched policies, policy deadlines).
    pub external: Vec<ExternalItem>,
}

impl CompanyFacts {
    pub fn new(company: Company) -> CompanyFacts {
        CompanyFacts {
            company,
            licences: Vec::new(),
            materials: Vec::new(),
            records: Vec::new(),
            reminders: Vec::new(),
            external: Vec::new(),
        }
    }
}

// ---- drafts: what the rules produce ----

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Span {
    pub fn day(d: NaiveDate) -> Span {
        Span { from: d, to: d }
    }

    pub fn new(from: NaiveDate, to: NaiveDate) -> Span {
        Span { from, to }
    }

    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        from <= self.to && self.from <= to && from <= to
    }
}

/// `d` moved by `days`, saturating at the ends of the date range (input dates may be absurdly far).
pub(crate) fn shift(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(if days > 0 { NaiveDate::MAX } else { NaiveDate::MIN })
}

/// The last day of `d`'s month.
pub(crate) fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// Months since year 0 (`y * 12 + m - 1`), for month arithmetic.
pub(crate) fn month_index(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

/// `(year, month)` of a month index.
pub(crate) fn from_month_index(i: i64) -> Option<(i32, u32)> {
    Some((i32::try_from(i.div_euclid(12)).ok()?, u32::try_from(i.rem_euclid(12)).ok()? + 1))
}

/// How an item's severity is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// Set by the milestone (年报 30 days before the end is `Soon`, whatever today is).
    Fixed(Severity),
    /// From the days left on the day it is shown: past → overdue, ≤ `urgent` → urgent, ≤ `soon` → soon.
    Deadline { urgent: i64, soon: i64 },
}

impl Level {
    fn severity(self, days_left: i64) -> Severity {
        match self {
            Level::Fixed(s) => s,
            Level::Deadline { urgent, soon } => {
                if days_left < 0 {
                    Severity::Overdue
                } else if days_left <= urgent {
                    Severity::Urgent
                } else if days_left <= soon {
                    Severity::Soon
                } else {
                    Severity::Info
                }
            }
        }
    }
}

/// One item with the days it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Draft {
    pub id: String,
    pub subject: String,
    pub kind: DynamicKind,
    pub title: String,
    pub detail: String,
    pub due: NaiveDate,
    /// First and last day shown (inclusive; `NaiveDate::MIN`/`MAX` for open ends).
    pub shown: (NaiveDate, NaiveDate),
    pub level: Level,
    pub action: Option<Action>,
    pub estimated: bool,
}

impl Draft {
    /// A deadline the owner works towards (gets reminders before `due`, goes into the .ics), as opposed
    /// to news (a status change) or a nudge.
    pub fn is_deadline(&self) -> bool {
        self.kind != DynamicKind::Progress
    }

    pub fn to_dynamic(&self, cal: &Calendar, today: NaiveDate) -> Dynamic {
        let days_left = (self.due - today).num_days();
        let workdays = cal.workdays_between(today, self.due);
        Dynamic {
            id: self.id.clone(),
            subject: self.subject.clone(),
            kind: self.kind,
            title: self.title.clone(),
            detail: self.detail.clone(),
            due: self.due,
            days_left,
            workdays_left: workdays.value,
            severity: self.level.severity(days_left),
            action: self.action.clone(),
            estimated: self.estimated,
        }
    }
}

/// Every rule's drafts whose window meets `span`.
pub(crate) fn drafts(facts: &CompanyFacts, cal: &Calendar, span: Span) -> Vec<Draft> {
    let mut all = Vec::new();
    all.extend(tax::drafts(&facts.company, cal, span));
    all.extend(annual_report::drafts(&facts.company, &facts.records, span));
    all.extend(licence::drafts(&facts.licences, cal, span));
    all.extend(material::drafts(&facts.materials, span));
    all.extend(progress::drafts(&facts.records, cal, span));
    all.extend(external::drafts(&facts.external));
    all.extend(custom::drafts(&facts.reminders, span));
    all.retain(|d| span.overlaps(d.shown.0, d.shown.1));
    all
}

/// Sorts items as the list shows them: by severity (overdue first), then due date, then id.
pub fn sort(items: &mut [Dynamic]) {
    items.sort_by(|a, b| (a.severity, a.due, &a.id).cmp(&(b.severity, b.due, &b.id)));
}

/// Every item of a company on `today`, sorted, before the owner's marks are applied. Pure: the same
/// facts, calendar and day always give the same list.
pub fn evaluate(facts: &CompanyFacts, cal: &Calendar, today: NaiveDate) -> Vec<Dynamic> {
    let mut items: Vec<Dynamic> = drafts(facts, cal, Span::day(today))
        .iter()
        .filter(|d| d.shown.0 <= today && today <= d.shown.1)
        .map(|d| d.to_dynamic(cal, today))
        .collect();
    sort(&mut items);
    items
}

/// The list the owner sees on `today`: [`evaluate`] without what the owner closed, dismissed or
/// snoozed.
pub fn visible(facts: &CompanyFacts, cal: &Calendar, marks: &Marks, today: NaiveDate) -> Vec<Dynamic> {
    let mut items = evaluate(facts, cal, today);
    items.retain(|item| !marks.hides(item, today));
    items
}

// ---- the service ----

/// How far around today an id is looked up when the owner acts on it (an id from a notification or the
/// calendar export may belong to a milestone that is not shown today).
const LOOKUP_DAYS: i64 = 400;

/// Where items from above the dynamics come from: the policy engine's, which the facade hands down as a
/// part of the context (dynamics knows no policy code; the policy engine uses the dynamics' types).
#[derive(Clone, Copy)]
pub struct ExternalSource(pub fn(&Context, &str, NaiveDate) -> Result<Vec<ExternalItem>>);

/// The dynamics service. Borrowed from [`Zhuanshu::dynamics`].
pub struct Dynamics<'a> {
    ctx: &'a Context,
}

impl<'a> Dynamics<'a> {
    pub(crate) fn new(ctx: &'a Context) -> Self {
        Dynamics { ctx }
    }

    /// The calendar the rules use: the embedded notices plus the years the feed delivered
    /// (`holidays/YYYY.json`). Built on first use and again after a feed update. A store that cannot be
    /// read leaves the embedded years (later dates are then estimates, and every answer says so).
    pub fn calendar(&self) -> Arc<Calendar> {
        let build = || -> Result<Calendar> {
            let years = self.ctx.store()?.read(crate::feed::stored_holiday_years)?;
            // Each year was checked when the feed applied it; one that fails now is skipped, not fatal.
            Ok(years.iter().fold(Calendar::official().clone(), |cal, json| {
                let fallback = cal.clone();
                cal.with_year_json(json).unwrap_or(fallback)
            }))
        };
        self.ctx.cached(|_: &Calendar| true, build).unwrap_or_else(|_| Arc::new(Calendar::official().clone()))
    }

    fn today(&self) -> NaiveDate {
        self.ctx.clock().today()
    }

    /// The company's facts: its dossier (through the dossier service) and its reminders.
    pub fn facts(&self, uscc: &str) -> Result<CompanyFacts> {
        let dossier = crate::dossier::Dossier::new(self.ctx);
        let company = dossier.company(uscc)?.company;
        let key = company.uscc.clone();
        let reminders = self.ctx.store()?.read(|c| db::list_reminders(c, &key))?;
        Ok(CompanyFacts {
            licences: dossier.licences(&key)?,
            materials: dossier.materials(&key)?,
            records: dossier.records(&key)?,
            reminders,
            external: Vec::new(),
            company,
        })
    }

    fn marks(&self, uscc: &str) -> Result<Marks> {
        Ok(Marks::new(&self.states(uscc)?))
    }

    /// The items of `uscc` on `today`, sorted, without the ones the owner closed, dismissed or snoozed.
    pub fn list(&self, uscc: &str, today: NaiveDate) -> Result<Vec<Dynamic>> {
        self.list_with(uscc, today, &self.external(uscc, today))
    }

    /// What other modules add to the company's dynamics on `today` (the policy engine's newly matched
    /// policies, application windows and 免申即享 items), through the [`ExternalSource`] the facade hands
    /// down. A source that fails leaves the dossier's own deadlines: they matter more than the news.
    fn external(&self, uscc: &str, today: NaiveDate) -> Vec<ExternalItem> {
        match self.ctx.part::<ExternalSource>() {
            Ok(source) => (source.0)(self.ctx, uscc, today).unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }

    /// The dossier's own items plus `external` ones (instead of the [`ExternalSource`]'s).
    pub fn list_with(&self, uscc: &str, today: NaiveDate, external: &[ExternalItem]) -> Result<Vec<Dynamic>> {
        let mut facts = self.facts(uscc)?;
        facts.external = external.to_vec();
        let marks = self.marks(&facts.company.uscc)?;
        Ok(visible(&facts, &self.calendar(), &marks, today))
    }

    /// The current company's items today (by the app's clock).
    pub fn list_current(&self) -> Result<Vec<Dynamic>> {
        let current = crate::dossier::Dossier::new(self.ctx).current()?;
        self.list(&current.company.uscc, self.today())
    }

    /// Finds the draft with this id near today; its subject is what "done" closes.
    fn find(&self, uscc: &str, id: &str) -> Result<(String, Draft)> {
        let facts = self.facts(uscc)?;
        let today = self.today();
        let span = Span::new(shift(today, -LOOKUP_DAYS), shift(today, LOOKUP_DAYS));
        let id = id.trim();
        drafts(&facts, &self.calendar(), span)
            .into_iter()
            .find(|d| d.id == id)
            .map(|d| (facts.company.uscc.clone(), d))
            .ok_or_else(|| {
                Error::invalid("id", format!("没有这条动态：{id}"), format!("no dynamic {id:?} for this company"))
            })
    }

    fn set(&self, uscc: &str, id: &str, state: StateKind, until: Option<NaiveDate>) -> Result<DynamicState> {
        let id = id.trim();
        // Items other modules supply (`ext:` — new policies, policy deadlines) are not rules of this module:
        // they cannot be looked up here, and each is its own subject (see `external`).
        let (key, dynamic_id, subject) = if id.starts_with("ext:") && id.len() > 4 {
            (crate::dossier::Dossier::new(self.ctx).company(uscc)?.company.uscc, id.to_owned(), id.to_owned())
        } else {
            let (key, draft) = self.find(uscc, id)?;
            (key, draft.id, draft.subject)
        };
        let state = DynamicState { dynamic_id, subject, state, until, at: self.ctx.clock().now() };
        self.ctx.store()?.write(|tx| db::set_state(tx, &key, &state))?;
        Ok(state)
    }

    /// The obligation is met: every milestone of the item's subject is hidden for good.
    pub fn mark_done(&self, uscc: &str, id: &str) -> Result<DynamicState> {
        self.set(uscc, id, StateKind::Done, None)
    }

    /// Hides this item (this milestone); a later, more serious milestone of the same obligation still shows.
    pub fn dismiss(&self, uscc: &str, id: &str) -> Result<DynamicState> {
        self.set(uscc, id, StateKind::Dismissed, None)
    }

    /// Hides this item until `until`, when it shows (and notifies) again. `until` must be after today.
    pub fn snooze(&self, uscc: &str, id: &str, until: NaiveDate) -> Result<DynamicState> {
        let today = self.today();
        if until <= today {
            return Err(Error::invalid(
                "until",
                format!("稍后提醒的日期{until}应晚于今天（{today}）"),
                format!("snooze date {until} is not after today {today}"),
            ));
        }
        self.set(uscc, id, StateKind::Snoozed, Some(until))
    }

    /// Undoes done / dismissed / snoozed for one id. Returns whether there was anything to undo.
    pub fn restore(&self, uscc: &str, id: &str) -> Result<bool> {
        let key = crate::dossier::Dossier::new(self.ctx).company(uscc)?.company.uscc;
        self.ctx.store()?.write(|tx| db::clear_state(tx, &key, id.trim()))
    }

    /// What the owner did, newest first.
    pub fn states(&self, uscc: &str) -> Result<Vec<DynamicState>> {
        let key = uscc.trim().to_ascii_uppercase();
        self.ctx.store()?.read(|c| db::list_states(c, &key))
    }

    // ---- custom reminders ----

    pub fn add_reminder(&self, uscc: &str, data: &ReminderData) -> Result<Reminder> {
        let data = data.cleaned();
        data.validate()?;
        let key = crate::dossier::Dossier::new(self.ctx).company(uscc)?.company.uscc;
        let now = self.ctx.clock().now();
        let id = self.ctx.store()?.write(|tx| db::insert_reminder(tx, &key, &data, now))?;
        Ok(Reminder { id, uscc: key, data })
    }

    pub fn remove_reminder(&self, id: i64) -> Result<()> {
        if self.ctx.store()?.write(|tx| db::delete_reminder(tx, id))? {
            Ok(())
        } else {
            Err(Error::invalid("id", format!("没有编号为{id}的提醒"), format!("no reminder {id}")))
        }
    }

    pub fn reminders(&self, uscc: &str) -> Result<Vec<Reminder>> {
        let key = crate::dossier::Dossier::new(self.ctx).company(uscc)?.company.uscc;
        self.ctx.store()?.read(|c| db::list_reminders(c, &key))
    }

    // ---- schedule and export ----

    /// The next notifications for every company, for the OS scheduler: `count` of them (default
    /// [`schedule::DEFAULT_COUNT`]) after now, at `at` (`HH:MM` Asia/Shanghai time, default 09:00), one per
    /// item per milestone. Ids are stable, so handing the list to the OS again replaces rather than
    /// duplicates.
    pub fn notifications(&self, count: Option<u32>, at: Option<&str>) -> Result<Vec<Notification>> {
        let at = at.map(schedule::time_of_day).transpose()?.unwrap_or_else(schedule::default_time);
        let mut companies = Vec::new();
        let now = self.ctx.clock().now();
        for overview in crate::dossier::Dossier::new(self.ctx).companies()? {
            let mut facts = self.facts(&overview.company.uscc)?;
            facts.external = self.external(&facts.company.uscc, now.date());
            let marks = self.marks(&facts.company.uscc)?;
            companies.push((facts, marks));
        }
        Ok(schedule::notifications(
            &companies,
            &self.calendar(),
            now,
            count.unwrap_or(schedule::DEFAULT_COUNT) as usize,
            at,
        ))
    }

    /// The company's deadlines of the coming year as an iCalendar (RFC 5545) file.
    pub fn ics(&self, uscc: &str) -> Result<String> {
        let mut facts = self.facts(uscc)?;
        facts.external = self.external(&facts.company.uscc, self.today());
        let marks = self.marks(&facts.company.uscc)?;
        Ok(ics::export(&facts, &self.calendar(), &marks, self.ctx.clock().now()))
    }

    // ---- calendar ----

    /// The tax filing deadline of a filing month (`zhuanshu calendar tax-deadline 2026-10`).
    pub fn tax_deadline(&self, year: i32, month: u32) -> Result<TaxDeadline> {
        self.calendar().tax_deadline(year, month)
    }

    /// Whether a date is a working day, and why (`zhuanshu calendar workday 2026-10-08`).
    pub fn workday(&self, date: NaiveDate) -> DayInfo {
        self.calendar().day(date)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Facts for the rule tests.
    use super::*;
    use crate::dossier::{CompanyType, TaxpayerKind};

    pub(crate) use crate::calendar::date;

    pub fn company(established: &str) -> Company {
        Company {
            uscc: "91310115MA1K3YJ5AX".into(),
            name: "上海示例科技有限公司".into(),
            company_type: CompanyType::LimitedLiability,
            legal_representative: "王𠈌".into(),
            registered_capital_fen: 100_000_000,
            established_on: date(established),
            address: "上海市浦东新区张江路1号".into(),
            district: "310115".into(),
            industry: "I65".into(),
            employees: 12,
            revenue_fen: 0,
            total_assets_fen: None,
            taxpayer_kind: TaxpayerKind::General,
            credit_grade: None,
            tags: Vec::new(),
        }
    }

    pub fn facts() -> CompanyFacts {
        CompanyFacts::new(company("2019-05-20"))
    }

    /// The items of one kind on `today`.
    pub fn of_kind(facts: &CompanyFacts, kind: DynamicKind, today: &str) -> Vec<Dynamic> {
        evaluate(facts, Calendar::official(), date(today)).into_iter().filter(|d| d.kind == kind).collect()
    }

    pub fn ids(items: &[Dynamic]) -> Vec<&str> {
        items.iter().map(|d| d.id.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn the_list_is_sorted_by_severity_then_due_date() {
        let mut facts = facts();
        facts.reminders.push(Reminder {
            id: 1,
            uscc: facts.company.uscc.clone(),
            data: ReminderData {
                title: "续签租赁合同".into(),
                detail: String::new(),
                due: date("2026-11-01"),
                repeat: Repeat::Once,
            },
        });
        let items = evaluate(&facts, Calendar::official(), date("2026-11-10"));
        let order: Vec<(Severity, NaiveDate)> = items.iter().map(|d| (d.severity, d.due)).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        let reminder = items.iter().position(|d| d.id == "custom:1:2026-11-01").unwrap();
        assert_eq!(items[reminder].severity, Severity::Overdue);
        assert!(items[..reminder].iter().all(|d| d.severity == Severity::Overdue && d.due <= date("2026-11-01")));
        assert!(items[reminder + 1..].iter().all(|d| d.severity != Severity::Overdue || d.due >= date("2026-11-01")));
    }

    #[test]
    fn marks_close_subjects_dismiss_ids_and_snooze_until_a_day() {
        let at = date("2026-11-01").and_hms_opt(9, 0, 0).unwrap();
        let state = |id: &str, subject: &str, state, until| DynamicState {
            dynamic_id: id.into(),
            subject: subject.into(),
            state,
            until,
            at,
        };
        let marks = Marks::new(&[
            state("licence:1:2027-03-31:renew:90", "licence:1:2027-03-31:renew", StateKind::Done, None),
            state("licence:2:2027-03-31:renew:90", "licence:2:2027-03-31:renew", StateKind::Dismissed, None),
            state("tax:vat:2026-10", "tax:vat:2026-10", StateKind::Snoozed, Some(date("2026-11-10"))),
        ]);
        let item = |id: &str, subject: &str| Dynamic {
            id: id.into(),
            subject: subject.into(),
            kind: DynamicKind::Custom,
            title: String::new(),
            detail: String::new(),
            due: date("2026-11-15"),
            days_left: 0,
            workdays_left: 0,
            severity: Severity::Info,
            action: None,
            estimated: false,
        };
        let day = date("2026-11-05");
        assert!(
            marks.hides(&item("licence:1:2027-03-31:renew:30", "licence:1:2027-03-31:renew"), day),
            "done closes the subject"
        );
        assert!(marks.hides(&item("licence:2:2027-03-31:renew:90", "licence:2:2027-03-31:renew"), day));
        assert!(
            !marks.hides(&item("licence:2:2027-03-31:renew:30", "licence:2:2027-03-31:renew"), day),
            "next milestone"
        );
        assert!(marks.hides(&item("tax:vat:2026-10", "tax:vat:2026-10"), date("2026-11-09")));
        assert!(!marks.hides(&item("tax:vat:2026-10", "tax:vat:2026-10"), date("2026-11-10")), "back on the day");
    }

    #[test]
    fn far_dates_do_not_overflow() {
        assert_eq!(shift(NaiveDate::MAX, 10), NaiveDate::MAX);
        assert_eq!(shift(NaiveDate::MIN, -10), NaiveDate::MIN);
        assert_eq!(month_end(2024, 2), Some(date("2024-02-29")));
        assert_eq!(month_end(2026, 12), Some(date("2026-12-31")));
        assert_eq!(from_month_index(month_index(date("2026-01-15")) - 1), Some((2025, 12)));
    }
}
