//! `{{#exercise NAME}}` on a page: the exercise's task, where to edit it, how to check
//! it, and its hint and reference solution, read from the files CI tests
//! (`book_model::exercises` finds them).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use book_model::exercises::Exercise;

/// Replaces `{{#exercise NAME}}` on a page with the exercise: its task, where to edit
/// and how to check it, and its hint and reference solution folded. The solution is
/// the file CI tests, never a copy.
pub fn insert_exercises(content: &str, root: &Path) -> Result<String> {
    let directive = regex::Regex::new(r"\{\{#exercise\s+([a-z0-9-]+)\s*\}\}")?;
    if !directive.is_match(content) {
        return Ok(content.to_owned());
    }
    let exercises = book_model::exercises::all(root)?;
    let mut failure = None;
    let result = directive.replace_all(content, |caps: &regex::Captures| {
        match exercises.iter().find(|exercise| exercise.name == caps[1]) {
            Some(exercise) => match markdown(exercise) {
                Ok(markdown) => markdown,
                Err(error) => {
                    failure.get_or_insert(error);
                    String::new()
                }
            },
            None => {
                failure.get_or_insert(anyhow::anyhow!("there is no exercise `{}`", &caps[1]));
                String::new()
            }
        }
    });
    match failure {
        Some(error) => Err(error),
        None => Ok(result.into_owned()),
    }
}

/// The exercise as the page shows it.
fn markdown(exercise: &Exercise) -> Result<String> {
    let read = |file: &str| {
        fs::read_to_string(exercise.file(file))
            .with_context(|| format!("reading {}", exercise.file(file).display()))
    };
    let folder = format!("examples/{}/exercises/{}", exercise.krate, exercise.name);
    let task = read("task.md")?;
    let hint = read("hint.md")?;
    let solution = read("solution.rs")?;
    let name = &exercise.name;
    // The blank lines around <details> content let mdBook render it as Markdown.
    Ok(format!(
        "{task}\n\
         <p class=\"exercise-run\">Edit <code>{folder}/starter.rs</code>, then check \
         it with <code>cargo xtask exercise {name}</code>.</p>\n\n\
         <details>\n<summary>Hint</summary>\n\n{hint}\n</details>\n\n\
         <details>\n<summary>Solution</summary>\n\n\
         <p class=\"listing-file\">Filename: <code>{folder}/solution.rs</code></p>\n\n\
         ```rust,noplayground\n{solution}```\n\n</details>\n",
        task = task.trim_end(),
        hint = hint.trim_end(),
    ))
}
