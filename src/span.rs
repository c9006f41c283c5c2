//! Source positions: byte ranges into one .taskflow file, shared by every phase.

use serde::Serialize;

/// A half-open byte range `start..end` in the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// This span shifted right by `offset` bytes.
    pub fn shift(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// A value together with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned::new(f(self.node), self.span)
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.node
    }
}

/// Line and column (both 1-based) of a byte offset, counting columns in
/// characters. For many offsets into one source, build a [`LineIndex`].
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(source).line_col(source, offset)
}

/// The start of every line of a source, built once, so that finding the
/// line of an offset takes a binary search instead of a scan.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Whether each line is ASCII, where a column is a byte count.
    ascii: Vec<bool>,
    len: usize,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
                ascii.push(line_ascii);
                line_ascii = true;
            } else if !b.is_ascii() {
                line_ascii = false;
            }
        }
        ascii.push(line_ascii);
        LineIndex {
            starts,
            ascii,
            len: source.len(),
        }
    }

    /// The 0-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1)
    }

    /// The byte range of a 0-based line, without its line break.
    pub fn line_range(&self, source: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(self.len);
        let mut end = self.starts.get(line + 1).map_or(self.len, |s| s - 1);
        if end > start && source.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// Line and column (both 1-based, the column in characters) of an offset.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(source.len());
        let line = self.line(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let col = if self.ascii.get(line).copied().unwrap_or(false) {
            offset - start
        } else {
            source.get(start..offset).map_or(0, |s| s.chars().count())
        };
        (line + 1, col + 1)
    }

    /// The column of an offset in UTF-16 code units (0-based), as editors count.
    pub fn utf16_col(&self, source: &str, offset: usize) -> usize {
        let offset = offset.min(source.len());
        let start = self.starts.get(self.line(offset)).copied().unwrap_or(0);
        source
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum())
    }
}
