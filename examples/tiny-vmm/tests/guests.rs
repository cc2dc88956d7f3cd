//! The VMM runs a well-behaved guest and stops each misbehaving one with the right
//! error, in bounded time. Needs /dev/kvm: in CI it must be there; elsewhere the
//! tests say loudly that they did not run.

use std::time::{Duration, Instant};

use tiny_vmm::{VmmError, guests, run_guest};

/// `None` (after a loud message) where this machine has no usable KVM.
fn run(program: &[u8], limit: Duration) -> Option<Result<tiny_vmm::GuestRun, VmmError>> {
    match run_guest(program, limit) {
        Err(VmmError::NoKvm(error)) => {
            let message = format!("KVM test NOT RUN: /dev/kvm is not usable here ({error})");
            assert!(std::env::var_os("CI").is_none(), "{message}");
            eprintln!("\n!!!!! {message} !!!!!\n");
            None
        }
        result => Some(result),
    }
}

#[test]
fn hello_guest_prints_through_the_serial_port_and_halts() {
    let Some(result) = run(&guests::hello(), Duration::from_secs(5)) else {
        return;
    };
    let guest = result.expect("the guest halts");
    assert_eq!(guest.output, "Hello from a KVM guest\n");
    // One exit per byte written, and one for HLT.
    assert_eq!(guest.exits, guest.output.len() as u64 + 1);
}

#[test]
fn an_endless_loop_is_stopped_by_the_watchdog() {
    let started = Instant::now();
    let Some(result) = run(&guests::endless_loop(), Duration::from_millis(200)) else {
        return;
    };
    assert!(
        matches!(result, Err(VmmError::Timeout { .. })),
        "{result:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped promptly"
    );
}

#[test]
fn a_write_outside_ram_is_an_error_not_a_hang() {
    let Some(result) = run(&guests::touch_missing_memory(), Duration::from_secs(5)) else {
        return;
    };
    let Err(VmmError::UnexpectedExit { exit, .. }) = result else {
        panic!("{result:?}")
    };
    assert!(exit.contains("0x20000"), "{exit}");
}

#[test]
fn an_unknown_port_is_an_error() {
    let Some(result) = run(&guests::unknown_port(), Duration::from_secs(5)) else {
        return;
    };
    let Err(VmmError::UnexpectedExit { exit, .. }) = result else {
        panic!("{result:?}")
    };
    assert!(exit.contains("0x80"), "{exit}");
}

#[test]
fn an_oversized_program_is_refused_before_anything_runs() {
    let Some(result) = run(&vec![0xf4; 0x10000], Duration::from_secs(5)) else {
        return;
    };
    assert!(
        matches!(result, Err(VmmError::ProgramTooLarge { .. })),
        "{result:?}"
    );
}
