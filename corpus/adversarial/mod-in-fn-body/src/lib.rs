pub fn init() {
    #[path = "detail.txt"]
    mod detail;
    detail::run();
}
