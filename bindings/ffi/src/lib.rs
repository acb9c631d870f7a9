//! UniFFI bindings of the Zhuanshu core, for Kotlin (Android) and Swift (iOS).
//!
//! This layer is not the API, it only carries it: each object mirrors one core service, each method
//! forwards to the core method of the same name. Errors are converted once, here, into
//! [`ZhuanshuError`]; a panic inside the core is caught and arrives as `ZhuanshuError.Internal` instead of
//! taking the app down.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use zhuanshu::assistant::{FaqEntry, Hit, KbStats, Prediction, Suggestion};
use zhuanshu::dossier::{
    Company, CompanyForm, CompanyOverview, Industry, Licence, LicenceForm, LicenceKind, Material, MaterialForm,
    MaterialKind, Record, RecordForm, RecordStatus, Region, money,
};
use zhuanshu::feed::{FeedStatus, SyncReport};
use zhuanshu::guide::{
    Answers, Bundle as GuideBundle, BundleSummary, Form, Item as GuideItem, ItemSummary, PendingQuestion, Plan,
    ThemeNode,
};
use zhuanshu::labels::Labels;
use zhuanshu::policy::{ConditionResult, Policy, PolicyCheck, Verdict, WindowStatus};
use zhuanshu::vault::seal::TrustedSeal;
use zhuanshu::vault::{
    Device, DeviceSecret, DocumentInfo, KeyProvider, PackageReport, PackageSummary, SealInfo, VaultStatus,
    backup::BackupSummary,
};
use zhuanshu::{Clock, Config, Error, FieldIssue, Zhuanshu};

uniffi::setup_scaffolding!("zhuanshu_ffi");

use zhuanshu::calendar::{DayInfo, TaxDeadline};
use zhuanshu::chrono::{NaiveDate, NaiveDateTime};
use zhuanshu::dynamics::{Dynamic, DynamicState, Notification, Reminder, ReminderData, SnoozeChoice};

uniffi::use_remote_type!(zhuanshu::NaiveDateTime);
uniffi::use_remote_type!(zhuanshu::NaiveDate);

/// Every failure of the core, by kind. `user_message` is Chinese and ready to show; `detail` is
/// English for developers and logs (not `message`, which Kotlin's Throwable already has); `issues`
/// locate invalid fields.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ZhuanshuError {
    #[error("{detail}")]
    Invalid { detail: String, user_message: String, issues: Vec<FieldIssue> },
    #[error("{detail}")]
    NotFound { detail: String, user_message: String },
    #[error("{detail}")]
    AlreadyExists { detail: String, user_message: String },
    #[error("{detail}")]
    NoCurrentCompany { detail: String, user_message: String },
    #[error("{detail}")]
    BadFormat { detail: String, user_message: String },
    #[error("{detail}")]
    Storage { detail: String, user_message: String },
    /// The vault is not set up, or locked: ask for the PIN (or the platform key).
    #[error("{detail}")]
    VaultLocked { code: String, detail: String, user_message: String },
    /// A wrong PIN or recovery key, or too many attempts; `retry_after` (local time, ISO 8601) says
    /// when the next attempt is allowed.
    #[error("{detail}")]
    WrongSecret { code: String, detail: String, user_message: String, retry_after: Option<String> },
    /// A document, backup or package failed its integrity check.
    #[error("{detail}")]
    Corrupt { detail: String, user_message: String },
    /// A feed update was refused (bad signature, rollback, expired …) or the network failed; the previous
    /// content is still in use. `code` names the class.
    #[error("{detail}")]
    Sync { code: String, detail: String, user_message: String },
    #[error("{detail}")]
    Internal { detail: String, user_message: String },
}

impl From<Error> for ZhuanshuError {
    fn from(e: Error) -> Self {
        let detail = e.to_string();
        let user_message = e.user_message();
        let code = e.code().to_owned();
        match e {
            Error::Invalid(issues) => ZhuanshuError::Invalid { detail, user_message, issues },
            Error::NotFound { .. } => ZhuanshuError::NotFound { detail, user_message },
            Error::AlreadyExists { .. } => ZhuanshuError::AlreadyExists { detail, user_message },
            Error::NoCurrentCompany => ZhuanshuError::NoCurrentCompany { detail, user_message },
            Error::Format(_) => ZhuanshuError::BadFormat { detail, user_message },
            Error::Storage(_) | Error::Migration(_) | Error::Io(_) => ZhuanshuError::Storage { detail, user_message },
            Error::VaultNotSetUp | Error::VaultLocked | Error::KeyProvider(_) | Error::DeviceUnavailable(_) => {
                ZhuanshuError::VaultLocked { code, detail, user_message }
            }
            Error::WrongPin { retry_after, .. } | Error::WrongRecoveryKey { retry_after, .. } => {
                let retry_after = retry_after.map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string());
                ZhuanshuError::WrongSecret { code, detail, user_message, retry_after }
            }
            Error::TooManyAttempts { retry_after, .. } => {
                let retry_after = Some(retry_after.format("%Y-%m-%dT%H:%M:%S").to_string());
                ZhuanshuError::WrongSecret { code, detail, user_message, retry_after }
            }
            Error::Corrupt(_) => ZhuanshuError::Corrupt { detail, user_message },
            Error::FeedRejected { .. } | Error::Network(_) => ZhuanshuError::Sync { code, detail, user_message },
            Error::Internal(_) => ZhuanshuError::Internal { detail, user_message },
        }
    }
}

type Result<T> = std::result::Result<T, ZhuanshuError>;

/// Runs one call, turning a core error or a panic into a `ZhuanshuError`.
fn guard<T>(f: impl FnOnce() -> zhuanshu::Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(Into::into),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Error::Internal(format!("panic: {detail}")).into())
        }
    }
}

/// The app handle. Open one per process and share it.
#[derive(uniffi::Object)]
pub struct ZhuanshuApp {
    core: Arc<Zhuanshu>,
}

#[uniffi::export]
impl ZhuanshuApp {
    /// Opens the data in `data_dir` (in memory when absent). `fixed_now` pins the planning clock
    /// (Asia/Shanghai local time) for tests and previews; absent, the device clock is used. Security
    /// decisions (PIN lockout, auto-lock, seal times, feed expiry) always use the device clock.
    /// `device_secret` is the platform's non-exportable PRF (Android Keystore HMAC, iOS Keychain): PIN
    /// wrappings made with it cannot be guessed away from this device.
    #[uniffi::constructor]
    pub fn open(
        data_dir: Option<String>,
        fixed_now: Option<NaiveDateTime>,
        device_secret: Option<Arc<dyn DeviceSecret>>,
    ) -> Result<Arc<Self>> {
        guard(|| {
            let clock = fixed_now.map(Clock::Fixed).unwrap_or_default();
            let device = device_secret.map(Device::Secret);
            let config = Config { data_dir: data_dir.map(Into::into), clock, device, ..Default::default() };
            let core = Zhuanshu::open(config)?;
            Ok(Arc::new(ZhuanshuApp { core: Arc::new(core) }))
        })
    }

    pub fn dossier(&self) -> Arc<DossierApi> {
        Arc::new(DossierApi { core: Arc::clone(&self.core) })
    }

    pub fn vault(&self) -> Arc<VaultApi> {
        Arc::new(VaultApi { core: Arc::clone(&self.core) })
    }

    pub fn policies(&self) -> Arc<PolicyApi> {
        Arc::new(PolicyApi { core: Arc::clone(&self.core) })
    }

    pub fn guide(&self) -> Arc<GuideApi> {
        Arc::new(GuideApi { core: Arc::clone(&self.core) })
    }

    pub fn dynamics(&self) -> Arc<DynamicsApi> {
        Arc::new(DynamicsApi { core: Arc::clone(&self.core) })
    }

    pub fn assistant(&self) -> Arc<AssistantApi> {
        Arc::new(AssistantApi { core: Arc::clone(&self.core) })
    }

    pub fn feed(&self) -> Arc<FeedApi> {
        Arc::new(FeedApi { core: Arc::clone(&self.core) })
    }
}

/// The signed content feed (policies, FAQ, guide, holiday years); see `zhuanshu::feed::Feed`.
#[derive(uniffi::Object)]
pub struct FeedApi {
    core: Arc<Zhuanshu>,
}

#[uniffi::export]
impl FeedApi {
    /// Syncs the signed content feed at `url` over HTTPS (blocking; call it off the main thread). On any
    /// failure the previous content stays in force and the error says why (`ZhuanshuError.Sync`).
    pub fn sync(&self, url: String) -> Result<SyncReport> {
        guard(|| self.core.feed().sync_blocking(&url))
    }

    /// Which content version is in force, where it came from, and when it was last checked.
    pub fn status(&self) -> Result<FeedStatus> {
        guard(|| self.core.feed().status())
    }
}

/// The company dossier (一企一档); see `zhuanshu::Dossier` for what each call does.
#[derive(uniffi::Object)]
pub struct DossierApi {
    core: Arc<Zhuanshu>,
}

#[uniffi::export]
impl DossierApi {
    pub fn companies(&self) -> Result<Vec<CompanyOverview>> {
        guard(|| self.core.dossier().companies())
    }

    pub fn company(&self, uscc: String) -> Result<CompanyOverview> {
        guard(|| self.core.dossier().company(&uscc))
    }

    pub fn current(&self) -> Result<CompanyOverview> {
        guard(|| self.core.dossier().current())
    }

    /// The company form: the saved profile of `uscc` as text for editing, or the empty form of a new
    /// company when `uscc` is absent.
    pub fn company_form(&self, uscc: Option<String>) -> Result<CompanyForm> {
        guard(|| self.core.dossier().company_form(uscc))
    }

    /// Reads what the owner typed into the company form: the profile for `add_company` or
    /// `update_company`, or `ZhuanshuError.Invalid` with one issue per wrong field.
    pub fn read_company_form(&self, form: CompanyForm) -> Result<Company> {
        guard(|| self.core.dossier().read_company_form(&form))
    }

    pub fn add_company(&self, company: Company) -> Result<CompanyOverview> {
        guard(|| self.core.dossier().add_company(&company))
    }

    pub fn update_company(&self, uscc: String, company: Company) -> Result<CompanyOverview> {
        guard(|| self.core.dossier().update_company(&uscc, &company))
    }

    pub fn remove_company(&self, uscc: String) -> Result<()> {
        guard(|| self.core.dossier().remove_company(&uscc))
    }

    pub fn use_company(&self, uscc: String) -> Result<CompanyOverview> {
        guard(|| self.core.dossier().use_company(&uscc))
    }

    pub fn licences(&self, uscc: String) -> Result<Vec<Licence>> {
        guard(|| self.core.dossier().licences(&uscc))
    }

    pub fn licence(&self, id: i64) -> Result<Licence> {
        guard(|| self.core.dossier().licence(id))
    }

    /// The form of licence `id`, or the empty form of a new one.
    pub fn licence_form(&self, id: Option<i64>) -> Result<LicenceForm> {
        guard(|| self.core.dossier().licence_form(id))
    }

    /// Reads the form; adds a licence to `uscc` (`id` null) or replaces licence `id`.
    pub fn save_licence(&self, uscc: String, id: Option<i64>, form: LicenceForm) -> Result<Licence> {
        guard(|| self.core.dossier().save_licence(&uscc, id, &form))
    }

    pub fn remove_licence(&self, id: i64) -> Result<()> {
        guard(|| self.core.dossier().remove_licence(id))
    }

    pub fn materials(&self, uscc: String) -> Result<Vec<Material>> {
        guard(|| self.core.dossier().materials(&uscc))
    }

    pub fn material(&self, id: i64) -> Result<Material> {
        guard(|| self.core.dossier().material(id))
    }

    /// The form of material `id`, or the empty form of a new one.
    pub fn material_form(&self, id: Option<i64>) -> Result<MaterialForm> {
        guard(|| self.core.dossier().material_form(id))
    }

    /// Reads the form; adds a material to `uscc` (`id` null) or replaces material `id`, keeping its scan.
    pub fn save_material(&self, uscc: String, id: Option<i64>, form: MaterialForm) -> Result<Material> {
        guard(|| self.core.dossier().save_material(&uscc, id, &form))
    }

    pub fn remove_material(&self, id: i64) -> Result<()> {
        guard(|| self.core.dossier().remove_material(id))
    }

    pub fn records(&self, uscc: String) -> Result<Vec<Record>> {
        guard(|| self.core.dossier().records(&uscc))
    }

    pub fn record(&self, id: i64) -> Result<Record> {
        guard(|| self.core.dossier().record(id))
    }

    /// The form of record `id` (its 查询密码 left empty), or the empty form of a new one.
    pub fn record_form(&self, id: Option<i64>) -> Result<RecordForm> {
        guard(|| self.core.dossier().record_form(id))
    }

    /// Reads the form; adds a record to `uscc` (`id` null) or replaces record `id`. A 查询密码 in the form
    /// needs the vault unlocked, checked before anything is saved.
    pub fn save_record(&self, uscc: String, id: Option<i64>, form: RecordForm) -> Result<Record> {
        guard(|| self.core.dossier().save_record(&uscc, id, &form))
    }

    /// A new status at `at` as typed (`YYYY-MM-DD HH:MM`; empty is now).
    pub fn set_record_status(&self, id: i64, status: RecordStatus, at: String) -> Result<Record> {
        guard(|| self.core.dossier().set_record_status(id, status, &at))
    }

    pub fn remove_record(&self, id: i64) -> Result<()> {
        guard(|| self.core.dossier().remove_record(id))
    }

    /// Sets (or with `None` clears) the progress-lookup password (查询密码) of a record; it is kept
    /// sealed in the vault, which must be unlocked.
    pub fn set_record_lookup_password(&self, record_id: i64, password: Option<String>) -> Result<()> {
        guard(|| self.core.dossier().set_record_lookup_password(record_id, password))
    }

    /// The lookup password of a record, if one was set. Needs the vault unlocked.
    pub fn record_lookup_password(&self, record_id: i64) -> Result<Option<String>> {
        guard(|| self.core.dossier().record_lookup_password(record_id))
    }

    /// The whole company as the versioned JSON document.
    pub fn export_json(&self, uscc: String) -> Result<String> {
        guard(|| self.core.dossier().export_json(&uscc))
    }

    pub fn import_json(&self, json: String) -> Result<CompanyOverview> {
        guard(|| self.core.dossier().import_json(&json))
    }

    pub fn load_demo(&self) -> Result<Vec<CompanyOverview>> {
        guard(|| self.core.dossier().load_demo())
    }

    pub fn licence_kinds(&self) -> Vec<LicenceKind> {
        self.core.dossier().licence_kinds()
    }

    pub fn material_kinds(&self) -> Vec<MaterialKind> {
        self.core.dossier().material_kinds()
    }

    pub fn industries(&self) -> Vec<Industry> {
        self.core.dossier().industries()
    }

    pub fn regions(&self) -> Vec<Region> {
        self.core.dossier().regions()
    }
}

/// Dynamics (专属动态): deadlines and reminders; see `zhuanshu::Dynamics`. Dates are the app clock's.
#[derive(uniffi::Object)]
pub struct DynamicsApi {
    core: Arc<Zhuanshu>,
}

#[uniffi::export]
impl DynamicsApi {
    /// The list for `uscc` today, soonest and most serious first.
    pub fn list(&self, uscc: String) -> Result<Vec<Dynamic>> {
        guard(|| self.core.dynamics().list(&uscc, self.core.clock().today()))
    }

    pub fn list_current(&self) -> Result<Vec<Dynamic>> {
        guard(|| self.core.dynamics().list_current())
    }

    pub fn mark_done(&self, uscc: String, id: String) -> Result<DynamicState> {
        guard(|| self.core.dynamics().mark_done(&uscc, &id))
    }

    pub fn dismiss(&self, uscc: String, id: String) -> Result<DynamicState> {
        guard(|| self.core.dynamics().dismiss(&uscc, &id))
    }

    pub fn snooze(&self, uscc: String, id: String, until: NaiveDate) -> Result<DynamicState> {
        guard(|| self.core.dynamics().snooze(&uscc, &id, until))
    }

    /// The snooze dates to offer today ("明天", "下个工作日（星期一）", …), earliest first.
    pub fn snooze_choices(&self) -> Vec<SnoozeChoice> {
        self.core.dynamics().snooze_choices()
    }

    /// Undoes done / dismiss / snooze.
    pub fn restore(&self, uscc: String, id: String) -> Result<bool> {
        guard(|| self.core.dynamics().restore(&uscc, &id))
    }

    pub fn states(&self, uscc: String) -> Result<Vec<DynamicState>> {
        guard(|| self.core.dynamics().states(&uscc))
    }

    pub fn add_reminder(&self, uscc: String, data: ReminderData) -> Result<Reminder> {
        guard(|| self.core.dynamics().add_reminder(&uscc, &data))
    }

    pub fn remove_reminder(&self, id: i64) -> Result<()> {
        guard(|| self.core.dynamics().remove_reminder(id))
    }

    pub fn reminders(&self, uscc: String) -> Result<Vec<Reminder>> {
        guard(|| self.core.dynamics().reminders(&uscc))
    }

    /// The next notifications of every company, for the OS scheduler (count and time of day default to
    /// the core's; `at` is `HH:MM`, Asia/Shanghai).
    pub fn notifications(&self, count: Option<u32>, at: Option<String>) -> Result<Vec<Notification>> {
        guard(|| self.core.dynamics().notifications(count, at.as_deref()))
    }

    /// The deadlines as an iCalendar (RFC 5545) file.
    pub fn ics(&self, uscc: String) -> Result<String> {
        guard(|| self.core.dynamics().ics(&uscc))
    }

    pub fn tax_deadline(&self, year: i32, month: u32) -> Result<TaxDeadline> {
        guard(|| self.core.dynamics().tax_deadline(year, month))
    }

    pub fn workday(&self, date: NaiveDate) -> DayInfo {
        self.core.dynamics().workday(date)
    }
}

/// The vault (证照夹) and the enterprise seal; see `zhuanshu::vault::Vault`. The platform's key store
/// plugs in as a `KeyProvider` implemented in Kotlin (Android Keystore) or Swift (iOS Keychain).
#[derive(uniffi::Object)]
pub struct VaultApi {
    core: Arc<Zhuanshu>,
}

#[uniffi::export]
impl VaultApi {
    pub fn status(&self) -> Result<VaultStatus> {
        guard(|| self.core.vault().status())
    }

    /// Sets the vault up with a PIN and/or the platform key; returns the recovery key, to show once.
    pub fn init(&self, pin: Option<String>, provider: Option<Arc<dyn KeyProvider>>) -> Result<String> {
        guard(|| self.core.vault().init(pin.as_deref(), provider.as_deref()))
    }

    pub fn unlock_with_pin(&self, pin: String) -> Result<()> {
        guard(|| self.core.vault().unlock_with_pin(&pin))
    }

    pub fn unlock_with_provider(&self, provider: Arc<dyn KeyProvider>) -> Result<()> {
        guard(|| self.core.vault().unlock_with_provider(provider.as_ref()))
    }

    pub fn recover(&self, recovery_key: String, new_pin: String) -> Result<()> {
        guard(|| self.core.vault().recover(&recovery_key, &new_pin))
    }

    pub fn lock(&self) {
        self.core.vault().lock()
    }

    /// Whether the key is in memory and the idle time has not run out (if it has, this locks).
    pub fn is_unlocked(&self) -> bool {
        self.core.vault().is_unlocked()
    }

    pub fn set_auto_lock(&self, seconds: u32) -> Result<()> {
        guard(|| self.core.vault().set_auto_lock(seconds))
    }

    pub fn change_pin(&self, old_pin: String, new_pin: String) -> Result<()> {
        guard(|| self.core.vault().change_pin(&old_pin, &new_pin))
    }

    /// Adds a PIN to a vault set up with the platform key only. Needs the vault unlocked.
    pub fn set_pin(&self, new_pin: String) -> Result<()> {
        guard(|| self.core.vault().set_pin(&new_pin))
    }

    pub fn set_key_provider(&self, provider: Arc<dyn KeyProvider>) -> Result<()> {
        guard(|| self.core.vault().set_key_provider(provider.as_ref()))
    }

    /// Forgets the platform key's wrapping; refused unless a PIN remains to unlock with.
    pub fn remove_key_provider(&self) -> Result<()> {
        guard(|| self.core.vault().remove_key_provider())
    }

    /// The old recovery key was seen or lost: rotates the data key and returns the new recovery key, to
    /// show once. `pin` is required when the vault has a PIN; the platform key's wrapping is remade with
    /// `provider`, or removed when it is absent.
    pub fn new_recovery_key(&self, pin: Option<String>, provider: Option<Arc<dyn KeyProvider>>) -> Result<String> {
        guard(|| self.core.vault().new_recovery_key(pin.as_deref(), provider.as_deref()))
    }

    pub fn add(&self, name: String, media_type: String, bytes: Vec<u8>) -> Result<DocumentInfo> {
        guard(|| self.core.vault().add(&name, &media_type, &bytes))
    }

    /// Streams a file into the vault (large scans stay in bounded memory).
    pub fn add_file(&self, path: String, name: Option<String>, media_type: Option<String>) -> Result<DocumentInfo> {
        guard(|| self.core.vault().add_file(std::path::Path::new(&path), name.as_deref(), media_type.as_deref()))
    }

    pub fn documents(&self) -> Result<Vec<DocumentInfo>> {
        guard(|| self.core.vault().documents())
    }

    pub fn document(&self, id: String) -> Result<DocumentInfo> {
        guard(|| self.core.vault().document(&id))
    }

    /// The documents linked to a licence as its scans.
    pub fn licence_documents(&self, licence_id: i64) -> Result<Vec<DocumentInfo>> {
        guard(|| self.core.vault().licence_documents(licence_id))
    }

    pub fn read(&self, id: String) -> Result<Vec<u8>> {
        guard(|| self.core.vault().read(&id))
    }

    /// Decrypts a document to a file (for sharing or viewing).
    pub fn export(&self, id: String, path: String) -> Result<u64> {
        guard(|| self.core.vault().export(&id, std::path::Path::new(&path)))
    }

    pub fn remove(&self, id: String) -> Result<()> {
        guard(|| self.core.vault().remove(&id))
    }

    pub fn link_licence(&self, id: String, licence_id: i64) -> Result<DocumentInfo> {
        guard(|| self.core.vault().link_licence(&id, licence_id))
    }

    pub fn unlink_licence(&self, id: String, licence_id: i64) -> Result<DocumentInfo> {
        guard(|| self.core.vault().unlink_licence(&id, licence_id))
    }

    pub fn link_material(&self, id: String, material_id: i64) -> Result<DocumentInfo> {
        guard(|| self.core.vault().link_material(&id, material_id))
    }

    /// Clears a material's document link (the document stays in the vault).
    pub fn unlink_material(&self, material_id: i64) -> Result<()> {
        guard(|| self.core.vault().unlink_material(material_id))
    }

    pub fn backup(&self, path: String) -> Result<BackupSummary> {
        guard(|| self.core.vault().backup(std::path::Path::new(&path)))
    }

    pub fn restore(&self, path: String, recovery_key: String, new_pin: String) -> Result<BackupSummary> {
        guard(|| self.core.vault().restore(std::path::Path::new(&path), &recovery_key, &new_pin))
    }

    pub fn create_seal(&self, uscc: String) -> Result<SealInfo> {
        guard(|| self.core.vault().create_seal(&uscc))
    }

    /// The company's seal (电子印章), if it has one.
    pub fn seal_info(&self, uscc: String) -> Result<Option<SealInfo>> {
        guard(|| self.core.vault().seal_info(&uscc))
    }

    /// Exports the chosen documents as a package signed with the company's seal: one new ZIP file `out`.
    pub fn sign_package(&self, uscc: String, document_ids: Vec<String>, out: String) -> Result<PackageSummary> {
        guard(|| self.core.vault().sign_package(&uscc, &document_ids, std::path::Path::new(&out)))
    }

    /// Verifies the package file at `path`, trusting `trusted` (keys bound to companies) and, while the
    /// vault is unlocked, this app's own seals; every problem is in the report.
    pub fn verify_package(&self, path: String, trusted: Vec<TrustedSeal>) -> Result<PackageReport> {
        guard(|| self.core.vault().verify_package(std::path::Path::new(&path), &trusted))
    }

    /// As `verify_package`, for a package held in memory (the bytes of its ZIP file).
    pub fn verify_package_bytes(&self, bytes: Vec<u8>, trusted: Vec<TrustedSeal>) -> Result<PackageReport> {
        guard(|| self.core.vault().verify_package_bytes(&bytes, &trusted))
    }

    /// The seals a verification trusts here: `given` and, while the vault is unlocked, this app's own.
    pub fn trusted_seals(&self, given: Vec<TrustedSeal>) -> Result<Vec<TrustedSeal>> {
        guard(|| self.core.vault().trusted_seals(&given))
    }
}

/// One policy checked against a company: the verdict, the application window and one line per condition.
#[derive(uniffi::Record)]
pub struct PolicyCheckView {
    pub policy: Policy,
    pub verdict: Verdict,
    pub window: WindowStatus,
    /// 免申即享 and eligible: nothing to apply for.
    pub no_application_needed: bool,
    pub status_label: String,
    pub conditions: Vec<ConditionResult>,
    /// For a near miss: what to change, one line per unmet condition, in order. Empty otherwise.
    pub missing: Vec<String>,
}

#[derive(uniffi::Record)]
pub struct CheckupView {
    pub uscc: String,
    pub today: NaiveDate,
    pub eligible: u32,
    pub near_miss: u32,
    pub not_eligible: u32,
    /// Ranked: eligible first, then deadline, benefit and the owner's interests.
    pub policies: Vec<PolicyCheckView>,
}

fn check_view(c: PolicyCheck) -> PolicyCheckView {
    PolicyCheckView {
        policy: (*c.policy).clone(),
        verdict: c.verdict,
        window: c.window,
        no_application_needed: c.no_application_needed,
        status_label: c.status_label.into_owned(),
        conditions: c.conditions,
        missing: c.missing,
    }
}

/// Policies (专属政策) matched on the device; see `zhuanshu::policy::Policies`.
#[derive(uniffi::Object)]
pub struct PolicyApi {
    core: Arc<Zhuanshu>,
}

#[uniffi::export]
impl PolicyApi {
    pub fn list(&self) -> Result<Vec<Policy>> {
        guard(|| Ok(self.core.policies().list()?.iter().map(|p| (**p).clone()).collect()))
    }

    pub fn policy(&self, id: String) -> Result<Policy> {
        guard(|| Ok((*self.core.policies().policy(&id)?).clone()))
    }

    /// The checkup (政策体检) of `uscc` on the app's today.
    pub fn checkup(&self, uscc: String) -> Result<CheckupView> {
        guard(|| {
            let c = self.core.policies().checkup(&uscc, self.core.clock().today())?;
            Ok(CheckupView {
                uscc: c.uscc,
                today: c.today,
                eligible: c.eligible,
                near_miss: c.near_miss,
                not_eligible: c.not_eligible,
                policies: c.policies.into_iter().map(check_view).collect(),
            })
        })
    }

    /// One policy checked against the company on the app's today (without counting as interest).
    pub fn check(&self, uscc: String, id: String) -> Result<PolicyCheckView> {
        guard(|| self.core.policies().check(&uscc, &id, self.core.clock().today()).map(check_view))
    }

    /// Opens a policy (this counts as interest for the ranking).
    pub fn open(&self, uscc: String, id: String) -> Result<PolicyCheckView> {
        guard(|| self.core.policies().open(&uscc, &id).map(check_view))
    }

    pub fn save(&self, uscc: String, id: String) -> Result<()> {
        guard(|| self.core.policies().save(&uscc, &id))
    }

    pub fn unsave(&self, uscc: String, id: String) -> Result<bool> {
        guard(|| self.core.policies().unsave(&uscc, &id))
    }

    pub fn saved(&self, uscc: String) -> Result<Vec<String>> {
        guard(|| self.core.policies().saved(&uscc))
    }
}

/// The guide (专属办事); see `zhuanshu::guide::Guide`. Answers are question key -> option value.
#[derive(uniffi::Object)]
pub struct GuideApi {
    core: Arc<Zhuanshu>,
}

fn to_answers(map: HashMap<String, String>) -> Answers {
    map.into_iter().collect()
}

#[uniffi::export]
impl GuideApi {
    pub fn tree(&self) -> Result<Vec<ThemeNode>> {
        guard(|| self.core.guide().tree())
    }

    pub fn bundles(&self) -> Result<Vec<BundleSummary>> {
        guard(|| self.core.guide().bundles())
    }

    pub fn item(&self, code: String) -> Result<GuideItem> {
        guard(|| self.core.guide().item(&code))
    }

    pub fn bundle(&self, code: String) -> Result<GuideBundle> {
        guard(|| self.core.guide().bundle(&code))
    }

    /// The questions still to answer, given `answers` so far.
    pub fn next_questions(&self, code: String, answers: HashMap<String, String>) -> Result<Vec<PendingQuestion>> {
        guard(|| self.core.guide().next_questions(&code, &to_answers(answers)))
    }

    pub fn plan(&self, code: String, answers: HashMap<String, String>) -> Result<Plan> {
        guard(|| self.core.guide().plan(&code, &to_answers(answers)))
    }

    /// The plan with each material checked against the dossier of `uscc` on the app's today.
    pub fn check_materials(&self, uscc: String, code: String, answers: HashMap<String, String>) -> Result<Plan> {
        guard(|| self.core.guide().check_materials(&uscc, &code, &to_answers(answers), self.core.clock().today()))
    }

    pub fn prefill(&self, uscc: String, code: String) -> Result<Form> {
        guard(|| self.core.guide().prefill(&uscc, &code))
    }

    pub fn search(&self, query: String, limit: u32) -> Result<Vec<Hit>> {
        guard(|| self.core.guide().search(&query, limit))
    }

    /// The services that carry out policy `policy_id`.
    pub fn for_policy(&self, policy_id: String) -> Result<Vec<ItemSummary>> {
        guard(|| self.core.guide().for_policy(&*self.core.policies().policy(&policy_id)?))
    }

    /// The service the home-list item `d` leads to, if any.
    pub fn for_dynamic(&self, uscc: String, d: Dynamic) -> Result<Option<ItemSummary>> {
        guard(|| self.core.guide().for_dynamic(&uscc, &d))
    }
}

/// The assistant (专属客服); see `zhuanshu::Assistant`.
#[derive(uniffi::Object)]
pub struct AssistantApi {
    core: Arc<Zhuanshu>,
}

#[uniffi::export]
impl AssistantApi {
    /// Builds the search index now (it is otherwise built by the first query).
    pub fn warm_up(&self) -> Result<()> {
        guard(|| self.core.assistant().warm_up())
    }

    /// The knowledge base in force: an import, else the feed's, else the embedded one.
    pub fn entries(&self) -> Result<Vec<FaqEntry>> {
        guard(|| self.core.assistant().entries())
    }

    pub fn search(&self, query: String, limit: u32) -> Result<Vec<Hit>> {
        guard(|| self.core.assistant().search(&query, limit))
    }

    pub fn suggest(&self, prefix: String) -> Result<Vec<Suggestion>> {
        guard(|| self.core.assistant().suggest(&prefix))
    }

    pub fn entry(&self, id: String) -> Result<FaqEntry> {
        guard(|| self.core.assistant().entry(&id))
    }

    pub fn related(&self, id: String, limit: u32) -> Result<Vec<Suggestion>> {
        guard(|| self.core.assistant().related(&id, limit))
    }

    /// Questions the owner of `uscc` is likely to ask today.
    pub fn predicted(&self, uscc: String) -> Result<Vec<Prediction>> {
        guard(|| self.core.assistant().predicted(&uscc, self.core.clock().today()))
    }

    pub fn import_kb(&self, jsonl: String) -> Result<KbStats> {
        guard(|| self.core.assistant().import(&jsonl))
    }

    /// Drops the imported knowledge base (back to the feed's, or the embedded one).
    pub fn reset_kb(&self) -> Result<()> {
        guard(|| self.core.assistant().reset())
    }

    pub fn kb_stats(&self) -> Result<KbStats> {
        guard(|| self.core.assistant().stats())
    }
}

/// Every closed list (company types, statuses, severities …) as code and label pairs.
#[uniffi::export]
pub fn labels() -> Labels {
    zhuanshu::labels::labels()
}

/// The days left until a date, as a badge says it: `还剩3天`, `今天到期`, `已逾期2天`.
#[uniffi::export]
pub fn days_left(days: i64) -> String {
    zhuanshu::labels::days_left(days)
}

/// Checks a unified social credit code; returns it normalised.
#[uniffi::export]
pub fn uscc_normalize(code: String) -> Result<String> {
    guard(|| zhuanshu::dossier::uscc::normalize(&code))
}

/// Reads an amount in yuan as owners type it; returns fen.
#[uniffi::export]
pub fn parse_yuan(text: String) -> Result<i64> {
    guard(|| money::parse_yuan(&text))
}

/// Shows fen as yuan (`1,234.50元`).
#[uniffi::export]
pub fn format_yuan(fen: i64) -> String {
    money::format_yuan(fen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_keep_kind_and_both_messages() {
        let err = uscc_normalize("123".into()).unwrap_err();
        match err {
            ZhuanshuError::Invalid { user_message, issues, .. } => {
                assert!(user_message.contains("18位"));
                assert_eq!(issues[0].path, "uscc");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let result: Result<()> = guard(|| panic!("boom"));
        match result {
            Err(ZhuanshuError::Internal { detail, user_message }) => {
                assert!(detail.contains("boom"));
                assert!(user_message.contains("内部错误"));
            }
            other => panic!("{other:?}"),
        }
    }
}
