//! The portable form of one company: a versioned JSON document that export writes and import reads.
//!
//! It holds what the owner entered, nothing derived (size class, stage, days left are recomputed) and no
//! database ids (a document imported elsewhere gets new ones), so an export → import → export round trip
//! gives the same bytes. `format` and `version` let a future reader refuse or upgrade old documents.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Channel, Company, LicenceData, MaterialData, RecordData, StatusChange, record};
use crate::error::{Error, Issues, Result};

pub const FORMAT: &str = "zhuanshu/company";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyDocument {
    pub format: String,
    pub version: u32,
    pub company: Company,
    #[serde(default)]
    pub licences: Vec<LicenceData>,
    #[serde(default)]
    pub materials: Vec<MaterialData>,
    #[serde(default)]
    pub records: Vec<RecordDocument>,
}

/// A record with its history, flat as it appears in the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordDocument {
    pub item_code: String,
    pub item_name: String,
    pub channel: Channel,
    pub submitted_on: NaiveDate,
    pub history: Vec<StatusChange>,
}

impl RecordDocument {
    pub fn new(data: RecordData, history: Vec<StatusChange>) -> Self {
        RecordDocument {
            item_code: data.item_code,
            item_name: data.item_name,
            channel: data.channel,
            submitted_on: data.submitted_on,
            history,
        }
    }

    pub fn data(&self) -> RecordData {
        RecordData {
            item_code: self.item_code.clone(),
            item_name: self.item_name.clone(),
            channel: self.channel,
            submitted_on: self.submitted_on,
        }
    }
}

impl CompanyDocument {
    pub fn new(
        company: Company,
        licences: Vec<LicenceData>,
        materials: Vec<MaterialData>,
        records: Vec<RecordDocument>,
    ) -> Self {
        CompanyDocument { format: FORMAT.to_owned(), version: VERSION, company, licences, materials, records }
    }

    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Internal(format!("export failed: {e}")))
    }

    /// Parses a document. A structural problem (not JSON, a wrong type, an unknown field) is reported
    /// with the path where parsing stopped, e.g. `licences[2].valid_until`.
    pub fn from_json(json: &str) -> Result<CompanyDocument> {
        let de = &mut serde_json::Deserializer::from_slice(json.as_bytes());
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                Error::Format(format!("not JSON: {inner}"))
            } else {
                Error::invalid(
                    if path == "." { "" } else { &path },
                    format!("格式不正确（第{}行第{}列）", inner.line(), inner.column()),
                    inner.to_string(),
                )
            }
        })
    }

    pub(crate) fn cleaned(&self) -> CompanyDocument {
        CompanyDocument {
            format: self.format.clone(),
            version: self.version,
            company: self.company.cleaned(),
            licences: self.licences.iter().map(LicenceData::cleaned).collect(),
            materials: self.materials.iter().map(MaterialData::cleaned).collect(),
            records: self.records.iter().map(|r| RecordDocument::new(r.data().cleaned(), r.history.clone())).collect(),
        }
    }

    /// Checks the whole (cleaned) document; every issue carries its path.
    pub(crate) fn validate(&self, today: NaiveDate) -> Result<()> {
        if self.format != FORMAT || self.version != VERSION {
            return Err(Error::Format(format!(
                "expected format {FORMAT:?} version {VERSION}, got {:?} version {}",
                self.format, self.version
            )));
        }
        let mut issues = Issues::default();
        issues.nest("company", self.company.validate(today));
        for (i, l) in self.licences.iter().enumerate() {
            issues.nest(&format!("licences[{i}]"), l.validate(today));
        }
        for (i, m) in self.materials.iter().enumerate() {
            issues.nest(&format!("materials[{i}]"), m.validate());
        }
        for (i, r) in self.records.iter().enumerate() {
            let path = format!("records[{i}]");
            issues.nest(&path, r.data().validate(today));
            issues.nest(&path, record::check_history(&r.history));
            if r.history.first().is_some_and(|first| first.at.date() < r.submitted_on) {
                issues.push(
                    format!("{path}.history[0].at"),
                    "第一个状态的时间早于提交日期",
                    "the first status is dated before submitted_on",
                );
            }
        }
        issues.into_result()
    }

    /// Moves every date in the document by `days` (demo data is written around a fixed day and moved
    /// to the real today, so that "expires in 45 days" stays true whenever the demo runs).
    pub fn shift_dates(&mut self, days: i64) {
        let d = chrono::Duration::days(days);
        self.company.established_on += d;
        for l in &mut self.licences {
            l.issued_on += d;
            l.valid_until = l.valid_until.map(|v| v + d);
        }
        for m in &mut self.materials {
            m.valid_until = m.valid_until.map(|v| v + d);
        }
        for r in &mut self.records {
            r.submitted_on += d;
            for h in &mut r.history {
                h.at += d;
            }
        }
    }
}
