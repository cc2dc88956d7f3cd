//! A disk that fills up while the example writes its pictures: a clear error and a
//! non-zero exit, and no PNG file that looks finished but is cut short.
//!
//! The "full disk" is a file size limit (`ulimit -f`) with the `SIGXFSZ` signal
//! ignored, so a write past the limit fails with an error, as on a full disk, instead
//! of killing the process. Linux only (it needs `bash`).

#![cfg(target_os = "linux")]

use std::path::PathBuf;
use std::process::Command;

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
        .and_then(|deps| deps.parent())
        .expect("tests live in target/PROFILE/deps");
    profile_dir.join("examples/wasm-image")
}

#[test]
fn a_full_disk_is_an_error_and_leaves_no_short_file() {
    let binary = example_binary();
    if !binary.is_file() {
        // `cargo test` builds examples before it runs tests, so this is a broken setup.
        panic!(
            "{} is missing: run `cargo test -p wasm-image`",
            binary.display()
        );
    }
    let out = std::env::temp_dir().join(format!("wasm-image-full-disk-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("a scratch folder");
    // 15 KiB per file (bash counts in 1,024-byte blocks): room for the first two
    // pictures, about 11 and 7 KB, not for the last, about 23 KB. Had the error been
    // lost, the exit code would have been 0.
    let output = Command::new("bash")
        .args(["-c", "trap '' XFSZ; ulimit -f 15; exec \"$0\" \"$1\""])
        .arg(&binary)
        .arg(&out)
        .output()
        .expect("sh runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let files: Vec<String> = std::fs::read_dir(&out)
        .expect("the scratch folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    std::fs::remove_dir_all(&out).expect("remove the scratch folder");

    assert!(!output.status.success(), "exit status {}", output.status);
    assert_eq!(stderr.lines().count(), 1, "one line of error:\n{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    // It names the picture, not the temporary file, which is gone.
    assert!(!stderr.contains(".part"), "{stderr}");
    // What was reported written is complete; nothing else is left behind.
    for file in &files {
        assert!(
            stdout.contains(&format!("wrote {file}")),
            "{file} left behind:\n{stdout}"
        );
    }
}
