//! Building the out-of-tree modules in `module/` against a cached kernel build.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::kernel::KernelBuild;
use crate::process::run;
use crate::scratch::ScratchDir;
use crate::{Result, example_dir, io};

/// The `.ko` files the build produces, in a scratch folder removed on drop.
pub struct Modules {
    pub playlist: PathBuf,
    pub fail: PathBuf,
    pub scratch: ScratchDir,
}

/// Copies `module/` to a scratch folder (Kbuild writes its objects next to the
/// sources) and runs Kbuild there: `make -C EXTMOD_TREE M=FOLDER`.
pub fn build(kernel: &KernelBuild) -> Result<Modules> {
    // Removed when `Modules` is dropped, or right here if the build fails.
    let scratch = ScratchDir::new(scratch_path(std::process::id()))?;
    let dir = scratch.path();
    for file in ["Kbuild", "rust_playlist.rs", "rust_fail.rs"] {
        fs::copy(example_dir().join("module").join(file), dir.join(file))
            .map_err(io(format!("copying module/{file}")))?;
    }
    run(Command::new("make")
        .arg("-C")
        .arg(kernel.extmod_tree())
        .arg(format!("M={}", dir.display()))
        .args(kernel.tools.make_variables()))?;
    Ok(Modules {
        playlist: dir.join("rust_playlist.ko"),
        fail: dir.join("rust_fail.ko"),
        scratch,
    })
}

/// The scratch folder of the run with process id `pid`.
pub fn scratch_path(pid: u32) -> PathBuf {
    std::env::temp_dir().join(format!("rust-in-2026-module-{pid}"))
}
