//! The feed's [`Transport`] in the browser: `fetch`, read as a stream so a server sending endless data
//! costs at most `cap + 1` bytes before the read is cancelled.
//!
//! - `cache: "no-store"`: the core keeps the ETag and sends `If-None-Match` itself, and must see the 304
//!   (the browser's HTTP cache would turn it back into a 200 with the cached body).
//! - A body that breaks off (fewer bytes than its Content-Length, a reset connection) makes the stream's
//!   `read()` reject: the response is marked `truncated`.
//! - The whole request, body included, is aborted after [`TIMEOUT_MS`], like the native client's bound.
//! - Cross-origin feeds need CORS from the server: `If-None-Match` is not a simple header (a preflight),
//!   and the `ETag` header must be exposed. `zhuanshu feed serve` sends both.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, ReadableStreamDefaultReader, ReadableStreamReadResult, RequestCache, RequestInit};
use zhuanshu::Error;
use zhuanshu::feed::transport::{Response, Transport};

/// The longest a whole request may take (the native client's overall bound is 300 s).
const TIMEOUT_MS: u32 = 120_000;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, the same in a page and in a worker.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;

    /// `AbortSignal.timeout(ms)`; older web views lack it (then the request has no overall bound).
    #[wasm_bindgen(catch, js_namespace = AbortSignal, js_name = timeout)]
    fn abort_after(ms: u32) -> Result<AbortSignal, JsValue>;
}

/// What a rejected promise says, for the developer's message.
fn reason(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

fn network(what: &str, value: JsValue) -> Error {
    Error::Network(format!("{what}: {}", reason(&value)))
}

/// `fetch` as the feed's transport.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fetch;

impl Transport for Fetch {
    async fn get(&self, url: &str, etag: Option<&str>, cap: u64) -> zhuanshu::Result<Response> {
        let headers = Headers::new().map_err(|e| network("Headers", e))?;
        if let Some(tag) = etag {
            headers.set("If-None-Match", tag).map_err(|e| network("If-None-Match", e))?;
        }
        let init = RequestInit::new();
        init.set_method("GET");
        init.set_cache(RequestCache::NoStore);
        init.set_headers(&headers);
        init.set_signal(abort_after(TIMEOUT_MS).ok().as_ref());
        let response: web_sys::Response = JsFuture::from(global_fetch(url, &init))
            .await
            .map_err(|e| network(url, e))?
            .dyn_into()
            .map_err(|_| Error::Network(format!("{url}: fetch did not return a Response")))?;
        let status = response.status();
        let etag = response.headers().get("ETag").ok().flatten();
        let mut body = Vec::new();
        let mut truncated = false;
        if let Some(stream) = response.body() {
            let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
            let limit = usize::try_from(cap.saturating_add(1)).unwrap_or(usize::MAX);
            loop {
                let result: ReadableStreamReadResult = match JsFuture::from(reader.read()).await {
                    Ok(r) => r.unchecked_into(),
                    Err(_) => {
                        truncated = true;
                        break;
                    }
                };
                if result.get_done().unwrap_or(true) {
                    break;
                }
                let chunk: Uint8Array = result.get_value().unchecked_into();
                let room = limit - body.len();
                let take = (chunk.length() as usize).min(room);
                let start = body.len();
                body.resize(start + take, 0);
                chunk.subarray(0, take as u32).copy_to(&mut body[start..]);
                if body.len() >= limit {
                    // Past the cap: stop the download (the promise settles on its own; nothing awaits it).
                    let _ = reader.cancel();
                    break;
                }
            }
        }
        Ok(Response { status, etag, body, truncated })
    }
}
