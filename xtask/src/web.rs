//! The web app: the size-optimised wasm package, the segmentation dictionary it loads after the first
//! screen, the Vite build of web/, and a small static server for `cargo xtask demo`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::{cargo, output, root, run};

/// Where the app's wasm package goes (wasm-bindgen output, then wasm-opt -Oz in place).
pub fn wasm_pkg() -> PathBuf {
    root().join("target/wasm-pkg-app")
}

/// The dictionary file the app fetches after the first screen.
pub fn dictionary_file() -> PathBuf {
    root().join("target/web-assets/jieba-dict.txt")
}

pub fn dist() -> PathBuf {
    root().join("web/dist")
}

/// The only time zone the core uses (chrono-tz's `filter-by-regex`, enabled for wasm in core/Cargo.toml).
pub const TZ_FILTER: (&str, &str) = ("CHRONO_TZ_TIMEZONE_FILTER", "^Asia/Shanghai$");

/// Features every browser the app targets has and rustc's wasm32 target emits; Debian's wasm-opt 108
/// must be told about them.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// The web app's two wasm modules: the app (first screen) and the search engine (loaded after it).
/// Each is built by its own cargo invocation, so the app's core is compiled without the `search` feature
/// the other one turns on (cargo unifies features within one invocation).
pub const WASM_MODULES: [(&str, &str); 2] =
    [("zhuanshu-wasm", "zhuanshu_wasm"), ("zhuanshu-search-wasm", "zhuanshu_search_wasm")];

/// Builds one wasm binding (`package`) with cargo `profile` and returns the module's path.
pub fn cargo_build_wasm(package: &str, profile: &str) -> Result<PathBuf, String> {
    run(cargo()
        .args(["build", "--quiet", "-p", package, "--target", "wasm32-unknown-unknown", "--profile", profile])
        .env(TZ_FILTER.0, TZ_FILTER.1))?;
    let file = package.replace('-', "_");
    Ok(root().join(format!("target/wasm32-unknown-unknown/{profile}/{file}.wasm")))
}

/// Both modules, size-optimised (`wasm-opt -Oz`), through wasm-bindgen into [`wasm_pkg`].
pub fn build_wasm_app() -> Result<(), String> {
    for (package, file) in WASM_MODULES {
        let built = cargo_build_wasm(package, "release-wasm")?;
        let pkg = wasm_pkg();
        // wasm-opt and wasm-bindgen take a minute together; skip them when cargo produced the same module.
        let stamp = pkg.join(format!(".{file}.source"));
        let source = std::fs::metadata(&built).and_then(|m| m.modified()).map(|t| format!("{t:?}")).unwrap_or_default();
        if std::fs::read_to_string(&stamp).is_ok_and(|s| s == source) && pkg.join(format!("{file}_bg.wasm")).exists() {
            continue;
        }
        // wasm-opt runs before wasm-bindgen: Debian's binaryen 108 rewrites the export of wasm-bindgen's
        // externref table to the function table (the page then fails in `Table.set`), and optimising
        // first is as small.
        let optimised = root().join(format!("target/wasm32-unknown-unknown/release-wasm/opt/{file}.wasm"));
        std::fs::create_dir_all(optimised.parent().unwrap_or(&pkg)).map_err(|e| e.to_string())?;
        // `--converge` repeats -Oz while it still shrinks the module: about 3 KB gzip of the first screen for
        // a few more seconds of build.
        run(Command::new("wasm-opt")
            .args(["-Oz", "--converge"])
            .args(WASM_FEATURES)
            .arg(&built)
            .arg("-o")
            .arg(&optimised))?;
        run(Command::new("wasm-bindgen").args(["--target", "web", "--out-dir"]).arg(&pkg).arg(&optimised))?;
        std::fs::write(&stamp, source).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The texts the search engine indexes (the embedded FAQ knowledge base, its synonyms, the guide), for
/// the dictionary's pruning.
const SEARCHED_CONTENT: &[&str] = &[
    "core/content/faq/kb-part1a.jsonl",
    "core/content/faq/kb-part1b.jsonl",
    "core/content/faq/kb-part2a.jsonl",
    "core/content/faq/kb-part2b.jsonl",
    "core/content/faq/synonyms.json",
    "core/content/guide/guide.json",
];

/// Writes jieba's dictionary in the compact form the app loads (`zhuanshu::assistant::analyzer::
/// expand_dictionary` reads it back): the words sorted and front-coded, then their frequencies; the
/// part-of-speech column is left out. The source is the jieba-rs crate the core is built with.
///
/// Only the words that occur in the searched content are kept (6,874 of jieba's 349,045), plus one
/// placeholder word, a private-use character no text contains, carrying the frequencies of the rest.
/// Why the content's segmentation does not change: jieba only ever looks up words that are substrings of
/// the text it cuts, so a kept word list that has every dictionary word of the content cuts the content
/// as the whole dictionary does — provided the total frequency, which every word's probability is divided
/// by, is the same; the placeholder keeps it. Known gaps, for the next step (pruning from the analyzer's
/// own folded index texts, in the core, and shipping the same list natively): the index also cuts texts
/// made from the content (the guide's "部门办理事项" alternatives) and folded ones; and a query whose words
/// are in no document can be cut differently than natively (about a fifth of the evaluation's queries
/// have such a word). The golden searches give the same answers in the browser as natively.
pub fn dictionary() -> Result<PathBuf, String> {
    let out = dictionary_file();
    let metadata =
        output(cargo().args(["metadata", "--format-version", "1", "--filter-platform", "wasm32-unknown-unknown"]))?;
    let metadata: serde_json::Value =
        serde_json::from_str(&metadata).map_err(|e| format!("cargo metadata is not JSON: {e}"))?;
    let manifest = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "jieba-rs")
        .and_then(|p| p["manifest_path"].as_str())
        .ok_or("jieba-rs is not a dependency of the workspace")?;
    let source = Path::new(manifest).with_file_name("src/data/dict.txt");
    let text = std::fs::read_to_string(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let mut content = String::new();
    for file in SEARCHED_CONTENT {
        let path = root().join(file);
        content += &std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        content.push('\n');
    }
    let body = compact_dictionary(&prune_dictionary(&text, &content)?)?;
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    if std::fs::read_to_string(&out).ok().as_deref() != Some(body.as_str()) {
        std::fs::write(&out, body).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    Ok(out)
}

/// The placeholder word of a pruned dictionary (U+E000, private use: in no text).
const PLACEHOLDER: char = '\u{E000}';

/// The `word freq` lines of `dict` whose word occurs in `content`, and the placeholder with the
/// frequencies of all the others (see [`dictionary`]).
fn prune_dictionary(dict: &str, content: &str) -> Result<String, String> {
    // Every substring of up to LONGEST characters of the content, to look words up in; longer words
    // (a few hundred idioms and names) are searched for directly.
    const LONGEST: usize = 8;
    let chars: Vec<char> = content.chars().collect();
    let mut pieces = std::collections::HashSet::new();
    for start in 0..chars.len() {
        for len in 1..=LONGEST.min(chars.len() - start) {
            pieces.insert(chars[start..start + len].iter().collect::<String>());
        }
    }
    let (mut out, mut dropped) = (String::new(), 0u64);
    for line in dict.lines() {
        let mut parts = line.split_whitespace();
        let (Some(word), Some(freq)) = (parts.next(), parts.next()) else { continue };
        let freq: u64 = freq.parse().map_err(|_| format!("dictionary line {line:?}: bad frequency"))?;
        let kept = if word.chars().count() <= LONGEST { pieces.contains(word) } else { content.contains(word) };
        if kept {
            out += &format!("{word} {freq}\n");
        } else {
            dropped += freq;
        }
    }
    if content.contains(PLACEHOLDER) {
        return Err("the searched content contains the dictionary's placeholder character".into());
    }
    out += &format!("{PLACEHOLDER} {dropped}\n");
    Ok(out)
}

/// The compact form of a `word freq [tag]` dictionary (the header must match the core's).
fn compact_dictionary(text: &str) -> Result<String, String> {
    let mut entries: Vec<(&str, &str)> = text
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            Some((parts.next()?, parts.next()?))
        })
        .collect();
    entries.sort_unstable();
    if entries.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err("the dictionary lists a word twice; the compact form would pick one".into());
    }
    let mut words = String::from("zhuanshu-jieba-dict 1\n");
    let mut freqs = String::new();
    let mut previous: Vec<char> = Vec::new();
    for (word, freq) in entries {
        let chars: Vec<char> = word.chars().collect();
        let shared = chars.iter().zip(&previous).take_while(|(a, b)| a == b).count();
        words.push(char::from_u32('0' as u32 + shared as u32).ok_or("word too long")?);
        words.extend(&chars[shared..]);
        words.push('\n');
        freqs.push_str(freq);
        freqs.push('\n');
        previous = chars;
    }
    Ok(format!("{words}\n{freqs}"))
}

/// `vite build` of web/ into web/dist with the app's wasm package and dictionary.
pub fn build_web() -> Result<(), String> {
    let dict = dictionary()?;
    run(Command::new("node")
        .args(["web/node_modules/vite/bin/vite.js", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"])
        .env("ZHUANSHU_WASM_PKG", wasm_pkg())
        .env("ZHUANSHU_DICT", dict))
}

/// Everything the demo serves: wasm, dictionary, the built app.
pub fn build_all() -> Result<(), String> {
    build_wasm_app()?;
    build_web()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "sig" | "bin" => "application/octet-stream",
        _ => "application/octet-stream",
    }
}

/// The file under `dir` that a URL path names (`/` is index.html); `None` for anything that would leave
/// `dir`.
fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or_default();
    let mut out = dir.to_path_buf();
    for part in Path::new(path.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

fn respond(mut stream: TcpStream, mounts: &[(String, PathBuf)]) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Headers are read and ignored (no ranges, no conditional requests: the files are small and local).
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or("/"));
    let file = mounts
        .iter()
        .filter(|(prefix, _)| target.starts_with(prefix.as_str()))
        .max_by_key(|(prefix, _)| prefix.len())
        .and_then(|(prefix, dir)| resolve(dir, &target[prefix.len() - 1..]));
    let body = match (method, &file) {
        ("GET" | "HEAD", Some(f)) => std::fs::File::open(f).and_then(|mut f| {
            let mut b = Vec::new();
            f.read_to_end(&mut b).map(|_| b)
        }),
        _ => Err(std::io::ErrorKind::NotFound.into()),
    };
    match (body, file) {
        (Ok(body), Some(f)) => {
            // The page and the service worker must be revalidated so a rebuilt app is picked up.
            let cache = if f.ends_with("sw.js") || f.ends_with("index.html") { "no-cache" } else { "max-age=0" };
            write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: {}\r\ncontent-length: {}\r\ncache-control: {cache}\r\nconnection: close\r\n\r\n",
                content_type(&f),
                body.len()
            )?;
            if method == "GET" {
                stream.write_all(&body)?;
            }
        }
        _ => write!(stream, "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")?,
    }
    stream.flush()
}

/// Serves `mounts` (URL prefix ending in `/` -> directory) on `addr` until the process is stopped.
pub fn serve(addr: &str, mounts: Vec<(String, PathBuf)>) -> Result<(), String> {
    let listener = TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let mounts = std::sync::Arc::new(mounts);
    for stream in listener.incoming().flatten() {
        let mounts = std::sync::Arc::clone(&mounts);
        std::thread::spawn(move || {
            let _ = respond(stream, &mounts);
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_stay_inside_the_served_directory() {
        let dir = std::env::temp_dir();
        assert_eq!(resolve(&dir, "/a/b.js?x=1"), Some(dir.join("a/b.js")));
        assert_eq!(resolve(&dir, "/../etc/passwd"), None);
        assert_eq!(resolve(&dir, "/a/../../x"), None);
        assert_eq!(content_type(Path::new("x.wasm")), "application/wasm");
    }

    #[test]
    fn the_dictionary_is_sorted_and_front_coded() {
        let compact = compact_dictionary("一丁 7 n\n一 3 m\n二十4S店 1 n\n二十 12 m\n").unwrap();
        assert_eq!(compact, "zhuanshu-jieba-dict 1\n0一\n1丁\n0二十\n24S店\n\n3\n7\n12\n1\n");
        assert!(compact_dictionary("一 3\n一 4\n").is_err());
    }
}
