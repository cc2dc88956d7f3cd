//! `{{#quiz quiz.toml}}` on a page: the chapter's quiz (`book_model::quizzes` reads and
//! checks the file) as HTML for browsers, and as questions with their answers after
//! them for e-readers and print.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use book_model::quizzes::{Kind, Question, Quiz, section};

use book_model::markdown::Heading;

use crate::offline::Reader;

// ---------------------------------------------------------------------------------
// On the page

/// "Taught in" and the section, shown with the answer: a link where the page is the
/// chapter's own. The print page, the PDF's source, holds every chapter, and mdBook
/// renumbers repeated headings there (`pitfalls-1`), so it names the section instead.
fn taught_in_link(question: &Question, taught: &[Heading], link: bool) -> Result<String> {
    let heading = section(question, taught)?;
    let name = escape(&heading.text);
    Ok(if link {
        format!(
            "<p class=\"quiz-taught-in\">Taught in <a href=\"#{}\">{name}</a>.</p>",
            heading.id
        )
    } else {
        format!("<p class=\"quiz-taught-in\">Taught in \u{201c}{name}\u{201d}.</p>")
    })
}

/// The HTML of a quiz. `id` names the chapter, so the print page, which holds every
/// chapter, still has unique ids. `taught` are the page's headings above the quiz,
/// which the questions name. The markup has no blank line: Markdown would end the
/// HTML block there.
pub fn render(quiz: &Quiz, id: &str, reader: Reader, taught: &[Heading]) -> Result<String> {
    for (number, question) in quiz.questions.iter().enumerate() {
        section(question, taught).with_context(|| format!("question {}", number + 1))?;
    }
    if reader == Reader::EReader {
        return render_static(quiz, taught);
    }
    let total = quiz.questions.len();
    let mut html = format!("<div class=\"quiz\" data-quiz=\"{id}\">\n");
    for (index, question) in quiz.questions.iter().enumerate() {
        let number = index + 1;
        let name = format!("quiz-{id}-{number}");
        let kind = question.kind()?;
        let choices = choices(&kind);
        // The key as the page's script compares it: the index of the right choice,
        // or, for a short answer, every accepted spelling.
        let (answer, accept) = match kind {
            Kind::Compiles { error, .. } => (usize::from(error.is_some()).to_string(), vec![]),
            Kind::Output { answer, .. } | Kind::Concept { answer, .. } => {
                (answer.to_string(), vec![])
            }
            Kind::Short { .. } => (String::new(), question.accepted()),
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
            html.push_str(&code_block(code));
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
             <div class=\"quiz-explanation\" hidden>{}{}</div></fieldset></form>",
            inline_markdown(&question.explanation),
            taught_in_link(question, taught, true)?
        )?;
    }
    html.push_str("<noscript><p>The quiz needs JavaScript to check answers.</p></noscript>\n");
    // Paper has no Check button: print shows the answers after the questions.
    write!(
        html,
        "<div class=\"offline-only\">{}</div>\n</div>\n",
        answers(quiz, taught, false)?
    )?;
    Ok(html)
}

/// The quiz for a reader with no scripts (the EPUB): the questions with lettered
/// choices, then the answers.
fn render_static(quiz: &Quiz, taught: &[Heading]) -> Result<String> {
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
            html.push_str(&code_block(code));
        }
        let choices = choices(&question.kind()?);
        if !choices.is_empty() {
            html.push_str("<ol type=\"A\">");
            for choice in &choices {
                write!(html, "<li>{}</li>", inline_markdown(choice))?;
            }
            html.push_str("</ol>");
        }
        html.push('\n');
    }
    // Each chapter is a file of its own in the EPUB, so its links stay on its page.
    writeln!(html, "{}</div>", answers(quiz, taught, true)?)?;
    Ok(html)
}

/// The choices a reader picks from, as Markdown; none for a short answer.
fn choices(kind: &Kind) -> Vec<String> {
    match kind {
        Kind::Compiles { .. } => vec![
            "It compiles and runs.".to_owned(),
            "It does not compile.".to_owned(),
        ],
        Kind::Output { choices, .. } => choices.iter().map(|c| format!("`{}`", c.trim())).collect(),
        Kind::Concept { choices, .. } => choices.to_vec(),
        Kind::Short { .. } => vec![],
    }
}

/// A question's program. Newlines as character references keep the block on one
/// Markdown line, so the quiz stays one HTML block.
fn code_block(code: &str) -> String {
    format!(
        "<pre><code class=\"language-rust\">{}</code></pre>",
        escape(code.trim_end()).replace('\n', "&#10;")
    )
}

/// "Answers", then each question's answer and explanation.
fn answers(quiz: &Quiz, taught: &[Heading], link: bool) -> Result<String> {
    let mut html = String::from("<p><strong>Answers</strong></p><ol class=\"quiz-answers\">");
    for question in &quiz.questions {
        write!(
            html,
            "<li>{} {}{}</li>",
            inline_markdown(&shown_answer(&question.kind()?)),
            inline_markdown(&question.explanation),
            taught_in_link(question, taught, link)?
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

#[cfg(test)]
mod tests {
    use super::*;

    fn taught() -> Vec<Heading> {
        book_model::markdown::headings("# Chapter\n\n## The `Vec` type\n")
    }

    #[test]
    fn rendered_html_has_no_blank_line_and_escapes_code() -> Result<()> {
        let quiz: Quiz = toml::from_str(
            "[[question]]\nprompt = 'Does `this` compile?'\ntaught-in = 'The `Vec` type'\nexplanation = 'x'\ncompiles = true\ncode = '''\nfn main() {\n\n    let v: Vec<u8> = vec![];\n}\n'''\n",
        )?;
        let html = render(&quiz, "ch", Reader::Browser, &taught())?;
        assert!(html.contains("Taught in <a href=\"#the-vec-type\">The Vec type</a>."));
        assert!(!html.contains("\n\n"));
        assert!(html.contains("Vec&lt;u8&gt;"));
        assert!(html.contains("<code>this</code>"));
        Ok(())
    }

    /// One question of each kind, as quiz.toml writes them.
    const EACH_KIND: &str = "
[[question]]
prompt = 'Does it compile?'
taught-in = 'Chapter'
explanation = 'e'
compiles = false
error = 'E0382'
code = 'fn main() {}'

[[question]]
prompt = 'What does it print?'
taught-in = 'Chapter'
explanation = 'e'
choices = ['1', '2', '3']
answer = 1
code = 'fn main() {}'

[[question]]
prompt = 'Which error code?'
taught-in = 'Chapter'
explanation = 'e'
short-answer = 'E0382'
code = 'fn main() {}'

[[question]]
prompt = 'Why?'
taught-in = 'Chapter'
explanation = 'e'
choices = ['a', 'b']
answer = 0
";

    #[test]
    fn the_page_has_an_input_for_what_each_kind_asks() -> Result<()> {
        let quiz: Quiz = toml::from_str(EACH_KIND)?;
        let html = render(&quiz, "ch", Reader::Browser, &taught())?;
        let forms: Vec<&str> = html.split("<form ").skip(1).collect();
        assert_eq!(forms.len(), 4);
        let radios = |form: &str| form.matches("type=\"radio\"").count();
        let texts = |form: &str| form.matches("type=\"text\"").count();
        // does it compile: two buttons; what does it print: one per choice; short
        // answer: a text field; concept: one per choice.
        assert_eq!((radios(forms[0]), texts(forms[0])), (2, 0));
        assert_eq!((radios(forms[1]), texts(forms[1])), (3, 0));
        assert_eq!((radios(forms[2]), texts(forms[2])), (0, 1));
        assert_eq!((radios(forms[3]), texts(forms[3])), (2, 0));
        Ok(())
    }

    #[test]
    fn a_prompt_that_asks_for_an_error_code_needs_a_text_field() {
        let question: Question = toml::from_str(
            "prompt = 'Does it compile? If not, with which error code?'\ntaught-in = 'Chapter'\nexplanation = 'e'\ncompiles = false\nerror = 'E0382'\ncode = 'fn main() {}'",
        )
        .expect("a question");
        let error = question.kind().expect_err("no field for the code");
        assert!(format!("{error}").contains("error code"), "{error}");
    }

    #[test]
    fn a_question_must_name_a_section_above_the_quiz() -> Result<()> {
        let quiz: Quiz = toml::from_str(
            "[[question]]\nprompt = 'p'\ntaught-in = 'Pitfalls'\nexplanation = 'e'\nchoices = ['a', 'b']\nanswer = 0\n",
        )?;
        let error = render(&quiz, "ch", Reader::Browser, &taught()).expect_err("no such section");
        assert!(format!("{error:#}").contains("Pitfalls"), "{error:#}");
        Ok(())
    }
}
