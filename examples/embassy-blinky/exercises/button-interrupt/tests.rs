//! The tests that define "done" for the exercise "button-interrupt". No timers: each
//! test runs the futures to completion, or polls them once, on the test's thread.

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};

use attempt::{Presses, QueuedButton, record_press};
use embassy_blinky::{Button, Speed, watch_button};
use embassy_futures::block_on;
use embassy_futures::select::{Either, select};
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::Channel;

/// Polls `future` once: is it done already?
fn is_ready(future: impl Future) -> bool {
    let mut context = Context::from_waker(Waker::noop());
    pin!(future).poll(&mut context).is_ready()
}

#[test]
fn without_a_press_the_button_waits() {
    let presses = Presses::new();
    let mut button = QueuedButton { presses: &presses };
    assert!(
        !is_ready(button.wait_for_press()),
        "wait_for_press completed although nothing was pressed"
    );
}

#[test]
fn each_recorded_press_is_one_wake_up() {
    let presses = Presses::new();
    let mut button = QueuedButton { presses: &presses };
    assert!(record_press(&presses));
    assert!(record_press(&presses));
    assert!(is_ready(button.wait_for_press()), "first press");
    assert!(is_ready(button.wait_for_press()), "second press");
    assert!(
        !is_ready(button.wait_for_press()),
        "two presses, but a third wake-up"
    );
}

#[test]
fn a_full_queue_drops_a_press_instead_of_waiting() {
    let presses = Presses::new();
    let recorded: Vec<bool> = (0..5).map(|_| record_press(&presses)).collect();
    assert_eq!(recorded, [true, true, true, true, false]);
}

#[test]
fn watch_button_announces_one_speed_change_per_press() {
    // `watch_button` sends on a channel that lives for the whole program, like
    // `SPEED_CHANGES`; this test has its own, so tests cannot see each other's.
    static SPEED_CHANGES: Channel<CriticalSectionRawMutex, Speed, 2> = Channel::new();
    let presses = Presses::new();
    let mut button = QueuedButton { presses: &presses };
    for _ in 0..3 {
        record_press(&presses);
    }
    let three_changes = async {
        let mut speeds = Vec::new();
        for _ in 0..3 {
            speeds.push(SPEED_CHANGES.receive().await);
        }
        speeds
    };
    // Runs both until the three changes arrive; `watch_button` never ends by itself.
    let Either::Second(speeds) = block_on(select(
        watch_button(&mut button, SPEED_CHANGES.sender()),
        three_changes,
    ));
    assert_eq!(speeds, [Speed::Fast, Speed::Slow, Speed::Fast]);
    assert!(
        SPEED_CHANGES.try_receive().is_err(),
        "a speed change was sent without a press"
    );
}
