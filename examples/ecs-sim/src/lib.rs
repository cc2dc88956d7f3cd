//! A headless particle simulation on Bevy's ECS (`bevy_ecs`): no window, no GPU.
//! It is deterministic (same seed, same final state, on every run) and benchmarked
//! against an object-oriented version of the same physics.
//!
//! Run it with `cargo run --example ecs-sim`; benchmark it with
//! `cargo xtask bench-report ecs-sim`.

pub mod objects;
pub mod sim;

use bevy_ecs::prelude::*;

use sim::{ParticleId, Position, Stats, Velocity};

/// A world and the schedule that advances it.
pub struct Simulation {
    world: World,
    schedule: Schedule,
}

impl Simulation {
    /// A simulation that starts with `initial` particles and spawns 20 per tick.
    pub fn new(seed: u64, initial: usize) -> Self {
        let (world, schedule) = sim::build(seed, initial, true);
        Self { world, schedule }
    }

    /// Only gravity, movement and bounces: no particles come or go.
    pub fn physics_only(seed: u64, count: usize) -> Self {
        let (world, schedule) = sim::build(seed, count, false);
        Self { world, schedule }
    }

    /// Runs every system once: one fixed timestep.
    pub fn step(&mut self) {
        self.schedule.run(&mut self.world);
    }

    pub fn stats(&self) -> Stats {
        *self.world.resource::<Stats>()
    }

    pub fn particle_count(&mut self) -> usize {
        self.world.query::<&ParticleId>().iter(&self.world).count()
    }

    /// Particles sorted by ID, as (id, position).
    pub fn positions(&mut self) -> Vec<(u64, Position)> {
        let mut particles: Vec<(u64, Position)> = self
            .world
            .query::<(&ParticleId, &Position)>()
            .iter(&self.world)
            .map(|(id, position)| (id.0, *position))
            .collect();
        particles.sort_by_key(|(id, _)| *id);
        particles
    }

    // ANCHOR: hash
    /// A fingerprint of the whole state: every particle's exact bits, in ID order,
    /// and the counters. Two runs agree only if they agree on every bit.
    pub fn state_hash(&mut self) -> u64 {
        let mut particles: Vec<(u64, Position, Velocity)> = self
            .world
            .query::<(&ParticleId, &Position, &Velocity)>()
            .iter(&self.world)
            .map(|(id, position, velocity)| (id.0, *position, *velocity))
            .collect();
        particles.sort_by_key(|(id, _, _)| *id);
        let stats = self.stats();
        let mut hash = Fnv1a::default();
        for (id, position, velocity) in particles {
            hash.write(id);
            for value in [position.x, position.y, velocity.x, velocity.y] {
                hash.write(u64::from(value.to_bits()));
            }
        }
        for counter in [stats.spawned, stats.bounces, stats.expired] {
            hash.write(counter);
        }
        hash.0
    }
    // ANCHOR_END: hash
}

/// FNV-1a, 64-bit: a few lines, and stable across Rust versions (unlike the
/// standard library's `DefaultHasher`, which promises no particular algorithm).
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn write(&mut self, value: u64) {
        for byte in value.to_le_bytes() {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use objects::ObjectWorld;

    fn final_hash(seed: u64) -> u64 {
        let mut simulation = Simulation::new(seed, 500);
        for _ in 0..300 {
            simulation.step();
        }
        simulation.state_hash()
    }

    // ANCHOR: determinism
    #[test]
    fn same_seed_gives_the_same_final_state() {
        assert_eq!(final_hash(42), final_hash(42));
    }

    #[test]
    fn another_seed_gives_another_final_state() {
        assert_ne!(final_hash(42), final_hash(43));
    }
    // ANCHOR_END: determinism

    #[test]
    fn particles_come_and_go() {
        let mut simulation = Simulation::new(7, 100);
        for _ in 0..200 {
            simulation.step();
        }
        let stats = simulation.stats();
        assert_eq!(stats.spawned, 200 * 20);
        assert!(stats.expired > 0 && stats.bounces > 0, "{stats:?}");
        let alive = simulation.particle_count() as u64;
        assert_eq!(alive, 100 + stats.spawned - stats.expired);
    }

    /// The benchmark is fair only if both versions compute the same thing.
    #[test]
    fn ecs_and_objects_compute_identical_physics() {
        let mut ecs = Simulation::physics_only(9, 1000);
        let (arena, particles) = sim::initial_particles(9, 1000);
        let mut objects = ObjectWorld::new(arena, particles);
        for _ in 0..120 {
            ecs.step();
            objects.step();
        }
        let (arena, particles) = sim::initial_particles(9, 1000);
        let mut churned = ObjectWorld::after_churn(arena, particles, 3);
        for _ in 0..120 {
            churned.step();
        }
        let ecs_positions = ecs.positions();
        for world in [&objects, &churned] {
            let mut from_objects: Vec<(u64, Position)> = world
                .bodies
                .iter()
                .map(|body| (body.id(), body.position()))
                .collect();
            from_objects.sort_by_key(|(id, _)| *id);
            assert_eq!(ecs_positions, from_objects);
            assert_eq!(ecs.stats().bounces, world.bounces);
        }
    }
}
