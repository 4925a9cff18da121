#[tokio::test]
async fn writes_temp_file() {
    std::fs::write(std::env::temp_dir().join("x"), b"1").unwrap();
}
