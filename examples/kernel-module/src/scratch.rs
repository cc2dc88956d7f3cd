//! Scratch folders that are removed on every way out: success, an error returned with
//! `?`, a signal (see `interrupt.rs`), or a panic as it unwinds.

use std::fs;
use std::path::{Path, PathBuf};

use crate::{Result, io};

pub struct ScratchDir(PathBuf);

impl ScratchDir {
    /// Creates an empty folder at `path`, removing what an earlier, killed run left.
    pub fn new(path: PathBuf) -> Result<Self> {
        if path.exists() {
            fs::remove_dir_all(&path).map_err(io(format!("removing {}", path.display())))?;
        }
        fs::create_dir_all(&path).map_err(io(format!("creating {}", path.display())))?;
        Ok(Self(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        // A destructor cannot return an error; say so rather than stay silent.
        if let Err(error) = fs::remove_dir_all(&self.0) {
            eprintln!("warning: could not remove {}: {error}", self.0.display());
        }
    }
}
