//! Every example crate is runnable as `cargo run --example NAME`, is used by a chapter,
//! and every such command written in the book or the README names a real example.

mod common;

use common::{example_crates, example_targets, pages, repo_root};
use regex::Regex;

#[test]
fn each_example_crate_declares_an_example_target_of_its_own_name() {
    let mut problems = Vec::new();
    for (name, path) in example_crates() {
        let manifest: toml::Table =
            toml::from_str(&std::fs::read_to_string(path.join("Cargo.toml")).unwrap()).unwrap();
        let examples = manifest.get("example").and_then(|e| e.as_array());
        let declares_own_name = examples
            .into_iter()
            .flatten()
            .any(|example| example.get("name").and_then(|n| n.as_str()) == Some(name.as_str()));
        if !declares_own_name {
            problems.push(format!("examples/{name}: no [[example]] named `{name}`"));
        }
        if manifest["package"]
            .get("autobins")
            .and_then(|v| v.as_bool())
            != Some(false)
        {
            problems.push(format!(
                "examples/{name}: set `autobins = false` (src/main.rs is the example target)"
            ));
        }
        let uses_workspace_lints = manifest
            .get("lints")
            .and_then(|lints| lints.get("workspace"))
            .and_then(|v| v.as_bool())
            == Some(true);
        if !uses_workspace_lints {
            problems.push(format!("examples/{name}: add `[lints] workspace = true`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_example_crate_is_used_by_a_chapter() {
    let all_pages: String = pages().into_iter().map(|page| page.text).collect();
    let unused: Vec<String> = example_crates()
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !all_pages.contains(&format!("examples/{name}/")))
        .collect();
    assert!(
        unused.is_empty(),
        "example crates no page includes or links: {unused:?}"
    );
}

#[test]
fn every_cargo_run_example_command_names_a_real_example() {
    let targets = example_targets();
    let command = Regex::new(r"cargo run[^\n`]*?--example[ =]([A-Za-z0-9_-]+)").unwrap();
    let mut texts: Vec<(String, String)> = pages()
        .into_iter()
        .map(|page| (format!("src/{}", page.relative), page.text))
        .collect();
    for file in ["README.md", "CONTRIBUTING.md"] {
        let text = std::fs::read_to_string(repo_root().join(file)).unwrap_or_default();
        texts.push((file.to_owned(), text));
    }
    for (_, path) in example_crates() {
        for entry in walkdir::WalkDir::new(path.join("expected"))
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                texts.push((entry.path().display().to_string(), text));
            }
        }
    }

    let mut problems = Vec::new();
    let mut seen = 0;
    for (file, text) in &texts {
        for caps in command.captures_iter(text) {
            seen += 1;
            // `NAME` is the placeholder prose uses for "any example".
            if &caps[1] != "NAME" && !targets.contains(&caps[1].to_owned()) {
                problems.push(format!("{file}: `{}` names no example target", &caps[0]));
            }
        }
    }
    assert!(seen > 0, "found no `cargo run --example` commands at all");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Builds every example once (quick when they are built already) and returns the
/// folder with their binaries, beside this test's own binary.
fn built_examples() -> std::path::PathBuf {
    let built = std::process::Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--workspace", "--examples"])
        .current_dir(repo_root())
        .status()
        .expect("cargo runs");
    assert!(built.success(), "the examples build");
    let test = std::env::current_exe().expect("the test knows its path");
    test.parent()
        .and_then(std::path::Path::parent)
        .expect("tests live in target/PROFILE/deps")
        .join("examples")
}

/// Runs an example's binary with `args`; returns the exit code, stdout and stderr.
fn run_example(binary: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = std::process::Command::new(binary)
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("the example runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_example_answers_help_and_refuses_unknown_arguments() {
    let binaries = built_examples();
    let mut problems = Vec::new();
    for (name, _) in example_crates() {
        let binary = binaries.join(&name);
        let (code, stdout, stderr) = run_example(&binary, &["--help"]);
        if code != Some(0) || !stdout.contains(&format!("Usage: {name}")) {
            problems.push(format!("{name} --help: exit {code:?}\n{stdout}{stderr}"));
        }
        let (code, _, stderr) = run_example(&binary, &["--no-such-option"]);
        let usage_error = stderr.starts_with("error: unexpected argument '--no-such-option'");
        if code != Some(2) || !usage_error || stderr.contains("panicked") {
            problems.push(format!("{name} --no-such-option: exit {code:?}\n{stderr}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_example_says_which_chapter_shows_it() {
    let mut problems = Vec::new();
    for krate in common::workspace().examples() {
        let (name, path) = (&krate.name, &krate.folder);
        let chapter = krate.chapter.as_deref().unwrap_or_default();
        let header: String = std::fs::read_to_string(path.join("src/main.rs"))
            .unwrap()
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .collect();
        if chapter.is_empty() || !header.contains(&format!("`src/{chapter}/index.md`")) {
            problems.push(format!(
                "examples/{name}/src/main.rs: the //! header must name `src/{chapter}/index.md`"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
