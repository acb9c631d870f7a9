//! The fictional demo companies embedded in every build (core/content/demo), for `load_demo` and tests.

use chrono::NaiveDate;
use serde::Deserialize;

use super::CompanyDocument;
use crate::error::{Error, Result};

#[derive(Deserialize)]
struct DemoFile {
    anchor: NaiveDate,
    companies: Vec<CompanyDocument>,
}

/// The fictional demo companies, with every date moved so that the file's anchor day becomes `today`
/// (a licence written to expire 45 days after the anchor expires 45 days after `today`).
pub fn demo_companies(today: NaiveDate) -> Result<Vec<CompanyDocument>> {
    let file: DemoFile = serde_json::from_slice(include_bytes!("../../content/demo/companies.json"))
        .map_err(|e| Error::Internal(format!("embedded demo data: {e}")))?;
    let offset = (today - file.anchor).num_days();
    Ok(file
        .companies
        .into_iter()
        .map(|mut doc| {
            doc.shift_dates(offset);
            doc
        })
        .collect())
}
