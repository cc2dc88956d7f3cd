//! The file `examples/edition-2024/src/behaviour.rs`, compiled as Rust 2021, so that
//! tests can compare what the same code does in both editions.
//!
//! Run it with `cargo run --example edition-2021`.

#[path = "../../edition-2024/src/behaviour.rs"]
pub mod behaviour;
