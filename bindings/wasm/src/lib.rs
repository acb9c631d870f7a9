//! wasm-bindgen bindings of the Zhuanshu core for the web app (phone browsers and the WeChat web view).
//!
//! Values and errors cross as zhuanshu-wasm-glue says (plain JS objects in the core's JSON shape; errors
//! thrown as `{ code, message, userMessage, issues }`, never panics). This module is the app without the
//! search engine, so the first screen loads fast; bindings/wasm-search is the engine, loaded afterwards
//! and fed with what [`AssistantApi::entries`] and [`GuideApi::search_entries`] return.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use zhuanshu::chrono::{NaiveDate, NaiveDateTime};
use zhuanshu::dossier::{Company, LicenceData, MaterialData, RecordData, RecordStatus, money, uscc};
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
    pub fn sync(&self, url: String) -> js_sys::Promise {
        let core = Rc::clone(&self.core);
        wasm_bindgen_futures::future_to_promise(async move {
            let report = core.feed().sync(&fetch::Fetch, &url).await;
            run(report)
        })
    }

    /// The version in force, where it came from, and its files.
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
    pub fn companies(&self) -> Result<JsValue, JsValue> {
        run(self.core.dossier().companies())
    }

    pub fn company(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().company(uscc))
    }

    pub fn current(&self) -> Result<JsValue, JsValue> {
        run(self.core.dossier().current())
    }

    #[wasm_bindgen(js_name = addCompany)]
    pub fn add_company(&self, company: JsValue) -> Result<JsValue, JsValue> {
        let company: Company = from_js(company, "company")?;
        run(self.core.dossier().add_company(&company))
    }

    #[wasm_bindgen(js_name = updateCompany)]
    pub fn update_company(&self, uscc: &str, company: JsValue) -> Result<JsValue, JsValue> {
        let company: Company = from_js(company, "company")?;
        run(self.core.dossier().update_company(uscc, &company))
    }

    #[wasm_bindgen(js_name = removeCompany)]
    pub fn remove_company(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().remove_company(uscc))
    }

    #[wasm_bindgen(js_name = useCompany)]
    pub fn use_company(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().use_company(uscc))
    }

    pub fn licences(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().licences(uscc))
    }

    #[wasm_bindgen(js_name = addLicence)]
    pub fn add_licence(&self, uscc: &str, data: JsValue) -> Result<JsValue, JsValue> {
        let data: LicenceData = from_js(data, "licence")?;
        run(self.core.dossier().add_licence(uscc, &data))
    }

    #[wasm_bindgen(js_name = updateLicence)]
    pub fn update_licence(&self, id: f64, data: JsValue) -> Result<JsValue, JsValue> {
        let data: LicenceData = from_js(data, "licence")?;
        run(self.core.dossier().update_licence(id as i64, &data))
    }

    #[wasm_bindgen(js_name = removeLicence)]
    pub fn remove_licence(&self, id: f64) -> Result<JsValue, JsValue> {
        run(self.core.dossier().remove_licence(id as i64))
    }

    pub fn materials(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().materials(uscc))
    }

    #[wasm_bindgen(js_name = addMaterial)]
    pub fn add_material(&self, uscc: &str, data: JsValue) -> Result<JsValue, JsValue> {
        let data: MaterialData = from_js(data, "material")?;
        run(self.core.dossier().add_material(uscc, &data))
    }

    #[wasm_bindgen(js_name = updateMaterial)]
    pub fn update_material(&self, id: f64, data: JsValue) -> Result<JsValue, JsValue> {
        let data: MaterialData = from_js(data, "material")?;
        run(self.core.dossier().update_material(id as i64, &data))
    }

    #[wasm_bindgen(js_name = removeMaterial)]
    pub fn remove_material(&self, id: f64) -> Result<JsValue, JsValue> {
        run(self.core.dossier().remove_material(id as i64))
    }

    pub fn records(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().records(uscc))
    }

    #[wasm_bindgen(js_name = addRecord)]
    pub fn add_record(&self, uscc: &str, data: JsValue) -> Result<JsValue, JsValue> {
        let data: RecordData = from_js(data, "record")?;
        run(self.core.dossier().add_record(uscc, &data))
    }

    /// `status` is a code (`accepted`) or a label (`已受理`); `at` defaults to now.
    #[wasm_bindgen(js_name = setRecordStatus)]
    pub fn set_record_status(&self, id: f64, status: &str, at: Option<String>) -> Result<JsValue, JsValue> {
        use zhuanshu::dossier::Choice;
        let status = RecordStatus::parse(status).ok_or_else(|| {
            error(Error::invalid(
                "status",
                format!("未知的状态“{status}”，可选：{}", RecordStatus::choices()),
                "unknown status",
            ))
        })?;
        let at = parse_time(at, "at")?;
        run(self.core.dossier().set_record_status(id as i64, status, at))
    }

    #[wasm_bindgen(js_name = removeRecord)]
    pub fn remove_record(&self, id: f64) -> Result<JsValue, JsValue> {
        run(self.core.dossier().remove_record(id as i64))
    }

    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self, uscc: &str) -> Result<String, JsValue> {
        self.core.dossier().export_json(uscc).map_err(error)
    }

    #[wasm_bindgen(js_name = importJson)]
    pub fn import_json(&self, json: &str) -> Result<JsValue, JsValue> {
        run(self.core.dossier().import_json(json))
    }

    #[wasm_bindgen(js_name = loadDemo)]
    pub fn load_demo(&self) -> Result<JsValue, JsValue> {
        run(self.core.dossier().load_demo())
    }

    #[wasm_bindgen(js_name = licenceKinds)]
    pub fn licence_kinds(&self) -> Result<JsValue, JsValue> {
        to_js(&self.core.dossier().licence_kinds())
    }

    #[wasm_bindgen(js_name = materialKinds)]
    pub fn material_kinds(&self) -> Result<JsValue, JsValue> {
        to_js(&self.core.dossier().material_kinds())
    }

    pub fn industries(&self) -> Result<JsValue, JsValue> {
        to_js(&self.core.dossier().industries())
    }

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
    pub fn list(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().list(uscc, self.core.clock().today()))
    }

    #[wasm_bindgen(js_name = listCurrent)]
    pub fn list_current(&self) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().list_current())
    }

    #[wasm_bindgen(js_name = markDone)]
    pub fn mark_done(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().mark_done(uscc, id))
    }

    pub fn dismiss(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().dismiss(uscc, id))
    }

    pub fn snooze(&self, uscc: &str, id: &str, until: &str) -> Result<JsValue, JsValue> {
        let until = parse_date(until, "until")?;
        run(self.core.dynamics().snooze(uscc, id, until))
    }

    pub fn restore(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().restore(uscc, id))
    }

    /// The dates "稍后提醒" offers today (`{ label, until }`).
    #[wasm_bindgen(js_name = snoozeChoices)]
    pub fn snooze_choices(&self) -> Result<JsValue, JsValue> {
        to_js(&self.core.dynamics().snooze_choices())
    }

    #[wasm_bindgen(js_name = addReminder)]
    pub fn add_reminder(&self, uscc: &str, data: JsValue) -> Result<JsValue, JsValue> {
        let data: ReminderData = from_js(data, "reminder")?;
        run(self.core.dynamics().add_reminder(uscc, &data))
    }

    #[wasm_bindgen(js_name = removeReminder)]
    pub fn remove_reminder(&self, id: f64) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().remove_reminder(id as i64))
    }

    pub fn reminders(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().reminders(uscc))
    }

    /// The next `count` notifications of every company; `at` is `HH:MM` (Asia/Shanghai), default 09:00.
    pub fn notifications(&self, count: u32, at: Option<String>) -> Result<JsValue, JsValue> {
        let at = at
            .map(|t| {
                zhuanshu::chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| {
                    error(Error::invalid(
                        "at",
                        format!("提醒时间应为 HH:MM：{t}"),
                        format!("at: not a time of day: {t}"),
                    ))
                })
            })
            .transpose()?;
        run(self.core.dynamics().notifications(self.core.clock().now(), count, at))
    }

    pub fn ics(&self, uscc: &str) -> Result<String, JsValue> {
        self.core.dynamics().ics(uscc).map_err(error)
    }

    #[wasm_bindgen(js_name = taxDeadline)]
    pub fn tax_deadline(&self, year: i32, month: u32) -> Result<JsValue, JsValue> {
        run(self.core.dynamics().tax_deadline(year, month))
    }

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

    #[wasm_bindgen(js_name = setAutoLock)]
    pub fn set_auto_lock(&self, seconds: u32) -> Result<(), JsValue> {
        self.core.vault().set_auto_lock(seconds).map_err(error)
    }

    pub fn add(&self, name: &str, media_type: &str, bytes: &[u8]) -> Result<JsValue, JsValue> {
        run(self.core.vault().add(name, media_type, bytes))
    }

    pub fn documents(&self) -> Result<JsValue, JsValue> {
        run(self.core.vault().documents())
    }

    pub fn read(&self, id: &str) -> Result<Vec<u8>, JsValue> {
        self.core.vault().read(id).map_err(error)
    }

    pub fn remove(&self, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.vault().remove(id))
    }

    #[wasm_bindgen(js_name = linkLicence)]
    pub fn link_licence(&self, id: &str, licence_id: f64) -> Result<JsValue, JsValue> {
        run(self.core.vault().link_licence(id, licence_id as i64))
    }

    #[wasm_bindgen(js_name = changePin)]
    pub fn change_pin(&self, old_pin: &str, new_pin: &str) -> Result<(), JsValue> {
        self.core.vault().change_pin(old_pin, new_pin).map_err(error)
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
    pub fn restore(&self, backup: &[u8], recovery_key: &str, new_pin: &str) -> Result<JsValue, JsValue> {
        let mut summary = self.core.vault().restore_from(&mut &backup[..], recovery_key, new_pin).map_err(error)?;
        summary.bytes = backup.len() as u64;
        to_js(&summary)
    }

    /// The company's seal (电子印章), or `null`.
    #[wasm_bindgen(js_name = sealInfo)]
    pub fn seal_info(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.vault().seal_info(uscc))
    }

    #[wasm_bindgen(js_name = createSeal)]
    pub fn create_seal(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.vault().create_seal(uscc))
    }

    /// The chosen documents as a package signed with the company's seal: the bytes of one ZIP file.
    #[wasm_bindgen(js_name = signPackage)]
    pub fn sign_package(&self, uscc: &str, document_ids: JsValue) -> Result<Vec<u8>, JsValue> {
        let ids: Vec<String> = from_js(document_ids, "documentIds")?;
        let mut bytes = std::io::Cursor::new(Vec::new());
        self.core.vault().sign_package_to(uscc, &ids, &mut bytes).map_err(error)?;
        Ok(bytes.into_inner())
    }

    /// The seals a package verification trusts here (`{uscc, fingerprint}`: a key bound to a company):
    /// `given` and, while the vault is unlocked, this app's own. Packages are verified by the search
    /// module's `verifyPackage` (its ZIP reader stays out of the first screen).
    #[wasm_bindgen(js_name = trustedSeals)]
    pub fn trusted_seals(&self, given: JsValue) -> Result<JsValue, JsValue> {
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
    pub fn list(&self) -> Result<JsValue, JsValue> {
        run(self.core.policies().list().map(|l| l.iter().map(|p| (**p).clone()).collect::<Vec<_>>()))
    }

    pub fn policy(&self, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().policy(id).map(|p| (*p).clone()))
    }

    pub fn checkup(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().checkup(uscc, self.core.clock().today()))
    }

    pub fn open(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().open(uscc, id))
    }

    pub fn save(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().save(uscc, id))
    }

    pub fn unsave(&self, uscc: &str, id: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().unsave(uscc, id))
    }

    pub fn saved(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().saved(uscc))
    }

    #[wasm_bindgen(js_name = listDynamics)]
    pub fn list_dynamics(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().list_dynamics(uscc, self.core.clock().today()))
    }
}

/// The guide (专属办事); answers are a plain object `{ key: value }`.
#[wasm_bindgen]
pub struct GuideApi {
    core: Rc<Zhuanshu>,
}

#[wasm_bindgen]
impl GuideApi {
    pub fn tree(&self) -> Result<JsValue, JsValue> {
        run(self.core.guide().tree())
    }

    pub fn bundles(&self) -> Result<JsValue, JsValue> {
        run(self.core.guide().bundles())
    }

    pub fn item(&self, code: &str) -> Result<JsValue, JsValue> {
        run(self.core.guide().item(code))
    }

    pub fn bundle(&self, code: &str) -> Result<JsValue, JsValue> {
        run(self.core.guide().bundle(code))
    }

    #[wasm_bindgen(js_name = nextQuestions)]
    pub fn next_questions(&self, code: &str, answers: JsValue) -> Result<JsValue, JsValue> {
        let answers: Answers = from_js(answers, "answers")?;
        run(self.core.guide().next_questions(code, &answers))
    }

    pub fn plan(&self, code: &str, answers: JsValue) -> Result<JsValue, JsValue> {
        let answers: Answers = from_js(answers, "answers")?;
        run(self.core.guide().plan(code, &answers))
    }

    #[wasm_bindgen(js_name = checkMaterials)]
    pub fn check_materials(&self, uscc: &str, code: &str, answers: JsValue) -> Result<JsValue, JsValue> {
        let answers: Answers = from_js(answers, "answers")?;
        run(self.core.guide().check_materials(uscc, code, &answers, self.core.clock().today()))
    }

    pub fn prefill(&self, uscc: &str, code: &str) -> Result<JsValue, JsValue> {
        run(self.core.guide().prefill(uscc, code))
    }

    /// The services that carry out policy `policyId`.
    #[wasm_bindgen(js_name = forPolicy)]
    pub fn for_policy(&self, policy_id: &str) -> Result<JsValue, JsValue> {
        run(self.core.policies().policy(policy_id).and_then(|p| self.core.guide().for_policy(&*p)))
    }

    /// The services as entries for the search module's `SearchIndex.build`.
    #[wasm_bindgen(js_name = searchEntries)]
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
    pub fn entries(&self) -> Result<JsValue, JsValue> {
        run(self.core.assistant().stored_entries())
    }

    /// What the owner of `uscc` is likely to ask today, as searches for the search module's `predicted`.
    pub fn topics(&self, uscc: &str) -> Result<JsValue, JsValue> {
        run(self.core.assistant().topics(uscc, self.core.clock().today()))
    }

    #[wasm_bindgen(js_name = importKb)]
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
#[wasm_bindgen]
pub fn labels() -> Result<JsValue, JsValue> {
    to_js(&zhuanshu::labels::labels())
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
