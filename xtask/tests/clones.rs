//! xtask works on the clone that runs it, even when its binary was built by another
//! clone sharing the target folder (as CI's cache and a global `CARGO_TARGET_DIR` do).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository this xtask belongs to, from `CARGO_MANIFEST_DIR` as Cargo sets it
/// when it runs the test, not as it was when the test was compiled: this test binary
/// too may have been built in another copy of the workspace that shares the target
/// folder (the exercise proofs make one), and Cargo reuses it when the files are the
/// same.
fn repo_root() -> PathBuf {
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    Path::new(&manifest_dir)
        .parent()
        .expect("xtask sits in the repository")
        .to_path_buf()
}

fn git(args: &[&str], dir: &Path) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

/// The clone `cargo xtask help` says it works on in `clone`, building into `target`.
fn root_seen_by_xtask(clone: &Path, target: &Path) -> PathBuf {
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xtask", "--", "help"])
        .current_dir(clone)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let help = String::from_utf8_lossy(&output.stdout);
    // The first line: `cargo xtask <task>   (the book in PATH)`.
    let first = help.lines().next().unwrap_or_default();
    let path = first
        .split_once("(the book in ")
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_else(|| {
            panic!(
                "the help names no book: {help}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    PathBuf::from(path)
}

#[test]
fn a_clone_that_reuses_another_clones_xtask_gets_its_own_root() {
    // The test's own target folder, where this clone's xtask is built already.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let this_clone = repo_root();
    assert_eq!(root_seen_by_xtask(&this_clone, &target), this_clone);

    let scratch = std::env::temp_dir().join(format!("second-clone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let second = scratch.join("book");
    std::fs::create_dir_all(&scratch).expect("a scratch folder");
    git(
        &[
            "clone",
            "--quiet",
            "--no-hardlinks",
            this_clone.to_str().expect("a UTF-8 path"),
            second.to_str().expect("a UTF-8 path"),
        ],
        &scratch,
    );
    // Its files are older than this clone's build, so Cargo reuses this clone's xtask
    // binary for it instead of compiling its own: the case that used to go wrong.
    let touched = Command::new("bash")
        .args(["-c", "git ls-files -z | xargs -0 touch -d 2000-01-01"])
        .current_dir(&second)
        .status()
        .expect("bash runs");
    assert!(touched.success());
    let seen_by_second = root_seen_by_xtask(&second, &target);
    std::fs::remove_dir_all(&scratch).expect("remove the clone");
    assert_eq!(seen_by_second, second);
}
