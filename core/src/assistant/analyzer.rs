//! The Chinese analyzer shared by indexing and querying, so that both sides agree on every term.
//!
//! Text is folded (NFKC turns full-width letters and digits into ASCII, traditional characters become
//! simplified, letters lower case) and then turned into terms of four kinds:
//! - **words**: jieba's search-mode segmentation (so 营业执照 yields 营业, 执照 and 营业执照);
//! - **bigrams** of every run of Chinese characters, for recall when jieba cuts differently on the two
//!   sides (a query 执照过期 and a question 营业执照什么时候过期 share 执照 and 过期 as bigrams);
//! - **pinyin**: each Chinese character's toneless pinyin, indexed as every run of 2–4 consecutive
//!   syllables glued together (`nianbao`, `nianbaojiezhi`), so typed pinyin with or without spaces
//!   matches, and a character typed wrong but sounding right (年抱 for 年报) still finds its entry;
//! - **initials**: the first letter of each syllable, as runs of 2–6 (`nb`, `jyzx`).

use std::collections::HashSet;
use std::sync::OnceLock;

use jieba_rs::Jieba;
use pinyin::ToPinyin;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

/// Words that carry no meaning in an owner's question; dropping them keeps BM25 on the content words.
const STOPWORDS: &[&str] = &[
    "的",
    "了",
    "吗",
    "呢",
    "啊",
    "吧",
    "么",
    "呀",
    "嘛",
    "怎么",
    "怎样",
    "怎么办",
    "如何",
    "什么",
    "哪些",
    "哪个",
    "是",
    "是否",
    "有没有",
    "可以",
    "能否",
    "能不能",
    "能",
    "需要",
    "要",
    "我",
    "我们",
    "我的",
    "你",
    "您",
    "请问",
    "一下",
    "这个",
    "那个",
    "还是",
    "或者",
    "和",
    "与",
    "及",
    "在",
    "对",
    "把",
    "被",
    "给",
    "都",
    "也",
    "就",
    "会",
    "吗？",
    "多少",
    "哪里",
    "去",
    "为什么",
    "有",
    "得",
    "着",
    "个",
];

fn stopwords() -> &'static HashSet<&'static str> {
    static CELL: OnceLock<HashSet<&'static str>> = OnceLock::new();
    CELL.get_or_init(|| STOPWORDS.iter().copied().collect())
}

static JIEBA: OnceLock<Jieba> = OnceLock::new();

/// First line of the compact dictionary format (see [`expand_dictionary`]).
pub const COMPACT_DICTIONARY_HEADER: &str = "zhuanshu-jieba-dict 1";

/// Loads jieba's segmentation dictionary: its `dict.txt` format (`word freq [tag]` per line) or the
/// compact format of [`expand_dictionary`].
///
/// Native builds embed the dictionary and never need this. The wasm build does not: the dictionary is
/// most of the module's size, so the web app fetches it after the first screen and hands it over here
/// before the first search. The first dictionary loaded stays; later calls change nothing.
pub fn load_dictionary(bytes: &[u8]) -> Result<()> {
    if JIEBA.get().is_some() {
        return Ok(());
    }
    let bad = |e: String| Error::invalid("dictionary", "分词词典格式不正确", format!("segmentation dictionary: {e}"));
    let expanded;
    let text = if bytes.starts_with(COMPACT_DICTIONARY_HEADER.as_bytes()) {
        let compact = std::str::from_utf8(bytes).map_err(|e| bad(e.to_string()))?;
        expanded = expand_dictionary(compact).ok_or_else(|| bad("compact format".into()))?;
        expanded.as_bytes()
    } else {
        bytes
    };
    let jieba = Jieba::with_dict(&mut std::io::BufReader::new(text)).map_err(|e| bad(e.to_string()))?;
    let _ = JIEBA.set(jieba);
    Ok(())
}

/// Turns the compact dictionary into `word freq` lines. The compact form is what the web app downloads
/// (a quarter smaller gzipped than `dict.txt`): the header line, then every word in sorted order as one
/// line of a character encoding how many leading characters it shares with the previous word (`'0'` +
/// count) followed by the rest of the word, then an empty line, then the words' frequencies, one per line
/// in the same order. Segmentation does not depend on the order of the words, nor on the part-of-speech
/// column, which is left out.
pub fn expand_dictionary(compact: &str) -> Option<String> {
    let body = compact.strip_prefix(COMPACT_DICTIONARY_HEADER)?.strip_prefix('\n')?;
    let (words, freqs) = body.split_once("\n\n")?;
    let mut out = String::with_capacity(compact.len() * 2);
    let mut word: Vec<char> = Vec::new();
    let mut freqs = freqs.lines();
    for line in words.lines() {
        let mut chars = line.chars();
        let shared = (chars.next()? as usize).checked_sub('0' as usize)?;
        if shared > word.len() {
            return None;
        }
        word.truncate(shared);
        word.extend(chars);
        let freq = freqs.next()?;
        if word.is_empty() || freq.parse::<u64>().is_err() {
            return None;
        }
        out.extend(word.iter());
        out.push(' ');
        out.push_str(freq);
        out.push('\n');
    }
    freqs.next().is_none().then_some(out)
}

/// Whether segmentation can run: always natively, on wasm once [`load_dictionary`] was called.
pub fn dictionary_loaded() -> bool {
    cfg!(not(target_arch = "wasm32")) || JIEBA.get().is_some()
}

fn jieba() -> &'static Jieba {
    #[cfg(not(target_arch = "wasm32"))]
    return JIEBA.get_or_init(Jieba::new);
    // Callers check `dictionary_loaded` first (the index refuses to build without it); an empty
    // dictionary only keeps this total.
    #[cfg(target_arch = "wasm32")]
    JIEBA.get_or_init(Jieba::empty)
}

/// Loads the segmentation dictionary now (it takes a noticeable moment), e.g. before the first query.
pub fn warm_up() {
    let _ = jieba();
    let _ = syllable_set();
    let _ = fold("預熱");
}

pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// NFKC, traditional -> simplified, lower case. The one normal form of all text in the assistant.
pub fn fold(text: &str) -> String {
    let nfkc: String = text.nfkc().collect();
    let simplified = if nfkc.chars().any(is_han) { super::t2s::t2s(&nfkc) } else { nfkc };
    simplified.to_lowercase()
}

/// `text` folded character by character, keeping one output character per input character, so that a
/// match found in the folded form has the same character offsets in the original (for highlighting).
pub fn fold_chars(text: &str) -> Vec<char> {
    let whole = fold(text);
    if whole.chars().count() == text.chars().count() {
        return whole.chars().collect();
    }
    text.chars()
        .map(|c| {
            let folded = fold(c.encode_utf8(&mut [0; 4]));
            let mut chars = folded.chars();
            match (chars.next(), chars.next()) {
                (Some(f), None) => f,
                _ => c,
            }
        })
        .collect()
}

/// Runs of Chinese characters in folded text.
fn han_runs(folded: &str) -> Vec<Vec<char>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for c in folded.chars() {
        if is_han(c) {
            run.push(c);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// jieba search-mode words (Chinese words and ASCII words), stop words removed.
pub fn words(folded: &str) -> Vec<String> {
    jieba()
        .cut_for_search(folded, true)
        .into_iter()
        .map(|t| t.word.trim())
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_alphanumeric()) && !stopwords().contains(w))
        .map(str::to_owned)
        .collect()
}

/// Every pair of neighbouring Chinese characters.
pub fn bigrams(folded: &str) -> Vec<String> {
    han_runs(folded)
        .iter()
        .flat_map(|run| run.windows(2).map(|w| w.iter().collect::<String>()).collect::<Vec<_>>())
        .collect()
}

/// Words and bigrams: the terms of the text fields.
pub fn terms(folded: &str) -> Vec<String> {
    let mut t = words(folded);
    t.extend(bigrams(folded));
    t
}

/// A character's toneless pinyin, with `v` for `ü` as every phone keyboard types it.
fn plain(c: char) -> Option<String> {
    c.to_pinyin().map(|p| p.plain().replace('ü', "v"))
}

/// Toneless pinyin of each Chinese character, per run; characters without a reading break the run.
pub fn syllable_runs(folded: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for run in han_runs(folded) {
        let mut current = Vec::new();
        for c in run {
            match plain(c) {
                Some(p) => current.push(p),
                None if !current.is_empty() => out.push(std::mem::take(&mut current)),
                None => {}
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Concatenations of `min..=max` consecutive items of each run.
fn grams<T: AsRef<str>>(runs: &[Vec<T>], min: usize, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    for run in runs {
        for start in 0..run.len() {
            for len in min..=max {
                if start + len > run.len() {
                    break;
                }
                out.push(run[start..start + len].iter().map(AsRef::as_ref).collect());
            }
        }
    }
    out
}

/// Pinyin terms of folded text: runs of 2–4 syllables glued together.
pub fn pinyin_terms(folded: &str) -> Vec<String> {
    grams(&syllable_runs(folded), 2, 4)
}

/// Pinyin terms of a syllable sequence typed by the owner (see [`split_pinyin`]).
pub fn pinyin_terms_of(syllables: &[String]) -> Vec<String> {
    grams(&[syllables.to_vec()], 2, 4)
}

/// Initial-letter terms of folded text: runs of 2–6 initials.
pub fn initial_terms(folded: &str) -> Vec<String> {
    let runs: Vec<Vec<String>> = syllable_runs(folded)
        .iter()
        .map(|run| run.iter().filter_map(|s| s.chars().next()).map(String::from).collect())
        .collect();
    grams(&runs, 2, 6)
}

/// Every toneless syllable of Mandarin, gathered once from the pinyin table itself. Interjections
/// without a vowel (嗯 `n`, 呣 `m`, `hm`) are left out: as syllables they would let any stray consonant
/// pass for pinyin.
fn syllable_set() -> &'static HashSet<String> {
    static CELL: OnceLock<HashSet<String>> = OnceLock::new();
    CELL.get_or_init(|| {
        ('\u{4E00}'..='\u{9FFF}').filter_map(plain).filter(|s| s.contains(['a', 'e', 'i', 'o', 'u', 'v'])).collect()
    })
}

/// Splits typed pinyin (`nianbaojiezhi`, `nian bao`) into syllables, preferring the fewest syllables;
/// `None` if some part is not pinyin.
pub fn split_pinyin(typed: &str) -> Option<Vec<String>> {
    let syllables = syllable_set();
    let mut out = Vec::new();
    for chunk in typed.split_whitespace() {
        let chars: Vec<char> = chunk.chars().collect();
        if !chars.iter().all(char::is_ascii_lowercase) {
            return None;
        }
        // best[i]: the fewest-syllable split of chars[..i], as the start of its last syllable.
        let n = chars.len();
        let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0));
        for end in 1..=n {
            for start in end.saturating_sub(6)..end {
                let Some((count, _)) = best[start] else {
                    continue;
                };
                let piece: String = chars[start..end].iter().collect();
                if syllables.contains(&piece) && best[end].is_none_or(|(c, _)| count + 1 < c) {
                    best[end] = Some((count + 1, start));
                }
            }
        }
        best[n]?;
        let mut pieces = Vec::new();
        let mut end = n;
        while end > 0 {
            let (_, start) = best[end]?;
            pieces.push(chars[start..end].iter().collect::<String>());
            end = start;
        }
        pieces.reverse();
        out.extend(pieces);
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_handles_width_script_and_case() {
        assert_eq!(fold("營業執照ＡＢＣ１２３"), "营业执照abc123");
        assert_eq!(fold("年報"), "年报");
        assert_eq!(fold_chars("年報Ａ"), vec!['年', '报', 'a']);
        assert_eq!(fold_chars("㈱年報").len(), 3, "one output char per input char even when NFKC expands");
    }

    #[test]
    fn terms_cover_words_and_bigrams() {
        let t = terms(&fold("营业执照过期了怎么办"));
        for expected in ["营业执照", "执照", "过期", "照过"] {
            assert!(t.iter().any(|x| x == expected), "{expected} in {t:?}");
        }
        assert!(!t.iter().any(|x| x == "怎么办"), "stop words are dropped");
    }

    #[test]
    fn the_compact_dictionary_expands_to_word_freq_lines() {
        let compact = format!("{COMPACT_DICTIONARY_HEADER}\n0一\n1丁\n0二十\n24S店\n\n3\n7\n12\n1\n");
        assert_eq!(expand_dictionary(&compact).unwrap(), "一 3\n一丁 7\n二十 12\n二十4S店 1\n");
        assert_eq!(expand_dictionary(&format!("{COMPACT_DICTIONARY_HEADER}\n0一\n\n3\n4\n")), None, "counts differ");
        assert_eq!(expand_dictionary(&format!("{COMPACT_DICTIONARY_HEADER}\n5一\n\n3\n")), None, "shares too much");
        assert!(load_dictionary(b"zhuanshu-jieba-dict 1\nbroken").is_err() || JIEBA.get().is_some());
    }

    #[test]
    fn pinyin_and_initials() {
        let p = pinyin_terms("年报截止");
        assert!(p.contains(&"nianbao".to_owned()) && p.contains(&"nianbaojiezhi".to_owned()), "{p:?}");
        let i = initial_terms("简易注销");
        assert!(i.contains(&"jyzx".to_owned()) && i.contains(&"zx".to_owned()), "{i:?}");
        assert_eq!(split_pinyin("nianbaojiezhi").unwrap(), ["nian", "bao", "jie", "zhi"]);
        assert_eq!(split_pinyin("xian gan").unwrap(), ["xian", "gan"]);
        assert_eq!(split_pinyin("lvshi").unwrap(), ["lv", "shi"]);
        assert_eq!(split_pinyin("nb"), None);
        assert_eq!(split_pinyin("nainbao"), None);
    }
}
