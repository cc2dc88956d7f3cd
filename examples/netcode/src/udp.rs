//! The session over the operating system's UDP stack, on 127.0.0.1: each datagram
//! goes from one socket to the receiver's socket, and a receiver takes datagrams only
//! from the address its peer connected from.

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use crate::Carrier;
use crate::protocol::MAX_PACKET;

/// 60 ticks per second, as a game server would run.
const TICK: Duration = Duration::from_micros(16_667);
/// How long a whole session may take: the example's three and a half seconds, with
/// room for a busy machine.
pub const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Why the session over UDP stopped.
#[derive(Debug, thiserror::Error)]
#[error(
    "the session's time limit of {} s passed while it waited for {missing} of {sent} \
     datagrams to {to} ({strangers} datagrams from other addresses dropped so far)",
    limit.as_secs_f64()
)]
pub struct TimeLimitPassed {
    pub limit: Duration,
    pub to: String,
    pub missing: usize,
    pub sent: usize,
    pub strangers: u64,
}

// ANCHOR: udp
pub struct Udp {
    /// Every datagram of the session leaves from this socket: it is the one address
    /// the receivers accept.
    sender: UdpSocket,
    peer: SocketAddr,
    /// Index 0 is the server, then one socket per player.
    receivers: Vec<UdpSocket>,
    next_tick: Instant,
    /// When the session must be over. Waiting for a datagram ends there, however
    /// many datagrams from strangers arrive meanwhile.
    deadline: Instant,
    limit: Duration,
    /// Datagrams that came from another address and were dropped unread.
    pub strangers: u64,
}

impl Udp {
    /// Binds the sender and a receiver for the server and each of `players`, on free
    /// ports of 127.0.0.1: nothing leaves this machine. The session has `TIME_LIMIT`.
    pub fn bind(players: u16) -> io::Result<Self> {
        let bind = || UdpSocket::bind("127.0.0.1:0");
        let sender = bind()?;
        Ok(Self {
            peer: sender.local_addr()?,
            sender,
            receivers: (0..=players).map(|_| bind()).collect::<Result<_, _>>()?,
            next_tick: Instant::now(),
            deadline: Instant::now() + TIME_LIMIT,
            limit: TIME_LIMIT,
            strangers: 0,
        })
    }

    /// Gives the session `limit` from now instead of `TIME_LIMIT`.
    pub fn with_time_limit(mut self, limit: Duration) -> Self {
        self.deadline = Instant::now() + limit;
        self.limit = limit;
        self
    }

    /// Where the server (index 0) and each player receive.
    pub fn receiver_addresses(&self) -> io::Result<Vec<SocketAddr>> {
        self.receivers.iter().map(UdpSocket::local_addr).collect()
    }
}

impl Carrier for Udp {
    fn carry(&mut self, to: u16, packets: Vec<Vec<u8>>) -> io::Result<Vec<Vec<u8>>> {
        let receiver = self
            .receivers
            .get(usize::from(to))
            .ok_or_else(|| io::Error::new(ErrorKind::InvalidInput, "no such receiver"))?;
        // Empty the receive buffer first. Datagrams from a stranger that fill it would
        // make the kernel drop the ones sent next, and the wait for them could only
        // end at the deadline. Nothing from the peer can be waiting there: every
        // earlier call took all the datagrams it sent.
        self.strangers += drain(receiver, self.deadline)?;
        for packet in &packets {
            self.sender.send_to(packet, receiver.local_addr()?)?;
        }
        let mut buffer = [0; MAX_PACKET + 1];
        let mut arrived = Vec::with_capacity(packets.len());
        // Wait until every datagram sent has arrived; anything else that comes in
        // meanwhile is from a stranger, and is dropped before it is even decoded.
        while arrived.len() < packets.len() {
            // Wait only for the time left, not a fixed time per datagram: otherwise
            // each stranger's datagram would start the wait anew.
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                let passed = TimeLimitPassed {
                    limit: self.limit,
                    to: if to == 0 {
                        "the server".to_owned()
                    } else {
                        format!("player {to}")
                    },
                    missing: packets.len() - arrived.len(),
                    sent: packets.len(),
                    strangers: self.strangers,
                };
                return Err(io::Error::new(ErrorKind::TimedOut, passed));
            }
            receiver.set_read_timeout(Some(left))?;
            match receiver.recv_from(&mut buffer) {
                Ok((length, from)) if from == self.peer => {
                    arrived.push(buffer[..length].to_vec());
                }
                Ok(_) => self.strangers += 1,
                // The time ran out (Linux says EAGAIN): the check above reports it.
                Err(error)
                    if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(error) => return Err(error),
            }
        }
        if to == 1 {
            // Once per tick (player 1's snapshot delivery), keep to 60 ticks per
            // second.
            std::thread::sleep(self.next_tick.saturating_duration_since(Instant::now()));
            self.next_tick += TICK;
        }
        Ok(arrived)
    }
}

/// Reads and drops every datagram waiting on `socket`, without blocking, and says
/// how many there were. A flood faster than it can read stops at `deadline`.
fn drain(socket: &UdpSocket, deadline: Instant) -> io::Result<u64> {
    socket.set_nonblocking(true)?;
    let mut buffer = [0; MAX_PACKET + 1];
    let mut dropped = 0;
    let result = loop {
        if Instant::now() >= deadline {
            break Ok(dropped);
        }
        match socket.recv_from(&mut buffer) {
            Ok(_) => dropped += 1,
            Err(error) if error.kind() == ErrorKind::WouldBlock => break Ok(dropped),
            Err(error) => break Err(error),
        }
    };
    socket.set_nonblocking(false)?;
    result
}
// ANCHOR_END: udp
