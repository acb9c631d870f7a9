//! `zhuanshu dynamics`, `zhuanshu calendar …` and `zhuanshu remind …`: the home list of deadlines and
//! reminders, the official working-day calendar, and what the owner does with items.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use zhuanshu::dynamics::{Dynamic, ReminderData, Repeat};
use zhuanshu::{Error, Zhuanshu};

use crate::{Output, company_key, out, parse_choice, parse_date};

#[derive(Args)]
pub struct DynamicsArgs {
    /// Company code (default: the current company).
    #[arg(long)]
    company: Option<String>,
    /// Also write the deadlines as an iCalendar file (for the phone's calendar).
    #[arg(long, value_name = "FILE")]
    ics: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum CalendarCmd {
    /// Is DATE a working day on the official calendar?
    Workday {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
    },
    /// The monthly filing deadline of YYYY-MM (prints only the date, YYYY-MM-DD).
    TaxDeadline {
        #[arg(value_parser = parse_month)]
        month: (i32, u32),
    },
}

#[derive(Subcommand)]
pub enum RemindCmd {
    /// Add your own reminder (one-off or repeating).
    Add {
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        title: String,
        #[arg(long, value_parser = parse_date)]
        due: NaiveDate,
        /// once | monthly | quarterly | yearly
        #[arg(long, default_value = "once", value_parser = parse_choice::<Repeat>)]
        repeat: Repeat,
        #[arg(long, default_value = "")]
        detail: String,
    },
    /// Your reminders.
    List {
        #[arg(long)]
        company: Option<String>,
    },
    /// Delete one of your reminders.
    Rm { id: i64 },
    /// Mark an item of the list done (by its id, as `zhuanshu dynamics --json` shows it).
    Done {
        id: String,
        #[arg(long)]
        company: Option<String>,
    },
    /// Hide an item.
    Dismiss {
        id: String,
        #[arg(long)]
        company: Option<String>,
    },
    /// Hide an item until a date.
    Snooze {
        id: String,
        #[arg(long, value_parser = parse_date)]
        until: NaiveDate,
        #[arg(long)]
        company: Option<String>,
    },
}

fn parse_month(s: &str) -> Result<(i32, u32), String> {
    let bad = || format!("月份应为 YYYY-MM：{s}");
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    Ok((y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?))
}

fn item_line(d: &Dynamic) -> String {
    let when = match d.days_left {
        n if n < 0 => format!("已逾期{}天", -n),
        0 => "今天".to_owned(),
        n => format!("还有{n}天（{}个工作日）", d.workdays_left),
    };
    let estimate = if d.estimated { "（按周末推算，以官方通知为准）" } else { "" };
    format!("[{}] {}  {} 截止，{}{}\n      {}", d.severity.label(), d.title, d.due, when, estimate, d.detail)
}

pub fn list(app: &Zhuanshu, args: DynamicsArgs) -> Result<Output, Error> {
    let uscc = company_key(app, args.company)?;
    let today = app.clock().today();
    let items = app.dynamics().list(&uscc, today)?;
    let name = app.dossier().company(&uscc)?.company.name;
    let mut text = format!("{name}：{today} 的专属动态（{}项）\n", items.len());
    text.push_str(&items.iter().map(item_line).collect::<Vec<_>>().join("\n"));
    if let Some(path) = args.ics {
        std::fs::write(&path, app.dynamics().ics(&uscc)?)?;
        text.push_str(&format!("\n\n已导出日历文件：{}", path.display()));
    }
    out(&items, text)
}

pub fn calendar(app: &Zhuanshu, cmd: CalendarCmd) -> Result<Output, Error> {
    match cmd {
        CalendarCmd::Workday { date } => {
            let day = app.dynamics().workday(date);
            let what = match (&day.holiday, &day.make_up_for, day.workday) {
                (Some(h), _, false) => format!("{h}假期，休息日"),
                (_, Some(h), true) => format!("{h}调休上班，工作日"),
                (_, _, true) => "工作日".to_owned(),
                (_, _, false) => "周末，休息日".to_owned(),
            };
            let next =
                if day.workday { String::new() } else { format!("；下一个工作日是 {}", day.next_workday) };
            let estimate =
                if day.estimated { "（该年度尚无官方放假通知，仅按周末推算）" } else { "" };
            out(&day, format!("{} {}：{what}{next}{estimate}", day.date, day.weekday_label))
        }
        CalendarCmd::TaxDeadline { month: (year, month) } => {
            let d = app.dynamics().tax_deadline(year, month)?;
            // Only the date, so scripts can use it; --json has the explanation.
            out(&d, d.date.to_string())
        }
    }
}

pub fn remind(app: &Zhuanshu, cmd: RemindCmd) -> Result<Output, Error> {
    let dynamics = app.dynamics();
    match cmd {
        RemindCmd::Add { company, title, due, repeat, detail } => {
            let uscc = company_key(app, company)?;
            let r = dynamics.add_reminder(&uscc, &ReminderData { title, detail, due, repeat })?;
            out(&r, format!("已添加提醒 #{}：{}（{}，{}）", r.id, r.data.title, r.data.due, r.data.repeat.label()))
        }
        RemindCmd::List { company } => {
            let uscc = company_key(app, company)?;
            let list = dynamics.reminders(&uscc)?;
            let lines: Vec<String> = list
                .iter()
                .map(|r| format!("#{} {}  {}  {}", r.id, r.data.title, r.data.due, r.data.repeat.label()))
                .collect();
            out(&list, if lines.is_empty() { "没有自定义提醒。".to_owned() } else { lines.join("\n") })
        }
        RemindCmd::Rm { id } => {
            dynamics.remove_reminder(id)?;
            out(&id, format!("已删除提醒 #{id}"))
        }
        RemindCmd::Done { id, company } => {
            let state = dynamics.mark_done(&company_key(app, company)?, &id)?;
            out(&state, format!("已标记完成：{id}"))
        }
        RemindCmd::Dismiss { id, company } => {
            let state = dynamics.dismiss(&company_key(app, company)?, &id)?;
            out(&state, format!("已忽略：{id}"))
        }
        RemindCmd::Snooze { id, until, company } => {
            let state = dynamics.snooze(&company_key(app, company)?, &id, until)?;
            out(&state, format!("已推迟到 {until} 再提醒：{id}"))
        }
    }
}
