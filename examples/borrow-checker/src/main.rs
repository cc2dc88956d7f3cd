//! `cargo run --example borrow-checker` runs the safe fixes of four memory bugs that
//! the borrow checker rejects (the rejected programs are in `compile-fail/`).
//!
//! `cargo run --example borrow-checker -- c-use-after-free` runs the C counterpart of
//! the use-after-free. Run it under valgrind to see the bug, as the chapter shows.
//!
//! Shown in the chapter "Memory safety without a garbage collector" (`src/memory-safety/index.md`).

use std::rc::Rc;

use borrow_checker::c_counterpart::first_letter_after_free;
use borrow_checker::fixes;
use clap::{Parser, Subcommand};

/// Runs the safe fixes of four memory bugs that the borrow checker rejects.
#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the C counterpart of the use-after-free (run it under valgrind)
    CUseAfterFree,
}

fn main() {
    match Cli::parse().command {
        None => run_safe_fixes(),
        Some(Command::CUseAfterFree) => run_c_use_after_free(),
    }
}

fn run_safe_fixes() {
    println!("Use after free, fixed by moving ownership out:");
    let playlist = vec!["Clair de Lune".to_owned(), "Rêverie".to_owned()];
    if let Some(first) = fixes::first_track(playlist) {
        println!("  first track: {first}");
    }

    println!("Double free, fixed by shared ownership (Rc):");
    let mut queue = fixes::queue_twice("Gymnopédie No. 1");
    println!(
        "  {} queue entries, owners: {}",
        queue.len(),
        Rc::strong_count(&queue[0])
    );
    queue.pop();
    println!(
        "  after dequeuing one, owners: {}",
        Rc::strong_count(&queue[0])
    );

    println!("Dangling reference, fixed by returning an owned value or a tied borrow:");
    let tracks = vec![fixes::newest_track(), "Clair de Lune".to_owned()];
    println!("  newest track: {}", tracks[0]);
    if let Some(longest) = fixes::longest_title(&tracks) {
        println!("  longest title: {longest}");
    }

    println!("Data race, fixed with a Mutex:");
    println!(
        "  scoped threads: {} plays",
        fixes::count_plays_scoped(4, 1_000)
    );
    println!(
        "  Arc-shared counter: {} plays",
        fixes::count_plays_shared(4, 1_000)
    );
}

// ANCHOR: c_call
fn run_c_use_after_free() {
    // SAFETY: this call is deliberately NOT sound. The C function reads memory it has
    // already freed, which is undefined behaviour; the example exists to show that a C
    // compiler accepts that and that valgrind reports it at run time. The Rust side
    // passes no pointers and only reads the returned integer.
    let letter = unsafe { first_letter_after_free() };
    // Whatever the freed memory now holds: the title's first letter, or anything else.
    println!("C read the byte {:#04x} from freed memory", letter as u8);
}
// ANCHOR_END: c_call
