//! Where sealed documents go, and how a write survives a crash.
//!
//! One crypto path, two places for its output, behind [`BlobStore`]:
//! - [`FileBlobs`], with a data directory: one file per document under `<data_dir>/vault/`;
//! - [`DbBlobs`], without one (in memory, and the browser, whose persistent storage is the database):
//!   a BLOB row per document. This back end holds one sealed document in memory while writing or reading.
//!
//! A write is: sealed bytes to a temporary file, fsync, rename over the final name, fsync the directory —
//! and only then the metadata row, in its own transaction. A crash before the rename leaves a temporary
//! file; a crash between the rename and the row leaves a file no row names. Both are removed when the
//! app opens ([`sweep_dir`]), so what remains is exactly the old state or the new one: never a half
//! document (the rename is atomic) and never a row without its file (the row comes last). Deleting runs
//! the other way round: row first, then the file.
//!
//! The sweep assumes one process per data directory, as an app is; two processes writing the same vault
//! at once could sweep each other's file between its rename and its row.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Cursor, Read, Write};
use std::path::{Path, PathBuf};

use crate::context::Context;
use crate::error::{Error, Result};
use crate::vault::db;

/// The extension of a sealed document file.
pub const SEALED_EXT: &str = "zsv";
const TEMP_EXT: &str = "tmp";

/// A sealed document being written; nothing is visible under its id until [`PendingBlob::commit`].
/// Dropping it uncommitted discards it.
pub(crate) trait PendingBlob: Write {
    fn commit(self: Box<Self>) -> Result<()>;
}

pub(crate) trait BlobStore {
    fn create(&self, id: &str) -> Result<Box<dyn PendingBlob + '_>>;
    fn open(&self, id: &str) -> Result<Box<dyn Read + '_>>;
    fn len(&self, id: &str) -> Result<u64>;
    /// Removes the sealed bytes of `id`; missing ones are not an error.
    fn remove(&self, id: &str) -> Result<()>;
}

fn missing(id: &str) -> Error {
    Error::Corrupt(format!("the sealed file of document {id} is missing"))
}

// ---- files ----

pub(crate) struct FileBlobs<'a> {
    dir: &'a Path,
}

impl<'a> FileBlobs<'a> {
    pub fn new(dir: &'a Path) -> Self {
        FileBlobs { dir }
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.{SEALED_EXT}"))
    }
}

/// Makes a rename or removal in `dir` durable. Directories cannot be opened for syncing on Windows,
/// where NTFS journals the rename itself.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Creates `dir` owner-only (0700; its missing parents too), and makes its entry in the parent durable,
/// if it does not exist. An existing directory that others may read is narrowed to the owner: the app's
/// data (the dossier, the PIN wrapping, the seal's wrapped key) is nobody else's business.
pub(crate) fn ensure_dir(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            sync_dir(parent)?;
        }
    }
    owner_only(dir, 0o700)
}

/// Narrows `path` to `mode` if group or others have any access (Unix; elsewhere the platform's ACLs of
/// the user's profile apply).
pub(crate) fn owner_only(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let current = fs::metadata(path)?.permissions().mode();
        if current & 0o077 != 0 {
            fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Creates the database file owner-only (0600) before SQLite opens it, so it and the journal files SQLite
/// makes beside it (which copy its mode) are never readable by others; an existing one is narrowed.
pub(crate) fn ensure_private_file(path: &Path) -> Result<()> {
    match create_private(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => owner_only(path, 0o600),
        Err(e) => Err(e.into()),
    }
}

/// A new file only the owner can read, failing if it exists.
pub(crate) fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A temporary name beside `dest`, unique and recognisable by the sweep.
pub(crate) fn temp_path(dest: &Path) -> Result<PathBuf> {
    let suffix = super::hex(&super::keys::random_array::<6>()?);
    let name = dest.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    Ok(dest.with_file_name(format!(".{name}.{suffix}.{TEMP_EXT}")))
}

/// A file written under a temporary name and renamed into place by `commit`.
pub(crate) struct AtomicFile {
    file: Option<File>,
    temp: PathBuf,
    dest: PathBuf,
}

impl AtomicFile {
    pub fn create(dest: &Path) -> Result<AtomicFile> {
        let temp = temp_path(dest)?;
        let file = create_private(&temp)?;
        Ok(AtomicFile { file: Some(file), temp, dest: dest.to_owned() })
    }

    /// fsync, rename over the destination, fsync the directory.
    pub fn commit(mut self) -> Result<()> {
        if let Some(file) = self.file.take() {
            file.sync_all()?;
        }
        fs::rename(&self.temp, &self.dest)?;
        // A bare file name's parent is "": the current directory.
        match self.dest.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => sync_dir(dir)?,
            _ => sync_dir(Path::new("."))?,
        }
        Ok(())
    }
}

/// Seeking lets a writer go back and fill in what it learns at the end (the seal's ZIP writes each
/// entry's size and checksum into its header).
impl io::Seek for AtomicFile {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        match self.file.as_mut() {
            Some(f) => f.seek(pos),
            None => Err(io::Error::other("file already committed")),
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.file.as_mut() {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.write_all(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |f| f.flush())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            // Not committed: the temporary file goes (a crash leaves it to the sweep instead).
            let _ = fs::remove_file(&self.temp);
        }
    }
}

impl PendingBlob for AtomicFile {
    fn commit(self: Box<Self>) -> Result<()> {
        AtomicFile::commit(*self)
    }
}

impl BlobStore for FileBlobs<'_> {
    fn create(&self, id: &str) -> Result<Box<dyn PendingBlob + '_>> {
        ensure_dir(self.dir)?;
        Ok(Box::new(AtomicFile::create(&self.path(id))?))
    }

    fn open(&self, id: &str) -> Result<Box<dyn Read + '_>> {
        match File::open(self.path(id)) {
            Ok(f) => Ok(Box::new(f)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(missing(id)),
            Err(e) => Err(e.into()),
        }
    }

    fn len(&self, id: &str) -> Result<u64> {
        match fs::metadata(self.path(id)) {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(missing(id)),
            Err(e) => Err(e.into()),
        }
    }

    fn remove(&self, id: &str) -> Result<()> {
        match fs::remove_file(self.path(id)) {
            Ok(()) => sync_dir(self.dir),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

/// Removes what a crash left in the vault directory: temporary files, and sealed files whose id
/// `keep` does not accept (no metadata row). Other files are left alone. Returns how many went.
pub(crate) fn sweep_dir(dir: &Path, keep: &dyn Fn(&str) -> bool) -> Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let orphan = if name.starts_with('.') && name.ends_with(&format!(".{TEMP_EXT}")) {
            true
        } else if let Some(id) = name.strip_suffix(&format!(".{SEALED_EXT}")) {
            !keep(id)
        } else {
            false
        };
        if orphan && entry.file_type()?.is_file() {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    if removed > 0 {
        sync_dir(dir)?;
    }
    Ok(removed)
}

// ---- database ----

pub(crate) struct DbBlobs<'a> {
    ctx: &'a Context,
}

impl<'a> DbBlobs<'a> {
    pub fn new(ctx: &'a Context) -> Self {
        DbBlobs { ctx }
    }
}

struct PendingRow<'a> {
    ctx: &'a Context,
    id: String,
    data: Vec<u8>,
}

impl Write for PendingRow<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.data.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl PendingBlob for PendingRow<'_> {
    fn commit(self: Box<Self>) -> Result<()> {
        self.ctx.store()?.write(|tx| db::put_blob(tx, &self.id, &self.data))
    }
}

impl BlobStore for DbBlobs<'_> {
    fn create(&self, id: &str) -> Result<Box<dyn PendingBlob + '_>> {
        Ok(Box::new(PendingRow { ctx: self.ctx, id: id.to_owned(), data: Vec::new() }))
    }

    fn open(&self, id: &str) -> Result<Box<dyn Read + '_>> {
        let data = self.ctx.store()?.read(|c| db::get_blob(c, id))?.ok_or_else(|| missing(id))?;
        Ok(Box::new(Cursor::new(data)))
    }

    fn len(&self, id: &str) -> Result<u64> {
        self.ctx.store()?.read(|c| db::blob_len(c, id))?.ok_or_else(|| missing(id))
    }

    fn remove(&self, id: &str) -> Result<()> {
        self.ctx.store()?.write(|tx| db::delete_blob(tx, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncommitted_file_leaves_nothing_and_a_committed_one_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("a.zsv");
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"whole").unwrap();
        f.commit().unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"whole");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_sweep_removes_temporary_and_unowned_files_only() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["keep.zsv", "orphan.zsv", ".keep.zsv.abc.tmp", "notes.txt"] {
            fs::write(dir.path().join(name), b"x").unwrap();
        }
        let removed = sweep_dir(dir.path(), &|id| id == "keep").unwrap();
        assert_eq!(removed, 2);
        let mut left: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, ["keep.zsv", "notes.txt"]);
        assert_eq!(sweep_dir(&dir.path().join("none"), &|_| true).unwrap(), 0);
    }
}
