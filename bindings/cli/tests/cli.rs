//! The `zhuanshu` command as a person or a script uses it: real process, real data directory.

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
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

const ADD: &[&str] = &[
    "company",
    "add",
    "--uscc",
    "91310104ma1fl8xk2x",
    "--name",
    "上海𠈌𠀌餐饮管理有限公司",
    "--type",
    "有限责任公司",
    "--legal-rep",
    "林𠈌",
    "--capital",
    "500,000",
    "--established",
    "2021-03-15",
    "--address",
    "上海市徐汇区漕溪北路88号",
    "--district",
    "310104",
    "--industry",
    "H62",
    "--employees",
    "12",
    "--revenue",
    "24000000",
    "--taxpayer",
    "small-scale",
    "--credit",
    "M",
    "--tag",
    "小型微利企业",
];

#[test]
fn uscc_check_prints_the_code_or_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let ok = zhuanshu(dir.path(), &["uscc", "check", "91310104ma1fl8xk2x"]);
    assert!(ok.status.success());
    assert_eq!(stdout(&ok).trim(), "91310104MA1FL8XK2X");
    let bad = zhuanshu(dir.path(), &["uscc", "check", "91310104MA1FL8XK2Y"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("第18位应为“X”"), "{}", stderr(&bad));
}

#[test]
fn a_company_lives_through_add_edit_licence_record_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let added = zhuanshu(d, ADD);
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stdout(&added).contains("上海𠈌𠀌餐饮管理有限公司"));
    assert!(stdout(&added).contains("企业规模：小型"), "{}", stdout(&added));

    let list = json(&zhuanshu(d, &["--json", "company", "list"]));
    assert_eq!(list[0]["company"]["name"], "上海𠈌𠀌餐饮管理有限公司", "rare characters survive SQLite and the CLI");
    assert_eq!(list[0]["company"]["registered_capital_fen"], 50_000_000);
    assert_eq!(list[0]["current"], true);

    let edit = zhuanshu(
        d,
        &["--json", "company", "edit", "91310104MA1FL8XK2X", "--employees", "120", "--revenue", "30000000"],
    );
    assert_eq!(json(&edit)["size"]["class"], "medium");

    let lic = zhuanshu(
        d,
        &[
            "--json",
            "licence",
            "add",
            "--kind",
            "food_business",
            "--number",
            "JY23101040056789",
            "--issuer",
            "上海市徐汇区市场监督管理局",
            "--issued",
            "2022-01-06",
            "--valid-until",
            "2027-01-05",
        ],
    );
    assert_eq!(json(&lic)["days_left"], 45);
    let long_term = zhuanshu(
        d,
        &[
            "licence",
            "add",
            "--kind",
            "food_business",
            "--number",
            "X",
            "--issuer",
            "Y",
            "--issued",
            "2022-01-06",
            "--valid-until",
            "长期",
        ],
    );
    assert_eq!(long_term.status.code(), Some(1));
    assert!(stderr(&long_term).contains("不是长期有效的证照"), "{}", stderr(&long_term));

    let rec = json(&zhuanshu(
        d,
        &[
            "--json",
            "record",
            "add",
            "--item-code",
            "SH-1",
            "--item-name",
            "食品经营许可延续",
            "--channel",
            "网上办理",
            "--submitted",
            "2026-11-02",
        ],
    ));
    let id = rec["id"].to_string();
    let status = zhuanshu(d, &["record", "status", &id, "已受理", "--at", "2026-11-03T10:15"]);
    assert!(status.status.success(), "{}", stderr(&status));
    assert!(stdout(&status).contains("已受理"));
    let back = zhuanshu(d, &["record", "status", &id, "submitted"]);
    assert_eq!(back.status.code(), Some(1), "已受理 cannot go back to 已提交");

    let file = d.join("export.json");
    assert!(zhuanshu(d, &["export", "--out", file.to_str().unwrap()]).status.success());
    let other = tempfile::tempdir().unwrap();
    let imported = zhuanshu(other.path(), &["import", file.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let again = zhuanshu(other.path(), &["export"]);
    assert_eq!(stdout(&again).trim(), std::fs::read_to_string(&file).unwrap().trim(), "lossless round trip");
}

#[test]
fn a_bad_import_names_each_problem_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(zhuanshu(d, &["demo"]).status.success());
    let doc = stdout(&zhuanshu(d, &["export"]));
    let mut v: Value = serde_json::from_str(&doc).unwrap();
    v["company"]["uscc"] = Value::from("91310104MA1FL8XK2X");
    v["company"]["industry"] = Value::from("C99");
    v["licences"][1]["valid_until"] = Value::from("1999-01-01");
    let file = d.join("bad.json");
    std::fs::write(&file, v.to_string()).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let out = zhuanshu(fresh.path(), &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("company.industry"), "{err}");
    assert!(err.contains("licences[1].valid_until"), "{err}");
    let as_json = json(&zhuanshu(fresh.path(), &["--json", "import", file.to_str().unwrap()]));
    assert_eq!(as_json["code"], "invalid_input");
    assert_eq!(as_json["issues"].as_array().unwrap().len(), 2);
    let list = json(&zhuanshu(fresh.path(), &["--json", "company", "list"]));
    assert_eq!(list, Value::Array(vec![]), "nothing was imported");
}

#[test]
fn missing_flags_and_unknown_choices_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = zhuanshu(dir.path(), &["company", "add", "--uscc", "91310104MA1FL8XK2X"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("缺少参数 --name"), "{}", stderr(&out));
    let out = zhuanshu(
        dir.path(),
        &["record", "add", "--item-code", "a", "--item-name", "b", "--channel", "fax", "--submitted", "2026-01-01"],
    );
    assert_eq!(out.status.code(), Some(2), "usage error");
    assert!(stderr(&out).contains("online（网上办理）"), "{}", stderr(&out));
    let out = zhuanshu(dir.path(), &["company", "show"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("还没有选择企业"));
}

#[test]
fn tax_deadline_prints_only_the_date() {
    let dir = tempfile::tempdir().unwrap();
    for (month, date) in [("2025-10", "2025-10-27"), ("2024-02", "2024-02-23"), ("2025-06", "2025-06-16")] {
        let o = zhuanshu(dir.path(), &["calendar", "tax-deadline", month]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o), format!("{date}\n"));
    }
    let bad = zhuanshu(dir.path(), &["calendar", "tax-deadline", "2025-13"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("不是有效的月份"), "{}", stderr(&bad));
    let day = zhuanshu(dir.path(), &["calendar", "workday", "2026-09-20"]);
    assert!(stdout(&day).contains("调休上班"), "{}", stdout(&day));
}

#[test]
fn dynamics_list_ics_and_reminders() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(zhuanshu(d, &["demo"]).status.success());
    let items = json(&zhuanshu(d, &["--json", "dynamics"]));
    let items = items.as_array().unwrap();
    assert!(!items.is_empty());
    let severities: Vec<&str> = items.iter().map(|i| i["severity"].as_str().unwrap()).collect();
    let order = ["overdue", "urgent", "soon", "info"];
    let ranks: Vec<usize> = severities.iter().map(|s| order.iter().position(|o| o == s).unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "sorted by severity: {severities:?}");

    let ics = d.join("deadlines.ics");
    let human = zhuanshu(d, &["dynamics", "--ics", ics.to_str().unwrap()]);
    assert!(human.status.success());
    assert!(std::fs::read_to_string(&ics).unwrap().contains("BEGIN:VEVENT"));

    let added = json(&zhuanshu(
        d,
        &["--json", "remind", "add", "--title", "交房租", "--due", "2026-12-01", "--repeat", "monthly"],
    ));
    assert_eq!(added["data"]["repeat"], "monthly");
    let listed = json(&zhuanshu(d, &["--json", "dynamics"]));
    let rent = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"].as_str().unwrap().contains("交房租"))
        .expect("custom item");
    let id = rent["id"].as_str().unwrap().to_owned();
    assert!(zhuanshu(d, &["remind", "snooze", &id, "--until", "2026-11-30"]).status.success());
    let after = json(&zhuanshu(d, &["--json", "dynamics"]));
    assert!(after.as_array().unwrap().iter().all(|i| i["id"] != id.as_str()), "snoozed items are hidden");
    let first = after[0]["id"].as_str().unwrap().to_owned();
    assert!(zhuanshu(d, &["remind", "done", &first]).status.success());
    let done = json(&zhuanshu(d, &["--json", "dynamics"]));
    assert!(done.as_array().unwrap().iter().all(|i| i["id"] != first.as_str()));
}

#[test]
fn guide_asks_in_the_terminal_and_lists_materials() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(zhuanshu(d, &["demo"]).status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhuanshu"))
        .arg("--data-dir")
        .arg(d)
        .args(["--today", "2026-11-21", "--json", "guide", "ask", "SH-SCJG-0002"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // 经营场所: 1 = 租赁; a wrong answer first, then 否, 是.
    child.stdin.take().unwrap().write_all("1\n9\n否\n1\n".as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("经营场所属于哪种情况"), "questions go to the terminal");
    let plan = json(&o);
    let kinds: Vec<&str> =
        plan["items"][0]["materials"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"lease_contract") && kinds.contains(&"power_of_attorney"), "{kinds:?}");

    let by_json = zhuanshu(
        d,
        &["--json", "guide", "materials", "SH-SCJG-0002", "--answers", r#"{"q1":"own","q2":"no","q3":"no"}"#],
    );
    let kinds: Vec<String> = json(&by_json)["items"][0]["materials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(kinds.contains(&"property_certificate".to_owned()) && !kinds.contains(&"lease_contract".to_owned()));
    let unanswered = zhuanshu(d, &["guide", "materials", "SH-SCJG-0002"]);
    assert_eq!(unanswered.status.code(), Some(1));
    assert!(stderr(&unanswered).contains("请先回答"), "{}", stderr(&unanswered));

    let form = json(&zhuanshu(d, &["--json", "guide", "prefill", "SH-SCJG-0102"]));
    assert!(form["fields"].as_array().unwrap().iter().any(|f| f["status"] == "filled"));
}
