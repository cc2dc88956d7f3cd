//! `cargo xtask new-chapter NAME`: a chapter page, its example crate, the captured
//! output and the SUMMARY entry, laid out so that `cargo xtask ci` passes at once.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::{cargo, repo_root, run_command};

pub fn new_chapter(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name.starts_with(|c: char| c.is_ascii_lowercase());
    if !valid {
        bail!("a chapter name is lowercase words joined by hyphens, like `embedded-linux`");
    }
    let root = repo_root();
    for taken in [
        root.join("src").join(name),
        root.join("examples").join(name),
    ] {
        if taken.exists() {
            bail!("{} already exists", taken.display());
        }
    }
    let title = title_case(name);

    write(
        &root,
        &format!("examples/{name}/Cargo.toml"),
        &manifest(name),
    )?;
    write(
        &root,
        &format!("examples/{name}/src/main.rs"),
        &main_rs(name),
    )?;
    write(
        &root,
        &format!("examples/{name}/expected/run.txt"),
        &format!("$ cargo run --example {name}\nThe {title} chapter's example ran.\n"),
    )?;
    for exercise in exercise_names(name) {
        let folder = format!("examples/{name}/exercises/{exercise}");
        for (file, contents) in exercise_files(&exercise) {
            write(&root, &format!("{folder}/{file}"), &contents)?;
        }
    }
    write(&root, &format!("src/{name}/index.md"), &page(name, &title))?;
    write(&root, &format!("src/{name}/quiz.toml"), QUIZ)?;
    add_to_summary(&root, name, &title)?;
    append_line(
        &root.join("tests/published-pages.txt"),
        &format!("{name}/index.md"),
    )?;

    crate::index::main(&[])?;
    // Record the new workspace member in Cargo.lock (nothing else is updated).
    run_command(
        cargo(&["metadata", "--format-version", "1", "--quiet"])
            .stdout(std::process::Stdio::null()),
    )?;
    println!(
        "\nCreated the chapter `{title}`:\n  src/{name}/index.md\n  examples/{name}/\n\
         Next: write the example, then `cargo xtask bless` to capture its output and\n\
         `cargo xtask serve` to read the page."
    );
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
    // Numbered chapters are the `- [Title](page.md)` list; the new one goes last,
    // before the unnumbered appendices.
    let mut lines: Vec<String> = summary.lines().map(str::to_owned).collect();
    let last_chapter = lines
        .iter()
        .rposition(|line| line.starts_with("- ["))
        .context("SUMMARY.md has no numbered chapter list")?;
    lines.insert(last_chapter + 1, format!("- [{title}]({name}/index.md)"));
    fs::write(&path, lines.join("\n") + "\n")?;
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
    fs::create_dir_all(path.parent().unwrap())?;
    fs::write(&path, contents).with_context(|| format!("writing {relative}"))?;
    println!("created {relative}");
    Ok(())
}
