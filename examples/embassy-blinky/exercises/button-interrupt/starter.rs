// Exercise "button-interrupt": see task.md beside this file, or the chapter's page.

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
        // TODO: wait for a recorded press. `try_receive` never waits, so with no
        // press queued this returns at once, as if the button had been pressed.
        let _ = self.presses.try_receive();
    }
}
