//! axe-core, the accessibility engine the browser test runs on every page of the
//! rendered book. It comes from npm, pinned, into the tools cache; the test injects
//! `axe.min.js` into each page itself, so the page asks no other host for it.

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::tools;

/// Pinned with the other tools; xtask hands the script's path to the browser test.
pub use book_model::pins::AXE_CORE;

/// Installs axe-core into the tools cache if it is not there yet; returns its script.
pub fn install() -> Result<PathBuf> {
    let script = tools::npm_package("axe-core", AXE_CORE)?.join(SCRIPT);
    if !script.is_file() {
        bail!("npm installed axe-core {AXE_CORE} without {SCRIPT}");
    }
    Ok(script)
}

/// Where the script is inside the npm prefix.
const SCRIPT: &str = "node_modules/axe-core/axe.min.js";
