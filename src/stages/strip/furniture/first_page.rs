//! The running header printed on the first page, where repetition alone does not find it: a
//! one-page document's header printed once above the text (Tika's text of a .docx), and the
//! first page's copy of a header that holds the page number under its lines, in text whose
//! pages end at those numbers (Tika's text of a PDF). See [`super`].

use super::super::page::{bare_number, edge_key, edge_key_into};
use super::doubled::doubled_first_line;
use super::Furniture;
use crate::report::Counts;
use crate::rules::Rule;
use crate::stages::Line;
use crate::text::is_line_space;

impl Furniture {
    /// A document of one page that ends with its page number and begins with a short line
    /// that stands again later on a line of its own (the issuing office, signed at the end):
    /// the first line is the running header, printed once above the text.
    pub(super) fn lone_header(lines: &mut [Line], counts: &mut Counts) {
        let Some(first) = lines.iter().position(|l| !l.text.is_empty()) else {
            return;
        };
        if lines[first].open || edge_key(&lines[first].text).is_none() {
            return;
        }
        // Not when the lines after it begin with a doubled line: a second cleaning would take
        // that line's first copy (a document beginning with three copies of a line, or `A`,
        // `B`, `B`, …, `A`, would lose one line more on each cleaning).
        if doubled_first_line(&lines[first + 1..]).is_some() {
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
}
