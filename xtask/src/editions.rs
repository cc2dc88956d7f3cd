//! `cargo xtask editions`: the book as a PDF and an EPUB, built and checked.
//!
//! - The EPUB is mdbook-epub's output (`[output.epub]` in `book.toml`), so one
//!   `mdbook build` makes the HTML book and the EPUB from the same preprocessed pages,
//!   with the language, landmarks and accessibility metadata that mdbook-epub leaves
//!   out added (`accessible_epub.rs`). EPUBCheck, the reference validator, must
//!   report no error, and Ace by DAISY, the accessibility checker, nothing serious.
//! - The PDF is headless Chromium printing mdBook's `print.html`, the whole book on one
//!   page, with `src/assets/print.css` for paper: A4, page numbers, no live demo.
//!   poppler-utils checks what a reader gets: every chapter's title and text, embedded
//!   fonts, an outline, no line running off the page.
//!
//! Both land in `book/html/downloads/`, named after the book, its version and the date
//! of the commit they are built from (the preprocessor's `editions.rs`), which is
//! where the Pages site publishes them.

mod accessible_epub;
mod ace;

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use regex::Regex;

use book_preprocessor::editions::{DOWNLOADS, names};

use crate::base::{repo_root, step};

/// Builds the book with both editions and checks them.
pub fn build_and_check() -> Result<()> {
    let root = repo_root();
    let html = crate::book::built()?;
    let names = names(&root)?;
    let downloads = html.join(DOWNLOADS);
    fs::create_dir_all(&downloads)?;

    let epub = downloads.join(&names.epub);
    step(
        "EPUB: the edition mdbook-epub wrote, made accessible, checked by EPUBCheck",
        || {
            let written = only_file_in(&root.join("book/epub"), "epub")?;
            accessible_epub::make_accessible(&written, &epub)?;
            fs::remove_file(&written)?;
            epubcheck(&epub)?;
            check_epub(&root, &epub)
        },
    )?;
    step("EPUB: Ace by DAISY checks its accessibility", || {
        ace::check(&epub)
    })?;

    let pdf = downloads.join(&names.pdf);
    step(
        "PDF: Chromium prints print.html, poppler-utils checks it",
        || {
            let printed = html.join("print.html");
            print_to_pdf(&printed, &pdf)?;
            check_pdf(&root, &pdf, &fs::read_to_string(&printed)?)
        },
    )?;

    for file in [&pdf, &epub] {
        println!(
            "{}: {:.1} MiB",
            file.strip_prefix(&root).unwrap_or(file).display(),
            fs::metadata(file)?.len() as f64 / (1024.0 * 1024.0)
        );
    }
    Ok(())
}

fn only_file_in(folder: &Path, extension: &str) -> Result<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(folder).with_context(|| format!("reading {}", folder.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!(
            "expected one .{extension} file in {}, found {}",
            folder.display(),
            found.len()
        ),
    }
}

/// Runs `command` and returns its exit status and what it printed (stdout, then
/// stderr). It is killed if it has not finished within `limit`, which is an error.
fn run_with_time_limit(command: &mut Command, limit: Duration) -> Result<(ExitStatus, String)> {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Both pipes are read as the child writes, so that neither fills up and blocks it.
    let read = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = read(Box::new(child.stdout.take().context("no stdout pipe")?));
    let stderr = read(Box::new(child.stderr.take().context("no stderr pipe")?));
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > limit {
            child.kill()?;
            child.wait()?;
            bail!(
                "`{}` did not finish within {} s",
                command.get_program().to_string_lossy(),
                limit.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let log = format!(
        "{}{}",
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default()
    );
    Ok((status, log))
}

// ---------------------------------------------------------------------------------
// EPUB

/// Runs EPUBCheck (Debian's `epubcheck`, a Java program) and fails on any error.
fn epubcheck(epub: &Path) -> Result<()> {
    let output = Command::new("java")
        .args(["-jar", "/usr/share/java/epubcheck.jar"])
        .arg(epub)
        .output()
        .context("could not run EPUBCheck (`cargo xtask setup` installs Debian's epubcheck)")?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = log
        .lines()
        .find(|line| line.starts_with("Messages:"))
        .unwrap_or("no summary line");
    println!("EPUBCheck: {summary}");
    if !output.status.success() {
        let problems: Vec<&str> = log
            .lines()
            .filter(|line| line.starts_with("ERROR") || line.starts_with("FATAL"))
            .take(20)
            .collect();
        bail!("EPUBCheck found errors:\n{}", problems.join("\n"));
    }
    Ok(())
}

/// What the EPUB must hold: every page's text, every diagram, every captured output,
/// and no directive left unexpanded.
fn check_epub(root: &Path, epub: &Path) -> Result<()> {
    let mut archive = zip::ZipArchive::new(fs::File::open(epub)?)?;
    let mut text = String::new();
    let mut files = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index)?;
        let name = file.name()?.into_owned();
        if name.ends_with(".html") || name.ends_with(".xhtml") {
            let mut page = String::new();
            file.read_to_string(&mut page)?;
            ensure!(
                !page.contains("{{#"),
                "{name} still has a `{{{{#` directive"
            );
            text.push_str(&unescape(&page));
        }
        files.push(name);
    }
    let text = words(&text);
    for page in pages(root)? {
        ensure!(
            text.contains(&words(&page.sample)),
            "the EPUB lacks the text of {}: {:?}",
            page.file,
            page.sample
        );
        for diagram in &page.diagrams {
            ensure!(
                files.iter().any(|name| name.ends_with(diagram.as_str())),
                "the EPUB lacks the diagram {diagram}"
            );
        }
        for output in &page.outputs {
            ensure!(
                text.contains(&words(output)),
                "the EPUB lacks the captured output {output:?} of {}",
                page.file
            );
        }
    }
    println!("EPUB: every page's text, diagram and captured output is there");
    Ok(())
}

fn unescape(html: &str) -> String {
    let tag = Regex::new(r"<[^>]*>").expect("a valid regex");
    tag.replace_all(html, " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#10;", "\n")
        .replace("&amp;", "&")
}

/// Text as a sequence of words, so that line breaks, curly quotes and markup between
/// them do not matter when one text is looked for in another.
fn words(text: &str) -> String {
    let mut joined = String::from(" ");
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        joined.push_str(word);
        joined.push(' ');
    }
    joined
}

/// A page of the book and what an edition must show of it.
struct Page {
    file: String,
    title: String,
    /// The first sentence of prose on the page.
    sample: String,
    /// The SVG diagrams the page shows, by file name.
    diagrams: Vec<String>,
    /// The first line of each captured output the page includes.
    outputs: Vec<String>,
    /// How many PNG or JPEG pictures the page shows.
    pictures: usize,
    /// The alt text of each image the page shows (diagram or picture), in order.
    alt_texts: Vec<String>,
}

/// Every page in SUMMARY.md, in order.
fn pages(root: &Path) -> Result<Vec<Page>> {
    let src = root.join("src");
    let image = Regex::new(r"!\[[^\]]*\]\(([^)]+\.svg)\)")?;
    // `{{#include PATH}}`, or `{{#include PATH:FIRST:LAST}}` for some of its lines.
    let output =
        Regex::new(r"\{\{#include\s+([^}\s:]+/expected/[^}\s:]+)(?::(\d*):(\d*))?\s*\}\}")?;
    let picture = Regex::new(r"!\[[^\]]*\]\([^)]+\.(?:png|jpe?g)\)")?;
    let any_image = Regex::new(r"!\[([^\]]*)\]\([^)]+\.(?:svg|png|jpe?g)\)")?;
    let mut pages = Vec::new();
    for page in book_model::summary::Summary::read(root)?.pages() {
        let file = page.file.clone();
        let path = src.join(&file);
        let markdown =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let folder = path.parent().context("a page has a folder")?;
        let mut outputs = Vec::new();
        for include in output.captures_iter(&markdown) {
            let captured = fs::read_to_string(folder.join(&include[1]))
                .with_context(|| format!("reading {} from {file}", &include[1]))?;
            // mdBook counts lines from 1, and includes both ends of the range.
            let bound = |group: usize| {
                include
                    .get(group)
                    .and_then(|number| number.as_str().parse::<usize>().ok())
            };
            let first = bound(2).unwrap_or(1).saturating_sub(1);
            let count = bound(3).map_or(usize::MAX, |last| last.saturating_sub(first));
            let shown = captured.lines().skip(first).take(count);
            if let Some(line) = shown.into_iter().find(|line| words(line).len() > 12) {
                outputs.push(line.to_owned());
            }
        }
        pages.push(Page {
            title: page.title.clone(),
            sample: first_sentence(&markdown)
                .with_context(|| format!("{file} has no paragraph of prose"))?,
            diagrams: image
                .captures_iter(&markdown)
                .map(|caps| caps[1].rsplit('/').next().unwrap_or_default().to_owned())
                .collect(),
            outputs,
            pictures: picture.find_iter(&markdown).count(),
            alt_texts: any_image
                .captures_iter(&markdown)
                .map(|caps| caps[1].to_owned())
                .collect(),
            file,
        });
    }
    ensure!(!pages.is_empty(), "SUMMARY.md lists no page");
    Ok(pages)
}

/// The first sentence of the first paragraph that is plain prose.
fn first_sentence(markdown: &str) -> Option<String> {
    let link = Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("a valid regex");
    markdown
        .lines()
        .map(str::trim)
        .find(|line| {
            line.chars().next().is_some_and(char::is_alphabetic)
                && !line.contains("{{#")
                && line.split_whitespace().count() >= 8
        })
        .map(|line| {
            let plain = link.replace_all(line, "$1").replace(['`', '*'], "");
            let end = plain.find(". ").map_or(plain.len(), |end| end + 1);
            plain[..end].to_owned()
        })
}

// ---------------------------------------------------------------------------------
// PDF

/// Prints `page` with headless Chromium. The profile is a scratch folder removed
/// afterwards, and Chromium is killed if it has not finished within two minutes.
fn print_to_pdf(page: &Path, pdf: &Path) -> Result<()> {
    let profile = crate::scratch::RemoveOnDrop::new(repo_root().join("target/pdf-profile"))?;
    let mut command = Command::new("chromium");
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Page numbers and margins come from print.css, not from Chromium's own
            // header and footer (which print the file's path and the date).
            "--no-pdf-header-footer",
            // The PDF's bookmarks: one per heading, nested as the headings are.
            "--generate-pdf-document-outline",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()));
    println!(
        "$ chromium --headless --print-to-pdf={} {}",
        pdf.display(),
        page.display()
    );
    let started = Instant::now();
    let (status, log) = run_with_time_limit(&mut command, Duration::from_secs(120))
        .context("printing with chromium (`cargo xtask setup` installs it)")?;
    if !status.success() || !pdf.exists() {
        bail!("Chromium could not print the book ({status}):\n{log}");
    }
    println!("printed in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Runs a poppler-utils program on the PDF and returns what it prints.
fn poppler(program: &str, args: &[&str], pdf: &Path) -> Result<String> {
    let mut command = Command::new(program);
    command.args(args).arg(pdf);
    if program == "pdftotext" {
        command.arg("-"); // to stdout, not to a file beside the PDF
    }
    let output = command.output().with_context(|| {
        format!("could not run {program} (`cargo xtask setup` installs poppler-utils)")
    })?;
    ensure!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `printed` is the page Chromium printed, `print.html`.
fn check_pdf(root: &Path, pdf: &Path, printed: &str) -> Result<()> {
    let info = poppler("pdfinfo", &[], pdf)?;
    let field = |name: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(str::trim)
            .unwrap_or("?")
            .to_owned()
    };
    println!("PDF: {} pages of {}", field("Pages:"), field("Page size:"));
    // Chromium writes a tagged PDF: a structure tree that screen readers follow.
    ensure!(
        field("Tagged:") == "yes",
        "pdfinfo says the PDF is not tagged (Tagged: {})",
        field("Tagged:")
    );
    println!("PDF: tagged");

    let fonts = poppler("pdffonts", &[], pdf)?;
    // Columns: name, type, encoding, emb, sub, uni, object, generation; the name and
    // type may hold spaces, so read from the right.
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    ensure!(!rows.is_empty(), "pdffonts lists no font:\n{fonts}");
    let not_embedded: Vec<&str> = rows
        .iter()
        .copied()
        .filter(|row| row.split_whitespace().rev().nth(4) != Some("yes"))
        .collect();
    ensure!(
        not_embedded.is_empty(),
        "fonts not embedded in the PDF:\n{}",
        not_embedded.join("\n")
    );
    println!("PDF: all {} fonts embedded", rows.len());

    let text = words(&poppler("pdftotext", &["-enc", "UTF-8"], pdf)?);
    ensure!(
        text.contains(&words("The live demo runs in the online edition")),
        "the PDF lacks the note that replaces the live demo"
    );
    let bytes = fs::read(pdf)?;
    let outline = outline_titles(&bytes);
    let pages = pages(root)?;
    for page in &pages {
        ensure!(
            text.contains(&words(&page.title)),
            "the PDF lacks the title {:?}",
            page.title
        );
        ensure!(
            text.contains(&words(&page.sample)),
            "the PDF lacks the text of {}: {:?}",
            page.file,
            page.sample
        );
        ensure!(
            outline
                .iter()
                .any(|entry| words(entry) == words(&page.title)),
            "the PDF's outline has no entry {:?}",
            page.title
        );
    }
    println!(
        "PDF: all {} pages' titles and text found; outline of {} entries",
        pages.len(),
        outline.len()
    );
    // Diagrams are SVG and must stay vector graphics, sharp at any zoom: the only
    // raster images allowed are the pictures the pages show as PNG or JPEG.
    let pictures = pages.iter().map(|page| page.pictures).sum::<usize>();
    let raster = poppler("pdfimages", &["-list"], pdf)?
        .lines()
        .skip(2)
        .count();
    ensure!(
        raster <= pictures,
        "the PDF has {raster} raster images but the pages show {pictures}: a diagram was rasterised"
    );
    println!("PDF: {raster} raster images; every diagram stays vector");
    check_structure(printed, &poppler("pdfinfo", &["-struct"], pdf)?)?;
    check_figures(&pages, &bytes)?;
    // A screen reader picks its voice and pronunciation from the document's language
    // (the catalog's `/Lang`, which Chromium takes from `<html lang>`).
    let language = pdf_strings(&bytes, "Lang")
        .into_iter()
        .find(|language| !language.is_empty())
        .context("the PDF does not say its language (no /Lang)")?;
    println!("PDF: its language is {language}");
    check_margins(&poppler("pdftotext", &["-bbox"], pdf)?)
}

/// The structure tree is what a screen reader follows instead of the layout: it must
/// hold every heading of the page Chromium printed, in that page's order and at its
/// level (the outline, checked above, has their titles). `pdfinfo -struct` prints the
/// tree indented, one element a line (`H2 (block)`); `-struct-text` would add the
/// text, but takes over half a minute on this book, and poppler 22.12 cuts a run of
/// text at its first ligature (ﬁ, ﬀ).
fn check_structure(printed: &str, tree: &str) -> Result<()> {
    let heading = Regex::new(r"<h([1-6])\b")?;
    // The menu bar's title is a heading too, but mdBook's print style sheet hides the
    // menu bar.
    let main = printed
        .split_once("<main")
        .and_then(|(_, rest)| rest.split_once("</main>"))
        .map(|(main, _)| main)
        .context("print.html has no <main>")?;
    let expected: Vec<usize> = heading
        .captures_iter(main)
        .filter_map(|caps| caps[1].parse().ok())
        .collect();
    let found = heading_levels(tree);
    ensure!(
        !found.is_empty(),
        "pdfinfo -struct shows no heading: the PDF's structure tree is missing or unreadable"
    );
    let mut previous = 0;
    for (index, level) in found.iter().enumerate() {
        ensure!(
            *level <= previous + 1,
            "heading {} of the PDF's structure is an H{level} after an H{previous}: a level is skipped",
            index + 1
        );
        previous = *level;
    }
    if let Some(at) =
        (0..found.len().max(expected.len())).find(|&i| found.get(i) != expected.get(i))
    {
        bail!(
            "the PDF's structure has {} headings and print.html {}; from heading {} on they differ \
             (H{:?} in the PDF, H{:?} in print.html)",
            found.len(),
            expected.len(),
            at + 1,
            found.get(at),
            expected.get(at)
        );
    }
    println!(
        "PDF: the structure tree has all {} headings of print.html, in order and at their levels, none skipped",
        found.len()
    );
    Ok(())
}

/// The level of each heading in a `pdfinfo -struct` tree, in the tree's order.
fn heading_levels(tree: &str) -> Vec<usize> {
    let heading = Regex::new(r"^H([1-6])\b").expect("a valid regex");
    tree.lines()
        .filter_map(|line| heading.captures(line.trim_start()))
        .filter_map(|caps| caps[1].parse().ok())
        .collect()
}

/// Every image is a Figure in the structure tree, and each Figure carries the alt text
/// of its image as `/Alt`, in the book's order. pdfinfo does not print `/Alt`, so it is
/// read from the file: Chromium writes structure elements as plain objects.
fn check_figures(pages: &[Page], pdf: &[u8]) -> Result<()> {
    let text = String::from_utf8_lossy(pdf);
    let figure = Regex::new(r"(?s)<</Type /StructElem\s*/S /Figure\b(.*?)>>\s*endobj")?;
    let figures: Vec<&str> = figure
        .captures_iter(&text)
        .map(|caps| caps.get(1).map_or("", |m| m.as_str()))
        .collect();
    let expected: Vec<&String> = pages.iter().flat_map(|page| &page.alt_texts).collect();
    ensure!(
        figures.len() == expected.len(),
        "the PDF's structure has {} figures, the pages show {} images",
        figures.len(),
        expected.len()
    );
    for (figure, alt) in figures.iter().zip(&expected) {
        let found = pdf_strings(figure.as_bytes(), "Alt");
        ensure!(
            found.len() == 1 && words(&found[0]) == words(alt),
            "a figure in the PDF has the alt text {found:?} where the book has {alt:?}"
        );
    }
    println!(
        "PDF: all {} figures carry their image's alt text, in order",
        figures.len()
    );
    Ok(())
}

/// The titles of the PDF's outline (bookmarks).
fn outline_titles(pdf: &[u8]) -> Vec<String> {
    pdf_strings(pdf, "Title")
}

/// Every string value of `/KEY` in the PDF's plain (uncompressed) objects, where
/// Chromium writes the outline and the structure tree: `/KEY (text)` or, for text
/// beyond Latin-1, `/KEY <FEFF...>` in UTF-16.
fn pdf_strings(pdf: &[u8], key: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    let value = Regex::new(&format!(
        r"/{key}\s*(?:\(((?:[^()\\]|\\.)*)\)|<([0-9A-Fa-f]+)>)"
    ))
    .expect("a valid regex");
    value
        .captures_iter(&text)
        .filter_map(|caps| match (caps.get(1), caps.get(2)) {
            (Some(literal), _) => Some(literal.as_str().replace('\\', "")),
            (_, Some(hex)) => {
                let bytes: Vec<u8> = (0..hex.len() / 2 * 2)
                    .step_by(2)
                    .filter_map(|i| u8::from_str_radix(&hex.as_str()[i..i + 2], 16).ok())
                    .collect();
                let (pairs, _) = bytes.as_chunks::<2>();
                let units: Vec<u16> = pairs.iter().map(|pair| u16::from_be_bytes(*pair)).collect();
                Some(
                    String::from_utf16_lossy(&units)
                        .trim_start_matches('\u{feff}')
                        .to_owned(),
                )
            }
            _ => None,
        })
        .collect()
}

/// Fails if any word ends in the right margin: code or a table cut off by the page.
fn check_margins(bbox: &str) -> Result<()> {
    let page = Regex::new(r#"<page width="([0-9.]+)""#)?;
    let word = Regex::new(r#"<word xMin="[0-9.]+" yMin="[0-9.]+" xMax="([0-9.]+)"[^>]*>([^<]*)<"#)?;
    let mut width = 0.0_f64;
    let mut widest = 0.0_f64;
    let mut words = 0;
    let mut overflow = Vec::new();
    for line in bbox.lines() {
        if let Some(caps) = page.captures(line) {
            width = caps[1].parse()?;
        } else if let Some(caps) = word.captures(line) {
            let right: f64 = caps[1].parse()?;
            words += 1;
            widest = widest.max(right);
            // print.css leaves 15 mm (42.5 pt) on the right; a word that reaches
            // into the last 10 pt of paper was cut off or pushed off the page.
            if right > width - 10.0 {
                overflow.push(caps[2].to_owned());
            }
        }
    }
    // A format this code does not read would otherwise pass as "nothing overflows".
    ensure!(
        words > 0 && width > 0.0,
        "pdftotext -bbox gave no page or word to check"
    );
    ensure!(
        overflow.is_empty(),
        "{} words run off the right edge of the page, such as {:?}",
        overflow.len(),
        &overflow[..overflow.len().min(5)]
    );
    println!("PDF: no text past the margin (rightmost word ends at {widest:.0} of {width:.0} pt)");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_titles_are_read_in_both_encodings() {
        let pdf = b"<< /Title (Set up \\(first\\)) /Parent 3 0 R >> << /Title <FEFF00C900E9> >>";
        assert_eq!(outline_titles(pdf), ["Set up (first)", "\u{c9}\u{e9}"]);
    }

    #[test]
    fn the_structure_must_have_the_printed_headings() {
        let tree = "Document\n  H1 (block)\n    Link (inline)\n  P (block)\n  H2 (block)\n  Table\n  H2 (block)\n";
        assert_eq!(heading_levels(tree), [1, 2, 2]);
        let printed = |body: &str| format!("<h1 class=\"menu-title\">Book</h1><main>{body}</main>");
        assert!(check_structure(&printed("<h1>A</h1><h2>B</h2><h2 id=c>C</h2>"), tree).is_ok());
        assert!(check_structure(&printed("<h1>A</h1><h2>B</h2>"), tree).is_err());
        assert!(check_structure(&printed("<h1>A</h1><h2>B</h2><h3>C</h3>"), tree).is_err());
        let skipping = "H1 (block)\nH3 (block)\n";
        assert!(check_structure(&printed("<h1>A</h1><h3>B</h3>"), skipping).is_err());
        assert!(check_structure(&printed("<h1>A</h1>"), "Document\n").is_err());
    }

    #[test]
    fn alt_texts_are_read_in_both_encodings() {
        let figure = b"/S /Figure /Alt (A \\(small\\) diagram) /K 3 /Alt <FEFF00C9>";
        assert_eq!(pdf_strings(figure, "Alt"), ["A (small) diagram", "\u{c9}"]);
    }

    #[test]
    fn words_ignore_markup_and_punctuation() {
        assert_eq!(
            words("Rust’s  \"growth\",\nfast"),
            words("Rust's growth fast")
        );
    }

    #[test]
    fn a_word_in_the_margin_fails() {
        let page = "<page width=\"595.0\" height=\"842.0\">\n";
        let inside = "<word xMin=\"40\" yMin=\"1\" xMax=\"550\" yMax=\"2\">fits</word>\n";
        let outside = "<word xMin=\"40\" yMin=\"1\" xMax=\"590\" yMax=\"2\">cut</word>\n";
        assert!(check_margins(&format!("{page}{inside}")).is_ok());
        assert!(check_margins(page).is_err(), "no word read is not a pass");
        assert!(check_margins(&format!("{page}{inside}{outside}")).is_err());
    }

    #[test]
    fn the_first_sentence_skips_headings_and_directives() {
        let page = "# Title\n\n{{#verified}}\n\nThis book looks at [Rust](x.md) in `2026` and more. Then more.\n";
        assert_eq!(
            first_sentence(page).as_deref(),
            Some("This book looks at Rust in 2026 and more.")
        );
    }
}
