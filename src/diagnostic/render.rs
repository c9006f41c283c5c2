//! Rendering diagnostics: rustc-style text through codespan-reporting, or JSON lines.

use super::{Diagnostic, Severity};
use crate::span::line_col;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor::Buffer};
use serde::Serialize;

/// Whether rendered text carries ANSI colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Always,
    Never,
}

fn to_codespan(d: &Diagnostic) -> CsDiagnostic<()> {
    let base = match d.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    };
    let mut labels =
        vec![CsLabel::primary((), d.primary.span.range()).with_message(&d.primary.message)];
    labels.extend(
        d.secondary
            .iter()
            .map(|l| CsLabel::secondary((), l.span.range()).with_message(&l.message)),
    );
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    base.with_message(&d.message)
        .with_code(d.code.as_str())
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders diagnostics as rustc-style text, one after another.
pub fn render_human(name: &str, source: &str, diags: &[Diagnostic], color: ColorChoice) -> String {
    let file = SimpleFile::new(name, source);
    let config = Config::default();
    let mut out = String::new();
    for d in diags {
        // Clamp spans so that a bug elsewhere can never make rendering fail.
        let mut d = d.clone();
        clamp(&mut d, source);
        let cs = to_codespan(&d);
        let rendered = match color {
            ColorChoice::Never => term::emit_into_string(&config, &file, &cs).ok(),
            ColorChoice::Always => {
                let mut buf = Buffer::ansi();
                term::emit_to_write_style(&mut buf, &config, &file, &cs)
                    .ok()
                    .map(|()| String::from_utf8_lossy(buf.as_slice()).into_owned())
            }
        };
        match rendered {
            Some(text) => out.push_str(&text),
            None => out.push_str(&format!(
                "{}[{}]: {}\n",
                severity_word(d.severity),
                d.code.as_str(),
                d.message
            )),
        }
    }
    out
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Keeps every span inside the source and on character boundaries.
fn clamp(d: &mut Diagnostic, source: &str) {
    let fix = |span: &mut crate::span::Span| {
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

fn json_label<'a>(source: &str, span: crate::span::Span, message: &'a str) -> JsonLabel<'a> {
    let (line, column) = line_col(source, span.start);
    let (end_line, end_column) = line_col(source, span.end);
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

/// Renders diagnostics as JSON, one object per line.
pub fn render_json(name: &str, source: &str, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let j = JsonDiagnostic {
            file: name,
            code: d.code.as_str(),
            name: d.code.name(),
            severity: d.severity,
            message: &d.message,
            primary: json_label(source, d.primary.span, &d.primary.message),
            secondary: d
                .secondary
                .iter()
                .map(|l| json_label(source, l.span, &l.message))
                .collect(),
            help: d.help.as_deref(),
        };
        if let Ok(line) = serde_json::to_string(&j) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
