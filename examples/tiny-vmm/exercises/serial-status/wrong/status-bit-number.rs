// Wrong attempt: answers the line status port with 5, the number of the bit, instead of the
// value with bit 5 set.
// Why it is wrong: task.md says "reading the line status port says the port is ready (bit 5
// set)"; 5 is 0b101, whose bit 5 is clear, so a guest that waits for it never writes.

use tiny_vmm::SERIAL_PORT;

/// The UART's line status register: what the guest reads to learn whether it may write.
pub const LINE_STATUS_PORT: u16 = SERIAL_PORT + 5;
/// Line status bit 5: the transmitter holding register is empty, so a byte may be written.
pub const TRANSMITTER_EMPTY: u8 = 1 << 5;
/// The UART's scratch register: one byte of storage for the guest.
pub const SCRATCH_PORT: u16 = SERIAL_PORT + 7;

/// A port access that no device of this VMM answers.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PortError {
    #[error("the guest wrote {data:?} to I/O port {port:#x}, which no device answers")]
    UnknownWrite { port: u16, data: Vec<u8> },
    #[error("the guest read I/O port {port:#x}, which no device answers")]
    UnknownRead { port: u16 },
}

/// The VMM's devices, as the guest sees them through I/O ports.
#[derive(Debug, Default)]
pub struct Devices {
    /// Bytes the guest wrote to the serial port's data register.
    pub serial_output: String,
    /// The byte last written to the scratch register.
    scratch: u8,
}

impl Devices {
    /// The guest wrote `data` to `port` (an `out` instruction).
    pub fn io_out(&mut self, port: u16, data: &[u8]) -> Result<(), PortError> {
        match port {
            SERIAL_PORT => {
                self.serial_output
                    .extend(data.iter().map(|&byte| char::from(byte)));
                Ok(())
            }
            SCRATCH_PORT => {
                // An `out dx, al` writes one byte; keep the last one.
                if let Some(&byte) = data.last() {
                    self.scratch = byte;
                }
                Ok(())
            }
            _ => Err(PortError::UnknownWrite {
                port,
                data: data.to_vec(),
            }),
        }
    }

    /// The guest reads `data.len()` bytes from `port` (an `in` instruction): fill `data`.
    pub fn io_in(&mut self, port: u16, data: &mut [u8]) -> Result<(), PortError> {
        match port {
            // Bit 5: the transmitter holding register is empty.
            LINE_STATUS_PORT => data.fill(5),
            SCRATCH_PORT => data.fill(self.scratch),
            _ => return Err(PortError::UnknownRead { port }),
        }
        Ok(())
    }
}
