//! The whole vault in one encrypted file, restorable on another phone with the recovery key.
//!
//! ```text
//! "ZSVB" ‖ version u16 ‖ keys length u32 ‖ keys (JSON)      ← wrapped keys only, nothing readable
//! body: a sealed stream in the document format (id = backup id, key = a fresh backup key)
//!       manifest length u32 ‖ manifest (JSON: documents' metadata, seals, settings)
//!       ‖ each document's sealed file, in manifest order
//! ```
//!
//! The keys part carries the data key wrapped by the recovery key, and the backup key wrapped by the
//! data key. It deliberately does not carry the PIN wrapping: a six-digit PIN falls to an offline search
//! of a copied file in about 41 CPU-core-hours, on the order of minutes on one GPU (and a backup must open
//! away from the device, so the device secret cannot help); the 144-bit recovery key never does. Nor the platform key wrapping, which
//! is useless on another phone. Documents stay sealed under their own keys inside the sealed body, so the
//! body's authentication covers the whole file: a changed, cut or extended backup does not restore.
//!
//! Restoring needs a phone whose vault is not set up yet: it brings the old data key back (so sealed
//! dossier fields and document links keep working after the dossier is imported), writes every document
//! file first and every row in one transaction last — the same crash rule as a single document.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::document::{Header, ID_LEN, Opener, OpeningReader, Sealer, from_io, read_full};
use super::files::{AtomicFile, BlobStore};
use super::keys::{self, RecoveryKey, SecretKey};
use super::{MAX_AUTO_LOCK_SECONDS, Secret, Slot, Vault, hex, parse_id, unhex};
use crate::error::{Error, Result};
use crate::vault::db;

pub const MAGIC: [u8; 4] = *b"ZSVB";
pub const VERSION: u16 = 1;
pub const FORMAT: &str = "zhuanshu/vault-backup";
const MAX_KEYS_BYTES: u32 = 64 * 1024;
const MAX_MANIFEST_BYTES: u32 = 64 << 20;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupKeys {
    format: String,
    version: u32,
    backup_id: String,
    vault_id: String,
    key_check: String,
    /// The data key wrapped by the recovery key.
    recovery: String,
    /// The backup key wrapped by the data key.
    backup_key: String,
    created_at: NaiveDateTime,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupManifest {
    auto_lock_seconds: u32,
    documents: Vec<BackupDocument>,
    seals: Vec<BackupSeal>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupDocument {
    id: String,
    sealed_name: String,
    media_type: String,
    size: u64,
    wrapped_key: String,
    created_at: NaiveDateTime,
    sealed_len: u64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupSeal {
    uscc: String,
    key_id: String,
    public_key: String,
    sealed_private: String,
    created_at: NaiveDateTime,
}

/// What a backup holds, or what a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct BackupSummary {
    pub documents: u32,
    pub seals: u32,
    /// Seals of companies this phone's dossier does not have (restore only): import the company, then
    /// restore again on a fresh vault to get them back.
    pub seals_skipped: Vec<String>,
    /// Size of the backup file.
    pub bytes: u64,
}

fn backup_key_aad(backup_id: &str) -> Vec<u8> {
    format!("zhuanshu/vault/backup-key/{backup_id}").into_bytes()
}

fn bad(detail: impl Into<String>) -> Error {
    Error::Corrupt(format!("vault backup: {}", detail.into()))
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Internal(e.to_string()))
}

fn unhex_field(text: &str, what: &str) -> Result<Vec<u8>> {
    unhex(text).ok_or_else(|| bad(format!("{what} is not hex")))
}

/// Counts what passes through.
struct Counting<W: Write> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Vault<'_> {
    /// Writes the whole vault to `path` (replaced atomically). Needs the vault unlocked and a recovery
    /// key, which is what opens the backup.
    pub fn backup(&self, path: &Path) -> Result<BackupSummary> {
        let mut file = AtomicFile::create(path)?;
        let summary = self.backup_to(&mut file)?;
        file.commit()?;
        Ok(summary)
    }

    /// The backup as a stream (for front ends without paths, e.g. the browser's download).
    pub fn backup_to(&self, out: &mut dyn Write) -> Result<BackupSummary> {
        let data_key = self.key()?;
        let (state, recovery, docs, seals) = self.ctx.store()?.read(|c| {
            let state = db::get_state(c)?.ok_or(Error::VaultNotSetUp)?;
            let recovery = db::get_slot(c, Slot::Recovery.name())?;
            Ok((state, recovery, db::list_documents(c)?, db::list_seals(c)?))
        })?;
        let recovery = recovery.ok_or_else(|| {
            Error::invalid("recovery_key", "请先生成恢复密钥，备份只能用恢复密钥打开", "backup needs a recovery key")
        })?;
        let backup_id: [u8; ID_LEN] = keys::random_array()?;
        let backup_id_hex = hex(&backup_id);
        let backup_key = SecretKey::generate()?;
        let head = BackupKeys {
            format: FORMAT.into(),
            version: u32::from(VERSION),
            backup_id: backup_id_hex.clone(),
            vault_id: hex(&state.vault_id),
            key_check: hex(&state.key_check),
            recovery: hex(&recovery.wrapped),
            backup_key: hex(&keys::seal(&data_key, &backup_key_aad(&backup_id_hex), backup_key.expose())?),
            created_at: self.now(),
        };
        let blobs = self.blobs()?;
        let mut documents = Vec::with_capacity(docs.len());
        for d in &docs {
            documents.push(BackupDocument {
                id: d.id.clone(),
                sealed_name: hex(&d.sealed_name),
                media_type: d.media_type.clone(),
                size: d.size,
                wrapped_key: hex(&d.wrapped_key),
                created_at: d.created_at,
                sealed_len: blobs.len(&d.id)?,
            });
        }
        let manifest = BackupManifest {
            auto_lock_seconds: state.auto_lock_seconds,
            seals: seals
                .iter()
                .map(|s| BackupSeal {
                    uscc: s.uscc.clone(),
                    key_id: s.key_id.clone(),
                    public_key: hex(&s.public_key),
                    sealed_private: hex(&s.sealed_private),
                    created_at: s.created_at,
                })
                .collect(),
            documents,
        };
        let head_bytes = to_json(&head)?;
        let manifest_bytes = to_json(&manifest)?;

        let mut out = Counting { inner: out, n: 0 };
        out.write_all(&MAGIC)?;
        out.write_all(&VERSION.to_be_bytes())?;
        out.write_all(&(head_bytes.len() as u32).to_be_bytes())?;
        out.write_all(&head_bytes)?;
        let mut body = Sealer::new(&backup_key, &Header::new(backup_id)?, &mut out)?;
        body.write_all(&(manifest_bytes.len() as u32).to_be_bytes())?;
        body.write_all(&manifest_bytes)?;
        for d in &manifest.documents {
            let copied = io::copy(&mut blobs.open(&d.id)?.take(d.sealed_len), &mut body)?;
            if copied != d.sealed_len {
                return Err(Error::Corrupt(format!("document {} changed while it was backed up", d.id)));
            }
        }
        body.finish()?;
        out.flush()?;
        Ok(BackupSummary {
            documents: manifest.documents.len() as u32,
            seals: manifest.seals.len() as u32,
            seals_skipped: Vec::new(),
            bytes: out.n,
        })
    }

    /// Restores a backup file onto this phone, whose vault must not be set up yet. The recovery key
    /// opens it (counted like a PIN attempt); `new_pin` becomes this phone's PIN. Leaves the vault unlocked.
    pub fn restore(&self, path: &Path, recovery_key: &str, new_pin: &str) -> Result<BackupSummary> {
        let mut file = File::open(path)?;
        let bytes = file.metadata()?.len();
        let mut summary = self.restore_from(&mut file, recovery_key, new_pin)?;
        summary.bytes = bytes;
        Ok(summary)
    }

    /// [`Vault::restore`] from a stream.
    pub fn restore_from(&self, input: &mut dyn Read, recovery_key: &str, new_pin: &str) -> Result<BackupSummary> {
        keys::check_new_pin(new_pin)?;
        let recovery = RecoveryKey::parse(recovery_key)?;
        if self.ctx.store()?.read(db::get_state)?.is_some() {
            return Err(Error::invalid(
                "vault",
                "本机已设置证照夹，只能在尚未设置证照夹的手机上恢复备份",
                "restore needs a vault that is not set up",
            ));
        }
        let head = read_backup_keys(input)?;
        let opened = self.open_backup_keys(&head, &recovery)?;

        let mut body = OpeningReader::new(Opener::new(&opened.backup_key, Some(&opened.backup_id), input)?);
        let manifest = read_manifest(&mut body)?;
        let rows = document_rows(&manifest)?;
        let seal_rows = seal_rows(&manifest)?;

        let blobs = self.blobs()?;
        let mut written: Vec<String> = Vec::new();
        let result = (|| -> Result<Vec<String>> {
            // 1. every document file …
            write_documents(&*blobs, &mut body, &rows, &manifest.documents, &mut written)?;
            // 2. … then every row, in one transaction.
            self.insert_restored(&opened, new_pin, manifest.auto_lock_seconds, &rows, &seal_rows)
        })();
        let skipped = match result {
            Ok(skipped) => skipped,
            Err(e) => {
                for id in &written {
                    let _ = blobs.remove(id);
                }
                return Err(e);
            }
        };
        self.start_session(opened.data_key)?;
        Ok(BackupSummary {
            documents: rows.len() as u32,
            seals: (seal_rows.len() - skipped.len()) as u32,
            seals_skipped: skipped,
            bytes: 0,
        })
    }

    /// Only the recovery key may open a backup, and it is a guessable secret like a PIN: the attempt is
    /// counted against the vault the backup came from, before the data key it unwraps opens the rest.
    fn open_backup_keys(&self, head: &BackupKeys, recovery: &RecoveryKey) -> Result<OpenedKeys> {
        let backup_id: [u8; ID_LEN] =
            unhex_field(&head.backup_id, "backup_id")?.try_into().map_err(|_| bad("backup_id is not 16 bytes"))?;
        let state = db::StateRow {
            vault_id: unhex_field(&head.vault_id, "vault_id")?,
            key_check: unhex_field(&head.key_check, "key_check")?,
            auto_lock_seconds: super::DEFAULT_AUTO_LOCK_SECONDS,
        };
        let recovery_wrapped = unhex_field(&head.recovery, "recovery")?;
        let kek = recovery.kek()?;
        let data_key = self.attempt(&state, Secret::RecoveryKey, || {
            keys::unwrap_key(&kek, &Slot::Recovery.aad(), &recovery_wrapped)
        })?;
        let backup_key = keys::unwrap_key(
            &data_key,
            &backup_key_aad(&head.backup_id),
            &unhex_field(&head.backup_key, "backup_key")?,
        )?
        .ok_or_else(|| bad("the backup key does not open"))?;
        Ok(OpenedKeys { backup_id, state, recovery_wrapped, data_key, backup_key })
    }

    /// The rows go in last and all at once, so a crash or a failure leaves no half-restored vault, only
    /// document files that nothing points to. Returns the USCCs of the seals left out.
    fn insert_restored(
        &self,
        opened: &OpenedKeys,
        new_pin: &str,
        auto_lock_seconds: u32,
        rows: &[db::DocumentRow],
        seal_rows: &[db::SealRow],
    ) -> Result<Vec<String>> {
        let pin = self.pin_slot(&opened.data_key, new_pin)?;
        let recovery_slot =
            db::SlotRow { salt: None, iterations: None, wrapped: opened.recovery_wrapped.clone(), device_binding: 0 };
        let now = self.now();
        self.ctx.store()?.write(|tx| {
            if db::get_state(tx)?.is_some() {
                return Err(Error::invalid("vault", "本机已设置证照夹", "the vault was set up meanwhile"));
            }
            let state = db::StateRow {
                vault_id: opened.state.vault_id.clone(),
                key_check: opened.state.key_check.clone(),
                auto_lock_seconds: auto_lock_seconds.min(MAX_AUTO_LOCK_SECONDS),
            };
            db::insert_state(tx, &state, now)?;
            db::put_slot(tx, Slot::Recovery.name(), &recovery_slot, now)?;
            db::put_slot(tx, Slot::Pin.name(), &pin, now)?;
            for row in rows {
                db::insert_document(tx, row)?;
            }
            let mut skipped = Vec::new();
            for seal in seal_rows {
                if db::company_exists(tx, &seal.uscc)? {
                    db::insert_seal(tx, seal)?;
                } else {
                    skipped.push(seal.uscc.clone());
                }
            }
            Ok(skipped)
        })
    }
}

/// What the recovery key opened in a backup's keys part.
struct OpenedKeys {
    backup_id: [u8; ID_LEN],
    /// The backed-up vault's identity, with the default auto-lock (the manifest's comes later).
    state: db::StateRow,
    /// The data key wrapped by the recovery key: it becomes this phone's recovery slot as it is.
    recovery_wrapped: Vec<u8>,
    data_key: SecretKey,
    backup_key: SecretKey,
}

/// The clear part of a backup is checked before any key is tried, so a file that is not a backup (or a
/// version this build cannot read) is refused without costing a recovery-key attempt.
fn read_backup_keys(input: &mut dyn Read) -> Result<BackupKeys> {
    let not_backup = || Error::Format("not a Zhuanshu vault backup".into());
    let mut fixed = [0u8; 10];
    if read_full(input, &mut fixed)? < fixed.len() || fixed[0..4] != MAGIC {
        return Err(not_backup());
    }
    let version = u16::from_be_bytes([fixed[4], fixed[5]]);
    if version != VERSION {
        return Err(Error::Format(format!("vault backup version {version} is not supported")));
    }
    let keys_len = u32::from_be_bytes([fixed[6], fixed[7], fixed[8], fixed[9]]);
    if keys_len > MAX_KEYS_BYTES {
        return Err(bad(format!("keys part of {keys_len} bytes")));
    }
    let mut head_bytes = vec![0u8; keys_len as usize];
    if read_full(input, &mut head_bytes)? < head_bytes.len() {
        return Err(bad("cut inside the keys part"));
    }
    let head: BackupKeys = serde_json::from_slice(&head_bytes).map_err(|e| bad(format!("keys part: {e}")))?;
    if head.format != FORMAT {
        return Err(not_backup());
    }
    Ok(head)
}

/// The manifest says what follows in the body, so it is read (within a cap: its length is the file's
/// word) before any document is.
fn read_manifest(body: &mut impl Read) -> Result<BackupManifest> {
    let mut len = [0u8; 4];
    if read_full(body, &mut len)? < 4 {
        return Err(bad("cut before the manifest"));
    }
    let manifest_len = u32::from_be_bytes(len);
    if manifest_len > MAX_MANIFEST_BYTES {
        return Err(bad(format!("manifest of {manifest_len} bytes")));
    }
    let mut manifest_bytes = vec![0u8; manifest_len as usize];
    if read_full(body, &mut manifest_bytes)? < manifest_bytes.len() {
        return Err(bad("cut inside the manifest"));
    }
    serde_json::from_slice(&manifest_bytes).map_err(|e| bad(format!("manifest: {e}")))
}

/// Every document row is decoded before any file is written, so a bad manifest (an invalid id, one
/// document twice) leaves nothing behind.
fn document_rows(manifest: &BackupManifest) -> Result<Vec<db::DocumentRow>> {
    let mut rows = Vec::with_capacity(manifest.documents.len());
    let mut seen = HashSet::new();
    for d in &manifest.documents {
        let (id, _) = parse_id(&d.id).map_err(|_| bad(format!("document id {:?}", d.id)))?;
        if !seen.insert(id.clone()) {
            return Err(bad(format!("document {id} twice")));
        }
        rows.push(db::DocumentRow {
            id,
            sealed_name: unhex_field(&d.sealed_name, "sealed_name")?,
            media_type: d.media_type.clone(),
            size: d.size,
            wrapped_key: unhex_field(&d.wrapped_key, "wrapped_key")?,
            created_at: d.created_at,
        });
    }
    Ok(rows)
}

/// Seal rows are decoded up front for the same reason as the document rows: nothing is written from a
/// manifest that does not decode.
fn seal_rows(manifest: &BackupManifest) -> Result<Vec<db::SealRow>> {
    let mut seal_rows = Vec::with_capacity(manifest.seals.len());
    for s in &manifest.seals {
        seal_rows.push(db::SealRow {
            uscc: s.uscc.clone(),
            key_id: s.key_id.clone(),
            public_key: unhex_field(&s.public_key, "public_key")?,
            sealed_private: unhex_field(&s.sealed_private, "sealed_private")?,
            created_at: s.created_at,
        });
    }
    Ok(seal_rows)
}

/// Document files go first (the crash rule: a file without a row is harmless, a row without a file is
/// not), and the body must end right after the last one: its authenticated end is what catches a cut or
/// extended backup. `written` records each file as it lands, for the caller to remove on failure.
fn write_documents(
    blobs: &dyn BlobStore,
    body: &mut impl Read,
    rows: &[db::DocumentRow],
    documents: &[BackupDocument],
    written: &mut Vec<String>,
) -> Result<()> {
    for (row, d) in rows.iter().zip(documents) {
        let mut pending = blobs.create(&row.id)?;
        let copied = io::copy(&mut body.by_ref().take(d.sealed_len), &mut pending).map_err(from_io)?;
        if copied != d.sealed_len {
            return Err(bad(format!("cut inside document {}", row.id)));
        }
        pending.commit()?;
        written.push(row.id.clone());
    }
    let mut extra = [0u8; 1];
    if read_full(body, &mut extra)? != 0 {
        return Err(bad("data after the last document"));
    }
    Ok(())
}
