//! `cargo xtask new-chapter NAME`: a chapter page, its example crate, the captured
//! output and the SUMMARY entry, laid out so that `cargo xtask ci` passes at once.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use book_model::crates::Workspace;
use book_model::lockfile::Lockfile;

use crate::base::{cargo, repo_root};

pub fn new_chapter(name: &str) -> Result<()> {
    check_name(name)?;
    let root = repo_root();
    // Every check comes before the first write: a name that collides must leave the
    // book exactly as it was.
    Taken::read(&root)?.check(name)?;
    create_chapter(&root, name)?;
    let title = title_case(name);
    println!(
        "\nCreated the chapter `{title}`:\n  src/{name}/index.md\n  examples/{name}/\n\
         Next: write the example, then `cargo xtask bless` to capture its output and\n\
         `cargo xtask serve` to read the page."
    );
    Ok(())
}

/// Lowercase words of letters and digits joined by single hyphens: the name is a
/// folder, a package, an example and the start of two test names at once.
fn check_name(name: &str) -> Result<()> {
    let valid = name.split('-').all(|word| {
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    }) && name.starts_with(|c: char| c.is_ascii_lowercase());
    if !valid {
        bail!(
            "`{name}` is not a chapter name: use lowercase words joined by single hyphens, \
             like `embedded-linux`"
        );
    }
    Ok(())
}

/// The names a new chapter must not reuse.
#[derive(Default)]
struct Taken {
    /// Packages: the workspace's own and every locked dependency. A second package
    /// of the same name makes `-p NAME` ambiguous.
    packages: BTreeSet<String>,
    /// Every target of every workspace package (examples, tests, binaries,
    /// libraries), with the package that has it: `cargo run --example NAME` and
    /// `cargo test --test NAME` from the root need the name to be unique.
    targets: Vec<(String, String)>,
    /// Folders under src/ and examples/ (chapters, example crates, assets).
    folders: BTreeSet<String>,
}

impl Taken {
    fn read(root: &Path) -> Result<Self> {
        let mut taken = Taken::default();
        taken
            .packages
            .extend(Lockfile::read(root)?.versions().keys().cloned());
        for krate in Workspace::read(root)?.crates() {
            taken.packages.insert(krate.name.clone());
            for target in &krate.target_names {
                taken.targets.push((target.clone(), krate.name.clone()));
            }
        }
        for folder in ["src", "examples"] {
            for entry in fs::read_dir(root.join(folder))? {
                taken
                    .folders
                    .insert(entry?.file_name().to_string_lossy().into_owned());
            }
        }
        Ok(taken)
    }

    /// Fails, naming what is in the way, if the chapter `name` would reuse a name.
    fn check(&self, name: &str) -> Result<()> {
        // Cargo treats `-` and `_` alike in crate names (`kernel-module` is the
        // library `kernel_module`), so names are compared that way.
        let same = |a: &str, b: &str| a.replace('_', "-") == b.replace('_', "-");
        if let Some(folder) = self.folders.iter().find(|folder| same(folder, name)) {
            bail!("src/{folder} or examples/{folder} already exists");
        }
        if let Some(package) = self.packages.iter().find(|package| same(package, name)) {
            bail!("a package named `{package}` already exists (a workspace crate or a dependency)");
        }
        let [first, second] = exercise_names(name);
        for wanted in [name, first.as_str(), second.as_str()] {
            if let Some((target, package)) =
                self.targets.iter().find(|(target, _)| same(target, wanted))
            {
                bail!("the crate `{package}` already has a target named `{target}`");
            }
        }
        Ok(())
    }
}

/// The files the chapter changes besides its own two folders.
const EDITED: [&str; 4] = [
    "src/SUMMARY.md",
    "tests/published-pages.txt",
    "examples/README.md",
    "Cargo.lock",
];

/// Writes the chapter, all of it or nothing: if a step fails, the files it edited get
/// their old contents back and the folders it created are removed.
fn create_chapter(root: &Path, name: &str) -> Result<()> {
    let saved: Vec<(PathBuf, Option<Vec<u8>>)> = EDITED
        .iter()
        .map(|file| {
            let path = root.join(file);
            let contents = fs::read(&path).ok();
            (path, contents)
        })
        .collect();
    let result = write_chapter(root, name);
    if result.is_err() {
        for folder in [
            root.join("examples").join(name),
            root.join("src").join(name),
        ] {
            let _ = fs::remove_dir_all(folder);
        }
        for (path, contents) in &saved {
            let _ = match contents {
                Some(contents) => fs::write(path, contents),
                None => fs::remove_file(path),
            };
        }
    }
    result.with_context(|| format!("could not create the chapter `{name}`, so nothing was changed"))
}

fn write_chapter(root: &Path, name: &str) -> Result<()> {
    let title = title_case(name);
    write(
        root,
        &format!("examples/{name}/Cargo.toml"),
        &manifest(name),
    )?;
    write(
        root,
        &format!("examples/{name}/src/main.rs"),
        &main_rs(name),
    )?;
    write(
        root,
        &format!("examples/{name}/expected/run.txt"),
        &format!("$ cargo run --example {name}\nThe {title} chapter's example ran.\n"),
    )?;
    for exercise in exercise_names(name) {
        let folder = format!("examples/{name}/exercises/{exercise}");
        for (file, contents) in exercise_files(&exercise) {
            write(root, &format!("{folder}/{file}"), &contents)?;
        }
    }
    write(root, &format!("src/{name}/index.md"), &page(name, &title))?;
    write(root, &format!("src/{name}/quiz.toml"), QUIZ)?;
    add_to_summary(root, name, &title)?;
    append_line(
        &root.join("tests/published-pages.txt"),
        &format!("{name}/index.md"),
    )?;
    crate::index::write(root)?;
    // Record the new workspace member in Cargo.lock (nothing else is updated). This
    // also proves the workspace still loads.
    let metadata = cargo(&["metadata", "--format-version", "1", "--quiet", "--offline"])
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()
        .context("running cargo metadata")?;
    if !metadata.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&metadata.stderr).trim()
        );
    }
    Ok(())
}

fn title_case(name: &str) -> String {
    let words = name.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// A chapter has two or three exercises; the scaffold starts it with two.
fn exercise_names(name: &str) -> [String; 2] {
    [format!("{name}-first"), format!("{name}-second")]
}

fn manifest(name: &str) -> String {
    let [first, second] = exercise_names(name);
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
# One line: examples/README.md lists it under the chapter.
description = "What the example of the chapter `{name}` shows"
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true
# Examples are run with `cargo run --example {name}` from the repository root.
autobins = false

[package.metadata.book]
# The chapter of the book this example belongs to (its folder under src/).
chapter = "{name}"

[[example]]
name = "{name}"
path = "src/main.rs"

[dependencies]
anyhow.workspace = true

[dev-dependencies]
# The command line of the example: `--help`, and an error for unknown arguments.
clap = {{ version = "4.6", features = ["derive"] }}

[lints]
workspace = true

# Exercises (`cargo xtask exercise`). `solution` runs their tests against the
# reference solutions instead of the starters.
[features]
solution = []

# Each exercise's tests. `test = false`: they fail until the exercise is solved, so a
# plain `cargo test` leaves them out.
[[test]]
name = "{first}"
path = "exercises/{first}/tests.rs"
test = false

[[test]]
name = "{second}"
path = "exercises/{second}/tests.rs"
test = false
"#
    )
}

/// The files of a placeholder exercise that passes `cargo xtask check-exercises`:
/// the starter and both wrong attempts compile and fail the test, the solution passes
/// it, and so does no mutant of the solution.
fn exercise_files(exercise: &str) -> [(&'static str, String); 7] {
    [
        (
            "task.md",
            format!(
                "### Exercise {exercise}\n\nWhat the reader builds, on the chapter's example, \
                 and what \"done\" means.\n"
            ),
        ),
        (
            "hint.md",
            "- A hint that points the way without giving the answer.\n".into(),
        ),
        (
            "starter.rs",
            "// The code the reader edits: it compiles, and the tests fail until solved.\n\n\
             pub fn answer() -> u32 {\n    0\n}\n"
                .into(),
        ),
        (
            "solution.rs",
            "// The reference solution.\n\npub fn answer() -> u32 {\n    42\n}\n".into(),
        ),
        (
            "wrong/one-short.rs",
            "// Wrong attempt: a plausible answer a learner might give, one short.\n\
             // Why it is wrong: the sentence of task.md it breaks.\n\n\
             pub fn answer() -> u32 {\n    41\n}\n"
                .into(),
        ),
        (
            "wrong/one-over.rs",
            "// Wrong attempt: a plausible answer a learner might give, one over.\n\
             // Why it is wrong: the sentence of task.md it breaks.\n\n\
             pub fn answer() -> u32 {\n    43\n}\n"
                .into(),
        ),
        (
            "tests.rs",
            "//! The tests that define \"done\".\n\n\
             #[cfg_attr(not(feature = \"solution\"), path = \"starter.rs\")]\n\
             #[cfg_attr(feature = \"solution\", path = \"solution.rs\")]\n\
             mod attempt;\n\n\
             #[test]\nfn gives_the_answer() {\n    assert_eq!(attempt::answer(), 42);\n}\n"
                .into(),
        ),
    ]
}

/// A placeholder quiz that passes `cargo xtask check-quizzes`: replace every question.
const QUIZ: &str = r#"# The chapter's quiz: four to eight questions (CONTRIBUTING.md, "Quizzes").

[[question]]
prompt = "Does this program compile?"
taught-in = "The example"
code = """
fn main() {
    let answer = 42;
    println!("{answer}");
}
"""
compiles = true
explanation = "A placeholder: replace it with a question about this chapter."

[[question]]
prompt = "What does this program print?"
taught-in = "The example"
code = """
fn main() {
    println!("{}", 6 * 7);
}
"""
choices = ["42", "6 * 7"]
answer = 0
explanation = "A placeholder: replace it with a question about this chapter."

[[question]]
prompt = "Which error code does the compiler give for this program?"
taught-in = "The example"
code = """
fn main() {
    let text = String::from("moved");
    let other = text;
    println!("{text} {other}");
}
"""
short-answer = "E0382"
explanation = "A placeholder: replace it with a question about this chapter."

[[question]]
prompt = "A placeholder concept question: which answer is right?"
taught-in = "The example"
choices = ["This one", "Not this one"]
answer = 0
explanation = "A placeholder: replace it with a question about this chapter."
"#;

fn main_rs(name: &str) -> String {
    let title = title_case(name);
    format!(
        r#"//! The example for the chapter "{title}" (`src/{name}/index.md`).
//!
//! Run it from the repository root with `cargo run --example {name}`.

use clap::Parser;

/// The example takes no arguments; `--help` says what it does.
#[derive(Parser)]
#[command(about)]
struct Cli {{}}

// ANCHOR: main
fn main() -> anyhow::Result<()> {{
    let Cli {{}} = Cli::parse();
    println!("The {title} chapter's example ran.");
    Ok(())
}}
// ANCHOR_END: main
"#
    )
}

fn page(name: &str, title: &str) -> String {
    format!(
        r#"# {title}

What this chapter is about, and why it matters in 2026, with sources.

## The example

The example crate is in `examples/{name}/`. Its `main` function:

```rust,noplayground
{{{{#rustdoc_include ../../examples/{name}/src/main.rs:main}}}}
```

Running it prints:

```console
{{{{#include ../../examples/{name}/expected/run.txt}}}}
```

## Exercises

{{{{#exercise {name}-first}}}}

{{{{#exercise {name}-second}}}}

## Quiz

{{{{#quiz quiz.toml}}}}

## Try it

```sh
cargo run --example {name}
```

## Further reading

- [The Rust Programming Language](https://doc.rust-lang.org/book/)
"#
    )
}

fn add_to_summary(root: &Path, name: &str, title: &str) -> Result<()> {
    let path = root.join("src/SUMMARY.md");
    let summary = fs::read_to_string(&path)?;
    // The new chapter goes after the last numbered one, before the appendices.
    fs::write(
        &path,
        book_model::summary::add_chapter(&summary, title, name)?,
    )?;
    Ok(())
}

fn append_line(path: &Path, line: &str) -> Result<()> {
    let mut text = fs::read_to_string(path).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    fs::write(path, text)?;
    Ok(())
}

fn write(root: &Path, relative: &str, contents: &str) -> Result<()> {
    let path = root.join(relative);
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)?;
    }
    fs::write(&path, contents).with_context(|| format!("writing {relative}"))?;
    println!("created {relative}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercase_words_joined_by_single_hyphens() {
        for good in ["embedded-linux", "wasm", "tokio-2"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in [
            "", "a--b", "a-", "-a", "2d", "Embedded", "a_b", "a b", "a/b",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn a_name_that_cargo_or_the_book_already_uses_is_refused() {
        let taken = Taken {
            packages: ["rust-in-2026", "xtask", "serde"].map(String::from).into(),
            targets: vec![
                ("null-block".into(), "kernel-module".into()),
                ("kernel_module".into(), "kernel-module".into()),
                ("faults".into(), "lb-proxy".into()),
            ],
            folders: ["assets", "webassembly"].map(String::from).into(),
        };
        for used in [
            "rust-in-2026",
            "xtask",
            "serde",
            "null-block",
            "kernel-module",
            "webassembly",
            "assets",
        ] {
            let error = taken.check(used).expect_err(used);
            assert!(error.to_string().contains("already"), "{error}");
        }
        // The exercises' test targets are NAME-first and NAME-second.
        let taken = Taken {
            targets: vec![("quiz-first".into(), "other".into())],
            ..Taken::default()
        };
        assert!(taken.check("quiz").is_err());
        assert!(taken.check("embedded-linux").is_ok());
    }

    #[test]
    fn a_failed_step_leaves_the_book_as_it_was() {
        // A book without a workspace: every file is written, then listing the
        // examples fails (no Cargo.toml), and everything must be undone.
        let root = std::env::temp_dir().join(format!("new-chapter-{}", std::process::id()));
        let _cleanup = crate::scratch::RemoveOnDrop::new(root.clone()).unwrap();
        fs::create_dir_all(root.join("src")).unwrap();
        fs::create_dir_all(root.join("tests")).unwrap();
        fs::create_dir_all(root.join("examples")).unwrap();
        let summary = "# Summary\n\n- [Intro](intro/index.md)\n";
        fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
        fs::write(root.join("tests/published-pages.txt"), "intro/index.md\n").unwrap();

        let error = create_chapter(&root, "embedded-linux").unwrap_err();
        assert!(
            format!("{error:#}").contains("nothing was changed"),
            "{error:#}"
        );
        assert_eq!(
            fs::read_to_string(root.join("src/SUMMARY.md")).unwrap(),
            summary
        );
        assert_eq!(
            fs::read_to_string(root.join("tests/published-pages.txt")).unwrap(),
            "intro/index.md\n"
        );
        assert!(!root.join("src/embedded-linux").exists());
        assert!(!root.join("examples/embedded-linux").exists());
        assert!(!root.join("examples/README.md").exists());
        assert!(!root.join("Cargo.lock").exists());
    }
}
