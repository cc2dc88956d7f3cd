// Reference solution of the exercise "wind-gusts" (see task.md beside this file).

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use ecs_sim::sim::{DT, Heavy, SimRng, Velocity};
use rand::RngExt;

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

/// Pushes the light particles with this tick's gust; heavy ones stay put.
fn blow(wind: Res<Wind>, mut rng: ResMut<SimRng>, mut light: Query<&mut Velocity, Without<Heavy>>) {
    // The simulation's one seeded generator, so the gusts repeat with the seed. Its
    // draws are shared with the spawning system: each gust shifts every later draw,
    // which is still deterministic because the systems always run in the same order.
    // A generator seeded from the clock or the OS would make every run different.
    let gust: f32 = rng.0.random_range(0.5..1.5);
    for mut velocity in &mut light {
        velocity.x += wind.strength * gust * DT;
    }
}
