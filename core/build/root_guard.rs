// The distribution build's guard on the pinned feed root. Included by core/build.rs (which has no crate
// around it) and by the core's tests, so the rule that stops a release from shipping the demo key is
// itself tested.

/// The public half of the demo publishing key (`feed::publish::demo_key`). Its seed is a public
/// sentence: anyone can sign content and rotate the root with it. A test in the core checks that this
/// constant is that key.
pub const DEMO_PUBLIC_KEY_HEX: &str = "96a81d334fd1fb7ffdf19c6f453753a4e95b160bdb7efdba62f4a3e0299a02ff";

/// Why `root_json` may not be pinned in a build made for distribution, if it may not.
pub fn distribution_root_problem(root_json: &[u8]) -> Option<String> {
    let text = match std::str::from_utf8(root_json) {
        Ok(text) => text,
        Err(_) => return Some("the root is not UTF-8 JSON".to_owned()),
    };
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return Some(format!("the root is not JSON: {e}")),
    };
    let signed = &value["signed"];
    if signed["_type"] != "root" {
        return Some("the file is not a feed root (signed._type is not \"root\")".to_owned());
    }
    let Some(keys) = signed["keys"].as_object().filter(|k| !k.is_empty()) else {
        return Some("the root lists no keys".to_owned());
    };
    for key in keys.values() {
        let public = key["public"].as_str().unwrap_or_default().to_ascii_lowercase();
        if public == DEMO_PUBLIC_KEY_HEX {
            return Some(
                "the root trusts the public demo key, with which anyone can sign content: pin the publisher's \
                 own root (zhuanshu feed keygen + feed build on the publisher's offline machine)"
                    .to_owned(),
            );
        }
    }
    None
}
