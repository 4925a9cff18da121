cfg_if::cfg_if! {
    if #[cfg(unix)] {
        mod unix;
        pub use unix::run;
    } else {
        mod other;
        pub use other::run;
    }
}
