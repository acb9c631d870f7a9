//! How the feed reaches a site: one `GET` with an optional ETag and a size cap. The sync logic is written
//! against this trait only, so it runs the same over reqwest (native), fetch (wasm, supplied by the web
//! front end), a platform HTTP stack behind a foreign trait (mobile), or an in-memory site (tests).

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::error::Result;

/// The answer to one `GET`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// HTTP status: 200 with a body, 304 when the ETag still matches; anything else is a failure.
    pub status: u16,
    /// The `ETag` header, verbatim (quotes and `W/` included).
    pub etag: Option<String>,
    /// The body, **at most `cap + 1` bytes**: a transport stops reading there, so a server streaming
    /// endless data costs one byte more than the cap and the caller still sees that the cap was passed.
    pub body: Vec<u8>,
    /// The connection ended before the response did (fewer bytes than its Content-Length, a broken
    /// chunked stream). Transports that cannot tell leave it `false`; length and hash checks still hold.
    pub truncated: bool,
}

/// One `GET` of a URL. Errors are connection failures (`Error::Network`); an HTTP error status is a
/// normal [`Response`].
///
/// `async fn` without a `Send` bound on purpose: the wasm transport's futures hold JavaScript values and
/// are not `Send`, and the core never moves a sync between threads.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Fetches `url`, sending `If-None-Match: etag` when given, reading at most `cap + 1` body bytes.
    async fn get(&self, url: &str, etag: Option<&str>, cap: u64) -> Result<Response>;
}

impl<T: Transport + ?Sized> Transport for &T {
    async fn get(&self, url: &str, etag: Option<&str>, cap: u64) -> Result<Response> {
        (**self).get(url, etag, cap).await
    }
}

/// A static site in memory, answering like a plain web server: 200 with a strong ETag (a hash of the
/// file), 304 for a matching If-None-Match, 404 otherwise. URLs are `https://memory.invalid/<path>` (an
/// address a sync accepts, on a domain that can never resolve).
#[derive(Debug, Default)]
pub struct MemorySite {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySite {
    pub const BASE: &'static str = "https://memory.invalid/";

    pub fn new(files: BTreeMap<String, Vec<u8>>) -> MemorySite {
        MemorySite { files: Mutex::new(files) }
    }

    /// Adds or replaces files (a publication).
    pub fn put(&self, files: impl IntoIterator<Item = (String, Vec<u8>)>) {
        self.files.lock().unwrap_or_else(|p| p.into_inner()).extend(files);
    }

    pub fn remove(&self, path: &str) {
        self.files.lock().unwrap_or_else(|p| p.into_inner()).remove(path);
    }
}

impl Transport for MemorySite {
    async fn get(&self, url: &str, etag: Option<&str>, cap: u64) -> Result<Response> {
        let files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let found = url.strip_prefix(Self::BASE).and_then(|path| files.get(path));
        let Some(bytes) = found else {
            return Ok(Response { status: 404, etag: None, body: Vec::new(), truncated: false });
        };
        let tag = format!("\"{}\"", &super::format::sha256_hex(bytes)[..16]);
        if etag == Some(tag.as_str()) {
            return Ok(Response { status: 304, etag: Some(tag), body: Vec::new(), truncated: false });
        }
        let keep = usize::try_from(cap.saturating_add(1)).unwrap_or(usize::MAX).min(bytes.len());
        Ok(Response { status: 200, etag: Some(tag), body: bytes[..keep].to_vec(), truncated: false })
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::{Http, block_on};

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::time::Duration;

    use reqwest::header::{ETAG, IF_NONE_MATCH};

    use super::{Response, Transport};
    use crate::error::{Error, Result};

    /// HTTP(S) over reqwest: HTTP/1.1, rustls with the system's root certificates, no decompression (a
    /// gzip bomb cannot get past the cap), bounded timeouts.
    #[derive(Debug, Clone)]
    pub struct Http {
        client: reqwest::Client,
    }

    fn network(e: impl std::fmt::Display) -> Error {
        Error::Network(e.to_string())
    }

    /// Where Android keeps the CAs it trusts, one PEM file per certificate: the Conscrypt module (updated
    /// through Google Play since Android 14), then the system image. rustls-native-certs looks in
    /// neither, so without these an Android phone would refuse every HTTPS feed.
    #[cfg(target_os = "android")]
    const ANDROID_CA_DIRS: [&str; 2] = ["/apex/com.android.conscrypt/cacerts", "/system/etc/security/cacerts"];

    /// The certificates of the first of `dirs` that has any (Android's files hold a PEM block followed by
    /// the certificate as text; files that are not certificates, or that rustls would not take as a trust
    /// anchor, are skipped: reqwest parses them only when the client is built, and one bad file would
    /// fail every sync).
    #[cfg(any(test, target_os = "android"))]
    pub(super) fn pem_dir_certificates(dirs: &[&str]) -> Vec<reqwest::Certificate> {
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            let certs: Vec<reqwest::Certificate> = entries
                .flatten()
                .filter_map(|e| std::fs::read(e.path()).ok())
                .filter(|bytes| bytes.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----"))
                .filter_map(|pem| reqwest::Certificate::from_pem(&pem).ok())
                .filter(|cert| {
                    let alone = reqwest::Client::builder().tls_built_in_root_certs(false);
                    alone.add_root_certificate(cert.clone()).build().is_ok()
                })
                .collect();
            if !certs.is_empty() {
                return certs;
            }
        }
        Vec::new()
    }

    impl Http {
        pub fn new() -> Result<Http> {
            let builder = reqwest::Client::builder();
            #[cfg(target_os = "android")]
            let builder = pem_dir_certificates(&ANDROID_CA_DIRS)
                .into_iter()
                .fold(builder, |b, cert| b.add_root_certificate(cert));
            let client = builder
                .user_agent(concat!("zhuanshu/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(Duration::from_secs(10))
                // A server that stops sending (or drips) is given up on; the whole request is bounded too.
                .read_timeout(Duration::from_secs(30))
                .timeout(Duration::from_secs(300))
                // At most five redirects, each to an address the feed may use at all: a redirect must not
                // take an https sync to plain http on another host.
                .redirect(reqwest::redirect::Policy::custom(|attempt| {
                    if attempt.previous().len() >= 5 {
                        attempt.error("more than 5 redirects")
                    } else if crate::feed::address::check(attempt.url().as_str()).is_err() {
                        let url = attempt.url().to_string();
                        attempt.error(format!("a redirect to a refused address: {url}"))
                    } else {
                        attempt.follow()
                    }
                }))
                .build()
                .map_err(network)?;
            Ok(Http { client })
        }
    }

    impl Transport for Http {
        async fn get(&self, url: &str, etag: Option<&str>, cap: u64) -> Result<Response> {
            let mut request = self.client.get(url);
            if let Some(tag) = etag {
                request = request.header(IF_NONE_MATCH, tag);
            }
            let mut response = request.send().await.map_err(network)?;
            let status = response.status().as_u16();
            let etag = response.headers().get(ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let limit = usize::try_from(cap.saturating_add(1)).unwrap_or(usize::MAX);
            let mut body =
                Vec::with_capacity(response.content_length().map_or(0, |n| n as usize).min(limit).min(1 << 20));
            let mut truncated = false;
            while body.len() < limit {
                match response.chunk().await {
                    Ok(Some(chunk)) => {
                        let room = limit - body.len();
                        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    }
                    Ok(None) => break,
                    // Headers arrived, the body did not finish: the connection broke, or the framing
                    // (Content-Length, chunks) was not honoured.
                    Err(_) => {
                        truncated = true;
                        break;
                    }
                }
            }
            // Dropping `response` here closes the connection if the server is still sending.
            Ok(Response { status, etag, body, truncated })
        }
    }

    /// Runs a future (a sync) to completion on a fresh single-threaded runtime: for callers without an
    /// async runtime of their own (the CLI, blocking FFI calls). Must not be called from inside a tokio
    /// runtime.
    pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        Ok(runtime.block_on(future))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_site_answers_like_a_static_server() {
        let site = MemorySite::new(BTreeMap::from([("a.json".to_owned(), b"0123456789".to_vec())]));
        let run = |url: &str, etag: Option<&str>, cap: u64| block_on(site.get(url, etag, cap)).unwrap().unwrap();
        let first = run("https://memory.invalid/a.json", None, 100);
        assert_eq!((first.status, first.body.len()), (200, 10));
        let again = run("https://memory.invalid/a.json", first.etag.as_deref(), 100);
        assert_eq!((again.status, again.body.len()), (304, 0));
        assert_eq!(run("https://memory.invalid/a.json", None, 3).body, b"0123", "cap + 1 bytes");
        assert_eq!(run("https://memory.invalid/b.json", None, 3).status, 404);
        site.remove("a.json");
        assert_eq!(run("https://memory.invalid/a.json", None, 3).status, 404);
    }

    /// Android's CA directories, as a Linux host can imitate them: PEM files with the certificate's text
    /// after the block, next to files that are not certificates. The first directory with any wins.
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn android_style_certificate_directories_are_read() {
        let host: Vec<Vec<u8>> = std::fs::read_dir("/etc/ssl/certs")
            .expect("the host's CA certificates (Debian: ca-certificates)")
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "pem"))
            .filter_map(|e| std::fs::read(e.path()).ok())
            .take(3)
            .collect();
        assert_eq!(host.len(), 3);
        let (empty, android) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::write(empty.path().join("README"), b"no certificates here").unwrap();
        for (i, pem) in host.iter().enumerate() {
            let mut file = pem.clone();
            file.extend_from_slice(b"Certificate:\n    Data:\n        Version: 3 (0x2)\n");
            std::fs::write(android.path().join(format!("{i:08x}.0")), file).unwrap();
        }
        std::fs::write(android.path().join("notes.txt"), b"not a certificate").unwrap();
        let broken = b"-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
        std::fs::write(android.path().join("ffffffff.0"), broken).unwrap();
        let dirs = ["/nonexistent/cacerts", empty.path().to_str().unwrap(), android.path().to_str().unwrap()];
        let certs = native::pem_dir_certificates(&dirs);
        assert_eq!(certs.len(), 3, "the three certificates, not the notes nor the broken one");
        let client = certs.into_iter().fold(reqwest::Client::builder(), |b, c| b.add_root_certificate(c));
        assert!(client.build().is_ok(), "a client trusting them builds");
        assert!(native::pem_dir_certificates(&dirs[..2]).is_empty());
    }
}
