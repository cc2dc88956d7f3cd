//! The synchronisation survives a bad network, and bad bytes never cause a panic;
//! inputs the server never applied are reported, and a client cannot make the server
//! hold its inputs without limit.

use std::io;
use std::ops::RangeInclusive;

use netcode::link::LinkQuality;
use netcode::protocol::{self, ClientPacket, Input, Snapshot};
use netcode::server::MAX_PENDING;
use netcode::{Carrier, Divergence, InMemory, SETTLE_TICKS, SessionConfig, run_session};
use proptest::prelude::*;

/// Ticks per test session: ten seconds of play at 60 ticks per second.
const TICKS: u32 = 600;
/// Every this many ticks, each player's uplink and downlink also carry garbage.
const GARBAGE_EVERY: u32 = 25;
/// Every this many ticks, forged packets go to the server and to each client.
const FORGED_EVERY: u32 = 20;
const PLAYERS: u64 = 2;

const PERFECT: LinkQuality = LinkQuality {
    drop: 0.0,
    duplicate: 0.0,
    max_delay_ticks: 0,
};

fn config(seed: u64, quality: LinkQuality) -> SessionConfig {
    SessionConfig {
        seed,
        ticks: TICKS,
        bots: 20,
        quality,
        interpolation_delay: 3,
        garbage_every: GARBAGE_EVERY,
        forged_every: FORGED_EVERY,
    }
}

fn session(seed: u64, quality: LinkQuality) -> netcode::Summary {
    run_session(config(seed, quality), &mut InMemory).expect("in memory never fails")
}

// ANCHOR: converges
#[test]
fn client_converges_after_loss_duplication_and_reordering() {
    let bad = LinkQuality {
        drop: 0.25,
        duplicate: 0.1,
        max_delay_ticks: 5,
    };
    for seed in 1..=5 {
        let summary = session(seed, bad);
        assert!(
            summary.dropped_by_link > 100,
            "the link really lost packets"
        );
        assert!(
            summary.converged,
            "seed {seed}: a client's newest state differs from the server"
        );
        assert!(
            summary.final_lag_ticks <= 10,
            "seed {seed}: lag {}",
            summary.final_lag_ticks
        );
        // Interpolating across lost snapshots is approximate, but bounded:
        // the fastest entity moves 50 mm per tick.
        assert!(
            summary.max_divergence_mm <= 500.0,
            "seed {seed}: {}",
            summary.max_divergence_mm
        );
        // One garbage packet per player's uplink every GARBAGE_EVERY ticks, also in
        // the ticks that let the last inputs arrive.
        let ticks = TICKS + SETTLE_TICKS;
        let garbage = u64::from(ticks / GARBAGE_EVERY) * PLAYERS;
        assert_eq!(
            summary.server.malformed_packets, garbage,
            "every garbage packet counted"
        );
        // Forged packets: well formed, with a guessed token, each one dropped.
        let forged = u64::from(ticks / FORGED_EVERY) * PLAYERS;
        assert_eq!(summary.server.forged_packets, forged);
        for client in &summary.clients {
            assert_eq!(client.forged_packets, u64::from(ticks / FORGED_EVERY));
        }
    }
}
// ANCHOR_END: converges

#[test]
fn on_a_perfect_link_clients_see_exactly_what_the_server_had() {
    let summary = session(7, PERFECT);
    assert!(summary.converged);
    assert_eq!(summary.max_divergence_mm, 0.0);
    // Half the bots stand still, so deltas leave out a third of the bytes or more.
    assert!(
        summary.server.bytes_sent * 3 < summary.server.bytes_if_full * 2,
        "{} bytes sent, {} without deltas",
        summary.server.bytes_sent,
        summary.server.bytes_if_full
    );
}

/// Delivers everything, except player 1's packets whose newest input is in `lost`.
/// Each packet repeats the 8 inputs before it, so inputs 20 to 33 travel only in the
/// packets whose newest input is 20 to 40: they never reach the server.
struct LosesInputs {
    lost: RangeInclusive<u32>,
}

impl Carrier for LosesInputs {
    fn carry(&mut self, to: u16, packets: Vec<Vec<u8>>) -> io::Result<Vec<Vec<u8>>> {
        if to != 0 {
            return Ok(packets);
        }
        let lost = |bytes: &Vec<u8>| {
            protocol::decode::<ClientPacket>(bytes).is_ok_and(|packet| {
                let newest = packet.inputs.last().map(|input| input.sequence);
                packet.player == 1 && newest.is_some_and(|sequence| self.lost.contains(&sequence))
            })
        };
        Ok(packets.into_iter().filter(|bytes| !lost(bytes)).collect())
    }
}

#[test]
fn inputs_the_server_never_applied_mean_no_convergence() {
    let mut carrier = LosesInputs { lost: 20..=40 };
    let summary = run_session(config(7, PERFECT), &mut carrier).expect("in memory");
    // The server waits for input 20 for ever; the client still shows exactly what the
    // server sends, so comparing states alone would call this a success.
    assert!(
        !summary.converged,
        "{} inputs applied",
        summary.server.inputs_applied
    );
    assert_eq!(
        summary.divergences,
        [Divergence::InputsLost {
            player: 1,
            sent: TICKS,
            applied: 20
        }]
    );
}

/// Delivers everything, and on tick 10 adds what a modified client for player 1
/// sends: 10 000 inputs far ahead of its real ones, with its real token.
struct FloodsInputs {
    flooded: bool,
}

impl Carrier for FloodsInputs {
    fn carry(&mut self, to: u16, mut packets: Vec<Vec<u8>>) -> io::Result<Vec<Vec<u8>>> {
        let real = packets.iter().find_map(|bytes| {
            protocol::decode::<ClientPacket>(bytes)
                .ok()
                .filter(|packet| packet.player == 1)
        });
        let Some(real) = real.filter(|_| to == 0 && !self.flooded) else {
            return Ok(packets);
        };
        if real.inputs.last().is_some_and(|input| input.sequence >= 10) {
            self.flooded = true;
            for first in (100..10_100).step_by(8) {
                packets.push(protocol::encode(&ClientPacket {
                    player: 1,
                    token: real.token,
                    ack: None,
                    inputs: (first..first + 8)
                        .map(|sequence| Input {
                            sequence,
                            dx: -1,
                            dy: 0,
                        })
                        .collect(),
                }));
            }
        }
        Ok(packets)
    }
}

#[test]
fn a_client_flooding_future_inputs_cannot_grow_the_server() {
    let mut carrier = FloodsInputs { flooded: false };
    let summary = run_session(config(7, PERFECT), &mut carrier).expect("in memory");
    assert!(carrier.flooded);
    // An input the server keeps is applied as soon as the inputs before it were: had
    // it kept the flood, it would have applied it after input 599, the last real one.
    // It applied exactly the real inputs, and dropped nearly all of the flood at once.
    assert_eq!(summary.server.inputs_applied, u64::from(TICKS) * PLAYERS);
    assert!(summary.server.inputs_dropped >= 10_000 - MAX_PENDING as u64);
    assert!(summary.converged, "{:?}", summary.divergences);
}

#[test]
fn truncated_packets_are_rejected() {
    let packet = protocol::encode(&Snapshot {
        token: 7,
        tick: 9,
        baseline: Some(8),
        changed: vec![],
        removed: vec![3, 4],
    });
    for length in 0..packet.len() {
        assert!(
            protocol::decode::<Snapshot>(&packet[..length]).is_err(),
            "{length} bytes"
        );
    }
    assert!(protocol::decode::<Snapshot>(&packet).is_ok());
}

proptest! {
    // ANCHOR: proptest
    /// Whatever arrives, decoding returns a value or an error: it never panics.
    #[test]
    fn decoding_random_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..1500)) {
        let _ = protocol::decode::<Snapshot>(&bytes);
        let _ = protocol::decode::<ClientPacket>(&bytes);
    }
    // ANCHOR_END: proptest
}
