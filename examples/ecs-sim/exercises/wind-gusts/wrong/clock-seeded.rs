// Wrong attempt: gives the wind a generator of its own, seeded from the clock on the first
// tick.
// Why it is wrong: task.md says "the same seed must give the same gusts" and that the wind
// should use the simulation's seeded generator; two runs with one seed get different gusts.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use ecs_sim::sim::{DT, Heavy, Velocity};
use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::time::{SystemTime, UNIX_EPOCH};

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

/// The wind's own generator, made on the first tick.
#[derive(Default)]
struct Gusts(Option<ChaCha8Rng>);

/// Pushes the particles with this tick's gust.
fn blow(
    wind: Res<Wind>,
    mut gusts: Local<Gusts>,
    mut particles: Query<&mut Velocity, Without<Heavy>>,
) {
    let rng = gusts.0.get_or_insert_with(|| {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos() as u64);
        ChaCha8Rng::seed_from_u64(now)
    });
    let gust: f32 = rng.random_range(0.5..1.5);
    for mut velocity in &mut particles {
        velocity.x += wind.strength * gust * DT;
    }
}
