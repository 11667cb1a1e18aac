//! Footnotes at a page foot: held back until the paragraph the page break interrupted is out,
//! and the few cases where a note is read as text or the paragraph goes on past it.

use super::classify;
use super::lead::lead_room;
use super::seam::may_join;
use super::shape::LineShape;
use super::{ReflowStage, Wrap};
use crate::report::Counts;
use crate::rules::Rule;
use crate::stages::{Line, MAX_LINE_BYTES};
use crate::text::join_needs_space;

impl ReflowStage {
    /// Is a line strip marked as a footnote read as a line of text all the same? Strip knows
    /// a note by the page foot it stands at, which the output no longer shows: a second
    /// cleaning reads the note as text, and where that reading joins it to a neighbour without
    /// a page break or a wrap width between (a list marker alone and its item), the first
    /// cleaning must join them too, or the second joins what the first kept apart (the fuzz
    /// finding `pipeline-idempotence-fc90ea8afd4f1e11`: `①`, then the note `1(`). So a note
    /// that is a list marker alone is text (it takes the line after it), and so is a note that
    /// the marker held before it takes as its item.
    pub(super) fn reads_note_as_text(&self, text: &str, indent: u16, next: &LineShape) -> bool {
        classify::is_lone_marker(text)
            || (self.holding
                && self.holds_lone_marker()
                && self.joins(text, false, indent, next).is_some())
    }

    /// The paragraph's last line ends a sentence and stood at the foot of its page, a footnote
    /// block below it: does the paragraph go on in the next page's first line (`text`, indented
    /// by `indent`, of shape `next`) all the same? A sentence that ends at the page foot ends
    /// the paragraph more often than not, so only on the width model's evidence of both sides:
    /// the last line was broken at the margin (the next line's first piece would not have
    /// fitted on it), and the next line starts no paragraph — in text that keeps the layout's
    /// indentation it is indented no deeper than the body, elsewhere it is wider than a first
    /// line, short by the indent, can be. Without a model (no page width known) it does not.
    pub(super) fn goes_on_past_footnotes(&self, text: &str, indent: u16, next: &LineShape) -> bool {
        let Wrap::Model(model) = &self.wrap else {
            return false;
        };
        if !self.footnote_below || !self.line_complete {
            return false;
        }
        let full = model.is_full(
            &self.shape.room,
            &lead_room(text),
            self.first_line_indented(model),
        );
        let starts_no_paragraph = if model.marks_paragraphs() {
            !model.starts_paragraph(indent)
        } else {
            model.is_wider_than_a_first_line(&next.room)
        };
        full && starts_no_paragraph && !self.ends_before_news_item(text)
    }

    pub(super) fn release_footnotes(&mut self, out: &mut Vec<Line>) {
        // Most paragraphs have none: nothing to drain (this runs at every paragraph's end), and
        // `footnote_bytes`, the bytes of the footnotes held, is 0 already.
        if self.footnotes.is_empty() {
            return;
        }
        // They come after the titles held back.
        self.release_titles(out);
        out.extend(self.footnotes.drain(..).map(Line::new));
        self.footnote_bytes = 0;
    }

    /// Holds a footnote line back until the paragraph the page break interrupted is out. A
    /// footnote's own wrapped lines are joined (a hard wrap, so only under `join-hard-wrap`); a
    /// line with a note marker starts the next one.
    pub(super) fn hold_footnote(&mut self, text: String, out: &mut Vec<Line>, counts: &mut Counts) {
        self.footnote_bytes += text.len();
        match self.footnotes.last_mut() {
            // Not where the join would make what an earlier stage removes or composes
            // (`may_join`): a letter and the combining mark a line starts with stay apart.
            Some(note)
                if self.join_hard_wraps
                    && !classify::starts_footnote(&text)
                    && may_join(note, &text) =>
            {
                if join_needs_space(note.chars().next_back(), text.chars().next()) {
                    note.push(' ');
                }
                note.push_str(&text);
                counts.add(Rule::JoinHardWrap, 1);
            }
            _ => self.footnotes.push(text),
        }
        if self.footnote_bytes > MAX_LINE_BYTES {
            // No page has that much of notes: let them out rather than hold on.
            self.release_footnotes(out);
        }
    }
}
