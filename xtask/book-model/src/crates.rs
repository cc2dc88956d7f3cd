//! The workspace's crates and what each says for the book in its `Cargo.toml`:
//!
//! ```toml
//! [package.metadata.book]
//! chapter = "webassembly"          # the chapter (folder under src/) it belongs to
//! runs-on = "Linux, macOS, Windows"
//! targets = ["wasm32-unknown-unknown"]
//! needs = [{ debian = "clang", provides = "clang", for = "the C version" }]
//! ```
//!
//! Read through `cargo metadata`, so a crate is what Cargo resolves, not what a file
//! walk finds. `cargo xtask setup` installs the `needs`, Appendix B's table is made
//! from them, the index and the exercises take `chapter` from here, and a misspelt
//! key is an error instead of a silent default.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use cargo_metadata::{Metadata, MetadataCommand, Package, TargetKind};
use serde::Deserialize;

/// One thing a crate needs besides Rust, git and a C compiler.
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
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct BookMetadata {
    chapter: Option<String>,
    #[serde(default)]
    needs: Vec<Need>,
    runs_on: Option<String>,
    #[serde(default)]
    targets: Vec<String>,
}

/// A crate of the workspace and what it says for the book.
#[derive(Debug, Clone)]
pub struct Crate {
    pub name: String,
    pub version: String,
    /// The folder that holds its `Cargo.toml`.
    pub folder: PathBuf,
    /// Its one-line `description`.
    pub description: Option<String>,
    /// The chapter's folder under `src/`.
    pub chapter: Option<String>,
    pub needs: Vec<Need>,
    /// Where its tests run, in words, for Appendix B.
    pub runs_on: Option<String>,
    /// Targets it is also built for, besides the host (the Embassy firmware's chip).
    pub targets: Vec<String>,
    /// The names of all its targets: library, binaries, examples, tests, benchmarks.
    pub target_names: Vec<String>,
    /// The names of its examples (`cargo run --example NAME`).
    pub examples: Vec<String>,
    /// The names of its binaries (`cargo run --bin NAME`).
    pub bins: Vec<String>,
    /// The names of its features.
    pub features: Vec<String>,
    /// Whether it is one of the book's example crates (a folder under `examples/`).
    pub is_example: bool,
}

impl Crate {
    /// The chapter it belongs to, or an error that says how to declare one.
    pub fn chapter(&self) -> Result<&str> {
        self.chapter.as_deref().with_context(|| {
            format!(
                "{}/Cargo.toml does not say its chapter: add `[package.metadata.book] chapter = \"FOLDER\"`",
                self.folder.display()
            )
        })
    }
}

/// The crates of the workspace at `root`.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The root package first, then the example crates in folder order, then the
    /// book's tools.
    crates: Vec<Crate>,
    /// Where Cargo builds (`CARGO_TARGET_DIR` or `target/`).
    pub target_directory: PathBuf,
}

impl Workspace {
    /// Runs `cargo metadata --no-deps --offline` (about 0.1 s): it needs no network
    /// and resolves no dependency.
    pub fn read(root: &Path) -> Result<Self> {
        let metadata = MetadataCommand::new()
            .manifest_path(root.join("Cargo.toml"))
            .no_deps()
            .other_options(vec!["--offline".to_owned()])
            .exec()
            .with_context(|| format!("running cargo metadata in {}", root.display()))?;
        Self::from_metadata(root, metadata)
    }

    fn from_metadata(root: &Path, metadata: Metadata) -> Result<Self> {
        let examples = root.join("examples");
        let mut crates = metadata
            .packages
            .iter()
            .map(|package| from_package(package, &examples))
            .collect::<Result<Vec<_>>>()?;
        let root_folder = metadata.workspace_root.as_std_path().to_path_buf();
        // Root package first, examples by folder, then the rest by folder.
        crates.sort_by_key(|krate| {
            let rank = if krate.folder == root_folder {
                0
            } else if krate.is_example {
                1
            } else {
                2
            };
            (rank, krate.folder.clone())
        });
        Ok(Self {
            crates,
            target_directory: metadata.target_directory.into_std_path_buf(),
        })
    }

    /// Every crate: the root package, the examples, the tools.
    pub fn crates(&self) -> &[Crate] {
        &self.crates
    }

    /// The example crates, in folder order.
    pub fn examples(&self) -> impl Iterator<Item = &Crate> {
        self.crates.iter().filter(|krate| krate.is_example)
    }

    /// The root package and the example crates: everything the book's readers run.
    pub fn book_crates(&self) -> impl Iterator<Item = &Crate> {
        self.crates.iter().take(1).chain(self.examples())
    }

    /// The example crate named `name` (its folder under `examples/` and its package
    /// name are the same).
    pub fn example(&self, name: &str) -> Result<&Crate> {
        self.examples()
            .find(|krate| krate.name == name)
            .with_context(|| format!("no example crate is named {name}"))
    }

    /// The crate whose `Cargo.toml` is in `folder`.
    pub fn at(&self, folder: &Path) -> Option<&Crate> {
        self.crates.iter().find(|krate| krate.folder == folder)
    }
}

fn from_package(package: &Package, examples: &Path) -> Result<Crate> {
    let manifest = package.manifest_path.as_std_path();
    let folder = manifest
        .parent()
        .context("a manifest has a folder")?
        .to_path_buf();
    let book: BookMetadata = match package.metadata.get("book") {
        Some(book) => serde_json::from_value(book.clone())
            .with_context(|| format!("{}: [package.metadata.book]", manifest.display()))?,
        None => BookMetadata::default(),
    };
    Ok(Crate {
        name: package.name.to_string(),
        version: package.version.to_string(),
        is_example: folder.parent() == Some(examples),
        folder,
        description: package.description.clone(),
        chapter: book.chapter,
        needs: book.needs,
        runs_on: book.runs_on,
        targets: book.targets,
        target_names: package.targets.iter().map(|t| t.name.clone()).collect(),
        examples: targets_of(package, TargetKind::Example),
        bins: targets_of(package, TargetKind::Bin),
        features: package.features.keys().cloned().collect(),
    })
}

fn targets_of(package: &Package, kind: TargetKind) -> Vec<String> {
    package
        .targets
        .iter()
        .filter(|target| target.kind.contains(&kind))
        .map(|target| target.name.clone())
        .collect()
}

/// Whether `provides` is there: a program on `PATH`, or a file or device that exists.
pub fn is_present(provides: &str) -> bool {
    if provides.starts_with('/') {
        return Path::new(provides).exists();
    }
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(provides).is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repository() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    #[test]
    fn the_root_package_comes_first_then_the_examples_in_folder_order() {
        let root = repository().canonicalize().unwrap();
        let workspace = Workspace::read(&root).unwrap();
        assert_eq!(workspace.crates()[0].name, "rust-in-2026");
        let examples: Vec<&str> = workspace.examples().map(|k| k.name.as_str()).collect();
        let mut sorted = examples.clone();
        sorted.sort_unstable();
        assert_eq!(examples, sorted);
        assert!(examples.contains(&"borrow-checker"));
        assert!(!examples.contains(&"xtask"));
        for example in workspace.examples() {
            example.chapter().unwrap();
        }
    }

    #[test]
    fn a_misspelt_key_in_the_book_metadata_is_an_error() {
        let misspelt = serde_json::json!({ "chapter": "x", "run-on": "Linux" });
        let error = serde_json::from_value::<BookMetadata>(misspelt)
            .err()
            .unwrap();
        assert!(error.to_string().contains("run-on"), "{error}");
    }
}
