#[path = "support.rs"]
mod support;

#[test]
fn pokes() {
    assert_eq!(support::poke(), 1);
}
