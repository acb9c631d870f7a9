//! The forms of a company's licences, materials and application records, as an owner types them. Like
//! the company form ([`super::form`]), every front end shows these fields and hands the typed text here:
//! the core reads the dates (half or full width), says which field is empty or unreadable, then runs the
//! item's own rules, all at once and by field. So a missing date reads the same on a phone and in the
//! browser, and no front end words a message of its own.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::form::{fold_digit, read_date};
use super::licence::LicenceData;
use super::material::MaterialData;
use super::record::{Channel, RecordData};
use crate::error::{Error, Issues, Result};

/// The licence form. Dates are `YYYY-MM-DD`; an empty `valid_until` is 长期有效.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LicenceForm {
    /// A code of the licence catalog.
    pub kind: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub number: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub issuer: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub issued_on: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub valid_until: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub scope: String,
}

/// The material form. An empty `valid_until` means the material does not expire. The vault scan is
/// linked from the vault, not typed here, so saving the form keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MaterialForm {
    /// A code of the material catalog, or `other`.
    pub kind: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub title: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub valid_until: String,
}

/// The application record form. `lookup_password` (查询密码) is sealed by the vault when given; empty
/// leaves a saved record's password as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct RecordForm {
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub item_code: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub item_name: String,
    pub channel: Channel,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub submitted_on: String,
    #[cfg_attr(feature = "ffi", uniffi(default))]
    pub lookup_password: String,
}

impl LicenceForm {
    /// The empty form of a new licence: the 营业执照, which every company has.
    pub fn new() -> LicenceForm {
        LicenceForm {
            kind: "business_licence".into(),
            number: String::new(),
            issuer: String::new(),
            issued_on: String::new(),
            valid_until: String::new(),
            scope: String::new(),
        }
    }

    pub fn from_data(d: &LicenceData) -> LicenceForm {
        LicenceForm {
            kind: d.kind.clone(),
            number: d.number.clone(),
            issuer: d.issuer.clone(),
            issued_on: d.issued_on.to_string(),
            valid_until: d.valid_until.map(|d| d.to_string()).unwrap_or_default(),
            scope: d.scope.clone(),
        }
    }

    /// Reads the typed text and checks the licence's rules; every problem at once, by field.
    pub fn read(&self, today: NaiveDate) -> Result<LicenceData> {
        let mut issues = Issues::default();
        let issued_on = date(&mut issues, "issued_on", "发证日期", &self.issued_on, true);
        let valid_until = date(&mut issues, "valid_until", "有效期至", &self.valid_until, false);
        let data = LicenceData {
            kind: self.kind.clone(),
            number: self.number.clone(),
            issuer: self.issuer.clone(),
            // A stand-in no rule can trip over (not today: 有效期至 would then seem "before" it).
            issued_on: issued_on.unwrap_or(NaiveDate::MIN),
            valid_until,
            scope: self.scope.clone(),
        }
        .cleaned();
        // An unreadable 有效期至 reads as 长期有效 above; the rule that a dated licence needs one would
        // then repeat the reading issue in other words.
        let unread = issues.paths();
        merge(&mut issues, data.validate(today), &unread);
        issues.into_result()?;
        Ok(data)
    }
}

impl Default for LicenceForm {
    fn default() -> Self {
        Self::new()
    }
}

impl MaterialForm {
    /// The empty form of a new material (营业执照副本 is the most reused one).
    pub fn new() -> MaterialForm {
        MaterialForm { kind: super::material::OTHER.into(), title: String::new(), valid_until: String::new() }
    }

    pub fn from_data(d: &MaterialData) -> MaterialForm {
        MaterialForm {
            kind: d.kind.clone(),
            title: d.title.clone(),
            valid_until: d.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// Reads the form; `vault_document` is the saved material's scan (kept), `None` for a new one.
    pub fn read(&self, vault_document: Option<String>) -> Result<MaterialData> {
        let mut issues = Issues::default();
        let valid_until = date(&mut issues, "valid_until", "有效期至", &self.valid_until, false);
        let data =
            MaterialData { kind: self.kind.clone(), title: self.title.clone(), valid_until, vault_document }.cleaned();
        let unread = issues.paths();
        merge(&mut issues, data.validate(), &unread);
        issues.into_result()?;
        Ok(data)
    }
}

impl Default for MaterialForm {
    fn default() -> Self {
        Self::new()
    }
}

impl RecordForm {
    /// The empty form of a new record, submitted today online (一网通办), the usual case.
    pub fn new(today: NaiveDate) -> RecordForm {
        RecordForm {
            item_code: String::new(),
            item_name: String::new(),
            channel: Channel::Online,
            submitted_on: today.to_string(),
            lookup_password: String::new(),
        }
    }

    /// A saved record's form; its 查询密码 is not filled (it needs the vault, and is shown on its own).
    pub fn from_data(d: &RecordData) -> RecordForm {
        RecordForm {
            item_code: d.item_code.clone(),
            item_name: d.item_name.clone(),
            channel: d.channel,
            submitted_on: d.submitted_on.to_string(),
            lookup_password: String::new(),
        }
    }

    /// Reads the form into the record and the password to seal (`None` when the field is empty). The
    /// password's own rules are checked here too, so a bad one stops the save before anything is written.
    pub fn read(&self, today: NaiveDate) -> Result<(RecordData, Option<String>)> {
        let mut issues = Issues::default();
        let submitted_on = date(&mut issues, "submitted_on", "提交日期", &self.submitted_on, true);
        let data = RecordData {
            item_code: self.item_code.clone(),
            item_name: self.item_name.clone(),
            channel: self.channel,
            submitted_on: submitted_on.unwrap_or(today),
        }
        .cleaned();
        let unread = issues.paths();
        merge(&mut issues, data.validate(today), &unread);
        let password = match self.lookup_password.as_str() {
            "" => None,
            p => {
                merge(&mut issues, super::lookup_password::check(p), &[]);
                Some(p.to_owned())
            }
        };
        issues.into_result()?;
        Ok((data, password))
    }
}

/// The time of a status change as typed: `YYYY-MM-DD HH:MM`, with `T` for the space and optional
/// seconds (as a phone's picker or the browser's `datetime-local` give it), or a date alone (00:00).
/// Empty is `None`: now.
pub fn read_status_time(text: &str) -> Result<Option<NaiveDateTime>> {
    let folded: String = text.trim().chars().map(fold_digit).map(|c| if c == '：' { ':' } else { c }).collect();
    if folded.is_empty() {
        return Ok(None);
    }
    let normal = folded.replacen(' ', "T", 1);
    let parsed = NaiveDateTime::parse_from_str(&normal, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&normal, "%Y-%m-%dT%H:%M"))
        .ok()
        .or_else(|| normal.parse::<NaiveDate>().ok().map(|d| d.and_time(NaiveTime::MIN)));
    parsed.map(Some).ok_or_else(|| {
        Error::invalid(
            "at",
            format!("状态时间格式应为 YYYY-MM-DD HH:MM：{}", text.trim()),
            format!("at: not a date and time: {text:?}"),
        )
    })
}

/// A typed date: `None` when empty (an issue if `required`) or unreadable (always an issue).
fn date(issues: &mut Issues, field: &str, label: &str, text: &str, required: bool) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        if required {
            issues.push(field, format!("请填写{label}"), format!("{field} is empty"));
        }
        return None;
    }
    let read = read_date(text);
    if read.is_none() {
        issues.push(
            field,
            format!("{label}格式应为 YYYY-MM-DD：{}", text.trim()),
            format!("{field}: not a date: {text:?}"),
        );
    }
    read
}

/// Adds the item's own rule issues, except those on a field whose text could not be read: the value
/// there is a stand-in, and its reading issue already says what is wrong.
fn merge(issues: &mut Issues, rules: Result<()>, unread: &[String]) {
    if let Err(Error::Invalid(found)) = rules {
        for issue in found.into_iter().filter(|i| !unread.contains(&i.path)) {
            issues.push(issue.path, issue.user_message, issue.message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        "2026-11-21".parse().unwrap()
    }

    fn paths(e: &Error) -> Vec<&str> {
        e.issues().iter().map(|i| i.path.as_str()).collect()
    }

    fn messages(e: &Error) -> Vec<&str> {
        e.issues().iter().map(|i| i.user_message.as_str()).collect()
    }

    fn licence() -> LicenceForm {
        LicenceForm {
            kind: "food_business".into(),
            number: "JY13101150000001".into(),
            issuer: "浦东新区市场监督管理局".into(),
            issued_on: "２０２２－０１－１０".into(),
            valid_until: "2027-01-09".into(),
            scope: String::new(),
        }
    }

    #[test]
    fn a_licence_reads_back_unchanged_through_its_form() {
        let data = licence().read(today()).unwrap();
        assert_eq!(data.issued_on.to_string(), "2022-01-10");
        assert_eq!(LicenceForm::from_data(&data).read(today()).unwrap(), data);
    }

    #[test]
    fn missing_and_unreadable_dates_are_said_once_at_their_field() {
        let mut form = licence();
        form.issued_on = " ".into();
        form.valid_until = "明年".into();
        form.number = String::new();
        let e = form.read(today()).unwrap_err();
        // The unreadable 有效期至 is not also "required for a dated licence".
        assert_eq!(paths(&e), ["issued_on", "valid_until", "number"]);
        assert_eq!(messages(&e)[0], "请填写发证日期");
        assert_eq!(messages(&e)[1], "有效期至格式应为 YYYY-MM-DD：明年");
        // A missing 发证日期 is said once: a readable 有效期至 is not "before" a date nobody typed.
        form.valid_until = "2026-01-01".into();
        form.number = "JY1".into();
        assert_eq!(paths(&form.read(today()).unwrap_err()), ["issued_on"]);
    }

    #[test]
    fn a_dated_licence_without_an_end_is_refused_by_the_catalog_rule() {
        let mut form = licence();
        form.valid_until = String::new();
        assert_eq!(paths(&form.read(today()).unwrap_err()), ["valid_until"]);
        let mut business = LicenceForm::new();
        business.number = "91310115MA1K3YJ5A".into();
        business.issuer = "浦东新区市场监督管理局".into();
        business.issued_on = "2019-05-20".into();
        assert_eq!(business.read(today()).unwrap().valid_until, None, "营业执照 is 长期有效");
    }

    #[test]
    fn a_material_keeps_its_scan_and_reads_its_date() {
        let form =
            MaterialForm { kind: "other".into(), title: " 租赁合同 ".into(), valid_until: "2027-03-01".into() };
        let data = form.read(Some("doc-1".into())).unwrap();
        assert_eq!((data.title.as_str(), data.vault_document.as_deref()), ("租赁合同", Some("doc-1")));
        assert_eq!(MaterialForm::from_data(&data), MaterialForm { title: "租赁合同".into(), ..form });
        let bad = MaterialForm { kind: "nonsense".into(), title: String::new(), valid_until: "3/1".into() };
        assert_eq!(paths(&bad.read(None).unwrap_err()), ["valid_until", "kind", "title"]);
    }

    #[test]
    fn a_record_form_reads_its_password_and_refuses_a_bad_one_before_saving() {
        let mut form = RecordForm::new(today());
        form.item_code = "310115-001".into();
        form.item_name = "食品经营许可证延续".into();
        form.lookup_password = "Ab12".into();
        let (data, password) = form.read(today()).unwrap();
        assert_eq!((data.submitted_on, password.as_deref()), (today(), Some("Ab12")));
        form.lookup_password = "x".repeat(65);
        form.submitted_on = "2026-12-01".into();
        let e = form.read(today()).unwrap_err();
        assert_eq!(paths(&e), ["submitted_on", "lookup_password"]);
        form.lookup_password = "   ".into();
        form.submitted_on = "2026-11-01".into();
        assert_eq!(paths(&form.read(today()).unwrap_err()), ["lookup_password"]);
        assert_eq!(RecordForm::from_data(&data).lookup_password, "", "a saved password is never put in a form");
    }

    #[test]
    fn status_times_are_read_as_pickers_and_people_type_them() {
        let at = |t: &str| read_status_time(t).unwrap().map(|d| d.to_string());
        assert_eq!(at("2026-11-20T09:30"), Some("2026-11-20 09:30:00".into()));
        assert_eq!(at("2026-11-20 09:30:15"), Some("2026-11-20 09:30:15".into()));
        assert_eq!(at("２０２６－１１－２０ ０９：３０"), Some("2026-11-20 09:30:00".into()));
        assert_eq!(at("2026-11-20"), Some("2026-11-20 00:00:00".into()));
        assert_eq!(at("  "), None);
        let e = read_status_time("昨天下午").unwrap_err();
        assert_eq!((paths(&e), messages(&e)), (vec!["at"], vec!["状态时间格式应为 YYYY-MM-DD HH:MM：昨天下午"]));
    }
}
