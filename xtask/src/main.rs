//! `cargo xtask`: every piece of automation the book needs, in Rust.
//!
//! Run `cargo xtask help` for the list. Each task prints the commands it runs, so what
//! CI does can be repeated by hand one step at a time.

mod axe;
mod bench;
mod book;
mod canary;
mod children;
mod ci;
mod editions;
mod exercise;
mod game_wasm;
mod index;
mod proofs;
mod quiz;
mod scaffold;
mod scratch;
mod tasks;
mod tools;
mod wasm;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

fn main() {
    if let Err(error) = children::end_with_xtask().and_then(|()| run()) {
        // `{:#}` prints the chain of contexts on one line, without a backtrace.
        eprintln!("xtask: error: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    tasks::run(&args)
}

/// The repository root: the parent of this crate's manifest directory, as `cargo run`
/// tells it at run time. Not `env!("CARGO_MANIFEST_DIR")`, fixed when xtask was
/// compiled: with a target folder shared between clones, one clone's xtask binary can
/// be reused by another, and would then work on the wrong clone.
pub fn repo_root() -> PathBuf {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .filter(|dir| dir.join("Cargo.toml").is_file());
        match manifest_dir {
            Some(dir) => dir.parent().map(Path::to_path_buf).unwrap_or(dir),
            // Started without cargo: the current directory's workspace.
            None => locate_workspace().unwrap_or_else(|| PathBuf::from(".")),
        }
    })
    .clone()
}

fn locate_workspace() -> Option<PathBuf> {
    let output = Command::new("cargo")
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .ok()?;
    let manifest = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    manifest.parent().map(Path::to_path_buf)
}

/// Prints a step's title, runs it and prints how long it took.
pub fn step<T>(title: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("\n==> {title}");
    let started = Instant::now();
    let result = work().with_context(|| format!("step failed: {title}"));
    let seconds = started.elapsed().as_secs_f64();
    match &result {
        Ok(_) => println!("<== {title}: ok ({seconds:.1} s)"),
        Err(_) => println!("<== {title}: FAILED ({seconds:.1} s)"),
    }
    result
}

/// Runs a command in the repository root, echoing it first, and fails on a non-zero exit.
pub fn run_command(command: &mut Command) -> Result<()> {
    command.current_dir(repo_root());
    println!("$ {}", children::describe(command));
    let status = children::status(command)?;
    if !status.success() {
        bail!("`{}` exited with {status}", children::describe(command));
    }
    Ok(())
}

/// A `cargo` command using the same cargo that runs xtask, with the tools on `PATH`.
pub fn cargo(args: &[&str]) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(args);
    tools::add_to_path(&mut command);
    command
}
