//! The key hierarchy of the vault.
//!
//! ```text
//! PIN ──PBKDF2-HMAC-SHA256 (600,000×, random salt)─┐
//! DeviceSecret (HMAC under a non-exportable key) ──┴HKDF─▶ KEK ─┐
//! KeyProvider (Android Keystore / iOS Keychain) ───────────┼─wraps─▶ data key (random 256 bits)
//! recovery key (144 random bits, written down) ──HKDF────▶ KEK ─┘        │
//!                                                                         ├─wraps─▶ one key per document
//!                                                                         ├─seals─▶ sensitive columns
//!                                                                         └─seals─▶ enterprise seal private keys
//! ```
//!
//! Why this shape: changing the PIN (or adding a platform key) rewraps 32 bytes and re-encrypts nothing;
//! a new recovery key (the old one was seen or lost) rotates the data key itself, which rewraps the
//! document keys, sealed fields and seal keys but no document; each document has its own key, so deleting
//! a document deletes its key and a leaked document key opens one document only.
//!
//! Why the device secret: six digits are a million guesses. Without it, a copy of the database is
//! attacked offline, where no lockout applies: about 41 CPU-core-hours for the whole space at 600,000
//! PBKDF2 iterations, minutes on a GPU. Mixed into the PIN's key, a value only this device's key store
//! can compute makes every guess need the device (and so its lockout). What each platform's key store
//! does and does not protect is said where the platform implements [`DeviceSecret`]. Every wrapping is
//! AES-256-GCM with a random nonce and a label in the associated data, so a wrapping cannot be moved
//! into another role.

use std::num::NonZeroU32;

use ring::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use ring::{digest, hkdf, pbkdf2};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

pub const KEY_LEN: usize = 32;
/// OWASP's 2023 figure for PBKDF2-HMAC-SHA256. Stored with each wrapping, so it can be raised later:
/// an unlock with a wrapping made at fewer iterations rewraps it at this count.
pub const PIN_ITERATIONS: u32 = 600_000;
pub const SALT_LEN: usize = 16;
/// A PIN or passphrase: at least six characters (a six-digit PIN is the usual choice), at most 128.
pub const PIN_MIN_CHARS: usize = 6;
pub const PIN_MAX_CHARS: usize = 128;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
/// First byte of every sealed value, so the layout can change later without guessing.
const SEALED_V1: u8 = 1;

/// A 256-bit secret key, wiped from memory when dropped.
pub struct SecretKey([u8; KEY_LEN]);

impl SecretKey {
    /// A fresh key from the system's secure random generator.
    pub fn generate() -> Result<SecretKey> {
        let mut bytes = [0u8; KEY_LEN];
        fill_random(&mut bytes)?;
        Ok(SecretKey(bytes))
    }

    /// A key from exactly 32 bytes (e.g. what a [`KeyProvider`] unwrapped).
    pub fn from_slice(bytes: &[u8]) -> Result<SecretKey> {
        let array: [u8; KEY_LEN] = bytes
            .try_into()
            .map_err(|_| Error::Corrupt(format!("a key must be {KEY_LEN} bytes, got {}", bytes.len())))?;
        Ok(SecretKey(array))
    }

    pub(crate) fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    pub(crate) fn duplicate(&self) -> SecretKey {
        SecretKey(self.0)
    }

    pub(crate) fn aead(&self) -> Result<LessSafeKey> {
        let unbound = UnboundKey::new(&aead::AES_256_GCM, &self.0)
            .map_err(|_| Error::Internal("AES-256-GCM rejected a 32-byte key".into()))?;
        Ok(LessSafeKey::new(unbound))
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// Overwrites `bytes` with zeros in a way the optimiser may not remove.
pub(crate) fn wipe(bytes: &mut [u8]) {
    for b in bytes.iter_mut() {
        // SAFETY: `b` is a valid, aligned, exclusive reference to one byte.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

pub(crate) fn fill_random(buf: &mut [u8]) -> Result<()> {
    SystemRandom::new().fill(buf).map_err(|_| Error::Internal("the system random generator failed".into()))
}

pub(crate) fn random_array<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    fill_random(&mut out)?;
    Ok(out)
}

/// AES-256-GCM with a random nonce: `01 ‖ nonce (12) ‖ ciphertext ‖ tag (16)`. `aad` says what the
/// value is and where it belongs, so it cannot be moved elsewhere.
pub(crate) fn seal(key: &SecretKey, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let nonce: [u8; NONCE_LEN] = random_array()?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + plaintext.len() + TAG_LEN);
    out.push(SEALED_V1);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plaintext);
    let tag = key
        .aead()?
        .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad), &mut out[1 + NONCE_LEN..])
        .map_err(|_| Error::Internal("AES-GCM seal failed".into()))?;
    out.extend_from_slice(tag.as_ref());
    Ok(out)
}

/// Opens what [`seal`] produced with the same key and `aad`; `None` if anything differs.
pub(crate) fn open(key: &SecretKey, aad: &[u8], sealed: &[u8]) -> Result<Option<Vec<u8>>> {
    if sealed.len() < 1 + NONCE_LEN + TAG_LEN || sealed[0] != SEALED_V1 {
        return Ok(None);
    }
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&sealed[1..1 + NONCE_LEN]);
    let mut buf = sealed[1 + NONCE_LEN..].to_vec();
    let aead = key.aead()?;
    match aead.open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(aad), &mut buf) {
        Ok(plain) => {
            let len = plain.len();
            buf.truncate(len);
            Ok(Some(buf))
        }
        Err(_) => {
            wipe(&mut buf);
            Ok(None)
        }
    }
}

/// Unwraps a wrapped key; `None` when the wrapping key is wrong (or the wrapping was changed).
pub(crate) fn unwrap_key(kek: &SecretKey, aad: &[u8], wrapped: &[u8]) -> Result<Option<SecretKey>> {
    match open(kek, aad, wrapped)? {
        Some(mut bytes) => {
            let key = SecretKey::from_slice(&bytes);
            wipe(&mut bytes);
            key.map(Some)
        }
        None => Ok(None),
    }
}

// ---- PIN ----

/// The PIN as it is fed to PBKDF2: NFKC, so full-width digits typed with a Chinese input method
/// (１２３４５６) are the same PIN as 123456.
fn normalize_pin(pin: &str) -> String {
    pin.nfkc().collect()
}

/// Checks a new PIN; the message says what is wrong in Chinese.
pub fn check_new_pin(pin: &str) -> Result<()> {
    let pin = normalize_pin(pin);
    let count = pin.chars().count();
    if count < PIN_MIN_CHARS {
        return Err(Error::invalid(
            "pin",
            format!("PIN 码至少 {PIN_MIN_CHARS} 位"),
            format!("a PIN needs at least {PIN_MIN_CHARS} characters, got {count}"),
        ));
    }
    if count > PIN_MAX_CHARS {
        return Err(Error::invalid(
            "pin",
            format!("PIN 码最多 {PIN_MAX_CHARS} 位"),
            format!("a PIN has at most {PIN_MAX_CHARS} characters, got {count}"),
        ));
    }
    if pin.chars().any(char::is_control) {
        return Err(Error::invalid("pin", "PIN 码不能含有控制字符", "a PIN cannot contain control characters"));
    }
    Ok(())
}

/// The most PBKDF2 iterations a stored PIN wrapping may ask for: a database that asks for more is
/// corrupt or hostile (it would hang the unlock), not a stronger setting.
pub const MAX_PIN_ITERATIONS: u32 = 100 * PIN_ITERATIONS;

/// The key-encryption key derived from a PIN. Slow on purpose (about a tenth of a second here), and bound
/// to the device as `binding` says (see [`Binding`]): with a key store, every guess needs the device.
pub fn pin_key(pin: &str, salt: &[u8], iterations: u32, binding: Binding<'_>) -> Result<SecretKey> {
    if iterations > MAX_PIN_ITERATIONS {
        return Err(Error::Corrupt(format!(
            "the PIN wrapping asks for {iterations} PBKDF2 iterations, more than the {MAX_PIN_ITERATIONS} allowed"
        )));
    }
    let iterations =
        NonZeroU32::new(iterations).ok_or_else(|| Error::Corrupt("a PIN wrapping with 0 iterations".into()))?;
    let mut pin = normalize_pin(pin);
    let mut out = [0u8; KEY_LEN];
    pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, iterations, salt, pin.as_bytes(), &mut out);
    // SAFETY: zeros are valid UTF-8, and the string is dropped right after.
    wipe(unsafe { pin.as_bytes_mut() });
    let stretched = SecretKey(out);
    wipe(&mut out);
    match binding {
        Binding::None => Ok(stretched),
        Binding::Value(value) => hkdf_key(value.expose(), stretched.expose(), b"zhuanshu/vault/pin-kek/device-value"),
        Binding::PerGuess(secret) => {
            // The key store sees this guess's stretched PIN and answers with a MAC only it can compute:
            // no value taken from the device once lets anyone guess elsewhere.
            let mut input = [DEVICE_SECRET_INPUT, b"/per-guess/", stretched.expose()].concat();
            let answer = secret.derive(input.clone());
            wipe(&mut input);
            let mut mac = answer.map_err(|e| Error::DeviceUnavailable(e.to_string()))?;
            if mac.len() < 16 {
                let len = mac.len();
                wipe(&mut mac);
                return Err(Error::DeviceUnavailable(format!(
                    "the device secret gave {len} bytes, at least 16 needed"
                )));
            }
            let key = hkdf_key(&mac, stretched.expose(), b"zhuanshu/vault/pin-kek/per-guess");
            wipe(&mut mac);
            key
        }
    }
}

/// How a PIN wrapping is bound to the device, strongest last. Stored with the wrapping (0, 1, 2).
#[derive(Clone, Copy)]
pub enum Binding<'a> {
    /// The PIN alone (no device secret on this platform): a copy of the database can be guessed offline.
    None,
    /// A value the device computed once (the browser): a copy of the database alone cannot be guessed;
    /// a copy together with that value can.
    Value(&'a SecretKey),
    /// The device's key store answers for every guess (Android Keystore, iOS Keychain, the CLI's key
    /// file): guessing needs the device, every time.
    PerGuess(&'a dyn DeviceSecret),
}

impl Binding<'_> {
    pub fn level(self) -> u8 {
        match self {
            Binding::None => 0,
            Binding::Value(_) => 1,
            Binding::PerGuess(_) => 2,
        }
    }
}

/// HKDF-SHA256: extract with `salt` from `ikm`, expand to one key for `info`.
fn hkdf_key(salt: &[u8], ikm: &[u8], info: &[u8]) -> Result<SecretKey> {
    struct Len;
    impl hkdf::KeyType for Len {
        fn len(&self) -> usize {
            KEY_LEN
        }
    }
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(ikm);
    let mut out = [0u8; KEY_LEN];
    prk.expand(&[info], Len).and_then(|okm| okm.fill(&mut out)).map_err(|_| Error::Internal("HKDF failed".into()))?;
    let key = SecretKey(out);
    wipe(&mut out);
    Ok(key)
}

// ---- the device ----

/// What every device-secret question starts with; the browser's fixed value answers exactly this.
pub const DEVICE_SECRET_INPUT: &[u8] = b"zhuanshu/vault/pin-device-binding/v1";

/// A PRF (HMAC-SHA256, or the like) under a key the platform keeps and never exports — Android Keystore
/// (TEE/StrongBox), the iOS Keychain (this-device-only), a key file beside (not inside) the CLI's data.
/// The vault asks it once per PIN guess, over that guess's stretched PIN, so guessing a PIN needs the
/// device every time. It needs no user authentication: the PIN is the user's part, this is the device's.
/// It must give the same bytes for the same input on this device.
#[cfg_attr(feature = "ffi", uniffi::export(with_foreign))]
pub trait DeviceSecret: Send + Sync {
    fn derive(&self, input: Vec<u8>) -> std::result::Result<Vec<u8>, KeyProviderError>;
}

/// The device part a front end gives the core when it opens it.
#[derive(Clone)]
pub enum Device {
    /// A key store the core can ask at every guess (the phones, the CLI).
    Secret(std::sync::Arc<dyn DeviceSecret>),
    /// What an asynchronous key store (the browser's WebCrypto, which the core cannot call in the middle
    /// of an unlock) answered for [`DEVICE_SECRET_INPUT`] when the front end opened the core.
    Value(std::sync::Arc<SecretKey>),
}

impl Device {
    /// A device value from what the front end's key store gave: at least 16 bytes, reduced to one key.
    pub fn value(mut bytes: Vec<u8>) -> Result<Device> {
        if bytes.len() < 16 {
            let len = bytes.len();
            wipe(&mut bytes);
            return Err(Error::KeyProvider(format!("a device value has at least 16 bytes, got {len}")));
        }
        let key = hkdf_key(b"zhuanshu/vault/device-value/v1", &bytes, b"pin");
        wipe(&mut bytes);
        Ok(Device::Value(std::sync::Arc::new(key?)))
    }

    pub fn binding(&self) -> Binding<'_> {
        match self {
            Device::Secret(secret) => Binding::PerGuess(secret.as_ref()),
            Device::Value(value) => Binding::Value(value),
        }
    }
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Device::Secret(_) => "Device::Secret(..)",
            Device::Value(_) => "Device::Value(..)",
        })
    }
}

/// The CLI's device secret: an HMAC key in a file of its own, created owner-only on first use and kept
/// outside the data directory (the config directory), so a copy of the data directory — a synced or
/// backed-up folder, a stolen database — cannot be attacked offline. It is a file: whoever copies the
/// whole home directory, or reads it as this user, has it. Desktops have no key store the CLI can reach
/// portably; the phones' providers are the strong ones.
#[cfg(not(target_arch = "wasm32"))]
pub struct FileDeviceSecret {
    key: ring::hmac::Key,
}

#[cfg(not(target_arch = "wasm32"))]
impl FileDeviceSecret {
    /// Reads the key file at `path`, or creates it (mode 0600, its directory 0700).
    pub fn open(path: &std::path::Path) -> Result<FileDeviceSecret> {
        if !path.exists() {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                super::files::ensure_dir(dir)?;
            }
            create_key_file(path)?;
        }
        let mut bytes = std::fs::read(path)?;
        if bytes.len() != KEY_LEN {
            let len = bytes.len();
            wipe(&mut bytes);
            return Err(Error::Corrupt(format!("the device key {} has {len} bytes, not {KEY_LEN}", path.display())));
        }
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &bytes);
        wipe(&mut bytes);
        Ok(FileDeviceSecret { key })
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl DeviceSecret for FileDeviceSecret {
    fn derive(&self, input: Vec<u8>) -> std::result::Result<Vec<u8>, KeyProviderError> {
        Ok(ring::hmac::sign(&self.key, &input).as_ref().to_vec())
    }
}

/// Creates the key file at `path` whole or not at all, and never over another: a fresh key is written
/// owner-only to a temporary file, synced, then linked to `path`. Processes that race here all end up
/// reading the one key that was linked first (a half-written file is never seen).
#[cfg(not(target_arch = "wasm32"))]
fn create_key_file(path: &std::path::Path) -> Result<()> {
    use std::io::Write;
    let mut fresh: [u8; KEY_LEN] = random_array()?;
    let tmp = path.with_extension(format!("tmp-{}", super::hex(&random_array::<8>()?)));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&tmp).and_then(|mut file| {
        file.write_all(&fresh)?;
        file.sync_all()
    });
    wipe(&mut fresh);
    let linked = written.and_then(|()| match std::fs::hard_link(&tmp, path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    });
    let _ = std::fs::remove_file(&tmp);
    Ok(linked?)
}

// ---- recovery key ----

/// Crockford's base-32 alphabet: no I, L, O or U, so nothing is misread when copied by hand.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RECOVERY_SECRET_LEN: usize = 18;
const RECOVERY_CHECK_LEN: usize = 2;
/// 20 bytes = 160 bits = 32 characters, written as eight groups of four.
const RECOVERY_CHARS: usize = 32;

/// A recovery key: 144 random bits and a 16-bit checksum, shown once as
/// `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`. It is a third wrapping of the data key and the only one a
/// backup carries, so a backup opens on a new phone with it and nothing else.
pub struct RecoveryKey([u8; RECOVERY_SECRET_LEN]);

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(..)")
    }
}

impl Drop for RecoveryKey {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl RecoveryKey {
    pub fn generate() -> Result<RecoveryKey> {
        Ok(RecoveryKey(random_array()?))
    }

    /// The text to write down.
    pub fn display(&self) -> String {
        let mut bytes = [0u8; RECOVERY_SECRET_LEN + RECOVERY_CHECK_LEN];
        bytes[..RECOVERY_SECRET_LEN].copy_from_slice(&self.0);
        bytes[RECOVERY_SECRET_LEN..].copy_from_slice(&checksum(&self.0));
        let mut text = String::with_capacity(RECOVERY_CHARS + 7);
        for (i, symbol) in base32(&bytes).into_iter().enumerate() {
            if i > 0 && i % 4 == 0 {
                text.push('-');
            }
            text.push(char::from(ALPHABET[usize::from(symbol)]));
        }
        wipe(&mut bytes);
        text
    }

    /// Reads a written-down key: case, spaces and dashes do not matter, and the look-alikes I/L (for 1)
    /// and O (for 0) are accepted. A typo is caught by the checksum and reported as such, before any
    /// attempt is counted.
    pub fn parse(text: &str) -> Result<RecoveryKey> {
        let typo = || {
            Error::invalid(
                "recovery_key",
                "恢复密钥格式不对，请核对：共 32 位，由数字和字母组成（例如 ABCD-EFGH-…）",
                "a recovery key is 32 Crockford base-32 characters",
            )
        };
        let mut symbols = Vec::with_capacity(RECOVERY_CHARS);
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_uppercase() {
                'I' | 'L' => '1',
                'O' => '0',
                other => other,
            };
            let value = ALPHABET.iter().position(|&a| char::from(a) == c).ok_or_else(typo)?;
            symbols.push(value as u8);
        }
        if symbols.len() != RECOVERY_CHARS {
            return Err(typo());
        }
        let bytes = unbase32(&symbols);
        let (secret, check) = bytes.split_at(RECOVERY_SECRET_LEN);
        if checksum(secret) != check {
            return Err(Error::invalid(
                "recovery_key",
                "恢复密钥校验不通过，可能有字符抄错，请逐位核对",
                "recovery key checksum mismatch (a typo)",
            ));
        }
        let mut out = [0u8; RECOVERY_SECRET_LEN];
        out.copy_from_slice(secret);
        Ok(RecoveryKey(out))
    }

    /// The key-encryption key. The secret has 144 random bits, so a fast KDF is enough.
    pub fn kek(&self) -> Result<SecretKey> {
        hkdf_key(b"zhuanshu/vault/recovery-key/v1", &self.0, b"data-key wrapping")
    }
}

fn checksum(secret: &[u8]) -> [u8; RECOVERY_CHECK_LEN] {
    let d = digest::digest(&digest::SHA256, secret);
    [d.as_ref()[0], d.as_ref()[1]]
}

/// 20 bytes -> 32 five-bit symbols, most significant bits first.
fn base32(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 8 / 5);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(((acc >> bits) & 31) as u8);
        }
    }
    out
}

fn unbase32(symbols: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(symbols.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &s in symbols {
        acc = (acc << 5) | u32::from(s & 31);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

// ---- platform key store ----

/// Why a [`KeyProvider`] could not wrap or unwrap.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "ffi", derive(uniffi::Error))]
pub enum KeyProviderError {
    /// The key exists but cannot be used now (user not authenticated, device locked).
    #[error("key unavailable: {reason}")]
    Unavailable { reason: String },
    /// The key is gone or was invalidated (app reinstalled, biometrics changed, restored to a new phone).
    #[error("key lost: {reason}")]
    Lost { reason: String },
    #[error("key provider failed: {reason}")]
    Failed { reason: String },
}

#[cfg(feature = "ffi")]
impl From<uniffi::UnexpectedUniFFICallbackError> for KeyProviderError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        KeyProviderError::Failed { reason: e.reason }
    }
}

impl From<KeyProviderError> for Error {
    fn from(e: KeyProviderError) -> Self {
        Error::KeyProvider(e.to_string())
    }
}

/// A key the platform keeps and never hands out: Android Keystore (an AES-GCM key in the TEE/StrongBox),
/// iOS Keychain or Secure Enclave. The vault gives it the 32-byte data key to wrap and gets back opaque
/// bytes it stores; to unlock, it asks for them to be unwrapped. The provider chooses the algorithm and
/// whether user authentication is needed; the vault checks every unwrapped key against its key check, so a
/// provider that returns the wrong bytes cannot unlock anything.
#[cfg_attr(feature = "ffi", uniffi::export(with_foreign))]
pub trait KeyProvider: Send + Sync {
    fn wrap_key(&self, key: Vec<u8>) -> std::result::Result<Vec<u8>, KeyProviderError>;
    fn unwrap_key(&self, wrapped: Vec<u8>) -> std::result::Result<Vec<u8>, KeyProviderError>;
}

/// A [`KeyProvider`] holding its wrapping key in memory, for tests and for platforms without a key
/// store. It protects nothing by itself: whoever has the provider has the vault.
pub struct MemoryKeyProvider {
    key: SecretKey,
}

impl MemoryKeyProvider {
    pub fn new(key_bytes: &[u8]) -> Result<MemoryKeyProvider> {
        Ok(MemoryKeyProvider { key: SecretKey::from_slice(key_bytes)? })
    }

    pub fn generate() -> Result<MemoryKeyProvider> {
        Ok(MemoryKeyProvider { key: SecretKey::generate()? })
    }
}

const MEMORY_PROVIDER_AAD: &[u8] = b"zhuanshu/memory-key-provider";

impl KeyProvider for MemoryKeyProvider {
    fn wrap_key(&self, mut key: Vec<u8>) -> std::result::Result<Vec<u8>, KeyProviderError> {
        let sealed =
            seal(&self.key, MEMORY_PROVIDER_AAD, &key).map_err(|e| KeyProviderError::Failed { reason: e.to_string() });
        wipe(&mut key);
        sealed
    }

    fn unwrap_key(&self, wrapped: Vec<u8>) -> std::result::Result<Vec<u8>, KeyProviderError> {
        match open(&self.key, MEMORY_PROVIDER_AAD, &wrapped) {
            Ok(Some(key)) => Ok(key),
            Ok(None) => Err(KeyProviderError::Lost { reason: "not wrapped by this key".into() }),
            Err(e) => Err(KeyProviderError::Failed { reason: e.to_string() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_label() {
        let key = SecretKey::generate().unwrap();
        let sealed = seal(&key, b"records.lookup_secret.7", "查询密码𠈌".as_bytes()).unwrap();
        assert_eq!(open(&key, b"records.lookup_secret.7", &sealed).unwrap().unwrap(), "查询密码𠈌".as_bytes());
        assert!(open(&key, b"records.lookup_secret.8", &sealed).unwrap().is_none());
        assert!(open(&SecretKey::generate().unwrap(), b"records.lookup_secret.7", &sealed).unwrap().is_none());
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x40;
            assert!(open(&key, b"records.lookup_secret.7", &bad).unwrap().is_none(), "byte {i}");
        }
        assert!(open(&key, b"x", &sealed[..10]).unwrap().is_none());
    }

    #[test]
    fn full_width_digits_are_the_same_pin() {
        let salt = [7u8; SALT_LEN];
        // A low count keeps the unit test fast; the count itself is a parameter of the derivation.
        let a = pin_key("１２３４５６", &salt, 1000, Binding::None).unwrap();
        let b = pin_key("123456", &salt, 1000, Binding::None).unwrap();
        assert_eq!(a.expose(), b.expose());
        assert_ne!(pin_key("123457", &salt, 1000, Binding::None).unwrap().expose(), a.expose());
        assert!(pin_key("123456", &salt, 0, Binding::None).is_err());
        // An absurd count from a hostile database is refused at once instead of hanging the unlock.
        assert_eq!(pin_key("123456", &salt, u32::MAX, Binding::None).unwrap_err().code(), "corrupt");
        assert_eq!(check_new_pin("12345").unwrap_err().user_message(), "PIN 码至少 6 位");
        assert!(check_new_pin("１２３４５６").is_ok());
    }

    #[test]
    fn the_same_pin_on_another_device_derives_another_key() {
        struct Counting(std::sync::atomic::AtomicU32, u8);
        impl DeviceSecret for Counting {
            fn derive(&self, input: Vec<u8>) -> std::result::Result<Vec<u8>, KeyProviderError> {
                self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                Ok(digest::digest(&digest::SHA256, &[&[self.1][..], &input].concat()).as_ref().to_vec())
            }
        }
        let salt = [3u8; SALT_LEN];
        let (here, there) = (Counting(Default::default(), 1), Counting(Default::default(), 2));
        let bound = pin_key("123456", &salt, 1000, Binding::PerGuess(&here)).unwrap();
        assert_eq!(bound.expose(), pin_key("123456", &salt, 1000, Binding::PerGuess(&here)).unwrap().expose());
        assert_ne!(bound.expose(), pin_key("123456", &salt, 1000, Binding::PerGuess(&there)).unwrap().expose());
        assert_ne!(bound.expose(), pin_key("123456", &salt, 1000, Binding::None).unwrap().expose());
        // Every guess asks the device: three derivations, three questions.
        pin_key("654321", &salt, 1000, Binding::PerGuess(&here)).unwrap();
        assert_eq!(here.0.load(std::sync::atomic::Ordering::SeqCst), 3);
        // A fixed device value binds too, and differs from the per-guess binding.
        let Device::Value(value) = Device::value(vec![5; 32]).unwrap() else { unreachable!() };
        let by_value = pin_key("123456", &salt, 1000, Binding::Value(&value)).unwrap();
        assert_ne!(by_value.expose(), bound.expose());
        assert_eq!(Device::value(vec![1; 8]).unwrap_err().code(), "key_provider");
        // A device that answers too little is refused, not padded.
        struct Short;
        impl DeviceSecret for Short {
            fn derive(&self, _: Vec<u8>) -> std::result::Result<Vec<u8>, KeyProviderError> {
                Ok(vec![1; 8])
            }
        }
        assert_eq!(pin_key("123456", &salt, 1000, Binding::PerGuess(&Short)).unwrap_err().code(), "device_unavailable");
    }

    #[cfg(unix)]
    #[test]
    fn the_cli_device_key_is_owner_only_and_stable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config").join("device.key");
        let first = FileDeviceSecret::open(&path).unwrap().derive(DEVICE_SECRET_INPUT.to_vec()).unwrap();
        let again = FileDeviceSecret::open(&path).unwrap().derive(DEVICE_SECRET_INPUT.to_vec()).unwrap();
        assert_eq!(first, again);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        std::fs::write(&path, b"short").unwrap();
        assert_eq!(FileDeviceSecret::open(&path).err().unwrap().code(), "corrupt");
    }

    #[test]
    fn recovery_keys_survive_being_written_down() {
        let key = RecoveryKey::generate().unwrap();
        let text = key.display();
        assert_eq!(text.len(), 39);
        assert_eq!(text.split('-').count(), 8);
        assert!(text.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
        let back = RecoveryKey::parse(&text.to_lowercase().replace('-', " ")).unwrap();
        assert_eq!(back.0, key.0);
        assert_eq!(back.kek().unwrap().expose(), key.kek().unwrap().expose());
        // Look-alikes are read as digits.
        let looks = text.replace('1', "l").replace('0', "O");
        assert_eq!(RecoveryKey::parse(&looks).unwrap().0, key.0);
        // One wrong character is a typo, caught before any attempt is made.
        let mut chars: Vec<char> = text.chars().collect();
        chars[5] = if chars[5] == 'A' { 'B' } else { 'A' };
        let typo: String = chars.into_iter().collect();
        let err = RecoveryKey::parse(&typo).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert!(err.user_message().contains("抄错"), "{}", err.user_message());
        assert!(RecoveryKey::parse("ABCD").is_err());
        assert!(RecoveryKey::parse(&text.replace('A', "U")).is_err() || !text.contains('A'));
    }

    #[test]
    fn base32_round_trips() {
        let bytes: Vec<u8> = (0..20u8).map(|i| i.wrapping_mul(37)).collect();
        assert_eq!(unbase32(&base32(&bytes)), bytes);
    }

    #[test]
    fn the_memory_provider_wraps_and_refuses_foreign_wrappings() {
        let p = MemoryKeyProvider::generate().unwrap();
        let wrapped = p.wrap_key(vec![9; 32]).unwrap();
        assert_eq!(p.unwrap_key(wrapped.clone()).unwrap(), vec![9; 32]);
        assert!(matches!(
            MemoryKeyProvider::generate().unwrap().unwrap_key(wrapped),
            Err(KeyProviderError::Lost { .. })
        ));
    }
}
