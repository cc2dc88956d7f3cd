// Wrong attempt: measures the distance ahead with `wrapping_sub`, so no check for older
// inputs is needed before it.
// Why it is wrong: task.md says "an input already applied ... is `Verdict::Stale`"; an input
// older than the next expected one wraps around to a huge distance and comes back as
// `TooFarAhead`.

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
        // Never overflows, unlike `next_sequence + WINDOW`.
        let ahead = input.sequence.wrapping_sub(self.next_sequence);
        if ahead >= WINDOW {
            Verdict::TooFarAhead
        } else if self.pending.contains_key(&input.sequence) {
            Verdict::Stale
        } else {
            self.pending.insert(input.sequence, input);
            Verdict::Queued
        }
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
