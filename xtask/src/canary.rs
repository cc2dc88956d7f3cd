//! `cargo xtask canary [TOOLCHAIN...]`: an early warning of drift, not a check of the
//! book, which stays pinned.
//!
//! In a copy of the committed book (`target/canary/book`), it runs `cargo update`,
//! then for each toolchain (by default `stable` and `beta`) the checks that newer
//! compilers and crates break first: clippy's lints, the compile-fail cases whose
//! error messages the book shows, the page snippets and the quiz keys. It writes
//! `target/canary/report.md`: the crates that changed, and per toolchain what failed
//! with the compiler's own words. The scheduled workflow (`canary.yml`) runs it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use book_model::lockfile::Lockfile;

use crate::base::repo_root;

/// The checks, each a command run in the copy with the toolchain chosen.
const CHECKS: &[(&str, &[&str])] = &[
    (
        "clippy, warnings are errors",
        &[
            "cargo",
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ),
    (
        "compile-fail cases and edition tests (the compiler errors the book shows)",
        &[
            "cargo",
            "test",
            "--workspace",
            "--test",
            "compile_fail",
            "--test",
            "editions",
        ],
    ),
    (
        "snippets on the pages (doctests)",
        &["cargo", "test", "--workspace", "--doc"],
    ),
    (
        "quiz keys",
        &[
            "cargo",
            "run",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "check-quizzes",
        ],
    ),
];

pub fn canary(args: &[String]) -> Result<()> {
    let toolchains: Vec<&str> = match args {
        [] => vec!["stable", "beta"],
        named => named.iter().map(String::as_str).collect(),
    };
    let canary = repo_root().join("target/canary");
    let copy = canary.join("book");
    // The copy is made afresh each time; the target folders next to it are kept, so
    // a second run only rebuilds what changed.
    let _cleanup = crate::scratch::RemoveOnDrop::new(copy.clone())?;
    copy_committed_book(&copy)?;

    let before = Lockfile::read(&copy)?;
    println!("$ cargo update");
    let update = Command::new("cargo")
        .arg("update")
        .current_dir(&copy)
        .output()
        .context("running cargo update")?;
    if !update.status.success() {
        bail!(
            "cargo update failed:\n{}",
            String::from_utf8_lossy(&update.stderr)
        );
    }
    let after = Lockfile::read(&copy)?;

    let mut report = String::from("# Canary report\n\n");
    writeln!(report, "Book commit: {}\n", commit_line(&repo_root()))?;
    report.push_str("## Crates that `cargo update` changed\n\n");
    let changes = lock_changes(before.versions(), after.versions());
    if changes.is_empty() {
        report.push_str("None: Cargo.lock already has the newest compatible versions.\n");
    }
    for change in &changes {
        writeln!(report, "- {change}")?;
    }

    let mut failures = 0;
    for toolchain in toolchains {
        writeln!(report, "\n## Toolchain `{toolchain}`\n")?;
        let Some(version) = install_toolchain(toolchain) else {
            failures += 1;
            writeln!(
                report,
                "rustup could not install it, so nothing ran: \
                 `{}` failed.",
                install_command(toolchain)?.join(" ")
            )?;
            continue;
        };
        writeln!(report, "`{version}`\n")?;
        let target = canary.join(format!("target-{toolchain}"));
        for (title, command) in CHECKS {
            let (passed, seconds, log) = run_check(&copy, toolchain, &target, command)?;
            let verdict = if passed { "passed" } else { "FAILED" };
            println!("canary: {toolchain}: {title}: {verdict} ({seconds:.0} s)");
            writeln!(report, "- {title}: **{verdict}** ({seconds:.0} s)")?;
            if !passed {
                failures += 1;
                writeln!(report, "\n  ```text")?;
                for line in what_failed(&log) {
                    writeln!(report, "  {line}")?;
                }
                writeln!(report, "  ```\n")?;
            }
        }
    }

    let path = canary.join("report.md");
    fs::write(&path, &report)?;
    println!("\n{report}\nWritten to {}", path.display());
    if failures > 0 {
        bail!(
            "{failures} canary checks failed or could not run: see {}",
            path.display()
        );
    }
    Ok(())
}

/// The committed files only (`git archive HEAD`): what CI would see, without the
/// reader's edits or build output.
fn copy_committed_book(copy: &Path) -> Result<()> {
    let archive = Command::new("git")
        .args(["archive", "--format=tar", "HEAD"])
        .current_dir(repo_root())
        .stdout(Stdio::piped())
        .spawn()
        .context("running git archive")?;
    let status = Command::new("tar")
        .args(["-x", "-C"])
        .arg(copy)
        .stdin(archive.stdout.context("no stdout pipe")?)
        .status()
        .context("running tar")?;
    if !status.success() {
        bail!(
            "could not unpack the committed book into {}",
            copy.display()
        );
    }
    Ok(())
}

fn commit_line(root: &Path) -> String {
    match book_preprocessor::versions::commit(root) {
        Some(commit) => format!("{} of {}", commit.hash, commit.date),
        None => "not a git checkout".to_owned(),
    }
}

/// `name old -> new` for every crate whose locked version changed, and the crates
/// that came or went.
fn lock_changes(
    before: &BTreeMap<String, Vec<String>>,
    after: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let mut changes = Vec::new();
    for (name, old) in before {
        match after.get(name) {
            Some(new) if new != old => {
                changes.push(format!("{name} {} -> {}", old.join(", "), new.join(", ")));
            }
            Some(_) => {}
            None => changes.push(format!("{name} {} removed", old.join(", "))),
        }
    }
    for (name, new) in after {
        if !before.contains_key(name) {
            changes.push(format!("{name} {} added", new.join(", ")));
        }
    }
    changes
}

/// The rustup command that installs a toolchain, or brings an installed channel such
/// as `stable` up to its newest release, with the components the book's own pin lists
/// (clippy, and rust-src, without which compiler notes that quote the standard
/// library's source come out shorter than the captured ones).
fn install_command(toolchain: &str) -> Result<Vec<String>> {
    let pinned = book_model::lockfile::pinned_toolchain(&repo_root())?;
    let mut command: Vec<String> = [
        "rustup",
        "toolchain",
        "install",
        toolchain,
        "--profile",
        "minimal",
    ]
    .map(str::to_owned)
    .into();
    if !pinned.components.is_empty() {
        command.push("--component".to_owned());
        command.push(pinned.components.join(","));
    }
    Ok(command)
}

/// Installs or updates the toolchain and returns its `rustc --version`, or `None` if
/// rustup could not. A channel installed months ago would otherwise be tested as it
/// was then: `stable` must mean today's stable.
fn install_toolchain(toolchain: &str) -> Option<String> {
    let command = install_command(toolchain).ok()?;
    println!("$ {}", command.join(" "));
    let installed = Command::new(&command[0])
        .args(&command[1..])
        .status()
        .ok()?;
    if !installed.success() {
        return None;
    }
    let output = Command::new("rustup")
        .args(["run", toolchain, "rustc", "--version"])
        // Never let rustup download a toolchain behind the report's back.
        .env("RUSTUP_AUTO_INSTALL", "0")
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Runs one check; returns whether it passed, how long it took and what it printed.
fn run_check(
    copy: &Path,
    toolchain: &str,
    target: &Path,
    command: &[&str],
) -> Result<(bool, f64, String)> {
    println!("$ RUSTUP_TOOLCHAIN={toolchain} {}", command.join(" "));
    let started = Instant::now();
    let output = Command::new(command[0])
        .args(&command[1..])
        .current_dir(copy)
        // Overrides rust-toolchain.toml, which pins the book's own version.
        .env("RUSTUP_TOOLCHAIN", toolchain)
        .env("RUSTUP_AUTO_INSTALL", "0")
        .env("CARGO_TARGET_DIR", target)
        // The report is Markdown: no terminal colours from Cargo, rustc or trybuild.
        .env("CARGO_TERM_COLOR", "never")
        .env("NO_COLOR", "1")
        .output()
        .with_context(|| format!("running {}", command.join(" ")))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok((
        output.status.success(),
        started.elapsed().as_secs_f64(),
        log,
    ))
}

/// The lines of a failed check worth reading, at most 40: first what the compiler
/// said (errors, warnings, and trybuild's expected and actual messages, with the lines
/// that follow each), then which tests failed. The end of the log if neither is there.
fn what_failed(log: &str) -> Vec<&str> {
    let lines: Vec<&str> = log.lines().collect();
    let mut picked = Vec::new();
    let mut pick = |is_wanted: &dyn Fn(&str) -> bool, following: usize| {
        for (index, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            if is_wanted(trimmed) && picked.len() < 40 {
                picked.extend(
                    lines[index..lines.len().min(index + following)]
                        .iter()
                        .copied(),
                );
            }
        }
    };
    pick(
        &|line| {
            line.starts_with("error[")
                || line.starts_with("error:") && !line.starts_with("error: test failed")
                || line.starts_with("warning:")
                || line.contains("mismatch")
                || line.starts_with("EXPECTED:")
                || line.starts_with("ACTUAL OUTPUT:")
        },
        6,
    );
    pick(
        &|line| line.starts_with("---- ") || line.ends_with("... FAILED"),
        1,
    );
    if picked.is_empty() {
        picked.extend(lines[lines.len().saturating_sub(15)..].iter().copied());
    }
    picked.truncate(40);
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_added_and_removed_crates_are_listed() {
        let map = |entries: &[(&str, &str)]| -> BTreeMap<String, Vec<String>> {
            entries
                .iter()
                .map(|(name, version)| (name.to_string(), vec![version.to_string()]))
                .collect()
        };
        let before = map(&[("anyhow", "1.0.1"), ("gone", "0.1.0"), ("same", "2.0.0")]);
        let after = map(&[("anyhow", "1.0.2"), ("new", "0.3.0"), ("same", "2.0.0")]);
        assert_eq!(
            lock_changes(&before, &after),
            [
                "anyhow 1.0.1 -> 1.0.2",
                "gone 0.1.0 removed",
                "new 0.3.0 added"
            ]
        );
    }

    #[test]
    fn a_failure_report_keeps_the_compilers_words() {
        let log = "   Compiling a v0.1.0\nerror[E0382]: borrow of moved value: `s`\n --> src/main.rs:4:20\n  |\nmore\n";
        let picked = what_failed(log);
        assert_eq!(picked[0], "error[E0382]: borrow of moved value: `s`");
        assert_eq!(picked.len(), 4);
        let trybuild = "test compile-fail/a.rs ... mismatch\n\nEXPECTED:\nerror[E0499]: old\nACTUAL OUTPUT:\nerror[E0499]: new\n";
        assert!(what_failed(trybuild).contains(&"error[E0499]: new"));
    }
}
