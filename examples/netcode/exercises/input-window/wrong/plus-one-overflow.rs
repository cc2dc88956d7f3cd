// Wrong attempt: counts the input itself in the distance, as `sequence + 1 - next`, and
// compares it with `WINDOW`.
// Why it is wrong: task.md says the verdict holds "for any `u32` sequence number"; at
// `u32::MAX`, `sequence + 1` overflows and panics in a debug build.

use std::collections::BTreeMap;

use netcode::protocol::Input;

/// How many inputs, counted from the next expected one, the server is willing to hold.
pub const WINDOW: u32 = 64;

/// What `InputQueue::offer` did with an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Kept until every input before it has been applied.
    Queued,
    /// Already applied, or already waiting: a repeat or a duplicate.
    Stale,
    /// Too far ahead of the next expected input to be kept.
    TooFarAhead,
}

/// One player's inputs on their way into the game.
#[derive(Debug, Default)]
pub struct InputQueue {
    next_sequence: u32,
    pending: BTreeMap<u32, Input>,
}

impl InputQueue {
    /// Takes one input from a packet.
    pub fn offer(&mut self, input: Input) -> Verdict {
        if input.sequence < self.next_sequence || self.pending.contains_key(&input.sequence) {
            return Verdict::Stale;
        }
        // How many slots the queue needs to hold everything up to this input.
        let slots = input.sequence + 1 - self.next_sequence;
        if slots > WINDOW {
            return Verdict::TooFarAhead;
        }
        self.pending.insert(input.sequence, input);
        Verdict::Queued
    }

    /// The inputs that can be applied now, in sequence, up to the first gap.
    pub fn ready(&mut self) -> Vec<Input> {
        let mut ready = Vec::new();
        while let Some(input) = self.pending.remove(&self.next_sequence) {
            ready.push(input);
            self.next_sequence += 1;
        }
        ready
    }

    /// How many inputs are waiting for a gap to fill.
    pub fn waiting(&self) -> usize {
        self.pending.len()
    }
}
