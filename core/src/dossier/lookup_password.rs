//! The progress-lookup password (查询密码) of an application record: what the owner types on the
//! department's site to see how an application is going. It is a secret, so it is stored sealed with
//! the vault's data key (associated data `records.lookup_secret.<id>`), needs the vault unlocked to set
//! or read, and is never part of the dossier export.

use super::{Dossier, not_found};
use crate::error::{Entity, Error, Result};
use crate::vault::db;
use crate::vault::{LOOKUP_COLUMN as COLUMN, LOOKUP_TABLE as TABLE};

/// Longest password accepted, in characters.
pub const MAX_CHARS: usize = 64;

/// The password's own rules: not blank, at most [`MAX_CHARS`] characters, no control characters.
pub(super) fn check(password: &str) -> Result<()> {
    if password.trim().is_empty() {
        return Err(Error::invalid("lookup_password", "请填写查询密码", "empty lookup password"));
    }
    if password.chars().count() > MAX_CHARS || password.chars().any(char::is_control) {
        return Err(Error::invalid(
            "lookup_password",
            format!("查询密码最多 {MAX_CHARS} 位，且不能含有控制字符"),
            "lookup password too long or with control characters",
        ));
    }
    Ok(())
}

impl Dossier<'_> {
    /// Sets (or with `None` clears) the lookup password of a record. Needs the vault unlocked.
    pub fn set_record_lookup_password(&self, record_id: i64, password: Option<String>) -> Result<()> {
        let sealed = match password {
            Some(p) => {
                check(&p)?;
                if !self.ctx.store()?.read(|c| db::record_exists(c, record_id))? {
                    return Err(not_found(Entity::Record, record_id));
                }
                Some(crate::vault::Vault::new(self.ctx).seal_field(TABLE, COLUMN, record_id, p.as_bytes())?)
            }
            None => {
                // Clearing needs the key too: a locked phone must not lose the owner's data.
                crate::vault::Vault::new(self.ctx).key()?;
                None
            }
        };
        let found = self.ctx.store()?.write(|tx| db::set_lookup_secret(tx, record_id, sealed.as_deref()))?;
        if found { Ok(()) } else { Err(not_found(Entity::Record, record_id)) }
    }

    /// The lookup password of a record, if one was set. Needs the vault unlocked.
    pub fn record_lookup_password(&self, record_id: i64) -> Result<Option<String>> {
        let sealed = self
            .ctx
            .store()?
            .read(|c| db::get_lookup_secret(c, record_id))?
            .ok_or_else(|| not_found(Entity::Record, record_id))?;
        let Some(sealed) = sealed else { return Ok(None) };
        let bytes = crate::vault::Vault::new(self.ctx).open_field(TABLE, COLUMN, record_id, &sealed)?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| Error::Corrupt(format!("the lookup password of record {record_id} is not text")))
    }
}
