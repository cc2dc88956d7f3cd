//! The authoritative server: applies inputs in sequence, steps the game, and sends
//! each player a snapshot, delta-compressed against what that player acknowledged.

use std::collections::BTreeMap;

use crate::game::{Game, State};
use crate::protocol::{self, ClientPacket, Input, SessionToken, Snapshot};

/// How many past states the server keeps as possible baselines.
const HISTORY: u32 = 64;
/// Every this many ticks (once a second), each player gets a full snapshot, and
/// deltas are then only made against it or later states. A client that believed a
/// forged snapshot is right again within about a second, instead of building every
/// later state on it.
const FULL_SNAPSHOT_EVERY: u32 = 60;
/// How many inputs per player may wait for a gap to fill. An honest client is at most
/// a few ticks ahead of the last input applied; a modified one could send any
/// sequence numbers, and each would be kept until the gap before it filled.
pub const MAX_PENDING: usize = 64;

#[derive(Default, Clone, Copy, Debug)]
pub struct ServerStats {
    pub snapshots_sent: u64,
    pub bytes_sent: u64,
    /// What the same snapshots would have cost without delta compression.
    pub bytes_if_full: u64,
    pub inputs_applied: u64,
    /// Dropped because more than `MAX_PENDING` were waiting.
    pub inputs_dropped: u64,
    pub malformed_packets: u64,
    /// Well formed, but without the player's session token: not from that player.
    pub forged_packets: u64,
}

/// How far the server got with one player's inputs.
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputProgress {
    /// How many were applied: every sequence number below this one.
    pub applied: u32,
    /// The first tick whose state includes all of them.
    pub since_tick: u32,
}

struct Connection {
    token: SessionToken,
    acked: Option<u32>,
    next_sequence: u32,
    pending: BTreeMap<u32, Input>,
    last_applied_at: u32,
}

pub struct Server {
    pub game: Game,
    pub tick: u32,
    history: BTreeMap<u32, State>,
    connections: BTreeMap<u16, Connection>,
    pub stats: ServerStats,
}

/// The operating system could not give the server random numbers for the tokens.
#[derive(Debug, thiserror::Error)]
#[error("drawing a session token from the operating system's random source")]
pub struct TokenError(#[from] getrandom::Error);

impl Server {
    /// A server for `players` players, each with a new random session token.
    pub fn new(players: u16, bots: u16) -> Result<Self, TokenError> {
        let mut connections = BTreeMap::new();
        for id in 1..=players {
            // Random, and different on every run: a token derived from a fixed seed
            // would be the same in every session, and anyone could know it.
            let connection = Connection {
                token: getrandom::u64()?,
                acked: None,
                next_sequence: 0,
                pending: BTreeMap::new(),
                last_applied_at: 0,
            };
            connections.insert(id, connection);
        }
        Ok(Self {
            game: Game::new(players, bots),
            tick: 0,
            history: BTreeMap::new(),
            connections,
            stats: ServerStats::default(),
        })
    }

    /// The token a player receives when it connects. (This example has no connection
    /// handshake: the session hands the token over in memory.)
    pub fn token(&self, player: u16) -> Option<SessionToken> {
        self.connections
            .get(&player)
            .map(|connection| connection.token)
    }

    /// How many of `player`'s inputs were applied, and since when.
    pub fn input_progress(&self, player: u16) -> Option<InputProgress> {
        self.connections
            .get(&player)
            .map(|connection| InputProgress {
                applied: connection.next_sequence,
                since_tick: connection.last_applied_at,
            })
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
        // Bounded memory, whatever sequence numbers a client makes up: keep the inputs
        // nearest to being applied, drop those furthest ahead.
        while connection.pending.len() > MAX_PENDING {
            connection.pending.pop_last();
            self.stats.inputs_dropped += 1;
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
                connection.last_applied_at = self.tick;
                self.stats.inputs_applied += 1;
            }
        }
        // ANCHOR_END: apply_inputs
        self.game.place_bots(self.tick);
        self.history.insert(self.tick, self.game.state.clone());
        self.history.retain(|tick, _| tick + HISTORY > self.tick);

        // The latest tick that had a full snapshot: deltas are made only against it or
        // a later state, so whatever a client believed before it no longer matters.
        let full_at = self.tick - self.tick % FULL_SNAPSHOT_EVERY;
        let mut datagrams = Vec::new();
        for (player, connection) in &self.connections {
            let baseline = connection
                .acked
                .filter(|tick| *tick >= full_at && self.history.contains_key(tick));
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
