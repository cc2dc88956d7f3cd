//! The example writes regular files and nothing else. A symbolic link planted where
//! it writes its temporary file is not followed, and a picture's name taken by a
//! symbolic link, a FIFO (a special file, like `/dev/full`) or a folder is refused
//! before anything is written. Unix only.

#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use nix::sys::stat::Mode;

/// The example's binary, built (if it is not up to date) beside this test's own binary.
fn example_binary() -> PathBuf {
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", "wasm-image"])
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
    profile_dir.join("examples/wasm-image")
}

/// An empty scratch folder named after the test, removed when the returned guard is
/// dropped: also when an assertion fails, so that a failing test leaves nothing behind.
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("wasm-image-{name}-"))
        .tempdir()
        .expect("a scratch folder")
}

fn run_into(out: &Path) -> Output {
    Command::new(example_binary())
        .arg(out)
        .output()
        .expect("the example runs")
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
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

#[test]
fn a_link_planted_at_the_old_temporary_name_is_not_followed() {
    let scratch_dir = scratch("planted-link");
    let dir = scratch_dir.path();
    let out = dir.join("out");
    fs::create_dir(&out).expect("the output folder");
    // Earlier versions wrote `NAME.png.part` and renamed it: a link there made them
    // write through it, into whatever it pointed to.
    let victim = dir.join("victim.txt");
    fs::write(&victim, "not a picture").expect("the victim file");
    for name in ["grayscale", "box_blur", "sobel"] {
        std::os::unix::fs::symlink(&victim, out.join(format!("{name}.png.part")))
            .expect("a planted link");
    }

    let output = run_into(&out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}: {stderr}", output.status);
    assert_eq!(
        fs::read_to_string(&victim).expect("the victim file"),
        "not a picture",
        "the link was followed"
    );
    for name in ["grayscale", "box_blur", "sobel"] {
        let picture = out.join(format!("{name}.png"));
        let metadata = fs::symlink_metadata(&picture).expect("the picture");
        assert!(
            metadata.file_type().is_file(),
            "{} is not a file",
            picture.display()
        );
        let bytes = fs::read(&picture).expect("the picture");
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{} is not a PNG",
            picture.display()
        );
    }
    // The planted links are still there, untouched; no temporary file is left.
    assert_eq!(
        names(&out),
        [
            "box_blur.png",
            "box_blur.png.part",
            "grayscale.png",
            "grayscale.png.part",
            "sobel.png",
            "sobel.png.part"
        ]
    );
}

/// Puts `make` at `sobel.png` (the last picture written), runs the example, and checks
/// that it refuses in one line, exits non-zero and writes nothing at all.
fn refused(kind: &str, make: impl FnOnce(&Path)) -> String {
    let scratch_dir = scratch(kind);
    let dir = scratch_dir.path();
    let out = dir.join("out");
    fs::create_dir(&out).expect("the output folder");
    let target = out.join("sobel.png");
    make(&target);

    let output = run_into(&out);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{kind}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{kind}: one line:\n{stderr}");
    assert!(
        stderr.starts_with(&format!("error: writing {}: ", target.display())),
        "{kind}: {stderr}"
    );
    assert!(stderr.contains("not a regular file"), "{kind}: {stderr}");
    // Checked before the first filter ran: not even the first two pictures exist.
    assert_eq!(names(&out), ["sobel.png"], "{kind}");
    let left = fs::symlink_metadata(&target)
        .expect("the target")
        .file_type();
    assert!(!left.is_file(), "{kind} was replaced by a file");
    stderr
}

#[test]
fn a_symbolic_link_as_target_is_refused_and_its_target_unchanged() {
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
fn a_fifo_as_target_is_refused() {
    // A FIFO stands for every special file, `/dev/full` among them: the check is on
    // the type of file, and making one needs no root rights.
    let stderr = refused("fifo", |target| {
        nix::unistd::mkfifo(target, Mode::S_IRUSR | Mode::S_IWUSR).expect("a FIFO");
    });
    assert!(stderr.contains("a FIFO"), "{stderr}");
}

#[test]
fn a_folder_as_target_is_refused() {
    let stderr = refused("folder", |target| {
        fs::create_dir(target).expect("a folder");
    });
    assert!(stderr.contains("a folder"), "{stderr}");
}
