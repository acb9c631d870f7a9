//! The enterprise seal (电子印章): one Ed25519 key pair per company, and signed packages of documents.
//!
//! The private key (PKCS#8) is sealed with the data key, so signing needs the vault unlocked; the public
//! key and its fingerprint (SHA-256 of the 32-byte key, hex) are stored in the clear, so anyone can verify.
//!
//! A package is one ZIP file that any phone or computer opens — easy to send as one attachment. Its
//! entries are stored, not compressed (scans are compressed already):
//!
//! ```text
//! files/<name>     the decrypted documents
//! manifest.json    {"format": "zhuanshu/seal-package", "version": 1, "signer": {uscc, name, public_key,
//!                   fingerprint}, "signed_at", "files": [{"name", "size", "sha256"}]}
//! signature.json   {"algorithm": "Ed25519", "fingerprint", "signature"}: over the exact bytes of manifest.json
//! ```
//!
//! The manifest comes after the files it lists, so the documents are decrypted into the package one at a
//! time (a phone writes straight to a file, the browser into memory). Each entry's size and checksum are
//! written into its local header afterwards (the output is seekable): readers that go through a ZIP
//! front to back without the central directory, such as Java's `ZipInputStream`, need them there.
//!
//! Verification first reads the package's bytes strictly ([`zip_layout`]): a package must be laid out
//! exactly as written here, or it is refused as a whole ([`ProblemKind::ForgedLayout`]), because ZIP
//! readers that go by the central directory and readers that stream the local headers would otherwise
//! show different files. Then it reports every problem it finds, not just the first: each changed,
//! missing or extra file, a bad signature, a fingerprint that does not match the key, a key the verifier
//! does not know (a valid signature by a stranger proves nothing), and a trusted key signing as another
//! company than the one it is trusted for.
//!
//! What a seal proves is a key, so trust is a binding of a key to a company: a [`TrustedSeal`] is a
//! fingerprint and the USCC (统一社会信用代码) it belongs to. The USCC in a package is what the signer
//! wrote; it counts only if a trusted binding says this key is that company's. The company name in a
//! package is the signer's own words, shown beside the bound USCC.
//!
//! This app's own seals are trusted for their own companies, but their public keys are stored in the
//! clear, and a key someone wrote into the database must not become trusted. So a local seal is trusted
//! only while the vault is unlocked, and only if its sealed private key (sealed with the data key, so only
//! the vault could have written it) opens and its public half is the stored public key.

pub mod zip_layout;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::Path;

use chrono::NaiveDateTime;
use ring::digest::{self, SHA256};
use ring::rand::SystemRandom;
use ring::signature::{self, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde::{Deserialize, Serialize};

use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::files::AtomicFile;
use super::{Vault, hex, keys, parse_id, unhex};
use crate::error::{Entity, Error, Result};
use crate::vault::db;

pub const PACKAGE_FORMAT: &str = "zhuanshu/seal-package";
pub const PACKAGE_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
const SIGNATURE: &str = "signature.json";
/// Where the documents are inside the ZIP.
const FILES: &str = "files/";
/// Manifests and signatures larger than this are not read.
const MAX_MANIFEST_BYTES: u64 = 4 << 20;

/// A company's seal, as shown to the owner and to whoever must trust it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct SealInfo {
    pub uscc: String,
    /// The Ed25519 public key, hex.
    pub public_key: String,
    /// SHA-256 of the public key, hex: what a recipient compares (read aloud, or on the company's site).
    pub fingerprint: String,
    pub created_at: NaiveDateTime,
}

/// The SHA-256 fingerprint of a public key, hex.
pub fn fingerprint(public_key: &[u8]) -> String {
    hex(digest::digest(&SHA256, public_key).as_ref())
}

/// A fingerprint as typed: case, spaces and colons do not matter.
fn normalize_fingerprint(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_hexdigit()).map(|c| c.to_ascii_lowercase()).collect()
}

/// A fingerprint as it is read aloud: groups of four hex digits (`1a2b 3c4d …`), all of it.
pub fn grouped_fingerprint(fingerprint: &str) -> String {
    let digits: Vec<char> = normalize_fingerprint(fingerprint).chars().collect();
    digits.chunks(4).map(|g| g.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

fn normalize_uscc(uscc: &str) -> String {
    uscc.trim().to_ascii_uppercase()
}

/// A seal a verifier trusts: a key (its fingerprint) bound to the company it belongs to. A package signed
/// by this key counts only as this company's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct TrustedSeal {
    /// The company's USCC (统一社会信用代码).
    pub uscc: String,
    /// SHA-256 of the public key, hex; case, spaces and colons do not matter.
    pub fingerprint: String,
}

impl TrustedSeal {
    /// `USCC:fingerprint`, as typed (e.g. on the command line): the fingerprint may be grouped with
    /// spaces or colons.
    pub fn parse(text: &str) -> Result<TrustedSeal> {
        let invalid = || {
            Error::invalid(
                "trust",
                format!("信任的印章应写作「统一社会信用代码:印章指纹」，而不是：{text}"),
                format!("a trusted seal is USCC:fingerprint (64 hex digits), not {text:?}"),
            )
        };
        let (uscc, fingerprint) = text.split_once(':').ok_or_else(invalid)?;
        let uscc = normalize_uscc(uscc);
        let fingerprint = normalize_fingerprint(fingerprint);
        if uscc.len() != 18 || !uscc.chars().all(|c| c.is_ascii_alphanumeric()) || fingerprint.len() != 64 {
            return Err(invalid());
        }
        Ok(TrustedSeal { uscc, fingerprint })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct PackageSigner {
    pub uscc: String,
    pub name: String,
    pub public_key: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct PackageFile {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: String,
    version: u32,
    signer: PackageSigner,
    signed_at: NaiveDateTime,
    files: Vec<PackageFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignatureFile {
    algorithm: String,
    fingerprint: String,
    signature: String,
}

/// What signing produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct PackageSummary {
    /// The package file, when it was written to a path.
    pub path: Option<String>,
    /// Size of the package.
    pub bytes: u64,
    pub signer: PackageSigner,
    pub files: Vec<PackageFile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    MissingManifest,
    BadManifest,
    MissingSignature,
    BadSignature,
    /// The fingerprint written in the package is not that of its public key.
    FingerprintMismatch,
    /// The signature is valid, but by a key the verifier does not trust.
    UnknownKey,
    /// The signature is valid and by a trusted key, but the package claims another company (USCC) than
    /// the one the key is trusted for: a company's seal used to sign as another.
    SignerMismatch,
    /// The ZIP is not laid out exactly as a package is written (something inserted before, between or
    /// after the entries, a local header that differs from the central directory, a comment, overlapping
    /// or repeated entries, …): ZIP readers may show different files, so nothing in it is read.
    ForgedLayout,
    FileMissing,
    SizeMismatch,
    HashMismatch,
    /// An entry of the package that the manifest does not list.
    UnexpectedFile,
    /// A manifest entry that is not a plain file name (e.g. `../x`); it is not opened.
    UnsafeName,
    /// Two entries of the package with the same name (or names that differ only in case): a reader may
    /// show either, so one of them may be a forgery the signature does not cover.
    DuplicateEntry,
}

/// One thing wrong with a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct PackageProblem {
    pub kind: ProblemKind,
    /// The file concerned, if any.
    pub file: Option<String>,
    pub user_message: String,
    pub message: String,
}

impl PackageProblem {
    fn new(kind: ProblemKind, file: Option<&str>, user_message: String, message: String) -> Self {
        PackageProblem { kind, file: file.map(str::to_owned), user_message, message }
    }
}

/// The verdict on a package: valid only if `problems` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct PackageReport {
    pub valid: bool,
    pub signer: Option<PackageSigner>,
    pub signed_at: Option<NaiveDateTime>,
    /// Files that matched the manifest.
    pub verified_files: Vec<String>,
    pub problems: Vec<PackageProblem>,
}

/// A name safe to use as one file in `files/` (and when a recipient unpacks it): no separators, no `..`,
/// no hidden or control characters.
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 255
        && !name.starts_with('.')
        && !name.ends_with(['.', ' '])
        && !name.chars().any(unsafe_char)
}

/// Not in a file name that must unpack everywhere: control characters, path separators, and what
/// Windows forbids.
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
}

/// A document name turned into a file name that unpacks safely everywhere and is unique even where case
/// does not count (Windows, macOS).
fn package_name(name: &str, taken: &mut HashSet<String>) -> String {
    let mut base: String = name.chars().map(|c| if unsafe_char(c) { '_' } else { c }).collect();
    while base.ends_with(['.', ' ']) {
        base.pop();
    }
    while base.starts_with('.') {
        base.replace_range(0..1, "_");
    }
    if base.is_empty() {
        base = "document".into();
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        candidate = match base.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({n}).{ext}"),
            _ => format!("{base} ({n})"),
        };
        n += 1;
    }
    candidate
}

/// A writer that hashes what passes through it.
struct Hashing<W: Write> {
    inner: W,
    hash: digest::Context,
    len: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A ZIP failure while writing: the writer's I/O error, or a bug.
fn zip_write_error(e: ZipError) -> Error {
    match e {
        ZipError::Io(e) => Error::Io(e),
        other => Error::Internal(format!("writing the package: {other}")),
    }
}

/// The ZIP entry time of a local date-time (ZIP has no time zone; recipients see Beijing time).
fn zip_time(at: NaiveDateTime) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let part = |n: u32| u8::try_from(n).unwrap_or(0);
    u16::try_from(at.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                part(at.month()),
                part(at.day()),
                part(at.hour()),
                part(at.minute()),
                part(at.second()),
            )
            .ok()
        })
        .unwrap_or_default()
}

/// Reads `entry` whole if it is at most `cap` bytes; `Err`: too large, or its CRC-32 is not the one its
/// headers give.
fn read_entry<R: Read + Seek>(
    source: &mut R,
    entry: &zip_layout::Entry,
    cap: u64,
) -> Result<std::result::Result<Vec<u8>, String>> {
    if entry.size > cap {
        return Ok(Err(format!("larger than {cap} bytes")));
    }
    source.seek(io::SeekFrom::Start(entry.data_offset))?;
    let mut bytes = vec![0u8; entry.size as usize];
    source.read_exact(&mut bytes)?;
    let mut crc = zip_layout::Crc32::new();
    crc.update(&bytes);
    Ok(if crc.finish() == entry.crc32 { Ok(bytes) } else { Err("its CRC-32 does not match".into()) })
}

/// The SHA-256 and CRC-32 of `entry`'s bytes (its size is the layout's).
fn hash_entry<R: Read + Seek>(source: &mut R, entry: &zip_layout::Entry) -> Result<(String, u32)> {
    source.seek(io::SeekFrom::Start(entry.data_offset))?;
    let mut data = source.take(entry.size);
    let mut hash = digest::Context::new(&SHA256);
    let mut crc = zip_layout::Crc32::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut len = 0u64;
    loop {
        let n = match data.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        hash.update(&buf[..n]);
        crc.update(&buf[..n]);
        len += n as u64;
    }
    if len != entry.size {
        return Err(Error::Io(io::Error::new(io::ErrorKind::UnexpectedEof, "the package ended inside an entry")));
    }
    Ok((hex(hash.finish().as_ref()), crc.finish()))
}

impl Vault<'_> {
    /// Creates the company's seal (its private key sealed in the vault). Needs the vault unlocked.
    pub fn create_seal(&self, uscc: &str) -> Result<SealInfo> {
        let uscc = uscc.trim().to_ascii_uppercase();
        let key = self.key()?;
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| Error::Internal("Ed25519 key generation failed".into()))?;
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref())
            .map_err(|_| Error::Internal("a generated Ed25519 key does not parse".into()))?;
        let key_id = hex(&keys::random_array::<16>()?);
        let row = db::SealRow {
            uscc: uscc.clone(),
            sealed_private: keys::seal(&key, &private_aad(&key_id), pkcs8.as_ref())?,
            key_id,
            public_key: pair.public_key().as_ref().to_vec(),
            created_at: self.now(),
        };
        self.ctx.store()?.write(|tx| {
            if !db::company_exists(tx, &uscc)? {
                return Err(Error::NotFound { what: Entity::Company, key: uscc.clone() });
            }
            if db::get_seal(tx, &uscc)?.is_some() {
                return Err(Error::AlreadyExists { what: Entity::Seal, key: uscc.clone() });
            }
            db::insert_seal(tx, &row)
        })?;
        Ok(seal_info(&row))
    }

    /// The company's seal, if it has one. Needs no unlock: it is all public.
    pub fn seal_info(&self, uscc: &str) -> Result<Option<SealInfo>> {
        let uscc = uscc.trim().to_ascii_uppercase();
        Ok(self.ctx.store()?.read(|c| db::get_seal(c, &uscc))?.as_ref().map(seal_info))
    }

    /// Decrypts the chosen documents into a new package file `out` and signs their manifest with the
    /// company's seal. `out` must not exist; it appears complete or not at all (written under a
    /// temporary name, then renamed).
    pub fn sign_package(&self, uscc: &str, document_ids: &[String], out: &Path) -> Result<PackageSummary> {
        if out.exists() {
            return Err(Error::invalid(
                "out",
                format!("目标位置已存在：{}", out.display()),
                format!("{} already exists", out.display()),
            ));
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = AtomicFile::create(out)?;
        let mut summary = self.sign_package_to(uscc, document_ids, &mut file)?;
        file.commit()?;
        summary.path = Some(out.display().to_string());
        Ok(summary)
    }

    /// [`Vault::sign_package`] into any seekable output (the browser's download: a cursor over a vector).
    /// On error, what was written is not a package.
    pub fn sign_package_to<W: Write + Seek>(
        &self,
        uscc: &str,
        document_ids: &[String],
        out: W,
    ) -> Result<PackageSummary> {
        let uscc = uscc.trim().to_ascii_uppercase();
        if document_ids.is_empty() {
            return Err(Error::invalid("documents", "请至少选择一个文件", "a package needs at least one document"));
        }
        let key = self.key()?;
        let (row, company) = self.ctx.store()?.read(|c| {
            let row =
                db::get_seal(c, &uscc)?.ok_or_else(|| Error::NotFound { what: Entity::Seal, key: uscc.clone() })?;
            let name = db::company_name(c, &uscc)?.unwrap_or_default();
            Ok((row, name))
        })?;
        let mut pkcs8 = keys::open(&key, &private_aad(&row.key_id), &row.sealed_private)?
            .ok_or_else(|| Error::Corrupt(format!("the seal of {uscc} does not open")))?;
        let pair = Ed25519KeyPair::from_pkcs8(&pkcs8).map_err(|_| Error::Corrupt("the seal key does not parse".into()));
        keys::wipe(&mut pkcs8);
        let pair = pair?;
        // The package names the stored public key: it must be this private key's, or every package signed
        // here would fail to verify (or name a key someone else holds).
        if pair.public_key().as_ref() != row.public_key.as_slice() {
            return Err(Error::Corrupt(format!(
                "the stored public key of the seal of {uscc} is not its private key's"
            )));
        }
        let mut docs = Vec::new();
        for id in document_ids {
            docs.push(self.document(&parse_id(id)?.0)?);
        }

        let signed_at = self.now();
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(zip_time(signed_at))
            .unix_permissions(0o600);
        let mut zip = ZipWriter::new(out);
        let mut taken = HashSet::new();
        let mut listed = Vec::new();
        for doc in &docs {
            let name = package_name(&doc.name, &mut taken);
            zip.start_file(format!("{FILES}{name}"), options.large_file(doc.size >= u64::from(u32::MAX)))
                .map_err(zip_write_error)?;
            let mut hashing = Hashing { inner: &mut zip, hash: digest::Context::new(&SHA256), len: 0 };
            self.read_to(&doc.id, &mut hashing)?;
            listed.push(PackageFile { name, size: hashing.len, sha256: hex(hashing.hash.finish().as_ref()) });
        }
        let signer = PackageSigner {
            uscc: uscc.clone(),
            name: company,
            public_key: hex(&row.public_key),
            fingerprint: fingerprint(&row.public_key),
        };
        let manifest = Manifest {
            format: PACKAGE_FORMAT.into(),
            version: PACKAGE_VERSION,
            signer: signer.clone(),
            signed_at,
            files: listed.clone(),
        };
        let mut manifest_bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
        manifest_bytes.push(b'\n');
        let signature = SignatureFile {
            algorithm: "Ed25519".into(),
            fingerprint: signer.fingerprint.clone(),
            signature: hex(pair.sign(&manifest_bytes).as_ref()),
        };
        let mut signature_bytes = serde_json::to_vec_pretty(&signature).map_err(|e| Error::Internal(e.to_string()))?;
        signature_bytes.push(b'\n');
        for (name, bytes) in [(MANIFEST, &manifest_bytes), (SIGNATURE, &signature_bytes)] {
            zip.start_file(name, options).map_err(zip_write_error)?;
            zip.write_all(bytes)?;
        }
        let mut out = zip.finish().map_err(zip_write_error)?;
        out.flush()?;
        let bytes = out.stream_position()?;
        Ok(PackageSummary { path: None, bytes, signer, files: listed })
    }

    /// Verifies the package file at `path`, trusting the given seals and, while the vault is unlocked,
    /// this app's own (see [`Vault::trusted_seals`]).
    pub fn verify_package(&self, path: &Path, trusted: &[TrustedSeal]) -> Result<PackageReport> {
        verify_package(path, &self.trusted_seals(trusted)?)
    }

    /// [`Vault::verify_package`] of a package in memory (an upload).
    pub fn verify_package_bytes(&self, bytes: &[u8], trusted: &[TrustedSeal]) -> Result<PackageReport> {
        verify_package_from(io::Cursor::new(bytes), &self.trusted_seals(trusted)?)
    }

    /// What a verification on this device trusts: the given seals and, while the vault is unlocked, this
    /// app's own, each for its own company only. (The web app verifies in its second wasm module, with
    /// [`verify_package_from`] and this.)
    ///
    /// A local seal counts only if its sealed private key opens with the data key and its public half is
    /// the stored public key: the public key column is in the clear, and a key written into the database
    /// by someone else must not become trusted. Locked (or not set up), only `given` is trusted; a seal
    /// that does not check out is left out, not an error (verification goes on without it).
    pub fn trusted_seals(&self, given: &[TrustedSeal]) -> Result<Vec<TrustedSeal>> {
        let mut trusted: Vec<TrustedSeal> = given.to_vec();
        let key = match self.key() {
            Ok(key) => key,
            Err(Error::VaultLocked | Error::VaultNotSetUp) => return Ok(trusted),
            Err(e) => return Err(e),
        };
        for row in self.ctx.store()?.read(db::list_seals)? {
            let Some(mut pkcs8) = keys::open(&key, &private_aad(&row.key_id), &row.sealed_private)? else {
                continue;
            };
            // ring checks that the public key inside the PKCS#8 document is the private key's.
            let public = Ed25519KeyPair::from_pkcs8(&pkcs8).ok().map(|pair| pair.public_key().as_ref().to_vec());
            keys::wipe(&mut pkcs8);
            if public.as_deref() == Some(row.public_key.as_slice()) {
                trusted.push(TrustedSeal { uscc: row.uscc.clone(), fingerprint: fingerprint(&row.public_key) });
            }
        }
        Ok(trusted)
    }
}

pub(super) fn private_aad(key_id: &str) -> Vec<u8> {
    format!("seal_keys.sealed_private.{key_id}").into_bytes()
}

fn seal_info(row: &db::SealRow) -> SealInfo {
    SealInfo {
        uscc: row.uscc.clone(),
        public_key: hex(&row.public_key),
        fingerprint: fingerprint(&row.public_key),
        created_at: row.created_at,
    }
}

/// Verifies the package file at `path` against the seals a verifier trusts; every problem is reported.
/// Only an unreadable file, or one that is not a ZIP at all, is an error.
pub fn verify_package(path: &Path, trusted: &[TrustedSeal]) -> Result<PackageReport> {
    verify_package_from(File::open(path)?, trusted)
}

/// [`verify_package`] of a package from any seekable source.
pub fn verify_package_from<R: Read + Seek>(mut source: R, trusted: &[TrustedSeal]) -> Result<PackageReport> {
    let mut report =
        PackageReport { valid: false, signer: None, signed_at: None, verified_files: Vec::new(), problems: Vec::new() };
    // Nothing is read from a package whose bytes are not exactly a package's.
    let layout = match zip_layout::read(&mut source)? {
        Ok(layout) => layout,
        Err(zip_layout::Malformed(detail)) => {
            report.problems.push(PackageProblem::new(
                ProblemKind::ForgedLayout,
                None,
                "文件包结构异常，可能被插入或改动了内容，请勿使用，并向对方重新索取".into(),
                format!("the ZIP is not laid out as a seal package: {detail}"),
            ));
            return Ok(report);
        }
    };
    let entries: HashMap<&str, &zip_layout::Entry> = layout.entries.iter().map(|e| (e.name.as_str(), e)).collect();
    let (manifest, manifest_bytes) = match read_manifest(&mut source, &entries)? {
        Ok(read) => read,
        Err(problem) => {
            report.problems.push(problem);
            return Ok(report);
        }
    };
    report.signer = Some(manifest.signer.clone());
    report.signed_at = Some(manifest.signed_at);

    let mut problems = Vec::new();
    let key = check_signer_key(&manifest.signer, &mut problems);
    check_signature(&mut source, &entries, &manifest, &manifest_bytes, &key, trusted, &mut problems)?;
    check_name_clashes(&layout.entries, &mut problems);
    let listed = check_listed_files(&mut source, &entries, &manifest.files, &mut report.verified_files, &mut problems)?;
    check_unlisted_files(&layout.entries, &listed, &mut problems);
    report.valid = problems.is_empty();
    report.problems = problems;
    Ok(report)
}

/// The manifest and its exact bytes, or the one problem that ends the verification: without a manifest
/// there is nothing to check the files against, and its bytes are what the signature covers.
fn read_manifest<R: Read + Seek>(
    source: &mut R,
    entries: &HashMap<&str, &zip_layout::Entry>,
) -> Result<std::result::Result<(Manifest, Vec<u8>), PackageProblem>> {
    let Some(manifest_entry) = entries.get(MANIFEST) else {
        return Ok(Err(PackageProblem::new(
            ProblemKind::MissingManifest,
            None,
            "文件包缺少清单（manifest.json）".into(),
            "manifest.json is missing".into(),
        )));
    };
    let read = read_entry(source, manifest_entry, MAX_MANIFEST_BYTES)?.and_then(|bytes| {
        let m = serde_json::from_slice::<Manifest>(&bytes).map_err(|e| e.to_string())?;
        if m.format != PACKAGE_FORMAT || m.version != PACKAGE_VERSION {
            Err(format!("format {} version {} is not {PACKAGE_FORMAT} {PACKAGE_VERSION}", m.format, m.version))
        } else if m.files.len() > zip_layout::MAX_ENTRIES {
            Err(format!("{} files, more than {}", m.files.len(), zip_layout::MAX_ENTRIES))
        } else {
            Ok((m, bytes))
        }
    });
    Ok(read.map_err(|detail| {
        PackageProblem::new(
            ProblemKind::BadManifest,
            None,
            "文件包清单无法读取".into(),
            format!("manifest.json: {detail}"),
        )
    }))
}

/// The signer's key as the manifest gives it, each part `None` where the manifest's is unusable.
struct SignerKey {
    public_key: Option<Vec<u8>>,
    /// Computed from the key, never taken from the manifest's own `fingerprint`.
    fingerprint: Option<String>,
}

/// A signature only means something for a real key, and the fingerprint a person compares must be that
/// key's: a manifest may state a trusted company's fingerprint beside a stranger's key.
fn check_signer_key(signer: &PackageSigner, problems: &mut Vec<PackageProblem>) -> SignerKey {
    let public_key = unhex(&signer.public_key).filter(|k| k.len() == 32);
    let actual_fingerprint = public_key.as_deref().map(fingerprint);
    match &actual_fingerprint {
        None => problems.push(PackageProblem::new(
            ProblemKind::BadManifest,
            None,
            "文件包中的印章公钥无效".into(),
            "signer.public_key is not a 32-byte hex key".into(),
        )),
        Some(fp) if *fp != normalize_fingerprint(&signer.fingerprint) => problems.push(PackageProblem::new(
            ProblemKind::FingerprintMismatch,
            None,
            "文件包中的印章指纹与公钥不符".into(),
            format!("signer.fingerprint {} is not the key's fingerprint {fp}", signer.fingerprint),
        )),
        Some(_) => {}
    }
    SignerKey { public_key, fingerprint: actual_fingerprint }
}

/// The signature over the exact manifest bytes is what makes the listed hashes the signer's; and only a
/// signature that verifies is worth asking the trust list about, since anyone can make a key.
fn check_signature<R: Read + Seek>(
    source: &mut R,
    entries: &HashMap<&str, &zip_layout::Entry>,
    manifest: &Manifest,
    manifest_bytes: &[u8],
    key: &SignerKey,
    trusted: &[TrustedSeal],
    problems: &mut Vec<PackageProblem>,
) -> Result<()> {
    let signature_read = match entries.get(SIGNATURE) {
        None => None,
        Some(entry) => Some(read_entry(source, entry, MAX_MANIFEST_BYTES)?),
    };
    match signature_read {
        None => problems.push(PackageProblem::new(
            ProblemKind::MissingSignature,
            None,
            "文件包缺少签名（signature.json）".into(),
            "signature.json is missing".into(),
        )),
        Some(bytes) => match bytes.and_then(|b| serde_json::from_slice::<SignatureFile>(&b).map_err(|e| e.to_string()))
        {
            Err(e) => problems.push(PackageProblem::new(
                ProblemKind::BadSignature,
                None,
                "签名文件无法读取".into(),
                format!("signature.json: {e}"),
            )),
            Ok(sig) => {
                let signature = unhex(&sig.signature);
                let verified = match (&key.public_key, &signature) {
                    (Some(pk), Some(s)) if sig.algorithm == "Ed25519" => {
                        UnparsedPublicKey::new(&signature::ED25519, pk).verify(manifest_bytes, s).is_ok()
                    }
                    _ => false,
                };
                if !verified {
                    problems.push(PackageProblem::new(
                        ProblemKind::BadSignature,
                        None,
                        "签名无效：清单在盖章后被改动过，或签名不是这枚印章的".into(),
                        "the Ed25519 signature does not verify over manifest.json".into(),
                    ));
                }
                if let Some(fp) = &key.fingerprint
                    && normalize_fingerprint(&sig.fingerprint) != *fp
                {
                    problems.push(PackageProblem::new(
                        ProblemKind::FingerprintMismatch,
                        None,
                        "签名文件中的印章指纹与清单不符".into(),
                        format!("signature.json names key {} but the manifest's key is {fp}", sig.fingerprint),
                    ));
                }
                if verified && let Some(fp) = &key.fingerprint {
                    problems.extend(trust_problem(trusted, fp, &manifest.signer.uscc));
                }
            }
        },
    }
    Ok(())
}

/// Names that clash: exactly (two entries of one name: the layout allows it, a reader shows either) or but
/// for case (one file on Windows and macOS). Either way the file a recipient opens may not be the one
/// that was hashed.
fn check_name_clashes(entries: &[zip_layout::Entry], problems: &mut Vec<PackageProblem>) {
    let mut seen = HashSet::new();
    let mut folded = HashSet::new();
    let mut clashes: Vec<&str> = Vec::new();
    for e in entries {
        if !seen.insert(e.name.as_str()) || !folded.insert(e.name.to_lowercase()) {
            clashes.push(&e.name);
        }
    }
    clashes.sort();
    if !clashes.is_empty() {
        let shown = clashes.first().map(|n| n.strip_prefix(FILES).unwrap_or(n));
        problems.push(PackageProblem::new(
            ProblemKind::DuplicateEntry,
            shown,
            "文件包中有重名的文件，其中一个可能是伪造的，请向对方重新索取".into(),
            format!("the package has entries with the same name (or the same but for case): {clashes:?}"),
        ));
    }
}

/// The signature vouches for the manifest only, so each file counts as verified only once its bytes match
/// the listed size and hash (each once: a name listed again is not hashed again). Returns the entry names
/// listed, so that anything else in the package can be reported as unsigned.
fn check_listed_files<R: Read + Seek>(
    source: &mut R,
    entries: &HashMap<&str, &zip_layout::Entry>,
    files: &[PackageFile],
    verified_files: &mut Vec<String>,
    problems: &mut Vec<PackageProblem>,
) -> Result<HashSet<String>> {
    let mut listed = HashSet::new();
    for entry in files {
        if !safe_name(&entry.name) {
            problems.push(PackageProblem::new(
                ProblemKind::UnsafeName,
                Some(&entry.name),
                format!("清单中的文件名不安全：{}", entry.name),
                format!("manifest lists an unsafe file name {:?}", entry.name),
            ));
            continue;
        }
        let path = format!("{FILES}{}", entry.name);
        if !listed.insert(path.clone()) {
            problems.push(PackageProblem::new(
                ProblemKind::DuplicateEntry,
                Some(&entry.name),
                format!("清单中重复列出了文件：{}", entry.name),
                format!("the manifest lists {} twice", entry.name),
            ));
            continue;
        }
        let Some(zip_entry) = entries.get(path.as_str()) else {
            problems.push(PackageProblem::new(
                ProblemKind::FileMissing,
                Some(&entry.name),
                format!("缺少文件：{}", entry.name),
                format!("{} is listed but missing", entry.name),
            ));
            continue;
        };
        if zip_entry.size != entry.size {
            problems.push(PackageProblem::new(
                ProblemKind::SizeMismatch,
                Some(&entry.name),
                format!("文件大小不符，已被改动：{}", entry.name),
                format!("{}: {} bytes, manifest says {}", entry.name, zip_entry.size, entry.size),
            ));
            continue;
        }
        let (sha, crc) = hash_entry(source, zip_entry)?;
        if sha != entry.sha256.to_ascii_lowercase() {
            problems.push(PackageProblem::new(
                ProblemKind::HashMismatch,
                Some(&entry.name),
                format!("文件内容与盖章时不一致，已被改动：{}", entry.name),
                format!("{}: sha256 {sha}, manifest says {}", entry.name, entry.sha256),
            ));
        } else if crc != zip_entry.crc32 {
            // The signed bytes, but a checksum other readers refuse (or an edited header).
            problems.push(PackageProblem::new(
                ProblemKind::ForgedLayout,
                Some(&entry.name),
                format!("文件包结构异常（校验码不符）：{}", entry.name),
                format!("{}: CRC-32 {crc:08x}, the headers say {:08x}", entry.name, zip_entry.crc32),
            ));
        } else {
            verified_files.push(entry.name.clone());
        }
    }
    Ok(listed)
}

/// A file the manifest does not list is not covered by the signature: a recipient must not take it for
/// part of what was sealed. Reported by name, in name order, each once.
fn check_unlisted_files(entries: &[zip_layout::Entry], listed: &HashSet<String>, problems: &mut Vec<PackageProblem>) {
    let mut extra: Vec<&str> = entries
        .iter()
        .map(|e| e.name.as_str())
        .filter(|name| !listed.contains(*name) && !matches!(*name, MANIFEST | SIGNATURE))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    extra.sort();
    for name in extra {
        let shown = name.strip_prefix(FILES).unwrap_or(name);
        problems.push(PackageProblem::new(
            ProblemKind::UnexpectedFile,
            Some(shown),
            format!("文件包中多出了未盖章的文件：{shown}"),
            format!("{name} is not in the manifest"),
        ));
    }
}

/// What is wrong with trusting a valid signature by key `fp` on a package that says it is `uscc`'s:
/// nothing if a trusted binding says the key is that company's.
fn trust_problem(trusted: &[TrustedSeal], fp: &str, uscc: &str) -> Option<PackageProblem> {
    let claimed = normalize_uscc(uscc);
    let mut owners: Vec<String> = trusted
        .iter()
        .filter(|t| normalize_fingerprint(&t.fingerprint) == fp)
        .map(|t| normalize_uscc(&t.uscc))
        .collect();
    if owners.contains(&claimed) {
        return None;
    }
    let grouped = grouped_fingerprint(fp);
    if owners.is_empty() {
        return Some(PackageProblem::new(
            ProblemKind::UnknownKey,
            None,
            format!("签名有效，但这枚印章（指纹 {grouped}）不在信任列表中，请向对方核实指纹"),
            format!("valid signature by an unknown key {fp}"),
        ));
    }
    owners.sort();
    owners.dedup();
    let owners = owners.join("、");
    Some(PackageProblem::new(
        ProblemKind::SignerMismatch,
        None,
        format!(
            "这枚印章（指纹 {grouped}）受信任，但它属于 {owners}，文件包却自称由 {claimed} 盖章，可能是冒用，请勿使用"
        ),
        format!("a trusted key {fp} of {owners} signed as {claimed}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_safe_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(package_name("营业执照.jpg", &mut taken), "营业执照.jpg");
        assert_eq!(package_name("营业执照.jpg", &mut taken), "营业执照 (2).jpg");
        assert_eq!(package_name("../etc/passwd", &mut taken), "_._etc_passwd");
        assert_eq!(package_name(".hidden", &mut taken), "_hidden");
        assert_eq!(package_name("SCAN.jpg", &mut taken), "SCAN.jpg");
        assert_eq!(package_name("scan.jpg", &mut taken), "scan (2).jpg", "case does not count on Windows or macOS");
        assert_eq!(package_name("合同*最终版?.pdf. ", &mut taken), "合同_最终版_.pdf");
        for name in ["营业执照 (2).jpg", "_._etc_passwd", "a b"] {
            assert!(safe_name(name), "{name}");
        }
        for name in ["", "../x", "a/b", ".x", "a\\b", "c:d", "a?b", "x.", "y "] {
            assert!(!safe_name(name), "{name}");
        }
    }

    #[test]
    fn fingerprints_ignore_case_and_separators() {
        let fp = fingerprint(&[1; 32]);
        assert_eq!(fp.len(), 64);
        let spaced: String = fp
            .to_uppercase()
            .chars()
            .collect::<Vec<_>>()
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(":");
        assert_eq!(normalize_fingerprint(&spaced), fp);
    }

    #[test]
    fn fingerprints_are_shown_whole_in_groups_of_four() {
        let fp = fingerprint(&[1; 32]);
        let grouped = grouped_fingerprint(&fp);
        assert_eq!(grouped.split(' ').count(), 16);
        assert!(grouped.split(' ').all(|g| g.len() == 4));
        assert_eq!(normalize_fingerprint(&grouped), fp, "nothing left out");
    }

    #[test]
    fn a_trusted_seal_binds_a_fingerprint_to_a_uscc() {
        let fp = fingerprint(&[1; 32]);
        let t =
            TrustedSeal::parse(&format!(" 91310000mA1fl1ab2c :{}", grouped_fingerprint(&fp).to_uppercase())).unwrap();
        assert_eq!(t, TrustedSeal { uscc: "91310000MA1FL1AB2C".into(), fingerprint: fp.clone() });
        for bad in [fp.clone(), format!("91310000MA1FL1AB2C:{}", &fp[..16]), format!(":{fp}"), format!("9131:{fp}")] {
            assert_eq!(TrustedSeal::parse(&bad).unwrap_err().code(), "invalid_input", "{bad}");
        }
        let trusted = [t];
        assert_eq!(trust_problem(&trusted, &fp, "91310000ma1fl1ab2c"), None);
        assert_eq!(
            trust_problem(&trusted, &fp, "91110000MA00000000").map(|p| p.kind),
            Some(ProblemKind::SignerMismatch)
        );
        let stranger = trust_problem(&trusted, &fingerprint(&[2; 32]), "91310000MA1FL1AB2C").unwrap();
        assert_eq!(stranger.kind, ProblemKind::UnknownKey);
        assert!(
            stranger.user_message.contains(&grouped_fingerprint(&fingerprint(&[2; 32]))),
            "{}",
            stranger.user_message
        );
    }
}
