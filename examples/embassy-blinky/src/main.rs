//! `cargo run --example embassy-blinky`: the firmware logic of `src/lib.rs` on a PC.
//! The LED prints its state, and a scripted button presses itself twice.
//!
//! Shown in the chapter "Getting started with Rust 2024" (`src/getting-started/index.md`).

use clap::Parser;
use embassy_blinky::{Button, Led, SPEED_CHANGES, blink, watch_button};
use embassy_executor::Spawner;
use embassy_time::{Instant, Timer};

/// The example takes no arguments; `--help` says what it does.
#[derive(Parser)]
#[command(about)]
struct Cli {}

// ANCHOR: host_board
/// Prints each change, with the time since start rounded down to 50 ms (timers may
/// fire a little late on a busy PC; the rounding keeps the output stable).
struct ConsoleLed {
    started: Instant,
}

impl Led for ConsoleLed {
    fn set(&mut self, on: bool) {
        let elapsed = self.started.elapsed().as_millis() / 50 * 50;
        println!("{elapsed:>7}  LED {}", if on { "on" } else { "off" });
    }
}

/// "Presses" itself at fixed times after start.
struct ScriptedButton {
    started: Instant,
    presses_at_ms: &'static [u64],
}

impl Button for ScriptedButton {
    async fn wait_for_press(&mut self) {
        match self.presses_at_ms.split_first() {
            Some((first, rest)) => {
                Timer::at(self.started + embassy_time::Duration::from_millis(*first)).await;
                self.presses_at_ms = rest;
                println!("{first:>7}  button pressed");
            }
            // No presses left: wait forever, as a real button nobody touches would.
            None => core::future::pending().await,
        }
    }
}
// ANCHOR_END: host_board

// ANCHOR: tasks
/// Embassy tasks are plain `async fn`s marked as tasks. Their state is allocated
/// statically, so the executor needs no heap.
#[embassy_executor::task]
async fn button_task(mut button: ScriptedButton) {
    watch_button(&mut button, SPEED_CHANGES.sender()).await
}

#[embassy_executor::main]
async fn main(spawner: Spawner) {
    let Cli {} = Cli::parse();
    let started = Instant::now();
    // Bare numbers, not "500 ms": the book's output check treats durations as
    // varying, and these are rounded so that they do not.
    println!("time (ms)  event");
    let button = ScriptedButton {
        started,
        presses_at_ms: &[1250, 2150],
    };
    // `button_task(..)` fails only if the task is already running: it is not.
    spawner.spawn(button_task(button).expect("the button task runs once"));

    let mut led = ConsoleLed { started };
    blink(&mut led, SPEED_CHANGES.receiver(), 11).await;
    println!("done after 11 toggles");
    // The button task never ends, and neither does the executor: leave explicitly.
    std::process::exit(0);
}
// ANCHOR_END: tasks
