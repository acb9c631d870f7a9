//! Replays every golden scenario natively. `UPDATE_GOLDEN=1` rewrites the expected exports after a
//! deliberate format change (review the diff!); otherwise any difference fails.

use zhuanshu_scenarios::{golden_dir, load, replay, replay_assistant};

#[test]
fn dossier_scenario() {
    let scenario = load("dossier.json");
    let outcome = replay(&scenario);
    let expect = &scenario["expect"];
    assert_eq!(outcome.current, expect["current"]);
    assert_eq!(outcome.companies, expect["companies"]);
    let exports_file = expect["exports"].as_str().expect("exports file name");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&outcome.exports).unwrap() + "\n";
        std::fs::write(golden_dir().join(exports_file), text).unwrap();
    }
    assert_eq!(outcome.exports, load(exports_file));
    let dynamics_file = expect["dynamics"].as_str().expect("dynamics file name");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&outcome.dynamics).unwrap() + "\n";
        std::fs::write(golden_dir().join(dynamics_file), text).unwrap();
    }
    assert_eq!(outcome.dynamics, load(dynamics_file));
}

#[test]
fn assistant_scenario() {
    let outcome = replay_assistant(&load("assistant.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&outcome).unwrap() + "\n";
        std::fs::write(golden_dir().join("assistant.expected.json"), text).unwrap();
    }
    assert_eq!(outcome, load("assistant.expected.json"));
}
