//! A chapter's quiz, used as a reader uses it: one answer right, one wrong, the
//! feedback each gets, and both still there after a reload.

use anyhow::{Context, Result};
use fantoccini::Locator;

use crate::harness::Browser;

const PAGE: &str = "memory-safety/index.html";

/// The first two multiple-choice questions of the page, answered right and wrong.
const ANSWER: &str = r#"
    const forms = [...document.querySelectorAll("form.quiz-question")]
        .filter((form) => form.querySelector('input[type="radio"]'));
    if (forms.length < 2) { return "the page has fewer than two multiple-choice questions"; }
    const [right, wrong] = forms;
    const pick = (form, ok) => {
        const choices = [...form.querySelectorAll('input[type="radio"]')];
        const choice = choices.find((c) => (c.value === form.dataset.answer) === ok);
        choice.click();
        form.querySelector('button[type="submit"]').click();
        return form.id;
    };
    return [pick(right, true), pick(wrong, false)].join(" ");
"#;

/// Feedback text, explanation visibility and checked choice of a question, by id.
const STATE: &str = r#"
    const form = document.getElementById(arguments[0]);
    const checked = form.querySelector('input[type="radio"]:checked');
    return [
        form.querySelector(".quiz-feedback").textContent,
        form.querySelector(".quiz-explanation").hidden ? "hidden" : "shown",
        checked ? checked.value : "none",
        form.dataset.answer,
    ].join("|");
"#;

pub async fn check_quiz(browser: &Browser, base: &str) -> Result<Vec<String>> {
    let client = &browser.client;
    let url = format!("{base}{PAGE}");
    client.goto(&url).await?;
    // A fresh start: no answer kept from an earlier run of the test.
    client
        .execute("window.localStorage.clear();", vec![])
        .await?;
    client.goto(&url).await?;
    client.find(Locator::Css("form.quiz-question")).await?;

    let mut problems = Vec::new();
    let answered = client.execute(ANSWER, vec![]).await?;
    let answered = answered.as_str().context("the quiz script returns text")?;
    let ids: Vec<String> = answered.split(' ').map(str::to_owned).collect();
    let [right, wrong] = ids.as_slice() else {
        return Ok(vec![format!("quiz: {answered}")]);
    };
    for visit in ["after answering", "after a reload"] {
        for (id, expected) in [(right, "Right."), (wrong, "Not quite.")] {
            let state = client.execute(STATE, vec![id.clone().into()]).await?;
            let state = state.as_str().unwrap_or_default().to_owned();
            let fields: Vec<&str> = state.split('|').collect();
            let [feedback, explanation, checked, key] = fields.as_slice() else {
                problems.push(format!("quiz {id}: unreadable state {state}"));
                continue;
            };
            if !feedback.starts_with(expected) || *explanation != "shown" {
                problems.push(format!(
                    "quiz {id} {visit}: feedback {feedback:?}, explanation {explanation}"
                ));
            }
            let kept = (checked == key) == (expected == "Right.");
            if *checked == "none" || !kept {
                problems.push(format!("quiz {id} {visit}: the chosen answer was not kept"));
            }
        }
        client.refresh().await?;
        client.find(Locator::Css("form.quiz-question")).await?;
    }
    for error in browser.console_errors().await? {
        problems.push(format!("quiz: console error: {error}"));
    }
    Ok(problems)
}
