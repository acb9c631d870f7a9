//! The FAQ index: tantivy over pre-analyzed terms, built in memory on the device.
//!
//! Terms come from [`super::analyzer`], so tantivy only splits on spaces; the same code runs natively
//! and in the browser. The index is one segment written by `single_segment_index_writer` into a
//! `RamDirectory` (no threads, which wasm does not have), so document ids are the entries' positions.
//! Queries are assembled in code from terms — user text never reaches a query parser, so no input can
//! make a query fail to parse.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::directory::RamDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy, TantivyDocument, Term};

use super::analyzer::{self, fold, fold_chars};
use super::kb::FaqEntry;
use super::synonyms;
use crate::error::{Error, Result};

/// Longest query we analyse; anything longer is cut (an owner's question is a sentence, not an essay).
const MAX_QUERY_CHARS: usize = 200;
const TOKENIZER: &str = "zhuanshu_terms";

/// A range of characters (not bytes) in a text, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Hit {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub theme: String,
    pub score: f32,
    /// Where the query's words occur in the question, as character offsets.
    pub question_highlights: Vec<Span>,
    pub answer_highlights: Vec<Span>,
}

/// One as-you-type suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Suggestion {
    pub id: String,
    pub question: String,
}

struct Fields {
    question: Field,
    alternatives: Field,
    answer: Field,
    tags: Field,
    pinyin: Field,
    initials: Field,
}

/// Per entry, computed once at build time: what `suggest` compares a prefix with, and the folded texts
/// highlighting searches in (folding an answer per hit per query would cost more than the search).
struct Folded {
    question: String,
    answer: String,
    pinyin: String,
    initials: String,
}

pub struct FaqIndex {
    entries: Vec<FaqEntry>,
    positions: HashMap<String, usize>,
    reader: IndexReader,
    fields: Fields,
    folded: Vec<Folded>,
}

fn internal(e: tantivy::TantivyError) -> Error {
    Error::Internal(format!("search index: {e}"))
}

fn text_options() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(IndexRecordOption::WithFreqs),
    )
}

fn joined(terms: Vec<String>) -> String {
    terms.join(" ")
}

impl FaqIndex {
    /// Builds the index of `entries` (they keep their order: document id = position).
    pub fn build(entries: Vec<FaqEntry>) -> Result<FaqIndex> {
        if !analyzer::dictionary_loaded() {
            return Err(Error::Internal(
                "the segmentation dictionary is not loaded (analyzer::load_dictionary)".into(),
            ));
        }
        let mut builder = Schema::builder();
        let fields = Fields {
            question: builder.add_text_field("question", text_options()),
            alternatives: builder.add_text_field("alternatives", text_options()),
            answer: builder.add_text_field("answer", text_options()),
            tags: builder.add_text_field("tags", text_options()),
            pinyin: builder.add_text_field("pinyin", text_options()),
            initials: builder.add_text_field("initials", text_options()),
        };
        let position = builder.add_u64_field("position", FAST);
        let schema = builder.build();
        let settings = IndexSettings { docstore_compress_dedicated_thread: false, ..IndexSettings::default() };
        let tokenizers = TokenizerManager::default();
        tokenizers.register(TOKENIZER, TextAnalyzer::from(WhitespaceTokenizer::default()));
        let mut writer = Index::builder()
            .schema(schema)
            .settings(settings)
            .tokenizers(tokenizers.clone())
            .single_segment_index_writer(RamDirectory::create(), 15_000_000)
            .map_err(internal)?;
        let mut folded = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let question = fold(&e.question);
            let alternatives = fold(&e.alternatives.join("。"));
            let spoken = format!("{question}。{alternatives}");
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.question, joined(analyzer::terms(&question)));
            doc.add_text(fields.alternatives, joined(analyzer::terms(&alternatives)));
            doc.add_text(fields.answer, joined(analyzer::words(&fold(&e.answer))));
            doc.add_text(fields.tags, joined(analyzer::words(&fold(&format!("{} {}", e.tags.join(" "), e.theme)))));
            doc.add_text(fields.pinyin, joined(analyzer::pinyin_terms(&spoken)));
            doc.add_text(fields.initials, joined(analyzer::initial_terms(&spoken)));
            doc.add_u64(position, i as u64);
            writer.add_document(doc).map_err(internal)?;
            let runs = analyzer::syllable_runs(&question);
            folded.push(Folded {
                pinyin: runs.iter().flatten().map(String::as_str).collect(),
                initials: runs.iter().flatten().filter_map(|s| s.chars().next()).collect(),
                question: fold_chars(&e.question).into_iter().collect(),
                answer: fold_chars(&e.answer).into_iter().collect(),
            });
        }
        let index = writer.finalize().map_err(internal)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(internal)?;
        let positions = entries.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
        Ok(FaqIndex { entries, positions, reader, fields, folded })
    }

    /// Bytes the index occupies (postings, term dictionaries, fast fields), for the benchmark.
    pub fn size_bytes(&self) -> u64 {
        self.reader.searcher().space_usage().map(|u| u.total().get_bytes()).unwrap_or(0)
    }

    pub fn entries(&self) -> &[FaqEntry] {
        &self.entries
    }

    pub fn entry(&self, id: &str) -> Option<&FaqEntry> {
        self.positions.get(id).map(|&i| &self.entries[i])
    }

    /// The best `limit` answers as (id, question) pairs; none when the query has no searchable term.
    pub fn pairs(&self, text: &str, limit: usize) -> Vec<(String, String)> {
        self.search(text, limit).unwrap_or_default().into_iter().map(|h| (h.id, h.question)).collect()
    }

    /// Questions related to entry `id`: the ones its authors linked, then the closest by content.
    pub fn related(&self, id: &str, limit: usize) -> Result<Vec<Suggestion>> {
        let entry =
            self.entry(id).ok_or_else(|| Error::NotFound { what: crate::error::Entity::Faq, key: id.to_owned() })?;
        let mut out: Vec<Suggestion> = entry
            .related
            .iter()
            .filter_map(|r| self.entry(r))
            .map(|e| Suggestion { id: e.id.clone(), question: e.question.clone() })
            .collect();
        for hit in self.search(&format!("{} {}", entry.question, entry.tags.join(" ")), limit + 1)? {
            if hit.id != entry.id && !out.iter().any(|s| s.id == hit.id) {
                out.push(Suggestion { id: hit.id, question: hit.question });
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// The query for `text`: weighted term clauses over every field, all optional (OR), scored by BM25.
    fn query(&self, folded: &str) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let mut weights: HashMap<(Field, String), f32> = HashMap::new();
        let mut add = |field: Field, term: String, boost: f32| {
            let w = weights.entry((field, term)).or_insert(0.0);
            *w = w.max(boost);
        };
        let words = analyzer::words(folded);
        let bigrams = analyzer::bigrams(folded);
        for t in &words {
            add(f.question, t.clone(), 3.0);
            add(f.alternatives, t.clone(), 2.5);
            add(f.tags, t.clone(), 1.5);
            add(f.answer, t.clone(), 0.8);
        }
        // Bigrams rescue recall in the short question fields; in answers they mostly add noise and time.
        for t in &bigrams {
            add(f.question, t.clone(), 1.8);
            add(f.alternatives, t.clone(), 1.5);
        }
        for expansion in synonyms::expand(folded) {
            for t in analyzer::words(&expansion) {
                add(f.question, t.clone(), 1.8);
                add(f.alternatives, t.clone(), 1.5);
                add(f.tags, t.clone(), 1.0);
                add(f.answer, t, 0.5);
            }
        }
        // Chinese typed with a wrong character that sounds right still matches by pinyin.
        for t in analyzer::pinyin_terms(folded) {
            add(f.pinyin, t, 1.2);
        }
        let mut fuzzy: Vec<String> = Vec::new();
        let ascii: String = folded.chars().map(|c| if c.is_ascii_lowercase() { c } else { ' ' }).collect();
        if !ascii.trim().is_empty() {
            match analyzer::split_pinyin(&ascii) {
                Some(syllables) if syllables.len() >= 2 => {
                    for t in analyzer::pinyin_terms_of(&syllables) {
                        add(f.pinyin, t, 2.5);
                    }
                }
                _ => {}
            }
            for chunk in ascii.split_whitespace() {
                if (2..=6).contains(&chunk.len()) {
                    add(f.initials, chunk.to_owned(), 2.0);
                }
                if chunk.len() >= 4 && analyzer::split_pinyin(chunk).is_none() {
                    fuzzy.push(chunk.to_owned());
                }
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = weights
            .into_iter()
            .map(|((field, text), boost)| {
                let q = TermQuery::new(Term::from_field_text(field, &text), IndexRecordOption::WithFreqs);
                (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn Query>)
            })
            .collect();
        // A mistyped pinyin word (one letter off or two swapped) still finds the entry.
        for chunk in fuzzy {
            let q = FuzzyTermQuery::new(Term::from_field_text(f.pinyin, &chunk), 1, true);
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), 1.5))));
        }
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// The best `limit` entries for `text`, best first, with highlights. Any text is a valid query; text
    /// with nothing searchable in it simply finds nothing.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>> {
        let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
        let folded = fold(&text);
        let Some(query) = self.query(&folded) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let top =
            searcher.search(&*query, &TopDocs::with_limit(limit.clamp(1, 50)).order_by_score()).map_err(internal)?;
        let needles = needles(&folded);
        Ok(top
            .into_iter()
            .filter_map(|(score, address)| {
                let e = self.entries.get(address.doc_id as usize)?;
                let f = &self.folded[address.doc_id as usize];
                Some(Hit {
                    id: e.id.clone(),
                    question: e.question.clone(),
                    answer: e.answer.clone(),
                    theme: e.theme.clone(),
                    score,
                    question_highlights: highlight(&f.question, &needles),
                    answer_highlights: highlight(&f.answer, &needles),
                })
            })
            .collect())
    }

    /// Up to `limit` questions that begin with what the owner has typed so far (in characters, pinyin or
    /// initials), then ones that contain it; shorter questions first within each group.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<Suggestion> {
        let folded = fold(prefix.trim());
        if folded.is_empty() {
            return Vec::new();
        }
        let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
        let ascii = compact.chars().all(|c| c.is_ascii_lowercase());
        let mut ranked: Vec<(u8, usize, usize)> = Vec::new();
        for (i, keys) in self.folded.iter().enumerate() {
            let rank = if keys.question.starts_with(&folded) {
                0
            } else if ascii && (keys.pinyin.starts_with(&compact) || keys.initials.starts_with(&compact)) {
                1
            } else if keys.question.contains(&folded) {
                2
            } else if ascii && compact.len() >= 3 && keys.pinyin.contains(&compact) {
                3
            } else {
                continue;
            };
            ranked.push((rank, keys.question.chars().count(), i));
        }
        ranked.sort_unstable();
        ranked
            .into_iter()
            .take(limit)
            .map(|(_, _, i)| Suggestion { id: self.entries[i].id.clone(), question: self.entries[i].question.clone() })
            .collect()
    }
}

/// What to highlight: the query's words and bigrams and their synonyms.
fn needles(folded: &str) -> Vec<String> {
    let mut needles: Vec<String> = analyzer::terms(folded);
    needles.extend(synonyms::expand(folded));
    needles.retain(|n| !n.is_empty());
    needles.sort_unstable();
    needles.dedup();
    needles
}

/// Character ranges of a folded text (one folded character per original character, so the offsets
/// hold in the original) where any needle occurs, merged.
fn highlight(folded: &str, needles: &[String]) -> Vec<Span> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for needle in needles {
        for (byte, _) in folded.match_indices(needle.as_str()) {
            spans.push((byte, byte + needle.len()));
        }
    }
    if spans.is_empty() {
        return Vec::new();
    }
    spans.sort_unstable();
    // Byte offsets -> character offsets: the character index is the number of characters starting before.
    let starts: Vec<usize> = folded.char_indices().map(|(byte, _)| byte).collect();
    let to_char = |byte: usize| starts.partition_point(|&b| b < byte) as u32;
    let mut merged: Vec<Span> = Vec::new();
    for (s, e) in spans {
        let (s, e) = (to_char(s), to_char(e));
        match merged.last_mut() {
            Some(last) if s <= last.end => last.end = last.end.max(e),
            _ => merged.push(Span { start: s, end: e }),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assistant::kb;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn index() -> &'static FaqIndex {
        static CELL: OnceLock<FaqIndex> = OnceLock::new();
        CELL.get_or_init(|| FaqIndex::build(kb::embedded().unwrap()).unwrap())
    }

    fn top_questions(q: &str) -> Vec<String> {
        index().search(q, 5).unwrap().into_iter().map(|h| h.question).collect()
    }

    #[test]
    fn finds_the_annual_report_however_it_is_asked() {
        for q in ["年报什么时候截止", "年報截止日期", "nianbao", "nb", "年抱截止", "nainbao jiezhi"] {
            let top = top_questions(q);
            assert!(top.iter().any(|t| t.contains("年报")), "{q}: {top:?}");
        }
    }

    #[test]
    fn highlights_are_character_offsets_in_the_original_text() {
        let hits = index().search("營業執照", 3).unwrap();
        let hit = hits.iter().find(|h| !h.question_highlights.is_empty()).expect("a highlighted hit");
        let chars: Vec<char> = hit.question.chars().collect();
        for span in &hit.question_highlights {
            let piece: String = chars[span.start as usize..span.end as usize].iter().collect();
            assert!(fold(&piece).contains("执照") || fold(&piece).contains("营业"), "{piece} in {}", hit.question);
        }
    }

    #[test]
    fn suggestions_by_characters_pinyin_and_initials() {
        for prefix in ["年报", "nianb", "nb"] {
            let s = index().suggest(prefix, 10);
            assert!(!s.is_empty() && s.len() <= 10, "{prefix}: {s:?}");
            assert!(s.iter().take(3).any(|x| x.question.contains("年报")), "{prefix}: {s:?}");
        }
        assert!(index().suggest("   ", 10).is_empty());
    }

    #[test]
    fn nothing_searchable_finds_nothing() {
        assert!(index().search("", 5).unwrap().is_empty());
        assert!(index().search("？？？！！", 5).unwrap().is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn no_input_makes_search_or_suggest_fail(q in "\\PC{0,60}") {
            prop_assert!(index().search(&q, 10).is_ok());
            let _ = index().suggest(&q, 10);
        }

        #[test]
        fn query_syntax_is_just_text(q in "[a-z:*~^\"()\\[\\]{}+\\-!/\\\\ ]{0,30}") {
            prop_assert!(index().search(&q, 10).is_ok());
        }
    }
}
