//! What the preprocessor changes for the offline editions (see `editions.rs`).
//!
//! The PDF is Chromium printing mdBook's own `print.html`, so it needs nothing here
//! beyond the print-only notes that `print.css` shows. The EPUB comes from
//! mdbook-epub, which renders the Markdown itself and, unlike mdBook's HTML renderer,
//! neither turns links to `.md` pages into `.html` nor gives headings an `id`; EPUBCheck
//! rejects both kinds of broken link. So for that renderer the preprocessor does those
//! two things itself, the same way mdBook does.

use std::collections::HashSet;

use book_model::markdown::{heading_id, unique_id};

use regex::{Captures, Regex};

/// Who reads the page: a browser (the HTML book and its print page, the source of the
/// PDF) or an e-reader (the EPUB), where no script runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    Browser,
    EReader,
}

impl Reader {
    pub fn for_renderer(renderer: &str) -> Self {
        if renderer == "epub" {
            Self::EReader
        } else {
            Self::Browser
        }
    }
}

/// The address a GitHub repository's Pages site has: `https://github.com/OWNER/REPO`
/// is published at `https://OWNER.github.io/REPO/`.
pub fn online_address(repository: &str) -> anyhow::Result<String> {
    let path = repository
        .trim_end_matches('/')
        .strip_prefix("https://github.com/")
        .ok_or_else(|| anyhow::anyhow!("{repository} is not a GitHub repository address"))?;
    match path.split_once('/') {
        Some((owner, repo)) if !owner.is_empty() && !repo.is_empty() && !repo.contains('/') => {
            Ok(format!("https://{owner}.github.io/{repo}/"))
        }
        _ => anyhow::bail!("{repository} is not a GitHub repository address"),
    }
}

/// A live demo is a `<div class="live-demo">` block in a page. Browsers keep it and
/// get a note after it that only print shows; e-readers get the note instead of it.
/// `page_address` is where the page lives online.
/// A demo whose closing `</div>` is missing is an error: the EPUB would lose the rest
/// of the page.
pub fn live_demos(content: &str, reader: Reader, page_address: &str) -> anyhow::Result<String> {
    let note = format!(
        "<p class=\"offline-only\">The live demo runs in the online edition of this book: \
         <a href=\"{page_address}\">{page_address}</a>.</p>"
    );
    let mut out = String::with_capacity(content.len());
    let mut in_demo = false;
    for line in content.lines() {
        let starts = line.starts_with("<div") && line.contains("class=\"live-demo\"");
        if starts {
            in_demo = true;
        }
        if !in_demo || reader == Reader::Browser {
            out.push_str(line);
            out.push('\n');
        }
        // The demo's markup is indented, so its own closing tag is the only one at
        // the start of a line.
        if in_demo && line == "</div>" {
            in_demo = false;
            out.push_str(&note);
            out.push('\n');
        }
    }
    if in_demo {
        anyhow::bail!("a `<div class=\"live-demo\">` has no `</div>` at the start of a line");
    }
    Ok(out)
}

/// Links to other pages, `[text](../page/index.md#part)` or `[label]: ../page.md`,
/// point at the `.html` file the page becomes. Web addresses are left alone.
pub fn link_pages_as_html(content: &str) -> String {
    let inline = Regex::new(r"\]\(([^()\s:]+)\.md((?:#[^()\s]*)?)\)").expect("a valid regex");
    let reference =
        Regex::new(r"(?m)^(\[[^\]]+\]:\s+)([^\s:]+)\.md(#\S*)?$").expect("a valid regex");
    let content = inline.replace_all(content, "]($1.html$2)");
    reference
        .replace_all(&content, |caps: &Captures| {
            let fragment = caps.get(3).map_or("", |m| m.as_str());
            format!("{}{}.html{fragment}", &caps[1], &caps[2])
        })
        .into_owned()
}

/// Gives every Markdown heading outside code blocks the `id` mdBook's HTML renderer
/// would give it, as an empty anchor inside the heading, so `#part` links resolve.
pub fn anchor_headings(content: &str) -> String {
    let heading = Regex::new(r"^(#{1,6})\s+(.+?)\s*#*\s*$").expect("a valid regex");
    let mut used = HashSet::new();
    let mut fence: Option<&str> = None;
    let mut out = String::with_capacity(content.len());
    for line in content.lines() {
        let trimmed = line.trim_start();
        match fence {
            Some(open) if trimmed.starts_with(open) => fence = None,
            Some(_) => {}
            None if trimmed.starts_with("```") || trimmed.starts_with("~~~") => {
                fence = Some(&trimmed[..3]);
            }
            None => {
                if let Some(caps) = heading.captures(line) {
                    let id = unique_id(heading_id(&plain_text(&caps[2])), &mut used);
                    out.push_str(&format!("{} <a id=\"{id}\"></a>{}\n", &caps[1], &caps[2]));
                    continue;
                }
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The text a reader sees in a heading: code spans and links keep their text only.
fn plain_text(markdown: &str) -> String {
    let link = Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("a valid regex");
    link.replace_all(markdown, "$1").replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_mdbooks_ids_and_code_blocks_are_left_alone() {
        let page = "# The `Cargo.toml` file\n\n```sh\n# not a heading\n```\n\n## Set up\n\n## Set up\n\n### [Linked](x.md) part!\n";
        let anchored = anchor_headings(page);
        assert!(anchored.contains("# <a id=\"the-cargotoml-file\"></a>The `Cargo.toml` file\n"));
        assert!(anchored.contains("```sh\n# not a heading\n```"));
        assert!(anchored.contains("## <a id=\"set-up\"></a>Set up\n"));
        assert!(anchored.contains("## <a id=\"set-up-1\"></a>Set up\n"));
        assert!(anchored.contains("### <a id=\"linked-part\"></a>"));
    }

    #[test]
    fn page_links_become_html_and_web_links_stay() {
        let page = "See [a](../a/index.md), [b](b.md#part) and [web](https://x.org/README.md).\n\n[c]: ../c/index.md#set-up\n[d]: https://example.org/D.md\n";
        let linked = link_pages_as_html(page);
        assert!(linked.contains("[a](../a/index.html)"));
        assert!(linked.contains("[b](b.html#part)"));
        assert!(linked.contains("(https://x.org/README.md)"));
        assert!(linked.contains("[c]: ../c/index.html#set-up\n"));
        assert!(linked.contains("[d]: https://example.org/D.md\n"));
    }

    #[test]
    fn demos_get_a_print_note_in_browsers_and_only_the_note_in_e_readers() {
        let page =
            "Before\n<div id=\"d\" class=\"live-demo\">\n  <div>inner</div>\n</div>\nAfter\n";
        let browser = live_demos(page, Reader::Browser, "https://o.github.io/r/p.html").unwrap();
        assert!(browser.contains("<div>inner</div>\n</div>\n<p class=\"offline-only\">"));
        let ereader = live_demos(page, Reader::EReader, "https://o.github.io/r/p.html").unwrap();
        assert!(
            live_demos(
                "<div class=\"live-demo\">\nnever closed\n",
                Reader::EReader,
                ""
            )
            .is_err()
        );
        assert!(!ereader.contains("inner"));
        assert!(ereader.contains("Before\n<p class=\"offline-only\">The live demo"));
        assert!(ereader.ends_with("</p>\nAfter\n"));
    }

    #[test]
    fn the_online_address_comes_from_the_repository() {
        assert_eq!(
            online_address("https://github.com/rust-in-2026/book").unwrap(),
            "https://rust-in-2026.github.io/book/"
        );
        assert!(online_address("https://gitlab.com/a/b").is_err());
    }
}
