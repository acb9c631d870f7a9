//! The publisher's side: keys, building a site from a content directory, signing. Pure functions over
//! bytes; `feed::site` runs the workflow over a site directory for the CLI (`zhuanshu feed
//! keygen|build|sign|timestamp|rotate`).
//!
//! A real publisher keeps its root and manifest keys offline (an air-gapped machine or a hardware token)
//! and signs there; only the signed site goes to the web server. The timestamp key is the exception: it
//! re-signs `timestamp.json` every day or so, so it lives where that job runs, and a leak of it alone lets
//! an attacker only delay updates by as long as the manifest in force is valid. The *demo* key of [`demo_key`] is derived from a
//! public string so that tests and the demo are reproducible: anyone can sign with it, so it protects
//! nothing and must never sign a production feed.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use ring::signature::{Ed25519KeyPair, KeyPair};

use super::ContentChecks;
use super::format::{
    FileEntry, Manifest, ManifestRef, PublicKey, Role, Root, SPEC, Signature, SignatureFile, Signed, Threshold,
    Timestamp, canonical, content_path, hex, key_id, sha256_hex, signing_message, valid_path,
};
use crate::error::{Error, Result};

/// An Ed25519 signing key.
pub struct SigningKey {
    pair: Ed25519KeyPair,
}

impl SigningKey {
    /// A new random key as a PKCS#8 v2 document (what `feed keygen` writes).
    pub fn generate_pkcs8() -> Result<Vec<u8>> {
        Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
            .map(|doc| doc.as_ref().to_vec())
            .map_err(|_| Error::Internal("the system random generator failed".into()))
    }

    pub fn from_pkcs8(der: &[u8]) -> Result<SigningKey> {
        Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map(|pair| SigningKey { pair }).map_err(|e| {
            Error::invalid("key", "不是有效的 Ed25519 私钥文件（PKCS#8）", format!("not an Ed25519 PKCS#8 key: {e}"))
        })
    }

    /// A key from a 32-byte seed (deterministic: tests and the demo key only).
    pub fn from_seed(seed: &[u8; 32]) -> SigningKey {
        // A 32-byte seed is always a valid Ed25519 private key; the public key is derived from it.
        let pair = Ed25519KeyPair::from_seed_unchecked(seed);
        SigningKey { pair: pair.unwrap_or_else(|_| unreachable!("any 32-byte seed is a valid Ed25519 key")) }
    }

    /// The PKCS#8 v2 document of a seed key (RFC 8410 with the public key attached), as `feed keygen
    /// --demo` writes it.
    pub fn seed_pkcs8(seed: &[u8; 32]) -> Vec<u8> {
        let public = SigningKey::from_seed(seed).public_raw();
        let mut der =
            vec![0x30, 0x53, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
        der.extend_from_slice(seed);
        der.extend_from_slice(&[0xa1, 0x23, 0x03, 0x21, 0x00]);
        der.extend_from_slice(&public);
        der
    }

    pub fn public_raw(&self) -> Vec<u8> {
        self.pair.public_key().as_ref().to_vec()
    }

    pub fn public(&self) -> PublicKey {
        PublicKey::ed25519(&self.public_raw())
    }

    pub fn id(&self) -> String {
        key_id(&self.public_raw())
    }

    pub fn sign(&self, message: &[u8]) -> Signature {
        Signature { keyid: self.id(), sig: hex(self.pair.sign(message).as_ref()) }
    }
}

/// The seed of the demo publishing key: SHA-256 of a public sentence. Public knowledge — demo only.
fn demo_seed() -> [u8; 32] {
    super::format::sha256(b"zhuanshu demo feed publishing key: public, for tests and demos only, never for production")
}

/// The demo publishing key (see the module docs: it protects nothing).
pub fn demo_key() -> SigningKey {
    SigningKey::from_seed(&demo_seed())
}

/// The demo key as a PKCS#8 file.
pub fn demo_key_pkcs8() -> Vec<u8> {
    SigningKey::seed_pkcs8(&demo_seed())
}

/// The expiry of the demo root (and so of the embedded root).
pub fn demo_root_expiry() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2036-12-31T00:00:00+08:00").unwrap_or_else(|_| unreachable!("a valid literal"))
}

/// Root version 1 of the demo feed: the demo key for every role, threshold 1. core/content/feed/root.json
/// is exactly this (a test checks it); it holds the public key only.
pub fn demo_root_json() -> Result<Vec<u8>> {
    let key = demo_key();
    sign_root(&new_root(1, demo_root_expiry(), &[&key], 1, &[&key], 1, &[&key], 1), &[&key])
}

/// How long a timestamp is valid unless the publisher says otherwise: long enough to survive a missed
/// daily re-signing, short enough that a frozen device notices within days, not months.
pub const TIMESTAMP_HOURS: i64 = 48;

/// An unsigned root: `root_keys` may sign later roots, `manifest_keys` manifests, `timestamp_keys`
/// timestamps.
#[allow(clippy::too_many_arguments)]
pub fn new_root(
    version: u64,
    expires: DateTime<FixedOffset>,
    root_keys: &[&SigningKey],
    root_threshold: u32,
    manifest_keys: &[&SigningKey],
    manifest_threshold: u32,
    timestamp_keys: &[&SigningKey],
    timestamp_threshold: u32,
) -> Root {
    let publics = |keys: &[&SigningKey]| keys.iter().map(|k| k.public()).collect::<Vec<PublicKey>>();
    new_root_from_public(
        version,
        expires,
        &publics(root_keys),
        root_threshold,
        &publics(manifest_keys),
        manifest_threshold,
        &publics(timestamp_keys),
        timestamp_threshold,
    )
}

/// [`new_root`] from public keys alone (a rotation to keys held elsewhere).
#[allow(clippy::too_many_arguments)]
pub fn new_root_from_public(
    version: u64,
    expires: DateTime<FixedOffset>,
    root_keys: &[PublicKey],
    root_threshold: u32,
    manifest_keys: &[PublicKey],
    manifest_threshold: u32,
    timestamp_keys: &[PublicKey],
    timestamp_threshold: u32,
) -> Root {
    let mut keys = BTreeMap::new();
    let mut ids = |list: &[PublicKey]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for key in list {
            let id = key.id().unwrap_or_default();
            keys.insert(id.clone(), key.clone());
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    };
    let root = Threshold { keyids: ids(root_keys), threshold: root_threshold };
    let manifest = Threshold { keyids: ids(manifest_keys), threshold: manifest_threshold };
    let timestamp = Threshold { keyids: ids(timestamp_keys), threshold: timestamp_threshold };
    Root { kind: "root".into(), spec: SPEC, version, expires, keys, root, manifest, timestamp }
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))
}

fn pretty<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    out.push(b'\n');
    Ok(out)
}

/// `root.json`: the root signed by `keys` (for a rotation: the old root keys and the new ones).
pub fn sign_root(root: &Root, keys: &[&SigningKey]) -> Result<Vec<u8>> {
    sign_inline(Role::Root, to_value(root)?, keys)
}

fn sign_inline(role: Role, signed: serde_json::Value, keys: &[&SigningKey]) -> Result<Vec<u8>> {
    let message = signing_message(role, &canonical(&signed).map_err(Error::Internal)?);
    pretty(&Signed { signed, signatures: keys.iter().map(|k| k.sign(&message)).collect() })
}

/// The timestamp naming `manifest` (its exact bytes, as they will be served).
pub fn new_timestamp(
    manifest: &[u8],
    version: u64,
    expires: DateTime<FixedOffset>,
    root_version: u64,
) -> Result<Timestamp> {
    let value: serde_json::Value =
        serde_json::from_slice(manifest).map_err(|e| Error::Format(format!("manifest.json: {e}")))?;
    let manifest_version = value
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| Error::Format("manifest.json: no version".into()))?;
    Ok(Timestamp {
        kind: "timestamp".into(),
        spec: SPEC,
        version,
        expires,
        root_version,
        manifest: ManifestRef {
            version: manifest_version,
            sha256: sha256_hex(manifest),
            length: manifest.len() as u64,
        },
    })
}

/// `timestamp.json`: the timestamp signed by `keys` (the root's timestamp keys).
pub fn sign_timestamp(timestamp: &Timestamp, keys: &[&SigningKey]) -> Result<Vec<u8>> {
    sign_inline(Role::Timestamp, to_value(timestamp)?, keys)
}

/// What [`build`] produces: the manifest and the content files by their site path.
#[derive(Debug, Clone)]
pub struct Built {
    pub manifest: Vec<u8>,
    /// Site path (`files/<sha256>`) -> bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Builds version `version` of the feed from content (name -> bytes). Every file passes `checks`, which a
/// publisher gives as the app will check ([`crate::content::checks`]), so a broken FAQ line fails here, at
/// the publisher, not on a million phones.
pub fn build(
    content: &BTreeMap<String, Vec<u8>>,
    version: u64,
    expires: DateTime<FixedOffset>,
    root_version: u64,
    checks: &ContentChecks,
) -> Result<Built> {
    let mut entries = BTreeMap::new();
    let mut files = BTreeMap::new();
    for (name, bytes) in content {
        if !valid_path(name) {
            return Err(Error::invalid(
                name,
                format!("文件名{name}不可用：只能包含英文字母、数字和 . _ - /"),
                format!("content name {name:?} is not a valid feed path"),
            ));
        }
        checks.check(name, bytes).map_err(|e| Error::FeedRejected { reason: e })?;
        let sha256 = sha256_hex(bytes);
        let path = content_path(&sha256);
        entries.insert(name.clone(), FileEntry { sha256, length: bytes.len() as u64, path: path.clone() });
        files.insert(path, bytes.clone());
    }
    let manifest = Manifest { kind: "manifest".into(), spec: SPEC, version, expires, root_version, files: entries };
    Ok(Built { manifest: pretty(&manifest)?, files })
}

/// The detached signature file for `manifest`: the signatures already in `existing` (other signers) plus
/// one per key, replacing an older signature by the same key.
pub fn sign_manifest(manifest: &[u8], existing: Option<&[u8]>, keys: &[&SigningKey]) -> Result<Vec<u8>> {
    let value: serde_json::Value =
        serde_json::from_slice(manifest).map_err(|e| Error::Format(format!("manifest.json: {e}")))?;
    let message = signing_message(Role::Manifest, &canonical(&value).map_err(Error::Format)?);
    let mut file: SignatureFile = match existing {
        Some(bytes) => serde_json::from_slice(bytes).map_err(|e| Error::Format(format!("manifest.json.sig: {e}")))?,
        None => SignatureFile::default(),
    };
    for key in keys {
        let sig = key.sign(&message);
        file.signatures.retain(|s| s.keyid != sig.keyid);
        file.signatures.push(sig);
    }
    pretty(&file)
}

/// A whole signed site in memory, as `feed build`, `feed sign` and `feed timestamp` write it: `roots` are
/// the root documents in version order (the last one is also `root.json`; the manifest is built for it),
/// and `keys` sign the manifest and the timestamp (version `version`, expiring with the manifest). The
/// content is only checked for JSON syntax ([`ContentChecks::SYNTAX`]): tests choose what they publish. For
/// tests, benchmarks and demos.
pub fn site(
    content: &BTreeMap<String, Vec<u8>>,
    version: u64,
    expires: DateTime<FixedOffset>,
    roots: &[&[u8]],
    keys: &[&SigningKey],
) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut root_version = 1;
    for json in roots {
        let root = super::verify::verify_pinned_root(json).map_err(|e| Error::FeedRejected { reason: e })?;
        root_version = root.version;
        out.insert(super::format::root_path(root.version), json.to_vec());
        out.insert(super::format::ROOT_FILE.to_owned(), json.to_vec());
    }
    let built = build(content, version, expires, root_version, &ContentChecks::SYNTAX)?;
    out.insert(super::format::SIGNATURE_FILE.to_owned(), sign_manifest(&built.manifest, None, keys)?);
    let timestamp = new_timestamp(&built.manifest, version, expires, root_version)?;
    out.insert(super::format::TIMESTAMP_FILE.to_owned(), sign_timestamp(&timestamp, keys)?);
    out.insert(super::format::MANIFEST_FILE.to_owned(), built.manifest);
    out.extend(built.files);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::checks;

    #[test]
    fn the_demo_key_is_reproducible_and_its_pkcs8_reads_back() {
        let der = demo_key_pkcs8();
        let key = SigningKey::from_pkcs8(&der).unwrap();
        assert_eq!(key.public_raw(), demo_key().public_raw());
        // ring's strict reader accepts the v2 document too.
        assert!(Ed25519KeyPair::from_pkcs8(&der).is_ok());
        let generated = SigningKey::generate_pkcs8().unwrap();
        assert_ne!(SigningKey::from_pkcs8(&generated).unwrap().id(), key.id());
        assert!(SigningKey::from_pkcs8(b"not a key").is_err());
    }

    #[test]
    fn the_embedded_root_is_the_demo_root_and_holds_no_secret() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/content/feed/root.json");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(path, demo_root_json().unwrap()).unwrap();
        }
        let embedded = std::fs::read(path).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&embedded),
            String::from_utf8_lossy(&demo_root_json().unwrap()),
            "UPDATE_GOLDEN=1 rewrites core/content/feed/root.json"
        );
        let text = String::from_utf8_lossy(&embedded);
        let seed = hex(&demo_seed());
        assert!(!text.contains(&seed), "the private seed must never be embedded");
    }

    const POLICIES: &[u8] = br#"{"version": 1, "policies": []}"#;
    const HOLIDAY_2027: &str =
        r#"{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"#;

    #[test]
    fn a_build_lists_every_file_by_hash_and_refuses_bad_content() {
        let content = BTreeMap::from([
            ("policies.json".to_owned(), POLICIES.to_vec()),
            ("holidays/2027.json".to_owned(), HOLIDAY_2027.as_bytes().to_vec()),
        ]);
        let built = build(&content, 3, demo_root_expiry(), 1, &checks()).unwrap();
        let m: Manifest = serde_json::from_slice(&built.manifest).unwrap();
        assert_eq!((m.version, m.root_version, m.files.len()), (3, 1, 2));
        let entry = &m.files["policies.json"];
        assert_eq!(built.files[&entry.path], POLICIES);
        assert_eq!(entry.path, format!("files/{}", sha256_hex(POLICIES)));
        let broken = BTreeMap::from([("faq.jsonl".to_owned(), b"not json\n".to_vec())]);
        assert_eq!(build(&broken, 1, demo_root_expiry(), 1, &checks()).unwrap_err().code(), "feed_invalid_content");
        let bad_name = BTreeMap::from([("../x.json".to_owned(), POLICIES.to_vec())]);
        assert_eq!(build(&bad_name, 1, demo_root_expiry(), 1, &checks()).unwrap_err().code(), "invalid_input");
    }

    #[test]
    fn signers_add_their_signatures_one_by_one() {
        let (a, b) = (SigningKey::from_seed(&[1; 32]), SigningKey::from_seed(&[2; 32]));
        let built = build(&BTreeMap::new(), 1, demo_root_expiry(), 1, &checks()).unwrap();
        let first = sign_manifest(&built.manifest, None, &[&a]).unwrap();
        let both = sign_manifest(&built.manifest, Some(&first), &[&b, &a]).unwrap();
        let file: SignatureFile = serde_json::from_slice(&both).unwrap();
        assert_eq!(file.signatures.len(), 2, "a re-signing key replaces its own signature");
    }

    #[test]
    fn a_timestamp_names_the_manifest_bytes_and_verifies_under_the_timestamp_keys() {
        let (offline, online) = (SigningKey::from_seed(&[1; 32]), SigningKey::from_seed(&[2; 32]));
        let root = new_root(1, demo_root_expiry(), &[&offline], 1, &[&offline], 1, &[&online], 1);
        let built = build(&BTreeMap::new(), 4, demo_root_expiry(), 1, &checks()).unwrap();
        let t = new_timestamp(&built.manifest, 9, demo_root_expiry(), 1).unwrap();
        assert_eq!((t.version, t.manifest.version, t.manifest.length), (9, 4, built.manifest.len() as u64));
        assert_eq!(t.manifest.sha256, sha256_hex(&built.manifest));
        let json = sign_timestamp(&t, &[&online]).unwrap();
        assert_eq!(super::super::verify::verify_timestamp(&root, &json).unwrap().0, t);
        let by_offline = sign_timestamp(&t, &[&offline]).unwrap();
        assert!(super::super::verify::verify_timestamp(&root, &by_offline).is_err(), "not a timestamp key");
    }
}
