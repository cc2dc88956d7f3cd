//! The book's Markdown, read with pulldown-cmark (the parser mdBook uses), so that a
//! code block is what mdBook renders as one, not what a line scanner guesses.

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// A fenced code block: its info string (`rust,noplayground`), its text and the
/// 1-based line of its opening fence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    pub info: String,
    pub body: String,
    pub line: usize,
}

impl CodeBlock {
    /// The comma-separated words of the info string.
    pub fn attributes(&self) -> Vec<&str> {
        self.info.split(',').map(str::trim).collect()
    }

    /// The first word of the info string: `rust`, `sh`, `console`...
    pub fn language(&self) -> &str {
        self.attributes().first().copied().unwrap_or("")
    }

    pub fn has(&self, attribute: &str) -> bool {
        self.attributes().contains(&attribute)
    }

    /// True if the block holds nothing but `{{#include}}`/`{{#rustdoc_include}}` lines.
    pub fn is_include_only(&self) -> bool {
        let lines: Vec<&str> = self
            .body
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        !lines.is_empty() && lines.iter().all(|line| line.starts_with("{{#"))
    }
}

/// mdBook's Markdown extensions (tables, footnotes, strikethrough, task lists,
/// heading attributes), so that the tools parse a page as the book renders it.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Every fenced code block of `text`, in order.
pub fn code_blocks(text: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<CodeBlock> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(CodeBlock {
                    info: info.trim().to_owned(),
                    body: String::new(),
                    line: text[..range.start].matches('\n').count() + 1,
                });
            }
            Event::Text(code) => {
                if let Some(block) = &mut open {
                    block.body.push_str(&code);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// A heading of a page: its text as a reader sees it, and the `id` mdBook gives it.
#[derive(Debug, PartialEq, Eq)]
pub struct Heading {
    pub text: String,
    pub id: String,
}

/// The headings of a page's Markdown, in order, read with a Markdown parser (so a `#`
/// line inside a code block is no heading), with mdBook's ids.
pub fn headings(content: &str) -> Vec<Heading> {
    let mut used = HashSet::new();
    let mut found = Vec::new();
    let mut text: Option<String> = None;
    for event in Parser::new(content) {
        match event {
            Event::Start(Tag::Heading { .. }) => text = Some(String::new()),
            Event::Text(part) | Event::Code(part) => {
                if let Some(text) = text.as_mut() {
                    text.push_str(&part);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(text) = text.take() {
                    let text = text.trim().to_owned();
                    let id = unique_id(heading_id(&text), &mut used);
                    found.push(Heading { text, id });
                }
            }
            _ => {}
        }
    }
    found
}

/// mdBook's rule (`id_from_content` in mdbook-html): lower case, letters, digits,
/// `_` and `-` kept, whitespace turned into `-`, everything else dropped.
pub fn heading_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

/// mdBook's rule for repeated headings: `-1`, `-2`, ... after the first.
pub fn unique_id(id: String, used: &mut HashSet<String>) -> String {
    if used.insert(id.clone()) {
        return id;
    }
    (1..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .expect("some suffix is free")
}

/// The text between the lines `<!-- NAME -->` and `<!-- /NAME -->` of a page: a part
/// that a program writes and a test compares, such as CONTRIBUTING.md's list of tasks.
pub fn generated_block<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let (_, rest) = text.split_once(&format!("<!-- {name} -->\n"))?;
    rest.split_once(&format!("<!-- /{name} -->"))
        .map(|(block, _)| block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenced_blocks_with_their_info_body_and_line() {
        let page = "# Title\n\nText\n\n```rust,noplayground\nfn main() {}\n```\n\n- item\n\n  ```sh\n  cargo run\n  ```\n\n    indented code is not fenced\n";
        let blocks = code_blocks(page);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].language(), "rust");
        assert!(blocks[0].has("noplayground"));
        assert_eq!(blocks[0].body, "fn main() {}\n");
        assert_eq!(blocks[0].line, 5);
        // Inside a list item: the item's indentation is not part of the code.
        assert_eq!(blocks[1].body, "cargo run\n");
        assert_eq!(blocks[1].line, 11);
    }

    #[test]
    fn a_generated_block_is_the_text_between_its_markers() {
        let page = "Intro\n<!-- tasks -->\nA\nB\n<!-- /tasks -->\nEnd\n";
        assert_eq!(generated_block(page, "tasks"), Some("A\nB\n"));
        assert_eq!(generated_block(page, "steps"), None);
    }

    #[test]
    fn headings_are_read_as_markdown_with_the_same_ids() {
        let page = "# The `Cargo.toml` file\n\n```sh\n# not a heading\n```\n\n## Set up\n\n## Set up\n\n### [Linked](x.md) part!\n";
        let found = headings(page);
        let ids: Vec<&str> = found.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["the-cargotoml-file", "set-up", "set-up-1", "linked-part"]
        );
        assert_eq!(found[0].text, "The Cargo.toml file");
        assert_eq!(found[3].text, "Linked part!");
    }

    #[test]
    fn a_fence_inside_inline_code_is_no_block() {
        assert!(code_blocks("Write `` ```rust `` to start a block.\n").is_empty());
    }
}
