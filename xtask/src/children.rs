//! The commands xtask starts end with it, and the ones that run the reader's code have
//! a deadline.
//!
//! Each child starts in a process group of its own, so that stopping it also stops
//! what it started: `cargo test` and the test binary, `make` and its sub-makes. A
//! thread waits for SIGINT, SIGTERM and SIGHUP; when one comes, it kills every group
//! still running and exits with 128 + the signal's number (130 for Ctrl-C, 143 for
//! SIGTERM), as a shell reports a process that a signal stopped.

use std::collections::BTreeSet;
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::signal::{SigSet, Signal, killpg};
use nix::unistd::Pid;
use std::os::unix::process::CommandExt as _;

/// The process groups of the children still running.
static GROUPS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// Call first thing in `main`, before any other thread starts: the signals are
/// blocked in every thread and taken by one that waits for them. (Children start with
/// none blocked: [`Owned::spawn`] clears the mask in the child.)
pub fn end_with_xtask() -> Result<()> {
    let mut signals = SigSet::empty();
    for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        signals.add(signal);
    }
    signals
        .thread_block()
        .context("blocking signals for xtask's signal thread")?;
    std::thread::spawn(move || {
        let Ok(signal) = signals.wait() else { return };
        // Holding the lock until the exit means no child can start after this.
        let groups = GROUPS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // SIGTERM first, so that a child that starts groups of its own (cargo-nextest
        // runs each test in one) can stop them; SIGKILL for whatever is left after a
        // few seconds, so that nothing that ignores SIGTERM outlives xtask either.
        for &group in groups.iter() {
            let _ = killpg(Pid::from_raw(group), Signal::SIGTERM);
        }
        let started = std::time::Instant::now();
        let alive = |group: &i32| killpg(Pid::from_raw(*group), None).is_ok();
        while groups.iter().any(alive) && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(50));
        }
        for &group in groups.iter() {
            let _ = killpg(Pid::from_raw(group), Signal::SIGKILL);
        }
        eprintln!("\nxtask: stopped by {signal}, and everything it had started");
        std::process::exit(128 + signal as i32);
    });
    Ok(())
}

/// A child in its own process group, which the signal thread kills with xtask.
pub struct Owned {
    child: Child,
}

impl Owned {
    pub fn spawn(command: &mut Command) -> Result<Owned> {
        command.process_group(0);
        // A child inherits the signal mask, and xtask blocks SIGINT, SIGTERM and SIGHUP
        // for its signal thread (the standard library leaves the mask as it is). Left
        // blocked, a signal that a test sends to a program it started never arrives.
        // SAFETY: the closure runs in the child between fork and exec, where only
        // async-signal-safe functions may be called: it calls pthread_sigmask (through
        // nix, on a set built on the stack) and allocates nothing.
        unsafe {
            command.pre_exec(|| SigSet::all().thread_unblock().map_err(std::io::Error::from));
        }
        let mut groups = GROUPS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let child = command
            .spawn()
            .with_context(|| format!("could not start {}", describe(command)))?;
        // The child leads its group, so the group's id is its process id.
        groups.insert(child.id() as i32);
        Ok(Owned { child })
    }

    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Waits until the child exits, or kills its whole group at the deadline and
    /// returns `None`.
    pub fn wait_until(&mut self, deadline: Option<Duration>) -> Result<Option<ExitStatus>> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(Some(status));
            }
            if deadline.is_some_and(|deadline| started.elapsed() > deadline) {
                self.kill_group();
                self.child.wait()?;
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill_group(&self) {
        let _ = killpg(Pid::from_raw(self.child.id() as i32), Signal::SIGKILL);
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        // A child dropped early (an error on the way) must not keep running: stop
        // what is left of its group, then forget it.
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            self.kill_group();
            let _ = self.child.wait();
        }
        let mut groups = GROUPS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        groups.remove(&(self.child.id() as i32));
    }
}

/// Runs a command to its end, as `Command::status` does, in a group that dies with
/// xtask.
pub fn status(command: &mut Command) -> Result<ExitStatus> {
    let mut owned = Owned::spawn(command)?;
    Ok(owned
        .wait_until(None)?
        .expect("without a deadline the child is waited for"))
}

/// Runs a command and collects what it prints, as `Command::output` does; past the
/// deadline its group is killed and the error says so.
pub fn output(command: &mut Command, deadline: Duration) -> Result<Output> {
    command.stderr(Stdio::piped());
    collect(command, Some(deadline))
}

/// Runs a command to its end and collects its standard output, while what it says on
/// standard error (Cargo's progress, the compiler's messages) goes to the terminal.
pub fn stdout_of(command: &mut Command) -> Result<Output> {
    command.stderr(Stdio::inherit());
    collect(command, None)
}

fn collect(command: &mut Command, deadline: Option<Duration>) -> Result<Output> {
    command.stdout(Stdio::piped());
    let what = describe(command);
    let mut owned = Owned::spawn(command)?;
    // Both pipes are read on their own threads, so a child that fills one cannot block.
    let stdout = read_all(owned.child().stdout.take());
    let stderr = read_all(owned.child().stderr.take());
    let status = owned.wait_until(deadline)?;
    let (stdout, stderr) = (joined(stdout)?, joined(stderr)?);
    match (status, deadline) {
        (Some(status), _) => Ok(Output {
            status,
            stdout,
            stderr,
        }),
        (None, deadline) => bail!(
            "`{what}` did not finish within {} s, so it was stopped",
            deadline.unwrap_or_default().as_secs()
        ),
    }
}

fn read_all(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<std::io::Result<Vec<u8>>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            pipe.read_to_end(&mut bytes)?;
        }
        Ok(bytes)
    })
}

fn joined(reader: JoinHandle<std::io::Result<Vec<u8>>>) -> Result<Vec<u8>> {
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("reading a command's output failed"))?
        .context("reading a command's output")
}

/// The command as a reader would type it.
pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_past_its_deadline_is_stopped_with_what_it_started() -> Result<()> {
        // The shell starts a grandchild that would outlive a plain `kill` of the shell.
        let marker = std::env::temp_dir().join(format!("children-{}", std::process::id()));
        let script = format!("sleep 30 & echo $! > {}; wait", marker.display());
        let started = Instant::now();
        let error = output(
            Command::new("sh").args(["-c", &script]),
            Duration::from_millis(500),
        )
        .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(
            error.to_string().contains("did not finish within"),
            "{error}"
        );
        let grandchild = std::fs::read_to_string(&marker)?;
        std::fs::remove_file(&marker)?;
        // SIGKILL is delivered asynchronously: within a few seconds the grandchild is
        // gone, or a zombie waiting for its new parent to reap it.
        let stat = format!("/proc/{}/stat", grandchild.trim());
        let stopped =
            || std::fs::read_to_string(&stat).map_or(true, |state| state.contains(") Z "));
        let waiting = Instant::now();
        while !stopped() && waiting.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(stopped(), "the grandchild still runs");
        Ok(())
    }

    #[test]
    fn a_command_within_its_deadline_gives_its_output() -> Result<()> {
        let out = output(
            Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]),
            Duration::from_secs(30),
        )?;
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, b"err\n");
        assert_eq!(out.status.code(), Some(3));
        Ok(())
    }
}
