//! On a machine without /dev/kvm the example stops with one line that says what it
//! needs, and a non-zero exit. The test hides /dev/kvm by running the example in a
//! mount namespace of its own with an empty /dev (`unshare`, which needs root; CI
//! runs as root, elsewhere the test is skipped loudly).

use std::path::PathBuf;
use std::process::Command;

fn example_binary() -> PathBuf {
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", "tiny-vmm"])
        // From the root without `--package`, to reuse the workspace's build (Cargo.toml).
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .status()
        .expect("cargo runs");
    assert!(built.success(), "building the example failed");
    let test = std::env::current_exe().expect("the test knows its path");
    test.parent()
        .and_then(std::path::Path::parent)
        .expect("tests live in target/PROFILE/deps")
        .join("examples/tiny-vmm")
}

#[test]
fn without_dev_kvm_the_example_says_so_in_one_line() {
    let can_hide = Command::new("unshare")
        .args(["--mount", "true"])
        .status()
        .is_ok_and(|status| status.success());
    if !can_hide {
        let message = "no-KVM test NOT RUN: `unshare --mount` needs root";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("\n!!!!! {message} !!!!!\n");
        return;
    }
    let output = Command::new("unshare")
        .args([
            "--mount",
            "bash",
            "-c",
            "mount -t tmpfs tmpfs /dev && exec \"$0\"",
        ])
        .arg(example_binary())
        .output()
        .expect("unshare runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line:\n{stderr}");
    assert!(
        stderr.contains("needs Linux with access to /dev/kvm"),
        "{stderr}"
    );
}
