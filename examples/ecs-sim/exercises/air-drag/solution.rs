// Reference solution of the exercise "air-drag" (see task.md beside this file).

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

/// Slows every particle down a little, once per tick; heavy ones half as much.
///
/// Both queries change velocities, so they must not overlap: `Without<Heavy>` and
/// `With<Heavy>` split the particles into two disjoint sets, one per archetype table
/// (a single `Query<&mut Velocity>` beside the heavy one would be error B0001).
fn apply_drag(
    drag: Res<AirDrag>,
    mut light: Query<&mut Velocity, Without<Heavy>>,
    mut heavy: Query<&mut Velocity, With<Heavy>>,
) {
    // A force slows a body in inverse proportion to its mass: twice the mass, half
    // the loss. The factors depend only on the resource and the fixed timestep, so
    // every run computes exactly the same numbers.
    let kept_by_light = 1.0 - drag.0 * DT;
    let kept_by_heavy = 1.0 - drag.0 * DT / 2.0;
    for mut velocity in &mut light {
        slow_down(&mut velocity, kept_by_light);
    }
    for mut velocity in &mut heavy {
        slow_down(&mut velocity, kept_by_heavy);
    }
}

/// Keeps the fraction `kept` of a velocity.
fn slow_down(velocity: &mut Velocity, kept: f32) {
    velocity.x *= kept;
    velocity.y *= kept;
}
