//! Third-party async file system wrappers.

use tokio::fs as tfs;

pub async fn tokio_read(p: &str) -> std::io::Result<Vec<u8>> {
    tfs::read(p).await //~ fs
}

pub async fn tokio_create(p: &str) -> std::io::Result<tokio::fs::File> {
    tokio::fs::File::create(p).await //~ fs
}

pub async fn async_std_read(p: &str) -> std::io::Result<String> {
    async_std::fs::read_to_string(p).await //~ fs
}

/// A tokio file in type position only: not a finding.
pub async fn len(f: &tfs::File) -> u64 {
    f.metadata().await.map(|m| m.len()).unwrap_or(0)
}
