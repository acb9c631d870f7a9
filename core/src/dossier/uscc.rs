//! 统一社会信用代码 (unified social credit code), GB 32100-2015.
//!
//! 18 characters: registration authority (1), organisation kind (1), administrative division (6),
//! organisation body code (9), check character (1). The alphabet is the 31 characters
//! `0-9 A-H J-N P-R T U W-Y` (no I, O, Z, S, V, which are easily confused). Each character has the value
//! of its index in that alphabet; position i (1-based) is weighted 3^(i-1) mod 31, and the check character
//! has the value (31 - Σ value·weight mod 31) mod 31.

use crate::error::{Error, Result};

/// The code alphabet, in value order.
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1..=17: 3^(i-1) mod 31.
const WEIGHTS: [u32; 17] = {
    let mut w = [0u32; 17];
    let mut i = 0;
    let mut p = 1u32;
    while i < 17 {
        w[i] = p;
        p = p * 3 % 31;
        i += 1;
    }
    w
};

fn value_of(c: char) -> Option<u32> {
    ALPHABET.iter().position(|&a| a as char == c).map(|v| v as u32)
}

/// The check character for the first 17 characters (already upper case and from the alphabet).
fn check_char(body: &[char]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in body.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    Some(ALPHABET[((31 - sum % 31) % 31) as usize] as char)
}

/// Completes 17 body characters into a full code by appending the check character.
/// Used by tests and by tools that make demo data; `None` if a character is outside the alphabet.
pub fn complete(body: &str) -> Option<String> {
    let chars: Vec<char> = body.chars().map(|c| c.to_ascii_uppercase()).collect();
    if chars.len() != 17 {
        return None;
    }
    let check = check_char(&chars)?;
    Some(chars.into_iter().chain(std::iter::once(check)).collect())
}

/// Checks a code and returns it normalised (upper case, surrounding spaces removed).
///
/// Errors are `Invalid` with path `uscc` and a Chinese message that says exactly what is wrong; for a
/// wrong check character it names the expected one, because a mistyped last character is the commonest
/// mistake and the owner can compare it with the paper licence.
pub fn normalize(code: &str) -> Result<String> {
    let trimmed = code.trim();
    let chars: Vec<char> = trimmed.chars().map(|c| c.to_ascii_uppercase()).collect();
    let fail = |zh: String, en: String| Err(Error::invalid("uscc", zh, en));
    if chars.len() != 18 {
        return fail(
            format!("统一社会信用代码应为18位，当前为{}位", chars.len()),
            format!("a USCC has 18 characters, got {}", chars.len()),
        );
    }
    for (i, c) in chars.iter().enumerate() {
        if value_of(*c).is_none() {
            return fail(
                format!("第{}位字符“{}”不是统一社会信用代码允许的字符（不含I、O、Z、S、V）", i + 1, c),
                format!("character {} ({c:?}) is not in the USCC alphabet", i + 1),
            );
        }
    }
    if !chars[2..8].iter().all(char::is_ascii_digit) {
        return fail(
            "第3至8位应为6位数字的登记管理机关行政区划码".to_owned(),
            "characters 3-8 must be the 6-digit administrative division code".to_owned(),
        );
    }
    let expected = check_char(&chars[..17]).ok_or_else(|| Error::Internal("checked alphabet".into()))?;
    if chars[17] != expected {
        return fail(
            format!("校验位错误：第18位应为“{}”，实际为“{}”，请核对营业执照", expected, chars[17]),
            format!("check character mismatch: expected {expected}, got {}", chars[17]),
        );
    }
    Ok(chars.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn alphabet_char() -> impl Strategy<Value = char> {
        (0usize..31).prop_map(|i| ALPHABET[i] as char)
    }

    /// A random valid code: any alphabet characters, with digits where the division code goes.
    fn valid_code() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(alphabet_char(), 2),
            proptest::collection::vec(0u8..10, 6),
            proptest::collection::vec(alphabet_char(), 9),
        )
            .prop_map(|(head, division, body)| {
                let mut s: String = head.into_iter().collect();
                s.extend(division.into_iter().map(|d| (b'0' + d) as char));
                s.extend(body);
                complete(&s).expect("alphabet only")
            })
    }

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        assert_eq!(WEIGHTS, [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
    }

    #[test]
    fn known_code_passes_and_lower_case_is_normalised() {
        // Check character computed by hand: Σ = 4·1+1+… (see the weights above) gives 'P'.
        let code = complete("91310115MA1K3YJ5A").unwrap();
        assert_eq!(normalize(&code.to_lowercase()).unwrap(), code);
        assert_eq!(normalize(&format!("  {code} ")).unwrap(), code);
    }

    #[test]
    fn wrong_check_character_names_the_expected_one() {
        let code = complete("91310115MA1K3YJ5A").unwrap();
        let expected = code.chars().last().unwrap();
        let wrong = if expected == '0' { '1' } else { '0' };
        let bad = format!("{}{}", &code[..17], wrong);
        let err = normalize(&bad).unwrap_err();
        assert_eq!(err.issues()[0].path, "uscc");
        assert!(err.user_message().contains(&format!("第18位应为“{expected}”")), "{}", err.user_message());
    }

    #[test]
    fn length_letters_and_division_are_checked() {
        assert!(normalize("").unwrap_err().user_message().contains("当前为0位"));
        assert!(normalize("91310115MA1K3YJ5AP1").unwrap_err().user_message().contains("当前为19位"));
        assert!(normalize("91310115MA1K3YJ5AI").unwrap_err().user_message().contains("第18位字符“I”"));
        let no_digits = complete("913A0115MA1K3YJ5A").unwrap();
        assert!(normalize(&no_digits).unwrap_err().user_message().contains("行政区划码"));
        // Multi-byte input must not be sliced by bytes.
        assert!(normalize("𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌𠈌").is_err());
    }

    proptest! {
        #[test]
        fn every_generated_valid_code_passes(code in valid_code()) {
            prop_assert_eq!(normalize(&code).unwrap(), code);
        }

        #[test]
        fn every_single_character_change_fails(code in valid_code(), pos in 0usize..18, step in 1usize..31) {
            let mut chars: Vec<char> = code.chars().collect();
            let old = ALPHABET.iter().position(|&a| a as char == chars[pos]).unwrap();
            chars[pos] = ALPHABET[(old + step) % 31] as char;
            let changed: String = chars.into_iter().collect();
            prop_assert!(normalize(&changed).is_err(), "{} passed", changed);
        }

        #[test]
        fn any_string_gets_an_answer_not_a_panic(s in "\\PC{0,40}") {
            let _ = normalize(&s);
        }
    }
}
