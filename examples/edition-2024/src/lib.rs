//! What the Rust 2024 edition changed, shown by code that compiles and runs here
//! (as Rust 2024) and in `examples/edition-2021` (the same code as Rust 2021), and by
//! the programs in `compile-fail/`, which Rust 2024 rejects.
//!
//! Run it with `cargo run --example edition-2024`.

pub mod behaviour;
pub mod capture;
pub mod newer;
pub mod unsafe_code;
