//! The game engines chapter's particle simulation inside the real Bevy engine.
//!
//! The simulation is `ecs-sim`'s, unchanged: its components, resources and systems,
//! which the chapter tests and benchmarks headless, run here in the engine's
//! `FixedUpdate` schedule, 60 times per simulated second whatever the frame rate.
//! This crate only adds what a game adds: a camera, a sprite per particle, and input.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bevy::asset::RenderAssetUsages;
use bevy::camera::RenderTarget;
use bevy::image::IntoDynamicImageError;
use bevy::prelude::*;
use bevy::render::RenderPlugin;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat, TextureUsages};
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::time::TimeUpdateStrategy;
use bevy::window::ExitCondition;
use bevy::winit::WinitPlugin;
use ecs_sim::sim::{self, ARENA, Heavy, ParticleId, Position, Stats};

/// What can go wrong when rendering offscreen.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("interrupted by a signal before the last frame; nothing was written")]
    Interrupted,
    #[error("the renderer never returned the last frame")]
    NoFrame,
    #[error("reading the rendered frame")]
    Frame(#[from] IntoDynamicImageError),
    #[error("encoding the picture as PNG")]
    Encode(#[from] image::ImageError),
    #[error("writing {path}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Particles at the start, and new ones per simulation tick (as in `ecs-sim`).
pub const INITIAL_PARTICLES: usize = 300;
const SPAWN_RATE: u32 = 2;
/// Screen pixels per metre of the 100 m arena, and the picture's size.
const SCALE: f32 = 3.0;
pub const SIZE: u32 = 360;

// ANCHOR: plugin
/// The game: the simulation in `FixedUpdate`, drawing and input in `Update`.
pub struct ParticlesPlugin {
    pub seed: u64,
}

impl Plugin for ParticlesPlugin {
    fn build(&self, app: &mut App) {
        sim::populate(app.world_mut(), self.seed, INITIAL_PARTICLES, SPAWN_RATE);
        app.insert_resource(Time::<Fixed>::from_hz(60.0))
            .insert_resource(ClearColor(Color::srgb(0.08, 0.09, 0.12)))
            .add_systems(Startup, draw_arena)
            .add_systems(FixedUpdate, sim::systems())
            .add_systems(Update, (attach_sprites, follow_positions, input).chain());
    }
}
// ANCHOR_END: plugin

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
        commands.queue(|world: &mut World| sim::reset(world, INITIAL_PARTICLES));
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

/// What an offscreen run did.
pub struct Rendered {
    pub frames: u32,
    pub particles: usize,
    pub stats: Stats,
    /// The last frame, RGBA, `SIZE` by `SIZE` pixels.
    pub pixels: Vec<u8>,
}

/// The captured frame, when the renderer has read it back.
#[derive(Resource, Default)]
struct Captured(Option<Image>);

// ANCHOR: offscreen
/// Runs the game for `frames` frames with no window, drawing into an image, and
/// returns the last frame. Every frame advances the game by exactly 1/60 s, so the
/// result is the same on every machine: one simulation tick per frame.
/// `stop`, set by a signal handler, ends the run between two frames.
pub fn render_offscreen(seed: u64, frames: u32, stop: &AtomicBool) -> Result<Rendered, Error> {
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            // No window and no event loop: this code calls `update` itself.
            .set(WindowPlugin {
                primary_window: None,
                exit_condition: ExitCondition::DontExit,
                ..default()
            })
            // Compile every shader before the first frame, or it would come out empty.
            .set(RenderPlugin {
                synchronous_pipeline_compilation: true,
                ..default()
            })
            .disable::<WinitPlugin>(),
    )
    .add_plugins(ParticlesPlugin { seed })
    .insert_resource(TimeUpdateStrategy::ManualDuration(
        Duration::from_secs(1) / 60,
    ))
    .init_resource::<Captured>();
    app.finish();
    app.cleanup();

    let target = app
        .world_mut()
        .resource_mut::<Assets<Image>>()
        .add(render_target());
    // No multisampling: squares with sharp edges, the same on every GPU, and a
    // picture of four colours that compresses well.
    app.world_mut().spawn((
        Camera2d,
        Msaa::Off,
        RenderTarget::Image(target.clone().into()),
    ));
    for _ in 0..frames {
        if stop.load(Ordering::Relaxed) {
            return Err(Error::Interrupted);
        }
        app.update();
    }
    // ANCHOR_END: offscreen
    app.world_mut().spawn(Screenshot::image(target)).observe(
        |captured: On<ScreenshotCaptured>, mut kept: ResMut<Captured>| {
            kept.0 = Some(captured.image.clone());
        },
    );
    // The frame is copied back from the GPU over the next updates.
    for _ in 0..10 {
        app.update();
        if app.world().resource::<Captured>().0.is_some() {
            break;
        }
    }
    let image = app.world_mut().resource_mut::<Captured>().0.take();
    let pixels = image
        .ok_or(Error::NoFrame)?
        .try_into_dynamic()?
        .to_rgba8()
        .into_raw();
    let world = app.world_mut();
    let particles = world.query::<&ParticleId>().iter(world).count();
    Ok(Rendered {
        frames,
        particles,
        stats: *world.resource::<Stats>(),
        pixels,
    })
}

/// An image the GPU can draw into and copy from.
fn render_target() -> Image {
    let mut image = Image::new_uninit(
        Extent3d {
            width: SIZE,
            height: SIZE,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    );
    image.texture_descriptor.usage |= TextureUsages::RENDER_ATTACHMENT;
    image
}

/// Writes RGBA pixels as a PNG. The picture is encoded in memory first, then written
/// to a temporary file that is renamed at the end, so that a failed write never leaves
/// half a picture under the final name, nor the temporary file.
pub fn save_png(pixels: &[u8], path: &Path) -> Result<(), Error> {
    let mut png = Vec::new();
    // The frame is opaque: keep red, green and blue, drop alpha.
    let rgb: Vec<u8> = pixels
        .chunks_exact(4)
        .flat_map(|pixel| [pixel[0], pixel[1], pixel[2]])
        .collect();
    image::write_buffer_with_format(
        &mut std::io::Cursor::new(&mut png),
        &rgb,
        SIZE,
        SIZE,
        image::ColorType::Rgb8,
        image::ImageFormat::Png,
    )?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let partial = path.with_file_name(format!(".{name}.partial"));
    let written = std::fs::write(&partial, &png).and_then(|()| std::fs::rename(&partial, path));
    written.map_err(|source| {
        let _ = std::fs::remove_file(&partial);
        Error::Write {
            path: path.to_owned(),
            source,
        }
    })
}

/// Whether this machine has a graphics adapter Bevy can use (a GPU, or a software
/// one such as lavapipe). Bevy panics without one; asking first gives a clear error.
pub fn graphics_adapter() -> Option<String> {
    // The backends Bevy would try (and `WGPU_BACKEND` if set), without a window.
    let instance =
        wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
    let adapter =
        bevy::tasks::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions::default()))
            .ok()?;
    let info = adapter.get_info();
    Some(format!("{} ({:?})", info.name, info.backend))
}
