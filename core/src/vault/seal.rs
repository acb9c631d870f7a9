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
//! Verification reports every problem it finds, not just the first: each changed, missing or extra
//! file, a bad signature, a fingerprint that does not match the key, and a key the verifier does not
//! know (a valid signature by a stranger proves nothing).

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
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::files::AtomicFile;
use super::{Vault, hex, keys, parse_id, unhex};
use crate::error::{Entity, Error, Result};
use crate::store::vault as db;

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct PackageSigner {
    pub uscc: String,
    pub name: String,
    pub public_key: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Reads entry `name` whole, at most `cap` bytes. `None`: no such entry; `Some(Err)`: it does not read.
fn read_entry<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    name: &str,
    cap: u64,
) -> Result<Option<std::result::Result<Vec<u8>, String>>> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Ok(Some(Err(e.to_string()))),
    };
    let mut bytes = Vec::new();
    Ok(Some(match entry.take(cap + 1).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() as u64 > cap => Err(format!("larger than {cap} bytes")),
        Ok(_) => Ok(bytes),
        Err(e) => Err(e.to_string()),
    }))
}

/// The size and SHA-256 of entry `name`; `Err` if it does not read back (e.g. the ZIP's own checksum
/// fails).
fn hash_entry<R: Read + Seek>(zip: &mut ZipArchive<R>, name: &str) -> std::result::Result<(u64, String), String> {
    let mut entry = zip.by_name(name).map_err(|e| e.to_string())?;
    let mut hash = digest::Context::new(&SHA256);
    let mut buf = vec![0u8; 64 * 1024];
    let mut len = 0u64;
    loop {
        let n = match entry.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.to_string()),
        };
        hash.update(&buf[..n]);
        len += n as u64;
    }
    Ok((len, hex(hash.finish().as_ref())))
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
        self.app.store()?.write(|tx| {
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
        Ok(self.app.store()?.read(|c| db::get_seal(c, &uscc))?.as_ref().map(seal_info))
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
        let (row, company) = self.app.store()?.read(|c| {
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

    /// Verifies the package file at `path`, trusting the seals of this app's companies and the given
    /// fingerprints.
    pub fn verify_package(&self, path: &Path, trusted_fingerprints: &[String]) -> Result<PackageReport> {
        verify_package(path, &self.trusted_fingerprints(trusted_fingerprints)?)
    }

    /// [`Vault::verify_package`] of a package in memory (an upload).
    pub fn verify_package_bytes(&self, bytes: &[u8], trusted_fingerprints: &[String]) -> Result<PackageReport> {
        verify_package_from(io::Cursor::new(bytes), &self.trusted_fingerprints(trusted_fingerprints)?)
    }

    /// What a verification on this device trusts: the given fingerprints and those of this app's own
    /// seals. (The web app verifies in its second wasm module, with [`verify_package_from`] and this.)
    pub fn trusted_fingerprints(&self, given: &[String]) -> Result<Vec<String>> {
        let mut trusted: Vec<String> = given.to_vec();
        let local = self.app.store()?.read(db::list_seals)?;
        trusted.extend(local.iter().map(|s| fingerprint(&s.public_key)));
        Ok(trusted)
    }
}

fn private_aad(key_id: &str) -> Vec<u8> {
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

/// Verifies the package file at `path` against the fingerprints a verifier trusts; every problem is
/// reported. Only an unreadable file, or one that is not a ZIP at all, is an error.
pub fn verify_package(path: &Path, trusted_fingerprints: &[String]) -> Result<PackageReport> {
    verify_package_from(File::open(path)?, trusted_fingerprints)
}

/// [`verify_package`] of a package from any seekable source.
pub fn verify_package_from<R: Read + Seek>(source: R, trusted_fingerprints: &[String]) -> Result<PackageReport> {
    let mut zip = ZipArchive::new(source).map_err(|e| match e {
        ZipError::Io(e) if e.kind() != io::ErrorKind::UnexpectedEof => Error::Io(e),
        other => Error::Format(format!("not a seal package (a ZIP file): {other}")),
    })?;
    let mut problems = Vec::new();
    let mut report =
        PackageReport { valid: false, signer: None, signed_at: None, verified_files: Vec::new(), problems: Vec::new() };
    let Some(manifest_read) = read_entry(&mut zip, MANIFEST, MAX_MANIFEST_BYTES)? else {
        problems.push(PackageProblem::new(
            ProblemKind::MissingManifest,
            None,
            "文件包缺少清单（manifest.json）".into(),
            "manifest.json is missing".into(),
        ));
        report.problems = problems;
        return Ok(report);
    };
    let read = manifest_read.and_then(|bytes| {
        let m = serde_json::from_slice::<Manifest>(&bytes).map_err(|e| e.to_string())?;
        if m.format != PACKAGE_FORMAT || m.version != PACKAGE_VERSION {
            Err(format!("format {} version {} is not {PACKAGE_FORMAT} {PACKAGE_VERSION}", m.format, m.version))
        } else {
            Ok((m, bytes))
        }
    });
    let (manifest, manifest_bytes) = match read {
        Ok(read) => read,
        Err(detail) => {
            problems.push(PackageProblem::new(
                ProblemKind::BadManifest,
                None,
                "文件包清单无法读取".into(),
                format!("manifest.json: {detail}"),
            ));
            report.problems = problems;
            return Ok(report);
        }
    };
    report.signer = Some(manifest.signer.clone());
    report.signed_at = Some(manifest.signed_at);

    // The key and its fingerprint.
    let public_key = unhex(&manifest.signer.public_key).filter(|k| k.len() == 32);
    let actual_fingerprint = public_key.as_deref().map(fingerprint);
    match &actual_fingerprint {
        None => problems.push(PackageProblem::new(
            ProblemKind::BadManifest,
            None,
            "文件包中的印章公钥无效".into(),
            "signer.public_key is not a 32-byte hex key".into(),
        )),
        Some(fp) if *fp != normalize_fingerprint(&manifest.signer.fingerprint) => problems.push(PackageProblem::new(
            ProblemKind::FingerprintMismatch,
            None,
            "文件包中的印章指纹与公钥不符".into(),
            format!("signer.fingerprint {} is not the key's fingerprint {fp}", manifest.signer.fingerprint),
        )),
        Some(_) => {}
    }

    // The signature over the exact manifest bytes.
    match read_entry(&mut zip, SIGNATURE, MAX_MANIFEST_BYTES)? {
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
                let verified = match (&public_key, &signature) {
                    (Some(pk), Some(s)) if sig.algorithm == "Ed25519" => {
                        UnparsedPublicKey::new(&signature::ED25519, pk).verify(&manifest_bytes, s).is_ok()
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
                if let Some(fp) = &actual_fingerprint
                    && normalize_fingerprint(&sig.fingerprint) != *fp
                {
                    problems.push(PackageProblem::new(
                        ProblemKind::FingerprintMismatch,
                        None,
                        "签名文件中的印章指纹与清单不符".into(),
                        format!("signature.json names key {} but the manifest's key is {fp}", sig.fingerprint),
                    ));
                }
                if verified
                    && let Some(fp) = &actual_fingerprint
                    && !trusted_fingerprints.iter().any(|t| normalize_fingerprint(t) == *fp)
                {
                    problems.push(PackageProblem::new(
                        ProblemKind::UnknownKey,
                        None,
                        format!("签名有效，但这枚印章（指纹 {}…）不在信任列表中，请向对方核实指纹", &fp[..16]),
                        format!("valid signature by an unknown key {fp}"),
                    ));
                }
            }
        },
    }

    // Every listed file, then anything not listed.
    let entries: HashMap<String, bool> = (0..zip.len())
        .filter_map(|i| {
            let entry = zip.by_index_raw(i).ok()?;
            let name = entry.name().ok()?.into_owned();
            Some((name, entry.is_dir()))
        })
        .collect();
    let mut folded = HashSet::new();
    let mut clashes: Vec<&String> = entries.keys().filter(|name| !folded.insert(name.to_lowercase())).collect();
    clashes.sort();
    if zip.has_duplicate_names() || !clashes.is_empty() {
        let shown = clashes.first().map(|n| n.strip_prefix(FILES).unwrap_or(n));
        problems.push(PackageProblem::new(
            ProblemKind::DuplicateEntry,
            shown,
            "文件包中有重名的文件，其中一个可能是伪造的，请向对方重新索取".into(),
            format!("the package has entries with the same name (or the same but for case): {clashes:?}"),
        ));
    }
    let mut listed = HashSet::new();
    for entry in &manifest.files {
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
        listed.insert(path.clone());
        if entries.get(&path) != Some(&false) {
            problems.push(PackageProblem::new(
                ProblemKind::FileMissing,
                Some(&entry.name),
                format!("缺少文件：{}", entry.name),
                format!("{} is listed but missing", entry.name),
            ));
            continue;
        }
        let changed = |detail: String| {
            PackageProblem::new(
                ProblemKind::HashMismatch,
                Some(&entry.name),
                format!("文件内容与盖章时不一致，已被改动：{}", entry.name),
                format!("{}: {detail}", entry.name),
            )
        };
        match hash_entry(&mut zip, &path) {
            Ok((size, _)) if size != entry.size => problems.push(PackageProblem::new(
                ProblemKind::SizeMismatch,
                Some(&entry.name),
                format!("文件大小不符，已被改动：{}", entry.name),
                format!("{}: {size} bytes, manifest says {}", entry.name, entry.size),
            )),
            Ok((_, sha)) if sha != entry.sha256.to_ascii_lowercase() => {
                problems.push(changed(format!("sha256 {sha}, manifest says {}", entry.sha256)))
            }
            Ok(_) => report.verified_files.push(entry.name.clone()),
            // The ZIP's own checksum caught the change first.
            Err(detail) => problems.push(changed(detail)),
        }
    }
    let mut extra: Vec<&String> = entries
        .iter()
        .filter(|(name, is_dir)| !**is_dir && !listed.contains(*name) && !matches!(name.as_str(), MANIFEST | SIGNATURE))
        .map(|(name, _)| name)
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
    report.valid = problems.is_empty();
    report.problems = problems;
    Ok(report)
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
}
