//! Firmware logic for a blinking LED whose speed a button changes, written once and
//! run in two places: on a PC (`src/main.rs`, Embassy's std port) and on an nRF52840
//! microcontroller (`src/bin/firmware.rs`). Nothing here knows which.
//!
//! Run it on the host with `cargo run --example embassy-blinky`.

// No standard library: this code must fit a chip with no operating system.
#![no_std]

use embassy_futures::select::{Either, select};
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::{Channel, Receiver, Sender};
use embassy_time::{Duration, Instant, Timer};

// ANCHOR: traits
/// An LED. The board, or the host simulation, decides what `set` does.
pub trait Led {
    fn set(&mut self, on: bool);
}

/// A button you can wait for. `async fn` in a trait is stable since Rust 1.75; on
/// a chip, `wait_for_press` sleeps until the pin's interrupt fires.
// The lint warns that callers cannot require the future to be `Send`. Embassy's
// thread-mode executor runs every task on one core, so no caller needs that.
#[allow(async_fn_in_trait)]
pub trait Button {
    async fn wait_for_press(&mut self);
}
// ANCHOR_END: traits

// ANCHOR: speed
/// How fast the LED blinks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    Slow,
    Fast,
}

impl Speed {
    /// Time between two toggles.
    pub fn half_period(self) -> Duration {
        match self {
            Speed::Slow => Duration::from_millis(500),
            Speed::Fast => Duration::from_millis(200),
        }
    }

    /// Each button press switches to the other speed.
    pub fn toggled(self) -> Speed {
        match self {
            Speed::Slow => Speed::Fast,
            Speed::Fast => Speed::Slow,
        }
    }
}
// ANCHOR_END: speed

// ANCHOR: channel
/// Speed changes travel from the button task to the blink task through a channel
/// with room for two messages. `CriticalSectionRawMutex` makes it safe to use from
/// interrupts too; it is a `static`, so both tasks can reach it without allocation.
pub static SPEED_CHANGES: Channel<CriticalSectionRawMutex, Speed, 2> = Channel::new();
pub type SpeedSender = Sender<'static, CriticalSectionRawMutex, Speed, 2>;
pub type SpeedReceiver = Receiver<'static, CriticalSectionRawMutex, Speed, 2>;
// ANCHOR_END: channel

// ANCHOR: watch_button
/// Waits for presses forever and sends the new speed after each one.
pub async fn watch_button(button: &mut impl Button, speed_changes: SpeedSender) -> ! {
    let mut speed = Speed::Slow;
    loop {
        button.wait_for_press().await;
        speed = speed.toggled();
        // Waits if the channel is full, instead of dropping a press.
        speed_changes.send(speed).await;
    }
}
// ANCHOR_END: watch_button

// ANCHOR: blink
/// Toggles the LED `toggles` times, at the current speed. A speed change takes
/// effect at once.
pub async fn blink(led: &mut impl Led, speed_changes: SpeedReceiver, toggles: u32) {
    let mut speed = Speed::Slow;
    let mut on = false;
    // Deadlines, not "sleep for 500 ms": a late wake-up does not delay every later toggle.
    let mut deadline = Instant::now();
    for _ in 0..toggles {
        on = !on;
        led.set(on);
        deadline += speed.half_period();
        // Whichever comes first: the next toggle, or a message from the button task.
        match select(Timer::at(deadline), speed_changes.receive()).await {
            Either::First(()) => {}
            Either::Second(new_speed) => {
                speed = new_speed;
                deadline = Instant::now();
            }
        }
    }
}
// ANCHOR_END: blink

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_press_switches_between_the_two_speeds() {
        assert_eq!(Speed::Slow.toggled(), Speed::Fast);
        assert_eq!(Speed::Slow.toggled().toggled(), Speed::Slow);
        assert!(Speed::Fast.half_period() < Speed::Slow.half_period());
    }
}
