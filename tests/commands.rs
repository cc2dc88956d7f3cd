//! Commands shown in `sh` blocks name things that exist: packages, examples, binaries,
//! features, targets and xtask tasks. (CI runs the same commands: the examples through
//! the captured outputs, the firmware build as a step of `cargo xtask ci`.)

mod common;

use std::collections::BTreeSet;

use common::{code_blocks, example_crates, pages, repo_root};

struct Workspace {
    packages: BTreeSet<String>,
    examples: BTreeSet<String>,
    bins: BTreeSet<String>,
    features: BTreeSet<String>,
    targets: BTreeSet<String>,
    tasks: BTreeSet<String>,
}

fn workspace() -> Workspace {
    let read = |path: &std::path::Path| -> toml::Table {
        toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let names = |table: &toml::Table, key: &str| -> Vec<String> {
        let entries = table
            .get(key)
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default();
        entries
            .iter()
            .filter_map(|entry| {
                entry
                    .get("name")
                    .and_then(|n| n.as_str())
                    .map(str::to_owned)
            })
            .collect()
    };
    let mut workspace = Workspace {
        packages: ["rust-in-2026", "xtask"].map(str::to_owned).into(),
        examples: BTreeSet::new(),
        bins: BTreeSet::new(),
        features: BTreeSet::new(),
        targets: BTreeSet::new(),
        tasks: BTreeSet::new(),
    };
    for (name, path) in example_crates() {
        let manifest = read(&path.join("Cargo.toml"));
        workspace.packages.insert(name);
        workspace.examples.extend(names(&manifest, "example"));
        workspace.bins.extend(names(&manifest, "bin"));
        if let Some(features) = manifest.get("features").and_then(|f| f.as_table()) {
            workspace.features.extend(features.keys().cloned());
        }
        // Targets an example is built for besides the host, such as the Embassy
        // firmware's microcontroller.
        let book = book_preprocessor::prerequisites::read(&path.join("Cargo.toml")).unwrap();
        workspace.targets.extend(book.targets);
    }
    let toolchain = read(&repo_root().join("rust-toolchain.toml"));
    let targets = toolchain["toolchain"]
        .get("targets")
        .and_then(|targets| targets.as_array())
        .into_iter()
        .flatten()
        .filter_map(|target| target.as_str().map(str::to_owned));
    workspace.targets.extend(targets);
    // xtask says which tasks it has.
    workspace.tasks = common::xtask(&["tasks"])
        .lines()
        .map(str::to_owned)
        .collect();
    workspace
}

fn check(command: &str, workspace: &Workspace) -> Vec<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let mut problems = Vec::new();
    if words.first() != Some(&"cargo") {
        return problems;
    }
    if words.get(1) == Some(&"xtask") {
        if let Some(task) = words.get(2)
            && !workspace.tasks.contains(*task)
        {
            problems.push(format!("`cargo xtask {task}` is not a task"));
        }
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
fn shell_commands_name_real_packages_targets_and_tasks() {
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
    assert_eq!(check("cargo xtask serv", &workspace).len(), 1);
    assert_eq!(
        check("cargo build --target thumbv6m-none-eabi", &workspace).len(),
        1
    );
}
