//! Proofs that an exercise's tests catch wrong answers, beyond "the solution passes
//! and the starter fails" (`exercise.rs`):
//!
//! - every committed wrong attempt, `exercises/NAME/wrong/SLUG.rs`, fails at least
//!   one test: each is a plausible answer that skips what the exercise teaches;
//! - cargo-mutants changes the reference solution in every way it knows (a function
//!   body replaced, an operator swapped, a condition negated), and every change that
//!   compiles must fail a test.
//!
//! Both run in a copy of the workspace, the proof workspace, kept in the target folder
//! so that it builds incrementally: the real tree is never changed. There, each
//! exercise gets extra test targets of its example crate: its `tests.rs` with the
//! module under test pointing at a wrong attempt, or at a copy of the solution. They
//! stay in the example's own package, so they build with its build script, features
//! and dependencies, exactly as `cargo xtask exercise` builds the real ones.
//! cargo-mutants only changes code that a library or binary reaches, so the copy of
//! the solution is also the one module of a small binary.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use book_model::exercises::Exercise;

use crate::libtest::Report;

/// The version the example crates have in the proof workspace (see `prepare`).
const PROOF_VERSION: &str = "0.1.0-proof";

/// How long one test binary may run before it counts as hanging.
const TEST_DEADLINE: Duration = Duration::from_secs(120);

/// The module declaration every exercise's `tests.rs` starts with: the starter, or
/// the solution under the crate's `solution` feature.
const ATTEMPT_MODULE: &str = "#[cfg_attr(not(feature = \"solution\"), path = \"starter.rs\")]\n\
                              #[cfg_attr(feature = \"solution\", path = \"solution.rs\")]\n\
                              mod attempt;";

/// The committed wrong attempts of an exercise, by slug (file name without `.rs`).
pub fn wrong_attempts(exercise: &Exercise) -> Result<Vec<String>> {
    let folder = exercise.file("wrong");
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let mut slugs: Vec<String> = fs::read_dir(&folder)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<std::io::Result<Vec<_>>>()?
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|path| Some(path.file_stem()?.to_string_lossy().into_owned()))
        .collect();
    slugs.sort();
    Ok(slugs)
}

/// The proof workspace: a copy of the repository's files in the target folder.
pub struct ProofWorkspace {
    root: PathBuf,
}

impl ProofWorkspace {
    /// Brings the copy up to date with the working tree (tracked and new files, as
    /// they are now), then adds the proof targets of `exercises`. Files whose content
    /// did not change are not rewritten, so Cargo's fingerprints stay valid.
    pub fn prepare(exercises: &[Exercise]) -> Result<Self> {
        let root = crate::base::target_dir().join("exercise-proofs");
        let repo = crate::base::repo_root();
        let listed = Command::new("git")
            .args([
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ])
            .current_dir(&repo)
            .output()
            .context("git is needed to list the repository's files")?;
        if !listed.status.success() {
            bail!("git ls-files failed");
        }
        let members = member_manifests(&repo)?;
        for name in listed.stdout.split(|byte| *byte == 0) {
            let name = String::from_utf8_lossy(name);
            let from = repo.join(name.as_ref());
            if name.is_empty() || !from.is_file() || members.iter().any(|m| *m == *name) {
                continue; // deleted in the working tree, or written below
            }
            write_if_changed(&root.join(name.as_ref()), &fs::read(&from)?)?;
        }
        let workspace = Self { root };
        let mut by_crate: BTreeMap<&str, Vec<&Exercise>> = BTreeMap::new();
        for exercise in exercises {
            by_crate.entry(&exercise.krate).or_default().push(exercise);
        }
        let crates = book_model::crates::Workspace::read(&repo)?;
        for krate in crates.crates() {
            let relative = krate.folder.strip_prefix(&repo)?.join("Cargo.toml");
            let text = fs::read_to_string(krate.folder.join("Cargo.toml"))?;
            let mut text = with_copy_version(&text);
            if let Some(group) = by_crate.get(krate.name.as_str()) {
                text.push_str(&workspace.add_targets(group)?);
            }
            write_if_changed(&workspace.root.join(relative), text.as_bytes())?;
        }
        Ok(workspace)
    }

    /// The copy of an exercise's folder.
    fn folder(&self, exercise: &Exercise) -> PathBuf {
        self.root
            .join("examples")
            .join(&exercise.krate)
            .join("exercises")
            .join(&exercise.name)
    }

    /// Writes the proof targets' files of `group`'s exercises into
    /// `exercises/NAME/proof/`, and returns the lines their crate's `Cargo.toml` needs.
    fn add_targets(&self, group: &[&Exercise]) -> Result<String> {
        let mut text = String::new();
        text.push_str("\n# The exercises' proof targets (`cargo xtask check-exercises`).\n");
        for exercise in group {
            let name = &exercise.name;
            let tests = fs::read_to_string(exercise.file("tests.rs"))?;
            let proof = self.folder(exercise).join("proof");
            for slug in wrong_attempts(exercise)? {
                let root = format!("wrong-{slug}.rs");
                let source = tests_against(&tests, &format!("../wrong/{slug}.rs"))
                    .with_context(|| format!("exercise `{name}`"))?;
                write_if_changed(&proof.join(&root), source.as_bytes())?;
                text.push_str(&format!(
                    "[[test]]\nname = \"{}\"\npath = \"exercises/{name}/proof/{root}\"\ntest = false\n",
                    wrong_target(name, &slug)
                ));
            }
            // The solution's copy, which cargo-mutants changes in place.
            let solution = fs::read(exercise.file("solution.rs"))?;
            write_if_changed(&proof.join("solution.rs"), &solution)?;
            let source = tests_against(&tests, "solution.rs")?;
            write_if_changed(&proof.join("solution-tests.rs"), source.as_bytes())?;
            write_if_changed(
                &proof.join("main.rs"),
                b"//! Reaches the solution's copy, so that cargo-mutants changes it.\n\
                  #![allow(dead_code)]\n#[path = \"solution.rs\"]\nmod attempt;\nfn main() {}\n",
            )?;
            text.push_str(&format!(
                "[[test]]\nname = \"{}\"\npath = \"exercises/{name}/proof/solution-tests.rs\"\ntest = false\n\
                 [[bin]]\nname = \"proof-{name}\"\npath = \"exercises/{name}/proof/main.rs\"\ntest = false\nbench = false\n",
                solution_target(name)
            ));
        }
        Ok(text)
    }

    /// A cargo command run in the proof workspace, building into the shared target
    /// folder (so the dependencies are those of the real workspace's build).
    fn cargo(&self, args: &[&str]) -> Command {
        let mut command = crate::base::cargo(args);
        command
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", crate::base::target_dir())
            .env("RUST_BACKTRACE", "0");
        command
    }

    /// Builds the wrong attempts' test binaries (all at once), runs each, and
    /// returns each attempt's report by exercise and slug.
    pub fn run_wrong_attempts(
        &self,
        exercises: &[Exercise],
    ) -> Result<BTreeMap<(String, String), Report>> {
        let mut targets = BTreeMap::new();
        for exercise in exercises {
            for slug in wrong_attempts(exercise)? {
                targets.insert(
                    wrong_target(&exercise.name, &slug),
                    (exercise.krate.clone(), exercise.name.clone(), slug),
                );
            }
        }
        if targets.is_empty() {
            return Ok(BTreeMap::new());
        }
        let mut args = vec![
            "test",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ];
        args.extend(
            targets
                .keys()
                .flat_map(|target| ["--test", target.as_str()]),
        );
        let built = self
            .cargo(&args)
            .stderr(Stdio::inherit())
            .output()
            .context("building the wrong attempts' tests")?;
        if !built.status.success() {
            bail!("a wrong attempt does not compile (the compiler's message is above)");
        }
        let binaries = test_binaries(&String::from_utf8_lossy(&built.stdout));
        let mut reports = BTreeMap::new();
        for (target, (krate, name, slug)) in targets {
            let binary = binaries
                .get(&target)
                .with_context(|| format!("cargo built no test binary `{target}`"))?;
            // In the crate's folder, as `cargo test` runs it.
            let folder = self.root.join("examples").join(krate);
            reports.insert((name, slug), run_with_deadline(binary, &folder, &[])?);
        }
        Ok(reports)
    }

    /// Runs cargo-mutants over the copy of `exercise`'s solution, and returns what
    /// it found.
    pub fn mutate(&self, exercise: &Exercise) -> Result<Mutants> {
        let mutants = crate::tools::binary("cargo-mutants")?;
        let output = crate::base::target_dir()
            .join("exercise-mutants")
            .join(&exercise.name);
        let _ = fs::remove_dir_all(&output);
        fs::create_dir_all(&output)?;
        let file = format!(
            "examples/{}/exercises/{}/proof/solution.rs",
            exercise.krate, exercise.name
        );
        let test = format!("--test={}", solution_target(&exercise.name));
        let mut command = Command::new(mutants);
        command
            .args(["mutants", "--in-place", "--no-shuffle", "--baseline=skip"])
            .args(["--timeout", "60", "--build-timeout", "300"])
            // Only the exercise's own tests, with every member selected (as the rest
            // of the book builds), so no dependency is compiled again.
            .args(["--test-workspace=true", "--cargo-test-arg", &test])
            .args(["--package", &exercise.krate, "--file", &file, "--output"])
            .arg(&output)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", crate::base::target_dir())
            .stdout(Stdio::null());
        crate::base::add_to_path(&mut command);
        let status = command.status().context("running cargo-mutants")?;
        let read = |name: &str| -> Vec<String> {
            fs::read_to_string(output.join("mutants.out").join(name))
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect()
        };
        let found = Mutants {
            caught: read("caught.txt"),
            missed: read("missed.txt"),
            timeout: read("timeout.txt"),
            unviable: read("unviable.txt"),
        };
        // Exit codes: 0 all caught, 2 some missed, 3 some timed out (mutants.rs).
        if !matches!(status.code(), Some(0 | 2 | 3)) {
            bail!("cargo-mutants failed on `{}` ({status})", exercise.name);
        }
        Ok(found)
    }
}

/// CI: every exercise has at least two wrong attempts and each fails a test; every
/// mutant of every solution that compiles fails a test, or is listed in the
/// exercise's `equivalent-mutants.txt` with the reason it cannot change behaviour.
pub fn check(exercises: &[Exercise]) -> Result<()> {
    let workspace = ProofWorkspace::prepare(exercises)?;
    let mut problems = Vec::new();
    for exercise in exercises {
        let count = wrong_attempts(exercise)?.len();
        if count < 2 {
            problems.push(format!(
                "exercise `{}` has {count} wrong attempts in wrong/; it needs two or more",
                exercise.name
            ));
        }
    }
    for ((name, slug), report) in workspace.run_wrong_attempts(exercises)? {
        match (&report.verdict, report.failures().as_slice()) {
            (Some(verdict), _) => problems.push(format!(
                "wrong attempt `{name}/wrong/{slug}.rs`: {verdict}, instead of failing a test"
            )),
            (None, []) => problems.push(format!(
                "wrong attempt `{name}/wrong/{slug}.rs` passes every test: the tests miss what it gets wrong"
            )),
            (None, failed) => println!("{name}: wrong attempt `{slug}` fails {}", failed.join(", ")),
        }
    }
    for exercise in exercises {
        let found = cached_mutants(&workspace, exercise)?;
        let (caught, viable) = found.score();
        println!(
            "{}: {caught} of {viable} mutants caught ({} do not compile)",
            exercise.name,
            found.unviable.len()
        );
        let equivalent =
            fs::read_to_string(exercise.file("equivalent-mutants.txt")).unwrap_or_default();
        for missed in &found.missed {
            if !equivalent
                .lines()
                .any(|line| line.starts_with(missed.as_str()))
            {
                problems.push(format!(
                    "exercise `{}`: no test fails for the mutant `{missed}`",
                    exercise.name
                ));
            }
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(())
}

/// cargo-mutants takes seconds per mutant, so its findings are kept in the cache,
/// keyed by everything they depend on: the solution, the tests, the example crate's
/// code, the locked dependencies, the toolchain and cargo-mutants' version.
fn cached_mutants(workspace: &ProofWorkspace, exercise: &Exercise) -> Result<Mutants> {
    let repo = crate::base::repo_root();
    let mut key = blake3::Hasher::new();
    let mut inputs = vec![
        exercise.file("solution.rs"),
        exercise.file("tests.rs"),
        repo.join("Cargo.lock"),
        repo.join("rust-toolchain.toml"),
        repo.join("examples")
            .join(&exercise.krate)
            .join("Cargo.toml"),
    ];
    // The crate's code, its build script and anything that builds (C sources), but
    // not its exercises, captured outputs, results or build output.
    let krate = repo.join("examples").join(&exercise.krate);
    inputs.extend(
        walkdir::WalkDir::new(&krate)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                !["exercises", "expected", "results", "pkg", "target"]
                    .iter()
                    .any(|skipped| entry.path() == krate.join(skipped))
            })
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| entry.into_path()),
    );
    for input in &inputs {
        // Relative to the repository, so that every clone shares the results.
        let name = input.strip_prefix(&repo).unwrap_or(input);
        key.update(name.to_string_lossy().as_bytes());
        key.update(&fs::read(input).unwrap_or_default());
    }
    let version = crate::tools::TOOLS
        .iter()
        .find(|tool| tool.package == "cargo-mutants")
        .map_or("", |tool| tool.version);
    key.update(version.as_bytes());
    let cached = crate::base::cache_dir().join("mutants").join(format!(
        "{}-{}.txt",
        exercise.name,
        key.finalize().to_hex()
    ));
    if let Ok(text) = fs::read_to_string(&cached) {
        return Ok(Mutants::from_text(&text));
    }
    let found = workspace.mutate(exercise)?;
    write_if_changed(&cached, found.to_text().as_bytes())?;
    Ok(found)
}

/// What cargo-mutants found for one solution: each mutant as it describes it.
#[derive(Debug, Default)]
pub struct Mutants {
    pub caught: Vec<String>,
    pub missed: Vec<String>,
    pub timeout: Vec<String>,
    /// Changes that do not compile: no test is needed to reject them.
    pub unviable: Vec<String>,
}

impl Mutants {
    /// One line per mutant, each starting with its outcome.
    fn to_text(&self) -> String {
        let mut text = String::new();
        for (outcome, mutants) in [
            ("caught", &self.caught),
            ("missed", &self.missed),
            ("timeout", &self.timeout),
            ("unviable", &self.unviable),
        ] {
            for mutant in mutants {
                text.push_str(&format!("{outcome}\t{mutant}\n"));
            }
        }
        text
    }

    fn from_text(text: &str) -> Self {
        let mut found = Self::default();
        for line in text.lines() {
            let Some((outcome, mutant)) = line.split_once('\t') else {
                continue;
            };
            let list = match outcome {
                "caught" => &mut found.caught,
                "missed" => &mut found.missed,
                "timeout" => &mut found.timeout,
                _ => &mut found.unviable,
            };
            list.push(mutant.to_owned());
        }
        found
    }

    /// Mutants that compile, and how many of those a test caught. A mutant that makes
    /// the tests hang is caught too: the test run fails at its deadline.
    pub fn score(&self) -> (usize, usize) {
        let caught = self.caught.len() + self.timeout.len();
        (caught, caught + self.missed.len())
    }
}

fn wrong_target(exercise: &str, slug: &str) -> String {
    format!("proof-{exercise}-wrong-{slug}")
}

fn solution_target(exercise: &str) -> String {
    format!("proof-{exercise}-solution")
}

/// An exercise's `tests.rs`, with the module under test read from `path` instead.
fn tests_against(tests: &str, path: &str) -> Result<String> {
    if !tests.contains(ATTEMPT_MODULE) {
        bail!("tests.rs must declare the module under test as\n{ATTEMPT_MODULE}");
    }
    Ok(tests.replacen(
        ATTEMPT_MODULE,
        &format!("#[path = \"{path}\"]\nmod attempt;"),
        1,
    ))
}

/// A workspace member's `Cargo.toml` for a copy of the workspace that builds into the
/// shared target folder. Cargo names a workspace member's build by its name, version
/// and place in the workspace, not by the folder the workspace is in: a copy's crates
/// would share, and overwrite, the real workspace's builds (a test of xtask built in
/// the copy once ran in place of the real one, with the copy's paths compiled in).
/// Another version keeps every member apart; the dependencies, built once for both,
/// stay shared.
pub fn with_copy_version(manifest: &str) -> String {
    manifest.replacen(
        "\nversion = \"0.1.0\"\n",
        &format!("\nversion = \"{PROOF_VERSION}\"\n"),
        1,
    )
}

/// Every workspace member's `Cargo.toml`, relative to the repository (`/` between
/// folders, as git names files): the copy gets these with changes.
pub fn member_manifests(repo: &Path) -> Result<Vec<String>> {
    let crates = book_model::crates::Workspace::read(repo)?;
    crates
        .crates()
        .iter()
        .map(|krate| {
            let relative = krate.folder.strip_prefix(repo)?.join("Cargo.toml");
            Ok(relative.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

fn write_if_changed(path: &Path, content: &[u8]) -> Result<()> {
    if fs::read(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, content).with_context(|| format!("writing {}", path.display()))
}

/// The test binaries Cargo built, by target name, from its JSON messages.
pub fn test_binaries(messages: &str) -> BTreeMap<String, PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter(|message| {
            message["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|kind| kind == "test"))
        })
        .filter_map(|message| {
            Some((
                message["target"]["name"].as_str()?.to_owned(),
                PathBuf::from(message["executable"].as_str()?),
            ))
        })
        .collect()
}

/// Runs a test binary; past [`TEST_DEADLINE`] it is killed and reported as hanging,
/// and one that stops without a failing test (an abort, a signal) is reported as such.
pub fn run_with_deadline(binary: &Path, folder: &Path, args: &[&str]) -> Result<Report> {
    let mut child = crate::children::Owned::spawn(
        Command::new(binary)
            .args(args)
            .current_dir(folder)
            .env("RUST_BACKTRACE", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    )?;
    let mut stdout = child.child().stdout.take().context("the test's output")?;
    // Read the output on another thread, so a test that prints a lot cannot block.
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    // Past the deadline the test binary's whole process group is killed: a test may
    // have started programs of its own.
    let status = child.wait_until(Some(TEST_DEADLINE))?;
    let text = reader
        .join()
        .map_err(|_| anyhow::anyhow!("reading the test's output failed"))??;
    let mut report = Report::parse(&text);
    match status {
        None => report.verdict = Some(format!("hung for {} s", TEST_DEADLINE.as_secs())),
        Some(status) if !status.success() && report.failed() == 0 => {
            report.verdict = Some(format!("the test binary stopped ({status})"));
        }
        Some(_) => {}
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_under_test_is_pointed_elsewhere() -> Result<()> {
        let tests = format!("//! doc\n\n{ATTEMPT_MODULE}\n\nuse attempt::f;\n");
        let proof = tests_against(&tests, "../wrong/no-threads.rs")?;
        assert!(proof.contains("#[path = \"../wrong/no-threads.rs\"]\nmod attempt;\n"));
        assert!(!proof.contains("starter.rs"));
        assert!(tests_against("mod attempt;", "x.rs").is_err());
        Ok(())
    }

    #[test]
    fn cargo_messages_name_the_test_binaries() {
        let messages = r#"{"reason":"compiler-artifact","target":{"name":"proof-a-wrong-b","kind":["test"]},"executable":"/t/deps/proof_a-1"}
{"reason":"compiler-artifact","target":{"name":"lib","kind":["lib"]},"executable":null}
{"reason":"build-finished","success":true}"#;
        let binaries = test_binaries(messages);
        assert_eq!(binaries.len(), 1);
        assert_eq!(
            binaries["proof-a-wrong-b"],
            PathBuf::from("/t/deps/proof_a-1")
        );
    }
}
