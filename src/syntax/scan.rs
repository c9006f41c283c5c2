//! A pre-pass over the raw text: delimiters, strings and nesting depth.
//!
//! pest reports an unclosed brace at the end of the file, far from the
//! mistake; this scan points at the brace itself, and caps nesting so that
//! no input can exhaust the parser's stack.

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// Deepest nesting of `{` and `[` accepted.
pub const MAX_DEPTH: usize = 32;

/// Reports unbalanced delimiters, unterminated strings and too-deep nesting.
pub fn scan(source: &str) -> Vec<Diagnostic> {
    let bytes = source.as_bytes();
    let mut diags = Vec::new();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    // The first `{` closed by a `}` indented differently from its line:
    // when a brace is missing, it is usually that one.
    let mut suspect: Option<(usize, usize)> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'#' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                if let Some(next) = skip_string(source, i, &mut diags) {
                    i = next;
                    continue;
                }
                return diags;
            }
            b'{' | b'[' => {
                stack.push((b, i));
                if stack.len() > MAX_DEPTH {
                    diags.push(
                        Diagnostic::new(
                            Code::NestingTooDeep,
                            Span::new(i, i + 1),
                            "braces are nested too deeply",
                        )
                        .label(format!(
                            "this is level {}; at most {MAX_DEPTH} are allowed",
                            stack.len()
                        )),
                    );
                    return diags;
                }
            }
            b'}' | b']' => {
                let want = if b == b'}' { b'{' } else { b'[' };
                match stack.pop() {
                    Some((open, at)) if open == want => {
                        if suspect.is_none()
                            && first_on_line(source, i)
                            && indent(source, at) != indent(source, i)
                        {
                            suspect = Some((at, i));
                        }
                    }
                    Some((open, at)) => {
                        diags.push(
                            Diagnostic::new(
                                Code::UnclosedDelimiter,
                                Span::new(i, i + 1),
                                format!("mismatched `{}`", b as char),
                            )
                            .label(format!("expected `{}` here", closer(open) as char))
                            .also(
                                Span::new(at, at + 1),
                                format!("`{}` opened here", open as char),
                            ),
                        );
                        return diags;
                    }
                    None => {
                        diags.push(
                            Diagnostic::new(
                                Code::UnclosedDelimiter,
                                Span::new(i, i + 1),
                                format!("unexpected `{}`", b as char),
                            )
                            .label("nothing is open here")
                            .help("remove it, or add the missing opening delimiter before it"),
                        );
                        return diags;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(&(open, at)) = stack.last() {
        let end = source.len();
        if let Some((opener, closer_at)) = suspect.filter(|_| open == b'{') {
            diags.push(
                Diagnostic::new(
                    Code::UnclosedDelimiter,
                    Span::new(opener, opener + 1),
                    "this `{` is probably never closed",
                )
                .label("opened here")
                .also(
                    Span::new(closer_at, closer_at + 1),
                    "this `}` closes it, but is indented like an outer block",
                )
                .also(Span::new(end, end), "the file ends with a block still open")
                .help("add the missing `}` where the block ends"),
            );
            return diags;
        }
        diags.push(
            Diagnostic::new(
                Code::UnclosedDelimiter,
                Span::new(at, at + 1),
                format!("this `{}` is never closed", open as char),
            )
            .label("opened here")
            .also(
                Span::new(end, end),
                format!(
                    "expected `{}` before the end of the file",
                    closer(open) as char
                ),
            ),
        );
    }
    diags
}

/// The indentation (in bytes) of the line holding `at`.
fn indent(source: &str, at: usize) -> usize {
    let start = source
        .get(..at)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    source
        .get(start..)
        .map_or(0, |l| l.len() - l.trim_start_matches([' ', '\t']).len())
}

/// Whether only blanks precede `at` on its line.
fn first_on_line(source: &str, at: usize) -> bool {
    let start = source
        .get(..at)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    source.get(start..at).is_some_and(|p| p.trim().is_empty())
}

fn closer(open: u8) -> u8 {
    if open == b'{' { b'}' } else { b']' }
}

/// Skips the string starting at `start`; returns the index after it, or
/// records an error and returns None.
fn skip_string(source: &str, start: usize, diags: &mut Vec<Diagnostic>) -> Option<usize> {
    let bytes = source.as_bytes();
    if source.get(start..).is_some_and(|s| s.starts_with("\"\"\"")) {
        let body = start + 3;
        return match source.get(body..).and_then(|s| s.find("\"\"\"")) {
            Some(rel) => Some(body + rel + 3),
            None => {
                diags.push(
                    Diagnostic::new(
                        Code::UnclosedDelimiter,
                        Span::new(start, start + 3),
                        "this raw string is never closed",
                    )
                    .label("opened here")
                    .help("close it with `\"\"\"`"),
                );
                None
            }
        };
    }
    let mut i = start + 1;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'\n' => break,
            _ => i += 1,
        }
    }
    let end = i.min(source.len());
    diags.push(
        Diagnostic::new(
            Code::UnclosedDelimiter,
            Span::new(start, end),
            "this string is never closed",
        )
        .label("the string starts here and runs to the end of the line")
        .help("add the closing `\"`; strings cannot span lines (use \"\"\"...\"\"\" for that)"),
    );
    None
}
