//! Commands shown in `sh` blocks name things that exist: packages, examples, binaries,
//! features and targets; xtask's own tests check the names of its tasks. (CI runs the
//! same commands: the examples through the captured outputs, the firmware build as a
//! step of `cargo xtask ci`.)

mod common;

use std::collections::BTreeSet;

use common::{code_blocks, pages, repo_root};

/// The names a command in the book may use, from the book's model.
struct Workspace {
    packages: BTreeSet<String>,
    examples: BTreeSet<String>,
    bins: BTreeSet<String>,
    features: BTreeSet<String>,
    targets: BTreeSet<String>,
}

fn workspace() -> Workspace {
    let crates = common::workspace();
    let mut workspace = Workspace {
        packages: BTreeSet::new(),
        examples: BTreeSet::new(),
        bins: BTreeSet::new(),
        features: BTreeSet::new(),
        targets: BTreeSet::new(),
    };
    for krate in crates.crates() {
        workspace.packages.insert(krate.name.clone());
        workspace.examples.extend(krate.examples.iter().cloned());
        workspace.bins.extend(krate.bins.iter().cloned());
        workspace.features.extend(krate.features.iter().cloned());
        // Targets a crate is built for besides the host, such as the Embassy
        // firmware's microcontroller.
        workspace.targets.extend(krate.targets.iter().cloned());
    }
    let toolchain = book_model::lockfile::pinned_toolchain(repo_root()).unwrap();
    workspace.targets.extend(toolchain.targets);
    workspace
}

fn check(command: &str, workspace: &Workspace) -> Vec<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let mut problems = Vec::new();
    if words.first() != Some(&"cargo") {
        return problems;
    }
    // `cargo xtask TASK`: xtask's own tests check the task names.
    if words.get(1) == Some(&"xtask") {
        return problems;
    }
    for pair in words.windows(2) {
        let (set, what) = match pair[0] {
            "-p" | "--package" => (&workspace.packages, "package"),
            "--example" => (&workspace.examples, "example"),
            "--bin" => (&workspace.bins, "binary"),
            "--features" => (&workspace.features, "feature"),
            "--target" => (
                &workspace.targets,
                "target in rust-toolchain.toml or an example's `targets`",
            ),
            _ => continue,
        };
        if !set.contains(pair[1]) {
            problems.push(format!("`{}` is not a {what}", pair[1]));
        }
    }
    problems
}

#[test]
fn shell_commands_name_real_packages_and_targets() {
    let workspace = workspace();
    let mut sources: Vec<(String, String)> = pages()
        .into_iter()
        .map(|page| (format!("src/{}", page.relative), page.text))
        .collect();
    for file in ["README.md", "CONTRIBUTING.md"] {
        sources.push((
            file.to_owned(),
            std::fs::read_to_string(repo_root().join(file)).unwrap(),
        ));
    }
    let mut problems = Vec::new();
    let mut checked = 0;
    for (file, text) in &sources {
        for block in code_blocks(text).iter().filter(|b| b.language() == "sh") {
            for line in block.body.lines() {
                // Drop a trailing `# comment`.
                let command = line.split(" # ").next().unwrap_or_default().trim();
                if command.is_empty() || command.starts_with('#') {
                    continue;
                }
                // `rustup toolchain install && cargo xtask ci`: each command of the line.
                for part in command.split("&&").map(str::trim) {
                    checked += 1;
                    for problem in check(part, &workspace) {
                        problems.push(format!("{file}:{}: {part}\n    {problem}", block.line));
                    }
                }
            }
        }
    }
    assert!(checked > 5, "found only {checked} commands");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_catches_a_misspelled_name() {
    let workspace = workspace();
    assert!(check("cargo run --example borrow-checker", &workspace).is_empty());
    assert_eq!(
        check("cargo run --example borrow-checkr", &workspace).len(),
        1
    );
    assert_eq!(
        check("cargo build --target thumbv6m-none-eabi", &workspace).len(),
        1
    );
}
