//! Networked game-state synchronisation: an authoritative server, two clients, and
//! a deliberately bad network between them.
//!
//! Run it with `cargo run --example netcode`.

pub mod client;
pub mod game;
pub mod link;
pub mod protocol;
pub mod server;
pub mod udp;

use client::{Client, ClientStats};
use link::{LinkQuality, LossyLink};
use server::{Server, ServerStats};

/// Moves datagrams that the lossy link let through to their receiver. In tests the
/// bytes are handed over in memory; the example sends them through UDP sockets.
pub trait Carrier {
    /// `to` is 0 for the server, or a player number. Returns what arrived.
    fn carry(&mut self, to: u16, packets: Vec<Vec<u8>>) -> std::io::Result<Vec<Vec<u8>>>;
}

/// Hands packets over unchanged.
pub struct InMemory;

impl Carrier for InMemory {
    fn carry(&mut self, _to: u16, packets: Vec<Vec<u8>>) -> std::io::Result<Vec<Vec<u8>>> {
        Ok(packets)
    }
}

#[derive(Clone, Copy, Debug)]
pub struct SessionConfig {
    pub seed: u64,
    pub ticks: u32,
    pub bots: u16,
    pub quality: LinkQuality,
    /// How far in the past clients render, in ticks.
    pub interpolation_delay: u32,
    /// Every this many ticks, garbage is sent to everyone.
    pub garbage_every: u32,
    /// Every this many ticks, well-formed packets with a guessed token are sent to
    /// everyone: a forged snapshot from "the server", and forged inputs for player 1.
    pub forged_every: u32,
}

#[derive(Debug)]
pub struct Summary {
    pub server: ServerStats,
    pub clients: Vec<ClientStats>,
    pub dropped_by_link: u64,
    /// Largest distance, in millimetres, between what a client showed and what the
    /// server had at the same tick.
    pub max_divergence_mm: f64,
    /// Whether each client's newest state equals the server's state at that tick.
    pub converged: bool,
    /// How many ticks the clients' newest state trailed the server at the end.
    pub final_lag_ticks: u32,
}

const PLAYERS: u16 = 2;

// ANCHOR: session
/// Runs server and clients in lockstep for `config.ticks` ticks.
pub fn run_session(config: SessionConfig, carrier: &mut impl Carrier) -> std::io::Result<Summary> {
    let mut server = Server::new(PLAYERS, config.bots, config.seed);
    // Each client gets its player's session token, as a connection handshake would.
    let mut clients: Vec<Client> = (1..=PLAYERS)
        .filter_map(|player| Some(Client::new(player, server.token(player)?)))
        .collect();
    // One lossy link per direction and player, each with its own seed.
    let mut downlinks: Vec<LossyLink> = (0..PLAYERS)
        .map(|n| LossyLink::new(config.quality, config.seed * 10 + u64::from(n)))
        .collect();
    let mut uplinks: Vec<LossyLink> = (0..PLAYERS)
        .map(|n| LossyLink::new(config.quality, config.seed * 10 + 5 + u64::from(n)))
        .collect();
    let mut max_divergence: f64 = 0.0;

    for now in 1..=config.ticks {
        // Clients send this tick's input: player 1 walks right, player 2 up.
        for (n, client) in clients.iter_mut().enumerate() {
            let (dx, dy) = if n == 0 { (1, 0) } else { (0, 1) };
            uplinks[n].send(now, client.input_packet(dx, dy));
        }
        for (n, uplink) in uplinks.iter_mut().enumerate() {
            let mut packets = uplink.deliver(now);
            if now % config.garbage_every == 0 {
                packets.push(garbage(now, n));
            }
            if now % config.forged_every == 0 {
                packets.push(forged_inputs(now));
            }
            for packet in carrier.carry(0, packets)? {
                server.receive(&packet);
            }
        }
        // The server steps the game and sends snapshots.
        for (player, snapshot) in server.tick() {
            downlinks[usize::from(player - 1)].send(now, snapshot);
        }
        for (n, client) in clients.iter_mut().enumerate() {
            let mut packets = downlinks[n].deliver(now);
            if now % config.garbage_every == 0 {
                packets.push(garbage(now, n));
            }
            if now % config.forged_every == 0 {
                packets.push(forged_snapshot(now));
            }
            for packet in carrier.carry(client.player, packets)? {
                client.receive(&packet);
            }
            // Compare what the client would draw with the server's truth.
            let render_tick = client
                .latest_tick()
                .unwrap_or(0)
                .saturating_sub(config.interpolation_delay);
            if let (Some(view), Some(truth)) = (
                client.interpolated(render_tick),
                server.state_at(render_tick),
            ) {
                for (id, (x, y)) in view {
                    if let Some(real) = truth.get(&id) {
                        let error = (x - f64::from(real.x))
                            .abs()
                            .max((y - f64::from(real.y)).abs());
                        max_divergence = max_divergence.max(error);
                    }
                }
            }
        }
    }
    // ANCHOR_END: session

    let converged = clients.iter().all(|client| {
        client
            .latest_tick()
            .is_some_and(|tick| client.state_at(tick) == server.state_at(tick))
    });
    let final_lag_ticks = clients
        .iter()
        // Saturating: a client that believed a forged snapshot could be "ahead".
        .map(|client| {
            server
                .tick
                .saturating_sub(client.latest_tick().unwrap_or(0))
        })
        .max()
        .unwrap_or(0);
    Ok(Summary {
        server: server.stats,
        clients: clients.iter().map(|client| client.stats).collect(),
        dropped_by_link: downlinks
            .iter()
            .chain(&uplinks)
            .map(|link| link.dropped)
            .sum(),
        max_divergence_mm: max_divergence,
        converged,
        final_lag_ticks,
    })
}

/// A guess at a session token: 64 random bits are not guessed in a game's lifetime.
fn guessed_token(now: u32) -> protocol::SessionToken {
    u64::from(now).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// A well-formed snapshot from an attacker: far in the future, with everyone moved.
/// A client that believed it would show it and never agree with the server again.
pub fn forged_snapshot(now: u32) -> Vec<u8> {
    protocol::encode(&protocol::Snapshot {
        token: guessed_token(now),
        tick: now + 1_000,
        baseline: None,
        changed: (0..30)
            .map(|id| protocol::EntityState {
                id,
                x: 1_000_000,
                y: -1_000_000,
            })
            .collect(),
        removed: vec![],
    })
}

/// Well-formed inputs for player 1 from an attacker, who wants to steer them.
pub fn forged_inputs(now: u32) -> Vec<u8> {
    protocol::encode(&protocol::ClientPacket {
        player: 1,
        token: guessed_token(now),
        ack: None,
        inputs: (0..8)
            .map(|sequence| protocol::Input {
                sequence: now + sequence,
                dx: -100,
                dy: -100,
            })
            .collect(),
    })
}

/// Bytes that are not a packet: a truncated header, or noise.
fn garbage(now: u32, n: usize) -> Vec<u8> {
    match (now as usize + n) % 3 {
        0 => vec![1],
        1 => vec![1, 0xff, 0xff, 0xff, 0xff, 0xff],
        _ => (0..40).map(|i| (i * 37 + now as usize) as u8).collect(),
    }
}
