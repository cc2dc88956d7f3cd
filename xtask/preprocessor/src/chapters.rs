//! The book's chapters, as `SUMMARY.md` lists them, and the example crates that
//! belong to them.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

/// `(folder, title)` of each numbered chapter, in the order of `SUMMARY.md`.
pub fn chapter_order(root: &Path) -> Result<Vec<(String, String)>> {
    let summary = fs::read_to_string(root.join("src/SUMMARY.md"))?;
    let link = regex::Regex::new(r"^\s*- \[([^\]]+)\]\(([^/)]+)/index\.md\)")?;
    Ok(summary
        .lines()
        .filter_map(|line| link.captures(line))
        .map(|caps| (caps[2].to_owned(), caps[1].to_owned()))
        .collect())
}

/// The chapter an example crate declares in `[package.metadata.book]`.
pub fn chapter_of(krate: &Path) -> Result<String> {
    let manifest = krate.join("Cargo.toml");
    crate::prerequisites::read(&manifest)?
        .chapter
        .with_context(|| {
            format!(
                "{} does not say its chapter: add `[package.metadata.book] chapter = \"FOLDER\"`",
                manifest.display()
            )
        })
}
