//! The search engine of the assistant (专属客服) and the guide, as the web app's second wasm module.
//!
//! The engine (tantivy, jieba, pinyin, traditional characters) is more than half of the core's size, and
//! the first screen needs none of it; nor the embedded FAQ knowledge base, which is here too, nor the
//! verification of seal packages (a ZIP reader). The app
//! module (bindings/wasm) says which knowledge base is in force (`assistant().entries()`: a stored one,
//! or `null` for the embedded one), what else to index (`guide().searchEntries()`) and what the owner is
//! likely to ask (`assistant().topics(uscc)`); this module indexes and answers with the same core code
//! as the native apps (only the segmentation dictionary is smaller: see `xtask/src/web.rs`).

use wasm_bindgen::prelude::*;
use zhuanshu::Error;
use zhuanshu::assistant::{FaqEntry, FaqIndex, SUGGESTIONS, Topic, analyzer, kb, predicted};
use zhuanshu::error::Entity;
use zhuanshu_wasm_glue::{error, from_js, run, to_js};

/// Verifies a package signed with an enterprise seal (the bytes of its ZIP file) against the trusted
/// seals (the app module's `vault().trustedSeals(given)`); every problem is in the report. It lives here,
/// loaded after the first screen, because its ZIP reader is no part of that screen.
#[wasm_bindgen(js_name = verifyPackage, unchecked_return_type = "PackageReport")]
pub fn verify_package(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "TrustedSeal[]")] trusted: JsValue,
) -> Result<JsValue, JsValue> {
    let trusted: Vec<zhuanshu::vault::seal::TrustedSeal> = from_js(trusted, "trusted")?;
    run(zhuanshu::vault::seal::verify_package_from(std::io::Cursor::new(bytes), &trusted))
}

/// Loads jieba's segmentation dictionary (the compact form `cargo xtask` writes); call it once, before
/// the first `SearchIndex.build`.
#[wasm_bindgen(js_name = loadDictionary)]
pub fn load_dictionary(bytes: &[u8]) -> Result<(), JsValue> {
    analyzer::load_dictionary(bytes).map_err(error)
}

/// An index over one set of entries (the FAQ knowledge base, or the guide's services).
#[wasm_bindgen]
pub struct SearchIndex {
    index: FaqIndex,
}

#[wasm_bindgen]
impl SearchIndex {
    /// Indexes `entries` (an array of FAQ entries as the app module returns them).
    pub fn build(
        #[wasm_bindgen(unchecked_param_type = "FaqEntry[]")] entries: JsValue,
    ) -> Result<SearchIndex, JsValue> {
        let entries: Vec<FaqEntry> = from_js(entries, "entries")?;
        FaqIndex::build(entries).map(|index| SearchIndex { index }).map_err(error)
    }

    /// The FAQ index: of `stored` (the app module's `assistant().entries()`), or of the embedded knowledge
    /// base when that is `null`.
    pub fn faq(
        #[wasm_bindgen(unchecked_param_type = "FaqEntry[] | null")] stored: JsValue,
    ) -> Result<SearchIndex, JsValue> {
        let stored: Option<Vec<FaqEntry>> = from_js(stored, "entries")?;
        let entries = match stored {
            Some(entries) => entries,
            None => kb::embedded().map_err(error)?,
        };
        FaqIndex::build(entries).map(|index| SearchIndex { index }).map_err(error)
    }

    /// The best `limit` answers for `query`, best first, with highlights.
    #[wasm_bindgen(unchecked_return_type = "Hit[]")]
    pub fn search(&self, query: &str, limit: u32) -> Result<JsValue, JsValue> {
        run(self.index.search(query, limit as usize))
    }

    /// Up to ten questions for what has been typed so far.
    #[wasm_bindgen(unchecked_return_type = "Suggestion[]")]
    pub fn suggest(&self, prefix: &str) -> Result<JsValue, JsValue> {
        to_js(&self.index.suggest(prefix, SUGGESTIONS))
    }

    #[wasm_bindgen(unchecked_return_type = "FaqEntry")]
    pub fn entry(&self, id: &str) -> Result<JsValue, JsValue> {
        run(self.index.entry(id).ok_or_else(|| Error::NotFound { what: Entity::Faq, key: id.to_owned() }))
    }

    /// Questions related to entry `id`: the ones its authors linked, then the closest by content.
    #[wasm_bindgen(unchecked_return_type = "Suggestion[]")]
    pub fn related(&self, id: &str, limit: u32) -> Result<JsValue, JsValue> {
        run(self.index.related(id, limit as usize))
    }

    /// The predicted questions for `topics` (from the app module's `assistant().topics(uscc)`).
    #[wasm_bindgen(unchecked_return_type = "Prediction[]")]
    pub fn predicted(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Topic[]")] topics: JsValue,
    ) -> Result<JsValue, JsValue> {
        let topics: Vec<Topic> = from_js(topics, "topics")?;
        to_js(&predicted::resolve(&topics, |query, n| self.index.pairs(query, n)))
    }

    /// How many entries the index holds.
    pub fn len(&self) -> u32 {
        self.index.entries().len() as u32
    }

    #[wasm_bindgen(js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.index.entries().is_empty()
    }
}
