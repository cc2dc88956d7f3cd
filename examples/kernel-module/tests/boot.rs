//! The modules load, fail and unload as they should, in a real Linux 6.12 in QEMU.
//! The first run builds the kernel (minutes); later runs take seconds.

use std::time::Duration;

use kernel_module::guest::{self, Accelerator};
use kernel_module::{kernel, missing_prerequisite, modules};

/// The log between two `== ...` markers that the guest's init script prints.
fn section<'log>(log: &'log str, marker: &str) -> &'log str {
    let start = log
        .find(marker)
        .unwrap_or_else(|| panic!("no `{marker}` in:\n{log}"));
    let rest = &log[start + marker.len()..];
    let next = format!("\n{}", guest::STEP_MARKER);
    &rest[..rest.find(&next).unwrap_or(rest.len())]
}

#[test]
fn modules_load_fail_cleanly_and_unload_in_qemu() {
    if let Some(missing) = missing_prerequisite() {
        let message = format!("kernel test NOT RUN: {missing}");
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("\n!!!!! {message} !!!!!\n");
        return;
    }
    let kernel = kernel::ensure_built().expect("the kernel builds");
    let modules = modules::build(&kernel).expect("the modules build");
    let log = guest::boot(
        &kernel,
        &modules,
        Accelerator::Tcg,
        Duration::from_secs(120),
    )
    .expect("the guest boots and finishes");

    // rust_playlist's init ran, in order of length (the red-black tree's order).
    let load = section(&log, "== insmod rust_playlist.ko");
    let shortest = load
        .find("3:05  Gymnopedie No. 1")
        .expect("the shortest track");
    let longest = load.find("5:00  Clair de Lune").expect("the longest track");
    assert!(
        shortest < longest,
        "tracks are logged shortest first:\n{load}"
    );
    assert!(section(&log, "== lsmod").contains("rust_playlist"));

    // rust_fail's init returned EINVAL: insmod reports it and nothing stays loaded.
    let fail = section(&log, "== insmod rust_fail.ko");
    assert!(
        fail.contains("can't insert '/rust_fail.ko': Invalid argument"),
        "{fail}"
    );
    assert!(fail.contains("insmod exited with status 22"), "{fail}");
    let after_fail = log.split("== lsmod").nth(2).expect("a second lsmod");
    assert!(!after_fail[..after_fail.find("== ").unwrap_or(0)].contains("rust_fail"));

    // Unloading ran `Drop`, and afterwards no module is left.
    assert!(section(&log, "== rmmod rust_playlist").contains("unloading: freeing 3 tracks"));
    let last_lsmod = log.rsplit("== lsmod").next().expect("a last lsmod");
    assert!(!last_lsmod[..last_lsmod.find("== done").expect("init finished")].contains("rust_"));

    for alarm in ["Oops", "BUG", "WARNING", "Kernel panic", "Call Trace"] {
        assert!(!log.contains(alarm), "the kernel logged `{alarm}`:\n{log}");
    }
}
