//! The PDF and EPUB editions: what they are called and where they are published.
//! `cargo xtask editions` builds and checks them (`xtask/src/editions.rs`).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

/// The folder of the HTML book where the editions are published.
pub const DOWNLOADS: &str = "downloads";

/// What the two editions are called, for one checkout of the book.
pub struct Names {
    pub pdf: String,
    pub epub: String,
}

/// `rust-in-2026-0.1.0-2026-11-30.pdf`: the book's title, the root package's version
/// and the commit's date (never the build's: the same commit gives the same name).
pub fn names(root: &Path) -> Result<Names> {
    let book: toml::Table = toml::from_str(&fs::read_to_string(root.join("book.toml"))?)?;
    let title = book["book"]["title"]
        .as_str()
        .context("book.toml has no book.title")?;
    let slug = title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let workspace = book_model::crates::Workspace::read(root)?;
    let version = &workspace.crates()[0].version;
    let stem = match crate::versions::commit(root) {
        Some(commit) => format!("{slug}-{version}-{}", commit.date),
        None => format!("{slug}-{version}"),
    };
    Ok(Names {
        pdf: format!("{stem}.pdf"),
        epub: format!("{stem}.epub"),
    })
}

/// The Markdown list `{{#editions}}` becomes: where the published editions live.
pub fn links(root: &Path, online: &str) -> Result<String> {
    let names = names(root)?;
    Ok(format!(
        "- [PDF, A4]({online}{DOWNLOADS}/{pdf}), for reading and printing\n\
         - [EPUB]({online}{DOWNLOADS}/{epub}), for e-readers, which reflow the text to the screen\n",
        pdf = names.pdf,
        epub = names.epub,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_are_named_after_the_book_its_version_and_commit_date() -> Result<()> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let names = names(&root)?;
        let name = regex::Regex::new(r"^rust-in-2026-\d+\.\d+\.\d+(-\d{4}-\d{2}-\d{2})?\.pdf$")?;
        assert!(name.is_match(&names.pdf), "{}", names.pdf);
        assert_eq!(names.epub.replace(".epub", ".pdf"), names.pdf);
        Ok(())
    }
}
