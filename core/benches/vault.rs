//! The vault's costs, in one table:
//!
//! - encryption and decryption throughput of the sealed document format (64 KiB AES-256-GCM chunks)
//!   through `document::encrypt_slice` and `document::decrypt_slice`, the in-memory functions (the
//!   plaintext or sealed document is a slice, the output a vector; `Vault::read` runs the same code from
//!   the sealed file), next to `openssl speed -evp aes-256-gcm -bytes 16384` run now on the same machine,
//!   with the ratio (target ≥ 0.7: the chunk framing, nonces and copies may cost up to 30 %). `openssl
//!   speed` reuses one 16 KiB buffer, which stays in the CPU cache, so the like-for-like rows are a
//!   512 KiB document sealed again and again (also in cache). A 64 MiB document does not fit the core's
//!   caches: its rows are bounded by memory bandwidth, shown by a plain 64 MiB copy, the ceiling of any
//!   out-of-place pass. The output vectors are reused, so these rows do not pay for the first touch of
//!   fresh memory;
//! - the 64 MiB rows once more against `openssl speed` on one 64 MiB buffer, also bound by memory (in
//!   place: one pass over memory, where an out-of-place format makes a read pass and a write pass);
//! - the streaming functions (`document::encrypt` and `decrypt`, `Read` to `Write` through one chunk
//!   buffer, as `Vault::add`, `read_to` and `export` run) on the same 64 MiB, for comparison: they copy
//!   each chunk into their buffer and out again;
//! - ring's AES-256-GCM alone on 16 KiB in place, to separate the cipher from the format;
//! - the same through the vault, with a data directory (temporary file, fsync, rename, metadata row)
//!   and without one (a BLOB row in the database, as in the browser): `add`, `read` (which returns a new
//!   vector, so it includes the kernel faulting in 64 MiB of fresh memory: this, not the cipher, bounds
//!   it) and `read_to` into a reused vector;
//! - the PIN key derivation (PBKDF2-HMAC-SHA256 at the stored iteration count), which every unlock pays.
//!
//! Run with `cargo bench -p zhuanshu-core --bench vault` (or `cargo xtask bench vault`).

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use zhuanshu::vault::document::{self, Header};
use zhuanshu::vault::keys::{self, SecretKey};
use zhuanshu::vault::{MemoryKeyProvider, PIN_ITERATIONS};
use zhuanshu::{Clock, Config, Zhuanshu};

const MIB: usize = 1024 * 1024;
const SIZE: usize = 64 * MIB;
const ROUNDS: usize = 5;

fn data(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// The best of `ROUNDS` runs, in MB/s (10^6 bytes, as openssl counts).
fn best_mbps(bytes: usize, mut run: impl FnMut()) -> f64 {
    let mut best = Duration::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        run();
        best = best.min(start.elapsed());
    }
    bytes as f64 / best.as_secs_f64() / 1e6
}

/// Throughput of `run` (which processes `bytes`) repeated for about a second, in MB/s.
fn sustained_mbps(bytes: usize, mut run: impl FnMut()) -> f64 {
    run();
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < Duration::from_secs(1) {
        run();
        n += 1;
    }
    (bytes * n) as f64 / start.elapsed().as_secs_f64() / 1e6
}

/// `openssl speed` in MB/s for blocks of `bytes`, or why there is no number.
fn openssl(decrypt: bool, bytes: usize) -> Result<f64, String> {
    let mut cmd = Command::new("openssl");
    let bytes = bytes.to_string();
    cmd.args(["speed", "-evp", "aes-256-gcm", "-bytes", &bytes, "-seconds", "2"]);
    if decrypt {
        cmd.arg("-decrypt");
    }
    let output = cmd.output().map_err(|e| format!("openssl not available ({e})"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    // The last table line: "AES-256-GCM    5749468.32k" (thousands of bytes per second).
    text.lines()
        .rev()
        .find(|l| l.trim_start().to_ascii_lowercase().starts_with("aes-256-gcm"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|n| n.trim_end_matches('k').parse::<f64>().ok())
        .map(|k| k * 1000.0 / 1e6)
        .ok_or_else(|| format!("could not read openssl's output: {}", text.trim()))
}

fn row(what: &str, ours: f64, reference: &Result<f64, String>) {
    match reference {
        Ok(theirs) => println!(
            "| {what:<34} | {ours:>9.0} MB/s | {theirs:>9.0} MB/s | {:>5.2} {} |",
            ours / theirs,
            if ours / theirs >= 0.7 { "ok " } else { "LOW" }
        ),
        Err(why) => println!("| {what:<34} | {ours:>9.0} MB/s | {why} |"),
    }
}

fn main() {
    let plain = data(SIZE);
    let key = SecretKey::generate().expect("key");
    let header = Header::new([7; document::ID_LEN]).expect("header");

    // The cipher alone, as openssl speed runs it: one 16 KiB buffer, sealed in place, over and over.
    let ring_key = {
        use ring::aead::{AES_256_GCM, LessSafeKey, UnboundKey};
        LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &[3; 32]).expect("ring key"))
    };
    let mut block = plain[..16 * 1024].to_vec();
    let ring_seal = sustained_mbps(block.len(), || {
        let nonce = ring::aead::Nonce::assume_unique_for_key([0; 12]);
        let tag = ring_key.seal_in_place_separate_tag(nonce, ring::aead::Aad::empty(), &mut block).expect("seal");
        black_box(tag.as_ref()[0]);
    });

    // The format on a document that stays in cache, through the in-memory functions the vault uses.
    const SMALL: usize = 512 * 1024;
    let mut small_sealed = Vec::with_capacity(document::sealed_len(SMALL as u64, document::CHUNK_SIZE) as usize);
    let enc_cache = sustained_mbps(SMALL, || {
        small_sealed.clear();
        document::encrypt_slice(&key, &header, black_box(&plain[..SMALL]), &mut small_sealed).expect("encrypt");
    });
    let mut small_opened = Vec::with_capacity(SMALL + document::TAG_LEN + 1);
    let dec_cache = sustained_mbps(SMALL, || {
        small_opened.clear();
        document::decrypt_slice(&key, Some(&header.id), black_box(&small_sealed[..]), &mut small_opened)
            .expect("decrypt");
    });
    assert_eq!(small_opened, plain[..SMALL]);

    // The memory ceiling for 64 MiB.
    let mut copy = vec![0u8; SIZE];
    let memcpy = best_mbps(SIZE, || {
        copy.copy_from_slice(black_box(&plain));
        black_box(&copy);
    });
    drop(copy);
    // The in-memory functions, into reused vectors (the allocator's first touch of fresh memory is
    // measured by the `vault read` row, not here).
    let mut sealed = Vec::with_capacity(document::sealed_len(SIZE as u64, document::CHUNK_SIZE) as usize);
    let enc = best_mbps(SIZE, || {
        sealed.clear();
        document::encrypt_slice(&key, &header, black_box(&plain[..]), &mut sealed).expect("encrypt");
    });
    let mut opened = Vec::with_capacity(SIZE + document::TAG_LEN + 1);
    let dec = best_mbps(SIZE, || {
        opened.clear();
        document::decrypt_slice(&key, Some(&header.id), black_box(&sealed[..]), &mut opened).expect("decrypt");
    });
    assert_eq!(opened, plain);
    // The streaming functions (`Read` to `Write`, through one chunk buffer) on the same 64 MiB.
    let mut streamed = Vec::with_capacity(sealed.len());
    let enc_stream = best_mbps(SIZE, || {
        streamed.clear();
        document::encrypt(&key, &header, black_box(&plain[..]), &mut streamed).expect("encrypt");
    });
    assert!(streamed == sealed, "the streaming and in-memory paths must give the same bytes");
    drop(streamed);
    let dec_stream = best_mbps(SIZE, || {
        opened.clear();
        document::decrypt(&key, Some(&header.id), black_box(&sealed[..]), &mut opened).expect("decrypt");
    });
    assert_eq!(opened, plain);
    drop(opened);
    drop(sealed);
    let ssl_enc = openssl(false, 16 * 1024);
    let ssl_dec = openssl(true, 16 * 1024);
    // openssl on one 64 MiB buffer (in place, so one pass over memory where ours makes two): the
    // like-for-like reference of the RAM-bound rows.
    let ssl_enc_big = openssl(false, SIZE);
    let ssl_dec_big = openssl(true, SIZE);

    // Through the vault: with a data directory (temporary file, fsync, rename, directory fsync, row),
    // and without one (a BLOB row, as in the browser).
    let through_vault = |data_dir: Option<std::path::PathBuf>| {
        let app = Zhuanshu::open(Config { data_dir, clock: Clock::System, ..Default::default() }).expect("open");
        let provider = MemoryKeyProvider::generate().expect("provider");
        app.vault().init(None, Some(&provider)).expect("init");
        let mut id = String::new();
        let add = best_mbps(SIZE, || {
            if !id.is_empty() {
                app.vault().remove(&id).expect("remove");
            }
            id = app.vault().add("bench.bin", "application/octet-stream", &plain).expect("add").id;
        });
        let read = best_mbps(SIZE, || {
            black_box(app.vault().read(&id).expect("read"));
        });
        let mut back = Vec::with_capacity(SIZE);
        let read_to = best_mbps(SIZE, || {
            back.clear();
            app.vault().read_to(&id, &mut back).expect("read");
        });
        assert_eq!(back, plain);
        (add, read, read_to)
    };
    let dir = std::env::temp_dir().join(format!("zhuanshu-vault-bench-{}", std::process::id()));
    let (add, read, read_to) = through_vault(Some(dir.clone()));
    let _ = std::fs::remove_dir_all(&dir);
    let (db_add, db_read, db_read_to) = through_vault(None);

    let start = Instant::now();
    let salt = [1u8; keys::SALT_LEN];
    black_box(keys::pin_key(black_box("246810"), &salt, PIN_ITERATIONS, keys::Binding::None).expect("pbkdf2"));
    let pbkdf2 = start.elapsed();

    println!();
    println!("vault: best of {ROUNDS} (64 MiB rows) or 1 s sustained (in-cache rows), one core");
    println!("| {:<34} | {:>14} | {:>14} | {:>9} |", "", "zhuanshu", "openssl speed", "ratio");
    println!("|{}|{}|{}|{}|", "-".repeat(36), "-".repeat(16), "-".repeat(16), "-".repeat(11));
    row("ring AES-256-GCM, 16 KiB in place", ring_seal, &ssl_enc);
    row("format encrypt, 512 KiB (in cache)", enc_cache, &ssl_enc);
    row("format decrypt, 512 KiB (in cache)", dec_cache, &ssl_dec);
    row("format encrypt, 64 MiB (RAM-bound)", enc, &ssl_enc);
    row("format decrypt, 64 MiB (RAM-bound)", dec, &ssl_dec);
    row("streaming encrypt, 64 MiB", enc_stream, &ssl_enc);
    row("streaming decrypt, 64 MiB", dec_stream, &ssl_dec);
    row("encrypt 64 MiB vs openssl 64 MiB", enc, &ssl_enc_big);
    row("decrypt 64 MiB vs openssl 64 MiB", dec, &ssl_dec_big);
    let plain_row = |what: &str, mbps: f64| println!("| {what:<34} | {mbps:>9.0} MB/s | {:>14} | {:>9} |", "", "");
    plain_row("plain copy of 64 MiB (the ceiling)", memcpy);
    plain_row("vault add (file, fsync, row)", add);
    plain_row("vault read (file, to a new Vec)", read);
    plain_row("vault read_to (file, reused Vec)", read_to);
    plain_row("vault add (no data dir, BLOB row)", db_add);
    plain_row("vault read (BLOB row, new Vec)", db_read);
    plain_row("vault read_to (BLOB row, reused)", db_read_to);
    println!(
        "| {:<34} | {:>9.0} ms   | {:>14} | {:>9} |",
        format!("PBKDF2-HMAC-SHA256 × {PIN_ITERATIONS}"),
        pbkdf2.as_secs_f64() * 1000.0,
        "",
        ""
    );
    println!("openssl: 16 KiB blocks, `openssl speed -evp aes-256-gcm -bytes 16384 [-decrypt]`, 2 s each, in cache;");
    println!("the last two rows against `-bytes 67108864` (one 64 MiB buffer, in place: RAM-bound too).");
    println!("The 64 MiB rows read and write main memory (see the plain copy).");
    println!("format rows: encrypt_slice/decrypt_slice into reused vectors; streaming rows: Read to Write.");
    println!("vault read returns a new vector: faulting in its fresh memory, not the cipher, bounds it.");
}
