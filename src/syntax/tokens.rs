//! pest pairs → a tree of lines and tokens, with strings unescaped, and the
//! trivia (comments, separators) set aside with their spans. Nothing after
//! this module sees a pest `Pair`.

use super::Rule;
use crate::ast::{Scalar, Trivia, TriviaKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use pest::iterators::Pair;

/// A token of a line.
#[derive(Clone, Debug)]
pub enum Tok {
    /// A bare word; its text is the source at its span.
    Word(Span),
    /// A string, escapes resolved.
    Str(Scalar),
    Arrow(Span),
    Eq(Span),
    /// `name(args)`.
    Call {
        name: Span,
        args: Vec<Tok>,
        span: Span,
    },
    List(Vec<Tok>, Span),
    Block(Body),
    /// A character that starts no token.
    Junk(Span),
}

impl Tok {
    pub fn span(&self) -> Span {
        match self {
            Tok::Word(s) | Tok::Arrow(s) | Tok::Eq(s) | Tok::Junk(s) => *s,
            Tok::Str(s) => s.span,
            Tok::Call { span, .. } | Tok::List(_, span) => *span,
            Tok::Block(b) => b.span,
        }
    }
}

/// The tokens of one line.
#[derive(Clone, Debug, Default)]
pub struct Line {
    pub toks: Vec<Tok>,
}

/// `{ lines }` (or the whole file), with the spans of its braces.
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub lines: Vec<Line>,
    pub span: Span,
    pub open: Span,
    pub close: Span,
}

/// Builds the token tree of a file.
pub struct Tokens<'s> {
    _source: std::marker::PhantomData<&'s str>,
    pub diags: Vec<Diagnostic>,
    pub trivia: Vec<Trivia>,
}

fn span_of(p: &Pair<Rule>) -> Span {
    let s = p.as_span();
    Span::new(s.start(), s.end())
}

impl<'s> Tokens<'s> {
    pub fn new(_source: &'s str) -> Self {
        Tokens {
            _source: std::marker::PhantomData,
            diags: Vec::new(),
            trivia: Vec::new(),
        }
    }

    /// The lines of the `file` rule or of a `block`.
    pub fn body(&mut self, p: Pair<Rule>) -> Body {
        let span = span_of(&p);
        let is_block = p.as_rule() == Rule::block;
        let mut lines = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::line => lines.push(self.line(c)),
                _ => self.trivia_or_nothing(&c),
            }
        }
        let (open, close) = if is_block {
            (
                Span::new(span.start, span.start + 1),
                Span::new(span.end.saturating_sub(1), span.end),
            )
        } else {
            (
                Span::new(span.start, span.start),
                Span::new(span.end, span.end),
            )
        };
        Body {
            lines,
            span,
            open,
            close,
        }
    }

    fn trivia_or_nothing(&mut self, c: &Pair<Rule>) {
        let kind = match c.as_rule() {
            Rule::comment => TriviaKind::Comment,
            Rule::sep => TriviaKind::Separator,
            _ => return,
        };
        self.trivia.push(Trivia {
            kind,
            span: span_of(c),
        });
    }

    fn line(&mut self, p: Pair<Rule>) -> Line {
        Line {
            toks: self.toks(p.into_inner()),
        }
    }

    /// The tokens of a line or list: a word with `call_args` right after it is a call.
    fn toks(&mut self, pairs: pest::iterators::Pairs<Rule>) -> Vec<Tok> {
        let mut toks: Vec<Tok> = Vec::new();
        for c in pairs {
            if c.as_rule() == Rule::call_args {
                let span = span_of(&c);
                let joined = matches!(toks.last(), Some(Tok::Word(w)) if w.end == span.start);
                let mut args = Vec::new();
                for a in c.into_inner() {
                    self.tok_into(a, &mut args);
                }
                // An arrow or a stray `>` in the arguments: no call.
                let plain = args
                    .iter()
                    .all(|a| !matches!(a, Tok::Arrow(_) | Tok::Junk(_)));
                if let (true, true, Some(Tok::Word(name))) = (joined, plain, toks.last().cloned()) {
                    toks.pop();
                    toks.push(Tok::Call {
                        name,
                        args,
                        span: Span::new(name.start, span.end),
                    });
                } else {
                    toks.push(Tok::Junk(Span::new(span.start, span.start + 1)));
                }
                continue;
            }
            self.tok_into(c, &mut toks);
        }
        toks
    }

    /// Pushes the token(s) of `p`: a word is split at `->` (see [`split_word`]).
    fn tok_into(&mut self, p: Pair<Rule>, toks: &mut Vec<Tok>) {
        if p.as_rule() == Rule::word {
            let span = p.as_span();
            split_word(span.as_str(), span.start(), toks);
        } else if let Some(t) = self.tok(p) {
            toks.push(t);
        }
    }

    fn tok(&mut self, p: Pair<Rule>) -> Option<Tok> {
        let span = span_of(&p);
        Some(match p.as_rule() {
            Rule::block => Tok::Block(self.body(p)),
            Rule::list => Tok::List(self.toks(p.into_inner()), span),
            Rule::string => Tok::Str(self.string(p)),
            Rule::eq => Tok::Eq(span),
            Rule::junk => Tok::Junk(span),
            Rule::word => Tok::Word(span),
            _ => {
                self.trivia_or_nothing(&p);
                return None;
            }
        })
    }

    /// A string token, escapes resolved.
    fn string(&mut self, p: Pair<Rule>) -> Scalar {
        let span = span_of(&p);
        let text = match p.into_inner().next() {
            Some(inner) if inner.as_rule() == Rule::raw_string => raw_text(inner.as_str()),
            Some(inner) => self.unescape(inner.as_str(), span_of(&inner)),
            None => String::new(),
        };
        self.carriable(&text, span);
        Scalar {
            text,
            quoted: true,
            span,
        }
    }

    /// Reports text that kustomize cannot carry (see [`crate::emit::yaml::uncarriable`]).
    fn carriable(&mut self, text: &str, sp: Span) {
        if let Some(c) = text.chars().find(|c| crate::emit::yaml::uncarriable(*c)) {
            self.diags.push(
                Diagnostic::new(
                    Code::UncarriableText,
                    sp,
                    format!(
                        "this string holds U+{:04X}, which `kubectl apply -k` cannot carry",
                        u32::from(c)
                    ),
                )
                .label("DEL, C1 controls, U+FFFE and U+FFFF cannot be written")
                .help(
                    "remove the character; docs/language.md lists the characters text cannot hold",
                ),
            );
        }
    }

    /// Resolves the escapes of a quoted string (`raw` includes the quotes).
    fn unescape(&mut self, raw: &str, sp: Span) -> String {
        let body = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        if !body.contains('\\') {
            return body.to_string();
        }
        let mut out = String::with_capacity(body.len());
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let at = sp.start + 1 + i;
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, '"')) => out.push('"'),
                Some((_, 'u')) => match unicode_escape(&mut chars) {
                    Some(ch) => out.push(ch),
                    None => self.diags.push(
                        Diagnostic::new(
                            Code::InvalidEscape,
                            Span::new(at, at + 2),
                            "invalid unicode escape",
                        )
                        .label("expected `\\u{HEX}` naming a character")
                        .help("write e.g. `\\u{e9}` for é"),
                    ),
                },
                Some((_, other)) => self.diags.push(
                    Diagnostic::new(
                        Code::InvalidEscape,
                        Span::new(at, at + 1 + other.len_utf8()),
                        format!("unknown escape `\\{other}`"),
                    )
                    .label("not an escape")
                    .help("write `\\\\` for a backslash, or use a raw string \"\"\"...\"\"\""),
                ),
                None => {}
            }
        }
        out
    }
}

/// The text of a raw string: without its quotes, a leading newline, and the
/// indentation common to its lines.
pub fn raw_text(raw: &str) -> String {
    let body = raw.get(3..raw.len().saturating_sub(3)).unwrap_or("");
    let body = body
        .strip_prefix("\r\n")
        .or_else(|| body.strip_prefix('\n'))
        .unwrap_or(body);
    let indent = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = body
        .lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect();
    // A closing `"""` on its own line leaves an indentation-only last line.
    if out.last().is_some_and(|l| l.trim().is_empty()) && !body.ends_with('\n') {
        out.pop();
        return out.join("\n") + "\n";
    }
    let mut s = out.join("\n");
    if body.ends_with('\n') {
        s.push('\n');
    }
    s
}

fn unicode_escape(chars: &mut std::iter::Peekable<std::str::CharIndices>) -> Option<char> {
    if chars.next()?.1 != '{' {
        return None;
    }
    let mut hex = String::new();
    for (_, c) in chars.by_ref() {
        if c == '}' {
            return u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
        }
        if hex.len() > 6 {
            return None;
        }
        hex.push(c);
    }
    None
}

/// The tokens of a word (pest reads `>` as a word character, so that no
/// rule looks ahead at every `-`): `->` is an arrow, any other `>` a stray
/// character, and the text between them words.
fn split_word(text: &str, at: usize, toks: &mut Vec<Tok>) {
    if !text.as_bytes().contains(&b'>') {
        toks.push(Tok::Word(Span::new(at, at + text.len())));
        return;
    }
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b != b'>' {
            continue;
        }
        let arrow = i > start && text.as_bytes().get(i - 1) == Some(&b'-');
        let end = if arrow { i - 1 } else { i };
        if end > start {
            toks.push(Tok::Word(Span::new(at + start, at + end)));
        }
        toks.push(if arrow {
            Tok::Arrow(Span::new(at + i - 1, at + i + 1))
        } else {
            Tok::Junk(Span::new(at + i, at + i + 1))
        });
        start = i + 1;
    }
    if start < text.len() {
        toks.push(Tok::Word(Span::new(at + start, at + text.len())));
    }
}
