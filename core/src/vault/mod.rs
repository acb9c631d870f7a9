//! The vault (证照夹): scans of licences and materials, sealed so that a lost phone leaks nothing, a crash
//! destroys nothing and a changed byte is caught; the enterprise seal; sealed dossier fields.
//!
//! - [`keys`]: the key hierarchy (data key, PIN, platform [`KeyProvider`], recovery key);
//! - [`lockout`]: the stored delay between wrong PINs;
//! - [`document`]: the chunked AES-256-GCM format of a sealed document;
//! - `files`: where sealed bytes go (files, or the database) and the crash-safe write;
//! - [`backup`]: the whole vault in one encrypted file, restorable with the recovery key;
//! - [`seal`]: the company's Ed25519 seal and signed packages.
//!
//! [`Vault`] is the service the facade hands out. The unlocked data key lives in the facade, in memory
//! only, and is dropped by [`Vault::lock`] or once the vault was idle longer than the auto-lock time —
//! checked against the facade's clock on every call that needs the key, so there are no timers.
//! While locked, nothing in the vault can be listed, read, added or removed.

pub mod backup;
pub(crate) mod db;
pub mod document;
mod files;
pub mod keys;
pub mod lockout;
pub mod seal;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;

#[cfg(not(target_arch = "wasm32"))]
pub use keys::FileDeviceSecret;
pub use keys::{
    Device, DeviceSecret, KeyProvider, KeyProviderError, MemoryKeyProvider, PIN_ITERATIONS, RecoveryKey, SecretKey,
};
pub use seal::{PackageFile, PackageProblem, PackageReport, PackageSigner, PackageSummary, ProblemKind, SealInfo};

use crate::context::Context;
use crate::error::{Entity, Error, Result};
use crate::store::Store;
use document::{Header, ID_LEN, Opener, Sealer};
use files::{BlobStore, DbBlobs, FileBlobs};
use keys::Binding;

/// Idle time before the vault locks itself, unless the owner chose another.
pub const DEFAULT_AUTO_LOCK_SECONDS: u32 = 300;
/// Longest idle time the owner may choose (0 switches auto-lock off).
pub const MAX_AUTO_LOCK_SECONDS: u32 = 24 * 3600;
/// Longest document name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

const KEY_CHECK_AAD: &[u8] = b"zhuanshu/vault/key-check";

/// The ways the data key is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Pin,
    Provider,
    Recovery,
}

impl Slot {
    fn name(self) -> &'static str {
        match self {
            Slot::Pin => "pin",
            Slot::Provider => "provider",
            Slot::Recovery => "recovery",
        }
    }

    fn aad(self) -> Vec<u8> {
        format!("zhuanshu/vault/data-key/{}", self.name()).into_bytes()
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// Hex (either case) to bytes; `None` if it is not hex.
pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    text.chunks(2).map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?)).collect()
}

/// The plaintext length of an authenticated document against its row.
fn check_size(id: &str, got: u64, recorded: u64) -> Result<()> {
    if got != recorded {
        return Err(Error::Corrupt(format!("document {id} has {got} bytes, its record says {recorded}")));
    }
    Ok(())
}

/// A document id as the user or a front end gives it: 32 hex digits.
fn parse_id(id: &str) -> Result<(String, [u8; ID_LEN])> {
    let id = id.trim().to_ascii_lowercase();
    let bytes = unhex(&id).and_then(|b| <[u8; ID_LEN]>::try_from(b).ok());
    match bytes {
        Some(bytes) => Ok((id, bytes)),
        None => Err(Error::NotFound { what: Entity::Document, key: id }),
    }
}

fn doc_key_aad(id: &str) -> Vec<u8> {
    format!("vault_documents.wrapped_key.{id}").into_bytes()
}

fn name_aad(id: &str) -> Vec<u8> {
    format!("vault_documents.sealed_name.{id}").into_bytes()
}

/// Where the dossier seals a record's progress-lookup password (see `dossier::lookup_password`).
pub(crate) const LOOKUP_TABLE: &str = "records";
pub(crate) const LOOKUP_COLUMN: &str = "lookup_secret";

fn field_aad(table: &str, column: &str, rowid: i64) -> Vec<u8> {
    format!("{table}.{column}.{rowid}").into_bytes()
}

/// What the lock screen needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct VaultStatus {
    pub set_up: bool,
    pub unlocked: bool,
    pub has_pin: bool,
    pub has_key_provider: bool,
    pub has_recovery_key: bool,
    /// 0: auto-lock is off.
    pub auto_lock_seconds: u32,
    /// Wrong PINs (or recovery keys) in a row.
    pub failed_attempts: u32,
    /// While set and in the future, no unlock attempt is made.
    pub retry_after: Option<NaiveDateTime>,
    pub documents: u32,
}

/// A document in the vault, as listed. The name is sealed in storage and only shown unlocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct DocumentInfo {
    /// 32 hex digits.
    pub id: String,
    pub name: String,
    pub media_type: String,
    /// Plaintext bytes.
    pub size: u64,
    pub created_at: NaiveDateTime,
    /// Licences this document is a scan of.
    pub licence_ids: Vec<i64>,
    /// Materials whose `vault_document` is this document.
    pub material_ids: Vec<i64>,
}

/// The unlocked state, held by the facade.
struct Session {
    key: SecretKey,
    last_used: NaiveDateTime,
    auto_lock_seconds: u32,
}

impl Session {
    fn expired(&self, now: NaiveDateTime) -> bool {
        self.auto_lock_seconds > 0 && now - self.last_used >= Duration::seconds(i64::from(self.auto_lock_seconds))
    }
}

pub(crate) use files::{ensure_dir as ensure_private_dir, ensure_private_file};

/// The vault's part of the facade: where its files live and the unlocked key, if any.
pub(crate) struct State {
    dir: Option<PathBuf>,
    session: Mutex<Option<Session>>,
    /// The platform's device part, mixed into PIN wrappings when present.
    device: Option<Device>,
}

impl State {
    /// Called when the app opens: removes what an interrupted write left behind (see `files`).
    pub(crate) fn open(data_dir: Option<&Path>, device: Option<Device>, store: &mut Store) -> Result<State> {
        let state = State { dir: data_dir.map(|d| d.join("vault")), session: Mutex::new(None), device };
        let ids = store.read(db::document_ids)?;
        if let Some(dir) = &state.dir {
            files::sweep_dir(dir, &|id| ids.contains(id))?;
        }
        store.write(|tx| db::sweep_blobs(tx).map(drop))?;
        Ok(state)
    }

    fn session(&self) -> MutexGuard<'_, Option<Session>> {
        // Holding the key is all the session does; a panic elsewhere cannot leave it half-updated.
        self.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The vault directory, when documents are files.
    pub(crate) fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }
}

/// The vault service. Borrowed from [`Zhuanshu::vault`].
pub struct Vault<'a> {
    ctx: &'a Context,
}

impl<'a> Vault<'a> {
    pub(crate) fn new(ctx: &'a Context) -> Self {
        Vault { ctx }
    }

    /// Every time in the vault is a security time (lockout, auto-lock, document, seal and backup times):
    /// the real clock, never the planning clock a front end may have pinned.
    fn now(&self) -> NaiveDateTime {
        self.ctx.security_now()
    }

    /// The key session and the device part: the vault's state for the life of the handle. Every handle
    /// the facade opens has its own; without one nothing is unlocked, written or read (an internal error).
    fn state(&self) -> Result<&'a State> {
        self.ctx.part::<State>()
    }

    pub(crate) fn blobs(&self) -> Result<Box<dyn BlobStore + 'a>> {
        Ok(match self.state()?.dir() {
            Some(dir) => Box::new(FileBlobs::new(dir)),
            None => Box::new(DbBlobs::new(self.ctx)),
        })
    }

    // ---- state, lock and unlock ----

    pub fn status(&self) -> Result<VaultStatus> {
        let unlocked = self.is_unlocked();
        let now = self.now();
        self.ctx.store()?.read(|c| {
            let state = db::get_state(c)?;
            let slots = db::slots(c)?;
            let attempts = db::get_attempts(c)?.rebased(now);
            Ok(VaultStatus {
                set_up: state.is_some(),
                unlocked,
                has_pin: slots.iter().any(|s| s == Slot::Pin.name()),
                has_key_provider: slots.iter().any(|s| s == Slot::Provider.name()),
                has_recovery_key: slots.iter().any(|s| s == Slot::Recovery.name()),
                auto_lock_seconds: state.map_or(DEFAULT_AUTO_LOCK_SECONDS, |s| s.auto_lock_seconds),
                failed_attempts: attempts.failures,
                retry_after: attempts.retry_after(),
                documents: db::count_documents(c)?,
            })
        })
    }

    /// Sets the vault up: a new data key, wrapped by the PIN and/or the platform key provider (at least
    /// one), and a recovery key, which is returned to be shown once and written down. Leaves the vault
    /// unlocked.
    pub fn init(&self, pin: Option<&str>, provider: Option<&dyn KeyProvider>) -> Result<String> {
        if pin.is_none() && provider.is_none() {
            return Err(Error::invalid("pin", "请设置 PIN 码", "a PIN or a key provider is required"));
        }
        if let Some(pin) = pin {
            keys::check_new_pin(pin)?;
        }
        if self.ctx.store()?.read(db::get_state)?.is_some() {
            return Err(Error::invalid("vault", "证照夹已经设置过了", "the vault is already set up"));
        }
        let data_key = SecretKey::generate()?;
        let vault_id: [u8; 16] = keys::random_array()?;
        let key_check = keys::seal(&data_key, KEY_CHECK_AAD, &vault_id)?;
        let pin_slot = pin.map(|p| self.pin_slot(&data_key, p)).transpose()?;
        let provider_slot = provider.map(|p| provider_slot(&data_key, p)).transpose()?;
        let recovery = RecoveryKey::generate()?;
        let recovery_slot = recovery_slot(&data_key, &recovery)?;
        let now = self.now();
        self.ctx.store()?.write(|tx| {
            if db::get_state(tx)?.is_some() {
                return Err(Error::invalid("vault", "证照夹已经设置过了", "the vault is already set up"));
            }
            let state =
                db::StateRow { vault_id: vault_id.to_vec(), key_check, auto_lock_seconds: DEFAULT_AUTO_LOCK_SECONDS };
            db::insert_state(tx, &state, now)?;
            if let Some(slot) = &pin_slot {
                db::put_slot(tx, Slot::Pin.name(), slot, now)?;
            }
            if let Some(slot) = &provider_slot {
                db::put_slot(tx, Slot::Provider.name(), slot, now)?;
            }
            db::put_slot(tx, Slot::Recovery.name(), &recovery_slot, now)?;
            db::set_attempts(tx, &lockout::Attempts::default())
        })?;
        self.start_session(data_key)?;
        Ok(recovery.display())
    }

    /// Unlocks with the owner's PIN. Wrong PINs are counted and, after three in a row, delayed; the
    /// count survives restarts.
    pub fn unlock_with_pin(&self, pin: &str) -> Result<()> {
        let key = self.open_pin_slot(pin)?;
        self.start_session(key)
    }

    /// Unlocks with the platform key store. Not counted as a PIN attempt: the platform enforces its own
    /// authentication (biometrics, device credential).
    pub fn unlock_with_provider(&self, provider: &dyn KeyProvider) -> Result<()> {
        let (state, slot) = self.state_and_slot(Slot::Provider)?;
        let slot = slot.ok_or_else(|| {
            Error::invalid("key_provider", "此证照夹没有绑定系统密钥，请用 PIN 码解锁", "no key provider slot")
        })?;
        let mut bytes = provider.unwrap_key(slot.wrapped)?;
        let key = SecretKey::from_slice(&bytes).map_err(|e| Error::KeyProvider(e.to_string()));
        keys::wipe(&mut bytes);
        let key = key?;
        if !key_matches(&key, &state)? {
            return Err(Error::KeyProvider("the provider returned a key that does not open this vault".into()));
        }
        self.start_session(key)
    }

    /// Forgotten PIN: the written-down recovery key unlocks and sets `new_pin`. Counted like a PIN.
    pub fn recover(&self, recovery_key: &str, new_pin: &str) -> Result<()> {
        keys::check_new_pin(new_pin)?;
        let recovery = RecoveryKey::parse(recovery_key)?;
        let (state, slot) = self.state_and_slot(Slot::Recovery)?;
        let slot = slot.ok_or_else(|| {
            Error::invalid("recovery_key", "此证照夹没有恢复密钥", "the vault has no recovery key slot")
        })?;
        let kek = recovery.kek()?;
        let key =
            self.attempt(&state, Secret::RecoveryKey, || keys::unwrap_key(&kek, &Slot::Recovery.aad(), &slot.wrapped))?;
        let slot = self.pin_slot(&key, new_pin)?;
        let now = self.now();
        self.ctx.store()?.write(|tx| db::put_slot(tx, Slot::Pin.name(), &slot, now))?;
        self.start_session(key)
    }

    /// Drops the key from memory.
    pub fn lock(&self) {
        if let Ok(state) = self.state() {
            *state.session() = None;
        }
    }

    /// Whether the key is in memory and the idle time has not run out (if it has, this locks).
    pub fn is_unlocked(&self) -> bool {
        let now = self.now();
        let Ok(state) = self.state() else { return false };
        let mut session = state.session();
        match session.as_ref() {
            Some(s) if s.expired(now) => {
                *session = None;
                false
            }
            Some(_) => true,
            None => false,
        }
    }

    /// Sets the idle time after which the vault locks itself; 0 switches auto-lock off. Needs the vault
    /// unlocked.
    pub fn set_auto_lock(&self, seconds: u32) -> Result<()> {
        if seconds > MAX_AUTO_LOCK_SECONDS {
            return Err(Error::invalid(
                "auto_lock_seconds",
                "自动锁定时间最长 24 小时",
                format!("auto-lock is at most {MAX_AUTO_LOCK_SECONDS} s"),
            ));
        }
        self.key()?;
        self.ctx.store()?.write(|tx| db::set_auto_lock(tx, seconds))?;
        if let Some(s) = self.state()?.session().as_mut() {
            s.auto_lock_seconds = seconds;
        }
        Ok(())
    }

    /// Changes the PIN: checks the old one (counted like an unlock), then rewraps the data key under
    /// the new one. No document is touched. Leaves the vault unlocked.
    pub fn change_pin(&self, old_pin: &str, new_pin: &str) -> Result<()> {
        keys::check_new_pin(new_pin)?;
        let key = self.open_pin_slot(old_pin)?;
        let slot = self.pin_slot(&key, new_pin)?;
        let now = self.now();
        self.ctx.store()?.write(|tx| db::put_slot(tx, Slot::Pin.name(), &slot, now))?;
        self.start_session(key)
    }

    /// Adds a PIN to a vault that has none (set up with the key provider only). Needs the vault unlocked.
    pub fn set_pin(&self, new_pin: &str) -> Result<()> {
        keys::check_new_pin(new_pin)?;
        let key = self.key()?;
        if self.ctx.store()?.read(|c| db::get_slot(c, Slot::Pin.name()))?.is_some() {
            return Err(Error::invalid("pin", "已设置 PIN 码，请使用“修改 PIN 码”", "a PIN exists: use change_pin"));
        }
        let slot = self.pin_slot(&key, new_pin)?;
        let now = self.now();
        self.ctx.store()?.write(|tx| db::put_slot(tx, Slot::Pin.name(), &slot, now))
    }

    /// Wraps the data key with the platform key store too (or again, replacing the old wrapping).
    pub fn set_key_provider(&self, provider: &dyn KeyProvider) -> Result<()> {
        let key = self.key()?;
        let slot = provider_slot(&key, provider)?;
        let now = self.now();
        self.ctx.store()?.write(|tx| db::put_slot(tx, Slot::Provider.name(), &slot, now))
    }

    /// Forgets the platform key wrapping; refused unless a PIN remains to unlock with.
    pub fn remove_key_provider(&self) -> Result<()> {
        self.key()?;
        self.ctx.store()?.write(|tx| {
            if db::get_slot(tx, Slot::Pin.name())?.is_none() {
                return Err(Error::invalid(
                    "key_provider",
                    "请先设置 PIN 码，否则将无法解锁证照夹",
                    "removing the only way to unlock",
                ));
            }
            db::delete_slot(tx, Slot::Provider.name()).map(drop)
        })
    }

    /// Replaces the recovery key because the old one was seen or lost, and rotates the data key with it:
    /// every document key, sealed field and seal key is rewrapped under a new data key (no document is
    /// re-encrypted), the old wrappings are scrubbed from the database and its log, and the new recovery
    /// key is returned to be shown once. After this, the old recovery key opens nothing made from now on:
    /// not the vault, not a later backup. (Backups made before stay what they were: the old key opens
    /// them, so destroy them if the old key was seen.)
    ///
    /// Needs the vault unlocked and, if it has a PIN, the PIN (counted like an unlock), since the PIN's
    /// wrapping must be made again. The platform key's wrapping is remade with `provider` if given, else
    /// removed (set it again with [`Vault::set_key_provider`]).
    pub fn new_recovery_key(&self, pin: Option<&str>, provider: Option<&dyn KeyProvider>) -> Result<String> {
        let old = self.key()?;
        let has_pin = self.ctx.store()?.read(|c| db::get_slot(c, Slot::Pin.name()))?.is_some();
        let pin = match (has_pin, pin) {
            (true, Some(pin)) => {
                let opened = self.open_pin_slot(pin)?;
                if opened.expose() != old.expose() {
                    return Err(Error::Corrupt("the PIN opens another data key than the unlocked one".into()));
                }
                Some(pin)
            }
            (true, None) => {
                return Err(Error::invalid(
                    "pin",
                    "请输入 PIN 码以更换恢复密钥",
                    "the PIN is needed to rotate the keys",
                ));
            }
            (false, _) => None,
        };
        if !has_pin && provider.is_none() {
            return Err(Error::invalid(
                "key_provider",
                "请先设置 PIN 码或使用系统密钥，否则更换后将无法解锁证照夹",
                "rotating needs the PIN or the key provider to keep a way to unlock",
            ));
        }
        let new = SecretKey::generate()?;
        let recovery = RecoveryKey::generate()?;
        let recovery_slot = recovery_slot(&new, &recovery)?;
        let pin_slot = pin.map(|p| self.pin_slot(&new, p)).transpose()?;
        let provider_slot = provider.map(|p| provider_slot(&new, p)).transpose()?;
        let now = self.now();
        let mut store = self.ctx.store()?;
        store.write(|tx| {
            let state = db::get_state(tx)?.ok_or(Error::VaultNotSetUp)?;
            if !key_matches(&old, &state)? {
                return Err(Error::Corrupt("the unlocked key is not this vault's".into()));
            }
            db::set_key_check(tx, &keys::seal(&new, KEY_CHECK_AAD, &state.vault_id)?)?;
            for row in db::list_documents(tx)? {
                let aad = doc_key_aad(&row.id);
                let doc_key = keys::unwrap_key(&old, &aad, &row.wrapped_key)?
                    .ok_or_else(|| Error::Corrupt(format!("the key of document {} does not open", row.id)))?;
                let name = keys::open(&old, &name_aad(&row.id), &row.sealed_name)?
                    .ok_or_else(|| Error::Corrupt(format!("the name of document {} does not open", row.id)))?;
                db::reseal_document(
                    tx,
                    &row.id,
                    &keys::seal(&new, &name_aad(&row.id), &name)?,
                    &keys::seal(&new, &aad, doc_key.expose())?,
                )?;
            }
            for row in db::list_seals(tx)? {
                let aad = seal::private_aad(&row.key_id);
                let mut private = keys::open(&old, &aad, &row.sealed_private)?
                    .ok_or_else(|| Error::Corrupt(format!("the seal of {} does not open", row.uscc)))?;
                let sealed = keys::seal(&new, &aad, &private);
                keys::wipe(&mut private);
                db::reseal_seal(tx, &row.key_id, &sealed?)?;
            }
            for (record_id, sealed) in db::lookup_secrets(tx)? {
                let aad = field_aad(LOOKUP_TABLE, LOOKUP_COLUMN, record_id);
                let mut plain = keys::open(&old, &aad, &sealed)?.ok_or_else(|| {
                    Error::Corrupt(format!("the lookup password of record {record_id} does not open"))
                })?;
                let resealed = keys::seal(&new, &aad, &plain);
                keys::wipe(&mut plain);
                db::set_lookup_secret(tx, record_id, Some(&resealed?))?;
            }
            db::put_slot(tx, Slot::Recovery.name(), &recovery_slot, now)?;
            if let Some(slot) = &pin_slot {
                db::put_slot(tx, Slot::Pin.name(), slot, now)?;
            }
            match &provider_slot {
                Some(slot) => db::put_slot(tx, Slot::Provider.name(), slot, now)?,
                None => drop(db::delete_slot(tx, Slot::Provider.name())?),
            }
            Ok(())
        })?;
        // Committed: from here the new key is the only key, and the owner must see the new recovery key
        // whatever else happens. Emptying the log is best effort (a reader in another process may hold
        // it); SQLite's next checkpoint overwrites those pages with secure_delete's zeros in any case.
        let _ = store.scrub();
        drop(store);
        *self.state()?.session() =
            Some(Session { key: new, last_used: now, auto_lock_seconds: DEFAULT_AUTO_LOCK_SECONDS });
        if let Ok(Some(state)) = self.ctx.store().and_then(|s| s.read(db::get_state)) {
            if let Some(session) = self.state()?.session().as_mut() {
                session.auto_lock_seconds = state.auto_lock_seconds;
            }
        }
        Ok(recovery.display())
    }

    fn state_and_slot(&self, slot: Slot) -> Result<(db::StateRow, Option<db::SlotRow>)> {
        self.ctx.store()?.read(|c| {
            let state = db::get_state(c)?.ok_or(Error::VaultNotSetUp)?;
            Ok((state, db::get_slot(c, slot.name())?))
        })
    }

    fn open_pin_slot(&self, pin: &str) -> Result<SecretKey> {
        let (state, slot) = self.state_and_slot(Slot::Pin)?;
        let slot = slot.ok_or_else(|| {
            Error::invalid("pin", "此证照夹没有设置 PIN 码，请用系统密钥或恢复密钥解锁", "the vault has no PIN slot")
        })?;
        let (Some(salt), Some(iterations)) = (slot.salt.as_deref(), slot.iterations) else {
            return Err(Error::Corrupt("the PIN slot has no salt or iteration count".into()));
        };
        if iterations == 0 || iterations > keys::MAX_PIN_ITERATIONS {
            return Err(Error::Corrupt(format!("the PIN slot asks for {iterations} PBKDF2 iterations")));
        }
        // A bound wrapping needs the device before any attempt is counted: on another phone (or with the
        // key store reset) no PIN can work, and guessing must not lock the owner out of the recovery key.
        let here = self.state()?.device.as_ref().map_or(Binding::None, Device::binding);
        let binding = match slot.device_binding {
            0 => Binding::None,
            level if level == here.level() => here,
            level => {
                return Err(Error::DeviceUnavailable(format!(
                    "the PIN wrapping has device binding {level}, this app offers {}",
                    here.level()
                )));
            }
        };
        let key = self.attempt(&state, Secret::Pin, || {
            let kek = keys::pin_key(pin, salt, iterations, binding)?;
            keys::unwrap_key(&kek, &Slot::Pin.aad(), &slot.wrapped)
        })?;
        let unbound_here = slot.device_binding < here.level();
        if iterations < PIN_ITERATIONS || unbound_here {
            // The default grew since this wrapping was made, or it was made before this device gave a
            // secret: rewrap at today's count and bound to the device, once.
            let upgraded = self.pin_slot(&key, pin)?;
            let now = self.now();
            self.ctx.store()?.write(|tx| db::put_slot(tx, Slot::Pin.name(), &upgraded, now))?;
        }
        Ok(key)
    }

    /// One guessable attempt (PIN or recovery key). It is counted before the slow derivation runs and
    /// forgiven when it succeeds, so killing the app in between does not reset the count.
    fn attempt(
        &self,
        state: &db::StateRow,
        secret: Secret,
        try_unwrap: impl FnOnce() -> Result<Option<SecretKey>>,
    ) -> Result<SecretKey> {
        let now = self.now();
        // The inner result is the check's: the transaction commits either way, so a rebase (the clock
        // went back: the wait restarts from now) is stored even when the attempt is refused.
        let counted = self.ctx.store()?.write(|tx| {
            let stored = db::get_attempts(tx)?;
            let attempts = stored.rebased(now);
            if let Err(e) = attempts.check(now) {
                if attempts != stored {
                    db::set_attempts(tx, &attempts)?;
                }
                return Ok(Err(e));
            }
            let counted = attempts.counted(now);
            db::set_attempts(tx, &counted)?;
            Ok(Ok((attempts, counted)))
        })??;
        let (before, counted) = counted;
        let unwrapped = match try_unwrap() {
            // The device's key store did not answer (busy, locked, gone): nothing about the PIN was
            // learnt, so the attempt is not counted.
            Err(e @ Error::DeviceUnavailable(_)) => {
                self.ctx.store()?.write(|tx| {
                    if db::get_attempts(tx)? == counted {
                        db::set_attempts(tx, &before)?;
                    }
                    Ok(())
                })?;
                return Err(e);
            }
            other => other?,
        };
        match unwrapped {
            Some(key) => {
                if !key_matches(&key, state)? {
                    return Err(Error::Corrupt("the data key does not match the vault's key check".into()));
                }
                self.ctx.store()?.write(|tx| db::set_attempts(tx, &lockout::Attempts::default()))?;
                Ok(key)
            }
            None => {
                let (failures, retry_after) = (counted.failures, counted.retry_after());
                Err(match secret {
                    Secret::Pin => Error::WrongPin { failures, retry_after },
                    Secret::RecoveryKey => Error::WrongRecoveryKey { failures, retry_after },
                })
            }
        }
    }

    /// A PIN wrapping of `data_key`: new salt, today's iteration count, bound to the device when the
    /// platform gives a device secret.
    fn pin_slot(&self, data_key: &SecretKey, pin: &str) -> Result<db::SlotRow> {
        let binding = self.state()?.device.as_ref().map_or(Binding::None, Device::binding);
        let salt: [u8; keys::SALT_LEN] = keys::random_array()?;
        let kek = keys::pin_key(pin, &salt, PIN_ITERATIONS, binding)?;
        Ok(db::SlotRow {
            salt: Some(salt.to_vec()),
            iterations: Some(PIN_ITERATIONS),
            wrapped: keys::seal(&kek, &Slot::Pin.aad(), data_key.expose())?,
            device_binding: binding.level(),
        })
    }

    fn start_session(&self, key: SecretKey) -> Result<()> {
        let auto_lock_seconds =
            self.ctx.store()?.read(db::get_state)?.map_or(DEFAULT_AUTO_LOCK_SECONDS, |s| s.auto_lock_seconds);
        *self.state()?.session() = Some(Session { key, last_used: self.now(), auto_lock_seconds });
        Ok(())
    }

    /// The data key, if unlocked and not idle too long; each use restarts the idle time.
    pub(crate) fn key(&self) -> Result<SecretKey> {
        let now = self.now();
        {
            let mut session = self.state()?.session();
            match session.as_mut() {
                Some(s) if s.expired(now) => *session = None,
                Some(s) => {
                    s.last_used = s.last_used.max(now);
                    return Ok(s.key.duplicate());
                }
                None => {}
            }
        }
        if self.ctx.store()?.read(db::get_state)?.is_none() {
            Err(Error::VaultNotSetUp)
        } else {
            Err(Error::VaultLocked)
        }
    }

    // ---- sealed fields ----

    /// Seals a sensitive value of a database row with the data key. The associated data is
    /// `table.column.rowid`, so a sealed value copied into another row or column does not open.
    pub fn seal_field(&self, table: &str, column: &str, rowid: i64, plaintext: &[u8]) -> Result<Vec<u8>> {
        keys::seal(&self.key()?, &field_aad(table, column, rowid), plaintext)
    }

    /// Opens what [`Vault::seal_field`] sealed for the same `table.column.rowid`.
    pub fn open_field(&self, table: &str, column: &str, rowid: i64, sealed: &[u8]) -> Result<Vec<u8>> {
        keys::open(&self.key()?, &field_aad(table, column, rowid), sealed)?
            .ok_or_else(|| Error::Corrupt(format!("{table}.{column} of row {rowid} does not open")))
    }

    // ---- documents ----

    /// Adds a document from memory.
    pub fn add(&self, name: &str, media_type: &str, bytes: &[u8]) -> Result<DocumentInfo> {
        // Streamed on purpose, unlike `read`: the sealed bytes go to a file or a BLOB row, not to a
        // vector, so `document::encrypt_slice` would add a whole sealed copy in memory and a pass over
        // it (measured slower with the vault bench, 64 MiB: 664 against 842 MB/s to a file, 366
        // against 462 to a row).
        self.add_reader(name, media_type, &mut &bytes[..])
    }

    /// Adds a file, streaming it in chunks (any size, bounded memory). `name` defaults to the file's
    /// name and `media_type` to a guess from its extension.
    pub fn add_file(&self, path: &Path, name: Option<&str>, media_type: Option<&str>) -> Result<DocumentInfo> {
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("document");
        let name = name.unwrap_or(file_name);
        let media_type = media_type.unwrap_or_else(|| guess_media_type(name));
        let mut file = std::fs::File::open(path)?;
        self.add_reader(name, media_type, &mut file)
    }

    /// Adds a document from any stream.
    pub fn add_reader(&self, name: &str, media_type: &str, input: &mut dyn Read) -> Result<DocumentInfo> {
        let name = check_name(name)?;
        let media_type = check_media_type(media_type)?;
        let key = self.key()?;
        let id_bytes: [u8; ID_LEN] = keys::random_array()?;
        let id = hex(&id_bytes);
        let doc_key = SecretKey::generate()?;
        let wrapped_key = keys::seal(&key, &doc_key_aad(&id), doc_key.expose())?;
        let blobs = self.blobs()?;
        // 1. the sealed bytes, durably under their final name …
        let mut sealer = Sealer::new(&doc_key, &Header::new(id_bytes)?, blobs.create(&id)?)?;
        let size = sealer.copy_from(input)?;
        let (pending, _) = sealer.finish()?;
        pending.commit()?;
        // 2. … then the row that makes them a document: what it is, sealed; nothing of it in the clear.
        let meta = Meta { name: name.clone(), media_type: media_type.clone(), size, created_at: self.now() };
        let row = db::DocumentRow {
            id: id.clone(),
            sealed_name: meta.seal(&key, &id)?,
            media_type: String::new(),
            size: 0,
            wrapped_key,
            created_at: NaiveDateTime::default(),
        };
        if let Err(e) = self.ctx.store()?.write(|tx| db::insert_document(tx, &row)) {
            let _ = blobs.remove(&id);
            return Err(e);
        }
        Ok(DocumentInfo {
            id,
            name,
            media_type,
            size,
            created_at: meta.created_at,
            licence_ids: Vec::new(),
            material_ids: Vec::new(),
        })
    }

    /// All documents, oldest first.
    pub fn documents(&self) -> Result<Vec<DocumentInfo>> {
        let key = self.key()?;
        self.ctx.store()?.read(|c| db::list_documents(c)?.into_iter().map(|row| info(c, &key, row)).collect())
    }

    pub fn document(&self, id: &str) -> Result<DocumentInfo> {
        let key = self.key()?;
        let (id, _) = parse_id(id)?;
        self.ctx.store()?.read(|c| {
            let row = db::get_document(c, &id)?.ok_or_else(|| Error::NotFound { what: Entity::Document, key: id })?;
            info(c, &key, row)
        })
    }

    /// The documents linked to a licence.
    pub fn licence_documents(&self, licence_id: i64) -> Result<Vec<DocumentInfo>> {
        let key = self.key()?;
        self.ctx.store()?.read(|c| {
            if !db::licence_exists(c, licence_id)? {
                return Err(Error::NotFound { what: Entity::Licence, key: licence_id.to_string() });
            }
            let mut out = Vec::new();
            for id in db::documents_of_licence(c, licence_id)? {
                if let Some(row) = db::get_document(c, &id)? {
                    out.push(info(c, &key, row)?);
                }
            }
            Ok(out)
        })
    }

    /// The whole plaintext, all or nothing (see [`Vault::read_to`] for streaming). Each sealed chunk is
    /// read straight into the returned vector, allocated once at the recorded size, and opened there.
    pub fn read(&self, id: &str) -> Result<Vec<u8>> {
        let (id, id_bytes) = parse_id(id)?;
        let (meta, doc_key) = self.document_key(&id)?;
        let blobs = self.blobs()?;
        // The sealed metadata says how much room to reserve, bounded by the sealed bytes (a record is no
        // reason to allocate more than the file could hold).
        let room = meta.size.min(blobs.len(&id)?);
        let mut out = Vec::new();
        let size = document::decrypt_to_vec(&doc_key, Some(&id_bytes), blobs.open(&id)?, room, &mut out)?;
        check_size(&id, size, meta.size)?;
        Ok(out)
    }

    /// Streams the plaintext to `out`, chunk by authenticated chunk. If a later chunk fails, `out` has
    /// received the chunks before it and the error is [`Error::Corrupt`]; use [`Vault::export`] to get
    /// all or nothing.
    pub fn read_to(&self, id: &str, out: &mut dyn Write) -> Result<u64> {
        let (id, id_bytes) = parse_id(id)?;
        let (meta, doc_key) = self.document_key(&id)?;
        let blobs = self.blobs()?;
        let mut opener = Opener::new(&doc_key, Some(&id_bytes), blobs.open(&id)?)?;
        while let Some(chunk) = opener.next_chunk()? {
            out.write_all(chunk)?;
        }
        out.flush()?;
        check_size(&id, opener.plain_len(), meta.size)?;
        Ok(meta.size)
    }

    /// A document's authenticated metadata and its key.
    fn document_key(&self, id: &str) -> Result<(Meta, SecretKey)> {
        let key = self.key()?;
        let row = self
            .ctx
            .store()?
            .read(|c| db::get_document(c, id))?
            .ok_or_else(|| Error::NotFound { what: Entity::Document, key: id.to_owned() })?;
        let doc_key = keys::unwrap_key(&key, &doc_key_aad(id), &row.wrapped_key)?
            .ok_or_else(|| Error::Corrupt(format!("the key of document {id} does not open")))?;
        Ok((Meta::open(&key, &row)?, doc_key))
    }

    /// Decrypts a document to `path`: all of it or nothing (written beside `path` under a temporary
    /// name, renamed into place once every chunk authenticated).
    pub fn export(&self, id: &str, path: &Path) -> Result<u64> {
        let mut file = files::AtomicFile::create(path)?;
        let size = self.read_to(id, &mut file)?;
        file.commit()?;
        Ok(size)
    }

    /// Deletes a document: its row and key first (in one transaction, also unlinking it from licences
    /// and materials), then its sealed bytes.
    pub fn remove(&self, id: &str) -> Result<()> {
        let (id, _) = parse_id(id)?;
        self.key()?;
        let found = self.ctx.store()?.write(|tx| db::delete_document(tx, &id))?;
        if !found {
            return Err(Error::NotFound { what: Entity::Document, key: id });
        }
        self.blobs()?.remove(&id)
    }

    /// Marks a document as a scan of a licence.
    pub fn link_licence(&self, id: &str, licence_id: i64) -> Result<DocumentInfo> {
        let (id, _) = parse_id(id)?;
        self.key()?;
        self.ctx.store()?.write(|tx| {
            require_document(tx, &id)?;
            if !db::licence_exists(tx, licence_id)? {
                return Err(Error::NotFound { what: Entity::Licence, key: licence_id.to_string() });
            }
            db::link_licence(tx, licence_id, &id)
        })?;
        self.document(&id)
    }

    pub fn unlink_licence(&self, id: &str, licence_id: i64) -> Result<DocumentInfo> {
        let (id, _) = parse_id(id)?;
        self.key()?;
        self.ctx.store()?.write(|tx| {
            require_document(tx, &id)?;
            db::unlink_licence(tx, licence_id, &id).map(drop)
        })?;
        self.document(&id)
    }

    /// Makes a document the scan of a material (its `vault_document`).
    pub fn link_material(&self, id: &str, material_id: i64) -> Result<DocumentInfo> {
        let (id, _) = parse_id(id)?;
        self.key()?;
        self.ctx.store()?.write(|tx| {
            require_document(tx, &id)?;
            if db::set_material_document(tx, material_id, Some(&id))? {
                Ok(())
            } else {
                Err(Error::NotFound { what: Entity::Material, key: material_id.to_string() })
            }
        })?;
        self.document(&id)
    }

    /// Clears a material's document link (the document stays in the vault).
    pub fn unlink_material(&self, material_id: i64) -> Result<()> {
        self.key()?;
        self.ctx.store()?.write(|tx| {
            if db::set_material_document(tx, material_id, None)? {
                Ok(())
            } else {
                Err(Error::NotFound { what: Entity::Material, key: material_id.to_string() })
            }
        })
    }
}

/// Which guessable secret an attempt used, for the error.
#[derive(Clone, Copy)]
enum Secret {
    Pin,
    RecoveryKey,
}

fn key_matches(key: &SecretKey, state: &db::StateRow) -> Result<bool> {
    Ok(keys::open(key, KEY_CHECK_AAD, &state.key_check)?.is_some_and(|id| id == state.vault_id))
}

fn provider_slot(data_key: &SecretKey, provider: &dyn KeyProvider) -> Result<db::SlotRow> {
    let wrapped = provider.wrap_key(data_key.expose().to_vec())?;
    Ok(db::SlotRow { salt: None, iterations: None, wrapped, device_binding: 0 })
}

fn recovery_slot(data_key: &SecretKey, recovery: &RecoveryKey) -> Result<db::SlotRow> {
    let kek = recovery.kek()?;
    Ok(db::SlotRow {
        salt: None,
        iterations: None,
        wrapped: keys::seal(&kek, &Slot::Recovery.aad(), data_key.expose())?,
        device_binding: 0,
    })
}

fn require_document(conn: &rusqlite::Connection, id: &str) -> Result<()> {
    match db::get_document(conn, id)? {
        Some(_) => Ok(()),
        None => Err(Error::NotFound { what: Entity::Document, key: id.to_owned() }),
    }
}

/// What a document is — name, media type, size, time — sealed as one value with the data key (stored
/// in `vault_documents.sealed_name`, bound to the document's id), so none of it is readable or can be
/// changed without the key. The clear columns of the row hold placeholders. Documents added before
/// this format sealed the name alone and kept the rest in the clear; they still read.
#[derive(Debug, Serialize, serde::Deserialize)]
struct Meta {
    name: String,
    media_type: String,
    size: u64,
    created_at: NaiveDateTime,
}

/// Marks sealed metadata: a name can never start with a NUL (names refuse control characters).
const META_V2: &[u8] = b"\0meta/2";

impl Meta {
    fn seal(&self, key: &SecretKey, id: &str) -> Result<Vec<u8>> {
        let json = serde_json::to_vec(self).map_err(|e| Error::Internal(e.to_string()))?;
        keys::seal(key, &name_aad(id), &[META_V2, &json].concat())
    }

    fn open(key: &SecretKey, row: &db::DocumentRow) -> Result<Meta> {
        let bad = || Error::Corrupt(format!("the name of document {} does not open", row.id));
        let bytes = keys::open(key, &name_aad(&row.id), &row.sealed_name)?.ok_or_else(bad)?;
        match bytes.strip_prefix(META_V2) {
            Some(json) => serde_json::from_slice(json).map_err(|_| bad()),
            None => Ok(Meta {
                name: String::from_utf8(bytes).map_err(|_| bad())?,
                media_type: row.media_type.clone(),
                size: row.size,
                created_at: row.created_at,
            }),
        }
    }
}

fn info(conn: &rusqlite::Connection, key: &SecretKey, row: db::DocumentRow) -> Result<DocumentInfo> {
    let meta = Meta::open(key, &row)?;
    Ok(DocumentInfo {
        licence_ids: db::licences_of(conn, &row.id)?,
        material_ids: db::materials_of(conn, &row.id)?,
        id: row.id,
        name: meta.name,
        media_type: meta.media_type,
        size: meta.size,
        created_at: meta.created_at,
    })
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "请填写文件名称", "a document needs a name"));
    }
    let count = name.chars().count();
    if count > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "name",
            format!("文件名称最多 {MAX_NAME_CHARS} 个字，当前 {count} 个"),
            format!("name has {count} characters, at most {MAX_NAME_CHARS}"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid("name", "文件名称含有不可见的控制字符", "name contains a control character"));
    }
    Ok(name.to_owned())
}

fn check_media_type(media_type: &str) -> Result<String> {
    let m = media_type.trim().to_ascii_lowercase();
    let ok = m.len() <= 100
        && m.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty() && !b.is_empty() && m.bytes().all(|c| c.is_ascii_alphanumeric() || b"/.+-_".contains(&c))
        });
    if ok {
        Ok(m)
    } else {
        Err(Error::invalid("media_type", "文件类型不正确", format!("bad media type {media_type:?}")))
    }
}

/// The media type of the usual scans and documents, by extension.
pub fn guess_media_type(file_name: &str) -> &'static str {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "heic" => "image/heic",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "tif" | "tiff" => "image/tiff",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "ofd" => "application/ofd",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_ids_are_checked() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(unhex("000FfF").unwrap(), [0, 15, 255]);
        assert!(unhex("abc").is_none() && unhex("zz").is_none());
        assert!(parse_id(" 000102030405060708090A0B0C0D0E0F ").is_ok());
        assert_eq!(parse_id("../../etc/passwd").unwrap_err().code(), "not_found");
    }

    #[test]
    fn names_and_media_types() {
        assert_eq!(check_name(" 营业执照.jpg ").unwrap(), "营业执照.jpg");
        assert!(check_name(" ").is_err() && check_name("a\u{7}").is_err());
        assert_eq!(check_media_type("Image/JPEG").unwrap(), "image/jpeg");
        assert!(check_media_type("jpeg").is_err() && check_media_type("a/b c").is_err());
        assert_eq!(guess_media_type("扫描件.PDF"), "application/pdf");
        assert_eq!(guess_media_type("noext"), "application/octet-stream");
    }

    #[test]
    fn a_session_expires_after_the_idle_time_only() {
        let t0: NaiveDateTime = "2026-11-21T09:00:00".parse().unwrap();
        let s = Session { key: SecretKey::generate().unwrap(), last_used: t0, auto_lock_seconds: 300 };
        assert!(!s.expired(t0 + Duration::seconds(299)));
        assert!(s.expired(t0 + Duration::seconds(300)));
        assert!(!s.expired(t0 - Duration::seconds(5)), "a clock set back does not lock");
        let never = Session { auto_lock_seconds: 0, ..s };
        assert!(!never.expired(t0 + Duration::days(30)));
    }
}
