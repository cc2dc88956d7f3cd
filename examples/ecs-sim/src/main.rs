//! `cargo run --example ecs-sim`: runs the simulation for ten simulated seconds,
//! twice with the same seed and once with another, and prints what happened.
//!
//! Shown in the chapter "Game engines" (`src/game-engines/index.md`).

use anyhow::{Result, ensure};
use clap::Parser;
use ecs_sim::Simulation;
use std::process::ExitCode;

/// The example takes no arguments; `--help` says what it does.
#[derive(Parser)]
#[command(about)]
struct Cli {}

/// 600 ticks of 1/60 s: ten seconds of simulated time, however long it takes.
const TICKS: u32 = 600;

fn run(seed: u64) -> Simulation {
    let mut simulation = Simulation::new(seed, 1000);
    for _ in 0..TICKS {
        simulation.step();
    }
    simulation
}

fn main() -> ExitCode {
    let Cli {} = Cli::parse();
    match compare_runs() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The error and its causes on one line.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn compare_runs() -> Result<()> {
    let mut first = run(42);
    let stats = first.stats();
    println!("seed 42, {TICKS} ticks of 1/60 s:");
    println!(
        "  spawned {}, expired {}, alive {}",
        stats.spawned,
        stats.expired,
        first.particle_count()
    );
    println!("  wall bounces: {}", stats.bounces);
    println!("  state hash: {:016x}", first.state_hash());

    let again = run(42).state_hash();
    println!("seed 42 again: state hash {again:016x}");
    ensure!(
        again == first.state_hash(),
        "the same seed gave a different state"
    );
    println!("seed 43:       state hash {:016x}", run(43).state_hash());
    Ok(())
}
