//! Rendering with no window: into an image the tests compare, the example saves as a
//! PNG and the benchmarks time.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bevy::asset::RenderAssetUsages;
use bevy::camera::RenderTarget;
use bevy::image::IntoDynamicImageError;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat, TextureUsages};
use bevy::render::renderer::RenderDevice;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::render::{RenderApp, RenderPlugin};
use bevy::time::TimeUpdateStrategy;
use bevy::window::ExitCondition;
use bevy::winit::WinitPlugin;
use ecs_sim::sim::{ParticleId, Stats};
use wgpu::PollType;

use crate::{ParticlesPlugin, SIZE};

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
    #[error("writing {path}: {what}, not a regular file: refusing to replace it")]
    NotAFile { path: PathBuf, what: &'static str },
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

/// The game with no window, drawing into an image, one frame per [`Offscreen::frame`].
pub struct Offscreen {
    app: App,
    target: Handle<Image>,
    frames: u32,
}

// ANCHOR: offscreen
impl Offscreen {
    /// Every frame advances the game by exactly 1/60 s, so the result is the same on
    /// every machine: one simulation tick per frame.
    pub fn new(game: ParticlesPlugin) -> Self {
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
        .add_plugins(game)
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
        Self {
            app,
            target,
            frames: 0,
        }
    }

    /// One turn of the engine's loop: input, the simulation's ticks, drawing. It
    /// returns when the GPU has finished the frame, so that a frame's time is all of
    /// its work.
    pub fn frame(&mut self) {
        self.app.update();
        let device = self
            .app
            .sub_app(RenderApp)
            .world()
            .resource::<RenderDevice>();
        // Waiting with no timeout and no submission index cannot fail: wgpu's only
        // poll errors are a timeout and a wrong index.
        let _ = device.poll(PollType::wait_indefinitely());
        self.frames += 1;
    }
}
// ANCHOR_END: offscreen

impl Offscreen {
    /// Reads the last frame back from the GPU.
    pub fn capture(mut self) -> Result<Rendered, Error> {
        let target = self.target.clone();
        self.app
            .world_mut()
            .spawn(Screenshot::image(target))
            .observe(
                |captured: On<ScreenshotCaptured>, mut kept: ResMut<Captured>| {
                    kept.0 = Some(captured.image.clone());
                },
            );
        // The frame is copied back from the GPU over the next updates.
        for _ in 0..10 {
            self.app.update();
            if self.app.world().resource::<Captured>().0.is_some() {
                break;
            }
        }
        let image = self.app.world_mut().resource_mut::<Captured>().0.take();
        let pixels = image
            .ok_or(Error::NoFrame)?
            .try_into_dynamic()?
            .to_rgba8()
            .into_raw();
        let world = self.app.world_mut();
        let particles = world.query::<&ParticleId>().iter(world).count();
        Ok(Rendered {
            frames: self.frames,
            particles,
            stats: *world.resource::<Stats>(),
            pixels,
        })
    }
}

/// Runs the game for `frames` frames offscreen and returns the last frame. `stop`,
/// set by a signal handler, ends the run between two frames.
pub fn render_offscreen(seed: u64, frames: u32, stop: &AtomicBool) -> Result<Rendered, Error> {
    if stop.load(Ordering::Acquire) {
        return Err(Error::Interrupted);
    }
    let mut offscreen = Offscreen::new(ParticlesPlugin { seed, ..default() });
    for _ in 0..frames {
        // Acquire: whatever the signal handler stored before it set the flag (the
        // example stores which signal came) is visible to this thread once the flag is.
        if stop.load(Ordering::Acquire) {
            return Err(Error::Interrupted);
        }
        offscreen.frame();
    }
    offscreen.capture()
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

/// A PNG file about to be written: the target is checked, and the file that will
/// become it created, before any frame is rendered, so that a name that cannot be
/// written is an error at once, not after minutes of rendering.
///
/// The picture goes to a new file beside the target, under a random name and created
/// with `O_EXCL`: the creation fails rather than open a file or follow a symbolic link
/// that someone put there, which a fixed name such as `.NAME.partial` would do. Only
/// once complete is it renamed over the target. Dropped before that (an error, a
/// signal), it is deleted: no half-written picture is left, under any name.
pub struct PngFile {
    path: PathBuf,
    partial: tempfile::NamedTempFile<File>,
}

impl PngFile {
    pub fn create(path: &Path) -> Result<Self, Error> {
        replaceable(path)?;
        let dir = path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let prefix = format!(".{name}.");
        let partial = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".partial")
            // tempfile picks the random name; `create_new` (`O_CREAT | O_EXCL`) opens it
            // only if nothing, not even a symbolic link, is there yet.
            .make_in(dir, |name| {
                let mut options = File::options();
                options.write(true).create_new(true);
                // The mode `File::create` uses (read and write for all, less the
                // umask), rather than the owner-only mode of a temporary file.
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
                options.open(name)
            })
            .map_err(|source| Error::Write {
                path: path.to_owned(),
                source,
            })?;
        Ok(Self {
            path: path.to_owned(),
            partial,
        })
    }

    /// Writes RGBA pixels as the PNG and puts it in place.
    pub fn write(mut self, pixels: &[u8]) -> Result<(), Error> {
        let mut png = Vec::new();
        // The frame is opaque: keep red, green and blue, drop alpha.
        let (rgba, _) = pixels.as_chunks::<4>();
        let rgb: Vec<u8> = rgba.iter().flat_map(|&[r, g, b, _]| [r, g, b]).collect();
        image::write_buffer_with_format(
            &mut std::io::Cursor::new(&mut png),
            &rgb,
            SIZE,
            SIZE,
            image::ColorType::Rgb8,
            image::ImageFormat::Png,
        )?;
        let write_error = |source| Error::Write {
            path: self.path.clone(),
            source,
        };
        // Through the `File` itself: tempfile's own `Write` adds the temporary name to
        // every error, a name that is gone by the time the error is read.
        self.partial
            .as_file_mut()
            .write_all(&png)
            .map_err(write_error)?;
        // Errors such as a full disk may only show when the data reaches the disk.
        self.partial.as_file().sync_all().map_err(write_error)?;
        // Looked at again just before the rename, which replaces whatever is there:
        // the target may have changed during the render.
        replaceable(&self.path)?;
        // On failure the error gives the file back; dropping it there deletes it.
        self.partial
            .persist(&self.path)
            .map_err(|error| write_error(error.error))?;
        Ok(())
    }
}

/// Succeeds if a picture may be written at `path`: nothing is there yet, or a regular
/// file. Renaming a new file over a device (`/dev/full`, say), a FIFO or a symbolic
/// link would replace that node with a picture, and over a folder it would fail, but
/// only after all the frames.
fn replaceable(path: &Path) -> Result<(), Error> {
    // `symlink_metadata` describes a symbolic link itself, not what it points to.
    let kind = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata.file_type(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::Write {
                path: path.to_owned(),
                source,
            });
        }
    };
    let what = match kind {
        _ if kind.is_file() => return Ok(()),
        _ if kind.is_dir() => "a folder",
        _ if kind.is_symlink() => "a symbolic link",
        _ => special(kind),
    };
    Err(Error::NotAFile {
        path: path.to_owned(),
        what,
    })
}

/// What kind of special file this is (FIFOs and sockets are Unix's).
#[cfg(unix)]
fn special(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    match kind {
        _ if kind.is_fifo() => "a FIFO",
        _ if kind.is_socket() => "a socket",
        _ => "a device",
    }
}

#[cfg(not(unix))]
fn special(_: std::fs::FileType) -> &'static str {
    "a special file"
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
