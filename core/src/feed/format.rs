//! The files of a feed site and how they are signed.
//!
//! A site is a directory of static files, so any HTTP server or CDN can host it:
//!
//! ```text
//! root.json            the current root: trusted Ed25519 keys and the threshold of each role
//! roots/1.json …       every root version, so a device several key rotations behind can walk the chain
//! timestamp.json       small, short-lived (days), re-signed often by an online key: names the current
//!                      manifest by version, sha256 and length (TUF's timestamp role)
//! manifest.json        version, expiry, root version, and per content file: sha256, length, path
//! manifest.json.sig    detached signatures over the manifest (signers can add theirs one by one)
//! files/<sha256>       the content files, by hash: immutable, so a CDN may cache them for ever
//! ```
//!
//! The manifest is signed offline and lives for months; the timestamp is what tells a device the manifest
//! is still the current one. An attacker who replays an old but unexpired site (a freeze) is caught within
//! the timestamp's lifetime, not the manifest's.
//!
//! A signature is Ed25519 over `zhuanshu-feed/2 <role>\n` followed by the canonical JSON of the signed
//! document (object keys sorted by their UTF-8 bytes, no whitespace, integers only). The prefix keeps a
//! manifest signature from passing as a root signature; canonical JSON lets a document be re-indented or
//! have its keys reordered without breaking the signature, and makes "the same document" a byte test.
//! Signed documents are read with [`parse_strict`]: a duplicated object key is refused, since two parsers
//! could otherwise believe two different documents under one signature.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use chrono_tz::Asia::Shanghai;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::error::Role;

/// The format version this build reads and writes. A document with a higher `spec` is refused (the app
/// must be updated first) rather than half understood; a lower one too (the site must be republished):
/// spec 1 had no timestamp role, and a spec-1 root cannot say who may sign timestamps.
pub const SPEC: u32 = 2;

pub const ROOT_FILE: &str = "root.json";
pub const TIMESTAMP_FILE: &str = "timestamp.json";
pub const MANIFEST_FILE: &str = "manifest.json";
pub const SIGNATURE_FILE: &str = "manifest.json.sig";

/// Where root version `version` lives on a site.
pub fn root_path(version: u64) -> String {
    format!("roots/{version}.json")
}

/// Where a content file with this hash lives on a site.
pub fn content_path(sha256: &str) -> String {
    format!("files/{sha256}")
}

/// A public key. Only Ed25519 exists today; the field is there so a later scheme is refused by old apps
/// instead of misread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey {
    #[serde(rename = "type")]
    pub kind: String,
    /// The 32-byte key, lowercase hex.
    pub public: String,
}

impl PublicKey {
    pub fn ed25519(raw: &[u8]) -> PublicKey {
        PublicKey { kind: "ed25519".to_owned(), public: hex(raw) }
    }

    /// The key id: the SHA-256 of the raw key, hex. Roots must use exactly this id, so one key can never
    /// be listed twice under two ids and count twice towards a threshold.
    pub fn id(&self) -> Option<String> {
        unhex(&self.public).map(|raw| key_id(&raw))
    }
}

pub fn key_id(raw_public: &[u8]) -> String {
    sha256_hex(raw_public)
}

/// Who may sign for a role, and how many of them must.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    pub keyids: Vec<String>,
    pub threshold: u32,
}

/// The signed part of a root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Root {
    /// Always `"root"`: a manifest can never be read as a root, whatever its signatures.
    #[serde(rename = "_type")]
    pub kind: String,
    pub spec: u32,
    pub version: u64,
    pub expires: DateTime<FixedOffset>,
    /// Key id -> key.
    pub keys: BTreeMap<String, PublicKey>,
    pub root: Threshold,
    pub manifest: Threshold,
    /// Who signs `timestamp.json`: normally one online key, distinct from the offline manifest keys.
    pub timestamp: Threshold,
}

impl Root {
    pub fn role(&self, role: Role) -> &Threshold {
        match role {
            Role::Root => &self.root,
            Role::Manifest => &self.manifest,
            Role::Timestamp => &self.timestamp,
        }
    }
}

/// One content file as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// Exact length in bytes; also the most the client ever reads of it.
    pub length: u64,
    /// Where it lives on the site, relative (normally `files/<sha256>`).
    pub path: String,
}

/// The manifest: one version of the whole content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `"manifest"`.
    #[serde(rename = "_type")]
    pub kind: String,
    pub spec: u32,
    /// Increases with every publication; a device never goes back to a lower one.
    pub version: u64,
    /// After this instant the manifest is stale and refused (an attacker cannot freeze a device on old
    /// content for longer than this).
    pub expires: DateTime<FixedOffset>,
    /// The root version whose manifest keys sign this manifest.
    pub root_version: u64,
    /// Content file name (`faq.jsonl`, `holidays/2027.json`) -> entry.
    pub files: BTreeMap<String, FileEntry>,
}

/// The manifest a timestamp vouches for: a device fetches exactly these bytes, or refuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestRef {
    pub version: u64,
    /// SHA-256 of `manifest.json` exactly as served, lowercase hex.
    pub sha256: String,
    pub length: u64,
}

/// `timestamp.json`'s signed part: which manifest is current, and until when that statement holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timestamp {
    /// Always `"timestamp"`.
    #[serde(rename = "_type")]
    pub kind: String,
    pub spec: u32,
    /// Increases with every re-signing; a device never goes back to a lower one.
    pub version: u64,
    /// Short (the publisher's default is two days): past it, a device knows it may be frozen.
    pub expires: DateTime<FixedOffset>,
    /// The root version whose timestamp keys sign this.
    pub root_version: u64,
    pub manifest: ManifestRef,
}

/// One signature: which key, and the Ed25519 signature in hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub keyid: String,
    pub sig: String,
}

/// A document with its signatures inline: `root.json`, `roots/N.json` and `timestamp.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Signed {
    pub signed: Value,
    pub signatures: Vec<Signature>,
}

/// `root.json`.
pub type SignedRoot = Signed;

/// `manifest.json.sig`: the detached signatures of the manifest.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SignatureFile {
    pub signatures: Vec<Signature>,
}

/// The bytes a signature of `role` covers.
pub fn signing_message(role: Role, canonical: &[u8]) -> Vec<u8> {
    let mut message = format!("zhuanshu-feed/{SPEC} {}\n", role.name()).into_bytes();
    message.extend_from_slice(canonical);
    message
}

/// JSON text as a [`Value`], refusing a duplicated object key anywhere. serde_json keeps the last of two
/// equal keys and other parsers the first, so a document with `"version": 1, "version": 9` would mean
/// one thing here and another to a publisher's tools under the same signature.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice::<Strict>(bytes).map(|s| s.0).map_err(|e| e.to_string())
}

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("duplicate key {key:?}")));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// Documents read from their strict [`Value`] by hand, by the rules of serde's derive: a struct is an
/// object read by field name (other fields ignored) or an array in field order with exactly as many
/// elements, and a missing field or a wrong type fails with serde's wording (of a document with several
/// problems, another one may be named first). serde's `from_value` would put a copy of serde_json's value
/// deserializer per document type into the web app's first-screen module (tens of KB); these few
/// functions are shared. The derives stay (the publisher's tools, tests), and a test checks that both
/// readers agree.
mod read {
    use std::collections::BTreeMap;

    use serde::de::{Error as _, Unexpected};
    use serde_json::{Error, Value};

    use super::{
        FileEntry, Manifest, ManifestRef, PublicKey, Root, Signature, SignatureFile, Signed, Threshold, Timestamp,
    };

    pub(crate) type Read<T> = Result<T, String>;

    fn unexpected(v: &Value) -> Unexpected<'_> {
        match v {
            Value::Null => Unexpected::Unit,
            Value::Bool(b) => Unexpected::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Unexpected::Unsigned(u),
                (None, Some(i)) => Unexpected::Signed(i),
                _ => Unexpected::Float(n.as_f64().unwrap_or_default()),
            },
            Value::String(s) => Unexpected::Str(s),
            Value::Array(_) => Unexpected::Seq,
            Value::Object(_) => Unexpected::Map,
        }
    }

    fn wrong(v: &Value, expected: &str) -> String {
        Error::invalid_type(unexpected(v), &expected).to_string()
    }

    /// The values of a struct's fields (`names` in declaration order).
    fn fields<'a>(v: &'a Value, what: &str, names: &[&'static str]) -> Read<Vec<&'a Value>> {
        match v {
            Value::Object(map) => {
                names.iter().map(|name| map.get(*name).ok_or_else(|| Error::missing_field(name).to_string())).collect()
            }
            Value::Array(items) if items.len() < names.len() => {
                let plural = if names.len() == 1 { "" } else { "s" };
                let expected = format!("struct {what} with {} element{plural}", names.len());
                Err(Error::invalid_length(items.len(), &expected.as_str()).to_string())
            }
            Value::Array(items) if items.len() > names.len() => {
                Err(Error::invalid_length(items.len(), &"fewer elements in array").to_string())
            }
            Value::Array(items) => Ok(items.iter().collect()),
            _ => Err(wrong(v, &format!("struct {what}"))),
        }
    }

    fn string(v: &Value) -> Read<String> {
        v.as_str().map(str::to_owned).ok_or_else(|| wrong(v, "a string"))
    }

    fn unsigned(v: &Value, max: u64, expected: &str) -> Read<u64> {
        match (v.as_u64(), v.as_i64()) {
            (Some(u), _) if u <= max => Ok(u),
            (Some(u), _) => Err(Error::invalid_value(Unexpected::Unsigned(u), &expected).to_string()),
            (None, Some(i)) => Err(Error::invalid_value(Unexpected::Signed(i), &expected).to_string()),
            _ => Err(wrong(v, expected)),
        }
    }

    fn u64_(v: &Value) -> Read<u64> {
        unsigned(v, u64::MAX, "u64")
    }

    fn u32_(v: &Value) -> Read<u32> {
        unsigned(v, u32::MAX.into(), "u32").map(|u| u as u32)
    }

    /// chrono's `DateTime<FixedOffset>`: a string, parsed with `FromStr`.
    fn time(v: &Value) -> Read<chrono::DateTime<chrono::FixedOffset>> {
        match v {
            Value::String(s) => s.parse().map_err(|e: chrono::ParseError| Error::custom(e).to_string()),
            _ => Err(wrong(v, "an RFC 3339 formatted date and time string")),
        }
    }

    fn list<T>(v: &Value, each: fn(&Value) -> Read<T>) -> Read<Vec<T>> {
        v.as_array().ok_or_else(|| wrong(v, "a sequence"))?.iter().map(each).collect()
    }

    fn map<T>(v: &Value, each: fn(&Value) -> Read<T>) -> Read<BTreeMap<String, T>> {
        let mut out = BTreeMap::new();
        for (key, item) in v.as_object().ok_or_else(|| wrong(v, "a map"))? {
            out.insert(key.clone(), each(item)?);
        }
        Ok(out)
    }

    fn public_key(v: &Value) -> Read<PublicKey> {
        let f = fields(v, "PublicKey", &["type", "public"])?;
        Ok(PublicKey { kind: string(f[0])?, public: string(f[1])? })
    }

    fn threshold(v: &Value) -> Read<Threshold> {
        let f = fields(v, "Threshold", &["keyids", "threshold"])?;
        Ok(Threshold { keyids: list(f[0], string)?, threshold: u32_(f[1])? })
    }

    fn file_entry(v: &Value) -> Read<FileEntry> {
        let f = fields(v, "FileEntry", &["sha256", "length", "path"])?;
        Ok(FileEntry { sha256: string(f[0])?, length: u64_(f[1])?, path: string(f[2])? })
    }

    fn signature(v: &Value) -> Read<Signature> {
        let f = fields(v, "Signature", &["keyid", "sig"])?;
        Ok(Signature { keyid: string(f[0])?, sig: string(f[1])? })
    }

    impl Root {
        pub(crate) fn read(v: &Value) -> Read<Root> {
            let names = ["_type", "spec", "version", "expires", "keys", "root", "manifest", "timestamp"];
            let f = fields(v, "Root", &names)?;
            Ok(Root {
                kind: string(f[0])?,
                spec: u32_(f[1])?,
                version: u64_(f[2])?,
                expires: time(f[3])?,
                keys: map(f[4], public_key)?,
                root: threshold(f[5])?,
                manifest: threshold(f[6])?,
                timestamp: threshold(f[7])?,
            })
        }
    }

    impl Manifest {
        pub(crate) fn read(v: &Value) -> Read<Manifest> {
            let f = fields(v, "Manifest", &["_type", "spec", "version", "expires", "root_version", "files"])?;
            Ok(Manifest {
                kind: string(f[0])?,
                spec: u32_(f[1])?,
                version: u64_(f[2])?,
                expires: time(f[3])?,
                root_version: u64_(f[4])?,
                files: map(f[5], file_entry)?,
            })
        }
    }

    impl Timestamp {
        pub(crate) fn read(v: &Value) -> Read<Timestamp> {
            let f = fields(v, "Timestamp", &["_type", "spec", "version", "expires", "root_version", "manifest"])?;
            let m = fields(f[5], "ManifestRef", &["version", "sha256", "length"])?;
            Ok(Timestamp {
                kind: string(f[0])?,
                spec: u32_(f[1])?,
                version: u64_(f[2])?,
                expires: time(f[3])?,
                root_version: u64_(f[4])?,
                manifest: ManifestRef { version: u64_(m[0])?, sha256: string(m[1])?, length: u64_(m[2])? },
            })
        }
    }

    impl Signed {
        pub(crate) fn read(v: &Value) -> Read<Signed> {
            let f = fields(v, "Signed", &["signed", "signatures"])?;
            Ok(Signed { signed: f[0].clone(), signatures: list(f[1], signature)? })
        }
    }

    impl SignatureFile {
        pub(crate) fn read(v: &Value) -> Read<SignatureFile> {
            let f = fields(v, "SignatureFile", &["signatures"])?;
            Ok(SignatureFile { signatures: list(f[0], signature)? })
        }
    }
}

/// The canonical JSON of a value. Fails on floating-point numbers, which have no single spelling.
pub fn canonical(value: &Value) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    write_canonical(value, &mut out)?;
    Ok(out)
}

fn write_canonical(value: &Value, out: &mut Vec<u8>) -> Result<(), String> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) if n.is_i64() || n.is_u64() => out.extend_from_slice(n.to_string().as_bytes()),
        Value::Number(n) => return Err(format!("number {n} is not an integer")),
        Value::String(s) => write_string(s, out)?,
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(key, out)?;
                out.push(b':');
                write_canonical(item, out)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

/// serde_json's string escaping is fixed (quotes, backslash, control characters; everything else as
/// UTF-8), so it is canonical.
fn write_string(s: &str, out: &mut Vec<u8>) -> Result<(), String> {
    serde_json::to_writer(&mut *out, s).map_err(|e| e.to_string())
}

/// Content names and site paths: relative, `/`-separated segments of ASCII letters, digits, `.`, `_`, `-`,
/// no empty, `.` or `..` segment, at most 200 bytes. Nothing a server or a file system could read as
/// "somewhere else".
pub fn valid_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 200
        && path.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        })
}

/// An expiry instant as Asia/Shanghai local time, the time the app's [`crate::Clock`] gives.
pub fn local(t: &DateTime<FixedOffset>) -> NaiveDateTime {
    t.with_timezone(&Shanghai).naive_local()
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha256(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// Lowercase or uppercase hex to bytes; `None` for anything else.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = s.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes.chunks(2).map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_and_drops_whitespace() {
        let a: Value =
            serde_json::from_str(r#"{ "b": [1, {"y": true, "x": null}], "a": "企业\n\"" , "é": -3 }"#).unwrap();
        let b = json!({"é": -3, "a": "企业\n\"", "b": [1, {"x": null, "y": true}]});
        let text = canonical(&a).unwrap();
        assert_eq!(text, canonical(&b).unwrap());
        assert_eq!(String::from_utf8(text).unwrap(), r#"{"a":"企业\n\"","b":[1,{"x":null,"y":true}],"é":-3}"#);
        assert!(canonical(&json!({"x": 1.5})).is_err(), "floats have no canonical spelling");
        assert_eq!(canonical(&json!(u64::MAX)).unwrap(), u64::MAX.to_string().into_bytes());
    }

    #[test]
    fn the_role_is_part_of_what_is_signed() {
        assert_ne!(signing_message(Role::Root, b"{}"), signing_message(Role::Manifest, b"{}"));
        assert!(signing_message(Role::Manifest, b"{}").starts_with(b"zhuanshu-feed/2 manifest\n"));
        assert_ne!(signing_message(Role::Timestamp, b"{}"), signing_message(Role::Manifest, b"{}"));
    }

    #[test]
    fn a_duplicated_key_is_refused_at_any_depth() {
        let ok = parse_strict(br#"{"a": [1, {"b": "x", "c": null}], "d": true, "e": -1}"#).unwrap();
        assert_eq!(
            ok,
            serde_json::from_str::<Value>(r#"{"a": [1, {"b": "x", "c": null}], "d": true, "e": -1}"#).unwrap()
        );
        for bad in [&br#"{"version": 1, "version": 9}"#[..], br#"{"a": {"k": 1, "k": 1}}"#, br#"[{"x": 1, "x": 2}]"#] {
            let err = parse_strict(bad).unwrap_err();
            assert!(err.contains("duplicate key"), "{err}");
        }
        assert!(parse_strict(b"{} x").is_err(), "trailing data");
    }

    /// The hand-written readers against serde's derive: the same document or the same error, for each
    /// document, its array form, and every variation with one thing wrong (a field missing, of another
    /// type, out of range, at any depth; the array too short or too long).
    #[test]
    fn documents_are_read_as_serde_reads_them() {
        fn agree<T: serde::de::DeserializeOwned + Serialize>(v: &Value, read: fn(&Value) -> Result<T, String>) {
            let ours = read(v).map(|x| serde_json::to_value(x).unwrap());
            let serde = serde_json::from_value::<T>(v.clone()).map_err(|e| e.to_string());
            assert_eq!(ours, serde.map(|x| serde_json::to_value(x).unwrap()), "{v}");
        }
        fn variations(v: &Value) -> Vec<Value> {
            let junk = [
                json!(null),
                json!(true),
                json!(-1),
                json!(1.5),
                json!(4_294_967_296u64),
                json!("x"),
                json!([]),
                json!({}),
            ];
            let mut out = Vec::new();
            match v {
                Value::Object(map) => {
                    let mut extra = map.clone();
                    extra.insert("unknown".into(), json!(1));
                    out.push(Value::Object(extra));
                    for (key, item) in map {
                        let mut without = map.clone();
                        without.remove(key);
                        out.push(Value::Object(without));
                        for other in junk.iter().cloned().chain(variations(item)) {
                            let mut changed = map.clone();
                            changed.insert(key.clone(), other);
                            out.push(Value::Object(changed));
                        }
                    }
                }
                Value::Array(items) => {
                    out.push(Value::Array(items[..items.len().saturating_sub(1)].to_vec()));
                    out.push(Value::Array([items.clone(), vec![json!(0)]].concat()));
                    for (i, item) in items.iter().enumerate() {
                        for other in junk.iter().cloned().chain(variations(item)) {
                            let mut changed = items.clone();
                            changed[i] = other;
                            out.push(Value::Array(changed));
                        }
                    }
                }
                _ => {}
            }
            out
        }
        /// `v`'s fields in declaration order, as an array.
        fn array_form(v: &Value, order: &[&str]) -> Value {
            Value::Array(order.iter().map(|k| v[*k].clone()).collect())
        }
        fn check<T: serde::de::DeserializeOwned + Serialize>(
            v: Value,
            order: &[&str],
            read: fn(&Value) -> Result<T, String>,
        ) {
            assert!(read(&v).is_ok(), "{v}");
            let array = array_form(&v, order);
            for doc in [v.clone(), array.clone()].into_iter().chain(variations(&v)).chain(variations(&array)) {
                agree(&doc, read);
            }
        }
        let threshold = json!({"keyids": ["k1", "k2"], "threshold": 1});
        let root = json!({
            "_type": "root", "spec": 2, "version": 3, "expires": "2030-01-01T00:00:00+08:00",
            "keys": {"k1": {"type": "ed25519", "public": "ab"}, "k2": {"type": "ed25519", "public": "cd"}},
            "root": threshold, "manifest": threshold, "timestamp": {"keyids": ["k2"], "threshold": 1},
        });
        let order = ["_type", "spec", "version", "expires", "keys", "root", "manifest", "timestamp"];
        check(root.clone(), &order, Root::read);
        let manifest = json!({
            "_type": "manifest", "spec": 2, "version": 7, "expires": "2027-01-01T00:00:00Z", "root_version": 3,
            "files": {"a.json": {"sha256": "00", "length": 12, "path": "files/00"}, "b.json": ["11", 0, "files/11"]},
        });
        check(manifest, &["_type", "spec", "version", "expires", "root_version", "files"], Manifest::read);
        let timestamp = json!({
            "_type": "timestamp", "spec": 2, "version": 9, "expires": "2026-11-24T00:00:00+08:00",
            "root_version": 3, "manifest": {"version": 7, "sha256": "ff", "length": 100},
        });
        check(timestamp, &["_type", "spec", "version", "expires", "root_version", "manifest"], Timestamp::read);
        let signatures = json!([{"keyid": "k1", "sig": "00"}, {"keyid": "k2", "sig": "11"}]);
        check(json!({"signed": root, "signatures": signatures}), &["signed", "signatures"], Signed::read);
        check(json!({"signatures": signatures}), &["signatures"], SignatureFile::read);
    }

    #[test]
    fn paths_cannot_leave_the_site() {
        for ok in ["faq.jsonl", "holidays/2027.json", "files/ab12", "guide.json"] {
            assert!(valid_path(ok), "{ok}");
        }
        for bad in ["", "/etc/passwd", "../x", "a/../b", "a//b", "a/./b", "http://x", "a\\b", "名.json", "a?b", "a b"]
        {
            assert!(!valid_path(bad), "{bad}");
        }
        assert!(!valid_path(&"a".repeat(201)));
    }

    #[test]
    fn hex_round_trips_and_refuses_junk() {
        assert_eq!(hex(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(unhex("00ABff"), Some(vec![0, 0xab, 0xff]));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "FIPS 180-2 test vector"
        );
    }
}
