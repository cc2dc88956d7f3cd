//! Ctrl-C, `kill` and a closed terminal, handled so that nothing is left behind.
//!
//! The signal handler only sets a flag. Whatever waits for a child process (QEMU, a
//! `make`) checks the flag, kills the child, waits for it and returns
//! [`Error::Interrupted`]. The error then unwinds the program like any other, so
//! every scratch folder's guard runs on the way out.

use std::process::{Child, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::{Error, Result, io};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler for SIGINT, SIGTERM and SIGHUP. A program calls this once, at
/// the start of `main`; a library never does, it only checks [`interrupted`].
pub fn install_handler() -> Result<()> {
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst)).map_err(|error| Error::Io {
        context: "installing the signal handler".into(),
        source: std::io::Error::other(error),
    })
}

/// Whether a signal asked the program to stop.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Waits for `child` to exit. If a signal arrives, the child is killed and waited
/// for, so it never outlives the wait.
pub fn wait(child: &mut Child, name: &str) -> Result<ExitStatus> {
    loop {
        if let Some(status) = poll(child, name)? {
            return Ok(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Like [`wait`], but gives up after `limit`: then the child is killed and waited for
/// too, and the result is `None`.
pub fn wait_at_most(child: &mut Child, name: &str, limit: Duration) -> Result<Option<ExitStatus>> {
    let started = Instant::now();
    loop {
        if let Some(status) = poll(child, name)? {
            return Ok(Some(status));
        }
        if started.elapsed() > limit {
            stop(child, name)?;
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The child's exit status if it has exited; an error, with the child stopped, if a
/// signal asked this program to stop.
fn poll(child: &mut Child, name: &str) -> Result<Option<ExitStatus>> {
    if let Some(status) = child
        .try_wait()
        .map_err(io(format!("waiting for {name}")))?
    {
        return Ok(Some(status));
    }
    if interrupted() {
        stop(child, name)?;
        return Err(Error::Interrupted {
            stopped: name.to_owned(),
        });
    }
    Ok(None)
}

/// Kills the child and reaps it, so that no process is left behind.
fn stop(child: &mut Child, name: &str) -> Result<()> {
    // `kill` fails only if the child has just exited: `wait` reaps it either way.
    let _ = child.kill();
    child.wait().map_err(io(format!("waiting for {name}")))?;
    Ok(())
}
