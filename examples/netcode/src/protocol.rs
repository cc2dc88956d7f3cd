//! What travels over the wire, and how it is checked on the way in.

use serde::{Deserialize, Serialize};

/// Datagrams larger than this are never sent or accepted (a common safe UDP size).
pub const MAX_PACKET: usize = 1200;
/// The first byte of every packet: a version, so old and new peers reject each other.
const PROTOCOL_VERSION: u8 = 1;

// ANCHOR: messages
/// One entity's state, in fixed-point millimetres: integers compare exactly, which
/// makes delta compression and convergence checks exact.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntityState {
    pub id: u16,
    pub x: i32,
    pub y: i32,
}

/// A secret number per player and session, which both ends learned when the player
/// connected. The server draws a new one from the operating system's random source
/// for every session, so nobody can know it in advance. Every packet carries it, so a
/// packet from anyone else, however well formed, is recognised and dropped.
pub type SessionToken = u64;

/// Server to client. `baseline` names the snapshot this one is a delta against
/// (the last one the client acknowledged); `None` means a full snapshot.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    // Fixed width, 8 bytes: as a varint, a token's length would depend on its random
    // value, and so would every packet's size.
    #[serde(with = "postcard::fixint::le")]
    pub token: SessionToken,
    pub tick: u32,
    pub baseline: Option<u32>,
    pub changed: Vec<EntityState>,
    pub removed: Vec<u16>,
}

/// One tick of a player's input. Sequence numbers let the server apply each input
/// once, in order, however the network duplicates or reorders packets.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Input {
    pub sequence: u32,
    pub dx: i8,
    pub dy: i8,
}

/// Client to server: the newest snapshot received (the acknowledgement) and the
/// recent inputs, repeated in every packet so one lost packet loses no input.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ClientPacket {
    pub player: u16,
    #[serde(with = "postcard::fixint::le")]
    pub token: SessionToken,
    pub ack: Option<u32>,
    pub inputs: Vec<Input>,
}
// ANCHOR_END: messages

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProtocolError {
    #[error("packet of {0} bytes is larger than {MAX_PACKET}")]
    TooLarge(usize),
    #[error("empty packet")]
    Empty,
    #[error("protocol version {0}, expected {PROTOCOL_VERSION}")]
    WrongVersion(u8),
    #[error("malformed packet: {0}")]
    Malformed(#[from] postcard::Error),
    #[error("{0} trailing bytes after the message")]
    TrailingBytes(usize),
}

// ANCHOR: codec
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    let mut bytes = vec![PROTOCOL_VERSION];
    // Encoding into a Vec fails only if the allocator does, which aborts anyway.
    bytes.extend(postcard::to_allocvec(message).expect("serialising to memory"));
    bytes
}

/// Every check a packet from the network must pass before anyone looks at it.
/// Random bytes give an error here, never a panic (see the property test).
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, ProtocolError> {
    if bytes.len() > MAX_PACKET {
        return Err(ProtocolError::TooLarge(bytes.len()));
    }
    let (&version, body) = bytes.split_first().ok_or(ProtocolError::Empty)?;
    if version != PROTOCOL_VERSION {
        return Err(ProtocolError::WrongVersion(version));
    }
    let (message, rest) = postcard::take_from_bytes(body)?;
    if !rest.is_empty() {
        return Err(ProtocolError::TrailingBytes(rest.len()));
    }
    Ok(message)
}
// ANCHOR_END: codec
