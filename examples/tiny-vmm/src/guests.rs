//! Guest programs: 16-bit real-mode x86 machine code, assembled by hand. Each byte
//! sequence has its assembly beside it. The CPU starts at `LOAD_ADDRESS` (0x1000).

use crate::LOAD_ADDRESS;

// ANCHOR: hello
/// Writes a message to the serial port, one byte at a time, then halts.
pub fn hello() -> Vec<u8> {
    const MESSAGE_OFFSET: u16 = 15; // where the text starts, after the 15 bytes of code
    let message_address = LOAD_ADDRESS as u16 + MESSAGE_OFFSET;
    let [low, high] = message_address.to_le_bytes();
    let mut code = vec![
        0xba, 0xf8, 0x03, //       mov dx, 0x3f8     ; the serial port
        0xbe, low, high, //        mov si, message
        0xac, //             next: lodsb             ; al = [si], si += 1
        0x84, 0xc0, //             test al, al       ; the final 0 byte?
        0x74, 0x03, //             jz done
        0xee, //                   out dx, al        ; VM exit: IoOut(0x3f8, [al])
        0xeb, 0xf8, //             jmp next
        0xf4, //             done: hlt               ; VM exit: Hlt
    ];
    assert_eq!(code.len(), usize::from(MESSAGE_OFFSET));
    code.extend_from_slice(b"Hello from a KVM guest\n\0");
    code
}
// ANCHOR_END: hello

// ANCHOR: bad_guests
/// Loops forever without ever leaving the CPU: only the watchdog can stop it.
pub fn endless_loop() -> Vec<u8> {
    vec![0xeb, 0xfe] // jmp $  (jump to itself)
}

/// Writes to address 0x20000, beyond the guest's 64 KiB of RAM.
pub fn touch_missing_memory() -> Vec<u8> {
    vec![
        0xb8, 0x00, 0x20, // mov ax, 0x2000
        0x8e, 0xd8, //       mov ds, ax          ; segment 0x2000 = address 0x20000
        0xa2, 0x00, 0x00, // mov [0], al         ; VM exit: MmioWrite(0x20000, ..)
        0xf4, //             hlt
    ]
}

/// Writes to an I/O port this VMM has no device for.
pub fn unknown_port() -> Vec<u8> {
    vec![
        0xb0, 0x2a, // mov al, 42
        0xe6, 0x80, // out 0x80, al              ; VM exit: IoOut(0x80, [42])
        0xf4, //       hlt
    ]
}
// ANCHOR_END: bad_guests
