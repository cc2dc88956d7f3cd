// Wrong attempt: gives heavy particles twice the drag, since they have twice the mass.
// Why it is wrong: task.md says "the same drag slows it half as much: its velocity is
// multiplied by `1 - k × DT / 2`"; this multiplies by `1 - 2 × k × DT`.

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
    let light_kept = 1.0 - drag.0 * DT;
    // Twice the mass: twice the drag.
    let heavy_kept = 1.0 - 2.0 * drag.0 * DT;
    for mut velocity in &mut light {
        velocity.x *= light_kept;
        velocity.y *= light_kept;
    }
    for mut velocity in &mut heavy {
        velocity.x *= heavy_kept;
        velocity.y *= heavy_kept;
    }
}
