//! The knowledge base (the "300问"): FAQ entries as JSON lines, the embedded default and operators' own.
//!
//! An import is all or nothing: every line is checked (shape, required fields, unique ids, related ids
//! that exist) and every problem is reported with its line number before anything is stored.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[cfg(feature = "search")]
use crate::error::Error;
use crate::error::{Issues, Result};

/// One FAQ entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    pub id: String,
    pub question: String,
    /// Other ways owners ask the same thing; at least one.
    pub alternatives: Vec<String>,
    /// Light markdown: `**bold**`, `- ` lists, line breaks.
    pub answer: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Lifecycle theme (开办, 变更, 税务 …).
    pub theme: String,
    #[serde(default)]
    pub related: Vec<String>,
    pub updated: NaiveDate,
}

/// The embedded knowledge base, written for this project (core/content/faq). It ships with the search
/// engine (the `search` feature): the web app's first-screen module leaves its ~90 KB (gzip) out, and its
/// search module, which carries the engine, carries the knowledge base too.
#[cfg(feature = "search")]
pub const EMBEDDED: &[&str] = crate::feed::embedded::FAQ;

/// Parses and checks a whole knowledge base given as JSON lines. Blank lines are ignored.
pub fn parse(text: &str) -> Result<Vec<FaqEntry>> {
    let mut issues = Issues::default();
    let mut entries: Vec<(usize, FaqEntry)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_slice::<FaqEntry>(line.as_bytes()) {
            Ok(entry) => entries.push((number, entry)),
            Err(e) => issues.push(
                format!("line {number}"),
                format!("第{number}行不是有效的问答条目（第{}列）", e.column()),
                format!("line {number}: {e}"),
            ),
        }
    }
    if entries.is_empty() && issues.is_empty() {
        issues.push("", "知识库是空的", "the knowledge base has no entries");
    }
    let mut seen = HashSet::new();
    for (number, entry) in &entries {
        let at = |field: &str| format!("line {number}.{field}");
        if entry.id.trim().is_empty() || entry.id.chars().count() > 64 {
            issues.push(at("id"), format!("第{number}行：编号为空或过长"), "id is empty or longer than 64");
        } else if !seen.insert(entry.id.as_str()) {
            issues.push(at("id"), format!("第{number}行：编号{}重复", entry.id), format!("duplicate id {}", entry.id));
        }
        if entry.question.trim().is_empty() {
            issues.push(at("question"), format!("第{number}行：缺少问题"), "question is empty");
        }
        if entry.alternatives.iter().all(|a| a.trim().is_empty()) {
            issues.push(at("alternatives"), format!("第{number}行：至少需要一个其他问法"), "no alternative question");
        }
        if entry.answer.trim().is_empty() {
            issues.push(at("answer"), format!("第{number}行：缺少答案"), "answer is empty");
        }
        if entry.theme.trim().is_empty() {
            issues.push(at("theme"), format!("第{number}行：缺少主题"), "theme is empty");
        }
    }
    for (number, entry) in &entries {
        for (i, r) in entry.related.iter().enumerate() {
            if !seen.contains(r.as_str()) {
                issues.push(
                    format!("line {number}.related[{i}]"),
                    format!("第{number}行：相关条目{r}不存在"),
                    format!("related id {r} does not exist"),
                );
            }
        }
    }
    issues.into_result()?;
    Ok(entries.into_iter().map(|(_, e)| e).collect())
}

/// The embedded knowledge base.
#[cfg(feature = "search")]
pub fn embedded() -> Result<Vec<FaqEntry>> {
    parse(&EMBEDDED.join("\n")).map_err(|e| Error::Internal(format!("embedded knowledge base: {e}")))
}

/// Counts for `kb stats`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct KbStats {
    pub entries: u32,
    pub alternatives: u32,
    /// (theme, entries), in first-seen order.
    pub themes: Vec<ThemeCount>,
    /// Whether the operator's own import is in use (otherwise the embedded knowledge base).
    pub imported: bool,
    pub newest: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct ThemeCount {
    pub theme: String,
    pub entries: u32,
}

pub fn stats(entries: &[FaqEntry], imported: bool) -> KbStats {
    let mut themes: Vec<ThemeCount> = Vec::new();
    for e in entries {
        match themes.iter_mut().find(|t| t.theme == e.theme) {
            Some(t) => t.entries += 1,
            None => themes.push(ThemeCount { theme: e.theme.clone(), entries: 1 }),
        }
    }
    KbStats {
        entries: entries.len() as u32,
        alternatives: entries.iter().map(|e| e.alternatives.len() as u32).sum(),
        themes,
        imported,
        newest: entries.iter().map(|e| e.updated).max(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "search")]
    fn the_embedded_knowledge_base_is_complete() {
        let kb = embedded().unwrap();
        assert!(kb.len() >= 300, "{} entries", kb.len());
        assert!(kb.iter().all(|e| !e.alternatives.is_empty()));
        let s = stats(&kb, false);
        let themes: Vec<&str> = s.themes.iter().map(|t| t.theme.as_str()).collect();
        for theme in [
            "开办",
            "变更",
            "注销",
            "年报",
            "税务",
            "社保与公积金",
            "用工",
            "许可证",
            "信用修复",
            "融资与担保",
            "补贴申领",
            "知识产权",
            "安全生产",
            "消防",
            "环保",
        ] {
            assert!(themes.contains(&theme), "theme {theme} missing from {themes:?}");
        }
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let good = r#"{"id":"a","question":"q","alternatives":["q2"],"answer":"x","theme":"t","updated":"2026-01-01"}"#;
        let dup = r#"{"id":"a","question":"","alternatives":[],"answer":"x","theme":"t","related":["zzz"],"updated":"2026-01-01"}"#;
        let text = format!("{good}\n\n{dup}\nnot json\n");
        let err = parse(&text).unwrap_err();
        let paths: Vec<&str> = err.issues().iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["line 4", "line 3.id", "line 3.question", "line 3.alternatives", "line 3.related[0]"]);
        assert!(err.issues()[0].user_message.starts_with("第4行"));
        assert!(parse("").is_err());
        assert_eq!(parse(good).unwrap().len(), 1);
    }
}
