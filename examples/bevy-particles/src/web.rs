//! In a web page: the same game, drawn with WebGL2 on the page's `<canvas>`.
//!
//! The page calls [`start`] when the reader asks for the demo, and reads [`progress`]
//! to show (and let tests check) that frames are drawn and the simulation ticks. The
//! module also compiles natively, where nothing calls it, so that the native build,
//! tests and lints check it too.

use std::cell::Cell;

use bevy::prelude::*;
use ecs_sim::sim::ParticleId;
use wasm_bindgen::prelude::*;

use crate::{ParticlesPlugin, SIZE};

/// What the page can read about the running game.
#[wasm_bindgen]
#[derive(Clone, Copy, Default)]
pub struct Progress {
    /// Frames drawn since the start.
    pub frames: u32,
    /// Simulation ticks (`FixedUpdate` runs) since the start: they stop while paused.
    pub ticks: u32,
    pub particles: u32,
    pub paused: bool,
}

thread_local! {
    // A page runs WebAssembly on one thread: the game writes, the page reads.
    static PROGRESS: Cell<Progress> = Cell::new(Progress::default());
}

/// The game's progress so far.
#[wasm_bindgen]
pub fn progress() -> Progress {
    PROGRESS.with(Cell::get)
}

// ANCHOR: start
/// Starts the game on the canvas that `canvas` selects (a CSS selector such as
/// `#particles`). `particles` and `steady` are [`ParticlesPlugin`]'s.
#[wasm_bindgen]
pub fn start(canvas: String, particles: usize, steady: bool) {
    App::new()
        .add_plugins(DefaultPlugins.set(WindowPlugin {
            primary_window: Some(Window {
                canvas: Some(canvas),
                resolution: (SIZE, SIZE).into(),
                // Let the browser keep its own keys: Tab must still move the focus
                // out of the game. The page stops Space from scrolling instead.
                prevent_default_event_handling: false,
                ..default()
            }),
            ..default()
        }))
        .add_plugins(ParticlesPlugin {
            particles,
            steady,
            ..default()
        })
        .add_systems(Startup, |mut commands: Commands| {
            commands.spawn(Camera2d);
        })
        .add_systems(FixedUpdate, count_tick)
        .add_systems(Last, count_frame)
        // In a browser, `run` hands the app to the page's animation frames and returns.
        .run();
}
// ANCHOR_END: start

fn count_tick() {
    PROGRESS.with(|progress| {
        let mut now = progress.get();
        now.ticks += 1;
        progress.set(now);
    });
}

fn count_frame(time: Res<Time<Virtual>>, particles: Query<(), With<ParticleId>>) {
    PROGRESS.with(|progress| {
        let mut now = progress.get();
        now.frames += 1;
        now.particles = u32::try_from(particles.iter().count()).unwrap_or(u32::MAX);
        now.paused = time.is_paused();
        progress.set(now);
    });
}
