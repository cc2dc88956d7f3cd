//! The chapter's modules follow the kernel's own rules for Rust: its formatting (the
//! tree's `.rustfmt.toml`, as `make rustfmtcheck` applies it) and its Clippy setup
//! (`make CLIPPY=1`), with no warning.

use kernel_module::{kernel, missing_prerequisite, modules};

/// The kernel build, or `None` (loudly) where it cannot be made outside CI.
fn kernel_build() -> Option<kernel::KernelBuild> {
    if let Some(missing) = missing_prerequisite() {
        let message = format!("kernel rules NOT CHECKED: {missing}");
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("\n!!!!! {message} !!!!!\n");
        return None;
    }
    Some(kernel::ensure_built().expect("the kernel builds"))
}

#[test]
fn modules_are_formatted_as_the_kernel_formats_rust() {
    let Some(kernel) = kernel_build() else { return };
    let diff = modules::rustfmt_check(&kernel).expect("rustfmt runs");
    assert!(
        diff.is_empty(),
        "rustfmt with the kernel's .rustfmt.toml:\n{diff}"
    );
}

#[test]
fn modules_build_without_warnings_under_the_kernels_clippy() {
    let Some(kernel) = kernel_build() else { return };
    let output = modules::clippy(&kernel).expect("the modules build with CLIPPY=1");
    assert!(
        !output.contains("warning"),
        "make CLIPPY=1 warned:\n{output}"
    );
}
