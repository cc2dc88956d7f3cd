//! The tests that define "done" for the exercise "serial-status". The first ones call
//! `Devices` directly and run anywhere; the last ones run real guests on KVM. Where
//! /dev/kvm is missing, those say loudly that they did not run (and fail in CI).

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::{Devices, LINE_STATUS_PORT, PortError, SCRATCH_PORT, TRANSMITTER_EMPTY};
use kvm_bindings::kvm_userspace_memory_region;
use kvm_ioctls::{Kvm, VcpuExit};
use tiny_vmm::{LOAD_ADDRESS, SERIAL_PORT};
use vm_memory::{Bytes, GuestAddress, GuestMemoryBackend, GuestMemoryMmap};

#[test]
fn the_line_status_says_the_port_is_ready() {
    let mut devices = Devices::default();
    let mut status = [0];
    devices
        .io_in(LINE_STATUS_PORT, &mut status)
        .unwrap_or_else(|error| panic!("{error}"));
    assert_ne!(status[0] & TRANSMITTER_EMPTY, 0, "bit 5 is set");
}

#[test]
fn the_scratch_register_gives_back_what_was_written() {
    let mut devices = Devices::default();
    devices
        .io_out(SCRATCH_PORT, &[0x5a])
        .unwrap_or_else(|error| panic!("{error}"));
    let mut value = [0];
    devices
        .io_in(SCRATCH_PORT, &mut value)
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(value, [0x5a]);
}

#[test]
fn bytes_to_the_data_port_are_output() {
    let mut devices = Devices::default();
    devices
        .io_out(SERIAL_PORT, b"hi")
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(devices.serial_output, "hi");
}

#[test]
fn ports_without_a_device_are_errors() {
    let mut devices = Devices::default();
    assert_eq!(
        devices.io_in(0x60, &mut [0]),
        Err(PortError::UnknownRead { port: 0x60 })
    );
    assert_eq!(
        devices.io_out(0x80, &[42]),
        Err(PortError::UnknownWrite {
            port: 0x80,
            data: vec![42]
        })
    );
}

/// Prints "OK\n", and before each byte waits until the line status says the port
/// is ready.
fn polite_hello() -> Vec<u8> {
    const MESSAGE_OFFSET: u16 = 27; // after the 27 bytes of code
    let [low, high] = (LOAD_ADDRESS as u16 + MESSAGE_OFFSET).to_le_bytes();
    let mut code = vec![
        0xbe, low, high, //  mov si, message
        0xac, //       next: lodsb                ; al = [si], si += 1
        0x84, 0xc0, //       test al, al          ; the final 0 byte?
        0x74, 0x12, //       jz done
        0x88, 0xc3, //       mov bl, al           ; keep the byte
        0xba, 0xfd, 0x03, // mov dx, 0x3fd        ; the line status port
        0xec, //       wait: in al, dx            ; VM exit: IoIn(0x3fd, [al])
        0xa8, 0x20, //       test al, 0x20        ; transmitter empty?
        0x74, 0xfb, //       jz wait
        0x88, 0xd8, //       mov al, bl
        0xba, 0xf8, 0x03, // mov dx, 0x3f8        ; the data port
        0xee, //             out dx, al           ; VM exit: IoOut(0x3f8, [al])
        0xeb, 0xe9, //       jmp next
        0xf4, //       done: hlt
    ];
    assert_eq!(code.len(), usize::from(MESSAGE_OFFSET));
    code.extend_from_slice(b"OK\n\0");
    code
}

/// Writes 'K' to the scratch register, reads it back and prints what it read.
fn scratch_echo() -> Vec<u8> {
    vec![
        0xba, 0xff, 0x03, // mov dx, 0x3ff      ; the scratch register
        0xb0, 0x4b, //       mov al, 'K'
        0xee, //             out dx, al         ; VM exit: IoOut(0x3ff, [0x4b])
        0xb0, 0x00, //       mov al, 0
        0xec, //             in al, dx          ; VM exit: IoIn(0x3ff, [al])
        0xba, 0xf8, 0x03, // mov dx, 0x3f8
        0xee, //             out dx, al         ; VM exit: IoOut(0x3f8, [al])
        0xf4, //             hlt
    ]
}

#[test]
fn a_guest_that_waits_for_the_line_status_prints() {
    let mut devices = Devices::default();
    let Some(exits) = run(&polite_hello(), &mut devices) else {
        return;
    };
    let exits = exits.expect("the guest halts");
    assert_eq!(devices.serial_output, "OK\n");
    // For each byte, one read of the line status and one write; then HLT.
    assert_eq!(exits, 3 * 2 + 1);
}

#[test]
fn a_guest_reads_its_scratch_register_back() {
    let mut devices = Devices::default();
    let Some(exits) = run(&scratch_echo(), &mut devices) else {
        return;
    };
    exits.expect("the guest halts");
    assert_eq!(devices.serial_output, "K");
}

/// Runs `program` in a new VM whose I/O ports are `devices`, as `tiny_vmm::run_guest`
/// does for its one serial port, and returns how many VM exits it took. `None`, after
/// a loud message, where this machine has no usable KVM.
fn run(program: &[u8], devices: &mut Devices) -> Option<Result<u64, String>> {
    let kvm = match Kvm::new() {
        Ok(kvm) => kvm,
        Err(error) => {
            let message = format!("KVM test NOT RUN: /dev/kvm is not usable here ({error})");
            assert!(std::env::var_os("CI").is_none(), "{message}");
            eprintln!("\n!!!!! {message} !!!!!\n");
            return None;
        }
    };
    // Declared before the VM and its vCPU, so dropped after both: the guest can never
    // reach memory that is gone.
    let memory = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x1_0000)])
        .expect("64 KiB of guest memory");
    memory
        .write_slice(program, GuestAddress(LOAD_ADDRESS))
        .expect("the program fits");
    let vm = kvm.create_vm().expect("a VM");
    let region = memory.iter().next().expect("one region");
    let slot = kvm_userspace_memory_region {
        slot: 0,
        guest_phys_addr: 0,
        memory_size: 0x1_0000,
        userspace_addr: region.as_ptr() as u64,
        flags: 0,
    };
    // SAFETY: the mapping is 64 KiB, owned by `memory`, which outlives `vm` and `vcpu`
    // (see its declaration), and no other slot overlaps it.
    unsafe { vm.set_user_memory_region(slot) }.expect("guest memory mapped");

    let mut vcpu = vm.create_vcpu(0).expect("a vCPU");
    let mut sregs = vcpu.get_sregs().expect("segment registers");
    (
        sregs.cs.base,
        sregs.cs.selector,
        sregs.ds.base,
        sregs.ds.selector,
    ) = (0, 0, 0, 0);
    vcpu.set_sregs(&sregs).expect("segment registers set");
    let mut regs = vcpu.get_regs().expect("registers");
    regs.rip = LOAD_ADDRESS;
    regs.rflags = 0x2;
    vcpu.set_regs(&regs).expect("registers set");

    // Every guest here exits on each loop iteration, so counting exits bounds the
    // time: a guest still running after 1000 exits is stuck.
    for exits in 1..=1000 {
        let handled = match vcpu.run() {
            Ok(VcpuExit::IoOut(port, data)) => devices.io_out(port, data),
            Ok(VcpuExit::IoIn(port, data)) => devices.io_in(port, data),
            Ok(VcpuExit::Hlt) => return Some(Ok(exits)),
            Ok(other) => return Some(Err(format!("unexpected VM exit {other:?}"))),
            Err(error) => return Some(Err(format!("KVM_RUN failed: {error}"))),
        };
        if let Err(error) = handled {
            return Some(Err(error.to_string()));
        }
    }
    Some(Err(
        "the guest was still running after 1000 VM exits".to_owned()
    ))
}
