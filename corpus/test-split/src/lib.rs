//! One capability (fs), shipped and test-only, so the split between the two is visible.

pub mod testing;

#[cfg(test)]
mod helpers;

pub fn load(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default() //~ fs
}

/// Shipped: `not(test)` is true in every normal build.
#[cfg(not(test))]
pub fn cache_dir() -> std::io::Result<()> {
    std::fs::create_dir_all("cache") //~ fs
}

/// Shipped: enabled by a feature, even though tests enable it too.
#[cfg(any(test, feature = "fixtures"))]
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(name).unwrap_or_default() //~ fs
}

/// Shipped: `cfg_attr(test, ..)` only adds an attribute under test.
#[cfg_attr(test, derive(Debug))]
pub struct Settings(pub String);

impl Settings {
    pub fn from_disk() -> Settings {
        Settings(std::fs::read_to_string("settings.toml").unwrap_or_default()) //~ fs
    }
}

/// Test only: `all(test, ..)` is false in every normal build.
#[cfg(all(test, unix))]
fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").unwrap_or_default() //~ fs
}

/// Test only: a `#[test]` fn outside any test module.
#[test]
fn writes_scratch() {
    std::fs::write("scratch.txt", "x").unwrap(); //~ fs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads() {
        let _ = std::fs::read("Cargo.toml"); //~ fs
        assert!(load("missing").is_empty());
        let _ = hostname();
        helpers::cleanup();
    }
}
