//! Zhuanshu (专属) core: the enterprise dossier and every rule of the app, on every platform.
//!
//! An app opens one [`Zhuanshu`] handle and reaches each part through a small service object:
//! `zhuanshu.dossier()`, and later `.policies()`, `.dynamics()` …. The FFI, wasm and CLI layers wrap
//! exactly this API, so no rule lives in a front end.
//!
//! Size habits for the web app's first-screen wasm module (each generic instance is code it downloads):
//! JSON is read with serde_json's slice reader only (`from_slice(text.as_bytes())`, never `from_str`,
//! which would compile a second copy of the parser), and small keyed collections in code the app module
//! runs are sorted vectors rather than new `BTreeMap`/`BTreeSet` types (each costs several KB).

pub mod assistant;
pub mod calendar;
pub mod clock;
pub mod content;
pub mod dossier;
pub mod dynamics;
pub mod error;
pub mod feed;
#[cfg(feature = "ffi")]
mod ffi_types;
pub mod guide;
pub mod labels;
pub mod policy;
pub mod store;
pub mod vault;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

pub use assistant::Assistant;
pub use chrono;
pub use clock::Clock;
pub use dossier::Dossier;
pub use dynamics::Dynamics;
pub use error::{Error, FieldIssue, Result};
pub use feed::Feed;
pub use policy::Policies;
pub use vault::Vault;

#[cfg(feature = "ffi")]
uniffi::setup_scaffolding!("zhuanshu");

/// How to open the app's data.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Directory for the database (created if missing); `None` keeps everything in memory.
    pub data_dir: Option<PathBuf>,
    /// The planning clock: what "today" is for deadlines, reminders and policies. Front ends may pin it
    /// (`--today`, `?now=`, previews); it never decides anything that protects.
    pub clock: Clock,
    /// The clock of security decisions: PIN lockout, vault auto-lock, seal and backup times, feed expiry.
    /// Always the device's clock in the apps and the CLI (no binding exposes it); only Rust tests pin it,
    /// to walk a lockout through time.
    pub security_clock: Clock,
    /// The platform's device part (see [`vault::Device`]): PIN wrappings made with it cannot be guessed
    /// from a copy of the database. `None` where the platform has none (the PIN alone then protects the
    /// vault, and a copy of the database can be attacked offline).
    pub device: Option<vault::Device>,
}

/// The one handle an app holds. Cheap to share behind an `Arc`; every call takes the store's lock for
/// exactly one action.
pub struct Zhuanshu {
    store: Mutex<store::Store>,
    /// The FAQ index, built on first use and dropped when the knowledge base changes.
    #[cfg(feature = "search")]
    faq_index: Mutex<Option<Arc<assistant::FaqIndex>>>,
    /// The working-day calendar: the embedded years plus the feed's, built on first use and dropped when
    /// the feed delivers a new version.
    calendar: Mutex<Option<Arc<calendar::Calendar>>>,
    /// The policy catalog in force, parsed once per catalog file.
    policy_catalog: Mutex<Option<policy::CachedCatalog>>,
    clock: Clock,
    security_clock: Clock,
    /// Where vault documents live and the unlocked vault key (memory only).
    vault: vault::State,
}

impl Zhuanshu {
    pub fn open(config: Config) -> Result<Zhuanshu> {
        // In the browser `data_dir` only names the database inside the storage VFS the wasm binding
        // installed (OPFS or IndexedDB): there is no file system, so vault documents stay in the database.
        let files_dir = if cfg!(target_arch = "wasm32") { None } else { config.data_dir.as_deref() };
        let path = match &config.data_dir {
            Some(dir) => {
                let db = dir.join("zhuanshu.db");
                if let Some(dir) = files_dir {
                    vault::ensure_private_dir(dir)?;
                    vault::ensure_private_file(&db)?;
                }
                Some(db)
            }
            None => None,
        };
        let mut store = store::Store::open(path.as_deref())?;
        let vault = vault::State::open(files_dir, config.device, &mut store)?;
        Ok(Zhuanshu {
            store: Mutex::new(store),
            #[cfg(feature = "search")]
            faq_index: Mutex::new(None),
            calendar: Mutex::new(None),
            policy_catalog: Mutex::new(None),
            clock: config.clock,
            security_clock: config.security_clock,
            vault,
        })
    }

    /// Drops the FAQ index after the knowledge base changed; the next search rebuilds it.
    pub(crate) fn forget_faq_index(&self) {
        #[cfg(feature = "search")]
        {
            *self.faq_index.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
    }

    /// The planning clock (see [`Config::clock`]).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The time for security decisions (see [`Config::security_clock`]): never the planning clock.
    pub(crate) fn security_now(&self) -> chrono::NaiveDateTime {
        self.security_clock.now()
    }

    /// The company dossier (一企一档).
    pub fn dossier(&self) -> Dossier<'_> {
        Dossier::new(self)
    }

    /// Dynamics (专属动态): deadlines and reminders computed from the dossier and the official calendar.
    pub fn dynamics(&self) -> Dynamics<'_> {
        Dynamics::new(self)
    }

    /// The guide (专属办事): the life tree, scenario questions, material reuse and prefilled forms.
    pub fn guide(&self) -> guide::Guide<'_> {
        guide::Guide::new(self)
    }

    /// The assistant (专属客服): FAQ search.
    pub fn assistant(&self) -> Assistant<'_> {
        Assistant::new(self)
    }

    /// The content feed (内容更新): signed policies, FAQ, guide and holiday years; sync and status.
    pub fn feed(&self) -> Feed<'_> {
        Feed::new(self)
    }

    /// Policies (专属政策): the catalog, the checkup and the policy items of the dynamics list.
    pub fn policies(&self) -> Policies<'_> {
        Policies::new(self)
    }

    /// The vault (证照夹): encrypted scans of licences and materials, the enterprise seal.
    pub fn vault(&self) -> Vault<'_> {
        Vault::new(self)
    }

    pub(crate) fn store(&self) -> Result<MutexGuard<'_, store::Store>> {
        // A poisoned lock means a panic happened mid-call; SQLite rolled back that call's transaction,
        // so the store itself is consistent and can be used again.
        Ok(self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}
