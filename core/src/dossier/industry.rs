//! Industries, GB/T 4754-2017 (国民经济行业分类).
//!
//! A company's industry is written as the section letter followed by the two-digit major group
//! (门类 + 大类, e.g. `I65` 软件和信息技术服务业), optionally with one or two more digits for the group
//! or class (`K702` 物业管理). The letter is redundant with the digits, and that is the point: it catches
//! a mistyped group number. Finer digits matter only where a rule needs them (the SME standard splits
//! real estate into development and property management).

use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Deserialize)]
struct Standard {
    sections: Vec<Section>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Section {
    pub code: String,
    pub name: String,
    pub groups: Vec<Group>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Group {
    pub code: String,
    pub name: String,
}

/// One selectable industry (a major group), for pickers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Industry {
    /// `I65`
    pub code: String,
    /// `软件和信息技术服务业`
    pub name: String,
    /// `信息传输、软件和信息技术服务业`
    pub section_name: String,
}

fn sections() -> &'static [Section] {
    static CELL: OnceLock<Vec<Section>> = OnceLock::new();
    CELL.get_or_init(|| {
        // Embedded and checked by `the_embedded_table_is_complete`; an empty table would only make every
        // industry "unknown", never crash.
        serde_json::from_slice::<Standard>(include_bytes!("../../content/industries.json"))
            .map(|s| s.sections)
            .unwrap_or_default()
    })
}

/// Every major group, in code order.
pub fn all() -> Vec<Industry> {
    sections()
        .iter()
        .flat_map(|s| {
            s.groups.iter().map(|g| Industry {
                code: format!("{}{}", s.code, g.code),
                name: g.name.clone(),
                section_name: s.name.clone(),
            })
        })
        .collect()
}

/// Splits a code into (section letter, two-digit group, finer digits).
fn parts(code: &str) -> Option<(char, &str, &str)> {
    let mut chars = code.chars();
    let letter = chars.next()?;
    let rest = chars.as_str();
    if !letter.is_ascii_uppercase() || !(2..=4).contains(&rest.len()) || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((letter, &rest[..2], &rest[2..]))
}

/// Checks a code: a section letter, then a major group of that section, then at most two more digits.
pub fn validate(code: &str) -> Result<()> {
    let Some((letter, group, _)) = parts(code) else {
        return Err(Error::invalid(
            "industry",
            format!("行业代码“{code}”格式不对，应为门类字母加两位大类代码，如 I65"),
            format!("industry code {code:?} is not a section letter followed by 2-4 digits"),
        ));
    };
    let Some(section) = sections().iter().find(|s| s.code.starts_with(letter)) else {
        return Err(Error::invalid(
            "industry",
            format!("没有门类“{letter}”，门类为A至T"),
            format!("no section {letter}"),
        ));
    };
    if !section.groups.iter().any(|g| g.code == group) {
        let first = section.groups.first().map(|g| g.code.as_str()).unwrap_or("");
        let last = section.groups.last().map(|g| g.code.as_str()).unwrap_or("");
        return Err(Error::invalid(
            "industry",
            format!("大类{group}不属于门类{letter}（{}，大类{first}至{last}）", section.name),
            format!("major group {group} is not in section {letter} ({first}-{last})"),
        ));
    }
    Ok(())
}

/// The major group's name, if the code is valid.
pub fn name(code: &str) -> Option<String> {
    let (letter, group, _) = parts(code)?;
    let section = sections().iter().find(|s| s.code.starts_with(letter))?;
    section.groups.iter().find(|g| g.code == group).map(|g| g.name.clone())
}

/// The two-digit major group as a number (`I65` -> 65), and the finer digits as written.
pub(crate) fn group_number(code: &str) -> Option<(u8, &str)> {
    let (_, group, finer) = parts(code)?;
    Some((group.parse().ok()?, finer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_is_complete() {
        let sections = sections();
        assert_eq!(sections.len(), 20, "sections A-T");
        let groups: Vec<u8> = all().iter().map(|i| i.code[1..].parse().unwrap()).collect();
        assert_eq!(groups, (1..=97).collect::<Vec<u8>>(), "major groups 01-97, each once, in order");
        for (section, range) in [("A", 1..=5), ("C", 13..=43), ("G", 53..=60), ("I", 63..=65), ("T", 97..=97)] {
            for g in range {
                assert!(validate(&format!("{section}{g:02}")).is_ok(), "{section}{g:02}");
            }
        }
    }

    #[test]
    fn names_and_errors() {
        assert_eq!(name("I65").as_deref(), Some("软件和信息技术服务业"));
        assert_eq!(name("K702").as_deref(), Some("房地产业"));
        assert!(validate("I66").unwrap_err().user_message().contains("不属于门类I"));
        assert!(validate("i65").is_err());
        assert!(validate("Z01").unwrap_err().user_message().contains("没有门类"));
        assert!(validate("I6").is_err());
        assert!(validate("I65012").is_err());
        assert!(validate("").is_err());
        assert_eq!(group_number("K7020"), Some((70, "20")));
    }
}
