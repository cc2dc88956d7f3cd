//! `cargo run --example safe-ffi`: the safe wrapper around `c/playlist.c` in use,
//! including the errors that bad input produces.
//!
//! Shown in the chapter "Rust in the Linux kernel" (`src/linux-kernel/index.md`).

use std::ops::ControlFlow;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use safe_ffi::Playlist;

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
    let mut playlist = Playlist::new(3).context("creating the playlist")?;
    for (title, seconds) in [("Clair de Lune", 300), ("Gymnopédie No. 1", 185)] {
        playlist
            .add(title, seconds)
            .with_context(|| format!("adding {title:?}"))?;
    }

    // Bad input comes back as a typed error, never as undefined behaviour.
    for title in ["", "a\0b", &"x".repeat(65)] {
        if let Err(error) = playlist.add(title, 1) {
            println!("rejected {}: {error}", describe(title));
        }
    }

    println!("{} tracks:", playlist.len());
    playlist.for_each(|title, seconds| {
        println!(
            "  {}:{:02}  {}",
            seconds / 60,
            seconds % 60,
            title.to_string_lossy()
        );
        ControlFlow::Continue(())
    });
    Ok(())
}

/// A rejected title as the example prints it: quoted, with its length in bytes, which
/// is what the length rule is about. A long title is cut to its first characters, and
/// the line says so, so that the cut is not mistaken for the title itself.
fn describe(title: &str) -> String {
    const SHOWN: usize = 12;
    let bytes = title.len();
    if title.chars().count() <= SHOWN {
        format!("{title:?} ({bytes} bytes)")
    } else {
        let start: String = title.chars().take(SHOWN).collect();
        format!("{start:?}… ({bytes} bytes, shortened here)")
    }
}
