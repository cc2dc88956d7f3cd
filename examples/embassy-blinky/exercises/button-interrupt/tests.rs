//! The tests that define "done" for the exercise "button-interrupt". No timers and no
//! threads: each test polls the futures itself, on the test's thread, so every run
//! sees the same order of events.

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use attempt::{Presses, QueuedButton, record_press};
use embassy_blinky::{Button, Speed, watch_button};
use embassy_futures::select::select;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::Channel;

/// Polls `future` once: is it done already?
fn is_ready(future: impl Future) -> bool {
    let mut context = Context::from_waker(Waker::noop());
    pin!(future).poll(&mut context).is_ready()
}

/// A waker that counts how often it is woken. An executor polls a task again only
/// after its waker was woken, so the count shows whether a future asked for that.
#[derive(Default)]
struct CountingWaker {
    wakes: AtomicUsize,
}

impl CountingWaker {
    fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

/// More polls than any test here needs; a future that keeps waking itself stops there.
const MAX_POLLS: usize = 100;

/// Runs `future` the way an executor does: it polls again only if something woke the
/// waker during the last poll. `None` means the future stalled: it is pending and
/// nothing will wake it (on a chip, the task would sleep forever).
fn run_until_stalled<F: Future>(future: F) -> Option<F::Output> {
    let counter = Arc::new(CountingWaker::default());
    let waker = Waker::from(Arc::clone(&counter));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    for _ in 0..MAX_POLLS {
        let wakes_before = counter.wakes();
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return Some(output);
        }
        if counter.wakes() == wakes_before {
            return None;
        }
    }
    None
}

#[test]
fn without_a_press_the_task_sleeps_until_one_is_recorded() {
    let presses = Presses::new();
    let mut button = QueuedButton { presses: &presses };
    let counter = Arc::new(CountingWaker::default());
    let waker = Waker::from(Arc::clone(&counter));
    let mut context = Context::from_waker(&waker);
    let mut press = pin!(button.wait_for_press());
    assert!(
        press.as_mut().poll(&mut context).is_pending(),
        "wait_for_press completed although nothing was pressed"
    );
    assert_eq!(
        counter.wakes(),
        0,
        "with no press queued, wait_for_press woke its own task: the executor polls it \
         again and again (a busy loop) instead of letting the core sleep"
    );
    assert!(record_press(&presses));
    assert_eq!(
        counter.wakes(),
        1,
        "recording a press must wake the waiting task, once"
    );
    assert!(
        press.as_mut().poll(&mut context).is_ready(),
        "woken by a press, wait_for_press must complete"
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
    // What the other end of the speed channel receives, kept outside the future so the
    // test can report it even if the future stalls.
    let speeds = RefCell::new(Vec::new());
    let three_changes = async {
        for _ in 0..3 {
            let speed = SPEED_CHANGES.receive().await;
            speeds.borrow_mut().push(speed);
        }
    };
    // Runs both until the three changes arrive; `watch_button` never ends by itself.
    let finished = run_until_stalled(select(
        watch_button(&mut button, SPEED_CHANGES.sender()),
        three_changes,
    ));
    let speeds = speeds.into_inner();
    assert!(
        finished.is_some(),
        "three presses were recorded, but watch_button stopped after {} speed \
         change(s), waiting for a press that will not come",
        speeds.len()
    );
    assert_eq!(speeds, [Speed::Fast, Speed::Slow, Speed::Fast]);
    assert!(
        SPEED_CHANGES.try_receive().is_err(),
        "a speed change was sent without a press"
    );
}
