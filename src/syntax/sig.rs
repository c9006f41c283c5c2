//! Reading a statement's tokens by its signature (from the table): which
//! token is which argument, or the furthest place it went wrong and what
//! was expected there.

use super::table::{self, Body, Sig};
use super::tokens::{Body as Lines, Tok};
use crate::ast::{Scalar, Term, Value};
use crate::span::Span;

/// One matched part of a signature.
#[derive(Clone, Debug)]
pub enum Cap<'t> {
    /// A value (`Val`, `ValOr`, one of `Many`).
    Val(Scalar),
    /// A value expression (`Expr`) or a command (`Cmd`).
    Value(Value),
    /// A literal word or operator, as written.
    Lit(&'static str),
    /// A `{ }` block, read later by what it holds.
    Block(&'t Lines),
    /// Taken by the AST builder.
    Taken,
}

/// Where reading stopped, and what it wanted there.
#[derive(Clone, Copy, Debug)]
pub struct Fail {
    /// The index of the token it stopped at (the line's length at its end).
    pub at: usize,
    pub expected: Expect,
    /// Past a word that chose this form (`delay`, `emptydir`): no other
    /// form is tried, so the error is about the form that was written.
    pub hard: bool,
}

impl Fail {
    fn further(self, other: Fail) -> Fail {
        if other.at > self.at { other } else { self }
    }

    fn hard(self) -> Fail {
        Fail { hard: true, ..self }
    }
}

/// What a signature wanted where it stopped.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// A part, as the usage names it (`PORT`, `` `->` ``).
    Part(&'static str),
    /// One of the forms of an alternative.
    Forms(&'static [&'static [Sig]]),
}

impl std::fmt::Display for Expect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expect::Part(p) => f.write_str(p),
            Expect::Forms(forms) => {
                let firsts: Vec<String> = forms
                    .iter()
                    .filter_map(|a| a.first())
                    .map(|s| match s {
                        Sig::Lit(w) => format!("`{w}`"),
                        other => table::show(std::slice::from_ref(other)),
                    })
                    .collect();
                match firsts.as_slice() {
                    [] => f.write_str("a value"),
                    [one] => f.write_str(one),
                    [init @ .., last] => write!(f, "{} or {last}", init.join(", ")),
                }
            }
        }
    }
}

fn fail(at: usize, expected: &'static str) -> Fail {
    Fail {
        at,
        expected: Expect::Part(expected),
        hard: false,
    }
}

/// Reads the tokens of one statement.
pub struct Matcher<'t, 's> {
    pub source: &'s str,
    pub toks: &'t [Tok],
    /// The statement's signature, whose own words are never taken as values.
    pub sig: &'static [Sig],
}

type Caps<'t> = Vec<Cap<'t>>;

/// What remains to match after the current sequence: a chain of frames on
/// the stack, so that backtracking allocates nothing.
#[derive(Clone, Copy)]
struct K<'k> {
    seq: &'static [Sig],
    next: Option<&'k K<'k>>,
}

impl<'t> Matcher<'t, '_> {
    fn text(&self, span: Span) -> &str {
        self.source.get(span.range()).unwrap_or("")
    }

    fn word_at(&self, i: usize) -> Option<(&str, Span)> {
        match self.toks.get(i) {
            Some(Tok::Word(s)) => Some((self.text(*s), *s)),
            _ => None,
        }
    }

    /// Matches the statement's signature from token `at`; the index after it.
    pub fn run(&self, at: usize, caps: &mut Caps<'t>) -> Result<usize, Fail> {
        self.seq(self.sig, None, at, caps)
    }

    /// Matches `seq`, then what `k` holds (continuations make `Opt` and
    /// `Alt` backtrack over the rest of the signature).
    fn seq(
        &self,
        seq: &'static [Sig],
        k: Option<&K>,
        at: usize,
        caps: &mut Caps<'t>,
    ) -> Result<usize, Fail> {
        let Some((s, tail)) = seq.split_first() else {
            return match k {
                Some(k) => self.seq(k.seq, k.next, at, caps),
                None => Ok(at),
            };
        };
        let next = K { seq: tail, next: k };
        match s {
            Sig::Opt(inner) => {
                let mark = caps.len();
                match self.seq(inner, Some(&next), at, caps) {
                    Ok(p) => Ok(p),
                    Err(f1) if f1.hard => Err(f1),
                    Err(f1) => {
                        caps.truncate(mark);
                        self.seq(tail, k, at, caps).map_err(|f2| f1.further(f2))
                    }
                }
            }
            Sig::Alt(alts) => self.alt(alts, &next, at, caps),
            Sig::Opts(opts) => match self.option(opts, at) {
                Some((word, parts)) => {
                    caps.push(Cap::Lit(word));
                    // The option, then the options again, then the rest.
                    let again = K {
                        seq: std::slice::from_ref(s),
                        next: Some(&next),
                    };
                    self.seq(parts, Some(&again), at + 1, caps)
                        .map_err(Fail::hard)
                }
                None => self.seq(tail, k, at, caps),
            },
            Sig::Many(name, allowed) => {
                let mut p = at;
                while let Some(v) = self.value(p, allowed) {
                    caps.push(Cap::Val(v));
                    p += 1;
                }
                if p == at {
                    return Err(fail(at, name));
                }
                self.seq(tail, k, p, caps)
            }
            // A word of the statement, once read, chooses its form: what
            // follows is not tried another way.
            Sig::Lit(_) => {
                let p = self.one(s, at, caps)?;
                self.seq(tail, k, p, caps).map_err(Fail::hard)
            }
            _ => {
                let p = self.one(s, at, caps)?;
                self.seq(tail, k, p, caps)
            }
        }
    }

    /// The first alternative that reads, then the rest.
    fn alt(
        &self,
        alts: &'static [&'static [Sig]],
        next: &K,
        at: usize,
        caps: &mut Caps<'t>,
    ) -> Result<usize, Fail> {
        let mut best = Fail {
            at,
            expected: Expect::Forms(alts),
            hard: false,
        };
        for a in alts {
            let mark = caps.len();
            match self.seq(a, Some(next), at, caps) {
                Ok(p) => return Ok(p),
                Err(f) if f.hard => return Err(f),
                Err(f) => {
                    caps.truncate(mark);
                    best = best.further(f);
                }
            }
        }
        Err(best)
    }

    /// The option whose word is at `at`, if any.
    fn option(
        &self,
        opts: &'static [(&'static str, &'static [Sig])],
        at: usize,
    ) -> Option<(&'static str, &'static [Sig])> {
        let (w, _) = self.word_at(at)?;
        opts.iter().find(|(o, _)| *o == w).copied()
    }

    /// A part that reads one token (or a `+` expression).
    fn one(&self, s: &Sig, at: usize, caps: &mut Caps<'t>) -> Result<usize, Fail> {
        let fail = |expected| fail(at, expected);
        match s {
            Sig::Val(name) => {
                let v = self.value(at, &[]).ok_or(fail(name))?;
                caps.push(Cap::Val(v));
                Ok(at + 1)
            }
            Sig::Num(name) => {
                let v = self
                    .value(at, &[])
                    .filter(|v| {
                        v.text
                            .starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c))
                    })
                    .ok_or(fail(name))?;
                caps.push(Cap::Val(v));
                Ok(at + 1)
            }
            Sig::ValOr(name, allowed) => {
                let v = self.value(at, allowed).ok_or(fail(name))?;
                caps.push(Cap::Val(v));
                Ok(at + 1)
            }
            Sig::Lit(w) => {
                let span = match (self.toks.get(at), *w) {
                    (Some(Tok::Arrow(s)), "->") | (Some(Tok::Eq(s)), "=") => *s,
                    (Some(Tok::Word(s)), w) if self.text(*s) == w => *s,
                    _ => return Err(fail(lit_expected(w))),
                };
                let _ = span;
                caps.push(Cap::Lit(w));
                Ok(at + 1)
            }
            Sig::Cmd(name) => match self.toks.get(at) {
                Some(t @ (Tok::List(..) | Tok::Str(_))) => {
                    let span = t.span();
                    let term = self.term(t).ok_or(fail(name))?;
                    caps.push(Cap::Value(Value {
                        terms: vec![term],
                        span,
                    }));
                    Ok(at + 1)
                }
                _ => Err(fail("a list `[...]` or a string")),
            },
            Sig::Expr(name) => {
                let (value, p) = self.expr(at).ok_or(fail(name))?;
                caps.push(Cap::Value(value));
                Ok(p)
            }
            Sig::Block(_) | Sig::OptBlock(_) => match self.toks.get(at) {
                Some(Tok::Block(b)) => {
                    caps.push(Cap::Block(b));
                    Ok(at + 1)
                }
                _ if matches!(s, Sig::OptBlock(_)) => Ok(at),
                _ => Err(fail(block_expected(s))),
            },
            Sig::Opt(_) | Sig::Alt(_) | Sig::Opts(_) | Sig::Many(..) => Err(fail("a value")),
        }
    }

    /// The token at `at` as a value: a string, or a word that is not a
    /// keyword (unless allowed) nor one of the statement's own words.
    pub fn value(&self, at: usize, allowed: &[&str]) -> Option<Scalar> {
        match self.toks.get(at)? {
            Tok::Str(s) => Some(s.clone()),
            Tok::Word(span) => {
                let w = self.text(*span);
                let reserved = (table::is_keyword(w) || table::is_own_word(self.sig, w))
                    && !allowed.contains(&w);
                (!reserved).then(|| Scalar {
                    text: w.to_string(),
                    quoted: false,
                    span: *span,
                })
            }
            _ => None,
        }
    }

    /// A value expression from `at`: terms joined by `+`.
    pub fn expr(&self, at: usize) -> Option<(Value, usize)> {
        let mut terms = Vec::new();
        let mut p = at;
        loop {
            let t = self.toks.get(p)?;
            let term = match t {
                Tok::Word(_) | Tok::Str(_) => Term::Scalar(self.value(p, &[])?),
                _ => self.term(t)?,
            };
            terms.push(term);
            p += 1;
            let plus = matches!(self.word_at(p), Some(("+", _)));
            if !plus || self.toks.get(p + 1).is_none() {
                break;
            }
            p += 1;
        }
        let start = terms.first().map(Term::span)?.start;
        let end = terms.last().map(Term::span)?.end;
        Some((
            Value {
                terms,
                span: Span::new(start, end),
            },
            p,
        ))
    }

    /// One term: a string, word, call or list.
    pub fn term(&self, t: &Tok) -> Option<Term> {
        Some(match t {
            Tok::Str(s) => Term::Scalar(s.clone()),
            Tok::Word(span) => Term::Scalar(Scalar {
                text: self.text(*span).to_string(),
                quoted: false,
                span: *span,
            }),
            Tok::Call { name, args, span } => Term::Call {
                name: crate::span::Spanned::new(self.text(*name).to_string(), *name),
                args: args
                    .iter()
                    .filter_map(|a| match self.term(a)? {
                        Term::Scalar(s) => Some(s),
                        _ => None,
                    })
                    .collect(),
                span: *span,
            },
            Tok::List(items, span) => Term::List(self.list(items), *span),
            _ => return None,
        })
    }

    /// The items of a list: values, each terms joined by `+`.
    fn list(&self, items: &[Tok]) -> Vec<Value> {
        let m = Matcher {
            source: self.source,
            toks: items,
            sig: &[],
        };
        let mut out = Vec::new();
        let mut p = 0;
        while p < items.len() {
            match m.list_item(p) {
                Some((v, next)) => {
                    out.push(v);
                    p = next;
                }
                None => p += 1,
            }
        }
        out
    }

    fn list_item(&self, at: usize) -> Option<(Value, usize)> {
        let mut terms = vec![self.term(self.toks.get(at)?)?];
        let mut p = at + 1;
        while matches!(self.word_at(p), Some(("+", _))) {
            let Some(t) = self.toks.get(p + 1).and_then(|t| self.term(t)) else {
                break;
            };
            terms.push(t);
            p += 2;
        }
        let span = Span::new(
            terms.first().map(Term::span)?.start,
            terms.last().map(Term::span)?.end,
        );
        Some((Value { terms, span }, p))
    }
}

fn lit_expected(w: &'static str) -> &'static str {
    match w {
        "->" => "`->`",
        "=" => "`=`",
        "at" => "`at`",
        _ => "a keyword of this statement",
    }
}

fn block_expected(s: &Sig) -> &'static str {
    match s {
        Sig::Block(Body::Map | Body::Selector) => "`{`",
        _ => "a `{ ... }` block",
    }
}
