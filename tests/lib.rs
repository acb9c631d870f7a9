//! The Rust replay of the golden scenarios in `tests/golden/`. Kotlin (android/model) and the browser
//! (web/tests) replay the same files through their own bindings and must reach the same results.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use zhuanshu::dossier::{Company, LicenceData, MaterialData, RecordData, RecordStatus};
use zhuanshu::{Clock, Config, Error, Zhuanshu};

pub fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("golden")
}

pub fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(golden_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn field<T: serde::de::DeserializeOwned>(step: &Value, key: &str) -> T {
    serde_json::from_value(step[key].clone()).unwrap_or_else(|e| panic!("step field {key}: {e}\n{step}"))
}

/// Runs one step against the API; returns Err with the core error when the step fails.
fn run_step(app: &Zhuanshu, step: &Value) -> Result<(), Error> {
    let dossier = app.dossier();
    let uscc = || step["uscc"].as_str().unwrap_or_default().to_owned();
    match step["op"].as_str().unwrap_or_default() {
        "add_company" => dossier.add_company(&field::<Company>(step, "company")).map(drop),
        "use_company" => dossier.use_company(&uscc()).map(drop),
        "add_licence" => dossier.add_licence(&uscc(), &field::<LicenceData>(step, "licence")).map(drop),
        "add_material" => dossier.add_material(&uscc(), &field::<MaterialData>(step, "material")).map(drop),
        "add_record" => dossier.add_record(&uscc(), &field::<RecordData>(step, "record")).map(drop),
        "set_record_status" => {
            let index: usize = field(step, "record_index");
            let id = dossier.records(&uscc())?[index].id;
            dossier.set_record_status(id, field::<RecordStatus>(step, "status"), &field::<String>(step, "at")).map(drop)
        }
        other => panic!("unknown op {other}"),
    }
}

/// What a replay observed, in the shape of the scenario's `expect`.
pub struct Outcome {
    pub current: Value,
    pub companies: Value,
    pub exports: Value,
    /// Per company, the dynamics list on the scenario's day: id, kind, severity, due, days and workdays left.
    pub dynamics: Value,
}

/// Replays a scenario, asserting each step's success or expected error along the way.
pub fn replay(scenario: &Value) -> Outcome {
    let now = serde_json::from_value(scenario["now"].clone()).expect("now");
    let app = Zhuanshu::open(Config { data_dir: None, clock: Clock::Fixed(now), ..Default::default() }).expect("open");
    for (i, step) in scenario["steps"].as_array().expect("steps").iter().enumerate() {
        let result = run_step(&app, step);
        match (&step["expect_error"], result) {
            (Value::Null, Ok(())) => {}
            (Value::Null, Err(e)) => panic!("step {i} failed: {e}"),
            (expected, Ok(())) => panic!("step {i} should fail with {expected}"),
            (expected, Err(e)) => {
                assert_eq!(e.code(), expected["code"], "step {i}: {e}");
                let paths: Vec<&str> = e.issues().iter().map(|x| x.path.as_str()).collect();
                assert_eq!(json!(paths), expected["paths"], "step {i}");
                assert!(!e.user_message().is_empty());
            }
        }
    }
    let dossier = app.dossier();
    let mut companies = Vec::new();
    let mut exports = serde_json::Map::new();
    let mut dynamics = serde_json::Map::new();
    for c in dossier.companies().expect("companies") {
        let uscc = c.company.uscc.clone();
        let licences = dossier.licences(&uscc).expect("licences");
        let records = dossier.records(&uscc).expect("records");
        companies.push(json!({
            "uscc": uscc,
            "name": c.company.name,
            "current": c.current,
            "size_class": c.size.class,
            "stage": c.stage,
            "age_years": c.age_years,
            "district_name": c.district_name,
            "industry_name": c.industry_name,
            "licences": licences.iter().map(|l| l.days_left).collect::<Vec<_>>(),
            "materials": dossier.materials(&uscc).expect("materials").len(),
            "records": records.len(),
            "last_status": records.iter().map(|r| r.status()).collect::<Vec<_>>(),
        }));
        let text = dossier.export_json(&uscc).expect("export");
        let items = app.dynamics().list(&uscc, app.clock().today()).expect("dynamics");
        let items: Vec<Value> = items
            .iter()
            .map(|d| {
                json!({"id": d.id, "kind": d.kind, "severity": d.severity, "due": d.due,
                       "days_left": d.days_left, "workdays_left": d.workdays_left})
            })
            .collect();
        dynamics.insert(uscc.clone(), Value::Array(items));
        exports.insert(uscc, serde_json::from_str(&text).expect("export is JSON"));
    }
    Outcome {
        current: json!(dossier.current().expect("current").company.uscc),
        companies: Value::Array(companies),
        exports: Value::Object(exports),
        dynamics: Value::Object(dynamics),
    }
}

/// The Rust replay of `assistant.json`: for each search the top ids and the top hit's highlights; for
/// each suggestion prefix the ids.
pub fn replay_assistant(scenario: &Value) -> Value {
    let now = serde_json::from_value(scenario["now"].clone()).expect("now");
    let app = Zhuanshu::open(Config { data_dir: None, clock: Clock::Fixed(now), ..Default::default() }).expect("open");
    let limit = scenario["limit"].as_u64().expect("limit") as u32;
    let a = app.assistant();
    let searches: Vec<Value> = scenario["searches"]
        .as_array()
        .expect("searches")
        .iter()
        .map(|q| {
            let q = q.as_str().expect("query");
            let hits = a.search(q, limit).expect("search");
            json!({
                "query": q,
                "ids": hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
                "question_highlights": hits.first().map(|h| json!(h.question_highlights)).unwrap_or(Value::Null),
            })
        })
        .collect();
    let suggests: Vec<Value> = scenario["suggests"]
        .as_array()
        .expect("suggests")
        .iter()
        .map(|p| {
            let p = p.as_str().expect("prefix");
            json!({ "prefix": p, "ids": a.suggest(p).expect("suggest").iter().map(|s| s.id.clone()).collect::<Vec<_>>() })
        })
        .collect();
    json!({ "searches": searches, "suggests": suggests })
}

/// Every file under `dir`, recursively (what an attacker copying the app's data would get).
pub fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(all_files(&path)) } else { out.push(path) }
    }
    out
}

/// Whether `needle` occurs in `haystack` (a secret left in a file).
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
