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
mod tools;
mod wasm;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

const HELP: &str = "\
cargo xtask <task>

  setup              install the pinned tools (`cargo xtask tools` lists them), the
                     Rust targets, and the Debian packages the examples need;
                     tools are cached outside the repository
  serve [--demos-first]
                     serve the book on http://127.0.0.1:3000 as soon as its pages are
                     built, and build the live demos in the background (their pages
                     say so until then); --demos-first builds them before serving
  build              build the book with link checking (output in book/html)
  editions           build the book with its PDF and EPUB editions and check them
                     (output in book/html/downloads)
  ci [--list | STEP...]
                     every check CI runs (fmt, clippy, tests, snippets, typos,
                     book...), or only the steps named; --list names them
  exercise [NAME]    list the exercises, or test your attempt at one
                     (--hint adds the hint; --solution tests the reference
                     solution instead)
  check-exercises [NAME...]
                     every solution passes its tests; every committed starter and
                     wrong attempt fails them; no mutant of a solution passes
                     (all exercises, or those named)
  check-quizzes      every quiz key proven by compiling or running its code
  examples-index     write examples/README.md, the map of chapters and examples
                     (--check: fail if it is out of date)
  tasks              print the name of each task, one per line (for the tests)
  tools              print each pinned tool as `PACKAGE VERSION` (for the tests)
  root               print the repository this xtask works on (for the tests)
  axe-path           print the path of the pinned axe-core script, installing it
                     if needed (for the tests)
  bless              rewrite captured outputs and compiler errors from real runs
  new-chapter NAME   scaffold a chapter page, an example crate and a SUMMARY entry
  bench-report NAME  run the benchmarks of examples/NAME and write the table the book shows
  check-web-links    check external links too (needs internet; not part of ci)
  canary [TOOLCHAIN...]
                     in a copy of the book, `cargo update`, then clippy, compile-fail
                     cases, snippets and quiz keys with each toolchain, installed or
                     updated with rustup first (default: stable beta); writes
                     target/canary/report.md (not part of ci)
  build-cost [bevy-particles]
                     build each example alone from nothing and write
                     examples/build-cost.md; with bevy-particles: its build time by
                     engine feature (minutes; not part of ci)
  wasm-size [bevy-particles]
                     build the WebAssembly module and print its size after each step;
                     with bevy-particles: the game's module, written to its results/
                     (minutes; not part of ci)
";

fn main() {
    if let Err(error) = children::end_with_xtask().and_then(|()| run()) {
        // `{:#}` prints the chain of contexts on one line, without a backtrace.
        eprintln!("xtask: error: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    match (task, &args[1..]) {
        ("setup", []) => tools::setup(),
        ("serve", rest) => book::serve(rest),
        ("build", []) => book::build().map(|_| ()),
        ("ci", steps) => ci::ci(steps),
        ("editions", []) => editions::build_and_check(),
        ("exercise", rest) => exercise::main(rest),
        ("check-exercises", names) => exercise::check(names),
        ("check-quizzes", []) => quiz::check_all(),
        ("examples-index", rest) => index::main(rest),
        ("tasks", []) => {
            task_names().for_each(|task| println!("{task}"));
            Ok(())
        }
        ("root", []) => {
            println!("{}", repo_root().display());
            Ok(())
        }
        ("tools", []) => {
            for tool in tools::TOOLS {
                println!("{} {}", tool.package, tool.version);
            }
            // From npm rather than crates.io, but pinned all the same.
            println!("axe-core {}", axe::AXE_CORE);
            println!("@daisy/ace {}", book_preprocessor::pins::ACE);
            println!("binaryen {}", book_preprocessor::pins::BINARYEN);
            Ok(())
        }
        ("axe-path", []) => axe::print_path(),
        ("bless", []) => ci::bless(),
        ("new-chapter", [name]) => scaffold::new_chapter(name),
        ("bench-report", [name]) => bench::report(name),
        ("check-web-links", []) => book::check_web_links(),
        ("canary", toolchains) => canary::canary(toolchains),
        ("build-cost", []) => bench::build_cost(),
        ("build-cost", [name]) if name == "bevy-particles" => bench::feature_build_cost(),
        ("wasm-size", []) => wasm::print_sizes(),
        ("wasm-size", [name]) if name == "bevy-particles" => game_wasm::write_sizes(),
        ("help" | "--help" | "-h", _) => {
            print!("{HELP}");
            Ok(())
        }
        _ => bail!("unknown task or arguments: {args:?}\n\n{HELP}"),
    }
}

/// The tasks named in the help text: its lines that start with two spaces.
fn task_names() -> impl Iterator<Item = &'static str> {
    HELP.lines()
        .filter_map(|line| line.strip_prefix("  "))
        // Continuation lines are indented further.
        .filter(|line| !line.starts_with(' '))
        .filter_map(|line| line.split_whitespace().next())
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
