//! The session over the operating system's UDP stack, on 127.0.0.1: each datagram
//! goes from one socket to the receiver's socket, and a receiver takes datagrams only
//! from the address its peer connected from.

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use crate::Carrier;
use crate::protocol::MAX_PACKET;

/// 60 ticks per second, as a game server would run.
const TICK: Duration = Duration::from_micros(16_667);
/// How long a receiver waits for a datagram before it gives up.
const RECEIVE_TIMEOUT: Duration = Duration::from_secs(2);

// ANCHOR: udp
pub struct Udp {
    /// Every datagram of the session leaves from this socket: it is the one address
    /// the receivers accept.
    sender: UdpSocket,
    peer: SocketAddr,
    /// Index 0 is the server, then one socket per player.
    receivers: Vec<UdpSocket>,
    next_tick: Instant,
    /// Datagrams that came from another address and were dropped unread.
    pub strangers: u64,
}

impl Udp {
    /// Binds the sender and a receiver for the server and each of `players`, on free
    /// ports of 127.0.0.1: nothing leaves this machine.
    pub fn bind(players: u16) -> std::io::Result<Self> {
        let bind = || {
            let socket = UdpSocket::bind("127.0.0.1:0")?;
            socket.set_read_timeout(Some(RECEIVE_TIMEOUT))?;
            Ok::<_, std::io::Error>(socket)
        };
        let sender = bind()?;
        Ok(Self {
            peer: sender.local_addr()?,
            sender,
            receivers: (0..=players).map(|_| bind()).collect::<Result<_, _>>()?,
            next_tick: Instant::now(),
            strangers: 0,
        })
    }

    /// Where the server (index 0) and each player receive.
    pub fn receiver_addresses(&self) -> std::io::Result<Vec<SocketAddr>> {
        self.receivers.iter().map(UdpSocket::local_addr).collect()
    }
}

impl Carrier for Udp {
    fn carry(&mut self, to: u16, packets: Vec<Vec<u8>>) -> std::io::Result<Vec<Vec<u8>>> {
        let receiver = &self.receivers[usize::from(to)];
        for packet in &packets {
            self.sender.send_to(packet, receiver.local_addr()?)?;
        }
        let mut buffer = [0; MAX_PACKET + 1];
        let mut arrived = Vec::with_capacity(packets.len());
        // Wait until every datagram sent has arrived; anything else that comes in
        // meanwhile is from a stranger, and is dropped before it is even decoded.
        while arrived.len() < packets.len() {
            let (length, from) = receiver.recv_from(&mut buffer)?;
            if from == self.peer {
                arrived.push(buffer[..length].to_vec());
            } else {
                self.strangers += 1;
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
// ANCHOR_END: udp
