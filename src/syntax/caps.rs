//! The captures of a statement, taken in order by the AST builder.

use super::sig::Cap;
use super::tokens::Body;
use crate::ast::*;
use crate::span::Spanned;

/// Walks the captures of a statement in order, taking them.
pub struct Caps<'c, 't> {
    caps: &'c mut [Cap<'t>],
    at: usize,
}

impl<'c, 't> Caps<'c, 't> {
    pub fn new(caps: &'c mut [Cap<'t>]) -> Self {
        Caps { caps, at: 0 }
    }

    pub fn take(&mut self) -> Option<Cap<'t>> {
        let c = self
            .caps
            .get_mut(self.at)
            .map(|c| std::mem::replace(c, Cap::Taken));
        self.at += 1;
        c
    }

    pub fn peek(&self) -> Option<&Cap<'t>> {
        self.caps.get(self.at)
    }

    /// The next value, skipping nothing.
    pub fn val(&mut self) -> Option<Scalar> {
        match self.peek()? {
            Cap::Val(_) => match self.take()? {
                Cap::Val(s) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn vals(&mut self) -> Vec<Scalar> {
        let mut v = Vec::new();
        while let Some(s) = self.val() {
            v.push(s);
        }
        v
    }

    pub fn value(&mut self) -> Option<Value> {
        match self.take()? {
            Cap::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Puts back the word `lit` took.
    pub fn unread(&mut self) {
        self.at = self.at.saturating_sub(1);
    }

    pub fn lit(&mut self) -> Option<&'static str> {
        let w = match self.peek()? {
            Cap::Lit(w) => *w,
            _ => return None,
        };
        self.at += 1;
        Some(w)
    }

    pub fn block(&mut self) -> Option<&'t Body> {
        match self.peek()? {
            Cap::Block(b) => {
                let b = *b;
                self.at += 1;
                Some(b)
            }
            _ => None,
        }
    }

    /// `WORD VALUE` options until the captures end.
    pub fn options(&mut self) -> Vec<(&'static str, Option<Scalar>)> {
        let mut out = Vec::new();
        while let Some(w) = self.lit() {
            out.push((w, self.val()));
        }
        out
    }
}

pub fn name_of(s: Scalar) -> Spanned<String> {
    Spanned::new(s.text, s.span)
}
