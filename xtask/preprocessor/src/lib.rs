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

pub mod editions;
pub mod exercises;
pub mod offline;
pub mod prerequisites;
pub mod quiz;
pub mod versions;

use std::path::Path;

use anyhow::{Context, Result, bail};
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;
use regex::Regex;
use serde::Deserialize;

use crate::offline::Reader;
use crate::versions::Versions;

/// What `[preprocessor.book]` in `book.toml` may say. A key that is not here, such as
/// a misspelt one, fails the build instead of being ignored.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Settings {
    /// The crates named in the "verified with" line at the top of the book.
    key_crates: Vec<String>,
    // mdBook's own keys for every preprocessor; mdBook reads them, this one does not.
    #[serde(default, rename = "command")]
    _command: Option<String>,
    #[serde(default, rename = "before")]
    _before: Vec<String>,
    #[serde(default, rename = "after")]
    _after: Vec<String>,
    #[serde(default, rename = "renderers")]
    _renderers: Vec<String>,
    #[serde(default, rename = "optional")]
    _optional: bool,
}

/// Rewrites every chapter of `book` for the renderer that `context` names. Only the
/// chapters' contents change. Fails with every page's problem, one per line.
pub fn preprocess(context: &PreprocessorContext, book: &mut Book) -> Result<()> {
    let settings: Settings = context
        .config
        .get("preprocessor.book")
        .context("book.toml: [preprocessor.book]")?
        .context("book.toml has no [preprocessor.book]")?;
    let root = context.root.as_path();
    let versions = Versions::read(root)?;
    // One setting holds where the book's repository lives: `git clone` commands in
    // the prose are made from it.
    let repository: String = context
        .config
        .get("output.html.git-repository-url")?
        .context("book.toml has no output.html.git-repository-url")?;
    let key_crates: Vec<&str> = settings.key_crates.iter().map(String::as_str).collect();
    let verified = versions.verified_line(&key_crates, root)?;

    let src = root.join(&context.config.book.src);
    let reader = Reader::for_renderer(&context.renderer);
    let online = offline::online_address(&repository)?;
    let edition_links = editions::links(root, &online)?;
    let mut errors = Vec::new();
    book.for_each_chapter_mut(|chapter| {
        let Some(path) = &chapter.path else {
            return; // a draft chapter has no page
        };
        let page = path.to_string_lossy().replace('\\', "/");
        let page_address = format!("{online}{}", page.replace(".md", ".html"));
        let substituted = versions
            .substitute(&chapter.content, &verified, &repository)
            .map(|text| caption_listings(&text))
            .map(|text| text.replace("{{#editions}}", &edition_links))
            .and_then(|text| offline::live_demos(&text, reader, &page_address))
            .and_then(|text| insert_quizzes(&text, &src, &page, reader))
            .and_then(|text| exercises::insert_exercises(&text, root))
            .and_then(|text| insert_prerequisites(&text, root))
            .map(|text| match reader {
                Reader::Browser => text,
                Reader::EReader => offline::anchor_headings(&offline::link_pages_as_html(&text)),
            });
        match substituted {
            Ok(new) => chapter.content = new,
            Err(error) => errors.push(format!("{page}: {error:#}")),
        }
    });
    if !errors.is_empty() {
        bail!("{}", errors.join("\n"));
    }
    Ok(())
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
        let above =
            book_model::markdown::headings(&content[..caps.get(0).map_or(0, |m| m.start())]);
        match book_model::quizzes::read(&file)
            .and_then(|quiz| quiz::render(&quiz, &id, reader, &above))
        {
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

    /// A book with one chapter and one nested sub-chapter, as mdBook sends it.
    fn book(content: &str, nested: &str) -> Book {
        serde_json::from_value(serde_json::json!({"items": [{"Chapter": {
            "name": "Memory safety", "content": content, "number": null,
            "path": "memory-safety/index.md", "source_path": "memory-safety/index.md",
            "parent_names": [],
            "sub_items": [{"Chapter": {"name": "More", "content": nested, "number": null,
                "path": "memory-safety/more.md", "source_path": "memory-safety/more.md",
                "parent_names": ["Memory safety"], "sub_items": []}}]
        }}]}))
        .expect("a book mdBook could send")
    }

    fn context_with(renderer: &str, settings: &str) -> PreprocessorContext {
        let config = format!(
            "[book]\nsrc = \"src\"\n[preprocessor.book]\n{settings}\n\
             [output.html]\ngit-repository-url = \"https://github.com/o/r\"\n"
        );
        PreprocessorContext::new(
            repository_root().to_path_buf(),
            config.parse().expect("a valid book.toml"),
            renderer.to_owned(),
        )
    }

    fn context(renderer: &str) -> PreprocessorContext {
        context_with(renderer, "key-crates = [\"anyhow\"]")
    }

    /// The chapter at `index` in the book's order (0 the top one, 1 the nested one).
    fn content(book: &Book, index: usize) -> String {
        book.chapters()
            .nth(index)
            .map(|chapter| chapter.content.trim_end().to_owned())
            .unwrap_or_default()
    }

    #[test]
    fn every_chapter_is_rewritten_nested_ones_too() -> Result<()> {
        let mut book = book("Rust {{#version rustc}}", "`git clone {{#repository}}`");
        preprocess(&context("html"), &mut book)?;
        let toolchain = book_model::lockfile::toolchain(repository_root())?;
        assert_eq!(content(&book, 0), format!("Rust {toolchain}"));
        assert_eq!(content(&book, 1), "`git clone https://github.com/o/r`");
        Ok(())
    }

    #[test]
    fn a_misspelt_setting_fails_the_build() {
        let mut book = book("text", "");
        let context = context_with("html", "key-crates = []\nkey-crate = [\"anyhow\"]");
        let error = preprocess(&context, &mut book).expect_err("a misspelt key");
        assert!(format!("{error:#}").contains("key-crate"), "{error:#}");
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
        let content = content(&book, 0);
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
