//! Reading a `.crate` tarball (gzip + tar) entirely in memory, or a source directory.
//!
//! Only regular files under the single `name-version/` root are kept. Everything else (path
//! traversal, absolute paths, links, devices, a second root, entries over a cap) is skipped and
//! recorded; no entry is ever written to disk.
//!
//! The tarball is treated as hostile: names are checked as bytes before anything else, sizes
//! are checked before any data is read, and every read is bounded, so neither a lying header
//! nor a decompression bomb can make one crate take more memory than [`Limits`] allow.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{self, Read};

use bytes::Bytes;
use flate2::read::GzDecoder;
use risk_report::facts::SkippedEntry;

mod dir;
pub use dir::read_crate_dir;

/// Caps that bound the memory one crate can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest single entry read, in bytes.
    pub max_entry_bytes: u64,
    /// Most bytes inflated from one tarball, in total.
    pub max_total_bytes: u64,
    /// Most entries looked at in one tarball.
    pub max_entries: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entry_bytes: 64 * 1024 * 1024,
            max_total_bytes: 512 * 1024 * 1024,
            max_entries: 100_000,
        }
    }
}

/// A crate's files: path relative to the root (`/`-separated) to contents.
pub type Files = BTreeMap<String, Bytes>;

/// The files of one crate, in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unpacked {
    /// The `name-version` root folder of the tarball (or the directory's name).
    pub root: String,
    /// Path relative to the root (`/`-separated, e.g. `src/lib.rs`) to contents (views of
    /// one buffer when the tarball was inflated whole).
    pub files: Files,
    /// Entries not read, and why, sorted by path then reason. Paths are the entry's full name
    /// (`root/rel/path`, escaped); whole-archive problems use the path [`reasons::ARCHIVE`] or
    /// [`reasons::DIRECTORY`].
    pub skipped: Vec<SkippedEntry>,
    /// For a source directory: the folder, and the folders set aside in it (build output,
    /// version control: `target/`, `.git/`), whose files are read only when a module names
    /// one ([`Unpacked::read_set_aside`]).
    pub set_aside: Option<SetAside>,
}

/// Folders of a source directory that are not read up front.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetAside {
    pub dir: std::path::PathBuf,
    /// Crate-relative folder paths, each ending in `/`.
    pub folders: Vec<String>,
    pub limits: Limits,
}

impl Unpacked {
    /// Whether `rel` names a regular file in a set-aside folder (no link on the way).
    pub fn set_aside_exists(&self, rel: &str) -> bool {
        self.set_aside_path(rel)
            .is_some_and(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
    }

    /// The contents of `rel` when it is a file in a set-aside folder that a module names: read
    /// with the same rules as the rest (no link followed on the way, the entry size cap).
    pub fn read_set_aside(&self, rel: &str) -> Option<Result<Vec<u8>, String>> {
        let path = self.set_aside_path(rel)?;
        let limits = self.set_aside.as_ref()?.limits;
        Some(dir::read_bounded(&path, limits.max_entry_bytes))
    }

    /// The host path of `rel` when it is under a set-aside folder and no component on the way
    /// is a symbolic link.
    fn set_aside_path(&self, rel: &str) -> Option<std::path::PathBuf> {
        let aside = self.set_aside.as_ref()?;
        if !aside.folders.iter().any(|f| rel.starts_with(f.as_str())) {
            return None;
        }
        let mut path = aside.dir.clone();
        for part in rel.split('/') {
            if matches!(part, "" | "." | "..") || part.contains('\\') {
                return None;
            }
            path.push(part);
            let meta = std::fs::symlink_metadata(&path).ok()?;
            if meta.file_type().is_symlink() {
                return None;
            }
        }
        Some(path)
    }
}

/// Why a whole tarball could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("not a gzip-compressed tar archive: {0}")]
    Corrupt(String),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// The reasons recorded in [`SkippedEntry::reason`]. They end up in the user-facing report
/// and in diffs between reports, so the wording is part of the format: change it only on
/// purpose.
pub mod reasons {
    /// Path used for a record about the tarball as a whole rather than one entry.
    pub const ARCHIVE: &str = "<archive>";
    /// Path used for a record about a source directory as a whole.
    pub const DIRECTORY: &str = "<directory>";

    pub const SYMLINK: &str = "symbolic link (links are never followed)";
    pub const HARD_LINK: &str = "hard link (links are never followed)";
    pub const DEVICE: &str = "device or fifo (not a regular file)";
    pub const PARENT_DIR: &str = "path contains `..`";
    pub const ABSOLUTE: &str = "absolute path";
    pub const WINDOWS_PREFIX: &str = "path starts with a Windows drive or prefix";
    /// Windows reads `\` as a separator, so the same name could land elsewhere there.
    pub const BACKSLASH: &str = "path contains a backslash";
    pub const NOT_UTF8: &str = "name is not valid UTF-8";
    pub const DUPLICATE: &str = "duplicate path; a later entry with the same path is scanned";
    /// The later entry with the same name replaces this one when cargo unpacks the tarball,
    /// but that later entry was itself skipped, so neither is scanned.
    pub const DUPLICATE_OF_SKIPPED: &str =
        "duplicate path; replaced by a later entry with the same path, which was skipped";
    pub const NO_FILES: &str = "no regular files under the crate root";
    /// A source directory's `target/` at its root.
    pub const BUILD_OUTPUT: &str =
        "build output folder, not part of the package: read only where a module names a file in it";
    /// `.git/`, `.hg/`, `.svn/` anywhere in a source directory.
    pub const VCS_FOLDER: &str = "version-control folder, not part of the package: read only where a module names a file in it";

    pub fn unsupported_type(type_byte: u8) -> String {
        format!(
            "unsupported entry type {} (not a regular file)",
            super::escape_name(&[type_byte])
        )
    }

    pub fn outside_root(root: &str) -> String {
        format!(
            "outside the crate root folder `{}`",
            super::escape_name(root.as_bytes())
        )
    }

    pub fn over_entry_cap(size: u64, cap: u64) -> String {
        format!("over entry size cap ({size} bytes > {cap})")
    }

    pub fn over_total_cap(size: u64, cap: u64) -> String {
        format!("over total size cap ({size} more bytes would pass {cap} inflated in this crate)")
    }

    pub fn over_entry_count(cap: u64) -> String {
        format!("entry count cap reached: only the first {cap} entries were read")
    }

    pub fn corrupt_after(entries: u64, msg: &str) -> String {
        format!("archive truncated or corrupt after {entries} entries: {msg}")
    }

    pub fn stream_cap(entries: u64, cap: u64) -> String {
        format!(
            "inflated stream cap reached after {entries} entries: the archive inflates to \
             more than {cap} bytes, the rest was not read"
        )
    }

    pub fn unreadable(err: &std::io::Error) -> String {
        format!("cannot read: {err}")
    }
}

/// Skipping an entry still inflates it, so the gzip stream as a whole gets twice the content
/// budget plus room for headers and padding before reading stops. This bounds the CPU a bomb
/// built from skipped entries can take; the content budget alone bounds memory.
fn stream_cap(limits: &Limits) -> u64 {
    limits
        .max_total_bytes
        .saturating_mul(2)
        .saturating_add(limits.max_entries.saturating_mul(2048))
}

/// Reads a `.crate` tarball. `expected_root` is `name-version` when known; when `None`, the
/// root of the first entry is taken and any other root is skipped.
pub fn read_crate_tarball(
    gz: &[u8],
    expected_root: Option<&str>,
    limits: &Limits,
) -> Result<Unpacked, ArchiveError> {
    if let Some(tar) = inflate_whole(gz, limits) {
        let tar = Bytes::from(tar);
        let mut state = State::new(expected_root.map(str::to_owned), *limits);
        // the data is all here: no entry can hold more than this, and a file is a view of it
        state.in_memory = tar.len() as u64;
        state.whole = Some(tar.clone());
        let mut archive = tar::Archive::new(&tar[..]);
        if let Err(e) = state.read_entries(&mut archive) {
            if state.files.is_empty() {
                return Err(ArchiveError::Corrupt(e.to_string()));
            }
            let reason = reasons::corrupt_after(state.entries, &e.to_string());
            state.skip(reasons::ARCHIVE.into(), reason);
        }
        return Ok(state.finish(reasons::ARCHIVE));
    }
    read_streamed(gz, expected_root, limits)
}

/// The largest tarball [`inflate_whole`] inflates in one piece; larger ones are streamed,
/// so the memory one crate takes stays what [`Limits`] say. The largest crates.io tarballs
/// (windows-sys) inflate to about 30 MB.
const WHOLE_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The tar inside `gz` inflated in one piece, when that is the whole story: the gzip
/// trailer's size (mod 2^32, so only a hint) fits the caps, and the first gzip member (all
/// that cargo reads too) decodes with its CRC and size checked. Anything else, a lying
/// trailer, corrupt data or a size over the caps, is `None` and [`read_streamed`] decides,
/// so what is kept, skipped or refused is the same either way; this is only faster (about
/// 2.5 times, measured on 669 cached tarballs).
fn inflate_whole(gz: &[u8], limits: &Limits) -> Option<Vec<u8>> {
    let trailer: [u8; 4] = gz.get(gz.len().checked_sub(4)?..)?.try_into().ok()?;
    let size = u64::from(u32::from_le_bytes(trailer));
    if size > WHOLE_MAX_BYTES.min(limits.max_total_bytes) {
        return None;
    }
    let mut out = vec![0; usize::try_from(size).ok()?];
    let n = libdeflater::Decompressor::new()
        .gzip_decompress(gz, &mut out)
        .ok()?;
    out.truncate(n);
    Some(out)
}

/// [`read_crate_tarball`] through a streaming decoder, with the inflated stream capped.
fn read_streamed(
    gz: &[u8],
    expected_root: Option<&str>,
    limits: &Limits,
) -> Result<Unpacked, ArchiveError> {
    let cap_hit = Cell::new(false);
    let guard = StreamGuard {
        inner: GzDecoder::new(gz),
        read: 0,
        cap: stream_cap(limits),
        hit: &cap_hit,
    };
    let mut archive = tar::Archive::new(guard);
    let mut state = State::new(expected_root.map(str::to_owned), *limits);
    let stopped = match state.read_entries(&mut archive) {
        Ok(true) => {
            // The gzip CRC is only checked at the end of the stream, which tar stops short of.
            io::copy(&mut archive.into_inner(), &mut io::sink()).err()
        }
        // Stopped at the entry count cap: the rest is deliberately not inflated.
        Ok(false) => None,
        Err(e) => Some(e),
    };
    if let Some(e) = stopped {
        if cap_hit.get() {
            let reason = reasons::stream_cap(state.entries, stream_cap(limits));
            state.skip(reasons::ARCHIVE.into(), reason);
        } else if state.files.is_empty() {
            return Err(ArchiveError::Corrupt(e.to_string()));
        } else {
            let reason = reasons::corrupt_after(state.entries, &e.to_string());
            state.skip(reasons::ARCHIVE.into(), reason);
        }
    }
    Ok(state.finish(reasons::ARCHIVE))
}

/// Counts inflated bytes and fails the read once the cap is passed.
struct StreamGuard<'c, R> {
    inner: R,
    read: u64,
    cap: u64,
    hit: &'c Cell<bool>,
}

impl<R: Read> Read for StreamGuard<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.read >= self.cap {
            // A stream that ends exactly at the cap is fine; only more data is an overrun.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.hit.set(true);
            return Err(io::Error::other("inflated stream cap reached"));
        }
        let room = usize::try_from(self.cap - self.read).unwrap_or(usize::MAX);
        let len = buf.len().min(room);
        let n = self.inner.read(&mut buf[..len])?;
        self.read += n as u64;
        Ok(n)
    }
}

/// What has been read so far from one tarball.
struct State {
    root: Option<String>,
    limits: Limits,
    files: Files,
    /// The inflated archive, when it is all in memory: the data of a (non-sparse) file is a
    /// slice of it.
    whole: Option<Bytes>,
    /// The escaped full name each kept file came from, for the duplicate record.
    names: BTreeMap<String, String>,
    skipped: Vec<SkippedEntry>,
    /// Content bytes read into memory, including files later replaced by a duplicate.
    total: u64,
    entries: u64,
    /// Size of the inflated archive when it is all in memory (else 0): what an entry's
    /// allocation may trust its header up to.
    in_memory: u64,
}

impl State {
    fn new(root: Option<String>, limits: Limits) -> State {
        State {
            root,
            limits,
            files: BTreeMap::new(),
            whole: None,
            names: BTreeMap::new(),
            skipped: Vec::new(),
            total: 0,
            entries: 0,
            in_memory: 0,
        }
    }

    /// Reads entries until the end (`Ok(true)`), the entry count cap (`Ok(false)`), or a read
    /// error of the stream.
    fn read_entries<R: Read>(&mut self, archive: &mut tar::Archive<R>) -> io::Result<bool> {
        for entry in archive.entries()? {
            let entry = entry?;
            if self.entries >= self.limits.max_entries {
                let reason = reasons::over_entry_count(self.limits.max_entries);
                self.skip(reasons::ARCHIVE.into(), reason);
                return Ok(false);
            }
            self.entries += 1;
            self.take_entry(entry)?;
        }
        Ok(true)
    }

    fn skip(&mut self, path: String, reason: String) {
        self.skipped.push(SkippedEntry { path, reason });
    }

    /// The entry named `rel` was not kept; an earlier file with that name would be replaced
    /// by it on disk, so the earlier one is not what cargo builds either.
    fn drop_replaced(&mut self, rel: &str) {
        if self.files.remove(rel).is_some()
            && let Some(name) = self.names.remove(rel)
        {
            self.skip(name, reasons::DUPLICATE_OF_SKIPPED.into());
        }
    }

    /// Looks at one entry. An `Err` is a read error of the stream itself: reading stops.
    fn take_entry<R: Read>(&mut self, mut entry: tar::Entry<'_, R>) -> io::Result<()> {
        let raw = entry.path_bytes().into_owned();
        let shown = escape_name(&raw);
        let etype = entry.header().entry_type();
        if etype.is_pax_global_extensions() {
            // Archive-wide metadata (`git archive` writes the commit there), not a file.
            return Ok(());
        }
        let parts = match check_path(&raw) {
            Ok(parts) => parts,
            Err(reason) => {
                self.skip(shown, reason.into());
                return Ok(());
            }
        };
        let Some((top, rest)) = parts.split_first() else {
            // `./` and the like: nothing to keep, nothing hostile.
            if !etype.is_dir() {
                self.skip(
                    shown,
                    reasons::outside_root(self.root.as_deref().unwrap_or("")),
                );
            }
            return Ok(());
        };
        let root = self.root.get_or_insert_with(|| (*top).to_owned()).clone();
        if *top != root || rest.is_empty() {
            if !etype.is_dir() {
                self.skip(shown, reasons::outside_root(&root));
            }
            return Ok(());
        }
        if etype.is_dir() {
            return Ok(());
        }
        let rel = rest.join("/");
        if let Some(reason) = type_reason(etype) {
            self.skip(shown, reason);
            self.drop_replaced(&rel);
            return Ok(());
        }
        let size = entry.size();
        if size > self.limits.max_entry_bytes {
            self.skip(
                shown,
                reasons::over_entry_cap(size, self.limits.max_entry_bytes),
            );
            self.drop_replaced(&rel);
            return Ok(());
        }
        if size > self.limits.max_total_bytes.saturating_sub(self.total) {
            self.skip(
                shown,
                reasons::over_total_cap(size, self.limits.max_total_bytes),
            );
            self.drop_replaced(&rel);
            return Ok(());
        }
        let data = match &self.whole {
            // a regular file's data is where the archive says, in the buffer (a sparse one's
            // holes are filled by the reader)
            Some(whole) if !etype.is_gnu_sparse() => {
                let start = usize::try_from(entry.raw_file_position()).unwrap_or(usize::MAX);
                let end = usize::try_from(size).map_or(usize::MAX, |n| start.saturating_add(n));
                // past the end: shorter than its header says, which the length test reports
                if end <= whole.len() {
                    whole.slice(start..end)
                } else {
                    Bytes::new()
                }
            }
            _ => {
                // Never trust the header for the allocation beyond what is known to be there
                // (the inflated archive, when it is all in memory): start small, and stop one
                // byte past the cap.
                let mut data = Vec::with_capacity(
                    usize::try_from(size.min((64 * 1024).max(self.in_memory))).unwrap_or(0),
                );
                (&mut entry)
                    .take(self.limits.max_entry_bytes.saturating_add(1))
                    .read_to_end(&mut data)?;
                Bytes::from(data)
            }
        };
        if data.len() as u64 != size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("entry {shown} is shorter than its header says"),
            ));
        }
        self.total += size;
        if self.files.insert(rel.clone(), data).is_some()
            && let Some(earlier) = self.names.remove(&rel)
        {
            self.skip(earlier, reasons::DUPLICATE.into());
        }
        self.names.insert(rel, shown);
        Ok(())
    }

    /// `whole` labels records about the input as a whole: [`reasons::ARCHIVE`] or
    /// [`reasons::DIRECTORY`].
    fn finish(mut self, whole: &str) -> Unpacked {
        if self.files.is_empty() {
            // Unknown is not zero: say why a crate shows no code at all.
            self.skip(whole.into(), reasons::NO_FILES.into());
        }
        self.skipped.sort();
        Unpacked {
            root: self.root.unwrap_or_default(),
            files: self.files,
            skipped: self.skipped,
            set_aside: None,
        }
    }
}

/// `None` for the types read as files: regular, contiguous (a regular file on every system
/// tar runs on) and GNU sparse (the tar crate fills the holes, bounded by the same caps).
fn type_reason(etype: tar::EntryType) -> Option<String> {
    if etype.is_file() || etype.is_contiguous() || etype.is_gnu_sparse() {
        None
    } else if etype.is_symlink() {
        Some(reasons::SYMLINK.into())
    } else if etype.is_hard_link() {
        Some(reasons::HARD_LINK.into())
    } else if etype.is_character_special() || etype.is_block_special() || etype.is_fifo() {
        Some(reasons::DEVICE.into())
    } else {
        Some(reasons::unsupported_type(etype.as_byte()))
    }
}

/// Splits an entry name into its normal components, or says why the name is refused.
/// Empty and `.` components are dropped so that `a/./b` and `a/b` are the same file, as they
/// are on disk.
fn check_path(raw: &[u8]) -> Result<Vec<&str>, &'static str> {
    let name = std::str::from_utf8(raw).map_err(|_| reasons::NOT_UTF8)?;
    if name.contains('\\') {
        return Err(reasons::BACKSLASH);
    }
    if name.starts_with('/') {
        return Err(reasons::ABSOLUTE);
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err(reasons::WINDOWS_PREFIX);
    }
    let parts: Vec<&str> = name
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return Err(reasons::PARENT_DIR);
    }
    Ok(parts)
}

/// Makes a name from a tarball safe to print anywhere: printable ASCII passes through,
/// everything else becomes a Rust-style escape (`\n`, `\u{e9}`, `\x80` for bytes that are not
/// UTF-8), so the result is lossless and cannot carry terminal or markup control.
pub fn escape_name(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    for chunk in raw.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                ' '..='~' => out.push(c),
                _ => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
