pub fn init() {
    include!("../data/payload.txt");
}
