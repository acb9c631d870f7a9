//! Reusable materials (材料): documents an owner hands in again and again (articles of association, lease,
//! ID of the legal representative …). The guide matches required materials against these by `kind`.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::text;
use crate::error::{Issues, Result};

/// One kind of material in the catalog (core/content/materials.json).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct MaterialKind {
    pub code: String,
    pub name: String,
    /// How long such a material usually stays valid, in words.
    pub validity: String,
    /// The same in days, when it expires at all.
    pub validity_days: Option<u32>,
}

/// Materials outside the catalog are kept under this code.
pub const OTHER: &str = "other";

pub fn kinds() -> &'static [MaterialKind] {
    static CELL: OnceLock<Vec<MaterialKind>> = OnceLock::new();
    CELL.get_or_init(|| serde_json::from_slice(include_bytes!("../../content/materials.json")).unwrap_or_default())
}

pub fn kind(code: &str) -> Option<&'static MaterialKind> {
    kinds().iter().find(|k| k.code == code)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MaterialData {
    /// A catalog code, or `other`.
    pub kind: String,
    pub title: String,
    /// `None` when the material does not expire.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    /// The vault document holding the scan, once the vault has it.
    #[serde(default)]
    pub vault_document: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Material {
    pub id: i64,
    pub uscc: String,
    pub data: MaterialData,
    pub kind_name: String,
    pub days_left: Option<i64>,
}

impl MaterialData {
    pub fn cleaned(&self) -> MaterialData {
        MaterialData {
            kind: self.kind.trim().to_owned(),
            title: text::clean(&self.title),
            vault_document: self.vault_document.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned),
            ..self.clone()
        }
    }

    pub fn validate(&self) -> Result<()> {
        let mut issues = Issues::default();
        if self.kind != OTHER && kind(&self.kind).is_none() {
            issues.push(
                "kind",
                format!("未知的材料类型“{}”", self.kind),
                format!("unknown material kind {:?}", self.kind),
            );
        }
        text::check(&mut issues, "title", "材料名称", &self.title, 100, true);
        if let Some(doc) = &self.vault_document {
            text::check(&mut issues, "vault_document", "证照夹文件编号", doc, 64, false);
        }
        issues.into_result()
    }
}

/// The display name of a material kind code.
pub fn kind_name(code: &str) -> String {
    kind(code).map(|k| k.name.clone()).unwrap_or_else(|| "其他材料".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_and_checks() {
        assert!(kinds().len() >= 30);
        assert!(kind("articles_of_association").is_some());
        let m = MaterialData {
            kind: "lease_contract".into(),
            title: " 租赁合同 ".into(),
            valid_until: None,
            vault_document: Some(" ".into()),
        };
        let m = m.cleaned();
        assert_eq!((m.title.as_str(), m.vault_document.as_deref()), ("租赁合同", None));
        assert!(m.validate().is_ok());
        let bad = MaterialData { kind: "x".into(), title: "".into(), valid_until: None, vault_document: None };
        assert_eq!(bad.validate().unwrap_err().issues().len(), 2);
        assert!(MaterialData { kind: OTHER.into(), ..m }.validate().is_ok());
    }
}
