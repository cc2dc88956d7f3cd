// Exercise "air-drag": see task.md beside this file, or the chapter's page.
// Edit this file, then run `cargo xtask exercise air-drag`.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use ecs_sim::sim::{DT, Velocity};

/// How strongly the air slows particles down, per second (0 is no air at all).
#[derive(Resource, Clone, Copy, Debug)]
pub struct AirDrag(pub f32);

/// The schedule to run after the chapter's schedule on every tick.
pub fn drag_schedule() -> Schedule {
    let mut schedule = Schedule::default();
    // One thread, one fixed order, as in the chapter's schedule.
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.add_systems(apply_drag);
    schedule
}

/// Slows every particle down a little, once per tick.
fn apply_drag(drag: Res<AirDrag>, mut particles: Query<&mut Velocity>) {
    // TODO: heavy particles (those with the `Heavy` marker) lose only half as much.
    let kept = 1.0 - drag.0 * DT;
    for mut velocity in &mut particles {
        velocity.x *= kept;
        velocity.y *= kept;
    }
}
