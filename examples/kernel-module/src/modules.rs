//! Building the out-of-tree modules in `module/` against a cached kernel build.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::kernel::KernelBuild;
use crate::process::run;
use crate::{Result, example_dir, io};

/// The `.ko` files the build produces, in a scratch folder removed on drop.
pub struct Modules {
    pub playlist: PathBuf,
    pub fail: PathBuf,
    scratch: PathBuf,
}

impl Drop for Modules {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.scratch);
    }
}

/// Copies `module/` to a scratch folder (Kbuild writes its objects next to the
/// sources) and runs Kbuild there: `make -C EXTMOD_TREE M=FOLDER`.
pub fn build(kernel: &KernelBuild) -> Result<Modules> {
    let scratch = std::env::temp_dir().join(format!("rust-in-2026-module-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).map_err(io("creating the module build folder"))?;
    for file in ["Kbuild", "rust_playlist.rs", "rust_fail.rs"] {
        fs::copy(example_dir().join("module").join(file), scratch.join(file))
            .map_err(io(format!("copying module/{file}")))?;
    }
    run(Command::new("make")
        .arg("-C")
        .arg(kernel.extmod_tree())
        .arg(format!("M={}", scratch.display()))
        .args(kernel.tools.make_variables()))?;
    Ok(Modules {
        playlist: scratch.join("rust_playlist.ko"),
        fail: scratch.join("rust_fail.ko"),
        scratch,
    })
}
