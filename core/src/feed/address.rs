//! Which feed addresses a device syncs from: `https://` always; plain `http://` only to this device
//! itself (127.0.0.0/8, `[::1]`, `localhost`), where the demo site and the tests run; nothing else.
//!
//! Signatures already protect the content, but not everything: over plain HTTP on a network, anyone on
//! the path sees which site a device uses and when, and can answer every request with an old (still
//! validly signed) timestamp until it expires. TLS closes that for the common case at no cost.
//!
//! The check is deliberately narrow and conservative: it recognises only the plain spellings of a
//! loopback host and refuses anything a URL parser might read another way (user info, backslashes,
//! whitespace, percent-encoding or non-ASCII in the host), so it can never call loopback what a browser
//! or reqwest would send elsewhere.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::{Error, Result};

fn refused(url: &str, zh: &str, en: String) -> Error {
    Error::invalid("url", zh, format!("{en}: {url:?}"))
}

/// `Ok` when a sync may fetch from `url` (see the module docs); the error says why not, before any
/// request is made.
pub fn check(url: &str) -> Result<()> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(refused(url, "内容更新地址应以 https:// 开头", "the feed URL has no scheme".into()));
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if loopback_authority(rest) => Ok(()),
        "http" => Err(refused(
            url,
            "内容更新地址必须使用 https://（加密连接）；只有本机地址（127.0.0.1、localhost）可以使用 http://",
            "plain http:// is allowed only for a loopback host; use https://".into(),
        )),
        other => Err(refused(
            url,
            "内容更新地址应以 https:// 开头",
            format!("the feed URL scheme {other:?} is not supported (https only)"),
        )),
    }
}

/// Whether the authority of `rest` (what follows `http://`) is a loopback host, optionally with a port.
fn loopback_authority(rest: &str) -> bool {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty()
        || !authority.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    {
        return false;
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((host, after)) = v6.split_once(']') else { return false };
        match (after, after.strip_prefix(':')) {
            ("", _) => (host, None),
            (_, Some(port)) => (host, Some(port)),
            (_, None) => return false,
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if port.is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    if authority.starts_with('[') {
        return host.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
    }
    host.eq_ignore_ascii_case("localhost") || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_always_plain_http_only_to_this_device() {
        for ok in [
            "https://feed.example.cn/zhuanshu/",
            "HTTPS://example.invalid",
            "http://127.0.0.1:8080/feed/",
            "http://127.3.4.5/",
            "http://localhost:9/x",
            "http://LocalHost/",
            "http://[::1]:8080/feed/",
            "http://[::1]/",
            "HTTP://127.0.0.1",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.invalid/",
            "http://10.0.2.2:8080/feed/",
            "http://192.168.1.5/",
            "http://127.0.0.1.example.com/",
            "http://127.0.0.1@example.com/",
            "http://user@127.0.0.1/",
            "http://127.0.0.1\\@example.com/",
            "http://127.1/",
            "http://0x7f.0.0.1/",
            "http://%31%32%37.0.0.1/",
            "http://127.0.0.1\t.example.com/",
            "http://[::ffff:7f00:1]/",
            "http://[::1]x/",
            "http://127.0.0.1:/",
            "http://localhost.example.com/",
            "http:///127.0.0.1/",
            "ftp://127.0.0.1/",
            "file:///etc/passwd",
            "memory://site/",
            "127.0.0.1:8080/feed/",
        ] {
            let err = check(bad).expect_err(bad);
            assert_eq!(err.code(), "invalid_input", "{bad}");
            assert!(err.user_message().contains("https://"), "{}", err.user_message());
        }
    }
}
