//! The WebAssembly chapter: builds the filters for `wasm32`, runs `wasm-bindgen` for
//! the JavaScript glue and `wasm-opt` to optimise, and puts the result where mdBook
//! copies it into the rendered chapter (`src/webassembly/pkg/`, not committed).
//! `cargo xtask wasm-size` prints what each step does to the module's size.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{cargo, repo_root, step, tools};

/// binaryen from npm: Debian's binaryen 108 produces modules that current
/// wasm-bindgen glue fails to instantiate.
const BINARYEN: &str = "132.0.0";
/// The gzipped, size-optimised module must stay under this many bytes. It is set a
/// little above what the filters measure, so that growth is noticed.
const GZIPPED_BUDGET: u64 = 12_000;

pub fn build_demo() -> Result<()> {
    step(
        "build the WebAssembly demo (cargo build, wasm-bindgen, wasm-opt -O3)",
        || {
            let out = repo_root().join("src/webassembly/pkg");
            let glued = bindgen(&release_module()?, &out)?;
            optimise("-O3", &glued, &glued)
        },
    )
}

/// Prints the module's size after each step, and fails over the budget.
pub fn print_sizes() -> Result<()> {
    let release = release_module()?;
    let scratch = repo_root().join("target/book-wasm/sizes");
    let glued = bindgen(&release, &scratch)?;
    let fast = scratch.join("o3.wasm");
    let small = scratch.join("oz.wasm");
    optimise("-O3", &glued, &fast)?;
    optimise("-Oz", &glued, &small)?;
    let gzipped = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(&small)
        .output()
        .context("running gzip")?;

    let size = |path: &Path| std::fs::metadata(path).map(|m| m.len());
    let rows = [
        (
            "cargo build --release (wasm32-unknown-unknown)",
            size(&release)?,
        ),
        ("after wasm-bindgen", size(&glued)?),
        ("after wasm-opt -O3 (what the demo loads)", size(&fast)?),
        ("after wasm-opt -Oz", size(&small)?),
        ("the -Oz module, gzip -9", gzipped.stdout.len() as u64),
    ];
    for (what, bytes) in rows {
        println!("{what:<48} {bytes:>7} bytes");
    }
    let compressed = gzipped.stdout.len() as u64;
    println!("budget for the gzipped module: {GZIPPED_BUDGET} bytes");
    if compressed > GZIPPED_BUDGET {
        bail!(
            "the gzipped module grew to {compressed} bytes, over the {GZIPPED_BUDGET}-byte budget"
        );
    }
    Ok(())
}

/// `wasm-bindgen --target web`: an ES module the page imports directly (no bundler)
/// and the module it loads, written to `out`. Returns the path of that module.
fn bindgen(release: &Path, out: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(out)?;
    run_quietly(
        Command::new(tools::binary("wasm-bindgen-cli")?)
            .arg(release)
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(out),
    )?;
    Ok(out.join("wasm_image_bg.wasm"))
}

/// binaryen's optimiser at `level` (`-O3` for speed, `-Oz` for size).
fn optimise(level: &str, input: &Path, output: &Path) -> Result<()> {
    run_quietly(
        Command::new(wasm_opt()?)
            .arg(level)
            .arg(input)
            .arg("-o")
            .arg(output),
    )
}

/// `cargo build --release` of the filters for wasm32, in a target folder of its own
/// (the book's build must not depend on where CARGO_TARGET_DIR points).
fn release_module() -> Result<PathBuf> {
    let target_dir = repo_root().join("target/book-wasm");
    run_quietly(
        cargo(&[
            "build",
            "--quiet",
            "--package",
            "wasm-image",
            "--lib",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .env("CARGO_TARGET_DIR", &target_dir),
    )?;
    Ok(target_dir.join("wasm32-unknown-unknown/release/wasm_image.wasm"))
}

/// binaryen's `wasm-opt`, installed from npm into the tools cache on first use
/// (quietly: `cargo xtask wasm-size` prints only sizes, and its output is compared).
pub fn wasm_opt() -> Result<PathBuf> {
    let prefix = tools::cache_dir()
        .join("tools")
        .join(format!("binaryen-{BINARYEN}"));
    let binary = prefix.join("node_modules/.bin/wasm-opt");
    if !binary.is_file() {
        run_quietly(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&prefix)
                .arg(format!("binaryen@{BINARYEN}")),
        )?;
    }
    Ok(binary)
}

/// Runs a command, keeping its output unless it fails.
fn run_quietly(command: &mut Command) -> Result<()> {
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
