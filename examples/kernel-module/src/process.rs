//! Running the external programs a kernel build needs, with errors that show their
//! output and, for long builds, a line of progress every few seconds.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Error, Result, io};

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

/// Runs a short command; on failure the error carries its output.
pub fn run(command: &mut Command) -> Result<String> {
    let output = command
        .output()
        .map_err(io(format!("starting `{}`", describe(command))))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(Error::Command {
            command: describe(command),
            status: output.status.to_string(),
            output: last_lines(&text),
        });
    }
    Ok(text)
}

/// Runs a long command (a kernel build), printing `label: N steps, last: LINE` every
/// `every` instead of thousands of lines.
pub fn run_with_progress(command: &mut Command, label: &str, every: Duration) -> Result<()> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(io(format!("starting `{}`", describe(command))))?;
    // Read stderr on another thread, so neither pipe can fill up and stall the build.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let mut last_report = Instant::now();
    let mut tail = VecDeque::with_capacity(TAIL);
    let mut steps = 0;
    for line in BufReader::new(child.stdout.take().expect("stdout is piped")).lines() {
        let line = line.map_err(io("reading build output"))?;
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
    let status = child.wait().map_err(io("waiting for the build"))?;
    let errors = errors.join().unwrap_or_default();
    if !status.success() {
        let mut output: Vec<String> = tail.into();
        output.push(last_lines(&errors));
        return Err(Error::Command {
            command: describe(command),
            status: status.to_string(),
            output: output.join("\n"),
        });
    }
    println!(
        "{label}: done, {steps} steps in {} s",
        started.elapsed().as_secs()
    );
    Ok(())
}

fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(TAIL)..].join("\n")
}
