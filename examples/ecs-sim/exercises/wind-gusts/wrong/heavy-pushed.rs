// Wrong attempt: draws one gust per tick from the seeded generator, but pushes every particle.
// Why it is wrong: task.md says "Heavy particles are too heavy to be pushed" and "heavy
// particles are not pushed at all"; the query has no `Without<Heavy>`.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use ecs_sim::sim::{DT, SimRng, Velocity};
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

/// Pushes the particles with this tick's gust.
fn blow(wind: Res<Wind>, mut rng: ResMut<SimRng>, mut particles: Query<&mut Velocity>) {
    let gust: f32 = rng.0.random_range(0.5..1.5);
    for mut velocity in &mut particles {
        velocity.x += wind.strength * gust * DT;
    }
}
