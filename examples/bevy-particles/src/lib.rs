//! The game engines chapter's particle simulation inside the real Bevy engine.
//!
//! The simulation is `ecs-sim`'s, unchanged: its components, resources and systems,
//! which the chapter tests and benchmarks headless, run here in the engine's
//! `FixedUpdate` schedule, 60 times per simulated second whatever the frame rate.
//! This crate only adds what a game adds: a camera, a sprite per particle, and input.
//! It runs in three places: a window (`src/main.rs`), offscreen into an image
//! ([`Offscreen`], for tests, screenshots and benchmarks), and a web page's canvas
//! ([`web`], compiled to WebAssembly).

use bevy::prelude::*;
use ecs_sim::sim::{self, ARENA, Heavy, Lifetime, Position};

#[cfg(not(target_arch = "wasm32"))]
mod offscreen;
#[cfg(not(target_arch = "wasm32"))]
pub use offscreen::{Error, Offscreen, PngFile, Rendered, graphics_adapter, render_offscreen};
pub mod web;

/// Particles at the start, and new ones per simulation tick (as in `ecs-sim`).
pub const INITIAL_PARTICLES: usize = 300;
const SPAWN_RATE: u32 = 2;
/// Screen pixels per metre of the 100 m arena, and the picture's size.
const SCALE: f32 = 3.0;
pub const SIZE: u32 = 360;

// ANCHOR: plugin
/// The game: the simulation in `FixedUpdate`, drawing and input in `Update`.
#[derive(Clone, Copy)]
pub struct ParticlesPlugin {
    /// The same seed gives the same particles, and so the same frames.
    pub seed: u64,
    /// Particles at the start, and again after R.
    pub particles: usize,
    /// For benchmarks: no particle expires and none is added, so that every frame
    /// draws the same number.
    pub steady: bool,
}

impl Plugin for ParticlesPlugin {
    fn build(&self, app: &mut App) {
        let spawn_rate = if self.steady { 0 } else { SPAWN_RATE };
        sim::populate(app.world_mut(), self.seed, self.particles, spawn_rate);
        if self.steady {
            make_immortal(app.world_mut());
        }
        app.insert_resource(Time::<Fixed>::from_hz(60.0))
            .insert_resource(ClearColor(Color::srgb(0.08, 0.09, 0.12)))
            .insert_resource(InitialParticles(self.particles))
            .add_systems(Startup, draw_arena)
            .add_systems(FixedUpdate, sim::systems())
            .add_systems(Update, (attach_sprites, follow_positions, input).chain());
    }
}
// ANCHOR_END: plugin

impl Default for ParticlesPlugin {
    fn default() -> Self {
        Self {
            seed: 42,
            particles: INITIAL_PARTICLES,
            steady: false,
        }
    }
}

/// How many particles R starts again with.
#[derive(Resource)]
struct InitialParticles(usize);

/// The simulation despawns a particle when its `Lifetime` runs out: without one, it
/// lives for ever.
fn make_immortal(world: &mut World) {
    let mortal: Vec<Entity> = world
        .query_filtered::<Entity, With<Lifetime>>()
        .iter(world)
        .collect();
    for entity in mortal {
        world.entity_mut(entity).remove::<Lifetime>();
    }
}

/// The arena, a square a little lighter than the background, behind the particles.
fn draw_arena(mut commands: Commands) {
    commands.spawn((
        Sprite::from_color(
            Color::srgb(0.13, 0.15, 0.2),
            Vec2::new(ARENA.width, ARENA.height) * SCALE,
        ),
        Transform::from_xyz(0.0, 0.0, -1.0),
    ));
}

// ANCHOR: drawing
/// A particle the simulation spawned gets a sprite: a small square, orange for the
/// heavy ones. `Added<Position>` finds only the entities spawned since last frame.
fn attach_sprites(
    mut commands: Commands,
    new: Query<(Entity, &Position, Has<Heavy>), Added<Position>>,
) {
    for (entity, position, heavy) in &new {
        let color = if heavy {
            Color::srgb(1.0, 0.55, 0.1)
        } else {
            Color::srgb(0.45, 0.75, 1.0)
        };
        commands.entity(entity).insert((
            Sprite::from_color(color, Vec2::splat(3.0)),
            Transform::from_translation(on_screen(position)),
        ));
    }
}

/// Every frame, each sprite goes where the simulation last put its particle.
fn follow_positions(mut particles: Query<(&Position, &mut Transform)>) {
    for (position, mut transform) in &mut particles {
        transform.translation = on_screen(position);
    }
}

/// The arena's centre is the middle of the screen; y points up in both.
fn on_screen(position: &Position) -> Vec3 {
    Vec3::new(
        (position.x - ARENA.width / 2.0) * SCALE,
        (position.y - ARENA.height / 2.0) * SCALE,
        0.0,
    )
}
// ANCHOR_END: drawing

/// Space pauses and resumes, a click spawns a burst at the pointer, R starts again.
fn input(
    mut commands: Commands,
    initial: Res<InitialParticles>,
    keys: Res<ButtonInput<KeyCode>>,
    buttons: Res<ButtonInput<MouseButton>>,
    mut time: ResMut<Time<Virtual>>,
    windows: Query<&Window>,
    cameras: Query<(&Camera, &GlobalTransform)>,
) {
    if keys.just_pressed(KeyCode::Space) {
        // Pausing virtual time stops `FixedUpdate`; drawing and input go on.
        if time.is_paused() {
            time.unpause();
        } else {
            time.pause();
        }
    }
    if keys.just_pressed(KeyCode::KeyR) {
        let particles = initial.0;
        commands.queue(move |world: &mut World| sim::reset(world, particles));
    }
    if buttons.just_pressed(MouseButton::Left)
        && let (Ok(window), Ok((camera, camera_transform))) = (windows.single(), cameras.single())
        && let Some(cursor) = window.cursor_position()
        && let Ok(point) = camera.viewport_to_world_2d(camera_transform, cursor)
    {
        let x = point.x / SCALE + ARENA.width / 2.0;
        let y = point.y / SCALE + ARENA.height / 2.0;
        commands.queue(move |world: &mut World| sim::burst(world, x, y, 40));
    }
}
