//! The authoritative server: applies inputs in sequence, steps the game, and sends
//! each player a snapshot, delta-compressed against what that player acknowledged.

use std::collections::BTreeMap;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::game::{Game, State};
use crate::protocol::{self, ClientPacket, Input, SessionToken, Snapshot};

/// How many past states the server keeps as possible baselines.
const HISTORY: u32 = 64;

#[derive(Default, Clone, Copy, Debug)]
pub struct ServerStats {
    pub snapshots_sent: u64,
    pub bytes_sent: u64,
    /// What the same snapshots would have cost without delta compression.
    pub bytes_if_full: u64,
    pub inputs_applied: u64,
    pub malformed_packets: u64,
    /// Well formed, but without the player's session token: not from that player.
    pub forged_packets: u64,
}

struct Connection {
    token: SessionToken,
    acked: Option<u32>,
    next_sequence: u32,
    pending: BTreeMap<u32, Input>,
}

pub struct Server {
    pub game: Game,
    pub tick: u32,
    history: BTreeMap<u32, State>,
    connections: BTreeMap<u16, Connection>,
    pub stats: ServerStats,
}

impl Server {
    /// A server for `players` players, whose session tokens come from `seed` (a real
    /// server would draw them from the operating system's random source).
    pub fn new(players: u16, bots: u16, seed: u64) -> Self {
        let mut tokens = ChaCha8Rng::seed_from_u64(seed);
        Self {
            game: Game::new(players, bots),
            tick: 0,
            history: BTreeMap::new(),
            connections: (1..=players)
                .map(|id| {
                    let connection = Connection {
                        token: tokens.random(),
                        acked: None,
                        next_sequence: 0,
                        pending: BTreeMap::new(),
                    };
                    (id, connection)
                })
                .collect(),
            stats: ServerStats::default(),
        }
    }

    /// The token a player receives when it connects. (This example has no connection
    /// handshake: the session hands the token over in memory.)
    pub fn token(&self, player: u16) -> Option<SessionToken> {
        self.connections
            .get(&player)
            .map(|connection| connection.token)
    }

    /// The state the server had at `tick`, if it still remembers it.
    pub fn state_at(&self, tick: u32) -> Option<&State> {
        self.history.get(&tick)
    }

    // ANCHOR: receive
    /// Handles one datagram. A bad one is counted and ignored: the network is
    /// untrusted, and one bad packet must not stop the game.
    pub fn receive(&mut self, bytes: &[u8]) {
        let Ok(packet) = protocol::decode::<ClientPacket>(bytes) else {
            self.stats.malformed_packets += 1;
            return;
        };
        let Some(connection) = self.connections.get_mut(&packet.player) else {
            self.stats.malformed_packets += 1;
            return;
        };
        // Anyone can send a well-formed packet that names player 1; only player 1
        // knows player 1's token.
        if packet.token != connection.token {
            self.stats.forged_packets += 1;
            return;
        }
        // Only acknowledgements of snapshots actually sent can become baselines.
        if let Some(ack) = packet.ack.filter(|ack| *ack <= self.tick) {
            connection.acked = connection.acked.max(Some(ack));
        }
        // Inputs arrive repeated, duplicated and out of order; keep each new one once.
        for input in packet.inputs {
            if input.sequence >= connection.next_sequence {
                connection.pending.insert(input.sequence, input);
            }
        }
    }
    // ANCHOR_END: receive

    /// Advances the game one tick and returns a snapshot datagram per player.
    pub fn tick(&mut self) -> Vec<(u16, Vec<u8>)> {
        self.tick += 1;
        // ANCHOR: apply_inputs
        for (player, connection) in &mut self.connections {
            // Apply inputs strictly in sequence; a gap waits for the repeat to arrive.
            while let Some(input) = connection.pending.remove(&connection.next_sequence) {
                self.game.apply(*player, input);
                connection.next_sequence += 1;
                self.stats.inputs_applied += 1;
            }
        }
        // ANCHOR_END: apply_inputs
        self.game.place_bots(self.tick);
        self.history.insert(self.tick, self.game.state.clone());
        self.history.retain(|tick, _| tick + HISTORY > self.tick);

        let mut datagrams = Vec::new();
        for (player, connection) in &self.connections {
            let baseline = connection
                .acked
                .filter(|tick| self.history.contains_key(tick));
            let snapshot = delta(
                connection.token,
                self.tick,
                baseline,
                baseline.and_then(|t| self.history.get(&t)),
                &self.game.state,
            );
            let full = delta(connection.token, self.tick, None, None, &self.game.state);
            let bytes = protocol::encode(&snapshot);
            self.stats.snapshots_sent += 1;
            self.stats.bytes_sent += bytes.len() as u64;
            self.stats.bytes_if_full += protocol::encode(&full).len() as u64;
            datagrams.push((*player, bytes));
        }
        datagrams
    }
}

// ANCHOR: delta
/// The snapshot for `current`: only what differs from `base`, or everything if
/// there is no base the client is known to have.
fn delta(
    token: SessionToken,
    tick: u32,
    baseline: Option<u32>,
    base: Option<&State>,
    current: &State,
) -> Snapshot {
    let empty = State::new();
    let base = base.unwrap_or(&empty);
    Snapshot {
        token,
        tick,
        baseline,
        changed: current
            .values()
            .filter(|entity| base.get(&entity.id) != Some(entity))
            .copied()
            .collect(),
        removed: base
            .keys()
            .filter(|id| !current.contains_key(id))
            .copied()
            .collect(),
    }
}
// ANCHOR_END: delta
