//! The publisher's workflow over a site directory (`zhuanshu feed keygen|build|sign|timestamp|rotate`):
//! which version comes next, how long a manifest and a root live, what "expires on a date" means (00:00
//! Beijing time), and reading and writing the site's documents in an order that never leaves a web server
//! serving a half-published site. The documents themselves are made and checked by [`super::publish`] and
//! [`super::verify`]; front ends parse arguments and print.
//!
//! Every document is written through a temporary file and a rename. Built content files are written first,
//! the manifest last; the old detached signatures go with the old manifest, but the old timestamp stays
//! until a new one replaces it (the next timestamp's version must continue from it). Every root is written
//! as `roots/N.json` before `root.json` names it.
//!
//! Two clocks, as in [`crate::Config`]: the planning clock (a front end's `--today`) decides the default
//! expiry dates of manifests and roots; the security clock (the device's, always, outside tests) decides
//! when a timestamp expires, because a timestamp says "current as of now".

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use super::ContentChecks;
use super::format::{self, MANIFEST_FILE, Manifest, ROOT_FILE, Root, SIGNATURE_FILE, TIMESTAMP_FILE, root_path};
use super::publish::{self, SigningKey};
use super::verify::{self, Rejection};
use crate::clock::Clock;
use crate::error::{Error, Result};

/// How long a manifest is valid unless the publisher names a date: long enough for a quarter's releases,
/// short enough that a device fed an old site refuses it within months.
pub const MANIFEST_DAYS: i64 = 90;

/// How long a root is valid unless the publisher names a date: ten years, the life of an app's pinned root.
pub const ROOT_DAYS: i64 = 3650;

/// The longest a timestamp may be valid, in hours: a year.
pub const MAX_TIMESTAMP_HOURS: i64 = 24 * 366;

/// Beijing time (UTC+8). Asia/Shanghai has kept this offset all year since 1991, and the feed's documents
/// carry it as a fixed offset.
fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!("+08:00 is a valid offset"))
}

/// `local`, a Beijing wall-clock time, as an instant.
pub fn beijing_time(local: NaiveDateTime) -> DateTime<FixedOffset> {
    beijing()
        .from_local_datetime(&local)
        .single()
        .unwrap_or_else(|| unreachable!("a fixed offset has exactly one local time"))
}

/// 00:00 Beijing time of `day`: what "expires on `day`" means for a manifest or a root.
pub fn beijing_midnight(day: NaiveDate) -> DateTime<FixedOffset> {
    beijing_time(day.and_time(NaiveTime::MIN))
}

/// A manifest's expiry: the given date, else [`MANIFEST_DAYS`] after `today`; at 00:00 Beijing time.
pub fn manifest_expiry(given: Option<NaiveDate>, today: NaiveDate) -> DateTime<FixedOffset> {
    beijing_midnight(given.unwrap_or_else(|| today + Duration::days(MANIFEST_DAYS)))
}

/// A root's expiry: the given date, else [`ROOT_DAYS`] after `today`; at 00:00 Beijing time.
pub fn root_expiry(given: Option<NaiveDate>, today: NaiveDate) -> DateTime<FixedOffset> {
    beijing_midnight(given.unwrap_or_else(|| today + Duration::days(ROOT_DAYS)))
}

/// The version of the next build: the given one, else one more than the site's `current` (1 for a new
/// site). Versions only go up: devices refuse an older one as a rollback.
pub fn next_version(current: Option<u64>, given: Option<u64>) -> Result<u64> {
    let version = given.unwrap_or_else(|| current.map_or(1, |v| v.saturating_add(1)));
    match current {
        Some(current) if current >= version => Err(Error::invalid(
            "version",
            format!("版本号必须大于站点现有的第{current}版"),
            format!("version {version} is not above the site's {current}"),
        )),
        _ => Ok(version),
    }
}

/// Checks a timestamp's validity in hours: from one hour to [`MAX_TIMESTAMP_HOURS`].
pub fn check_timestamp_hours(hours: i64) -> Result<()> {
    if (1..=MAX_TIMESTAMP_HOURS).contains(&hours) {
        Ok(())
    } else {
        Err(Error::invalid(
            "expires-in-hours",
            "时间戳有效期应在1小时到1年之间",
            format!("--expires-in-hours {hours} is not between 1 and {MAX_TIMESTAMP_HOURS}"),
        ))
    }
}

// ---- files ----

/// Writes `bytes` to `path` through a temporary file and a rename, so a server never serves half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp-zhuanshu");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn rejected(reason: Rejection) -> Error {
    Error::FeedRejected { reason }
}

/// A signing key from its PKCS#8 file.
pub fn read_key(path: &Path) -> Result<SigningKey> {
    let der = std::fs::read(path)?;
    SigningKey::from_pkcs8(&der).map_err(|_| {
        Error::invalid(
            "key",
            format!("{}不是有效的签名密钥文件（Ed25519 PKCS#8）", path.display()),
            format!("{} is not an Ed25519 PKCS#8 key", path.display()),
        )
    })
}

pub fn read_keys(paths: &[PathBuf]) -> Result<Vec<SigningKey>> {
    paths.iter().map(|p| read_key(p)).collect()
}

/// Creates a key file (the public demo key with `demo`, else a new random key), readable by its owner
/// only; never overwrites one. Returns the key.
pub fn write_key(path: &Path, demo: bool) -> Result<SigningKey> {
    if path.exists() {
        return Err(Error::invalid(
            "out",
            format!("密钥文件{}已存在，不会覆盖", path.display()),
            format!("{} exists; not overwriting a key", path.display()),
        ));
    }
    let der = if demo { publish::demo_key_pkcs8() } else { SigningKey::generate_pkcs8()? };
    let key = SigningKey::from_pkcs8(&der)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, &der)?;
    Ok(key)
}

/// A content directory (what `feed build` publishes): every regular file under `dir`, by `/`-separated
/// relative name; hidden files are skipped. An empty directory is refused.
pub fn read_content(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let hidden = path.file_name().and_then(|n| n.to_str()).is_none_or(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                walk(base, &path, out)?;
            } else if path.is_file() {
                let relative = path.strip_prefix(base).map_err(|e| Error::Internal(e.to_string()))?;
                let name: Vec<String> =
                    relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                out.insert(name.join("/"), std::fs::read(&path)?);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out)?;
    if out.is_empty() {
        return Err(Error::invalid(
            "content",
            format!("内容目录{}是空的", dir.display()),
            format!("content directory {} has no files", dir.display()),
        ));
    }
    Ok(out)
}

/// Writes content files (name -> bytes) under `dir`: a content directory [`read_content`] reads back.
pub fn write_content(dir: &Path, content: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    for (name, bytes) in content {
        write_atomic(&dir.join(name), bytes)?;
    }
    Ok(())
}

// ---- the site ----

/// What [`Site::build`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    pub version: u64,
    pub expires: DateTime<FixedOffset>,
    /// The root the manifest was built for.
    pub root_version: u64,
}

/// What [`Site::sign`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signing {
    /// The manifest's version.
    pub version: u64,
    /// Signatures the site's signature file holds now, and how many the root asks for.
    pub signatures: usize,
    pub threshold: u32,
    /// The signatures are enough: devices accept the manifest.
    pub complete: bool,
    /// The site had no root: root version 1 was made, trusting exactly the signing keys for every role.
    pub created_root: bool,
    /// When the keys included enough timestamp keys, the timestamp was signed too; its expiry.
    pub timestamp_expires: Option<DateTime<FixedOffset>>,
}

/// What [`Site::timestamp`] signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamping {
    pub manifest_version: u64,
    pub expires: DateTime<FixedOffset>,
}

/// A site directory, as a web server serves it.
#[derive(Debug, Clone)]
pub struct Site {
    dir: PathBuf,
    /// The planning clock: default expiry dates count from its today.
    clock: Clock,
    /// The clock timestamps count from (see the module docs).
    security_clock: Clock,
    /// What content must pass before it is published: the app's own checks.
    checks: ContentChecks,
}

impl Site {
    /// The site in `dir`; `clock` is the planning clock. Timestamps use the device's clock. Content is
    /// built only if it passes `checks` (a publisher gives [`crate::content::checks`], the app's own).
    pub fn new(dir: impl Into<PathBuf>, clock: Clock, checks: ContentChecks) -> Site {
        Site { dir: dir.into(), clock, security_clock: Clock::System, checks }
    }

    /// Pins the clock of timestamps (tests only, like [`crate::Config::security_clock`]).
    pub fn with_security_clock(self, security_clock: Clock) -> Site {
        Site { security_clock, ..self }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The site's current root, checked as a device checks its pinned root; `None` before the first sign.
    pub fn root(&self) -> Result<Option<Root>> {
        match read_optional(&self.path(ROOT_FILE))? {
            Some(bytes) => verify::verify_pinned_root(&bytes).map(Some).map_err(rejected),
            None => Ok(None),
        }
    }

    /// The site's current manifest, as built (signed or not); `None` before the first build.
    pub fn manifest(&self) -> Result<Option<Manifest>> {
        match read_optional(&self.path(MANIFEST_FILE))? {
            Some(bytes) => Ok(Some(parse_manifest(&bytes)?)),
            None => Ok(None),
        }
    }

    /// Builds a new version from `content` (see [`read_content`]): version `version`, else the next one
    /// ([`next_version`]); expiring at 00:00 Beijing time of `expires`, else [`MANIFEST_DAYS`] from today.
    /// Writes the content files that changed, drops the old manifest's signatures and writes the manifest
    /// last. The old timestamp stays until `sign` or `timestamp` replaces it: the next timestamp's version
    /// must continue from it, or every device that synced before would refuse the new one as a rollback.
    /// (Devices refuse it meanwhile: it names the old manifest.)
    pub fn build(
        &self,
        content: &BTreeMap<String, Vec<u8>>,
        version: Option<u64>,
        expires: Option<NaiveDate>,
    ) -> Result<Build> {
        let previous = self.manifest()?;
        let version = next_version(previous.map(|m| m.version), version)?;
        let expires = manifest_expiry(expires, self.clock.today());
        let root_version = self.root()?.map_or(1, |r| r.version);
        let built = publish::build(content, version, expires, root_version, &self.checks)?;
        for (path, bytes) in &built.files {
            let target = self.path(path);
            if read_optional(&target)?.as_deref() != Some(bytes.as_slice()) {
                write_atomic(&target, bytes)?;
            }
        }
        if let Err(e) = std::fs::remove_file(self.path(SIGNATURE_FILE))
            && e.kind() != std::io::ErrorKind::NotFound
        {
            return Err(e.into());
        }
        write_atomic(&self.path(MANIFEST_FILE), &built.manifest)?;
        Ok(Build { version, expires, root_version })
    }

    /// Signs the site's manifest with the keys in `key_files` (signatures already there are kept). A site
    /// without a root gets root version 1, trusting exactly these keys for every role (all of them must
    /// sign), expiring [`ROOT_DAYS`] from today. Once the signatures are complete, the timestamp is signed
    /// too if the keys include enough of the root's timestamp keys, for [`publish::TIMESTAMP_HOURS`].
    pub fn sign(&self, key_files: &[PathBuf]) -> Result<Signing> {
        let keys = read_keys(key_files)?;
        let refs: Vec<&SigningKey> = keys.iter().collect();
        let manifest_json = std::fs::read(self.path(MANIFEST_FILE))?;
        let manifest = parse_manifest(&manifest_json)?;
        let mut created_root = false;
        let root = match self.root()? {
            Some(root) => root,
            None => {
                let expires = root_expiry(None, self.clock.today());
                let n = u32::try_from(refs.len()).unwrap_or(u32::MAX);
                let root = publish::new_root(1, expires, &refs, n, &refs, n, &refs, n);
                self.write_root(&root, &publish::sign_root(&root, &refs)?)?;
                created_root = true;
                root
            }
        };
        if manifest.root_version != root.version {
            return Err(Error::invalid(
                "site",
                format!(
                    "清单是为第{}版根密钥生成的，站点现为第{}版：请重新 build",
                    manifest.root_version, root.version
                ),
                format!("manifest names root {}, site root is {}: build again", manifest.root_version, root.version),
            ));
        }
        if let Some(stranger) = keys.iter().find(|k| !root.manifest.keyids.contains(&k.id())) {
            return Err(Error::invalid(
                "key",
                format!("密钥{}不在根密钥清单的内容签名密钥中", stranger.id()),
                format!("key {} is not a manifest key of root {}", stranger.id(), root.version),
            ));
        }
        let existing = read_optional(&self.path(SIGNATURE_FILE))?;
        let signatures = publish::sign_manifest(&manifest_json, existing.as_deref(), &refs)?;
        write_atomic(&self.path(SIGNATURE_FILE), &signatures)?;
        let count = serde_json::from_slice::<format::SignatureFile>(&signatures).map_or(0, |f| f.signatures.len());
        let complete = verify::verify_manifest(&root, &manifest_json, &signatures).is_ok();
        // The convenient case (one set of keys for everything, like the demo): timestamp right away.
        let timestamp_keys: Vec<&SigningKey> =
            refs.iter().copied().filter(|k| root.timestamp.keyids.contains(&k.id())).collect();
        let timestamp_expires = if complete && timestamp_keys.len() >= root.timestamp.threshold as usize {
            Some(self.write_timestamp(&root, &manifest_json, &timestamp_keys, publish::TIMESTAMP_HOURS)?)
        } else {
            None
        };
        Ok(Signing {
            version: manifest.version,
            signatures: count,
            threshold: root.manifest.threshold,
            complete,
            created_root,
            timestamp_expires,
        })
    }

    /// Re-signs only `timestamp.json` with the keys in `key_files` (timestamp keys of the site's root),
    /// for the manifest the site serves, which must be fully signed (a timestamp vouches for what devices
    /// will accept); valid `hours` hours from the security clock.
    pub fn timestamp(&self, key_files: &[PathBuf], hours: i64) -> Result<Timestamping> {
        let keys = read_keys(key_files)?;
        let refs: Vec<&SigningKey> = keys.iter().collect();
        let root = self.root()?.ok_or_else(|| {
            Error::invalid("site", "站点还没有根密钥清单（先 build 再 sign）", "the site has no root.json yet")
        })?;
        if let Some(stranger) = keys.iter().find(|k| !root.timestamp.keyids.contains(&k.id())) {
            return Err(Error::invalid(
                "key",
                format!("密钥{}不在根密钥清单的时间戳密钥中", stranger.id()),
                format!("key {} is not a timestamp key of root {}", stranger.id(), root.version),
            ));
        }
        let manifest_json = std::fs::read(self.path(MANIFEST_FILE))?;
        let signatures = read_optional(&self.path(SIGNATURE_FILE))?.unwrap_or_default();
        let (manifest, _) = verify::verify_manifest(&root, &manifest_json, &signatures).map_err(|e| {
            Error::invalid(
                "site",
                "站点的内容清单尚未签名齐全（先 feed sign），不能签发时间戳",
                format!("the site's manifest does not verify ({e}): sign it first"),
            )
        })?;
        let expires = self.write_timestamp(&root, &manifest_json, &refs, hours)?;
        Ok(Timestamping { manifest_version: manifest.version, expires })
    }

    /// Rotates keys: writes the next root, trusting the keys in `new_key_files` for the root and manifest
    /// roles (`threshold` of them must sign, default all) and for timestamps the keys in
    /// `new_timestamp_key_files` (threshold 1), or without those the new keys (with the same threshold);
    /// signed by the current root's keys (`key_files`) and the new ones, and checked as every device
    /// checks a rotation before it is written. Expires at 00:00 Beijing time of `expires`, else
    /// [`ROOT_DAYS`] from today. Returns the new root.
    pub fn rotate(
        &self,
        key_files: &[PathBuf],
        new_key_files: &[PathBuf],
        new_timestamp_key_files: &[PathBuf],
        threshold: Option<u32>,
        expires: Option<NaiveDate>,
    ) -> Result<Root> {
        let current = self.root()?.ok_or_else(|| {
            Error::invalid("site", "站点还没有根密钥清单（先 sign 一次）", "the site has no root.json yet")
        })?;
        let old = read_keys(key_files)?;
        let new = read_keys(new_key_files)?;
        let new_refs: Vec<&SigningKey> = new.iter().collect();
        let online = read_keys(new_timestamp_key_files)?;
        let n = u32::try_from(new.len()).unwrap_or(u32::MAX);
        let (timestamp_refs, timestamp_threshold): (Vec<&SigningKey>, u32) =
            if online.is_empty() { (new_refs.clone(), threshold.unwrap_or(n)) } else { (online.iter().collect(), 1) };
        let root = publish::new_root(
            current.version + 1,
            root_expiry(expires, self.clock.today()),
            &new_refs,
            threshold.unwrap_or(n),
            &new_refs,
            threshold.unwrap_or(n),
            &timestamp_refs,
            timestamp_threshold,
        );
        let signers: Vec<&SigningKey> = old.iter().chain(new.iter()).collect();
        let json = publish::sign_root(&root, &signers)?;
        // The same check every device makes: refuse to publish a rotation they would reject.
        verify::verify_rotation(&current, &root_path(root.version), &json).map_err(rejected)?;
        self.write_root(&root, &json)?;
        Ok(root)
    }

    /// `roots/N.json`, then `root.json`.
    fn write_root(&self, root: &Root, json: &[u8]) -> Result<()> {
        write_atomic(&self.path(&root_path(root.version)), json)?;
        write_atomic(&self.path(ROOT_FILE), json)
    }

    /// Signs `timestamp.json` naming `manifest_json` (the site's manifest, exactly as served): the next
    /// version after the site's current timestamp, valid `hours` hours from the security clock. Returns the
    /// expiry.
    fn write_timestamp(
        &self,
        root: &Root,
        manifest_json: &[u8],
        keys: &[&SigningKey],
        hours: i64,
    ) -> Result<DateTime<FixedOffset>> {
        check_timestamp_hours(hours)?;
        let previous = match read_optional(&self.path(TIMESTAMP_FILE))? {
            Some(bytes) => serde_json::from_slice::<format::Signed>(&bytes)
                .ok()
                .and_then(|s| s.signed.get("version").and_then(serde_json::Value::as_u64))
                .unwrap_or(0),
            None => 0,
        };
        // The security clock on purpose: a timestamp says "current as of now", whatever --today pretends.
        let expires = beijing_time(self.security_clock.now() + Duration::hours(hours));
        let timestamp = publish::new_timestamp(manifest_json, previous + 1, expires, root.version)?;
        let json = publish::sign_timestamp(&timestamp, keys)?;
        // The same check every device makes: refuse to publish a timestamp they would reject.
        let (checked, _) = verify::verify_timestamp(root, &json).map_err(rejected)?;
        verify::check_manifest_bytes(&checked, manifest_json, false).map_err(rejected)?;
        write_atomic(&self.path(TIMESTAMP_FILE), &json)?;
        Ok(expires)
    }
}

fn parse_manifest(bytes: &[u8]) -> Result<Manifest> {
    serde_json::from_slice(bytes).map_err(|e| Error::Format(format!("{MANIFEST_FILE}: {e}")))
}

#[cfg(test)]
mod tests {
    use chrono::Timelike;
    use chrono_tz::Asia::Shanghai;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn versions_go_up_from_the_sites_current_one() {
        assert_eq!(next_version(None, None).unwrap(), 1, "a new site starts at 1");
        assert_eq!(next_version(Some(3), None).unwrap(), 4);
        assert_eq!(next_version(None, Some(7)).unwrap(), 7);
        assert_eq!(next_version(Some(3), Some(9)).unwrap(), 9, "versions may skip");
        for same_or_older in [3, 2] {
            let err = next_version(Some(3), Some(same_or_older)).unwrap_err();
            assert_eq!(err.code(), "invalid_input");
            assert!(err.user_message().contains("第3版"), "{}", err.user_message());
        }
        assert!(next_version(Some(u64::MAX), None).is_err(), "no version after the last one");
    }

    #[test]
    fn manifests_default_to_90_days_and_roots_to_ten_years() {
        let today = day("2026-11-22");
        assert_eq!(manifest_expiry(None, today), beijing_midnight(day("2027-02-20")));
        assert_eq!(root_expiry(None, today), beijing_midnight(day("2036-11-19")));
        assert_eq!((MANIFEST_DAYS, ROOT_DAYS), (90, 3650));
        let given = day("2030-01-01");
        assert_eq!(manifest_expiry(Some(given), today), beijing_midnight(given));
        assert_eq!(root_expiry(Some(given), today), beijing_midnight(given));
    }

    #[test]
    fn a_date_expires_at_midnight_in_asia_shanghai() {
        let midnight = beijing_midnight(day("2026-11-22"));
        assert_eq!(midnight.to_rfc3339(), "2026-11-22T00:00:00+08:00");
        let shanghai = Shanghai.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
        assert_eq!(midnight, shanghai);
        // 16:00 UTC of the day before, the same instant as the feed's `format::local` reads back.
        assert_eq!(midnight.naive_utc(), day("2026-11-21").and_hms_opt(16, 0, 0).unwrap());
        assert_eq!(format::local(&midnight), day("2026-11-22").and_time(NaiveTime::MIN));
        // Summer and winter alike: Asia/Shanghai has no daylight saving time.
        let summer = beijing_midnight(day("2027-07-01"));
        assert_eq!(summer, Shanghai.with_ymd_and_hms(2027, 7, 1, 0, 0, 0).unwrap());
    }

    #[test]
    fn timestamp_validity_is_an_hour_to_a_year() {
        assert!(check_timestamp_hours(1).is_ok());
        assert!(check_timestamp_hours(publish::TIMESTAMP_HOURS).is_ok());
        assert!(check_timestamp_hours(24 * 366).is_ok());
        for bad in [0, -5, 24 * 366 + 1] {
            assert_eq!(check_timestamp_hours(bad).unwrap_err().code(), "invalid_input", "{bad}");
        }
    }

    const POLICIES: &[u8] = br#"{"version": 1, "policies": []}"#;

    fn key_file(dir: &Path, name: &str, seed: Option<u8>) -> PathBuf {
        let path = dir.join(name);
        match seed {
            None => {
                write_key(&path, true).unwrap();
            }
            Some(s) => std::fs::write(&path, SigningKey::seed_pkcs8(&[s; 32])).unwrap(),
        }
        path
    }

    #[test]
    fn a_site_is_built_signed_timestamped_and_rotated_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let content = BTreeMap::from([("policies.json".to_owned(), POLICIES.to_vec())]);
        let planning = Clock::fixed_on(day("2020-01-01"));
        let real = Clock::Fixed(day("2026-11-22").and_hms_opt(9, 30, 0).unwrap());
        let site =
            Site::new(dir.path().join("site"), planning, crate::content::checks()).with_security_clock(real.clone());
        let key = key_file(dir.path(), "demo.key", None);
        assert_eq!(write_key(&key, true).err().map(|e| e.code()), Some("invalid_input"), "never overwrites a key");

        let first = site.build(&content, None, None).unwrap();
        assert_eq!(first, Build { version: 1, expires: beijing_midnight(day("2020-03-31")), root_version: 1 });
        assert!(site.root().unwrap().is_none());
        let signed = site.sign(std::slice::from_ref(&key)).unwrap();
        assert!(signed.created_root && signed.complete);
        assert_eq!((signed.version, signed.signatures, signed.threshold), (1, 1, 1));
        // The timestamp counts from the security clock, not the planning date.
        assert_eq!(signed.timestamp_expires, Some(beijing_time(real.now() + Duration::hours(48))));
        let root = site.root().unwrap().unwrap();
        assert_eq!((root.version, root.expires), (1, beijing_midnight(day("2029-12-29"))));
        assert_eq!(
            std::fs::read(dir.path().join("site/roots/1.json")).unwrap(),
            std::fs::read(site.path(ROOT_FILE)).unwrap()
        );

        // The next build goes on from the site's version and drops the old signatures only.
        assert_eq!(site.build(&content, Some(1), None).unwrap_err().code(), "invalid_input");
        let second = site.build(&content, None, Some(day("2036-01-01"))).unwrap();
        assert_eq!((second.version, second.expires.to_rfc3339()), (2, "2036-01-01T00:00:00+08:00".to_owned()));
        assert!(!site.path(SIGNATURE_FILE).exists() && site.path(TIMESTAMP_FILE).exists());
        assert_eq!(site.timestamp(std::slice::from_ref(&key), 24).unwrap_err().code(), "invalid_input", "unsigned");
        site.sign(std::slice::from_ref(&key)).unwrap();
        let version = |site: &Site| {
            let t: format::Signed = serde_json::from_slice(&std::fs::read(site.path(TIMESTAMP_FILE)).unwrap()).unwrap();
            t.signed["version"].as_u64().unwrap()
        };
        assert_eq!(version(&site), 2, "the timestamp's version goes on from the last one");
        let daily = site.timestamp(std::slice::from_ref(&key), 6).unwrap();
        assert_eq!((daily.manifest_version, daily.expires.hour()), (2, 15));
        assert_eq!(version(&site), 3);
        assert_eq!(site.timestamp(std::slice::from_ref(&key), 0).unwrap_err().code(), "invalid_input");

        // A stranger key signs nothing; a rotation is signed by the old and the new keys.
        let stranger = key_file(dir.path(), "stranger.key", Some(7));
        assert_eq!(site.sign(std::slice::from_ref(&stranger)).unwrap_err().code(), "invalid_input");
        let rotated =
            site.rotate(std::slice::from_ref(&key), std::slice::from_ref(&stranger), &[], None, None).unwrap();
        assert_eq!((rotated.version, rotated.expires), (2, beijing_midnight(day("2029-12-29"))));
        assert_eq!(rotated.manifest.keyids, vec![read_key(&stranger).unwrap().id()]);
        assert_eq!(site.root().unwrap().unwrap(), rotated);
        assert!(site.path("roots/2.json").exists());
        // The manifest was built for root 1: build again before signing with the new key.
        assert_eq!(site.sign(std::slice::from_ref(&stranger)).unwrap_err().code(), "invalid_input");
        assert_eq!(site.build(&content, None, None).unwrap().root_version, 2);
        assert!(site.sign(std::slice::from_ref(&stranger)).unwrap().complete);
    }

    #[test]
    fn content_directories_read_back_as_written_and_empty_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let content = BTreeMap::from([
            ("policies.json".to_owned(), POLICIES.to_vec()),
            ("holidays/2027.json".to_owned(), b"{}".to_vec()),
        ]);
        write_content(dir.path(), &content).unwrap();
        std::fs::write(dir.path().join(".DS_Store"), b"hidden").unwrap();
        assert_eq!(read_content(dir.path()).unwrap(), content);
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(read_content(empty.path()).unwrap_err().code(), "invalid_input");
    }
}
