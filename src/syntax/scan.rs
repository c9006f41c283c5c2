//! A pre-pass over the raw text: delimiters, strings and nesting depth.
//!
//! pest reports an unclosed brace at the end of the file, far from the
//! mistake; this scan points at the brace itself, and caps nesting so that
//! no input can exhaust the parser's stack. It also repairs what it reports
//! (a stray closer blanked, a wrong one swapped, a missing `}` put where the
//! indentation says the block ends, or appended), without moving any byte of
//! the file, so that parsing goes on and every other error is reported too.

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// Deepest nesting of `{` and `[` accepted.
pub const MAX_DEPTH: usize = 32;

/// What the scan found, and the text to parse instead when it could
/// repair it (every byte of the source at the same offset; closers appended).
pub struct Scanned {
    pub diags: Vec<Diagnostic>,
    pub repaired: Option<String>,
}

/// Rounds of repair before giving up on a file.
const MAX_REPAIRS: usize = 16;

/// Reports unbalanced delimiters, unterminated strings and too-deep
/// nesting, each once, and repairs the delimiters where it can.
pub fn scan(source: &str) -> Scanned {
    // The common case: nothing to report, nothing copied.
    if scan_once(source, source, &[]).0.is_empty() {
        return Scanned {
            diags: Vec::new(),
            repaired: None,
        };
    }
    let mut diags = Vec::new();
    let mut text = source.to_string();
    let mut inserted = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let (found, fix) = scan_once(&text, source, &inserted);
        let Some(first) = found.into_iter().next() else {
            let repaired = (!diags.is_empty()).then_some(text);
            return Scanned { diags, repaired };
        };
        diags.push(first);
        match fix {
            Some(Fix::Replace(at, c)) => {
                inserted.push(at);
                // One ASCII byte for another keeps the text valid UTF-8.
                let mut bytes = std::mem::take(&mut text).into_bytes();
                if let Some(b) = bytes.get_mut(at) {
                    *b = c;
                }
                text = String::from_utf8(bytes).unwrap_or_default();
            }
            Some(Fix::Append(closers)) => text.push_str(&closers),
            None => break,
        }
    }
    Scanned {
        diags,
        repaired: None,
    }
}

/// How to repair the problem a scan found.
enum Fix {
    /// Put this ASCII byte at this offset (a blank or a delimiter was there).
    Replace(usize, u8),
    /// Close what is still open at the end of the file.
    Append(String),
}

/// The first problem of the text, and its repair.
/// `source` is the text as repaired so far; indentation is read from
/// `original`, as the user wrote it.
fn scan_once(source: &str, original: &str, inserted: &[usize]) -> (Vec<Diagnostic>, Option<Fix>) {
    let mut pass = Pass {
        source,
        original,
        inserted,
        stack: Vec::new(),
        suspect: None,
        fix: None,
    };
    let d = pass.run();
    (d.into_iter().collect(), pass.fix)
}

/// One pass over the text, up to its first problem.
struct Pass<'a> {
    source: &'a str,
    original: &'a str,
    /// Where earlier passes put a `}`.
    inserted: &'a [usize],
    /// Open delimiters and where.
    stack: Vec<(u8, usize)>,
    /// The first `{` closed by a `}` indented differently from its line:
    /// when a brace is missing, it is usually that one.
    suspect: Option<(usize, usize)>,
    fix: Option<Fix>,
}

impl Pass<'_> {
    fn run(&mut self) -> Option<Diagnostic> {
        let bytes = self.source.as_bytes();
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
                    let mut diags = Vec::new();
                    match skip_string(self.source, i, &mut diags) {
                        Some(next) => {
                            i = next;
                            continue;
                        }
                        None => return diags.pop(),
                    }
                }
                b'{' | b'[' => {
                    self.stack.push((b, i));
                    if self.stack.len() > MAX_DEPTH {
                        return Some(too_deep(i, self.stack.len()));
                    }
                }
                b'}' | b']' => {
                    if let Some(d) = self.close(b, i) {
                        return Some(d);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.unclosed()
    }

    /// A closing delimiter at `i`: fine, mismatched, or one too many.
    fn close(&mut self, b: u8, i: usize) -> Option<Diagnostic> {
        let want = if b == b'}' { b'{' } else { b'[' };
        match self.stack.pop() {
            Some((open, at)) if open == want => {
                if self.suspect.is_none()
                    && !self.inserted.contains(&i)
                    && first_on_line(self.original, i)
                    && indent(self.original, at) != indent(self.original, i)
                {
                    self.suspect = Some((at, i));
                }
                None
            }
            Some((open, at)) => {
                self.fix = Some(Fix::Replace(i, closer(open)));
                Some(
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
                )
            }
            None => Some(self.one_too_many(b, i)),
        }
    }

    /// A closer with nothing open: most likely the first `}` that is
    /// indented unlike the block it closes is the one too many.
    fn one_too_many(&mut self, b: u8, i: usize) -> Diagnostic {
        let (at, label) = match self.suspect {
            Some((_, earlier)) if b == b'}' => (
                earlier,
                "one `}` too many: this one is indented unlike the block it closes",
            ),
            _ => (i, "nothing is open here"),
        };
        self.fix = Some(Fix::Replace(at, b' '));
        let d = Diagnostic::new(
            Code::UnclosedDelimiter,
            Span::new(at, at + 1),
            format!("unexpected `{}`", b as char),
        )
        .label(label)
        .help("remove it, or add the missing opening delimiter before it");
        if at != i {
            d.also(Span::new(i, i + 1), "so this one closes nothing")
        } else {
            d
        }
    }

    /// What is still open at the end of the file, and where to close it.
    fn unclosed(&mut self) -> Option<Diagnostic> {
        let &(open, at) = self.stack.last()?;
        let end = self.source.len();
        let closers: String = self
            .stack
            .iter()
            .rev()
            .map(|(o, _)| closer(*o) as char)
            .collect();
        self.fix = Some(Fix::Append(closers));
        if open != b'{' {
            return Some(never_closed(open, at, end));
        }
        // The innermost open block ends where the indentation says, if it says.
        if let Some((blank, token)) = block_end(self.source, self.original, at) {
            self.fix = Some(Fix::Replace(blank, b'}'));
            return Some(
                Diagnostic::new(
                    Code::UnclosedDelimiter,
                    Span::new(at, at + 1),
                    "this `{` is never closed",
                )
                .label("opened here")
                .also(
                    Span::new(token, token + 1),
                    "by the indentation, the block ends before this line",
                )
                .help("add the missing `}` where the block ends"),
            );
        }
        let Some((opener, closer_at)) = self.suspect else {
            return Some(never_closed(open, at, end));
        };
        if let Some((blank, _)) = block_end(self.source, self.original, opener) {
            self.fix = Some(Fix::Replace(blank, b'}'));
        }
        Some(
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
        )
    }
}

fn too_deep(at: usize, level: usize) -> Diagnostic {
    Diagnostic::new(
        Code::NestingTooDeep,
        Span::new(at, at + 1),
        "braces are nested too deeply",
    )
    .label(format!(
        "this is level {level}; at most {MAX_DEPTH} are allowed"
    ))
}

fn never_closed(open: u8, at: usize, end: usize) -> Diagnostic {
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
    )
}

/// Where the `}` of the block opened at `opener` belongs, by indentation:
/// the first blank of the first later line (not blank, not a comment, not in
/// a string) indented no deeper than the opener's line, and that line's first
/// token. None when that line has no indentation to give (then the closer is
/// appended at the end).
fn block_end(source: &str, original: &str, opener: usize) -> Option<(usize, usize)> {
    let depth = indent(original, opener);
    let bytes = source.as_bytes();
    let mut i = opener + 1;
    let mut line_start = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i = skip_string(source, i, &mut Vec::new())?;
                line_start = false;
                continue;
            }
            b'\n' => line_start = true,
            b' ' | b'\t' => {}
            _ if line_start => {
                let here = indent(original, i);
                if b != b'#' && here <= depth {
                    return (here > 0).then_some((i - here, i));
                }
                line_start = false;
            }
            _ => {}
        }
        i += 1;
    }
    None
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
