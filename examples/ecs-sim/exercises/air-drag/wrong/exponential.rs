// Wrong attempt: uses the exact solution of dv/dt = -k·v, `exp(-k × DT)`, as the factor,
// with `k / 2` for heavy particles.
// Why it is wrong: task.md says "a light particle's velocity is multiplied by `1 - k × DT`"
// (and `1 - k × DT / 2` when heavy); `exp(-k × DT)` is close to that, but not equal.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use ecs_sim::sim::{DT, Heavy, Velocity};

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
fn apply_drag(
    drag: Res<AirDrag>,
    mut light: Query<&mut Velocity, Without<Heavy>>,
    mut heavy: Query<&mut Velocity, With<Heavy>>,
) {
    // The exact decay over one tick, rather than its first-order approximation.
    let light_kept = (-drag.0 * DT).exp();
    let heavy_kept = (-drag.0 * DT / 2.0).exp();
    for mut velocity in &mut light {
        velocity.x *= light_kept;
        velocity.y *= light_kept;
    }
    for mut velocity in &mut heavy {
        velocity.x *= heavy_kept;
        velocity.y *= heavy_kept;
    }
}
