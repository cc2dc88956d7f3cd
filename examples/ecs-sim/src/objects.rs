//! The same physics written the object-oriented way: each particle is a separately
//! allocated object behind a trait, updated through a virtual call. This is the
//! baseline the benchmark compares the ECS with.

use crate::sim::{Arena, DT, ParticleBundle, Position, Velocity, reflect};

// ANCHOR: objects
/// Anything the world can update.
pub trait Body {
    /// Advances one tick; returns whether the body bounced off a wall.
    fn update(&mut self, arena: &Arena) -> bool;
    fn id(&self) -> u64;
    fn position(&self) -> Position;
}

pub struct Particle {
    id: u64,
    position: Position,
    velocity: Velocity,
}

impl Body for Particle {
    fn update(&mut self, arena: &Arena) -> bool {
        self.velocity.y += -9.81 * DT;
        self.position.x += self.velocity.x * DT;
        self.position.y += self.velocity.y * DT;
        reflect(&mut self.position.x, &mut self.velocity.x, arena.width)
            | reflect(&mut self.position.y, &mut self.velocity.y, arena.height)
    }

    fn id(&self) -> u64 {
        self.id
    }

    fn position(&self) -> Position {
        self.position
    }
}

/// A list of boxed objects: every particle is its own heap allocation, reached
/// through a pointer, with its methods looked up at run time.
pub struct ObjectWorld {
    pub bodies: Vec<Box<dyn Body>>,
    pub arena: Arena,
    pub bounces: u64,
}

impl ObjectWorld {
    pub fn step(&mut self) {
        for body in &mut self.bodies {
            if body.update(&self.arena) {
                self.bounces += 1;
            }
        }
    }
}
// ANCHOR_END: objects

impl ObjectWorld {
    /// Boxes allocated one after another usually end up next to each other in
    /// memory. In a long-running game, objects are created and destroyed all the
    /// time, and the list's order stops matching the memory order. Shuffling the
    /// list reproduces that.
    pub fn after_churn(arena: Arena, particles: Vec<ParticleBundle>, seed: u64) -> Self {
        use rand::SeedableRng;
        use rand::seq::SliceRandom;
        let mut world = Self::new(arena, particles);
        world
            .bodies
            .shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
        world
    }

    pub fn new(arena: Arena, particles: Vec<ParticleBundle>) -> Self {
        let bodies = particles
            .into_iter()
            .map(|(id, position, velocity, _lifetime)| {
                Box::new(Particle {
                    id: id.0,
                    position,
                    velocity,
                }) as Box<dyn Body>
            })
            .collect();
        Self {
            bodies,
            arena,
            bounces: 0,
        }
    }
}
