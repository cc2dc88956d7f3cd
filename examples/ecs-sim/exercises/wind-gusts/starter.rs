// Exercise "wind-gusts": see task.md beside this file, or the chapter's page.
// Edit this file, then run `cargo xtask exercise wind-gusts`.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use ecs_sim::sim::{DT, Velocity};

/// The wind's strength, in m/s² towards positive x, before gusts.
#[derive(Resource, Clone, Copy, Debug)]
pub struct Wind {
    pub strength: f32,
}

/// The schedule to run after the chapter's schedule on every tick.
pub fn wind_schedule() -> Schedule {
    let mut schedule = Schedule::default();
    // One thread, one fixed order, as in the chapter's schedule.
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.add_systems(blow);
    schedule
}

/// Pushes the particles with this tick's gust.
fn blow(wind: Res<Wind>, mut particles: Query<&mut Velocity>) {
    // TODO: a new gust between 0.5 and 1.5 on every tick, from the seeded generator;
    // and heavy particles are not pushed.
    let gust = 1.0;
    for mut velocity in &mut particles {
        velocity.x += wind.strength * gust * DT;
    }
}
