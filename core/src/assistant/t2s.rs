//! Traditional to simplified Chinese with OpenCC's `t2s` tables (content/opencc, Apache-2.0): at each
//! position the longest phrase or character of the tables that starts there is replaced by its first
//! simplified form, anything else is kept. This is exactly what `hanconv::t2s` computes (a test below
//! compares them); having only these two tables here keeps ~1 MB of simplified-to-traditional phrases
//! out of the wasm build.

use std::collections::HashMap;
use std::sync::OnceLock;

struct Table {
    map: HashMap<&'static str, &'static str>,
    /// The longest key, in characters.
    longest: usize,
}

/// `key value [more values]` lines after the header comments.
fn entries(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines().skip_while(|l| l.starts_with('#') || l.is_empty()).filter_map(|l| {
        let mut parts = l.split_whitespace();
        Some((parts.next()?, parts.next()?))
    })
}

fn table() -> &'static Table {
    static CELL: OnceLock<Table> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut map = HashMap::new();
        let phrases = entries(include_str!("../../content/opencc/TSPhrases.txt"));
        for (k, v) in phrases.chain(entries(include_str!("../../content/opencc/TSCharacters.txt"))) {
            map.insert(k, v);
        }
        let longest = map.keys().map(|k| k.chars().count()).max().unwrap_or(1);
        Table { map, longest }
    })
}

/// `text` in simplified characters.
pub fn t2s(text: &str) -> String {
    let table = table();
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let chars = starts.len() - 1;
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars {
        let found = (1..=table.longest.min(chars - i))
            .rev()
            .find_map(|len| table.map.get(&text[starts[i]..starts[i + len]]).map(|v| (len, *v)));
        match found {
            Some((len, simplified)) => {
                out.push_str(simplified);
                i += len;
            }
            None => {
                out.push_str(&text[starts[i]..starts[i + 1]]);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_win_over_characters() {
        assert_eq!(t2s("營業執照"), "营业执照");
        assert_eq!(t2s("一目瞭然，乾坤"), "一目了然，乾坤");
        assert_eq!(t2s("ABC 123 𠈌"), "ABC 123 𠈌");
    }

    #[test]
    fn same_as_hanconv_on_the_faq_and_the_tables() {
        let mut texts: Vec<String> = crate::assistant::kb::embedded()
            .unwrap()
            .iter()
            .flat_map(|e| [e.question.clone(), e.answer.clone()])
            .map(|s| hanconv::s2t(&s))
            .collect();
        let tables =
            [include_str!("../../content/opencc/TSPhrases.txt"), include_str!("../../content/opencc/TSCharacters.txt")];
        texts.extend(tables.iter().flat_map(|t| entries(t)).map(|(k, _)| format!("甲{k}乙{k}{k}")));
        for t in &texts {
            assert_eq!(t2s(t), hanconv::t2s(t), "{t}");
        }
    }
}
