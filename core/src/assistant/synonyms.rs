//! Curated synonym sets (执照/营业执照, 社保/社会保险 …), expanded at query time: the index holds the
//! words of the knowledge base as written, and a query for one member of a set also asks for the others.

use std::sync::OnceLock;

use serde::Deserialize;

use super::analyzer::fold;

#[derive(Deserialize)]
struct File {
    sets: Vec<Vec<String>>,
}

/// Folded synonym sets (core/content/faq/synonyms.json).
pub fn sets() -> &'static [Vec<String>] {
    static CELL: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str::<File>(include_str!("../../content/faq/synonyms.json"))
            .map(|f| f.sets.iter().map(|set| set.iter().map(|t| fold(t)).collect()).collect())
            .unwrap_or_default()
    })
}

/// The other members of every set one of whose terms occurs in the (folded) query. Substring matching,
/// not word matching, because segmentation of a short query is unreliable (执照过期 may not yield 执照).
pub fn expand(folded_query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for set in sets() {
        if set.iter().any(|t| folded_query.contains(t.as_str())) {
            for t in set {
                if !folded_query.contains(t.as_str()) && !out.contains(t) {
                    out.push(t.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_least_a_hundred_sets_and_expansion_both_ways() {
        assert!(sets().len() >= 100, "{} sets", sets().len());
        assert!(expand("执照过期").contains(&"营业执照".to_owned()));
        assert!(expand("社会保险怎么交").contains(&"社保".to_owned()));
        assert!(expand(&fold("個體戶")).contains(&"个体工商户".to_owned()));
        assert!(expand("今天天气").is_empty());
    }
}
