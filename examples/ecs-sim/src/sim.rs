//! The simulation on Bevy's ECS: components (data), resources (global data), a
//! message, an observer, and systems (functions over queries) run in a fixed order.

use bevy_ecs::message::message_update_system;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{
    LogLevel, ScheduleBuildSettings, ScheduleConfigs, SingleThreadedExecutor,
};
use bevy_ecs::system::ScheduleSystem;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

// ANCHOR: components
/// Components are plain data. An entity is an ID; which components it has decides
/// which archetype table it lives in, and systems find it by those components.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Position {
    pub x: f32,
    pub y: f32,
}

#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Velocity {
    pub x: f32,
    pub y: f32,
}

/// A stable number, to list particles in the same order on every run.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ParticleId(pub u64);

/// Ticks until the particle expires.
#[derive(Component)]
pub struct Lifetime(pub u32);

/// A marker with no data: heavy particles fall twice as fast. Entities with it live
/// in their own archetype table.
#[derive(Component)]
pub struct Heavy;
// ANCHOR_END: components

/// The fixed timestep: every tick advances the simulation by exactly this much, so
/// results never depend on how fast the machine is.
pub const DT: f32 = 1.0 / 60.0;
const GRAVITY: f32 = -9.81;
/// Fraction of speed kept after hitting a wall.
const RESTITUTION: f32 = 0.8;

#[derive(Resource, Clone, Copy)]
pub struct Arena {
    pub width: f32,
    pub height: f32,
}

/// The box the particles live in, in metres.
pub const ARENA: Arena = Arena {
    width: 100.0,
    height: 100.0,
};

/// The only source of randomness, seeded: same seed, same simulation.
#[derive(Resource)]
pub struct SimRng(pub ChaCha8Rng);

/// New particles per tick (0 for the physics-only benchmark).
#[derive(Resource)]
pub struct SpawnRate(pub u32);

#[derive(Resource, Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    pub spawned: u64,
    pub bounces: u64,
    pub expired: u64,
}

/// The number the next particle gets.
#[derive(Resource, Default)]
pub struct NextId(u64);

/// Starts again: every particle goes, the statistics return to zero, and `initial`
/// new particles come from the generator, which carries on from where it was.
pub fn reset(world: &mut World, initial: usize) {
    let particles: Vec<Entity> = world
        .query_filtered::<Entity, With<ParticleId>>()
        .iter(world)
        .collect();
    for entity in particles {
        world.despawn(entity);
    }
    *world.resource_mut::<Stats>() = Stats::default();
    let fresh = {
        let mut rng = world
            .remove_resource::<SimRng>()
            .expect("populate added it");
        let mut next_id = world
            .remove_resource::<NextId>()
            .expect("populate added it");
        let fresh = random_particles(&mut rng.0, &mut next_id, initial, ARENA);
        world.insert_resource(rng);
        world.insert_resource(next_id);
        fresh
    };
    world.spawn_batch(fresh);
}

/// Spawns `count` particles at `(x, y)` flying out in random directions, drawn from
/// the simulation's seeded generator (the engine example's burst at the pointer).
pub fn burst(world: &mut World, x: f32, y: f32, count: u32) {
    for _ in 0..count {
        let mut particle = {
            let mut rng = world.resource_mut::<SimRng>();
            let mut next_id = NextId(0);
            random_particle(&mut rng.0, &mut next_id, 1.0, 1.0)
        };
        let mut next_id = world.resource_mut::<NextId>();
        next_id.0 += 1;
        particle.0 = ParticleId(next_id.0);
        particle.1 = Position { x, y };
        world.spawn(particle);
        world.resource_mut::<Stats>().spawned += 1;
    }
}

// ANCHOR: message
/// Sent by `bounce`, read by `count_bounces`: systems talk through messages instead
/// of calling each other.
#[derive(Message)]
pub struct Bounced;
// ANCHOR_END: message

// ANCHOR: systems
/// Spawns new particles with random velocities from the seeded generator.
fn spawn_particles(
    mut commands: Commands,
    mut rng: ResMut<SimRng>,
    mut next_id: ResMut<NextId>,
    mut stats: ResMut<Stats>,
    rate: Res<SpawnRate>,
    arena: Res<Arena>,
) {
    for _ in 0..rate.0 {
        let particle = random_particle(&mut rng.0, &mut next_id, arena.width, arena.height);
        if rng.0.random_range(0..4) == 0 {
            commands.spawn((particle, Heavy));
        } else {
            commands.spawn(particle);
        }
        stats.spawned += 1;
    }
}

/// Every particle falls; heavy ones twice as fast. The two queries must not overlap
/// (both take `&mut Velocity`), so the filters split the particles: `Without<Heavy>`
/// and `With<Heavy>`. Overlapping queries are rejected when the schedule starts
/// (Bevy error B0001), before any frame runs.
fn apply_gravity(
    mut light: Query<&mut Velocity, Without<Heavy>>,
    mut heavy: Query<&mut Velocity, With<Heavy>>,
) {
    for mut velocity in &mut light {
        velocity.y += GRAVITY * DT;
    }
    for mut velocity in &mut heavy {
        velocity.y += 2.0 * GRAVITY * DT;
    }
}

/// Moves each particle. The query walks the Position and Velocity columns of each
/// table in memory order, which is what makes ECS iteration cache-friendly.
fn integrate(mut particles: Query<(&mut Position, &Velocity)>) {
    for (mut position, velocity) in &mut particles {
        position.x += velocity.x * DT;
        position.y += velocity.y * DT;
    }
}

/// Reflects particles off the arena's walls, and reports each bounce.
fn bounce(
    mut particles: Query<(&mut Position, &mut Velocity)>,
    arena: Res<Arena>,
    mut bounced: MessageWriter<Bounced>,
) {
    for (mut position, mut velocity) in &mut particles {
        // `|`, not `||`: both axes must be checked, even when the first bounced.
        if reflect(&mut position.x, &mut velocity.x, arena.width)
            | reflect(&mut position.y, &mut velocity.y, arena.height)
        {
            bounced.write(Bounced);
        }
    }
}

/// Gravity, movement and bounces in one pass: the physics-only schedule that the
/// benchmark compares with the object loop, which also does all three per object.
fn physics_in_one_pass(
    mut particles: Query<(&mut Position, &mut Velocity)>,
    arena: Res<Arena>,
    mut stats: ResMut<Stats>,
) {
    let mut bounces = 0;
    for (mut position, mut velocity) in &mut particles {
        velocity.y += GRAVITY * DT;
        position.x += velocity.x * DT;
        position.y += velocity.y * DT;
        if reflect(&mut position.x, &mut velocity.x, arena.width)
            | reflect(&mut position.y, &mut velocity.y, arena.height)
        {
            bounces += 1;
        }
    }
    stats.bounces += bounces;
}

fn count_bounces(mut bounced: MessageReader<Bounced>, mut stats: ResMut<Stats>) {
    stats.bounces += bounced.read().count() as u64;
}

/// Counts down lifetimes and despawns expired particles (at the end of the tick,
/// when the schedule applies its commands).
fn age(mut commands: Commands, mut particles: Query<(Entity, &mut Lifetime)>) {
    for (entity, mut lifetime) in &mut particles {
        lifetime.0 = lifetime.0.saturating_sub(1);
        if lifetime.0 == 0 {
            commands.entity(entity).despawn();
        }
    }
}
// ANCHOR_END: systems

// ANCHOR: schedule
/// Builds the world and the schedule. `with_spawning: false` gives the physics-only
/// version that the benchmark compares with the object-oriented baseline: one system
/// doing the same work per particle as the object loop does per object.
pub fn build(seed: u64, initial: usize, with_spawning: bool) -> (World, Schedule) {
    let mut world = World::new();
    populate(
        &mut world,
        seed,
        initial,
        if with_spawning { 20 } else { 0 },
    );

    let mut schedule = checked_schedule();
    if with_spawning {
        schedule.add_systems(systems());
    } else {
        schedule.add_systems(physics_in_one_pass);
    }
    (world, schedule)
}

/// An empty schedule that refuses to run if two systems that conflict (one writes
/// data the other reads or writes) have no order between them: Bevy would pick an
/// order for them that it does not promise to keep, on any executor.
fn checked_schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..ScheduleBuildSettings::default()
    });
    // The systems form one chain, so each waits for the one before it: there is
    // nothing to run in parallel, and one thread spares the cost of handing systems
    // to worker threads. The order, and with it the result, comes from the chain.
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule
}

/// The simulation's systems, chained in their fixed order. `build` puts them in a
/// schedule of its own; the Bevy engine example puts them in `FixedUpdate`.
pub fn systems() -> ScheduleConfigs<ScheduleSystem> {
    let physics = (apply_gravity, integrate, bounce).chain();
    (
        message_update_system,
        spawn_particles,
        physics,
        count_bounces,
        age,
    )
        .chain()
}

/// Puts the arena, the statistics, the seeded generator, the observer and the first
/// `initial` particles into `world`; `spawn_rate` new particles come every tick.
pub fn populate(world: &mut World, seed: u64, initial: usize, spawn_rate: u32) {
    let arena = ARENA;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut next_id = NextId::default();
    world.insert_resource(arena);
    world.insert_resource(Stats::default());
    world.insert_resource(SpawnRate(spawn_rate));
    world.init_resource::<Messages<Bounced>>();
    // An observer runs whenever its trigger happens, here: a particle despawns.
    world.add_observer(|_: On<Despawn<ParticleId>>, mut stats: ResMut<Stats>| {
        stats.expired += 1;
    });
    world.spawn_batch(random_particles(&mut rng, &mut next_id, initial, arena));
    world.insert_resource(SimRng(rng));
    world.insert_resource(next_id);
}
// ANCHOR_END: schedule

pub type ParticleBundle = (ParticleId, Position, Velocity, Lifetime);

/// The particles a world built with `build(seed, count, ..)` starts with, for the
/// object-oriented baseline to start from the same state.
pub fn initial_particles(seed: u64, count: usize) -> (Arena, Vec<ParticleBundle>) {
    let arena = ARENA;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (
        arena,
        random_particles(&mut rng, &mut NextId::default(), count, arena),
    )
}

fn random_particles(
    rng: &mut ChaCha8Rng,
    next_id: &mut NextId,
    count: usize,
    arena: Arena,
) -> Vec<ParticleBundle> {
    (0..count)
        .map(|_| random_particle(rng, next_id, arena.width, arena.height))
        .collect()
}

fn random_particle(
    rng: &mut ChaCha8Rng,
    next_id: &mut NextId,
    width: f32,
    height: f32,
) -> ParticleBundle {
    next_id.0 += 1;
    (
        ParticleId(next_id.0),
        Position {
            x: rng.random_range(0.0..width),
            y: rng.random_range(0.0..height),
        },
        Velocity {
            x: rng.random_range(-20.0..20.0),
            y: rng.random_range(-20.0..20.0),
        },
        Lifetime(rng.random_range(60..600)),
    )
}

/// Keeps a coordinate inside `0..=limit`, reversing and damping its velocity at a
/// wall. Returns whether it bounced. Shared with the object-oriented baseline.
pub fn reflect(coordinate: &mut f32, velocity: &mut f32, limit: f32) -> bool {
    if *coordinate < 0.0 {
        *coordinate = -*coordinate;
    } else if *coordinate > limit {
        *coordinate = 2.0 * limit - *coordinate;
    } else {
        return false;
    }
    *velocity = -*velocity * RESTITUTION;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy_ecs::schedule::{ScheduleBuildError, ScheduleBuildWarning};

    /// The check in `checked_schedule` is not vacuous: without `.chain()`, `integrate`
    /// and `bounce` both write `Position` (and `apply_gravity` and `integrate` meet on
    /// `Velocity`) with no order between them, and the schedule refuses to start.
    #[test]
    fn conflicting_systems_without_an_order_are_rejected() {
        let mut world = World::new();
        populate(&mut world, 1, 10, 0);
        let mut schedule = checked_schedule();
        schedule.add_systems((apply_gravity, integrate, bounce));
        assert!(matches!(
            schedule.initialize(&mut world),
            Err(ScheduleBuildError::Elevated(
                ScheduleBuildWarning::Ambiguity(_)
            ))
        ));

        let mut chained = checked_schedule();
        chained.add_systems((apply_gravity, integrate, bounce).chain());
        assert!(chained.initialize(&mut world).is_ok());
    }
}
