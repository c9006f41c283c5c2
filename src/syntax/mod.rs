//! Phase 1, syntax: source text → spanned AST (`ast::File`) plus syntax
//! diagnostics. pest does the parsing; `lower` turns its pairs into the AST.

mod errors;
pub mod keywords;
mod lower;
mod scan;

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
    let (file, mut diags) = match TaskflowParser::parse(Rule::file, text) {
        Ok(pairs) => lower::lower_file(text, pairs),
        Err(e) => (None, vec![errors::from_pest(&e, text, 0, "the file")]),
    };
    diags.splice(0..0, scanned.diags);
    (file, diags)
}
