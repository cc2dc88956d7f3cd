//! The borrow checker's verdicts, checked on every CI run.
//!
//! Each file in `compile-fail/` must fail to compile with exactly the error in the
//! `.stderr` file beside it. The book includes those `.stderr` files, so the errors a
//! reader sees are the compiler's own words for the pinned toolchain. After a toolchain
//! bump, `cargo xtask bless` rewrites them (`TRYBUILD=overwrite`).

#[test]
fn borrow_checker_rejects_memory_bugs() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("compile-fail/*.rs");
}
