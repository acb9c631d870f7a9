//! The assistant (专属客服): on-device search over the FAQ knowledge base, in simplified or traditional
//! characters, pinyin or initials, with synonyms and typos forgiven.
//!
//! The index is built from the knowledge base on first use and kept in memory; importing a knowledge
//! base replaces the stored one in one transaction and drops the index, which the next call rebuilds.
//!
//! The search engine (analyzer, index) and the embedded knowledge base are the `search` feature. Without
//! it the service still knows whether a stored knowledge base is in force ([`Assistant::stored_entries`])
//! and what to predict ([`Assistant::topics`]): the web app hands both to its second wasm module, which
//! holds the engine and the embedded knowledge base.

#[cfg(feature = "search")]
pub mod analyzer;
#[cfg(feature = "search")]
pub mod eval;
#[cfg(feature = "search")]
pub mod index;
pub mod kb;
pub mod predicted;
#[cfg(feature = "search")]
pub mod synonyms;
#[cfg(feature = "search")]
pub mod t2s;

#[cfg(feature = "search")]
use std::sync::Arc;

use rusqlite::{Connection, params};
use serde::Serialize;

#[cfg(feature = "search")]
pub use index::{FaqIndex, Hit, Span, Suggestion};
pub use kb::{FaqEntry, KbStats};
pub use predicted::Topic;

use crate::context::Context;
use crate::error::{Error, Result};

/// Suggestions shown while typing.
pub const SUGGESTIONS: usize = 10;

/// A question the app offers before the owner asks, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Prediction {
    pub id: String,
    pub question: String,
    /// Why this question now, in Chinese (e.g. "食品经营许可证还有45天到期").
    pub reason: String,
}

fn stored_entries(conn: &Connection) -> Result<Option<Vec<FaqEntry>>> {
    let mut stmt = conn.prepare("SELECT json FROM kb_entries ORDER BY position")?;
    let rows: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if rows.is_empty() {
        return Ok(None);
    }
    rows.iter()
        .map(|j| serde_json::from_slice(j.as_bytes()).map_err(|e| Error::Internal(format!("stored FAQ entry: {e}"))))
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// The assistant service. Borrowed from [`Zhuanshu::assistant`].
pub struct Assistant<'a> {
    ctx: &'a Context,
}

impl<'a> Assistant<'a> {
    pub(crate) fn new(ctx: &'a Context) -> Self {
        Assistant { ctx }
    }

    /// The stored knowledge base in force: an operator's import wins, then the feed's (checked when it
    /// was applied; one that no longer parses after an app update gives way to the embedded one). `None`:
    /// the embedded knowledge base is in force.
    pub fn stored_entries(&self) -> Result<Option<Vec<FaqEntry>>> {
        let (imported, from_feed) = self
            .ctx
            .store()?
            .read(|c| Ok((stored_entries(c)?, crate::feed::stored_file(c, crate::feed::FAQ_FILE)?)))?;
        Ok(imported
            .or_else(|| from_feed.and_then(|bytes| String::from_utf8(bytes).ok()).and_then(|t| kb::parse(&t).ok())))
    }

    /// The knowledge base in force: the stored one, else the embedded one.
    #[cfg(feature = "search")]
    pub fn entries(&self) -> Result<Vec<FaqEntry>> {
        self.stored_entries()?.map_or_else(kb::embedded, Ok)
    }

    /// The index, built now if needed.
    #[cfg(feature = "search")]
    fn index(&self) -> Result<Arc<FaqIndex>> {
        self.ctx.cached(|_: &FaqIndex| true, || FaqIndex::build(self.entries()?))
    }

    #[cfg(feature = "search")]
    /// Builds the index ahead of the first query (e.g. after the first screen is shown).
    pub fn warm_up(&self) -> Result<()> {
        self.index().map(drop)
    }

    #[cfg(feature = "search")]
    /// The best `limit` answers for `query`, best first.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<Hit>> {
        self.index()?.search(query, limit as usize)
    }

    #[cfg(feature = "search")]
    /// Up to ten questions for what has been typed so far.
    pub fn suggest(&self, prefix: &str) -> Result<Vec<Suggestion>> {
        Ok(self.index()?.suggest(prefix, SUGGESTIONS))
    }

    #[cfg(feature = "search")]
    pub fn entry(&self, id: &str) -> Result<FaqEntry> {
        self.index()?
            .entry(id)
            .cloned()
            .ok_or_else(|| Error::NotFound { what: crate::error::Entity::Faq, key: id.to_owned() })
    }

    #[cfg(feature = "search")]
    /// Questions related to entry `id`: the ones its authors linked, then the closest by content.
    pub fn related(&self, id: &str, limit: u32) -> Result<Vec<Suggestion>> {
        self.index()?.related(id, limit as usize)
    }

    /// What the owner of `uscc` is likely to ask on `today`, as searches with their reasons: renewal for a
    /// licence about to expire, filing before a deadline, then topics from the profile.
    pub fn topics(&self, uscc: &str, today: chrono::NaiveDate) -> Result<Vec<Topic>> {
        let company = crate::dossier::Dossier::new(self.ctx).company(uscc)?;
        let items = crate::dynamics::Dynamics::new(self.ctx).list(uscc, today)?;
        let licences = crate::dossier::Dossier::new(self.ctx).licences(uscc)?;
        let name = |id: i64| licences.iter().find(|l| l.id == id).map(|l| l.kind_name.clone());
        Ok(predicted::topics(&company, &items, &name))
    }

    /// The questions for [`Assistant::topics`], each with its reason.
    #[cfg(feature = "search")]
    pub fn predicted(&self, uscc: &str, today: chrono::NaiveDate) -> Result<Vec<Prediction>> {
        let topics = self.topics(uscc, today)?;
        let index = self.index()?;
        Ok(predicted::resolve(&topics, |query, n| index.pairs(query, n)))
    }

    /// Replaces the knowledge base with the JSON lines in `text`. Nothing changes unless every line is
    /// valid.
    pub fn import(&self, text: &str) -> Result<KbStats> {
        let entries = kb::parse(text)?;
        self.ctx.store()?.write(|tx| {
            tx.execute("DELETE FROM kb_entries", [])?;
            let mut insert = tx.prepare("INSERT INTO kb_entries (position, id, json) VALUES (?1, ?2, ?3)")?;
            for (i, e) in entries.iter().enumerate() {
                let json = serde_json::to_string(e).map_err(|e| Error::Internal(e.to_string()))?;
                insert.execute(params![i as i64, e.id, json])?;
            }
            Ok(())
        })?;
        self.forget_index();
        Ok(kb::stats(&entries, true))
    }

    /// The index is built from the entries: after they change, the next search builds it again.
    fn forget_index(&self) {
        #[cfg(feature = "search")]
        self.ctx.forget::<FaqIndex>();
    }

    /// Drops the operator's import: back to the feed's knowledge base, or the embedded one.
    pub fn reset(&self) -> Result<()> {
        self.ctx.store()?.write(|tx| Ok(tx.execute("DELETE FROM kb_entries", [])?))?;
        self.forget_index();
        Ok(())
    }

    #[cfg(feature = "search")]
    pub fn stats(&self) -> Result<KbStats> {
        let imported = self
            .ctx
            .store()?
            .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM kb_entries", [], |r| r.get::<_, i64>(0))?))?
            > 0;
        Ok(kb::stats(&self.entries()?, imported))
    }
}
