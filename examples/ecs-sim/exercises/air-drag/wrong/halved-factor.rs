// Wrong attempt: halves the light particles' factor for heavy particles.
// Why it is wrong: task.md says a heavy particle's velocity is multiplied by
// `1 - k × DT / 2`; `(1 - k × DT) / 2` halves its speed every tick, and even with zero drag.

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
    let kept = 1.0 - drag.0 * DT;
    for mut velocity in &mut light {
        velocity.x *= kept;
        velocity.y *= kept;
    }
    // Heavy particles: half as much.
    for mut velocity in &mut heavy {
        velocity.x *= kept / 2.0;
        velocity.y *= kept / 2.0;
    }
}
