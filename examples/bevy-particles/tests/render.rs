//! The real Bevy engine renders the chapter's simulation offscreen, the frame matches
//! the committed reference, and the example fails cleanly where it cannot render or
//! cannot write the picture (before the first frame), writes only regular files, stops
//! on a signal with the status that names it, and prints nothing but its own lines.

use std::fs;
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
    let scratch_dir = scratch("no-adapter");
    let dir = scratch_dir.path();
    let out = Command::new(example())
        .args(["--frames", "10", "--screenshot"])
        .arg(dir.join("never.png"))
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
    assert!(files_in(dir).is_empty(), "nothing is left behind");
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

/// Sends `signal` to an offscreen run after a few seconds and checks that it stops
/// between two frames, says so, exits with `status` and leaves no file.
fn a_signal_stops_an_offscreen_run(signal: &str, status: i32) {
    if graphics_adapter().is_none() {
        return;
    }
    let scratch_dir = scratch(&format!("signal-{signal}"));
    let dir = scratch_dir.path();
    let picture = dir.join("frame.png");
    // A run long enough to be stopped, short enough to end by itself if the signal
    // were lost (every offscreen frame also adds to the process's memory).
    let mut child = Command::new(example())
        .args(["--frames", "3000", "--screenshot"])
        .arg(&picture)
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    std::thread::sleep(Duration::from_secs(3));
    let killed = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let started = Instant::now();
    // The run stops between two frames; on a machine busy with other tests a frame
    // can take seconds, so the limit is generous. A run still going is killed before
    // the test fails, so that no renderer outlives it.
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("waiting") {
            break exit;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running 120 s after SIG{signal}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("piped"), &mut stderr)
        .expect("stderr");
    assert_eq!(exit.code(), Some(status), "{stderr}");
    assert!(stderr.contains("interrupted by a signal"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(files_in(dir).is_empty(), "files left behind");
}

#[test]
fn sigterm_stops_an_offscreen_run_with_status_143_and_leaves_no_file() {
    // 128 + 15, as shells report a program that SIGTERM stopped.
    a_signal_stops_an_offscreen_run("TERM", 143);
}

#[test]
fn ctrl_c_stops_an_offscreen_run_with_status_130_and_leaves_no_file() {
    // 128 + 2, SIGINT's number.
    a_signal_stops_an_offscreen_run("INT", 130);
}

/// An empty scratch folder named after the test, removed when the returned guard is
/// dropped: also when an assertion fails, so that a failing test leaves nothing behind.
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("bevy-particles-{name}-"))
        .tempdir()
        .expect("a scratch folder")
}

/// The names in `dir`, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("the folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Runs the example with `args`; a run that takes longer than `limit` is killed and
/// fails the test (600 frames take seconds, a million take hours).
fn run_within(args: &[&std::ffi::OsStr], limit: Duration) -> (Option<i32>, String) {
    let mut child = Command::new(example())
        .args(args)
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("waiting") {
            break exit;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("piped"), &mut stderr)
        .expect("stderr");
    (exit.code(), stderr)
}

#[test]
fn a_folder_that_does_not_exist_is_an_error_before_the_first_frame() {
    // Checked before the graphics adapter, so this needs none.
    let (code, stderr) = run_within(
        &[
            "--frames".as_ref(),
            "1000000".as_ref(),
            "--screenshot".as_ref(),
            "/nonexistent/dir/x.png".as_ref(),
        ],
        Duration::from_secs(10),
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: writing /nonexistent/dir/x.png: No such file or directory"),
        "{stderr}"
    );
    // The picture's name, not the temporary file's, which was never made.
    assert!(!stderr.contains(".partial"), "{stderr}");
}

/// Puts `make` where the picture should go, runs the example for a million frames,
/// and checks that it refuses at once, in one line, and writes nothing.
fn refused(kind: &str, make: impl FnOnce(&Path)) -> String {
    let scratch_dir = scratch(&format!("target-{kind}"));
    let dir = scratch_dir.path();
    let target = dir.join("frame.png");
    make(&target);
    let (code, stderr) = run_within(
        &[
            "--frames".as_ref(),
            "1000000".as_ref(),
            "--screenshot".as_ref(),
            target.as_os_str(),
        ],
        Duration::from_secs(10),
    );
    let left = fs::symlink_metadata(&target)
        .expect("the target")
        .file_type();
    let files = files_in(dir);
    assert_eq!(code, Some(1), "{kind}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{kind}: {stderr}");
    assert!(
        stderr.starts_with(&format!("error: writing {}: ", target.display())),
        "{kind}: {stderr}"
    );
    assert!(stderr.contains("not a regular file"), "{kind}: {stderr}");
    assert!(!left.is_file(), "{kind} was replaced by a file");
    assert_eq!(files, ["frame.png"], "{kind}: files left behind");
    stderr
}

#[test]
fn a_folder_as_target_is_refused_before_the_first_frame() {
    let stderr = refused("folder", |target| fs::create_dir(target).expect("a folder"));
    assert!(stderr.contains("a folder"), "{stderr}");
}

#[test]
fn a_fifo_as_target_is_refused_before_the_first_frame() {
    // A FIFO stands for every special file, `/dev/full` among them: the check is on
    // the type of file, and making one needs no root rights. (Before the check, a run
    // as root replaced `/dev/full` with a PNG.)
    let stderr = refused("fifo", |target| {
        nix::unistd::mkfifo(target, nix::sys::stat::Mode::S_IRWXU).expect("a FIFO");
    });
    assert!(stderr.contains("a FIFO"), "{stderr}");
}

#[test]
fn a_symbolic_link_as_target_is_refused_and_what_it_points_to_kept() {
    let victim_dir = scratch("link-victim");
    let victim = victim_dir.path().join("victim.txt");
    fs::write(&victim, "not a picture").expect("the victim file");
    let stderr = refused("link", |target| {
        std::os::unix::fs::symlink(&victim, target).expect("a link");
    });
    assert!(stderr.contains("a symbolic link"), "{stderr}");
    assert_eq!(
        fs::read_to_string(&victim).expect("the victim"),
        "not a picture"
    );
}

#[test]
fn a_link_planted_at_the_old_temporary_name_is_not_followed() {
    if graphics_adapter().is_none() {
        return;
    }
    let scratch_dir = scratch("planted-link");
    let dir = scratch_dir.path();
    let victim = dir.join("victim.txt");
    fs::write(&victim, "not a picture").expect("the victim file");
    // Earlier versions wrote `.NAME.partial` and renamed it: a link there made them
    // write through it, into whatever it pointed to.
    std::os::unix::fs::symlink(&victim, dir.join(".frame.png.partial")).expect("a link");
    let target = dir.join("frame.png");
    let (code, stderr) = run_within(
        &[
            "--frames".as_ref(),
            "1".as_ref(),
            "--screenshot".as_ref(),
            target.as_os_str(),
        ],
        Duration::from_secs(60),
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        fs::read_to_string(&victim).expect("the victim"),
        "not a picture"
    );
    let picture = fs::read(&target).expect("the picture");
    assert!(picture.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert_eq!(
        files_in(dir),
        [".frame.png.partial", "frame.png", "victim.txt"],
        "only the picture is new"
    );
}

#[test]
fn without_xdg_runtime_dir_a_run_prints_no_wayland_complaint() {
    if graphics_adapter().is_none() {
        return;
    }
    // Where the example makes its private runtime folder, to see that it goes again.
    let tmp_dir = scratch("no-runtime-dir");
    let tmp = tmp_dir.path();
    let picture = tmp.join("frame.png");
    let runs: [Vec<&std::ffi::OsStr>; 2] = [
        vec!["--adapter".as_ref()],
        vec![
            "--frames".as_ref(),
            "1".as_ref(),
            "--screenshot".as_ref(),
            picture.as_os_str(),
        ],
    ];
    for args in runs {
        let out = Command::new(example())
            .args(&args)
            .env_remove("XDG_RUNTIME_DIR")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("WAYLAND_SOCKET")
            .env("TMPDIR", tmp)
            .output()
            .expect("the example runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?} printed to stderr");
    }
    assert_eq!(
        files_in(tmp),
        ["frame.png"],
        "the runtime folder is removed"
    );
}
