//! Search quality on the evaluation set (core/content/faq/eval-*.jsonl): queries written the way owners
//! type them — paraphrases, traditional characters, pinyin, initials, typos, very short — each with the
//! entries a good answer would be. Used by the tests (as a floor) and by `cargo xtask bench assistant`.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct EvalQuery {
    pub query: String,
    pub expected: Vec<String>,
    pub kind: String,
}

pub const EMBEDDED: &[&str] = &[
    include_str!("../../content/faq/eval-part1a.jsonl"),
    include_str!("../../content/faq/eval-part1b.jsonl"),
    include_str!("../../content/faq/eval-part2a.jsonl"),
    include_str!("../../content/faq/eval-part2b.jsonl"),
];

/// The embedded evaluation set; a line that does not parse is skipped (the tests check there are none).
pub fn queries() -> Vec<EvalQuery> {
    EMBEDDED.iter().flat_map(|part| part.lines()).filter_map(|l| serde_json::from_str(l).ok()).collect()
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quality {
    pub queries: usize,
    pub recall_at_1: f64,
    pub recall_at_5: f64,
    pub mrr_at_10: f64,
}

/// Scores a search function that returns entry ids, best first.
pub fn measure<'q>(
    queries: impl IntoIterator<Item = &'q EvalQuery>,
    mut search: impl FnMut(&str) -> Vec<String>,
) -> Quality {
    let mut q = Quality::default();
    for eq in queries {
        let ids = search(&eq.query);
        let rank = ids.iter().take(10).position(|id| eq.expected.contains(id));
        q.queries += 1;
        if rank == Some(0) {
            q.recall_at_1 += 1.0;
        }
        if rank.is_some_and(|r| r < 5) {
            q.recall_at_5 += 1.0;
        }
        if let Some(r) = rank {
            q.mrr_at_10 += 1.0 / (r as f64 + 1.0);
        }
    }
    let n = q.queries.max(1) as f64;
    Quality { recall_at_1: q.recall_at_1 / n, recall_at_5: q.recall_at_5 / n, mrr_at_10: q.mrr_at_10 / n, ..q }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assistant::{FaqIndex, kb};

    #[test]
    fn the_evaluation_set_is_complete_and_meets_the_floor() {
        let lines: usize = EMBEDDED.iter().flat_map(|p| p.lines()).filter(|l| !l.trim().is_empty()).count();
        let all = queries();
        assert_eq!(all.len(), lines, "every evaluation line parses");
        assert!(all.len() >= 300);
        let index = FaqIndex::build(kb::embedded().unwrap()).unwrap();
        let ids: std::collections::HashSet<&str> = index.entries().iter().map(|e| e.id.as_str()).collect();
        assert!(all.iter().all(|q| q.expected.iter().all(|id| ids.contains(id.as_str()))));
        let search = |q: &str| index.search(q, 10).unwrap().into_iter().map(|h| h.id).collect();
        let quality = measure(&all, search);
        let mut kinds: Vec<&str> = all.iter().map(|q| q.kind.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        for kind in kinds {
            let of_kind: Vec<&EvalQuery> = all.iter().filter(|q| q.kind == kind).collect();
            let k =
                measure(of_kind.iter().copied(), |q| index.search(q, 10).unwrap().into_iter().map(|h| h.id).collect());
            eprintln!(
                "{kind:<12} n={:<4} R@1={:.3} R@5={:.3} MRR={:.3}",
                k.queries, k.recall_at_1, k.recall_at_5, k.mrr_at_10
            );
        }
        eprintln!(
            "all          n={:<4} R@1={:.3} R@5={:.3} MRR={:.3}",
            quality.queries, quality.recall_at_1, quality.recall_at_5, quality.mrr_at_10
        );
        assert!(quality.recall_at_5 >= 0.90, "{quality:?}");
    }
}
