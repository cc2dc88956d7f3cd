// Reference solution of the exercise "serial-status" (see task.md beside this file).

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
    /// The last byte the guest wrote to the scratch register.
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
                // An 8-bit `out` writes one byte. A 16-bit one writes two, to this
                // port and the next; the scratch register keeps the first.
                if let Some(&byte) = data.first() {
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
        // Whatever bytes the VMM puts in `data` are what the guest finds in its
        // register when KVM resumes it.
        let value = match port {
            // This serial port sends each byte the moment the guest writes it (the
            // VMM appends it to `serial_output`), so it is always ready for the next.
            LINE_STATUS_PORT => TRANSMITTER_EMPTY,
            SCRATCH_PORT => self.scratch,
            // Answering 0 here would let a guest bug pass unnoticed.
            _ => return Err(PortError::UnknownRead { port }),
        };
        data.fill(value);
        Ok(())
    }
}
