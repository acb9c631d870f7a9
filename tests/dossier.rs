//! Dossier scenarios across the store: persistence, export/import, the current company.

use chrono::NaiveDate;
use serde_json::Value;
use zhuanshu::content::demo_companies;
use zhuanshu::dossier::{CompanyDocument, RecordStatus};
use zhuanshu::{Clock, Config, Zhuanshu};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn app_in(dir: Option<&std::path::Path>) -> Zhuanshu {
    Zhuanshu::open(Config { data_dir: dir.map(Into::into), clock: Clock::fixed_on(today()), ..Default::default() })
        .unwrap()
}

#[test]
fn demo_companies_import_and_export_losslessly() {
    let app = app_in(None);
    let docs = demo_companies(today()).unwrap();
    assert!(docs.len() >= 3);
    for doc in &docs {
        app.dossier().import(doc).unwrap();
        let exported = app.dossier().export(&doc.company.uscc).unwrap();
        assert_eq!(&exported, doc, "round trip of {}", doc.company.name);
        // Text form too: export -> parse -> import elsewhere -> export gives the same bytes.
        let text = app.dossier().export_json(&doc.company.uscc).unwrap();
        let other = app_in(None);
        other.dossier().import_json(&text).unwrap();
        assert_eq!(other.dossier().export_json(&doc.company.uscc).unwrap(), text);
    }
    assert_eq!(app.dossier().current().unwrap().company.uscc, docs[0].company.uscc, "first import is current");
    // Every demo company has a licence that expires within 60 days of the demo day, as the README promises.
    let soon = app
        .dossier()
        .companies()
        .unwrap()
        .iter()
        .filter(|c| {
            app.dossier()
                .licences(&c.company.uscc)
                .unwrap()
                .iter()
                .any(|l| l.days_left.is_some_and(|d| (0..=60).contains(&d)))
        })
        .count();
    assert!(soon >= 2, "{soon} demo companies have a licence expiring within 60 days");
}

#[test]
fn demo_dates_follow_the_real_day() {
    let later = today() + chrono::Duration::days(100);
    let a = demo_companies(today()).unwrap();
    let b = demo_companies(later).unwrap();
    assert_eq!(b[0].company.established_on - a[0].company.established_on, chrono::Duration::days(100));
}

#[test]
fn import_reports_every_error_with_its_path_and_writes_nothing() {
    let app = app_in(None);
    let mut doc = demo_companies(today()).unwrap().remove(0);
    doc.licences[1].valid_until = Some(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
    doc.materials[0].title = String::new();
    doc.records[0].history.reverse();
    doc.company.district = "31011".into();
    let err = app.dossier().import(&doc).unwrap_err();
    let paths: Vec<&str> = err.issues().iter().map(|i| i.path.as_str()).collect();
    assert!(paths.contains(&"company.district"), "{paths:?}");
    assert!(paths.contains(&"licences[1].valid_until"), "{paths:?}");
    assert!(paths.contains(&"materials[0].title"), "{paths:?}");
    assert!(paths.iter().any(|p| p.starts_with("records[0].history[")), "{paths:?}");
    assert!(err.user_message().starts_with(&format!("发现{}处问题", err.issues().len())), "{}", err.user_message());
    assert!(app.dossier().companies().unwrap().is_empty(), "nothing written");

    // A structural error names where parsing stopped.
    let mut value: Value = serde_json::to_value(demo_companies(today()).unwrap().remove(0)).unwrap();
    value["licences"][2]["valid_until"] = Value::from(20270101);
    let err = app.dossier().import_json(&value.to_string()).unwrap_err();
    assert_eq!(err.issues()[0].path, "licences[2].valid_until");
    let err = app.dossier().import_json("{ not json").unwrap_err();
    assert_eq!(err.code(), "bad_format");
    let mut doc = demo_companies(today()).unwrap().remove(0);
    doc.version = 99;
    assert_eq!(app.dossier().import(&doc).unwrap_err().code(), "bad_format");
    assert!(app.dossier().companies().unwrap().is_empty());
}

#[test]
fn data_survives_reopening_and_removal_cascades() {
    let dir = tempfile::tempdir().unwrap();
    let docs = demo_companies(today()).unwrap();
    {
        let app = app_in(Some(dir.path()));
        for d in &docs {
            app.dossier().import(d).unwrap();
        }
        app.dossier().use_company(&docs[1].company.uscc).unwrap();
        let record = &app.dossier().records(&docs[1].company.uscc).unwrap()[0];
        let _ = app.dossier().set_record_status(record.id, RecordStatus::Returned, "");
    }
    let app = app_in(Some(dir.path()));
    assert_eq!(app.dossier().current().unwrap().company.uscc, docs[1].company.uscc);
    let exported: Vec<CompanyDocument> = docs.iter().map(|d| app.dossier().export(&d.company.uscc).unwrap()).collect();
    assert_eq!(exported[0], docs[0]);

    let victim = &docs[1].company.uscc;
    let licence_ids: Vec<i64> = app.dossier().licences(victim).unwrap().iter().map(|l| l.id).collect();
    app.dossier().remove_company(victim).unwrap();
    assert_eq!(app.dossier().company(victim).unwrap_err().code(), "not_found");
    assert_eq!(app.dossier().licence(licence_ids[0]).unwrap_err().code(), "not_found", "licences went with it");
    assert_eq!(app.dossier().current().unwrap().company.uscc, docs[0].company.uscc, "oldest company is current");
    for d in &docs {
        if &d.company.uscc != victim {
            app.dossier().remove_company(&d.company.uscc).unwrap();
        }
    }
    assert_eq!(app.dossier().current().unwrap_err().code(), "no_current_company");
}

#[test]
fn correcting_a_uscc_moves_everything_with_it() {
    let app = app_in(None);
    let doc = demo_companies(today()).unwrap().remove(0);
    app.dossier().import(&doc).unwrap();
    let mut company = doc.company.clone();
    company.uscc = zhuanshu::dossier::uscc::complete("91310115MA1K3YJ5A").unwrap();
    let updated = app.dossier().update_company(&doc.company.uscc, &company).unwrap();
    assert!(updated.current);
    assert_eq!(app.dossier().licences(&company.uscc).unwrap().len(), doc.licences.len());
    assert_eq!(app.dossier().records(&company.uscc).unwrap().len(), doc.records.len());
}

#[test]
fn status_changes_are_checked_against_history_and_clock() {
    let app = app_in(None);
    let doc = demo_companies(today()).unwrap().remove(0);
    app.dossier().import(&doc).unwrap();
    let records = app.dossier().records(&doc.company.uscc).unwrap();
    let open = records.iter().find(|r| r.status() != Some(RecordStatus::Completed)).expect("an open record");
    let future = format!("{} 23:00", today());
    assert_eq!(
        app.dossier().set_record_status(open.id, RecordStatus::Returned, &future).unwrap_err().issues()[0].path,
        "at"
    );
    let done = records.iter().find(|r| r.status() == Some(RecordStatus::Completed)).expect("a completed record");
    let err = app.dossier().set_record_status(done.id, RecordStatus::Reviewing, "").unwrap_err();
    assert!(err.user_message().contains("已办结"));
    let updated = app.dossier().set_record_status(open.id, RecordStatus::Returned, "").unwrap();
    assert_eq!(updated.history.last().unwrap().at, Clock::fixed_on(today()).now());
}

#[test]
fn the_item_forms_add_edit_and_refuse_another_companys_items() {
    use zhuanshu::dossier::{Channel, MaterialForm, RecordForm};
    let app = app_in(None);
    let docs = demo_companies(today()).unwrap();
    for doc in &docs[..2] {
        app.dossier().import(doc).unwrap();
    }
    let d = app.dossier();
    let (mine, theirs) = (&docs[0].company.uscc, &docs[1].company.uscc);

    // A licence: the empty form is the 营业执照; a missing date is said at its field, by the core.
    let mut form = d.licence_form(None).unwrap();
    assert_eq!(form.kind, "business_licence");
    form.number = "91310115MA1K3YJ5A0".into();
    form.issuer = "浦东新区市场监督管理局".into();
    let e = d.save_licence(mine, None, &form).unwrap_err();
    assert_eq!((e.issues()[0].path.as_str(), e.issues()[0].user_message.as_str()), ("issued_on", "请填写发证日期"));
    form.issued_on = "2019-05-20".into();
    let saved = d.save_licence(mine, None, &form).unwrap();
    assert_eq!((saved.uscc.as_str(), saved.data.valid_until), (mine.as_str(), None));
    let mut edit = d.licence_form(Some(saved.id)).unwrap();
    assert_eq!(edit, form);
    edit.scope = "软件开发".into();
    assert_eq!(d.save_licence(mine, Some(saved.id), &edit).unwrap().data.scope, "软件开发");
    // Saved through another company's page: not found, and nothing changed.
    assert_eq!(d.save_licence(theirs, Some(saved.id), &form).unwrap_err().code(), "not_found");
    assert_eq!(d.licence(saved.id).unwrap().data.scope, "软件开发");

    // A material form offers the catalog's kinds, then 其他材料, all from the core.
    let kinds = d.material_kinds();
    assert_eq!((kinds.last().unwrap().code.as_str(), kinds.last().unwrap().name.as_str()), ("other", "其他材料"));
    assert!(kinds.len() > 5);
    // A material keeps its vault scan when its form is saved.
    let material = d.materials(mine).unwrap().into_iter().next().expect("the demo company has materials");
    let scan = material.data.vault_document.clone();
    let mut form: MaterialForm = d.material_form(Some(material.id)).unwrap();
    form.title = format!("{}（2026版）", form.title);
    let saved = d.save_material(mine, Some(material.id), &form).unwrap();
    assert_eq!((saved.data.title, saved.data.vault_document), (form.title.clone(), scan));

    // A record: edited, its 已提交 moves with the submission day; a day after later progress is refused.
    let form = RecordForm {
        item_code: "310115-SCJG-0002".into(),
        item_name: "食品经营许可变更".into(),
        channel: Channel::Window,
        submitted_on: "2026-11-18".into(),
        lookup_password: String::new(),
    };
    let record = d.save_record(mine, None, &form).unwrap();
    d.set_record_status(record.id, RecordStatus::Accepted, "2026-11-19 10:30").unwrap();
    let earlier = RecordForm { submitted_on: "2026-11-17".into(), ..form.clone() };
    let moved = d.save_record(mine, Some(record.id), &earlier).unwrap();
    assert_eq!(moved.history[0].at.to_string(), "2026-11-17 00:00:00");
    assert_eq!(moved.history[1].at.to_string(), "2026-11-19 10:30:00");
    let later = RecordForm { submitted_on: "2026-11-20".into(), ..form };
    assert_eq!(d.save_record(mine, Some(record.id), &later).unwrap_err().issues()[0].path, "submitted_on");
    assert_eq!(d.record(record.id).unwrap(), moved, "a refused edit changes nothing");
    assert_eq!(d.save_record(theirs, Some(record.id), &earlier).unwrap_err().code(), "not_found");
}
