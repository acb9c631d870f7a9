//! The checks a content file passes before it is used or published. The feed reads no content itself:
//! each domain knows its own file (the assistant the FAQ base, the policy engine its catalog, the guide its
//! tree, the calendar its holiday years), and the list is put together above them
//! ([`crate::content::checks`]) and handed down: to the feed's sync through the handle's context, to a
//! publisher's site when it is opened.

use serde_json::Value;

use super::{FAQ_FILE, GUIDE_FILE, HOLIDAYS_DIR, POLICIES_FILE, Rejection};

/// Reads a file's text the way its consumer will; the error says why it cannot be used.
pub type Check = fn(&str) -> std::result::Result<(), String>;

/// One check per kind of content file.
#[derive(Debug, Clone, Copy)]
pub struct ContentChecks {
    pub faq: Check,
    pub policies: Check,
    pub guide: Check,
    /// One `holidays/YYYY.json` year.
    pub holiday_year: Check,
}

impl ContentChecks {
    /// Checks only that JSON files are JSON: for sites that tests, benchmarks and demos build from content
    /// they choose (a publisher's site checks with the domains' checks).
    pub const SYNTAX: ContentChecks = ContentChecks { faq: any, policies: any, guide: any, holiday_year: any };

    /// Signed and intact is not enough: content must be usable before it replaces what works. The FAQ
    /// base, the policy catalog, the guide and holiday years pass their readers' checks; other JSON files
    /// must be JSON; anything else is taken as is.
    pub fn check(&self, name: &str, bytes: &[u8]) -> Result<(), Rejection> {
        let invalid = |detail: String| Rejection::InvalidContent { file: name.to_owned(), detail };
        let text = || std::str::from_utf8(bytes).map_err(|e| invalid(e.to_string()));
        let check = if name == FAQ_FILE {
            Some(self.faq)
        } else if name == POLICIES_FILE {
            Some(self.policies)
        } else if name == GUIDE_FILE {
            Some(self.guide)
        } else if name.starts_with(HOLIDAYS_DIR) && name.ends_with(".json") {
            Some(self.holiday_year)
        } else {
            None
        };
        match check {
            Some(check) => check(text()?).map_err(invalid),
            None if name.ends_with(".json") => {
                serde_json::from_slice::<Value>(bytes).map(drop).map_err(|e| invalid(e.to_string()))
            }
            None => Ok(()),
        }
    }
}

/// Whatever the text, as long as JSON files are JSON (see [`ContentChecks::SYNTAX`]).
fn any(_: &str) -> std::result::Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_goes_to_its_check_and_other_json_must_parse() {
        fn refuse(_: &str) -> std::result::Result<(), String> {
            Err("refused".into())
        }
        let only_faq = ContentChecks { faq: refuse, ..ContentChecks::SYNTAX };
        let refused =
            |name: &str, bytes: &[u8]| matches!(only_faq.check(name, bytes), Err(Rejection::InvalidContent { .. }));
        assert!(refused("faq.jsonl", b"{}"));
        assert!(!refused("policies.json", b"{}"));
        assert!(refused("other.json", b"{"));
        assert!(refused("guide.json", &[0xff]), "not UTF-8");
        assert!(!refused("notes.txt", b"{"));
        let only_years = ContentChecks { holiday_year: refuse, ..ContentChecks::SYNTAX };
        assert!(only_years.check("holidays/2027.json", b"{}").is_err());
        assert!(only_years.check("holidays.json", b"{}").is_ok());
    }
}
