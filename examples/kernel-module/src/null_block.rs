//! `cargo run --example null-block` boots the chapter's Linux 6.12 with both of its
//! null block drivers built in: `null_blk`, written in C, and `rnull`, its port to Rust
//! (`drivers/block/rnull.rs`). The guest prints the results of the kernel's own Rust
//! tests (KUnit), shows the two devices, reads through the block layer, then times
//! 4 KiB random reads on each device, interleaved, for `--rounds` rounds.
//!
//! `-- --rounds 0` only boots and shows; `-- --table FILE` writes the comparison as
//! the Markdown table the chapter includes (`cargo xtask bench-report null-block`).
//!
//! Shown in the chapter "Rust in the Linux kernel" (`src/linux-kernel/index.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;
use kernel_module::guest::{self, Accelerator};
use kernel_module::{block, interrupt, kernel};

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

/// Boots Linux with the C and the Rust null block drivers and compares them.
#[derive(Parser)]
struct Cli {
    /// Rounds of reads on each device (0: boot, show the devices, measure nothing)
    #[arg(long, default_value_t = 5)]
    rounds: u32,
    /// Reads per device and round (CPU time is counted in 10 ms ticks, so many)
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..))]
    ops: u32,
    /// Try hardware virtualisation first (falls back to emulation)
    #[arg(long)]
    kvm: bool,
    /// Write the comparison to FILE as a Markdown table, with how it was measured
    #[arg(long, value_name = "FILE")]
    table: Option<PathBuf>,
}

fn run() -> Result<()> {
    let cli = Cli::parse();
    interrupt::install_handler()?;
    let kernel = kernel::ensure_built().context("building the kernel")?;
    // Software emulation (TCG) by default: it works everywhere, and both drivers run
    // under the same emulated CPU. With `--kvm`, the host's CPU runs the guest.
    let (report, accelerator) = guest::kvm_or_emulation(cli.kvm, |accelerator| {
        block::measure(&kernel, accelerator, cli.rounds, cli.ops)
    })
    .context("running the drivers in the guest")?;
    println!("{}", report.steps);
    if report.kunit.fail > 0 || report.kunit.total == 0 {
        bail!(
            "the kernel's Rust tests did not all pass: {:?}",
            report.kunit
        );
    }
    if cli.rounds == 0 {
        return Ok(());
    }
    let table = block::table(&report.samples).context("no result for one of the drivers")?;
    println!("\n{table}");
    if let Some(path) = cli.table {
        let how = format!(
            "*Measured with `cargo run --release --example null-block -- --rounds {} --ops {}`: \
             medians over the rounds, each round reading {} random 4 KiB blocks from each \
             device with `O_DIRECT`, one at a time, the order alternating; the ratio is taken \
             in each round. Guest CPU: QEMU with {}.*\n",
            cli.rounds,
            cli.ops,
            cli.ops,
            match accelerator {
                Accelerator::Kvm => "KVM (the host's CPU runs the guest)",
                Accelerator::Tcg => "TCG (software emulation: only the ratio means much)",
            }
        );
        std::fs::write(&path, format!("{table}\n{how}"))
            .with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
