//! How the core's values and errors cross into JavaScript, shared by the web app's two wasm modules
//! (bindings/wasm, the app; bindings/wasm-search, the search engine loaded after the first screen).
//!
//! Values cross as plain JS objects in the same shape as the core's JSON (snake_case fields, dates as
//! `YYYY-MM-DD` strings, `null` for absent values). Failures are thrown as `{ code, message, userMessage,
//! issues }` objects, never as panics: wasm32 cannot unwind, so the core is written not to panic on any
//! input and every call returns a `Result`. This crate exports nothing to JavaScript itself, so each module
//! carries only its own API.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use zhuanshu::{Error, FieldIssue};

/// The thrown error object.
#[derive(Serialize)]
// Its TypeScript declaration is `CORE_ERROR_TS` below: tsify cannot derive through the borrowed fields.
#[serde(rename_all = "camelCase")]
struct JsError<'a> {
    code: &'a str,
    message: String,
    user_message: String,
    issues: &'a [FieldIssue],
}

/// The thrown error's TypeScript shape, in the generated .d.ts of both modules.
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const CORE_ERROR_TS: &str = "/** What every failing call throws: `code` names the kind (`invalid_input`, `wrong_pin` …), \
`userMessage` is Chinese and ready to show, `message` is English for developers, `issues` locate invalid fields. */\n\
export interface CoreError { code: string; message: string; userMessage: string; issues: FieldIssue[]; }";

pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error(Error::Internal(format!("cannot convert result: {e}"))))
}

pub fn error(e: Error) -> JsValue {
    let body = JsError { code: e.code(), message: e.to_string(), user_message: e.user_message(), issues: e.issues() };
    body.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or_else(|_| JsValue::from_str(&e.to_string()))
}

/// Reads a JS value into a core type; a wrong shape is an `invalid_input` error naming the argument.
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| error(Error::Invalid(vec![FieldIssue::new(what, "数据格式不正确", format!("{what}: {e}"))])))
}

pub fn run<T: Serialize>(result: zhuanshu::Result<T>) -> Result<JsValue, JsValue> {
    match result {
        Ok(v) => to_js(&v),
        Err(e) => Err(error(e)),
    }
}
