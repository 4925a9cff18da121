#[test]
fn pings() {
    let _ = adv_path_into_tests::ping();
}
