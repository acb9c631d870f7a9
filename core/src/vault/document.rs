//! The sealed document format: a header, then the content in 64 KiB AES-256-GCM chunks.
//!
//! ```text
//! header (33 bytes):  "ZSVD" ‖ version u16 ‖ chunk size u32 ‖ document id (16) ‖ nonce prefix (7)
//! chunk i:            AES-256-GCM(document key, nonce = prefix ‖ i as u32 ‖ last?1:0, aad = header)
//!                     = ciphertext (chunk size bytes; the last chunk 0..=chunk size) ‖ tag (16)
//! ```
//!
//! Why each part (this is the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár):
//! - the counter in the nonce makes a reordered or repeated chunk fail;
//! - the last-chunk flag makes a file cut at a chunk boundary fail (its new last chunk was sealed as
//!   "not last"), and data appended after the real last chunk fail;
//! - the header in every chunk's associated data binds the chunks to this document id, format version
//!   and chunk size, so a file moved under another document's name, or a changed header, fails;
//! - chunks make both directions stream in two buffers of one chunk, whatever the file size, and no
//!   plaintext is released before its chunk authenticated. When the whole input is in memory and the
//!   output is a vector, [`encrypt_slice`] and [`decrypt_to_vec`] seal and open each chunk in its place
//!   in the output instead, saving a copy.
//!
//! An empty document is one empty last chunk (a bare tag), so even "nothing" is authenticated.

use std::io::{self, Read, Write};

use ring::aead::{Aad, LessSafeKey, NONCE_LEN, Nonce};

use super::keys::{SecretKey, random_array};
use crate::error::{Error, Result};

pub const MAGIC: [u8; 4] = *b"ZSVD";
pub const VERSION: u16 = 1;
pub const CHUNK_SIZE: u32 = 64 * 1024;
/// Headers announcing bigger chunks are refused, so a hostile file cannot make a reader allocate much.
pub const MAX_CHUNK_SIZE: u32 = 1 << 20;
pub const ID_LEN: usize = 16;
pub const PREFIX_LEN: usize = 7;
pub const HEADER_LEN: usize = 4 + 2 + 4 + ID_LEN + PREFIX_LEN;
pub const TAG_LEN: usize = 16;

/// The plaintext part of a sealed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub id: [u8; ID_LEN],
    pub chunk_size: u32,
    pub nonce_prefix: [u8; PREFIX_LEN],
}

impl Header {
    /// A header for document `id` with the standard chunk size and a fresh random nonce prefix.
    pub fn new(id: [u8; ID_LEN]) -> Result<Header> {
        Header::with_chunk_size(id, CHUNK_SIZE)
    }

    pub fn with_chunk_size(id: [u8; ID_LEN], chunk_size: u32) -> Result<Header> {
        if chunk_size == 0 || chunk_size > MAX_CHUNK_SIZE {
            return Err(Error::Internal(format!("chunk size {chunk_size} out of range")));
        }
        Ok(Header { id, chunk_size, nonce_prefix: random_array()? })
    }

    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[0..4].copy_from_slice(&MAGIC);
        out[4..6].copy_from_slice(&VERSION.to_be_bytes());
        out[6..10].copy_from_slice(&self.chunk_size.to_be_bytes());
        out[10..10 + ID_LEN].copy_from_slice(&self.id);
        out[10 + ID_LEN..].copy_from_slice(&self.nonce_prefix);
        out
    }

    pub fn parse(bytes: &[u8; HEADER_LEN]) -> Result<Header> {
        if bytes[0..4] != MAGIC {
            return Err(Error::Corrupt("not a vault document (bad magic)".into()));
        }
        let version = u16::from_be_bytes([bytes[4], bytes[5]]);
        if version != VERSION {
            // Only version 1 was ever written: another number is a changed byte (or a newer app's file).
            return Err(Error::Corrupt(format!("document format version {version} is not supported")));
        }
        let chunk_size = u32::from_be_bytes([bytes[6], bytes[7], bytes[8], bytes[9]]);
        if chunk_size == 0 || chunk_size > MAX_CHUNK_SIZE {
            return Err(Error::Corrupt(format!("header announces chunk size {chunk_size}")));
        }
        let mut id = [0u8; ID_LEN];
        id.copy_from_slice(&bytes[10..10 + ID_LEN]);
        let mut nonce_prefix = [0u8; PREFIX_LEN];
        nonce_prefix.copy_from_slice(&bytes[10 + ID_LEN..]);
        Ok(Header { id, chunk_size, nonce_prefix })
    }
}

/// The size of the sealed form of `plain_len` bytes.
pub fn sealed_len(plain_len: u64, chunk_size: u32) -> u64 {
    let chunks = plain_len.div_ceil(u64::from(chunk_size)).max(1);
    HEADER_LEN as u64 + plain_len + chunks * TAG_LEN as u64
}

fn chunk_nonce(prefix: &[u8; PREFIX_LEN], counter: u32, last: bool) -> Nonce {
    let mut n = [0u8; NONCE_LEN];
    n[..PREFIX_LEN].copy_from_slice(prefix);
    n[PREFIX_LEN..PREFIX_LEN + 4].copy_from_slice(&counter.to_be_bytes());
    n[NONCE_LEN - 1] = u8::from(last);
    Nonce::assume_unique_for_key(n)
}

fn hex_id(id: &[u8; ID_LEN]) -> String {
    super::hex(id)
}

/// Encrypts a stream: write plaintext into it, then call [`Sealer::finish`]. Holds one chunk.
pub struct Sealer<W: Write> {
    key: LessSafeKey,
    header: [u8; HEADER_LEN],
    prefix: [u8; PREFIX_LEN],
    chunk: usize,
    /// One chunk of plaintext, then room for its tag.
    buf: Box<[u8]>,
    filled: usize,
    counter: u32,
    plain_len: u64,
    out: W,
}

impl<W: Write> Sealer<W> {
    /// Writes the header to `out` at once.
    pub fn new(key: &SecretKey, header: &Header, mut out: W) -> Result<Sealer<W>> {
        let bytes = header.to_bytes();
        out.write_all(&bytes)?;
        let chunk = header.chunk_size as usize;
        Ok(Sealer {
            key: key.aead()?,
            header: bytes,
            prefix: header.nonce_prefix,
            chunk,
            buf: vec![0u8; chunk + TAG_LEN].into_boxed_slice(),
            filled: 0,
            counter: 0,
            plain_len: 0,
            out,
        })
    }

    fn seal_chunk(&mut self, last: bool) -> io::Result<()> {
        let nonce = chunk_nonce(&self.prefix, self.counter, last);
        let n = self.filled;
        let tag = self
            .key
            .seal_in_place_separate_tag(nonce, Aad::from(&self.header), &mut self.buf[..n])
            .map_err(|_| io::Error::other("AES-GCM seal failed"))?;
        self.buf[n..n + TAG_LEN].copy_from_slice(tag.as_ref());
        self.out.write_all(&self.buf[..n + TAG_LEN])?;
        self.filled = 0;
        if !last {
            self.counter = self
                .counter
                .checked_add(1)
                .ok_or_else(|| io::Error::other("document too large: more than 2^32 chunks"))?;
        }
        Ok(())
    }

    /// Reads `input` to its end straight into the chunk buffer (no intermediate copy).
    pub fn copy_from<R: Read + ?Sized>(&mut self, input: &mut R) -> Result<u64> {
        let mut total = 0u64;
        loop {
            if self.filled == self.chunk {
                // A full chunk is the last one if the input ends here: look one byte ahead.
                let mut next = [0u8; 1];
                if read_full(input, &mut next)? == 0 {
                    break;
                }
                self.seal_chunk(false)?;
                self.buf[0] = next[0];
                self.filled = 1;
                total += 1;
            }
            let n = match input.read(&mut self.buf[self.filled..self.chunk]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            self.filled += n;
            total += n as u64;
        }
        self.plain_len += total;
        Ok(total)
    }

    /// Seals the final chunk; returns the output and the plaintext length.
    pub fn finish(mut self) -> Result<(W, u64)> {
        self.seal_chunk(true)?;
        self.out.flush()?;
        keys_wipe(&mut self.buf);
        let Sealer { out, plain_len, .. } = self;
        Ok((out, plain_len))
    }
}

fn keys_wipe(buf: &mut [u8]) {
    super::keys::wipe(buf);
}

impl<W: Write> Write for Sealer<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let mut rest = data;
        while !rest.is_empty() {
            // A full chunk is sealed only once more data arrives: until then it may be the last one.
            if self.filled == self.chunk {
                self.seal_chunk(false)?;
            }
            let take = (self.chunk - self.filled).min(rest.len());
            self.buf[self.filled..self.filled + take].copy_from_slice(&rest[..take]);
            self.filled += take;
            rest = &rest[take..];
        }
        self.plain_len += data.len() as u64;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Encrypts all of `input` to `out` as document `header.id`; returns the plaintext length.
pub fn encrypt<R: Read, W: Write>(key: &SecretKey, header: &Header, mut input: R, out: W) -> Result<u64> {
    let mut sealer = Sealer::new(key, header, out)?;
    sealer.copy_from(&mut input)?;
    Ok(sealer.finish()?.1)
}

/// Seals `plain` as document `header.id`, appending the sealed document to `out`; returns the plaintext
/// length. The same bytes as [`encrypt`], with one copy of each byte instead of two: `out` grows once, to
/// the exact sealed length, and each chunk of plaintext is copied straight to its place there and sealed
/// in place while it is still in the CPU cache (no chunk buffer to copy into and out of). On failure
/// `out` is as it was.
pub fn encrypt_slice(key: &SecretKey, header: &Header, plain: &[u8], out: &mut Vec<u8>) -> Result<u64> {
    let chunk = header.chunk_size as usize;
    let chunks = plain.len().div_ceil(chunk).max(1);
    if chunks as u64 > 1 << 32 {
        return Err(io::Error::other("document too large: more than 2^32 chunks").into());
    }
    let sealed = usize::try_from(sealed_len(plain.len() as u64, header.chunk_size)).map_err(|_| out_of_memory())?;
    out.try_reserve_exact(sealed).map_err(|_| out_of_memory())?;
    let key = key.aead()?;
    let header_bytes = header.to_bytes();
    let start = out.len();
    out.extend_from_slice(&header_bytes);
    for n in 0..chunks {
        let rest = &plain[n * chunk..];
        let at = out.len();
        out.extend_from_slice(&rest[..rest.len().min(chunk)]);
        // `n < chunks <= 2^32`, so `n` fits.
        let nonce = chunk_nonce(&header.nonce_prefix, n as u32, n + 1 == chunks);
        match key.seal_in_place_separate_tag(nonce, Aad::from(&header_bytes), &mut out[at..]) {
            Ok(tag) => out.extend_from_slice(tag.as_ref()),
            Err(_) => {
                keys_wipe(&mut out[start..]);
                out.truncate(start);
                return Err(io::Error::other("AES-GCM seal failed").into());
            }
        }
    }
    Ok(plain.len() as u64)
}

fn out_of_memory() -> Error {
    Error::Io(io::ErrorKind::OutOfMemory.into())
}

/// Decrypts a stream chunk by chunk; each chunk is released only after it authenticated.
pub struct Opener<R: Read> {
    chunks: ChunkKey,
    input: R,
    /// One sealed chunk plus one byte of look-ahead (to know whether this chunk is the last).
    buf: Box<[u8]>,
    carry: Option<u8>,
    counter: u32,
    done: bool,
    plain_len: u64,
}

impl<R: Read> Opener<R> {
    /// Reads and checks the header. With `expected_id`, a file of another document is refused here.
    pub fn new(key: &SecretKey, expected_id: Option<&[u8; ID_LEN]>, mut input: R) -> Result<Opener<R>> {
        let chunks = ChunkKey::read(key, &mut input, expected_id)?;
        let sealed_chunk = chunks.sealed_chunk_len();
        Ok(Opener {
            chunks,
            input,
            buf: vec![0u8; sealed_chunk + 1].into_boxed_slice(),
            carry: None,
            counter: 0,
            done: false,
            plain_len: 0,
        })
    }

    pub fn header(&self) -> &Header {
        &self.chunks.header
    }

    /// Plaintext bytes released so far.
    pub fn plain_len(&self) -> u64 {
        self.plain_len
    }

    /// The next authenticated chunk of plaintext; `None` after the authenticated last chunk.
    pub fn next_chunk(&mut self) -> Result<Option<&[u8]>> {
        if self.done {
            return Ok(None);
        }
        let sealed_chunk = self.chunks.sealed_chunk_len();
        let mut filled = 0;
        if let Some(b) = self.carry.take() {
            self.buf[0] = b;
            filled = 1;
        }
        filled += read_full(&mut self.input, &mut self.buf[filled..sealed_chunk + 1])?;
        let (len, last) = if filled == sealed_chunk + 1 {
            self.carry = Some(self.buf[sealed_chunk]);
            (sealed_chunk, false)
        } else {
            (filled, true)
        };
        let n = self.counter;
        let opened = self.chunks.open(n, last, &mut self.buf[..len]);
        // A chunk that does not authenticate ends the stream; a short one fails again if asked again.
        if opened.is_err() && len >= TAG_LEN {
            self.done = true;
        }
        let plain = opened?;
        if last {
            self.done = true;
        } else {
            self.counter = next_counter(n)?;
        }
        self.plain_len += plain as u64;
        Ok(Some(&self.buf[..plain]))
    }
}

impl<R: Read> Drop for Opener<R> {
    fn drop(&mut self) {
        keys_wipe(&mut self.buf);
    }
}

/// What opening a chunk takes: the document key and the header every chunk authenticates.
struct ChunkKey {
    key: LessSafeKey,
    header_bytes: [u8; HEADER_LEN],
    header: Header,
}

impl ChunkKey {
    /// Reads and checks the header. With `expected_id`, a file of another document is refused here.
    fn read<R: Read + ?Sized>(key: &SecretKey, input: &mut R, expected_id: Option<&[u8; ID_LEN]>) -> Result<ChunkKey> {
        let mut header_bytes = [0u8; HEADER_LEN];
        let got = read_full(input, &mut header_bytes)?;
        if got < HEADER_LEN {
            return Err(Error::Corrupt(format!("{got} bytes: too short to be a vault document")));
        }
        let header = Header::parse(&header_bytes)?;
        if let Some(expected) = expected_id
            && *expected != header.id
        {
            return Err(Error::Corrupt(format!(
                "the file holds document {} instead of {}: documents were swapped",
                hex_id(&header.id),
                hex_id(expected)
            )));
        }
        Ok(ChunkKey { key: key.aead()?, header_bytes, header })
    }

    fn sealed_chunk_len(&self) -> usize {
        self.header.chunk_size as usize + TAG_LEN
    }

    /// Opens sealed chunk `n` (ciphertext ‖ tag) in place; returns its plaintext length (the plaintext
    /// is `sealed[..len]`). The one place that decides whether a chunk is good, for every way of reading.
    fn open(&self, n: u32, last: bool, sealed: &mut [u8]) -> Result<usize> {
        let len = sealed.len();
        if len < TAG_LEN {
            return Err(Error::Corrupt(format!(
                "truncated: the document stops inside or before chunk {n} (its final chunk is missing)"
            )));
        }
        let prefix = &self.header.nonce_prefix;
        // A full chunk at the very end is either the real last chunk or the sign of a file cut at a
        // chunk boundary; keep a copy to tell the owner which (this happens once per document).
        let copy = (last && len == self.sealed_chunk_len()).then(|| sealed.to_vec());
        let aad = Aad::from(&self.header_bytes);
        if self.key.open_in_place(chunk_nonce(prefix, n, last), aad, sealed).is_ok() {
            return Ok(len - TAG_LEN);
        }
        if let Some(mut copy) = copy {
            let aad = Aad::from(&self.header_bytes);
            let cut_here = self.key.open_in_place(chunk_nonce(prefix, n, false), aad, &mut copy).is_ok();
            keys_wipe(&mut copy);
            if cut_here {
                return Err(Error::Corrupt(format!(
                    "truncated: the document was cut after chunk {n}; its final chunk is missing"
                )));
            }
        }
        Err(Error::Corrupt(format!(
            "chunk {n} does not authenticate: a byte was changed, or chunks were reordered, cut or taken \
             from another document"
        )))
    }
}

fn next_counter(n: u32) -> Result<u32> {
    n.checked_add(1).ok_or_else(|| Error::Corrupt("more than 2^32 chunks".into()))
}

/// Decrypts all of `input` into `out`; returns the plaintext length. On failure, `out` may have
/// received the chunks that authenticated before the bad one: callers that must not show partial
/// content write to a temporary place first (see `Vault::export`).
pub fn decrypt<R: Read, W: Write>(
    key: &SecretKey,
    expected_id: Option<&[u8; ID_LEN]>,
    input: R,
    mut out: W,
) -> Result<u64> {
    let mut opener = Opener::new(key, expected_id, input)?;
    while let Some(chunk) = opener.next_chunk()? {
        out.write_all(chunk)?;
    }
    out.flush()?;
    Ok(opener.plain_len())
}

/// Decrypts the sealed document `sealed`, appending its plaintext to `out`; returns the plaintext length.
/// The checks and errors of [`decrypt`], with one copy of each byte instead of two: see [`decrypt_to_vec`].
pub fn decrypt_slice(
    key: &SecretKey,
    expected_id: Option<&[u8; ID_LEN]>,
    sealed: &[u8],
    out: &mut Vec<u8>,
) -> Result<u64> {
    // Every chunk carries at least its tag, so the plaintext is at most this long.
    let most = sealed.len().saturating_sub(HEADER_LEN + TAG_LEN);
    decrypt_to_vec(key, expected_id, sealed, most as u64, out)
}

/// Decrypts all of `input`, appending the plaintext to `out`; returns the plaintext length. The checks
/// and errors of [`decrypt`], with one copy of each byte instead of two: each sealed chunk is read into its
/// place in `out` (into spare capacity, neither zero-filled first nor staged in a chunk buffer) and
/// opened there while it is still in the CPU cache; its tag is then dropped. All or nothing: on failure
/// what was appended is wiped and `out` is as it was.
///
/// `plain_len_hint` is the room reserved up front, the expected plaintext length: if it is right, `out`
/// is allocated once. Too small costs only reallocations; too big, memory (so bound it by what is
/// known, such as the sealed length).
pub fn decrypt_to_vec<R: Read>(
    key: &SecretKey,
    expected_id: Option<&[u8; ID_LEN]>,
    mut input: R,
    plain_len_hint: u64,
    out: &mut Vec<u8>,
) -> Result<u64> {
    let start = out.len();
    match open_into(key, expected_id, &mut input, plain_len_hint, out) {
        Ok(()) => Ok((out.len() - start) as u64),
        Err(e) => {
            keys_wipe(&mut out[start..]);
            out.truncate(start);
            Err(e)
        }
    }
}

fn open_into<R: Read>(
    key: &SecretKey,
    expected_id: Option<&[u8; ID_LEN]>,
    input: &mut R,
    plain_len_hint: u64,
    out: &mut Vec<u8>,
) -> Result<()> {
    let chunks = ChunkKey::read(key, input, expected_id)?;
    let sealed_chunk = chunks.sealed_chunk_len();
    // The plaintext, then room for the last chunk's tag and for the byte read ahead.
    let room =
        usize::try_from(plain_len_hint).ok().and_then(|n| n.checked_add(TAG_LEN + 1)).ok_or_else(out_of_memory)?;
    out.try_reserve_exact(room).map_err(|_| out_of_memory())?;
    let mut n = 0u32;
    // Chunk `n` goes to `out[at..]`, which already holds its first byte if that was read ahead.
    let mut at = out.len();
    loop {
        // As `Opener` does, read one byte past a full chunk to know whether this chunk is the last.
        // `read_to_end` reads into the spare capacity (`File`, slices and `Cursor` write it without
        // zero-filling it first); `take` stops it there.
        let want = at + sealed_chunk + 1 - out.len();
        input.by_ref().take(want as u64).read_to_end(out).map_err(from_io)?;
        let filled = out.len() - at;
        let (len, last) = if filled == sealed_chunk + 1 { (sealed_chunk, false) } else { (filled, true) };
        let end = at + chunks.open(n, last, &mut out[at..at + len])?;
        if last {
            out.truncate(end);
            return Ok(());
        }
        // The byte read ahead starts the next chunk, which goes where this chunk's tag was.
        out[end] = out[at + sealed_chunk];
        out.truncate(end + 1);
        n = next_counter(n)?;
        at = end;
    }
}

/// An [`Opener`] as a `Read`: plaintext of authenticated chunks only; a failing chunk is an error.
pub struct OpeningReader<R: Read> {
    opener: Opener<R>,
    pending: Vec<u8>,
    pos: usize,
}

impl<R: Read> OpeningReader<R> {
    pub fn new(opener: Opener<R>) -> Self {
        OpeningReader { opener, pending: Vec::new(), pos: 0 }
    }
}

impl<R: Read> Read for OpeningReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.pending.len() {
            self.pending.clear();
            self.pos = 0;
            match self.opener.next_chunk() {
                Ok(Some(chunk)) => self.pending.extend_from_slice(chunk),
                Ok(None) => return Ok(0),
                Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, CorruptIo(e.to_string()))),
            }
        }
        let n = (self.pending.len() - self.pos).min(out.len());
        out[..n].copy_from_slice(&self.pending[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl<R: Read> Drop for OpeningReader<R> {
    fn drop(&mut self) {
        keys_wipe(&mut self.pending);
    }
}

/// Carries a format failure through `io::Error`, so it comes out as [`Error::Corrupt`] again.
#[derive(Debug)]
pub(crate) struct CorruptIo(pub String);

impl std::fmt::Display for CorruptIo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CorruptIo {}

/// An I/O error back to a core error, recognising failures of sealed data.
pub(crate) fn from_io(e: io::Error) -> Error {
    match e.get_ref().and_then(|inner| inner.downcast_ref::<CorruptIo>()) {
        Some(CorruptIo(detail)) => Error::Corrupt(detail.clone()),
        None => Error::Io(e),
    }
}

/// Reads until `buf` is full or the input ends; returns how much was read.
pub(crate) fn read_full<R: Read + ?Sized>(input: &mut R, buf: &mut [u8]) -> Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(from_io(e)),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i as u32).wrapping_mul(2_654_435_761).to_be_bytes()[0]).collect()
    }

    fn seal_bytes(key: &SecretKey, id: [u8; ID_LEN], plain: &[u8], chunk: u32) -> Vec<u8> {
        let header = Header::with_chunk_size(id, chunk).unwrap();
        let mut out = Vec::new();
        encrypt(key, &header, plain, &mut out).unwrap();
        out
    }

    fn open_bytes(key: &SecretKey, id: [u8; ID_LEN], sealed: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        decrypt(key, Some(&id), sealed, &mut out)?;
        Ok(out)
    }

    #[test]
    fn round_trips_at_every_boundary_with_small_chunks() {
        let key = SecretKey::generate().unwrap();
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 100] {
            let plain = content(len);
            let sealed = seal_bytes(&key, [1; ID_LEN], &plain, 16);
            assert_eq!(sealed.len() as u64, sealed_len(len as u64, 16), "len {len}");
            assert_eq!(open_bytes(&key, [1; ID_LEN], &sealed).unwrap(), plain, "len {len}");
        }
    }

    #[test]
    fn the_writer_and_the_reader_agree_with_the_one_shot_functions() {
        let key = SecretKey::generate().unwrap();
        let plain = content(70_000);
        let header = Header::new([2; ID_LEN]).unwrap();
        let mut sealer = Sealer::new(&key, &header, Vec::new()).unwrap();
        for piece in plain.chunks(1000) {
            sealer.write_all(piece).unwrap();
        }
        let (sealed, n) = sealer.finish().unwrap();
        assert_eq!(n, 70_000);
        let opener = Opener::new(&key, Some(&[2; ID_LEN]), sealed.as_slice()).unwrap();
        let mut back = Vec::new();
        OpeningReader::new(opener).read_to_end(&mut back).unwrap();
        assert_eq!(back, plain);
    }

    #[test]
    fn every_single_changed_byte_is_caught() {
        let key = SecretKey::generate().unwrap();
        let sealed = seal_bytes(&key, [3; ID_LEN], &content(40), 16);
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            let err = open_bytes(&key, [3; ID_LEN], &bad).unwrap_err();
            assert!(matches!(err, Error::Corrupt(_)), "byte {i}: {err:?}");
        }
    }

    #[test]
    fn cuts_swaps_and_appends_are_named() {
        let key = SecretKey::generate().unwrap();
        let sealed = seal_bytes(&key, [4; ID_LEN], &content(48), 16); // three full chunks
        let chunk = 16 + TAG_LEN;
        // Cut at a chunk boundary: the new last chunk was sealed as "not last".
        let cut = &sealed[..HEADER_LEN + 2 * chunk];
        let err = open_bytes(&key, [4; ID_LEN], cut).unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");
        // Cut right after the header.
        assert!(open_bytes(&key, [4; ID_LEN], &sealed[..HEADER_LEN]).unwrap_err().to_string().contains("truncated"));
        // Appended bytes.
        let mut longer = sealed.clone();
        longer.extend_from_slice(b"more");
        assert!(matches!(open_bytes(&key, [4; ID_LEN], &longer), Err(Error::Corrupt(_))));
        // Another document's file.
        let err = open_bytes(&key, [5; ID_LEN], &sealed).unwrap_err().to_string();
        assert!(err.contains("swapped"), "{err}");
        // Not a document at all.
        assert!(open_bytes(&key, [4; ID_LEN], b"hello").unwrap_err().to_string().contains("too short"));
    }

    /// A reader that hands out at most a few bytes per call, as a slow file or pipe may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(7);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// What each way of decrypting makes of `sealed`: the plaintext, or the error as text.
    fn every_way_of_opening(key: &SecretKey, id: [u8; ID_LEN], sealed: &[u8]) -> std::result::Result<Vec<u8>, String> {
        let streamed = open_bytes(key, id, sealed).map_err(|e| e.to_string());
        let mut outcomes = Vec::new();
        // The in-memory paths append to what `out` holds, and leave it as it was on failure.
        for way in 0..4 {
            let mut out = b"kept".to_vec();
            let got = match way {
                0 => decrypt_slice(key, Some(&id), sealed, &mut out),
                1 => decrypt_to_vec(key, Some(&id), sealed, 0, &mut out),
                2 => decrypt_to_vec(key, Some(&id), Trickle(sealed), 1 << 20, &mut out),
                _ => decrypt_to_vec(key, Some(&id), io::Cursor::new(sealed), sealed.len() as u64, &mut out),
            };
            let got = match got {
                Ok(n) => {
                    assert_eq!(n as usize, out.len() - 4, "way {way}");
                    Ok(out[4..].to_vec())
                }
                Err(e) => {
                    assert!(matches!(e, Error::Corrupt(_)), "way {way}: {e:?}");
                    assert_eq!(out, b"kept", "way {way}: a failed decryption must leave `out` as it was");
                    Err(e.to_string())
                }
            };
            outcomes.push(got);
        }
        for (way, got) in outcomes.into_iter().enumerate() {
            assert_eq!(got, streamed, "way {way} disagrees with the stream");
        }
        streamed
    }

    fn seal_slice(key: &SecretKey, header: &Header, plain: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        assert_eq!(encrypt_slice(key, header, plain, &mut out).unwrap(), plain.len() as u64);
        out
    }

    #[test]
    fn the_in_memory_paths_give_the_bytes_of_the_streams_at_every_chunk_boundary() {
        let key = SecretKey::generate().unwrap();
        let c = CHUNK_SIZE as usize;
        for len in [0, 1, c - 1, c, c + 1, 2 * c, 3 * c - 1, 3 * c, 3 * c + 1, 5 * c + 12_345] {
            let plain = content(len);
            let header = Header::new([6; ID_LEN]).unwrap();
            let mut streamed = Vec::new();
            encrypt(&key, &header, plain.as_slice(), &mut streamed).unwrap();
            let sealed = seal_slice(&key, &header, &plain);
            assert!(sealed == streamed, "len {len}: encrypt_slice and encrypt differ");
            assert_eq!(sealed.len() as u64, sealed_len(len as u64, CHUNK_SIZE), "len {len}");
            // Appending after existing bytes seals the same document after them.
            let mut after = b"prefix".to_vec();
            encrypt_slice(&key, &header, &plain, &mut after).unwrap();
            assert!(after[6..] == sealed[..], "len {len}");
            assert!(every_way_of_opening(&key, [6; ID_LEN], &sealed).unwrap() == plain, "len {len}");
            // With the right hint, the plaintext is allocated once: room for it, a tag and one byte.
            let mut out = Vec::new();
            decrypt_to_vec(&key, Some(&[6; ID_LEN]), sealed.as_slice(), len as u64, &mut out).unwrap();
            assert!(out.capacity() <= len + TAG_LEN + 1, "len {len}: capacity {}", out.capacity());
        }
    }

    #[test]
    fn the_in_memory_paths_round_trip_small_chunks_at_every_boundary() {
        let key = SecretKey::generate().unwrap();
        for len in 0..=100 {
            let plain = content(len);
            let header = Header::with_chunk_size([1; ID_LEN], 16).unwrap();
            let sealed = seal_slice(&key, &header, &plain);
            let mut streamed = Vec::new();
            encrypt(&key, &header, plain.as_slice(), &mut streamed).unwrap();
            assert_eq!(sealed, streamed, "len {len}");
            assert_eq!(every_way_of_opening(&key, [1; ID_LEN], &sealed).unwrap(), plain, "len {len}");
        }
    }

    #[test]
    fn the_in_memory_paths_fail_as_the_stream_does() {
        let key = SecretKey::generate().unwrap();
        let id = [8; ID_LEN];
        // Small chunks: every changed byte, every cut, appended bytes, another document's id.
        let sealed = seal_slice(&key, &Header::with_chunk_size(id, 16).unwrap(), &content(48));
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x20;
            every_way_of_opening(&key, id, &bad).unwrap_err();
        }
        for cut in 0..sealed.len() {
            every_way_of_opening(&key, id, &sealed[..cut]).unwrap_err();
        }
        let mut longer = sealed.clone();
        longer.push(0);
        every_way_of_opening(&key, id, &longer).unwrap_err();
        let err = every_way_of_opening(&key, [9; ID_LEN], &sealed).unwrap_err();
        assert!(err.contains("swapped"), "{err}");

        // Standard chunks: a changed byte in the middle chunk, a cut at a chunk boundary, chunks swapped.
        let c = CHUNK_SIZE as usize;
        let chunk = c + TAG_LEN;
        let sealed = seal_slice(&key, &Header::new(id).unwrap(), &content(3 * c));
        let mut bad = sealed.clone();
        bad[HEADER_LEN + chunk + 100] ^= 1;
        let err = every_way_of_opening(&key, id, &bad).unwrap_err();
        assert!(err.contains("chunk 1 does not authenticate"), "{err}");
        let err = every_way_of_opening(&key, id, &sealed[..HEADER_LEN + 2 * chunk]).unwrap_err();
        assert!(err.contains("cut after chunk 1"), "{err}");
        let mut swapped = sealed[..HEADER_LEN].to_vec();
        swapped.extend_from_slice(&sealed[HEADER_LEN + chunk..HEADER_LEN + 2 * chunk]);
        swapped.extend_from_slice(&sealed[HEADER_LEN..HEADER_LEN + chunk]);
        swapped.extend_from_slice(&sealed[HEADER_LEN + 2 * chunk..]);
        let err = every_way_of_opening(&key, id, &swapped).unwrap_err();
        assert!(err.contains("chunk 0 does not authenticate"), "{err}");
        // Cut inside a chunk: a partial chunk is no last chunk, a piece shorter than a tag is no chunk.
        let err = every_way_of_opening(&key, id, &sealed[..HEADER_LEN + chunk + 100]).unwrap_err();
        assert!(err.contains("chunk 1 does not authenticate"), "{err}");
        let err = every_way_of_opening(&key, id, &sealed[..HEADER_LEN + chunk + 10]).unwrap_err();
        assert!(err.contains("stops inside or before chunk 1"), "{err}");
    }
}
