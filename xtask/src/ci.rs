//! `cargo xtask ci`: everything CI checks, in the order a contributor would fix it.

use std::process::Command;
use std::time::Instant;

use anyhow::Result;

use crate::base::{cargo, run_command, step, with_ci_target};
use crate::tools;

/// One check CI runs: a short name to rerun it by, what it checks, and the work.
type Step = (&'static str, &'static str, fn() -> Result<()>);

/// Every step, in the order a contributor would fix what they find.
const STEPS: &[Step] = &[
    (
        "setup",
        "the pinned tools, Rust targets and Debian packages",
        crate::setup::setup,
    ),
    (
        "index",
        "examples/README.md matches the crates' Cargo.toml",
        || crate::index::main(&["--check".to_owned()]),
    ),
    ("fmt", "formatting (cargo fmt --check)", || {
        run_command(&mut cargo(&["fmt", "--all", "--", "--check"]))
    }),
    ("clippy", "lints (clippy, warnings are errors)", || {
        run_command(&mut with_ci_target(cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ])))
    }),
    (
        "kernel",
        "Linux 6.12 with Rust for the kernel chapter (built once, then cached)",
        || {
            run_command(&mut with_ci_target(cargo(&[
                "run",
                "--locked",
                "--example",
                "kernel-module",
                "--",
                "--build-kernel-only",
            ])))
        },
    ),
    (
        "book",
        "HTML, EPUB and PDF editions, links, EPUBCheck, Ace, PDF text, fonts and structure",
        // Before the tests: the browser test reads this build of the book.
        crate::editions::build_and_check,
    ),
    (
        "tests",
        "examples, compile-fail cases, drift checks, outputs, the book in a browser (cargo nextest)",
        || {
            // Every test binary's tests in parallel, each test in a process of its
            // own; `cargo test --workspace --all-targets` runs the same tests, one
            // binary after another. Doctests are a step of their own below.
            let nextest = tools::binary("cargo-nextest")?;
            let mut command = Command::new(nextest);
            command
                .args(["nextest", "run", "--workspace", "--all-targets", "--locked"])
                .current_dir(crate::base::repo_root());
            crate::book::hand_to_browser_test(&mut command)?;
            run_command(&mut with_ci_target(command))
        },
    ),
    (
        "exercises",
        "every solution passes its tests; every starter, wrong attempt and mutant fails them",
        || crate::exercise::check(&[]),
    ),
    (
        "quizzes",
        "every quiz key proven by compiling or running its code",
        crate::quiz::check_all,
    ),
    (
        "valgrind",
        "safe-ffi tests under valgrind (no leak, no invalid access)",
        || {
            let mut command = with_ci_target(cargo(&[
                "test",
                "--locked",
                "--package",
                "safe-ffi",
                "--lib",
                "--",
                "--test-threads=1",
            ]));
            command.env(
                "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER",
                "valgrind -q --error-exitcode=1 --leak-check=full \
             --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect",
            );
            run_command(&mut command)
        },
    ),
    (
        "snippets",
        "snippets on the book's pages (doctests)",
        || {
            run_command(&mut with_ci_target(cargo(&[
                "test",
                "--workspace",
                "--doc",
                "--locked",
            ])))
        },
    ),
    (
        "firmware",
        "Embassy firmware for its Cortex-M4F (the crate's `targets`)",
        || {
            let workspace = book_model::crates::Workspace::read(&crate::base::repo_root())?;
            for target in &workspace.example("embassy-blinky")?.targets {
                lint_and_build_for_target(
                    target,
                    &[
                        "--package",
                        "embassy-blinky",
                        "--bin",
                        "firmware",
                        "--features",
                        "firmware",
                    ],
                )?;
            }
            Ok(())
        },
    ),
    (
        "wasm-build",
        "image filters for WebAssembly (wasm32-unknown-unknown)",
        || {
            lint_and_build_for_target(
                "wasm32-unknown-unknown",
                &["--package", "wasm-image", "--lib"],
            )
        },
    ),
    (
        "wasm-tests",
        "WebAssembly tests in Node.js, headless Chromium and headless Firefox",
        || {
            tools::binary("wasm-bindgen-cli")?;
            let geckodriver = tools::binary("geckodriver")?;
            // wasm-bindgen-test-runner picks the browser from the driver named in
            // the environment; the banner it prints proves which one ran.
            let engines = [
                // Node.js is the default and prints no banner.
                ("Node.js", None, ""),
                (
                    "Chromium",
                    Some(("CHROMEDRIVER", "/usr/bin/chromedriver".into())),
                    "tests in Chrome",
                ),
                (
                    "Firefox",
                    Some(("GECKODRIVER", geckodriver)),
                    "tests in Firefox",
                ),
            ];
            for (engine, driver, banner) in engines {
                println!("--- {engine}");
                let mut command = wasm_test("web");
                if let Some((variable, path)) = driver {
                    command
                        .env("WASM_BINDGEN_USE_BROWSER", "1")
                        .env(variable, path);
                }
                run_counting_tests(&mut command, wasm_test_count()?, banner)?;
            }
            // Growing the memory to 4 GiB takes seconds in Node.js and Firefox;
            // Chromium, the demo's engine, runs the out-of-memory test.
            println!("--- Chromium: out of memory");
            let mut command = wasm_test("memory");
            command
                .env("WASM_BINDGEN_USE_BROWSER", "1")
                .env("CHROMEDRIVER", "/usr/bin/chromedriver");
            run_counting_tests(&mut command, 1, "tests in Chrome")?;
            Ok(())
        },
    ),
    (
        "wasm-pack",
        "wasm-pack build, as the WebAssembly chapter shows it",
        crate::wasm::wasm_pack_build,
    ),
    (
        "wasm-languages",
        "the filters in C, AssemblyScript and Go give Rust's bytes (Node.js)",
        crate::languages::check,
    ),
    ("typos", "spelling (typos)", || {
        let typos = tools::binary("typos-cli")?;
        run_command(Command::new(typos).args([
            "src",
            "examples",
            "xtask",
            "tests",
            "README.md",
            "CONTRIBUTING.md",
        ]))
    }),
];

/// The table of steps in CONTRIBUTING.md, between `<!-- steps -->` and `<!-- /steps -->`.
#[cfg(test)]
fn contributing_table() -> String {
    let mut table = String::from("| Step | What it checks |\n|---|---|\n");
    for (name, title, _) in STEPS {
        table.push_str(&format!("| `{name}` | {title} |\n"));
    }
    table
}

/// `cargo xtask ci [--list | NAME...]`: every step, the steps named, or their names.
pub fn ci(args: &[String]) -> Result<()> {
    if args == ["--list"] {
        STEPS.iter().for_each(|(name, ..)| println!("{name}"));
        return Ok(());
    }
    let chosen: Vec<&Step> = if args.is_empty() {
        STEPS.iter().collect()
    } else {
        let mut chosen = Vec::new();
        for arg in args {
            match STEPS.iter().find(|(name, ..)| name == arg) {
                Some(step) => chosen.push(step),
                None => {
                    anyhow::bail!("no CI step is named `{arg}`; `cargo xtask ci --list` lists them")
                }
            }
        }
        chosen
    };
    let started = Instant::now();
    let mut passed = 0;
    for (name, title, work) in chosen {
        if let Err(error) = step(&format!("{name}: {title}"), work) {
            println!("\nci: {passed} passed, 1 failed (rerun it: cargo xtask ci {name})");
            return Err(error);
        }
        passed += 1;
    }
    println!(
        "\nci: all {passed} steps passed in {:.0} s\n{passed} passed, 0 failed",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Rewrites captured outputs (`BLESS=1`) and compiler errors (`TRYBUILD=overwrite`)
/// from real runs. Review the result with `git diff` before committing it.
pub fn bless() -> Result<()> {
    step(
        "rerun every example and compile-fail case, keeping what they print",
        || {
            let mut command = with_ci_target(cargo(&["test", "--workspace", "--all-targets"]));
            command.env("BLESS", "1").env("TRYBUILD", "overwrite");
            run_command(&mut command)
        },
    )?;
    println!("\nReview the changes with `git diff examples/` before committing them.");
    Ok(())
}

/// `cargo test` of one of wasm-image's test files, compiled to WebAssembly and run by
/// wasm-bindgen's runner (Node.js unless the environment names a browser driver).
fn wasm_test(file: &str) -> Command {
    with_ci_target(cargo(&[
        "test",
        "--locked",
        "--package",
        "wasm-image",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        file,
    ]))
}

/// How many tests `examples/wasm-image/tests/web.rs` declares. A browser runner that
/// finds no tests can exit successfully, so CI checks that this many ran.
fn wasm_test_count() -> Result<usize> {
    let path = crate::base::repo_root().join("examples/wasm-image/tests/web.rs");
    let source = std::fs::read_to_string(&path)?;
    let count = source
        .lines()
        .filter(|line| line.trim() == "#[wasm_bindgen_test]")
        .count();
    if count == 0 {
        anyhow::bail!("{} declares no #[wasm_bindgen_test]", path.display());
    }
    Ok(count)
}

/// Runs a test command and fails unless it reports at least `expected` passed tests
/// and its output contains `banner` (which names the engine that ran them).
fn run_counting_tests(command: &mut Command, expected: usize, banner: &str) -> Result<()> {
    command.current_dir(crate::base::repo_root());
    println!("$ {}", crate::children::describe(command));
    // Three browsers and Node.js run these in a minute or two; a runner that waits
    // for a browser that never answers must not hang CI until its own time limit.
    let output = crate::children::output(command, std::time::Duration::from_secs(15 * 60))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        anyhow::bail!("the tests failed ({})", output.status);
    }
    let passed: usize = stdout
        .lines()
        .filter_map(|line| line.trim().strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split_whitespace().next()?.parse::<usize>().ok())
        .sum();
    if passed < expected {
        anyhow::bail!("only {passed} tests ran, {expected} expected");
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stdout.contains(banner) && !stderr.contains(banner) {
        anyhow::bail!("the output does not say `{banner}`: the wrong engine ran the tests");
    }
    Ok(())
}

/// Clippy and a release build for a target the workspace-wide steps do not cover
/// (`selection` names the package and target kind).
fn lint_and_build_for_target(target: &str, selection: &[&str]) -> Result<()> {
    let from_source = !tools::has_prebuilt_std(target)?;
    for action in ["clippy", "build"] {
        let mut args = vec![action];
        args.extend(selection);
        args.extend(["--target", target, "--release", "--locked"]);
        let mut command = with_ci_target(cargo(&args));
        if from_source {
            // rustup has no prebuilt `core` for this target and toolchain (1.99.1 ships
            // none for thumbv7em-none-eabihf where the book is built), so Cargo compiles
            // it from the `rust-src` component, as the kernel build does. `-Zbuild-std` is
            // unstable; RUSTC_BOOTSTRAP=1 allows it on a stable toolchain, for this
            // command only.
            command.arg("-Zbuild-std=core").env("RUSTC_BOOTSTRAP", "1");
        }
        if action == "clippy" {
            command.args(["--", "-D", "warnings"]);
        }
        run_command(&mut command)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contributing_lists_the_steps() {
        let root = crate::base::repo_root();
        let contributing = std::fs::read_to_string(root.join("CONTRIBUTING.md")).unwrap();
        let expected = contributing_table();
        assert_eq!(
            book_model::markdown::generated_block(&contributing, "steps"),
            Some(expected.as_str()),
            "CONTRIBUTING.md's table of steps, between <!-- steps --> and <!-- /steps -->, must read:\n{expected}"
        );
    }
}
