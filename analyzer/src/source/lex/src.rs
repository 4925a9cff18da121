//! The text being scanned, with a line table: byte offsets, lines and columns, identifiers.

use std::cell::Cell;

/// The text being scanned, with a line table to turn proc-macro2's (line, char column) into
/// byte offsets without allocating.
#[derive(Debug)]
pub(crate) struct Src<'s> {
    pub text: &'s str,
    /// The line table, built on first use (the fast path's planning never needs the whole
    /// file's).
    lines: std::cell::OnceCell<Lines>,
    /// Last (line, column, byte) converted on a non-ASCII line: scans usually move forward,
    /// so restarting from here keeps long non-ASCII lines linear.
    cursor: Cell<(usize, usize, usize)>,
    /// For the fast path's text, whose cuts keep one newline of many: the line each of its
    /// lines is in the file.
    map: Option<&'s LineMap>,
}

/// Where the lines of a text with runs of lines taken out are in the text they came from:
/// from each `(line, shift)` on (1-based, in the shorter text), a line is `shift` lines further
/// down in the original, until the next entry.
#[derive(Debug, Default)]
pub(crate) struct LineMap {
    shifts: Vec<(u32, u32)>,
}

impl LineMap {
    /// From `line` on, lines sit `removed` more lines further down than before it.
    pub fn push(&mut self, line: u32, removed: u32) {
        let shift = self.shifts.last().map_or(0, |s| s.1) + removed;
        match self.shifts.last_mut() {
            Some(last) if last.0 == line => last.1 = shift,
            _ => self.shifts.push((line, shift)),
        }
    }

    /// The original line of `line`.
    pub fn line(&self, line: u32) -> u32 {
        let k = self.shifts.partition_point(|s| s.0 <= line);
        line + k.checked_sub(1).map_or(0, |k| self.shifts[k].1)
    }
}

#[derive(Debug)]
struct Lines {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Whether each line is pure ASCII (column == byte offset within the line).
    ascii: Vec<bool>,
}

impl Lines {
    fn of(text: &str) -> Lines {
        let b = text.as_bytes();
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', b) {
            ascii.push(b[start..nl].is_ascii());
            start = nl + 1;
            starts.push(start);
        }
        ascii.push(b[start..].is_ascii());
        Lines { starts, ascii }
    }
}

impl<'s> Src<'s> {
    pub fn new(text: &'s str) -> Self {
        Src {
            text,
            lines: std::cell::OnceCell::new(),
            cursor: Cell::new((0, 0, 0)),
            map: None,
        }
    }

    /// A text whose lines are reported where `map` says they were.
    pub fn mapped(text: &'s str, map: &'s LineMap) -> Self {
        Src {
            map: Some(map),
            ..Src::new(text)
        }
    }

    /// The line a finding reports for `line` of this text (1-based; a proc-macro2 span's or
    /// a token's): where it is in the file.
    pub fn report_line(&self, line: u32) -> u32 {
        self.map.map_or(line, |m| m.line(line))
    }

    fn lines(&self) -> &Lines {
        self.lines.get_or_init(|| Lines::of(self.text))
    }

    /// Byte offset of a 1-based line and 0-based char column (proc-macro2's convention).
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let lines = self.lines();
        let Some(&start) = lines.starts.get(line.wrapping_sub(1)) else {
            return self.text.len();
        };
        if lines.ascii[line - 1] {
            return (start + col).min(self.text.len());
        }
        let (cl, cc, cb) = self.cursor.get();
        let (mut chars, mut byte) = if cl == line && cc <= col {
            (cc, cb)
        } else {
            (0, start)
        };
        let rest = &self.text[byte..];
        for ch in rest.chars() {
            if chars == col || ch == '\n' {
                break;
            }
            chars += 1;
            byte += ch.len_utf8();
        }
        self.cursor.set((line, chars, byte));
        byte
    }

    pub fn span_offset(&self, span: proc_macro2::Span) -> usize {
        let lc = span.start();
        self.offset(lc.line, lc.column)
    }

    /// (1-based line, 0-based char column) of a byte offset, the line as a finding reports
    /// it ([`Src::report_line`]).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (line, col) = self.line_col_here(offset);
        (self.report_line(line as u32) as usize, col)
    }

    /// [`Src::line_col`] with the line in this text.
    pub fn line_col_here(&self, offset: usize) -> (usize, usize) {
        let lines = self.lines();
        let line = lines.starts.partition_point(|&s| s <= offset);
        let start = lines.starts[line.saturating_sub(1)];
        let col = if lines.ascii[line.saturating_sub(1)] {
            offset - start
        } else {
            self.text[start..offset].chars().count()
        };
        (line, col)
    }

    /// The identifier starting at `offset`, without a raw `r#` prefix.
    pub fn ident_at(&self, offset: usize) -> &'s str {
        let text = self.text;
        let start = if text[offset..].starts_with("r#") {
            offset + 2
        } else {
            offset
        };
        let b = text.as_bytes();
        let mut end = start;
        while b
            .get(end)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
        {
            end += 1;
        }
        if b.get(end).is_some_and(|&c| c >= 0x80) {
            // a non-ASCII character: Unicode decides whether it continues the identifier
            end += text[end..]
                .char_indices()
                .find(|&(_, c)| !(c == '_' || c.is_alphanumeric()))
                .map_or(text.len() - end, |(i, _)| i);
        }
        &text[start..end]
    }

    /// The text of an identifier syn or proc-macro2 lexed from this source.
    pub fn ident(&self, ident: &proc_macro2::Ident) -> &'s str {
        self.ident_at(self.span_offset(ident.span()))
    }
}
