//! `cargo run --example bevy-particles` opens a window and runs the game engines
//! chapter's particle simulation in the Bevy engine: Space pauses, a click spawns a
//! burst of particles at the pointer, R starts again.
//!
//! `-- --frames 120 --screenshot out.png` needs no display: it renders 120 frames
//! offscreen (on a GPU, or on the CPU with Mesa's lavapipe) and writes the last one.
//!
//! Shown in the chapter "Game engines" (`src/game-engines/index.md`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use anyhow::{Context, Result, bail};
// Named one by one: Bevy's prelude also brings a `context` method for results
// (`ContextExt`), which would make anyhow's `.context` ambiguous.
use bevy::prelude::{
    App, Camera2d, Commands, DefaultPlugins, PluginGroup, Startup, Window, WindowPlugin, default,
};
use bevy_particles::{ParticlesPlugin, PngFile, SIZE};
use clap::Parser;
use signal_hook::consts::{SIGINT, SIGTERM};

/// The game engines chapter's particles in the Bevy engine.
#[derive(Parser)]
struct Cli {
    /// Render this many frames offscreen, with no window, then stop
    #[arg(long, requires = "screenshot", value_parser = clap::value_parser!(u32).range(1..))]
    frames: Option<u32>,
    /// Where to write the last offscreen frame (PNG)
    #[arg(long, requires = "frames")]
    screenshot: Option<PathBuf>,
    /// The simulation's seed: the same seed gives the same frames
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print the graphics adapter the engine would draw with, then stop
    #[arg(long, conflicts_with = "frames")]
    adapter: bool,
}

/// How a shell reports a program that a signal stopped, 128 + the signal's number:
/// 130 after Ctrl-C (SIGINT), 143 after `kill` (SIGTERM), 129 after a closed terminal
/// (SIGHUP). Set by the signal handler; 0 while no signal came.
static SIGNAL_STATUS: LazyLock<Arc<AtomicUsize>> = LazyLock::new(Arc::default);

/// The signals that stop an offscreen run: Ctrl-C, `kill`, and (on Unix) a closed
/// terminal.
#[cfg(unix)]
const SIGNALS: [i32; 3] = [SIGINT, SIGTERM, signal_hook::consts::SIGHUP];
#[cfg(not(unix))]
const SIGNALS: [i32; 2] = [SIGINT, SIGTERM];

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            let interrupted = matches!(
                error.downcast_ref(),
                Some(bevy_particles::Error::Interrupted)
            );
            let signal_status = u8::try_from(SIGNAL_STATUS.load(Ordering::SeqCst));
            match signal_status {
                Ok(status) if interrupted && status != 0 => ExitCode::from(status),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

fn run() -> Result<()> {
    let cli = Cli::parse();
    // Ctrl-C, `kill` or a closed terminal asks the render loop to stop between frames
    // instead of killing the program, and records which signal it was. Installed
    // first: looking for a graphics adapter can take seconds, and a signal that came
    // before the handler would kill the run without a word. The handler runs the
    // actions in the order they were registered: the status is stored before the
    // flag that the render loop reads.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in SIGNALS {
        let status = 128 + signal.unsigned_abs() as usize;
        signal_hook::flag::register_usize(signal, Arc::clone(&SIGNAL_STATUS), status)
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&stop)))
            .context("installing the signal handler")?;
    }
    // Kept until the end of the run, then removed.
    let _runtime_dir = private_runtime_dir()?;
    // A name the picture cannot be written to is an error now, not after the frames.
    let png = cli.screenshot.as_deref().map(PngFile::create).transpose()?;
    // Bevy panics when it finds no adapter or no display: check both first.
    let Some(adapter) = bevy_particles::graphics_adapter() else {
        bail!(
            "no graphics adapter: install a GPU driver, or Mesa's software Vulkan \
             (Debian: `apt-get install mesa-vulkan-drivers`)"
        );
    };
    if cli.adapter {
        println!("{adapter}");
        return Ok(());
    }
    if let (Some(frames), Some(path), Some(png)) = (cli.frames, cli.screenshot, png) {
        let rendered = bevy_particles::render_offscreen(cli.seed, frames, &stop)?;
        png.write(&rendered.pixels)?;
        println!(
            "rendered {} frames offscreen ({SIZE}x{SIZE}): {} particles, {} spawned, \
             {} expired, {} wall bounces",
            rendered.frames,
            rendered.particles,
            rendered.stats.spawned,
            rendered.stats.expired,
            rendered.stats.bounces
        );
        println!("wrote {}", path.display());
        return Ok(());
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        bail!("no display to open a window on: run with `--frames N --screenshot FILE` instead");
    }
    App::new()
        .add_plugins(DefaultPlugins.set(WindowPlugin {
            primary_window: Some(Window {
                title: "Rust in 2026: particles".into(),
                resolution: (SIZE, SIZE).into(),
                ..default()
            }),
            ..default()
        }))
        .add_plugins(ParticlesPlugin {
            seed: cli.seed,
            ..default()
        })
        .add_systems(Startup, |mut commands: Commands| {
            commands.spawn(Camera2d);
        })
        .run();
    Ok(())
}

/// Without `XDG_RUNTIME_DIR` (in a container, in CI, over `ssh` with no login
/// session), every run used to print "error: XDG_RUNTIME_DIR is invalid or not set in
/// the environment." four times, though nothing was wrong. The line comes from
/// libwayland-client, by way of two others: wgpu turns on every window-system
/// extension the Vulkan driver offers, `VK_KHR_wayland_surface` among them, and Debian
/// 12's Mesa has a layer that every Vulkan program loads (`VK_LAYER_MESA_device_select`)
/// which, when that extension is on, asks the Wayland compositor which GPU it draws
/// with each time the program lists the GPUs. Connecting, libwayland-client looks for
/// the compositor's socket in `$XDG_RUNTIME_DIR`, and complains when the variable is
/// not set. (Later Mesa releases only ask when `WAYLAND_DISPLAY` is set.)
///
/// So when no Wayland display is configured, and no runtime folder either, this points
/// the variable at a new, empty folder of this program's own: libwayland-client finds
/// no socket there, quietly, and the layer picks a GPU as it did before. The folder is
/// removed when the returned guard is dropped.
fn private_runtime_dir() -> Result<Option<tempfile::TempDir>> {
    let wayland = ["WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
        .into_iter()
        .any(|name| std::env::var_os(name).is_some());
    // libwayland-client takes only an absolute path.
    let runtime_dir =
        std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| Path::new(&dir).is_absolute());
    if wayland || runtime_dir {
        return Ok(None);
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix("bevy-particles-runtime-");
    // Only for this user (mode 0700), as the XDG Base Directory Specification asks of
    // a runtime folder.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let dir = builder.tempdir().context("creating a runtime folder")?;
    // SAFETY: changing the environment is unsound only while another thread may read
    // or write it at the same moment. `run` calls this before it starts any thread
    // (the engine's, the renderer's, the signal handler's), and the Rust runtime
    // starts none of its own before `main`.
    unsafe { std::env::set_var("XDG_RUNTIME_DIR", dir.path()) };
    Ok(Some(dir))
}
