//! The versions the book names: the toolchain, the pinned tools and the locked
//! crates, and the commit the book is built from.

use std::path::Path;

use anyhow::{Context, Result};
use regex::Regex;

use book_model::lockfile::{self, Lockfile};
use book_model::pins;

pub struct Commit {
    /// The short hash.
    pub hash: String,
    /// The committer date, YYYY-MM-DD.
    pub date: String,
    /// Whether tracked files differ from the commit.
    pub dirty: bool,
}

/// The commit the book is built from, as git tells it.
pub fn commit(root: &Path) -> Option<Commit> {
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let line = git(&["log", "-1", "--format=%h %cs"])?;
    let (hash, date) = line.split_once(' ')?;
    let dirty = !git(&["status", "--porcelain", "--untracked-files=no"])?.is_empty();
    Some(Commit {
        hash: hash.to_owned(),
        date: date.to_owned(),
        dirty,
    })
}

pub struct Versions {
    lock: Lockfile,
    toolchain: String,
    /// The "as of" statements of `src/as-of.toml`, by name.
    as_of: std::collections::BTreeMap<String, String>,
}

/// Where the book's "as of" statements live: each date the prose rests on, once.
pub const AS_OF: &str = "src/as-of.toml";

impl Versions {
    pub fn read(root: &Path) -> Result<Self> {
        let path = root.join(AS_OF);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let as_of = toml::from_str(&text).with_context(|| format!("parsing {AS_OF}"))?;
        Ok(Self {
            lock: Lockfile::read(root)?,
            toolchain: lockfile::toolchain(root)?,
            as_of,
        })
    }

    /// The toolchain, a pinned tool (`book_model::pins`, npm packages by their npm
    /// names), or a locked crate.
    fn version(&self, name: &str) -> Result<&str> {
        if name == "rustc" {
            return Ok(&self.toolchain);
        }
        match pins::all().into_iter().find(|(tool, _)| *tool == name) {
            Some((_, version)) => Ok(version),
            None => self.lock.version(name),
        }
    }

    /// The versions the book is built with, and the commit it is built from. The date
    /// is the commit's, never the build's: building a book verifies nothing, CI does.
    pub fn verified_line(&self, key_crates: &[&str], root: &Path) -> Result<String> {
        let mut parts = vec![format!("Rust {}", self.toolchain)];
        for name in key_crates {
            parts.push(format!("`{name}` {}", self.version(name)?));
        }
        let source = match commit(root) {
            Some(Commit { hash, date, dirty }) => format!(
                "Built from commit {hash} of {date}{} with {}",
                if dirty { " plus local changes" } else { "" },
                parts.join(", ")
            ),
            None => format!("Built outside a git checkout with {}", parts.join(", ")),
        };
        Ok(format!(
            "*{source}. CI compiles every listing and reruns every shown output with \
             exactly these versions before a commit is published.*"
        ))
    }

    pub fn substitute(&self, content: &str, verified: &str, repository: &str) -> Result<String> {
        let directive =
            Regex::new(r"\{\{#(version|verified|repository|as-of)\s*([A-Za-z0-9_@/-]*)\s*\}\}")?;
        let mut failure = None;
        let result = directive.replace_all(content, |caps: &regex::Captures| {
            match (&caps[1], &caps[2]) {
                ("verified", "") => verified.to_owned(),
                ("repository", "") => repository.to_owned(),
                ("as-of", name) => match self.as_of.get(name) {
                    Some(text) => text.clone(),
                    None => {
                        failure.get_or_insert(anyhow::anyhow!(
                            "{{{{#as-of {name}}}}}: {AS_OF} has no `{name}`"
                        ));
                        caps[0].to_owned()
                    }
                },
                ("version", name) if !name.is_empty() => match self.version(name) {
                    Ok(version) => version.to_owned(),
                    Err(error) => {
                        failure.get_or_insert(error);
                        caps[0].to_owned()
                    }
                },
                _ => {
                    failure.get_or_insert(anyhow::anyhow!("malformed directive {}", &caps[0]));
                    caps[0].to_owned()
                }
            }
        });
        match failure {
            Some(error) => Err(error),
            None => Ok(result.into_owned()),
        }
    }
}
