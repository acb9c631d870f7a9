//! The one rule for free text fields: any Unicode is welcome (生僻字 such as 𠈌 U+2000C included), but
//! not control characters, which cannot be seen, break exports and are never typed on purpose.
//! Lengths are counted in characters, not bytes, so a name of rare characters is not penalised.

use crate::error::Issues;

/// Trims surrounding white space; the stored value is exactly what is returned here.
pub fn clean(value: &str) -> String {
    value.trim().to_owned()
}

/// Checks one (already cleaned) field.
pub fn check(issues: &mut Issues, path: &str, label: &str, value: &str, max_chars: usize, required: bool) {
    if value.is_empty() {
        if required {
            issues.push(path, format!("请填写{label}"), format!("{path} is required"));
        }
        return;
    }
    let count = value.chars().count();
    if count > max_chars {
        issues.push(
            path,
            format!("{label}最多{max_chars}个字，当前{count}个"),
            format!("{path} has {count} characters, at most {max_chars} allowed"),
        );
    }
    if let Some(c) = value.chars().find(|c| c.is_control() && *c != '\n') {
        issues.push(
            path,
            format!("{label}含有不可见的控制字符，请删除后重试"),
            format!("{path} contains control character U+{:04X}", u32::from(c)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_characters_count_as_one_and_controls_are_refused() {
        let mut issues = Issues::default();
        check(&mut issues, "name", "名称", "𠈌𠈌", 2, true);
        assert!(issues.is_empty());
        check(&mut issues, "name", "名称", "a\u{0}b", 10, true);
        check(&mut issues, "name", "名称", "", 10, true);
        check(&mut issues, "name", "名称", "abc", 2, true);
        let err = issues.into_result().unwrap_err();
        let messages: Vec<&str> = err.issues().iter().map(|i| i.user_message.as_str()).collect();
        assert_eq!(messages, ["名称含有不可见的控制字符，请删除后重试", "请填写名称", "名称最多2个字，当前3个"]);
    }
}
