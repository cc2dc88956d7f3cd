//! The memory-safety chapter's example: the safe versions of the programs that the
//! borrow checker rejects (see `compile-fail/`), and a binding to the C counterpart of
//! the use-after-free (see `c/use_after_free.c`).
//!
//! Run it from the repository root with `cargo run --example borrow-checker`.

pub mod c_counterpart;
pub mod fixes;
