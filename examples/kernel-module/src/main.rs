//! `cargo run --example kernel-module` builds Linux 6.12 with Rust support (the first
//! time only), builds the Rust modules in `module/` against it, boots it in QEMU, and
//! prints what the guest did: load `rust_playlist`, fail to load `rust_fail`, unload.
//!
//! `-- --build-kernel-only` stops after the kernel build; `-- --kvm` tries hardware
//! virtualisation first (falling back to software emulation if the guest does not
//! boot).
//!
//! Shown in the chapter "Rust in the Linux kernel" (`src/linux-kernel/index.md`).

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Parser;
use kernel_module::guest::{self, Accelerator};
use kernel_module::{interrupt, kernel, modules};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line: the error and its causes, "booting the guest: interrupted ...".
            eprintln!("error: {error:#}");
            ExitCode::from(kernel_module::exit_status(&error))
        }
    }
}

/// Builds Linux 6.12 with Rust (once), builds the Rust modules against it, boots it
/// in QEMU and prints what the guest did.
#[derive(Parser)]
struct Cli {
    /// Stop after the kernel build (CI builds and caches it this way)
    #[arg(long, conflicts_with = "kvm")]
    build_kernel_only: bool,
    /// Try hardware virtualisation first (falls back to emulation)
    #[arg(long)]
    kvm: bool,
}

fn run() -> Result<()> {
    // `--help` and bad arguments are answered before anything starts.
    let Cli {
        build_kernel_only: build_only,
        kvm: try_kvm,
    } = Cli::parse();
    // Ctrl-C or `kill` while QEMU runs: stop QEMU and clean up instead of dying at once.
    interrupt::install_handler()?;

    let kernel = kernel::ensure_built().context("building the kernel")?;
    if build_only {
        println!("The kernel build is ready.");
        return Ok(());
    }
    let modules = modules::build(&kernel).context("building the modules")?;

    // KVM gets 30 s to show it works here; emulation gets two minutes.
    let (log, _) = guest::kvm_or_emulation(try_kvm, |accelerator| {
        let limit = match accelerator {
            Accelerator::Kvm => Duration::from_secs(30),
            Accelerator::Tcg => Duration::from_secs(120),
        };
        guest::boot(&kernel, &modules, accelerator, limit)
    })
    .context("booting the guest")?;

    // Print what the guest's init script did, from its first line to its last.
    let output = guest::script_output(&log).context("the guest never ran /init")?;
    println!("{output}");
    Ok(())
}
