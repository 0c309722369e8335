//! Placeholder replaced by the billing benchmark.
fn main() {}
