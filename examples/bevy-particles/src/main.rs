//! `cargo run --example bevy-particles` opens a window and runs the game engines
//! chapter's particle simulation in the Bevy engine: Space pauses, a click spawns a
//! burst of particles at the pointer, R starts again.
//!
//! `-- --frames 120 --screenshot out.png` needs no display: it renders 120 frames
//! offscreen (on a GPU, or on the CPU with Mesa's lavapipe) and writes the last one.
//!
//! Shown in the chapter "Game engines" (`src/game-engines/index.md`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};
// Named one by one: Bevy's prelude also brings a `context` method for results
// (`ContextExt`), which would make anyhow's `.context` ambiguous.
use bevy::prelude::{
    App, Camera2d, Commands, DefaultPlugins, PluginGroup, Startup, Window, WindowPlugin, default,
};
use bevy_particles::{ParticlesPlugin, SIZE};
use clap::Parser;

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

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            // 130 (128 + SIGINT) is how shells report a program stopped by a signal.
            let interrupted = matches!(
                error.downcast_ref(),
                Some(bevy_particles::Error::Interrupted)
            );
            ExitCode::from(if interrupted { 130 } else { 1 })
        }
    }
}

fn run() -> Result<()> {
    let cli = Cli::parse();
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
    if let (Some(frames), Some(path)) = (cli.frames, cli.screenshot) {
        // A signal asks the render loop to stop between frames instead of killing it.
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed))
            .context("installing the signal handler")?;
        let rendered = bevy_particles::render_offscreen(cli.seed, frames, &stop)?;
        bevy_particles::save_png(&rendered.pixels, &path)?;
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
