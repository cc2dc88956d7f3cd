//! The tasks of `cargo xtask`, as data: the help text is printed from this table,
//! `run` dispatches through it, and a test checks that every `cargo xtask TASK` in the
//! book and in CONTRIBUTING.md names one of them.

use anyhow::{Result, bail};

use crate::base::repo_root;
use crate::wasm;
use crate::{bench, book, canary, ci, editions, exercise, game_wasm, index, quiz, scaffold};

/// One task: its name, its arguments as the help shows them, what it does, and the
/// function that does it.
pub struct Task {
    pub name: &'static str,
    pub args: &'static str,
    /// One or more lines; the help text wraps nothing itself.
    pub summary: &'static str,
    run: fn(&[String]) -> Result<()>,
}

/// Every task, in the order the help lists them.
pub const TASKS: &[Task] = &[
    Task {
        name: "setup",
        args: "",
        summary: "install the pinned tools (`cargo xtask tools` lists them), the Rust targets,\n\
                  and the Debian packages the examples need; tools are cached outside the\n\
                  repository",
        run: |args| none(args, crate::setup::setup),
    },
    Task {
        name: "serve",
        args: "[--demos-first]",
        summary: "serve the book on http://127.0.0.1:3000 as soon as its pages are built, and\n\
                  build the live demos in the background (their pages say so until then);\n\
                  --demos-first builds them before serving",
        run: book::serve,
    },
    Task {
        name: "build",
        args: "",
        summary: "build the book with link checking (output in book/html)",
        run: |args| none(args, || book::build().map(|_| ())),
    },
    Task {
        name: "editions",
        args: "",
        summary: "build the book with its PDF and EPUB editions and check them\n\
                  (output in book/html/downloads)",
        run: |args| none(args, editions::build_and_check),
    },
    Task {
        name: "ci",
        args: "[--list | STEP...]",
        summary: "every check CI runs, or only the steps named; --list names them",
        run: ci::ci,
    },
    Task {
        name: "exercise",
        args: "[NAME [--hint | --solution]]",
        summary: "list the exercises, or test your attempt at one (--hint adds the hint;\n\
                  --solution tests the reference solution instead)",
        run: exercise::main,
    },
    Task {
        name: "check-exercises",
        args: "[NAME...]",
        summary: "every solution passes its tests; every committed starter and wrong attempt\n\
                  fails them; no mutant of a solution passes (all exercises, or those named)",
        run: exercise::check,
    },
    Task {
        name: "check-quizzes",
        args: "",
        summary: "every quiz key proven by compiling or running its code",
        run: |args| none(args, quiz::check_all),
    },
    Task {
        name: "examples-index",
        args: "[--check]",
        summary: "write examples/README.md, the map of chapters and examples\n\
                  (--check: fail if it is out of date)",
        run: index::main,
    },
    Task {
        name: "tools",
        args: "",
        summary: "print each pinned tool and its version",
        run: |args| {
            none(args, || {
                for (name, version) in book_model::pins::all() {
                    println!("{name} {version}");
                }
                Ok(())
            })
        },
    },
    Task {
        name: "bless",
        args: "",
        summary: "rewrite captured outputs and compiler errors from real runs",
        run: |args| none(args, ci::bless),
    },
    Task {
        name: "new-chapter",
        args: "NAME",
        summary: "scaffold a chapter page, an example crate and a SUMMARY entry",
        run: |args| match args {
            [name] => scaffold::new_chapter(name),
            _ => bail!("new-chapter takes one NAME"),
        },
    },
    Task {
        name: "bench-report",
        args: "NAME",
        summary: "run the benchmarks of examples/NAME and write the table the book shows",
        run: |args| match args {
            [name] => bench::report(name),
            _ => bail!("bench-report takes one NAME"),
        },
    },
    Task {
        name: "check-web-links",
        args: "",
        summary: "check external links too (needs internet; not part of ci)",
        run: |args| none(args, book::check_web_links),
    },
    Task {
        name: "canary",
        args: "[TOOLCHAIN...]",
        summary: "in a copy of the book, `cargo update`, then clippy, compile-fail cases,\n\
                  snippets and quiz keys with each toolchain, installed or updated with\n\
                  rustup first (default: stable beta); writes target/canary/report.md\n\
                  (not part of ci)",
        run: canary::canary,
    },
    Task {
        name: "build-cost",
        args: "[bevy-particles]",
        summary: "build each example alone from nothing and write examples/build-cost.md;\n\
                  with bevy-particles: its build time by engine feature (minutes; not part\n\
                  of ci)",
        run: |args| match args {
            [] => bench::build_cost(),
            [name] if name == "bevy-particles" => bench::feature_build_cost(),
            _ => bail!("build-cost takes nothing or bevy-particles"),
        },
    },
    Task {
        name: "wasm-size",
        args: "[bevy-particles]",
        summary: "build the WebAssembly module and print its size after each step; with\n\
                  bevy-particles: the game's module, written to its results/ (minutes; not\n\
                  part of ci)",
        run: |args| match args {
            [] => wasm::print_sizes(),
            [name] if name == "bevy-particles" => game_wasm::write_sizes(),
            _ => bail!("wasm-size takes nothing or bevy-particles"),
        },
    },
    Task {
        name: "help",
        args: "",
        summary: "print this list",
        run: |_| {
            print!("{}", help());
            Ok(())
        },
    },
];

fn none(args: &[String], run: fn() -> Result<()>) -> Result<()> {
    match args {
        [] => run(),
        _ => bail!("this task takes no arguments, got {args:?}"),
    }
}

/// Runs the task `args[0]` (`help` when there is none).
pub fn run(args: &[String]) -> Result<()> {
    let name = args.first().map(String::as_str).unwrap_or("help");
    let name = if matches!(name, "--help" | "-h") {
        "help"
    } else {
        name
    };
    match TASKS.iter().find(|task| task.name == name) {
        Some(task) => (task.run)(args.get(1..).unwrap_or_default()),
        None => bail!("unknown task `{name}`\n\n{}", help()),
    }
}

/// The help text, made from [`TASKS`]. Its first line names the clone xtask works on.
pub fn help() -> String {
    let mut text = format!(
        "cargo xtask <task>   (the book in {})\n\n",
        repo_root().display()
    );
    for task in TASKS {
        let usage = format!("{} {}", task.name, task.args);
        let mut lines = task.summary.lines().map(str::trim);
        // A usage longer than its column gets a line of its own.
        if usage.len() <= 18 {
            text.push_str(&format!(
                "  {usage:<18} {}\n",
                lines.next().unwrap_or_default()
            ));
        } else {
            text.push_str(&format!("  {}\n", usage.trim_end()));
        }
        for line in lines {
            text.push_str(&format!("  {:<18} {line}\n", ""));
        }
    }
    text
}

/// The list of tasks in CONTRIBUTING.md, between `<!-- tasks -->` and `<!-- /tasks -->`:
/// the help text without its first line.
#[cfg(test)]
fn contributing_list() -> String {
    let help = help();
    let body = help
        .split_once("\n\n")
        .map_or(help.as_str(), |(_, rest)| rest);
    format!("```text\n{body}```\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contributing_lists_the_tasks_as_the_help_does() {
        let contributing = std::fs::read_to_string(repo_root().join("CONTRIBUTING.md")).unwrap();
        let expected = contributing_list();
        assert_eq!(
            book_model::markdown::generated_block(&contributing, "tasks"),
            Some(expected.as_str()),
            "CONTRIBUTING.md's list of tasks, between <!-- tasks --> and <!-- /tasks -->, must read:\n{expected}"
        );
    }

    #[test]
    fn names_are_unique_and_every_task_is_in_the_help() {
        let help = help();
        for (index, task) in TASKS.iter().enumerate() {
            assert!(
                TASKS[..index].iter().all(|other| other.name != task.name),
                "{} twice",
                task.name
            );
            assert!(
                help.contains(&format!("\n  {} ", task.name))
                    || help.contains(&format!("\n  {}\n", task.name))
            );
        }
    }

    /// `cargo xtask TASK` in an `sh` block of `text`: the task names.
    fn tasks_named(text: &str) -> Vec<String> {
        book_model::markdown::code_blocks(text)
            .iter()
            .filter(|block| block.language() == "sh")
            .flat_map(|block| block.body.lines().map(str::to_owned).collect::<Vec<_>>())
            .flat_map(|line| {
                let words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
                words
                    .windows(3)
                    .filter(|w| w[0] == "cargo" && w[1] == "xtask")
                    .map(|w| w[2].clone())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn every_cargo_xtask_command_in_the_book_names_a_task() {
        let root = repo_root();
        let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(root.join("src"))
            .into_iter()
            .filter_map(Result::ok)
            .map(|entry| entry.into_path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        files.extend(["README.md", "CONTRIBUTING.md"].map(|file| root.join(file)));
        let mut named = 0;
        let mut problems = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for task in tasks_named(&text) {
                named += 1;
                if !TASKS.iter().any(|known| known.name == task) {
                    problems.push(format!("{}: `cargo xtask {task}`", file.display()));
                }
            }
        }
        assert!(named > 5, "found only {named} xtask commands");
        assert!(problems.is_empty(), "not a task:\n{}", problems.join("\n"));
    }

    #[test]
    fn the_check_catches_a_misspelt_task() {
        let named = tasks_named("```sh\ncargo xtask serv  # serve the book\n```\n");
        assert_eq!(named, ["serv"]);
        assert!(!TASKS.iter().any(|task| task.name == named[0]));
    }

    #[test]
    fn an_unknown_task_is_an_error_that_shows_the_help() {
        let error = run(&["serv".to_owned()]).unwrap_err().to_string();
        assert!(error.starts_with("unknown task `serv`"), "{error}");
        assert!(error.contains("  serve [--demos-first]"), "{error}");
    }
}
