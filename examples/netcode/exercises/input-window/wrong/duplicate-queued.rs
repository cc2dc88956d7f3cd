// Wrong attempt: adds the window check, but forgets to report an input that is already
// waiting.
// Why it is wrong: task.md says "an input already applied or already waiting is
// `Verdict::Stale`"; a duplicate of a waiting input is stored again and answered `Queued`.

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
        match input.sequence.checked_sub(self.next_sequence) {
            None => Verdict::Stale,
            Some(ahead) if ahead >= WINDOW => Verdict::TooFarAhead,
            Some(_) => {
                self.pending.insert(input.sequence, input);
                Verdict::Queued
            }
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
