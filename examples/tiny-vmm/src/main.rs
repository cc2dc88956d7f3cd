//! `cargo run --example tiny-vmm`: runs a few bytes of x86 code in a KVM virtual
//! machine and prints what the guest wrote to its serial port, then shows how the
//! VMM stops guests that misbehave.
//!
//! Shown in the chapter "Cloud infrastructure" (`src/cloud-infrastructure/index.md`).

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Parser;
use tiny_vmm::{guests, run_guest};

/// The example takes no arguments; `--help` says what it does.
#[derive(Parser)]
#[command(about)]
struct Cli {}

fn main() -> ExitCode {
    let Cli {} = Cli::parse();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The error and its causes on one line.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let run = run_guest(&guests::hello(), Duration::from_secs(5)).context("running the guest")?;
    print!("guest: {}", run.output);
    println!("VM exits: {} (one per byte written, then HLT)", run.exits);

    println!("\nGuests that misbehave are stopped with an error:");
    type Program = fn() -> Vec<u8>;
    let bad_guests: [(&str, Program); 3] = [
        ("endless loop", guests::endless_loop),
        ("write outside RAM", guests::touch_missing_memory),
        ("unknown I/O port", guests::unknown_port),
    ];
    for (name, program) in bad_guests {
        match run_guest(&program(), Duration::from_millis(500)) {
            Ok(run) => println!("  {name}: halted after {} exits", run.exits),
            Err(error) => println!("  {name}: {error}"),
        }
    }
    Ok(())
}
