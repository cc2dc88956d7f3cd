//! The features in `src/newer.rs`, stabilised after Rust 1.85: what each listing in the
//! chapter's "Since 1.85" section promises.

use edition_2024::newer;

#[test]
fn async_closure_borrows_its_argument() {
    let titles = ["Clair de Lune", "Rêverie"];
    let total = newer::run_ready(newer::for_each_title(&titles, async |title| {
        title.chars().count()
    }));
    assert_eq!(total, 20);
}

#[test]
fn let_chain_needs_every_condition() {
    assert_eq!(
        newer::first_long_title(&["Clair de Lune"], 5),
        Some("Clair de Lune")
    );
    // Too short, then not capitalised: each `&&` can end the chain.
    assert_eq!(newer::first_long_title(&["Clair de Lune"], 20), None);
    assert_eq!(newer::first_long_title(&["rêverie"], 5), None);
    assert_eq!(newer::first_long_title(&[], 5), None);
}

#[test]
fn if_let_guard_falls_through_when_its_pattern_fails() {
    assert_eq!(newer::describe(("Rêverie", Some("288"))), "Rêverie: 4:48");
    assert_eq!(
        newer::describe(("Rêverie", Some("about five minutes"))),
        "Rêverie: length unknown"
    );
    assert_eq!(
        newer::describe(("Rêverie", None)),
        "Rêverie: length unknown"
    );
}

#[test]
fn new_range_is_copy_and_indexes_a_str() {
    let (word, span) = newer::longest_word("Clair de Lune").expect("a word");
    assert_eq!(word, "Clair");
    assert_eq!((span.start, span.end), (0, 5));
    // Byte offsets, not characters: "ê" takes two bytes.
    let (word, span) = newer::longest_word("Rêverie").expect("a word");
    assert_eq!(word, "Rêverie");
    assert_eq!(span.end, 8);
    // `span` is `Copy`, so indexing with it leaves it usable.
    assert_eq!(&"Rêverie"[span], word);
    assert_eq!(span.end - span.start, 8);
    assert_eq!(newer::longest_word("   "), None);
}
