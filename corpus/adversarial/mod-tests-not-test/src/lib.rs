pub mod tests;
