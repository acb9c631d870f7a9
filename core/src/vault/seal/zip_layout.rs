//! The strict reader of a seal package's bytes: before anything in a package is trusted, its ZIP must be
//! laid out exactly as [`super`]'s writer lays it out, so that every ZIP reader sees the same files.
//!
//! Why not just a ZIP library: ZIP readers disagree about where the files are. Libraries such as the
//! `zip` crate, Java's `ZipFile` and browsers' unzippers go by the central directory at the end; streaming
//! readers such as Java's `ZipInputStream` (Android), `unzip -` pipes and many mail scanners go through
//! the local headers front to back and never see the central directory. A forger who adds a local entry
//! the central directory does not list (before the first entry, between the last one and the central
//! directory), or renames an entry in its local header only, makes a package whose signed files pass a
//! central-directory check while a streaming reader shows the forgery. Overlapping entries, or one entry
//! listed thousands of times, also make a verifier hash far more bytes than the file holds.
//!
//! So the rule here is that the bytes are read once, end to end, and must be exactly:
//!
//! ```text
//! entry 0 | entry 1 | … | entry n-1 | central directory | [ZIP64 end record | ZIP64 locator] | end record
//! ```
//!
//! - each entry is a local header, its name and at most a ZIP64 size field, then its bytes, stored (not
//!   compressed), with nothing between entries: entry 0 starts at offset 0, each next one where the
//!   previous one's bytes end, and the central directory right after the last one;
//! - the central directory lists the entries in that order, each record matching its local header (name
//!   bytes, flags, method, time, CRC-32, sizes, version), with no comments, no encryption, no data
//!   descriptor, no other extra field than the ZIP64 one where the writer puts it, and only regular files;
//! - the end record is the last 22 bytes of the file, with no comment; the ZIP64 records (which the writer
//!   adds when the central directory starts beyond 4 GiB) are right before it, and agree with it;
//! - at most [`MAX_ENTRIES`] entries.
//!
//! Then every byte of the file belongs to exactly one part, and the bytes hashed are at most the file's
//! size. Anything else is [`Malformed`]: a package the verifier refuses as a whole, without reading its
//! manifest or files.

use std::io::{Read, Seek, SeekFrom};

use crate::error::{Error, Result};

/// Most entries a package may have (its documents, the manifest and the signature).
pub const MAX_ENTRIES: usize = 10_000;
/// Longest entry name, in bytes: a document name is at most 255 characters (up to 1,020 bytes of UTF-8)
/// after `files/`.
pub const MAX_NAME_BYTES: usize = 2048;

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const END_SIG: u32 = 0x0605_4b50;
const END64_SIG: u32 = 0x0606_4b50;
const LOCATOR64_SIG: u32 = 0x0706_4b50;
const LOCAL_LEN: usize = 30;
const CENTRAL_LEN: usize = 46;
const END_LEN: usize = 22;
const END64_LEN: usize = 56;
const LOCATOR64_LEN: usize = 20;
/// The ZIP64 extended information extra field.
const ZIP64_ID: u16 = 0x0001;
/// The largest extra field the writer puts in a central record: ZIP64 with both sizes and the offset.
const MAX_CENTRAL_EXTRA: usize = 4 + 24;
/// General purpose bit 11: the name is UTF-8. No other flag is allowed (bit 0 encryption, bit 3 data
/// descriptor, bit 6 strong encryption, bit 13 masked headers, …).
const UTF8_FLAG: u16 = 0x0800;
/// A 32-bit field whose value is in the ZIP64 records instead.
const MAX32: u32 = u32::MAX;
/// How far back from the end a lenient reader looks for an end record (it may be followed by a
/// comment of up to 65,535 bytes): used only to tell "not a ZIP" from "a ZIP with something after it".
const END_SEARCH: u64 = 0xFFFF + END_LEN as u64;
/// Made by Unix (high byte of "version made by"): the external attributes hold a file mode.
const UNIX: u16 = 3;
const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
/// MS-DOS directory attribute.
const DOS_DIRECTORY: u32 = 0x10;

/// One entry of a well-formed package, where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// Where its local header starts.
    pub header_offset: u64,
    /// Where its bytes start; they are `size` bytes long (stored: as written).
    pub data_offset: u64,
    pub size: u64,
    /// The CRC-32 both headers give for its bytes (checked when the bytes are read).
    pub crc32: u32,
}

/// A package's entries, in file order; every byte of the file is accounted for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub entries: Vec<Entry>,
    /// The file's size.
    pub len: u64,
}

/// Why the bytes are not laid out as a package must be (English, for developers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

macro_rules! malformed {
    ($($arg:tt)*) => {
        return Ok(Err(Malformed(format!($($arg)*))))
    };
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut v = [0u8; 8];
    v.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(v)
}

fn read_at<R: Read + Seek>(source: &mut R, offset: u64, buf: &mut [u8]) -> Result<()> {
    source.seek(SeekFrom::Start(offset))?;
    source.read_exact(buf)?;
    Ok(())
}

/// The end of the central directory, as the end records give it.
struct End {
    entries: u64,
    cd_offset: u64,
    cd_size: u64,
    /// Where the central directory must end: the ZIP64 end record, or the end record.
    cd_end: u64,
}

/// One central-directory record, checked on its own.
struct Central {
    version_needed: u16,
    flags: u16,
    time: u16,
    date: u16,
    crc32: u32,
    size: u64,
    /// Whether the sizes are in a ZIP64 field (then the local header has them there too).
    sizes_in_zip64: bool,
    offset: u64,
    name: Vec<u8>,
}

/// Reads and checks the layout of the package in `source`. `Err`: the source does not read, or it is not
/// a ZIP at all (no end record near its end); `Ok(Err)`: a ZIP, but not laid out as a package is.
pub fn read<R: Read + Seek>(source: &mut R) -> Result<std::result::Result<Layout, Malformed>> {
    let len = source.seek(SeekFrom::End(0))?;
    let end = match read_end(source, len)? {
        Ok(end) => end,
        Err(e) => return Ok(Err(e)),
    };
    let count = match usize::try_from(end.entries) {
        Ok(n) if n <= MAX_ENTRIES => n,
        _ => malformed!("{} entries, more than {MAX_ENTRIES}", end.entries),
    };
    let max_record = (CENTRAL_LEN + MAX_NAME_BYTES + MAX_CENTRAL_EXTRA) as u64;
    if end.cd_size < (count * CENTRAL_LEN) as u64 || end.cd_size > count as u64 * max_record {
        malformed!("a central directory of {} bytes for {count} entries", end.cd_size);
    }
    if end.cd_offset.checked_add(end.cd_size) != Some(end.cd_end) {
        malformed!(
            "the central directory ({} bytes at {}) does not end where the end record is ({})",
            end.cd_size,
            end.cd_offset,
            end.cd_end
        );
    }
    // Bounded: at most MAX_ENTRIES records of bounded size, and inside the file.
    let mut cd = vec![0u8; end.cd_size as usize];
    read_at(source, end.cd_offset, &mut cd)?;
    let mut records = Vec::with_capacity(count);
    let mut at = 0;
    for i in 0..count {
        match read_central(&cd[at..]) {
            Ok((record, used)) => {
                records.push(record);
                at += used;
            }
            Err(Malformed(why)) => malformed!("central record {i}: {why}"),
        }
    }
    if at != cd.len() {
        malformed!("{} bytes after the last central record", cd.len() - at);
    }

    // The entries, front to back: each local header where the previous entry ends, matching its record.
    let mut entries = Vec::with_capacity(count);
    let mut pos = 0u64;
    for (i, c) in records.into_iter().enumerate() {
        if c.offset != pos {
            malformed!("entry {i} starts at {}, not at {pos} where the previous one ends", c.offset);
        }
        let local_extra = if c.sizes_in_zip64 { 20 } else { 0 };
        let header_len = (LOCAL_LEN + c.name.len() + local_extra) as u64;
        let data_offset = pos + header_len;
        let Some(data_end) = data_offset.checked_add(c.size).filter(|e| *e <= end.cd_offset) else {
            malformed!("entry {i} ({} bytes at {pos}) runs into the central directory", c.size);
        };
        let mut header = vec![0u8; header_len as usize];
        read_at(source, pos, &mut header)?;
        if let Err(Malformed(why)) = check_local(&header, &c) {
            malformed!("local header of entry {i}: {why}");
        }
        let Ok(name) = String::from_utf8(c.name) else { malformed!("entry {i}: the name is not UTF-8") };
        entries.push(Entry { name, header_offset: pos, data_offset, size: c.size, crc32: c.crc32 });
        pos = data_end;
    }
    if pos != end.cd_offset {
        malformed!("{} bytes between the last entry and the central directory", end.cd_offset - pos);
    }
    Ok(Ok(Layout { entries, len }))
}

/// The end record (the last 22 bytes, no comment) and, if present, the ZIP64 records right before it.
fn read_end<R: Read + Seek>(source: &mut R, len: u64) -> Result<std::result::Result<End, Malformed>> {
    let mut eocd = [0u8; END_LEN];
    if len >= END_LEN as u64 {
        read_at(source, len - END_LEN as u64, &mut eocd)?;
    }
    if len < END_LEN as u64 || u32_at(&eocd, 0) != END_SIG {
        // A lenient reader would find an end record further back (after it a comment, or bytes appended).
        let window = len.min(END_SEARCH);
        let mut tail = vec![0u8; window as usize];
        read_at(source, len - window, &mut tail)?;
        if tail.windows(4).any(|w| w == END_SIG.to_le_bytes()) {
            malformed!("bytes after the end of central directory record (a comment or appended data)");
        }
        return Err(Error::Format("not a seal package (a ZIP file): no end of central directory record".into()));
    }
    let (disk, cd_disk) = (u16_at(&eocd, 4), u16_at(&eocd, 6));
    let (disk_entries, entries) = (u16_at(&eocd, 8), u16_at(&eocd, 10));
    let (cd_size, cd_offset) = (u32_at(&eocd, 12), u32_at(&eocd, 16));
    if u16_at(&eocd, 20) != 0 {
        malformed!("the end record has a comment");
    }
    if disk != 0 || cd_disk != 0 || disk_entries != entries {
        malformed!("a multi-disk archive (disk {disk}, central directory on disk {cd_disk})");
    }
    let eocd_at = len - END_LEN as u64;
    let mut locator = [0u8; LOCATOR64_LEN];
    let zip64 = eocd_at >= (LOCATOR64_LEN + END64_LEN) as u64 && {
        read_at(source, eocd_at - LOCATOR64_LEN as u64, &mut locator)?;
        u32_at(&locator, 0) == LOCATOR64_SIG
    };
    if !zip64 {
        if entries == u16::MAX || cd_size == MAX32 || cd_offset == MAX32 {
            malformed!("ZIP64 values in the end record without ZIP64 records");
        }
        return Ok(Ok(End {
            entries: entries.into(),
            cd_offset: cd_offset.into(),
            cd_size: cd_size.into(),
            cd_end: eocd_at,
        }));
    }
    let end64_at = eocd_at - (LOCATOR64_LEN + END64_LEN) as u64;
    if u32_at(&locator, 4) != 0 || u64_at(&locator, 8) != end64_at || u32_at(&locator, 16) != 1 {
        malformed!("the ZIP64 locator does not point right before itself");
    }
    let mut end64 = [0u8; END64_LEN];
    read_at(source, end64_at, &mut end64)?;
    if u32_at(&end64, 0) != END64_SIG || u64_at(&end64, 4) != (END64_LEN - 12) as u64 {
        malformed!("no ZIP64 end record (without extensible data) before the locator");
    }
    let (entries64, cd_size64, cd_offset64) = (u64_at(&end64, 32), u64_at(&end64, 40), u64_at(&end64, 48));
    if u32_at(&end64, 16) != 0 || u32_at(&end64, 20) != 0 || u64_at(&end64, 24) != entries64 {
        malformed!("a multi-disk ZIP64 archive");
    }
    // The 32-bit values either agree or say "see ZIP64": a reader that ignores ZIP64 sees the same.
    if (entries != u16::MAX && u64::from(entries) != entries64)
        || (cd_size != MAX32 && u64::from(cd_size) != cd_size64)
        || (cd_offset != MAX32 && u64::from(cd_offset) != cd_offset64)
    {
        malformed!("the end record and the ZIP64 end record disagree");
    }
    Ok(Ok(End { entries: entries64, cd_offset: cd_offset64, cd_size: cd_size64, cd_end: end64_at }))
}

/// One central record at the start of `b`, and its length.
fn read_central(b: &[u8]) -> std::result::Result<(Central, usize), Malformed> {
    let bad = |why: &str| Err(Malformed(why.to_owned()));
    if b.len() < CENTRAL_LEN || u32_at(b, 0) != CENTRAL_SIG {
        return bad("no central record");
    }
    let made_by = u16_at(b, 4);
    let flags = u16_at(b, 8);
    let method = u16_at(b, 10);
    let (size32, usize32) = (u32_at(b, 20), u32_at(b, 24));
    let (name_len, extra_len, comment_len) =
        (usize::from(u16_at(b, 28)), usize::from(u16_at(b, 30)), usize::from(u16_at(b, 32)));
    let (disk, external, offset32) = (u16_at(b, 34), u32_at(b, 38), u32_at(b, 42));
    if name_len == 0 || name_len > MAX_NAME_BYTES || extra_len > MAX_CENTRAL_EXTRA {
        return bad("a name or extra field of unexpected length");
    }
    if comment_len != 0 {
        return bad("a file comment");
    }
    let used = CENTRAL_LEN + name_len + extra_len;
    if b.len() < used {
        return bad("the record runs past the central directory");
    }
    if flags & !UTF8_FLAG != 0 {
        return bad("flags other than UTF-8 (encryption, a data descriptor, …)");
    }
    if method != 0 {
        return bad("a compressed entry (packages are stored)");
    }
    if disk != 0 {
        return bad("an entry on another disk");
    }
    let name = b[CENTRAL_LEN..CENTRAL_LEN + name_len].to_vec();
    check_name(&name, flags)?;
    if external & DOS_DIRECTORY != 0 || (made_by >> 8 == UNIX && !matches!((external >> 16) & S_IFMT, 0 | S_IFREG)) {
        return bad("not a regular file (a directory, a link, a device)");
    }
    // ZIP64: the values whose 32-bit field says so, in the order uncompressed size, compressed size,
    // offset, and nothing else. The writer puts both sizes there or neither.
    let sizes_in_zip64 = match (usize32 == MAX32, size32 == MAX32) {
        (true, true) => true,
        (false, false) => false,
        _ => return bad("one size in ZIP64, the other not"),
    };
    let offset_in_zip64 = offset32 == MAX32;
    let want = if sizes_in_zip64 { 16 } else { 0 } + if offset_in_zip64 { 8 } else { 0 };
    let extra = &b[CENTRAL_LEN + name_len..used];
    let (mut uncompressed, mut compressed, mut offset) = (u64::from(usize32), u64::from(size32), u64::from(offset32));
    if want == 0 {
        if !extra.is_empty() {
            return bad("an extra field");
        }
    } else {
        if extra.len() != 4 + want || u16_at(extra, 0) != ZIP64_ID || usize::from(u16_at(extra, 2)) != want {
            return bad("extra fields other than the one ZIP64 field its values need");
        }
        let mut at = 4;
        if sizes_in_zip64 {
            (uncompressed, compressed) = (u64_at(extra, 4), u64_at(extra, 12));
            at += 16;
        }
        if offset_in_zip64 {
            offset = u64_at(extra, at);
        }
    }
    if uncompressed != compressed {
        return bad("compressed and uncompressed sizes differ");
    }
    let record = Central {
        version_needed: u16_at(b, 6),
        flags,
        time: u16_at(b, 12),
        date: u16_at(b, 14),
        crc32: u32_at(b, 16),
        size: uncompressed,
        sizes_in_zip64,
        offset,
        name,
    };
    Ok((record, used))
}

/// A name every reader reads the same: UTF-8 (flagged as such unless ASCII), no control characters, no
/// backslashes, not a directory.
fn check_name(name: &[u8], flags: u16) -> std::result::Result<(), Malformed> {
    let Ok(text) = std::str::from_utf8(name) else { return Err(Malformed("the name is not UTF-8".into())) };
    if !text.is_ascii() && flags & UTF8_FLAG == 0 {
        return Err(Malformed("a non-ASCII name without the UTF-8 flag (readers would decode it as CP437)".into()));
    }
    if text.chars().any(|c| c.is_control() || c == '\\') || text.ends_with('/') {
        return Err(Malformed(format!("an unexpected name {text:?}")));
    }
    Ok(())
}

/// The local header (with its name and extra field) of the entry central record `c` describes.
fn check_local(h: &[u8], c: &Central) -> std::result::Result<(), Malformed> {
    let bad = |why: &str| Err(Malformed(why.to_owned()));
    if u32_at(h, 0) != LOCAL_SIG {
        return bad("no local header where the central directory says");
    }
    if u16_at(h, 4) != c.version_needed
        || u16_at(h, 6) != c.flags
        || u16_at(h, 8) != 0
        || u16_at(h, 10) != c.time
        || u16_at(h, 12) != c.date
        || u32_at(h, 14) != c.crc32
    {
        return bad("version, flags, method, time or CRC-32 differ from the central record");
    }
    let (size32, usize32) = (u32_at(h, 18), u32_at(h, 22));
    let (name_len, extra_len) = (usize::from(u16_at(h, 26)), usize::from(u16_at(h, 28)));
    if name_len != c.name.len() || h[LOCAL_LEN..LOCAL_LEN + name_len] != c.name[..] {
        return bad("the name differs from the central record's");
    }
    let extra = &h[LOCAL_LEN + name_len..];
    if c.sizes_in_zip64 {
        if size32 != MAX32
            || usize32 != MAX32
            || extra_len != 20
            || u16_at(extra, 0) != ZIP64_ID
            || u16_at(extra, 2) != 16
            || u64_at(extra, 4) != c.size
            || u64_at(extra, 12) != c.size
        {
            return bad("the ZIP64 sizes differ from the central record's");
        }
    } else if extra_len != 0 || u64::from(size32) != c.size || u64::from(usize32) != c.size {
        return bad("sizes or extra field differ from the central record's");
    }
    Ok(())
}

/// CRC-32 (IEEE 802.3, as ZIP uses it), fed in pieces.
pub(crate) struct Crc32(u32);

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

static CRC_TABLE: [u32; 256] = crc_table();

impl Crc32 {
    pub(crate) fn new() -> Self {
        Crc32(!0)
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        let mut c = self.0;
        for &b in bytes {
            c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
        }
        self.0 = c;
    }

    pub(crate) fn finish(&self) -> u32 {
        !self.0
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    use super::*;

    fn layout(bytes: &[u8]) -> std::result::Result<Layout, Malformed> {
        read(&mut Cursor::new(bytes)).expect("a ZIP")
    }

    fn zip_of(files: &[(&str, &[u8])], large_file: bool) -> Vec<u8> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .unix_permissions(0o600)
            .large_file(large_file);
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in files {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn crc32_is_zips() {
        let mut crc = Crc32::new();
        crc.update(b"1234");
        crc.update(b"56789");
        assert_eq!(crc.finish(), 0xCBF4_3926);
    }

    #[test]
    fn what_the_writer_writes_is_read_back_whole() {
        let files: [(&str, &[u8]); 3] =
            [("files/合同.pdf", b"%PDF lease"), ("files/空", b""), ("manifest.json", b"{}")];
        for large_file in [false, true] {
            let bytes = zip_of(&files, large_file);
            let l = layout(&bytes).unwrap_or_else(|e| panic!("large_file {large_file}: {e:?}"));
            assert_eq!(l.len, bytes.len() as u64);
            let names: Vec<&str> = l.entries.iter().map(|e| e.name.as_str()).collect();
            assert_eq!(names, ["files/合同.pdf", "files/空", "manifest.json"]);
            for (e, (_, data)) in l.entries.iter().zip(files) {
                let at = e.data_offset as usize;
                assert_eq!(&bytes[at..at + e.size as usize], data);
                let mut crc = Crc32::new();
                crc.update(data);
                assert_eq!(crc.finish(), e.crc32);
            }
        }
        assert_eq!(layout(&zip_of(&[], false)).unwrap().entries, []);
    }

    /// The end of a package rewritten with the ZIP64 end records the writer adds past 4 GiB.
    fn with_zip64_end(bytes: &[u8], entries16: u16, size32: u32, offset32: u32) -> Vec<u8> {
        let eocd = bytes.len() - END_LEN;
        let (entries, cd_size, cd_offset) =
            (u16_at(bytes, eocd + 10), u32_at(bytes, eocd + 12), u32_at(bytes, eocd + 16));
        let mut out = bytes[..eocd].to_vec();
        let end64_at = out.len() as u64;
        out.extend_from_slice(&END64_SIG.to_le_bytes());
        out.extend_from_slice(&44u64.to_le_bytes());
        out.extend_from_slice(&[45, 0, 45, 0]);
        out.extend_from_slice(&[0; 8]);
        for v in [u64::from(entries), u64::from(entries), u64::from(cd_size), u64::from(cd_offset)] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&LOCATOR64_SIG.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&end64_at.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&END_SIG.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        for _ in 0..2 {
            out.extend_from_slice(&entries16.to_le_bytes());
        }
        out.extend_from_slice(&size32.to_le_bytes());
        out.extend_from_slice(&offset32.to_le_bytes());
        out.extend_from_slice(&[0; 2]);
        out
    }

    #[test]
    fn zip64_end_records_are_read_when_they_agree() {
        let bytes = zip_of(&[("manifest.json", b"{}"), ("signature.json", b"{}")], true);
        let eocd = bytes.len() - END_LEN;
        let cd_offset = u32_at(&bytes, eocd + 16);
        // As the writer writes them: count and offset as they are, the size as "see ZIP64".
        let zip64 = with_zip64_end(&bytes, 2, MAX32, cd_offset);
        assert_eq!(layout(&zip64).unwrap().entries, layout(&bytes).unwrap().entries);
        assert!(layout(&with_zip64_end(&bytes, u16::MAX, MAX32, MAX32)).is_ok());
        assert!(layout(&with_zip64_end(&bytes, 3, MAX32, cd_offset)).is_err(), "counts disagree");
        assert!(layout(&with_zip64_end(&bytes, 2, MAX32, cd_offset + 1)).is_err(), "offsets disagree");
        // The 64-bit offset moved: the central directory is not where it says.
        let mut moved = zip64.clone();
        let end64 = moved.len() - END_LEN - LOCATOR64_LEN - END64_LEN;
        moved[end64 + 48] ^= 1;
        assert!(layout(&moved).is_err());
        // A locator that does not point right before itself.
        let mut astray = zip64.clone();
        astray[moved.len() - END_LEN - LOCATOR64_LEN + 8] ^= 1;
        assert!(layout(&astray).is_err());
        // Sentinels without ZIP64 records.
        let mut sentinel = bytes.clone();
        sentinel[eocd + 12..eocd + 16].copy_from_slice(&MAX32.to_le_bytes());
        assert!(layout(&sentinel).is_err());
    }

    #[test]
    fn anything_outside_the_layout_is_malformed_and_not_a_zip_is_an_error() {
        let bytes = zip_of(&[("manifest.json", b"{}"), ("signature.json", b"{}")], false);
        let mut trailing = bytes.clone();
        trailing.extend_from_slice(b"garbage");
        assert!(layout(&trailing).is_err());
        let mut comment = bytes.clone();
        let n = comment.len();
        comment[n - 2] = 3;
        comment.extend_from_slice(b"abc");
        assert!(layout(&comment).is_err());
        let mut prefixed = b"MZ".to_vec();
        prefixed.extend_from_slice(&bytes);
        assert!(layout(&prefixed).is_err());
        for not_zip in [&b""[..], b"PK", b"%PDF-1.7 not a package", &bytes[..bytes.len() / 2]] {
            assert_eq!(read(&mut Cursor::new(not_zip)).unwrap_err().code(), "bad_format");
        }
    }
}
