//! Pinned tools, installed once per version into a cache outside the repository.
//!
//! `cargo install --locked` builds each tool from crates.io with the versions its
//! authors tested. That takes minutes, so the result is kept in
//! `$XDG_CACHE_HOME/rust-in-2026/tools/NAME-VERSION` (or under `$RUST_IN_2026_CACHE`)
//! and a fresh clone on the same machine finds it there.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use book_model::crates::{self, Workspace};

use crate::{run_command, step};

pub use book_model::pins::{TOOLS, Tool};

/// Whether rustup has installed the standard library of `target` for the pinned
/// toolchain, or can: the Embassy firmware's target (thumbv7em-none-eabihf) is
/// tried, and when rustup has no prebuilt library for it, its `core` is compiled from
/// source instead (see `ci::lint_and_build_for_target`).
pub fn has_prebuilt_std(target: &str) -> Result<bool> {
    let listed = |args: &[&str]| -> Result<bool> {
        let output = Command::new("rustup")
            .args(args)
            .current_dir(crate::repo_root())
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
    // A scoped package, `@scope/name`, gets the folder `scope-name-VERSION`.
    let folder = package.trim_start_matches('@').replace('/', "-");
    let prefix = cache_dir()
        .join("tools")
        .join(format!("{folder}-{version}"));
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

/// Where cached artefacts live: `$RUST_IN_2026_CACHE`, else `$XDG_CACHE_HOME/rust-in-2026`,
/// else `~/.cache/rust-in-2026`. The kernel example follows the same rule itself
/// (`kernel_module::cache_dir`, which a learner reads without xtask) to find the kernel
/// build and bindgen there; xtask depends on no example crate.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RUST_IN_2026_CACHE") {
        return dir.into();
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("rust-in-2026")
}

/// Where a pinned tool is installed: `tools/PACKAGE-VERSION` in the cache.
fn tool_root(tool: &Tool) -> PathBuf {
    cache_dir()
        .join("tools")
        .join(format!("{}-{}", tool.package, tool.version))
}

fn bin_dir(tool: &Tool) -> PathBuf {
    tool_root(tool).join("bin")
}

/// Where the pinned version of a tool is: in the cache, or on `PATH` if the program
/// there says it is exactly that version (some machines come with a tool installed).
fn installed_path(tool: &Tool) -> Option<PathBuf> {
    let cached = bin_dir(tool).join(tool.binary);
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

/// Puts every pinned tool's `bin` folder in front of `PATH` for `command`.
pub fn add_to_path(command: &mut Command) {
    let mut dirs: Vec<PathBuf> = TOOLS.iter().map(bin_dir).collect();
    dirs.push(crate::wasm::binaryen_bin_dir());
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    if let Ok(joined) = std::env::join_paths(dirs) {
        command.env("PATH", joined);
    }
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

/// Installs all pinned tools and system packages. Fast when everything is cached.
pub fn setup() -> Result<()> {
    install_tools()?;
    crate::wasm::wasm_opt()?;
    crate::axe::install()?;
    crate::editions::install_ace()?;
    install_rust_targets()?;
    install_apt_packages()
}

/// rust-toolchain.toml lists the targets and components, but rustup adds them only
/// when it installs the toolchain itself; an existing toolchain may lack them.
pub fn install_rust_targets() -> Result<()> {
    let pinned = book_model::lockfile::pinned_toolchain(&crate::repo_root())?;
    for (kind, wanted) in [
        ("target", &pinned.targets),
        ("component", &pinned.components),
    ] {
        let installed = Command::new("rustup")
            .args([kind, "list", "--installed"])
            .current_dir(crate::repo_root())
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
    cache_dir().join("tools").join("build")
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
        command.arg("--root").arg(tool_root(tool));
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

/// Installs the Debian packages that the crates' `needs` name and that are missing.
/// Written for Debian 12 (bookworm): other distributions name packages differently,
/// so without apt-get it prints what to install and which chapters need it.
fn install_apt_packages() -> Result<()> {
    let mut missing: Vec<(String, String)> = Vec::new(); // (package, who needs it)
    for krate in Workspace::read(&crate::repo_root())?.book_crates() {
        for need in &krate.needs {
            let Some(package) = &need.debian else {
                continue;
            };
            if crates::is_present(&need.provides) {
                continue;
            }
            let who = match &krate.chapter {
                Some(chapter) => format!("examples/{} ({chapter})", krate.name),
                None => "the book's own tests".to_owned(),
            };
            match missing.iter_mut().find(|(name, _)| name == package) {
                Some((_, users)) => {
                    users.push_str(", ");
                    users.push_str(&who);
                }
                None => missing.push((package.clone(), who)),
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|(name, _)| name.as_str()).collect();
    step(
        &format!("install Debian packages: {}", names.join(" ")),
        || {
            if !on_path("apt-get") {
                let list: Vec<String> = missing
                    .iter()
                    .map(|(name, who)| format!("  {name}  (for {who})"))
                    .collect();
                bail!(
                    "no apt-get here; install these with your system's package manager \
                 (Debian 12 names; yours may differ):\n{}",
                    list.join("\n")
                );
            }
            // Root installs directly; anyone else (a GitHub runner, a laptop) goes through sudo.
            let is_root = Command::new("id")
                .arg("-u")
                .output()
                .is_ok_and(|out| out.stdout.starts_with(b"0"));
            let apt = |args: &[&str]| {
                let mut command = if is_root {
                    Command::new("apt-get")
                } else {
                    let mut sudo = Command::new("sudo");
                    sudo.arg("apt-get");
                    sudo
                };
                command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
                command
            };
            run_command(&mut apt(&["update", "-q"]))?;
            let mut install = apt(&["install", "-q", "-y", "--no-install-recommends"]);
            run_command(install.args(&names))
        },
    )
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}
