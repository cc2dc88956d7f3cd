//! A client: rebuilds full states from delta snapshots, acknowledges them, sends
//! sequenced inputs, and shows the world slightly in the past, interpolated.

use std::collections::{BTreeMap, VecDeque};

use crate::game::State;
use crate::protocol::{self, ClientPacket, Input, SessionToken, Snapshot};

/// Snapshots kept for interpolation and as baselines for future deltas.
const KEEP: u32 = 64;
/// Inputs repeated in every packet, so that a few lost packets lose no input.
const REPEATED_INPUTS: usize = 8;
/// How many ticks a snapshot may be ahead of the client's own count of ticks. The
/// server cannot send a snapshot of a tick it has not reached; a real client's clock
/// drifts a little from the server's, which this margin allows for.
const CLOCK_SLACK: u32 = 2;

#[derive(Default, Clone, Copy, Debug)]
pub struct ClientStats {
    pub snapshots_applied: u64,
    /// Arrived twice, or after newer ones made them useless.
    pub stale: u64,
    /// A delta against a baseline this client no longer has.
    pub missing_baseline: u64,
    pub malformed_packets: u64,
    /// Well formed, but not from the server: without this session's token, or
    /// claiming a tick the server cannot have reached yet.
    pub forged_packets: u64,
    /// Each under its own sequence number, from 0 on.
    pub inputs_sent: u32,
}

pub struct Client {
    pub player: u16,
    token: SessionToken,
    states: BTreeMap<u32, State>,
    /// Ticks since the client connected: it sends one packet per tick, so it counts
    /// the packets it sent.
    ticks: u32,
    next_sequence: u32,
    recent_inputs: VecDeque<Input>,
    pub stats: ClientStats,
}

impl Client {
    /// A client for `player`, with the token the server gave it when it connected.
    pub fn new(player: u16, token: SessionToken) -> Self {
        Self {
            player,
            token,
            states: BTreeMap::new(),
            ticks: 0,
            next_sequence: 0,
            recent_inputs: VecDeque::new(),
            stats: ClientStats::default(),
        }
    }

    pub fn latest_tick(&self) -> Option<u32> {
        self.states.keys().next_back().copied()
    }

    pub fn state_at(&self, tick: u32) -> Option<&State> {
        self.states.get(&tick)
    }

    // ANCHOR: receive
    pub fn receive(&mut self, bytes: &[u8]) {
        let Ok(snapshot) = protocol::decode::<Snapshot>(bytes) else {
            self.stats.malformed_packets += 1;
            return;
        };
        // A snapshot from anyone but the server could claim any tick and any state.
        if snapshot.token != self.token {
            self.stats.forged_packets += 1;
            return;
        }
        // Someone who read the token off the network can still forge a snapshot. One
        // from a tick the server has not reached yet would become this client's
        // newest state, and every real snapshot after it would look stale. A genuine
        // delta's baseline is always an earlier tick.
        let from_the_future = snapshot.tick > self.ticks.saturating_add(CLOCK_SLACK);
        let bad_baseline = snapshot.baseline.is_some_and(|base| base >= snapshot.tick);
        if from_the_future || bad_baseline {
            self.stats.forged_packets += 1;
            return;
        }
        let too_old = self
            .latest_tick()
            .is_some_and(|latest| latest.saturating_sub(snapshot.tick) >= KEEP);
        if too_old || self.states.contains_key(&snapshot.tick) {
            self.stats.stale += 1;
            return;
        }
        // Rebuild the full state: the baseline, plus changes, minus removals.
        let mut state = match snapshot.baseline {
            None => State::new(),
            Some(baseline) => match self.states.get(&baseline) {
                Some(base) => base.clone(),
                None => {
                    self.stats.missing_baseline += 1;
                    return;
                }
            },
        };
        for entity in snapshot.changed {
            state.insert(entity.id, entity);
        }
        for id in snapshot.removed {
            state.remove(&id);
        }
        self.states.insert(snapshot.tick, state);
        if let Some(latest) = self.latest_tick() {
            self.states.retain(|tick, _| latest - tick < KEEP);
        }
        self.stats.snapshots_applied += 1;
    }
    // ANCHOR_END: receive

    /// This tick's datagram to the server: this tick's input, the recent ones again,
    /// and the newest snapshot received (which becomes the next delta's baseline).
    pub fn input_packet(&mut self, dx: i8, dy: i8) -> Vec<u8> {
        self.recent_inputs.push_back(Input {
            sequence: self.next_sequence,
            dx,
            dy,
        });
        self.next_sequence += 1;
        self.stats.inputs_sent += 1;
        if self.recent_inputs.len() > REPEATED_INPUTS {
            self.recent_inputs.pop_front();
        }
        self.packet()
    }

    /// This tick's datagram when the player gave no new input: the recent inputs
    /// again, so that the last ones also get through a lossy link.
    pub fn repeat_packet(&mut self) -> Vec<u8> {
        self.packet()
    }

    fn packet(&mut self) -> Vec<u8> {
        self.ticks += 1;
        protocol::encode(&ClientPacket {
            player: self.player,
            token: self.token,
            ack: self.latest_tick(),
            inputs: self.recent_inputs.iter().copied().collect(),
        })
    }

    // ANCHOR: interpolate
    /// Where each entity is at `tick`, between the two received states around it.
    /// Rendering a little in the past means there usually *is* a state after it.
    pub fn interpolated(&self, tick: u32) -> Option<BTreeMap<u16, (f64, f64)>> {
        let (&before, from) = self.states.range(..=tick).next_back()?;
        let (&after, to) = self.states.range(tick..).next()?;
        let t = if after == before {
            0.0
        } else {
            f64::from(tick - before) / f64::from(after - before)
        };
        let lerp = |a: i32, b: i32| f64::from(a) + (f64::from(b) - f64::from(a)) * t;
        Some(
            from.iter()
                .filter_map(|(id, a)| to.get(id).map(|b| (*id, (lerp(a.x, b.x), lerp(a.y, b.y)))))
                .collect(),
        )
    }
    // ANCHOR_END: interpolate
}
