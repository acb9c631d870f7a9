//! Content embedded in every build (core/content): demo companies here; the FAQ, policies, guide and
//! holiday calendar are embedded by their modules (and by the feed's embedded version 0). Catalogs used
//! by one module (licence kinds, industries) are loaded by that module.
//!
//! In the browser the guide is not embedded: at ~55 KB gzip it would crowd the first screen's module, so
//! the web app ships `guide.json` as a file of its own and hands it over with [`provide`] when the guide
//! is first needed.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::dossier::CompanyDocument;
use crate::error::{Error, Result};

/// Content files a front end ships beside the binary rather than inside it, sorted by feed name, each name
/// once. (A sorted vector, not a map: a few files, and a map type costs the first screen's wasm module its
/// own B-tree code.)
static SHIPPED: Mutex<Vec<(String, Arc<[u8]>)>> = Mutex::new(Vec::new());

fn find(files: &[(String, Arc<[u8]>)], name: &str) -> std::result::Result<usize, usize> {
    files.binary_search_by(|(n, _)| n.as_str().cmp(name))
}

/// Takes a content file the front end ships beside the binary (the web app's `guide.json`). It is
/// checked as feed content is, and is in force where an embedded copy would be: below anything a feed
/// delivered.
pub fn provide(name: &str, bytes: Vec<u8>) -> Result<()> {
    use crate::feed::{FAQ_FILE, GUIDE_FILE, HOLIDAYS_DIR, POLICIES_FILE};
    let known = [GUIDE_FILE, FAQ_FILE, POLICIES_FILE].contains(&name)
        || name.strip_prefix(HOLIDAYS_DIR).is_some_and(|y| y.len() == 9 && y.ends_with(".json"));
    if !known {
        return Err(Error::invalid(
            "content",
            format!("未知的内容文件{name}"),
            format!("unknown content file {name:?}"),
        ));
    }
    crate::feed::verify::check_content(name, &bytes).map_err(|e| {
        Error::invalid("content", format!("内容文件{name}无效"), format!("shipped content {name}: {e}"))
    })?;
    let mut files = SHIPPED.lock().unwrap_or_else(|p| p.into_inner());
    match find(&files, name) {
        Ok(i) => files[i].1 = Arc::from(bytes),
        Err(i) => files.insert(i, (name.to_owned(), Arc::from(bytes))),
    }
    Ok(())
}

/// A shipped content file, if the front end provided it.
pub(crate) fn shipped(name: &str) -> Option<Vec<u8>> {
    let files = SHIPPED.lock().unwrap_or_else(|p| p.into_inner());
    find(&files, name).ok().map(|i| files[i].1.to_vec())
}

/// Every shipped content file, by name (in name order).
pub(crate) fn all_shipped() -> Vec<(String, Vec<u8>)> {
    SHIPPED.lock().unwrap_or_else(|p| p.into_inner()).iter().map(|(n, b)| (n.clone(), b.to_vec())).collect()
}

#[derive(Deserialize)]
struct DemoFile {
    anchor: NaiveDate,
    companies: Vec<CompanyDocument>,
}

/// The fictional demo companies, with every date moved so that the file's anchor day becomes `today`
/// (a licence written to expire 45 days after the anchor expires 45 days after `today`).
pub fn demo_companies(today: NaiveDate) -> Result<Vec<CompanyDocument>> {
    let file: DemoFile = serde_json::from_slice(include_bytes!("../content/demo/companies.json"))
        .map_err(|e| Error::Internal(format!("embedded demo data: {e}")))?;
    let offset = (today - file.anchor).num_days();
    Ok(file
        .companies
        .into_iter()
        .map(|mut doc| {
            doc.shift_dates(offset);
            doc
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_content_is_checked_like_feed_content() {
        let bad = provide("guide.json", b"{\"version\": 1".to_vec()).unwrap_err();
        assert_eq!(bad.code(), "invalid_input");
        assert!(provide("../../etc/passwd", b"x".to_vec()).is_err());
        assert_eq!(shipped("guide.json"), None, "nothing refused is kept");
    }
}
