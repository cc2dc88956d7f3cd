//! The chapters' exercises, as found on disk: the book's preprocessor shows each on
//! its page (`{{#exercise NAME}}`) and `cargo xtask exercise` runs them.
//!
//! An exercise is a folder `examples/CRATE/exercises/NAME/` of the chapter's example
//! crate, plus a `[[test]]` target named NAME in that crate's `Cargo.toml`:
//!
//! | file          | what it is                                                     |
//! |---------------|----------------------------------------------------------------|
//! | `task.md`     | the task and what "done" means; the chapter page includes it   |
//! | `starter.rs`  | the code you edit; it compiles, and the tests fail until solved |
//! | `tests.rs`    | the tests that define "done"                                    |
//! | `hint.md`     | printed when a test fails; folded on the page                   |
//! | `solution.rs` | the reference solution; folded on the page                      |
//!
//! `tests.rs` declares the module under test with the crate's `solution` feature
//! choosing the file, so the same tests run against either:
//!
//! ```text
//! #[cfg_attr(not(feature = "solution"), path = "starter.rs")]
//! #[cfg_attr(feature = "solution", path = "solution.rs")]
//! mod attempt;
//! ```
//!
//! The `[[test]]` target has `test = false`, so a plain `cargo test` leaves exercises
//! out: an unsolved starter is not a broken build.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::crates::Workspace;
use crate::summary::Summary;

/// One exercise, as found on disk.
pub struct Exercise {
    pub name: String,
    /// The example crate (and folder under `examples/`) it belongs to.
    pub krate: String,
    /// The chapter's folder under `src/`, from the crate's `[package.metadata.book]`.
    pub chapter: String,
    pub title: String,
    pub dir: PathBuf,
}

impl Exercise {
    /// A file of the exercise's folder, such as `starter.rs`.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The hint, or nothing if it cannot be read.
    pub fn hint(&self) -> String {
        fs::read_to_string(self.file("hint.md")).unwrap_or_default()
    }
}

/// Every exercise of the book, in the order of the chapters in `SUMMARY.md`.
pub fn all(root: &Path) -> Result<Vec<Exercise>> {
    let order = Summary::read(root)?.chapters();
    let mut found = Vec::new();
    for krate in Workspace::read(root)?.examples() {
        let exercises = krate.folder.join("exercises");
        if !exercises.is_dir() {
            continue;
        }
        let chapter = krate.chapter()?.to_owned();
        for dir in fs::read_dir(&exercises)? {
            let dir = dir?.path();
            if !dir.is_dir() {
                continue;
            }
            let task = fs::read_to_string(dir.join("task.md"))
                .with_context(|| format!("{} has no task.md", dir.display()))?;
            let title = task
                .lines()
                .next()
                .and_then(|line| line.strip_prefix("### "))
                .with_context(|| format!("{}/task.md must start with `### Title`", dir.display()))?
                .trim()
                .to_owned();
            found.push(Exercise {
                name: file_name(&dir),
                krate: krate.name.clone(),
                chapter: chapter.clone(),
                title,
                dir,
            });
        }
    }
    // In the order of the book: by chapter, then where the page shows the exercise.
    let pages: BTreeMap<&str, String> = order
        .iter()
        .map(|chapter| {
            let page = root.join("src").join(&chapter.folder).join("index.md");
            (
                chapter.folder.as_str(),
                fs::read_to_string(page).unwrap_or_default(),
            )
        })
        .collect();
    found.sort_by_key(|exercise| {
        let chapter = order
            .iter()
            .position(|chapter| chapter.folder == exercise.chapter);
        let on_page = pages
            .get(exercise.chapter.as_str())
            .and_then(|page| page.find(&format!("{{{{#exercise {}}}}}", exercise.name)));
        (chapter, on_page, exercise.name.clone())
    });
    Ok(found)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}
