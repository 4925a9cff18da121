#[test]
fn reads_fixture() {
    let _ = std::fs::read("tests/data/fixture.bin");
}
