//! The table of contents, the pages on disk and the published URLs agree.

mod common;

use std::collections::BTreeSet;

use common::{pages, repo_root};

fn summary_pages() -> BTreeSet<String> {
    common::summary()
        .pages()
        .iter()
        .map(|page| page.file.clone())
        .collect()
}

#[test]
fn every_page_is_in_the_summary_and_every_entry_exists() {
    let listed = summary_pages();
    let on_disk: BTreeSet<String> = pages()
        .into_iter()
        .map(|page| page.relative)
        .filter(|page| page != "SUMMARY.md")
        .collect();
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    let orphans: Vec<_> = on_disk.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "SUMMARY.md lists pages that do not exist: {missing:?}"
    );
    assert!(
        orphans.is_empty(),
        "pages mdBook would never render (add them to SUMMARY.md): {orphans:?}"
    );
}

/// Readers bookmark pages. A page that leaves SUMMARY.md must leave a redirect in
/// book.toml, and a new page is recorded in tests/published-pages.txt.
#[test]
fn removed_pages_leave_a_redirect() {
    let published = std::fs::read_to_string(repo_root().join("tests/published-pages.txt")).unwrap();
    let published: BTreeSet<String> = published
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    let book: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo_root().join("book.toml")).unwrap()).unwrap();
    let redirects = book["output"]["html"]
        .get("redirect")
        .and_then(|r| r.as_table())
        .cloned()
        .unwrap_or_default();
    let listed = summary_pages();

    let mut problems = Vec::new();
    for page in &published {
        let html = format!("/{}", page.replace(".md", ".html"));
        if !listed.contains(page) && !redirects.contains_key(&html) {
            problems.push(format!(
                "{page} was published but is no longer in SUMMARY.md: add `\"{html}\" = \"NEW-PAGE.html\"` under [output.html.redirect] in book.toml"
            ));
        }
    }
    for page in listed.difference(&published) {
        problems.push(format!(
            "new page {page}: add it to tests/published-pages.txt"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every numbered chapter ends with "Try it" (the exact commands that run its
/// examples; tests/commands.rs checks their names) and "Further reading" (sources).
#[test]
fn every_chapter_ends_with_try_it_and_further_reading() {
    let mut problems = Vec::new();
    for chapter in common::summary().chapters() {
        let path = format!("{}/index.md", chapter.folder);
        let text = std::fs::read_to_string(repo_root().join("src").join(&path)).unwrap();
        let headings: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("## "))
            .collect();
        if !headings.ends_with(&["## Try it", "## Further reading"]) {
            problems.push(format!(
                "src/{path}: the last sections must be `## Try it` and `## Further reading`"
            ));
            continue;
        }
        let try_it =
            &text[text.rfind("\n## Try it").unwrap()..text.rfind("\n## Further reading").unwrap()];
        if !try_it.contains("cargo run --example ") {
            problems.push(format!(
                "src/{path}: `## Try it` has no `cargo run --example` command"
            ));
        }
        let reading = &text[text.rfind("\n## Further reading").unwrap()..];
        if !reading.contains("](https://") && !reading.contains("][") {
            problems.push(format!(
                "src/{path}: `## Further reading` links to no source"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
