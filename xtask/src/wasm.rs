//! The WebAssembly chapter: builds the filters for `wasm32`, runs `wasm-bindgen` for
//! the JavaScript glue and `wasm-opt` to optimise, and puts the result where mdBook
//! copies it into the rendered chapter (`src/webassembly/pkg/`, not committed).
//! `cargo xtask wasm-size` prints what each step does to the module's size.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::base::{cargo, repo_root, step};
use crate::tools;
/// The gzipped, size-optimised module must stay under this many bytes. It is set a
/// little above what the module measures (12,936 bytes with the filters, `Picture`
/// and its out-of-memory error, built by Rust 1.99.1), so that growth is noticed.
/// Rust 1.95.0 made it 12,003 bytes: the code section grew with the compiler, and
/// walking pixels with `as_chunks` added about 300 more.
const GZIPPED_BUDGET: u64 = 13_500;

pub fn build_demo() -> Result<()> {
    step(
        "build the WebAssembly demo (cargo build, wasm-bindgen, wasm-opt -O3)",
        || {
            let out = repo_root().join("src/webassembly/pkg");
            let glued = bindgen(&build_module("release")?, &out)?;
            tools::optimise_wasm("-O3", &glued, &glued)
        },
    )
}

/// Prints the module's size after each step, for the release profile and for the
/// size-tuned `wasm-small` profile (root Cargo.toml), and fails over the budget.
pub fn print_sizes() -> Result<()> {
    let columns = [sizes("release")?, sizes("wasm-small")?];
    println!("{:<40} {:>9} {:>12}", "bytes", "release", "wasm-small");
    let steps = [
        "cargo build (wasm32-unknown-unknown)",
        "after wasm-bindgen",
        "after wasm-opt -O3",
        "after wasm-opt -Oz",
        "the -Oz module, gzip -9",
    ];
    for (row, step) in steps.iter().enumerate() {
        println!("{step:<40} {:>9} {:>12}", columns[0][row], columns[1][row]);
    }
    let compressed = columns[0][4];
    println!("budget for the gzipped release module: {GZIPPED_BUDGET} bytes");
    if compressed > GZIPPED_BUDGET {
        bail!(
            "the gzipped module grew to {compressed} bytes, over the {GZIPPED_BUDGET}-byte budget"
        );
    }
    Ok(())
}

/// The module's size after each step of the demo's build, built with `profile`.
fn sizes(profile: &str) -> Result<[u64; 5]> {
    let built = build_module(profile)?;
    let scratch = repo_root().join("target/book-wasm/sizes").join(profile);
    let glued = bindgen(&built, &scratch)?;
    let fast = scratch.join("o3.wasm");
    let small = scratch.join("oz.wasm");
    tools::optimise_wasm("-O3", &glued, &fast)?;
    tools::optimise_wasm("-Oz", &glued, &small)?;
    let gzipped = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(&small)
        .output()
        .context("running gzip")?;
    let size = |path: &Path| std::fs::metadata(path).map(|m| m.len());
    Ok([
        size(&built)?,
        size(&glued)?,
        size(&fast)?,
        size(&small)?,
        gzipped.stdout.len() as u64,
    ])
}

/// The wasm-pack workflow the chapter shows, exactly as shown. `--mode no-install`
/// makes wasm-pack use the pinned `wasm-bindgen` and `wasm-opt` (put first on PATH)
/// instead of downloading its own, so it works offline.
pub fn wasm_pack_build() -> Result<()> {
    let wasm_pack = tools::binary("wasm-pack")?;
    tools::binary("wasm-bindgen-cli")?;
    let mut command = Command::new(wasm_pack);
    command.args([
        "build",
        "examples/wasm-image",
        "--target",
        "web",
        "--mode",
        "no-install",
    ]);
    tools::wasm_opt()?;
    crate::base::add_to_path(&mut command);
    crate::base::run_command(&mut command)?;
    let pkg = repo_root().join("examples/wasm-image/pkg");
    for file in ["package.json", "wasm_image.js", "wasm_image_bg.wasm"] {
        if !pkg.join(file).is_file() {
            bail!("wasm-pack did not write {}", pkg.join(file).display());
        }
    }
    Ok(())
}

/// `wasm-bindgen --target web`: an ES module the page imports directly (no bundler)
/// and the module it loads, written to `out`. Returns the path of that module.
fn bindgen(release: &Path, out: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(out)?;
    crate::base::run_quietly(
        Command::new(tools::binary("wasm-bindgen-cli")?)
            .arg(release)
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(out),
    )?;
    Ok(out.join("wasm_image_bg.wasm"))
}

/// The module with the `sha256` export (not the page's), with its glue, in `out`.
pub fn build_digest_module(out: &Path) -> Result<()> {
    let module = build_module_with("release", &["--features", "sha256"], "book-wasm-sha256")?;
    let glued = bindgen(&module, out)?;
    tools::optimise_wasm("-O3", &glued, &glued)
}

/// `cargo build --profile PROFILE` of the filters for wasm32, in a target folder of
/// its own (the book's build must not depend on where CARGO_TARGET_DIR points).
fn build_module(profile: &str) -> Result<PathBuf> {
    build_module_with(profile, &[], "book-wasm")
}

fn build_module_with(profile: &str, options: &[&str], folder: &str) -> Result<PathBuf> {
    let target_dir = repo_root().join("target").join(folder);
    crate::base::run_quietly(
        cargo(&[
            "build",
            "--quiet",
            "--package",
            "wasm-image",
            "--lib",
            "--profile",
            profile,
            "--target",
            "wasm32-unknown-unknown",
        ])
        .args(options)
        .env("CARGO_TARGET_DIR", &target_dir),
    )?;
    Ok(target_dir
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join("wasm_image.wasm"))
}
