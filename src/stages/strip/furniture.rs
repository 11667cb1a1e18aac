//! Page furniture: what the page layout added around the text, found by a page model.
//!
//! The window holds one page of lines at a time — from one page boundary to the next — and
//! decides what it holds when the page ends. Page boundaries are form feeds, decorated
//! page-number lines ([`super::page`]) and, in text without either, bare climbing numbers alone
//! between blank lines.
//!
//! - `page-number`: a decorated page-number line, wherever it stands alone; a bare number (`3`,
//!   `3/10`) only at a page edge: the last (or, after a form feed, the first) line of a page when
//!   it is the next page number, or, in text without form feeds, alone between blank lines, the
//!   next page number and a page worth of text after the previous one — so a `3` in a numbered
//!   table stays. Right under a line, such a number needs a wider gap after it and an earlier
//!   page number (Tika's text of a PDF sets it under the page's footnotes); at the end of the
//!   document, an empty line after it (Tika's text of a .docx prints the footer once, under
//!   the text).
//! - `running-header`: a short line at a page edge that also stood at that edge of the page
//!   before or after it (equal without spaces; digits may differ only in a line about pages,
//!   `第3页`), on the pages of that run (a line at the edges of pages far apart is
//!   text, such as a document that repeats its content). Only the lines
//!   at the very edge go, each at most once per edge, and only while every line between it and
//!   the edge is furniture too: a line is never removed for standing next to a page number. The
//!   first page's copy of a running header goes too (it printed above the title; where the
//!   header holds the page number under it and the pages end at those numbers, the copy goes
//!   only with the `1` under it, `first_page`). A document whose first lines (at most two
//!   short ones) stand right above a decorated page number `1`, with the text right under it,
//!   loses them: Tika's text of a .docx whose header holds the page number prints the header
//!   once, above the text, and a page's number stands at its edge, never between a title and
//!   the text (`first_page`); above a bare `1`, only when the first of them also stands later
//!   on a line of its own (the office that signs), no other page number stands, and the
//!   document ends with a gap (the empty footer Tika prints last; cleaned text never ends so,
//!   so a second cleaning never takes what the first kept). A document
//!   whose first two lines are the same short line (Tika prints a Word header once, above the
//!   title it repeats) loses the first; decided on the lines as they come out, after the other
//!   removals, as a second cleaning sees them.
//! - `footnote` / `footnote-marker`: the footnote block at a page foot and the reference numbers
//!   pointing at it ([`super::footnotes`]).
//!
//! Running headers are learned from the first batch of the document before any line is
//! released ([`Furniture::learn`]), and on the way from page to page.
//!
//! A removed line leaves an empty line behind, and so does a form feed: the page-break signal the
//! reflow stage joins across. A document without page structure passes through unchanged. At most
//! one page, capped at [`MAX_PAGE_BYTES`], is held back; a longer "page" is no page, and its
//! first lines are released as they come.

mod doubled;
mod edge;
mod first_page;
mod notes;

use super::page::{
    bare_number, decorated_page_number, edge_key_into, labelled_bare_number, may_be_page_number,
    split_form_feeds,
};

use crate::report::Counts;
use crate::rules::Rule;
use crate::stages::Line;
use crate::text::{is_han, is_line_space};
use doubled::{doubled_first_line, TEXTS_READ};
use edge::Edge;

/// The least text, in characters, between two bare page numbers (or before the first one) in a
/// document without form feeds: a page.
const MIN_PAGE_CHARS: usize = 150;
/// How many lines at each page edge may be running headers or footers.
const EDGE_LINES: usize = 2;
/// The most bytes of lines held back for one page: a printed page holds a few KiB of text, so a
/// longer stretch without a page boundary is no page (and the lines held stay few enough for
/// the driver to recycle their buffers).
pub const MAX_PAGE_BYTES: usize = 64 * 1024;
/// What stays held when a page outgrows the window: its last lines, for its foot.
const KEEP_LINES: usize = 16;
const KEEP_BYTES: usize = 8 * 1024;
/// The most lines held back at the document's start waiting for the lines of text the doubled-first-line
/// rule reads ([`TEXTS_READ`]).
const MAX_OPENING_LINES: usize = 4096;

/// The rules the page model applies (each one a rule of its own).
#[derive(Clone, Copy, Debug, Default)]
pub struct FurnitureRules {
    pub page_numbers: bool,
    pub running_headers: bool,
    pub footnotes: bool,
    pub footnote_markers: bool,
}

impl FurnitureRules {
    pub fn any(&self) -> bool {
        self.page_numbers || self.running_headers || self.footnotes || self.footnote_markers
    }
}

/// How a page ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Boundary {
    FormFeed,
    PageNumber,
    End,
}

/// The Han characters in a text: what a removal takes from the document.
pub fn han_count(text: &str) -> u64 {
    text.chars().filter(|c| is_han(*c)).count() as u64
}

/// The streaming part: lines in, lines out, page furniture replaced by empty lines.
#[derive(Debug, Default)]
pub struct Furniture {
    rules: FurnitureRules,
    /// The page being read: the lines since the last page boundary.
    page: Vec<Line>,
    page_bytes: usize,
    /// A bare number after a gap (its index in `page`), waiting to see whether a gap follows.
    pending: Option<(usize, u32)>,
    /// How many empty lines must follow the pending number: a gap, or a wider one for a
    /// number with no gap before it ([`Furniture::gap_after_a_number_under_text`]).
    pending_gap: usize,
    /// The page outgrew the window: its first lines are already released.
    flushed: bool,
    /// The page began at a form feed.
    after_form_feed: bool,
    /// Pages ended so far.
    pages: usize,
    /// A page boundary was seen: the document has pages.
    structured: bool,
    last_page: Option<u32>,
    /// A page number was found on the page being read.
    number_on_page: bool,
    chars_since_page: usize,
    top: Edge,
    bottom: Edge,
    last_footnote: Option<u32>,
    /// The first page, ended by its page number, held until what follows is known.
    deferred: Option<Vec<Line>>,
    /// Pages end at form feeds ([`Furniture::expect_form_feeds`]).
    form_feeds: bool,
    /// A gap is two empty lines, not one ([`Furniture::with_blank_line_output`]).
    blank_separated: bool,
    /// The lines released so far while the document's first lines of text are not all out
    /// ([`Furniture::settle_opening`]).
    opening: Vec<Line>,
    /// The doubled-first-line rule is decided (or off).
    opening_done: bool,
}

/// How many empty lines (not open pieces) come right before `end` in `lines`.
fn empty_run_before(lines: &[Line], end: usize) -> usize {
    lines[..end]
        .iter()
        .rev()
        .take_while(|l| l.text.is_empty() && !l.open)
        .count()
}

impl Furniture {
    pub fn new(rules: FurnitureRules) -> Self {
        Furniture {
            rules,
            opening_done: !rules.running_headers,
            ..Furniture::default()
        }
    }

    /// The output's paragraphs are a blank line apart (`--blank-line`): one blank line then
    /// says nothing about pages, since cleaning puts one between any two paragraphs — a bare
    /// number the first cleaning kept as the last paragraph stands alone between blank lines in
    /// its output. A gap takes two empty lines (as reflow's page break does then), which
    /// cleaned text never has, so a second cleaning takes no number the first kept.
    pub fn with_blank_line_output(mut self, blank_line: bool) -> Self {
        self.blank_separated = blank_line;
        self
    }

    /// How many empty lines make a gap.
    fn gap_lines(&self) -> usize {
        if self.blank_separated {
            2
        } else {
            1
        }
    }

    pub fn rules(&self) -> FurnitureRules {
        self.rules
    }

    /// Learns the running headers and footers of the first batch (raw lines: form feeds inside,
    /// indentation not yet stripped) before any of it is released.
    pub fn learn(&mut self, first_batch: &[Line]) {
        if !self.rules.running_headers {
            return;
        }
        let mut scout = Furniture::new(self.rules).with_blank_line_output(self.blank_separated);
        // It learns the edges only: what it releases is thrown away. It reads the pages as the
        // stage will: where pages end at form feeds, a page number under a header at the top
        // of each page ends no page (else the header lines and the body would take turns as
        // "pages", and no header would stand on two pages in a row).
        scout.opening_done = true;
        scout.form_feeds = self.form_feeds;
        let mut sink = Vec::new();
        let mut counts = Counts::default();
        for line in first_batch {
            // An empty line yields no piece, yet it is a gap the scout must see as the stage
            // does: text without form feeds has its pages ended by a bare number between gaps.
            if line.text.is_empty() {
                scout.push(Line::default(), &mut sink, &mut counts);
                sink.clear();
                continue;
            }
            for piece in split_form_feeds(&line.text) {
                if piece == "\u{000C}" {
                    scout.form_feed(&mut sink, &mut counts);
                } else {
                    let text = piece.trim_matches(is_line_space);
                    let line = Line {
                        open: line.open,
                        ..Line::new(text)
                    };
                    scout.push(line, &mut sink, &mut counts);
                }
                sink.clear();
            }
        }
        // The batch may end inside a page: only the pages it ended are evidence.
        self.top.learn_from(scout.top);
        self.bottom.learn_from(scout.bottom);
    }

    /// How many running headers and footers are known.
    pub fn header_count(&self) -> usize {
        self.top.known_count() + self.bottom.known_count()
    }

    /// A form feed: the page ends; an empty line marks the break.
    pub fn form_feed(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        let start = out.len();
        self.page_break(out, counts);
        self.settle_opening(out, start, false, counts);
    }

    fn page_break(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        if !self.rules.any() {
            out.push(Line::default());
            return;
        }
        self.pending = None;
        self.release_deferred(false, out, counts);
        self.close_page(Boundary::FormFeed, None, out, counts);
        out.push(Line::default());
        self.after_form_feed = true;
    }

    /// One line of text (already stripped of markers and indentation).
    pub fn push(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        let start = out.len();
        self.push_line(line, out, counts);
        // Asked here, not in the call: past the document's opening lines (nearly every line)
        // the call is all it would cost.
        if !self.opening_done {
            self.settle_opening(out, start, false, counts);
        }
    }

    fn push_line(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        if !self.rules.any() {
            return out.push(line);
        }
        if line.open || line.text.is_empty() {
            return self.add(line, out, counts);
        }
        if let Some(mut held) = self.deferred.take() {
            // The first page ended at its number; this line comes right under it or after a gap.
            let next_follows = self.page.is_empty();
            self.header_above_number_on_top(&mut held, next_follows, counts);
            self.deferred = Some(held);
        }
        self.release_deferred(false, out, counts);
        // A bare number alone between gaps that climbs is a page boundary.
        if let Some((index, n)) = self.pending.take() {
            let gap_after = self.page.len().saturating_sub(index + 1) >= self.pending_gap;
            if gap_after && self.is_climbing(n) {
                let rest = self.page.split_off(index + 1);
                if let Some(number) = self.page.pop() {
                    self.close_page(Boundary::PageNumber, Some((number, n)), out, counts);
                }
                for blank in rest {
                    self.add(blank, out, counts);
                }
            }
        }
        let may_be_number = may_be_page_number(&line.text); // most lines are none, by their ends
        let decorated = may_be_number.then(|| decorated_page_number(&line.text));
        if let Some(n) = decorated.flatten() {
            if self.form_feeds && self.rules.page_numbers {
                // Pages end at form feeds: the number ends no page where it stands (a header
                // that holds the page number prints it below the header's lines, at the top).
                counts.add(Rule::PageNumber, 1);
                counts.add_han(Rule::PageNumber, han_count(&line.text));
                self.page_found(n);
                return self.add(Line::default(), out, counts);
            }
            return self.close_page(Boundary::PageNumber, Some((line, n)), out, counts);
        }
        if may_be_number && self.rules.page_numbers && !self.form_feeds {
            let needed_gap = if self.after_gap() {
                Some(self.gap_lines())
            } else {
                self.gap_after_a_number_under_text()
            };
            if let Some(needed_gap) = needed_gap {
                // A footer of the office's name and a bare number on one line (Tika's text of
                // a PDF) is one in the same company.
                let number = bare_number(&line.text).or_else(|| labelled_bare_number(&line.text));
                if let Some(n) = number {
                    self.pending = Some((self.page.len(), n));
                    self.pending_gap = needed_gap;
                }
            }
        }
        self.add(line, out, counts);
    }

    /// End of the document: the last page ends.
    pub fn finish(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        let start = out.len();
        if self.rules.any() {
            self.pending = None;
            self.release_deferred(true, out, counts);
            self.close_page(Boundary::End, None, out, counts);
        }
        self.settle_opening(out, start, true, counts);
    }

    /// The doubled-first-line rule, on the document's first lines of text as they come out
    /// (after every other removal), not as they went in: cleaning again sees them so. Running
    /// headers removed from the top of the first two pages, or a first page emptied by them,
    /// can leave two copies of a line first (the fuzz finding: `�` + form feed + `�` `�` `�`),
    /// which a second cleaning would take for a header printed once above the title. The lines
    /// `out` got from `start` on are held here until the lines of text the rule reads (or the end) are out.
    fn settle_opening(
        &mut self,
        out: &mut Vec<Line>,
        start: usize,
        at_end: bool,
        counts: &mut Counts,
    ) {
        if self.opening_done {
            return;
        }
        self.opening.extend(out.drain(start..));
        let texts = self.opening.iter().filter(|l| !l.text.is_empty()).count();
        let too_many = self.opening.len() > MAX_OPENING_LINES;
        if texts < TEXTS_READ && !at_end && !too_many {
            return;
        }
        // Too many empty lines to wait for the lines of text the rule reads through: the rule is not
        // applied (a second cleaning, whose input has them dropped, may see three copies).
        if !too_many {
            if let Some(copy) = doubled_first_line(&self.opening, self.gap_lines()) {
                for line in &mut self.opening[copy] {
                    if !line.text.is_empty() {
                        Self::remove(line, Rule::RunningHeader, counts);
                    }
                }
            }
        }
        out.append(&mut self.opening);
        self.opening_done = true;
    }

    /// Was the last thing seen a gap (empty lines, or a page boundary)?
    fn after_gap(&self) -> bool {
        let empty = empty_run_before(&self.page, self.page.len());
        empty >= self.gap_lines()
            || (empty == self.page.len() && (self.pages > 0 || self.after_form_feed))
    }

    /// A number right under a line of text, in text without form feeds, may end a page all
    /// the same once pages are known to end at bare numbers: Tika's text of a PDF sets the
    /// page number right under the page's footnotes (`1 参见…`, `2`), then the empty lines
    /// that end every page. The evidence asked is then more than a gap after it: one empty
    /// line more (cleaned text has no empty lines, so a second cleaning sees no such number),
    /// and, as for any bare number, the next page number a page of text after the previous
    /// one. The empty lines the number needs after it; `None` before any page number.
    fn gap_after_a_number_under_text(&self) -> Option<usize> {
        self.last_page.map(|_| self.gap_lines() + 1)
    }

    fn add(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        if self.chars_since_page < MIN_PAGE_CHARS && !line.text.is_empty() {
            self.chars_since_page += line.text.chars().count();
        }
        self.page_bytes += line.text.len();
        self.page.push(line);
        if self.page_bytes > MAX_PAGE_BYTES {
            self.overflow(out, counts);
        }
    }

    /// The page outgrew the window: release all but its last lines.
    fn overflow(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        self.release_deferred(false, out, counts);
        if !self.flushed {
            let mut lines = std::mem::take(&mut self.page);
            self.strip_top(&mut lines, counts);
            self.page = lines;
            self.flushed = true;
        }
        let mut keep = 0;
        let mut kept_bytes = 0;
        for line in self.page.iter().rev() {
            if keep == KEEP_LINES || kept_bytes + line.text.len() > KEEP_BYTES {
                break;
            }
            keep += 1;
            kept_bytes += line.text.len();
        }
        let release = self.page.len() - keep;
        self.pending = match self.pending {
            Some((index, n)) if index >= release => Some((index - release, n)),
            _ => None,
        };
        out.extend(self.page.drain(..release));
        self.page_bytes = kept_bytes;
    }

    fn page_found(&mut self, n: u32) {
        self.last_page = Some(n);
        self.number_on_page = true;
        self.chars_since_page = 0;
        self.structured = true;
    }

    /// The next page number after the last one (or a first one: 1, or the page's place, a
    /// cover page unnumbered).
    fn is_next(&self, n: u32) -> bool {
        match self.last_page {
            Some(previous) => n == previous + 1,
            None => n == 1 || n as usize == self.pages + 1,
        }
    }

    /// The document's pages end at form feeds (seen in its first batch): page numbers stand at
    /// page edges, and a bare number between blank lines inside a page is no page boundary.
    pub fn expect_form_feeds(&mut self) {
        self.form_feeds = true;
    }

    /// A bare number in text without form feeds: the next page number, a page of text after
    /// the previous one.
    fn is_climbing(&self, n: u32) -> bool {
        self.chars_since_page >= MIN_PAGE_CHARS
            && match self.last_page {
                Some(previous) => n == previous + 1,
                None => (1..=3).contains(&n),
            }
    }

    fn remove(line: &mut Line, rule: Rule, counts: &mut Counts) {
        counts.add(rule, 1);
        counts.add_han(rule, han_count(&line.text));
        *line = Line::default();
    }

    /// Running headers at the top of the page (the doubled first line of a document is decided
    /// as the lines come out, [`Self::settle_opening`]).
    fn strip_top(&mut self, lines: &mut [Line], counts: &mut Counts) {
        if self.rules.running_headers {
            let used = self.top.strip(self.pages, lines.iter_mut(), counts);
            self.top.strip_displaced(self.pages, lines, &used, counts);
        }
    }

    /// Ends the page: decides what it holds and releases it.
    fn close_page(
        &mut self,
        boundary: Boundary,
        number: Option<(Line, u32)>,
        out: &mut Vec<Line>,
        counts: &mut Counts,
    ) {
        let mut lines = std::mem::take(&mut self.page);
        self.page_bytes = 0;
        let has_text = lines.iter().any(|l| !l.text.is_empty());
        if boundary != Boundary::End {
            self.structured = true;
        }
        let paged = self.structured;
        // A single page ending in its page number: perhaps a whole document printed with its
        // header and footer once (Tika's text of a .docx), decided when what follows is known.
        let single = has_text
            && self.pages == 0
            && !self.flushed
            && self.last_page.is_none()
            && self.rules.running_headers;
        if has_text {
            if self.rules.page_numbers && number.is_none() {
                let before = self.last_page;
                // Taken before a number removed at the foot leaves its empty line there.
                let ends_with_gap = empty_run_before(&lines, lines.len()) >= self.gap_lines();
                self.edge_numbers(&mut lines, boundary, counts);
                if single && boundary == Boundary::End {
                    if self.last_page != before {
                        Self::lone_header(&mut lines, self.gap_lines(), counts);
                    } else if self.last_page.is_none() && !self.form_feeds && ends_with_gap {
                        Self::header_above_bare_one(&mut lines, self.gap_lines(), counts);
                    }
                }
            }
            if paged && self.rules.running_headers {
                self.learn_page(&lines);
                // The last page of numbered pages, without a number of its own, ends at no
                // footer: its numbers stood under the header, at the top of the next page, so
                // its last line is text (the office signing, the same words as the header).
                let unnumbered_end =
                    boundary == Boundary::End && self.last_page.is_some() && !self.number_on_page;
                let used = if unnumbered_end {
                    Vec::new()
                } else {
                    self.strip_bottom(&mut lines, counts)
                };
                let closed_by = number.as_ref().map(|(_, n)| *n);
                if self.pages == 0 && !self.flushed && closed_by == Some(2) {
                    self.first_header_above_one(&mut lines, &used, counts);
                }
            }
            if !self.flushed {
                self.strip_top(&mut lines, counts);
                let unnumbered = number.is_none() && !self.number_on_page;
                if self.rules.page_numbers && unnumbered && boundary == Boundary::FormFeed {
                    self.number_under_header(&mut lines, counts);
                }
            }
            if paged && (self.rules.footnotes || self.rules.footnote_markers) {
                self.footnotes(&mut lines, counts);
            }
            self.pages += 1;
        }
        let deferred = single && boundary == Boundary::PageNumber;
        let target = if deferred {
            self.deferred.insert(Vec::new())
        } else {
            &mut *out
        };
        target.append(&mut lines);
        // Give the vector back: its capacity serves the next page.
        self.page = lines;
        self.flushed = false;
        self.after_form_feed = false;
        let target = match self.deferred.as_mut() {
            Some(held) if deferred => held,
            _ => out,
        };
        if let Some((line, n)) = number {
            if self.rules.page_numbers {
                counts.add(Rule::PageNumber, 1);
                counts.add_han(Rule::PageNumber, han_count(&line.text));
                target.push(Line::default());
            } else {
                target.push(line);
            }
            self.page_found(n);
        }
        self.number_on_page = false;
    }

    /// Releases a first page held back to see whether the document ends with it.
    fn release_deferred(&mut self, at_end: bool, out: &mut Vec<Line>, counts: &mut Counts) {
        if let Some(mut held) = self.deferred.take() {
            if at_end && self.page.iter().all(|l| l.text.is_empty()) {
                Self::lone_header(&mut held, self.gap_lines(), counts);
            }
            out.append(&mut held);
        }
    }

    /// A bare page number at the foot of the page (or at its head after a form feed).
    fn edge_numbers(&mut self, lines: &mut [Line], boundary: Boundary, counts: &mut Counts) {
        let Some(last) = lines.iter().rposition(|l| !l.text.is_empty()) else {
            return;
        };
        if let Some(n) = (!lines[last].open)
            .then(|| {
                let text = &lines[last].text;
                bare_number(text).or_else(|| labelled_bare_number(text))
            })
            .flatten()
        {
            let empty = empty_run_before(lines, last);
            let gap_before = empty >= self.gap_lines() || (empty == last && self.pages > 0);
            // A page that ends at a form feed, or the last page of a paged document, ends at
            // its edge; text without pages needs the evidence a bare number gets mid-text.
            // Without a gap before it, a number ending unpaged text stays: cleaned text has no
            // blank lines, so taking it would make a second cleaning take what the first kept.
            // Unless a gap follows it at the end of the document, which cleaned text has not
            // either: Tika's text of a .docx prints the footer once, after the text (`1`, or
            // the office and `1`), then an empty line.
            let empty_after = lines.len() - (last + 1);
            let gap_after = empty_after >= self.gap_lines();
            let isolated = gap_before || (boundary == Boundary::End && gap_after);
            let found = if boundary == Boundary::FormFeed || self.structured {
                self.is_next(n)
            } else {
                isolated && self.is_climbing(n)
            };
            if found {
                Self::remove(&mut lines[last], Rule::PageNumber, counts);
                self.page_found(n);
                return;
            }
        }
        if self.after_form_feed && !self.flushed {
            if let Some(first) = lines.iter().position(|l| !l.text.is_empty()) {
                let n = (!lines[first].open)
                    .then(|| bare_number(&lines[first].text))
                    .flatten();
                if let Some(n) = n.filter(|n| self.is_next(*n)) {
                    Self::remove(&mut lines[first], Rule::PageNumber, counts);
                    self.page_found(n);
                }
            }
        }
    }

    /// A bare page number at the head of a page that ends at a form feed, below the running
    /// headers removed above it (a Word header that holds the page number under its lines):
    /// the page's first line left, when it is the next page number and the page has no other.
    fn number_under_header(&mut self, lines: &mut [Line], counts: &mut Counts) {
        let Some(first) = lines.iter().position(|l| !l.text.is_empty()) else {
            return;
        };
        let line = &lines[first];
        let n = (!line.open).then(|| bare_number(&line.text)).flatten();
        if let Some(n) = n.filter(|n| self.is_next(*n)) {
            Self::remove(&mut lines[first], Rule::PageNumber, counts);
            self.page_found(n);
        }
    }

    /// Notes the lines at this page's edges, to find those that repeat.
    fn learn_page(&mut self, lines: &[Line]) {
        let page = self.pages;
        let texts = lines.iter().filter(|l| !l.text.is_empty() && !l.open);
        // A short page has its edges to itself: its top lines are not its bottom lines.
        let edge = (texts.clone().count() / 2).clamp(1, EDGE_LINES);
        let mut key = String::new();
        if !self.flushed {
            for (depth, line) in texts.clone().take(edge).enumerate() {
                if edge_key_into(&line.text, &mut key) {
                    self.top.note(&key, &line.text, page, depth);
                }
            }
        }
        for (depth, line) in texts.rev().take(edge).enumerate() {
            if edge_key_into(&line.text, &mut key) {
                self.bottom.note(&key, &line.text, page, depth);
            }
        }
    }

    /// Running footers at the foot of the page, from the edge inwards; the keys removed.
    fn strip_bottom(&mut self, lines: &mut [Line], counts: &mut Counts) -> Vec<String> {
        self.bottom
            .strip(self.pages, lines.iter_mut().rev(), counts)
    }
}

#[cfg(test)]
mod tests;
