//! Rendering diagnostics: rustc-style text through codespan-reporting, or
//! JSON lines. Each diagnostic is rendered on its own (so the CLI can
//! stream them) over an excerpt of the source: only the lines its labels
//! touch, a long line cut to a window around them, and control characters
//! replaced, so that no input can make the output quadratic or reach the
//! terminal as an escape sequence.

mod excerpt;

use super::{Diagnostic, Severity};
use crate::span::{LineIndex, Span};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor::Buffer};
use excerpt::Excerpt;
use serde::Serialize;

/// Whether rendered text carries ANSI colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Always,
    Never,
}

/// Text from a message made safe for a terminal: control characters are
/// written as `\u{..}` escapes (a line break only where `lines` allows).
pub fn printable(s: &str, lines: bool) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' if lines => "\n".to_string(),
            '\t' => "\t".to_string(),
            c if c.is_control() => format!("\\u{{{:x}}}", u32::from(c)),
            c => c.to_string(),
        })
        .collect()
}

/// Renders the diagnostics of one source file, one at a time.
pub struct Renderer<'a> {
    name: String,
    source: &'a str,
    index: LineIndex,
    color: ColorChoice,
}

impl<'a> Renderer<'a> {
    pub fn new(name: &str, source: &'a str, color: ColorChoice) -> Self {
        Renderer {
            name: printable(name, false),
            source,
            index: LineIndex::new(source),
            color,
        }
    }

    /// One diagnostic as rustc-style text.
    pub fn human(&self, d: &Diagnostic) -> String {
        let mut d = d.clone();
        clamp(&mut d, self.source);
        let config = Config::default();
        let rendered = match &d.elsewhere {
            Some(at) => {
                let file = SimpleFile::new(self.name.clone(), "");
                let mut cs = header(&d);
                let place = match (&at.file, at.line) {
                    (Some(f), Some(l)) => Some(format!("in `{}`, line {l}", printable(f, false))),
                    (Some(f), None) => Some(format!("in `{}`", printable(f, false))),
                    _ => None,
                };
                cs.notes.splice(0..0, place);
                self.emit(&config, &file, &cs)
            }
            None => {
                let excerpt = Excerpt::new(&self.name, self.source, &self.index, &d);
                let mut cs = header(&d);
                cs.labels = labels(&d, &excerpt, &self.index);
                self.emit(&config, &excerpt, &cs)
            }
        };
        rendered.unwrap_or_else(|| {
            format!(
                "{}[{}]: {}\n",
                severity_word(d.severity),
                d.code.as_str(),
                printable(&d.message, false)
            )
        })
    }

    fn emit<'f, F>(&self, config: &Config, files: &'f F, cs: &CsDiagnostic<()>) -> Option<String>
    where
        F: codespan_reporting::files::Files<'f, FileId = ()>,
    {
        match self.color {
            ColorChoice::Never => term::emit_into_string(config, files, cs).ok(),
            ColorChoice::Always => {
                let mut buf = Buffer::ansi();
                term::emit_to_write_style(&mut buf, config, files, cs)
                    .ok()
                    .map(|()| String::from_utf8_lossy(buf.as_slice()).into_owned())
            }
        }
    }

    /// One diagnostic as a line of JSON.
    pub fn json(&self, d: &Diagnostic) -> String {
        let (file, primary, secondary) = match &d.elsewhere {
            Some(at) => (
                at.file.clone().unwrap_or_else(|| self.name.clone()),
                JsonLabel::at_line(at.line, &d.primary.message),
                Vec::new(),
            ),
            None => (
                self.name.clone(),
                self.label(d.primary.span, &d.primary.message),
                d.secondary
                    .iter()
                    .map(|l| self.label(l.span, &l.message))
                    .collect(),
            ),
        };
        let j = JsonDiagnostic {
            file: &file,
            code: d.code.as_str(),
            name: d.code.name(),
            severity: d.severity,
            message: &d.message,
            primary,
            secondary,
            help: d.help.as_deref(),
        };
        let mut line = serde_json::to_string(&j).unwrap_or_default();
        line.push('\n');
        line
    }

    fn label<'m>(&self, span: Span, message: &'m str) -> JsonLabel<'m> {
        let (line, column) = self.index.line_col(self.source, span.start);
        let (end_line, end_column) = self.index.line_col(self.source, span.end);
        JsonLabel {
            line,
            column,
            end_line,
            end_column,
            start: span.start,
            end: span.end,
            message,
        }
    }
}

/// The severity, code, message and help of a diagnostic, without labels.
fn header(d: &Diagnostic) -> CsDiagnostic<()> {
    let base = match d.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    };
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {}", printable(help, true)));
    }
    base.with_message(printable(&d.message, false))
        .with_code(d.code.as_str())
        .with_notes(notes)
}

fn labels(d: &Diagnostic, x: &Excerpt, index: &LineIndex) -> Vec<CsLabel<()>> {
    let mut labels = vec![
        CsLabel::primary((), x.map(index, d.primary.span))
            .with_message(printable(&d.primary.message, false)),
    ];
    labels.extend(d.secondary.iter().map(|l| {
        CsLabel::secondary((), x.map(index, l.span)).with_message(printable(&l.message, false))
    }));
    labels
}

/// Renders diagnostics as rustc-style text, one after another.
pub fn render_human(name: &str, source: &str, diags: &[Diagnostic], color: ColorChoice) -> String {
    let r = Renderer::new(name, source, color);
    diags.iter().map(|d| r.human(d)).collect()
}

/// Renders diagnostics as JSON, one object per line.
pub fn render_json(name: &str, source: &str, diags: &[Diagnostic]) -> String {
    let r = Renderer::new(name, source, ColorChoice::Never);
    diags.iter().map(|d| r.json(d)).collect()
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Keeps every span inside the source and on character boundaries.
fn clamp(d: &mut Diagnostic, source: &str) {
    let fix = |span: &mut Span| {
        let mut start = span.start.min(source.len());
        let mut end = span.end.min(source.len()).max(start);
        while start > 0 && !source.is_char_boundary(start) {
            start -= 1;
        }
        while end < source.len() && !source.is_char_boundary(end) {
            end += 1;
        }
        span.start = start;
        span.end = end;
    };
    fix(&mut d.primary.span);
    for l in &mut d.secondary {
        fix(&mut l.span);
    }
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start: usize,
    end: usize,
    message: &'a str,
}

impl<'a> JsonLabel<'a> {
    /// A label in a file that is not the source: its line (0 when none).
    fn at_line(line: Option<usize>, message: &'a str) -> Self {
        let l = line.unwrap_or(0);
        JsonLabel {
            line: l,
            column: 0,
            end_line: l,
            end_column: 0,
            start: 0,
            end: 0,
            message,
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    primary: JsonLabel<'a>,
    secondary: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
}
