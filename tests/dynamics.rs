//! Dynamics scenarios through the facade: the demo companies' lists, the owner's marks and reminders
//! surviving a restart, notifications across companies, the calendar export and the calendar calls.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use zhuanshu::content::demo_companies;
use zhuanshu::dynamics::{Action, DynamicKind, ReminderData, Repeat, Severity, StateKind};
use zhuanshu::{Clock, Config, Zhuanshu};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn now() -> NaiveDateTime {
    day("2026-11-21").and_hms_opt(8, 0, 0).unwrap()
}

fn app(dir: Option<&Path>, at: NaiveDateTime) -> Zhuanshu {
    Zhuanshu::open(Config { data_dir: dir.map(Into::into), clock: Clock::Fixed(at), ..Default::default() }).unwrap()
}

/// The demo companies imported; returns their codes in file order.
fn with_demo(app: &Zhuanshu) -> Vec<String> {
    demo_companies(day("2026-11-21"))
        .unwrap()
        .iter()
        .map(|doc| app.dossier().import(doc).unwrap().company.uscc)
        .collect()
}

#[test]
fn the_demo_restaurant_sees_its_renewal_its_correction_and_its_filings() {
    let app = app(None, now());
    let codes = with_demo(&app);
    let restaurant = &codes[1];
    let list = app.dynamics().list(restaurant, day("2026-11-21")).unwrap();
    let kinds: Vec<DynamicKind> = list.iter().map(|d| d.kind).collect();
    for k in [DynamicKind::LicenceRenewal, DynamicKind::Progress, DynamicKind::TaxFiling] {
        assert!(kinds.contains(&k), "{k:?} in {:#?}", list.iter().map(|d| &d.id).collect::<Vec<_>>());
    }
    // Sorted by severity then due date.
    assert!(list.windows(2).all(|w| (w[0].severity, w[0].due) <= (w[1].severity, w[1].due)));
    // 食品经营许可证 expires 2027-01-05: renewal due 15 working days before, in December 2026.
    let food = list.iter().find(|d| d.kind == DynamicKind::LicenceRenewal).unwrap();
    assert!(food.title.contains("食品经营许可证"), "{}", food.title);
    assert_eq!(app.dynamics().calendar().workdays_between(food.due, day("2027-01-05")).value, 15);
    assert!(matches!(food.action, Some(Action::Licence { .. })));
    // The small-scale restaurant's next VAT filing is January's, for Q4 (after the October one).
    assert!(list.iter().any(|d| d.id == "tax:vat:2026-Q4"));
    // The renewal application has waited for the owner's correction since 11-05: 10 working days on.
    let correction = list.iter().find(|d| d.kind == DynamicKind::Progress && d.title.contains("补正")).unwrap();
    assert_eq!((correction.severity, correction.due), (Severity::Soon, day("2026-11-19")));
    // The factory's 需补正 of 11-18 is still news.
    let factory = app.dynamics().list(&codes[2], day("2026-11-21")).unwrap();
    assert!(factory.iter().any(|d| d.kind == DynamicKind::Progress && d.title.ends_with("需补正")));

    // The current company is the first demo company; list_current uses the app's clock.
    let current = app.dynamics().list_current().unwrap();
    assert_eq!(current, app.dynamics().list(&codes[0], day("2026-11-21")).unwrap());
    // The factory missed the 排污许可证 renewal deadline (60 days before 2027-01-10).
    let late = factory.iter().find(|d| d.kind == DynamicKind::LicenceRenewal).unwrap();
    assert_eq!((late.severity, late.due), (Severity::Overdue, day("2026-11-11")));
    assert_eq!(factory[0].severity, Severity::Overdue);
}

#[test]
fn done_dismissed_snoozed_and_reminders_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let today = day("2026-11-21");
    let (uscc, renew_subject, progress_id, tax_id, reminder_id) = {
        let app = app(Some(dir.path()), now());
        let codes = with_demo(&app);
        let uscc = codes[1].clone();
        let dynamics = app.dynamics();
        let list = dynamics.list(&uscc, today).unwrap();
        let renew = list.iter().find(|d| d.kind == DynamicKind::LicenceRenewal).unwrap().clone();
        let progress = list.iter().find(|d| d.kind == DynamicKind::Progress).unwrap().clone();
        let tax = list.iter().find(|d| d.kind == DynamicKind::TaxFiling).unwrap().clone();

        let done = dynamics.mark_done(&uscc, &renew.id).unwrap();
        assert_eq!((done.state, done.subject.as_str()), (StateKind::Done, renew.subject.as_str()));
        dynamics.dismiss(&uscc, &progress.id).unwrap();
        dynamics.snooze(&uscc, &tax.id, day("2026-12-01")).unwrap();
        let reminder = dynamics
            .add_reminder(
                &uscc,
                &ReminderData {
                    title: " 缴纳房租 ".into(),
                    detail: "转账给房东".into(),
                    due: day("2026-12-05"),
                    repeat: Repeat::Monthly,
                },
            )
            .unwrap();
        assert_eq!(reminder.data.title, "缴纳房租");
        (uscc, renew.subject, progress.id, tax.id, reminder.id)
    };

    // Reopen the same file.
    let app = app(Some(dir.path()), now());
    let dynamics = app.dynamics();
    let list = dynamics.list(&uscc, today).unwrap();
    assert!(!list.iter().any(|d| d.subject == renew_subject), "done stays done");
    assert!(!list.iter().any(|d| d.id == progress_id), "dismissed stays hidden");
    assert!(!list.iter().any(|d| d.id == tax_id), "snoozed until 12-01");
    let custom = format!("custom:{reminder_id}:2026-12-05");
    assert!(list.iter().any(|d| d.id == custom));
    assert_eq!(dynamics.states(&uscc).unwrap().len(), 3);
    assert_eq!(dynamics.reminders(&uscc).unwrap().len(), 1);

    // The renewal's later milestones stay closed too; the snoozed filing is back on its day.
    let later = dynamics.list(&uscc, day("2026-12-10")).unwrap();
    assert!(!later.iter().any(|d| d.subject == renew_subject));
    assert!(!dynamics.list(&uscc, day("2026-11-30")).unwrap().iter().any(|d| d.id == tax_id));
    assert!(dynamics.list(&uscc, day("2026-12-01")).unwrap().iter().any(|d| d.id == tax_id), "back on the day");

    // Undo, and remove the reminder.
    assert!(dynamics.restore(&uscc, &progress_id).unwrap());
    assert!(!dynamics.restore(&uscc, &progress_id).unwrap());
    assert!(dynamics.list(&uscc, today).unwrap().iter().any(|d| d.id == progress_id));
    dynamics.remove_reminder(reminder_id).unwrap();
    assert!(dynamics.reminders(&uscc).unwrap().is_empty());
    assert_eq!(dynamics.remove_reminder(reminder_id).unwrap_err().code(), "invalid_input");
}

#[test]
fn marks_follow_a_corrected_code_and_go_with_the_company() {
    let app = app(None, now());
    let codes = with_demo(&app);
    let uscc = &codes[3];
    let dynamics = app.dynamics();
    let item = dynamics.list(uscc, day("2026-11-21")).unwrap().remove(0);
    dynamics.dismiss(uscc, &item.id).unwrap();

    let mut company = app.dossier().company(uscc).unwrap().company;
    company.uscc = zhuanshu::dossier::uscc::complete("92310106MA1M2T8P5").unwrap();
    assert_ne!(&company.uscc, uscc);
    app.dossier().update_company(uscc, &company).unwrap();
    assert_eq!(dynamics.states(&company.uscc).unwrap().len(), 1, "ON UPDATE CASCADE");
    assert!(!dynamics.list(&company.uscc, day("2026-11-21")).unwrap().iter().any(|d| d.id == item.id));

    app.dossier().remove_company(&company.uscc).unwrap();
    assert!(dynamics.states(&company.uscc).unwrap().is_empty(), "ON DELETE CASCADE");
}

#[test]
fn actions_are_checked() {
    let app = app(None, now());
    let codes = with_demo(&app);
    let dynamics = app.dynamics();
    let err = dynamics.mark_done(&codes[0], "tax:vat:1999-01").unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.user_message().contains("没有这条动态"), "{}", err.user_message());
    let item = dynamics.list(&codes[0], day("2026-11-21")).unwrap().remove(0);
    let err = dynamics.snooze(&codes[0], &item.id, day("2026-11-21")).unwrap_err();
    assert_eq!(err.issues()[0].path, "until");
    assert_eq!(dynamics.list("91310000000000000X", day("2026-11-21")).unwrap_err().code(), "not_found");
    let bad =
        ReminderData { title: String::new(), detail: String::new(), due: day("2026-12-01"), repeat: Repeat::Once };
    assert_eq!(dynamics.add_reminder(&codes[0], &bad).unwrap_err().issues()[0].path, "title");
    // An id of a later milestone (from a notification, say) can be acted on before it shows.
    let ids: Vec<String> = dynamics.list(&codes[0], day("2026-11-21")).unwrap().into_iter().map(|d| d.id).collect();
    assert!(!ids.iter().any(|i| i == "annual-report:2027:open"));
    dynamics.dismiss(&codes[0], "annual-report:2027:open").unwrap();
    assert!(!dynamics.list(&codes[0], day("2027-01-02")).unwrap().iter().any(|d| d.id == "annual-report:2027:open"));
    assert!(dynamics.list(&codes[0], day("2027-05-31")).unwrap().iter().any(|d| d.id == "annual-report:2027:30"));
}

#[test]
fn notifications_cover_every_company_without_duplicates() {
    let app = app(None, now());
    let codes = with_demo(&app);
    let list = app.dynamics().notifications(Some(50), None).unwrap();
    assert_eq!(list.len(), 50);
    let ids: std::collections::HashSet<&str> = list.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), list.len());
    assert!(list.iter().all(|n| n.at > now() && n.at.time() == chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap()));
    assert!(list.windows(2).all(|w| w[0].at <= w[1].at));
    let companies: std::collections::HashSet<&str> = list.iter().map(|n| n.uscc.as_str()).collect();
    assert!(companies.len() >= 3, "{companies:?} of {codes:?}");
    // Asking again gives the same ids (the OS replaces rather than duplicates).
    let again = app.dynamics().notifications(Some(50), None).unwrap();
    assert_eq!(list, again);
}

#[test]
fn the_calendar_export_and_the_calendar_calls() {
    let app = app(None, now());
    let codes = with_demo(&app);
    let ics = app.dynamics().ics(&codes[0]).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains(&format!("UID:tax:vat:2026-11@{}.zhuanshu\r\n", codes[0])));
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20261215\r\n"));

    let d = app.dynamics().tax_deadline(2025, 10).unwrap();
    assert_eq!((d.date, d.estimated), (day("2025-10-27"), false));
    assert_eq!(app.dynamics().tax_deadline(2024, 6).unwrap().date, day("2024-06-19"));
    let w = app.dynamics().workday(day("2026-10-10"));
    assert!(w.workday && w.make_up_for.as_deref() == Some("国庆节"));
    assert!(app.dynamics().workday(day("2030-01-01")).estimated);
}

/// Writers in parallel — several app handles on one data directory, as a background sync job beside the
/// UI, or several CLI processes — wait their turn: every write lands, none fails with "database is
/// locked" (each write takes the lock up front and waits within the busy timeout).
#[test]
fn parallel_writers_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let uscc = with_demo(&app(Some(dir.path()), now()))[0].clone();
    let before = app(Some(dir.path()), now()).dynamics().reminders(&uscc).unwrap().len();
    let (writers, each) = (8, 25);
    let failures: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..writers)
            .map(|w| {
                let (dir, uscc) = (dir.path(), &uscc);
                scope.spawn(move || {
                    let app = app(Some(dir), now());
                    (0..each)
                        .filter(|i| {
                            let data = ReminderData {
                                title: format!("并发写入 {w}-{i}"),
                                detail: String::new(),
                                due: day("2026-12-05"),
                                repeat: Repeat::Once,
                            };
                            app.dynamics().add_reminder(uscc, &data).is_err()
                        })
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(failures, 0);
    let after = app(Some(dir.path()), now()).dynamics().reminders(&uscc).unwrap().len();
    assert_eq!(after - before, writers * each);
}
