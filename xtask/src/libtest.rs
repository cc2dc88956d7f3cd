//! What a test binary built by libtest (the standard test harness) printed, read back
//! test by test: the exercises' checks and their proofs read it.

/// What libtest printed, test by test.
#[derive(Default, Debug)]
pub struct Report {
    pub results: Vec<(String, bool)>,
    /// The `---- name stdout ----` sections of failing tests.
    pub failure_output: String,
    /// Set when the test binary did not finish on its own: it hung, or it stopped
    /// without a test failing (an abort, a signal).
    pub verdict: Option<String>,
}

impl Report {
    pub fn parse(stdout: &str) -> Self {
        let mut report = Report::default();
        let mut in_failures = false;
        for line in stdout.lines() {
            if let Some(rest) = line.strip_prefix("test ")
                && let Some((name, outcome)) = rest.rsplit_once(" ... ")
            {
                match outcome.trim() {
                    "ok" => report.results.push((name.to_owned(), true)),
                    "FAILED" => report.results.push((name.to_owned(), false)),
                    _ => {}
                }
                continue;
            }
            if line.starts_with("---- ") {
                in_failures = true;
            } else if line == "failures:" || line.starts_with("test result:") {
                in_failures = false;
            }
            if in_failures {
                report.failure_output.push_str(line);
                report.failure_output.push('\n');
            }
        }
        report
    }

    pub fn passed(&self) -> usize {
        self.results.iter().filter(|(_, passed)| *passed).count()
    }

    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    /// The tests that failed, by name.
    pub fn failures(&self) -> Vec<&str> {
        self.results
            .iter()
            .filter(|(_, passed)| !passed)
            .map(|(name, _)| name.as_str())
            .collect()
    }
}
