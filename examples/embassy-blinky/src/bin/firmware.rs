//! The same firmware logic on a real chip: an nRF52840 (Nordic's nRF52840-DK board,
//! LED 1 on pin P0.13 and button 1 on pin P0.11). CI builds it for
//! `thumbv7em-none-eabihf`; flash it with a probe (for example `probe-rs run --chip
//! nRF52840_xxAA`) if you have the board.

// No operating system: no standard library, and no `main` in the usual sense:
// cortex-m-rt provides the reset handler, and the executor's macro the entry point.
#![no_std]
#![no_main]

use embassy_blinky::{Button, Led, SPEED_CHANGES, blink, watch_button};
use embassy_executor::Spawner;
use embassy_nrf::gpio::{Input, Level, Output, OutputDrive, Pull};
// On a panic, stop the core. (A real product might reset or log instead.)
use panic_halt as _;

// ANCHOR: board
/// The board's LEDs light when the pin is low.
struct BoardLed(Output<'static>);

impl Led for BoardLed {
    fn set(&mut self, on: bool) {
        if on {
            self.0.set_low();
        } else {
            self.0.set_high();
        }
    }
}

/// The button pulls the pin low when pressed. Waiting for the falling edge puts the
/// task to sleep until the GPIO interrupt wakes the executor.
struct BoardButton(Input<'static>);

impl Button for BoardButton {
    async fn wait_for_press(&mut self) {
        self.0.wait_for_falling_edge().await;
    }
}
// ANCHOR_END: board

#[embassy_executor::task]
async fn button_task(mut button: BoardButton) {
    watch_button(&mut button, SPEED_CHANGES.sender()).await
}

#[embassy_executor::main]
async fn main(spawner: Spawner) {
    let peripherals = embassy_nrf::init(Default::default());
    let led = Output::new(peripherals.P0_13, Level::High, OutputDrive::Standard);
    let button = Input::new(peripherals.P0_11, Pull::Up);

    spawner.spawn(button_task(BoardButton(button)).expect("the button task runs once"));
    blink(&mut BoardLed(led), SPEED_CHANGES.receiver(), u32::MAX).await;
}
