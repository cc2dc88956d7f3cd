//! Versions named in the prose cannot drift from `Cargo.lock`: a crate or pinned tool
//! followed by a version number must be written `{{#version NAME}}`, which the book's
//! mdBook preprocessor (`xtask/preprocessor`) fills in from the lock file or from the
//! pinned tools (`cargo xtask tools`). Code blocks and link targets are not prose. A version
//! that is history rather than what the book builds with (a release date, say) goes in
//! `tests/historical-versions.txt`.

mod common;

use common::{pages, repo_root};
use regex::Regex;

/// Every package in Cargo.lock and every tool pinned in xtask.
fn versioned_names() -> Vec<String> {
    let lock = book_model::lockfile::Lockfile::read(repo_root()).unwrap();
    let mut names: Vec<String> = lock.versions().keys().cloned().collect();
    names.extend(
        book_model::pins::all()
            .into_iter()
            .map(|(name, _)| name.to_owned()),
    );
    names.sort();
    names.dedup();
    names
}

/// The page without fenced code blocks and without the targets of links.
fn prose(text: &str) -> String {
    let mut in_code = false;
    let link_target = Regex::new(r"\]\([^)]*\)").unwrap();
    text.lines()
        .map(|line| {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
                return String::new();
            }
            if in_code {
                String::new()
            } else {
                link_target.replace_all(line, "]()").into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn versions_in_prose_come_from_the_lock_file() {
    let names = versioned_names();
    let alternatives = names
        .iter()
        .map(|name| regex::escape(name))
        .collect::<Vec<_>>()
        .join("|");
    let pinned = Regex::new(&format!(
        r"(?i)(?:^|[^\w-])({alternatives})`?\s+(?:version\s+)?v?(\d+\.\d+(?:\.\d+)?)\b"
    ))
    .unwrap();
    let history =
        std::fs::read_to_string(repo_root().join("tests/historical-versions.txt")).unwrap();
    let history: Vec<(String, String)> = history
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            (fields[0].to_owned(), fields[1].to_lowercase())
        })
        .collect();
    let mut problems = Vec::new();
    for page in pages() {
        for (number, line) in prose(&page.text).lines().enumerate() {
            for found in pinned.captures_iter(line) {
                let mention = format!("{} {}", &found[1], &found[2]).to_lowercase();
                if history.contains(&(page.relative.clone(), mention)) {
                    continue;
                }
                problems.push(format!(
                    "src/{}:{}: `{} {}`: write {{{{#version {}}}}} so the version follows Cargo.lock",
                    page.relative,
                    number + 1,
                    &found[1],
                    &found[2],
                    found[1].to_lowercase()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
