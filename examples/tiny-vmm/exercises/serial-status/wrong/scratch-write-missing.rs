// Wrong attempt: answers reads of the line status and of the scratch register, but leaves
// `io_out` as it was, so the scratch field is never written.
// Why it is wrong: task.md says "a byte written to the scratch register is what the next read
// of it returns"; the write to the scratch port is still an `UnknownWrite` error, and a read
// returns 0.

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
            _ => Err(PortError::UnknownWrite {
                port,
                data: data.to_vec(),
            }),
        }
    }

    /// The guest reads `data.len()` bytes from `port` (an `in` instruction): fill `data`.
    pub fn io_in(&mut self, port: u16, data: &mut [u8]) -> Result<(), PortError> {
        match port {
            LINE_STATUS_PORT => data.fill(TRANSMITTER_EMPTY),
            SCRATCH_PORT => data.fill(self.scratch),
            _ => return Err(PortError::UnknownRead { port }),
        }
        Ok(())
    }
}
