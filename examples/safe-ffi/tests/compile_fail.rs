//! Misuse of the C library that the safe wrapper turns into compile errors.

#[test]
fn the_wrapper_rejects_misuse_at_compile_time() {
    trybuild::TestCases::new().compile_fail("compile-fail/*.rs");
}
