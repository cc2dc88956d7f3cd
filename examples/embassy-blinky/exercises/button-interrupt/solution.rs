// Reference solution of the exercise "button-interrupt" (see task.md beside this file).

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
        // `receive()` completes at once if a press is queued; otherwise the task
        // yields, and the channel wakes it when `record_press` adds one. Each press
        // is taken out of the queue, so it completes once per press.
        self.presses.receive().await;
    }
}
