//! The other half of `examples/edition-2024/tests/editions.rs`: what Rust 2021 rejects,
//! and the programs Rust 2024 rejects that Rust 2021 accepts.

#[test]
fn rust_2021_rejects_and_accepts() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("compile-fail/*.rs");
    for accepted_in_2021 in [
        "rpit_capture",
        "extern_block",
        "no_mangle",
        "static_mut_ref",
        "gen_keyword",
        "set_var",
        "tail_expression",
    ] {
        cases.pass(format!(
            "../edition-2024/compile-fail/{accepted_in_2021}.rs"
        ));
    }
}
