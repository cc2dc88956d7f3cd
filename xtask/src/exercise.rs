//! `cargo xtask exercise`: the chapters' exercises, run against your attempt or the
//! reference solution, and the CI check that every exercise is a real one. What an
//! exercise is, and how the page shows it, is in the preprocessor's `exercises.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use anyhow::{Context, Result, bail};
use book_model::exercises::{self, Exercise};
use book_model::summary::{Chapter, Summary};

use crate::base::{cargo, repo_root};
use crate::libtest::Report;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Against {
    Starter,
    Solution,
}

/// `cargo test` for an exercise's tests, against the starter or the solution.
///
/// No `--package`: with every member selected (they are all default members), the
/// dependencies keep the features `cargo test --workspace` built them with, and only
/// the exercise's crate is compiled again. The test's name finds its crate.
fn test_command(exercise: &Exercise, against: Against, extra: &[&str]) -> Command {
    let solution = format!("{}/solution", exercise.krate);
    let mut args = vec!["test", "--test", &exercise.name];
    if against == Against::Solution {
        args.extend(["--features", &solution]);
    }
    args.extend(extra);
    let mut command = crate::base::with_ci_target(cargo(&args));
    // A failing test's message is what the reader needs, not the stack behind it.
    command.env("RUST_BACKTRACE", "0");
    command
}

/// Every exercise of the book, in the order of the chapters.
fn all() -> Result<Vec<Exercise>> {
    exercises::all(&repo_root())
}

/// `cargo xtask exercise [NAME [--solution] [--hint]]`.
pub fn main(args: &[String]) -> Result<()> {
    let exercises = all()?;
    let Some((name, flags)) = args.split_first() else {
        return list(&exercises);
    };
    let mut against = Against::Starter;
    let mut hint = false;
    for flag in flags {
        match flag.as_str() {
            "--solution" => against = Against::Solution,
            "--hint" => hint = true,
            _ => bail!("usage: cargo xtask exercise [NAME [--solution] [--hint]]"),
        }
    }
    let Some(exercise) = exercises.iter().find(|exercise| exercise.name == *name) else {
        list(&exercises)?;
        bail!("there is no exercise `{name}`: the list above has them all");
    };
    run(exercise, against, hint)
}

fn list(exercises: &[Exercise]) -> Result<()> {
    let titles: BTreeMap<String, String> = Summary::read(&repo_root())?
        .chapters()
        .into_iter()
        .map(|chapter| (chapter.folder, chapter.title))
        .collect();
    let mut chapter = "";
    for exercise in exercises {
        if exercise.chapter != chapter {
            chapter = &exercise.chapter;
            let title = titles.get(chapter).map_or(chapter, String::as_str);
            println!("\n{title} (src/{chapter}/index.md)");
        }
        println!("  {:<28} {}", exercise.name, exercise.title);
    }
    println!(
        "\nRun one with `cargo xtask exercise NAME`: it tests your edited starter.rs\n\
         (in examples/CRATE/exercises/NAME/). Add --solution to test the reference solution."
    );
    Ok(())
}

/// Runs one exercise's tests and explains the result to the reader.
fn run(exercise: &Exercise, against: Against, hint: bool) -> Result<()> {
    let code = match against {
        Against::Starter => exercise.file("starter.rs"),
        Against::Solution => exercise.file("solution.rs"),
    };
    let shown = code.strip_prefix(repo_root()).unwrap_or(&code).display();
    println!("Exercise `{}`: {}", exercise.name, exercise.title);
    println!("Testing {shown}");
    println!(
        "Building its tests: the first time, Cargo compiles the example crate and its \
         dependencies (a minute or two; later runs take seconds).\n"
    );
    // Cargo's progress and the compiler's messages go straight to the terminal; the
    // JSON on stdout names the test binary.
    let build = crate::children::stdout_of(
        test_command(
            exercise,
            against,
            &["--no-run", "--message-format=json-render-diagnostics"],
        )
        .current_dir(repo_root()),
    )?;
    // The hint comes once the reader has tried, as the page folds it.
    let tried = hint || against == Against::Solution || starter_is_edited(exercise)?;
    let offer_hint = || {
        if tried {
            println!("\nHint:\n{}", exercise.hint());
        } else {
            println!(
                "\nEdit {shown}, then run this again. Stuck? \
                 `cargo xtask exercise {} --hint` adds a hint.",
                exercise.name
            );
        }
    };
    if !build.status.success() {
        eprintln!("\nThe code does not compile yet; the compiler's message is above.");
        offer_hint();
        bail!("`{}` does not compile", exercise.name);
    }
    let binaries = crate::proofs::test_binaries(&String::from_utf8_lossy(&build.stdout));
    let binary = binaries
        .get(&exercise.name)
        .with_context(|| format!("cargo built no test binary `{}`", exercise.name))?;
    // In the crate's folder, as `cargo test` runs it.
    let folder = repo_root().join("examples").join(&exercise.krate);
    let report = crate::proofs::run_with_deadline(binary, &folder, &["--test-threads=1"])?;
    for (test, passed) in &report.results {
        println!("  {} {test}", if *passed { "pass" } else { "FAIL" });
    }
    if let Some(verdict) = &report.verdict {
        print!("\n{}", report.failure_output);
        println!("\nThe tests did not finish: {verdict}.");
        offer_hint();
        bail!("the tests of `{}` did not finish: {verdict}", exercise.name);
    }
    if report.failed() == 0 && report.passed() > 0 {
        println!("\nAll {} tests pass: exercise done.", report.passed());
        return Ok(());
    }
    // What the failing tests printed (their panic messages) is the most useful part.
    print!("\n{}", report.failure_output);
    offer_hint();
    bail!(
        "{} of {} tests of `{}` fail",
        report.failed(),
        report.results.len(),
        exercise.name
    )
}

/// Runs a command (in the repository root unless it names another folder).
fn output(command: &mut Command) -> Result<Output> {
    if command.get_current_dir().is_none() {
        command.current_dir(repo_root());
    }
    crate::children::output(command, TESTS_DEADLINE)
}

/// Building an example crate and its tests, and running them, takes minutes at most
/// (the example's dependencies are built by then); past this, something hangs.
const TESTS_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// CI: every reference solution passes all its tests, and every committed starter
/// compiles and fails at least one; then the proofs of `proofs.rs`. With `names`,
/// only those exercises. A starter you edited in your clone is left alone:
/// the committed one is checked in a copy of `HEAD` instead.
pub fn check(names: &[String]) -> Result<()> {
    let mut exercises = all()?;
    check_pages(&exercises)?;
    if !names.is_empty() {
        if let Some(unknown) = names
            .iter()
            .find(|name| !exercises.iter().any(|e| e.name == **name))
        {
            bail!("there is no exercise `{unknown}` (`cargo xtask exercise` lists them)");
        }
        exercises.retain(|exercise| names.contains(&exercise.name));
    }
    exercises.iter().try_for_each(check_files)?;
    // One cargo command per crate and kind of check, not per exercise: cargo's own
    // start-up is a good part of the time.
    let mut by_crate: BTreeMap<&str, Vec<&Exercise>> = BTreeMap::new();
    for exercise in &exercises {
        by_crate.entry(&exercise.krate).or_default().push(exercise);
    }
    let mut edited = Vec::new();
    for (krate, group) in &by_crate {
        let names: Vec<&str> = group
            .iter()
            .map(|exercise| exercise.name.as_str())
            .collect();
        let solution = format!("{krate}/solution");
        let mut clippy = vec!["clippy", "--quiet", "--features", &solution];
        clippy.extend(names.iter().flat_map(|name| ["--test", name]));
        clippy.extend(["--", "-D", "warnings"]);
        crate::base::run_command(&mut crate::base::with_ci_target(cargo(&clippy)))?;

        let solutions = run_group(krate, &names, Against::Solution, None)?;
        let mut starters_to_run = Vec::new();
        for exercise in group {
            let solution = &solutions[&exercise.name];
            if solution.failed() > 0 || solution.passed() == 0 {
                bail!(
                    "the solution of `{}` does not pass its tests:\n{}",
                    exercise.name,
                    solution.failure_output
                );
            }
            if starter_is_edited(exercise)? {
                edited.push(*exercise);
            } else {
                starters_to_run.push(exercise.name.as_str());
            }
        }
        let starters = run_group(krate, &starters_to_run, Against::Starter, None)?;
        for name in starters_to_run {
            let starter = starter_fails(name, &starters[name])?;
            println!(
                "{name}: the solution passes all {} tests; the starter fails {}",
                solutions[name].passed(),
                starter.failed()
            );
        }
    }
    if !edited.is_empty() {
        check_committed_starters(&edited)?;
    }
    crate::proofs::check(&exercises)?;
    let by_chapter = exercises
        .iter()
        .fold(BTreeMap::new(), |mut counts, exercise| {
            *counts.entry(exercise.chapter.as_str()).or_insert(0) += 1;
            counts
        });
    println!("{} exercises checked: {by_chapter:?}", exercises.len());
    Ok(())
}

/// Runs the tests of several exercises of one crate in one `cargo test`, and returns
/// each exercise's report. A build failure is an error.
fn run_group(
    krate: &str,
    names: &[&str],
    against: Against,
    folder: Option<&Path>,
) -> Result<BTreeMap<String, Report>> {
    if names.is_empty() {
        return Ok(BTreeMap::new());
    }
    // Without `--package`, as in `test_command`.
    let solution = format!("{krate}/solution");
    let mut args = vec!["test", "--no-fail-fast"];
    if against == Against::Solution {
        args.extend(["--features", &solution]);
    }
    args.extend(names.iter().flat_map(|name| ["--test", *name]));
    let mut command = crate::base::with_ci_target(cargo(&args));
    command.env("RUST_BACKTRACE", "0");
    if let Some(folder) = folder {
        command
            .current_dir(folder)
            .env("CARGO_TARGET_DIR", crate::base::target_dir());
    }
    let out = output(&mut command)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Cargo announces each test binary on stderr ("Running exercises/NAME/tests.rs"),
    // and each binary's report starts with "running N tests" on stdout, in that order.
    let order: Vec<String> = stderr
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Running exercises/"))
        .filter_map(|rest| rest.split('/').next())
        .map(str::to_owned)
        .collect();
    let mut blocks: Vec<String> = Vec::new();
    for line in stdout.lines() {
        if line.starts_with("running ") || blocks.is_empty() {
            blocks.push(String::new());
        }
        let block = blocks.last_mut().expect("pushed above");
        block.push_str(line);
        block.push('\n');
    }
    blocks.retain(|block| block.starts_with("running "));
    if order.len() != names.len() || blocks.len() != names.len() {
        bail!(
            "`cargo {}` did not run every exercise's tests:\n{stderr}",
            args.join(" ")
        );
    }
    Ok(order
        .into_iter()
        .zip(blocks.iter().map(|block| Report::parse(block)))
        .collect())
}

/// Every numbered chapter has two or three exercises, and its page shows each of them
/// once. Cheap, so it runs before the tests.
pub fn check_pages(exercises: &[Exercise]) -> Result<()> {
    let root = repo_root();
    let mut problems = Vec::new();
    for Chapter {
        folder: chapter,
        title,
    } in Summary::read(&root)?.chapters()
    {
        let page = fs::read_to_string(root.join("src").join(&chapter).join("index.md"))?;
        let own: Vec<&Exercise> = exercises.iter().filter(|e| e.chapter == chapter).collect();
        if !(2..=3).contains(&own.len()) {
            problems.push(format!(
                "\"{title}\" has {} exercises; a chapter has two or three",
                own.len()
            ));
        }
        for exercise in own {
            let directive = format!("{{{{#exercise {}}}}}", exercise.name);
            if page.matches(&directive).count() != 1 {
                problems.push(format!(
                    "src/{chapter}/index.md must show `{directive}` exactly once"
                ));
            }
        }
    }
    let mut names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
    names.sort_unstable();
    for pair in names.windows(2) {
        if pair[0] == pair[1] {
            problems.push(format!("two exercises are named `{}`", pair[0]));
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(())
}

fn check_files(exercise: &Exercise) -> Result<()> {
    for file in [
        "task.md",
        "hint.md",
        "starter.rs",
        "solution.rs",
        "tests.rs",
    ] {
        if !exercise.file(file).is_file() {
            bail!("exercise `{}` has no {file}", exercise.name);
        }
    }
    Ok(())
}

/// A committed starter must compile (it did, or `run_group` would have failed) and
/// fail at least one test: a test the unsolved starter passes tests nothing.
fn starter_fails<'r>(name: &str, starter: &'r Report) -> Result<&'r Report> {
    if starter.failed() == 0 {
        bail!("the unsolved starter of `{name}` passes all its tests: they do not test the task");
    }
    Ok(starter)
}

/// Whether `starter.rs` differs from the committed one (a reader's attempt).
fn starter_is_edited(exercise: &Exercise) -> Result<bool> {
    let status = Command::new("git")
        .args(["diff", "--quiet", "HEAD", "--"])
        .arg(exercise.file("starter.rs"))
        .current_dir(repo_root())
        .status()
        .context("git is needed to compare starters with the committed ones")?;
    Ok(!status.success())
}

/// Checks committed starters that the working copy has changed, in a scratch export
/// of `HEAD` that shares the target folder (so only the workspace's own crates build).
fn check_committed_starters(edited: &[&Exercise]) -> Result<()> {
    let root = repo_root();
    let scratch = root.join("target/committed-starters");
    let _cleanup = crate::scratch::RemoveOnDrop::new(scratch.clone())?;
    let archive = Command::new("git")
        .args(["archive", "--format=tar", "HEAD"])
        .current_dir(&root)
        .output()
        .context("git archive HEAD")?;
    if !archive.status.success() {
        bail!("git archive HEAD failed");
    }
    let mut untar = Command::new("tar")
        .args(["-x", "-C"])
        .arg(&scratch)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .context("starting tar")?;
    std::io::Write::write_all(
        untar.stdin.as_mut().context("tar's stdin")?,
        &archive.stdout,
    )?;
    drop(untar.stdin.take());
    if !untar.wait()?.success() {
        bail!("tar could not unpack the copy of HEAD");
    }
    for relative in crate::proofs::member_manifests(&root)? {
        let manifest = scratch.join(relative);
        if let Ok(text) = fs::read_to_string(&manifest) {
            fs::write(&manifest, crate::proofs::with_copy_version(&text))?;
        }
    }
    for exercise in edited {
        println!(
            "{}: your edited starter.rs is left as it is; checking the committed one",
            exercise.name
        );
        let reports = run_group(
            &exercise.krate,
            &[exercise.name.as_str()],
            Against::Starter,
            Some(&scratch),
        )?;
        starter_fails(&exercise.name, &reports[&exercise.name])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_passes_failures_and_their_output() {
        let report = Report::parse(
            "running 2 tests\n\
             test one ... ok\n\
             test two ... FAILED\n\
             \n\
             failures:\n\
             \n\
             ---- two stdout ----\n\
             thread 'two' panicked at tests.rs:5:5:\n\
             left == right\n\
             \n\
             failures:\n    two\n\n\
             test result: FAILED. 1 passed; 1 failed\n",
        );
        assert_eq!(report.passed(), 1);
        assert_eq!(report.failed(), 1);
        assert!(report.failure_output.contains("left == right"));
        assert!(!report.failure_output.contains("test result"));
    }

    #[test]
    fn every_exercise_has_a_chapter_in_the_summary() -> Result<()> {
        let chapters: Vec<String> = Summary::read(&repo_root())?
            .chapters()
            .into_iter()
            .map(|chapter| chapter.folder)
            .collect();
        for exercise in all()? {
            assert!(
                chapters.contains(&exercise.chapter),
                "{} names chapter {}",
                exercise.name,
                exercise.chapter
            );
        }
        Ok(())
    }
}
