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
    write(&root, &format!("src/{name}/index.md"), &page(name, &title))?;
    add_to_summary(&root, name, &title)?;
    append_line(
        &root.join("tests/published-pages.txt"),
        &format!("{name}/index.md"),
    )?;

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

fn manifest(name: &str) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true
# Examples are run with `cargo run --example {name}` from the repository root.
autobins = false

[[example]]
name = "{name}"
path = "src/main.rs"

[dependencies]
anyhow.workspace = true

[lints]
workspace = true
"#
    )
}

fn main_rs(name: &str) -> String {
    let title = title_case(name);
    format!(
        r#"//! The example for the chapter "{title}".
//!
//! Run it from the repository root with `cargo run --example {name}`.

// ANCHOR: main
fn main() -> anyhow::Result<()> {{
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
