//! Every page of the book, the search and the print page.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use serde_json::Value;

use crate::harness::{Browser, Served};
use crate::{artefacts, repo_root};

/// What the test needs to know about a page, read in the page itself.
const PAGE_FACTS: &str = r#"
    const main = document.querySelector("main");
    const navigation = performance.getEntriesByType("navigation")[0];
    const resources = performance.getEntriesByType("resource");
    return {
        status: navigation.responseStatus,
        headings: [...main.querySelectorAll("h1, h2, h3, h4, h5, h6")]
            .map((h) => [Number(h.tagName[1]), h.textContent.trim()]),
        images: [...main.querySelectorAll("img")]
            .map((img) => [img.getAttribute("src"), img.getAttribute("alt") || "",
                           img.complete && img.naturalWidth > 0]),
        bytes: navigation.decodedBodySize
            + resources.reduce((sum, r) => sum + r.decodedBodySize, 0),
    };
"#;

/// The HTML page of each entry in `SUMMARY.md`.
pub fn summary_pages() -> Result<Vec<String>> {
    let summary = book_model::summary::Summary::read(repo_root())?;
    Ok(summary.pages().iter().map(|page| page.html()).collect())
}

pub async fn check_every_page(browser: &Browser, base: &str, html: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut first_headings = Vec::new();
    let mut weights = Vec::new();
    let pages = summary_pages()?;
    for page in pages.iter().map(String::as_str).chain(["print.html"]) {
        browser.client.goto(&format!("{base}{page}")).await?;
        // Let late scripts (search index, demo module) finish and report.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let facts = browser.client.execute(PAGE_FACTS, vec![]).await?;
        let mut problem = |text: String| problems.push(format!("{page}: {text}"));

        if facts["status"] != 200 {
            problem(format!("HTTP status {}", facts["status"]));
        }
        let headings = array(&facts["headings"]);
        match headings.first() {
            Some(first) if first[0] == 1 => {
                first_headings.push(first[1].as_str().unwrap_or_default().to_owned());
            }
            _ => problem("the page does not start with a level-1 heading".into()),
        }
        for pair in headings.windows(2) {
            let (before, after) = (pair[0][0].as_u64(), pair[1][0].as_u64());
            if after > before.map(|level| level + 1) {
                problem(format!(
                    "heading {} skips a level after {}",
                    pair[1][1], pair[0][1]
                ));
            }
        }
        for image in array(&facts["images"]) {
            if image[1].as_str().is_none_or(|alt| alt.trim().is_empty()) {
                problem(format!("image {} has no alt text", image[0]));
            }
            if image[2] != true {
                problem(format!("image {} did not load", image[0]));
            }
        }
        for error in browser.console_errors().await? {
            problem(format!("console error: {error}"));
        }
        for url in browser.requested_urls().await? {
            if !url.starts_with(base) && !url.starts_with("data:") && !url.starts_with("blob:") {
                problem(format!("request outside localhost: {url}"));
            }
        }
        weights.push((page.to_owned(), facts["bytes"].as_u64().unwrap_or(0)));
    }

    // The print page holds every chapter: each page's first heading appears there.
    browser.client.goto(&format!("{base}print.html")).await?;
    let printed = browser
        .client
        .execute(
            r#"return [...document.querySelectorAll("main h1")].map((h) => h.textContent.trim());"#,
            vec![],
        )
        .await?;
    for heading in first_headings.iter().take(pages.len()) {
        if !array(&printed)
            .iter()
            .any(|printed| printed.as_str() == Some(heading.as_str()))
        {
            problems.push(format!("print.html: no chapter headed {heading}"));
        }
    }

    // Anything this second visit logged was reported for the first one.
    browser.console_errors().await?;
    browser.requested_urls().await?;

    write_page_weights(&weights, html)?;
    for (page, bytes) in &weights {
        let budget = if page == "print.html" {
            PRINT_BUDGET
        } else {
            PAGE_BUDGET
        };
        if *bytes > budget {
            problems.push(format!(
                "{page}: weighs {} KiB with everything it loads, over its {} KiB budget",
                bytes / 1024,
                budget / 1024
            ));
        }
    }
    Ok(problems)
}

/// What a page may weigh with everything it loads, uncompressed. About 450 KiB of it
/// is mdBook's own fonts, styles and scripts; the rest is the page. Set a little above
/// the heaviest page measured, so that growth is noticed.
const PAGE_BUDGET: u64 = 800 * 1024;
/// The print page holds every chapter, with its exercises' solutions and its quiz, and
/// the appendices (1,600 KiB with Appendix C).
const PRINT_BUDGET: u64 = 1700 * 1024;

/// A term from each chapter, and the page the search must lead to.
const SEARCHES: &[(&str, &str)] = &[
    ("valgrind", "memory-safety/index.html"),
    ("initramfs", "linux-kernel/index.html"),
    ("bindgen", "webassembly/index.html"),
    ("archetype", "game-engines/index.html"),
    ("Pingora", "cloud-infrastructure/index.html"),
    ("rustfmt", "getting-started/index.html"),
    ("unverifiable", "appendix/fact-check.html"),
];

pub async fn check_search(browser: &Browser, base: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.client.goto(&format!("{base}index.html")).await?;
    for (term, page) in SEARCHES {
        let search = format!(
            r##"
            const bar = document.getElementById("mdbook-searchbar");
            if (bar.offsetParent === null) document.getElementById("mdbook-search-toggle").click();
            bar.value = {term:?};
            bar.dispatchEvent(new KeyboardEvent("keyup"));
            return [...document.querySelectorAll("#mdbook-searchresults a")]
                .map((a) => a.getAttribute("href"));
            "##
        );
        let mut found = Vec::new();
        for _ in 0..30 {
            found = array(&browser.client.execute(&search, vec![]).await?)
                .iter()
                .filter_map(|href| href.as_str().map(str::to_owned))
                .collect();
            if !found.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if !found.iter().any(|href| href.starts_with(page)) {
            problems.push(format!(
                "search for {term:?} does not lead to {page}: {found:?}"
            ));
        }
    }
    Ok(problems)
}

/// Every file the server answered with an error (a missing image, font or script).
pub fn failed_requests(served: &Served) -> Vec<String> {
    served
        .lock()
        .expect("the server did not panic")
        .iter()
        .filter(|(_, status)| *status >= 400)
        // Asked for only after a demo's module failed to load, to tell whether
        // `cargo xtask serve` is still building it; absent from a built book.
        .filter(|(path, _)| !path.ends_with("/pkg/BUILDING"))
        .map(|(path, status)| format!("the server answered {path} with {status}"))
        .collect()
}

/// A few pages in the light and the dark ("navy") theme, for CI's artefacts and the README.
pub async fn take_screenshots(browser: &Browser, base: &str) -> Result<()> {
    for theme in ["light", "navy"] {
        // The element each screenshot scrolls to: the start, a diagram, the demo.
        for (page, element) in [
            ("index.html", "main"),
            ("memory-safety/index.html", "main img"),
            ("webassembly/index.html", crate::demo_page::ROOT),
        ] {
            browser.client.goto(&format!("{base}{page}")).await?;
            let set_theme = format!(r#"localStorage.setItem("mdbook-theme", {theme:?});"#);
            browser.client.execute(&set_theme, vec![]).await?;
            browser.client.refresh().await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
            let (filter, run) = (crate::demo_page::FILTER, crate::demo_page::RUN);
            let show = format!(
                r#"const element = document.querySelector({element:?});
                   element.scrollIntoView();
                   window.scrollBy(0, -80); // below the menu bar
                   const filter = element.querySelector({filter:?});
                   if (filter) filter.value = "sobel";
                   element.querySelector({run:?})?.click();"#
            );
            browser.client.execute(&show, vec![]).await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let name = page.split('/').next().unwrap_or(page);
            browser
                .screenshot(&artefacts().join(format!("{name}-{theme}.png")))
                .await?;
        }
    }
    Ok(())
}

/// The page-weight report: each page with everything it loaded, and the whole book.
fn write_page_weights(weights: &[(String, u64)], html: &Path) -> Result<()> {
    let book_bytes: u64 = walkdir::WalkDir::new(html)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok())
        .filter(|metadata| metadata.is_file())
        .map(|metadata| metadata.len())
        .sum();
    let mut report = String::from("page weight (HTML and everything it loaded, uncompressed)\n");
    for (page, bytes) in weights {
        writeln!(report, "{page:<40} {:>8.1} KiB", *bytes as f64 / 1024.0)?;
    }
    let search_index: u64 = std::fs::read_dir(html)?
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("searchindex")
        })
        .filter_map(|entry| entry.metadata().ok())
        .map(|metadata| metadata.len())
        .sum();
    writeln!(
        report,
        "{:<40} {:>8.1} KiB",
        "search index (loaded on first search)",
        search_index as f64 / 1024.0
    )?;
    writeln!(
        report,
        "{:<40} {:>8.1} KiB",
        "the whole built book",
        book_bytes as f64 / 1024.0
    )?;
    std::fs::create_dir_all(artefacts())?;
    std::fs::write(artefacts().join("page-weight.txt"), &report)?;
    print!("{report}");
    Ok(())
}

fn array(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}
