//! Reading a crate's source directory: the same rules and caps as a tarball, applied to a
//! file system walk. Git and path dependencies have no `.crate` file, and a vendored copy may be
//! what the build really uses.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::{ArchiveError, Limits, SetAside, State, Unpacked, escape_name, reasons};

/// Reads a crate's source directory (git and path dependencies, vendored sources), without
/// following symlinks. `target/` and VCS folders are recorded as skipped and set aside: a file
/// in them is read only when a module names it.
pub fn read_crate_dir(dir: &Path, limits: &Limits) -> Result<Unpacked, ArchiveError> {
    let io_err = |source| ArchiveError::Io {
        path: dir.display().to_string(),
        source,
    };
    let top = sorted_children(dir).map_err(io_err)?;
    let root = match dir.file_name() {
        Some(name) => name.to_string_lossy().into_owned(),
        None => dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default(),
    };
    let mut walk = DirWalk {
        state: State::new(Some(root.clone()), *limits),
        stopped: false,
        set_aside: Vec::new(),
    };
    walk.visit(top, &root, "");
    let mut unpacked = walk.state.finish(reasons::DIRECTORY);
    unpacked.set_aside = Some(SetAside {
        dir: dir.to_path_buf(),
        folders: walk.set_aside,
        limits: *limits,
    });
    Ok(unpacked)
}

/// Reads a file of at most `cap` bytes (checked again while reading: it may grow).
pub(super) fn read_bounded(path: &Path, cap: u64) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    let n = fs::File::open(path)
        .and_then(|f| f.take(cap.saturating_add(1)).read_to_end(&mut data))
        .map_err(|e| reasons::unreadable(&e))?;
    if n as u64 > cap {
        return Err(reasons::over_entry_cap(n as u64, cap));
    }
    Ok(data)
}

/// Folders that are never part of a package: build output at the root, VCS metadata anywhere.
const VCS_DIRS: &[&str] = &[".git", ".hg", ".svn"];

struct DirWalk {
    state: State,
    stopped: bool,
    /// Folders not read up front (build output, version control), crate-relative with `/`.
    set_aside: Vec<String>,
}

impl DirWalk {
    /// Visits `children` of the folder `rel` (empty at the crate root), depth first in name
    /// order so the result does not depend on the file system's listing order.
    fn visit(&mut self, children: Vec<(OsString, PathBuf)>, root: &str, rel: &str) {
        for (name, path) in children {
            if self.stopped {
                return;
            }
            if self.state.entries >= self.state.limits.max_entries {
                let reason = reasons::over_entry_count(self.state.limits.max_entries);
                self.state.skip(reasons::DIRECTORY.into(), reason);
                self.stopped = true;
                return;
            }
            self.state.entries += 1;
            let Some(name) = name.to_str() else {
                let mut raw = format!("{root}/{rel}").into_bytes();
                raw.extend_from_slice(name.as_encoded_bytes());
                self.state.skip(escape_name(&raw), reasons::NOT_UTF8.into());
                continue;
            };
            let child_rel = format!("{rel}{name}");
            let shown = escape_name(format!("{root}/{child_rel}").as_bytes());
            let meta = match fs::symlink_metadata(&path) {
                Ok(meta) => meta,
                Err(e) => {
                    self.state.skip(shown, reasons::unreadable(&e));
                    continue;
                }
            };
            let ft = meta.file_type();
            if ft.is_symlink() {
                self.state.skip(shown, reasons::SYMLINK.into());
            } else if ft.is_dir() {
                let why = if VCS_DIRS.contains(&name) {
                    Some(reasons::VCS_FOLDER)
                } else if rel.is_empty() && name == "target" {
                    Some(reasons::BUILD_OUTPUT)
                } else {
                    None
                };
                if let Some(why) = why {
                    // recorded, and read only where a module names a file in it
                    self.state.skip(shown, why.into());
                    self.set_aside.push(format!("{child_rel}/"));
                    continue;
                }
                match sorted_children(&path) {
                    Ok(children) => self.visit(children, root, &format!("{child_rel}/")),
                    Err(e) => self.state.skip(shown, reasons::unreadable(&e)),
                }
            } else if ft.is_file() {
                self.read_file(&path, child_rel, shown, meta.len());
            } else {
                self.state.skip(shown, reasons::DEVICE.into());
            }
        }
    }

    fn read_file(&mut self, path: &Path, rel: String, shown: String, size: u64) {
        let limits = self.state.limits;
        if size > limits.max_entry_bytes {
            self.state
                .skip(shown, reasons::over_entry_cap(size, limits.max_entry_bytes));
            return;
        }
        if size > limits.max_total_bytes.saturating_sub(self.state.total) {
            self.state
                .skip(shown, reasons::over_total_cap(size, limits.max_total_bytes));
            return;
        }
        let mut data = Vec::new();
        // The file may have grown since `symlink_metadata`, so the caps are checked again.
        let read = fs::File::open(path).and_then(|f| {
            f.take(limits.max_entry_bytes.saturating_add(1))
                .read_to_end(&mut data)
        });
        let n = match read {
            Ok(n) => n as u64,
            Err(e) => return self.state.skip(shown, reasons::unreadable(&e)),
        };
        if n > limits.max_entry_bytes {
            self.state
                .skip(shown, reasons::over_entry_cap(n, limits.max_entry_bytes));
        } else if n > limits.max_total_bytes.saturating_sub(self.state.total) {
            self.state
                .skip(shown, reasons::over_total_cap(n, limits.max_total_bytes));
        } else {
            self.state.total += n;
            self.state.files.insert(rel, data.into());
        }
    }
}

fn sorted_children(dir: &Path) -> io::Result<Vec<(OsString, PathBuf)>> {
    let mut children = fs::read_dir(dir)?
        .map(|e| e.map(|e| (e.file_name(), e.path())))
        .collect::<io::Result<Vec<_>>>()?;
    children.sort();
    Ok(children)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use risk_report::facts::SkippedEntry;

    use super::*;

    fn skip(path: &str, reason: &str) -> SkippedEntry {
        SkippedEntry {
            path: path.into(),
            reason: reason.into(),
        }
    }

    fn names(u: &Unpacked) -> Vec<&str> {
        u.files.keys().map(String::as_str).collect()
    }

    /// A scratch folder removed on drop; the analyzer has no tempfile dependency.
    struct Scratch(std::path::PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir()
                .join(format!("risk-analyzer-{}-{name}", std::process::id()))
                .join("mycrate");
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn write(&self, rel: &str, data: &[u8]) {
            let path = self.0.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, data).unwrap();
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            if let Some(parent) = self.0.parent() {
                let _ = fs::remove_dir_all(parent);
            }
        }
    }

    #[test]
    fn crate_dir_is_walked_in_order_skipping_build_output_and_vcs() {
        let s = Scratch::new("walk");
        s.write("Cargo.toml", b"[package]");
        s.write("src/lib.rs", b"lib");
        s.write("src/bin/tool.rs", b"bin");
        s.write("target/debug/out.rs", b"built");
        s.write("src/target/kept.rs", b"kept");
        s.write(".git/config", b"vcs");
        s.write("src/.hg/x", b"vcs");
        s.write("big.bin", &[0; 20]);
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/passwd", s.0.join("src/link.rs")).unwrap();
        let limits = Limits {
            max_entry_bytes: 16,
            ..Limits::default()
        };
        let u = read_crate_dir(&s.0, &limits).unwrap();
        assert_eq!(u.root, "mycrate");
        assert_eq!(
            names(&u),
            [
                "Cargo.toml",
                "src/bin/tool.rs",
                "src/lib.rs",
                "src/target/kept.rs"
            ]
        );
        let mut expected = vec![
            skip("mycrate/.git", reasons::VCS_FOLDER),
            skip("mycrate/big.bin", "over entry size cap (20 bytes > 16)"),
            skip("mycrate/src/.hg", reasons::VCS_FOLDER),
        ];
        #[cfg(unix)]
        expected.push(skip("mycrate/src/link.rs", reasons::SYMLINK));
        expected.push(skip("mycrate/target", reasons::BUILD_OUTPUT));
        expected.sort();
        assert_eq!(u.skipped, expected);
        // set aside, not lost: a file a module names in them can be read
        assert!(u.set_aside_exists("target/debug/out.rs"));
        assert_eq!(
            u.read_set_aside("target/debug/out.rs"),
            Some(Ok(b"built".to_vec()))
        );
        assert!(!u.set_aside_exists("src/lib.rs"), "not set aside");
        assert_eq!(u.read_set_aside("target/../src/lib.rs"), None);
    }

    #[test]
    fn crate_dir_caps_total_and_entry_count() {
        let s = Scratch::new("caps");
        for name in ["a", "b", "c", "d"] {
            s.write(name, &[0; 10]);
        }
        let total = Limits {
            max_total_bytes: 25,
            ..Limits::default()
        };
        let u = read_crate_dir(&s.0, &total).unwrap();
        assert_eq!(names(&u), ["a", "b"]);
        assert_eq!(u.skipped.len(), 2);
        let count = Limits {
            max_entries: 3,
            ..Limits::default()
        };
        let u = read_crate_dir(&s.0, &count).unwrap();
        assert_eq!(names(&u), ["a", "b", "c"]);
        assert_eq!(
            u.skipped,
            [skip(
                "<directory>",
                "entry count cap reached: only the first 3 entries were read"
            )]
        );
    }

    #[test]
    fn missing_crate_dir_is_an_io_error() {
        let err = read_crate_dir(
            Path::new("/nonexistent/risk-analyzer/x"),
            &Limits::default(),
        )
        .unwrap_err();
        assert!(matches!(err, ArchiveError::Io { .. }), "{err}");
    }
}
