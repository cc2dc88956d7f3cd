//! Image filters over RGBA pixel buffers, in plain safe Rust: the same code runs
//! natively (`cargo run --example wasm-image`) and in the browser as WebAssembly,
//! through the thin layer in `src/wasm.rs`.

pub mod filters;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use filters::{FilterError, Image};
