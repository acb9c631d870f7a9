//! Content from outside the feed, and the checks every content file passes. Above the domains: it
//! knows each domain's reader and hands the list down ([`checks`]) to the feed, which reads no content
//! itself; a front end's shipped files ([`provide`]) are checked with it.
//!
//! In the browser the guide is not embedded: at ~55 KB gzip it would crowd the first screen's module, so
//! the web app ships `guide.json` as a file of its own and hands it over with [`provide`] when the guide
//! is first needed. Demo companies are the dossier's ([`demo_companies`]).

use crate::error::{Error, Result};
use crate::feed::{self, ContentChecks, FAQ_FILE, GUIDE_FILE, HOLIDAYS_DIR, POLICIES_FILE};

pub use crate::dossier::demo::demo_companies;

/// Each content file's check, from the domain that reads it.
pub fn checks() -> ContentChecks {
    fn text<T, E: std::fmt::Display>(result: std::result::Result<T, E>) -> std::result::Result<(), String> {
        result.map(drop).map_err(|e| e.to_string())
    }
    ContentChecks {
        faq: |t| text(crate::assistant::kb::parse(t)),
        policies: |t| text(crate::policy::parse_catalog(t)),
        guide: |t| text(crate::guide::GuideContent::parse(t)),
        holiday_year: |t| text(crate::calendar::Calendar::weekends_only().with_year_json(t)),
    }
}

/// Takes a content file the front end ships beside the binary (the web app's `guide.json`). It is
/// checked as feed content is, and is in force where an embedded copy would be: below anything a feed
/// delivered.
pub fn provide(name: &str, bytes: Vec<u8>) -> Result<()> {
    let known = [GUIDE_FILE, FAQ_FILE, POLICIES_FILE].contains(&name)
        || name.strip_prefix(HOLIDAYS_DIR).is_some_and(|y| y.len() == 9 && y.ends_with(".json"));
    if !known {
        return Err(Error::invalid(
            "content",
            format!("未知的内容文件{name}"),
            format!("unknown content file {name:?}"),
        ));
    }
    checks().check(name, &bytes).map_err(|e| {
        Error::invalid("content", format!("内容文件{name}无效"), format!("shipped content {name}: {e}"))
    })?;
    feed::shipped::keep(name, bytes);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_content_is_checked_like_feed_content() {
        let bad = provide("guide.json", b"{\"version\": 1".to_vec()).unwrap_err();
        assert_eq!(bad.code(), "invalid_input");
        assert!(provide("../../etc/passwd", b"x".to_vec()).is_err());
        assert_eq!(feed::shipped::get("guide.json"), None, "nothing refused is kept");
    }

    #[test]
    fn every_content_file_is_checked_by_its_reader() {
        let c = checks();
        assert!(c.check("policies.json", br#"{"version": 1, "policies": []}"#).is_ok());
        let broken: [(&str, &[u8]); 4] = [
            ("policies.json", b"{}"),
            ("guide.json", b"{"),
            ("faq.jsonl", b"{\"id\": 1}\n"),
            ("holidays/2027.json", b"[]"),
        ];
        for (name, bytes) in broken {
            assert!(matches!(c.check(name, bytes), Err(feed::Rejection::InvalidContent { .. })), "{name}");
        }
    }

    #[test]
    fn the_embedded_content_passes_its_checks() {
        for (name, file) in feed::embedded::files().iter() {
            checks().check(name, &file.bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
