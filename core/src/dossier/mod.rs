//! The company dossier (一企一档): several companies per owner, one of them current, each with its
//! licences, reusable materials and application records.
//!
//! [`Dossier`] is the service the facade hands out. Every method is one user action: it cleans and checks
//! its input, then writes in one transaction.

pub mod choice;
pub mod company;
pub(crate) mod db;
pub mod demo;
pub mod export;
pub mod form;
pub mod industry;
pub mod item_form;
pub mod licence;
mod lookup_password;
pub mod material;
pub mod money;
pub mod record;
pub mod region;
pub mod scale;
pub mod stage;
mod text;
pub mod uscc;

use chrono::NaiveDate;
use serde::Serialize;

pub use choice::Choice;
pub use company::{Company, CompanyType, CreditGrade, KNOWN_TAGS, TaxpayerKind};
pub use export::CompanyDocument;
pub use form::{CompanyForm, split_tags};
pub use industry::Industry;
pub use item_form::{LicenceForm, MaterialForm, RecordForm};
pub use licence::{Licence, LicenceData, LicenceKind};
pub use material::{Material, MaterialData, MaterialKind};
pub use record::{Channel, Record, RecordData, RecordStatus, StatusChange};
pub use region::Region;
pub use scale::{SizeAssessment, SizeClass};
pub use stage::LifeStage;

use crate::context::Context;
use crate::error::{Entity, Error, Result};
use crate::store;

const CURRENT_COMPANY: &str = "current_company";

/// A company with everything derived from its profile on a given day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct CompanyOverview {
    pub company: Company,
    pub current: bool,
    /// `上海市浦东新区`.
    pub district_name: String,
    /// `软件和信息技术服务业`.
    pub industry_name: String,
    pub company_type_label: String,
    pub taxpayer_kind_label: String,
    pub size: SizeAssessment,
    pub age_years: i32,
    pub stage: LifeStage,
    pub stage_label: String,
}

impl CompanyOverview {
    pub fn derive(company: Company, current: bool, today: NaiveDate) -> CompanyOverview {
        let size = scale::assess(&company.industry, company.employees, company.revenue_fen, company.total_assets_fen);
        let stage = stage::stage(company.established_on, today);
        CompanyOverview {
            current,
            district_name: region::name(&company.district).unwrap_or_default(),
            industry_name: industry::name(&company.industry).unwrap_or_default(),
            company_type_label: company.company_type.label().to_owned(),
            taxpayer_kind_label: company.taxpayer_kind.label().to_owned(),
            size,
            age_years: stage::age_years(company.established_on, today),
            stage,
            stage_label: stage.label().to_owned(),
            company,
        }
    }
}

fn days_left(until: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    until.map(|u| (u - today).num_days())
}

fn licence_view((id, uscc, data): (i64, String, LicenceData), today: NaiveDate) -> Licence {
    let kind_name = licence::kind(&data.kind).map(|k| k.name.clone()).unwrap_or_else(|| data.kind.clone());
    Licence { id, uscc, kind_name, days_left: days_left(data.valid_until, today), data }
}

fn material_view((id, uscc, data): (i64, String, MaterialData), today: NaiveDate) -> Material {
    Material {
        id,
        uscc,
        kind_name: material::kind_name(&data.kind),
        days_left: days_left(data.valid_until, today),
        data,
    }
}

fn record_view((id, uscc, data, history): (i64, String, RecordData, Vec<StatusChange>)) -> Record {
    Record { id, uscc, data, history }
}

fn not_found(what: Entity, key: impl ToString) -> Error {
    Error::NotFound { what, key: key.to_string() }
}

/// The dossier service. Borrowed from [`Zhuanshu::dossier`].
pub struct Dossier<'a> {
    ctx: &'a Context,
}

impl<'a> Dossier<'a> {
    pub(crate) fn new(ctx: &'a Context) -> Self {
        Dossier { ctx }
    }

    fn today(&self) -> NaiveDate {
        self.ctx.clock().today()
    }

    // ---- companies ----

    /// All companies, in the order they were added.
    pub fn companies(&self) -> Result<Vec<CompanyOverview>> {
        let today = self.today();
        self.ctx.store()?.read(|c| {
            let current = store::get_setting(c, CURRENT_COMPANY)?;
            Ok(db::list_companies(c)?
                .into_iter()
                .map(|co| {
                    let is_current = current.as_deref() == Some(co.uscc.as_str());
                    CompanyOverview::derive(co, is_current, today)
                })
                .collect())
        })
    }

    /// One company by code (any case).
    pub fn company(&self, uscc: &str) -> Result<CompanyOverview> {
        let key = uscc.trim().to_ascii_uppercase();
        let today = self.today();
        self.ctx.store()?.read(|c| {
            let company = db::get_company(c, &key)?.ok_or_else(|| not_found(Entity::Company, &key))?;
            let current = store::get_setting(c, CURRENT_COMPANY)?.as_deref() == Some(key.as_str());
            Ok(CompanyOverview::derive(company, current, today))
        })
    }

    /// The current company, or `NoCurrentCompany`.
    pub fn current(&self) -> Result<CompanyOverview> {
        let uscc =
            self.ctx.store()?.read(|c| store::get_setting(c, CURRENT_COMPANY))?.ok_or(Error::NoCurrentCompany)?;
        self.company(&uscc)
    }

    /// The company form (see [`CompanyForm`]): the saved profile of `uscc` as text, for editing, or the
    /// empty form of a new company when `uscc` is `None`.
    pub fn company_form(&self, uscc: Option<String>) -> Result<CompanyForm> {
        match uscc {
            Some(uscc) => Ok(CompanyForm::from_company(&self.company(&uscc)?.company)),
            None => Ok(CompanyForm::default()),
        }
    }

    /// Reads what the owner typed into the company form: the profile to pass to [`Self::add_company`] or
    /// [`Self::update_company`], or `invalid_input` with one issue per form field that is wrong.
    pub fn read_company_form(&self, form: &CompanyForm) -> Result<Company> {
        form.read(self.today())
    }

    /// Adds a company; the first company added becomes current.
    pub fn add_company(&self, company: &Company) -> Result<CompanyOverview> {
        let company = company.cleaned();
        company.validate(self.today())?;
        self.ctx.store()?.write(|tx| {
            if db::get_company(tx, &company.uscc)?.is_some() {
                return Err(Error::AlreadyExists { what: Entity::Company, key: company.uscc.clone() });
            }
            db::insert_company(tx, &company)?;
            if store::get_setting(tx, CURRENT_COMPANY)?.is_none() {
                store::set_setting(tx, CURRENT_COMPANY, Some(&company.uscc))?;
            }
            Ok(())
        })?;
        self.company(&company.uscc)
    }

    /// Replaces the profile of `uscc`. The code itself may be corrected; licences, materials and records
    /// follow it.
    pub fn update_company(&self, uscc: &str, company: &Company) -> Result<CompanyOverview> {
        let key = uscc.trim().to_ascii_uppercase();
        let company = company.cleaned();
        company.validate(self.today())?;
        self.ctx.store()?.write(|tx| {
            if company.uscc != key && db::get_company(tx, &company.uscc)?.is_some() {
                return Err(Error::AlreadyExists { what: Entity::Company, key: company.uscc.clone() });
            }
            if !db::update_company(tx, &key, &company)? {
                return Err(not_found(Entity::Company, &key));
            }
            if store::get_setting(tx, CURRENT_COMPANY)?.as_deref() == Some(key.as_str()) {
                store::set_setting(tx, CURRENT_COMPANY, Some(&company.uscc))?;
            }
            Ok(())
        })?;
        self.company(&company.uscc)
    }

    /// Removes a company with all its licences, materials and records. If it was current, the oldest
    /// remaining company becomes current.
    pub fn remove_company(&self, uscc: &str) -> Result<()> {
        let key = uscc.trim().to_ascii_uppercase();
        self.ctx.store()?.write(|tx| {
            if !db::delete_company(tx, &key)? {
                return Err(not_found(Entity::Company, &key));
            }
            if store::get_setting(tx, CURRENT_COMPANY)?.as_deref() == Some(key.as_str()) {
                let next = db::list_companies(tx)?.into_iter().next().map(|c| c.uscc);
                store::set_setting(tx, CURRENT_COMPANY, next.as_deref())?;
            }
            Ok(())
        })
    }

    /// Makes `uscc` the current company.
    pub fn use_company(&self, uscc: &str) -> Result<CompanyOverview> {
        let key = uscc.trim().to_ascii_uppercase();
        self.ctx.store()?.write(|tx| {
            if db::get_company(tx, &key)?.is_none() {
                return Err(not_found(Entity::Company, &key));
            }
            store::set_setting(tx, CURRENT_COMPANY, Some(&key))
        })?;
        self.company(&key)
    }

    fn require_company(tx: &rusqlite::Connection, uscc: &str) -> Result<String> {
        let key = uscc.trim().to_ascii_uppercase();
        match db::get_company(tx, &key)? {
            Some(_) => Ok(key),
            None => Err(not_found(Entity::Company, &key)),
        }
    }

    // ---- licences ----

    pub fn licences(&self, uscc: &str) -> Result<Vec<Licence>> {
        let today = self.today();
        self.ctx.store()?.read(|c| {
            let key = Self::require_company(c, uscc)?;
            Ok(db::list_licences(c, &key)?.into_iter().map(|row| licence_view(row, today)).collect())
        })
    }

    pub fn licence(&self, id: i64) -> Result<Licence> {
        let today = self.today();
        let row = self.ctx.store()?.read(|c| db::get_licence(c, id))?.ok_or_else(|| not_found(Entity::Licence, id))?;
        Ok(licence_view(row, today))
    }

    pub fn add_licence(&self, uscc: &str, data: &LicenceData) -> Result<Licence> {
        let data = data.cleaned();
        data.validate(self.today())?;
        let id = self.ctx.store()?.write(|tx| {
            let key = Self::require_company(tx, uscc)?;
            db::insert_licence(tx, &key, &data)
        })?;
        self.licence(id)
    }

    pub fn update_licence(&self, id: i64, data: &LicenceData) -> Result<Licence> {
        let data = data.cleaned();
        data.validate(self.today())?;
        self.ctx.store()?.write(|tx| {
            if db::update_licence(tx, id, &data)? { Ok(()) } else { Err(not_found(Entity::Licence, id)) }
        })?;
        self.licence(id)
    }

    pub fn remove_licence(&self, id: i64) -> Result<()> {
        self.ctx.store()?.write(
            |tx| {
                if db::delete_licence(tx, id)? { Ok(()) } else { Err(not_found(Entity::Licence, id)) }
            },
        )
    }

    // ---- materials ----

    pub fn materials(&self, uscc: &str) -> Result<Vec<Material>> {
        let today = self.today();
        self.ctx.store()?.read(|c| {
            let key = Self::require_company(c, uscc)?;
            Ok(db::list_materials(c, &key)?.into_iter().map(|row| material_view(row, today)).collect())
        })
    }

    pub fn material(&self, id: i64) -> Result<Material> {
        let today = self.today();
        let row =
            self.ctx.store()?.read(|c| db::get_material(c, id))?.ok_or_else(|| not_found(Entity::Material, id))?;
        Ok(material_view(row, today))
    }

    pub fn add_material(&self, uscc: &str, data: &MaterialData) -> Result<Material> {
        let data = data.cleaned();
        data.validate()?;
        let id = self.ctx.store()?.write(|tx| {
            let key = Self::require_company(tx, uscc)?;
            db::insert_material(tx, &key, &data)
        })?;
        self.material(id)
    }

    pub fn update_material(&self, id: i64, data: &MaterialData) -> Result<Material> {
        let data = data.cleaned();
        data.validate()?;
        self.ctx.store()?.write(|tx| {
            if db::update_material(tx, id, &data)? { Ok(()) } else { Err(not_found(Entity::Material, id)) }
        })?;
        self.material(id)
    }

    pub fn remove_material(&self, id: i64) -> Result<()> {
        self.ctx
            .store()?
            .write(|tx| if db::delete_material(tx, id)? { Ok(()) } else { Err(not_found(Entity::Material, id)) })
    }

    // ---- records ----

    pub fn records(&self, uscc: &str) -> Result<Vec<Record>> {
        self.ctx.store()?.read(|c| {
            let key = Self::require_company(c, uscc)?;
            Ok(db::list_records(c, &key)?.into_iter().map(record_view).collect())
        })
    }

    pub fn record(&self, id: i64) -> Result<Record> {
        let row = self.ctx.store()?.read(|c| db::get_record(c, id))?.ok_or_else(|| not_found(Entity::Record, id))?;
        Ok(record_view(row))
    }

    /// Adds an application record; its history starts with 已提交 on the submission day (the time of day
    /// is unknown and recorded as 00:00).
    pub fn add_record(&self, uscc: &str, data: &RecordData) -> Result<Record> {
        let data = data.cleaned();
        data.validate(self.today())?;
        let first =
            StatusChange { status: RecordStatus::Submitted, at: data.submitted_on.and_time(Default::default()) };
        let id = self.ctx.store()?.write(|tx| {
            let key = Self::require_company(tx, uscc)?;
            let id = db::insert_record(tx, &key, &data)?;
            db::insert_status(tx, id, &first)?;
            Ok(id)
        })?;
        self.record(id)
    }

    /// Records a status change reported by the department at `at`, as typed (see
    /// [`item_form::read_status_time`]); empty is now.
    pub fn set_record_status(&self, id: i64, status: RecordStatus, at: &str) -> Result<Record> {
        let now = self.ctx.clock().now();
        let change = StatusChange { status, at: item_form::read_status_time(at)?.unwrap_or(now) };
        if change.at > now {
            return Err(Error::invalid("at", format!("状态时间{}晚于现在", change.at), "status time is in the future"));
        }
        self.ctx.store()?.write(|tx| {
            let (_, _, _, history) = db::get_record(tx, id)?.ok_or_else(|| not_found(Entity::Record, id))?;
            record::check_transition(&history, &change)?;
            db::insert_status(tx, id, &change)
        })?;
        self.record(id)
    }

    /// Replaces what the owner entered for a record. Its first status (已提交) moves to the new
    /// submission day, keeping its time; a day after a later status is refused.
    pub fn update_record(&self, id: i64, data: &RecordData) -> Result<Record> {
        let data = data.cleaned();
        data.validate(self.today())?;
        self.ctx.store()?.write(|tx| {
            let (_, _, _, mut history) = db::get_record(tx, id)?.ok_or_else(|| not_found(Entity::Record, id))?;
            if let Some(first) = history.first_mut() {
                first.at = data.submitted_on.and_time(first.at.time());
            }
            if let Err(Error::Invalid(_)) = record::check_history(&history) {
                return Err(Error::invalid(
                    "submitted_on",
                    format!("提交日期{}晚于之后的办理进度", data.submitted_on),
                    "submitted_on is after a later status",
                ));
            }
            db::update_record(tx, id, &data, history.first().map(|f| f.at))
        })?;
        self.record(id)
    }

    pub fn remove_record(&self, id: i64) -> Result<()> {
        self.ctx.store()?.write(
            |tx| {
                if db::delete_record(tx, id)? { Ok(()) } else { Err(not_found(Entity::Record, id)) }
            },
        )
    }

    // ---- the item forms: what every front end shows and saves ----

    /// The form of licence `id`, or the empty form of a new one.
    pub fn licence_form(&self, id: Option<i64>) -> Result<LicenceForm> {
        Ok(match id {
            Some(id) => LicenceForm::from_data(&self.licence(id)?.data),
            None => LicenceForm::new(),
        })
    }

    /// Reads the form and adds the licence to company `uscc` (`id` none) or replaces licence `id`, which
    /// must be that company's.
    pub fn save_licence(&self, uscc: &str, id: Option<i64>, form: &LicenceForm) -> Result<Licence> {
        let data = form.read(self.today())?;
        match id {
            None => self.add_licence(uscc, &data),
            Some(id) => {
                self.owned(uscc, Entity::Licence, id, self.licence(id).map(|l| l.uscc))?;
                self.update_licence(id, &data)
            }
        }
    }

    /// The form of material `id`, or the empty form of a new one.
    pub fn material_form(&self, id: Option<i64>) -> Result<MaterialForm> {
        Ok(match id {
            Some(id) => MaterialForm::from_data(&self.material(id)?.data),
            None => MaterialForm::new(),
        })
    }

    /// Reads the form and adds or replaces a material of company `uscc`; a saved material keeps its scan.
    pub fn save_material(&self, uscc: &str, id: Option<i64>, form: &MaterialForm) -> Result<Material> {
        match id {
            None => self.add_material(uscc, &form.read(None)?),
            Some(id) => {
                let saved = self.material(id);
                let scan = saved.as_ref().ok().and_then(|m| m.data.vault_document.clone());
                self.owned(uscc, Entity::Material, id, saved.map(|m| m.uscc))?;
                self.update_material(id, &form.read(scan)?)
            }
        }
    }

    /// The form of record `id` (without its 查询密码), or the empty form of a new one.
    pub fn record_form(&self, id: Option<i64>) -> Result<RecordForm> {
        Ok(match id {
            Some(id) => RecordForm::from_data(&self.record(id)?.data),
            None => RecordForm::new(self.today()),
        })
    }

    /// Reads the form and adds or replaces a record of company `uscc`. A 查询密码 in the form is sealed
    /// by the vault, which must be unlocked: that is checked before anything is written, so a locked
    /// vault saves nothing and says so.
    pub fn save_record(&self, uscc: &str, id: Option<i64>, form: &RecordForm) -> Result<Record> {
        let (data, password) = form.read(self.today())?;
        if password.is_some() {
            crate::vault::Vault::new(self.ctx).key()?;
        }
        let record = match id {
            None => self.add_record(uscc, &data)?,
            Some(id) => {
                self.owned(uscc, Entity::Record, id, self.record(id).map(|r| r.uscc))?;
                self.update_record(id, &data)?
            }
        };
        if let Some(p) = password {
            if let Err(e) = self.set_record_lookup_password(record.id, Some(p)) {
                // The vault locked in between (a timeout): a new record goes again, so nothing half-saved
                // stays behind; an edited one keeps its new text and its old password.
                if id.is_none() {
                    let _ = self.remove_record(record.id);
                }
                return Err(e);
            }
        }
        Ok(record)
    }

    /// Refuses to save item `id` of another company through this company's form.
    fn owned(&self, uscc: &str, what: Entity, id: i64, owner: Result<String>) -> Result<()> {
        let key = uscc.trim().to_ascii_uppercase();
        if owner? == key { Ok(()) } else { Err(not_found(what, id)) }
    }

    // ---- export / import ----

    /// The whole company as a versioned document (see [`export`]).
    pub fn export(&self, uscc: &str) -> Result<CompanyDocument> {
        self.ctx.store()?.read(|c| {
            let key = uscc.trim().to_ascii_uppercase();
            let company = db::get_company(c, &key)?.ok_or_else(|| not_found(Entity::Company, &key))?;
            Ok(CompanyDocument::new(
                company,
                db::list_licences(c, &key)?.into_iter().map(|(_, _, d)| d).collect(),
                db::list_materials(c, &key)?.into_iter().map(|(_, _, d)| d).collect(),
                db::list_records(c, &key)?.into_iter().map(|(_, _, d, h)| export::RecordDocument::new(d, h)).collect(),
            ))
        })
    }

    /// The export as pretty JSON text.
    pub fn export_json(&self, uscc: &str) -> Result<String> {
        self.export(uscc)?.to_json()
    }

    /// Imports a company document. Everything is checked first and every problem reported with its
    /// path; if anything is wrong, or the company already exists, nothing is written.
    pub fn import(&self, document: &CompanyDocument) -> Result<CompanyOverview> {
        let doc = document.cleaned();
        doc.validate(self.today())?;
        self.ctx.store()?.write(|tx| {
            if db::get_company(tx, &doc.company.uscc)?.is_some() {
                return Err(Error::AlreadyExists { what: Entity::Company, key: doc.company.uscc.clone() });
            }
            db::insert_company(tx, &doc.company)?;
            for l in &doc.licences {
                db::insert_licence(tx, &doc.company.uscc, l)?;
            }
            for m in &doc.materials {
                db::insert_material(tx, &doc.company.uscc, m)?;
            }
            for r in &doc.records {
                let id = db::insert_record(tx, &doc.company.uscc, &r.data())?;
                for change in &r.history {
                    db::insert_status(tx, id, change)?;
                }
            }
            if store::get_setting(tx, CURRENT_COMPANY)?.is_none() {
                store::set_setting(tx, CURRENT_COMPANY, Some(&doc.company.uscc))?;
            }
            Ok(())
        })?;
        self.company(&doc.company.uscc)
    }

    /// Parses and imports a JSON export.
    pub fn import_json(&self, json: &str) -> Result<CompanyOverview> {
        self.import(&CompanyDocument::from_json(json)?)
    }

    /// Imports the fictional demo companies (dates moved to today); ones already present are skipped.
    /// Returns the companies imported now.
    pub fn load_demo(&self) -> Result<Vec<CompanyOverview>> {
        let mut imported = Vec::new();
        for doc in demo::demo_companies(self.today())? {
            match self.import(&doc) {
                Ok(c) => imported.push(c),
                Err(Error::AlreadyExists { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(imported)
    }

    // ---- catalogs for pickers ----

    pub fn licence_kinds(&self) -> Vec<LicenceKind> {
        licence::kinds().to_vec()
    }

    /// The kinds a material form offers: the catalog's, then `other` (其他材料) for anything outside it.
    pub fn material_kinds(&self) -> Vec<MaterialKind> {
        let other = MaterialKind {
            code: material::OTHER.to_owned(),
            name: material::kind_name(material::OTHER),
            validity: String::new(),
            validity_days: None,
        };
        material::kinds().iter().cloned().chain([other]).collect()
    }

    pub fn industries(&self) -> Vec<industry::Industry> {
        industry::all()
    }

    pub fn regions(&self) -> Vec<region::Region> {
        region::all()
    }
}
