//! Administrative divisions, GB/T 2260: six digits, province (2) + city (2) + county/district (2).
//!
//! The province prefix is checked against the list of all 34 provincial-level divisions, because a wrong
//! province is a typo we can catch for certain; deeper levels change every year (districts merge and
//! split), so an unknown district of a known province is accepted and shown by its province name.

use crate::error::{Error, Result};

/// All provincial-level divisions (省级行政区), by their two-digit prefix.
const PROVINCES: &[(&str, &str)] = &[
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
    ("71", "台湾省"),
    ("81", "香港特别行政区"),
    ("82", "澳门特别行政区"),
];

/// Named divisions below province level: all 16 districts of Shanghai, plus the province-level cities'
/// own codes so that "310000" reads as 上海市.
const DISTRICTS: &[(&str, &str)] = &[
    ("310101", "黄浦区"),
    ("310104", "徐汇区"),
    ("310105", "长宁区"),
    ("310106", "静安区"),
    ("310107", "普陀区"),
    ("310109", "虹口区"),
    ("310110", "杨浦区"),
    ("310112", "闵行区"),
    ("310113", "宝山区"),
    ("310114", "嘉定区"),
    ("310115", "浦东新区"),
    ("310116", "金山区"),
    ("310117", "松江区"),
    ("310118", "青浦区"),
    ("310120", "奉贤区"),
    ("310151", "崇明区"),
];

/// One division with a name, for pickers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Region {
    pub code: String,
    pub name: String,
}

/// Every division this build can name: provinces (as `XX0000`) then Shanghai's districts.
pub fn all() -> Vec<Region> {
    PROVINCES
        .iter()
        .map(|(p, n)| Region { code: format!("{p}0000"), name: (*n).to_owned() })
        .chain(DISTRICTS.iter().map(|(c, n)| Region { code: (*c).to_owned(), name: (*n).to_owned() }))
        .collect()
}

/// Checks a division code: six ASCII digits whose first two name a province.
pub fn validate(code: &str) -> Result<()> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(
            "district",
            format!("行政区划代码应为6位数字，当前为“{code}”"),
            format!("a division code has 6 ASCII digits, got {code:?}"),
        ));
    }
    if province(code).is_none() {
        return Err(Error::invalid(
            "district",
            format!("行政区划代码“{code}”的前两位不是有效的省级代码"),
            format!("division code {code} does not start with a province code"),
        ));
    }
    Ok(())
}

fn province(code: &str) -> Option<&'static str> {
    let prefix = code.get(..2)?;
    PROVINCES.iter().find(|(p, _)| *p == prefix).map(|(_, n)| *n)
}

/// The fullest name known: `上海市浦东新区`, or the province alone for an unlisted district.
pub fn name(code: &str) -> Option<String> {
    let province = province(code)?;
    match DISTRICTS.iter().find(|(c, _)| *c == code) {
        Some((_, district)) => Some(format!("{province}{district}")),
        None => Some(province.to_owned()),
    }
}

/// The six-digit code of a division prefix: `31` (a province) → `310000`, `3101` (a city) → `310100`;
/// a full code stays as it is. Catalogs name regions by prefix; [`name`] and the lists work on codes.
pub fn code_of_prefix(prefix: &str) -> String {
    format!("{prefix:0<6}")
}

/// The name of a division prefix (2, 4 or 6 digits), as [`name`] gives it for [`code_of_prefix`].
pub fn prefix_name(prefix: &str) -> Option<String> {
    name(&code_of_prefix(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_provinces_and_shanghai_districts_are_named() {
        assert_eq!(PROVINCES.len(), 34);
        assert_eq!(DISTRICTS.len(), 16);
        assert_eq!(name("310115").as_deref(), Some("上海市浦东新区"));
        assert_eq!(name("440305").as_deref(), Some("广东省"));
        assert_eq!(name("650000").as_deref(), Some("新疆维吾尔自治区"));
        assert_eq!(all().len(), 50);
    }

    #[test]
    fn prefixes_are_padded_to_codes_and_named() {
        assert_eq!(code_of_prefix("31"), "310000");
        assert_eq!(code_of_prefix("3101"), "310100");
        assert_eq!(code_of_prefix("310115"), "310115");
        assert_eq!(prefix_name("31").as_deref(), Some("上海市"));
        assert_eq!(prefix_name("310115").as_deref(), Some("上海市浦东新区"));
        assert_eq!(prefix_name("4403").as_deref(), Some("广东省"));
        assert_eq!(prefix_name("99"), None);
    }

    #[test]
    fn bad_codes_are_rejected_with_reasons() {
        assert!(validate("310115").is_ok());
        assert!(validate("31011").unwrap_err().user_message().contains("6位数字"));
        assert!(validate("３１０１１５").is_err(), "full-width digits are not ASCII digits");
        assert!(validate("990101").unwrap_err().user_message().contains("省级代码"));
    }
}
