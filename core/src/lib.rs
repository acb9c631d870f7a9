//! Zhuanshu (专属) core: the enterprise dossier and every rule of the app, on every platform.
//!
//! An app opens one [`Zhuanshu`] handle and reaches each part through a small service object:
//! `zhuanshu.dossier()`, and later `.policies()`, `.dynamics()` …. The FFI, wasm and CLI layers wrap
//! exactly this API, so no rule lives in a front end.

pub mod assistant;
pub mod calendar;
pub mod clock;
pub mod content;
pub mod dossier;
pub mod dynamics;
pub mod error;
#[cfg(feature = "ffi")]
mod ffi_types;
pub mod store;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

pub use assistant::Assistant;
pub use chrono;
pub use clock::Clock;
pub use dossier::Dossier;
pub use dynamics::Dynamics;
pub use error::{Error, FieldIssue, Result};

#[cfg(feature = "ffi")]
uniffi::setup_scaffolding!("zhuanshu");

/// How to open the app's data.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Directory for the database (created if missing); `None` keeps everything in memory.
    pub data_dir: Option<PathBuf>,
    pub clock: Clock,
}

/// The one handle an app holds. Cheap to share behind an `Arc`; every call takes the store's lock for
/// exactly one action.
pub struct Zhuanshu {
    store: Mutex<store::Store>,
    /// The FAQ index, built on first use and dropped when the knowledge base changes.
    faq_index: Mutex<Option<Arc<assistant::FaqIndex>>>,
    clock: Clock,
}

impl Zhuanshu {
    pub fn open(config: Config) -> Result<Zhuanshu> {
        let path = match &config.data_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir)?;
                Some(dir.join("zhuanshu.db"))
            }
            None => None,
        };
        let store = store::Store::open(path.as_deref())?;
        Ok(Zhuanshu { store: Mutex::new(store), faq_index: Mutex::new(None), clock: config.clock })
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The company dossier (一企一档).
    pub fn dossier(&self) -> Dossier<'_> {
        Dossier::new(self)
    }

    /// Dynamics (专属动态): deadlines and reminders computed from the dossier and the official calendar.
    pub fn dynamics(&self) -> Dynamics<'_> {
        Dynamics::new(self)
    }

    /// The assistant (专属客服): FAQ search.
    pub fn assistant(&self) -> Assistant<'_> {
        Assistant::new(self)
    }

    pub(crate) fn store(&self) -> Result<MutexGuard<'_, store::Store>> {
        // A poisoned lock means a panic happened mid-call; SQLite rolled back that call's transaction,
        // so the store itself is consistent and can be used again.
        Ok(self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}
