//! The pages of *Rust in 2026* as doc comments: `cargo test --doc` compiles and runs
//! every inline Rust snippet in the book (listings included from example crates are
//! tested by their own crates). See `build.rs` for how pages are prepared.

// Book snippets often show a whole program, `fn main` included, on purpose.
#![allow(clippy::needless_doctest_main)]

include!(concat!(env!("OUT_DIR"), "/pages/pages.rs"));
