//! Lines of tokens → the AST, by the statement table: each line holds
//! statements led by their keywords, read by their signatures. A word that
//! is no keyword becomes a key (`KEY` or `KEY = value`), which the IR
//! accepts in configs and secrets and reports elsewhere. A statement that
//! does not read is reported with its usage, and the rest of its line is
//! skipped; everything else in the file is still read.

use super::sig::{Cap, Fail, Matcher};
use super::table::{self, Ctx, Row};
use super::tokens::{Body, Line, Tok};
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{Span, Spanned};
use crate::suggest;

pub struct Reader<'s> {
    pub source: &'s str,
    pub diags: Vec<Diagnostic>,
}

/// A statement read from a line: its row, keyword span, captures and span.
pub struct Read<'t> {
    pub row: &'static Row,
    pub keyword: Span,
    pub caps: Vec<Cap<'t>>,
    pub span: Span,
}

impl<'s> Reader<'s> {
    pub fn new(source: &'s str) -> Self {
        Reader {
            source,
            diags: Vec::new(),
        }
    }

    pub fn text(&self, span: Span) -> &'s str {
        self.source.get(span.range()).unwrap_or("")
    }

    pub fn matcher<'t>(&self, toks: &'t [Tok]) -> Matcher<'t, 's> {
        Matcher {
            source: self.source,
            toks,
            sig: &[],
        }
    }

    /// An option given twice in one statement (`delay 5s delay 6s`): the
    /// second would silently win (TF0106).
    fn options_once(&mut self, row: &'static Row, toks: &[Tok]) {
        let mut words: Vec<&'static str> = Vec::new();
        option_words(row.sig, &mut words);
        let mut seen: Vec<&str> = Vec::new();
        for t in toks {
            let Tok::Word(span) = t else { continue };
            let w = self.text(*span);
            if !words.contains(&w) {
                continue;
            }
            if seen.contains(&w) {
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateSetting,
                        *span,
                        format!("`{w}` is given twice in one `{}`", row.keyword),
                    )
                    .label("given again here")
                    .help(format!("keep one `{w}`")),
                );
            } else {
                seen.push(w);
            }
        }
    }

    /// Reads the keyword statement at `toks[at]` (keyword `kw` at `kw_span`;
    /// for `TARGET.KEYWORD` the token holds more), by the first of its rows
    /// that fits, the rows of `ctx` first. The index after it.
    pub fn statement<'t>(
        &mut self,
        kw: &str,
        kw_span: Span,
        toks: &'t [Tok],
        at: usize,
        ctx: Option<Ctx>,
    ) -> Result<(Read<'t>, usize), Box<Diagnostic>> {
        let mut best: Option<(Fail, &'static Row)> = None;
        for row in table::rows_for(kw, ctx) {
            let m = Matcher {
                source: self.source,
                toks,
                sig: row.sig,
            };
            let mut caps = Vec::new();
            match m.run(at + 1, &mut caps) {
                Ok(next) => {
                    let end = toks
                        .get(next.wrapping_sub(1))
                        .filter(|_| next > at + 1)
                        .map_or(kw_span.end, |t| t.span().end);
                    let span = Span::new(kw_span.start, end.max(kw_span.end));
                    self.options_once(row, toks.get(at + 1..next).unwrap_or_default());
                    return Ok((
                        Read {
                            row,
                            keyword: kw_span,
                            caps,
                            span,
                        },
                        next,
                    ));
                }
                Err(f) => {
                    if best.is_none_or(|(b, _)| f.at > b.at) {
                        best = Some((f, row));
                    }
                }
            }
        }
        let (fail, row) = best.ok_or_else(|| Box::new(self.unknown(kw, kw_span, ctx)))?;
        Err(Box::new(self.malformed(kw, kw_span, toks, fail, row)))
    }

    fn unknown(&self, kw: &str, span: Span, ctx: Option<Ctx>) -> Diagnostic {
        let valid = ctx
            .map(table::valid_in)
            .unwrap_or_else(|| table::KEYWORDS.to_vec());
        Diagnostic::new(
            Code::UnknownStatement,
            span,
            format!("unknown statement `{kw}`"),
        )
        .label("not a statement here")
        .maybe_help(suggest::did_you_mean(
            kw,
            valid.iter().copied(),
            "statements valid here",
        ))
    }

    /// The error of a statement that does not read: where, what was expected, the usage.
    fn malformed(
        &self,
        kw: &str,
        kw_span: Span,
        toks: &[Tok],
        fail: Fail,
        row: &Row,
    ) -> Diagnostic {
        let usage = format!("write it as: {kw} {}", table::show(row.sig))
            .trim_end()
            .to_string();
        let usage = match row.example {
            "" => usage,
            e => format!("{usage}, e.g. `{e}`"),
        };
        match toks.get(fail.at) {
            Some(t @ Tok::Junk(_)) => self.stray(t, &format!("this `{kw}` statement")),
            None => {
                let last = toks.last().map_or(kw_span, Tok::span);
                let last = if last.start < kw_span.start {
                    kw_span
                } else {
                    last
                };
                Diagnostic::new(
                    Code::SyntaxError,
                    last,
                    format!("incomplete `{kw}` statement"),
                )
                .label(format!("expected {} after this", fail.expected))
                .help(usage)
            }
            Some(t) => {
                let found = self.shown(t);
                let word = match t {
                    Tok::Word(s) => Some(self.text(*s)),
                    _ => None,
                };
                let help = match word
                    .filter(|w| table::is_keyword(w) && !table::is_own_word(row.sig, w))
                {
                    Some(w) => format!(
                        "`{w}` is a keyword; to use it as text, quote it: \"{w}\" ({usage})"
                    ),
                    None => usage,
                };
                Diagnostic::new(
                    Code::SyntaxError,
                    t.span(),
                    format!("cannot read this `{kw}` statement at {found}"),
                )
                .label(format!("expected {}", fail.expected))
                .help(help)
            }
        }
    }

    /// A token as shown in messages: its text, cut at 24 characters.
    pub fn shown(&self, t: &Tok) -> String {
        let text: String = match t {
            Tok::Block(_) => "{".to_string(),
            Tok::List(..) => "[".to_string(),
            t => self.text(t.span()).chars().take(24).collect(),
        };
        format!("`{text}`")
    }

    /// The diagnostic of a token that starts no statement (not a word).
    pub fn stray(&self, t: &Tok, what: &str) -> Diagnostic {
        if let Tok::Junk(s) = t {
            if let Some(c) = self.text(*s).chars().next().filter(|c| c.is_control()) {
                return Diagnostic::new(
                    Code::SyntaxError,
                    *s,
                    format!(
                        "a control character (U+{:04X}) is not allowed here",
                        u32::from(c)
                    ),
                )
                .label("invisible character")
                .help("remove it; only tabs and line breaks may appear outside strings");
            }
            if let Some(c) = self.text(*s).chars().next().filter(|c| !c.is_ascii()) {
                return Diagnostic::new(
                    Code::SyntaxError,
                    *s,
                    format!("unexpected `{c}` in {what}"),
                )
                .label("not expected here")
                .help(
                    "names and bare values are ASCII: letters, digits, `-`, `_`; quote other text",
                );
            }
        }
        Diagnostic::new(
            Code::SyntaxError,
            t.span(),
            format!("unexpected {} in {what}", self.shown(t)),
        )
        .label("not expected here")
        .help("each statement starts with its keyword; see docs/language.md")
    }

    /// The statements of a `{ }` block (or of an override whose target kind
    /// is not known: `ctx` None), and whether one was skipped.
    pub fn stmts(&mut self, body: &Body, ctx: Option<Ctx>) -> (Vec<Stmt>, bool) {
        let mut out = Vec::new();
        let mut recovered = false;
        for line in &body.lines {
            recovered |= self.stmt_line(line, ctx, &mut out);
        }
        (out, recovered)
    }

    /// The statements of one line; true when part of it was skipped.
    fn stmt_line(&mut self, line: &Line, ctx: Option<Ctx>, out: &mut Vec<Stmt>) -> bool {
        let toks = &line.toks;
        let mut at = 0;
        let mut after_key = false;
        while let Some(t) = toks.get(at) {
            let result = match t {
                // `replicas = 2`: a keyword written as a key; the IR says so.
                Tok::Word(s)
                    if table::is_keyword(self.text(*s))
                        && !matches!(toks.get(at + 1), Some(Tok::Eq(_))) =>
                {
                    let kw = self.text(*s);
                    self.statement(kw, *s, toks, at, ctx)
                        .map(|(mut read, next)| (self.stmt_of(&mut read, ctx), next))
                        .map_err(|d| *d)
                }
                Tok::Word(_) | Tok::Str(_) => Ok(self.key_or_entry(toks, at)),
                other => Err(self.stray(other, "this statement")),
            };
            match result {
                Ok((stmt, next)) => {
                    after_key = matches!(stmt.as_ref().map(|s| &s.kind), Some(StmtKind::Key(_)));
                    out.extend(stmt);
                    at = next.max(at + 1);
                }
                Err(d) => {
                    // `imagee api:2.0` reads as keys and then junk: the
                    // unknown key is reported later, once per line.
                    if !(after_key && ctx != Some(Ctx::Secret)) {
                        self.diags.push(d);
                    }
                    return true;
                }
            }
        }
        false
    }

    /// `KEY = value`, or a bare `KEY` (a secret's key, or an unknown word).
    pub fn key_or_entry(&mut self, toks: &[Tok], at: usize) -> (Option<Stmt>, usize) {
        let Some(t) = toks.get(at) else {
            return (None, at + 1);
        };
        let key = match t {
            Tok::Word(s) => Spanned::new(self.text(*s).to_string(), *s),
            Tok::Str(s) => s.spanned(),
            _ => return (None, at + 1),
        };
        let unquoted = matches!(t, Tok::Word(_));
        if unquoted && matches!(toks.get(at + 1), Some(Tok::Eq(_))) {
            let m = self.matcher(toks);
            if let Some((value, next)) = m.expr(at + 2) {
                let span = key.span.to(value.span);
                let kw = key.span;
                return (
                    Some(Stmt {
                        kw: None,
                        kind: StmtKind::Entry { key, value },
                        keyword: kw,
                        span,
                    }),
                    next,
                );
            }
        }
        let span = key.span;
        (
            Some(Stmt {
                kw: None,
                kind: StmtKind::Key(key),
                keyword: span,
                span,
            }),
            at + 1,
        )
    }

    /// `KEY = VALUE` pairs (keywords may be keys and values).
    pub fn map(&mut self, body: &Body) -> Vec<Pair> {
        let mut out = Vec::new();
        for line in &body.lines {
            let m = self.matcher(&line.toks);
            let mut at = 0;
            while at < line.toks.len() {
                let pair = (
                    m.value(at, table::KEYWORDS),
                    matches!(line.toks.get(at + 1), Some(Tok::Eq(_))),
                    m.value(at + 2, table::KEYWORDS),
                );
                match pair {
                    (Some(key), true, Some(value)) => {
                        out.push(Pair { key, value });
                        at += 3;
                    }
                    _ => {
                        let d = self.not_a_pair(&line.toks, at);
                        self.diags.push(d);
                        break;
                    }
                }
            }
        }
        out
    }

    fn not_a_pair(&self, toks: &[Tok], at: usize) -> Diagnostic {
        let start = toks.get(at).map_or(0, |t| t.span().start);
        let end = toks.last().map_or(start, |t| t.span().end);
        let span = Span::new(start, end);
        Diagnostic::new(
            Code::SyntaxError,
            span,
            format!("expected `KEY = VALUE`, found `{}`", self.text(span)),
        )
        .label("not a `KEY = VALUE` pair")
        .help("write each entry as `key = value`; quote values with spaces or special characters")
    }

    /// `KEY` and `KEY = VALUE` items of a selector.
    pub fn selector(&mut self, body: &Body) -> Vec<(Scalar, Option<Scalar>)> {
        let mut out = Vec::new();
        for line in &body.lines {
            let m = self.matcher(&line.toks);
            let mut at = 0;
            while at < line.toks.len() {
                let Some(key) = m.value(at, table::KEYWORDS) else {
                    let d = self.not_a_pair(&line.toks, at);
                    self.diags.push(d);
                    break;
                };
                if matches!(line.toks.get(at + 1), Some(Tok::Eq(_))) {
                    let Some(value) = m.value(at + 2, table::KEYWORDS) else {
                        let d = self.not_a_pair(&line.toks, at);
                        self.diags.push(d);
                        break;
                    };
                    out.push((key, Some(value)));
                    at += 3;
                } else {
                    out.push((key, None));
                    at += 1;
                }
            }
        }
        out
    }

    /// `NAME = value` and `CONFIG.KEY` items of `env { }`.
    pub fn env_group(&mut self, body: &Body) -> Vec<EnvForm> {
        let mut out = Vec::new();
        for line in &body.lines {
            let m = self.matcher(&line.toks);
            let mut at = 0;
            while at < line.toks.len() {
                let name = m.value(at, &[]);
                let assign = matches!(line.toks.get(at + 1), Some(Tok::Eq(_)));
                match (name, assign) {
                    (Some(n), true) => match m.expr(at + 2) {
                        Some((value, next)) => {
                            out.push(EnvForm::Assign {
                                name: n.spanned(),
                                value,
                            });
                            at = next;
                        }
                        None => {
                            let d = self.not_a_pair(&line.toks, at);
                            self.diags.push(d);
                            break;
                        }
                    },
                    (Some(n), false) if !n.quoted => {
                        out.push(EnvForm::Pick(n));
                        at += 1;
                    }
                    _ => {
                        let d = self.not_a_pair(&line.toks, at);
                        self.diags.push(d);
                        break;
                    }
                }
            }
        }
        out
    }
}

/// The words that lead options in a signature (`delay`, `remote`), less
/// any word it also uses otherwise and the options that add one more of
/// something (`header`).
fn option_words(sig: &'static [table::Sig], out: &mut Vec<&'static str>) {
    use table::Sig;
    let mut other: Vec<&'static str> = Vec::new();
    fn walk(sig: &'static [Sig], opts: &mut Vec<&'static str>, other: &mut Vec<&'static str>) {
        for s in sig {
            match s {
                Sig::Opts(list) => {
                    for (w, parts) in *list {
                        opts.push(w);
                        walk(parts, opts, other);
                    }
                }
                Sig::Opt(inner) => walk(inner, opts, other),
                Sig::Alt(alts) => alts.iter().for_each(|a| walk(a, opts, other)),
                Sig::Lit(w) => other.push(w),
                Sig::ValOr(_, ws) | Sig::Many(_, ws) => other.extend(ws.iter()),
                _ => {}
            }
        }
    }
    walk(sig, out, &mut other);
    out.retain(|w| !other.contains(w) && *w != "header");
}
