//! Building, checking and serving the book.
//!
//! mdBook exits 0 on several real mistakes (a missing include file, an unknown
//! `book.toml` key) and only logs them, so the build fails on any `ERROR` or `WARN`
//! line in its log. mdbook-linkcheck2 checks links between pages but not the
//! `#fragment` part, so [`check_fragments`] does that over the built HTML.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use regex::Regex;
use walkdir::WalkDir;

use crate::{repo_root, run_command, step, tools};

/// Builds the book into `book/`, failing on log warnings and broken fragments.
/// Returns the folder of the HTML output.
pub fn build() -> Result<PathBuf> {
    build_with(&[])
}

fn build_with(env: &[(&str, &str)]) -> Result<PathBuf> {
    crate::wasm::build_demo()?;
    crate::game_wasm::build_demo()?;
    let mdbook = tools::binary("mdbook")?;
    tools::binary("mdbook-linkcheck2")?;
    step(
        "build the book (mdbook build, with mdbook-linkcheck2)",
        || {
            let mut command = Command::new(&mdbook);
            command
                .arg("build")
                .current_dir(repo_root())
                .envs(env.iter().copied());
            tools::add_to_path(&mut command);
            run_and_reject_warnings(&mut command)
        },
    )?;
    let html = repo_root().join("book/html");
    step("check #fragment links in the built HTML", || {
        let checked = check_fragments(&html)?;
        println!("{checked} internal links with a #fragment resolve");
        Ok(())
    })?;
    Ok(html)
}

/// Builds once (so broken pages fail loudly), then serves with live reload.
pub fn serve() -> Result<()> {
    // Only what the book needs: the build installs mdBook, mdbook-linkcheck2 and
    // wasm-bindgen on first use; the demo needs the wasm32 target.
    tools::install_rust_targets()?;
    build()?;
    let mdbook = tools::binary("mdbook")?;
    println!("\nServing the book at http://127.0.0.1:3000 (Ctrl-C stops it)");
    let mut command = Command::new(mdbook);
    command.args(["serve", "--hostname", "127.0.0.1", "--port", "3000"]);
    tools::add_to_path(&mut command);
    run_command(&mut command)
}

/// The opt-in online check: mdbook-linkcheck2 with web links followed.
pub fn check_web_links() -> Result<()> {
    build_with(&[("MDBOOK_OUTPUT__LINKCHECK2__FOLLOW_WEB_LINKS", "true")]).map(|_| ())
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

/// Checks that every relative `href="page.html#id"` in the built site finds `id="id"`
/// in the page it points to. Returns how many such links were checked.
pub fn check_fragments(html_root: &Path) -> Result<usize> {
    let href = Regex::new(r#"href="([^"]*)""#)?;
    let id = Regex::new(r#"\sid="([^"]+)""#)?;

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
        for caps in href.captures_iter(text) {
            let target = &caps[1];
            let Some((file, fragment)) = target.split_once('#') else {
                continue;
            };
            let external = ["http:", "https:", "mailto:", "//", "data:", "javascript:"]
                .iter()
                .any(|scheme| file.starts_with(scheme));
            if external || fragment.is_empty() {
                continue;
            }
            let target_page = if file.is_empty() {
                page.clone()
            } else {
                normalize(&page.parent().unwrap_or(html_root).join(file))
            };
            checked += 1;
            let found = ids
                .get(&target_page)
                .is_some_and(|page_ids| page_ids.contains(fragment));
            if !found {
                let from = page.strip_prefix(html_root).unwrap_or(page);
                broken.push(format!("{}: {target}", from.display()));
            }
        }
    }
    if !broken.is_empty() {
        broken.sort();
        bail!("broken #fragment links:\n  {}", broken.join("\n  "));
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
