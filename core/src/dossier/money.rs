//! Money is stored in fen (i64) everywhere; owners read and type yuan. These two functions are the only
//! place the conversion happens, so every front end shows "1,234.50元" the same way and rejects the same
//! typos.

use crate::error::{Error, Result};

/// Parses yuan as an owner types it: `1234`, `1234.5`, `1,234.50`, `１２３４` (full-width), with an
/// optional 元 or ¥. At most two decimals; never negative; at most 10^15 yuan.
pub fn parse_yuan(text: &str) -> Result<i64> {
    let folded: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            _ => c,
        })
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥' | '元'))
        .collect();
    let bad = || {
        Error::invalid(
            "amount",
            format!("金额“{}”格式不正确，请填写数字，最多两位小数", text.trim()),
            format!("{text:?} is not an amount in yuan with at most two decimals"),
        )
    };
    let (whole, frac) = folded.split_once('.').unwrap_or((&folded, ""));
    if whole.is_empty() || whole.len() > 15 || frac.len() > 2 {
        return Err(bad());
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
    Ok(whole * 100 + frac)
}

/// `123456` fen -> `1,234.56元`; whole amounts drop the decimals (`5,000元`).
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let digits = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match abs % 100 {
        0 => format!("{sign}{grouped}元"),
        cents => format!("{sign}{grouped}.{cents:02}元"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn owners_ways_of_writing_amounts() {
        assert_eq!(parse_yuan("1234").unwrap(), 123_400);
        assert_eq!(parse_yuan("1,234.5").unwrap(), 123_450);
        assert_eq!(parse_yuan(" ¥１２３４．０５元 ").unwrap(), 123_405);
        assert_eq!(parse_yuan("0.01").unwrap(), 1);
        for bad in ["", "-1", "1.234", "abc", "1e5", ".5", "1..2", "9999999999999999"] {
            assert!(parse_yuan(bad).is_err(), "{bad}");
        }
        assert_eq!(format_yuan(123_456), "1,234.56元");
        assert_eq!(format_yuan(500_000_000), "5,000,000元");
        assert_eq!(format_yuan(5), "0.05元");
        assert_eq!(format_yuan(-100), "-1元");
    }

    proptest! {
        #[test]
        fn format_then_parse_is_identity(fen in 0i64..1_000_000_000_000_000) {
            prop_assert_eq!(parse_yuan(&format_yuan(fen)).unwrap(), fen);
        }
    }
}
