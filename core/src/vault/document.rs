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
//!   plaintext is released before its chunk authenticated.
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

/// Decrypts a stream chunk by chunk; each chunk is released only after it authenticated.
pub struct Opener<R: Read> {
    key: LessSafeKey,
    header_bytes: [u8; HEADER_LEN],
    header: Header,
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
        let mut header_bytes = [0u8; HEADER_LEN];
        let got = read_full(&mut input, &mut header_bytes)?;
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
        let chunk = header.chunk_size as usize;
        Ok(Opener {
            key: key.aead()?,
            header_bytes,
            header,
            input,
            buf: vec![0u8; chunk + TAG_LEN + 1].into_boxed_slice(),
            carry: None,
            counter: 0,
            done: false,
            plain_len: 0,
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
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
        let sealed_chunk = self.header.chunk_size as usize + TAG_LEN;
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
        if len < TAG_LEN {
            return Err(Error::Corrupt(format!(
                "truncated: the document stops inside or before chunk {n} (its final chunk is missing)"
            )));
        }
        // A full chunk at the very end is either the real last chunk or the sign of a file cut at a
        // chunk boundary; keep a copy to tell the owner which (this happens once per document).
        let copy = (last && len == sealed_chunk).then(|| self.buf[..len].to_vec());
        let aad = Aad::from(self.header_bytes);
        let opened =
            self.key.open_in_place(chunk_nonce(&self.header.nonce_prefix, n, last), aad, &mut self.buf[..len]).is_ok();
        if !opened {
            self.done = true;
            if let Some(mut copy) = copy {
                let aad = Aad::from(self.header_bytes);
                let nonce = chunk_nonce(&self.header.nonce_prefix, n, false);
                if self.key.open_in_place(nonce, aad, &mut copy).is_ok() {
                    keys_wipe(&mut copy);
                    return Err(Error::Corrupt(format!(
                        "truncated: the document was cut after chunk {n}; its final chunk is missing"
                    )));
                }
            }
            return Err(Error::Corrupt(format!(
                "chunk {n} does not authenticate: a byte was changed, or chunks were reordered, cut or \
                 taken from another document"
            )));
        }
        let plain = len - TAG_LEN;
        if last {
            self.done = true;
        } else {
            self.counter = n.checked_add(1).ok_or_else(|| Error::Corrupt("more than 2^32 chunks".into()))?;
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
}
