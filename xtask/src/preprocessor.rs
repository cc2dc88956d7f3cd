//! An mdBook preprocessor that writes versions into the prose from `Cargo.lock`.
//!
//! - `{{#version CRATE}}` becomes the locked version of CRATE (`{{#version rustc}}`
//!   the pinned toolchain, `{{#version wasm-pack}}` a tool pinned in `tools.rs`,
//!   `{{#version axe-core}}` the accessibility engine pinned in `axe.rs`); an
//!   unknown or ambiguous name fails the build.
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
//! mdBook's protocol: it first asks `supports RENDERER` (exit 0 = yes), then sends
//! `[context, book]` as JSON on stdin and reads the book back on stdout. Only the
//! chapters' `content` strings are touched, so the rest of the JSON passes through as is.

use std::io::Read;

use anyhow::{Context, Result, bail};
use regex::Regex;
use serde_json::Value;

use crate::lockfile::{self, Lockfile};
use crate::offline::{self, Reader};

pub fn main(args: &[String]) -> Result<()> {
    if let [supports, _renderer] = args
        && supports == "supports"
    {
        return Ok(()); // Plain Markdown substitution works for every renderer.
    }
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let (context, mut book): (Value, Value) =
        serde_json::from_str(&input).context("mdBook sent JSON this preprocessor cannot read")?;

    let root = context["root"]
        .as_str()
        .context("the context has no book root")?;
    let key_crates: Vec<&str> = context["config"]["preprocessor"]["lockfile"]["key-crates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let versions = Versions::read(root.as_ref())?;
    // One setting holds where the book's repository lives: `git clone` commands in
    // the prose are made from it.
    let repository = context["config"]["output"]["html"]["git-repository-url"]
        .as_str()
        .context("book.toml has no output.html.git-repository-url")?;
    let verified = versions.verified_line(&key_crates, root.as_ref())?;

    let src =
        std::path::Path::new(root).join(context["config"]["book"]["src"].as_str().unwrap_or("src"));
    let reader = Reader::for_renderer(context["renderer"].as_str().unwrap_or("html"));
    let online = offline::online_address(repository)?;
    let editions = crate::editions::links(root.as_ref(), &online)?;
    let mut errors = Vec::new();
    rewrite_contents(&mut book, &mut |content, page| {
        let page_address = format!("{online}{}", page.replace(".md", ".html"));
        let substituted = versions
            .substitute(content, &verified, repository)
            .map(|text| caption_listings(&text))
            .map(|text| text.replace("{{#editions}}", &editions))
            .map(|text| offline::live_demos(&text, reader, &page_address))
            .and_then(|text| insert_quizzes(&text, &src, page, reader))
            .and_then(|text| crate::exercise::insert_exercises(&text))
            .and_then(|text| insert_prerequisites(&text))
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
    serde_json::to_writer(std::io::stdout().lock(), &book)?;
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
fn insert_prerequisites(content: &str) -> Result<String> {
    const DIRECTIVE: &str = "{{#prerequisites}}";
    if !content.contains(DIRECTIVE) {
        return Ok(content.to_owned());
    }
    Ok(content.replace(DIRECTIVE, &crate::prerequisites::table()?))
}

/// Replaces `{{#quiz FILE}}` with the quiz in FILE, a path relative to the page.
fn insert_quizzes(
    content: &str,
    src: &std::path::Path,
    page: &str,
    reader: Reader,
) -> Result<String> {
    let directive = Regex::new(r"\{\{#quiz\s+([A-Za-z0-9_./-]+)\s*\}\}")?;
    let folder = std::path::Path::new(page)
        .parent()
        .unwrap_or(std::path::Path::new(""));
    let mut failure = None;
    let result = directive.replace_all(content, |caps: &regex::Captures| {
        let file = src.join(folder).join(&caps[1]);
        let id = folder.to_string_lossy().replace(['/', '.'], "-");
        match crate::quiz::read(&file).and_then(|quiz| crate::quiz::render(&quiz, &id, reader)) {
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

struct Commit {
    hash: String,
    /// The committer date, YYYY-MM-DD.
    date: String,
    /// Whether tracked files differ from the commit.
    dirty: bool,
}

/// The commit the book is built from, as git tells it.
fn commit(root: &std::path::Path) -> Option<Commit> {
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let line = git(&["log", "-1", "--format=%h %cs"])?;
    let (hash, date) = line.split_once(' ')?;
    let dirty = !git(&["status", "--porcelain", "--untracked-files=no"])?.is_empty();
    Some(Commit {
        hash: hash.to_owned(),
        date: date.to_owned(),
        dirty,
    })
}

pub struct Versions {
    lock: Lockfile,
    toolchain: String,
}

impl Versions {
    pub fn read(root: &std::path::Path) -> Result<Self> {
        Ok(Self {
            lock: Lockfile::read(root)?,
            toolchain: lockfile::toolchain(root)?,
        })
    }

    /// The toolchain, a pinned command-line tool (xtask's `TOOLS`), or a locked crate.
    fn version(&self, name: &str) -> Result<&str> {
        if name == "rustc" {
            return Ok(&self.toolchain);
        }
        if name == "axe-core" {
            return Ok(crate::axe::AXE_CORE);
        }
        match crate::tools::TOOLS.iter().find(|tool| tool.package == name) {
            Some(tool) => Ok(tool.version),
            None => self.lock.version(name),
        }
    }

    /// The versions the book is built with, and the commit it is built from. The date
    /// is the commit's, never the build's: building a book verifies nothing, CI does.
    fn verified_line(&self, key_crates: &[&str], root: &std::path::Path) -> Result<String> {
        let mut parts = vec![format!("Rust {}", self.toolchain)];
        for name in key_crates {
            parts.push(format!("`{name}` {}", self.version(name)?));
        }
        let source = match commit(root) {
            Some(Commit { hash, date, dirty }) => format!(
                "Built from commit {hash} of {date}{} with {}",
                if dirty { " plus local changes" } else { "" },
                parts.join(", ")
            ),
            None => format!("Built outside a git checkout with {}", parts.join(", ")),
        };
        Ok(format!(
            "*{source}. CI compiles every listing and reruns every shown output with \
             exactly these versions before a commit is published.*"
        ))
    }

    fn substitute(&self, content: &str, verified: &str, repository: &str) -> Result<String> {
        let directive =
            Regex::new(r"\{\{#(version|verified|repository)\s*([A-Za-z0-9_-]*)\s*\}\}")?;
        let mut failure = None;
        let result = directive.replace_all(content, |caps: &regex::Captures| {
            match (&caps[1], &caps[2]) {
                ("verified", "") => verified.to_owned(),
                ("repository", "") => repository.to_owned(),
                ("version", name) if !name.is_empty() => match self.version(name) {
                    Ok(version) => version.to_owned(),
                    Err(error) => {
                        failure.get_or_insert(error);
                        caps[0].to_owned()
                    }
                },
                _ => {
                    failure.get_or_insert(anyhow::anyhow!("malformed directive {}", &caps[0]));
                    caps[0].to_owned()
                }
            }
        });
        match failure {
            Some(error) => Err(error),
            None => Ok(result.into_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::caption_listings;

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
