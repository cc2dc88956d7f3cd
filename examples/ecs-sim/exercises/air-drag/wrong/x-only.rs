// Wrong attempt: applies the drag to the horizontal velocity only, leaving the fall to
// gravity alone.
// Why it is wrong: task.md says "a light particle's velocity is multiplied by `1 - k × DT`",
// the whole velocity; `y` is not slowed at all.

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
    // Air resists the sideways motion; gravity already decides the vertical one.
    for mut velocity in &mut light {
        velocity.x *= 1.0 - drag.0 * DT;
    }
    for mut velocity in &mut heavy {
        velocity.x *= 1.0 - drag.0 * DT / 2.0;
    }
}
