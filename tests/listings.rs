//! Listings are included from example crates, never pasted, and mdBook would not
//! tell us when an include breaks: a missing anchor renders an empty block silently.

mod common;

use common::{code_blocks, includes, pages, repo_root};

#[test]
fn every_include_names_an_existing_file_and_anchor() {
    let mut problems = Vec::new();
    for page in pages() {
        for include in includes(&page) {
            let place = format!(
                "src/{}:{}: {}",
                page.relative, include.line, include.file_text
            );
            let Ok(text) = std::fs::read_to_string(&include.file) else {
                problems.push(format!("{place}: no such file"));
                continue;
            };
            if let Some(anchor) = &include.anchor {
                for marker in ["ANCHOR", "ANCHOR_END"] {
                    let pattern = regex::Regex::new(&format!(r"\b{marker}:\s*{anchor}\b")).unwrap();
                    if !pattern.is_match(&text) {
                        problems.push(format!("{place}: no `{marker}: {anchor}` in the file"));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken includes:\n{}",
        problems.join("\n")
    );
}

#[test]
fn shown_outputs_and_compiler_errors_are_included_not_pasted() {
    let mut problems = Vec::new();
    for page in pages() {
        for block in code_blocks(&page.text) {
            let place = format!("src/{}:{}", page.relative, block.line);
            if block.language() == "console" && !block.is_include_only() {
                problems.push(format!(
                    "{place}: a `console` block shows a real run: include it from examples/NAME/expected/"
                ));
            }
            if !block.is_include_only() && block.body.contains("error[E") {
                problems.push(format!(
                    "{place}: a compiler error is pasted: include the trybuild .stderr file"
                ));
            }
        }
        for block in code_blocks(&page.text) {
            if !matches!(block.language(), "console" | "text") {
                continue;
            }
            for line in block.body.lines().filter(|line| line.contains("{{#")) {
                let captured = ["/expected/", "/results/", ".stderr"]
                    .iter()
                    .any(|place| line.contains(place));
                if !captured {
                    problems.push(format!(
                        "src/{}:{}: `{}` shows output that is not a captured file (examples/NAME/expected/, results/ or a trybuild .stderr)",
                        page.relative,
                        block.line,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The playground only knows the standard library and a list of popular crates, not
/// this workspace: only std-only blocks that really run there get a "Run" button.
#[test]
fn blocks_that_need_workspace_crates_have_no_playground_button() {
    let lock = book_model::lockfile::Lockfile::read(repo_root()).unwrap();
    let crate_names: Vec<String> = lock
        .versions()
        .keys()
        .map(|name| name.replace('-', "_"))
        .collect();
    let needs_crate = |code: &str| {
        code.contains("\nmod ")
            || crate_names.iter().any(|name| {
                code.contains(&format!("use {name}::")) || code.contains(&format!(" {name}::"))
            })
    };

    let mut problems = Vec::new();
    for page in pages() {
        for block in code_blocks(&page.text) {
            if block.language() != "rust" || block.has("noplayground") || block.has("ignore") {
                continue;
            }
            if block.has("compile_fail") {
                problems.push(format!(
                    "src/{}:{}: a `compile_fail` block cannot run on the playground: add `noplayground`",
                    page.relative, block.line
                ));
                continue;
            }
            let mut code = block.body.clone();
            let page_includes = includes(&common::Page {
                path: page.path.clone(),
                relative: page.relative.clone(),
                text: block.body.clone(),
            });
            for include in page_includes {
                code.push_str(&std::fs::read_to_string(&include.file).unwrap_or_default());
            }
            if needs_crate(&format!("\n{code}")) {
                problems.push(format!(
                    "src/{}:{}: this block uses a crate the playground lacks: mark it `rust,noplayground`",
                    page.relative, block.line
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `ignore` skips a snippet entirely, so each one needs a reason on the line before
/// (`<!-- ignore: why -->`) and the list of them may only shrink.
#[test]
fn ignored_snippets_have_reasons_and_do_not_grow() {
    let allowed = std::fs::read_to_string(repo_root().join("tests/ignored-snippets.txt")).unwrap();
    let allowed: Vec<&str> = allowed
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .collect();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for page in pages() {
        let lines: Vec<&str> = page.text.lines().collect();
        for block in code_blocks(&page.text) {
            if block.language() == "rust" && block.has("ignore") {
                let reason = block
                    .line
                    .checked_sub(2)
                    .and_then(|index| lines.get(index))
                    .is_some_and(|line| line.trim_start().starts_with("<!-- ignore:"));
                if !reason {
                    problems.push(format!(
                        "src/{}:{}: an `ignore` block needs `<!-- ignore: reason -->` on the line before",
                        page.relative, block.line
                    ));
                }
                found.push(page.relative.clone());
            }
        }
    }
    for page in &found {
        let listed = allowed
            .iter()
            .filter(|line| line.starts_with(page.as_str()))
            .count();
        let present = found.iter().filter(|other| *other == page).count();
        if present > listed {
            problems.push(format!(
                "src/{page}: {present} ignored snippet(s), tests/ignored-snippets.txt allows {listed}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
