//! Stage 3, reflow: one paragraph per line.
//!
//! - `blank-lines`: empty lines between paragraphs are dropped (Word's "save as text" puts one
//!   between every paragraph; strip leaves one where it removed a page number or a form feed).
//! - `join-page-break`: a paragraph split by a page break — one or more empty lines in between —
//!   is joined when the first part does not end a sentence (no `。！？；：…` or closing quote or
//!   bracket at its end), neither part is a heading, title, date or signature, and the second
//!   part does not start a heading or list item (`一、` `（一）` `1.` `（1）` `第X章` `①` `附件`).
//!   Past a footnote block at a page foot, a first part that ends a sentence is joined too when
//!   the width model shows it goes on: its last line broken at the margin, and the next page's
//!   first line no paragraph start (`ReflowStage::goes_on_past_footnotes`). A page break
//!   that rule does not join, whose empty lines the output drops, is read as the output has
//!   it, a line followed by the next: `join-hard-wrap` decides (unless footnotes held would
//!   come between the two lines).
//! - `join-hard-wrap`: in a hard-wrapped document (pdftotext: nearly every line as wide as the
//!   page), a line is joined with the next when the next line's first piece would not have
//!   fitted on it — measured by a width model fitted to the document's first batch
//!   (`wrap`): Han one em, Latin letters, digits, curly quotes and layout gaps weighed so the
//!   document's full lines meet its margin, a paragraph's first line shorter by its indent. In
//!   text that keeps the layout's indentation (`pdftotext -layout`) a line indented deeper than
//!   the body starts a paragraph. A line that starts a heading or list item is never joined,
//!   nor a line that opens a news item with its dateline (`据新华社…电`) to a sentence's end.
//! - `join-title`: at the top of a document, before any line of running text, two short lines
//!   that split one title are joined (`classify::continues_title`).
//! - Footnote lines (strip marks them, [`Line::footnote`]) are never joined into body text:
//!   they wait until the paragraph the page break interrupted is out, and come after it, each
//!   note a paragraph of its own.
//!
//! Joining adds no space between Chinese characters, one space between two ASCII words.
//!
//! The stage holds back one paragraph (the one that may still be continued). It respects
//! [`Line::open`] (a piece of an overlong line: the next Line continues it with no break) and
//! caps the paragraph it holds at [`MAX_LINE_BYTES`] by releasing open pieces cut at
//! [`cut_point`], so memory stays bounded even for a 2 GB hard-wrapped file.

mod classify;
mod footnotes;
mod lead;
mod measure;
mod seam;
mod shape;
mod title;
mod wrap;

use std::cell::Cell;

use crate::report::{Counts, Facts};
use crate::rules::{Rule, RuleSet};
use crate::stages::repair::no_sign_at_seam;
use crate::stages::{Line, LineStage, MAX_LINE_BYTES};
use crate::text::language::{may_have_kana_or_hangul, Letters};
use crate::text::{cut_point, join_needs_space};
use seam::may_join_after;

/// The title join's test of two lines, for the page model's doubled-first-line rule, which must
/// read as one line what this stage joins into one.
pub(crate) use classify::continues_title;
use title::is_title_part;
pub(crate) use title::title_join_joins;

pub use classify::starts_block;
use lead::lead_room;
use shape::{LineShape, Measure, SeamMarks, ShapeNeeds};
use wrap::WRAP_SLACK;
pub use wrap::{detect_wrap_width, WidthModel};

/// The room made in a paragraph's text at its first join, in bytes: a few hard-wrapped lines.
/// Kept under the size of the texts the driver reuses for the next lines read.
const JOINED_PARAGRAPH_ROOM: usize = 2048;

/// How many title-region paragraphs are held back for [`ReflowStage::rejoin_titles`]: as many
/// as a rejoin can reach, since each one adds a character at least to a paragraph that must
/// stay a title part (at most [`classify::MAX_MARKED_HEADING_CHARS`] characters) to be joined —
/// and no more, so a document whose top is a long list of short lines is not held whole.
const HELD_TITLES: usize = classify::MAX_MARKED_HEADING_CHARS;

/// How a hard-wrapped document was found to be wrapped.
#[derive(Clone, Copy, Debug)]
enum Wrap {
    /// Not wrapped (or hard wraps are not joined).
    None,
    /// In columns of a monospace layout (a document with too little Chinese for a model).
    Columns(usize),
    /// By a width model fitted to the document.
    Model(WidthModel),
}

/// The reflow stage of the pipeline.
#[derive(Clone)]
pub struct ReflowStage {
    drop_blank_lines: bool,
    join_page_breaks: bool,
    join_hard_wraps: bool,
    /// Pinyin annotations are removed: one a wrap put apart from its character is taken out
    /// at the join ([`Self::annotation_cut_by_a_wrap`]).
    strip_pinyin: bool,
    join_titles: bool,
    /// No line of running text has come yet: short lines here may be one title split.
    title_region: bool,
    /// Paragraphs of the title region finished but not yet written (oldest first), with their
    /// shapes: a later title join may make the paragraph after one of them a line it continues
    /// ([`Self::rejoin_titles`]).
    titles: Vec<(String, LineShape)>,
    wrap: Wrap,
    /// The paragraph being built; it may still be continued.
    paragraph: String,
    /// The mark `Line::no_mojibake_sign` of the paragraph: its lines' marks were set, and no
    /// join made a sign at its seam (`repair::no_sign_at_seam`); it is released with it.
    paragraph_no_sign: bool,
    /// The mark `Line::no_compatibility_form` of the paragraph: its lines' marks were all set
    /// (a join writes at most an ASCII space between them); it is released with it.
    paragraph_no_compatibility_form: bool,
    /// The texts of the lines joined into paragraphs since the pipeline last asked
    /// ([`LineStage::give_spare_texts`]).
    spare_texts: SpareTexts,
    /// How many bytes at the start of `paragraph` the quick scan for kana and Hangul found none
    /// in ([`Self::paragraph_has_no_kana_or_hangul`]). The paragraph grows by appending, and a
    /// join asks of the whole of it: kept, the scan reads only what was appended since. Set
    /// back to 0 wherever the paragraph is replaced or cut ([`Self::forget_paragraph_scans`]).
    kana_free_bytes: Cell<usize>,
    /// What the quick scan for kana and Hangul found of the last line [`Self::joins`] would
    /// join: none. Read when the join is made, so that the paragraph's scan
    /// ([`Self::kana_free_bytes`]) takes the line in without reading it again.
    line_has_no_kana_or_hangul: Cell<bool>,
    /// How many bytes at the start of `paragraph` were counted, and their letters
    /// ([`Self::paragraph_letters`]), kept as [`Self::kana_free_bytes`] is.
    paragraph_letters: Cell<(usize, Letters)>,
    /// Where the paragraph's [`SeamMarks`] end: none of an annotation's from the first byte
    /// on, no `[` from the second ([`Self::known_seam`]). Kept as [`Self::kana_free_bytes`]
    /// is, and set to the paragraph's end where it is replaced or cut.
    marks_end: Cell<(usize, usize)>,
    /// The paragraph's last character, kept as it grows (a join reads it twice); `None` when
    /// not known since it was replaced or cut ([`Self::paragraph_last`]).
    paragraph_last: Cell<Option<Option<char>>>,
    /// Pieces of this paragraph were already released as open lines.
    holding: bool,
    /// The last line added to the paragraph is complete (not open).
    line_complete: bool,
    /// The last (logical) line of the paragraph.
    shape: LineShape,
    /// The whole paragraph so far (a paragraph of several lines is no title).
    paragraph_shape: LineShape,
    /// The paragraph is one line so far: its first line, which an indent may have shortened.
    first_line: bool,
    /// The paragraph's first line was indented deeper than the body (text with the layout's
    /// indentation).
    indented: bool,
    /// Empty lines seen since the paragraph's last line.
    gap: usize,
    /// A single blank line is the break between two paragraphs, not a page break to join
    /// across: under `--blank-line`, whose own output is so (cleaning it again must not join
    /// what the first clean kept apart). Without it a blank line may be a page break: Word's
    /// "save as text" puts one after every paragraph and breaks a few mid-sentence (seed 004).
    blank_separated: bool,
    /// Footnote lines met while the paragraph may still go on across a page break: they come
    /// out after it, each footnote a paragraph of its own.
    footnotes: Vec<String>,
    footnote_bytes: usize,
    /// Footnote lines came right after the paragraph's last line: strip found them at a page
    /// foot, so that line was the last of its page's body.
    footnote_below: bool,
    /// The lines [`LineStage::prepare`] reflowed already, in a hard-wrapped document (it runs
    /// the stage over the first batch to see what the output holds, [`Self::wrap_settles`]):
    /// what that released, and what it counted, given out when the first of those lines is
    /// pushed, and how many of the lines pushed next it stands for.
    reflowed: Vec<Line>,
    reflowed_counts: Counts,
    reflowed_left: usize,
}

impl ReflowStage {
    pub fn new(rules: &RuleSet) -> Self {
        ReflowStage {
            drop_blank_lines: rules.is_on(Rule::BlankLines),
            join_page_breaks: rules.is_on(Rule::JoinPageBreak),
            join_hard_wraps: rules.is_on(Rule::JoinHardWrap),
            join_titles: rules.is_on(Rule::JoinTitle),
            strip_pinyin: rules.is_on(Rule::PinyinAnnotation),
            title_region: true,
            titles: Vec::new(),
            wrap: Wrap::None,
            paragraph: String::new(),
            paragraph_no_sign: false,
            paragraph_no_compatibility_form: false,
            spare_texts: SpareTexts::default(),
            kana_free_bytes: Cell::new(0),
            line_has_no_kana_or_hangul: Cell::new(false),
            paragraph_letters: Cell::new((0, Letters::default())),
            marks_end: Cell::new((0, 0)),
            paragraph_last: Cell::new(None),
            holding: false,
            line_complete: true,
            shape: LineShape::default(),
            paragraph_shape: LineShape::default(),
            first_line: false,
            indented: false,
            gap: 0,
            blank_separated: false,
            footnotes: Vec::new(),
            footnote_bytes: 0,
            footnote_below: false,
            reflowed: Vec::new(),
            reflowed_counts: Counts::default(),
            reflowed_left: 0,
        }
    }

    /// Output paragraphs are to be written a blank line apart (`--blank-line`): a single blank
    /// line in the input then separates paragraphs too.
    pub fn with_blank_line_output(mut self, blank_line: bool) -> Self {
        self.blank_separated = blank_line;
        self
    }

    /// Should the line starting with `text` (complete unless `open`, indented by `indent`
    /// columns) continue the paragraph?
    /// With the rule, the bytes of a pinyin annotation to take off the line's start for the join
    /// ([`Self::annotation_cut_by_a_wrap`]; most often none).
    fn joins(
        &self,
        text: &str,
        open: bool,
        indent: u16,
        next: &LineShape,
    ) -> Option<(Rule, usize)> {
        // Whether the join may be made at all is asked last: it reads the text at the join
        // (markers, annotations, NFC), while the rules read the shapes already measured, and
        // about half the lines that reach here start a paragraph by the rules alone.
        let rule = self.join_rule(text, open, indent, next)?;
        // A line measured whole was looked at for kana and Hangul as it was measured.
        let line_has_no_kana_or_hangul = match next.marks.known() {
            true => !next.marks.kana_or_hangul(),
            false => !may_have_kana_or_hangul(text),
        };
        self.line_has_no_kana_or_hangul
            .set(line_has_no_kana_or_hangul);
        let may_join = may_join_after(
            &self.paragraph,
            self.paragraph_has_no_kana_or_hangul(),
            || self.paragraph_letters(),
            line_has_no_kana_or_hangul,
            text,
            self.known_seam(next),
        );
        if may_join {
            return Some((rule, 0));
        }
        Some((rule, self.annotation_cut_by_a_wrap(text)?))
    }

    /// The rule that would join the line starting with `text` to the paragraph ([`Self::joins`]),
    /// before asking whether the join may be made.
    fn join_rule(&self, text: &str, open: bool, indent: u16, next: &LineShape) -> Option<Rule> {
        if !self.holding || next.starts_block {
            return None;
        }
        // A list marker alone (pdftotext prints Word's automatic numbers apart from their
        // text, often a blank line between): the line after it is its item.
        if !open && self.holds_lone_marker() {
            let page_break = self.gap > usize::from(self.blank_separated);
            return match page_break {
                true => self.join_page_breaks.then_some(Rule::JoinPageBreak),
                false => self.join_hard_wraps.then_some(Rule::JoinHardWrap),
            };
        }
        // Before the body: a title set over two lines (by a layout that centres it, or in a
        // larger font than the body's, so it is not measured as a wrapped line).
        if self.join_titles
            && self.title_region
            && !open
            && self.line_complete
            && self.paragraph_shape.chars <= 2 * classify::MAX_MARKED_HEADING_CHARS
            && is_title_part(next)
            && classify::continues_title(&self.paragraph, text)
        {
            return Some(Rule::JoinTitle);
        }
        if let Wrap::Model(model) = &self.wrap {
            // Text that keeps the layout's indentation says where paragraphs start.
            if model.starts_paragraph(indent) {
                return None;
            }
        }
        // A title is judged on its whole line (an open piece is too long to be one); a line as
        // wide as the page of a hard-wrapped document is no title, whatever its punctuation.
        let next_is_title = !open && next.is_title() && !self.is_wide(next);
        let paragraph_is_title = self.paragraph_shape.is_title() && !self.is_wide(&self.shape);
        let page_break = if self.blank_separated {
            self.gap > 1
        } else {
            self.gap > 0
        };
        if page_break {
            let joins = self.join_page_breaks
                && (!self.shape.ends_sentence() || self.goes_on_past_footnotes(text, indent, next))
                && !paragraph_is_title
                && !next_is_title
                && !text.is_empty();
            if joins {
                return Some(Rule::JoinPageBreak);
            }
            // The empty lines of a page break the output drops (or, under `--blank-line`,
            // makes one) are no page break to a second cleaning: it reads the two lines as one
            // line after the other and joins them when the first is full. So the first
            // cleaning decides as the lines stand in its output, by the width (the fuzz
            // finding `pipeline-idempotence-9fe1fb4cc3650029`: seven full lines each ended by a
            // form feed and a sentence end, kept apart, then joined by a second cleaning). Not
            // past footnotes held: kept apart, the output has the notes between the two lines.
            if !self.drop_blank_lines || !self.footnotes.is_empty() {
                return None;
            }
        }
        let full = match &self.wrap {
            Wrap::None => false,
            Wrap::Columns(wrap) => self.shape.width + WRAP_SLACK >= *wrap,
            Wrap::Model(model) => {
                let indented = self.first_line_indented(model);
                // A full line that ends a sentence, then a short line on its own (a signature,
                // a date): the paragraph ended at the margin.
                let ends_before_title = self.shape.ends_sentence() && next_is_title;
                // A full line that ends a sentence, then a line exactly as wide as an indented
                // first line (text that lost the layout's indentation): the sentence ended the
                // paragraph at the margin, and the next one starts indented. Joined, the
                // paragraph's first line would be read as a continuation, and the break put
                // after it instead.
                let ends_before_first_line = self.shape.ends_sentence()
                    && !open
                    && !model.marks_paragraphs()
                    && model.is_a_full_first_line(&next.room);
                let lead = lead_room(text);
                let full = if model.marks_paragraphs() && (!self.first_line || self.indented) {
                    // The next line's indentation says whether a paragraph starts: measuring
                    // only has to tell a line that clearly stopped short.
                    model.is_nearly_full(&self.shape.room, &lead, indented)
                } else {
                    model.is_full(&self.shape.room, &lead, indented)
                };
                !ends_before_title && !ends_before_first_line && full
            }
        };
        (self.join_hard_wraps && full && !self.ends_before_news_item(text) && !self.holds_title())
            .then_some(Rule::JoinHardWrap)
    }

    /// Does the paragraph end a sentence before a line that opens a news item with its
    /// dateline (`据新华社波恩1月28日电`)? Then the paragraph ended there, even at the margin:
    /// in text that does not indent its paragraphs nothing else tells, and joined, the
    /// paragraph would take the next one in, and the footnotes held for it would come after
    /// both.
    fn ends_before_news_item(&self, text: &str) -> bool {
        self.shape.ends_sentence() && classify::opens_news_item(text)
    }

    /// Is the paragraph held a list marker alone, which takes the line after it as its item
    /// ([`Self::joins`])?
    fn holds_lone_marker(&self) -> bool {
        self.line_complete
            && self.paragraph_shape.chars <= 6
            && classify::is_lone_marker(&self.paragraph)
    }

    /// Is the paragraph's last line its first, shortened by an indent? Without the layout's
    /// indentation, a first line is taken as indented unless it reads as a heading (headings
    /// are set flush more often than not).
    fn first_line_indented(&self, model: &WidthModel) -> bool {
        self.first_line
            && match model.body_indent {
                Some(_) => self.indented,
                None => !self.paragraph_shape.is_heading(),
            }
    }

    /// What [`Self::joins`] reads of line shapes: the width only against a wrap width (found
    /// only when hard wraps are joined), titles only to join page breaks.
    fn shape_needs(&self) -> ShapeNeeds {
        ShapeNeeds {
            width: !matches!(self.wrap, Wrap::None),
            title: self.join_page_breaks || (self.join_titles && self.title_region),
        }
    }

    /// Is the line about as wide as the page of a hard-wrapped document (so no title)?
    fn is_wide(&self, line: &LineShape) -> bool {
        match &self.wrap {
            Wrap::None => false,
            Wrap::Columns(wrap) => line.width + WRAP_SLACK >= *wrap,
            Wrap::Model(model) => model.em(&line.room) + model.indent + 1.0 >= model.margin,
        }
    }

    /// Releases the paragraph being held as a finished line, and the footnotes held back
    /// while it could still go on. In the title region the paragraph waits among
    /// [`Self::titles`] instead (when nothing else is to be written after it).
    fn release(&mut self, out: &mut Vec<Line>) {
        if self.holding {
            // Read before `holding` is written: read in one load with the bytes beside them, a
            // byte just written among them would make it wait for that write to reach the cache.
            let marks = (self.paragraph_no_sign, self.paragraph_no_compatibility_form);
            let paragraph = std::mem::take(&mut self.paragraph);
            self.forget_paragraph_scans();
            self.holding = false;
            let may_wait = self.join_titles
                && self.title_region
                && self.line_complete
                && self.footnotes.is_empty()
                && (self.gap == 0 || self.drop_blank_lines)
                && self.paragraph_shape.chars <= 2 * classify::MAX_MARKED_HEADING_CHARS;
            if may_wait {
                self.titles.push((paragraph, self.paragraph_shape));
                if self.titles.len() > HELD_TITLES {
                    let (oldest, _) = self.titles.remove(0);
                    out.push(Line::new(oldest));
                }
            } else {
                self.release_titles(out);
                out.push(Line {
                    no_mojibake_sign: marks.0,
                    no_compatibility_form: marks.1,
                    ..Line::new(paragraph)
                });
            }
        }
        self.release_footnotes(out);
    }

    /// Empty lines that did not end up inside a join.
    fn release_gap(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        let gap = std::mem::take(&mut self.gap);
        if self.drop_blank_lines {
            counts.add(Rule::BlankLines, gap as u64);
        } else {
            out.extend(std::iter::repeat_with(Line::default).take(gap));
        }
    }

    /// Keeps the held paragraph under [`MAX_LINE_BYTES`] by releasing open pieces of it. Asked
    /// after every line, nearly always under the cap: the cutting is out of line (called whole,
    /// `cap` saved and restored six registers for nothing).
    #[inline]
    fn cap(&mut self, out: &mut Vec<Line>) {
        if self.paragraph.len() > MAX_LINE_BYTES {
            self.cut_to_cap(out);
        }
    }

    #[cold]
    #[inline(never)]
    fn cut_to_cap(&mut self, out: &mut Vec<Line>) {
        // Its pieces come after the titles held back.
        self.release_titles(out);
        while self.paragraph.len() > MAX_LINE_BYTES {
            let cut = cut_point(&self.paragraph, MAX_LINE_BYTES);
            self.paragraph_no_sign = false;
            let rest = self.paragraph.split_off(cut);
            let piece = std::mem::replace(&mut self.paragraph, rest);
            self.forget_paragraph_scans();
            out.push(Line {
                text: piece,
                open: true,
                ..Line::default()
            });
        }
    }
}

/// The texts of joined lines, on their way to the pipeline. A copy of the stage (a trial run
/// over the first batch, `measure`) starts without them: they are no part of its state.
#[derive(Default)]
struct SpareTexts(Vec<String>);

impl Clone for SpareTexts {
    fn clone(&self) -> Self {
        SpareTexts::default()
    }
}

impl LineStage for ReflowStage {
    fn prepare(&mut self, first_batch: &[Line], facts: &mut Facts) {
        if self.join_hard_wraps {
            self.take_wrap(first_batch, facts);
        }
    }

    fn push(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        self.push_measured(line, None, out, counts);
    }

    fn give_spare_texts(&mut self, spare: &mut Vec<String>) {
        spare.append(&mut self.spare_texts.0);
    }

    fn finish(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        self.release(out);
        self.release_titles(out);
        self.release_gap(out, counts);
    }
}

impl ReflowStage {
    /// [`LineStage::push`], told what [`shape::measure`] makes of the line's text when that
    /// was measured already (`measured`; the width model's fit measures the first batch's
    /// lines, which [`LineStage::prepare`] then reflows): where the stage measures the whole
    /// line (a wrap width is known), it takes that rather than measuring again.
    fn push_measured(
        &mut self,
        mut line: Line,
        measured: Option<&Measure>,
        out: &mut Vec<Line>,
        counts: &mut Counts,
    ) {
        if self.reflowed_left > 0 {
            // A line of the first batch, reflowed by `prepare`.
            self.reflowed_left -= 1;
            out.append(&mut self.reflowed);
            counts.merge(&std::mem::take(&mut self.reflowed_counts));
            return;
        }
        if !self.line_complete {
            // This piece continues an overlong line: no break, nothing to decide.
            let needs = self.shape_needs();
            self.shape.extend_as_needed(&line.text, needs);
            self.paragraph_shape.extend_as_needed(&line.text, needs);
            self.paragraph.push_str(&line.text);
            self.paragraph_grew(SeamMarks::UNKNOWN, line.text.chars().next_back());
            self.paragraph_no_sign = false;
            self.paragraph_no_compatibility_form &= line.no_compatibility_form;
            self.line_complete = !line.open;
            self.cap(out);
            return;
        }
        // Leading whitespace is all there is to look at: a line of it only is blank.
        if !line.open && line.text.trim_start().is_empty() {
            self.gap += 1;
            self.spare_texts.0.push(line.text);
            return;
        }
        let needs = self.shape_needs();
        // Measured where it is built: returned and moved, it was copied by reads of 16 bytes
        // over the call's writes of its fields, which wait for those to reach the cache.
        let mut next = LineShape::unmeasured(&line.text);
        match measured {
            // With the width needed, a line is measured whole (`extend_as_needed`).
            Some(measured) if needs.width => next.extend_measured(&line.text, measured),
            _ => next.extend_as_needed(&line.text, needs),
        }
        // In the title region a footnote is read as a line like the others: a second cleaning
        // does not know it was one, and may join it into a title.
        let in_title_region = self.join_titles && self.title_region;
        if line.footnote
            && !line.open
            && !in_title_region
            && !self.reads_note_as_text(&line.text, line.indent, &next)
        {
            // A footnote is never joined into body text: it waits for the paragraph that may
            // go on across the page break, and does not count as a line of it.
            self.hold_footnote(line.text, out, counts);
            self.footnote_below = self.holding;
            return;
        }
        match self.joins(&line.text, line.open, line.indent, &next) {
            Some((rule, annotation)) => {
                counts.add(rule, 1);
                if annotation > 0 {
                    counts.add(Rule::PinyinAnnotation, 1);
                    line.text.drain(..annotation);
                    next.first = line.text.chars().next();
                }
                // The empty lines inside a join are page-break signals, not paragraph breaks.
                self.gap = 0;
                if self.paragraph.capacity() < JOINED_PARAGRAPH_ROOM {
                    // Joined paragraphs grow line by line: room for a typical one at the first
                    // join, rather than growth by doubling from the size of one line.
                    self.paragraph
                        .reserve(JOINED_PARAGRAPH_ROOM.saturating_sub(self.paragraph.len()));
                }
                let seam = self.paragraph.len();
                if join_needs_space(self.paragraph_last(), next.first) {
                    self.paragraph.push(' ');
                    self.paragraph_grew(SeamMarks::SPACE, Some(' '));
                }
                self.paragraph.push_str(&line.text);
                // The line's last character, unless an annotation taken off was all of it.
                let last = next.last.filter(|_| !line.text.is_empty());
                self.paragraph_grew(next.marks, last);
                // The paragraph was scanned whole for the join (`joins`), and so was the line:
                // with none in either, none is in the two joined (the scan looks for the first
                // two bytes of a character, and a space holds none), and the next join does
                // not scan the line again.
                if self.line_has_no_kana_or_hangul.get() && self.kana_free_bytes.get() == seam {
                    self.kana_free_bytes.set(self.paragraph.len());
                }
                self.paragraph_no_sign = self.paragraph_no_sign
                    && line.no_mojibake_sign
                    && no_sign_at_seam(&self.paragraph, seam);
                self.paragraph_no_compatibility_form &= line.no_compatibility_form;
                // The line goes on in its paragraph: its text can hold a later line read.
                self.spare_texts.0.push(line.text);
                self.paragraph_shape.append(&next);
                self.first_line = false;
                if rule == Rule::JoinTitle {
                    self.rejoin_titles(counts);
                }
            }
            None => {
                self.release(out);
                self.release_gap(out, counts);
                self.paragraph = line.text;
                self.paragraph_no_sign = line.no_mojibake_sign;
                self.paragraph_no_compatibility_form = line.no_compatibility_form;
                self.forget_paragraph_scans();
                self.paragraph_read_whole(next.marks);
                self.paragraph_shape = next;
                self.holding = true;
                self.first_line = true;
                self.indented = match &self.wrap {
                    Wrap::Model(model) => model.starts_paragraph(line.indent),
                    _ => false,
                };
            }
        }
        if !is_title_part(&next) {
            self.title_region = false;
            // No title join from here on: what waited for one is written.
            self.release_titles(out);
        }
        self.shape = next;
        if needs.width {
            // What strip took out of the line was printed: as the line before the next one, it
            // was as wide as that on the page. Only there: a wider line before joins more, which
            // a second cleaning, reading the joined line, cannot undo; measured wider as the
            // next line it could be kept apart (a full first line, no title) where a second
            // cleaning, which measures it without them, would join it.
            self.shape.add_stripped_columns(line.stripped_columns);
        }
        self.line_complete = !line.open;
        self.footnote_below = false;
        self.cap(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reflow_with(rules: &RuleSet, lines: &[&str]) -> (Vec<String>, Counts) {
        crate::stages::run_stage(ReflowStage::new(rules), lines)
    }

    fn reflow(lines: &[&str]) -> Vec<String> {
        reflow_with(&RuleSet::default(), lines).0
    }

    /// A short document of short lines whose joins would make lines that measure as hard-wrapped
    /// again, by another width (here a model of 10 em, then 20 columns), which a second cleaning
    /// would join further: it is not read as hard-wrapped, and cleaning it again changes nothing
    /// (the fuzz finding `pipeline-idempotence-848ee0edc3030387`, as it came to reflow).
    #[test]
    fn a_document_whose_joins_would_measure_as_wrapped_again_is_not_joined() {
        let lines = [
            "‰锛墵寮寒硶宣传",
            "æ",
            "工依法行政能力。",
            "ï¼ˆä¸ä»¶ã€‚",
            "ç¾ã€‚",
            "夛紛犲己普法瀹＜",
            "‚",
            "è§[i™„ä»¶ã€‚",
            "“寤灏俱",
            "夛紛犲己普法瀹＜",
            "‚",
            "è§ge:™»¶ã€‚",
            "熬俱",
            "夛紛犲己普法瀹＜",
        ];
        let once = reflow(&lines);
        assert_eq!(once, lines);
        let again: Vec<&str> = once.iter().map(String::as_str).collect();
        assert_eq!(reflow(&again), once);
    }

    /// The fuzz finding `clean-idempotence-c34a4acc7cbd8ccc`: the empty line after the first
    /// line, which the output drops, was read by the width model as a paragraph's end; fitted
    /// so, the lines were no hard-wrapped ones, while the output, read without it, was, and a
    /// second cleaning joined what the first had kept. Both now read the lines as the output
    /// holds them, and the first cleaning makes the joins. (The finding's four lines of eight
    /// Han characters are ten here: its lines of wide characters were all narrower than any
    /// page, and the margin came from a width no line had.)
    #[test]
    fn an_empty_line_the_output_drops_is_measured_as_the_output_has_it() {
        let lines = [
            "\u{FFFD}".repeat(11),
            String::new(),
            "20\u{FFFD}:te-\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}".to_string(),
            "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}%\u{FFFD}\u{FFFD}价\u{FFFD}".to_string(),
            "按照要求开展工作落实".to_string(),
            "按照要求开展工作落实".to_string(),
            "按照要求开展工作落实".to_string(),
            "按照要求开展工作落实".to_string(),
            "\u{FFFD}技ource:".to_string(),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let once = reflow(&lines);
        let without_empty: Vec<&str> = lines.iter().copied().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            once,
            reflow(&without_empty),
            "the empty line decided the joins"
        );
        assert!(once.len() < without_empty.len(), "{once:?}");
        let again: Vec<&str> = once.iter().map(String::as_str).collect();
        assert_eq!(reflow(&again), once);
    }

    /// A page break after a full line that ends a sentence: the page-break join does not
    /// take it (a sentence at a page foot ends its paragraph more often than not), but the
    /// output drops the empty line, and a second cleaning, which reads the two lines one after
    /// the other, finds the first full and joins them. The first cleaning reads them as the
    /// output holds them and joins them too (the fuzz finding
    /// `pipeline-idempotence-9fe1fb4cc3650029`, in which form feeds made the breaks).
    #[test]
    fn a_page_break_the_output_drops_is_read_as_the_output_has_it() {
        let body = "这是一段从文件中提取的文字每一行都被排版软件截断在固定的宽度上所以每页行一样宽。我们需要把它们重新连接成一个完整的段落然后再把结果写出来。";
        let chars: Vec<char> = body.chars().collect();
        let mut lines: Vec<String> = Vec::new();
        for _ in 0..3 {
            lines.push("一、标题".into());
            for (k, chunk) in chars.chunks(20).enumerate() {
                if k == 2 {
                    // The page ends after the line that ends the first sentence.
                    lines.push(String::new());
                }
                lines.push(chunk.iter().collect());
            }
        }
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(lines[2].ends_with('。') && lines[3].is_empty(), "{lines:?}");
        let once = reflow(&lines);
        assert_eq!(once, ["一、标题", body, "一、标题", body, "一、标题", body]);
        let without_empty: Vec<&str> = lines.iter().copied().filter(|l| !l.is_empty()).collect();
        assert_eq!(once, reflow(&without_empty));
        let again: Vec<&str> = once.iter().map(String::as_str).collect();
        assert_eq!(reflow(&again), once);
        // Where the output keeps the empty lines, a second cleaning sees the page break too:
        // the sentence's end ends the paragraph.
        let mut blank_lines_kept = RuleSet::default();
        blank_lines_kept.set(Rule::BlankLines, false);
        let kept = reflow_with(&blank_lines_kept, &lines).0;
        assert_eq!(kept.iter().filter(|l| l.is_empty()).count(), 3, "{kept:?}");
    }

    /// A line that page breaks cut into pieces, each wider than the page (the fault campaign's
    /// finding: form feeds in a line of some 15,000 characters): measured apart, the pieces
    /// are lines wider than any page has, and the document reads as no hard-wrapped one; the
    /// page-break joins make them one line again, among lines that read as wrapped in 40
    /// columns, and a second cleaning would join those. The first cleaning takes the wrap the
    /// output shows, and cleaning its output again changes nothing.
    #[test]
    fn a_wrap_the_page_break_joins_show_is_taken() {
        let body = "这是一段从文件中提取的文字每一行都被排版软件截断在固定的宽度上所以每页行一样宽我们需要把它们重新连接成一个完整的段落然后再把结果写出来。";
        let long = "淮河治污第一战役已取得阶段性成果淮河水质总体上有所好转但仍有一些企业置淮河大局不顾置国法不顾超标排放废水致使个别河段污染呈加重趋势".repeat(5) + "。";
        let body_chars: Vec<char> = body.chars().collect();
        let long_chars: Vec<char> = long.chars().collect();
        let mut lines: Vec<String> = Vec::new();
        let mut expected: Vec<String> = Vec::new();
        for _ in 0..5 {
            lines.push("一、标题".into());
            lines.extend(
                body_chars
                    .chunks(20)
                    .map(|chunk| chunk.iter().collect::<String>()),
            );
            expected.extend(["一、标题".to_string(), body.to_string()]);
        }
        lines.push("二、情况".into());
        for (k, piece) in long_chars.chunks(55).enumerate() {
            if k > 0 {
                lines.push(String::new());
            }
            lines.push(piece.iter().collect());
        }
        expected.extend(["二、情况".to_string(), long.clone()]);
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (once, counts) = reflow_with(&RuleSet::default(), &lines);
        assert_eq!(once, expected);
        assert_eq!(counts.get(Rule::JoinPageBreak), 5);
        let again: Vec<&str> = once.iter().map(String::as_str).collect();
        assert_eq!(reflow(&again), once);
        // What it must not change: without the page breaks' pieces, the document is wrapped
        // as before, and its pieces alone are no wrapped document.
        let (without, _) = reflow_with(&RuleSet::default(), &lines[..25]);
        assert_eq!(without, expected[..10]);
        let pieces = &lines[25..];
        assert_eq!(
            reflow(pieces),
            [expected[10].as_str(), expected[11].as_str()]
        );
    }

    #[test]
    fn under_blank_line_output_a_single_blank_line_separates_paragraphs() {
        // Word's "save as text": a blank line after every paragraph. The first part does not
        // end a sentence, yet it is a paragraph of its own (a heading without a marker).
        let lines = [
            "关于加强管理的意见",
            "",
            "各单位要认真落实",
            "",
            "特此通知。",
        ];
        assert_eq!(
            reflow(&lines),
            ["关于加强管理的意见", "各单位要认真落实", "特此通知。"]
        );
        // Under --blank-line even two paragraphs a blank line apart stay apart (cleaning
        // --blank-line output again changes nothing)…
        let stage = ReflowStage::new(&RuleSet::default()).with_blank_line_output(true);
        let (out, _) =
            crate::stages::run_stage(stage, &["严格执行制度。组织新申", "", "报人员参加考试。"]);
        assert_eq!(out, ["严格执行制度。组织新申", "报人员参加考试。"]);
        // …but a page break (two blank lines, as strip leaves for a removed page number) is
        // still joined across.
        let stage = ReflowStage::new(&RuleSet::default()).with_blank_line_output(true);
        let (out, _) = crate::stages::run_stage(
            stage,
            &["严格执行制度。组织新申", "", "", "报人员参加考试。"],
        );
        assert_eq!(out, ["严格执行制度。组织新申报人员参加考试。"]);
    }

    #[test]
    fn a_title_join_rejoins_the_line_before_when_it_continues_into_the_result() {
        // The fuzz findings: `A` + `B` completes no title, `B` + `C` does (`规定`, or a bracket
        // left open); the second cleaning sees `A` + `BC`, which continues the title.
        for (lines, expected) in [
            (
                &["\u{fffd}", "\u{fffd}\u{fffd}", "規定"][..],
                &["\u{fffd}\u{fffd}\u{fffd}規定"][..],
            ),
            (
                &["択”改革", "根据《中华人民共和囡", "规定"],
                &["択”改革根据《中华人民共和囡规定"],
            ),
        ] {
            let once = reflow(lines);
            assert_eq!(once, expected, "{lines:?}");
            let refs: Vec<&str> = once.iter().map(String::as_str).collect();
            assert_eq!(reflow(&refs), once, "{lines:?}");
        }
        // An office above its title stays apart, and so do lines after the title region.
        assert_eq!(
            reflow(&["运城市司法局", "关于印发《实施", "方案》的通知"]),
            ["运城市司法局", "关于印发《实施方案》的通知"]
        );
    }

    #[test]
    fn no_join_completes_a_pinyin_annotation() {
        // Strip runs before reflow: the annotation the join completed would stay, and only a
        // second clean would remove it (the fuzz finding: `習(xí`, a page number, `)`).
        assert_eq!(reflow(&["習(xí", "", ")"]), ["習(xí", ")"]);
        // Nor a join that would compose a letter with the mark the next line starts with.
        let lines = [
            "在使用这个软件的时候，我们在界面上看到了Y",
            "",
            "\u{301}字样。",
        ];
        assert_eq!(reflow(&lines), [lines[0], lines[2]]);
        // Nor a rejoin of the title region (`)` + `)` is a title join).
        assert_eq!(reflow(&["習習(xí", ")", ")"]), ["習習(xí", "))"]);
        assert_eq!(
            reflow(&["要认真学习", "", "(xí)近平思想"]),
            ["要认真学习", "(xí)近平思想"]
        );
    }

    /// A wrap between a character and its pinyin annotation (`应` / `(yīng)诉`): the join takes
    /// the annotation out, which strip, reading a line at a time, could not (a page number
    /// between the two lines hid the character from it). Counted as strip counts it.
    #[test]
    fn an_annotation_a_wrap_cut_from_its_character_is_taken_at_the_join() {
        let lines = [
            "各级行政机关要依法行政。行政机关要认真做好行政应",
            "",
            "(yīng)诉工作，依法履行出庭应诉职责。",
        ];
        let (out, counts) = reflow_with(&RuleSet::default(), &lines);
        assert_eq!(
            out,
            ["各级行政机关要依法行政。行政机关要认真做好行政应诉工作，依法履行出庭应诉职责。"]
        );
        assert_eq!(counts.get(Rule::PinyinAnnotation), 1);
        assert_eq!(counts.get(Rule::JoinPageBreak), 1);
        // Full-width parentheses, and spaces between, go the same way.
        let lines = [
            "各级行政机关要依法行政。行政机关要认真做好行政应",
            "",
            " （yīng）诉工作。",
        ];
        assert_eq!(
            reflow(&lines),
            ["各级行政机关要依法行政。行政机关要认真做好行政应诉工作。"]
        );
    }

    /// What the join must not take: parentheses that read no syllable of the character before
    /// them (joined, kept), a syllable without tone marks (the document's permission is
    /// strip's: the lines stay apart, as before), an annotation in Japanese text (joined,
    /// kept), and any annotation with the rule off (apart).
    #[test]
    fn a_join_takes_no_parentheses_but_an_annotation_of_chinese_text() {
        let head = "各级行政机关要依法行政。行政机关要认真做好行政应";
        for after in ["(2021年)诉讼工作。", "(zhōng)诉讼工作。", "(LED)诉讼工作。"]
        {
            let (out, counts) = reflow_with(&RuleSet::default(), &[head, "", after]);
            assert_eq!(out, [format!("{head}{after}")], "{after}");
            assert_eq!(counts.get(Rule::PinyinAnnotation), 0, "{after}");
        }
        assert_eq!(
            reflow(&[head, "", "(ying)诉工作。"]),
            [head, "(ying)诉工作。"]
        );
        let japanese = [
            "東京で開かれた会議では、これからの行政のあり方について話し合われた。その中で京",
            "",
            "(jīng)都の代表はこう述べた。",
        ];
        assert_eq!(
            reflow(&japanese),
            [format!("{}{}", japanese[0], japanese[2])]
        );
        let mut rules = RuleSet::default();
        rules.set(Rule::PinyinAnnotation, false);
        let (out, _) = reflow_with(&rules, &[head, "", "(yīng)诉工作。"]);
        assert_eq!(out, [head, "(yīng)诉工作。"]);
    }

    #[test]
    fn no_join_completes_a_converter_marker() {
        // Strip runs before reflow: a marker the join completed would stay, and only a second
        // clean would remove it.
        assert_eq!(
            reflow(&["如图[image: flow", "", "chart.png]所示"]),
            ["如图[image: flow", "chart.png]所示"]
        );
    }

    #[test]
    fn a_lone_list_marker_takes_the_line_after_it() {
        // pdftotext prints Word's automatic numbers apart from their text.
        assert_eq!(
            reflow(&[
                "一、",
                "",
                "2021年推进法治政府建设的主要举措和成效",
                "1.",
                "",
                "完善法治建设责任清单。",
                "（二）",
                "提升服务水平",
            ]),
            [
                "一、2021年推进法治政府建设的主要举措和成效",
                "1.完善法治建设责任清单。",
                "（二）提升服务水平"
            ]
        );
        // Not into another marker or heading, not a number or a marker with its text, and a
        // marker last stays.
        for lines in [
            &["1.", "2.", "3."][..],
            &["一、", "", "（一）加强组织领导"],
            &["2021.", "", "年度报告"],
            &["一、总则", "", "第一条"],
            &["特此通知。", "", "1."],
        ] {
            assert_eq!(reflow(lines), texts_without_blanks(lines), "{lines:?}");
        }
    }

    fn texts_without_blanks<'a>(lines: &[&'a str]) -> Vec<&'a str> {
        lines.iter().filter(|l| !l.is_empty()).copied().collect()
    }

    #[test]
    fn page_break_joins() {
        // The first part does not end a sentence: joined, no space between Chinese characters.
        assert_eq!(
            reflow(&["16. 严格执行制度。组织新申", "", "报人员参加考试。"]),
            ["16. 严格执行制度。组织新申报人员参加考试。"]
        );
        assert_eq!(
            reflow(&[
                "对县（市、区）级企业的行政检查、",
                "",
                "",
                "科技型中小企业评价。"
            ]),
            ["对县（市、区）级企业的行政检查、科技型中小企业评价。"]
        );
        // Two ASCII words meet: one space. (The first part is longer than a title.)
        assert_eq!(
            reflow(&[
                "在使用这个软件的时候，我们在界面上看到了 the quick brown",
                "",
                "fox 字样。"
            ]),
            ["在使用这个软件的时候，我们在界面上看到了 the quick brown fox 字样。"]
        );
    }

    #[test]
    fn page_break_keeps_real_boundaries() {
        let cases: &[&[&str]] = &[
            // The first part ends a sentence.
            &["第一段结束。", "", "第二段开始。"],
            &["如下：", "", "报告正文。"],
            &["（重点实验室）", "", "科技型中小企业评价。"],
            // The next part starts a list item or heading.
            &["现将有关情况报告如下", "", "一、主要举措"],
            &["按照要求开展工作，", "", "（一）加强组织领导"],
            &["按照要求开展工作，", "", "2. 全面落实"],
            // Titles, dates and signatures stay on their own lines.
            &["运城市科学技术局", "", "关于 2021 年法治政府建设的年度报告"],
            &["运城市科学技术局", "", "2021年12月30日"],
            &[
                "2021年推进法治政府建设存在的不足和原因",
                "",
                "一是，创新有待加强。",
            ],
            &[
                "（一）早谋划，确定全年工作要点",
                "",
                "发挥依法行政领导小组作用。",
            ],
        ];
        for lines in cases {
            let expected: Vec<&str> = lines.iter().copied().filter(|l| !l.is_empty()).collect();
            assert_eq!(reflow(lines), expected, "{lines:?}");
        }
    }

    #[test]
    fn lines_without_a_break_are_not_joined_in_a_document_that_is_not_wrapped() {
        let lines = [
            "中站区科工信局",
            "关于2023年法治政府建设工作情况的报告",
            "按照安排，现将情况报告如下：",
            "一、强化组织领导",
        ];
        assert_eq!(reflow(&lines), lines);
    }

    #[test]
    fn hard_wrapped_text_is_joined_at_the_wrap_width() {
        let body = "这是一段从PDF文件中提取的文字每一行都被排版软件截断在固定的宽度上我们需要把它们重新连接成一个完整的段落，然后再输出结果。";
        let chars: Vec<char> = body.chars().collect();
        let mut lines: Vec<String> = Vec::new();
        for _ in 0..3 {
            lines.push("一、标题".into());
            for chunk in chars.chunks(20) {
                lines.push(chunk.iter().collect());
            }
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (out, counts) = reflow_with(&RuleSet::default(), &refs);
        assert_eq!(out, ["一、标题", body, "一、标题", body, "一、标题", body]);
        assert!(counts.get(Rule::JoinHardWrap) > 0);
        let mut facts = Facts::default();
        let batch: Vec<Line> = refs.iter().map(|l| Line::new(*l)).collect();
        ReflowStage::new(&RuleSet::default()).prepare(&batch, &mut facts);
        assert_eq!(facts.get("wrap-width").map(String::as_str), Some("40"));
    }

    #[test]
    fn clean_documents_are_not_called_hard_wrapped() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/seeds/001_3eda85141095d995.txt"
        ))
        .unwrap();
        let lines: Vec<Line> = text.lines().map(Line::new).collect();
        assert_eq!(detect_wrap_width(&lines), None);
        let same: Vec<Line> = (0..20).map(|_| Line::new("短行")).collect();
        assert_eq!(detect_wrap_width(&same), None, "too narrow to be a page");
    }

    #[test]
    fn each_join_rule_switches_off() {
        let lines = ["组织新申", "", "报人员参加考试。"];
        let (out, counts) = reflow_with(&RuleSet::only(&[Rule::BlankLines]), &lines);
        assert_eq!(out, ["组织新申", "报人员参加考试。"]);
        assert_eq!(counts.get(Rule::BlankLines), 1);
        let (out, _) = reflow_with(&RuleSet::none(), &lines);
        assert_eq!(out, lines);
    }

    /// Runs the stage over lines that carry what strip tells (indentation, footnotes).
    fn reflow_lines(lines: Vec<Line>) -> (Vec<String>, Counts, Facts) {
        crate::stages::run_stage_on(&mut ReflowStage::new(&RuleSet::default()), lines)
    }

    /// pdftotext of a LibreOffice PDF (A4, 14 pt, a page of 30 Han characters): indented first
    /// lines two characters short, lines with digits and layout gaps (`2023 年`) shorter by
    /// count but full by width.
    const PDFTOTEXT: &[&str] = &[
        "中站区科工信局",
        "关于 2023 年法治政府建设工作情况的报告",
        "按照区委全面依法治区委员会统一安排部署，现将区科工信局",
        "2023 年度法治政府建设工作情况报告如下：",
        "一、强化组织领导",
        "我局坚持党组对法治建设工作的领导，及时相应调整充实了区科",
        "工信局法治政府建设工作领导小组，局党组书记、局长赵小强同志亲",
        "任组长，分管副职为副组长，各科室负责人为小组成员，严格按要求",
        "配备、配足、配强法治人员，使法治政府工作有领导抓、有机构管、",
        "有专人办，从组织机构上保证依法行政工作的开展。同时，不断强化",
        "局法治政府建设领导小组的自身建设，充分发挥法治政府建设工作机",
        "构和各科室的职能作用，将法治建设与中心工作、部门工作同部署、",
        "同研究、同考核、同落实，强化工作协调和行业指导，推动工作对接",
        "和协同促进，有效实现局法治政府建设领导小组与各科室协调指导工",
        "作机构之间的通畅、规范运作，形成法治政府建设工作合力，为法治",
        "政府工作顺利开展奠定坚实的基础。",
        "二、健全工作机制",
        "办理各项提案、议案。2023 年，我局共承办人大议案、政协提案",
        "共计 5 件，其中人大议案 1 件，政协提案 4 件，满意率 100%。",
        "五、党政主要负责人履行推进法治建设第一责任人职责情况",
        "2023 年，局党组书记、局长认真履行推进法治建设第一责任人职",
        "责，推动我区科工信系统法治政府建设迈上新台阶。",
    ];

    #[test]
    fn lines_full_by_width_are_joined_and_headings_kept() {
        let lines: Vec<Line> = PDFTOTEXT.iter().map(|l| Line::new(*l)).collect();
        let (out, counts, facts) = reflow_lines(lines);
        assert_eq!(
            out,
            [
                "中站区科工信局",
                "关于 2023 年法治政府建设工作情况的报告",
                "按照区委全面依法治区委员会统一安排部署，现将区科工信局2023 年度法治政府建设工作情况报告如下：",
                "一、强化组织领导",
                &PDFTOTEXT[5..16].concat(),
                "二、健全工作机制",
                "办理各项提案、议案。2023 年，我局共承办人大议案、政协提案共计 5 件，其中人大议案 1 件，政协提案 4 件，满意率 100%。",
                "五、党政主要负责人履行推进法治建设第一责任人职责情况",
                "2023 年，局党组书记、局长认真履行推进法治建设第一责任人职责，推动我区科工信系统法治政府建设迈上新台阶。",
            ]
        );
        assert_eq!(counts.get(Rule::JoinHardWrap), 13);
        assert_eq!(facts.get("wrap-width").map(String::as_str), Some("60"));
    }

    /// `pdftotext -layout`: the indentation strip recorded starts each paragraph, even where
    /// the line before is full.
    #[test]
    fn layout_indentation_starts_paragraphs() {
        let mut lines: Vec<Line> = Vec::new();
        // A paragraph whose last line is as full as the others.
        let body = &PDFTOTEXT[5..15];
        for _ in 0..3 {
            for (i, text) in body.iter().enumerate() {
                lines.push(Line {
                    indent: if i == 0 { 3 } else { 0 },
                    ..Line::new(*text)
                });
            }
        }
        let (out, _, facts) = reflow_lines(lines);
        let paragraph = body.concat();
        assert_eq!(out, [paragraph.as_str(), &paragraph, &paragraph]);
        assert!(facts
            .get("wrap-model")
            .is_some_and(|m| m.contains("body indent 0")));
    }

    /// The top of a document is measured for hard wraps as its title joins leave it: a second
    /// cleaning reads the joined title as one line (the fuzz finding: `������������` + `通知`,
    /// two short lines the first cleaning measured apart; the second measured one more full
    /// line, found the document hard-wrapped, and joined every line).
    #[test]
    fn a_title_split_in_two_is_measured_joined() {
        let fuzzed = [
            "\u{FFFD}".repeat(12),
            "通知".into(),
            "\u{FFFD}".repeat(14) + "。",
            "\u{FFFD}".repeat(8) + "B50180)",
            "\u{FFFD}\u{FFFD}(xue)\u{FFFD}(\u{FFFD}|\u{FFFD}q".into(),
            String::new(),
            "\u{FFFD}ixi)".to_string() + &"\u{FFFD}".repeat(14),
            "\u{FFFD}(sh)\u{FFFD}\u{FFFD}\u{FFFD}音\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}".into(),
            "\u{FFFD}".repeat(16),
            "\u{FFFD}".repeat(16),
        ];
        // A Chinese one: seven lines of running text as wide as the joined title.
        let body = "我局坚持党组对法治建设工作的领导";
        let mut chinese = vec!["关于进一步加强城市管理工作".to_string(), "的通知".into()];
        chinese.extend(std::iter::repeat_n(body.to_string(), 7));
        for input in [fuzzed.to_vec(), chinese.clone()] {
            let (once, _, facts) = reflow_lines(input.iter().map(Line::new).collect());
            let (twice, counts, _) = reflow_lines(once.iter().map(Line::new).collect());
            assert_eq!(twice, once, "{input:?}");
            assert!(counts.is_empty(), "{input:?}: {counts:?}");
            assert!(facts.contains_key("wrap-width"), "{input:?}");
            // Nothing lost: joins only.
            assert_eq!(once.concat(), input.concat());
        }
        let (once, _, _) = reflow_lines(chinese.iter().map(Line::new).collect());
        assert_eq!(
            once,
            [
                "关于进一步加强城市管理工作的通知".to_string(),
                body.repeat(7)
            ]
        );
    }

    /// The page width is the most common width a page can have: a hard-wrapped document whose
    /// headings and paragraph ends, short lines of wide characters only, outnumber its full
    /// lines of any one width is still found wrapped (pdftotext/doc002 of the exports was not).
    #[test]
    fn short_headings_do_not_hide_the_page_width() {
        let paragraphs = [
            (
                "一、基本原则",
                "然而有更多的困难职工家庭不可能成为",
                "领导干部的扶贫对象省总工会通过参",
                "与政策制定。",
            ),
            (
                "二、工作机制",
                "实施送温暖工程需要资金钱从哪里来鄂",
                "州市在全省率先成立市级职工扶贫帮",
                "困互助会。",
            ),
            (
                "三、统筹协调",
                "全省已有省辖市和县市区建立了送温暖",
                "基金或职工扶贫互助会全省已筹集专",
                "项资金。",
            ),
            (
                "四、服务水平",
                "对特别困难又丧失了劳动能力的职工给",
                "予物质救助进行输血对更多的下岗职",
                "工扶志。",
            ),
        ];
        let mut lines = Vec::new();
        let mut expected = Vec::new();
        for (heading, a, b, c) in paragraphs {
            assert_eq!((a.chars().count(), b.chars().count()), (17, 16));
            lines.extend([heading, a, b, c].map(Line::new));
            expected.push(heading.to_string());
            expected.push([a, b, c].concat());
        }
        let (out, _, facts) = reflow_lines(lines);
        assert_eq!(out, expected);
        assert!(facts
            .get("wrap-model")
            .is_some_and(|m| m.contains("margin 17 em")));
        // What it must not take: the same lines, none full, are no hard-wrapped document.
        let mut short = Vec::new();
        for (heading, _, _, c) in paragraphs {
            short.extend([heading, c, c, c].map(Line::new));
        }
        let (out, counts, facts) = reflow_lines(short.clone());
        assert_eq!(out.len(), short.len());
        assert!(counts.get(Rule::JoinHardWrap) == 0 && !facts.contains_key("wrap-width"));
    }

    /// What the measure must not change: a top without a title join is measured as it is (the
    /// indentation of its lines kept), and a joined title keeps its first part's indentation.
    #[test]
    fn a_top_without_title_joins_is_measured_as_it_is() {
        let stage = ReflowStage::new(&RuleSet::default());
        let lines: Vec<Line> = PDFTOTEXT.iter().map(|l| Line::new(*l)).collect();
        assert!(stage.with_titles_joined(&lines).is_none());
        let indented = |text: &str, indent| Line {
            indent,
            ..Line::new(text)
        };
        let lines = vec![
            indented("关于进一步加强城市管理工作", 6),
            indented("的通知", 12),
            Line::new(""),
            indented(PDFTOTEXT[5], 2),
            Line::new(PDFTOTEXT[6]),
        ];
        let measured = stage
            .with_titles_joined(&lines)
            .expect("a title join")
            .lines;
        let texts: Vec<&str> = measured.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "关于进一步加强城市管理工作的通知",
                PDFTOTEXT[5],
                PDFTOTEXT[6]
            ]
        );
        let indents: Vec<u16> = measured.iter().map(|l| l.indent).collect();
        assert_eq!(indents, [6, 2, 0]);
    }

    /// A footnote at the page foot stays a paragraph of its own, after the paragraph the page
    /// break interrupted; its own second line joins it.
    #[test]
    fn footnotes_wait_for_the_paragraph_across_the_page_break() {
        let note = |text: &str| Line {
            footnote: true,
            ..Line::new(text)
        };
        let lines = vec![
            Line::new("一、强化组织领导"),
            Line::new("我局坚持党组对法治建设工作的领导，及时相应调整充实了区科工信局法治"),
            note("1 本文根据局党组会议记录整理，"),
            note("有删节。"),
            note("2 见《条例》第三条。"),
            Line::new(""),
            Line::new("政府建设工作领导小组。"),
            Line::new("二、健全工作机制"),
        ];
        let (out, _, _) = reflow_lines(lines);
        assert_eq!(
            out,
            [
                "一、强化组织领导",
                "我局坚持党组对法治建设工作的领导，及时相应调整充实了区科工信局法治政府建设工作领导小组。",
                "1 本文根据局党组会议记录整理，有删节。",
                "2 见《条例》第三条。",
                "二、健全工作机制",
            ]
        );
    }

    /// A note is read as a line of text where a second cleaning, which no longer sees the page
    /// foot that made it a note, would join it: a list marker alone takes the note after it
    /// as its item, and a note that is a marker alone takes the line after it (the fuzz
    /// finding: `①`, then the note `1(`).
    #[test]
    fn a_note_a_list_marker_takes_is_its_item() {
        let note = |text: &str| Line {
            footnote: true,
            ..Line::new(text)
        };
        let (out, _, _) = reflow_lines(vec![
            Line::new("正文第一段。"),
            Line::new("①"),
            note("1本文根据会议记录整理。"),
        ]);
        assert_eq!(out, ["正文第一段。", "①1本文根据会议记录整理。"]);
        let (out, _, _) = reflow_lines(vec![
            Line::new("正文第一段。"),
            note("1本文根据会议记录整理。"),
            note("②"),
            Line::new(""),
            Line::new("同上。"),
        ]);
        assert_eq!(out, ["正文第一段。", "1本文根据会议记录整理。", "②同上。"]);
        // What it must not join: a note after a paragraph that is no marker alone, or one that
        // starts an item of its own after a marker (neither joins as a line of text either).
        for lines in [
            vec![Line::new("正文第一段。"), note("1本文根据会议记录整理。")],
            vec![Line::new("①"), note("②参见《条例》第三条。")],
        ] {
            let texts: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
            let (out, _, _) = reflow_lines(lines);
            assert_eq!(out, texts);
        }
    }

    /// pdftotext of a page of 27 ems whose paragraphs start two ems in (`ex000` of
    /// `fixtures/exports-variants`): the body above a page foot, the lines of the next page
    /// after its first, and the footnote printed at that foot.
    const ABOVE_THE_FOOT: &[&str] = &[
        "本月 10 日，阿富汗反塔利班联盟发言人阿卜杜拉表示，反",
        "塔利班联盟接受塔利班最高领导人乌马尔去年 12 月 28 日提出",
        "的和谈建议，即成立一个由双方伊斯兰学者组成的委员会进行",
        "会谈，以决定和平解决阿富汗问题。但反塔利班联盟仍然认",
        "为，其他人士也应被考虑加入这一进程。这位发言人还表示，",
        "他们将尽快拟定有关人员名单，尔后发往塔利班总部坎大哈。",
        "具体会谈时间和地点有待商定。",
        "此前，在是否坐下来和谈的问题上，双方都坚持各自的立",
        "场和先决条件，塔利班要求对方首先释放己方被俘人员；反塔",
        "利班联盟则要求塔利班撤出喀布尔，实现喀城非军事化。此间媒",
        "体注意到，这回双方谁也没提这些先决条件；虽然目前只同意由",
        "各自选派的伊斯兰学者进行会谈，但这毕竟是一种积极迹象。",
        "塔利班提出的和谈建议总算得到了对方的积极回应。这与过去",
        "一年中双方数次拒绝对方的和谈建议相比，意味着阿和谈出现",
        "转机。",
        "阿富汗局势之所以发展到对立双方同意通过各自选派的伊",
        "斯兰学者进行对话，其中主要有三方面的原因：一是经过一年",
    ];
    const NEXT_PAGE_REST: &[&str] = &[
        "反塔利班联盟也没能将对方逐出喀布尔。二是双方也认识到，",
        "靠军事手段抢占地盘不可能赢得国际社会广泛承认。以塔利班",
        "为例，目前它控制着阿 70%左右的面积，占据着首都喀布尔，",
        "但仍不能取得在联合国中的席位，承认其合法地位的国家寥寥",
        "无几。",
    ];
    const FOOTNOTE: &str = "1 本文根据义乌市教育局会议记录整理。";
    /// A last line at the margin that ends a sentence.
    const FULL_AT_THE_FOOT: &str = "多的厮杀，双方都意识到，要在军事上彻底打垮对手不可能。";
    /// A full line, wider than a paragraph's first line can be.
    const GOES_ON: &str = "塔利班无法夺取仍控制在对方手中的约占阿幅员 30%的地盘；";

    /// The page foot: `last` the last body line, the footnote under it if `footnote`, the
    /// empty lines strip leaves for the furniture it removed, and the next page, `first` its
    /// first line. In layout text (`layout`) paragraphs start three columns in and are a
    /// blank line apart. `None` for `first`: the document ends at the footnote.
    fn page_foot(last: &str, footnote: bool, first: Option<&str>, layout: bool) -> Vec<Line> {
        let starts = |text: &str| {
            ["本月", "此前", "阿富汗", "塔利班无法夺取。", "阿富汗战乱"]
                .iter()
                .any(|start| text.starts_with(start))
        };
        let line = |text: &str| Line {
            indent: if layout && starts(text) { 3 } else { 0 },
            ..Line::new(text)
        };
        let mut lines = Vec::new();
        for text in ABOVE_THE_FOOT.iter().copied().chain([last]) {
            if layout && starts(text) && !lines.is_empty() {
                lines.push(Line::new(""));
            }
            lines.push(line(text));
        }
        if footnote {
            lines.push(Line {
                footnote: true,
                ..Line::new(FOOTNOTE)
            });
        }
        if let Some(first) = first {
            lines.extend([Line::new(""), Line::new("")]);
            lines.push(line(first));
            lines.extend(NEXT_PAGE_REST.iter().map(|text| line(text)));
        }
        lines
    }

    /// The paragraph and the footnote as they come out, and whether the paragraph was joined
    /// across the page break.
    fn across_the_foot(lines: Vec<Line>) -> (Vec<String>, u64) {
        let (out, counts, facts) = reflow_lines(lines);
        assert!(facts.contains_key("wrap-model"), "{facts:?}");
        let start = out
            .iter()
            .position(|l| l.starts_with("阿富汗局势"))
            .expect("the paragraph");
        (out[start..].to_vec(), counts.get(Rule::JoinPageBreak))
    }

    /// A paragraph whose first half ends a sentence at the margin of a page, a footnote below
    /// it, goes on in the next page's first line when that line is wider than a paragraph's
    /// first line can be: the halves are joined, the footnote comes after.
    #[test]
    fn a_paragraph_full_at_the_foot_goes_on_past_its_footnote() {
        for layout in [false, true] {
            let lines = page_foot(FULL_AT_THE_FOOT, true, Some(GOES_ON), layout);
            let (out, joins) = across_the_foot(lines);
            let whole = [
                ABOVE_THE_FOOT[15],
                ABOVE_THE_FOOT[16],
                FULL_AT_THE_FOOT,
                GOES_ON,
            ]
            .into_iter()
            .chain(NEXT_PAGE_REST.iter().copied())
            .collect::<String>();
            assert_eq!(out, [whole.as_str(), FOOTNOTE], "layout {layout}");
            assert_eq!(joins, 1, "layout {layout}");
        }
    }

    /// Text that lost the layout's indentation: a full line that ends a sentence, then a line
    /// exactly as wide as an indented first line. A new paragraph starts there (joined, its
    /// first line would be taken for the last of the paragraph above, and the break put after
    /// it). Not when the full line ends no sentence, nor when the next line is wider than a
    /// first line can be: those go on the paragraph, as before.
    #[test]
    fn a_sentence_ending_at_the_margin_before_a_full_first_line_ends_its_paragraph() {
        let first_line = ABOVE_THE_FOOT[7];
        let paragraph = &ABOVE_THE_FOOT[7..12];
        let reflowed = |last: &str, next: &[&str]| {
            let lines = ABOVE_THE_FOOT
                .iter()
                .copied()
                .chain([last])
                .chain(next.iter().copied())
                .map(Line::new)
                .collect();
            let (out, _, facts) = reflow_lines(lines);
            assert!(facts.contains_key("wrap-model"), "{facts:?}");
            out
        };
        let out = reflowed(FULL_AT_THE_FOOT, paragraph);
        assert!(out[out.len() - 2].ends_with(FULL_AT_THE_FOOT), "{out:#?}");
        assert_eq!(out[out.len() - 1], paragraph.concat());

        let goes_on = "多的厮杀，双方都意识到，要在军事上彻底打垮对手不可能，";
        let out = reflowed(goes_on, paragraph);
        let joined = [goes_on, first_line].concat();
        assert!(out.iter().any(|l| l.ends_with(&joined)), "{out:#?}");

        let out = reflowed(FULL_AT_THE_FOOT, &[GOES_ON]);
        let joined = [FULL_AT_THE_FOOT, GOES_ON].concat();
        assert!(out[out.len() - 1].ends_with(&joined), "{out:#?}");
    }

    /// A news item's dateline (`据新华社…电`) starts a paragraph: a full line that ends a
    /// sentence before it ends its paragraph, on the page and past a footnote at the page
    /// foot, though the dateline's line is as wide as a line that goes on. A line before it
    /// that ends no sentence still goes on into it, and so does a full sentence end before a
    /// line that only begins like one (`新华社记者日前电话采访`).
    #[test]
    fn a_sentence_ending_at_the_margin_before_a_dateline_ends_its_paragraph() {
        let dateline = "据新华社喀布尔 1 月 28 日电（记者张三）阿富汗各派在这里说，";
        let rest = NEXT_PAGE_REST[0];
        let reflowed = |last: &str, next: &str| {
            let lines = ABOVE_THE_FOOT
                .iter()
                .copied()
                .chain([last, next, rest])
                .map(Line::new)
                .collect();
            let (out, _, facts) = reflow_lines(lines);
            assert!(facts.contains_key("wrap-model"), "{facts:?}");
            out
        };
        let out = reflowed(FULL_AT_THE_FOOT, dateline);
        assert!(out[out.len() - 2].ends_with(FULL_AT_THE_FOOT), "{out:#?}");
        assert_eq!(out[out.len() - 1], [dateline, rest].concat());

        let (out, joins) =
            across_the_foot(page_foot(FULL_AT_THE_FOOT, true, Some(dateline), false));
        assert!(out[0].ends_with(FULL_AT_THE_FOOT), "{out:#?}");
        assert_eq!(out[1], FOOTNOTE);
        assert!(out[2].starts_with(dateline), "{out:#?}");
        assert_eq!(joins, 0);

        let goes_on = "多的厮杀，双方都意识到，要在军事上彻底打垮对手不可能，";
        let out = reflowed(goes_on, dateline);
        let joined = [goes_on, dateline, rest].concat();
        assert!(out[out.len() - 1].ends_with(&joined), "{out:#?}");

        let no_dateline = "新华社记者日前电话采访了阿富汗各派在这里的代表，他们说，";
        let out = reflowed(FULL_AT_THE_FOOT, no_dateline);
        let joined = [FULL_AT_THE_FOOT, no_dateline, rest].concat();
        assert!(out[out.len() - 1].ends_with(&joined), "{out:#?}");
    }

    /// In layout text the indentation tells: a first line on the next page at the body's
    /// indentation goes on the paragraph, even no wider than a paragraph's first line.
    #[test]
    fn in_layout_text_the_next_pages_indentation_tells() {
        let first = "塔利班无法夺取仍控制在对方手中的约占全阿的地盘；";
        let (out, joins) = across_the_foot(page_foot(FULL_AT_THE_FOOT, true, Some(first), true));
        assert_eq!(out.len(), 2, "{out:#?}");
        assert!(out[0].ends_with("无几。") && out[1] == FOOTNOTE, "{out:#?}");
        assert_eq!(joins, 1);
        // Indented deeper than the body: a paragraph starts there.
        let first = "塔利班无法夺取。";
        let (out, joins) = across_the_foot(page_foot(FULL_AT_THE_FOOT, true, Some(first), true));
        assert_eq!(out[1..3], [FOOTNOTE, first]);
        assert_eq!(joins, 0);
    }

    /// Without a footnote below it, the output has the line full at the foot right before the
    /// next page's first line, the empty lines of the break dropped: read so, as a second
    /// cleaning of a still-wrapped output would, the width decides, and a next page that
    /// starts no paragraph goes on the paragraph.
    #[test]
    fn without_a_footnote_a_line_full_at_the_foot_is_read_as_the_output_has_it() {
        let lines = page_foot(FULL_AT_THE_FOOT, false, Some(GOES_ON), false);
        let without_empty: Vec<Line> = lines
            .iter()
            .filter(|l| !l.text.is_empty())
            .cloned()
            .collect();
        let (out, _, _) = reflow_lines(lines);
        let (read_as_output, _, _) = reflow_lines(without_empty);
        assert_eq!(out, read_as_output);
        let (_, joins) = across_the_foot(page_foot(FULL_AT_THE_FOOT, false, Some(GOES_ON), false));
        assert_eq!(joins, 0, "no page-break join: the width joined it");
        let paragraph = out.iter().find(|l| l.contains(FULL_AT_THE_FOOT)).unwrap();
        assert!(
            paragraph.contains(&format!("{FULL_AT_THE_FOOT}{GOES_ON}")),
            "{out:#?}"
        );
    }

    /// What the footnote's place alone does not change: a paragraph that ends at the foot with
    /// a short last line keeps its end; one full at the foot is not joined to a next page that
    /// starts a paragraph (its first line short by the indent); and a footnote with no page
    /// after it ends the text.
    #[test]
    fn a_paragraph_that_ends_at_the_foot_keeps_its_end() {
        let short = "多的厮杀，双方都意识到了。";
        let starts = "阿富汗战乱至今持续了 18 年，非但使阿本国饱受痛苦，也";
        for layout in [false, true] {
            for (last, footnote, first) in
                [(short, true, GOES_ON), (FULL_AT_THE_FOOT, true, starts)]
            {
                let lines = page_foot(last, footnote, Some(first), layout);
                let (out, joins) = across_the_foot(lines);
                let case = format!("{last} / {first}, footnote {footnote}, layout {layout}");
                assert!(out[0].ends_with(last), "{case}: {out:#?}");
                let next = if footnote {
                    assert_eq!(out[1], FOOTNOTE, "{case}");
                    &out[2]
                } else {
                    &out[1]
                };
                assert!(next.starts_with(first), "{case}: {out:#?}");
                assert_eq!(joins, 0, "{case}");
            }
            let (out, _) = across_the_foot(page_foot(FULL_AT_THE_FOOT, true, None, layout));
            assert!(out[0].ends_with(FULL_AT_THE_FOOT), "{out:#?}");
            assert_eq!(out[1..], [FOOTNOTE]);
        }
    }

    /// A footnote's wrapped lines are joined as body lines are: never where the join is not NFC
    /// at the seam (the fuzz finding: a footnote `Y`, its next line starting with U+0301).
    #[test]
    fn a_footnote_line_is_not_joined_before_a_combining_mark() {
        let note = |text: &str| Line {
            footnote: true,
            ..Line::new(text)
        };
        let lines = vec![
            Line::new("正文第一段的内容。"),
            Line::new("正文第二段的内容，"),
            note("1 Y"),
            note("\u{301}"),
            note("2 见《条例》"),
            note("第三条。"),
        ];
        let (out, _, _) = reflow_lines(lines);
        assert_eq!(
            out,
            [
                "正文第一段的内容。",
                "正文第二段的内容，",
                "1 Y",
                "\u{301}",
                "2 见《条例》第三条。"
            ]
        );
    }

    /// Before any running text a footnote line is a line like the others: the second cleaning
    /// cannot tell it was one (the fuzz finding: a footnote `(` then `-`, title-joined only by
    /// the second cleaning).
    #[test]
    fn a_footnote_in_the_title_region_is_read_as_a_line() {
        let lines = vec![
            Line {
                footnote: true,
                ..Line::new("(")
            },
            Line::new("-"),
        ];
        let (out, _, _) = reflow_lines(lines);
        assert_eq!(out, reflow(&["(", "-"]));
    }

    #[test]
    fn open_pieces_stay_one_line_and_the_paragraph_is_capped() {
        let mut stage = ReflowStage::new(&RuleSet::default());
        let mut out = Vec::new();
        let mut counts = Counts::default();
        let sentence = "很长的句子没有结束，";
        let piece = sentence.repeat(MAX_LINE_BYTES / sentence.len() / 2);
        for _ in 0..5 {
            stage.push(
                Line {
                    text: piece.clone(),
                    open: true,
                    ..Line::default()
                },
                &mut out,
                &mut counts,
            );
        }
        stage.push(Line::new("结束。"), &mut out, &mut counts);
        stage.finish(&mut out, &mut counts);
        assert!(out.iter().all(|l| l.text.len() <= MAX_LINE_BYTES));
        assert!(out[..out.len() - 1].iter().all(|l| l.open));
        assert!(!out.last().unwrap().open);
        let joined: String = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined, piece.repeat(5) + "结束。");
    }
}
