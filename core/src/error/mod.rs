//! The one error type of the core.
//!
//! Every failure carries a stable `code` (for programs and tests), an English `Display` (for developers
//! and logs) and a Chinese [`Error::user_message`] (for the owner). Bindings convert this enum once, at
//! their edge, into their own small error shape; nothing below them formats messages.

use std::fmt;

mod rejection;

pub use rejection::{Rejection, Role};

/// Result of every fallible core call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One problem with one field of an input, located by a path such as `licences[2].valid_until`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct FieldIssue {
    /// Where the problem is, in the JSON shape of the input (`company.uscc`, `licences[2].number`).
    pub path: String,
    /// What is wrong, in Chinese, for the owner.
    pub user_message: String,
    /// What is wrong, in English, for developers.
    pub message: String,
}

impl FieldIssue {
    pub fn new(path: impl Into<String>, user_message: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: path.into(), user_message: user_message.into(), message: message.into() }
    }

    /// The same issue one level deeper: `prefix` + `.` + own path.
    pub(crate) fn under(mut self, prefix: &str) -> Self {
        self.path = match (prefix.is_empty(), self.path.is_empty()) {
            (true, _) => self.path,
            (false, true) => prefix.to_owned(),
            (false, false) => format!("{prefix}.{}", self.path),
        };
        self
    }
}

/// The kinds of stored things an error can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Company,
    Licence,
    Material,
    Record,
    Faq,
    Policy,
    /// A document in the vault (证照夹).
    Document,
    /// A company's enterprise seal (电子印章) key pair.
    Seal,
}

impl Entity {
    fn zh(self) -> &'static str {
        match self {
            Entity::Company => "企业",
            Entity::Licence => "证照",
            Entity::Material => "材料",
            Entity::Record => "办事记录",
            Entity::Faq => "问答条目",
            Entity::Policy => "政策",
            Entity::Document => "证照夹文件",
            Entity::Seal => "电子印章",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Entity::Company => "company",
            Entity::Licence => "licence",
            Entity::Material => "material",
            Entity::Record => "record",
            Entity::Faq => "FAQ entry",
            Entity::Policy => "policy",
            Entity::Document => "vault document",
            Entity::Seal => "enterprise seal",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input broke one or more rules; every issue found is listed, not just the first.
    #[error("invalid input: {}", summarize(.0))]
    Invalid(Vec<FieldIssue>),

    #[error("{what} not found: {key}")]
    NotFound { what: Entity, key: String },

    #[error("{what} already exists: {key}")]
    AlreadyExists { what: Entity, key: String },

    /// An operation that needs the current company was called before any company was added or chosen.
    #[error("no current company: add or choose a company first")]
    NoCurrentCompany,

    /// A document (export file, content file) could not be read at all: not JSON, wrong format or version.
    #[error("unreadable document: {0}")]
    Format(String),

    #[error("storage failure: {0}")]
    Storage(#[from] rusqlite::Error),

    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),

    #[error("i/o failure: {0}")]
    Io(#[from] std::io::Error),

    /// A bug: a broken invariant or a caught panic. Never caused by input alone.
    #[error("internal error: {0}")]
    Internal(String),

    /// A content feed update failed a check (signature, version, expiry, hash, size …); nothing of it was
    /// applied. The reason names the attack class.
    #[error("feed update rejected: {reason}")]
    FeedRejected { reason: Rejection },

    /// A server could not be reached, or answered with an error status.
    #[error("network failure: {0}")]
    Network(String),

    /// The vault (证照夹) has no keys yet: `vault().init(..)` first.
    #[error("the vault is not set up")]
    VaultNotSetUp,

    /// The vault is locked (never unlocked, locked, or auto-locked after the idle time): unlock first.
    #[error("the vault is locked")]
    VaultLocked,

    /// The PIN did not unlock the vault. `retry_after` is set once the free attempts are used up.
    #[error("wrong PIN ({failures} failed attempts in a row{})", retry_note(.retry_after))]
    WrongPin { failures: u32, retry_after: Option<chrono::NaiveDateTime> },

    /// The recovery key is well formed but does not open this vault (or backup).
    #[error("wrong recovery key ({failures} failed attempts in a row{})", retry_note(.retry_after))]
    WrongRecoveryKey { failures: u32, retry_after: Option<chrono::NaiveDateTime> },

    /// Too many wrong PINs: no attempt is made before `retry_after` (stored, so a restart does not help).
    #[error("too many failed attempts: retry after {retry_after} (in {wait_seconds} s)")]
    TooManyAttempts { retry_after: chrono::NaiveDateTime, wait_seconds: i64 },

    /// The platform key store (Android Keystore, iOS Keychain) refused or failed.
    #[error("key provider failed: {0}")]
    KeyProvider(String),

    /// The PIN wrapping needs this device's secret (see `vault::keys::DeviceSecret`) and the platform did
    /// not give it: another phone, a reinstalled app, a reset key store. The recovery key still opens.
    #[error("the device secret the PIN is bound to is unavailable: {0}")]
    DeviceUnavailable(String),

    /// Sealed data failed authentication or is incomplete: a changed byte, a truncated, reordered or
    /// swapped file, or a missing one. Nothing of it is returned.
    #[error("corrupt or tampered data: {0}")]
    Corrupt(String),
}

fn retry_note(retry_after: &Option<chrono::NaiveDateTime>) -> String {
    retry_after.map(|t| format!("; retry after {t}")).unwrap_or_default()
}

/// "请在 5 分钟后（09:35:00）再试" for a wait that ends at `at`.
fn retry_zh(at: chrono::NaiveDateTime, wait_seconds: i64) -> String {
    let wait = match wait_seconds {
        s if s < 60 => format!("{} 秒", s.max(1)),
        s if s < 3600 => format!("{} 分钟", (s + 59) / 60),
        s => format!("{} 小时", (s + 3599) / 3600),
    };
    format!("请在 {wait}后（{}）再试", at.format("%H:%M:%S"))
}

fn summarize(issues: &[FieldIssue]) -> String {
    issues.iter().map(|i| format!("{}: {}", i.path, i.message)).collect::<Vec<_>>().join("; ")
}

impl Error {
    /// A stable machine-readable code; front ends and tests branch on it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid_input",
            Error::NotFound { .. } => "not_found",
            Error::AlreadyExists { .. } => "already_exists",
            Error::NoCurrentCompany => "no_current_company",
            Error::Format(_) => "bad_format",
            Error::Storage(_) | Error::Migration(_) => "storage",
            Error::Io(_) => "io",
            Error::Internal(_) => "internal",
            Error::FeedRejected { reason } => reason.code(),
            Error::Network(_) => "network",
            Error::VaultNotSetUp => "vault_not_set_up",
            Error::VaultLocked => "vault_locked",
            Error::WrongPin { .. } => "wrong_pin",
            Error::WrongRecoveryKey { .. } => "wrong_recovery_key",
            Error::TooManyAttempts { .. } => "too_many_attempts",
            Error::KeyProvider(_) => "key_provider",
            Error::Corrupt(_) => "corrupt",
            Error::DeviceUnavailable(_) => "device_unavailable",
        }
    }

    /// The message shown to the owner, in Chinese. Never contains developer detail.
    pub fn user_message(&self) -> String {
        match self {
            Error::Invalid(issues) => match issues.as_slice() {
                [one] => one.user_message.clone(),
                many => {
                    let lines: Vec<&str> = many.iter().map(|i| i.user_message.as_str()).collect();
                    format!("发现{}处问题：{}", many.len(), lines.join("；"))
                }
            },
            Error::NotFound { what, key } => format!("找不到{}：{}", what.zh(), key),
            Error::AlreadyExists { what, key } => format!("{}已存在：{}", what.zh(), key),
            Error::NoCurrentCompany => "还没有选择企业，请先添加或选择一家企业".to_owned(),
            Error::Format(_) => "文件格式不正确，无法读取".to_owned(),
            Error::Storage(_) | Error::Migration(_) => "本地数据读写失败，请稍后重试".to_owned(),
            Error::Io(_) => "文件读写失败，请检查路径和权限".to_owned(),
            Error::Internal(_) => "程序出现内部错误，请重试或联系我们".to_owned(),
            Error::FeedRejected { reason } => reason.user_message(),
            Error::Network(_) => "无法从服务器获取更新，请检查网络后重试（现有内容不受影响）".to_owned(),
            Error::VaultNotSetUp => "还没有设置证照夹，请先设置 PIN 码".to_owned(),
            Error::VaultLocked => "证照夹已锁定，请先输入 PIN 码解锁".to_owned(),
            Error::WrongPin { failures, retry_after } => match retry_after {
                Some(at) => format!(
                    "PIN 码不正确（已连续错误 {failures} 次），为保护您的资料，请在 {} 后再试",
                    at.format("%H:%M:%S")
                ),
                None => format!("PIN 码不正确（已连续错误 {failures} 次），请重新输入"),
            },
            Error::WrongRecoveryKey { failures, retry_after } => match retry_after {
                Some(at) => {
                    format!("恢复密钥不正确（已连续错误 {failures} 次），请在 {} 后再试", at.format("%H:%M:%S"))
                }
                None => "恢复密钥不正确，请核对抄写的恢复密钥".to_owned(),
            },
            Error::TooManyAttempts { retry_after, wait_seconds } => {
                format!("PIN 码错误次数过多，{}", retry_zh(*retry_after, *wait_seconds))
            }
            Error::KeyProvider(_) => "系统密钥暂时不可用，请改用 PIN 码解锁".to_owned(),
            Error::Corrupt(_) => "文件已损坏或被篡改，无法打开".to_owned(),
            Error::DeviceUnavailable(_) => {
                "PIN 码只能在设置它的这台设备上使用（本机的设备密钥不可用，例如换了手机或重装了应用），请用恢复密钥解锁"
                    .to_owned()
            }
        }
    }

    /// The field issues of an `Invalid` error (empty for every other kind).
    pub fn issues(&self) -> &[FieldIssue] {
        match self {
            Error::Invalid(issues) => issues,
            _ => &[],
        }
    }

    /// An `Invalid` error with one issue.
    pub fn invalid(path: &str, user_message: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldIssue::new(path, user_message, message)])
    }
}

/// Collects field issues while an input is checked, so one call reports everything that is wrong.
#[derive(Debug, Default)]
pub(crate) struct Issues(Vec<FieldIssue>);

impl Issues {
    pub fn push(&mut self, path: impl Into<String>, user_message: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldIssue::new(path, user_message, message));
    }

    /// Adds the issues of a nested check, each path prefixed with `prefix`.
    pub fn nest(&mut self, prefix: &str, result: Result<()>) {
        if let Err(e) = result {
            match e {
                Error::Invalid(inner) => self.0.extend(inner.into_iter().map(|i| i.under(prefix))),
                other => self.push(prefix, other.user_message(), other.to_string()),
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The paths that have an issue so far.
    pub fn paths(&self) -> Vec<String> {
        self.0.iter().map(|i| i.path.clone()).collect()
    }

    pub fn into_result(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::Invalid(self.0)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_issues_keep_their_path_and_both_languages() {
        let mut inner = Issues::default();
        inner.push("valid_until", "有效期不能早于发证日期", "valid_until is before issued_on");
        let mut outer = Issues::default();
        outer.nest("licences[2]", inner.into_result());
        let err = outer.into_result().unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(err.issues()[0].path, "licences[2].valid_until");
        assert_eq!(err.user_message(), "有效期不能早于发证日期");
        assert!(err.to_string().contains("valid_until is before issued_on"));
    }
}
