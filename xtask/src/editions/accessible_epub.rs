//! What mdbook-epub 0.5.4 leaves out of the EPUB for EPUB Accessibility 1.1, added to
//! the copy that is published.
//!
//! [EPUB Accessibility 1.1](https://www.w3.org/TR/epub-a11y-11/) asks for the
//! publication's language and for metadata that tells a reader, before buying or
//! opening a book, what it offers and what it lacks (schema.org's `accessMode`,
//! `accessibilityFeature`, `accessibilityHazard` and `accessibilitySummary`). Ace by
//! DAISY checks both, and runs axe-core on every XHTML file. mdbook-epub writes none
//! of the metadata, no language on the package or the navigation document, and two
//! `<nav>` landmarks with neither a name nor an ARIA role. Every edit here:
//!
//! - is made only where it is missing, so that running it on its own output changes
//!   nothing;
//! - fails, naming the file, when the markup it edits is not what mdbook-epub 0.5.4
//!   writes, rather than guess: a newer mdbook-epub needs a look (and may make the
//!   edit unnecessary).
//!
//! The metadata claims only what `Facts` has checked in the same EPUB, so it cannot
//! drift from the book: an image without alt text, or a heading that skips a level,
//! stops the build instead of shipping a false `alternativeText` or
//! `structuralNavigation`.

use std::fs;
use std::io::{Read as _, Write as _};
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use regex::{Captures, Regex};

/// Reads the EPUB that mdbook-epub wrote at `from` and writes the repaired,
/// accessible copy to `to`.
pub fn make_accessible(from: &Path, to: &Path) -> Result<()> {
    let mut entries = read_entries(from)?;
    let opf = only_entry(&entries, ".opf")?;
    let package = text(&entries[opf].1).context("the package document is not UTF-8")?;
    let package = drop_language_id(&package);
    let language = language(&package)?;
    // The summary calls the text reflowable: a fixed layout would need another one.
    ensure!(
        !package.contains("pre-paginated"),
        "the EPUB has a fixed layout (rendition:layout pre-paginated)"
    );
    // Paths inside the package are relative to the package document's folder.
    let base = match entries[opf].0.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/"),
        None => String::new(),
    };
    let nav = format!("{base}{}", navigation_href(&package)?);

    let mut facts = Facts::default();
    for (name, bytes) in &mut entries {
        let Some(relative) = name.strip_prefix(&base) else {
            continue;
        };
        if name.ends_with(".html") || name.ends_with(".xhtml") {
            let page = text(bytes).with_context(|| format!("{name} is not UTF-8"))?;
            let mut page = with_language(&page, &language).with_context(|| name.clone())?;
            if *name == nav {
                page = with_named_landmarks(&page).with_context(|| name.clone())?;
                facts.navigation = page.clone();
            } else {
                facts
                    .read_page(relative, &page)
                    .with_context(|| name.clone())?;
            }
            *bytes = page.into_bytes();
        } else if name.ends_with(".svg") {
            facts.read_svg(relative, bytes)?;
        }
    }
    ensure!(
        !facts.navigation.is_empty(),
        "the package names {nav} as its navigation document, but the EPUB has no such file"
    );
    facts.check_table_of_contents()?;

    let package = with_package_language(&package, &language)?;
    let package = with_accessibility_metadata(&package, &facts)?;
    entries[opf].1 = package.into_bytes();
    write_entries(to, &entries)
}

/// The language mdbook-epub writes into `<dc:language>` (book.toml's `language`).
/// There must be exactly one: it is copied onto the package and the navigation
/// document.
fn language(package: &str) -> Result<String> {
    let element = Regex::new(r"<dc:language>([^<]+)</dc:language>")?;
    let found: Vec<&str> = element
        .captures_iter(package)
        .map(|caps| caps.get(1).map_or("", |m| m.as_str()).trim())
        .collect();
    match found.as_slice() {
        [one] if !one.is_empty() => Ok((*one).to_owned()),
        _ => bail!(
            "the package document should have one <dc:language>, it has {}",
            found.len()
        ),
    }
}

/// mdbook-epub 0.5.4 builds its package document with epub-builder 0.8.3, whose
/// template gives `<dc:language>` the id of the first author, `epub-creator-0`;
/// EPUBCheck rejects the duplicate id (RSC-005). The language needs no id.
fn drop_language_id(package: &str) -> String {
    let language_id = Regex::new(r#"<dc:language id="[^"]*">"#).expect("a valid regex");
    language_id
        .replace_all(package, "<dc:language>")
        .into_owned()
}

/// The navigation document's path, from the manifest item with `properties="nav"`.
fn navigation_href(package: &str) -> Result<String> {
    let item = Regex::new(r"<item\b[^>]*>")?;
    let href = Regex::new(r#"\shref="([^"]+)""#)?;
    let navs: Vec<&str> = item
        .find_iter(package)
        .map(|m| m.as_str())
        .filter(|tag| tag.contains(r#"properties="nav""#))
        .collect();
    let [nav] = navs.as_slice() else {
        bail!(
            "the manifest should have one item with properties=\"nav\", it has {}",
            navs.len()
        );
    };
    Ok(href
        .captures(nav)
        .with_context(|| format!("the navigation item has no href: {nav}"))?[1]
        .to_owned())
}

/// Ace's `epub-lang` (serious): the language of the package as a whole is the
/// `xml:lang` of its root element, which epub-builder leaves out.
fn with_package_language(package: &str, language: &str) -> Result<String> {
    with_attributes(package, "package", &[("xml:lang", language)]).context("the package document")
}

/// axe-core's `html-has-lang` (serious): every XHTML file says its language on
/// `<html>`, both as `lang` (HTML) and `xml:lang` (XML). mdbook-epub writes both on
/// the chapters and neither on the navigation document.
fn with_language(page: &str, language: &str) -> Result<String> {
    with_attributes(page, "html", &[("xml:lang", language), ("lang", language)])
}

/// Adds `attributes` to the one start tag `<element ...>` of `markup` where they are
/// missing; fails if the element is missing, repeated, or already has one of them
/// with another value.
fn with_attributes(markup: &str, element: &str, attributes: &[(&str, &str)]) -> Result<String> {
    let tag = Regex::new(&format!(r"<{element}\b[^>]*>"))?;
    let found: Vec<_> = tag.find_iter(markup).collect();
    let [start] = found.as_slice() else {
        bail!("expected one <{element}> start tag, found {}", found.len());
    };
    let mut rewritten = start.as_str().to_owned();
    for (name, value) in attributes {
        match attribute(start.as_str(), name) {
            Some(existing) if existing == *value => {}
            Some(existing) => {
                bail!("<{element}> has {name}=\"{existing}\", expected \"{value}\"")
            }
            None => {
                let end = rewritten.len() - if rewritten.ends_with("/>") { 2 } else { 1 };
                rewritten.insert_str(end, &format!(" {name}=\"{value}\""));
            }
        }
    }
    Ok(format!(
        "{}{rewritten}{}",
        &markup[..start.start()],
        &markup[start.end()..]
    ))
}

/// The value of attribute `name` in a start tag. `lang` does not match `xml:lang`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let pattern = format!(r#"\s{}\s*=\s*"([^"]*)""#, regex::escape(name));
    let found = Regex::new(&pattern).ok()?.captures(tag)?;
    Some(found[1].to_owned())
}

/// The navigation document's two landmarks, as mdbook-epub 0.5.4 writes them:
/// `<nav epub:type = "toc" id="toc">` headed by `<h1 id="toc-title">`, and
/// `<nav epub:type = "landmarks">`, unnamed.
///
/// - `epub-type-has-matching-role` (moderate): an `epub:type` that has an ARIA
///   equivalent needs that role too, for assistive technology that knows ARIA but not
///   EPUB; for `toc` it is `doc-toc` (DPUB-ARIA).
/// - `landmark-unique` (moderate): two `<nav>` landmarks without names sound the same
///   to a screen reader. The table of contents is named by its heading, the other by
///   a label.
///
/// Any other `<nav>` is unexpected: it would need a name and maybe a role too.
fn with_named_landmarks(page: &str) -> Result<String> {
    let nav = Regex::new(r#"<nav\b[^>]*>"#)?;
    let mut kinds = Vec::new();
    let mut failure = None;
    let page = nav.replace_all(page, |caps: &Captures| {
        let tag = &caps[0];
        let kind = attribute(tag, "epub:type").unwrap_or_default();
        let (role, name) = match kind.as_str() {
            "toc" => (Some("doc-toc"), ("aria-labelledby", "toc-title")),
            "landmarks" => (None, ("aria-label", "Landmarks")),
            _ => {
                failure.get_or_insert_with(|| format!("an unexpected <nav>: {tag}"));
                return tag.to_owned();
            }
        };
        kinds.push(kind);
        let mut wanted = vec![name];
        wanted.extend(role.map(|role| ("role", role)));
        match with_attributes(tag, "nav", &wanted) {
            Ok(named) => named,
            Err(error) => {
                failure.get_or_insert_with(|| format!("{error:#}"));
                tag.to_owned()
            }
        }
    });
    if let Some(failure) = failure {
        bail!(failure);
    }
    kinds.sort();
    ensure!(
        kinds == ["landmarks", "toc"],
        "expected a toc and a landmarks <nav>, found {kinds:?}"
    );
    ensure!(
        page.contains(r#"id="toc-title""#),
        "the table of contents has no heading with id=\"toc-title\" to be named by"
    );
    Ok(page.into_owned())
}

/// What the EPUB offers, checked file by file: the metadata says no more than this.
#[derive(Default, Debug)]
struct Facts {
    /// The chapters, as paths relative to the package document.
    pages: Vec<String>,
    /// SVG images shown with `<img>`, all with alt text.
    diagrams: usize,
    /// PNG or JPEG images, all with alt text.
    pictures: usize,
    /// Notes that stand in for the online edition's live demos.
    demo_notes: usize,
    /// The navigation document, once repaired.
    navigation: String,
}

impl Facts {
    fn read_page(&mut self, relative: &str, page: &str) -> Result<()> {
        self.pages.push(relative.to_owned());
        let image = Regex::new(r"<img\b[^>]*>")?;
        for tag in image.find_iter(page).map(|m| m.as_str()) {
            let alt = attribute(tag, "alt").unwrap_or_default();
            let src = attribute(tag, "src").unwrap_or_default();
            // `alternativeText` and a sufficient `textual` access mode.
            ensure!(!alt.trim().is_empty(), "the image {src} has no alt text");
            if src.ends_with(".svg") {
                self.diagrams += 1;
            } else {
                self.pictures += 1;
            }
        }
        // `accessibilityHazard: none` holds for static text and pictures: nothing
        // here may play, move or run.
        let moving = Regex::new(r"<(audio|video|script|canvas|iframe|embed|object)\b")?;
        if let Some(found) = moving.find(page) {
            bail!(
                "{} would need its hazards checked",
                found.as_str().trim_start_matches('<')
            );
        }
        // `structuralNavigation`: one `<h1>` first, and no level skipped going down.
        let heading = Regex::new(r"<h([1-6])\b")?;
        let mut previous = 0;
        for caps in heading.captures_iter(page) {
            let level: usize = caps[1].parse()?;
            ensure!(
                level <= previous + 1 && (previous > 0 || level == 1),
                "an <h{level}> follows an <h{previous}>: the headings skip a level"
            );
            previous = level;
        }
        ensure!(previous > 0, "the page has no heading");
        self.demo_notes += page
            .matches("The live demo runs in the online edition")
            .count();
        Ok(())
    }

    fn read_svg(&self, relative: &str, svg: &[u8]) -> Result<()> {
        let svg = String::from_utf8_lossy(svg);
        for moving in ["<animate", "<set", "<script", "@keyframes"] {
            ensure!(
                !svg.contains(moving),
                "{relative} has {moving}: moving pictures need their hazards checked"
            );
        }
        Ok(())
    }

    /// `tableOfContents`: the navigation document links every chapter.
    fn check_table_of_contents(&self) -> Result<()> {
        ensure!(!self.pages.is_empty(), "the EPUB has no chapter");
        for page in &self.pages {
            ensure!(
                self.navigation.contains(&format!("href=\"{page}\"")),
                "the table of contents has no link to {page}"
            );
        }
        Ok(())
    }

    fn images(&self) -> usize {
        self.diagrams + self.pictures
    }

    /// What a reader learns before opening the book, beyond the other properties: what
    /// the alt text is for, and what the edition lacks. The counts come from the EPUB
    /// itself.
    fn summary(&self) -> String {
        let mut summary = String::from(
            "Reflowable text with a heading for every section and a table of contents.",
        );
        if self.images() > 0 {
            summary.push_str(&format!(
                " Each of its {} images ({} {} and {} {}) has alt text that describes \
                 it in words, so the book can be read as text alone.",
                self.images(),
                self.diagrams,
                plural(self.diagrams, "diagram", "diagrams"),
                self.pictures,
                plural(self.pictures, "screenshot", "screenshots"),
            ));
        }
        if self.demo_notes > 0 {
            summary.push_str(
                " The interactive demos of the online edition are not included: a note \
                 in their place gives their web address.",
            );
        }
        if !self.navigation.contains("page-list") {
            summary.push_str(
                " There is no page list, so the PDF edition's page numbers cannot be \
                 found in it.",
            );
        }
        summary.push_str(
            " Checked automatically with EPUBCheck and Ace by DAISY; not evaluated by a \
             person against EPUB Accessibility 1.1 and WCAG, nor tested with a screen \
             reader, so it claims no conformance.",
        );
        summary
    }
}

fn plural<'a>(count: usize, one: &'a str, more: &'a str) -> &'a str {
    if count == 1 { one } else { more }
}

/// The schema.org properties EPUB Accessibility 1.1 asks for, as Ace reads them:
/// `accessMode`, `accessibilityFeature` and `accessibilityHazard` (serious when
/// missing), `accessModeSufficient` and `accessibilitySummary` (moderate). Meanings
/// as the DAISY Knowledge Base defines them
/// (<https://kb.daisy.org/publishing/docs/metadata/schema.org/>).
fn accessibility_metadata(facts: &Facts) -> Vec<(&'static str, String)> {
    let images = facts.images() > 0;
    let mut properties = vec![("accessMode", "textual".to_owned())];
    if images {
        properties.push(("accessMode", "visual".to_owned()));
    }
    // Text alone is enough, since every image's alt text describes it; text with the
    // pictures is the other way to read it.
    properties.push(("accessModeSufficient", "textual".to_owned()));
    if images {
        properties.push(("accessModeSufficient", "textual,visual".to_owned()));
        properties.push(("accessibilityFeature", "alternativeText".to_owned()));
    }
    properties.push(("accessibilityFeature", "structuralNavigation".to_owned()));
    properties.push(("accessibilityFeature", "tableOfContents".to_owned()));
    // Text and still pictures: no flashing, no motion, no sound.
    properties.push(("accessibilityHazard", "none".to_owned()));
    properties.push(("accessibilitySummary", facts.summary()));
    properties
}

/// Adds the accessibility metadata at the end of `<metadata>`. The `schema:` prefix
/// is one that EPUB 3 predefines, so the package declares none.
fn with_accessibility_metadata(package: &str, facts: &Facts) -> Result<String> {
    let block: String = accessibility_metadata(facts)
        .iter()
        .map(|(property, value)| {
            format!(
                "    <meta property=\"schema:{property}\">{}</meta>\n",
                escape(value)
            )
        })
        .collect();
    if package.contains(&block) {
        return Ok(package.to_owned());
    }
    ensure!(
        !package.contains("property=\"schema:"),
        "the package document has accessibility metadata that is not the metadata \
         these checks support: compare it with `accessibility_metadata`"
    );
    let closing: Vec<_> = package.match_indices("</metadata>").collect();
    let [(at, _)] = closing.as_slice() else {
        bail!(
            "expected one </metadata> in the package document, found {}",
            closing.len()
        );
    };
    // `</metadata>` follows the indentation of its last child.
    let line_start = package[..*at].rfind('\n').map_or(0, |i| i + 1);
    Ok(format!(
        "{}{block}{}",
        &package[..line_start],
        &package[line_start..]
    ))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

// ---------------------------------------------------------------------------------
// The EPUB as a zip file

fn read_entries(path: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(fs::File::open(path)?)
        .with_context(|| format!("reading {}", path.display()))?;
    let mut entries = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index)?;
        let name = entry.name()?.into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        entries.push((name, bytes));
    }
    Ok(entries)
}

/// Writes the entries in their order, the uncompressed `mimetype` first, as the EPUB
/// format requires.
fn write_entries(path: &Path, entries: &[(String, Vec<u8>)]) -> Result<()> {
    use zip::write::SimpleFileOptions;

    ensure!(
        entries.first().is_some_and(|(name, _)| name == "mimetype"),
        "the EPUB's first entry is not `mimetype`"
    );
    let mut out = zip::ZipWriter::new(fs::File::create(path)?);
    for (name, bytes) in entries {
        let method = match name.as_str() {
            "mimetype" => zip::CompressionMethod::Stored,
            _ => zip::CompressionMethod::Deflated,
        };
        out.start_file(
            name.as_str(),
            SimpleFileOptions::default().compression_method(method),
        )?;
        out.write_all(bytes)?;
    }
    out.finish()?;
    Ok(())
}

fn only_entry(entries: &[(String, Vec<u8>)], suffix: &str) -> Result<usize> {
    let found: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].0.ends_with(suffix))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        _ => bail!(
            "expected one {suffix} file in the EPUB, found {}",
            found.len()
        ),
    }
}

fn text(bytes: &[u8]) -> Result<String> {
    Ok(String::from_utf8(bytes.to_vec())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts of mdbook-epub 0.5.4's output that the edits touch, as it writes them.
    const PACKAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<package version="3.0" xmlns="http://www.idpf.org/2007/opf" unique-identifier="epub-id-1">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>Rust in 2026</dc:title>
    <dc:language id="epub-creator-0">en</dc:language>
    <dc:creator id="epub-creator-0">The Rust in 2026 authors</dc:creator>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
  </manifest>
</package>
"#;

    const NAV: &str = r#"<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<body>
  <nav epub:type = "toc" id="toc">
    <h1 id="toc-title">Table Of Contents</h1>
    <ol><li><a href="index.html">Introduction</a></li></ol>
  </nav>
  <nav epub:type = "landmarks">
    <ol><li><a epub:type="bodymatter" href="index.html">Introduction</a></li></ol>
  </nav>
</body>
</html>"#;

    const PAGE: &str = r#"<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<body><h1>Introduction</h1><h2>Part</h2><p><img src="a.svg" alt="A diagram"/></p></body>
</html>"#;

    fn facts() -> Facts {
        let mut facts = Facts::default();
        facts.read_page("index.html", PAGE).unwrap();
        facts.navigation = with_named_landmarks(&with_language(NAV, "en").unwrap()).unwrap();
        facts
    }

    #[test]
    fn the_package_gets_its_language_and_metadata_once() {
        let package = drop_language_id(PACKAGE);
        assert_eq!(language(&package).unwrap(), "en");
        assert_eq!(navigation_href(&package).unwrap(), "nav.xhtml");
        let facts = facts();
        facts.check_table_of_contents().unwrap();
        let once =
            with_accessibility_metadata(&with_package_language(&package, "en").unwrap(), &facts)
                .unwrap();
        assert!(once.contains(r#"<package version="3.0" xmlns="http://www.idpf.org/2007/opf" unique-identifier="epub-id-1" xml:lang="en">"#));
        assert!(once.contains(
            "    <meta property=\"schema:accessMode\">textual</meta>\n    <meta property=\"schema:accessMode\">visual</meta>\n"
        ));
        assert!(once.contains("(1 diagram and 0 screenshots)"));
        assert!(once.contains("</meta>\n  </metadata>"));
        let twice = with_accessibility_metadata(
            &with_package_language(&drop_language_id(&once), "en").unwrap(),
            &facts,
        )
        .unwrap();
        assert_eq!(once, twice, "a second run changes nothing");
    }

    #[test]
    fn the_navigation_gets_a_language_roles_and_names_once() {
        let once = with_named_landmarks(&with_language(NAV, "en").unwrap()).unwrap();
        assert!(once.contains(r#"<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">"#));
        assert!(once.contains(
            r#"<nav epub:type = "toc" id="toc" aria-labelledby="toc-title" role="doc-toc">"#
        ));
        assert!(once.contains(r#"<nav epub:type = "landmarks" aria-label="Landmarks">"#));
        let twice = with_named_landmarks(&with_language(&once, "en").unwrap()).unwrap();
        assert_eq!(once, twice);
        // The chapters already say their language.
        assert_eq!(with_language(PAGE, "en").unwrap(), PAGE);
    }

    #[test]
    fn unexpected_input_fails_loudly() {
        assert!(language("<metadata></metadata>").is_err());
        assert!(
            with_language(PAGE, "de").is_err(),
            "a page in another language"
        );
        assert!(with_named_landmarks(&NAV.replace("landmarks", "page-list")).is_err());
        assert!(with_named_landmarks(&NAV.replace("toc-title", "heading")).is_err());
        let foreign = PACKAGE.replace(
            "</metadata>",
            "<meta property=\"schema:accessMode\">auditory</meta></metadata>",
        );
        assert!(with_accessibility_metadata(&foreign, &facts()).is_err());
    }

    #[test]
    fn the_metadata_claims_only_what_was_checked() {
        let mut facts = Facts::default();
        assert!(
            facts
                .read_page("a.html", &PAGE.replace(r#" alt="A diagram""#, ""))
                .is_err()
        );
        assert!(
            facts
                .read_page("b.html", &PAGE.replace("<h2>Part</h2>", "<h3>Part</h3>"))
                .is_err()
        );
        assert!(
            facts
                .read_page("c.html", &PAGE.replace("<p>", "<video>"))
                .is_err()
        );
        assert!(facts.read_svg("d.svg", b"<svg><animate/></svg>").is_err());
        facts.navigation = NAV.to_owned();
        facts.pages = vec!["missing.html".to_owned()];
        assert!(facts.check_table_of_contents().is_err());
    }
}
