//! The chapters' quizzes: `src/CHAPTER/quiz.toml`, shown on the page by
//! `{{#quiz quiz.toml}}` (the preprocessor renders them) and checked by
//! `cargo xtask check-quizzes` (`xtask/src/quiz.rs`).
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

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::markdown::Heading;

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
    /// The heading of the chapter section that teaches what the question asks, as
    /// the page writes it. It must come before the quiz; the page links it.
    pub taught_in: String,
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
        let kind = self.kind_from_fields(code)?;
        // A reader can only give what the page asks with: a text field for a short
        // answer, radio buttons otherwise. An error code is typed, so a prompt that
        // asks for one must be a short answer.
        let asks_for_code = self.prompt.to_lowercase().contains("error code");
        if asks_for_code && !matches!(kind, Kind::Short { answer, .. } if is_error_code(answer)) {
            bail!(
                "the prompt asks for an error code, but the page has no field to type it in: \
                 make it a `short-answer` question, or do not ask for the code"
            );
        }
        Ok(kind)
    }

    fn kind_from_fields<'q>(&'q self, code: Option<&'q str>) -> Result<Kind<'q>> {
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
    pub fn accepted(&self) -> Vec<String> {
        self.short_answer
            .iter()
            .chain(&self.also_accept)
            .map(|answer| normalise(answer))
            .collect()
    }
}

/// `E0382` and the like: what rustc calls an error code.
pub fn is_error_code(text: &str) -> bool {
    text.len() == 5 && text.starts_with('E') && text[1..].chars().all(|c| c.is_ascii_digit())
}

/// How the page compares a typed answer: case, surrounding space and backticks ignored.
pub fn normalise(answer: &str) -> String {
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

/// The section of the page that teaches what `question` asks: a heading among
/// `taught` (the page's headings above the quiz) whose text is its `taught-in`.
pub fn section<'h>(question: &Question, taught: &'h [Heading]) -> Result<&'h Heading> {
    let wanted = question.taught_in.replace('`', "");
    taught
        .iter()
        .find(|heading| heading.text == wanted.trim())
        .with_context(|| {
            format!(
                "`taught-in = \"{}\"` is not a heading of the page above the quiz",
                question.taught_in
            )
        })
}
