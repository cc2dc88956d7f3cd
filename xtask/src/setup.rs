//! `cargo xtask setup`: everything the book needs besides Rust itself, installed
//! once: the pinned tools (cargo and npm), the Rust targets and components that
//! `rust-toolchain.toml` names, and the Debian packages the crates' `needs` list.

use std::process::Command;

use anyhow::{Result, bail};
use book_model::crates::{self, Workspace};

use crate::base::{repo_root, run_command, step};
use crate::tools;

/// Installs all pinned tools and system packages. Fast when everything is cached.
pub fn setup() -> Result<()> {
    tools::install_tools()?;
    tools::wasm_opt()?;
    tools::axe_core_script()?;
    tools::ace_script()?;
    tools::asc()?;
    tools::install_rust_targets()?;
    install_apt_packages()
}

/// Installs the Debian packages that the crates' `needs` name and that are missing.
/// Written for Debian 12 (bookworm): other distributions name packages differently,
/// so without apt-get it prints what to install and which chapters need it.
fn install_apt_packages() -> Result<()> {
    let mut missing: Vec<(String, String)> = Vec::new(); // (package, who needs it)
    for krate in Workspace::read(&repo_root())?.book_crates() {
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
            if !crates::is_present("apt-get") {
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
