//! The book's pages, in the order `src/SUMMARY.md` lists them, read with mdBook's own
//! parser (`mdbook-summary`), so that the tools see the book exactly as mdBook does.

use std::path::Path;

use anyhow::{Context, Result, bail};
use mdbook_summary::SummaryItem;

/// One page of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its title in the table of contents.
    pub title: String,
    /// Its Markdown file, relative to `src/`, with `/` between folders:
    /// `memory-safety/index.md`.
    pub file: String,
    /// Whether it is one of the numbered chapters (the others are the introduction and
    /// the appendices).
    pub numbered: bool,
}

impl Page {
    /// The page's address in the HTML book: `memory-safety/index.html`.
    pub fn html(&self) -> String {
        match self.file.strip_suffix(".md") {
            Some(stem) => format!("{stem}.html"),
            None => self.file.clone(),
        }
    }

    /// The chapter's folder, for a numbered chapter whose page is `FOLDER/index.md`.
    pub fn chapter_folder(&self) -> Option<&str> {
        self.file
            .strip_suffix("/index.md")
            .filter(|folder| self.numbered && !folder.contains('/'))
    }
}

/// A numbered chapter: a folder under `src/` with an `index.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// Its folder under `src/` (and the name its example crates give in
    /// `[package.metadata.book] chapter`).
    pub folder: String,
    pub title: String,
}

/// The table of contents.
#[derive(Debug, Clone)]
pub struct Summary {
    pages: Vec<Page>,
}

impl Summary {
    /// Reads `src/SUMMARY.md` of the book at `root`.
    pub fn read(root: &Path) -> Result<Self> {
        let path = root.join("src/SUMMARY.md");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Self> {
        let summary = mdbook_summary::parse_summary(text)?;
        let mut pages = Vec::new();
        collect(&summary.prefix_chapters, false, &mut pages)?;
        collect(&summary.numbered_chapters, true, &mut pages)?;
        collect(&summary.suffix_chapters, false, &mut pages)?;
        if pages.is_empty() {
            bail!("SUMMARY.md lists no page");
        }
        Ok(Self { pages })
    }

    /// Every page, in the order of the table of contents.
    pub fn pages(&self) -> &[Page] {
        &self.pages
    }

    /// The numbered chapters, in order.
    pub fn chapters(&self) -> Vec<Chapter> {
        self.pages
            .iter()
            .filter_map(|page| {
                Some(Chapter {
                    folder: page.chapter_folder()?.to_owned(),
                    title: page.title.clone(),
                })
            })
            .collect()
    }
}

fn collect(items: &[SummaryItem], numbered: bool, pages: &mut Vec<Page>) -> Result<()> {
    for item in items {
        let SummaryItem::Link(link) = item else {
            continue;
        };
        // A draft chapter (a link with no file) has no page yet.
        if let Some(location) = &link.location {
            let file = location
                .to_str()
                .with_context(|| format!("{}: the file name is not UTF-8", link.name))?
                .replace('\\', "/");
            pages.push(Page {
                title: link.name.clone(),
                file,
                numbered,
            });
        }
        collect(&link.nested_items, numbered, pages)?;
    }
    Ok(())
}

/// `summary` (the text of SUMMARY.md) with a new numbered chapter `title` whose page
/// is `FOLDER/index.md`, after the last numbered chapter. The rest of the text is
/// kept as it is.
pub fn add_chapter(summary: &str, title: &str, folder: &str) -> Result<String> {
    let parsed = Summary::parse(summary)?;
    let last = parsed
        .pages()
        .iter()
        .rfind(|page| page.numbered)
        .context("SUMMARY.md has no numbered chapter list")?;
    // The line that links the last numbered chapter's page (the parser gives no
    // positions, so the line is found by its link target).
    let target = format!("]({})", last.file);
    // The end of that line: where the new item goes.
    let line_end = summary
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            *offset += line.len();
            Some((*offset, line))
        })
        .filter(|(_, line)| line.trim_start().starts_with("- ") && line.contains(&target))
        .map(|(end, _)| end)
        .last()
        .with_context(|| format!("SUMMARY.md has no list item linking {}", last.file))?;
    let mut out = String::with_capacity(summary.len() + title.len() + folder.len() + 20);
    out.push_str(&summary[..line_end]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("- [{title}]({folder}/index.md)\n"));
    out.push_str(&summary[line_end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = "# Summary\n\n[Introduction](index.md)\n\n\
        - [First](first/index.md)\n    - [Deeper](first/deeper.md)\n\
        - [Second](second/index.md)\n\n[Appendix](appendix/a.md)\n";

    #[test]
    fn pages_come_in_the_order_of_the_table_of_contents() {
        let summary = Summary::parse(SUMMARY).unwrap();
        let files: Vec<&str> = summary.pages().iter().map(|p| p.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "index.md",
                "first/index.md",
                "first/deeper.md",
                "second/index.md",
                "appendix/a.md"
            ]
        );
        assert_eq!(summary.pages()[3].html(), "second/index.html");
    }

    #[test]
    fn chapters_are_the_numbered_folder_pages() {
        let chapters = Summary::parse(SUMMARY).unwrap().chapters();
        let folders: Vec<&str> = chapters.iter().map(|c| c.folder.as_str()).collect();
        assert_eq!(folders, ["first", "second"]);
        assert_eq!(chapters[1].title, "Second");
    }

    #[test]
    fn a_new_chapter_goes_after_the_last_numbered_one() {
        let added = add_chapter(SUMMARY, "Third", "third").unwrap();
        assert!(
            added.contains("- [Second](second/index.md)\n- [Third](third/index.md)\n\n[Appendix]"),
            "{added}"
        );
        let chapters = Summary::parse(&added).unwrap().chapters();
        assert_eq!(chapters.last().unwrap().folder, "third");
    }

    #[test]
    fn a_summary_without_pages_is_an_error() {
        assert!(Summary::parse("# Summary\n").is_err());
    }
}
