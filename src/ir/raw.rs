//! AST → IR for what the language cannot say yet: `patch KIND NAME YAML`
//! (a merge patch on an emitted object) and `object YAML` (extra objects).
//! Their YAML is read here; src/patch/ applies them after emit.

use super::Name;
use super::layer::L;
use super::values::Diags;
use crate::ast::{Scalar, StmtKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use serde::Deserialize;

/// `patch KIND NAME YAML`.
#[derive(Clone, Debug, PartialEq)]
pub struct Patch {
    /// The object's kind, as written (`deployment`, `Deployment`).
    pub kind: Name,
    /// Its `metadata.name`.
    pub name: Name,
    /// The YAML mapping, read.
    pub value: serde_json::Value,
    /// The YAML text, for spans within it.
    pub body: Scalar,
    /// The span of each line of the text (the whole string for a quoted one).
    pub lines: Vec<Span>,
    pub span: Span,
}

impl Patch {
    /// The span of the first line that writes `key:`; else the whole body.
    pub fn key_span(&self, key: &str) -> Span {
        key_span(&self.body, &self.lines, key)
    }
}

/// Where a key is written in a YAML body: the first line with `key:`.
pub fn key_span(body: &Scalar, lines: &[Span], key: &str) -> Span {
    let pattern = format!("{key}:");
    body.text
        .lines()
        .position(|l| l.contains(&pattern))
        .and_then(|i| lines.get(i).copied())
        .unwrap_or(body.span)
}

/// One document of an `object YAML` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct RawObject {
    pub value: serde_json::Value,
    /// The YAML text of this document.
    pub text: String,
    /// The spans of its lines (the whole string's, for a quoted one).
    pub lines: Vec<Span>,
    pub span: Span,
}

impl RawObject {
    /// The span of the first line of this document that writes `key:`;
    /// else its `kind:` line; else the statement.
    pub fn key_span(&self, key: &str) -> Span {
        let find = |key: &str| {
            let pattern = format!("{key}:");
            self.text
                .lines()
                .position(|l| l.contains(&pattern))
                .and_then(|i| self.lines.get(i).copied())
        };
        find(key).or_else(|| find("kind")).unwrap_or(self.span)
    }
}

/// Whether a statement is a `patch` or an `object`.
pub fn is_raw(l: &L) -> bool {
    matches!(l.stmt.kind, StmtKind::Patch { .. } | StmtKind::Object(_))
}

/// Reads the YAML of `patch` and `object` statements.
pub fn lower(stmts: &[L], source: &str, diags: &mut Diags) -> (Vec<Patch>, Vec<RawObject>) {
    let (mut patches, mut objects) = (Vec::new(), Vec::new());
    for l in stmts {
        match &l.stmt.kind {
            StmtKind::Patch { kind, name, body } => {
                let Some(docs) = read(body, source, diags) else {
                    continue;
                };
                let lines = lines_of(body, source);
                match docs.as_slice() {
                    [value] if value.is_object() => patches.push(Patch {
                        kind: kind.spanned(),
                        name: name.spanned(),
                        value: value.clone(),
                        body: body.clone(),
                        lines,
                        span: l.stmt.span,
                    }),
                    _ => diags.push(
                        Diagnostic::new(
                            Code::InvalidPatch,
                            body.span,
                            "a patch is one YAML mapping",
                        )
                        .label("not a mapping")
                        .help("write the fields to change, e.g. `\"spec: {minReadySeconds: 5}\"`"),
                    ),
                }
            }
            StmtKind::Object(body) => {
                let Some(docs) = read(body, source, diags) else {
                    continue;
                };
                let lines = lines_of(body, source);
                let starts = doc_starts(&body.text);
                for (k, value) in docs.into_iter().enumerate() {
                    if value.is_null() {
                        continue;
                    }
                    let (first, from) = starts.get(k).copied().unwrap_or((0, 0));
                    let (end, to) = starts
                        .get(k + 1)
                        .copied()
                        .unwrap_or((lines.len(), body.text.len()));
                    let own = lines
                        .get(first..end.max(first))
                        .unwrap_or_default()
                        .to_vec();
                    let mut o = RawObject {
                        value,
                        text: body
                            .text
                            .get(from..to.max(from))
                            .unwrap_or_default()
                            .to_string(),
                        lines: own,
                        span: l.stmt.span,
                    };
                    o.span = o.key_span("kind");
                    objects.push(o);
                }
            }
            _ => {}
        }
    }
    (patches, objects)
}

/// Where each YAML document of a text starts: its line and byte offset. A
/// `---` line starts a new one, unless only blanks and comments came before.
fn doc_starts(text: &str) -> Vec<(usize, usize)> {
    let mut starts = vec![(0, 0)];
    let mut content = false;
    let mut offset = 0;
    for (i, line) in text.split('\n').enumerate() {
        let next = offset + line.len() + 1;
        let t = line.trim_end();
        if t == "---" || t.starts_with("--- ") {
            if content {
                starts.push((i + 1, next.min(text.len())));
            } else if let Some(last) = starts.last_mut() {
                *last = (i + 1, next.min(text.len()));
            }
            content = false;
        } else if !t.trim_start().is_empty() && !t.trim_start().starts_with('#') {
            content = true;
        }
        offset = next;
    }
    starts
}

/// The YAML documents of a body; None (reported) when it does not parse.
fn read(body: &Scalar, source: &str, diags: &mut Diags) -> Option<Vec<serde_json::Value>> {
    if let Err(line) = crate::input::flow_depth(&body.text, crate::input::MAX_FLOW_DEPTH) {
        diags.push(
            Diagnostic::new(
                Code::InvalidPatch,
                line_span(body, source, line),
                "the YAML nests too deeply",
            )
            .label(format!(
                "more than {} levels of `[` or `{{`",
                crate::input::MAX_FLOW_DEPTH
            ))
            .help("write nested mappings and lists in block style, one level per indentation"),
        );
        return None;
    }
    let mut docs = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(&body.text) {
        match serde_json::Value::deserialize(doc) {
            Ok(v) => docs.push(v),
            Err(e) => {
                let line = e.location().map_or(0, |l| l.line());
                let at = line_span(body, source, line);
                let message = e.to_string();
                let what = message.split(" at line").next().unwrap_or(&message);
                diags.push(
                    Diagnostic::new(Code::InvalidPatch, at, "the YAML does not parse")
                        .label(what.to_string())
                        .help("write a YAML mapping; in a raw string \"\"\"...\"\"\" indentation is kept"),
                );
                return None;
            }
        }
    }
    Some(docs)
}

/// The span of each line of a raw string's text (one pass); the whole
/// string for each line of a quoted one.
fn lines_of(body: &Scalar, source: &str) -> Vec<Span> {
    let count = body.text.lines().count();
    let whole = body.span;
    let Some(inner) = source
        .get(whole.start..whole.end)
        .and_then(|s| s.strip_prefix("\"\"\""))
    else {
        return vec![whole; count];
    };
    let skip = if inner.starts_with("\r\n") {
        2
    } else {
        usize::from(inner.starts_with('\n'))
    };
    let mut start = whole.start + 3 + skip;
    let rest = source.get(start..whole.end).unwrap_or("");
    let mut out = Vec::with_capacity(count);
    for text in rest.split('\n').take(count) {
        let lead = text.len() - text.trim_start().len();
        let end = start + text.trim_end().len();
        out.push(Span::new(start + lead, end.max(start + lead)));
        start += text.len() + 1;
    }
    out.resize(count, whole);
    out
}

/// The span of line `line` (1-based) of a raw string's text in the source
/// (its lines are the source's, dedented); the whole string when it cannot
/// be placed (a quoted string's escapes move lines).
pub fn line_span(body: &Scalar, source: &str, line: usize) -> Span {
    let whole = body.span;
    let Some(src) = source.get(whole.start..whole.end) else {
        return whole;
    };
    let Some(inner) = src.strip_prefix("\"\"\"") else {
        return whole;
    };
    if line == 0 {
        return whole;
    }
    let skip = if inner.starts_with("\r\n") {
        2
    } else {
        usize::from(inner.starts_with('\n'))
    };
    let mut start = whole.start + 3 + skip;
    let rest = source.get(start..whole.end).unwrap_or("");
    for (i, text) in rest.split('\n').enumerate() {
        if i + 1 == line {
            let lead = text.len() - text.trim_start().len();
            let end = start + text.trim_end().len();
            return Span::new(start + lead, end.max(start + lead));
        }
        start += text.len() + 1;
    }
    whole
}
