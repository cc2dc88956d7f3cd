//! The chapters' quizzes: `src/CHAPTER/quiz.toml`, shown on the page by
//! `{{#quiz quiz.toml}}` and checked by `cargo xtask check-quizzes`.
//!
//! A question is one of four kinds, told apart by its fields:
//!
//! | kind              | fields                              | how CI proves the key                     |
//! |-------------------|-------------------------------------|-------------------------------------------|
//! | does it compile?  | `code`, `compiles`, `error` if not  | compiles and runs it, or checks the error |
//! | what does it print? | `code`, `choices`, `answer`       | runs it: the keyed choice is its output   |
//! | short answer      | `short-answer`, maybe `code`        | with code: the error code or the output   |
//! | concept           | `choices`, `answer`                 | no code, nothing to compile               |
//!
//! Every code sample is a whole program (with `fn main`), compiled by the pinned
//! toolchain as Rust 2024 with the standard library only.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::offline::Reader;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Question {
    pub prompt: String,
    pub code: Option<String>,
    /// For "does this compile?": the key.
    pub compiles: Option<bool>,
    /// For code that does not compile: the error code the compiler must report.
    pub error: Option<String>,
    pub choices: Option<Vec<String>>,
    /// The index of the right choice, from 0.
    pub answer: Option<usize>,
    pub short_answer: Option<String>,
    /// Other spellings accepted for a short answer.
    #[serde(default)]
    pub also_accept: Vec<String>,
    pub explanation: String,
}

/// What a question asks, with its key.
#[derive(Debug, PartialEq)]
pub enum Kind<'q> {
    Compiles {
        code: &'q str,
        error: Option<&'q str>,
    },
    Output {
        code: &'q str,
        choices: &'q [String],
        answer: usize,
    },
    Short {
        code: Option<&'q str>,
        answer: &'q str,
    },
    Concept {
        choices: &'q [String],
        answer: usize,
    },
}

impl Question {
    pub fn kind(&self) -> Result<Kind<'_>> {
        let code = self.code.as_deref();
        Ok(match (self.compiles, &self.choices, &self.short_answer) {
            (Some(compiles), None, None) => {
                let code = code.context("a `compiles` question needs `code`")?;
                match (compiles, self.error.as_deref()) {
                    (true, None) => Kind::Compiles { code, error: None },
                    (false, Some(error)) if is_error_code(error) => Kind::Compiles {
                        code,
                        error: Some(error),
                    },
                    (false, _) => bail!("`compiles = false` needs `error = \"E0XXX\"`"),
                    (true, Some(_)) => bail!("`error` makes no sense with `compiles = true`"),
                }
            }
            (None, Some(choices), None) => {
                let answer = self
                    .answer
                    .context("a question with `choices` needs `answer`")?;
                if answer >= choices.len() || choices.len() < 2 {
                    bail!("`answer` must index one of two or more `choices`");
                }
                match code {
                    Some(code) => Kind::Output {
                        code,
                        choices,
                        answer,
                    },
                    None => Kind::Concept { choices, answer },
                }
            }
            (None, None, Some(answer)) => Kind::Short { code, answer },
            _ => bail!("a question has one of `compiles`, `choices` or `short-answer`"),
        })
    }

    /// Every spelling of the short answer, normalised as the page compares them.
    fn accepted(&self) -> Vec<String> {
        self.short_answer
            .iter()
            .chain(&self.also_accept)
            .map(|answer| normalise(answer))
            .collect()
    }
}

fn is_error_code(text: &str) -> bool {
    text.len() == 5 && text.starts_with('E') && text[1..].chars().all(|c| c.is_ascii_digit())
}

/// How the page compares a typed answer: case, surrounding space and backticks ignored.
fn normalise(answer: &str) -> String {
    answer.trim().trim_matches('`').trim().to_lowercase()
}

pub fn read(path: &Path) -> Result<Quiz> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let quiz: Quiz =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    for (number, question) in quiz.questions.iter().enumerate() {
        question
            .kind()
            .with_context(|| format!("{}: question {}", path.display(), number + 1))?;
    }
    Ok(quiz)
}

/// Every `src/*/quiz.toml`, in folder order.
pub fn all_files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join("src"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("quiz.toml")))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    Ok(files)
}

// ---------------------------------------------------------------------------------
// On the page

/// The HTML of a quiz. `id` names the chapter, so the print page, which holds every
/// chapter, still has unique ids. The markup has no blank line: Markdown would end
/// the HTML block there.
pub fn render(quiz: &Quiz, id: &str, reader: Reader) -> Result<String> {
    if reader == Reader::EReader {
        return render_static(quiz);
    }
    let total = quiz.questions.len();
    let mut html = format!("<div class=\"quiz\" data-quiz=\"{id}\">\n");
    for (index, question) in quiz.questions.iter().enumerate() {
        let number = index + 1;
        let name = format!("quiz-{id}-{number}");
        let kind = question.kind()?;
        let (choices, answer, accept): (Vec<String>, String, Vec<String>) = match kind {
            Kind::Compiles { error, .. } => (
                vec![
                    "It compiles and runs.".to_owned(),
                    "It does not compile.".to_owned(),
                ],
                if error.is_some() { "1" } else { "0" }.to_owned(),
                vec![],
            ),
            Kind::Output {
                choices, answer, ..
            } => (
                choices.iter().map(|c| format!("`{}`", c.trim())).collect(),
                answer.to_string(),
                vec![],
            ),
            Kind::Concept { choices, answer } => (choices.to_vec(), answer.to_string(), vec![]),
            Kind::Short { .. } => (vec![], String::new(), question.accepted()),
        };
        let shown_answer = shown_answer(&kind);
        write!(
            html,
            "<form class=\"quiz-question\" id=\"{name}\" data-answer=\"{}\" data-accept=\"{}\" data-shown-answer=\"{}\">",
            escape(&answer),
            escape(&serde_json::to_string(&accept)?),
            escape(&inline_markdown(&shown_answer)),
        )?;
        write!(
            html,
            "<fieldset><legend><span class=\"quiz-number\">Question {number} of {total}.</span> {}</legend>",
            inline_markdown(&question.prompt)
        )?;
        if let Some(code) = &question.code {
            // Newlines as character references keep the block on one Markdown line.
            write!(
                html,
                "<pre><code class=\"language-rust\">{}</code></pre>",
                escape(code.trim_end()).replace('\n', "&#10;")
            )?;
        }
        if choices.is_empty() {
            write!(
                html,
                "<label class=\"quiz-short\">Your answer <input type=\"text\" name=\"{name}\" autocomplete=\"off\" spellcheck=\"false\"></label>"
            )?;
        } else {
            html.push_str("<div class=\"quiz-choices\">");
            for (value, choice) in choices.iter().enumerate() {
                write!(
                    html,
                    "<label><input type=\"radio\" name=\"{name}\" value=\"{value}\"> {}</label>",
                    inline_markdown(choice)
                )?;
            }
            html.push_str("</div>");
        }
        writeln!(
            html,
            "<button type=\"submit\">Check</button>\
             <p class=\"quiz-feedback\" role=\"status\" aria-live=\"polite\"></p>\
             <div class=\"quiz-explanation\" hidden>{}</div></fieldset></form>",
            inline_markdown(&question.explanation)
        )?;
    }
    html.push_str("<noscript><p>The quiz needs JavaScript to check answers.</p></noscript>\n");
    // Paper has no Check button: print shows the answers after the questions.
    write!(
        html,
        "<div class=\"offline-only\">{}</div>\n</div>\n",
        answers(quiz)?
    )?;
    Ok(html)
}

/// The quiz for a reader with no scripts (the EPUB): the questions with lettered
/// choices, then the answers.
fn render_static(quiz: &Quiz) -> Result<String> {
    let total = quiz.questions.len();
    let mut html = String::from("<div class=\"quiz\">\n");
    for (index, question) in quiz.questions.iter().enumerate() {
        write!(
            html,
            "<p><strong>Question {} of {total}.</strong> {}</p>",
            index + 1,
            inline_markdown(&question.prompt)
        )?;
        if let Some(code) = &question.code {
            write!(
                html,
                "<pre><code class=\"language-rust\">{}</code></pre>",
                escape(code.trim_end()).replace('\n', "&#10;")
            )?;
        }
        let choices: Vec<String> = match question.kind()? {
            Kind::Compiles { .. } => vec![
                "It compiles and runs.".to_owned(),
                "It does not compile.".to_owned(),
            ],
            Kind::Output { choices, .. } => {
                choices.iter().map(|c| format!("`{}`", c.trim())).collect()
            }
            Kind::Concept { choices, .. } => choices.to_vec(),
            Kind::Short { .. } => vec![],
        };
        if !choices.is_empty() {
            html.push_str("<ol type=\"A\">");
            for choice in &choices {
                write!(html, "<li>{}</li>", inline_markdown(choice))?;
            }
            html.push_str("</ol>");
        }
        html.push('\n');
    }
    write!(html, "{}</div>\n", answers(quiz)?)?;
    Ok(html)
}

/// "Answers", then each question's answer and explanation.
fn answers(quiz: &Quiz) -> Result<String> {
    let mut html = String::from("<p><strong>Answers</strong></p><ol class=\"quiz-answers\">");
    for question in &quiz.questions {
        write!(
            html,
            "<li>{} {}</li>",
            inline_markdown(&shown_answer(&question.kind()?)),
            inline_markdown(&question.explanation)
        )?;
    }
    html.push_str("</ol>");
    Ok(html)
}

/// The right answer in words, as the page shows it once a reader has answered.
fn shown_answer(kind: &Kind) -> String {
    match kind {
        Kind::Compiles { error: Some(e), .. } => format!("It does not compile: error {e}."),
        Kind::Compiles { error: None, .. } => "It compiles and runs.".to_owned(),
        Kind::Output {
            choices, answer, ..
        } => format!("It prints `{}`.", choices[*answer].trim()),
        Kind::Concept { choices, answer } => choices[*answer].clone(),
        Kind::Short { answer, .. } => format!("`{answer}`"),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escapes text and turns `code` spans into `<code>`, the only Markdown quiz text uses.
fn inline_markdown(text: &str) -> String {
    let mut html = String::new();
    for (index, part) in text.trim().split('`').enumerate() {
        let part = escape(part).replace('\n', " ");
        if index % 2 == 1 {
            write!(html, "<code>{part}</code>").expect("writing to a String");
        } else {
            html.push_str(&part);
        }
    }
    html
}

// ---------------------------------------------------------------------------------
// In CI

/// Every numbered chapter has a quiz of four to eight questions, shown on its page.
fn check_pages(root: &Path) -> Result<()> {
    let mut problems = Vec::new();
    for (chapter, title) in crate::exercise::chapter_order(root)? {
        let folder = root.join("src").join(&chapter);
        let file = folder.join("quiz.toml");
        if !file.is_file() {
            problems.push(format!("\"{title}\" has no quiz: src/{chapter}/quiz.toml"));
            continue;
        }
        let count = read(&file)?.questions.len();
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
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(())
}

/// Proves every key of every quiz with the compiler; fails naming file and question.
pub fn check_all() -> Result<()> {
    let root = crate::repo_root();
    let files = all_files(&root)?;
    let scratch = crate::scratch::RemoveOnDrop::new(root.join("target/quiz-check"))?;
    let mut failures = Vec::new();
    let (mut questions, mut with_code) = (0, 0);
    for file in &files {
        let quiz = read(file)?;
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
        for (index, question) in quiz.questions.iter().enumerate() {
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
            if is_error_code(answer) {
                let run = compile_and_run(code, dir)?;
                match run.errors {
                    Some(codes) if codes.iter().any(|c| c == answer) => Ok(()),
                    codes => bail!("the key says {answer}; rustc says {codes:?}"),
                }
            } else {
                let printed = runs_and_prints(code, dir)?;
                if normalise(&printed) == normalise(answer) {
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

/// Compiles `code` as a Rust 2024 program with the pinned toolchain, and runs it if it
/// compiled.
fn compile_and_run(code: &str, dir: &Path) -> Result<Run> {
    fs::create_dir_all(dir)?;
    let source = dir.join("main.rs");
    let binary = dir.join("main");
    fs::write(&source, code)?;
    // rustup picks the toolchain of rust-toolchain.toml in the repository root.
    let compiled = Command::new("rustc")
        .args(["--edition", "2024", "--error-format", "json", "-o"])
        .arg(&binary)
        .arg(&source)
        .current_dir(crate::repo_root())
        .output()
        .context("running rustc")?;
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
    let ran = Command::new(&binary)
        .current_dir(dir)
        .output()
        .with_context(|| format!("running {}", binary.display()))?;
    Ok(Run {
        errors: None,
        stdout: String::from_utf8_lossy(&ran.stdout).into_owned(),
        success: ran.status.success(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(toml_text: &str) -> Question {
        toml::from_str(toml_text).expect("a question")
    }

    #[test]
    fn a_wrong_key_is_caught() -> Result<()> {
        let dir = crate::repo_root().join("target/quiz-self-test");
        let q = question(
            "prompt = 'p'\nexplanation = 'e'\ncompiles = true\ncode = 'fn main() { let s = String::new(); let t = s; drop(s); }'",
        );
        let error = check(&q.kind()?, &dir).expect_err("the key is wrong");
        assert!(format!("{error}").contains("E0382"), "{error}");
        let q = question(
            "prompt = 'p'\nexplanation = 'e'\nchoices = ['1', '2']\nanswer = 0\ncode = 'fn main() { println!(\"2\") }'",
        );
        assert!(check(&q.kind()?, &dir).is_err());
        let _ = fs::remove_dir_all(dir);
        Ok(())
    }

    #[test]
    fn rendered_html_has_no_blank_line_and_escapes_code() -> Result<()> {
        let quiz: Quiz = toml::from_str(
            "[[question]]\nprompt = 'Does `this` compile?'\nexplanation = 'x'\ncompiles = true\ncode = '''\nfn main() {\n\n    let v: Vec<u8> = vec![];\n}\n'''\n",
        )?;
        let html = render(&quiz, "ch", Reader::Browser)?;
        assert!(!html.contains("\n\n"));
        assert!(html.contains("Vec&lt;u8&gt;"));
        assert!(html.contains("<code>this</code>"));
        Ok(())
    }
}
