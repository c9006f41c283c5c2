//! Phase 1, syntax: source text → spanned AST (`ast::File`) plus syntax
//! diagnostics. pest reads the tokens (grammar/taskflow.pest), `tokens`
//! builds the tree of lines, and `read` gives it meaning by the statement
//! table (`table`).

mod build;
mod caps;
mod read;
mod scan;
mod sig;
pub mod table;
mod tokens;

use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use pest::Parser;

/// The largest source accepted, in bytes.
pub const MAX_SOURCE_BYTES: usize = 8 * 1024 * 1024;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/taskflow.pest"]
pub(crate) struct TaskflowParser;

/// Parses a file. Returns the AST when the app block could be read (possibly
/// with statements skipped), and every syntax diagnostic found.
pub fn parse(source: &str) -> (Option<ast::File>, Vec<Diagnostic>) {
    if source.len() > MAX_SOURCE_BYTES {
        let d = Diagnostic::new(
            Code::InputTooLarge,
            Span::new(0, 0),
            "the file is too large",
        )
        .label(format!(
            "{} bytes; tfc reads at most {} MiB",
            source.len(),
            MAX_SOURCE_BYTES / (1024 * 1024)
        ));
        return (None, vec![d]);
    }
    let scanned = scan::scan(source);
    let text = match (&scanned.repaired, scanned.diags.is_empty()) {
        (_, true) => source,
        (Some(repaired), false) => repaired.as_str(),
        (None, false) => return (None, scanned.diags),
    };
    let mut diags = scanned.diags;
    let pairs = match TaskflowParser::parse(Rule::file, text) {
        Ok(p) => p,
        Err(e) => {
            // The grammar reads any text whose delimiters balance, which
            // the scan ensures: this is a bug, reported as one.
            let at = match e.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((p, _)) => p,
            };
            diags.push(Diagnostic::new(
                Code::InternalError,
                Span::new(at, at),
                "internal error: the text could not be tokenized",
            ));
            return (None, diags);
        }
    };
    let mut toks = tokens::Tokens::new(text);
    let Some(file) = pairs.into_iter().next() else {
        return (None, diags);
    };
    let body = toks.body(file);
    let mut reader = read::Reader::new(text);
    let file = reader.file(&body);
    diags.extend(toks.diags);
    diags.extend(reader.diags);
    let file = file.map(|mut f| {
        f.trivia = toks.trivia;
        f
    });
    (file, diags)
}
