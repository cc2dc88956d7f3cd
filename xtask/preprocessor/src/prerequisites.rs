//! What the examples need besides Rust, git and a C compiler, in one place: each
//! crate's `[package.metadata.book] needs` (and the root package's, for the book's own
//! tests). `cargo xtask setup` installs from it, Appendix B's table is made from it
//! (`{{#prerequisites}}`), and the kernel example and the tests check it.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

/// One thing a crate needs.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Need {
    /// The Debian package that provides it, if a package does.
    pub debian: Option<String>,
    /// A program on `PATH`, or an absolute path, whose presence shows it is there.
    pub provides: String,
    /// What it is needed for, when not for everything the crate does.
    #[serde(rename = "for")]
    pub purpose: Option<String>,
    /// How to get it when no package provides it.
    pub install: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct BookMetadata {
    chapter: Option<String>,
    #[serde(default)]
    needs: Vec<Need>,
    runs_on: Option<String>,
    #[serde(default)]
    targets: Vec<String>,
}

/// A crate, what the book says about it, and what it needs.
pub struct CrateNeeds {
    pub name: String,
    /// Its one-line `description`.
    pub description: Option<String>,
    pub chapter: Option<String>,
    pub needs: Vec<Need>,
    pub runs_on: Option<String>,
    /// Targets it is also built for, besides the host (the Embassy firmware's chip).
    pub targets: Vec<String>,
}

/// What a crate's `Cargo.toml` says for the book: the one place that reads it.
pub fn read(manifest: &Path) -> Result<CrateNeeds> {
    let text =
        fs::read_to_string(manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let table: toml::Table =
        toml::from_str(&text).with_context(|| format!("parsing {}", manifest.display()))?;
    let package = table.get("package").context("no [package]")?;
    let text_of = |key: &str| {
        package
            .get(key)
            .and_then(|value| value.as_str())
            .map(str::to_owned)
    };
    let name = text_of("name").unwrap_or_default();
    let description = text_of("description");
    let book: BookMetadata = match package.get("metadata").and_then(|m| m.get("book")) {
        Some(book) => book
            .clone()
            .try_into()
            .with_context(|| format!("{}: [package.metadata.book]", manifest.display()))?,
        None => BookMetadata::default(),
    };
    Ok(CrateNeeds {
        name,
        description,
        chapter: book.chapter,
        needs: book.needs,
        runs_on: book.runs_on,
        targets: book.targets,
    })
}

/// The root package, then every example crate, in folder order.
pub fn all(root: &Path) -> Result<Vec<CrateNeeds>> {
    let mut crates = vec![read(&root.join("Cargo.toml"))?];
    let mut folders: Vec<_> = fs::read_dir(root.join("examples"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.join("Cargo.toml").is_file())
        .collect();
    folders.sort();
    for folder in folders {
        crates.push(read(&folder.join("Cargo.toml"))?);
    }
    Ok(crates)
}

/// Whether `provides` is there: a program on `PATH`, or a file or device that exists.
pub fn is_present(provides: &str) -> bool {
    if provides.starts_with('/') {
        return Path::new(provides).exists();
    }
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(provides).is_file()))
}

/// Appendix B's table: per chapter and example, what it needs and where it runs.
pub fn table(root: &Path) -> Result<String> {
    let crates = all(root)?;
    let mut md = String::from("| Chapter | Example | Needs (Debian 12 packages) | Runs on |\n");
    md.push_str("|---|---|---|---|\n");
    for (folder, title) in crate::chapters::chapter_order(root)? {
        for krate in crates
            .iter()
            .filter(|k| k.chapter.as_deref() == Some(&folder))
        {
            let needs: Vec<String> = krate
                .needs
                .iter()
                .map(|need| {
                    let what = match (&need.debian, &need.install) {
                        (Some(package), _) => format!("`{package}`"),
                        (None, Some(install)) => install.clone(),
                        (None, None) => format!("`{}`", need.provides),
                    };
                    match &need.purpose {
                        Some(purpose) => format!("{what} ({purpose})"),
                        None => what,
                    }
                })
                .collect();
            let needs = if needs.is_empty() {
                "nothing else".to_owned()
            } else {
                needs.join(", ")
            };
            writeln!(
                md,
                "| [{title}](../{folder}/index.md) | `{}` | {needs} | {} |",
                krate.name,
                krate.runs_on.as_deref().unwrap_or("not tested")
            )?;
        }
    }
    Ok(md)
}
