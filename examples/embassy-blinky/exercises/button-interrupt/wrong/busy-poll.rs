// Wrong attempt: polls the queue with `try_receive` in a loop, yielding to the executor
// between two tries.
// Why it is wrong: task.md says that while the queue is empty, `wait_for_press` "leaves the
// task asleep (it does not wake itself to look again)"; `yield_now` wakes the task at once,
// so the executor polls it forever and the core never sleeps, although each press is still
// seen once.

use embassy_blinky::Button;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::Channel;

/// Presses recorded by the interrupt handler that no task has handled yet.
pub type Presses = Channel<CriticalSectionRawMutex, (), 4>;

/// Called by the GPIO interrupt handler on each press. Never waits: `false` means the
/// queue was full and this press was dropped.
pub fn record_press(presses: &Presses) -> bool {
    presses.try_send(()).is_ok()
}

/// The task's side of the queue: a button that is pressed when a press was recorded.
pub struct QueuedButton<'queue> {
    pub presses: &'queue Presses,
}

impl Button for QueuedButton<'_> {
    async fn wait_for_press(&mut self) {
        while self.presses.try_receive().is_err() {
            // Let the other tasks run before looking again.
            embassy_futures::yield_now().await;
        }
    }
}
