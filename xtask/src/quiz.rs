//! `cargo xtask check-quizzes`: every quiz key proven by the compiler.
//!
//! The quizzes and their kinds are described in the preprocessor's `quiz.rs`, which
//! reads them and shows them on the page. Here each key is proven: code that must not
//! compile fails with the error code the key names, code whose output is asked is run,
//! and every numbered chapter has a quiz on its page.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Result, bail};
use book_model::quizzes::{self as quiz, Kind};
use book_model::summary::Summary;

// ---------------------------------------------------------------------------------
// In CI

/// Every numbered chapter has a quiz of four to eight questions, shown on its page.
fn check_pages(root: &Path) -> Result<()> {
    let mut problems = Vec::new();
    for book_model::summary::Chapter {
        folder: chapter,
        title,
    } in Summary::read(root)?.chapters()
    {
        let folder = root.join("src").join(&chapter);
        let file = folder.join("quiz.toml");
        if !file.is_file() {
            problems.push(format!("\"{title}\" has no quiz: src/{chapter}/quiz.toml"));
            continue;
        }
        let loaded = quiz::read(&file)?;
        let count = loaded.questions.len();
        if !(4..=8).contains(&count) {
            problems.push(format!(
                "src/{chapter}/quiz.toml has {count} questions; 4 to 8"
            ));
        }
        let page = fs::read_to_string(folder.join("index.md"))?;
        if page.matches("{{#quiz quiz.toml}}").count() != 1 {
            problems.push(format!(
                "src/{chapter}/index.md must show `{{{{#quiz quiz.toml}}}}` exactly once"
            ));
            continue;
        }
        // Each question names the section that teaches it, above the quiz.
        let above = page.split("{{#quiz quiz.toml}}").next().unwrap_or_default();
        let taught = book_model::markdown::headings(above);
        for (index, question) in loaded.questions.iter().enumerate() {
            if let Err(error) = quiz::section(question, &taught) {
                problems.push(format!(
                    "src/{chapter}/quiz.toml question {}: {error}",
                    index + 1
                ));
            }
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(())
}

/// Proves every key of every quiz with the compiler; fails naming file and question.
pub fn check_all() -> Result<()> {
    let root = crate::base::repo_root();
    let files = quiz::all_files(&root)?;
    let scratch = crate::scratch::RemoveOnDrop::new(root.join("target/quiz-check"))?;
    let mut failures = Vec::new();
    let (mut questions, mut with_code) = (0, 0);
    for file in &files {
        let loaded = quiz::read(file)?;
        let chapter = file
            .parent()
            .and_then(Path::file_name)
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        for (index, question) in loaded.questions.iter().enumerate() {
            questions += 1;
            let number = index + 1;
            let dir = scratch.path().join(format!("{chapter}-{number}"));
            let verdict = match question.kind()? {
                Kind::Concept { .. } | Kind::Short { code: None, .. } => continue,
                kind => {
                    with_code += 1;
                    check(&kind, &dir)
                }
            };
            match verdict {
                Ok(()) => println!("{shown} question {number}: key proven"),
                Err(error) => failures.push(format!("{shown} question {number}: {error:#}")),
            }
        }
    }
    println!(
        "{questions} questions in {} quizzes; {with_code} show code and were checked by the compiler",
        files.len()
    );
    if !failures.is_empty() {
        bail!("wrong quiz keys:\n{}", failures.join("\n"));
    }
    // After the keys, so that a chapter still without a quiz does not hide them.
    check_pages(&root)
}

/// What the compiler and the program did with a question's code.
struct Run {
    /// The error codes, if it did not compile.
    errors: Option<Vec<String>>,
    stdout: String,
    success: bool,
}

fn check(kind: &Kind, dir: &Path) -> Result<()> {
    match *kind {
        Kind::Compiles { code, error } => {
            let run = compile_and_run(code, dir)?;
            match (error, &run.errors) {
                (None, None) if run.success => Ok(()),
                (None, None) => bail!("the key says it runs, but it exits with an error"),
                (None, Some(codes)) => bail!("the key says it compiles; rustc says {codes:?}"),
                (Some(_), None) => bail!("the key says it does not compile, but it does"),
                (Some(expected), Some(codes)) if codes.iter().any(|c| c == expected) => Ok(()),
                (Some(expected), Some(codes)) => {
                    bail!("the key says {expected}; rustc says {codes:?}")
                }
            }
        }
        Kind::Output {
            code,
            choices,
            answer,
        } => {
            let printed = runs_and_prints(code, dir)?;
            let matching: Vec<usize> = (0..choices.len())
                .filter(|&i| choices[i].trim() == printed)
                .collect();
            match matching.as_slice() {
                [only] if *only == answer => Ok(()),
                [] => bail!("no choice is what it prints:\n{printed}"),
                _ => bail!("the key is choice {answer}, but it prints choice(s) {matching:?}"),
            }
        }
        Kind::Short {
            code: Some(code),
            answer,
        } => {
            if quiz::is_error_code(answer) {
                let run = compile_and_run(code, dir)?;
                match run.errors {
                    Some(codes) if codes.iter().any(|c| c == answer) => Ok(()),
                    codes => bail!("the key says {answer}; rustc says {codes:?}"),
                }
            } else {
                let printed = runs_and_prints(code, dir)?;
                if quiz::normalise(&printed) == quiz::normalise(answer) {
                    Ok(())
                } else {
                    bail!("the key says `{answer}`; it prints `{printed}`")
                }
            }
        }
        Kind::Concept { .. } | Kind::Short { code: None, .. } => Ok(()),
    }
}

fn runs_and_prints(code: &str, dir: &Path) -> Result<String> {
    let run = compile_and_run(code, dir)?;
    if let Some(codes) = run.errors {
        bail!("it does not compile: {codes:?}");
    }
    if !run.success {
        bail!("it exits with an error");
    }
    Ok(run.stdout.trim().to_owned())
}

/// A quiz program is a few lines: compiling it takes a second or two, and running it
/// less. The deadlines leave room for a busy machine.
const COMPILE_DEADLINE: Duration = Duration::from_secs(120);
#[cfg(not(test))]
const RUN_DEADLINE: Duration = Duration::from_secs(10);
// The test of the deadline need not wait as long.
#[cfg(test)]
const RUN_DEADLINE: Duration = Duration::from_secs(1);

/// Compiles `code` as a Rust 2024 program with the pinned toolchain, and runs it if it
/// compiled.
fn compile_and_run(code: &str, dir: &Path) -> Result<Run> {
    fs::create_dir_all(dir)?;
    let source = dir.join("main.rs");
    let binary = dir.join("main");
    fs::write(&source, code)?;
    // rustup picks the toolchain of rust-toolchain.toml in the repository root.
    let compiled = crate::children::output(
        Command::new("rustc")
            .args(["--edition", "2024", "--error-format", "json", "-o"])
            .arg(&binary)
            .arg(&source)
            .current_dir(crate::base::repo_root()),
        COMPILE_DEADLINE,
    )?;
    if !compiled.status.success() {
        let stderr = String::from_utf8_lossy(&compiled.stderr);
        let codes = stderr
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|message| message["level"] == "error")
            .filter_map(|message| message["code"]["code"].as_str().map(str::to_owned))
            .collect();
        return Ok(Run {
            errors: Some(codes),
            stdout: String::new(),
            success: false,
        });
    }
    // A quiz program that loops must fail the check, not hang it.
    let ran = crate::children::output(Command::new(&binary).current_dir(dir), RUN_DEADLINE)?;
    Ok(Run {
        errors: None,
        stdout: String::from_utf8_lossy(&ran.stdout).into_owned(),
        success: ran.status.success(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(toml_text: &str) -> quiz::Question {
        toml::from_str(toml_text).expect("a question")
    }

    #[test]
    fn a_wrong_key_is_caught() -> Result<()> {
        let dir = crate::base::repo_root().join("target/quiz-self-test");
        let q = question(
            "prompt = 'p'\ntaught-in = 'h'\nexplanation = 'e'\ncompiles = true\ncode = 'fn main() { let s = String::new(); let t = s; drop(s); }'",
        );
        let error = check(&q.kind()?, &dir).expect_err("the key is wrong");
        assert!(format!("{error}").contains("E0382"), "{error}");
        let q = question(
            "prompt = 'p'\ntaught-in = 'h'\nexplanation = 'e'\nchoices = ['1', '2']\nanswer = 0\ncode = 'fn main() { println!(\"2\") }'",
        );
        assert!(check(&q.kind()?, &dir).is_err());
        let q = question(
            "prompt = 'p'\ntaught-in = 'h'\nexplanation = 'e'\nchoices = ['1', '2']\nanswer = 0\ncode = 'fn main() { loop { std::hint::spin_loop() } }'",
        );
        let error = check(&q.kind()?, &dir).expect_err("the program never ends");
        assert!(
            format!("{error:#}").contains("did not finish within"),
            "{error:#}"
        );
        let _ = fs::remove_dir_all(dir);
        Ok(())
    }
}
