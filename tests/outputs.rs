//! Every program output the book shows is a captured file, `examples/NAME/expected/*.txt`:
//! its first line is the command (`$ cargo run --example NAME`), the rest is what the
//! command printed. This test reruns each command and fails when the output changed.
//!
//! Run `cargo xtask bless` (which sets `BLESS=1`) to capture new outputs; the raw
//! output is stored, and only the comparison ignores what legitimately varies.

mod common;

use std::process::Command;

use common::{example_crates, pages, repo_root};
use regex::Regex;

/// Replaces what changes from run to run (process ids, addresses, timings, the
/// checkout's location) with fixed placeholders.
fn normalize(output: &str) -> String {
    let root = repo_root().display().to_string();
    let rules = [
        (r"\x1b\[[0-9;]*m", ""),                          // terminal colours
        (r"==\d+==", "==PID=="),                          // valgrind's process id
        (r"0x[0-9A-Fa-f]{5,}", "0xADDRESS"),              // code and heap addresses
        (r"\b\d+(\.\d+)?\s?(ns|µs|us|ms)\b", "DURATION"), // timings
        (r"\b\d+\.\d+\s?s\b", "DURATION"),
        (r"\[\s*\d+\.\d+\]", "[TIMESTAMP]"), // kernel log timestamps
    ];
    // Mesa's Vulkan driver says this once per instance on a machine with no desktop
    // session (a container, CI); it is not the example's output.
    let mut text = output
        .replace(&root, "$ROOT")
        .lines()
        .filter(|line| *line != "error: XDG_RUNTIME_DIR is invalid or not set in the environment.")
        .collect::<Vec<_>>()
        .join("\n");
    for (pattern, replacement) in rules {
        text = Regex::new(pattern)
            .unwrap()
            .replace_all(&text, replacement)
            .into_owned();
    }
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_owned()
}

fn expected_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for (_, path) in example_crates() {
        for entry in walkdir::WalkDir::new(path.join("expected"))
            .into_iter()
            .flatten()
        {
            if entry.path().extension().is_some_and(|ext| ext == "txt") {
                files.push(entry.path().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// The first thing `command` needs that is not there, from the crate's
/// `[package.metadata.book] needs` (the list `cargo xtask setup` installs from): a need
/// without a `for` applies to everything the crate runs, one with a `for` only to
/// commands that name it (valgrind, say).
fn missing_need(crate_dir: &std::path::Path, command: &str) -> Option<String> {
    let workspace = common::workspace();
    let krate = workspace.at(crate_dir)?;
    krate.needs.iter().find_map(|need| {
        let applies = need.purpose.is_none() || command.contains(&need.provides);
        let missing = applies && !book_model::crates::is_present(&need.provides);
        missing.then(|| need.provides.clone())
    })
}

#[test]
fn captured_outputs_match_a_fresh_run() {
    // Many commands mostly wait (a UDP session paced at 60 ticks per second, a QEMU
    // boot, a proxy on loopback), so three run at a time.
    const AT_ONCE: usize = 3;
    let files = expected_files();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut problems: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..AT_ONCE)
            .map(|_| {
                scope.spawn(|| {
                    let mut problems = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(index) else {
                            break problems;
                        };
                        problems.extend(check_captured_output(file));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a checking thread panicked"))
            .collect()
    });
    problems.sort();
    assert!(
        problems.is_empty(),
        "{}\nIf the new output is right, run `cargo xtask bless` and review `git diff`.",
        problems.join("\n")
    );
}

/// Reruns the command of one captured file; returns what is wrong, if anything. With
/// `BLESS` set, a changed output is written back instead.
fn check_captured_output(file: &std::path::Path) -> Option<String> {
    let bless = std::env::var_os("BLESS").is_some();
    let name = file
        .strip_prefix(repo_root())
        .unwrap()
        .display()
        .to_string();
    let stored = std::fs::read_to_string(file).unwrap();
    let Some(command) = stored
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("$ "))
    else {
        return Some(format!("{name}: the first line must be `$ COMMAND`"));
    };
    let crate_dir = file
        .parent()
        .and_then(std::path::Path::parent)
        .expect("examples/NAME/expected/FILE");
    if let Some(program) = missing_need(crate_dir, command) {
        let message =
            format!("{name}: NOT CHECKED: `{program}` is not there (see `cargo xtask setup`)");
        if std::env::var_os("CI").is_some() {
            return Some(message);
        }
        eprintln!("\n!!!!! {message} !!!!!\n");
        return None;
    }
    // Both streams into one pipe, in the order the program wrote them.
    let run = Command::new("bash")
        .arg("-c")
        .arg(format!("exec 2>&1; {command}"))
        .current_dir(repo_root())
        .env("CARGO_TERM_QUIET", "true")
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("bash runs");
    let fresh = String::from_utf8_lossy(&run.stdout);
    let want = normalize(stored.split_once('\n').map_or("", |(_, rest)| rest));
    let got = normalize(&fresh);
    if want == got {
        return None;
    }
    if bless {
        // Rewritten only when it really changed, so a bless leaves no noise.
        std::fs::write(file, format!("$ {command}\n{fresh}")).unwrap();
        return None;
    }
    Some(format!(
        "{name}: the output of `{command}` changed.\n--- shown in the book\n{want}\n--- printed now\n{got}\n---"
    ))
}

#[test]
fn every_captured_output_is_shown_in_the_book() {
    let all_pages: String = pages().into_iter().map(|page| page.text).collect();
    let unused: Vec<String> = expected_files()
        .into_iter()
        .map(|file| {
            file.strip_prefix(repo_root())
                .unwrap()
                .display()
                .to_string()
        })
        .filter(|name| !all_pages.contains(name.as_str()))
        .collect();
    assert!(
        unused.is_empty(),
        "captured outputs no page includes: {unused:?}"
    );
}

#[test]
fn normalize_hides_only_what_varies() {
    let valgrind = "==4242== Invalid read of size 1\n==4242==    at 0x13C332: f (a.c:34)";
    assert_eq!(
        normalize(valgrind),
        "==PID== Invalid read of size 1\n==PID==    at 0xADDRESS: f (a.c:34)"
    );
    assert_eq!(
        normalize("took 12.5ms, 4000 plays  \n"),
        "took DURATION, 4000 plays"
    );
}
