//! The game the server is authoritative for: players moved by their inputs, and
//! bots, some moving on a fixed path and some standing still.

use std::collections::BTreeMap;

use crate::protocol::{EntityState, Input};

/// The whole state at one tick, by entity ID. A `BTreeMap` iterates in ID order,
/// so everything derived from it (snapshots, hashes) is deterministic.
pub type State = BTreeMap<u16, EntityState>;

/// How far a player moves per input step, in millimetres.
const PLAYER_SPEED: i32 = 50;
/// IDs of bots that walk back and forth; the others stand still.
const FIRST_BOT: u16 = 100;
/// A bot that leaves and comes back, so snapshots also carry removals.
const BLINKING_BOT: u16 = FIRST_BOT + 1;

pub struct Game {
    pub state: State,
    bots: u16,
}

impl Game {
    pub fn new(players: u16, bots: u16) -> Self {
        let mut state = State::new();
        for id in 1..=players {
            state.insert(
                id,
                EntityState {
                    id,
                    x: i32::from(id) * 1000,
                    y: 0,
                },
            );
        }
        let mut game = Self { state, bots };
        game.place_bots(0);
        game
    }

    pub fn apply(&mut self, player: u16, input: Input) {
        if let Some(entity) = self.state.get_mut(&player) {
            entity.x += i32::from(input.dx.signum()) * PLAYER_SPEED;
            entity.y += i32::from(input.dy.signum()) * PLAYER_SPEED;
        }
    }

    /// Moves the bots to where they are at `tick`.
    pub fn place_bots(&mut self, tick: u32) {
        for n in 0..self.bots {
            let id = FIRST_BOT + n;
            if id == BLINKING_BOT && tick % 120 >= 60 {
                self.state.remove(&id);
                continue;
            }
            let base = EntityState {
                id,
                x: i32::from(n) * 500,
                y: 10_000,
            };
            // Every other bot walks a triangle wave: 20 mm per tick, turning every 100 ticks.
            let walked = if n % 2 == 0 {
                let phase = (tick % 200) as i32;
                20 * if phase < 100 { phase } else { 200 - phase }
            } else {
                0
            };
            self.state.insert(
                id,
                EntityState {
                    x: base.x + walked,
                    ..base
                },
            );
        }
    }
}
