//! Helpers shared by the drift checks: where things are and how to read pages.

#![allow(dead_code)] // each test file uses a different subset

use std::path::{Path, PathBuf};

use regex::Regex;
use walkdir::WalkDir;

/// The repository, from `CARGO_MANIFEST_DIR` as Cargo sets it when it runs the test:
/// a test binary built in another copy of the workspace that shares the target folder
/// (the exercise proofs make one) is reused when the files are the same, and would
/// otherwise read the other copy.
pub fn repo_root() -> &'static Path {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        PathBuf::from(
            std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
        )
    })
}

/// A Markdown page of the book, with its path relative to `src/`.
pub struct Page {
    pub path: PathBuf,
    pub relative: String,
    pub text: String,
}

pub fn pages() -> Vec<Page> {
    let src = repo_root().join("src");
    let mut pages: Vec<Page> = WalkDir::new(&src)
        .into_iter()
        .map(|entry| entry.expect("src/ is readable"))
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .map(|entry| Page {
            relative: entry
                .path()
                .strip_prefix(&src)
                .expect("inside src")
                .to_string_lossy()
                .into_owned(),
            text: std::fs::read_to_string(entry.path()).expect("pages are UTF-8"),
            path: entry.path().to_path_buf(),
        })
        .collect();
    pages.sort_by(|a, b| a.relative.cmp(&b.relative));
    pages
}

// Code blocks come from the book's model, which reads pages with pulldown-cmark.
#[allow(unused_imports)] // each test file uses a different subset
pub use book_model::markdown::{CodeBlock, code_blocks};

/// An `{{#include PATH[:ANCHOR]}}` or `{{#rustdoc_include ...}}` directive on a page.
pub struct Include {
    pub kind: String,
    pub file: PathBuf,
    pub file_text: String,
    pub anchor: Option<String>,
    pub line: usize,
}

pub fn includes(page: &Page) -> Vec<Include> {
    let directive = Regex::new(r"\{\{#(include|rustdoc_include)\s+([^}\s]+)\s*\}\}").unwrap();
    let mut found = Vec::new();
    for (index, line) in page.text.lines().enumerate() {
        for caps in directive.captures_iter(line) {
            let target = &caps[2];
            // PATH, PATH:ANCHOR, or PATH:START:END (line numbers).
            let (file, selector) = match target.split_once(':') {
                Some((file, rest)) => (file, Some(rest)),
                None => (target, None),
            };
            let anchor = selector
                .filter(|s| !s.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .map(str::to_owned);
            found.push(Include {
                kind: caps[1].to_owned(),
                file: page.path.parent().unwrap().join(file),
                file_text: target.to_owned(),
                anchor,
                line: index + 1,
            });
        }
    }
    found
}

/// The workspace as Cargo resolves it (`book_model`, through `cargo metadata`).
pub fn workspace() -> book_model::crates::Workspace {
    book_model::crates::Workspace::read(repo_root()).expect("cargo metadata reads the workspace")
}

/// Example crates: (folder name, path), one per `examples/NAME/`, in folder order.
pub fn example_crates() -> Vec<(String, PathBuf)> {
    workspace()
        .examples()
        .map(|krate| (krate.name.clone(), krate.folder.clone()))
        .collect()
}

/// The `[[example]]` target names declared by the example crates.
pub fn example_targets() -> Vec<String> {
    workspace()
        .examples()
        .flat_map(|krate| krate.examples.iter().cloned())
        .collect()
}

/// The book's pages, as `src/SUMMARY.md` lists them (mdBook's own parser).
pub fn summary() -> book_model::summary::Summary {
    book_model::summary::Summary::read(repo_root()).expect("SUMMARY.md parses")
}
