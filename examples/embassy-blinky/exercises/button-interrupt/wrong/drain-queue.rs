// Wrong attempt: waits for one press, then empties the queue, so that a burst of presses
// counts as one ("debouncing").
// Why it is wrong: task.md says `wait_for_press` "completes once per recorded press" and
// `watch_button` "sends exactly one speed change per press"; presses queued behind the first
// one are thrown away.

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
        self.presses.receive().await;
        // Presses that arrived meanwhile are the same bounce of the button.
        self.presses.clear();
    }
}
