//! The ground floor every task stands on: where the repository, the cache and the
//! builds are, and how commands run. It imports no task; tasks import it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use book_model::pins::{BINARYEN, TOOLS};

use crate::children;

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

/// Runs a command, echoing it first, and fails on a non-zero exit. It runs in the
/// repository root unless the caller chose a folder (Go builds in its module's).
pub fn run_command(command: &mut Command) -> Result<()> {
    if command.get_current_dir().is_none() {
        command.current_dir(repo_root());
    }
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
    add_to_path(&mut command);
    command
}

/// Where cached artefacts live: `$RUST_IN_2026_CACHE`, else `$XDG_CACHE_HOME/rust-in-2026`,
/// else `~/.cache/rust-in-2026`. The kernel example follows the same rule itself
/// (`kernel_module::cache_dir`, which a learner reads without xtask) to find the kernel
/// build and bindgen there; xtask depends on no example crate.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RUST_IN_2026_CACHE") {
        return dir.into();
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("rust-in-2026")
}

/// On CI (`CI` set), builds into a target folder kept outside the clone, so a new
/// clone on the same machine starts warm. Locally, `target/` is used as usual.
pub fn with_ci_target(mut command: Command) -> Command {
    if std::env::var_os("CI").is_some() && std::env::var_os("CARGO_TARGET_DIR").is_none() {
        command.env("CARGO_TARGET_DIR", target_dir());
    }
    command
}

/// The target folder the examples build into: see [`with_ci_target`].
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => dir.into(),
        None if std::env::var_os("CI").is_some() => cache_dir().join("target"),
        None => repo_root().join("target"),
    }
}

/// The machine, for the footer of a benchmark table: CPU model and core count.
pub fn cpu_description() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cores} cores")
}

/// The first line `program ARGS` prints, such as a version.
pub fn command_version(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .current_dir(repo_root())
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.lines().next().map(str::to_owned))
        .unwrap_or_else(|| format!("{program}: unknown version"))
}

/// Where a pinned tool is installed: `tools/PACKAGE-VERSION` in the cache.
pub fn tool_folder(package: &str, version: &str) -> PathBuf {
    // A scoped npm package, `@scope/name`, gets the folder `scope-name-VERSION`.
    let folder = package.trim_start_matches('@').replace('/', "-");
    cache_dir()
        .join("tools")
        .join(format!("{folder}-{version}"))
}

/// Where npm puts binaryen's commands (`wasm-opt`).
pub fn binaryen_bin_dir() -> PathBuf {
    tool_folder("binaryen", BINARYEN).join("node_modules/.bin")
}

/// Puts every pinned tool's `bin` folder in front of `PATH` for `command`.
pub fn add_to_path(command: &mut Command) {
    let mut dirs: Vec<PathBuf> = TOOLS
        .iter()
        .map(|tool| tool_folder(tool.package, tool.version).join("bin"))
        .collect();
    dirs.push(binaryen_bin_dir());
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    if let Ok(joined) = std::env::join_paths(dirs) {
        command.env("PATH", joined);
    }
}

/// Runs a command, keeping its output unless it fails.
pub fn run_quietly(command: &mut Command) -> Result<()> {
    let output = command
        .current_dir(repo_root())
        .output()
        .with_context(|| format!("starting {command:?}"))?;
    if !output.status.success() {
        bail!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// What a server sends when it compresses with gzip at its highest level.
pub fn gzipped(path: &Path) -> Result<u64> {
    let output = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .context("running gzip")?;
    if !output.status.success() {
        bail!("gzip failed on {}", path.display());
    }
    Ok(output.stdout.len() as u64)
}

/// `1234567` as `1,234,567`, for tables.
pub fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
