//! Building, checking and serving the book.
//!
//! mdBook exits 0 on several real mistakes (a missing include file, an unknown
//! `book.toml` key) and only logs them, so the build fails on any `ERROR` or `WARN`
//! line in its log. [`check_links`] then checks every link inside the built HTML,
//! `#fragment`s included; web links are checked only on request (`check-web-links`).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use regex::Regex;
use walkdir::WalkDir;

use crate::base::{repo_root, step};
use crate::tools;

/// Builds the book into `book/`, failing on log warnings and broken fragments.
/// Returns the folder of the HTML output.
pub fn build() -> Result<PathBuf> {
    build_with(&[])
}

/// The book built once per run of xtask: `cargo xtask ci` builds it for the editions
/// and hands the same build to the browser test.
pub fn built() -> Result<PathBuf> {
    static BUILT: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);
    let mut built = BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(html) = &*built {
        return Ok(html.clone());
    }
    let html = build()?;
    *built = Some(html.clone());
    Ok(html)
}

/// What the browser test (`tests/browser`) needs from xtask, handed over in its
/// environment: the built book (`BOOK_HTML`) and the pinned axe-core script
/// (`AXE_CORE_SCRIPT`). The test builds and installs nothing itself.
pub fn hand_to_browser_test(command: &mut Command) -> Result<()> {
    command
        .env("BOOK_HTML", built()?)
        .env("AXE_CORE_SCRIPT", crate::tools::axe_core_script()?);
    Ok(())
}

fn build_with(env: &[(&str, &str)]) -> Result<PathBuf> {
    for demo in &DEMOS {
        (demo.build)()?;
        // A `serve` stopped while it built the demos leaves its marker behind.
        let _ = fs::remove_file(
            repo_root()
                .join("src")
                .join(demo.chapter)
                .join("pkg")
                .join(BUILDING),
        );
    }
    let mdbook = tools::binary("mdbook")?;
    // The EPUB renderer: `[output.epub]` in book.toml makes mdBook run it on every build.
    tools::binary("mdbook-epub")?;
    step("build the book (mdbook build)", || {
        let mut command = Command::new(&mdbook);
        command
            .arg("build")
            .current_dir(repo_root())
            .envs(env.iter().copied());
        crate::base::add_to_path(&mut command);
        run_and_reject_warnings(&mut command)
    })?;
    let html = repo_root().join("book/html");
    step("check the links inside the built book", || {
        let checked = check_links(&html)?;
        println!("{checked} links to pages, pictures, scripts and #fragments resolve");
        Ok(())
    })?;
    Ok(html)
}

/// A live demo: the chapter folder its module goes to (`src/CHAPTER/pkg`), the
/// module's JavaScript file there, and how to build it.
struct Demo {
    name: &'static str,
    chapter: &'static str,
    module: &'static str,
    build: fn() -> Result<()>,
}

const DEMOS: [Demo; 2] = [
    Demo {
        name: "WebAssembly",
        chapter: "webassembly",
        module: "wasm_image.js",
        build: crate::wasm::build_demo,
    },
    Demo {
        name: "Bevy",
        chapter: "game-engines",
        module: "bevy_particles.js",
        build: crate::game_wasm::build_demo,
    },
];

/// The file whose presence tells a demo's page that the demo is still being built
/// (`live-demos.js` and the game's script look for it when the module does not load).
const BUILDING: &str = "BUILDING";

/// `cargo xtask serve [--demos-first]`: serves the book as soon as its HTML is built,
/// and builds the live demos in the background; their pages say so meanwhile, and
/// show the demo once it is built and the page is reloaded. The demos take minutes
/// on a fresh machine (the Bevy engine for wasm32 most of all), and the text needs
/// none of them. `--demos-first` builds them before serving instead.
pub fn serve(args: &[String]) -> Result<()> {
    let demos_first = match args {
        [] => false,
        [flag] if flag == "--demos-first" => true,
        _ => bail!("usage: cargo xtask serve [--demos-first]"),
    };
    let root = repo_root();
    let pending: Vec<&Demo> = DEMOS
        .iter()
        .filter(|demo| {
            !root
                .join("src")
                .join(demo.chapter)
                .join("pkg")
                .join(demo.module)
                .is_file()
        })
        .collect();
    if demos_first {
        tools::install_rust_targets()?;
        for demo in &pending {
            (demo.build)()?;
        }
    }
    let mdbook = tools::binary("mdbook")?;
    let pending = if demos_first { Vec::new() } else { pending };
    for demo in &pending {
        let pkg = root.join("src").join(demo.chapter).join("pkg");
        fs::create_dir_all(&pkg)?;
        fs::write(
            pkg.join(BUILDING),
            "cargo xtask serve is building this demo\n",
        )?;
    }
    let mut command = Command::new(mdbook);
    command
        .args(["serve", "--hostname", "127.0.0.1", "--port", "3000"])
        .current_dir(&root)
        // The EPUB renderer is for `cargo xtask editions`: here a command that reads
        // the book mdBook hands it and writes nothing stands in for it.
        .env("MDBOOK_OUTPUT__EPUB__COMMAND", "sh -c 'cat > /dev/null'");
    crate::base::add_to_path(&mut command);
    println!("$ {}", crate::children::describe(&command));
    let mut server = crate::children::Owned::spawn(&mut command)?;
    if !pending.is_empty() {
        if !wait_until_serving(&mut server)? {
            bail!("mdbook serve stopped before it served the book");
        }
        println!(
            "\nServing the book at http://127.0.0.1:3000 (Ctrl-C stops it).\n\
             Building the live demos in the background; their pages say so until you \
             reload them after the build.\n"
        );
        build_in_background(&root, &pending)?;
    }
    let status = server.wait_until(None)?;
    match status {
        Some(status) if !status.success() => bail!("mdbook serve exited with {status}"),
        _ => Ok(()),
    }
}

/// Whether mdBook answers on its port, polled until it does or until it exits.
fn wait_until_serving(server: &mut crate::children::Owned) -> Result<bool> {
    loop {
        if server.child().try_wait()?.is_some() {
            return Ok(false);
        }
        if std::net::TcpStream::connect("127.0.0.1:3000").is_ok() {
            return Ok(true);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// Builds each demo, then puts its module where the server reads it: the running
/// `mdbook serve` does not rebuild for files Git ignores, such as `pkg/`, so the
/// module is copied into the built book too. A demo that fails to build says so in
/// one line and stays a placeholder; the book goes on being served.
fn build_in_background(root: &Path, pending: &[&Demo]) -> Result<()> {
    tools::install_rust_targets()?;
    for demo in pending {
        let pkg = root.join("src").join(demo.chapter).join("pkg");
        let served = root.join("book/html").join(demo.chapter).join("pkg");
        let built = (demo.build)().and_then(|()| {
            // The build may have replaced the folder, marker and all.
            let _ = fs::remove_file(pkg.join(BUILDING));
            copy_folder(&pkg, &served)?;
            let _ = fs::remove_file(served.join(BUILDING));
            Ok(())
        });
        match built {
            Ok(()) => println!(
                "\nThe {} demo is built: reload http://127.0.0.1:3000/{}/index.html\n",
                demo.name, demo.chapter
            ),
            Err(error) => eprintln!("\nxtask: the {} demo did not build: {error:#}\n", demo.name),
        }
    }
    Ok(())
}

fn copy_folder(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// The opt-in online check: the book built with mdbook-linkcheck2 as an extra
/// renderer (mdBook reads `MDBOOK_OUTPUT__NAME` as the `[output.NAME]` table), which
/// follows every web link and fails on any it cannot reach.
pub fn check_web_links() -> Result<()> {
    tools::binary("mdbook-linkcheck2")?;
    let linkcheck = r#"{"follow-web-links": true, "warning-policy": "error"}"#;
    build_with(&[("MDBOOK_OUTPUT__LINKCHECK2", linkcheck)]).map(|_| ())
}

/// Runs mdBook, echoing its log, and fails if it exits non-zero or logs a warning/error.
fn run_and_reject_warnings(command: &mut Command) -> Result<()> {
    println!("$ {} build", command.get_program().to_string_lossy());
    // mdBook logs to stderr; its renderers' output also ends up there.
    let mut child = command
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .spawn()
        .context("could not start mdbook")?;
    let log = child.stderr.take().context("no stderr pipe")?;
    let mut complaints = Vec::new();
    for line in BufReader::new(log).lines() {
        let line = line?;
        eprintln!("{line}");
        if line.contains("ERROR") || line.contains("WARN") {
            complaints.push(line);
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("mdbook build exited with {status}");
    }
    if !complaints.is_empty() {
        bail!(
            "mdBook logged {} warning(s) or error(s); it exits 0 on these, the book does not:\n{}",
            complaints.len(),
            complaints.join("\n")
        );
    }
    Ok(())
}

/// Checks every link inside the built site: each relative `href` or `src` names a
/// file that exists, and each `#id` part names an `id` in the page it points to.
/// Returns how many links were checked. Web links are left to `check-web-links`.
pub fn check_links(html_root: &Path) -> Result<usize> {
    // The address of a link, picture, stylesheet or script (not `<base>`'s own).
    let link =
        Regex::new(r#"<(?:a|img|link|script|source|iframe)\s[^>]*?\b(?:href|src)="([^"]*)""#)?;
    let id = Regex::new(r#"\sid="([^"]+)""#)?;
    // 404.html is served at any depth, so mdBook gives it a `<base>` of the site root.
    let base = Regex::new(r#"<base href="([^"]*)""#)?;

    let mut pages: HashMap<PathBuf, String> = HashMap::new();
    for entry in WalkDir::new(html_root) {
        let entry = entry?;
        if entry.path().extension().is_some_and(|ext| ext == "html") {
            let text = std::fs::read_to_string(entry.path())?;
            pages.insert(entry.path().to_path_buf(), text);
        }
    }
    if pages.is_empty() {
        bail!("no HTML pages in {}", html_root.display());
    }
    let ids: HashMap<&PathBuf, HashSet<&str>> = pages
        .iter()
        .map(|(path, text)| {
            let found = id.captures_iter(text).map(|c| c.get(1).unwrap().as_str());
            (path, found.collect())
        })
        .collect();

    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, text) in &pages {
        let base = base.captures(text).map(|caps| caps[1].to_owned());
        let folder = match base {
            Some(_) => html_root,
            None => page.parent().unwrap_or(html_root),
        };
        for caps in link.captures_iter(text) {
            let target = &caps[1];
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let file = file.split_once('?').map_or(file, |(file, _query)| file);
            let elsewhere = ["http:", "https:", "mailto:", "//", "data:", "javascript:"]
                .iter()
                .any(|scheme| file.starts_with(scheme));
            if elsewhere || (file.is_empty() && fragment.is_empty()) {
                continue;
            }
            checked += 1;
            let target_path = if file.is_empty() {
                page.clone()
            } else {
                // A path from the site's root (`/book/...`) is inside the book only
                // below the `<base>` address; any other is reported as broken.
                let path = match (&base, file.starts_with('/')) {
                    (Some(base), true) => match file.strip_prefix(base.as_str()) {
                        Some(inside) => html_root.join(inside),
                        None => PathBuf::from(file),
                    },
                    _ => folder.join(file),
                };
                let path = if file.ends_with('/') {
                    path.join("index.html")
                } else {
                    path
                };
                normalize(&path)
            };
            let found = if fragment.is_empty() {
                target_path.is_file()
            } else {
                ids.get(&target_path)
                    .is_some_and(|page_ids| page_ids.contains(fragment))
            };
            if !found {
                let from = page.strip_prefix(html_root).unwrap_or(page);
                broken.push(format!("{}: {target}", from.display()));
            }
        }
    }
    if !broken.is_empty() {
        broken.sort();
        broken.dedup();
        bail!("broken links in the built book:\n  {}", broken.join("\n  "));
    }
    Ok(checked)
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scratch::RemoveOnDrop;

    /// A built site of two pages and a picture, with `extra` added to the second page.
    fn site(name: &str, extra: &str) -> Result<RemoveOnDrop> {
        let root = RemoveOnDrop::new(std::env::temp_dir().join(name))?;
        std::fs::create_dir_all(root.path().join("chapter"))?;
        std::fs::write(root.path().join("picture.svg"), "<svg/>")?;
        std::fs::write(
            root.path().join("index.html"),
            r#"<h1 id="start">Start</h1><a href="chapter/page.html#end">on</a>"#,
        )?;
        std::fs::write(
            root.path().join("chapter/page.html"),
            format!(
                r#"<h2 id="end">End</h2><img src="../picture.svg"><a href="../index.html?x=1#start">back</a><a href="https://example.org/gone.html">web</a>{extra}"#
            ),
        )?;
        Ok(root)
    }

    #[test]
    fn links_to_pages_pictures_and_fragments_resolve() -> Result<()> {
        let root = site("book-links-ok", "")?;
        assert_eq!(check_links(root.path())?, 3);
        Ok(())
    }

    #[test]
    fn a_page_with_a_base_address_links_from_the_root() -> Result<()> {
        let root = site("book-links-base", "")?;
        let not_found =
            r#"<base href="/book/"><a href="/book/">home</a><a href="chapter/page.html">x</a>"#;
        std::fs::write(root.path().join("chapter/404.html"), not_found)?;
        assert_eq!(check_links(root.path())?, 5);
        std::fs::write(
            root.path().join("chapter/404.html"),
            r#"<base href="/book/"><a href="page.html">x</a>"#,
        )?;
        assert!(
            check_links(root.path()).is_err(),
            "page.html is not at the root"
        );
        Ok(())
    }

    #[test]
    fn a_missing_page_picture_or_fragment_is_named() -> Result<()> {
        for (extra, named) in [
            (r#"<a href="missing.html">x</a>"#, "missing.html"),
            (r#"<img src="../gone.png">"#, "../gone.png"),
            (r##"<a href="#nowhere">x</a>"##, "#nowhere"),
            (r#"<a href="/elsewhere/">x</a>"#, "/elsewhere/"),
        ] {
            let root = site("book-links-broken", extra)?;
            let error = check_links(root.path()).unwrap_err().to_string();
            assert!(error.contains(&format!("page.html: {named}")), "{error}");
        }
        Ok(())
    }
}
