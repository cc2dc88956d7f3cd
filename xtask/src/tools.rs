//! Pinned tools, installed once per version into a cache outside the repository.
//!
//! `cargo install --locked` builds each tool from crates.io with the versions its
//! authors tested. That takes minutes, so the result is kept in
//! `$XDG_CACHE_HOME/rust-in-2026/tools/NAME-VERSION` (or under `$RUST_IN_2026_CACHE`)
//! and a fresh clone on the same machine finds it there.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use book_model::pins::{ACE, ASSEMBLYSCRIPT, AXE_CORE, BINARYEN};

use crate::base::{self, run_command, step};

pub use book_model::pins::{TOOLS, Tool};

/// Whether rustup has installed the standard library of `target` for the pinned
/// toolchain, or can: the Embassy firmware's target (thumbv7em-none-eabihf) is
/// tried, and when rustup has no prebuilt library for it, its `core` is compiled from
/// source instead (see `ci::lint_and_build_for_target`).
pub fn has_prebuilt_std(target: &str) -> Result<bool> {
    let listed = |args: &[&str]| -> Result<bool> {
        let output = Command::new("rustup")
            .args(args)
            .current_dir(base::repo_root())
            .output()
            .context("rustup is needed to list the installed targets")?;
        Ok(String::from_utf8_lossy(&output.stdout)
            .lines()
            .any(|line| line.trim() == target))
    };
    if listed(&["target", "list", "--installed"])? {
        return Ok(true);
    }
    // Offered by rustup for this toolchain (`rustup target list` marks installed ones).
    if !listed(&["target", "list", "--quiet"])? {
        println!(
            "note: rustup offers no standard library for {target} with this toolchain; \
             `core` is compiled from the rust-src component instead"
        );
        return Ok(false);
    }
    run_command(Command::new("rustup").args(["target", "add", target]))?;
    Ok(true)
}

/// A package from the npm registry, pinned, installed into the tools cache
/// (`tools/PACKAGE-VERSION`) the first time; returns that folder. The install is
/// quiet, so that tasks whose output is compared stay the same, and says everything
/// when it fails.
pub fn npm_package(package: &str, version: &str) -> Result<PathBuf> {
    npm_install(package, version, &[])
}

/// Like `npm_package`, without running the install scripts of the package or of its
/// dependencies (`npm install --ignore-scripts`): for packages whose scripts only
/// download what this machine already has, such as Puppeteer's own copy of Chrome
/// (Debian's Chromium is used instead) or Electron's.
pub fn npm_package_without_scripts(package: &str, version: &str) -> Result<PathBuf> {
    npm_install(package, version, &["--ignore-scripts"])
}

fn npm_install(package: &str, version: &str, options: &[&str]) -> Result<PathBuf> {
    let prefix = base::tool_folder(package, version);
    if prefix
        .join("node_modules")
        .join(package)
        .join("package.json")
        .is_file()
    {
        return Ok(prefix);
    }
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund"])
        .args(options)
        .arg("--prefix")
        .arg(&prefix)
        .arg(format!("{package}@{version}"))
        .output()
        .context("running npm (Debian's `npm` package; `cargo xtask setup` installs it)")?;
    if !output.status.success() {
        bail!(
            "npm install {package}@{version} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(prefix)
}

/// Where the pinned version of a tool is: in the cache, or on `PATH` if the program
/// there says it is exactly that version (some machines come with a tool installed).
fn installed_path(tool: &Tool) -> Option<PathBuf> {
    let cached = base::tool_folder(tool.package, tool.version)
        .join("bin")
        .join(tool.binary);
    if cached.is_file() {
        return Some(cached);
    }
    let on_path = std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(tool.binary))
        .find(|path| path.is_file())?;
    let output = Command::new(&on_path).arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&output.stdout);
    version
        .split_whitespace()
        .any(|word| word == tool.version)
        .then_some(on_path)
}

/// The path of a pinned tool's binary, installing it if needed.
pub fn binary(package: &str) -> Result<PathBuf> {
    let tool = TOOLS
        .iter()
        .find(|tool| tool.package == package)
        .with_context(|| format!("{package} is not a pinned tool"))?;
    install(tool)?;
    if !tool.always {
        // An opt-in task's tool is installed on its own, after `setup`'s.
        remove_shared_build_dir()?;
    }
    installed_path(tool).with_context(|| format!("{package} is not where it was installed"))
}

/// Installs the pinned tools every book build and CI run needs (not the examples'
/// packages, and not the tools of opt-in tasks, which install their own).
pub fn install_tools() -> Result<()> {
    TOOLS
        .iter()
        .filter(|tool| tool.always)
        .try_for_each(install)?;
    remove_shared_build_dir()
}

/// Once the tools are installed, the shared build folder is only needed again when a
/// pinned version changes, so it does not stay in the cache.
fn remove_shared_build_dir() -> Result<()> {
    let build = shared_build_dir();
    if build.exists() {
        std::fs::remove_dir_all(&build).with_context(|| format!("removing {}", build.display()))?;
    }
    Ok(())
}

/// One target folder for every `cargo install`: crates that several tools use at the
/// same version and features (syn, serde, clap and many more) are compiled once.
fn shared_build_dir() -> PathBuf {
    base::cache_dir().join("tools").join("build")
}

fn install(tool: &Tool) -> Result<()> {
    if installed_path(tool).is_some() {
        return Ok(());
    }
    let locked = if tool.locked { "--locked" } else { "" };
    let unoptimized = if tool.optimize { "" } else { ", unoptimized" };
    let title = format!(
        "install {} {} (cargo install {locked}{unoptimized}; minutes, once per version)",
        tool.package, tool.version
    );
    step(&title, || {
        let mut command = Command::new("cargo");
        command.arg("install");
        if tool.locked {
            command.arg("--locked");
        }
        command
            .arg("--root")
            .arg(base::tool_folder(tool.package, tool.version));
        command.env("CARGO_TARGET_DIR", shared_build_dir());
        if !tool.optimize {
            // Cargo's configuration overrides the profile in the tool's own manifest.
            command
                .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
                .env("CARGO_PROFILE_RELEASE_LTO", "false");
        }
        run_command(command.args([tool.package, "--version", tool.version]))
    })
}

/// axe-core's script, which the browser test injects into each page.
pub fn axe_core_script() -> Result<PathBuf> {
    let prefix = npm_package("axe-core", AXE_CORE)?;
    file_of(
        prefix,
        "axe-core",
        AXE_CORE,
        "node_modules/axe-core/axe.min.js",
    )
}

/// Ace by DAISY's command-line script. Installed without install scripts: Puppeteer's
/// would download a Chrome, and Debian's Chromium is used instead.
pub fn ace_script() -> Result<PathBuf> {
    let prefix = npm_package_without_scripts("@daisy/ace", ACE)?;
    file_of(
        prefix,
        "@daisy/ace",
        ACE,
        "node_modules/@daisy/ace/bin/ace-puppeteer.js",
    )
}

/// AssemblyScript's compiler, `asc`.
pub fn asc() -> Result<PathBuf> {
    let prefix = npm_package("assemblyscript", ASSEMBLYSCRIPT)?;
    file_of(
        prefix,
        "assemblyscript",
        ASSEMBLYSCRIPT,
        "node_modules/.bin/asc",
    )
}

/// `relative` in an npm package's install folder, which must be there.
fn file_of(prefix: PathBuf, package: &str, version: &str, relative: &str) -> Result<PathBuf> {
    let file = prefix.join(relative);
    if !file.is_file() {
        bail!("npm installed {package} {version} without {relative}");
    }
    Ok(file)
}

/// binaryen's `wasm-opt`. Quietly installed: `cargo xtask wasm-size` prints only
/// sizes, and its output is compared.
pub fn wasm_opt() -> Result<PathBuf> {
    npm_package("binaryen", BINARYEN)?;
    Ok(base::binaryen_bin_dir().join("wasm-opt"))
}

/// rust-toolchain.toml lists the targets and components, but rustup adds them only
/// when it installs the toolchain itself; an existing toolchain may lack them.
pub fn install_rust_targets() -> Result<()> {
    let pinned = book_model::lockfile::pinned_toolchain(&base::repo_root())?;
    for (kind, wanted) in [
        ("target", &pinned.targets),
        ("component", &pinned.components),
    ] {
        let installed = Command::new("rustup")
            .args([kind, "list", "--installed"])
            .current_dir(base::repo_root())
            .output()
            .context("rustup is needed to add targets and components")?;
        let installed = String::from_utf8_lossy(&installed.stdout);
        let missing: Vec<&str> = wanted
            .iter()
            .map(String::as_str)
            .filter(|name| !installed.lines().any(|line| line.trim().starts_with(name)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        step(&format!("rustup {kind} add {}", missing.join(" ")), || {
            run_command(Command::new("rustup").args([kind, "add"]).args(&missing))
        })?;
    }
    Ok(())
}

/// binaryen's optimiser at `level` (`-O3` for speed, `-Oz` for size).
pub fn optimise_wasm(level: &str, input: &Path, output: &Path) -> Result<()> {
    base::run_quietly(
        Command::new(wasm_opt()?)
            .arg(level)
            .arg(input)
            .arg("-o")
            .arg(output),
    )
}
