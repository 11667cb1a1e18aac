//! The running header printed on the first page, where repetition alone does not find it: a
//! one-page document's header printed once above the text (Tika's text of a .docx), and the
//! first page's copy of a header that holds the page number under its lines, in text whose
//! pages end at those numbers (Tika's text of a PDF). See [`super`], and
//! `docs/tika-docx-headers.md` for what Tika writes of a .docx's header and footer.

use super::super::page::{bare_number, edge_key, edge_key_into};
use super::doubled::doubled_first_line;
use super::{Furniture, EDGE_LINES};
use crate::report::Counts;
use crate::rules::Rule;
use crate::stages::Line;
use crate::text::is_line_space;

impl Furniture {
    /// A document of one page that ends with its page number and begins with a short line
    /// that stands again later on a line of its own (the issuing office, signed at the end):
    /// the first line is the running header, printed once above the text.
    pub(super) fn lone_header(lines: &mut [Line], gap: usize, counts: &mut Counts) {
        let Some(first) = lines.iter().position(|l| !l.text.is_empty()) else {
            return;
        };
        if lines[first].open || edge_key(&lines[first].text).is_none() {
            return;
        }
        // Not when the lines after it begin with a doubled line: a second cleaning would take
        // that line's first copy (a document beginning with three copies of a line, or `A`,
        // `B`, `B`, …, `A`, would lose one line more on each cleaning).
        if doubled_first_line(&lines[first + 1..], gap).is_some() {
            return;
        }
        let text = lines[first].text.trim_matches(is_line_space);
        let again = lines[first + 1..]
            .iter()
            .any(|l| !l.open && l.text.trim_matches(is_line_space) == text);
        if again {
            Self::remove(&mut lines[first], Rule::RunningHeader, counts);
        }
    }

    /// The first page's own header, in text without form feeds whose header holds the page
    /// number under its lines (Tika's text of a PDF): each page after the first ends at the
    /// next page's header and number, so the first page, closed by `2`, ends with a copy of
    /// the header (`used`, the keys just removed from its foot) and opens with its own copy
    /// above `1`. Its first lines go when they are exactly that: the header's lines in the
    /// same order, then `1` — a title that merely repeats a footer's text has no `1` under it.
    pub(super) fn first_header_above_one(
        &mut self,
        lines: &mut [Line],
        used: &[String],
        counts: &mut Counts,
    ) {
        if used.is_empty() || !self.is_next(1) {
            return;
        }
        let texts: Vec<usize> = (0..lines.len())
            .filter(|&i| !lines[i].text.is_empty())
            .take(used.len() + 1)
            .collect();
        let Some((&number_at, header_at)) = texts.split_last() else {
            return;
        };
        let mut key = String::new();
        let header_matches = header_at.len() == used.len()
            && header_at.iter().zip(used.iter().rev()).all(|(&i, wanted)| {
                !lines[i].open && edge_key_into(&lines[i].text, &mut key) && key == *wanted
            });
        let number = &lines[number_at];
        if !header_matches || number.open || bare_number(&number.text) != Some(1) {
            return;
        }
        for &i in header_at {
            Self::remove(&mut lines[i], Rule::RunningHeader, counts);
        }
        Self::remove(&mut lines[number_at], Rule::PageNumber, counts);
        self.page_found(1);
    }

    /// Tika's text of a .docx whose header holds the page number under its lines: Tika prints
    /// the header once, above the text, with the number Word cached for it (`- 1 -`, `第 1 页
    /// 共 4 页`), each a paragraph, nothing between them and the text. A page's number stands
    /// at its edge, never between a title and the text: the lines right above it at the top
    /// of the document are the header's. The number ended the first page where it stands:
    /// `held` is that page (its number's empty line last), and the lines go when they are at
    /// most [`EDGE_LINES`] short lines (no sentence) with nothing between them, and the next
    /// line of text comes right under the number (no empty line between: `next_follows`).
    ///
    /// The page-number rule removes a decorated number wherever it stands, so a second
    /// cleaning never sees the evidence this decision took, and keeps what it kept. A bare
    /// `1` under the first lines is left alone for that reason: kept, it stays for a second
    /// cleaning, which would see the lines around it as reflow leaves them (joined, blank
    /// lines dropped, other page numbers gone) and could decide otherwise.
    pub(super) fn header_above_number_on_top(
        &self,
        held: &mut [Line],
        next_follows: bool,
        counts: &mut Counts,
    ) {
        let Some((number, header)) = held.split_last_mut() else {
            return;
        };
        let first = header.iter().position(|l| !l.text.is_empty());
        let on_top = self.pages == 1 && self.last_page == Some(1) && number.text.is_empty();
        if let Some(first) = first.filter(|_| next_follows && on_top) {
            if Self::header_lines(&header[first..]) {
                for line in &mut header[first..] {
                    Self::remove(line, Rule::RunningHeader, counts);
                }
            }
        }
    }

    /// Tika's text of a .docx whose header holds a bare page number under its lines (`1`, the
    /// footer empty): the header printed once, above the title, its lines then `1`, and the
    /// empty footer printed last, an empty line after the text. A bare `1` under a short line
    /// is also a chapter's number under a book's title, so the header's first line must stand
    /// again later on a line of its own (the office that signs, as for [`Self::lone_header`]),
    /// and the document must have no other page number. Empty lines between them do not
    /// matter (cleaned text has none), and nothing is taken when the lines after the number
    /// begin the same way again, or with a doubled line: a second cleaning would take those.
    ///
    /// The caller asks for the gap at the end, which cleaned text never has: a second cleaning
    /// never applies this rule, so lines the first kept stay, whatever the first cleaning
    /// removed around them (the page numbers and form feeds the output no longer holds, on
    /// which an earlier form of the rule decided: the fuzz finding
    /// `header-above-a-bare-one-with-a-page-label-the-output-drops`).
    pub(super) fn header_above_bare_one(lines: &mut [Line], gap: usize, counts: &mut Counts) {
        let Some((header, number)) = bare_one_under_header(lines) else {
            return;
        };
        let rest = &lines[number + 1..];
        if bare_one_under_header(rest).is_some() || doubled_first_line(rest, gap).is_some() {
            return;
        }
        let first = lines[header[0]].text.trim_matches(is_line_space);
        let again = rest
            .iter()
            .any(|l| !l.open && l.text.trim_matches(is_line_space) == first);
        if !again {
            return;
        }
        for i in header {
            Self::remove(&mut lines[i], Rule::RunningHeader, counts);
        }
        Self::remove(&mut lines[number], Rule::PageNumber, counts);
    }

    /// Are these the lines a header holds: one to [`EDGE_LINES`] short lines that are no
    /// sentence (`page::edge_key`), one after the other with no empty line between?
    fn header_lines(lines: &[Line]) -> bool {
        (1..=EDGE_LINES).contains(&lines.len())
            && lines
                .iter()
                .all(|l| !l.open && !l.text.is_empty() && edge_key(&l.text).is_some())
    }
}

/// The document's first lines of text when they are one to [`EDGE_LINES`] short lines (no
/// sentence, no number) and then a bare `1` with a line of text after it: the header lines'
/// indices and the number's.
fn bare_one_under_header(lines: &[Line]) -> Option<(Vec<usize>, usize)> {
    let texts: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].text.is_empty())
        .take(EDGE_LINES + 2)
        .collect();
    let at = texts
        .iter()
        .position(|&i| !lines[i].open && bare_number(&lines[i].text) == Some(1))?;
    let header = &texts[..at];
    let text_follows = texts.len() > at + 1;
    let header_lines = (1..=EDGE_LINES).contains(&header.len())
        && header.iter().all(|&i| {
            let line = &lines[i];
            !line.open && edge_key(&line.text).is_some() && bare_number(&line.text).is_none()
        });
    (header_lines && text_follows).then(|| (header.to_vec(), texts[at]))
}
