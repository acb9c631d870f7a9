//! Policy scenarios through the facade: the demo companies' checkups, near misses that name the field to
//! fill, learned interest surviving a restart, policy items in the home list, and a catalog delivered
//! after the app shipped.

use std::path::Path;

use chrono::NaiveDate;
use zhuanshu::content::demo_companies;
use zhuanshu::dynamics::{Action, DynamicKind, Severity};
use zhuanshu::policy::{Verdict, WindowStatus, parse_catalog};
use zhuanshu::{Clock, Config, Zhuanshu};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn app(dir: Option<&Path>, today: &str) -> Zhuanshu {
    Zhuanshu::open(Config { data_dir: dir.map(Into::into), clock: Clock::fixed_on(day(today)), ..Default::default() })
        .unwrap()
}

/// The demo companies imported; their codes in file order: software (浦东), restaurant (徐汇), factory
/// (闵行), convenience store (静安, 个体工商户).
fn with_demo(app: &Zhuanshu) -> Vec<String> {
    demo_companies(day("2026-11-21"))
        .unwrap()
        .iter()
        .map(|doc| app.dossier().import(doc).unwrap().company.uscc)
        .collect()
}

#[test]
fn each_demo_company_gets_its_own_checkup() {
    let app = app(None, "2026-11-21");
    let codes = with_demo(&app);
    let today = day("2026-11-21");
    let p = app.policies();

    // The restaurant: small-scale taxpayer in 徐汇, catering.
    let restaurant = p.checkup(&codes[1], today).unwrap();
    let find = |id: &str| restaurant.policies.iter().find(|c| c.policy.id == id).unwrap_or_else(|| panic!("{id}"));
    let vat = find("pol-vat-small-scale-1pct");
    assert_eq!((vat.verdict, vat.status_label.as_ref()), (Verdict::Eligible, "无需申请"));
    let vouchers = find("pol-sh-catering-vouchers");
    assert_eq!(vouchers.verdict, Verdict::Eligible);
    assert_eq!(vouchers.window, WindowStatus::Open { closes: day("2026-12-15"), days_left: 24 });
    // 小型微利企业所得税优惠 needs total assets, which the restaurant has not filled in: a near miss that
    // says which field to fill.
    let cit = find("pol-small-profit-cit");
    assert_eq!(cit.verdict, Verdict::NearMiss);
    assert_eq!(cit.missing, ["在档案中填写资产总额"]);
    assert!(cit.conditions.iter().any(|c| c.line == "资产总额：需不超过5000万元，档案未填写资产总额 ？"));
    // Pudong's awards are not in 徐汇's checkup; 徐汇's own are.
    assert!(restaurant.policies.iter().all(|c| !c.policy.id.starts_with("pol-pd-")));
    assert!(restaurant.policies.iter().any(|c| c.policy.id.starts_with("pol-xh-")));
    // Ranked: eligible first, and among eligible ones an open window before 常年.
    assert!(restaurant.policies.windows(2).all(|w| w[0].verdict <= w[1].verdict));
    let pos = |id: &str| restaurant.policies.iter().position(|c| c.policy.id == id).unwrap();
    assert!(pos("pol-sh-catering-vouchers") < pos("pol-sh-guarantee-fee-subsidy"));

    // The 个体工商户 store gets the individual business income tax cut, the software company does not.
    let store = p.checkup(&codes[3], today).unwrap();
    let iit = store.policies.iter().find(|c| c.policy.id == "pol-individual-business-iit-half").unwrap();
    assert_eq!(iit.verdict, Verdict::Eligible);
    let software = p.checkup(&codes[0], today).unwrap();
    let iit = software.policies.iter().find(|c| c.policy.id == "pol-individual-business-iit-half").unwrap();
    assert_eq!(iit.verdict, Verdict::NotEligible);
    assert_eq!(iit.conditions[0].line, "市场主体类型：需为个体工商户，当前为有限责任公司 ✗");
    // The software company (高企, 专精特新) has many, with the counts adding up.
    assert!(software.eligible >= 15, "{}", software.eligible);
    assert_eq!((software.eligible + software.near_miss + software.not_eligible) as usize, software.policies.len());
    // A policy published after today is not in the checkup yet.
    assert!(!software.policies.iter().any(|c| c.policy.id == "pol-sh-tech-sme-innovation-fund"));
    let later = p.checkup(&codes[0], day("2026-12-10")).unwrap();
    assert!(later.policies.iter().any(|c| c.policy.id == "pol-sh-tech-sme-innovation-fund"));
}

#[test]
fn opens_and_saves_rank_similar_policies_higher_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let today = day("2026-11-21");
    let (uscc, before) = {
        let app = app(Some(dir.path()), "2026-11-21");
        let uscc = with_demo(&app)[0].clone();
        let p = app.policies();
        let before = p.checkup(&uscc, today).unwrap();
        // The two talent policies tie on verdict, deadline (常年) and benefit (0): catalog order decides,
        // until the owner shows interest in the second one.
        let pos = |id: &str| before.policies.iter().position(|c| c.policy.id == id).unwrap();
        assert!(pos("pol-sh-talent-hukou") < pos("pol-pd-talent-apartment"));
        for id in ["pol-pd-talent-apartment", "pol-pd-talent-apartment", "pol-sh-stable-jobs-return"] {
            p.open(&uscc, id).unwrap();
        }
        p.save(&uscc, "pol-pd-talent-apartment").unwrap();
        p.save(&uscc, "pol-pd-talent-apartment").unwrap();
        assert_eq!(p.saved(&uscc).unwrap(), ["pol-pd-talent-apartment"]);
        (uscc, before)
    };
    let app = app(Some(dir.path()), "2026-11-21");
    let p = app.policies();
    assert_eq!(p.saved(&uscc).unwrap(), ["pol-pd-talent-apartment"], "kept across a restart");
    let after = p.checkup(&uscc, today).unwrap();
    let interest = |list: &zhuanshu::policy::Checkup, id: &str| {
        list.policies.iter().find(|c| c.policy.id == id).map(|c| c.interest).unwrap()
    };
    assert_eq!(interest(&before, "pol-pd-talent-apartment"), 0.0);
    let pos =
        |list: &zhuanshu::policy::Checkup, id: &str| list.policies.iter().position(|c| c.policy.id == id).unwrap();
    assert!(pos(&after, "pol-pd-talent-apartment") < pos(&after, "pol-sh-talent-hukou"));
    // Never opened, but of the same kind (人才): lifted too.
    assert!(interest(&after, "pol-sh-talent-hukou") > 0.0);
    // Half a year later (2^-6) the interest has faded, the save included.
    let faded = p.checkup(&uscc, day("2027-05-20")).unwrap();
    assert!(interest(&faded, "pol-pd-talent-apartment") < interest(&after, "pol-pd-talent-apartment") / 50.0);
    assert!(p.unsave(&uscc, "pol-pd-talent-apartment").unwrap());
    assert!(p.saved(&uscc).unwrap().is_empty());
    assert_eq!(p.open(&uscc, "no-such-policy").unwrap_err().code(), "not_found");
}

#[test]
fn the_home_list_notifications_and_calendar_carry_policy_deadlines_and_newly_eligible_policies() {
    let app = app(None, "2026-11-21");
    let codes = with_demo(&app);
    let restaurant = &codes[1];
    let today = day("2026-11-21");
    let list = app.dynamics().list(restaurant, today).unwrap();
    // 餐饮消费券 closes 2026-12-15: a deadline item, rated by the days left like any deadline.
    let vouchers = list.iter().find(|d| d.id == "ext:policy:pol-sh-catering-vouchers:deadline:2026-12-15").unwrap();
    assert_eq!(
        (vouchers.kind, vouchers.due, vouchers.severity),
        (DynamicKind::Policy, day("2026-12-15"), Severity::Info)
    );
    assert_eq!(vouchers.action, Some(Action::Policy { id: "pol-sh-catering-vouchers".into() }));
    let two_weeks = app.dynamics().list(restaurant, day("2026-12-02")).unwrap();
    let soon = two_weeks.iter().find(|d| d.id.starts_with("ext:policy:pol-sh-catering-vouchers:deadline")).unwrap();
    assert_eq!(soon.severity, Severity::Soon);
    // The rest of the list is the dynamics module's own.
    assert!(list.iter().any(|d| d.kind == DynamicKind::TaxFiling));
    // The notification schedule and the calendar file carry the policy items too (UIDs are unfolded).
    let notes = app.dynamics().notifications(Some(500), None).unwrap();
    let voucher_notes: Vec<_> = notes.iter().filter(|n| n.dynamic_id == vouchers.id && n.uscc == *restaurant).collect();
    assert!(!voucher_notes.is_empty(), "{notes:#?}");
    // Planned today, shown later: each body counts the days from its own day, and only once.
    for n in &voucher_notes {
        let left = (day("2026-12-15") - n.at.date()).num_days();
        let said = if left == 0 { "今天到期".to_owned() } else { format!("还有{left}天到期（2026-12-15）") };
        assert!(n.body.starts_with(&said), "{n:#?}");
        assert!(!n.body.contains("还剩"), "a count of days made on the planning day: {n:#?}");
    }
    let ics = app.dynamics().ics(restaurant).unwrap().replace("\r\n ", "");
    assert!(ics.contains("UID:ext:policy:pol-sh-catering-vouchers:deadline"), "{ics}");
    // The first look took a silent baseline: nothing is "new".
    assert!(!list.iter().any(|d| d.id.ends_with(":new")));
    // The restaurant fills in its total assets: 小型微利企业所得税优惠 is now eligible, and news.
    let mut company = app.dossier().company(restaurant).unwrap().company;
    company.total_assets_fen = Some(80_000_000);
    app.dossier().update_company(restaurant, &company).unwrap();
    let list = app.dynamics().list(restaurant, day("2026-11-22")).unwrap();
    let news = list.iter().find(|d| d.id == "ext:policy:pol-small-profit-cit:new").unwrap();
    assert_eq!(news.title, "新符合政策：小型微利企业所得税优惠");
    assert_eq!(news.severity, Severity::Info);
    // Policy items can be dismissed like any other, and stay hidden.
    app.dynamics().dismiss(restaurant, &news.id).unwrap();
    let after = app.dynamics().list(restaurant, day("2026-11-22")).unwrap();
    assert!(after.iter().all(|d| d.id != news.id), "dismissed policy items are hidden");
    assert!(app.dynamics().dismiss(restaurant, "ext:").is_err());
}

#[test]
fn a_broken_catalog_is_refused_with_every_problem_and_its_path() {
    let mut doc: serde_json::Value =
        serde_json::from_str(include_str!("../core/content/policies/policies.json")).unwrap();
    let ok = parse_catalog(&doc.to_string()).unwrap();
    assert!(ok.len() >= 60);
    assert!(ok.policies().all(|p| p.regions.is_empty() || p.regions.iter().all(|r| r.starts_with("31"))));
    doc["policies"][3]["eligibility"] = serde_json::json!({"all": [
        {"field": "employees", "op": "gte", "value": 1},
        {"field": "employees", "op": "in", "value": "many"}
    ]});
    doc["policies"][5]["window"] = serde_json::json!({"opens": "2026-12-01", "closes": "2026-11-30"});
    doc["policies"][7]["id"] = doc["policies"][0]["id"].clone();
    let err = parse_catalog(&doc.to_string()).unwrap_err();
    let paths: Vec<&str> = err.issues().iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["policies[3].eligibility.all[1].op", "policies[5].window.closes", "policies[7].id"]);
    assert!(err.user_message().starts_with("发现3处问题"), "{}", err.user_message());
}

#[test]
fn every_faq_link_of_the_catalog_opens_in_the_assistant() {
    let app = app(None, "2026-11-21");
    let policies = app.policies().list().unwrap();
    let linked = policies.iter().filter(|p| !p.faq.is_empty()).count();
    assert!(linked >= 50, "{linked}");
    for p in &policies {
        for id in &p.faq {
            assert!(app.assistant().entry(id).is_ok(), "{}: {id}", p.id);
        }
    }
}
