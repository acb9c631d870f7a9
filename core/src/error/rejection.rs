//! Why a feed update was refused: the error kinds of the content feed, here so that [`super::Error`]
//! can carry them without the error module using the feed (the feed uses it).

use std::fmt;

use chrono::NaiveDateTime;
use serde::Serialize;

/// The kinds of signed documents; each has its own keys and threshold in the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Root,
    Manifest,
    /// The short-lived document naming the current manifest, signed by an online key.
    Timestamp,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Root => "root",
            Role::Manifest => "manifest",
            Role::Timestamp => "timestamp",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Root => "根密钥清单",
            Role::Manifest => "内容清单",
            Role::Timestamp => "更新时间戳",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a feed update was refused. Each attack class has its own variant, code and Chinese message; on
/// every one of them the device keeps the content it had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// Not JSON, wrong shape, unknown format version, a bad name or path.
    #[error("{file} is malformed: {detail}")]
    Malformed { file: String, detail: String },
    /// A signature by a key the role trusts does not verify: the document was altered or forged.
    #[error("bad {role} signature by key {keyid}")]
    BadSignature { role: Role, keyid: String },
    /// Signed only by keys the role does not trust.
    #[error("{role} signed by unknown key {keyid}")]
    UnknownKey { role: Role, keyid: String },
    /// Good signatures, but fewer than the role's threshold.
    #[error("{role} has {valid} valid signatures, {needed} needed")]
    Threshold { role: Role, valid: usize, needed: usize },
    /// An older version than the one the device holds.
    #[error("{role} rollback: holding version {held}, offered {offered}")]
    Rollback { role: Role, held: u64, offered: u64 },
    /// The version the device holds, but with different content.
    #[error("{role} version {version} reused with different content")]
    VersionReused { role: Role, version: u64 },
    /// Past its expiry: a frozen or abandoned feed. For the timestamp this is the freshness check: the
    /// device cannot tell that what it holds is still current.
    #[error("{role} expired at {expires} (now {now}): not fresh, frozen or intercepted")]
    Expired { role: Role, expires: NaiveDateTime, now: NaiveDateTime },
    /// A new root that the trusted root's keys did not sign (or that its own keys did not sign).
    #[error("root version {version} not trusted: {detail}")]
    UntrustedRoot { version: u64, detail: String },
    /// Right length, wrong bytes: tampered.
    #[error("{file}: sha256 mismatch")]
    HashMismatch { file: String },
    /// Shorter than the manifest says: typically a file of another version (mix-and-match).
    #[error("{file}: {got} bytes, the manifest says {expected}")]
    LengthMismatch { file: String, expected: u64, got: u64 },
    /// More than the cap: the download was stopped (endless data).
    #[error("{file}: more than {cap} bytes, download stopped")]
    TooLarge { file: String, cap: u64 },
    /// The connection ended before the response did.
    #[error("{file}: response truncated after {got} bytes")]
    Truncated { file: String, got: u64 },
    /// Signed and intact, but not usable content (a FAQ line or a holiday file that fails its checks).
    #[error("{file}: invalid content: {detail}")]
    InvalidContent { file: String, detail: String },
    /// The manifest is not the one the verified timestamp names (another version, other bytes).
    #[error("manifest does not match the timestamp: {detail}")]
    TimestampMismatch { detail: String },
    /// What this device stored earlier fails its check now (a changed row in its database): it is not
    /// used; the embedded content is served until a sync repairs it.
    #[error("stored feed data {file} failed verification: {detail}")]
    StoredDamaged { file: String, detail: String },
}

impl Rejection {
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Malformed { .. } => "feed_malformed",
            Rejection::BadSignature { .. } => "feed_bad_signature",
            Rejection::UnknownKey { .. } => "feed_unknown_key",
            Rejection::Threshold { .. } => "feed_threshold",
            Rejection::Rollback { .. } => "feed_rollback",
            Rejection::VersionReused { .. } => "feed_version_reused",
            Rejection::Expired { .. } => "feed_expired",
            Rejection::UntrustedRoot { .. } => "feed_untrusted_root",
            Rejection::HashMismatch { .. } => "feed_hash_mismatch",
            Rejection::LengthMismatch { .. } => "feed_length_mismatch",
            Rejection::TooLarge { .. } => "feed_too_large",
            Rejection::Truncated { .. } => "feed_truncated",
            Rejection::InvalidContent { .. } => "feed_invalid_content",
            Rejection::TimestampMismatch { .. } => "feed_timestamp_mismatch",
            Rejection::StoredDamaged { .. } => "feed_stored_damaged",
        }
    }

    /// For the owner: what happened and that nothing changed.
    pub fn user_message(&self) -> String {
        const KEPT: &str = "已拒绝本次更新，继续使用现有内容";
        match self {
            Rejection::Malformed { file, .. } => format!("更新文件{file}格式不正确，{KEPT}"),
            Rejection::BadSignature { role, .. } => format!("{}的签名无效，可能遭到篡改，{KEPT}", role.zh()),
            Rejection::UnknownKey { role, .. } => format!("{}由不受信任的密钥签名，{KEPT}", role.zh()),
            Rejection::Threshold { role, valid, needed } => {
                format!("{}的有效签名不足（{valid}个，需要{needed}个），{KEPT}", role.zh())
            }
            Rejection::Rollback { role, held, offered } => {
                format!("服务器提供的{}是第{offered}版，比本机的第{held}版旧，可能是回滚攻击，{KEPT}", role.zh())
            }
            Rejection::VersionReused { role, version } => {
                format!("服务器提供的第{version}版{}与本机同一版本不一致，{KEPT}", role.zh())
            }
            Rejection::Expired { role: Role::Timestamp, expires, .. } => format!(
                "内容更新已过期：发布方的更新时间戳已于{}失效，网络可能被拦截或内容被冻结，{KEPT}",
                expires.format("%Y-%m-%d %H:%M")
            ),
            Rejection::Expired { role, expires, .. } => format!(
                "服务器上的{}已于{}过期，可能未及时更新或遭到冻结，{KEPT}",
                role.zh(),
                expires.format("%Y-%m-%d %H:%M")
            ),
            Rejection::UntrustedRoot { version, .. } => {
                format!("新的发布密钥（第{version}版根密钥清单）没有得到原发布密钥的签名授权，{KEPT}")
            }
            Rejection::HashMismatch { file } => format!("文件{file}的校验值不符，可能遭到篡改，{KEPT}"),
            Rejection::LengthMismatch { file, expected, got } => {
                format!("文件{file}的长度不符（应为{expected}字节，收到{got}字节），可能混入了其他版本的文件，{KEPT}")
            }
            Rejection::TooLarge { file, cap } => format!("文件{file}超过{cap}字节的上限，已停止下载，{KEPT}"),
            Rejection::Truncated { file, .. } => format!("文件{file}下载不完整（连接中断），{KEPT}，请稍后重试"),
            Rejection::InvalidContent { file, .. } => format!("更新中的文件{file}内容有误，{KEPT}"),
            Rejection::TimestampMismatch { .. } => {
                format!("服务器提供的内容清单与更新时间戳记录的不一致，可能混入了其他版本，{KEPT}")
            }
            Rejection::StoredDamaged { file, .. } => {
                format!("本机保存的更新数据（{file}）未通过校验，已改用内置内容，下次同步时会重新下载")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_tells_the_owner_the_content_was_kept() {
        for r in [
            Rejection::HashMismatch { file: "faq.jsonl".into() },
            Rejection::Rollback { role: Role::Manifest, held: 3, offered: 2 },
        ] {
            assert!(r.user_message().contains("继续使用现有内容"), "{}", r.user_message());
        }
    }
}
