//! The synchronisation survives a bad network, and bad bytes never cause a panic.

use netcode::link::LinkQuality;
use netcode::protocol::{self, ClientPacket, Snapshot};
use netcode::{InMemory, SessionConfig, run_session};
use proptest::prelude::*;

/// Ticks per test session: ten seconds of play at 60 ticks per second.
const TICKS: u32 = 600;
/// Every this many ticks, each player's uplink and downlink also carry garbage.
const GARBAGE_EVERY: u32 = 25;
/// Every this many ticks, forged packets go to the server and to each client.
const FORGED_EVERY: u32 = 20;
const PLAYERS: u64 = 2;

fn session(seed: u64, quality: LinkQuality) -> netcode::Summary {
    let config = SessionConfig {
        seed,
        ticks: TICKS,
        bots: 20,
        quality,
        interpolation_delay: 3,
        garbage_every: GARBAGE_EVERY,
        forged_every: FORGED_EVERY,
    };
    run_session(config, &mut InMemory).expect("in memory never fails")
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
        // One garbage packet per player's uplink every GARBAGE_EVERY ticks.
        let garbage = u64::from(TICKS / GARBAGE_EVERY) * PLAYERS;
        assert_eq!(
            summary.server.malformed_packets, garbage,
            "every garbage packet counted"
        );
        // Forged packets: well formed, with a guessed token, each one dropped.
        let forged = u64::from(TICKS / FORGED_EVERY) * PLAYERS;
        assert_eq!(summary.server.forged_packets, forged);
        for client in &summary.clients {
            assert_eq!(client.forged_packets, u64::from(TICKS / FORGED_EVERY));
        }
    }
}
// ANCHOR_END: converges

#[test]
fn on_a_perfect_link_clients_see_exactly_what_the_server_had() {
    let perfect = LinkQuality {
        drop: 0.0,
        duplicate: 0.0,
        max_delay_ticks: 0,
    };
    let summary = session(7, perfect);
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
