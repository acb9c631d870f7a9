//! What every service runs on: the store, the two clocks, the values built from the content in force,
//! and the state a service keeps for the life of the handle. The facade ([`crate::Zhuanshu`]) owns one
//! and lends it to each service it hands out; services lend it to each other. So a service never names
//! the facade, and the house has one direction: the facade on top, the services below it, this and the
//! store under them.
//!
//! Caches and parts are kept by type, so this module knows none of the services' types: the FAQ index is
//! the assistant's, the calendar the dynamics', and each service asks for its own.

use std::any::Any;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::NaiveDateTime;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::Store;

type Shared = Arc<dyn Any + Send + Sync>;

pub struct Context {
    store: Mutex<Store>,
    clock: Clock,
    security_clock: Clock,
    /// State a service keeps while the handle is open (the vault's key session), one value per type,
    /// given at open.
    parts: Vec<Shared>,
    /// Values built from the content in force (the calendar, the policy catalog, the FAQ index), one per
    /// type; all dropped when the feed brings new content.
    caches: Mutex<Caches>,
}

#[derive(Default)]
struct Caches {
    /// Counts the forgets, so a value built from what was read before one is not kept after it.
    generation: u64,
    values: Vec<Shared>,
}

impl Context {
    /// See [`crate::Config`] for the two clocks.
    pub(crate) fn new(store: Store, clock: Clock, security_clock: Clock) -> Context {
        Context { store: Mutex::new(store), clock, security_clock, parts: Vec::new(), caches: Mutex::default() }
    }

    /// Adds a service's state for the life of the handle.
    pub(crate) fn with_part<T: Any + Send + Sync>(mut self, part: T) -> Context {
        self.parts.push(Arc::new(part));
        self
    }

    /// The state of type `T` given at open.
    pub(crate) fn part<T: Any + Send + Sync>(&self) -> Result<&T> {
        self.parts
            .iter()
            .find_map(|p| p.downcast_ref::<T>())
            .ok_or_else(|| Error::Internal(format!("no {} in this handle", std::any::type_name::<T>())))
    }

    /// The store, for one action. A poisoned lock means a panic happened mid-call; SQLite rolled back
    /// that call's transaction, so the store itself is consistent and can be used again.
    pub(crate) fn store(&self) -> Result<MutexGuard<'_, Store>> {
        Ok(self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// The planning clock (see [`crate::Config::clock`]).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The time for security decisions (see [`crate::Config::security_clock`]): never the planning clock.
    pub(crate) fn security_now(&self) -> NaiveDateTime {
        self.security_clock.now()
    }

    fn caches(&self) -> MutexGuard<'_, Caches> {
        self.caches.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached value of type `T` while `fresh` accepts it, else a new one from `build`, kept for next
    /// time. The lock is not held while building (a build may read other caches); a value whose build
    /// overlapped a forget is returned but not kept, since it may hold what the forget meant to drop.
    pub(crate) fn cached<T: Any + Send + Sync>(
        &self,
        fresh: impl Fn(&T) -> bool,
        build: impl FnOnce() -> Result<T>,
    ) -> Result<Arc<T>> {
        let (found, generation) = {
            let caches = self.caches();
            (caches.values.iter().find_map(|c| Arc::clone(c).downcast::<T>().ok()), caches.generation)
        };
        if let Some(value) = found.filter(|v| fresh(v)) {
            return Ok(value);
        }
        let value = Arc::new(build()?);
        let mut caches = self.caches();
        if caches.generation == generation {
            caches.values.retain(|c| !c.is::<T>());
            caches.values.push(Arc::clone(&value) as Shared);
        }
        Ok(value)
    }

    /// Drops the cached value of type `T`: the next use builds it again.
    #[cfg_attr(not(feature = "search"), allow(dead_code))] // the FAQ index is the only one forgotten alone
    pub(crate) fn forget<T: Any + Send + Sync>(&self) {
        let mut caches = self.caches();
        caches.values.retain(|c| !c.is::<T>());
        caches.generation += 1;
    }

    /// Drops every value built from content, after the content in force changed.
    pub(crate) fn forget_content(&self) {
        let mut caches = self.caches();
        caches.values.clear();
        caches.generation += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context::new(Store::open(None).unwrap(), Clock::default(), Clock::default())
    }

    #[test]
    fn a_cache_is_built_once_until_stale_or_forgotten() {
        let ctx = context();
        let builds = std::cell::Cell::new(0);
        let build = |v: u32| {
            builds.set(builds.get() + 1);
            Ok(v)
        };
        assert_eq!(*ctx.cached::<u32>(|_| true, || build(1)).unwrap(), 1);
        assert_eq!(*ctx.cached::<u32>(|_| true, || build(2)).unwrap(), 1);
        assert_eq!(*ctx.cached::<String>(|_| true, || Ok("other type".to_owned())).unwrap(), "other type");
        assert_eq!(*ctx.cached::<u32>(|v| *v == 2, || build(2)).unwrap(), 2, "stale: rebuilt");
        ctx.forget::<u32>();
        assert_eq!(*ctx.cached::<u32>(|_| true, || build(3)).unwrap(), 3);
        assert_eq!(builds.get(), 3);
        ctx.forget_content();
        assert_eq!(*ctx.cached::<String>(|_| true, || Ok("again".to_owned())).unwrap(), "again");
        assert!(ctx.cached::<i8>(|_| true, || Err(Error::Internal("no".into()))).is_err());
    }

    #[test]
    fn a_value_built_across_a_forget_is_not_kept() {
        let ctx = context();
        // The store changed and the cache was forgotten while this build read the old state.
        let stale = ctx.cached::<u32>(
            |_| true,
            || {
                ctx.forget::<u32>();
                Ok(1)
            },
        );
        assert_eq!(*stale.unwrap(), 1, "the caller still gets what it built");
        assert_eq!(*ctx.cached::<u32>(|_| true, || Ok(2)).unwrap(), 2, "but it was not kept");
        let _ = ctx.cached::<u8>(
            |_| true,
            || {
                ctx.forget_content();
                Ok(1)
            },
        );
        assert_eq!(*ctx.cached::<u8>(|_| true, || Ok(2)).unwrap(), 2);
    }

    #[test]
    fn parts_are_found_by_type() {
        let ctx = context().with_part(7u8);
        assert_eq!(*ctx.part::<u8>().unwrap(), 7);
        assert_eq!(ctx.part::<u16>().unwrap_err().code(), "internal");
    }
}
