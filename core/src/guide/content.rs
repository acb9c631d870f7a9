//! The guide's content in force (the feed's `guide.json`, else the embedded or shipped one), parsed once
//! per version, and finding an item or a bundle in it.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
#[cfg(feature = "search")]
use std::sync::OnceLock;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use super::model::{Bundle, GuideContent, Item};
use crate::assistant::FaqEntry;
#[cfg(feature = "search")]
use crate::assistant::FaqIndex;
use crate::context::Context;
use crate::error::{Error, Result};

/// Parsed guide content and its search index, for one version of the content's bytes.
pub(super) struct Loaded {
    fingerprint: u64,
    pub(super) content: Arc<GuideContent>,
    #[cfg(feature = "search")]
    pub(super) index: OnceLock<std::result::Result<Arc<FaqIndex>, String>>,
}

/// The guide in force: the feed's `guide.json` when one has been synced, else the embedded one (in the
/// browser: the one the web app provided). Parsed once per version (the fingerprint of the bytes says
/// when the feed brought a new one).
pub(super) fn loaded(ctx: &Context) -> Result<Arc<Loaded>> {
    static CACHE: Mutex<Option<Arc<Loaded>>> = Mutex::new(None);
    let bytes = crate::feed::Feed::new(ctx).file(crate::feed::GUIDE_FILE)?.ok_or_else(|| {
        Error::Internal("the guide content is not loaded (the web app provides guide.json first)".into())
    })?;
    let bytes: &[u8] = &bytes;
    let fingerprint = {
        let mut h = DefaultHasher::new();
        bytes.hash(&mut h);
        h.finish()
    };
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(l) = cache.as_ref().filter(|l| l.fingerprint == fingerprint) {
        return Ok(Arc::clone(l));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Internal(format!("guide content: {e}")))?;
    let l = Arc::new(Loaded {
        fingerprint,
        content: Arc::new(GuideContent::parse(text)?),
        #[cfg(feature = "search")]
        index: OnceLock::new(),
    });
    *cache = Some(Arc::clone(&l));
    Ok(l)
}

/// An item as an entry of the search engine.
pub(super) fn search_entry(c: &GuideContent, i: &Item) -> FaqEntry {
    let theme = c.themes.iter().find(|t| t.code == i.theme).map(|t| t.name.clone()).unwrap_or_default();
    FaqEntry {
        id: i.code.clone(),
        question: i.name.clone(),
        alternatives: vec![format!("{}办理{}", i.department, i.name)],
        answer: format!("{}\n{}", i.conditions, i.steps.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("\n")),
        tags: i.basis.clone(),
        theme,
        related: Vec::new(),
        updated: NaiveDate::default(),
    }
}

/// The item whose name shares the most two-character words with a policy's title (its conditions count
/// a third as much), for a policy its authors linked to nothing. Plain character pairs rather than the
/// search engine, so every build of the core (the web app's first module has no engine) gives the same
/// answer; titles and service names are short and written in the same administrative vocabulary.
pub(super) fn closest_to_title<'i>(items: &'i [Item], title: &str) -> Option<&'i Item> {
    let pairs = |text: &str| -> std::collections::HashSet<(char, char)> {
        let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let wanted = pairs(title);
    items
        .iter()
        .map(|i| {
            (3 * wanted.intersection(&pairs(&i.name)).count() + wanted.intersection(&pairs(&i.conditions)).count(), i)
        })
        .filter(|(score, _)| *score > 0)
        // The first of equals: content order puts the common services first.
        .fold(None, |best: Option<(usize, &Item)>, (score, i)| match best {
            Some((b, _)) if b >= score => best,
            _ => Some((score, i)),
        })
        .map(|(_, i)| i)
}

pub(super) fn not_found(code: &str) -> Error {
    Error::invalid("code", format!("没有编号为“{code}”的办事事项"), format!("no guide item or bundle {code}"))
}

pub(super) enum Target<'c> {
    Item(&'c Item),
    Bundle(&'c Bundle),
}

pub(super) fn target<'c>(c: &'c GuideContent, code: &str) -> Result<Target<'c>> {
    if let Some(i) = c.items.iter().find(|i| i.code == code) {
        return Ok(Target::Item(i));
    }
    c.bundles.iter().find(|b| b.code == code).map(Target::Bundle).ok_or_else(|| not_found(code))
}

pub(super) fn item<'c>(c: &'c GuideContent, code: &str) -> Result<&'c Item> {
    c.items.iter().find(|i| i.code == code).ok_or_else(|| not_found(code))
}
