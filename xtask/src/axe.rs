//! axe-core, the accessibility engine the browser test runs on every page of the
//! rendered book. It comes from npm, pinned, into the tools cache; the test injects
//! `axe.min.js` into each page itself, so the page asks no other host for it.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{step, tools};

/// The one place its version is written: the test asks `cargo xtask axe-path` for the
/// script, and the book's preprocessor fills in `{{#version axe-core}}` from here.
pub const AXE_CORE: &str = "4.14.1";

/// Installs axe-core into the tools cache if it is not there yet; returns its script.
pub fn install() -> Result<PathBuf> {
    let script = script();
    if script.is_file() {
        return Ok(script);
    }
    let title = format!("install axe-core {AXE_CORE} (npm, once per version)");
    step(&title, || {
        let output = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(prefix())
            .arg(format!("axe-core@{AXE_CORE}"))
            .output()
            .context("running npm (Debian's `npm` package; `cargo xtask setup`)")?;
        if !output.status.success() || !script.is_file() {
            bail!(
                "npm install axe-core@{AXE_CORE} failed:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(script.clone())
    })
}

/// `cargo xtask axe-path`: the script's path, installed if needed, alone on stdout.
pub fn print_path() -> Result<()> {
    let script = script();
    if !script.is_file() {
        // The install prints its step on stdout; the test reads only the last line.
        install()?;
    }
    println!("{}", script.display());
    Ok(())
}

fn prefix() -> PathBuf {
    tools::cache_dir()
        .join("tools")
        .join(format!("axe-core-{AXE_CORE}"))
}

fn script() -> PathBuf {
    prefix().join("node_modules/axe-core/axe.min.js")
}
