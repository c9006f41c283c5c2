//! Diagnostics: the one model of a problem in a .taskflow file, used by every
//! phase and rendered for humans (codespan-reporting) or machines (JSON).

mod code;
mod codes;
mod explain;
mod render;

pub use codes::Code;
pub use render::{ColorChoice, Renderer, render_human, render_json};

use crate::span::Span;
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A span with a short message pointing at it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in a source file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The main place the problem is, with what is wrong there.
    pub primary: Label,
    /// Other places that explain the problem.
    pub secondary: Vec<Label>,
    /// What to do about it, often the nearest valid name.
    pub help: Option<String>,
    /// Set when the problem is not in the .taskflow source but in another
    /// file (the secrets file, the output directory) or in none: then the
    /// spans mean nothing and no source text is shown.
    pub elsewhere: Option<Box<Elsewhere>>,
}

/// A place outside the source: a file, and maybe a line of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Elsewhere {
    pub file: Option<String>,
    pub line: Option<usize>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
            elsewhere: None,
        }
    }

    /// A problem outside the source: in `file` (at `line`), or in none.
    /// Its text is never shown, so a secrets file is never echoed.
    pub fn outside(
        code: Code,
        file: Option<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        let mut d = Diagnostic::new(code, Span::default(), message);
        d.elsewhere = Some(Box::new(Elsewhere { file, line }));
        d
    }

    /// Sets the text under the primary span.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary span.
    pub fn also(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position, then code, for stable output.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.primary.span, a.code.as_str(), &a.message).cmp(&(
            b.primary.span,
            b.code.as_str(),
            &b.message,
        ))
    });
}
