//! Every tarball here is built in memory at test time. Hostile entries need raw headers
//! because `tar::Builder` refuses to write them.

#![allow(clippy::unwrap_used)]

use tar::{EntryType, Header};
use testkit::{Tarball, gzip, noise};

use super::*;

const ROOT: &str = "demo-1.0.0";

fn read(gz: &[u8]) -> Unpacked {
    read_crate_tarball(gz, Some(ROOT), &Limits::default()).unwrap()
}

fn skip(path: &str, reason: &str) -> SkippedEntry {
    SkippedEntry {
        path: path.into(),
        reason: reason.into(),
    }
}

fn names(u: &Unpacked) -> Vec<&str> {
    u.files.keys().map(String::as_str).collect()
}

#[test]
fn normal_crate_keeps_files_relative_to_root() {
    let gz = Tarball::new()
        .dir("demo-1.0.0/")
        .file("demo-1.0.0/Cargo.toml", b"[package]\nname = \"demo\"\n")
        .dir("demo-1.0.0/src/")
        .file("demo-1.0.0/src/lib.rs", b"pub fn f() {}\n")
        .file("demo-1.0.0/./src//main.rs", b"fn main() {}\n")
        .gz();
    let u = read(&gz);
    assert_eq!(u.root, ROOT);
    assert_eq!(names(&u), ["Cargo.toml", "src/lib.rs", "src/main.rs"]);
    assert_eq!(&u.files["src/lib.rs"][..], b"pub fn f() {}\n");
    assert!(u.skipped.is_empty(), "{:?}", u.skipped);
}

#[test]
fn root_is_taken_from_the_first_entry_when_not_given() {
    let gz = Tarball::new()
        .file("other-2.0.0/src/lib.rs", b"a")
        .file("second-root/src/lib.rs", b"b")
        .gz();
    let u = read_crate_tarball(&gz, None, &Limits::default()).unwrap();
    assert_eq!(u.root, "other-2.0.0");
    assert_eq!(names(&u), ["src/lib.rs"]);
    assert_eq!(&u.files["src/lib.rs"][..], b"a");
    let reason = "outside the crate root folder `other-2.0.0`";
    assert_eq!(u.skipped, [skip("second-root/src/lib.rs", reason)]);
}

#[test]
fn entries_outside_the_expected_root_are_skipped() {
    let gz = Tarball::new()
        .file("demo-1.0.0/src/lib.rs", b"ok")
        .file("demo-9.9.9/src/lib.rs", b"no")
        .file("README.md", b"top-level file")
        .file("demo-1.0.0", b"a file named like the root")
        .gz();
    let u = read(&gz);
    assert_eq!(names(&u), ["src/lib.rs"]);
    let reason = "outside the crate root folder `demo-1.0.0`";
    assert_eq!(
        u.skipped,
        [
            skip("README.md", reason),
            skip("demo-1.0.0", reason),
            skip("demo-9.9.9/src/lib.rs", reason),
        ]
    );
}

#[test]
fn each_hostile_entry_is_skipped_with_its_reason() {
    let gz = Tarball::new()
        .file("demo-1.0.0/src/lib.rs", b"ok")
        .file("demo-1.0.0/../escape.rs", b"x")
        .file("../../etc/cron.d/x", b"x")
        .file("/etc/passwd", b"x")
        .file("C:/Windows/x.dll", b"x")
        .file("demo-1.0.0\\..\\x.rs", b"x")
        .link("demo-1.0.0/src/sym.rs", EntryType::Symlink, "/etc/passwd")
        .link(
            "demo-1.0.0/src/hard.rs",
            EntryType::Link,
            "demo-1.0.0/src/lib.rs",
        )
        .raw(b"demo-1.0.0/dev/tty", EntryType::Char, b"")
        .raw(b"demo-1.0.0/dev/sda", EntryType::Block, b"")
        .raw(b"demo-1.0.0/dev/pipe", EntryType::Fifo, b"")
        .raw(b"demo-1.0.0/weird", EntryType::new(b'Z'), b"")
        .raw(b"demo-1.0.0/src/\xff\xfe.rs", EntryType::Regular, b"x")
        .gz();
    let u = read(&gz);
    assert_eq!(names(&u), ["src/lib.rs"]);
    let mut expected = vec![
        skip("demo-1.0.0/../escape.rs", reasons::PARENT_DIR),
        skip("../../etc/cron.d/x", reasons::PARENT_DIR),
        skip("/etc/passwd", reasons::ABSOLUTE),
        skip("C:/Windows/x.dll", reasons::WINDOWS_PREFIX),
        skip("demo-1.0.0\\\\..\\\\x.rs", reasons::BACKSLASH),
        skip("demo-1.0.0/src/sym.rs", reasons::SYMLINK),
        skip("demo-1.0.0/src/hard.rs", reasons::HARD_LINK),
        skip("demo-1.0.0/dev/tty", reasons::DEVICE),
        skip("demo-1.0.0/dev/sda", reasons::DEVICE),
        skip("demo-1.0.0/dev/pipe", reasons::DEVICE),
        skip(
            "demo-1.0.0/weird",
            "unsupported entry type Z (not a regular file)",
        ),
        skip("demo-1.0.0/src/\\xff\\xfe.rs", reasons::NOT_UTF8),
    ];
    expected.sort();
    assert_eq!(u.skipped, expected);
}

#[test]
fn hostile_directories_are_recorded_and_plain_ones_are_silent() {
    let gz = Tarball::new()
        .dir("./")
        .dir("demo-1.0.0/src/")
        .dir("other-root/")
        .dir("demo-1.0.0/../../up/")
        .file("demo-1.0.0/src/lib.rs", b"ok")
        .gz();
    let u = read(&gz);
    assert_eq!(u.root, ROOT);
    assert_eq!(
        u.skipped,
        [skip("demo-1.0.0/../../up/", reasons::PARENT_DIR)]
    );
}

#[test]
fn names_are_escaped_to_printable_ascii() {
    assert_eq!(escape_name(b"a/b.rs"), "a/b.rs");
    assert_eq!(
        escape_name(b"a\nb\tc\rd\x1b[31m"),
        "a\\nb\\tc\\rd\\u{1b}[31m"
    );
    assert_eq!(
        escape_name("caf\u{e9}\u{202e}".as_bytes()),
        "caf\\u{e9}\\u{202e}"
    );
    assert_eq!(escape_name(b"bad\xffname\\"), "bad\\xffname\\\\");
    let gz = Tarball::new()
        .file("demo-1.0.0/src/lib.rs", b"ok")
        .link("demo-1.0.0/\x1b[2Jevil", EntryType::Symlink, "x")
        .gz();
    assert_eq!(
        read(&gz).skipped,
        [skip("demo-1.0.0/\\u{1b}[2Jevil", reasons::SYMLINK)]
    );
}

#[test]
fn duplicate_paths_keep_the_last_entry_like_cargo() {
    let gz = Tarball::new()
        .file("demo-1.0.0/src/lib.rs", b"first")
        .file("demo-1.0.0/src/lib.rs", b"second")
        .file("demo-1.0.0/./src/lib.rs", b"third")
        .gz();
    let u = read(&gz);
    assert_eq!(&u.files["src/lib.rs"][..], b"third");
    assert_eq!(
        u.skipped,
        [
            skip("demo-1.0.0/src/lib.rs", reasons::DUPLICATE),
            skip("demo-1.0.0/src/lib.rs", reasons::DUPLICATE),
        ]
    );
}

#[test]
fn a_file_replaced_by_a_later_skipped_entry_is_not_scanned() {
    let gz = Tarball::new()
        .file("demo-1.0.0/Cargo.toml", b"[package]")
        .file("demo-1.0.0/src/lib.rs", b"harmless")
        .link("demo-1.0.0/src/lib.rs", EntryType::Symlink, "/etc/passwd")
        .gz();
    let u = read(&gz);
    assert_eq!(names(&u), ["Cargo.toml"]);
    assert_eq!(
        u.skipped,
        [
            skip("demo-1.0.0/src/lib.rs", reasons::DUPLICATE_OF_SKIPPED),
            skip("demo-1.0.0/src/lib.rs", reasons::SYMLINK),
        ]
    );
}

#[test]
fn entry_size_cap_skips_without_reading() {
    let limits = Limits {
        max_entry_bytes: 10,
        ..Limits::default()
    };
    let gz = Tarball::new()
        .file("demo-1.0.0/exact.bin", &[1; 10])
        .file("demo-1.0.0/big.bin", &[2; 11])
        .file("demo-1.0.0/after.rs", b"after")
        .gz();
    let u = read_crate_tarball(&gz, Some(ROOT), &limits).unwrap();
    assert_eq!(names(&u), ["after.rs", "exact.bin"]);
    assert_eq!(
        u.skipped,
        [skip(
            "demo-1.0.0/big.bin",
            "over entry size cap (11 bytes > 10)"
        )]
    );
}

#[test]
fn total_size_cap_skips_entries_that_do_not_fit() {
    let limits = Limits {
        max_total_bytes: 25,
        ..Limits::default()
    };
    let gz = Tarball::new()
        .file("demo-1.0.0/a", &[0; 10])
        .file("demo-1.0.0/b", &[0; 10])
        .file("demo-1.0.0/c", &[0; 10])
        .file("demo-1.0.0/d", &[0; 5])
        .file("demo-1.0.0/e", &[0; 1])
        .gz();
    let u = read_crate_tarball(&gz, Some(ROOT), &limits).unwrap();
    assert_eq!(names(&u), ["a", "b", "d"]);
    let reason = "over total size cap (1 more bytes would pass 25 inflated in this crate)";
    assert_eq!(
        u.skipped,
        [
            skip(
                "demo-1.0.0/c",
                "over total size cap (10 more bytes would pass 25 inflated in this crate)"
            ),
            skip("demo-1.0.0/e", reason),
        ]
    );
}

#[test]
fn entry_count_cap_stops_reading() {
    let limits = Limits {
        max_entries: 3,
        ..Limits::default()
    };
    let gz = Tarball::new()
        .dir("demo-1.0.0/")
        .file("demo-1.0.0/a", b"a")
        .file("demo-1.0.0/b", b"b")
        .file("demo-1.0.0/c", b"c")
        .file("demo-1.0.0/d", b"d")
        .gz();
    let u = read_crate_tarball(&gz, Some(ROOT), &limits).unwrap();
    assert_eq!(names(&u), ["a", "b"]);
    assert_eq!(
        u.skipped,
        [skip(
            "<archive>",
            "entry count cap reached: only the first 3 entries were read"
        )]
    );
}

#[test]
fn nothing_past_the_entry_count_cap_is_inflated() {
    // Were the rest drained, the 1 MiB of zeros would trip the stream cap (2 * 100 + 2 * 2048).
    let limits = Limits {
        max_entry_bytes: 100,
        max_total_bytes: 100,
        max_entries: 2,
    };
    let gz = Tarball::new()
        .file("demo-1.0.0/a", b"a")
        .file("demo-1.0.0/b", b"b")
        .file("demo-1.0.0/c", b"c")
        .file("demo-1.0.0/zeros.bin", &vec![0; 1 << 20])
        .gz();
    let u = read_crate_tarball(&gz, Some(ROOT), &limits).unwrap();
    assert_eq!(names(&u), ["a", "b"]);
    assert_eq!(
        u.skipped,
        [skip(
            "<archive>",
            "entry count cap reached: only the first 2 entries were read"
        )]
    );
}

#[test]
fn a_decompression_bomb_stops_at_the_stream_cap() {
    // Stream cap here: 2 * 100 + 2 * 2048 = 4296 inflated bytes.
    let limits = Limits {
        max_entry_bytes: 100,
        max_total_bytes: 100,
        max_entries: 2,
    };
    let gz = Tarball::new()
        .file("demo-1.0.0/src/lib.rs", b"ok")
        .file("demo-1.0.0/zeros.bin", &vec![0; 1 << 20])
        .gz();
    assert!(gz.len() < 4096, "a real bomb: {} bytes", gz.len());
    let u = read_crate_tarball(&gz, Some(ROOT), &limits).unwrap();
    assert_eq!(names(&u), ["src/lib.rs"]);
    assert_eq!(
        u.skipped,
        [
            skip(
                "<archive>",
                "inflated stream cap reached after 2 entries: the archive inflates to more \
                 than 4296 bytes, the rest was not read"
            ),
            skip(
                "demo-1.0.0/zeros.bin",
                "over entry size cap (1048576 bytes > 100)"
            ),
        ]
    );
}

#[test]
fn truncated_gzip_keeps_what_was_read() {
    let mut t = Tarball::new();
    t.file("demo-1.0.0/src/lib.rs", b"first")
        .file("demo-1.0.0/blob.bin", &noise(64 * 1024));
    let gz = t.gz();
    let u = read(&gz[..gz.len() / 2]);
    assert_eq!(names(&u), ["src/lib.rs"]);
    assert_eq!(u.skipped.len(), 1);
    assert_eq!(u.skipped[0].path, "<archive>");
    assert!(
        u.skipped[0]
            .reason
            .starts_with("archive truncated or corrupt after 2 entries: "),
        "{}",
        u.skipped[0].reason
    );
}

#[test]
fn truncated_gzip_with_nothing_usable_is_corrupt() {
    let gz = Tarball::new().file("demo-1.0.0/src/lib.rs", b"x").gz();
    let err = read_crate_tarball(&gz[..15], Some(ROOT), &Limits::default()).unwrap_err();
    assert!(matches!(err, ArchiveError::Corrupt(_)), "{err}");
    let err = read_crate_tarball(b"plain text", None, &Limits::default()).unwrap_err();
    assert!(matches!(err, ArchiveError::Corrupt(_)), "{err}");
}

#[test]
fn corrupt_header_mid_archive_keeps_earlier_entries() {
    let mut tar = Tarball::new()
        .file("demo-1.0.0/src/lib.rs", b"first")
        .file("demo-1.0.0/src/two.rs", b"second")
        .tar();
    // Second header starts after the first header and its one padded data block.
    tar[1024 + 10] ^= 0xff;
    let u = read(&gzip(&tar));
    assert_eq!(names(&u), ["src/lib.rs"]);
    assert_eq!(
        u.skipped,
        [skip(
            "<archive>",
            "archive truncated or corrupt after 1 entries: archive header checksum mismatch"
        )]
    );
}

#[test]
fn corrupt_first_header_is_corrupt() {
    let mut tar = Tarball::new().file("demo-1.0.0/src/lib.rs", b"x").tar();
    tar[3] ^= 0xff;
    let err = read_crate_tarball(&gzip(&tar), Some(ROOT), &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("checksum"), "{err}");
}

#[test]
fn bad_gzip_crc_at_the_end_is_recorded() {
    let mut gz = Tarball::new().file("demo-1.0.0/src/lib.rs", b"x").gz();
    let crc = gz.len() - 8;
    gz[crc] ^= 0xff;
    let u = read(&gz);
    assert_eq!(names(&u), ["src/lib.rs"]);
    assert_eq!(u.skipped.len(), 1);
    assert!(
        u.skipped[0]
            .reason
            .starts_with("archive truncated or corrupt after 1 entries")
    );
}

#[test]
fn a_header_that_promises_more_data_than_exists_is_truncation() {
    let mut tar = Tarball::new()
        .file("demo-1.0.0/src/lib.rs", b"ok")
        .file("demo-1.0.0/src/short.rs", b"abcdefgh")
        .tar();
    // Cut inside the second entry's data: its header says 8 bytes, only 3 remain.
    tar.truncate(1024 + 512 + 3);
    let u = read(&gzip(&tar));
    assert_eq!(names(&u), ["src/lib.rs"]);
    assert_eq!(
        u.skipped,
        [skip(
            "<archive>",
            "archive truncated or corrupt after 2 entries: entry demo-1.0.0/src/short.rs is \
             shorter than its header says"
        )]
    );
}

#[test]
fn a_huge_lying_size_is_never_allocated() {
    let mut h = Header::new_gnu();
    h.set_path("demo-1.0.0/huge.bin").unwrap();
    h.set_size(1 << 40);
    h.set_cksum();
    let mut tar = Tarball::new().file("demo-1.0.0/src/lib.rs", b"ok").tar();
    tar.truncate(1024);
    tar.extend_from_slice(h.as_bytes());
    tar.extend_from_slice(&[7; 512]);
    let u = read(&gzip(&tar));
    assert_eq!(names(&u), ["src/lib.rs"]);
    assert_eq!(u.skipped.len(), 2);
    assert_eq!(u.skipped[0].path, "<archive>");
    assert_eq!(
        u.skipped[1],
        skip(
            "demo-1.0.0/huge.bin",
            "over entry size cap (1099511627776 bytes > 67108864)"
        )
    );
}

#[test]
fn long_names_from_gnu_and_pax_headers() {
    let long = format!("demo-1.0.0/{}/lib.rs", "d".repeat(120));
    let mut t = Tarball::new();
    t.file(&long, b"gnu!");
    let pax_path = format!("demo-1.0.0/{}/pax.rs", "p".repeat(150));
    let record_len = |body: &str| {
        // The length prefix counts itself, so settle it by iteration.
        let mut n = body.len() + 3;
        while format!("{n} {body}\n").len() != n {
            n += 1;
        }
        format!("{n} {body}\n")
    };
    let record = record_len(&format!("path={pax_path}"));
    t.raw(b"PaxHeaders/x", EntryType::XHeader, record.as_bytes());
    t.file("short-name-ignored", b"pax!");
    t.raw(
        b"pax_global_header",
        EntryType::XGlobalHeader,
        b"22 comment=abcdefghi\n",
    );
    let u = read(&t.gz());
    assert!(u.skipped.is_empty(), "{:?}", u.skipped);
    assert_eq!(&u.files[&long["demo-1.0.0/".len()..]][..], b"gnu!");
    assert_eq!(&u.files[&pax_path["demo-1.0.0/".len()..]][..], b"pax!");
}

#[test]
fn an_archive_without_files_says_so() {
    let gz = Tarball::new().dir("demo-1.0.0/").gz();
    let u = read(&gz);
    assert!(u.files.is_empty());
    assert_eq!(u.skipped, [skip("<archive>", reasons::NO_FILES)]);
}

/// Inflating in one piece only makes reading faster: on every shape, good or hostile, the
/// result is the streaming reader's, and the one-piece path is taken only when it is whole.
#[test]
fn inflating_whole_or_streamed_reads_the_same() {
    let good = Tarball::new()
        .file("demo-1.0.0/Cargo.toml", b"[package]\nname = \"demo\"\n")
        .file("demo-1.0.0/src/lib.rs", b"pub fn f() {}\n")
        .gz();
    let n = good.len();
    let with_trailer = |size: u32| {
        let mut gz = good.clone();
        gz[n - 4..].copy_from_slice(&size.to_le_bytes());
        gz
    };
    let mut bad_crc = good.clone();
    bad_crc[n - 8] ^= 0xff;
    let mut garbage_after = good.clone();
    garbage_after.extend_from_slice(b"not gzip at all");
    let mut second_member = good.clone();
    second_member.extend(Tarball::new().file("demo-1.0.0/src/evil.rs", b"x").gz());
    let cases = [
        ("good", good.clone(), true),
        ("trailer too small", with_trailer(16), false),
        ("trailer too big", with_trailer(u32::MAX), false),
        ("bad crc", bad_crc, false),
        ("truncated", good[..n - 12].to_vec(), false),
        // the last four bytes are no longer the first member's size
        ("garbage after the member", garbage_after, false),
        ("a second member", second_member, false),
        ("empty", Vec::new(), false),
    ];
    let limits = Limits::default();
    for (what, gz, whole) in cases {
        assert_eq!(inflate_whole(&gz, &limits).is_some(), whole, "{what}");
        let fast = read_crate_tarball(&gz, Some(ROOT), &limits);
        let streamed = read_streamed(&gz, Some(ROOT), &limits);
        assert_eq!(format!("{fast:?}"), format!("{streamed:?}"), "{what}");
    }
    // cargo reads the first member only, and so do both readers.
    let u = read(&good);
    assert_eq!(names(&u), ["Cargo.toml", "src/lib.rs"]);
}
