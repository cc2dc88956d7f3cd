//! `cargo run --example netcode`: a server and two clients exchange snapshots and
//! inputs through real UDP sockets on 127.0.0.1, for three seconds at 60 ticks per
//! second and half a second more for the last inputs, with a lossy link in between,
//! and print what happened.
//!
//! Server and clients run in lockstep in one process, so the output is the same on
//! every run: the losses come from a seeded random generator, not from the machine.
//! The session tokens are random, and nothing printed depends on them.
//!
//! Shown in the chapter "Game engines" (`src/game-engines/index.md`).

use anyhow::{Context, Result, bail};
use clap::Parser;
use netcode::link::LinkQuality;
use netcode::udp::Udp;
use netcode::{SETTLE_TICKS, SessionConfig, run_session};
use std::process::ExitCode;

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
    let config = SessionConfig {
        seed: 2026,
        ticks: 180,
        bots: 20,
        quality: LinkQuality {
            drop: 0.10,
            duplicate: 0.05,
            max_delay_ticks: 3,
        },
        interpolation_delay: 3,
        garbage_every: 30,
        forged_every: 45,
    };
    let mut udp = Udp::bind(2).context("binding UDP sockets on 127.0.0.1")?;
    let summary = run_session(config, &mut udp).context("running the session over UDP")?;

    let server = summary.server;
    let saved = 100.0 * (1.0 - server.bytes_sent as f64 / server.bytes_if_full as f64);
    println!(
        "{} ticks of play and {SETTLE_TICKS} to settle, 2 players, {} bots, link: 10% loss, \
         5% duplicates, up to 3 ticks delay",
        config.ticks, config.bots
    );
    println!(
        "server: {} snapshots, {} bytes ({} without delta compression, {saved:.0}% saved)",
        server.snapshots_sent, server.bytes_sent, server.bytes_if_full
    );
    let inputs_sent: u32 = summary
        .clients
        .iter()
        .map(|client| client.inputs_sent)
        .sum();
    println!(
        "server: {} of {inputs_sent} inputs applied in order, {} malformed and {} forged \
         packets rejected",
        server.inputs_applied, server.malformed_packets, server.forged_packets
    );
    for (n, client) in summary.clients.iter().enumerate() {
        println!(
            "client {}: {} snapshots applied, {} stale, {} without baseline, {} malformed \
             and {} forged rejected",
            n + 1,
            client.snapshots_applied,
            client.stale,
            client.missing_baseline,
            client.malformed_packets,
            client.forged_packets
        );
    }
    println!(
        "datagrams from unknown addresses dropped: {}",
        udp.strangers
    );
    println!("packets lost by the link: {}", summary.dropped_by_link);
    println!(
        "largest difference between a client's view and the server: {:.1} mm",
        summary.max_divergence_mm
    );
    println!(
        "every input applied, and clients agree exactly with the server at their newest \
         tick: {}",
        summary.converged
    );
    if !summary.divergences.is_empty() {
        let reasons: Vec<String> = summary
            .divergences
            .iter()
            .map(ToString::to_string)
            .collect();
        bail!("the clients did not converge: {}", reasons.join("; "));
    }
    Ok(())
}
