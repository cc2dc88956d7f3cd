//! The real Bevy engine renders the chapter's simulation offscreen, the frame matches
//! the committed reference, and the example fails cleanly where it cannot render.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use bevy_particles::{Rendered, SIZE, graphics_adapter, render_offscreen};

/// The reference: seed 42, 120 frames, as `expected/offscreen.txt` renders it. It is
/// the picture the chapter shows, so the book cannot show a frame the engine no longer
/// draws.
const REFERENCE: &str = "../../src/game-engines/bevy-particles.png";

/// Renders, or says loudly why not (only outside CI).
fn render(frames: u32) -> Option<Rendered> {
    if graphics_adapter().is_none() {
        let message = "Bevy render test NOT RUN: no graphics adapter (install mesa-vulkan-drivers)";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("\n!!!!! {message} !!!!!\n");
        return None;
    }
    Some(render_offscreen(42, frames, &AtomicBool::new(false)).expect("the engine renders"))
}

/// How many pixels differ by more than `tolerance` in some channel.
fn pixels_differing(a: &[u8], b: &[u8], tolerance: u8) -> usize {
    let (a, _) = a.as_chunks::<4>();
    let (b, _) = b.as_chunks::<4>();
    a.iter()
        .zip(b)
        .filter(|(x, y)| x.iter().zip(*y).any(|(p, q)| p.abs_diff(*q) > tolerance))
        .count()
}

#[test]
fn the_engine_draws_the_simulation_like_the_reference() {
    let Some(rendered) = render(120) else { return };
    let reference = image::open(Path::new(env!("CARGO_MANIFEST_DIR")).join(REFERENCE))
        .expect("the reference picture")
        .to_rgba8();
    assert_eq!((reference.width(), reference.height()), (SIZE, SIZE));
    // Another GPU or driver may round colours differently at sprite edges: allow a
    // few levels of difference everywhere, and 0.1% of pixels to differ more.
    let different = pixels_differing(&rendered.pixels, reference.as_raw(), 8);
    let allowed = (SIZE * SIZE / 1000) as usize;
    assert!(
        different <= allowed,
        "{different} pixels differ from {REFERENCE} (at most {allowed} may)"
    );
}

#[test]
fn the_frame_is_not_blank_and_shows_the_particles() {
    let Some(rendered) = render(30) else { return };
    // The background and the arena are dark; particles are light blue or orange, so a
    // pixel with a bright channel belongs to a particle.
    let (pixels, _) = rendered.pixels.as_chunks::<4>();
    let bright = pixels
        .iter()
        .filter(|pixel| pixel[..3].iter().any(|channel| *channel > 150))
        .count();
    assert!(rendered.particles > 300, "{} particles", rendered.particles);
    // Sprites overlap now and then, so not every particle adds pixels of its own.
    assert!(
        bright >= rendered.particles,
        "{bright} bright pixels for {} particles",
        rendered.particles
    );
}

/// The example's binary, built beside this test's own binary.
fn example() -> PathBuf {
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", "bevy-particles"])
        // From the root without `--package`, to reuse the workspace's build (Cargo.toml).
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .status()
        .expect("cargo runs");
    assert!(built.success(), "building the example failed");
    let test = std::env::current_exe().expect("the test knows its path");
    let profile_dir = test
        .parent()
        .and_then(Path::parent)
        .expect("tests live in target/PROFILE/deps");
    profile_dir.join("examples/bevy-particles")
}

#[test]
fn without_a_graphics_adapter_the_example_says_so_in_one_line() {
    let out = Command::new(example())
        .args(["--frames", "10", "--screenshot", "/nonexistent/never.png"])
        // Only Vulkan, and no Vulkan driver: no adapter at all.
        .env("WGPU_BACKEND", "vulkan")
        .env("VK_DRIVER_FILES", "/nonexistent.json")
        .env("VK_ICD_FILENAMES", "/nonexistent.json")
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .output()
        .expect("the example runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: no graphics adapter"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn without_a_display_the_window_mode_says_so_in_one_line() {
    if graphics_adapter().is_none() {
        return; // said loudly by the render tests
    }
    let out = Command::new(example())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .output()
        .expect("the example runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: no display"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_signal_stops_an_offscreen_run_and_leaves_no_file() {
    if graphics_adapter().is_none() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("bevy-particles-signal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let picture = dir.join("frame.png");
    let mut child = Command::new(example())
        .args(["--frames", "1000000", "--screenshot"])
        .arg(&picture)
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    std::thread::sleep(Duration::from_secs(3));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("piped"), &mut stderr)
        .expect("stderr");
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted by a signal"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(&dir).expect("the folder").collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
    std::fs::remove_dir_all(&dir).expect("cleaning up");
}
