//! Running the external programs a kernel build needs, with errors that show their
//! output and, for long builds, a line of progress every few seconds.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::interrupt;
use crate::{Error, Result};

/// Lines of output kept to explain a failure.
const TAIL: usize = 30;

pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs a short command and returns what it printed; on failure the error carries its
/// output. A signal stops it (see `interrupt.rs`).
pub fn run(command: &mut Command) -> Result<String> {
    let (stdout, stderr) = run_capturing(command)?;
    Ok(String::from_utf8_lossy(&stdout).into_owned() + &String::from_utf8_lossy(&stderr))
}

/// Runs a short command and returns its standard output as bytes (an archive, say).
pub fn run_for_bytes(command: &mut Command) -> Result<Vec<u8>> {
    Ok(run_capturing(command)?.0)
}

/// Starts `command` with no input, its output piped to this process, and in a
/// process group of its own, which [`interrupt`] stops as a whole.
///
/// In a terminal, Ctrl-C sends SIGINT to the terminal's foreground process group. A
/// child left in this program's group would get it too and die at once, before this
/// program had noticed the signal: its exit would then look like a failure of its own.
/// In a group of its own, only this program gets the signal, and it stops the child.
/// (A process outside the foreground group that reads the terminal is stopped, hence
/// no input.)
pub(crate) fn spawn(command: &mut Command, name: &str) -> Result<Child> {
    interrupt::reap_orphans()?;
    command
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| start_error(name, source))
}

fn run_capturing(command: &mut Command) -> Result<(Vec<u8>, Vec<u8>)> {
    let name = describe(command);
    let mut child = spawn(command, &name)?;
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());
    let status = interrupt::wait(&mut child, &name)?;
    let (stdout, stderr) = (
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    );
    if !status.success() {
        let text =
            String::from_utf8_lossy(&stdout).into_owned() + &String::from_utf8_lossy(&stderr);
        return Err(Error::Command {
            command: name,
            status: status.to_string(),
            output: last_lines(&text),
        });
    }
    Ok((stdout, stderr))
}

/// "Not found" means the program is not installed: say which, and how to get it.
pub fn start_error(command: &str, source: std::io::Error) -> Error {
    let program = command.split(' ').next().unwrap_or(command).to_owned();
    if source.kind() == std::io::ErrorKind::NotFound {
        return Error::Missing {
            what: program,
            hint: crate::SETUP_HINT.into(),
        };
    }
    Error::Io {
        context: format!("starting `{command}`"),
        source,
    }
}

/// Reads a pipe to the end on another thread, so that no pipe fills up and stalls the
/// child while the caller waits for it.
fn read_in_background(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Runs a long command (a kernel build), printing `label: N steps, last: LINE` every
/// `every` instead of thousands of lines. A signal stops it.
pub fn run_with_progress(command: &mut Command, label: &str, every: Duration) -> Result<()> {
    let name = describe(command);
    let mut child = spawn(command, &name)?;
    let errors = read_in_background(child.stderr.take());
    let stdout = child.stdout.take().expect("stdout is piped");
    let label = label.to_owned();
    // The progress lines come from this thread; the caller's thread watches for signals.
    let progress = std::thread::spawn(move || {
        let started = Instant::now();
        let mut last_report = Instant::now();
        let mut tail = VecDeque::with_capacity(TAIL);
        let mut steps = 0;
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            steps += 1;
            if last_report.elapsed() >= every {
                println!(
                    "{label}: {steps} steps in {} s, last: {}",
                    started.elapsed().as_secs(),
                    line.trim()
                );
                last_report = Instant::now();
            }
            if tail.len() == TAIL {
                tail.pop_front();
            }
            tail.push_back(line);
        }
        (tail, steps, started.elapsed().as_secs(), label)
    });
    let status = interrupt::wait(&mut child, &name)?;
    let (tail, steps, seconds, label) = progress.join().unwrap_or_default();
    let errors = errors.join().unwrap_or_default();
    if !status.success() {
        let mut output: Vec<String> = tail.into();
        output.push(last_lines(&String::from_utf8_lossy(&errors)));
        return Err(Error::Command {
            command: name,
            status: status.to_string(),
            output: output.join("\n"),
        });
    }
    println!("{label}: done, {steps} steps in {seconds} s");
    Ok(())
}

fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(TAIL)..].join("\n")
}
