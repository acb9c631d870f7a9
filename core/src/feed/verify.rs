//! Every check a feed update must pass, as pure functions of bytes, the trusted root and "now".
//!
//! Nothing here does I/O, so each attack of The Update Framework's model is a unit test: a forged or
//! unknown-key signature, too few signatures, a rollback, a freeze (expired timestamp or manifest), a
//! manifest other than the one the timestamp names, a tampered, mixed-up, endless or truncated file, and a
//! key rotation that the old keys did not sign.

use chrono::NaiveDateTime;
use serde_json::Value;

pub use crate::error::Rejection;

use super::format::{
    FileEntry, Manifest, Role, Root, SPEC, SignatureFile, Signed, Timestamp, canonical, local, parse_strict,
    sha256_hex, signing_message, unhex, valid_path,
};

/// Sizes the client never reads past. Content files are capped by their manifest length (and this cap).
pub mod caps {
    /// A root is a handful of keys.
    pub const ROOT: u64 = 64 * 1024;
    /// A timestamp is a few hundred bytes; it is fetched on every sync, so it is kept small.
    pub const TIMESTAMP: u64 = 16 * 1024;
    pub const SIGNATURES: u64 = 64 * 1024;
    pub const MANIFEST: u64 = 1024 * 1024;
    /// One content file (the FAQ base is ~0.3 MB today).
    pub const FILE: u64 = 32 * 1024 * 1024;
    /// All content files together.
    pub const TOTAL: u64 = 128 * 1024 * 1024;
    pub const FILES: usize = 4096;
    /// Root versions walked in one sync; a manifest naming a root far ahead is refused, not followed.
    pub const ROTATIONS: u64 = 64;
}

fn malformed(file: &str, detail: impl Into<String>) -> Rejection {
    Rejection::Malformed { file: file.to_owned(), detail: detail.into() }
}

/// A document of `file` from its JSON value (see `format::read`).
fn parse<T>(file: &str, value: &Value, read: fn(&Value) -> Result<T, String>) -> Result<T, Rejection> {
    read(value).map_err(|e| malformed(file, e))
}

/// Every feed document is read strictly: a duplicated key anywhere is malformed.
fn parse_bytes(file: &str, bytes: &[u8]) -> Result<Value, Rejection> {
    parse_strict(bytes).map_err(|e| malformed(file, e))
}

/// The canonical form of a signed document, checked for its type and spec before anything else is read.
fn signed_canonical(file: &str, value: &Value, kind: &str) -> Result<Vec<u8>, Rejection> {
    let object = value.as_object().ok_or_else(|| malformed(file, "not a JSON object"))?;
    if object.get("_type").and_then(Value::as_str) != Some(kind) {
        return Err(malformed(file, format!("_type is not {kind:?}")));
    }
    match object.get("spec").and_then(Value::as_u64) {
        Some(spec) if spec == u64::from(SPEC) => {}
        Some(spec) if spec > u64::from(SPEC) => {
            return Err(malformed(file, format!("format spec {spec} is newer than {SPEC}: update the app")));
        }
        Some(spec) => {
            return Err(malformed(file, format!("format spec {spec} is older than {SPEC}: republish the site")));
        }
        None => return Err(malformed(file, "no spec")),
    }
    canonical(value).map_err(|e| malformed(file, e))
}

/// Checks a root's own consistency: key ids are the hashes of their keys, roles name known keys, thresholds
/// are reachable, versions fit SQLite's integers.
fn check_root(file: &str, root: &Root) -> Result<(), Rejection> {
    if root.version == 0 || root.version > i64::MAX as u64 {
        return Err(malformed(file, "version out of range"));
    }
    for (id, key) in &root.keys {
        if key.kind != "ed25519" {
            return Err(malformed(file, format!("key {id}: unsupported type {:?}", key.kind)));
        }
        match unhex(&key.public) {
            Some(raw) if raw.len() == 32 => {}
            _ => return Err(malformed(file, format!("key {id}: not a 32-byte hex key"))),
        }
        if key.id().as_deref() != Some(id.as_str()) {
            return Err(malformed(file, format!("key id {id} is not the SHA-256 of its key")));
        }
    }
    for role in [Role::Root, Role::Manifest, Role::Timestamp] {
        let t = root.role(role);
        if t.keyids.iter().enumerate().any(|(i, id)| t.keyids[..i].contains(id)) {
            return Err(malformed(file, format!("{role}: a key is listed twice")));
        }
        if let Some(missing) = t.keyids.iter().find(|id| !root.keys.contains_key(*id)) {
            return Err(malformed(file, format!("{role}: key {missing} is not in keys")));
        }
        if t.threshold == 0 || t.threshold as usize > t.keyids.len() {
            return Err(malformed(file, format!("{role}: threshold {} of {} keys", t.threshold, t.keyids.len())));
        }
    }
    Ok(())
}

/// Counts the distinct keys of `role` in `root` that signed `message`, and fails unless they reach the
/// role's threshold. A failure names the most telling cause: a bad signature by a trusted key beats an
/// unknown key, which beats "too few".
fn check_signatures(
    root: &Root,
    role: Role,
    message: &[u8],
    signatures: &[super::format::Signature],
) -> Result<(), Rejection> {
    let trusted = root.role(role);
    // The distinct key ids with a valid signature (a short list; no set type for the first screen's module).
    let mut valid: Vec<&str> = Vec::new();
    let mut bad = None;
    let mut unknown = None;
    for s in signatures {
        let key = trusted.keyids.contains(&s.keyid).then(|| root.keys.get(&s.keyid)).flatten();
        let Some(key) = key else {
            unknown.get_or_insert_with(|| s.keyid.clone());
            continue;
        };
        let verified = match (unhex(&key.public), unhex(&s.sig)) {
            (Some(public), Some(sig)) => {
                ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, public).verify(message, &sig).is_ok()
            }
            _ => false,
        };
        if verified {
            if !valid.contains(&s.keyid.as_str()) {
                valid.push(&s.keyid);
            }
        } else {
            bad.get_or_insert_with(|| s.keyid.clone());
        }
    }
    let needed = trusted.threshold as usize;
    if valid.len() >= needed {
        return Ok(());
    }
    Err(match (bad, unknown) {
        (Some(keyid), _) => Rejection::BadSignature { role, keyid },
        (None, Some(keyid)) if valid.is_empty() => Rejection::UnknownKey { role, keyid },
        _ => Rejection::Threshold { role, valid: valid.len(), needed },
    })
}

/// A root's signed body, its signing message and signatures.
fn read_root(file: &str, bytes: &[u8]) -> Result<(Root, Vec<u8>, Signed), Rejection> {
    let signed = parse(file, &parse_bytes(file, bytes)?, Signed::read)?;
    let message = signing_message(Role::Root, &signed_canonical(file, &signed.signed, "root")?);
    let root = parse(file, &signed.signed, Root::read)?;
    check_root(file, &root)?;
    Ok((root, message, signed))
}

/// A root trusted because the app ships it (the pinned, embedded root): it must still be well formed and
/// signed by a threshold of its own root keys, which catches a mistake before a release.
pub fn verify_pinned_root(bytes: &[u8]) -> Result<Root, Rejection> {
    let (root, message, signed) = read_root("root.json", bytes)?;
    check_signatures(&root, Role::Root, &message, &signed.signatures)?;
    Ok(root)
}

/// Key rotation: root `trusted.version + 1`, accepted only when a threshold of the *trusted* root's root
/// keys signed it (the old keys vouch for the new ones) and a threshold of its own root keys did too (the
/// new keys are really held).
pub fn verify_rotation(trusted: &Root, file: &str, bytes: &[u8]) -> Result<Root, Rejection> {
    let (root, message, signed) = read_root(file, bytes)?;
    if root.version != trusted.version + 1 {
        return Err(Rejection::UntrustedRoot {
            version: root.version,
            detail: format!("expected version {}", trusted.version + 1),
        });
    }
    let untrusted =
        |by: &str, e: Rejection| Rejection::UntrustedRoot { version: root.version, detail: format!("{by}: {e}") };
    check_signatures(trusted, Role::Root, &message, &signed.signatures).map_err(|e| untrusted("old keys", e))?;
    check_signatures(&root, Role::Root, &message, &signed.signatures).map_err(|e| untrusted("new keys", e))?;
    Ok(root)
}

/// A run of root documents, each the rotation of the one before, starting from `trusted`: what a device
/// that stored them re-checks on every load, from the root its binary pins.
pub fn verify_chain<'a>(trusted: &Root, docs: impl IntoIterator<Item = (u64, &'a [u8])>) -> Result<Root, Rejection> {
    let mut root = trusted.clone();
    for (version, bytes) in docs {
        root = verify_rotation(&root, &super::format::root_path(version), bytes)?;
    }
    Ok(root)
}

/// Whether going from `old` to `new` replaced the keys of the online roles (manifest or timestamp). As in
/// TUF, the version floors of both documents then start again: a leaked key that signed version
/// `i64::MAX` would otherwise stop every later update for good, new keys or not.
pub fn online_keys_rotated(old: &Root, new: &Root) -> bool {
    [Role::Manifest, Role::Timestamp].into_iter().any(|role| {
        // The same set of ids, order and repetition aside (compared by hand: a few ids, and no set type of
        // its own in the web app's first-screen module).
        let (a, b) = (&old.role(role).keyids, &new.role(role).keyids);
        !(a.iter().all(|id| b.contains(id)) && b.iter().all(|id| a.contains(id)))
    })
}

/// The `root_version` a timestamp claims, read before its signatures can be checked (it says which root
/// checks them). Nothing else of an unverified timestamp is used.
pub fn timestamp_root_version(bytes: &[u8]) -> Result<u64, Rejection> {
    let file = super::format::TIMESTAMP_FILE;
    let signed = parse(file, &parse_bytes(file, bytes)?, Signed::read)?;
    signed.signed.get("root_version").and_then(Value::as_u64).ok_or_else(|| malformed(file, "no root_version"))
}

/// A timestamp checked against `root`: signatures and threshold of the timestamp role, shape, root
/// version, and the manifest it names (a plausible hash and size). Expiry and rollback are
/// [`check_fresh_as`]. Returns the timestamp and its canonical form.
pub fn verify_timestamp(root: &Root, bytes: &[u8]) -> Result<(Timestamp, Vec<u8>), Rejection> {
    let file = super::format::TIMESTAMP_FILE;
    let signed = parse(file, &parse_bytes(file, bytes)?, Signed::read)?;
    let canonical = signed_canonical(file, &signed.signed, "timestamp")?;
    check_signatures(root, Role::Timestamp, &signing_message(Role::Timestamp, &canonical), &signed.signatures)?;
    let t = parse(file, &signed.signed, Timestamp::read)?;
    if t.root_version != root.version {
        return Err(malformed(file, format!("signed for root {}, trusted root is {}", t.root_version, root.version)));
    }
    for (what, v) in [("version", t.version), ("manifest version", t.manifest.version)] {
        if v == 0 || v > i64::MAX as u64 {
            return Err(malformed(file, format!("{what} out of range")));
        }
    }
    if t.manifest.sha256.len() != 64 || unhex(&t.manifest.sha256).is_none() {
        return Err(malformed(file, "bad manifest sha256"));
    }
    if t.manifest.length > caps::MANIFEST {
        return Err(Rejection::TooLarge { file: super::format::MANIFEST_FILE.to_owned(), cap: caps::MANIFEST });
    }
    Ok((t, canonical))
}

/// The manifest as downloaded against what the verified timestamp names. The body holds at most
/// `length + 1` bytes (the transport stops there).
pub fn check_manifest_bytes(t: &Timestamp, body: &[u8], truncated: bool) -> Result<(), Rejection> {
    let file = super::format::MANIFEST_FILE;
    let got = body.len() as u64;
    if got > t.manifest.length {
        return Err(Rejection::TooLarge { file: file.to_owned(), cap: t.manifest.length });
    }
    if truncated {
        return Err(Rejection::Truncated { file: file.to_owned(), got });
    }
    if got != t.manifest.length || sha256_hex(body) != t.manifest.sha256.to_ascii_lowercase() {
        return Err(Rejection::TimestampMismatch {
            detail: format!("the timestamp names {} bytes with sha256 {}", t.manifest.length, t.manifest.sha256),
        });
    }
    Ok(())
}

/// The verified manifest's version against the one the timestamp names (the hash matched, so only a
/// publisher's mistake gets here).
pub fn check_manifest_version(t: &Timestamp, m: &Manifest) -> Result<(), Rejection> {
    if m.version != t.manifest.version {
        return Err(Rejection::TimestampMismatch {
            detail: format!("manifest version {}, the timestamp names {}", m.version, t.manifest.version),
        });
    }
    Ok(())
}

/// The `root_version` a manifest claims, read before its signatures can be checked (it says which root
/// checks them). Nothing else of an unverified manifest is used.
pub fn manifest_root_version(bytes: &[u8]) -> Result<u64, Rejection> {
    let value = parse_bytes(super::format::MANIFEST_FILE, bytes)?;
    value
        .get("root_version")
        .and_then(Value::as_u64)
        .ok_or_else(|| malformed(super::format::MANIFEST_FILE, "no root_version"))
}

/// A manifest and its detached signatures, checked against `root`: signatures and threshold, shape, root
/// version, names, paths and sizes. Freshness against what the device holds is [`check_fresh`].
/// Returns the manifest and its canonical form (what "same manifest" compares).
pub fn verify_manifest(root: &Root, manifest: &[u8], signatures: &[u8]) -> Result<(Manifest, Vec<u8>), Rejection> {
    let file = super::format::MANIFEST_FILE;
    let value = parse_bytes(file, manifest)?;
    let canonical = signed_canonical(file, &value, "manifest")?;
    let sigs = parse_bytes(super::format::SIGNATURE_FILE, signatures)?;
    let sigs = parse(super::format::SIGNATURE_FILE, &sigs, SignatureFile::read)?;
    check_signatures(root, Role::Manifest, &signing_message(Role::Manifest, &canonical), &sigs.signatures)?;
    let m = parse(file, &value, Manifest::read)?;
    if m.root_version != root.version {
        return Err(malformed(file, format!("signed for root {}, trusted root is {}", m.root_version, root.version)));
    }
    if m.version == 0 || m.version > i64::MAX as u64 {
        return Err(malformed(file, "version out of range"));
    }
    if m.files.len() > caps::FILES {
        return Err(malformed(file, format!("{} files, at most {}", m.files.len(), caps::FILES)));
    }
    let mut total = 0u64;
    for (name, entry) in &m.files {
        if !valid_path(name) || !valid_path(&entry.path) {
            return Err(malformed(file, format!("bad file name or path: {name:?} -> {:?}", entry.path)));
        }
        if entry.sha256.len() != 64 || unhex(&entry.sha256).is_none() {
            return Err(malformed(file, format!("{name}: bad sha256")));
        }
        if entry.length > caps::FILE {
            return Err(Rejection::TooLarge { file: name.clone(), cap: caps::FILE });
        }
        total = total.saturating_add(entry.length);
    }
    if total > caps::TOTAL {
        return Err(Rejection::TooLarge { file: file.to_owned(), cap: caps::TOTAL });
    }
    Ok((m, canonical))
}

/// Whether `expires` has passed at `now` (both compared as Asia/Shanghai time).
pub fn check_expiry(
    role: Role,
    expires: &chrono::DateTime<chrono::FixedOffset>,
    now: NaiveDateTime,
) -> Result<(), Rejection> {
    let expires = local(expires);
    if expires <= now { Err(Rejection::Expired { role, expires, now }) } else { Ok(()) }
}

/// What a verified manifest means for a device holding version `held` (canonical form `held_canonical`):
/// `Ok(true)` is new content, `Ok(false)` the same manifest again; rollbacks, reuse and expiry fail.
pub fn check_fresh(
    m: &Manifest,
    canonical: &[u8],
    held: u64,
    held_canonical: Option<&[u8]>,
    now: NaiveDateTime,
) -> Result<bool, Rejection> {
    check_fresh_as(Role::Manifest, m.version, &m.expires, canonical, held, held_canonical, now)
}

/// [`check_fresh`] for any versioned document of `role` (the manifest, the timestamp).
pub fn check_fresh_as(
    role: Role,
    version: u64,
    expires: &chrono::DateTime<chrono::FixedOffset>,
    canonical: &[u8],
    held: u64,
    held_canonical: Option<&[u8]>,
    now: NaiveDateTime,
) -> Result<bool, Rejection> {
    if version < held {
        return Err(Rejection::Rollback { role, held, offered: version });
    }
    if version == held && held_canonical != Some(canonical) {
        return Err(Rejection::VersionReused { role, version: held });
    }
    check_expiry(role, expires, now)?;
    Ok(version > held)
}

/// One downloaded content file against its manifest entry. `truncated`: the transport saw the connection
/// end early. The body holds at most `length + 1` bytes (the transport stops there).
pub fn verify_file(name: &str, entry: &FileEntry, body: &[u8], truncated: bool) -> Result<(), Rejection> {
    let got = body.len() as u64;
    if got > entry.length {
        return Err(Rejection::TooLarge { file: name.to_owned(), cap: entry.length });
    }
    if truncated {
        return Err(Rejection::Truncated { file: name.to_owned(), got });
    }
    if got < entry.length {
        return Err(Rejection::LengthMismatch { file: name.to_owned(), expected: entry.length, got });
    }
    if sha256_hex(body) != entry.sha256.to_ascii_lowercase() {
        return Err(Rejection::HashMismatch { file: name.to_owned() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::publish::{self, SigningKey};
    use chrono::{DateTime, Duration};
    use std::collections::BTreeMap;

    fn key(n: u8) -> SigningKey {
        SigningKey::from_seed(&[n; 32])
    }

    fn at(s: &str) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn now() -> NaiveDateTime {
        "2026-11-22T09:00:00".parse().unwrap()
    }

    /// A root whose manifest keys also sign timestamps.
    fn root(version: u64, root_keys: &[&SigningKey], manifest_keys: &[&SigningKey], threshold: u32) -> Root {
        let expires = at("2030-01-01T00:00:00+08:00");
        publish::new_root(version, expires, root_keys, threshold, manifest_keys, threshold, manifest_keys, threshold)
    }

    fn content() -> BTreeMap<String, Vec<u8>> {
        BTreeMap::from([("policies.json".to_owned(), br#"{"version":1,"policies":[]}"#.to_vec())])
    }

    fn manifest(version: u64, root_version: u64, expires: &str) -> (Vec<u8>, Manifest) {
        let built = publish::build(&content(), version, at(expires), root_version, &crate::content::checks()).unwrap();
        let m = serde_json::from_slice(&built.manifest).unwrap();
        (built.manifest, m)
    }

    #[test]
    fn a_manifest_needs_a_threshold_of_trusted_signatures() {
        let (a, b, stranger) = (key(1), key(2), key(3));
        let r = root(1, &[&a], &[&a, &b], 2);
        let (bytes, _) = manifest(1, 1, "2027-01-01T00:00:00+08:00");
        let sig = |keys: &[&SigningKey]| publish::sign_manifest(&bytes, None, keys).unwrap();

        assert!(verify_manifest(&r, &bytes, &sig(&[&a, &b])).is_ok());
        // One key counted once, however often it signs.
        let twice = publish::sign_manifest(&bytes, Some(&sig(&[&a])), &[&a]).unwrap();
        assert_eq!(
            verify_manifest(&r, &bytes, &twice).unwrap_err(),
            Rejection::Threshold { role: Role::Manifest, valid: 1, needed: 2 }
        );
        assert!(matches!(verify_manifest(&r, &bytes, &sig(&[&stranger])), Err(Rejection::UnknownKey { .. })));
        // A trusted key's signature over other bytes.
        let other = manifest(2, 1, "2027-01-01T00:00:00+08:00").0;
        let forged = publish::sign_manifest(&other, None, &[&a, &b]).unwrap();
        assert!(matches!(verify_manifest(&r, &bytes, &forged), Err(Rejection::BadSignature { .. })));
        // Re-indenting the manifest keeps the signature valid (canonical JSON).
        let pretty = serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&bytes).unwrap()).unwrap();
        assert!(verify_manifest(&r, &pretty, &sig(&[&a, &b])).is_ok());
    }

    #[test]
    fn a_root_signature_cannot_pass_as_a_manifest_signature() {
        let a = key(1);
        let r = root(1, &[&a], &[&a], 1);
        let (bytes, _) = manifest(1, 1, "2027-01-01T00:00:00+08:00");
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        let as_root = a.sign(&signing_message(Role::Root, &canonical(&value).unwrap()));
        let sigs = serde_json::to_vec(&SignatureFile { signatures: vec![as_root] }).unwrap();
        assert!(matches!(verify_manifest(&r, &bytes, &sigs), Err(Rejection::BadSignature { .. })));
    }

    #[test]
    fn freshness_rollback_reuse_and_freeze() {
        let (_, m) = manifest(5, 1, "2027-01-01T00:00:00+08:00");
        let c = canonical(&serde_json::to_value(&m).unwrap()).unwrap();
        assert_eq!(check_fresh(&m, &c, 4, None, now()), Ok(true));
        assert_eq!(check_fresh(&m, &c, 5, Some(&c), now()), Ok(false));
        assert_eq!(
            check_fresh(&m, &c, 6, None, now()),
            Err(Rejection::Rollback { role: Role::Manifest, held: 6, offered: 5 })
        );
        assert!(matches!(check_fresh(&m, &c, 5, Some(b"{}"), now()), Err(Rejection::VersionReused { .. })));
        let later = "2027-01-01T00:00:00".parse::<NaiveDateTime>().unwrap();
        assert!(matches!(check_fresh(&m, &c, 4, None, later), Err(Rejection::Expired { .. })));
        assert!(check_fresh(&m, &c, 4, None, later - Duration::seconds(1)).is_ok());
        // Expiry is an instant: 00:00 UTC is 08:00 in Shanghai.
        let (_, utc) = manifest(5, 1, "2026-11-22T00:00:00Z");
        assert!(check_expiry(Role::Manifest, &utc.expires, "2026-11-22T07:59:59".parse().unwrap()).is_ok());
        assert!(check_expiry(Role::Manifest, &utc.expires, "2026-11-22T08:00:00".parse().unwrap()).is_err());
    }

    #[test]
    fn files_are_checked_for_length_then_hash() {
        let body = b"hello".to_vec();
        let entry = FileEntry { sha256: sha256_hex(&body), length: 5, path: "files/x".into() };
        assert_eq!(verify_file("a", &entry, &body, false), Ok(()));
        assert!(matches!(verify_file("a", &entry, b"hellox", false), Err(Rejection::TooLarge { cap: 5, .. })));
        assert!(matches!(verify_file("a", &entry, b"hel", true), Err(Rejection::Truncated { got: 3, .. })));
        assert!(matches!(verify_file("a", &entry, b"hel", false), Err(Rejection::LengthMismatch { got: 3, .. })));
        assert!(matches!(verify_file("a", &entry, b"jello", false), Err(Rejection::HashMismatch { .. })));
    }

    #[test]
    fn rotation_needs_the_old_keys_and_the_new_ones() {
        let (old, new) = (key(1), key(2));
        let r1 = root(1, &[&old], &[&old], 1);
        let r2 = root(2, &[&new], &[&new], 1);
        let signed = |keys: &[&SigningKey]| publish::sign_root(&r2, keys).unwrap();
        assert_eq!(verify_rotation(&r1, "roots/2.json", &signed(&[&old, &new])).unwrap(), r2);
        for keys in [&[&new][..], &[&old][..]] {
            assert!(matches!(
                verify_rotation(&r1, "roots/2.json", &signed(keys)),
                Err(Rejection::UntrustedRoot { version: 2, .. })
            ));
        }
        // Skipping a version is not a rotation.
        let r3 = root(3, &[&new], &[&new], 1);
        let skipped = publish::sign_root(&r3, &[&old, &new]).unwrap();
        assert!(matches!(verify_rotation(&r1, "roots/3.json", &skipped), Err(Rejection::UntrustedRoot { .. })));
    }

    #[test]
    fn a_root_must_be_consistent() {
        let a = key(1);
        let mut r = root(1, &[&a], &[&a], 1);
        r.manifest.threshold = 2;
        assert!(matches!(
            verify_pinned_root(&publish::sign_root(&r, &[&a]).unwrap()),
            Err(Rejection::Malformed { .. })
        ));
        let mut r = root(1, &[&a], &[&a], 1);
        let id = r.root.keyids[0].clone();
        let public = r.keys.remove(&id).unwrap();
        r.keys.insert("00".repeat(32), public);
        assert!(matches!(
            verify_pinned_root(&publish::sign_root(&r, &[&a]).unwrap()),
            Err(Rejection::Malformed { .. })
        ));
        let r = root(1, &[&a], &[&a], 1);
        assert_eq!(verify_pinned_root(&publish::sign_root(&r, &[&a]).unwrap()).unwrap(), r);
        assert!(matches!(
            verify_pinned_root(&publish::sign_root(&r, &[&key(9)]).unwrap()),
            Err(Rejection::UnknownKey { .. })
        ));
    }

    #[test]
    fn manifests_with_bad_names_or_sizes_are_refused() {
        let a = key(1);
        let r = root(1, &[&a], &[&a], 1);
        let (_, mut m) = manifest(1, 1, "2027-01-01T00:00:00+08:00");
        let entry = m.files.values().next().unwrap().clone();
        for (name, path, length) in [
            ("../etc/passwd", entry.path.as_str(), entry.length),
            ("ok.json", "/abs", entry.length),
            ("big.json", entry.path.as_str(), caps::FILE + 1),
        ] {
            m.files.insert(name.to_owned(), FileEntry { path: path.to_owned(), length, ..entry.clone() });
            let bytes = serde_json::to_vec(&m).unwrap();
            let sig = publish::sign_manifest(&bytes, None, &[&a]).unwrap();
            assert!(verify_manifest(&r, &bytes, &sig).is_err(), "{name}");
            m.files.remove(name);
        }
        let newer = serde_json::to_vec(&serde_json::json!({"_type": "manifest", "spec": SPEC + 1})).unwrap();
        let err = verify_manifest(&r, &newer, b"{\"signatures\":[]}").unwrap_err();
        assert!(err.to_string().contains("update the app"), "{err}");
        let older = serde_json::to_vec(&serde_json::json!({"_type": "manifest", "spec": SPEC - 1})).unwrap();
        let err = verify_manifest(&r, &older, b"{\"signatures\":[]}").unwrap_err();
        assert!(err.to_string().contains("republish"), "{err}");
    }

    /// An attacker cannot make a signed document say two things: with `"version"` twice, serde_json would
    /// read the last one, and the signature (over the canonical form of what serde_json read) would pass.
    #[test]
    fn a_signed_document_with_a_duplicated_key_is_refused() {
        let a = key(1);
        let r = root(1, &[&a], &[&a], 1);
        let (bytes, _) = manifest(3, 1, "2027-01-01T00:00:00+08:00");
        let sigs = publish::sign_manifest(&bytes, None, &[&a]).unwrap();
        assert!(verify_manifest(&r, &bytes, &sigs).is_ok());
        // The same signed manifest, with a second "version" in front that a first-key-wins reader believes.
        let text = String::from_utf8(bytes.clone()).unwrap();
        let doubled = text.replacen('{', "{\"version\": 999,", 1).into_bytes();
        let lenient: Value = serde_json::from_slice(&doubled).unwrap();
        assert_eq!(lenient["version"], 3, "serde_json keeps the last key: the signature still matches");
        let err = verify_manifest(&r, &doubled, &sigs).unwrap_err();
        assert!(matches!(&err, Rejection::Malformed { detail, .. } if detail.contains("duplicate key")), "{err}");
        // Inside the signature file and inside a root too.
        let sig_text = String::from_utf8(sigs.clone()).unwrap();
        let doubled_sigs = sig_text.replacen("\"signatures\"", "\"signatures\": [], \"signatures\"", 1);
        assert!(matches!(verify_manifest(&r, &bytes, doubled_sigs.as_bytes()), Err(Rejection::Malformed { .. })));
        let root_json = String::from_utf8(publish::sign_root(&r, &[&a]).unwrap()).unwrap();
        let doubled_root = root_json.replacen("\"version\": 1", "\"version\": 1, \"version\": 1", 1);
        assert!(verify_pinned_root(root_json.as_bytes()).is_ok());
        assert!(matches!(verify_pinned_root(doubled_root.as_bytes()), Err(Rejection::Malformed { .. })));
    }

    fn timestamp(manifest: &[u8], version: u64, expires: &str) -> Timestamp {
        publish::new_timestamp(manifest, version, at(expires), 1).unwrap()
    }

    #[test]
    fn a_timestamp_needs_the_timestamp_keys_and_names_one_manifest() {
        let (offline, online) = (key(1), key(2));
        let expires = at("2030-01-01T00:00:00+08:00");
        let r = publish::new_root(1, expires, &[&offline], 1, &[&offline], 1, &[&online], 1);
        let (bytes, m) = manifest(3, 1, "2027-01-01T00:00:00+08:00");
        let t = timestamp(&bytes, 7, "2026-11-24T00:00:00+08:00");
        let json = publish::sign_timestamp(&t, &[&online]).unwrap();
        let (verified, canonical) = verify_timestamp(&r, &json).unwrap();
        assert_eq!(verified, t);
        assert_eq!(timestamp_root_version(&json), Ok(1));
        // The offline manifest key cannot sign a timestamp, nor a timestamp signature pass as a manifest one.
        let by_manifest_key = publish::sign_timestamp(&t, &[&offline]).unwrap();
        assert!(matches!(verify_timestamp(&r, &by_manifest_key), Err(Rejection::UnknownKey { .. })));
        // The manifest it names, byte for byte.
        assert!(check_manifest_bytes(&t, &bytes, false).is_ok());
        check_manifest_version(&t, &m).unwrap();
        let (other, other_m) = manifest(4, 1, "2027-01-01T00:00:00+08:00");
        let err = check_manifest_bytes(&t, &other, false).unwrap_err();
        assert_eq!(err.code(), "feed_timestamp_mismatch");
        assert!(err.user_message().contains("继续使用现有内容"), "{}", err.user_message());
        assert!(matches!(check_manifest_version(&t, &other_m), Err(Rejection::TimestampMismatch { .. })));
        let mut longer = bytes.clone();
        longer.push(b' ');
        assert!(matches!(check_manifest_bytes(&t, &longer, false), Err(Rejection::TooLarge { .. })));
        assert!(matches!(check_manifest_bytes(&t, &bytes[..10], true), Err(Rejection::Truncated { .. })));

        // Freshness: the timestamp's own short expiry (a freeze), rollback and reuse of its version.
        let fresh = |held: u64, held_c: Option<&[u8]>, now: &str| {
            check_fresh_as(Role::Timestamp, t.version, &t.expires, &canonical, held, held_c, now.parse().unwrap())
        };
        assert_eq!(fresh(6, None, "2026-11-22T09:00:00"), Ok(true));
        assert_eq!(fresh(7, Some(&canonical), "2026-11-22T09:00:00"), Ok(false));
        let frozen = fresh(7, Some(&canonical), "2026-11-24T00:00:00").unwrap_err();
        assert!(matches!(frozen, Rejection::Expired { role: Role::Timestamp, .. }));
        assert!(frozen.user_message().contains("内容更新已过期"), "{}", frozen.user_message());
        assert!(frozen.to_string().contains("not fresh"), "{frozen}");
        assert_eq!(
            fresh(8, None, "2026-11-22T09:00:00"),
            Err(Rejection::Rollback { role: Role::Timestamp, held: 8, offered: 7 })
        );
        assert!(matches!(fresh(7, Some(b"{}"), "2026-11-22T09:00:00"), Err(Rejection::VersionReused { .. })));
    }

    #[test]
    fn replacing_the_online_keys_is_a_rotation_of_the_version_floors() {
        let (a, b) = (key(1), key(2));
        let r1 = root(1, &[&a], &[&a], 1);
        let expires = at("2030-01-01T00:00:00+08:00");
        let same_online = publish::new_root(2, expires, &[&b], 1, &[&a], 1, &[&a], 1);
        assert!(!online_keys_rotated(&r1, &same_online), "only the root keys changed");
        let new_manifest = publish::new_root(2, expires, &[&a], 1, &[&b], 1, &[&a], 1);
        let new_timestamp = publish::new_root(2, expires, &[&a], 1, &[&a], 1, &[&b], 1);
        assert!(online_keys_rotated(&r1, &new_manifest) && online_keys_rotated(&r1, &new_timestamp));
        let r2 = publish::sign_root(&new_manifest, &[&a]).unwrap();
        assert_eq!(verify_chain(&r1, [(2, r2.as_slice())]).unwrap(), new_manifest);
        let forged = publish::sign_root(&new_manifest, &[&b]).unwrap();
        assert!(matches!(verify_chain(&r1, [(2, forged.as_slice())]), Err(Rejection::UntrustedRoot { .. })));
    }
}
