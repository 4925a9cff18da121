#[tokio::test]
pub async fn cleanup() {
    let _ = std::fs::remove_file("/tmp/app.lock");
}
