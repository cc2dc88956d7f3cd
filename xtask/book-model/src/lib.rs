//! What the book is made of, read in one place.
//!
//! - [`summary`]: its pages and chapters, from `src/SUMMARY.md` (mdBook's own parser);
//! - [`crates`]: the workspace's crates and what each says for the book in
//!   `[package.metadata.book]` (its chapter, what it needs, where it runs), through
//!   `cargo metadata`;
//! - [`lockfile`]: the locked version of every crate (`Cargo.lock`) and the pinned
//!   toolchain, its components and targets (`rust-toolchain.toml`);
//! - [`markdown`]: the code blocks of a page, with pulldown-cmark;
//! - [`exercises`] and [`quizzes`]: each chapter's exercises (folders of an example
//!   crate) and its quiz (`quiz.toml`), read and checked for form;
//! - [`pins`]: the tools the book is built and checked with, and their versions.
//!
//! The preprocessor, `cargo xtask` and the tests read those files through this crate
//! and nowhere else, so a change of format is a change here. Its errors are for a
//! person to read, never for a caller to match, hence `anyhow`.

pub mod crates;
pub mod exercises;
pub mod lockfile;
pub mod markdown;
pub mod pins;
pub mod quizzes;
pub mod summary;
