//! Appendix B's table (`{{#prerequisites}}`): what each example needs besides Rust,
//! git and a C compiler, and where it runs, from the crates' `[package.metadata.book]`
//! as `book_model::crates` reads it.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use book_model::crates::Workspace;
use book_model::summary::Summary;

/// Appendix B's table: per chapter and example, what it needs and where it runs.
pub fn table(root: &Path) -> Result<String> {
    let workspace = Workspace::read(root)?;
    let mut md = String::from("| Chapter | Example | Needs (Debian 12 packages) | Runs on |\n");
    md.push_str("|---|---|---|---|\n");
    for chapter in Summary::read(root)?.chapters() {
        let (folder, title) = (&chapter.folder, &chapter.title);
        for krate in workspace
            .book_crates()
            .filter(|k| k.chapter.as_deref() == Some(folder))
        {
            let needs: Vec<String> = krate
                .needs
                .iter()
                .map(|need| {
                    let what = match (&need.debian, &need.install) {
                        (Some(package), _) => format!("`{package}`"),
                        (None, Some(install)) => install.clone(),
                        (None, None) => format!("`{}`", need.provides),
                    };
                    match &need.purpose {
                        Some(purpose) => format!("{what} ({purpose})"),
                        None => what,
                    }
                })
                .collect();
            let needs = if needs.is_empty() {
                "nothing else".to_owned()
            } else {
                needs.join(", ")
            };
            writeln!(
                md,
                "| [{title}](../{folder}/index.md) | `{}` | {needs} | {} |",
                krate.name,
                krate.runs_on.as_deref().unwrap_or("not tested")
            )?;
        }
    }
    Ok(md)
}
