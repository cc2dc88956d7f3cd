//! Linux's two null block drivers, C and Rust, work in a real Linux 6.12 in QEMU, and
//! the kernel's own Rust tests (the `kernel` crate's doctests, run by KUnit at boot)
//! all pass.

use kernel_module::guest::Accelerator;
use kernel_module::{block, kernel, missing_prerequisite};

#[test]
fn both_null_block_drivers_serve_reads_and_kunit_passes() {
    if let Some(missing) = missing_prerequisite() {
        let message = format!("null block test NOT RUN: {missing}");
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("\n!!!!! {message} !!!!!\n");
        return;
    }
    let kernel = kernel::ensure_built().expect("the kernel builds");
    let report = block::measure(&kernel, Accelerator::Tcg, 1, 500).expect("the guest runs");

    // KUnit ran the doctests and none failed.
    assert!(
        report.kunit.total > 0,
        "no KUnit test ran:\n{}",
        report.steps
    );
    assert_eq!(report.kunit.fail, 0, "{}", report.steps);

    // Both devices exist with the settings the comparison relies on.
    for (device, _) in block::DEVICES {
        let line = report
            .steps
            .lines()
            .find(|line| line.starts_with(&format!("{device}:")))
            .unwrap_or_else(|| panic!("no {device} in:\n{}", report.steps));
        for wanted in [
            "8388608 sectors",
            "logical block 4096 bytes",
            "1 hardware queue(s)",
            "queue depth 256",
            "scheduler [none]",
        ] {
            assert!(line.contains(wanted), "{device}: no `{wanted}` in {line:?}");
        }
    }
    // Reads went through the block layer to each driver, and each was timed.
    assert_eq!(
        report.steps.matches("256+0 records in").count(),
        2,
        "{}",
        report.steps
    );
    for (device, _) in block::DEVICES {
        let sample = report
            .samples
            .iter()
            .find(|sample| sample.device == device)
            .unwrap_or_else(|| panic!("no result for {device}"));
        // Only that reads happened: how long they took depends on how busy the host is.
        assert!(sample.iops > 0.0, "{sample:?}");
    }
}

#[test]
fn the_chapters_copy_of_rnull_is_the_driver_that_was_built() {
    if missing_prerequisite().is_some() {
        return; // said loudly by the test above
    }
    let kernel = kernel::ensure_built().expect("the kernel builds");
    let built = std::fs::read_to_string(kernel.rnull_source()).expect("rnull.rs in the build");
    let copy = std::fs::read_to_string(
        kernel_module::example_dir().join("upstream/drivers/block/rnull.rs"),
    )
    .expect("the chapter's copy");
    assert_eq!(
        copy, built,
        "upstream/drivers/block/rnull.rs differs from Linux's"
    );
}
