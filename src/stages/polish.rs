//! Stage 5, polish: punctuation width and spacing by context, after conversion.
//!
//! - `punct-width`: text that went through NFKC has `, : ; ( ) ! ?` half-width inside Chinese.
//!   They become `，：；（）！？` when a Han character or full-width punctuation is on at least one
//!   side; parentheses are decided as a pair (`(2021-2025年)` → `（2021-2025年）`, `(一)` →
//!   `（一）`). Never between two digits (`3,000`, `12:30`), inside a URL or an e-mail address, or
//!   in an all-ASCII run (`f(x)`, `Hello, world`).
//! - `list-marker-space`: the space after a list marker at the start of a line goes when Chinese
//!   follows: `1. 按照` → `1.按照`, `（一） 加强` → `（一）加强`. An ideographic space after
//!   `第一条` is the standard layout and stays.
//! - `cjk-ascii-space`: a space between a Han character or full-width punctuation and an ASCII
//!   letter, digit or `%` goes: `关于 2021 年` → `关于2021年`, `学习强国 APP 学习` →
//!   `学习强国APP学习`. Spaces between two ASCII words stay (`GB 50180`, `Windows 10`), and so do
//!   spaces between two Chinese characters (`总理 李克强`).
//!
//! - `quote-space`: a space between a quotation mark or bracket and Chinese text goes — what PDF
//!   font switching leaves (`推进 “一网通办 ”改革` → `推进“一网通办”改革`, `《 条例 》`,
//!   `〔 2019〕`, `（ 一 ）`). Spaces between a mark and English stay (`“Hello” said`,
//!   `f (x)`), and so do spaces between two quotation marks.
//!
//! All four assume Chinese typography: a Japanese or Korean paragraph (`crate::text::language`)
//! keeps its punctuation and spaces as written (Korean puts spaces between words and writes
//! `大韓民國(대한민국)` with half-width parentheses).
//!
//! Runs after conversion: conversion may change the neighbouring characters, and its dictionaries
//! expect the original punctuation.

use std::borrow::Cow;
use std::ops::ControlFlow;
use std::sync::LazyLock;

use crate::report::{Counts, Facts};
use crate::rules::{Rule, RuleSet};
use crate::stages::repair::no_sign_after_rewrite;
use crate::stages::strip::markers::ends_inside_marker;
use crate::stages::{one_for_one_push, Line, LineStage};
use crate::text::language::Language;
use crate::text::nibble_pairs::{visit_nibble_pairs, NibblePairs, NibbleProduct, ANY_NIBBLE};
use crate::text::{is_cjk_punct, is_han, visit_positions_in_ranges};
use list_marker::list_marker_spaces;
pub use list_marker::tighten_list_marker;

mod list_marker;

fn is_chinese(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '(' => '（',
        ')' => '）',
        '!' => '！',
        '?' => '？',
        _ => return None,
    })
}

/// Byte ranges of URLs and e-mail addresses: a run of non-space ASCII with `://`, `www.` or `@`.
fn protected_ranges(line: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    // Whole-line byte searches first: a run holds one of these only if the line does, and
    // most lines hold none (testing every run of ASCII instead costs three searches a comma).
    let bytes = line.as_bytes();
    let has_at = |i: usize, needle: &[u8]| bytes[i..].starts_with(needle);
    if memchr::memchr(b'@', bytes).is_none()
        && !memchr::memchr_iter(b':', bytes).any(|i| has_at(i, b"://"))
        && !memchr::memchr_iter(b'w', bytes).any(|i| has_at(i, b"www."))
    {
        return ranges;
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_graphic() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_graphic() {
                i += 1;
            }
            let run = &line[start..i];
            if run.contains("://") || run.contains("www.") || run.contains('@') {
                // A URL does not end with the sentence's own punctuation.
                let end = start
                    + run
                        .trim_end_matches([',', ';', ':', '!', '?', ')', '.'])
                        .len();
                ranges.push(start..end);
            }
        } else {
            i += 1;
        }
    }
    ranges
}

/// What is next to a mark on one side: the edge of the line, a character that widening never
/// changes, or another mark (whose character may change).
#[derive(Clone, Copy, Debug)]
enum Neighbour {
    Edge,
    Fixed(char),
    Mark(usize),
}

/// A punctuation mark widening looks at: a half-width mark, or a full-width parenthesis (which
/// a half-width one may pair with).
#[derive(Clone, Copy, Debug)]
struct Mark {
    byte: usize,
    original: char,
    now: char,
    before: Neighbour,
    after: Neighbour,
}

/// The half-width marks `! ( ) , : ; ?` as byte ranges for [`visit_positions_in_ranges`]. They are
/// ASCII, so no byte of a longer character can be taken for one.
const ASCII_MARKS: [(u8, u8); 5] = [(b'!', 1), (b'(', 2), (b',', 1), (b':', 2), (b'?', 1)];

/// [`ASCII_MARKS`] and the space, each followed by any byte, for [`marks_and_spaces`]: the
/// bytes `20 21 28 29 2C` and `3A 3B 3F`, two products of nibble sets.
const MARKS_AND_SPACE: NibblePairs = NibblePairs::new(&[
    NibbleProduct {
        lead_high: 1 << 0x2,
        lead_low: 1 << 0x0 | 1 << 0x1 | 1 << 0x8 | 1 << 0x9 | 1 << 0xC,
        next_high: ANY_NIBBLE,
        next_low: ANY_NIBBLE,
    },
    NibbleProduct {
        lead_high: 1 << 0x3,
        lead_low: 1 << 0xA | 1 << 0xB | 1 << 0xF,
        next_high: ANY_NIBBLE,
        next_low: ANY_NIBBLE,
    },
]);

/// Does `line` hold a half-width mark of [`ASCII_MARKS`] (what widening acts on), and an ASCII
/// space (what the rules after it take away)? A line of Chinese mostly holds neither, which one
/// pass for both says (two searches cost it twice), until it has found both. The pass looks
/// the bytes up by their nibbles, sixty-four a step (`visit_nibble_pairs`): every paragraph
/// is read to its end here, and a comparison of each block of sixteen with five ranges cost
/// three times as much a byte.
fn marks_and_spaces(line: &str) -> (bool, bool) {
    let bytes = line.as_bytes();
    let (mut mark, mut space) = (false, false);
    let _ = visit_nibble_pairs(bytes, &MARKS_AND_SPACE, |at| {
        if bytes[at] == b' ' {
            space = true;
        } else {
            mark = true;
        }
        if mark && space {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    (mark, space)
}

/// `（` and `）`, searched for as wholes.
static FULL_WIDTH_PARENTHESES: LazyLock<[memchr::memmem::Finder<'static>; 2]> =
    LazyLock::new(|| ["（", "）"].map(|p| memchr::memmem::Finder::new(p.as_bytes()).into_owned()));

/// The marks of `line` with their neighbours, in order. Only the marks are decoded (and the
/// characters next to them), not the line: widening changes nothing else.
///
/// Full-width parentheses are marks only in a line with a half-width one: they matter only as
/// its partner. Elsewhere a mark next to one sees it as a fixed neighbour, which it is.
fn punctuation_marks(line: &str) -> Vec<Mark> {
    let bytes = line.as_bytes();
    let mut at = Vec::new();
    let _ = visit_positions_in_ranges(bytes, &ASCII_MARKS, |byte| {
        at.push(byte);
        ControlFlow::Continue(())
    });
    if at.iter().any(|&byte| matches!(bytes[byte], b'(' | b')')) {
        for finder in FULL_WIDTH_PARENTHESES.iter() {
            at.extend(finder.find_iter(bytes));
        }
        at.sort_unstable();
    }
    let mut marks: Vec<Mark> = Vec::with_capacity(at.len());
    for byte in at {
        let mark = match bytes[byte] {
            b if b.is_ascii() => char::from(b),
            // （ is EF BC 88, ） EF BC 89.
            _ if bytes[byte + 2] == 0x88 => '（',
            _ => '）',
        };
        let before = match marks.last() {
            _ if byte == 0 => Neighbour::Edge,
            Some(last) if last.byte + last.original.len_utf8() == byte => {
                Neighbour::Mark(marks.len() - 1)
            }
            _ => Neighbour::Fixed(line[..byte].chars().next_back().expect("byte > 0")),
        };
        marks.push(Mark {
            byte,
            original: mark,
            now: mark,
            before,
            after: Neighbour::Edge,
        });
    }
    // The character after each mark: the next mark when they touch.
    for k in 0..marks.len() {
        let end = marks[k].byte + marks[k].original.len_utf8();
        marks[k].after = match marks.get(k + 1) {
            Some(next) if next.byte == end => Neighbour::Mark(k + 1),
            _ => line[end..]
                .chars()
                .next()
                .map_or(Neighbour::Edge, Neighbour::Fixed),
        };
    }
    marks
}

/// Makes half-width punctuation in Chinese context full-width (`punct-width`).
pub fn widen_punctuation(line: &str) -> (Cow<'_, str>, u64) {
    // A byte scan for the marks first: most lines of Chinese text have none.
    let has_mark =
        visit_positions_in_ranges(line.as_bytes(), &ASCII_MARKS, |_| ControlFlow::Break(()))
            .is_break();
    if !has_mark {
        return (Cow::Borrowed(line), 0);
    }
    widen_marked(line)
}

/// [`widen_punctuation`] of a line known to hold a half-width mark.
fn widen_marked(line: &str) -> (Cow<'_, str>, u64) {
    if !line.chars().any(is_chinese) {
        return (Cow::Borrowed(line), 0);
    }
    let mut marks = punctuation_marks(line);
    let protected = protected_ranges(line);
    let is_protected = |byte: usize| protected.iter().any(|r| r.contains(&byte));
    let mut changed = 0;

    // Parentheses are matched once, as pairs (a half-width one may pair with a full-width one).
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut paired = vec![false; marks.len()];
    for (k, mark) in marks.iter().enumerate() {
        match mark.original {
            '(' | '（' if !is_protected(mark.byte) => stack.push(k),
            ')' | '）' if !is_protected(mark.byte) => {
                if let Some(open) = stack.pop() {
                    paired[open] = true;
                    paired[k] = true;
                    pairs.push((open, k));
                }
            }
            _ => {}
        }
    }
    // The unpaired marks that may be widened; the rounds below look at these only.
    let can_widen: Vec<usize> = marks
        .iter()
        .enumerate()
        .filter(|(k, mark)| {
            !paired[*k] && !is_protected(mark.byte) && full_width(mark.original).is_some()
        })
        .map(|(k, _)| k)
        .collect();

    // The character a neighbour is now.
    let char_of = |marks: &[Mark], neighbour: Neighbour| match neighbour {
        Neighbour::Edge => None,
        Neighbour::Fixed(c) => Some(c),
        Neighbour::Mark(k) => Some(marks[k].now),
    };
    // Widening a mark makes it Chinese context for its neighbours, so repeat until nothing
    // changes: the result must not depend on the order of the marks (or cleaning twice would
    // widen more than cleaning once).
    loop {
        let before_round = changed;
        for &(open, close) in &pairs {
            let neighbours = [
                char_of(&marks, marks[open].before),
                char_of(&marks, marks[close].after),
                char_of(&marks, marks[open].after),
                char_of(&marks, marks[close].before),
            ];
            let chinese = neighbours.into_iter().flatten().any(is_chinese)
                || marks[open].now == '（'
                || marks[close].now == '）';
            if chinese {
                for at in [open, close] {
                    if let Some(wide) = full_width(marks[at].now) {
                        marks[at].now = wide;
                        changed += 1;
                    }
                }
            }
        }
        for &k in can_widen.iter().chain(can_widen.iter().rev()) {
            let Some(wide) = full_width(marks[k].now) else {
                continue;
            };
            let before = char_of(&marks, marks[k].before);
            let after = char_of(&marks, marks[k].after);
            let between_digits = before.is_some_and(|b| b.is_ascii_digit())
                && after.is_some_and(|a| a.is_ascii_digit());
            if !between_digits && (before.is_some_and(is_chinese) || after.is_some_and(is_chinese))
            {
                marks[k].now = wide;
                changed += 1;
            }
        }
        if changed == before_round {
            break;
        }
    }
    if changed == 0 {
        return (Cow::Borrowed(line), 0);
    }
    // Copy the line between the widened marks rather than re-encoding every character.
    let mut widened = String::with_capacity(line.len() + 2 * changed as usize);
    let mut copied_to = 0;
    for mark in marks.iter().filter(|mark| mark.now != mark.original) {
        widened.push_str(&line[copied_to..mark.byte]);
        widened.push(mark.now);
        copied_to = mark.byte + mark.original.len_utf8();
    }
    widened.push_str(&line[copied_to..]);
    (Cow::Owned(widened), changed)
}

/// Removes each run of spaces whose neighbours `goes(before, after)` says should meet, and
/// counts the runs removed; the line is borrowed back when none goes.
///
/// A run inside what may still be a converter marker stays (`[bookmark: e 捷]`): strip, which
/// runs before, kept the text because the space makes it no marker, and taken away, the space
/// would leave a marker for a second cleaning to remove (cleaning would not be idempotent).
fn remove_spaces_between(line: &str, goes: impl Fn(char, char) -> bool) -> (Cow<'_, str>, u64) {
    let mut out = String::new();
    match remove_spaces_between_into(line, goes, &mut out) {
        0 => (Cow::Borrowed(line), 0),
        removed => (Cow::Owned(out), removed),
    }
}

/// [`remove_spaces_between`], written into `out` (whatever it held) when a run goes; `out` is
/// not touched otherwise. Polish keeps one `out` for its lines, so that taking spaces out of a
/// line allocates nothing.
fn remove_spaces_between_into(
    line: &str,
    goes: impl Fn(char, char) -> bool,
    out: &mut String,
) -> u64 {
    let bytes = line.as_bytes();
    // The memchr crate's vector search: `str::contains` scans a word at a time.
    if memchr::memchr(b' ', bytes).is_none() {
        return 0;
    }
    // Every marker opens with `[`: a line without one (nearly every line) is not asked again.
    let may_hold_a_marker = memchr::memchr(b'[', bytes).is_some();
    let mut copied_to = 0;
    let mut removed = 0;
    let mut search_from = 0;
    // From one run of spaces to the next (a space byte is always the character ' ').
    while let Some(offset) = memchr::memchr(b' ', &bytes[search_from..]) {
        let i = search_from + offset;
        // A run of spaces: look at what is on either side of the whole run.
        let mut end = i + 1;
        while bytes.get(end) == Some(&b' ') {
            end += 1;
        }
        search_from = end;
        let (Some(b), Some(a)) = (line[..i].chars().next_back(), line[end..].chars().next()) else {
            continue;
        };
        if goes(b, a) && !(may_hold_a_marker && ends_inside_marker(&line[..i])) {
            if removed == 0 {
                // Made room for once, on the first space that goes.
                out.clear();
                out.reserve(line.len());
            }
            out.push_str(&line[copied_to..i]);
            copied_to = end;
            removed += 1;
        }
    }
    if removed > 0 {
        out.push_str(&line[copied_to..]);
    }
    removed
}

/// Removes spaces between Chinese and ASCII letters, digits or `%` (`cjk-ascii-space`).
pub fn remove_cjk_ascii_spaces(line: &str) -> (Cow<'_, str>, u64) {
    remove_spaces_between(line, cjk_ascii_space_goes)
}

/// Whether a run of spaces between `before` and `after` goes (`cjk-ascii-space`).
fn cjk_ascii_space_goes(before: char, after: char) -> bool {
    let is_ascii_word = |c: char| c.is_ascii_alphanumeric() || c == '%';
    // Curly quotes are English punctuation too: `“Hello” said` keeps its space.
    let chinese = |c: char| is_chinese(c) && !matches!(c, '“' | '”' | '‘' | '’');
    (chinese(before) && is_ascii_word(after)) || (is_ascii_word(before) && chinese(after))
}

/// Quotation marks and full-width brackets: the marks PDF font switching sets off by spaces.
/// Half-width brackets are left to `punct-width`, which runs first and widens them in Chinese.
pub(crate) fn is_enclosing_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '‘'
            | '’'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '〔'
            | '〕'
            | '（'
            | '）'
            | '【'
            | '】'
            | '「'
            | '」'
            | '『'
            | '』'
    )
}

/// Chinese text on the far side of a space from a mark: a Han character or full-width
/// punctuation other than a curly quotation mark (which English uses too).
fn is_chinese_beside_mark(c: char) -> bool {
    is_han(c) || (is_cjk_punct(c) && !matches!(c, '“' | '”' | '‘' | '’'))
}

/// Removes spaces between a quotation mark or bracket and Chinese text (`quote-space`).
pub fn remove_mark_spaces(line: &str) -> (Cow<'_, str>, u64) {
    remove_spaces_between(line, mark_space_goes)
}

/// Whether a run of spaces between `before` and `after` goes (`quote-space`).
fn mark_space_goes(before: char, after: char) -> bool {
    (is_enclosing_mark(before) && is_chinese_beside_mark(after))
        || (is_chinese_beside_mark(before) && is_enclosing_mark(after))
}

/// The polish stage of the pipeline.
pub struct PolishStage {
    quote_space: bool,
    punct_width: bool,
    list_marker_space: bool,
    cjk_ascii_space: bool,
    /// The document's language, from its first batch.
    document: Language,
    /// Where a line's spaces are taken out to; it then swaps with the line's text, so that
    /// the allocations go round between the lines rather than one made for each change.
    scratch: String,
}

impl PolishStage {
    pub fn new(rules: &RuleSet) -> Self {
        PolishStage {
            quote_space: rules.is_on(Rule::QuoteSpace),
            punct_width: rules.is_on(Rule::PunctWidth),
            list_marker_space: rules.is_on(Rule::ListMarkerSpace),
            cjk_ascii_space: rules.is_on(Rule::CjkAsciiSpace),
            scratch: String::new(),
            document: Language::Chinese,
        }
    }

    /// Polishes one line: punctuation first (so `(一) 加强` is a list marker by then), then spaces
    /// between Chinese and ASCII (which may bring a marker and its space together: `2021 、 按`),
    /// then the list-marker space, and last the spaces at quotation marks and brackets (after
    /// widening, so a second run finds every mark as wide as the first left it).
    pub fn line<'a>(&self, line: &'a str, counts: &mut Counts) -> Cow<'a, str> {
        let (text, changes) = self.line_counting(line);
        changes.add_to(counts);
        text
    }

    /// [`PolishStage::line`], its changes counted apart: the stage keeps them only for a line
    /// it keeps the change of, and four numbers on the stack cost nothing to drop where a
    /// [`Counts`] of its own is a table allocated, merged and freed for each line changed.
    fn line_counting<'a>(&self, line: &'a str) -> (Cow<'a, str>, PolishChanges) {
        let mut text = Cow::Borrowed(line);
        let changes = self.polish_text(&mut text, &mut String::new());
        (text, changes)
    }

    /// The rules in their order, on `text`: borrowed until a rule changes it, or the line's own
    /// text (`polish_in_place`), changed where it stands. Spaces are taken out into `scratch`,
    /// which then swaps with an owned text, so a stage that keeps its scratch allocates nothing
    /// for them.
    fn polish_text(&self, text: &mut Cow<'_, str>, scratch: &mut String) -> PolishChanges {
        let mut changes = PolishChanges::default();
        let (has_mark, mut has_space) = marks_and_spaces(text);
        // Widening acts on the half-width marks only: a line without one is not asked.
        if self.punct_width && has_mark {
            let (widened, n) = widen_marked(text);
            if n > 0 {
                changes.punct_width = n;
                let widened = widened.into_owned();
                *text = Cow::Owned(widened);
                has_space = memchr::memchr(b' ', text.as_bytes()).is_some();
            }
        }
        // The rules after widening only take ASCII spaces away: a line without one (most
        // Chinese lines) is done, without their three looks at it.
        if !has_space {
            return changes;
        }
        if self.cjk_ascii_space {
            changes.cjk_ascii_space = spaces_out(text, cjk_ascii_space_goes, scratch);
        }
        if self.list_marker_space {
            if let Some(spaces) = list_marker_spaces(text) {
                changes.list_marker_space = 1;
                text.to_mut().replace_range(spaces, "");
            }
        }
        if self.quote_space {
            changes.quote_space = spaces_out(text, mark_space_goes, scratch);
        }
        changes
    }
}

/// Takes out of `text` the runs of spaces that `goes`, through `scratch`; how many.
fn spaces_out(
    text: &mut Cow<'_, str>,
    goes: impl Fn(char, char) -> bool,
    scratch: &mut String,
) -> u64 {
    let removed = remove_spaces_between_into(text, goes, scratch);
    if removed > 0 {
        match text {
            Cow::Owned(own) => std::mem::swap(own, scratch),
            Cow::Borrowed(_) => *text = Cow::Owned(std::mem::take(scratch)),
        }
    }
    removed
}

/// How many changes each of polish's rules made to one line.
#[derive(Clone, Copy, Debug, Default)]
struct PolishChanges {
    punct_width: u64,
    cjk_ascii_space: u64,
    list_marker_space: u64,
    quote_space: u64,
}

impl PolishChanges {
    fn any(self) -> bool {
        self.punct_width + self.cjk_ascii_space + self.list_marker_space + self.quote_space > 0
    }

    fn add_to(self, counts: &mut Counts) {
        counts.add(Rule::PunctWidth, self.punct_width);
        counts.add(Rule::CjkAsciiSpace, self.cjk_ascii_space);
        counts.add(Rule::ListMarkerSpace, self.list_marker_space);
        counts.add(Rule::QuoteSpace, self.quote_space);
    }
}

impl LineStage for PolishStage {
    fn prepare(&mut self, first_batch: &[Line], _facts: &mut Facts) {
        self.document = Language::of_document(first_batch.iter().map(|l| l.text.as_str()));
    }

    one_for_one_push!();
}

impl PolishStage {
    /// Makes `line` the line the stage hands on for it (one for each, at once).
    #[inline]
    fn make_line(&mut self, line: &mut Line, counts: &mut Counts) {
        // Convert counted the paragraph's letters when it looked at it closely, before it
        // converted: what it writes is Chinese, so the source's letters tell. A Japanese or
        // Korean paragraph keeps what polish would change; a Chinese one is changed in place.
        match line.language.map(|own| own.in_document(self.document)) {
            Some(Language::Chinese) => self.polish_in_place(line, counts),
            Some(_) => {}
            None => *line = self.line_out(std::mem::take(line), counts),
        }
    }

    /// The line the stage hands on for `line`, whose language no stage has told.
    fn line_out(&mut self, line: Line, counts: &mut Counts) -> Line {
        // The language is asked only of a line polish would change; its counts are kept only
        // when the change is.
        let (polished, changes) = self.line_counting(&line.text);
        if let Cow::Owned(text) = polished {
            // Convert counted the paragraph's letters when it looked at it closely, before it
            // converted: what it writes is Chinese, so the source's letters tell.
            if Language::of_paragraph(&line.text, self.document) == Language::Chinese {
                changes.add_to(counts);
                // Polish takes ASCII spaces out and writes full-width marks: repair's cheap scan
                // may find a sign again only at a byte judged by its neighbours.
                let no_mojibake_sign = line.no_mojibake_sign && no_sign_after_rewrite(&text);
                return Line {
                    text,
                    no_mojibake_sign,
                    no_compatibility_form: false,
                    ..line
                };
            }
        }
        line
    }

    /// [`Self::line_counting`] of a line known to be Chinese, with the changes made to the
    /// line's own text: the list marker's spaces drained out of it, the other spaces taken
    /// out into `scratch`, which then swaps with it.
    fn polish_in_place(&mut self, line: &mut Line, counts: &mut Counts) {
        let mut text = Cow::Owned(std::mem::take(&mut line.text));
        let mut scratch = std::mem::take(&mut self.scratch);
        let changes = self.polish_text(&mut text, &mut scratch);
        self.scratch = scratch;
        line.text = text.into_owned();
        if changes.any() {
            changes.add_to(counts);
            // Polish takes ASCII spaces out and writes full-width marks: repair's cheap scan
            // may find a sign again only at a byte judged by its neighbours.
            line.no_mojibake_sign = line.no_mojibake_sign && no_sign_after_rewrite(&line.text);
            line.no_compatibility_form = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nibble products hold the marks and the space, and no other byte.
    #[test]
    fn marks_and_space_pairs_are_the_marks_and_the_space() {
        for b in 0..=255u8 {
            let wanted = b == b' ' || ASCII_MARKS.iter().any(|&(s, n)| b.wrapping_sub(s) < n);
            for next in [0, b'a', 0xE4] {
                assert_eq!(MARKS_AND_SPACE.contains(b, next), wanted, "{b:#x}");
            }
        }
    }

    /// The one pass finds a mark and a space wherever they stand, as a search for each would
    /// (a line is widened only where it finds a mark, and spaces taken away only where it finds
    /// a space).
    #[test]
    fn marks_and_spaces_are_found_as_each_search_finds_them() {
        let in_marks = |b: u8| ASCII_MARKS.iter().any(|&(s, n)| b.wrapping_sub(s) < n);
        for len in 0..40 {
            for at in 0..=len {
                for b in 0x20..0x7Fu8 {
                    let text: String = (0..len)
                        .map(|i| if i == at { char::from(b) } else { '中' })
                        .chain((at == len).then_some(char::from(b)))
                        .collect();
                    assert_eq!(
                        marks_and_spaces(&text),
                        (in_marks(b), b == b' '),
                        "{text:?}"
                    );
                }
            }
        }
        assert_eq!(marks_and_spaces("中 文，（）、；"), (false, true));
        assert_eq!(marks_and_spaces("a (b) c"), (true, true));
        assert_eq!(marks_and_spaces("中文。"), (false, false));
    }

    #[test]
    fn marks_are_found_wherever_they_fall_in_a_block() {
        let han = "中".repeat(20);
        for mark in [",", ":", ";", "(", ")", "!", "?", "（", "）"] {
            for at in 0..han.chars().count() {
                let mut line: String = han.chars().take(at).collect();
                line.push_str(mark);
                line.extend(han.chars().skip(at));
                line.push_str("，a(");
                let found: Vec<usize> = punctuation_marks(&line).iter().map(|m| m.byte).collect();
                assert_eq!(
                    found,
                    [3 * at, line.len() - 1],
                    "{mark} after {at} characters"
                );
            }
        }
        // Without a half-width parenthesis to pair with, full-width ones are no marks.
        let found: Vec<char> = punctuation_marks("（一）加强,（二）")
            .iter()
            .map(|m| m.original)
            .collect();
        assert_eq!(found, [',']);
    }

    #[test]
    fn spaces_at_quotes_and_brackets_in_chinese_go() {
        let cases = [
            ("推进 “一网通办 ”改革", "推进“一网通办”改革"),
            ("根据 《条例 》规定", "根据《条例》规定"),
            ("国发〔 2019〕4号", "国发〔 2019〕4号"), // a digit: cjk-ascii-space's business
            ("见 （一 ）项", "见（一）项"),
            ("详见 【附件 】", "详见【附件】"),
            ("他说 “Hello”", "他说“Hello”"),
        ];
        for (input, expected) in cases {
            assert_eq!(remove_mark_spaces(input).0, expected, "{input:?}");
        }
        // English around quotation marks and brackets, and code, stay as they are.
        for input in [
            "“Hello” said the man",
            "He said “Hello” and left",
            "f (x) = [a, b]",
            "公式 (1)", // a half-width bracket: punct-width decides it
            "“甲” “乙”",
            "总理 李克强",
        ] {
            assert_eq!(remove_mark_spaces(input).0, input, "{input:?}");
        }
    }

    /// Half-width brackets from a Latin font: widened first, then set tight.
    #[test]
    fn font_switch_spaces_at_half_width_brackets_go_after_widening() {
        let stage = PolishStage::new(&RuleSet::default());
        let mut counts = Counts::default();
        assert_eq!(
            stage.line("推进 (一网通办 )改革", &mut counts),
            "推进（一网通办）改革"
        );
        assert_eq!(counts.get(Rule::QuoteSpace), 2);
        assert_eq!(
            stage.line("“Hello” said he, (see above)", &mut counts),
            "“Hello” said he, (see above)"
        );
    }

    #[test]
    fn punctuation_in_chinese_becomes_full_width() {
        let cases = [
            ("2021年,市科技局", "2021年，市科技局"),
            ("報告如下:", "報告如下："),
            ("工作報告;堅持", "工作報告；堅持"),
            ("《綱要(2021-2025年)》", "《綱要（2021-2025年）》"),
            ("(一)強化組織保障", "（一）強化組織保障"),
            (
                "網民留言(12345市長熱線)14宗",
                "網民留言（12345市長熱線）14宗",
            ),
            ("世界卫生组织(WHO)", "世界卫生组织（WHO）"),
            ("是什么?", "是什么？"),
            ("太好了!", "太好了！"),
            ("时间:12:30", "时间：12:30"),
            ("共3,以及", "共3，以及"),
            ("(一）加强", "（一）加强"), // a half-width one paired with a full-width one
            ("访问http://a.cn/x?y=1,2", "访问http://a.cn/x?y=1,2"),
        ];
        for (input, expected) in cases {
            assert_eq!(widen_punctuation(input).0, expected, "{input:?}");
        }
    }

    /// Marks that touch (each is the other's context), marks at the line's edges, and
    /// full-width parentheses pairing with half-width ones.
    #[test]
    fn touching_marks_and_edges() {
        let cases = [
            ("你好?!", "你好？！"),
            (",中", "，中"),
            ("中 ,", "中 ,"),
            ("说:(一)?", "说：（一）？"),
            ("f(x),中", "f（x），中"),
            ("（1)", "（1）"),
            ("（a,b)", "（a,b）"),
            ("中(a(b)c)", "中（a(b)c）"),
            (")中(", "）中（"),
            ("中?(:", "中？（："),
        ];
        for (input, expected) in cases {
            assert_eq!(widen_punctuation(input).0, expected, "{input:?}");
        }
    }

    #[test]
    fn punctuation_left_alone() {
        for input in [
            "共3,000元",
            "于12:30召开",
            "增长1.5倍",
            "Hello, world",
            "f(x) = y",
            "Windows 10: setup",
            "网址 https://www.gov.cn/a?b=c;d 见",
            "邮箱 someone@example.com 见",
            "比例为1:1",
            "（一）已是全角",
            "GB 50180",
        ] {
            let (out, n) = widen_punctuation(input);
            assert_eq!(out, input, "{input:?}");
            assert_eq!(n, 0, "{input:?}");
        }
        // An ASCII run inside Chinese keeps its own punctuation.
        assert_eq!(
            widen_punctuation("引用 f(x, y) 的值").0,
            "引用 f(x, y) 的值"
        );
    }

    #[test]
    fn list_marker_space() {
        let cases = [
            ("1. 按照", "1.按照"),
            ("10.  全面", "10.全面"),
            ("（一） 加强", "（一）加强"),
            ("一、 总则", "一、总则"),
            ("① 按照", "①按照"),
            ("（一二三） 加强", "（一二三）加强"),
            ("(12) 按照", "(12)按照"),
        ];
        for (input, expected) in cases {
            assert_eq!(tighten_list_marker(input), expected, "{input:?}");
        }
        for input in [
            "1. Introduction",
            "第一条　根据",
            "1.5 倍",
            "2021 年",
            "（2021-2025年） 纲要",
            "1.按照",
            "（一二三四） 加强",
            "（一 加强（二）",
        ] {
            assert!(
                matches!(tighten_list_marker(input), Cow::Borrowed(_)),
                "{input:?}"
            );
        }
    }

    #[test]
    fn spaces_between_chinese_and_ascii() {
        let cases = [
            ("关于 2021 年", "关于2021年"),
            ("学习强国 APP 学习", "学习强国APP学习"),
            ("认领率 100%；", "认领率100%；"),
            ("证明事项 0 项，", "证明事项0项，"),
            ("委员会  2021 年", "委员会2021年"),
            ("《条例》 2021", "《条例》2021"),
        ];
        for (input, expected) in cases {
            assert_eq!(remove_cjk_ascii_spaces(input).0, expected, "{input:?}");
        }
        for input in [
            "GB 50180",
            "Windows 10",
            "总理 李克强",
            "第一条　根据",
            "标准 GB 50180 规定",
            "a - b",
        ] {
            let expected = if input == "标准 GB 50180 规定" {
                "标准GB 50180规定"
            } else {
                input
            };
            assert_eq!(remove_cjk_ascii_spaces(input).0, expected, "{input:?}");
        }
    }

    #[test]
    fn a_space_inside_what_may_be_a_marker_stays() {
        // The fuzz finding: without its space, `[bookmark: e捷]` is a marker a second cleaning
        // removes, `捷` with it.
        for input in [
            "[bookmark: e 捷]",
            "[bookmark: 捷 e]",
            "正文[bookmark:\u{a0}e 捷]",
        ] {
            assert_eq!(remove_cjk_ascii_spaces(input).0, input, "{input:?}");
        }
        // A space that leaves the bracket no marker, or outside it, goes.
        for (input, expected) in [
            ("[bookmark: e 捷 f]", "[bookmark: e 捷f]"),
            ("[注 1] 关于 2021 年", "[注1] 关于2021年"),
            (
                "[bookmark: e 捷] 关于 2021 年",
                "[bookmark: e 捷] 关于2021年",
            ),
        ] {
            assert_eq!(remove_cjk_ascii_spaces(input).0, expected, "{input:?}");
        }
    }

    /// Japanese and Korean paragraphs keep their punctuation and spaces; a Chinese paragraph
    /// beside them is polished, and a Japanese document's kanji-only heading follows it.
    #[test]
    fn japanese_and_korean_are_left_as_written() {
        let rules = RuleSet::default();
        let polish = |lines: &[&str]| crate::stages::run_stage(PolishStage::new(&rules), lines);
        let korean = "大韓民國(대한민국) 2024년 헌법 제1조: 국민은 주권을 가진다.";
        assert_eq!(
            polish(&[korean]),
            (vec![korean.to_string()], Counts::default())
        );
        // A Japanese document's kanji-only heading follows the document.
        let japanese = [
            "第一章 総則 (目的)",
            "この法律は、国民の健康の保持 (第3条) に寄与することを目的とする。",
        ];
        assert_eq!(polish(&japanese).0, japanese);
        // A Chinese document quoting a Japanese paragraph: only the Chinese is polished.
        let (out, counts) = polish(&[
            "关于 2021 年(一)的规定，各地区各部门要认真贯彻落实，结合实际抓好工作。",
            "東京都の会議 (第3回) で Windows 10 について話し合った。",
            "会议指出，要坚持稳中求进工作总基调，推动经济社会持续健康发展。",
        ]);
        assert_eq!(
            out[0],
            "关于2021年（一）的规定，各地区各部门要认真贯彻落实，结合实际抓好工作。"
        );
        assert_eq!(
            out[1],
            "東京都の会議 (第3回) で Windows 10 について話し合った。"
        );
        assert_eq!(counts.get(Rule::CjkAsciiSpace), 2);
    }

    /// The language convert decided (`Line::language`) is what polish goes by: it does not
    /// count the letters again, and a paragraph convert found Korean stays as written even
    /// where its letters, counted after conversion, would not say so.
    #[test]
    fn the_language_convert_decided_is_followed() {
        let rules = RuleSet::default();
        let polish = |line: Line| {
            let (out, counts, _) =
                crate::stages::run_stage_on(&mut PolishStage::new(&rules), vec![line]);
            (out[0].clone(), counts)
        };
        let text = "关于 2021 年(一)的规定";
        let korean = Line {
            language: Some(Language::Korean),
            ..Line::new(text)
        };
        assert_eq!(polish(korean), (text.to_string(), Counts::default()));
        for language in [Some(Language::Chinese), None] {
            let line = Line {
                language,
                ..Line::new(text)
            };
            assert_eq!(polish(line).0, "关于2021年（一）的规定", "{language:?}");
        }
        // Without a verdict, polish counts the letters itself.
        let japanese = "東京都の会議 (第3回) で話し合った。";
        assert_eq!(polish(Line::new(japanese)).0, japanese);
    }

    #[test]
    fn stage_order_and_counts() {
        let stage = PolishStage::new(&RuleSet::default());
        let mut counts = Counts::default();
        assert_eq!(
            stage.line("(一) 加强 APP 建设", &mut counts),
            "（一）加强APP建设"
        );
        assert_eq!(counts.get(Rule::PunctWidth), 2);
        assert_eq!(counts.get(Rule::ListMarkerSpace), 1);
        assert_eq!(counts.get(Rule::CjkAsciiSpace), 2);
        let off = PolishStage::new(&RuleSet::none());
        assert_eq!(
            off.line("(一) 加强 APP 建设", &mut counts),
            "(一) 加强 APP 建设"
        );
    }

    /// A line known to be Chinese is polished in place (its own text, spaces taken out through
    /// the stage's scratch text) to what the line-by-line rules make of it, with the same
    /// counts and marks; lines one after another, so the scratch text goes round between them.
    #[test]
    fn polishing_in_place_makes_what_the_rules_make() {
        let lines = [
            "(一) 加强 APP 建设",
            "1. 推进 “一网通办 ”改革,提升效率 (试行)",
            "二、 完善制度",
            "（三）  落实 GDP 指标 100 % 完成。",
            "没有要改的地方。",
            "在 2023 年  完成 “放管服” 改革:成效明显!",
            "English text, kept as it is (here).",
            "",
            "  缩进 的 行 ",
        ];
        let mut stage = PolishStage::new(&RuleSet::default());
        for text in lines {
            let (expected, changes) = stage.line_counting(text);
            let expected = expected.into_owned();
            let mut expected_counts = Counts::default();
            if expected != text {
                changes.add_to(&mut expected_counts);
            }
            let line = Line {
                language: Some(Language::Chinese),
                no_mojibake_sign: true,
                no_compatibility_form: true,
                ..Line::new(text)
            };
            let mut counts = Counts::default();
            let mut out = line;
            stage.polish_in_place(&mut out, &mut counts);
            assert_eq!(out.text, expected, "{text:?}");
            for rule in [
                Rule::PunctWidth,
                Rule::CjkAsciiSpace,
                Rule::ListMarkerSpace,
                Rule::QuoteSpace,
            ] {
                assert_eq!(
                    counts.get(rule),
                    expected_counts.get(rule),
                    "{text:?} {rule:?}"
                );
            }
            assert_eq!(out.no_compatibility_form, expected == text, "{text:?}");
            assert!(out.no_mojibake_sign, "{text:?}");
        }
    }
}
