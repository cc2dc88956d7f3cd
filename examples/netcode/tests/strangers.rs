//! Packets from strangers. Over UDP: datagrams from an address that is not the
//! session's peer, sprayed at every receiver while a real session runs, or filling a
//! receiver's buffer; the receivers drop them unread, and the session neither stalls
//! nor passes its time limit unnoticed. In memory: snapshots forged by someone who
//! spoofs the server's address and read the token off the network.

use std::io;
use std::net::UdpSocket;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use netcode::link::LinkQuality;
use netcode::protocol::{self, ClientPacket, EntityState, SessionToken, Snapshot};
use netcode::udp::Udp;
use netcode::{Carrier, SessionConfig, forged_inputs, forged_snapshot, run_session};

const QUALITY: LinkQuality = LinkQuality {
    drop: 0.1,
    duplicate: 0.05,
    max_delay_ticks: 3,
};

fn config(ticks: u32) -> SessionConfig {
    SessionConfig {
        seed: 11,
        ticks,
        bots: 20,
        quality: QUALITY,
        interpolation_delay: 3,
        garbage_every: 30,
        forged_every: 40,
    }
}

#[test]
fn datagrams_from_strangers_are_dropped_and_the_session_converges() {
    let mut udp = Udp::bind(2).expect("UDP sockets on 127.0.0.1");
    let targets = udp.receiver_addresses().expect("their addresses");
    let stop = AtomicBool::new(false);
    let (summary, sprayed) = thread::scope(|scope| {
        let stranger = scope.spawn(|| {
            let socket = UdpSocket::bind("127.0.0.1:0").expect("the stranger's socket");
            let mut sent = 0u32;
            // Bounded: at most 5,000 datagrams, one every 0.5 ms, until the session ends.
            while !stop.load(Ordering::Relaxed) && sent < 5_000 {
                for (index, target) in targets.iter().enumerate() {
                    let packet = if index == 0 {
                        forged_inputs(sent)
                    } else {
                        forged_snapshot(sent)
                    };
                    // A full receive buffer may refuse some; that is fine here.
                    let _ = socket.send_to(&packet, target);
                }
                sent += 1;
                thread::sleep(Duration::from_micros(500));
            }
            sent
        });
        let summary = run_session(config(120), &mut udp);
        stop.store(true, Ordering::Relaxed);
        (summary, stranger.join().expect("the stranger's thread"))
    });
    let summary = summary.expect("the session runs over UDP");
    assert!(sprayed > 100, "only {sprayed} rounds of forged datagrams");
    assert!(
        udp.strangers > 100,
        "only {} strangers dropped",
        udp.strangers
    );
    assert!(summary.converged, "a client did not converge");
}

#[test]
fn a_receive_buffer_full_of_strangers_neither_stalls_nor_breaks_a_delivery() {
    let mut udp = Udp::bind(2).expect("UDP sockets on 127.0.0.1");
    let server = udp.receiver_addresses().expect("their addresses")[0];
    let stranger = UdpSocket::bind("127.0.0.1:0").expect("the stranger's socket");
    // 5 MB, more than a socket's receive buffer holds (by default, the size in
    // `net.core.rmem_default`, a few hundred kilobytes): the buffer is full, and the
    // kernel drops the rest, as it would drop the session's own datagrams.
    for _ in 0..5_000 {
        let _ = stranger.send_to(&[0; 1_000], server);
    }
    let started = Instant::now();
    let packets = vec![vec![1, 2, 3], vec![4, 5, 6]];
    let arrived = udp.carry(0, packets.clone()).expect("delivered");
    assert_eq!(arrived, packets);
    assert!(udp.strangers > 0);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_flood_of_strangers_cannot_hold_a_session_past_its_time_limit() {
    let udp = Udp::bind(2).expect("UDP sockets on 127.0.0.1");
    let targets = udp.receiver_addresses().expect("their addresses");
    // Ten seconds of play at 60 ticks per second cannot end within half a second.
    let mut udp = udp.with_time_limit(Duration::from_millis(500));
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let result = thread::scope(|scope| {
        scope.spawn(|| {
            let socket = UdpSocket::bind("127.0.0.1:0").expect("the stranger's socket");
            // As fast as it can, for at most five seconds.
            while !stop.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(5) {
                for target in &targets {
                    let _ = socket.send_to(&forged_snapshot(0), target);
                }
            }
        });
        let result = run_session(config(600), &mut udp);
        stop.store(true, Ordering::Relaxed);
        result
    });
    let error = result.expect_err("the time limit passed");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    let message = error.to_string();
    assert!(
        message.starts_with("the session's time limit of 0.5 s passed"),
        "{message}"
    );
    assert!(!message.contains("os error"), "{message}");
}

/// Delivers everything, and records player 1's token from its packets.
#[derive(Default)]
struct Recorder {
    token: Option<SessionToken>,
}

impl Carrier for Recorder {
    fn carry(&mut self, to: u16, packets: Vec<Vec<u8>>) -> io::Result<Vec<Vec<u8>>> {
        if to == 0 && self.token.is_none() {
            self.token = packets.iter().find_map(|bytes| {
                protocol::decode::<ClientPacket>(bytes)
                    .ok()
                    .filter(|packet| packet.player == 1)
                    .map(|packet| packet.token)
            });
        }
        Ok(packets)
    }
}

#[test]
fn every_session_has_new_tokens() {
    let token = || {
        let mut recorder = Recorder::default();
        run_session(config(30), &mut recorder).expect("in memory");
        recorder.token.expect("player 1 sent packets")
    };
    // Two equal random 64-bit numbers: a chance of one in 2^64.
    assert_ne!(token(), token(), "two sessions, one token");
}

/// What an attacker who can capture and spoof packets on this machine can do: read
/// player 1's token off a snapshot to it, and, on tick `at`, send player 1 a
/// snapshot with that token, as if from the server's address, for tick `tick(at)`.
struct Forger {
    at: u32,
    tick: fn(u32) -> u32,
    now: u32,
    token: Option<SessionToken>,
}

impl Forger {
    fn new(at: u32, tick: fn(u32) -> u32) -> Self {
        Self {
            at,
            tick,
            now: 0,
            token: None,
        }
    }
}

impl Carrier for Forger {
    fn carry(&mut self, to: u16, mut packets: Vec<Vec<u8>>) -> io::Result<Vec<Vec<u8>>> {
        if to != 1 {
            return Ok(packets);
        }
        // Player 1 gets one delivery per tick.
        self.now += 1;
        // A snapshot from the server, not one of the session's own forgeries.
        let now = self.now;
        let genuine = |bytes: &Vec<u8>| {
            protocol::decode::<Snapshot>(bytes)
                .ok()
                .filter(|snapshot| snapshot.tick <= now)
        };
        self.token = self.token.or_else(|| {
            packets
                .iter()
                .find_map(genuine)
                .map(|snapshot| snapshot.token)
        });
        if let Some(token) = self.token.filter(|_| self.now == self.at) {
            // Everyone far away: players 1 and 2, and the bots, numbered from 100.
            let changed = [1, 2]
                .into_iter()
                .chain(100..120)
                .map(|id| EntityState {
                    id,
                    x: 1_000_000,
                    y: -1_000_000,
                })
                .collect();
            packets.insert(
                0,
                protocol::encode(&Snapshot {
                    token,
                    tick: (self.tick)(self.now),
                    baseline: None,
                    changed,
                    removed: vec![],
                }),
            );
        }
        Ok(packets)
    }
}

#[test]
fn a_forged_snapshot_far_in_the_future_is_rejected() {
    let ahead: [fn(u32) -> u32; 2] = [|now| now + 1_000, |_| u32::MAX];
    for tick in ahead {
        let mut forger = Forger::new(30, tick);
        let summary = run_session(config(180), &mut forger).expect("in memory");
        assert!(forger.token.is_some(), "the forger learned the token");
        assert!(summary.converged, "{:?}", summary.divergences);
        // Player 2 got the same forgeries with a guessed token; player 1 one more.
        let [one, two] = [&summary.clients[0], &summary.clients[1]];
        assert_eq!(one.forged_packets, two.forged_packets + 1);
    }
}

#[test]
fn a_forged_snapshot_for_the_next_tick_misleads_only_until_a_full_snapshot() {
    let mut forger = Forger::new(30, |now| now + 1);
    let summary = run_session(config(180), &mut forger).expect("in memory");
    assert!(forger.token.is_some(), "the forger learned the token");
    // The client believed it: a snapshot of the next tick could be genuine.
    assert!(
        summary.max_divergence_mm > 100_000.0,
        "{}",
        summary.max_divergence_mm
    );
    // The server's full snapshot at tick 60 replaced everything built on it.
    assert!(summary.converged, "{:?}", summary.divergences);
}
