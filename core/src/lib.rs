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
pub mod context;
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

/// Dates and times cross to JavaScript as ISO 8601 text in Asia/Shanghai local time, the spelling of the
/// JSON export (`2026-11-21`, `2026-11-21T09:00:00`); the derived TypeScript declarations name them.
#[cfg(feature = "ts")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const DATES_TS: &str = "/** `YYYY-MM-DD`. */\nexport type NaiveDate = string;\n/** `YYYY-MM-DDTHH:MM:SS`, Asia/Shanghai. */\nexport type NaiveDateTime = string;";

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

/// The one handle an app holds, the top floor of the house: it opens the store and lends its
/// [`context::Context`] to the services it hands out. Cheap to share behind an `Arc`; every call takes
/// the store's lock for exactly one action.
pub struct Zhuanshu {
    ctx: context::Context,
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
        // The services' state, and what lower services get from higher ones, handed down: the content
        // checks the feed applies (the domains' readers) and the policy items of the dynamics.
        let ctx = context::Context::new(store, config.clock, config.security_clock)
            .with_part(vault)
            .with_part(content::checks())
            .with_part(dynamics::ExternalSource(policy::external_items));
        Ok(Zhuanshu { ctx })
    }

    /// The planning clock (see [`Config::clock`]).
    pub fn clock(&self) -> &Clock {
        self.ctx.clock()
    }

    /// The company dossier (一企一档).
    pub fn dossier(&self) -> Dossier<'_> {
        Dossier::new(&self.ctx)
    }

    /// Dynamics (专属动态): deadlines and reminders computed from the dossier and the official calendar.
    pub fn dynamics(&self) -> Dynamics<'_> {
        Dynamics::new(&self.ctx)
    }

    /// The guide (专属办事): the life tree, scenario questions, material reuse and prefilled forms.
    pub fn guide(&self) -> guide::Guide<'_> {
        guide::Guide::new(&self.ctx)
    }

    /// The assistant (专属客服): FAQ search.
    pub fn assistant(&self) -> Assistant<'_> {
        Assistant::new(&self.ctx)
    }

    /// The content feed (内容更新): signed policies, FAQ, guide and holiday years; sync and status.
    pub fn feed(&self) -> Feed<'_> {
        Feed::new(&self.ctx)
    }

    /// Policies (专属政策): the catalog, the checkup and the policy items of the dynamics list.
    pub fn policies(&self) -> Policies<'_> {
        Policies::new(&self.ctx)
    }

    /// The vault (证照夹): encrypted scans of licences and materials, the enterprise seal.
    pub fn vault(&self) -> Vault<'_> {
        Vault::new(&self.ctx)
    }
}
