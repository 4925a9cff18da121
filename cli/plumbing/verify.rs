//! SHA-256 of tarball bytes, compared with what Cargo.lock pins.

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256, the form Cargo.lock uses.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest.iter() {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    hex
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Whether `bytes` hash to `expected` (compared case-insensitively, as hex).
pub fn matches(bytes: &[u8], expected: &str) -> (bool, String) {
    let actual = sha256_hex(bytes);
    (actual.eq_ignore_ascii_case(expected), actual)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let (ok, _) = matches(
            b"abc",
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
        );
        assert!(ok);
        assert!(
            !matches(
                b"abd",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            )
            .0
        );
    }
}
