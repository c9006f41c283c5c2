//! Turning pest failures into diagnostics: friendly names for grammar rules,
//! and re-parsing a skipped statement to say precisely what is wrong with it.

use super::{Rule, TaskflowParser, keywords};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::suggest;
use pest::Parser;
use pest::error::{Error, ErrorVariant, InputLocation};

/// Statements that end with their line (parsed atomically by the grammar).
const LINE_BOUND: &[&str] = &[
    "liveness",
    "readiness",
    "startup",
    "port",
    "strategy",
    "volume",
    "route",
    "allow",
    "autoscale",
    "accept",
    "cap-add",
    "host",
    "access",
];

/// Where a skipped statement stood, which decides how it is re-parsed.
#[derive(Clone, Copy, Debug)]
pub enum Context {
    /// Directly in the app block.
    App,
    /// In a block of the given kind, or in an override whose target kind is unknown.
    Block(Option<crate::ast::BlockKind>),
    /// In an `env NAME { }` block.
    Env,
    /// In `{ KEY = VALUE }` maps and selectors.
    Map,
}

/// Friendly name of a grammar rule, for "expected ..." messages.
fn describe(rule: Rule) -> Option<String> {
    let name = format!("{rule:?}");
    if let Some(kw) = name.strip_prefix("k_") {
        return Some(format!("`{}`", kw.replace('_', "-")));
    }
    let text = match rule {
        Rule::atom | Rule::scalar => "a value",
        Rule::string | Rule::quoted_string | Rule::raw_string => "a string",
        Rule::ident => "a name",
        Rule::key => "a key",
        Rule::list => "a list `[...]`",
        Rule::value | Rule::term | Rule::call => "a value",
        Rule::map => "`{`",
        Rule::body => "a `{ ... }` block",
        Rule::pair => "`KEY = VALUE`",
        Rule::port_target => "`->`",
        Rule::EOI => "the end",
        _ => return None,
    };
    Some(text.to_string())
}

fn join_alternatives(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The token at `pos` in `text`, for "found ..." messages.
fn found_at(text: &str, pos: usize) -> String {
    let rest = text.get(pos..).unwrap_or("");
    let token: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(24)
        .collect();
    if token.is_empty() {
        "the end of the statement".to_string()
    } else {
        format!("`{token}`")
    }
}

/// The span of the token at `pos` of `text` (at least one byte when there is one).
fn token_span(text: &str, pos: usize, offset: usize) -> Span {
    let len: usize = text.get(pos..).map_or(0, |r| {
        r.chars()
            .take_while(|c| !c.is_whitespace())
            .map(char::len_utf8)
            .sum()
    });
    Span::new(
        offset + pos,
        offset + pos + len.max(usize::from(pos < text.len())),
    )
}

/// A diagnostic for a pest error in `text`, which starts at byte `offset` of the file.
pub fn from_pest(e: &Error<Rule>, text: &str, offset: usize, what: &str) -> Diagnostic {
    let end_of = if what == "the file" {
        "the end of the file"
    } else {
        "the end of the statement"
    };
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<String> = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives
            .iter()
            .filter_map(|r| describe(*r))
            .map(|d| {
                if d == "the end" {
                    end_of.to_string()
                } else {
                    d
                }
            })
            .collect(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort();
    expected.dedup();
    if expected.iter().any(|e| e == "a value") {
        expected.retain(|e| e != "a string");
    }
    let found = found_at(text, pos);
    let span = token_span(text, pos, offset);
    let message = if expected.is_empty() {
        format!("unexpected {found} in {what}")
    } else {
        format!("expected {}, found {found}", join_alternatives(&expected))
    };
    let token = text
        .get(pos..)
        .unwrap_or("")
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .next()
        .unwrap_or("");
    let lead = leading_word(text);
    let keyword_hint = if pos > 0 && !token.is_empty() && keywords::all().any(|k| k == token) {
        Some(format!(
            "`{token}` is a keyword; to use it as text, quote it: \"{token}\""
        ))
    } else if text
        .get(pos..)
        .is_some_and(|r| r.starts_with(|c: char| !c.is_ascii() && c.is_alphabetic()))
    {
        Some(
            "names and bare values are ASCII: letters, digits, `-`, `_`; quote other text"
                .to_string(),
        )
    } else {
        keywords::usage(lead).map(|u| format!("write it as: {u}"))
    };
    Diagnostic::new(Code::SyntaxError, span, message)
        .label(if expected.is_empty() {
            "not expected here".to_string()
        } else {
            format!("expected {}", join_alternatives(&expected))
        })
        .maybe_help(keyword_hint)
}

/// The leading word of a statement.
fn leading_word(text: &str) -> &str {
    if !text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return "";
    }
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        .map_or(text.len(), |(i, _)| i);
    text.get(..end).unwrap_or("")
}

fn valid_here(ctx: Context) -> Vec<&'static str> {
    match ctx {
        Context::App => keywords::APP
            .iter()
            .chain(keywords::WORKLOAD_DEFAULTS)
            .copied()
            .collect(),
        Context::Block(Some(kind)) => keywords::statements(kind).to_vec(),
        Context::Block(None) | Context::Env => keywords::all().collect(),
        Context::Map => Vec::new(),
    }
}

/// Diagnoses a statement the recovering parse skipped.
pub fn skipped(text: &str, offset: usize, ctx: Context) -> Diagnostic {
    let text_end = text.trim_end().len();
    let whole = Span::new(offset, offset + text_end);
    if let Context::Map = ctx {
        return Diagnostic::new(
            Code::SyntaxError,
            whole,
            format!("expected `KEY = VALUE`, found `{}`", text.trim_end()),
        )
        .label("not a `KEY = VALUE` pair")
        .help("write each entry as `key = value`; quote values with spaces or special characters");
    }
    let rule = match ctx {
        Context::App => Rule::app_item_strict,
        Context::Env => Rule::env_item_strict,
        _ => Rule::stmt_strict,
    };
    let word = leading_word(text);
    let word_span = Span::new(offset, offset + word.len());
    let valid = valid_here(ctx);
    let known_anywhere = keywords::all().any(|k| k == word);
    let error = match TaskflowParser::parse(rule, text) {
        Err(e) => e,
        Ok(_) => {
            return Diagnostic::new(
                Code::SyntaxError,
                whole,
                "this statement cannot be read here",
            )
            .label("skipped")
            .help("put each statement on its own line");
        }
    };
    let pos = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((p, _)) => p,
    };
    // The statement is unreadable from its first word: say what the word is.
    if pos <= word.len() {
        if !word.is_empty() && !known_anywhere && ctx_is_keyword_led(ctx) {
            return Diagnostic::new(
                Code::UnknownStatement,
                word_span,
                format!("unknown statement `{word}`"),
            )
            .label("not a statement here")
            .maybe_help(suggest::did_you_mean(
                word,
                valid.iter().copied(),
                "statements valid here",
            ));
        }
        if !word.is_empty() && known_anywhere && !valid.contains(&word) {
            let home = keywords::home_of(word).unwrap_or("another kind of block");
            return Diagnostic::new(
                Code::MisplacedStatement,
                word_span,
                format!("`{word}` is not a statement of {}", describe_ctx(ctx)),
            )
            .label("not valid here")
            .help(format!("`{word}` belongs in {home}"));
        }
    }
    if let Some(c) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && *c != '\t' && *c != '\n' && *c != '\r')
    {
        let at = offset + c.0;
        return Diagnostic::new(
            Code::SyntaxError,
            Span::new(at, at + c.1.len_utf8()),
            format!(
                "a control character (U+{:04X}) is not allowed here",
                u32::from(c.1)
            ),
        )
        .label("invisible character")
        .help("remove it; only tabs and line breaks may appear outside strings");
    }
    // Line-bound statements are parsed atomically, so pest's "expected" list
    // is not precise inside them: name the place and show the form instead.
    if LINE_BOUND.contains(&word) && pos > word.len() {
        let found = found_at(text, pos);
        let at = token_span(text, pos, offset);
        return Diagnostic::new(
            Code::SyntaxError,
            at,
            format!("cannot read this `{word}` statement at {found}"),
        )
        .label("not expected here")
        .maybe_help(keywords::usage(word).map(|u| format!("write it as: {u}")));
    }
    if pos <= word.len() && valid.contains(&word) {
        let d = Diagnostic::new(
            Code::SyntaxError,
            Span::new(offset, offset + text_end),
            format!("incomplete or malformed `{word}` statement"),
        )
        .label("cannot be read");
        return d.maybe_help(keywords::usage(word).map(|u| format!("write it as: {u}")));
    }
    from_pest(&error, text, offset, "this statement")
}

fn ctx_is_keyword_led(ctx: Context) -> bool {
    !matches!(ctx, Context::Map)
}

fn describe_ctx(ctx: Context) -> String {
    match ctx {
        Context::App => "the app body".to_string(),
        Context::Block(Some(kind)) => kind.described(),
        Context::Block(None) => "this block".to_string(),
        Context::Env => "an env block".to_string(),
        Context::Map => "a map".to_string(),
    }
}
