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

/// The modules' source files, in `module/`.
pub const SOURCES: [&str; 2] = ["rust_playlist.rs", "rust_fail.rs"];

/// Copies `module/` to a scratch folder (Kbuild writes its objects next to the
/// sources) and runs Kbuild there: `make -C EXTMOD_TREE M=FOLDER`.
pub fn build(kernel: &KernelBuild) -> Result<Modules> {
    build_with(kernel, &[]).map(|(modules, _)| modules)
}

/// Builds the modules with the kernel's Clippy setup (`make CLIPPY=1`, the pinned
/// toolchain's `clippy-driver` in place of `rustc`) and returns what the build printed,
/// warnings included.
pub fn clippy(kernel: &KernelBuild) -> Result<String> {
    let driver = format!("CLIPPY_DRIVER={}", kernel.tools.clippy_driver().display());
    build_with(kernel, &["CLIPPY=1", &driver]).map(|(_, output)| output)
}

fn build_with(kernel: &KernelBuild, extra: &[&str]) -> Result<(Modules, String)> {
    // Removed when `Modules` is dropped, or right here if the build fails.
    let scratch = ScratchDir::new(scratch_path(std::process::id()))?;
    let dir = scratch.path();
    for file in SOURCES.iter().chain(&["Kbuild"]) {
        fs::copy(example_dir().join("module").join(file), dir.join(file))
            .map_err(io(format!("copying module/{file}")))?;
    }
    let output = run(Command::new("make")
        .arg("-C")
        .arg(kernel.extmod_tree())
        .arg(format!("M={}", dir.display()))
        .args(kernel.tools.make_variables())
        .args(extra))?;
    let modules = Modules {
        playlist: dir.join("rust_playlist.ko"),
        fail: dir.join("rust_fail.ko"),
        scratch,
    };
    Ok((modules, output))
}

/// Checks the modules' formatting as `make rustfmtcheck` does for the kernel's own
/// Rust: the pinned rustfmt with the kernel tree's `.rustfmt.toml`. Returns rustfmt's
/// diff, empty when the formatting is right.
pub fn rustfmt_check(kernel: &KernelBuild) -> Result<String> {
    let mut command = Command::new(kernel.tools.rustfmt());
    command
        .args(["--check", "--color", "never"])
        .arg("--config-path")
        .arg(kernel.extmod_tree().join(".rustfmt.toml"))
        .args(SOURCES.map(|file| example_dir().join("module").join(file)));
    match run(&mut command) {
        Ok(_) => Ok(String::new()),
        Err(crate::Error::Command { output, .. }) => Ok(output),
        Err(error) => Err(error),
    }
}

/// The scratch folder of the run with process id `pid`.
pub fn scratch_path(pid: u32) -> PathBuf {
    std::env::temp_dir().join(format!("rust-in-2026-module-{pid}"))
}
