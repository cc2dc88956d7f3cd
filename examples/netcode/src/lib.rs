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
use server::{Server, ServerStats, TokenError};

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
    /// Seeds the lossy links, so that every run loses the same packets. (The session
    /// tokens are random on every run.)
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

/// After the last tick with input, the session runs this many more, in which the
/// clients only repeat their recent inputs: the link may have lost or delayed the
/// last ones, and a session that ended at once would leave them unapplied.
pub const SETTLE_TICKS: u32 = 30;

#[derive(Debug)]
pub struct Summary {
    pub server: ServerStats,
    pub clients: Vec<ClientStats>,
    pub dropped_by_link: u64,
    /// Largest distance, in millimetres, between what a client showed and what the
    /// server had at the same tick.
    pub max_divergence_mm: f64,
    /// Every input each client sent was applied, and each client's newest state, from
    /// after the last of them, equals the server's state at that tick. Otherwise
    /// `divergences` says what went wrong.
    pub converged: bool,
    pub divergences: Vec<Divergence>,
    /// How many ticks the clients' newest state trailed the server at the end.
    pub final_lag_ticks: u32,
}

/// Why a client and the server did not end up in agreement.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Divergence {
    #[error("the server applied {applied} of the {sent} inputs player {player} sent")]
    InputsLost {
        player: u16,
        sent: u32,
        applied: u32,
    },
    #[error(
        "client {player} has no snapshot from tick {since} or later, when the server \
         had applied all its inputs"
    )]
    Behind { player: u16, since: u32 },
    #[error("client {player}'s state at tick {tick} differs from the server's")]
    StateDiffers { player: u16, tick: u32 },
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Tokens(#[from] TokenError),
    /// The carrier could not deliver: for UDP, an error from the socket, or the
    /// session's time limit passed.
    #[error(transparent)]
    Carrier(#[from] std::io::Error),
}

const PLAYERS: u16 = 2;

// ANCHOR: session
/// Runs server and clients in lockstep for `config.ticks` ticks, and then
/// `SETTLE_TICKS` more without new input.
pub fn run_session(
    config: SessionConfig,
    carrier: &mut impl Carrier,
) -> Result<Summary, SessionError> {
    let mut server = Server::new(PLAYERS, config.bots)?;
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

    for now in 1..=config.ticks + SETTLE_TICKS {
        // Clients send one packet per tick: player 1 walks right, player 2 up, and
        // after the last tick with input they repeat their recent inputs.
        for (n, client) in clients.iter_mut().enumerate() {
            let packet = if now <= config.ticks {
                let (dx, dy) = if n == 0 { (1, 0) } else { (0, 1) };
                client.input_packet(dx, dy)
            } else {
                client.repeat_packet()
            };
            uplinks[n].send(now, packet);
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

    let divergences: Vec<Divergence> = clients
        .iter()
        .filter_map(|client| divergence(client, &server))
        .collect();
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
        converged: divergences.is_empty(),
        divergences,
        final_lag_ticks,
    })
}

/// Whether `client` ends in agreement with the server. Its newest state equal to the
/// server's is not enough: a client shows whatever the server sends, so it agrees
/// even when the server never applied some of its inputs.
fn divergence(client: &Client, server: &Server) -> Option<Divergence> {
    let player = client.player;
    let progress = server.input_progress(player).unwrap_or_default();
    let sent = client.stats.inputs_sent;
    if progress.applied != sent {
        return Some(Divergence::InputsLost {
            player,
            sent,
            applied: progress.applied,
        });
    }
    let Some(latest) = client
        .latest_tick()
        .filter(|tick| *tick >= progress.since_tick)
    else {
        return Some(Divergence::Behind {
            player,
            since: progress.since_tick,
        });
    };
    (client.state_at(latest) != server.state_at(latest)).then_some(Divergence::StateDiffers {
        player,
        tick: latest,
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
