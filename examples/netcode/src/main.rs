//! `cargo run --example netcode`: a server and two clients exchange snapshots and
//! inputs through real UDP sockets on 127.0.0.1, for three seconds at 60 ticks per
//! second, with a lossy link in between, and print what happened.
//!
//! Server and clients run in lockstep in one process, so the output is the same on
//! every run: the losses come from a seeded random generator, not from the machine.

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use netcode::link::LinkQuality;
use netcode::{Carrier, SessionConfig, run_session};

const TICK: Duration = Duration::from_micros(16_667);

// ANCHOR: udp
/// Carries each datagram through the operating system's UDP stack: from one socket
/// to the receiver's socket, waiting until every datagram sent has arrived.
struct Udp {
    sender: UdpSocket,
    /// Index 0 is the server, then one socket per player.
    receivers: Vec<UdpSocket>,
    next_tick: Instant,
}

impl Carrier for Udp {
    fn carry(&mut self, to: u16, packets: Vec<Vec<u8>>) -> std::io::Result<Vec<Vec<u8>>> {
        let receiver = &self.receivers[usize::from(to)];
        for packet in &packets {
            self.sender.send_to(packet, receiver.local_addr()?)?;
        }
        let mut buffer = [0; netcode::protocol::MAX_PACKET + 1];
        let mut arrived = Vec::with_capacity(packets.len());
        for _ in &packets {
            let (length, _from) = receiver.recv_from(&mut buffer)?;
            arrived.push(buffer[..length].to_vec());
        }
        if to == 1 {
            // Once per tick (player 1's snapshot delivery), keep to 60 ticks per
            // second, as a game server would.
            std::thread::sleep(self.next_tick.saturating_duration_since(Instant::now()));
            self.next_tick += TICK;
        }
        Ok(arrived)
    }
}
// ANCHOR_END: udp

fn bind() -> Result<UdpSocket> {
    // Loopback only: nothing leaves this machine.
    let socket = UdpSocket::bind("127.0.0.1:0").context("binding a UDP socket on 127.0.0.1")?;
    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    Ok(socket)
}

fn main() -> Result<()> {
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
    };
    let mut udp = Udp {
        sender: bind()?,
        receivers: vec![bind()?, bind()?, bind()?],
        next_tick: Instant::now(),
    };
    let summary = run_session(config, &mut udp).context("running the session over UDP")?;

    let server = summary.server;
    let saved = 100.0 * (1.0 - server.bytes_sent as f64 / server.bytes_if_full as f64);
    println!(
        "{} ticks, 2 players, {} bots, link: 10% loss, 5% duplicates, up to 3 ticks delay",
        config.ticks, config.bots
    );
    println!(
        "server: {} snapshots, {} bytes ({} without delta compression, {saved:.0}% saved)",
        server.snapshots_sent, server.bytes_sent, server.bytes_if_full
    );
    println!(
        "server: {} inputs applied in order, {} malformed packets rejected",
        server.inputs_applied, server.malformed_packets
    );
    for (n, client) in summary.clients.iter().enumerate() {
        println!(
            "client {}: {} snapshots applied, {} stale, {} without baseline, {} malformed rejected",
            n + 1,
            client.snapshots_applied,
            client.stale,
            client.missing_baseline,
            client.malformed_packets
        );
    }
    println!("packets lost by the link: {}", summary.dropped_by_link);
    println!(
        "largest difference between a client's view and the server: {:.1} mm",
        summary.max_divergence_mm
    );
    println!(
        "clients agree exactly with the server at their newest tick: {}",
        summary.converged
    );
    ensure!(
        summary.converged,
        "a client did not converge to the server's state"
    );
    Ok(())
}
