//! wasm-bindgen bindings of the Zhuanshu core for the web app (phone browsers and the WeChat web view).
//!
//! Values and errors cross as zhuanshu-wasm-glue says (plain JS objects in the core's JSON shape; errors
//! thrown as `{ code, message, userMessage, issues }`, never panics). This module is the app without the
//! search engine, so the first screen loads fast; bindings/wasm-search is the engine, loaded afterwards
//! and fed with what [`AssistantApi::entries`] and [`GuideApi::search_entries`] return.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use zhuanshu::chrono::{NaiveDate, NaiveDateTime};
use zhuanshu::dossier::{Company, LicenceForm, MaterialForm, RecordForm, RecordStatus, money, uscc};
use zhuanshu::dynamics::ReminderData;
use zhuanshu::guide::Answers;
use zhuanshu::{Clock, Config, Error, Zhuanshu};
use zhuanshu_wasm_glue::{error, from_js, run, to_js};

mod fetch;

fn parse_time(text: Option<String>, what: &str) -> Result<Option<NaiveDateTime>, JsValue> {
    text.map(|t| {
        t.trim().parse::<NaiveDateTime>().map_err(|_| {
            error(Error::invalid(
                what,
                format!("时间格式应为 YYYY-MM-DDTHH:MM:SS：{t}"),
                format!("{what}: not a local date-time: {t}"),
            ))
        })
    })
    .transpose()
}

/// What the browser's device key must sign (HMAC-SHA256) to give the `deviceValue` of `open`.
#[wasm_bindgen(js_name = deviceSecretInput)]
pub fn device_secret_input() -> Vec<u8> {
    zhuanshu::vault::keys::DEVICE_SECRET_INPUT.to_vec()
}

fn device(value: Option<Vec<u8>>) -> Result<Option<zhuanshu::vault::Device>, JsValue> {
    value.map(zhuanshu::vault::Device::value).transpose().map_err(error)
}

/// The app handle (`ZhuanshuApp.open()`), one per page or worker.
#[wasm_bindgen]
pub struct ZhuanshuApp {
    core: Rc<Zhuanshu>,
    /// Where the database lives: `opfs`, `indexeddb` or `memory`.
    storage: &'static str,
}

/// The database's name inside the browser storage VFS.
const BROWSER_DATA_DIR: &str = "/zhuanshu";

#[wasm_bindgen]
impl ZhuanshuApp {
    /// Opens an in-memory store. `fixedNow` (`YYYY-MM-DDTHH:MM:SS`, Asia/Shanghai) pins the planning
    /// clock; security decisions use the browser's clock whatever it says. `deviceValue` is what the
    /// worker's non-extractable WebCrypto HMAC key gave for `deviceSecretInput()` (see `openPersistent`).
    pub fn open(
        #[wasm_bindgen(js_name = fixedNow)] fixed_now: Option<String>,
        #[wasm_bindgen(js_name = deviceValue)] device_value: Option<Vec<u8>>,
    ) -> Result<ZhuanshuApp, JsValue> {
        let clock = parse_time(fixed_now, "fixedNow")?.map(Clock::Fixed).unwrap_or_default();
        let device = device(device_value)?;
        let config = Config { data_dir: None, clock, device, ..Default::default() };
        let core = Zhuanshu::open(config).map_err(error)?;
        Ok(ZhuanshuApp { core: Rc::new(core), storage: "memory" })
    }

    /// Opens the database kept in the browser: `backend` is `opfs` (SQLite on the origin private file
    /// system through sync access handles; only in a dedicated worker) or `indexeddb` (an in-memory
    /// SQLite mirrored to IndexedDB, for web views without OPFS). Throws if the backend is unavailable;
    /// the caller then tries the next one.
    #[wasm_bindgen(js_name = openPersistent)]
    ///
    /// `deviceValue`: the browser's device secret, computed by the worker before it opens the core — an
    /// HMAC-SHA256 of `deviceSecretInput()` under a non-extractable WebCrypto key kept in IndexedDB. The
    /// key's bytes cannot be read by script, so a copy of the database (OPFS or IndexedDB export) alone
    /// cannot be guessed offline; but the browser keeps the key in the same profile, so whoever copies the
    /// whole browser profile, or runs script in this origin, has it too. Weaker than a phone's key store,
    /// stronger than nothing.
    pub async fn open_persistent(
        #[wasm_bindgen(js_name = fixedNow)] fixed_now: Option<String>,
        backend: String,
        #[wasm_bindgen(js_name = deviceValue)] device_value: Option<Vec<u8>>,
    ) -> Result<ZhuanshuApp, JsValue> {
        let clock = parse_time(fixed_now, "fixedNow")?.map(Clock::Fixed).unwrap_or_default();
        let device = device(device_value)?;
        let storage = browser_storage::install(&backend).await.map_err(error)?;
        let config = Config { data_dir: Some(BROWSER_DATA_DIR.into()), clock, device, ..Default::default() };
        let core = Zhuanshu::open(config).map_err(error)?;
        Ok(ZhuanshuApp { core: Rc::new(core), storage })
    }

    /// `opfs`, `indexeddb` or `memory`.
    pub fn storage(&self) -> String {
        self.storage.to_owned()
    }

    pub fn dossier(&self) -> DossierApi {
        DossierApi { core: Rc::clone(&self.core) }
    }

    pub fn vault(&self) -> VaultApi {
        VaultApi { core: Rc::clone(&self.core) }
    }

    pub fn policies(&self) -> PolicyApi {
        PolicyApi { core: Rc::clone(&self.core) }
    }

    pub fn guide(&self) -> GuideApi {
        GuideApi { core: Rc::clone(&self.core) }
    }

    pub fn dynamics(&self) -> DynamicsApi {
        DynamicsApi { core: Rc::clone(&self.core) }
    }

    pub fn assistant(&self) -> AssistantApi {
        AssistantApi { core: Rc::clone(&self.core) }
    }

    pub fn feed(&self) -> FeedApi {
        FeedApi { core: Rc::clone(&self.core) }
    }
}

/// The signed content feed (policies, FAQ, guide, holiday years), synced over `fetch`.
#[wasm_bindgen]
pub struct FeedApi {
    core: Rc<Zhuanshu>,
}

#[wasm_bindgen]
impl FeedApi {
    /// Brings the content up to date from the feed site at `url` (the directory of `manifest.json`);
    /// resolves to the sync report, rejects with the typed error (`feed_rejected`, `network` …) and then
    /// the previous content is still in force. Search indexes built from `assistant.entries()` or
    /// `guide.searchEntries()` are stale when the report says `updated`.
    #[wasm_bindgen(unchecked_return_type = "Promise<SyncReport>")]
    pub fn sync(&self, url: String) -> js_sys::Promise {
        let core = Rc::clone(&self.core);
        wasm_bindgen_futures::future_to_promise(async move {
            let report = core.feed().sync(&fetch::Fetch, &url).await;
            run(report)
        })
    }

    /// The version in force, where it came from, and its files.
    #[wasm_bindgen(unchecked_return_type = "FeedStatus")]
    pub fn status(&self) -> Result<JsValue, JsValue> {
        run(self.core.feed().status())
    }
}

/// The company dossier (一企一档); each method is the core method of the same name.
#[wasm_bindgen]
pub struct DossierApi {
    core: Rc<Zhuanshu>,
}

#[wasm_bindgen]
impl DossierApi {
    #[wasm_bindgen(unchecked_return_type = "CompanyOverview[]")]
    pub fn companies(&self) -> Result<JsValue, JsValue> {
        run(self.core.dossier().companies())
    }

    #[wasm_bindgen(unchecked_return_type = "CompanyOverview")]
    pub fn company(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().company(uscc))
    }

    #[wasm_bindgen(unchecked_return_type = "CompanyOverview")]
    pub fn current(&self) -> Result<JsValue, JsValue> {
        run(self.core.dossier().current())
    }

    /// The company form: the saved profile of `uscc` as text for editing, or the empty form of a new
    /// company when `uscc` is `null`.
    #[wasm_bindgen(js_name = companyForm, unchecked_return_type = "CompanyForm")]
    pub fn company_form(&self, uscc: Option<String>) -> Result<JsValue, JsValue> {
        run(self.core.dossier().company_form(uscc))
    }

    /// Reads what the owner typed into the company form: the profile for `addCompany` or `updateCompany`,
    /// or an `invalid_input` error with one issue per wrong field.
    #[wasm_bindgen(js_name = readCompanyForm, unchecked_return_type = "Company")]
    pub fn read_company_form(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CompanyForm")] form: JsValue,
    ) -> Result<JsValue, JsValue> {
        let form: zhuanshu::dossier::CompanyForm = from_js(form, "form")?;
        run(self.core.dossier().read_company_form(&form))
    }

    #[wasm_bindgen(js_name = addCompany, unchecked_return_type = "CompanyOverview")]
    pub fn add_company(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Company")] company: JsValue,
    ) -> Result<JsValue, JsValue> {
        let company: Company = from_js(company, "company")?;
        run(self.core.dossier().add_company(&company))
    }

    #[wasm_bindgen(js_name = updateCompany, unchecked_return_type = "CompanyOverview")]
    pub fn update_company(
        &self,
        uscc: &str,
        #[wasm_bindgen(unchecked_param_type = "Company")] company: JsValue,
    ) -> Result<JsValue, JsValue> {
        let company: Company = from_js(company, "company")?;
        run(self.core.dossier().update_company(uscc, &company))
    }

    #[wasm_bindgen(js_name = removeCompany)]
    pub fn remove_company(&self, uscc: &str) -> Result<(), JsValue> {
        self.core.dossier().remove_company(uscc).map_err(error)
    }

    #[wasm_bindgen(js_name = useCompany, unchecked_return_type = "CompanyOverview")]
    pub fn use_company(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().use_company(uscc))
    }

    #[wasm_bindgen(unchecked_return_type = "Licence[]")]
    pub fn licences(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().licences(uscc))
    }

    #[wasm_bindgen(unchecked_return_type = "Licence")]
    pub fn licence(&self, id: f64) -> Result<JsValue, JsValue> {
        run(self.core.dossier().licence(id as i64))
    }

    /// The form of licence `id`, or the empty form of a new one (`id` null).
    #[wasm_bindgen(js_name = licenceForm, unchecked_return_type = "LicenceForm")]
    pub fn licence_form(&self, id: Option<f64>) -> Result<JsValue, JsValue> {
        run(self.core.dossier().licence_form(id.map(|i| i as i64)))
    }

    /// Reads the form; adds a licence to `uscc` (`id` null) or replaces licence `id`.
    #[wasm_bindgen(js_name = saveLicence, unchecked_return_type = "Licence")]
    pub fn save_licence(
        &self,
        uscc: &str,
        id: Option<f64>,
        #[wasm_bindgen(unchecked_param_type = "LicenceForm")] form: JsValue,
    ) -> Result<JsValue, JsValue> {
        let form: LicenceForm = from_js(form, "licence")?;
        run(self.core.dossier().save_licence(uscc, id.map(|i| i as i64), &form))
    }

    #[wasm_bindgen(js_name = removeLicence)]
    pub fn remove_licence(&self, id: f64) -> Result<(), JsValue> {
        self.core.dossier().remove_licence(id as i64).map_err(error)
    }

    #[wasm_bindgen(unchecked_return_type = "Material[]")]
    pub fn materials(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().materials(uscc))
    }

    #[wasm_bindgen(unchecked_return_type = "Material")]
    pub fn material(&self, id: f64) -> Result<JsValue, JsValue> {
        run(self.core.dossier().material(id as i64))
    }

    /// The form of material `id`, or the empty form of a new one (`id` null).
    #[wasm_bindgen(js_name = materialForm, unchecked_return_type = "MaterialForm")]
    pub fn material_form(&self, id: Option<f64>) -> Result<JsValue, JsValue> {
        run(self.core.dossier().material_form(id.map(|i| i as i64)))
    }

    /// Reads the form; adds a material to `uscc` (`id` null) or replaces material `id`, keeping its scan.
    #[wasm_bindgen(js_name = saveMaterial, unchecked_return_type = "Material")]
    pub fn save_material(
        &self,
        uscc: &str,
        id: Option<f64>,
        #[wasm_bindgen(unchecked_param_type = "MaterialForm")] form: JsValue,
    ) -> Result<JsValue, JsValue> {
        let form: MaterialForm = from_js(form, "material")?;
        run(self.core.dossier().save_material(uscc, id.map(|i| i as i64), &form))
    }

    #[wasm_bindgen(js_name = removeMaterial)]
    pub fn remove_material(&self, id: f64) -> Result<(), JsValue> {
        self.core.dossier().remove_material(id as i64).map_err(error)
    }

    #[wasm_bindgen(unchecked_return_type = "Record[]")]
    pub fn records(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().records(uscc))
    }

    #[wasm_bindgen(unchecked_return_type = "Record")]
    pub fn record(&self, id: f64) -> Result<JsValue, JsValue> {
        run(self.core.dossier().record(id as i64))
    }

    /// The form of record `id` (its 查询密码 left empty), or the empty form of a new one (`id` null).
    #[wasm_bindgen(js_name = recordForm, unchecked_return_type = "RecordForm")]
    pub fn record_form(&self, id: Option<f64>) -> Result<JsValue, JsValue> {
        run(self.core.dossier().record_form(id.map(|i| i as i64)))
    }

    /// Reads the form; adds a record to `uscc` (`id` null) or replaces record `id`. A 查询密码 in the form
    /// needs the vault unlocked, checked before anything is saved.
    #[wasm_bindgen(js_name = saveRecord, unchecked_return_type = "Record")]
    pub fn save_record(
        &self,
        uscc: &str,
        id: Option<f64>,
        #[wasm_bindgen(unchecked_param_type = "RecordForm")] form: JsValue,
    ) -> Result<JsValue, JsValue> {
        let form: RecordForm = from_js(form, "record")?;
        run(self.core.dossier().save_record(uscc, id.map(|i| i as i64), &form))
    }

    /// `status` is a code (`accepted`) or a label (`已受理`); `at` as typed (`YYYY-MM-DDTHH:MM`), empty
    /// for now.
    #[wasm_bindgen(js_name = setRecordStatus, unchecked_return_type = "Record")]
    pub fn set_record_status(
        &self,
        id: f64,
        #[wasm_bindgen(unchecked_param_type = "RecordStatus")] status: &str,
        at: &str,
    ) -> Result<JsValue, JsValue> {
        use zhuanshu::dossier::Choice;
        let status = RecordStatus::parse(status).ok_or_else(|| {
            error(Error::invalid(
                "status",
                format!("未知的状态“{status}”，可选：{}", RecordStatus::choices()),
                "unknown status",
            ))
        })?;
        run(self.core.dossier().set_record_status(id as i64, status, at))
    }

    #[wasm_bindgen(js_name = removeRecord)]
    pub fn remove_record(&self, id: f64) -> Result<(), JsValue> {
        self.core.dossier().remove_record(id as i64).map_err(error)
    }

    /// Sets (or with `null` clears) the progress-lookup password (查询密码) of a record; it is kept sealed
    /// in the vault, which must be unlocked.
    #[wasm_bindgen(js_name = setRecordLookupPassword)]
    pub fn set_record_lookup_password(&self, record_id: f64, password: Option<String>) -> Result<(), JsValue> {
        self.core.dossier().set_record_lookup_password(record_id as i64, password).map_err(error)
    }

    /// The lookup password of a record, or `undefined`. Needs the vault unlocked.
    #[wasm_bindgen(js_name = recordLookupPassword)]
    pub fn record_lookup_password(&self, record_id: f64) -> Result<Option<String>, JsValue> {
        self.core.dossier().record_lookup_password(record_id as i64).map_err(error)
    }

    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self, uscc: &str) -> Result<String, JsValue> {
        self.core.dossier().export_json(uscc).map_err(error)
    }

    #[wasm_bindgen(js_name = importJson, unchecked_return_type = "CompanyOverview")]
    pub fn import_json(&self, json: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().import_json(json))
    }

    #[wasm_bindgen(js_name = loadDemo, unchecked_return_type = "CompanyOverview[]")]
    pub fn load_demo(&self) -> Result<JsValue, JsValue> {
        run(self.core.dossier().load_demo())
    }

    #[wasm_bindgen(js_name = licenceKinds, unchecked_return_type = "LicenceKind[]")]
    pub fn licence_kinds(&self) -> Result<JsValue, JsValue> {
        to_js(&self.core.dossier().licence_kinds())
    }

    #[wasm_bindgen(js_name = materialKinds, unchecked_return_type = "MaterialKind[]")]
    pub fn material_kinds(&self) -> Result<JsValue, JsValue> {
        to_js(&self.core.dossier().material_kinds())
    }

    #[wasm_bindgen(unchecked_return_type = "Industry[]")]
    pub fn industries(&self) -> Result<JsValue, JsValue> {
        to_js(&self.core.dossier().industries())
    }

    #[wasm_bindgen(unchecked_return_type = "Region[]")]
    pub fn regions(&self) -> Result<JsValue, JsValue> {
        to_js(&self.core.dossier().regions())
    }
}

fn parse_date(text: &str, what: &str) -> Result<NaiveDate, JsValue> {
    text.trim().parse::<NaiveDate>().map_err(|_| {
        error(Error::invalid(what, format!("日期格式应为 YYYY-MM-DD：{text}"), format!("{what}: not a date: {text}")))
    })
}

/// Dynamics (专属动态); each method is the core method of the same name, on the app clock's today.
#[wasm_bindgen]
pub struct DynamicsApi {
    core: Rc<Zhuanshu>,
}

#[wasm_bindgen]
impl DynamicsApi {
    #[wasm_bindgen(unchecked_return_type = "Dynamic[]")]
    pub fn list(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().list(uscc, self.core.clock().today()))
    }

    #[wasm_bindgen(js_name = listCurrent, unchecked_return_type = "Dynamic[]")]
    pub fn list_current(&self) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().list_current())
    }

    #[wasm_bindgen(js_name = markDone, unchecked_return_type = "DynamicState")]
    pub fn mark_done(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().mark_done(uscc, id))
    }

    #[wasm_bindgen(unchecked_return_type = "DynamicState")]
    pub fn dismiss(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().dismiss(uscc, id))
    }

    #[wasm_bindgen(unchecked_return_type = "DynamicState")]
    pub fn snooze(&self, uscc: &str, id: &str, until: &str) -> Result<JsValue, JsValue> {
        let until = parse_date(until, "until")?;
        run(self.core.dynamics().snooze(uscc, id, until))
    }

    #[wasm_bindgen(unchecked_return_type = "boolean")]
    pub fn restore(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().restore(uscc, id))
    }

    /// The dates "稍后提醒" offers today (`{ label, until }`).
    #[wasm_bindgen(js_name = snoozeChoices, unchecked_return_type = "SnoozeChoice[]")]
    pub fn snooze_choices(&self) -> Result<JsValue, JsValue> {
        to_js(&self.core.dynamics().snooze_choices())
    }

    #[wasm_bindgen(unchecked_return_type = "DynamicState[]")]
    pub fn states(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().states(uscc))
    }

    #[wasm_bindgen(js_name = addReminder, unchecked_return_type = "Reminder")]
    pub fn add_reminder(
        &self,
        uscc: &str,
        #[wasm_bindgen(unchecked_param_type = "ReminderData")] data: JsValue,
    ) -> Result<JsValue, JsValue> {
        let data: ReminderData = from_js(data, "reminder")?;
        run(self.core.dynamics().add_reminder(uscc, &data))
    }

    #[wasm_bindgen(js_name = removeReminder)]
    pub fn remove_reminder(&self, id: f64) -> Result<(), JsValue> {
        self.core.dynamics().remove_reminder(id as i64).map_err(error)
    }

    #[wasm_bindgen(unchecked_return_type = "Reminder[]")]
    pub fn reminders(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().reminders(uscc))
    }

    /// The next notifications of every company (count and time of day default to the core's; `at` is
    /// `HH:MM`, Asia/Shanghai).
    #[wasm_bindgen(unchecked_return_type = "Notification[]")]
    pub fn notifications(&self, count: Option<u32>, at: Option<String>) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().notifications(count, at.as_deref()))
    }

    pub fn ics(&self, uscc: &str) -> Result<String, JsValue> {
        self.core.dynamics().ics(uscc).map_err(error)
    }

    #[wasm_bindgen(js_name = taxDeadline, unchecked_return_type = "TaxDeadline")]
    pub fn tax_deadline(&self, year: i32, month: u32) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().tax_deadline(year, month))
    }

    #[wasm_bindgen(unchecked_return_type = "DayInfo")]
    pub fn workday(&self, date: &str) -> Result<JsValue, JsValue> {
        let date = parse_date(date, "date")?;
        to_js(&self.core.dynamics().workday(date))
    }
}

/// The vault (证照夹) in the browser: PIN-protected, documents added and read as bytes.
#[wasm_bindgen]
pub struct VaultApi {
    core: Rc<Zhuanshu>,
}

#[wasm_bindgen]
impl VaultApi {
    #[wasm_bindgen(unchecked_return_type = "VaultStatus")]
    pub fn status(&self) -> Result<JsValue, JsValue> {
        run(self.core.vault().status())
    }

    /// Sets the vault up with a PIN; returns the recovery key, to show once.
    pub fn init(&self, pin: &str) -> Result<String, JsValue> {
        self.core.vault().init(Some(pin), None).map_err(error)
    }

    #[wasm_bindgen(js_name = unlockWithPin)]
    pub fn unlock_with_pin(&self, pin: &str) -> Result<(), JsValue> {
        self.core.vault().unlock_with_pin(pin).map_err(error)
    }

    pub fn lock(&self) {
        self.core.vault().lock()
    }

    /// Whether the key is in memory and the idle time has not run out (if it has, this locks).
    #[wasm_bindgen(js_name = isUnlocked)]
    pub fn is_unlocked(&self) -> bool {
        self.core.vault().is_unlocked()
    }

    #[wasm_bindgen(js_name = setAutoLock)]
    pub fn set_auto_lock(&self, seconds: u32) -> Result<(), JsValue> {
        self.core.vault().set_auto_lock(seconds).map_err(error)
    }

    #[wasm_bindgen(unchecked_return_type = "DocumentInfo")]
    pub fn add(&self, name: &str, media_type: &str, bytes: &[u8]) -> Result<JsValue, JsValue> {
        run(self.core.vault().add(name, media_type, bytes))
    }

    #[wasm_bindgen(unchecked_return_type = "DocumentInfo[]")]
    pub fn documents(&self) -> Result<JsValue, JsValue> {
        run(self.core.vault().documents())
    }

    #[wasm_bindgen(unchecked_return_type = "DocumentInfo")]
    pub fn document(&self, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.vault().document(id))
    }

    /// The documents linked to a licence as its scans.
    #[wasm_bindgen(js_name = licenceDocuments, unchecked_return_type = "DocumentInfo[]")]
    pub fn licence_documents(&self, licence_id: f64) -> Result<JsValue, JsValue> {
        run(self.core.vault().licence_documents(licence_id as i64))
    }

    pub fn read(&self, id: &str) -> Result<Vec<u8>, JsValue> {
        self.core.vault().read(id).map_err(error)
    }

    pub fn remove(&self, id: &str) -> Result<(), JsValue> {
        self.core.vault().remove(id).map_err(error)
    }

    #[wasm_bindgen(js_name = linkLicence, unchecked_return_type = "DocumentInfo")]
    pub fn link_licence(&self, id: &str, licence_id: f64) -> Result<JsValue, JsValue> {
        run(self.core.vault().link_licence(id, licence_id as i64))
    }

    #[wasm_bindgen(js_name = unlinkLicence, unchecked_return_type = "DocumentInfo")]
    pub fn unlink_licence(&self, id: &str, licence_id: f64) -> Result<JsValue, JsValue> {
        run(self.core.vault().unlink_licence(id, licence_id as i64))
    }

    /// Makes a document the scan of a material.
    #[wasm_bindgen(js_name = linkMaterial, unchecked_return_type = "DocumentInfo")]
    pub fn link_material(&self, id: &str, material_id: f64) -> Result<JsValue, JsValue> {
        run(self.core.vault().link_material(id, material_id as i64))
    }

    /// Clears a material's document link (the document stays in the vault).
    #[wasm_bindgen(js_name = unlinkMaterial)]
    pub fn unlink_material(&self, material_id: f64) -> Result<(), JsValue> {
        self.core.vault().unlink_material(material_id as i64).map_err(error)
    }

    #[wasm_bindgen(js_name = changePin)]
    pub fn change_pin(&self, old_pin: &str, new_pin: &str) -> Result<(), JsValue> {
        self.core.vault().change_pin(old_pin, new_pin).map_err(error)
    }

    /// Adds a PIN to a vault that has none. Needs the vault unlocked.
    #[wasm_bindgen(js_name = setPin)]
    pub fn set_pin(&self, new_pin: &str) -> Result<(), JsValue> {
        self.core.vault().set_pin(new_pin).map_err(error)
    }

    /// Opens the vault with the recovery key and sets a new PIN.
    pub fn recover(&self, recovery_key: &str, new_pin: &str) -> Result<(), JsValue> {
        self.core.vault().recover(recovery_key, new_pin).map_err(error)
    }

    /// The old recovery key was seen or lost: rotates the data key and returns the new recovery key, to
    /// show once. `pin` is required when the vault has a PIN.
    #[wasm_bindgen(js_name = newRecoveryKey)]
    pub fn new_recovery_key(&self, pin: Option<String>) -> Result<String, JsValue> {
        self.core.vault().new_recovery_key(pin.as_deref(), None).map_err(error)
    }

    /// The whole vault as one encrypted backup file (for a download), opened by the recovery key.
    pub fn backup(&self) -> Result<Vec<u8>, JsValue> {
        let mut bytes = Vec::new();
        self.core.vault().backup_to(&mut bytes).map_err(error)?;
        Ok(bytes)
    }

    /// Restores a backup file onto this browser's vault, which must not be set up yet.
    #[wasm_bindgen(unchecked_return_type = "BackupSummary")]
    pub fn restore(&self, backup: &[u8], recovery_key: &str, new_pin: &str) -> Result<JsValue, JsValue> {
        let mut summary = self.core.vault().restore_from(&mut &backup[..], recovery_key, new_pin).map_err(error)?;
        summary.bytes = backup.len() as u64;
        to_js(&summary)
    }

    /// The company's seal (电子印章), or `null`.
    #[wasm_bindgen(js_name = sealInfo, unchecked_return_type = "SealInfo | null")]
    pub fn seal_info(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.vault().seal_info(uscc))
    }

    #[wasm_bindgen(js_name = createSeal, unchecked_return_type = "SealInfo")]
    pub fn create_seal(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.vault().create_seal(uscc))
    }

    /// The chosen documents as a package signed with the company's seal: the bytes of one ZIP file.
    #[wasm_bindgen(js_name = signPackage)]
    pub fn sign_package(
        &self,
        uscc: &str,
        #[wasm_bindgen(unchecked_param_type = "string[]")] document_ids: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let ids: Vec<String> = from_js(document_ids, "documentIds")?;
        let mut bytes = std::io::Cursor::new(Vec::new());
        self.core.vault().sign_package_to(uscc, &ids, &mut bytes).map_err(error)?;
        Ok(bytes.into_inner())
    }

    /// The seals a package verification trusts here (`{uscc, fingerprint}`: a key bound to a company):
    /// `given` and, while the vault is unlocked, this app's own. Packages are verified by the search
    /// module's `verifyPackage` (its ZIP reader stays out of the first screen).
    #[wasm_bindgen(js_name = trustedSeals, unchecked_return_type = "TrustedSeal[]")]
    pub fn trusted_seals(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TrustedSeal[]")] given: JsValue,
    ) -> Result<JsValue, JsValue> {
        let given: Option<Vec<zhuanshu::vault::seal::TrustedSeal>> = from_js(given, "trusted")?;
        run(self.core.vault().trusted_seals(&given.unwrap_or_default()))
    }
}

/// Policies (专属政策), matched in the browser; each method is the core method of the same name.
#[wasm_bindgen]
pub struct PolicyApi {
    core: Rc<Zhuanshu>,
}

#[wasm_bindgen]
impl PolicyApi {
    #[wasm_bindgen(unchecked_return_type = "Policy[]")]
    pub fn list(&self) -> Result<JsValue, JsValue> {
        run(self.core.policies().list().map(|l| l.iter().map(|p| (**p).clone()).collect::<Vec<_>>()))
    }

    #[wasm_bindgen(unchecked_return_type = "Policy")]
    pub fn policy(&self, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().policy(id).map(|p| (*p).clone()))
    }

    #[wasm_bindgen(unchecked_return_type = "Checkup")]
    pub fn checkup(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().checkup(uscc, self.core.clock().today()))
    }

    /// One policy checked against the company on the app clock's today (without counting as interest).
    #[wasm_bindgen(unchecked_return_type = "PolicyCheck")]
    pub fn check(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().check(uscc, id, self.core.clock().today()))
    }

    #[wasm_bindgen(unchecked_return_type = "PolicyCheck")]
    pub fn open(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().open(uscc, id))
    }

    pub fn save(&self, uscc: &str, id: &str) -> Result<(), JsValue> {
        self.core.policies().save(uscc, id).map_err(error)
    }

    #[wasm_bindgen(unchecked_return_type = "boolean")]
    pub fn unsave(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().unsave(uscc, id))
    }

    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn saved(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().saved(uscc))
    }
}

/// The guide (专属办事); answers are a plain object `{ key: value }`.
#[wasm_bindgen]
pub struct GuideApi {
    core: Rc<Zhuanshu>,
}

#[wasm_bindgen]
impl GuideApi {
    #[wasm_bindgen(unchecked_return_type = "ThemeNode[]")]
    pub fn tree(&self) -> Result<JsValue, JsValue> {
        run(self.core.guide().tree())
    }

    #[wasm_bindgen(unchecked_return_type = "BundleSummary[]")]
    pub fn bundles(&self) -> Result<JsValue, JsValue> {
        run(self.core.guide().bundles())
    }

    #[wasm_bindgen(unchecked_return_type = "Item")]
    pub fn item(&self, code: &str) -> Result<JsValue, JsValue> {
        run(self.core.guide().item(code))
    }

    #[wasm_bindgen(unchecked_return_type = "Bundle")]
    pub fn bundle(&self, code: &str) -> Result<JsValue, JsValue> {
        run(self.core.guide().bundle(code))
    }

    #[wasm_bindgen(js_name = nextQuestions, unchecked_return_type = "PendingQuestion[]")]
    pub fn next_questions(
        &self,
        code: &str,
        #[wasm_bindgen(unchecked_param_type = "{ [key in string]: string }")] answers: JsValue,
    ) -> Result<JsValue, JsValue> {
        let answers: Answers = from_js(answers, "answers")?;
        run(self.core.guide().next_questions(code, &answers))
    }

    #[wasm_bindgen(unchecked_return_type = "Plan")]
    pub fn plan(
        &self,
        code: &str,
        #[wasm_bindgen(unchecked_param_type = "{ [key in string]: string }")] answers: JsValue,
    ) -> Result<JsValue, JsValue> {
        let answers: Answers = from_js(answers, "answers")?;
        run(self.core.guide().plan(code, &answers))
    }

    #[wasm_bindgen(js_name = checkMaterials, unchecked_return_type = "Plan")]
    pub fn check_materials(
        &self,
        uscc: &str,
        code: &str,
        #[wasm_bindgen(unchecked_param_type = "{ [key in string]: string }")] answers: JsValue,
    ) -> Result<JsValue, JsValue> {
        let answers: Answers = from_js(answers, "answers")?;
        run(self.core.guide().check_materials(uscc, code, &answers, self.core.clock().today()))
    }

    #[wasm_bindgen(unchecked_return_type = "Form")]
    pub fn prefill(&self, uscc: &str, code: &str) -> Result<JsValue, JsValue> {
        run(self.core.guide().prefill(uscc, code))
    }

    /// The services that carry out policy `policyId`.
    #[wasm_bindgen(js_name = forPolicy, unchecked_return_type = "ItemSummary[]")]
    pub fn for_policy(&self, policy_id: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().policy(policy_id).and_then(|p| self.core.guide().for_policy(&*p)))
    }

    /// The services as entries for the search module's `SearchIndex.build`.
    #[wasm_bindgen(js_name = searchEntries, unchecked_return_type = "FaqEntry[]")]
    pub fn search_entries(&self) -> Result<JsValue, JsValue> {
        run(self.core.guide().search_entries())
    }
}

/// The assistant (专属客服); each method is the core method of the same name.
#[wasm_bindgen]
pub struct AssistantApi {
    core: Rc<Zhuanshu>,
}

#[wasm_bindgen]
impl AssistantApi {
    /// The stored knowledge base in force (an import, else the feed's), or `null` when the embedded one
    /// is: that one ships with the search module. For the search module's `SearchIndex.faq`.
    #[wasm_bindgen(unchecked_return_type = "FaqEntry[] | null")]
    pub fn entries(&self) -> Result<JsValue, JsValue> {
        run(self.core.assistant().stored_entries())
    }

    /// What the owner of `uscc` is likely to ask today, as searches for the search module's `predicted`.
    #[wasm_bindgen(unchecked_return_type = "Topic[]")]
    pub fn topics(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.assistant().topics(uscc, self.core.clock().today()))
    }

    #[wasm_bindgen(js_name = importKb, unchecked_return_type = "KbStats")]
    pub fn import_kb(&self, jsonl: &str) -> Result<JsValue, JsValue> {
        run(self.core.assistant().import(jsonl))
    }

    /// Drops the imported knowledge base (back to the feed's, or the embedded one).
    #[wasm_bindgen(js_name = resetKb)]
    pub fn reset_kb(&self) -> Result<(), JsValue> {
        self.core.assistant().reset().map_err(error)
    }
}

/// Installs a persistent SQLite VFS as the default, so the core's `Store::open` of a path lands there.
#[cfg(target_arch = "wasm32")]
mod browser_storage {
    use sqlite_wasm_rs::WasmOsCallback;
    use sqlite_wasm_vfs::{relaxed_idb, sahpool};
    use zhuanshu::Error;

    pub async fn install(backend: &str) -> Result<&'static str, Error> {
        match backend {
            "opfs" => {
                let cfg = sahpool::OpfsSAHPoolCfg { directory: ".zhuanshu".into(), ..Default::default() };
                sahpool::install::<WasmOsCallback>(&cfg, true)
                    .await
                    .map_err(|e| Error::Internal(format!("OPFS storage unavailable: {e}")))?;
                Ok("opfs")
            }
            "indexeddb" => {
                relaxed_idb::install::<WasmOsCallback>(&relaxed_idb::RelaxedIdbCfg::default(), true)
                    .await
                    .map_err(|e| Error::Internal(format!("IndexedDB storage unavailable: {e}")))?;
                Ok("indexeddb")
            }
            other => {
                Err(Error::invalid("backend", format!("未知的存储方式“{other}”"), format!("unknown backend {other:?}")))
            }
        }
    }
}

/// Natively (the binding is also built by `cargo test --workspace`) there is no browser storage.
#[cfg(not(target_arch = "wasm32"))]
mod browser_storage {
    pub async fn install(backend: &str) -> Result<&'static str, zhuanshu::Error> {
        Err(zhuanshu::Error::Internal(format!("browser storage {backend:?} exists only in the browser")))
    }
}

/// Hands over a content file the web app ships beside this module (`guide.json`: kept out of the first
/// screen's module); checked as feed content is. Call it before the first `guide` call.
#[wasm_bindgen(js_name = provideContent)]
pub fn provide_content(name: &str, bytes: Vec<u8>) -> Result<(), JsValue> {
    zhuanshu::content::provide(name, bytes).map_err(error)
}

/// Every closed list (company types, statuses, severities …) as `{ code, label }` pairs.
#[wasm_bindgen(unchecked_return_type = "Labels")]
pub fn labels() -> Result<JsValue, JsValue> {
    to_js(&zhuanshu::labels::labels())
}

/// The days left until a date, as a badge says it: `还剩3天`, `今天到期`, `已逾期2天`.
#[wasm_bindgen(js_name = daysLeft)]
pub fn days_left(days: f64) -> String {
    zhuanshu::labels::days_left(days as i64)
}

/// Checks a unified social credit code; returns it normalised or throws.
#[wasm_bindgen(js_name = usccNormalize)]
pub fn uscc_normalize(code: &str) -> Result<String, JsValue> {
    uscc::normalize(code).map_err(error)
}

/// Yuan as typed -> fen.
#[wasm_bindgen(js_name = parseYuan)]
pub fn parse_yuan(text: &str) -> Result<f64, JsValue> {
    money::parse_yuan(text).map(|f| f as f64).map_err(error)
}

/// Fen -> `1,234.50元`.
#[wasm_bindgen(js_name = formatYuan)]
pub fn format_yuan(fen: f64) -> String {
    money::format_yuan(fen as i64)
}
