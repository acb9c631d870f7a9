//! Any bytes, read as text, must give the assistant an answer (possibly empty) and never a panic:
//! search, suggest, the analyzer's pinyin splitting and the knowledge-base importer.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zhuanshu::assistant::{FaqIndex, analyzer, kb};

fn index() -> &'static FaqIndex {
    static CELL: OnceLock<FaqIndex> = OnceLock::new();
    CELL.get_or_init(|| FaqIndex::build(kb::embedded().expect("embedded KB")).expect("index"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let hits = index().search(&text, 10).expect("search never fails");
    for hit in &hits {
        let q = hit.question.chars().count() as u32;
        assert!(hit.question_highlights.iter().all(|s| s.start < s.end && s.end <= q));
    }
    assert!(index().suggest(&text, 10).len() <= 10);
    let _ = analyzer::split_pinyin(&analyzer::fold(&text));
    let _ = kb::parse(&text);
});
