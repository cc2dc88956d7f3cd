//! Turns every page of the book into a doc comment, so that `cargo test --doc` compiles
//! and runs the page's inline Rust snippets with this package's edition (2024) and
//! dependencies. CONTRIBUTING.md explains why this replaces skeptic.
//!
//! Each page is copied to `$OUT_DIR/pages/` with three changes, because rustdoc and
//! mdBook read code fences differently:
//! - a Rust block that only includes an example crate's file (`{{#include ...}}` or
//!   `{{#rustdoc_include ...}}`) is dropped: that file is compiled by its own crate;
//! - a fence without a language becomes `text` (rustdoc would compile it as Rust,
//!   mdBook shows it as plain text);
//! - mdBook's own attributes (`noplayground`, `editable`) are removed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let book_src = manifest.join("src");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("pages");
    println!("cargo::rerun-if-changed={}", book_src.display());

    let mut pages = Vec::new();
    collect_pages(&book_src, &mut pages);
    pages.sort();

    let mut modules = String::new();
    for page in &pages {
        let relative = page.strip_prefix(&book_src).expect("inside src");
        let text = fs::read_to_string(page).expect("a page is UTF-8 text");
        let copy = out.join(relative);
        fs::create_dir_all(copy.parent().expect("has a folder")).expect("writable OUT_DIR");
        fs::write(&copy, rewrite_fences(&text)).expect("writable OUT_DIR");
        writeln!(
            modules,
            "#[doc = include_str!({:?})]\npub mod {} {{}}",
            copy.display().to_string(),
            module_name(relative)
        )
        .expect("writing to a String cannot fail");
    }
    fs::write(out.join("pages.rs"), modules).expect("writable OUT_DIR");
}

fn collect_pages(dir: &Path, pages: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("the book's src folder is readable") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            collect_pages(&path, pages);
        } else if path.extension().is_some_and(|ext| ext == "md")
            && path.file_name().is_some_and(|name| name != "SUMMARY.md")
        {
            pages.push(path);
        }
    }
}

/// `memory-safety/index.md` -> `memory_safety_index`.
fn module_name(relative: &Path) -> String {
    relative
        .with_extension("")
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn rewrite_fences(page: &str) -> String {
    let mut out = String::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let Some((fence, info)) = opening_fence(line) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let mut body = Vec::new();
        for inner in lines.by_ref() {
            if inner.trim_start().starts_with(fence) && inner.trim() == fence {
                break;
            }
            body.push(inner);
        }
        let attributes: Vec<&str> = info
            .split(',')
            .map(str::trim)
            .filter(|attribute| !attribute.is_empty())
            .collect();
        let is_rust = attributes.first().is_none_or(|first| *first == "rust");
        let only_includes = body.iter().all(|line| {
            let line = line.trim();
            line.is_empty()
                || line.starts_with("{{#include")
                || line.starts_with("{{#rustdoc_include")
        });
        if is_rust && only_includes && !body.is_empty() {
            out.push_str("<!-- a listing included from an example crate, tested there -->\n");
            continue;
        }
        let info = if attributes.is_empty() {
            "text".to_owned()
        } else {
            attributes
                .iter()
                .filter(|attribute| !matches!(**attribute, "noplayground" | "editable"))
                .copied()
                .collect::<Vec<_>>()
                .join(",")
        };
        writeln!(out, "{fence}{info}").expect("writing to a String cannot fail");
        for inner in body {
            out.push_str(inner);
            out.push('\n');
        }
        writeln!(out, "{fence}").expect("writing to a String cannot fail");
    }
    out
}

/// `"```rust,no_run"` -> `Some(("```", "rust,no_run"))`.
fn opening_fence(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.chars().take_while(|c| *c == marker).count();
    (length >= 3).then(|| trimmed.split_at(length))
}
