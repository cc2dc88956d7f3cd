//! Helpers shared by the drift checks: where things are and how to read pages.

#![allow(dead_code)] // each test file uses a different subset

use std::path::{Path, PathBuf};

use regex::Regex;
use walkdir::WalkDir;

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
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

/// A fenced code block: its info string (`rust,noplayground`), body and 1-based line.
pub struct CodeBlock {
    pub info: String,
    pub body: String,
    pub line: usize,
}

impl CodeBlock {
    pub fn attributes(&self) -> Vec<&str> {
        self.info.split(',').map(str::trim).collect()
    }

    pub fn language(&self) -> &str {
        self.attributes().first().copied().unwrap_or("")
    }

    pub fn has(&self, attribute: &str) -> bool {
        self.attributes().contains(&attribute)
    }

    /// True if the block holds nothing but `{{#include}}`/`{{#rustdoc_include}}` lines.
    pub fn is_include_only(&self) -> bool {
        let lines: Vec<&str> = self
            .body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        !lines.is_empty() && lines.iter().all(|line| line.starts_with("{{#"))
    }
}

pub fn code_blocks(text: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let trimmed = line.trim_start();
        let fence: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if fence.len() < 3 {
            continue;
        }
        let info = trimmed[fence.len()..].trim().to_owned();
        let mut body = String::new();
        for (_, inner) in lines.by_ref() {
            if inner.trim() == fence {
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        blocks.push(CodeBlock {
            info,
            body,
            line: index + 1,
        });
    }
    blocks
}

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

/// Example crates: (folder name, path), one per `examples/NAME/`.
pub fn example_crates() -> Vec<(String, PathBuf)> {
    let mut crates: Vec<(String, PathBuf)> = std::fs::read_dir(repo_root().join("examples"))
        .expect("examples/ exists")
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.join("Cargo.toml").is_file())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path,
            )
        })
        .collect();
    crates.sort();
    crates
}

/// The `[[example]]` target names declared by the example crates.
pub fn example_targets() -> Vec<String> {
    let mut names = Vec::new();
    for (_, path) in example_crates() {
        let manifest: toml::Table =
            toml::from_str(&std::fs::read_to_string(path.join("Cargo.toml")).unwrap()).unwrap();
        for example in manifest
            .get("example")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(name) = example.get("name").and_then(|n| n.as_str()) {
                names.push(name.to_owned());
            }
        }
    }
    names
}

/// What `cargo xtask ARGS` prints: the tests ask xtask about its tasks and tools rather
/// than reading its source, so renaming a constant cannot change what is checked.
pub fn xtask(args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO"))
        // `--bin`, not `--package`: the dependencies keep the whole workspace's
        // features, so the build the tests ran from is reused.
        .args(["run", "--quiet", "--bin", "xtask", "--"])
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo xtask {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("xtask prints UTF-8")
}
