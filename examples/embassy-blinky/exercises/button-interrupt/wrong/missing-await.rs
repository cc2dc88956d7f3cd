// Wrong attempt: switches to the channel's `receive()` but forgets the `.await`.
// Why it is wrong: task.md says "`wait_for_press` stays pending while the queue is empty";
// a future that is never awaited does nothing, so this still returns at once, press or not.

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
        // `receive` waits for a press, unlike `try_receive`.
        let _ = self.presses.receive();
    }
}
