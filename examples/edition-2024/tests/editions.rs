//! The same code behaves differently in Rust 2021 and Rust 2024, and each edition
//! rejects programs the other accepts. `edition_2021` is `src/behaviour.rs` compiled
//! as Rust 2021; `edition_2024` is the same file compiled as Rust 2024.

// ANCHOR: if_let_test
#[test]
fn if_let_drops_its_temporary_before_else_only_in_2024() {
    assert_eq!(
        edition_2024::behaviour::if_let_temporary_scope(),
        ["drop temporary", "else branch"]
    );
    assert_eq!(
        edition_2021::behaviour::if_let_temporary_scope(),
        ["else branch", "drop temporary"]
    );
}
// ANCHOR_END: if_let_test

#[test]
fn tail_temporaries_drop_before_locals_only_in_2024() {
    assert_eq!(
        edition_2024::behaviour::tail_expression_temporary_scope(),
        ["drop tail temporary", "drop local variable", "length 14"]
    );
    assert_eq!(
        edition_2021::behaviour::tail_expression_temporary_scope(),
        ["drop local variable", "drop tail temporary", "length 14"]
    );
}

#[test]
fn boxed_slice_into_iter_yields_values_only_in_2024() {
    assert_eq!(
        edition_2024::behaviour::boxed_slice_into_iter_item(),
        "core::option::Option<u32>"
    );
    assert_eq!(
        edition_2021::behaviour::boxed_slice_into_iter_item(),
        "core::option::Option<&u32>"
    );
}

/// Each program in `compile-fail/` fails with the error in its `.stderr` file, which
/// the chapter shows. The programs Rust 2021 rejects compile and run as Rust 2024.
#[test]
fn rust_2024_rejects_and_accepts() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("compile-fail/*.rs");
    cases.pass("../edition-2021/compile-fail/*.rs");
}
