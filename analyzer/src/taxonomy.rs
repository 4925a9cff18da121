//! The capability taxonomy: one table of path prefixes and the capability each one means.
//!
//! A fully resolved expression path (`std::fs::read`, `tokio::net::TcpStream::connect`) is
//! matched against [`TABLE`] on whole `::` segments; the longest matching prefix wins. The same
//! table drives `docs/capabilities.md` (a test keeps the two in step).
//!
//! Module-wide entries (`std::fs`) catch any item written with its module path; the item
//! entries under them (`std::fs::read`) exist so that a glob import (`use std::fs::*;
//! read(p)`) can be resolved: a glob only counts when an entry names an item *inside* the glob
//! module, so `use std::fs::*; x` never turns a local `x` into file-system use.
//!
//! `core::` and `alloc::` carry none of these capabilities (they have no fs, net, process or
//! env); the only mirrored entries are the `transmute` ones, which exist in both.

use foldhash::{HashMap, HashMapExt};
use std::sync::OnceLock;

use risk_report::facts::Kind;

/// One row of the taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// `::`-separated path prefix, without a leading `::`.
    pub prefix: &'static str,
    pub kind: Kind,
    /// One line saying why this path means this capability.
    pub why: &'static str,
}

impl Entry {
    /// Number of `::` segments in the prefix.
    pub fn depth(&self) -> usize {
        self.prefix.split("::").count()
    }
}

const fn e(prefix: &'static str, kind: Kind, why: &'static str) -> Entry {
    Entry { prefix, kind, why }
}

use Kind::{EnvRead, EnvWrite, Ffi, Fs, Net, Process, Transmute};

/// The whole taxonomy, grouped by capability. Order does not matter for matching.
pub const TABLE: &[Entry] = &[
    // ---- file system: std
    e("std::fs", Fs, "the std file-system module"),
    e("std::fs::File", Fs, "opens or creates a file"),
    e("std::fs::OpenOptions", Fs, "opens files with chosen flags"),
    e("std::fs::DirBuilder", Fs, "creates directories"),
    e("std::fs::read", Fs, "reads a whole file"),
    e("std::fs::read_to_string", Fs, "reads a whole file as text"),
    e("std::fs::read_dir", Fs, "lists a directory"),
    e("std::fs::read_link", Fs, "reads a symlink target"),
    e("std::fs::write", Fs, "writes a whole file"),
    e("std::fs::copy", Fs, "copies a file"),
    e("std::fs::rename", Fs, "moves a file"),
    e("std::fs::remove_file", Fs, "deletes a file"),
    e("std::fs::remove_dir", Fs, "deletes a directory"),
    e("std::fs::remove_dir_all", Fs, "deletes a directory tree"),
    e("std::fs::create_dir", Fs, "creates a directory"),
    e("std::fs::create_dir_all", Fs, "creates a directory tree"),
    e("std::fs::metadata", Fs, "stats a path"),
    e(
        "std::fs::symlink_metadata",
        Fs,
        "stats a path without following links",
    ),
    e("std::fs::canonicalize", Fs, "resolves a path on disk"),
    e("std::fs::hard_link", Fs, "creates a hard link"),
    e(
        "std::fs::soft_link",
        Fs,
        "creates a symlink (deprecated form)",
    ),
    e("std::fs::set_permissions", Fs, "changes file permissions"),
    e("std::fs::exists", Fs, "probes the file system"),
    e(
        "std::os::unix::fs",
        Fs,
        "Unix file-system extensions (symlink, chown, open flags)",
    ),
    e("std::os::unix::fs::symlink", Fs, "creates a symlink"),
    e("std::os::unix::fs::chown", Fs, "changes file ownership"),
    e("std::os::unix::fs::lchown", Fs, "changes symlink ownership"),
    e(
        "std::os::unix::fs::chroot",
        Fs,
        "changes the root directory",
    ),
    e(
        "std::os::unix::fs::OpenOptionsExt",
        Fs,
        "Unix open flags and modes",
    ),
    e(
        "std::os::unix::fs::FileExt",
        Fs,
        "positioned reads and writes",
    ),
    e("std::os::windows::fs", Fs, "Windows file-system extensions"),
    e(
        "std::os::windows::fs::symlink_file",
        Fs,
        "creates a file symlink",
    ),
    e(
        "std::os::windows::fs::symlink_dir",
        Fs,
        "creates a directory symlink",
    ),
    e(
        "std::os::windows::fs::OpenOptionsExt",
        Fs,
        "Windows open flags",
    ),
    // ---- file system: third party
    e("tokio::fs", Fs, "async file system (tokio)"),
    e("async_std::fs", Fs, "async file system (async-std)"),
    e(
        "async_std::os::unix::fs",
        Fs,
        "async Unix file-system extensions (async-std)",
    ),
    e("async_fs", Fs, "async file system crate"),
    e(
        "smol::fs",
        Fs,
        "async file system (smol re-export of async-fs)",
    ),
    e("fs_err", Fs, "std::fs wrapper with better errors"),
    e("cap_std::fs", Fs, "capability-based file system"),
    e("memmap2", Fs, "maps files into memory"),
    e(
        "memmap",
        Fs,
        "maps files into memory (unmaintained predecessor of memmap2)",
    ),
    e("walkdir", Fs, "walks directory trees"),
    e("glob::glob", Fs, "lists paths matching a pattern"),
    e(
        "tempfile",
        Fs,
        "creates temporary files and directories on disk",
    ),
    // ---- network: std
    e("std::net::TcpStream", Net, "opens TCP connections"),
    e("std::net::TcpListener", Net, "accepts TCP connections"),
    e("std::net::UdpSocket", Net, "sends and receives UDP"),
    e("std::net::ToSocketAddrs", Net, "resolves host names (DNS)"),
    e("std::os::unix::net", Net, "Unix domain sockets"),
    e(
        "std::os::unix::net::UnixStream",
        Net,
        "connects a Unix domain socket",
    ),
    e(
        "std::os::unix::net::UnixListener",
        Net,
        "listens on a Unix domain socket",
    ),
    e(
        "std::os::unix::net::UnixDatagram",
        Net,
        "Unix datagram socket",
    ),
    // ---- network: third party
    e("tokio::net", Net, "async sockets and DNS (tokio)"),
    e("async_std::net", Net, "async sockets and DNS (async-std)"),
    e(
        "async_std::os::unix::net",
        Net,
        "async Unix domain sockets (async-std)",
    ),
    e("async_net", Net, "async sockets crate"),
    e(
        "smol::net",
        Net,
        "async sockets (smol re-export of async-net)",
    ),
    e("mio::net", Net, "non-blocking sockets (mio)"),
    e("socket2", Net, "raw socket configuration"),
    e("hyper::client", Net, "HTTP client connections (hyper)"),
    e("hyper::server", Net, "HTTP server connections (hyper)"),
    e("hyper::Client", Net, "HTTP client (hyper 0.14)"),
    e("hyper::Server", Net, "HTTP server (hyper 0.14)"),
    e(
        "hyper_util::client",
        Net,
        "HTTP client with connection pooling (hyper-util)",
    ),
    e(
        "hyper_util::server",
        Net,
        "HTTP server helpers (hyper-util)",
    ),
    e("reqwest", Net, "HTTP client"),
    e("ureq", Net, "blocking HTTP client"),
    e("curl", Net, "libcurl bindings"),
    e("isahc", Net, "HTTP client on libcurl"),
    e("attohttpc", Net, "small blocking HTTP client"),
    e("surf", Net, "async HTTP client"),
    // ---- process spawning
    e("std::process::Command", Process, "spawns processes"),
    e(
        "std::os::unix::process::CommandExt",
        Process,
        "exec, uid/gid and pre-exec hooks",
    ),
    e(
        "std::os::windows::process::CommandExt",
        Process,
        "Windows process creation flags",
    ),
    e("tokio::process", Process, "async process spawning (tokio)"),
    e(
        "async_std::process",
        Process,
        "async process spawning (async-std)",
    ),
    e("async_process", Process, "async process spawning crate"),
    e(
        "smol::process",
        Process,
        "async process spawning (smol re-export)",
    ),
    e("duct", Process, "builds and runs pipelines of processes"),
    e("subprocess", Process, "spawns processes and pipelines"),
    // ---- environment
    e("std::env::var", EnvRead, "reads an environment variable"),
    e("std::env::var_os", EnvRead, "reads an environment variable"),
    e("std::env::vars", EnvRead, "reads the whole environment"),
    e("std::env::vars_os", EnvRead, "reads the whole environment"),
    e(
        "std::env::set_var",
        EnvWrite,
        "changes the process environment",
    ),
    e(
        "std::env::remove_var",
        EnvWrite,
        "changes the process environment",
    ),
    e(
        "std::env::set_current_dir",
        EnvWrite,
        "changes the working directory",
    ),
    // ---- FFI and dynamic loading
    e("libc", Ffi, "raw C library bindings"),
    e("nix", Ffi, "thin wrappers over Unix system calls"),
    e("windows_sys", Ffi, "raw Windows API bindings"),
    e("winapi", Ffi, "raw Windows API bindings"),
    e("windows", Ffi, "Windows API bindings (the `windows` crate)"),
    e("libloading", Ffi, "loads shared libraries at run time"),
    e("dlopen", Ffi, "loads shared libraries at run time"),
    e("dlopen2", Ffi, "loads shared libraries at run time"),
    // ---- transmute (both the std and core spellings, and the intrinsic)
    e(
        "std::mem::transmute",
        Transmute,
        "reinterprets bits as another type",
    ),
    e(
        "std::mem::transmute_copy",
        Transmute,
        "reinterprets bits as another type",
    ),
    e(
        "core::mem::transmute",
        Transmute,
        "reinterprets bits as another type",
    ),
    e(
        "core::mem::transmute_copy",
        Transmute,
        "reinterprets bits as another type",
    ),
    e(
        "core::intrinsics::transmute",
        Transmute,
        "the transmute intrinsic",
    ),
    e(
        "std::intrinsics::transmute",
        Transmute,
        "the transmute intrinsic",
    ),
];

/// A method that carries a capability: `.name(..)` counts when the module it is called in can
/// see one of `carriers` (the trait imported by name or `as _`, or through a glob of its
/// module; for an inherent method, its type imported), since a method call names no path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    pub name: &'static str,
    pub carriers: &'static [&'static str],
    pub kind: Kind,
    pub why: &'static str,
}

const COMMAND_EXT: &[&str] = &[
    "std::os::unix::process::CommandExt",
    "std::os::unix::prelude::CommandExt",
];
const PATH: &[&str] = &["std::path::Path", "std::path::PathBuf"];

const fn m(
    name: &'static str,
    carriers: &'static [&'static str],
    kind: Kind,
    why: &'static str,
) -> Method {
    Method {
        name,
        carriers,
        kind,
        why,
    }
}

/// Capability methods, by name.
pub const METHODS: &[Method] = &[
    m(
        "pre_exec",
        COMMAND_EXT,
        Process,
        "runs a closure in the child before it executes",
    ),
    m(
        "exec",
        COMMAND_EXT,
        Process,
        "replaces the process with the command",
    ),
    m(
        "to_socket_addrs",
        &["std::net::ToSocketAddrs"],
        Net,
        "resolves host names (DNS)",
    ),
    m("read_dir", PATH, Fs, "lists a directory"),
    m("metadata", PATH, Fs, "stats a path"),
    m(
        "symlink_metadata",
        PATH,
        Fs,
        "stats a path without following links",
    ),
    m("read_link", PATH, Fs, "reads a symlink target"),
    m("canonicalize", PATH, Fs, "resolves a path on disk"),
    m("try_exists", PATH, Fs, "probes the file system"),
    m("exists", PATH, Fs, "probes the file system"),
    m("is_file", PATH, Fs, "probes the file system"),
    m("is_dir", PATH, Fs, "probes the file system"),
    m("is_symlink", PATH, Fs, "probes the file system"),
];

/// The capability methods named `name`.
pub fn methods(name: &str) -> impl Iterator<Item = &'static Method> + '_ {
    METHODS.iter().filter(move |m| m.name == name)
}

/// Paths under a capability prefix that are no use of the capability: modules that hold only
/// data types and pure helpers (`windows_sys::core::GUID::from_u128(..)` builds a GUID), and
/// constructors that cannot reach what the capability is about (`UnixStream::pair()` connects
/// two sockets to each other inside the process: IPC, no address anyone else can reach).
/// A longer prefix here wins over the entry above it.
pub const DATA: &[(&str, &str)] = &[
    (
        "windows_sys::core",
        "string, GUID and result types of the bindings; no call into Windows",
    ),
    ("std::os::unix::net::UnixStream::pair", SOCKET_PAIR),
    ("std::os::unix::net::UnixDatagram::pair", SOCKET_PAIR),
    ("tokio::net::UnixStream::pair", SOCKET_PAIR),
    ("tokio::net::UnixDatagram::pair", SOCKET_PAIR),
    ("async_std::os::unix::net::UnixStream::pair", SOCKET_PAIR),
    ("async_std::os::unix::net::UnixDatagram::pair", SOCKET_PAIR),
    ("async_net::unix::UnixStream::pair", SOCKET_PAIR),
    ("async_net::unix::UnixDatagram::pair", SOCKET_PAIR),
    ("smol::net::unix::UnixStream::pair", SOCKET_PAIR),
    ("smol::net::unix::UnixDatagram::pair", SOCKET_PAIR),
    ("mio::net::UnixStream::pair", SOCKET_PAIR),
    ("mio::net::UnixDatagram::pair", SOCKET_PAIR),
];

const SOCKET_PAIR: &str = "an unnamed pair of sockets connected to each other (in-process IPC); \
    binds and connects to no address";

struct Index {
    /// First segment -> entries starting with it, with their segments split once.
    by_root: HashMap<&'static str, Vec<(Vec<&'static str>, &'static Entry)>>,
    /// [`DATA`]'s prefixes, split once.
    data: Vec<Vec<&'static str>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut by_root: HashMap<&'static str, Vec<(Vec<&'static str>, &'static Entry)>> =
            HashMap::new();
        for entry in TABLE {
            let segs: Vec<&'static str> = entry.prefix.split("::").collect();
            by_root.entry(segs[0]).or_default().push((segs, entry));
        }
        let data = DATA.iter().map(|(p, _)| p.split("::").collect()).collect();
        Index { by_root, data }
    })
}

/// Crates whose items all sit at their root (libc has no public modules): a longer path is
/// an associated item of one of their types (`libc::c_int::try_from`), no call into C.
const FLAT: &[&str] = &["libc"];

/// The entry whose prefix is the longest whole-segment prefix of `path`, if any.
pub fn classify(path: &[&str]) -> Option<&'static Entry> {
    let first = path.first()?;
    if path.len() > 2 && FLAT.contains(first) {
        return None;
    }
    let candidates = index().by_root.get(first)?;
    let (segs, entry) = candidates
        .iter()
        .filter(|(segs, _)| segs.len() <= path.len() && segs[..] == path[..segs.len()])
        .max_by_key(|(segs, _)| segs.len())?;
    let data = (index().data.iter())
        .any(|d| d.len() > segs.len() && d.len() <= path.len() && d[..] == path[..d.len()]);
    (!data).then_some(*entry)
}

/// [`DATA`]'s prefixes, split into segments once.
pub fn data_prefixes() -> &'static [Vec<&'static str>] {
    &index().data
}

/// Whether some entry lies under `path` (`std::fs` holds `std::fs::read`): a path that
/// names a module or type of capabilities.
pub fn leads_to_entry(path: &[&str]) -> bool {
    let Some(first) = path.first() else {
        return false;
    };
    (index().by_root.get(first)).is_some_and(|entries| {
        entries
            .iter()
            .any(|(segs, _)| segs.len() > path.len() && segs[..path.len()] == path[..])
    })
}

/// Whether `name` is the first segment of some entry, or a sysroot crate: a path starting with
/// it is taken as written when no import or local item claims the name.
pub fn is_known_root(name: &str) -> bool {
    SYSROOT.contains(&name) || index().by_root.contains_key(name)
}

// The names rules fire on beyond the paths of [`TABLE`]: declared here once, for the rules
// that read them and for the fast path's planner (`source/plan/`), which keeps every item that
// holds one of them, and the macro expansion, which only expands what some rule looks at.

/// The sysroot crates: the roots of the macro rules, and roots taken as written.
pub const SYSROOT: [&str; 3] = ["std", "core", "alloc"];

/// Attribute rules (`#[no_mangle]`, `#[link(..)]`, ...): these names only matter inside `#[..]`.
pub const RULE_ATTRS: [&str; 4] = ["no_mangle", "export_name", "link", "link_section"];

/// Macros with rules of their own (assembly, embedded files), under a [`SYSROOT`] crate, the
/// assembly ones under its `arch` module too.
pub const RULE_MACROS: [&str; 6] = [
    "asm",
    "global_asm",
    "naked_asm",
    "include_bytes",
    "include_str",
    "include",
];

/// Words a rule fires on, or that the import map is built from, wherever they stand: the
/// transmute rule (on the last segment of any path), `unsafe`, `extern`, `use` and `mod`.
/// (`static` counts before `mut` only.)
pub const RULE_KEYWORDS: [&str; 6] = [
    "transmute",
    "transmute_copy",
    "unsafe",
    "extern",
    "use",
    "mod",
];

/// Whether a rule fires on the word `name` itself, wherever the token stands: a keyword, macro
/// or attribute name some rule reads, `static`, or the root of a rule path. The one list the
/// planner and the macro expansion both ask.
pub fn rule_word(name: &str) -> bool {
    RULE_KEYWORDS.contains(&name)
        || RULE_MACROS.contains(&name)
        || is_known_root(name)
        || RULE_ATTRS.contains(&name)
        || name == "static"
}

/// The table as a markdown table, as it appears in `docs/capabilities.md`.
pub fn markdown_table() -> String {
    let mut out = String::from("| prefix | capability | why |\n|---|---|---|\n");
    for entry in TABLE {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            entry.prefix,
            entry.kind.code(),
            entry.why
        ));
    }
    for (prefix, why) in DATA {
        out.push_str(&format!("| `{prefix}` | none | {why} |\n"));
    }
    for method in METHODS {
        out.push_str(&format!(
            "| `.{}()` with `{}` in scope | {} | {} |\n",
            method.name,
            method.carriers[0],
            method.kind.code(),
            method.why
        ));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn kind_of(path: &str) -> Option<Kind> {
        let segs: Vec<&str> = path.split("::").collect();
        classify(&segs).map(|e| e.kind)
    }

    #[test]
    fn prefixes_are_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for entry in TABLE {
            assert!(
                seen.insert(entry.prefix),
                "duplicate prefix {}",
                entry.prefix
            );
            assert!(
                entry
                    .prefix
                    .split("::")
                    .all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')),
                "bad prefix {}",
                entry.prefix
            );
            assert!(!entry.why.is_empty() && !entry.why.contains('|'));
        }
    }

    #[test]
    fn longest_whole_segment_prefix_wins() {
        assert_eq!(kind_of("std::fs::read"), Some(Kind::Fs));
        assert_eq!(
            classify(&["std", "fs", "read"]).unwrap().prefix,
            "std::fs::read"
        );
        assert_eq!(
            classify(&["std", "fs", "Permissions"]).unwrap().prefix,
            "std::fs"
        );
        assert_eq!(kind_of("std::env::var"), Some(Kind::EnvRead));
        assert_eq!(kind_of("std::env::set_var"), Some(Kind::EnvWrite));
        assert_eq!(kind_of("std::env::args"), None);
        // whole segments only: `std::fsx` is not `std::fs`, `std::env::variable` not `var`
        assert_eq!(kind_of("std::fsx::read"), None);
        assert_eq!(kind_of("std::env::variable"), None);
        assert_eq!(kind_of("tokio::net::TcpStream::connect"), Some(Kind::Net));
        assert_eq!(kind_of("libc::open"), Some(Kind::Ffi));
        assert_eq!(kind_of("std::process::Command::new"), Some(Kind::Process));
        assert_eq!(kind_of("core::mem::transmute"), Some(Kind::Transmute));
    }

    #[test]
    fn data_and_exit_are_not_capabilities() {
        assert_eq!(kind_of("std::net::IpAddr"), None);
        assert_eq!(kind_of("std::net::SocketAddr::new"), None);
        assert_eq!(kind_of("std::process::exit"), None);
        assert_eq!(kind_of("std::process::abort"), None);
        assert_eq!(kind_of("core::fs::read"), None);
        assert_eq!(kind_of("tokio::spawn"), None);
        assert_eq!(kind_of("std"), None);
    }

    #[test]
    fn socket_pairs_are_ipc_not_network() {
        for pair in [
            "std::os::unix::net::UnixStream::pair",
            "std::os::unix::net::UnixDatagram::pair",
            "tokio::net::UnixStream::pair",
            "mio::net::UnixDatagram::pair",
            "smol::net::unix::UnixStream::pair",
        ] {
            assert_eq!(kind_of(pair), None, "{pair}");
        }
        // a named socket is reachable by others: still the network capability
        assert_eq!(
            kind_of("std::os::unix::net::UnixStream::connect"),
            Some(Kind::Net)
        );
        assert_eq!(
            kind_of("std::os::unix::net::UnixDatagram::bind"),
            Some(Kind::Net)
        );
        assert_eq!(kind_of("tokio::net::UnixListener::bind"), Some(Kind::Net));
        // whole segments: `pairs` is no `pair`
        assert_eq!(
            kind_of("std::os::unix::net::UnixStream::pairs"),
            Some(Kind::Net)
        );
    }

    #[test]
    fn data_entries_sit_under_a_capability() {
        for (prefix, why) in DATA {
            let segs: Vec<&str> = prefix.split("::").collect();
            let under = TABLE.iter().any(|e| {
                let t: Vec<&str> = e.prefix.split("::").collect();
                t.len() < segs.len() && segs[..t.len()] == t[..]
            });
            assert!(under, "{prefix} is under no capability entry");
            assert!(!why.is_empty() && !why.contains('|'));
        }
    }

    #[test]
    fn known_roots() {
        assert!(is_known_root("std") && is_known_root("alloc") && is_known_root("libc"));
        assert!(is_known_root("tokio") && is_known_root("hyper_util"));
        assert!(!is_known_root("serde") && !is_known_root("fs"));
    }

    /// `docs/capabilities.md` holds the generated table between markers; `UPDATE_DOCS=1`
    /// rewrites it in place.
    #[test]
    fn docs_match_table() {
        const BEGIN: &str =
            "<!-- BEGIN GENERATED TABLE: cargo test -p risk-analyzer with UPDATE_DOCS=1 -->\n";
        const END: &str = "<!-- END GENERATED TABLE -->";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/capabilities.md");
        let doc = std::fs::read_to_string(&path).unwrap();
        let start = doc.find(BEGIN).expect("begin marker") + BEGIN.len();
        let end = doc.find(END).expect("end marker");
        let table = markdown_table();
        if doc[start..end] != table {
            if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
                let updated = format!("{}{}{}", &doc[..start], table, &doc[end..]);
                std::fs::write(&path, updated).unwrap();
            } else {
                panic!(
                    "docs/capabilities.md is out of date with taxonomy::TABLE; \
                     rerun with UPDATE_DOCS=1"
                );
            }
        }
    }
}
