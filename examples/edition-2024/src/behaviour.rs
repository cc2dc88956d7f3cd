//! Code whose *behaviour* depends on the edition. This one file is compiled twice:
//! by this crate as Rust 2024, and by `examples/edition-2021` (through `#[path]`) as
//! Rust 2021. Each function returns what happened, so the two can be compared.

// ANCHOR: noisy
use std::cell::RefCell;

/// Records when it is dropped, so drop order becomes visible.
struct Noisy<'log> {
    name: &'static str,
    log: &'log RefCell<Vec<String>>,
}

impl Noisy<'_> {
    fn value(&self) -> Option<u32> {
        None
    }

    fn len(&self) -> usize {
        self.name.len()
    }
}

impl Drop for Noisy<'_> {
    fn drop(&mut self) {
        self.log.borrow_mut().push(format!("drop {}", self.name));
    }
}
// ANCHOR_END: noisy

// ANCHOR: if_let
/// In `if let PATTERN = EXPRESSION { .. } else { .. }`, when is a temporary created
/// by EXPRESSION dropped: before the `else` branch runs, or after?
pub fn if_let_temporary_scope() -> Vec<String> {
    let log = RefCell::new(Vec::new());
    // `Noisy { .. }` is a temporary: nothing owns it once `.value()` returns.
    if let Some(value) = (Noisy {
        name: "temporary",
        log: &log,
    })
    .value()
    {
        log.borrow_mut().push(format!("then branch: {value}"));
    } else {
        log.borrow_mut().push("else branch".to_owned());
    }
    log.into_inner()
}
// ANCHOR_END: if_let

// ANCHOR: tail_expression
/// A block's last expression (its tail) creates a temporary. Is it dropped before
/// or after the block's local variables?
pub fn tail_expression_temporary_scope() -> Vec<String> {
    let log = RefCell::new(Vec::new());
    let length = {
        let _local = Noisy {
            name: "local variable",
            log: &log,
        };
        (Noisy {
            name: "tail temporary",
            log: &log,
        })
        .len()
    };
    log.borrow_mut().push(format!("length {length}"));
    log.into_inner()
}
// ANCHOR_END: tail_expression

// ANCHOR: boxed_slice
/// What does `.into_iter()` on a `Box<[T]>` yield: references or values?
#[allow(boxed_slice_into_iter)] // Rust 2021 warns about this call, which is the point
pub fn boxed_slice_into_iter_item() -> &'static str {
    let tracks: Box<[u32]> = vec![1, 2, 3].into_boxed_slice();
    let first = tracks.into_iter().next();
    std::any::type_name_of_val(&first)
}
// ANCHOR_END: boxed_slice

/// Prints the three results above, under a heading naming the edition this copy of
/// the file was compiled as.
pub fn print_report(edition: &str) {
    println!("Rust {edition}");
    println!("  if let temporary scope: {:?}", if_let_temporary_scope());
    println!(
        "  tail expression scope:  {:?}",
        tail_expression_temporary_scope()
    );
    println!(
        "  Box<[u32]>::into_iter() yields {}",
        boxed_slice_into_iter_item()
    );
}
