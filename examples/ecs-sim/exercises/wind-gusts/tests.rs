//! The tests that define "done" for the exercise "wind-gusts".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::{Wind, wind_schedule};
use ecs_sim::sim::{self, DT, Heavy, Lifetime, ParticleId, Position, Velocity};

const STRENGTH: f32 = 6.0;
const TICKS: usize = 30;

/// The horizontal velocity a particle gains on each of `TICKS` ticks, starting at
/// rest in the middle of the physics-only arena, where it hits no wall.
fn pushes(seed: u64, heavy: bool) -> Vec<f32> {
    let (mut world, mut tick) = sim::build(seed, 0, false);
    world.insert_resource(Wind { strength: STRENGTH });
    let mut wind = wind_schedule();
    let particle = world
        .spawn((
            ParticleId(1),
            Position { x: 50.0, y: 50.0 },
            Velocity { x: 0.0, y: 0.0 },
            Lifetime(1000),
        ))
        .id();
    if heavy {
        world.entity_mut(particle).insert(Heavy);
    }
    let mut pushes = Vec::new();
    for _ in 0..TICKS {
        let before = world.get::<Velocity>(particle).expect("still there").x;
        tick.run(&mut world);
        wind.run(&mut world);
        pushes.push(world.get::<Velocity>(particle).expect("still there").x - before);
    }
    pushes
}

#[test]
fn each_push_is_a_gust_in_the_range() {
    let (weakest, strongest) = (0.5 * STRENGTH * DT, 1.5 * STRENGTH * DT);
    for push in pushes(1, false) {
        assert!(
            (weakest - 1e-4..=strongest + 1e-4).contains(&push),
            "a push of {push} m/s, outside {weakest}..{strongest}"
        );
    }
}

#[test]
fn gusts_vary_from_tick_to_tick() {
    let pushes = pushes(1, false);
    // Pushes of the same gust can differ in the last bits (the velocity they are
    // added to changes), so only a clear difference counts.
    let different = pushes
        .windows(2)
        .filter(|pair| (pair[0] - pair[1]).abs() > 1e-3)
        .count();
    assert!(
        different > TICKS / 2,
        "the same push again and again: {pushes:?}"
    );
}

#[test]
fn the_seed_decides_the_gusts() {
    assert_eq!(pushes(1, false), pushes(1, false), "same seed, same gusts");
    assert_ne!(
        pushes(1, false),
        pushes(2, false),
        "another seed, other gusts"
    );
}

#[test]
fn heavy_particles_are_not_pushed() {
    assert!(pushes(1, true).iter().all(|&push| push == 0.0));
}

#[test]
fn the_whole_simulation_stays_deterministic() {
    let run = |seed| {
        let (mut world, mut tick) = sim::build(seed, 200, true);
        world.insert_resource(Wind { strength: STRENGTH });
        let mut wind = wind_schedule();
        for _ in 0..120 {
            tick.run(&mut world);
            wind.run(&mut world);
        }
        let mut particles: Vec<(ParticleId, Position, Velocity)> = world
            .query::<(&ParticleId, &Position, &Velocity)>()
            .iter(&world)
            .map(|(id, position, velocity)| (*id, *position, *velocity))
            .collect();
        particles.sort_by_key(|(id, _, _)| *id);
        particles
    };
    assert_eq!(run(42), run(42));
}

#[test]
fn one_gust_pushes_every_light_particle_alike() {
    let (mut world, _) = sim::build(3, 0, false);
    world.insert_resource(Wind { strength: STRENGTH });
    let mut wind = wind_schedule();
    let [first, second] = [1, 2].map(|id| {
        world
            .spawn((
                ParticleId(id),
                Position { x: 50.0, y: 50.0 },
                Velocity { x: 0.0, y: 0.0 },
                Lifetime(1000),
            ))
            .id()
    });
    for tick in 0..TICKS {
        wind.run(&mut world);
        let [a, b] =
            [first, second].map(|particle| world.get::<Velocity>(particle).expect("still there").x);
        assert_eq!(a, b, "tick {tick}: two light particles got different gusts");
    }
}
