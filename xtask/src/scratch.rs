//! Scratch folders that are removed however the task ends.

use std::path::PathBuf;

/// Removes a folder when dropped: on success, on an error returned with `?`, and on a
/// panic as the stack unwinds.
pub struct RemoveOnDrop(PathBuf);

impl RemoveOnDrop {
    /// Starts from an empty folder at `path`, removing what an interrupted run left.
    pub fn new(path: PathBuf) -> std::io::Result<Self> {
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Err(error) = std::fs::remove_dir_all(&self.0) {
            eprintln!("xtask: could not remove {}: {error}", self.0.display());
        }
    }
}
