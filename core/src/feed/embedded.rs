//! The feed the app ships with: the pinned root (core/content/feed/root.json, public keys only) and the
//! content embedded in the build, in the feed's layout. It is version 0: in force until the first sync,
//! and the floor under every later version (a file the feed does not carry is read from here).
//!
//! The first sync downloads only the files whose hash differs from the embedded copy; the others are
//! copied from the binary.

use std::sync::OnceLock;

use super::format::{Root, sha256_hex};
use super::verify::{Rejection, verify_pinned_root};

/// The pinned root: the demo root (trusting the public demo key) in ordinary builds; in a build made for
/// distribution (feature `distribution`) the publisher's root from `$ZHUANSHU_FEED_ROOT`, which core/build.rs
/// checks is not the demo's.
#[cfg(not(feature = "distribution"))]
pub const ROOT_JSON: &[u8] = include_bytes!("../../content/feed/root.json");
#[cfg(feature = "distribution")]
pub const ROOT_JSON: &[u8] = include_bytes!(env!("ZHUANSHU_PINNED_ROOT"));

/// The knowledge base (the "300问"), as JSON lines in parts; read by the assistant
/// ([`crate::assistant::kb`]). Only builds with the search engine embed it.
pub const FAQ: &[&str] = &[
    include_str!("../../content/faq/kb-part1a.jsonl"),
    include_str!("../../content/faq/kb-part1b.jsonl"),
    include_str!("../../content/faq/kb-part2a.jsonl"),
    include_str!("../../content/faq/kb-part2b.jsonl"),
];

/// One embedded content file and its hash.
#[derive(Debug)]
pub struct EmbeddedFile {
    pub bytes: Vec<u8>,
    pub sha256: String,
}

const HOLIDAYS: [(&str, &str); 7] = [
    ("holidays/2020.json", include_str!("../../content/holidays/2020.json")),
    ("holidays/2021.json", include_str!("../../content/holidays/2021.json")),
    ("holidays/2022.json", include_str!("../../content/holidays/2022.json")),
    ("holidays/2023.json", include_str!("../../content/holidays/2023.json")),
    ("holidays/2024.json", include_str!("../../content/holidays/2024.json")),
    ("holidays/2025.json", include_str!("../../content/holidays/2025.json")),
    ("holidays/2026.json", include_str!("../../content/holidays/2026.json")),
];

const POLICIES: &[u8] = include_bytes!("../../content/policies/policies.json");
/// Not in the browser's build: the web app ships it as a file of its own (see `crate::content::provide`).
#[cfg(not(target_arch = "wasm32"))]
const GUIDE: &[u8] = include_bytes!("../../content/guide/guide.json");

/// The embedded content files, sorted by feed name, behind the few methods of a map. (A sorted vector,
/// not a `BTreeMap`: a map type of its own costs the web app's first-screen module its B-tree code.)
#[derive(Debug)]
pub struct EmbeddedFiles(Vec<(String, EmbeddedFile)>);

impl EmbeddedFiles {
    pub fn get(&self, name: &str) -> Option<&EmbeddedFile> {
        self.0.binary_search_by(|(n, _)| n.as_str().cmp(name)).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// By name.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &EmbeddedFile)> {
        self.0.iter().map(|(name, file)| (name, file))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(name, _)| name)
    }

    pub fn values(&self) -> impl Iterator<Item = &EmbeddedFile> {
        self.0.iter().map(|(_, file)| file)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::ops::Index<&str> for EmbeddedFiles {
    type Output = EmbeddedFile;

    fn index(&self, name: &str) -> &EmbeddedFile {
        self.get(name).unwrap_or_else(|| panic!("no embedded feed file {name:?}"))
    }
}

/// The embedded content, by feed name. Built (and hashed) on first use.
pub fn files() -> &'static EmbeddedFiles {
    static FILES: OnceLock<EmbeddedFiles> = OnceLock::new();
    FILES.get_or_init(|| {
        // In name order (a test checks it).
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        // Without the search engine there is no embedded knowledge base: a sync then fetches the feed's.
        #[cfg(feature = "search")]
        files.push((super::FAQ_FILE.to_owned(), FAQ.concat().into_bytes()));
        #[cfg(not(target_arch = "wasm32"))]
        files.push((super::GUIDE_FILE.to_owned(), GUIDE.to_vec()));
        files.extend(HOLIDAYS.iter().map(|(name, text)| ((*name).to_owned(), text.as_bytes().to_vec())));
        files.push((super::POLICIES_FILE.to_owned(), POLICIES.to_vec()));
        EmbeddedFiles(
            files
                .into_iter()
                .map(|(name, bytes)| {
                    let sha256 = sha256_hex(&bytes);
                    (name, EmbeddedFile { bytes, sha256 })
                })
                .collect(),
        )
    })
}

/// The pinned root, checked (well formed, signed by its own root keys).
pub fn root() -> Result<Root, Rejection> {
    // Checked once per process: the bytes are compiled in and cannot change, and every content read starts
    // from this root (an Ed25519 verification each time cost the browser's first screen dearly).
    static ROOT: OnceLock<Result<Root, Rejection>> = OnceLock::new();
    ROOT.get_or_init(|| verify_pinned_root(ROOT_JSON)).clone()
}

#[cfg(test)]
#[path = "../../build/root_guard.rs"]
mod root_guard;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_distribution_build_refuses_the_demo_root_and_takes_a_publishers() {
        use super::super::publish;
        use super::root_guard::{DEMO_PUBLIC_KEY_HEX, distribution_root_problem};
        // The guard's constant is the demo key, so the guard cannot drift from it.
        assert_eq!(publish::demo_key().public().public, DEMO_PUBLIC_KEY_HEX);
        let demo = include_bytes!("../../content/feed/root.json");
        assert!(distribution_root_problem(demo).unwrap().contains("demo key"));
        // The same root with the publisher's own key passes.
        let own = publish::SigningKey::from_seed(&[7; 32]).public().public;
        let root = String::from_utf8(demo.to_vec()).unwrap().replace(DEMO_PUBLIC_KEY_HEX, &own);
        assert_eq!(distribution_root_problem(root.as_bytes()), None);
        assert!(distribution_root_problem(b"{").unwrap().contains("not JSON"));
        assert!(distribution_root_problem(br#"{"signed":{"_type":"manifest"}}"#).is_some());
        assert!(distribution_root_problem(br#"{"signed":{"_type":"root","keys":{}}}"#).is_some());
    }

    #[test]
    fn the_embedded_feed_is_under_a_valid_root() {
        let root = root().unwrap();
        assert_eq!(root.version, 1);
        assert!(files().0.windows(2).all(|w| w[0].0 < w[1].0), "sorted by name, each name once");
        assert!(files().contains_key("holidays/2026.json"));
        assert_eq!(files().contains_key("faq.jsonl"), cfg!(feature = "search"), "the FAQ ships with the engine");
    }
}
