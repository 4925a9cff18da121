//! Integration test: test code.

#[test]
fn round_trip() {
    std::fs::write("it.txt", "hello").unwrap(); //~ fs
    assert_eq!(corpus_test_split::load("it.txt"), "hello");
}
