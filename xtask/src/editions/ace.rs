//! Ace by DAISY, the DAISY Consortium's accessibility checker for EPUB
//! (<https://daisy.github.io/ace/>): it checks the package against EPUB Accessibility
//! 1.1 and runs axe-core on every XHTML file in a browser.
//!
//! It comes from npm, pinned (`pins.rs`), into the tools cache, installed without
//! install scripts, so that neither Electron nor Puppeteer downloads a browser: its
//! Puppeteer runner (`ace-puppeteer`) drives Debian's Chromium, the one the browser
//! test uses, through `PUPPETEER_EXECUTABLE_PATH`. Its JSON report is kept in
//! `target/ace/` with the HTML one; a serious or critical finding fails the check.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::base::repo_root;
use crate::tools;

pub use book_model::pins::ACE;

/// Debian's Chromium (the `chromium` package, which `cargo xtask setup` installs).
const CHROMIUM: &str = "/usr/bin/chromium";

/// Ace needs about 15 seconds for the book on two cores; a hung browser is stopped.
const TIME_LIMIT: Duration = Duration::from_secs(180);

/// Runs Ace on the EPUB and fails on any serious or critical finding, printing each;
/// prints how many findings each rule has.
pub fn check(epub: &Path) -> Result<()> {
    let script = tools::ace_script()?;
    let report_dir = repo_root().join("target/ace");
    if report_dir.exists() {
        fs::remove_dir_all(&report_dir)?;
    }
    let mut command = Command::new("node");
    command
        .arg(&script)
        .args(["--silent", "--force", "--outdir"])
        .arg(&report_dir)
        .arg(epub)
        .env("PUPPETEER_EXECUTABLE_PATH", CHROMIUM);
    println!(
        "$ PUPPETEER_EXECUTABLE_PATH={CHROMIUM} node {} --silent --force --outdir {} {}",
        script.display(),
        report_dir.display(),
        epub.display()
    );
    let (status, log) = super::run_with_time_limit(&mut command, TIME_LIMIT)
        .context("could not run Ace (Node.js, from Debian's `nodejs`)")?;
    let report_path = report_dir.join("report.json");
    if !status.success() || !report_path.is_file() {
        bail!(
            "Ace failed ({status}) and wrote no report{}:\n{log}",
            node_too_old().unwrap_or_default()
        );
    }
    let report: Value = serde_json::from_str(&fs::read_to_string(&report_path)?)
        .with_context(|| format!("reading {}", report_path.display()))?;
    let findings = findings(&report);

    let mut by_rule: BTreeMap<(u8, &str), usize> = BTreeMap::new();
    for finding in &findings {
        *by_rule
            .entry((rank(&finding.impact), finding.rule.as_str()))
            .or_default() += 1;
    }
    println!(
        "Ace {ACE}: {} findings; report in {}",
        findings.len(),
        report_dir.join("report.html").display()
    );
    for ((impact, rule), count) in &by_rule {
        println!("  {:<9} {rule}: {count}", IMPACTS[usize::from(*impact)]);
    }
    let failing: Vec<&Finding> = findings
        .iter()
        .filter(|finding| rank(&finding.impact) <= 1)
        .collect();
    if !failing.is_empty() {
        let list: Vec<String> = failing.iter().map(|finding| finding.to_string()).collect();
        bail!(
            "Ace found {} serious or critical problems:\n{}",
            failing.len(),
            list.join("\n")
        );
    }
    println!("Ace: no serious or critical finding");
    Ok(())
}

/// Ace declares that it needs Node.js 20 or newer (`engines` in its package.json),
/// and Debian 12's `nodejs` is 18: when Ace fails, say so if that may be why.
fn node_too_old() -> Option<String> {
    let output = Command::new("node").arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()?;
    (major < 20).then(|| format!(" (Ace {ACE} needs Node.js 20 or newer, and `node` is {version})"))
}

/// axe-core's impact levels, worst first.
const IMPACTS: [&str; 5] = ["critical", "serious", "moderate", "minor", "unknown"];

fn rank(impact: &str) -> u8 {
    IMPACTS
        .iter()
        .position(|known| *known == impact)
        .map_or(4, |i| i as u8)
}

/// One failed test in Ace's report.
#[derive(Debug, PartialEq)]
struct Finding {
    rule: String,
    impact: String,
    /// The file inside the EPUB.
    file: String,
    description: String,
    /// The markup it is about, when the rule looked at one element.
    html: Option<String>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "  {} ({}) in {}: {}",
            self.rule, self.impact, self.file, self.description
        )?;
        if let Some(html) = &self.html {
            let html: String = html.chars().take(160).collect();
            write!(f, "\n      {html}")?;
        }
        Ok(())
    }
}

/// The failed tests of an Ace report (EARL in JSON-LD): assertions nest, those about
/// one file under an assertion whose `earl:testSubject` names it, and each test's
/// result is `earl:result/earl:outcome`.
fn findings(report: &Value) -> Vec<Finding> {
    fn walk(node: &Value, subject: &str, found: &mut Vec<Finding>) {
        let subject = node
            .pointer("/earl:testSubject/url")
            .and_then(Value::as_str)
            .unwrap_or(subject);
        let text = |pointer: &str| {
            node.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        if node.get("earl:test").is_some()
            && text("/earl:result/earl:outcome").as_deref() == Some("fail")
        {
            found.push(Finding {
                rule: text("/earl:test/dct:title").unwrap_or_else(|| "?".to_owned()),
                impact: text("/earl:test/earl:impact").unwrap_or_else(|| "unknown".to_owned()),
                file: subject.to_owned(),
                description: text("/earl:result/dct:description")
                    .unwrap_or_default()
                    .replace('\n', " "),
                html: text("/earl:result/html"),
            });
        }
        for child in node
            .get("assertions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk(child, subject, found);
        }
    }
    let mut found = Vec::new();
    walk(report, "the EPUB", &mut found);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_read_from_nested_assertions() {
        let report = serde_json::json!({
            "@type": "earl:report",
            "earl:result": { "earl:outcome": "fail" },
            "assertions": [
                {
                    "earl:testSubject": { "url": "EPUB/package.opf" },
                    "earl:result": { "earl:outcome": "fail" },
                    "assertions": [{
                        "earl:test": { "dct:title": "epub-lang", "earl:impact": "serious" },
                        "earl:result": {
                            "earl:outcome": "fail",
                            "dct:description": "Publication language\nnot set"
                        }
                    }]
                },
                {
                    "earl:testSubject": { "url": "nav.xhtml" },
                    "assertions": [
                        {
                            "earl:test": { "dct:title": "landmark-unique", "earl:impact": "moderate" },
                            "earl:result": { "earl:outcome": "fail", "html": "<nav>" }
                        },
                        {
                            "earl:test": { "dct:title": "html-has-lang", "earl:impact": "serious" },
                            "earl:result": { "earl:outcome": "pass" }
                        }
                    ]
                }
            ]
        });
        let found = findings(&report);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].rule, "epub-lang");
        assert_eq!(found[0].file, "EPUB/package.opf");
        assert_eq!(found[0].description, "Publication language not set");
        assert_eq!(found[1].file, "nav.xhtml");
        assert_eq!(found[1].html.as_deref(), Some("<nav>"));
        assert!(rank("serious") <= 1 && rank("critical") <= 1 && rank("moderate") > 1);
    }
}
