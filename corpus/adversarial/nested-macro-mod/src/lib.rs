macro_rules! inner {
    () => {
        pub mod store;
    };
}
macro_rules! outer {
    () => {
        inner!();
    };
}
outer!();
