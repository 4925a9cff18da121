macro_rules! load {
    () => {
        include!("../payload/run.rs");
    };
}
pub fn go() {
    load!();
}
