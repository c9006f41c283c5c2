//! The part of a source one diagnostic shows: the lines its labels touch
//! (with a one-line gap filled and longer gaps marked), each long line cut to
//! a window around its labels, and control characters replaced. It is a
//! codespan-reporting file of its own, whose line and column numbers are
//! those of the whole source.

use super::super::Diagnostic;
use crate::span::{LineIndex, Span};
use codespan_reporting::files::{Error, Files};
use std::ops::Range;

/// Lines up to this many bytes are shown whole.
const WHOLE_LINE: usize = 240;
/// Bytes shown on each side of the labels of a long line.
const MARGIN: usize = 60;
/// The most bytes shown of a long line.
const WINDOW: usize = 400;
const CUT: &str = "…";

/// One line of the excerpt.
struct Line {
    /// The line number in the source (1-based).
    number: usize,
    /// Where it starts in the excerpt text.
    start: usize,
    /// The source bytes shown, and how many marker bytes precede them.
    shown: Range<usize>,
    lead: usize,
    /// The column (1-based, in characters) of `shown.start` in the source.
    column: usize,
    /// The source line this is (None for the filler of a gap).
    source_line: Option<usize>,
}

pub struct Excerpt {
    name: String,
    text: String,
    lines: Vec<Line>,
}

impl Excerpt {
    pub fn new(name: &str, source: &str, index: &LineIndex, d: &Diagnostic) -> Excerpt {
        let spans: Vec<Span> = std::iter::once(d.primary.span)
            .chain(d.secondary.iter().map(|l| l.span))
            .collect();
        let mut wanted: Vec<usize> = spans
            .iter()
            .flat_map(|s| [index.line(s.start), index.line(s.end)])
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut x = Excerpt {
            name: name.to_string(),
            text: String::new(),
            lines: Vec::new(),
        };
        let mut prev: Option<usize> = None;
        for &l in &wanted {
            match prev.map(|p| l - p) {
                Some(2) => x.push_line(source, index, l - 1, &spans),
                Some(gap) if gap > 2 => {
                    x.push_filler(l - gap + 2);
                    x.push_filler(l);
                }
                _ => {}
            }
            x.push_line(source, index, l, &spans);
            prev = Some(l);
        }
        x
    }

    /// A line of the source, cut to a window around the labels on it.
    fn push_line(&mut self, source: &str, index: &LineIndex, l: usize, spans: &[Span]) {
        let range = index.line_range(source, l);
        let (from, to) = window(source, &range, spans);
        let (_, column) = index.line_col(source, from);
        let start = self.text.len();
        let lead = if from > range.start { CUT.len() } else { 0 };
        if lead > 0 {
            self.text.push_str(CUT);
        }
        // Control characters become `?`, one per byte, so offsets still map.
        for c in source.get(from..to).unwrap_or("").chars() {
            if c.is_control() && c != '\t' {
                (0..c.len_utf8()).for_each(|_| self.text.push('?'));
            } else {
                self.text.push(c);
            }
        }
        if to < range.end {
            self.text.push_str(CUT);
        }
        self.text.push('\n');
        self.lines.push(Line {
            number: l + 1,
            start,
            shown: from..to,
            lead,
            column,
            source_line: Some(l),
        });
    }

    /// An empty line standing for a gap, so that codespan marks the break.
    fn push_filler(&mut self, number: usize) {
        self.lines.push(Line {
            number,
            start: self.text.len(),
            shown: 0..0,
            lead: 0,
            column: 1,
            source_line: None,
        });
        self.text.push('\n');
    }

    /// A source span as a range of the excerpt.
    pub fn map(&self, index: &LineIndex, span: Span) -> Range<usize> {
        let a = self.offset(index, span.start);
        let b = self.offset(index, span.end).max(a);
        a..b
    }

    fn offset(&self, index: &LineIndex, o: usize) -> usize {
        let want = index.line(o);
        match self.lines.iter().find(|l| l.source_line == Some(want)) {
            Some(l) => l.start + l.lead + o.clamp(l.shown.start, l.shown.end) - l.shown.start,
            None => 0,
        }
    }

    fn line_start(&self, i: usize) -> Result<usize, Error> {
        match self.lines.get(i) {
            Some(l) => Ok(l.start),
            None if i == self.lines.len() => Ok(self.text.len()),
            None => Err(Error::LineTooLarge {
                given: i,
                max: self.lines.len(),
            }),
        }
    }
}

/// The bytes of a line to show: all of a short line, else a window around
/// the label ends on it, on character boundaries.
fn window(source: &str, line: &Range<usize>, spans: &[Span]) -> (usize, usize) {
    if line.end - line.start <= WHOLE_LINE {
        return (line.start, line.end);
    }
    let on_line: Vec<usize> = spans
        .iter()
        .flat_map(|s| [s.start, s.end])
        .filter(|o| line.contains(o) || *o == line.end)
        .collect();
    let lo = on_line.iter().copied().min().unwrap_or(line.start);
    let hi = on_line.iter().copied().max().unwrap_or(line.start);
    let mut from = lo.saturating_sub(MARGIN).max(line.start);
    let mut to = (hi + MARGIN).min(from + WINDOW).min(line.end);
    while from > line.start && !source.is_char_boundary(from) {
        from -= 1;
    }
    while to < line.end && !source.is_char_boundary(to) {
        to += 1;
    }
    (from, to)
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .partition_point(|l| l.start <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(self.lines.get(line_index).map_or_else(
            || self.lines.last().map_or(1, |l| l.number + 1),
            |l| l.number,
        ))
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let Some(l) = self.lines.get(line_index) else {
            return Ok(1);
        };
        let from = l.start + l.lead;
        let shown = self.text.get(from..byte_index.max(from)).unwrap_or("");
        Ok(l.column + shown.chars().count())
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        Ok(self.line_start(line_index)?..self.line_start(line_index + 1)?)
    }
}
