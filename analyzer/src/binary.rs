//! Shipped binaries: executables, libraries and object files, by magic bytes and extension.
//!
//! A crate has no business shipping compiled code: it cannot be reviewed and may be linked or
//! loaded at build time. Magic bytes are tried first because names lie; the extension is the
//! fallback for formats without a reliable magic (COFF objects, import libraries) and for
//! truncated files, but a file that reads as text never counts, whatever its name.
//!
//! A binary under the crate's `tests/`, `benches/` or `examples/` folder is a test fixture
//! (a `.wasm` module a test loads): cargo builds those folders for nobody who depends on the
//! crate. It stays one only while no file of the build script and no shipped file names it
//! (`krate.rs` asks [`named_by`]): the build script can read any file of the tarball, and
//! `include_bytes!` can embed one.

use risk_report::facts::BinaryFile;

/// The values of [`BinaryFile::format`].
pub mod formats {
    pub const ELF: &str = "elf";
    pub const PE: &str = "pe";
    pub const MACH_O: &str = "mach-o";
    pub const AR_ARCHIVE: &str = "ar-archive";
    pub const WASM: &str = "wasm";
    /// No known magic, but an extension of compiled code and content that is not text.
    pub const BY_EXTENSION: &str = "by-extension";
}

/// Extensions of compiled code. `.so.N` version suffixes are handled apart.
const BINARY_EXTENSIONS: &[&str] = &[
    "so", "dll", "dylib", "lib", "a", "o", "obj", "exe", "rlib", "wasm",
];

/// Extensions under which an `MZ` stub alone (no readable PE header) is taken as PE.
const PE_EXTENSIONS: &[&str] = &["exe", "dll", "sys", "efi"];

/// `Some` when the file is a binary of a known kind.
pub fn detect_binary(path: &str, bytes: &[u8]) -> Option<BinaryFile> {
    let ext = extension(path);
    let format = by_magic(bytes, ext.as_deref()).or_else(|| {
        let compiled = ext
            .as_deref()
            .is_some_and(|e| BINARY_EXTENSIONS.contains(&e))
            || has_so_version(path);
        (compiled && !is_text(bytes)).then_some(formats::BY_EXTENSION)
    })?;
    Some(BinaryFile {
        path: path.to_owned(),
        format: format.to_owned(),
        bytes: bytes.len() as u64,
        fixture: false,
    })
}

/// Folders of the crate root whose files cargo builds only for the crate's own tests,
/// benchmarks and examples.
const FIXTURE_FOLDERS: &[&str] = &["tests/", "benches/", "examples/"];

/// Whether `path` (inside the crate) sits under one of [`FIXTURE_FOLDERS`].
pub fn in_fixture_folder(path: &str) -> bool {
    FIXTURE_FOLDERS.iter().any(|f| path.starts_with(f))
}

/// Whether `text` (a file of the build script or shipped code) names the binary at `path`:
/// its file name appears anywhere in it, comments and strings included (a doubt keeps the
/// binary shipped).
pub fn named_by(path: &str, text: &[u8]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !name.is_empty() && memchr::memmem::find(text, name.as_bytes()).is_some()
}

fn by_magic(bytes: &[u8], ext: Option<&str>) -> Option<&'static str> {
    let word = |at: usize| -> Option<[u8; 4]> { bytes.get(at..at + 4)?.try_into().ok() };
    let head = word(0)?;
    match &head {
        b"\x7fELF" => return Some(formats::ELF),
        b"\0asm" => return Some(formats::WASM),
        [0xfe, 0xed, 0xfa, 0xce | 0xcf] | [0xce | 0xcf, 0xfa, 0xed, 0xfe] => {
            return Some(formats::MACH_O);
        }
        // Universal binaries share 0xcafebabe with Java class files; there the next word is
        // the class version (45 and up), here it is the number of architectures (a handful).
        [0xca, 0xfe, 0xba, 0xbe | 0xbf] => {
            let count = u32::from_be_bytes(word(4)?);
            return (1..=20).contains(&count).then_some(formats::MACH_O);
        }
        [0xbe | 0xbf, 0xba, 0xfe, 0xca] => {
            let count = u32::from_le_bytes(word(4)?);
            return (1..=20).contains(&count).then_some(formats::MACH_O);
        }
        _ => {}
    }
    if bytes.starts_with(b"!<arch>\n") || bytes.starts_with(b"!<thin>\n") {
        return Some(formats::AR_ARCHIVE);
    }
    if bytes.starts_with(b"MZ") {
        // e_lfanew, at 0x3c, points at the `PE\0\0` signature of a real PE image.
        let pe = word(0x3c)
            .and_then(|off| usize::try_from(u32::from_le_bytes(off)).ok())
            .and_then(word)
            .is_some_and(|sig| &sig == b"PE\0\0");
        if pe || ext.is_some_and(|e| PE_EXTENSIONS.contains(&e)) {
            return Some(formats::PE);
        }
    }
    None
}

/// Lowercased extension of the file name.
fn extension(path: &str) -> Option<String> {
    let name = path.rsplit('/').next()?;
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// `libfoo.so.1`, `libfoo.so.1.2.3`.
fn has_so_version(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.match_indices(".so.").any(|(i, _)| {
        let version = &name[i + 4..];
        i > 0 && !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    })
}

/// UTF-8 without NUL bytes. An empty file is text: it holds no code.
fn is_text(bytes: &[u8]) -> bool {
    !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_folders_are_the_crate_roots_test_bench_and_example_folders() {
        assert!(in_fixture_folder("tests/data/m.wasm"));
        assert!(in_fixture_folder("benches/x.so"));
        assert!(in_fixture_folder("examples/plugin.dll"));
        assert!(!in_fixture_folder("src/tests/m.wasm"));
        assert!(!in_fixture_folder("m.wasm"));
        assert!(!in_fixture_folder("testsuite/m.wasm"));
        assert!(named_by(
            "tests/data/m.wasm",
            b"include_bytes!(\"../tests/data/m.wasm\")"
        ));
        assert!(named_by("tests/m.wasm", b"let p = dir.join(\"m.wasm\");"));
        assert!(!named_by("tests/m.wasm", b"fn main() {}"));
    }

    fn format(path: &str, bytes: &[u8]) -> Option<String> {
        detect_binary(path, bytes).map(|b| b.format)
    }

    /// A minimal PE image: `MZ`, e_lfanew at 0x3c pointing at 0x80, `PE\0\0` there.
    fn pe_image() -> Vec<u8> {
        let mut b = vec![0u8; 0x100];
        b[..2].copy_from_slice(b"MZ");
        b[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        b[0x80..0x84].copy_from_slice(b"PE\0\0");
        b
    }

    #[test]
    fn elf_by_magic_whatever_the_name() {
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
        let found = detect_binary("assets/data.txt", elf).expect("elf");
        assert_eq!(found.format, "elf");
        assert_eq!(found.path, "assets/data.txt");
        assert_eq!(found.bytes, 16);
    }

    #[test]
    fn pe_needs_its_signature_or_a_pe_extension() {
        assert_eq!(format("bin/tool", &pe_image()).as_deref(), Some("pe"));
        let stub = b"MZ\x90\0\x03\0\0\0";
        assert_eq!(format("x/helper.EXE", stub).as_deref(), Some("pe"));
        assert_eq!(format("x/helper.dat", stub), None);
        // e_lfanew pointing past the end, or at something else.
        let mut bad = pe_image();
        bad[0x3c..0x40].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
        assert_eq!(format("x/y.bin", &bad), None);
        assert_eq!(
            format("notes/MZ.md", b"MZ is a format by Mark Zbikowski"),
            None
        );
    }

    #[test]
    fn mach_o_in_every_byte_order_and_fat() {
        for magic in [
            [0xfe, 0xed, 0xfa, 0xce],
            [0xfe, 0xed, 0xfa, 0xcf],
            [0xce, 0xfa, 0xed, 0xfe],
            [0xcf, 0xfa, 0xed, 0xfe],
        ] {
            let mut b = magic.to_vec();
            b.extend_from_slice(&[0; 12]);
            assert_eq!(format("lib/x", &b).as_deref(), Some("mach-o"), "{magic:x?}");
        }
        let fat = [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2, 1, 0, 0, 7];
        assert_eq!(format("lib/libx", &fat).as_deref(), Some("mach-o"));
    }

    #[test]
    fn java_class_files_are_not_fat_mach_o() {
        // Magic, minor version 0, major version 52 (Java 8).
        let class = [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 0x1d];
        assert_eq!(format("res/Main.class", &class), None);
    }

    #[test]
    fn ar_archives_and_wasm() {
        let ar = b"!<arch>\n/               0           0     0     0       4         `\n\0\0\0\0";
        assert_eq!(format("lib/libfoo.a", ar).as_deref(), Some("ar-archive"));
        assert_eq!(format("lib/foo.lib", ar).as_deref(), Some("ar-archive"));
        assert_eq!(format("lib/libstd.rlib", ar).as_deref(), Some("ar-archive"));
        let wasm = b"\0asm\x01\0\0\0";
        assert_eq!(format("pkg/module.bin", wasm).as_deref(), Some("wasm"));
    }

    #[test]
    fn extensions_count_only_when_the_content_is_not_text() {
        let coff = [0x64, 0x86, 0x03, 0x00, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0];
        assert_eq!(format("obj/x.obj", &coff).as_deref(), Some("by-extension"));
        assert_eq!(format("obj/x.o", &coff).as_deref(), Some("by-extension"));
        let junk = [0x01, 0xff, 0xfe, 0x80];
        for path in [
            "libz.so",
            "lib/libz.so.1",
            "lib/libz.so.1.2.13",
            "win/X.DLL",
            "mac/libx.dylib",
            "a.exe",
            "lib/x.lib",
            "libfoo.a",
            "libstd.rlib",
            "pkg/m.wasm",
        ] {
            assert_eq!(
                format(path, &junk).as_deref(),
                Some("by-extension"),
                "{path}"
            );
        }
        assert_eq!(format("libz.so.backup", &junk), None);
        assert_eq!(format("data/blob.bin", &junk), None);
        assert_eq!(format("src/.so", &junk), None);
    }

    #[test]
    fn text_files_never_count() {
        assert_eq!(format("src/lib.rs", b"fn main() {}\n"), None);
        assert_eq!(format("linker/script.a", b"SECTIONS { }\n"), None);
        assert_eq!(
            format("win/exports.def.lib", "caf\u{e9}\n".as_bytes()),
            None
        );
        assert_eq!(format("empty.so", b""), None);
        assert_eq!(format("tiny", b"\x7fE"), None);
    }
}
