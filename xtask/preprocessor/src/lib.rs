//! The book's mdBook preprocessor: what the pages say that is not typed by hand.
//!
//! - `{{#version CRATE}}` becomes the locked version of CRATE (`{{#version rustc}}`
//!   the pinned toolchain, `{{#version wasm-pack}}` a tool pinned in `pins.rs`);
//!   an unknown or ambiguous name fails the build.
//! - `{{#verified}}` becomes "Built from commit H of DATE with Rust X, crate Y, ...",
//!   naming the `key-crates` from `book.toml`; the date is the commit's.
//! - `{{#repository}}` becomes the repository's address, `git-repository-url` in
//!   `book.toml`, so that moving the repository changes one line.
//! - `{{#quiz quiz.toml}}` becomes the chapter's quiz (see `quiz.rs`), read from the
//!   file beside the page.
//! - `{{#prerequisites}}` becomes the table of what each example needs and where it
//!   runs, from the crates' `[package.metadata.book]` (see `prerequisites.rs`).
//! - `{{#exercise NAME}}` becomes the exercise's task, where to edit and how to check
//!   it, and its hint and reference solution, folded (see `exercise.rs`).
//!
//! - `{{#editions}}` becomes links to the PDF and EPUB editions (see `editions.rs`).
//! - A `<div class="live-demo">` gets a note for print, and becomes only that note
//!   in the EPUB; the EPUB's pages also get mdBook's heading ids and `.html` links
//!   (see `offline.rs`).
//!
//! - A listing included from a file gets a caption with the file's path.
//!
//! `main.rs` speaks mdBook's protocol; [`preprocess`] does the work. The library is
//! also what `cargo xtask` reads the book's exercises, quizzes, chapters, pinned
//! tools and prerequisites with, so each of those is read in one place. Its errors
//! are for a person to read, never for a caller to match, hence `anyhow`.

pub mod chapters;
pub mod editions;
pub mod exercises;
pub mod lockfile;
pub mod offline;
pub mod pins;
pub mod prerequisites;
pub mod quiz;
pub mod versions;

use std::path::Path;

use anyhow::{Context, Result, bail};
use regex::Regex;
use serde_json::Value;

use crate::offline::Reader;
use crate::versions::Versions;

/// Rewrites every chapter of `book` (mdBook's JSON) for the renderer that `context`
/// names. Only the chapters' `content` strings are touched, so the rest of the JSON
/// passes through as is. Fails with every page's problem, one per line.
pub fn preprocess(context: &Value, book: &mut Value) -> Result<()> {
    let root = context["root"]
        .as_str()
        .context("the context has no book root")?;
    let key_crates: Vec<&str> = context["config"]["preprocessor"]["book"]["key-crates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let root = Path::new(root);
    let versions = Versions::read(root)?;
    // One setting holds where the book's repository lives: `git clone` commands in
    // the prose are made from it.
    let repository = context["config"]["output"]["html"]["git-repository-url"]
        .as_str()
        .context("book.toml has no output.html.git-repository-url")?;
    let verified = versions.verified_line(&key_crates, root)?;

    let src = root.join(context["config"]["book"]["src"].as_str().unwrap_or("src"));
    let reader = Reader::for_renderer(context["renderer"].as_str().unwrap_or("html"));
    let online = offline::online_address(repository)?;
    let edition_links = editions::links(root, &online)?;
    let mut errors = Vec::new();
    rewrite_contents(book, &mut |content, page| {
        let page_address = format!("{online}{}", page.replace(".md", ".html"));
        let substituted = versions
            .substitute(content, &verified, repository)
            .map(|text| caption_listings(&text))
            .map(|text| text.replace("{{#editions}}", &edition_links))
            .and_then(|text| offline::live_demos(&text, reader, &page_address))
            .and_then(|text| insert_quizzes(&text, &src, page, reader))
            .and_then(|text| exercises::insert_exercises(&text, root))
            .and_then(|text| insert_prerequisites(&text, root))
            .map(|text| match reader {
                Reader::Browser => text,
                Reader::EReader => offline::anchor_headings(&offline::link_pages_as_html(&text)),
            });
        match substituted {
            Ok(new) => *content = new,
            Err(error) => errors.push(format!("{page}: {error:#}")),
        }
    });
    if !errors.is_empty() {
        bail!("{}", errors.join("\n"));
    }
    Ok(())
}

/// Calls `visit` on every chapter's `content` with the chapter's path (relative to
/// the book's `src`), wherever the chapter sits in the book tree.
fn rewrite_contents(value: &mut Value, visit: &mut dyn FnMut(&mut String, &str)) {
    match value {
        Value::Object(map) => {
            let page = map
                .get("path")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(text) if key == "content" => visit(text, &page),
                    _ => rewrite_contents(child, visit),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_contents(item, visit)),
        _ => {}
    }
}

/// Puts the file a listing comes from above it, as the Rust Book does ("Filename:
/// src/main.rs"): a code block whose first line includes a file (`{{#include PATH}}`
/// or `{{#rustdoc_include PATH}}`) gets a caption made from PATH, so the caption can
/// never disagree with the listing. Program output (`console` blocks) gets none.
/// This runs before mdBook's `links` preprocessor replaces the directives.
fn caption_listings(content: &str) -> String {
    let include = Regex::new(r"^\s*\{\{#(?:rustdoc_)?include\s+([^:}\s]+)").expect("a valid regex");
    let lines: Vec<&str> = content.lines().collect();
    let mut out = String::with_capacity(content.len());
    for (index, line) in lines.iter().enumerate() {
        let fence = line.trim_start();
        let next = lines.get(index + 1).copied().unwrap_or_default();
        if let (Some(info), Some(caps)) = (fence.strip_prefix("```"), include.captures(next))
            && !info.starts_with("console")
            && !info.is_empty()
        {
            let indent = &line[..line.len() - fence.len()];
            // Paths are relative to the page, which is two folders below the root.
            let path = caps[1].trim_start_matches("../");
            out.push_str(&format!(
                "{indent}<p class=\"listing-file\">Filename: <code>{path}</code></p>\n\n"
            ));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Replaces `{{#prerequisites}}` with the table of what each example needs.
fn insert_prerequisites(content: &str, root: &Path) -> Result<String> {
    const DIRECTIVE: &str = "{{#prerequisites}}";
    if !content.contains(DIRECTIVE) {
        return Ok(content.to_owned());
    }
    Ok(content.replace(DIRECTIVE, &prerequisites::table(root)?))
}

/// Replaces `{{#quiz FILE}}` with the quiz in FILE, a path relative to the page.
fn insert_quizzes(content: &str, src: &Path, page: &str, reader: Reader) -> Result<String> {
    let directive = Regex::new(r"\{\{#quiz\s+([A-Za-z0-9_./-]+)\s*\}\}")?;
    let folder = Path::new(page).parent().unwrap_or(Path::new(""));
    let mut failure = None;
    let result = directive.replace_all(content, |caps: &regex::Captures| {
        let file = src.join(folder).join(&caps[1]);
        let id = folder.to_string_lossy().replace(['/', '.'], "-");
        // The sections a question may name: those above the quiz.
        let above = offline::headings(&content[..caps.get(0).map_or(0, |m| m.start())]);
        match quiz::read(&file).and_then(|quiz| quiz::render(&quiz, &id, reader, &above)) {
            Ok(html) => html,
            Err(error) => {
                failure.get_or_insert(error);
                String::new()
            }
        }
    });
    match failure {
        Some(error) => Err(error),
        None => Ok(result.into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository this crate is part of: the tests read its real book.
    fn repository_root() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
    }

    /// mdBook's JSON for a book with one chapter and one nested sub-chapter.
    fn book(content: &str, nested: &str) -> Value {
        serde_json::json!({"items": [{"Chapter": {
            "content": content, "path": "memory-safety/index.md",
            "sub_items": [{"Chapter": {"content": nested, "path": "memory-safety/more.md", "sub_items": []}}]
        }}]})
    }

    fn context(renderer: &str) -> Value {
        serde_json::json!({
            "root": repository_root(),
            "renderer": renderer,
            "config": {
                "book": {"src": "src"},
                "preprocessor": {"book": {"key-crates": ["anyhow"]}},
                "output": {"html": {"git-repository-url": "https://github.com/o/r"}}
            }
        })
    }

    #[test]
    fn every_chapter_is_rewritten_nested_ones_too() -> Result<()> {
        let mut book = book("Rust {{#version rustc}}", "`git clone {{#repository}}`");
        preprocess(&context("html"), &mut book)?;
        let toolchain = lockfile::toolchain(repository_root())?;
        let top = &book["items"][0]["Chapter"];
        let text = |chapter: &Value| {
            chapter["content"]
                .as_str()
                .unwrap_or_default()
                .trim_end()
                .to_owned()
        };
        assert_eq!(text(top), format!("Rust {toolchain}"));
        assert_eq!(
            text(&top["sub_items"][0]["Chapter"]),
            "`git clone https://github.com/o/r`"
        );
        Ok(())
    }

    #[test]
    fn an_unknown_version_fails_and_names_the_page() {
        let mut book = book("{{#version no-such-crate}}", "");
        let error = preprocess(&context("html"), &mut book).expect_err("unknown crate");
        let message = format!("{error:#}");
        assert!(message.contains("memory-safety/index.md"), "{message}");
        assert!(message.contains("no-such-crate"), "{message}");
    }

    #[test]
    fn the_epub_gets_heading_ids_and_html_links() -> Result<()> {
        let mut book = book(
            "## Set up

See [more](more.md#set-up).",
            "",
        );
        preprocess(&context("epub"), &mut book)?;
        let content = book["items"][0]["Chapter"]["content"]
            .as_str()
            .unwrap_or_default();
        assert!(
            content.contains("## <a id=\"set-up\"></a>Set up"),
            "{content}"
        );
        assert!(content.contains("[more](more.html#set-up)"), "{content}");
        Ok(())
    }

    #[test]
    fn listings_get_their_file_and_outputs_do_not() {
        let page = "Text\n\n```rust,noplayground\n{{#rustdoc_include ../../examples/a/src/b.rs:anchor}}\n```\n\n  ```c\n  {{#include ../../examples/a/c/d.c}}\n  ```\n\n```console\n{{#include ../../examples/a/expected/run.txt}}\n```\n";
        let captioned = caption_listings(page);
        assert!(captioned.contains(
            "<p class=\"listing-file\">Filename: <code>examples/a/src/b.rs</code></p>\n\n```rust"
        ));
        assert!(captioned.contains(
            "  <p class=\"listing-file\">Filename: <code>examples/a/c/d.c</code></p>\n\n  ```c"
        ));
        assert!(!captioned.contains("expected/run.txt</code>"));
    }
}
