//! The tests that define "done" for the exercise "air-drag".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::{AirDrag, drag_schedule};
use bevy_ecs::prelude::*;
use ecs_sim::sim::{self, DT, Heavy, Lifetime, ParticleId, Position, Stats, Velocity};

type Particle = (ParticleId, Position, Velocity);

/// Runs the chapter's schedule, then the drag schedule, `ticks` times.
fn run_with_drag(world: &mut World, tick: &mut Schedule, ticks: u32) {
    let mut drag = drag_schedule();
    for _ in 0..ticks {
        tick.run(world);
        drag.run(world);
    }
}

/// Every particle, in ID order, and the counters: the whole state to compare.
fn state(world: &mut World) -> (Vec<Particle>, Stats) {
    let mut particles: Vec<Particle> = world
        .query::<(&ParticleId, &Position, &Velocity)>()
        .iter(world)
        .map(|(id, position, velocity)| (*id, *position, *velocity))
        .collect();
    particles.sort_by_key(|(id, _, _)| *id);
    (particles, *world.resource::<Stats>())
}

/// One particle's horizontal speed after a second (60 ticks) of drag, in the middle
/// of the physics-only arena, where it hits no wall.
fn horizontal_speed_after_one_second(drag: f32, heavy: bool) -> f32 {
    let (mut world, mut tick) = sim::build(1, 0, false);
    world.insert_resource(AirDrag(drag));
    let particle = world
        .spawn((
            ParticleId(1),
            Position { x: 50.0, y: 50.0 },
            Velocity { x: 10.0, y: 0.0 },
            Lifetime(1000),
        ))
        .id();
    if heavy {
        world.entity_mut(particle).insert(Heavy);
    }
    run_with_drag(&mut world, &mut tick, 60);
    world.get::<Velocity>(particle).expect("still there").x
}

/// What 60 ticks of keeping `kept` of the velocity leave of 10 m/s.
fn expected(kept: f32) -> f32 {
    (0..60).fold(10.0, |speed, _| speed * kept)
}

#[test]
fn light_particles_slow_down() {
    let speed = horizontal_speed_after_one_second(0.6, false);
    let want = expected(1.0 - 0.6 * DT);
    assert!((speed - want).abs() < 1e-3, "{speed} m/s, expected {want}");
}

#[test]
fn heavy_particles_lose_half_as_much() {
    let speed = horizontal_speed_after_one_second(0.6, true);
    let want = expected(1.0 - 0.6 * DT / 2.0);
    assert!((speed - want).abs() < 1e-3, "{speed} m/s, expected {want}");
}

#[test]
fn same_seed_gives_the_same_state_with_drag() {
    let run = || {
        let (mut world, mut tick) = sim::build(42, 200, true);
        world.insert_resource(AirDrag(0.5));
        run_with_drag(&mut world, &mut tick, 120);
        state(&mut world)
    };
    let first = run();
    assert_eq!(first, run());

    let (mut world, mut tick) = sim::build(42, 200, true);
    for _ in 0..120 {
        tick.run(&mut world);
    }
    assert_ne!(first, state(&mut world), "drag changes the simulation");
}

#[test]
fn zero_drag_changes_nothing() {
    let (mut with_drag, mut tick) = sim::build(7, 200, true);
    with_drag.insert_resource(AirDrag(0.0));
    run_with_drag(&mut with_drag, &mut tick, 120);

    let (mut without, mut tick) = sim::build(7, 200, true);
    for _ in 0..120 {
        tick.run(&mut without);
    }
    assert_eq!(state(&mut with_drag), state(&mut without));
}

#[test]
fn drag_slows_both_directions() {
    // Only the drag schedule, on a particle moving right and down at once.
    let mut world = bevy_ecs::world::World::new();
    world.insert_resource(AirDrag(0.6));
    let particle = world.spawn(Velocity { x: 10.0, y: -20.0 }).id();
    drag_schedule().run(&mut world);
    let kept = 1.0 - 0.6 * DT;
    let velocity = *world.get::<Velocity>(particle).expect("still there");
    assert!(
        (velocity.x - 10.0 * kept).abs() < 1e-4 && (velocity.y + 20.0 * kept).abs() < 1e-4,
        "{velocity:?}, expected both parts of (10, -20) times {kept}"
    );
}
