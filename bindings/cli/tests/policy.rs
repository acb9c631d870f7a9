//! `zhuanshu policy …` as a person or a script uses it: real process, real data directory.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn zhuanshu(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhuanshu"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--today", "2026-11-21"])
        .args(args)
        .output()
        .expect("run zhuanshu")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn list_and_show_work_without_a_company() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let list = json(&zhuanshu(d, &["--json", "policy", "list"]));
    let list = list.as_array().unwrap();
    assert!(list.len() >= 60);
    assert!(list.iter().all(|p| p["id"].is_string() && p["eligibility"].is_object()));
    let text = stdout(&zhuanshu(d, &["policy", "list"]));
    assert!(text.starts_with(&format!("共{}条政策", list.len())), "{text}");
    assert!(text.contains("pol-sh-catering-vouchers"));

    let show = zhuanshu(d, &["policy", "show", "pol-sh-catering-vouchers"]);
    assert!(show.status.success(), "{}", stderr(&show));
    let text = stdout(&show);
    assert!(text.contains("申报中，2026-12-15截止（还剩24天）"), "{text}");
    assert!(text.contains("适用地区：上海市"), "{text}");

    let missing = zhuanshu(d, &["policy", "show", "pol-nothing"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("找不到政策：pol-nothing"), "{}", stderr(&missing));
}

#[test]
fn the_checkup_and_the_explanation_of_one_policy() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(zhuanshu(d, &["demo"]).status.success());
    // The first demo company (浦东, software, 高新技术企业) is current.
    let checkup = json(&zhuanshu(d, &["--json", "policy", "checkup"]));
    let eligible = checkup["eligible"].as_u64().unwrap();
    assert!(eligible >= 15, "{eligible}");
    let policies = checkup["policies"].as_array().unwrap();
    assert_eq!(policies[0]["verdict"], "eligible");
    assert!(policies.iter().all(|p| p["policy"]["regions"].as_array().unwrap().iter().all(|r| {
        let r = r.as_str().unwrap();
        "310115".starts_with(r)
    })));
    let text = stdout(&zhuanshu(d, &["policy", "checkup"]));
    assert!(text.starts_with("政策体检：上海云栈信息科技有限公司（2026-11-21）"), "{text}");
    assert!(text.contains(&format!("符合条件{eligible}项")), "{text}");
    assert!(text.contains("【符合条件】") && text.contains("无需申请"), "{text}");
    assert!(text.contains("加 --all 查看"), "{text}");
    let all = stdout(&zhuanshu(d, &["policy", "checkup", "--all"]));
    assert!(all.contains("【暂不符合】"), "{all}");

    // The restaurant: a near miss that names the field to fill in.
    let restaurant = "91310104MA1FR6QW36";
    let show = json(&zhuanshu(d, &["--json", "policy", "show", "pol-small-profit-cit", "--company", restaurant]));
    assert_eq!(show["verdict"], "near_miss");
    assert_eq!(show["missing"][0], "在档案中填写资产总额");
    let text = stdout(&zhuanshu(d, &["policy", "show", "pol-small-profit-cit", "--company", restaurant]));
    assert!(text.contains("上海拾味小馆餐饮有限公司：差一点"), "{text}");
    assert!(text.contains("  企业规模：微型 ✓"), "{text}");
    assert!(text.contains("  资产总额：需不超过5000万元，档案未填写资产总额 ？"), "{text}");
    assert!(text.contains("还需：在档案中填写资产总额"), "{text}");
}

#[test]
fn open_save_and_unsave_record_interest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(zhuanshu(d, &["demo"]).status.success());
    let opened = json(&zhuanshu(d, &["--json", "policy", "open", "pol-sh-talent-hukou"]));
    assert_eq!(opened["verdict"], "eligible");
    assert!(opened["interest"].as_f64().unwrap() > 1.0, "the open itself counts");
    let saved = json(&zhuanshu(d, &["--json", "policy", "save", "pol-sh-talent-hukou"]));
    assert_eq!(saved, serde_json::json!(["pol-sh-talent-hukou"]));
    assert!(stdout(&zhuanshu(d, &["policy", "save", "pol-sh-talent-hukou"])).contains("已收藏："));
    let checkup = json(&zhuanshu(d, &["--json", "policy", "checkup"]));
    let interest = |id: &str| {
        checkup["policies"].as_array().unwrap().iter().find(|p| p["policy"]["id"] == id).unwrap()["interest"]
            .as_f64()
            .unwrap()
    };
    assert!(interest("pol-sh-talent-hukou") > interest("pol-pd-talent-apartment"));
    assert!(interest("pol-pd-talent-apartment") > 0.0, "same kind");
    assert!(stdout(&zhuanshu(d, &["policy", "unsave", "pol-sh-talent-hukou"])).contains("已取消收藏"));
    assert!(stdout(&zhuanshu(d, &["policy", "unsave", "pol-sh-talent-hukou"])).contains("未收藏过"));
    let bad = zhuanshu(d, &["--json", "policy", "save", "pol-nothing"]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(json_err(&bad)["code"], "not_found");
}

fn json_err(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}
