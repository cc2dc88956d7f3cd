//! `cargo run --example rust-vs-c` blurs a test image with the safe Rust box blur and
//! with the C one (at -O2 and -O3) and checks that every pixel agrees.
//! For timings, run `cargo xtask bench-report rust-vs-c`.
//!
//! Shown in the chapter "Memory safety without a garbage collector" (`src/memory-safety/index.md`).

use anyhow::{Context, Result, ensure};
use clap::Parser;
use rust_vs_c::{GrayImage, box_blur, c};
use std::process::ExitCode;

/// The example takes no arguments; `--help` says what it does.
#[derive(Parser)]
#[command(about)]
struct Cli {}

fn main() -> ExitCode {
    let Cli {} = Cli::parse();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The error and its causes on one line.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let image = GrayImage::test_pattern(1920, 1080).context("building the test image")?;
    println!(
        "Test image: {}×{} pixels, checksum {:016x}",
        image.width(),
        image.height(),
        image.checksum()
    );

    let rust = box_blur(&image);
    let versions = [
        ("safe Rust", rust.clone()),
        ("C -O2", c::box_blur_o2(&image)),
        ("C -O3", c::box_blur_o3(&image)),
    ];
    for (name, blurred) in &versions {
        println!("{name:>9}: checksum {:016x}", blurred.checksum());
        ensure!(*blurred == rust, "{name} disagrees with the Rust box blur");
    }
    println!("All three agree on every pixel.");
    Ok(())
}
