//! Ctrl-C, `kill` and a closed terminal, handled so that nothing is left behind.
//!
//! The signal handler only sets a flag. Whatever waits for a child process (QEMU, a
//! `make`) checks the flag, kills the child and every process it started, waits for
//! all of them and returns [`Error::Interrupted`]. The error then unwinds the program
//! like any other, so every scratch folder's guard runs on the way out, once nothing
//! can write into the folder any more.

use std::process::{Child, ExitStatus};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::waitpid;
use nix::unistd::Pid;

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
    let status = child
        .try_wait()
        .map_err(io(format!("waiting for {name}")))?;
    // The flag is looked at after the status, and wins: a child that exited because
    // of the same signal (sent to a whole process group, say) reports an ordinary
    // failure, and the reader would be told that `make` failed, not that the run was
    // interrupted.
    if interrupted() {
        stop(child, name)?;
        return Err(Error::Interrupted {
            stopped: name.to_owned(),
        });
    }
    Ok(status)
}

/// Kills the child and every process it started, and reaps them all, so that no
/// process is left behind, in particular none that still writes into a scratch folder
/// about to be removed (a `make` starts more `make`s, which start compilers).
fn stop(child: &mut Child, name: &str) -> Result<()> {
    // The child leads a process group of its own (`process::spawn`), whose id is the
    // child's process id; its descendants are in it too, unless they left it, which
    // make, compilers and QEMU do not do. An error means the group is gone already.
    let group = Pid::from_raw(child.id().cast_signed());
    let _ = killpg(group, Signal::SIGKILL);
    child.wait().map_err(io(format!("waiting for {name}")))?;
    // The child's own children outlive it for a moment: they were killed, but each
    // dies in its own time. As orphans, they became this process's children (see
    // `reap_orphans`), so `waitpid` on the group waits for each one until none is left.
    loop {
        match waitpid(Pid::from_raw(-group.as_raw()), None) {
            Ok(_) | Err(Errno::EINTR) => {}
            Err(Errno::ECHILD) => return Ok(()),
            Err(errno) => return Err(io(format!("waiting for what {name} started"))(errno.into())),
        }
    }
}

/// Makes this process the "subreaper" of its descendants (Linux's
/// `PR_SET_CHILD_SUBREAPER`): a process whose parent dies is handed to this process
/// instead of to init, so this process can wait for it. Once per process, before the
/// first child starts.
pub(crate) fn reap_orphans() -> Result<()> {
    static SET: OnceLock<Result<(), Errno>> = OnceLock::new();
    let result = *SET.get_or_init(|| nix::sys::prctl::set_child_subreaper(true));
    result.map_err(|errno| Error::Io {
        context: "becoming the reaper of the children's children".into(),
        source: errno.into(),
    })
}
