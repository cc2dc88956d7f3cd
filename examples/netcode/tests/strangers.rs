//! Datagrams from an address that is not the session's peer: a stranger on this
//! machine sprays well-formed packets at every receiver while a real session runs
//! over UDP. The receivers drop them unread, and the clients still converge.

use std::net::UdpSocket;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use netcode::link::LinkQuality;
use netcode::udp::Udp;
use netcode::{SessionConfig, forged_inputs, forged_snapshot, run_session};

#[test]
fn datagrams_from_strangers_are_dropped_and_the_session_converges() {
    let mut udp = Udp::bind(2).expect("UDP sockets on 127.0.0.1");
    let targets = udp.receiver_addresses().expect("their addresses");
    let stop = AtomicBool::new(false);
    let config = SessionConfig {
        seed: 11,
        ticks: 120,
        bots: 20,
        quality: LinkQuality {
            drop: 0.1,
            duplicate: 0.05,
            max_delay_ticks: 3,
        },
        interpolation_delay: 3,
        garbage_every: 30,
        forged_every: 40,
    };
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
        let summary = run_session(config, &mut udp);
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
