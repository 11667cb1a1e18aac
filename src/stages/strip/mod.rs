//! Stage 2, strip: remove what the converter or the page layout added and the author did not
//! write — markers, pinyin annotations, page furniture, indentation and stray whitespace.
//!
//! Runs before reflow (page furniture between two halves of a paragraph must be gone before the
//! join is decided) and before conversion (`習(xí)近平` must reach the phrase dictionary whole).
//!
//! Per line, in this order: converter markers ([`markers`]), pinyin annotations ([`pinyin`]),
//! whitespace ([`whitespace`]); a footnote Tika wrote inside its paragraph put on a line of its
//! own ([`inline_notes`], which holds a line back to see the empty line after it); then the page
//! furniture window ([`furniture`]), which sees clean lines and replaces a page number, a running
//! header or a form feed by an empty line — the page-break signal that reflow joins across.

pub mod footnotes;
pub mod furniture;
pub mod inline_notes;
pub mod markers;
pub mod page;
pub mod pinyin;
mod triggers;
pub mod whitespace;

use std::borrow::Cow;

use crate::report::{Counts, Facts};
use crate::rules::{Rule, RuleSet};
use crate::stages::{Line, LineStage};

pub use whitespace::{strip_indentation, strip_trailing_space};

use furniture::{Furniture, FurnitureRules};
use markers::Markers;
use triggers::{OpenParentheses, Triggers};

/// At most how many rounds of marker and annotation removal a line gets (see
/// [`StripStage::clean_line`]): enough for any nesting a converter or a typist makes, and a
/// bound on the work an adversarial line can ask for.
const MARKER_PINYIN_ROUNDS: usize = 4;

/// The strip stage of the pipeline.
pub struct StripStage {
    form_feed: bool,
    markers: Markers,
    pinyin: bool,
    allow_toneless_pinyin: bool,
    indentation: bool,
    trailing_space: bool,
    nbsp: bool,
    letter_spacing: bool,
    furniture: Furniture,
    /// `inline-footnote` is on and the document's first batch has the shape of Tika's text of a
    /// .docx ([`inline_notes::may_hold_inline_notes`]).
    inline_notes: bool,
    /// A line that may end in a note Tika wrote inside its paragraph, held until the next line
    /// says whether the empty line that closes such a note follows it.
    held_for_note: Option<Line>,
    /// The previous line was open: this one continues it (no indentation to strip).
    continuing: bool,
    /// Where the parentheses of the line being cleaned stand (the `opens` of
    /// [`Triggers::of`]).
    opens: OpenParentheses,
}

impl StripStage {
    pub fn new(rules: &RuleSet) -> Self {
        StripStage {
            form_feed: rules.is_on(Rule::FormFeed),
            markers: Markers {
                bookmark: rules.is_on(Rule::Bookmark),
                image: rules.is_on(Rule::ImageMarker),
                note_ref: rules.is_on(Rule::NoteRef),
            },
            pinyin: rules.is_on(Rule::PinyinAnnotation),
            allow_toneless_pinyin: false,
            indentation: rules.is_on(Rule::Indentation),
            trailing_space: rules.is_on(Rule::TrailingSpace),
            nbsp: rules.is_on(Rule::Nbsp),
            letter_spacing: rules.is_on(Rule::LetterSpacing),
            furniture: Furniture::new(FurnitureRules {
                page_numbers: rules.is_on(Rule::PageNumber),
                running_headers: rules.is_on(Rule::RunningHeader),
                footnotes: rules.is_on(Rule::Footnote),
                footnote_markers: rules.is_on(Rule::FootnoteMarker),
            }),
            inline_notes: rules.is_on(Rule::InlineFootnote),
            held_for_note: None,
            continuing: false,
            opens: OpenParentheses::default(),
        }
    }

    /// Output paragraphs are to be written a blank line apart (`--blank-line`): the page model
    /// then takes two empty lines, not one, for a gap around a bare page number
    /// ([`Furniture::with_blank_line_output`]).
    pub fn with_blank_line_output(mut self, blank_line: bool) -> Self {
        self.furniture = std::mem::take(&mut self.furniture).with_blank_line_output(blank_line);
        self
    }

    /// Cleans one line (no form feed inside, or form-feed handling off), which holds no more
    /// than `triggers` (a rule whose trigger it lacks would change nothing, and is not asked),
    /// its parentheses at `opens`. `None`: the line held nothing
    /// but converter markers and disappears without leaving a gap.
    fn clean_line(
        &self,
        line: Line,
        triggers: Triggers,
        opens: &OpenParentheses,
        counts: &mut Counts,
    ) -> Option<Line> {
        // What the text holds once a rule rewrote it: found again (a rewrite is rare). The
        // line's parentheses are read where the scan wrote them, not copied: a copy read them
        // whole right after the scan's stores, and waited for them.
        let mut triggers = triggers;
        let mut rewritten_opens: Option<OpenParentheses> = None;
        let open = line.open;
        let had_text = !line.text.is_empty();
        let footnote = line.footnote;
        let no_mojibake_sign = line.no_mojibake_sign;
        let no_compatibility_form = line.no_compatibility_form;
        // The columns of the annotations taken out: printed on the page, measured by reflow.
        let mut stripped_columns = usize::from(line.stripped_columns);
        // The text as a rule rewrote it; `None` while it is still the line's own.
        let mut rewritten: Option<String> = None;
        // Removing an annotation may complete a marker (`[bookmark: 中(zhōng)]`), and removing
        // a marker an annotation (`習[image: x](xí)`): the two go by turns until neither finds
        // anything, or a second cleaning would. A few rounds: each needs the two nested.
        for _ in 0..MARKER_PINYIN_ROUNDS {
            let mut changed = false;
            let text = rewritten.as_deref().unwrap_or(&line.text);
            if triggers.bracket {
                if let Cow::Owned(stripped) = self.markers.strip(text, counts) {
                    if stripped.trim_matches(crate::text::is_line_space).is_empty() && had_text {
                        return None;
                    }
                    let mut opens = OpenParentheses::default();
                    triggers = Triggers::of(&stripped, &mut opens);
                    rewritten_opens = Some(opens);
                    rewritten = Some(stripped);
                    changed = true;
                }
            }
            if self.pinyin && triggers.parenthesis {
                let text = rewritten.as_deref().unwrap_or(&line.text);
                let (stripped, removed, columns) =
                    pinyin::strip_listed_annotations_counting_columns(
                        text,
                        rewritten_opens.as_ref().unwrap_or(opens),
                        self.allow_toneless_pinyin,
                    );
                if removed > 0 {
                    counts.add(Rule::PinyinAnnotation, removed);
                    stripped_columns += columns;
                    let stripped = stripped.into_owned();
                    let mut opens = OpenParentheses::default();
                    triggers = Triggers::of(&stripped, &mut opens);
                    rewritten_opens = Some(opens);
                    rewritten = Some(stripped);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // Indentation and trailing space are cut off the ends of the string in place at the
        // end, not copied into a new one: `kept` is what remains of the text.
        let text = rewritten.as_deref().unwrap_or(&line.text);
        let mut kept = 0..text.len();
        let mut indent = 0;
        if self.indentation && !self.continuing {
            kept.start = text.len() - strip_indentation(text).len();
            // What reflow reads as a paragraph start in text that keeps the layout's indent.
            indent = whitespace::indentation_width(&text[..kept.start]);
            if kept.start > 0 {
                counts.add(Rule::Indentation, 1);
            }
        }
        // An open line continues in the next piece: its "trailing" space is inside the text.
        if self.trailing_space && !open {
            kept.end = kept.start + strip_trailing_space(&text[kept.start..]).len();
            if kept.end < text.len() {
                counts.add(Rule::TrailingSpace, 1);
            }
        }
        if self.nbsp && triggers.nbsp {
            let text = rewritten.as_deref().unwrap_or(&line.text);
            let (replaced, runs) = whitespace::replace_nbsp(&text[kept.clone()]);
            if runs > 0 {
                counts.add(Rule::Nbsp, runs);
                let replaced = replaced.into_owned();
                kept = 0..replaced.len();
                rewritten = Some(replaced);
                // No-break spaces became spaces.
                triggers.space = true;
            }
        }
        if self.letter_spacing && triggers.space && !open && !self.continuing {
            let text = rewritten.as_deref().unwrap_or(&line.text);
            if let Some(collapsed) = whitespace::collapse_letter_spacing(&text[kept.clone()]) {
                counts.add(Rule::LetterSpacing, 1);
                kept = 0..collapsed.len();
                rewritten = Some(collapsed);
            }
        }
        // Cutting the ends keeps the line's mark (see `Line::no_mojibake_sign`); a rewrite
        // does not.
        let no_mojibake_sign = no_mojibake_sign && rewritten.is_none();
        let mut text = rewritten.unwrap_or(line.text);
        text.truncate(kept.end);
        text.drain(..kept.start);
        Some(Line {
            text,
            open,
            indent,
            footnote,
            // Strip runs before convert, which counts the letters: nobody has yet.
            language: None,
            no_mojibake_sign,
            // Every rewrite here takes characters out (markers, annotations, spaces) or writes
            // ASCII spaces (for no-break ones): the mark stands (see the field's doc).
            no_compatibility_form,
            stripped_columns: u8::try_from(stripped_columns).unwrap_or(u8::MAX),
        })
    }

    fn push_piece(
        &mut self,
        line: Line,
        triggers: Triggers,
        out: &mut Vec<Line>,
        counts: &mut Counts,
    ) {
        let open = line.open;
        let continuing = self.continuing;
        if let Some(line) = self.clean_line(line, triggers, &self.opens, counts) {
            self.push_clean(line, continuing, out, counts);
        }
        self.continuing = open;
    }

    /// A clean line on its way to the furniture window, through the inline-note check: a line
    /// that may end in a note waits for the next one, and is split when that one is empty.
    fn push_clean(
        &mut self,
        line: Line,
        continuing: bool,
        out: &mut Vec<Line>,
        counts: &mut Counts,
    ) {
        if let Some(held) = self.held_for_note.take() {
            let closes_note = line.text.is_empty() && !line.open;
            match inline_notes::note_start(&held.text).filter(|_| closes_note) {
                Some(at) => {
                    counts.add(Rule::InlineFootnote, 1);
                    let mut body = held;
                    let note = body.text.split_off(at + 1);
                    body.text.truncate(at);
                    self.furniture.push(body, out, counts);
                    self.furniture.push(Line::new(note), out, counts);
                }
                None => self.furniture.push(held, out, counts),
            }
        }
        // A piece of an overlong line is no paragraph of Tika's, nor the line it continues.
        let whole = !line.open && !continuing;
        if self.inline_notes && whole && inline_notes::note_start(&line.text).is_some() {
            self.held_for_note = Some(line);
        } else {
            self.furniture.push(line, out, counts);
        }
    }

    /// Releases a line held for the inline-note check unchanged (a form feed or the end follows).
    fn release_held(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        if let Some(held) = self.held_for_note.take() {
            self.furniture.push(held, out, counts);
        }
    }
}

impl LineStage for StripStage {
    fn prepare(&mut self, first_batch: &[Line], facts: &mut Facts) {
        if self.pinyin
            && pinyin::has_tone_marked_annotations(first_batch.iter().map(|l| l.text.as_str()))
        {
            self.allow_toneless_pinyin = true;
            facts.insert("pinyin-annotations", "tone-marked".into());
        }
        if self.form_feed
            && first_batch
                .iter()
                .any(|l| memchr::memchr(b'\x0C', l.text.as_bytes()).is_some())
        {
            self.furniture.expect_form_feeds();
        }
        if self.inline_notes {
            self.inline_notes =
                inline_notes::may_hold_inline_notes(first_batch.iter().map(|l| l.text.as_str()));
        }
        if self.furniture.rules().running_headers {
            self.furniture.learn(first_batch);
            if self.furniture.header_count() > 0 {
                facts.insert("running-headers", self.furniture.header_count().to_string());
            }
        }
    }

    fn push(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        let triggers = Triggers::of(&line.text, &mut self.opens);
        if !self.form_feed || !triggers.form_feed {
            return self.push_piece(line, triggers, out, counts);
        }
        let open = line.open;
        let pieces: Vec<&str> = page::split_form_feeds(&line.text).collect();
        let last = pieces.len() - 1;
        for (i, piece) in pieces.into_iter().enumerate() {
            if piece == "\u{000C}" {
                counts.add(Rule::FormFeed, 1);
                self.release_held(out, counts);
                self.furniture.form_feed(out, counts);
                self.continuing = false;
            } else {
                let piece = Line {
                    text: piece.to_string(),
                    open: open && i == last,
                    ..Line::default()
                };
                let triggers = Triggers::of(&piece.text, &mut self.opens);
                self.push_piece(piece, triggers, out, counts);
            }
        }
    }

    fn finish(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        self.release_held(out, counts);
        self.furniture.finish(out, counts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip_all(lines: &[&str]) -> (Vec<String>, Counts) {
        crate::stages::run_stage(StripStage::new(&RuleSet::default()), lines)
    }

    #[test]
    fn one_line_through_every_rule() {
        let (out, counts) = strip_all(&["　[bookmark: _GoBack]建設(shè)工作 \u{00A0}"]);
        assert_eq!(out, ["建設工作"]);
        for rule in [
            Rule::Bookmark,
            Rule::PinyinAnnotation,
            Rule::Indentation,
            Rule::TrailingSpace,
        ] {
            assert_eq!(counts.get(rule), 1, "{rule}");
        }
    }

    /// What an annotation took on the printed line is kept for reflow's measure: `(shè)` is
    /// five columns, `（shè）` seven, a space before one more; nothing else counts.
    #[test]
    fn the_columns_of_annotations_taken_out_are_recorded() {
        let mut stage = StripStage::new(&RuleSet::default());
        let lines = [
            "建設(shè)工作，設 （shè）工作。",
            "　　建设工作。",
            "[bookmark: _GoBack]建设",
        ];
        let (mut out, mut counts) = (Vec::new(), Counts::default());
        for line in lines {
            stage.push(Line::new(line), &mut out, &mut counts);
        }
        stage.finish(&mut out, &mut counts);
        let columns: Vec<u8> = out.iter().map(|l| l.stripped_columns).collect();
        assert_eq!(columns, [5 + 1 + 7, 0, 0]);
    }

    #[test]
    fn markers_and_annotations_completed_by_a_removal_go_too() {
        // The fuzz finding: the annotation's removal leaves `[bookmark: 中]`, a marker.
        let (out, counts) = strip_all(&["能力[bookmark: 中(zhōng)]正文", "習[image: x](xí)近平"]);
        assert_eq!(out, ["能力正文", "習近平"]);
        assert_eq!(counts.get(Rule::Bookmark), 1);
        assert_eq!(counts.get(Rule::ImageMarker), 1);
        assert_eq!(counts.get(Rule::PinyinAnnotation), 2);
    }

    #[test]
    fn a_marker_only_line_disappears_without_a_gap() {
        let (out, _) = strip_all(&["甲", "[bookmark: _GoBack]", "乙"]);
        assert_eq!(out, ["甲", "乙"]);
        // A whitespace-only line becomes empty (a gap for reflow), it does not vanish.
        let (out, _) = strip_all(&["甲", " 　", "乙"]);
        assert_eq!(out, ["甲", "", "乙"]);
    }

    #[test]
    fn form_feed_splits_the_line_into_a_page_break() {
        let (out, counts) = strip_all(&["中心）、\u{000C}科技型"]);
        assert_eq!(out, ["中心）、", "", "科技型"]);
        assert_eq!(counts.get(Rule::FormFeed), 1);
    }

    #[test]
    fn toneless_pinyin_follows_the_document() {
        let (out, _) = strip_all(&["建設(shè)工作", "學習(xi)"]);
        assert_eq!(out, ["建設工作", "學習"]);
        let (out, _) = strip_all(&["學習(xi)"]);
        assert_eq!(out, ["學習(xi)"]);
    }

    /// A document shaped as Tika's text of a .docx: one paragraph a line, no empty lines but
    /// the one a note's division leaves.
    fn tika_docx(lines: &[&'static str]) -> Vec<&'static str> {
        let mut doc = vec!["标题", "一、总体情况", "第一段正文。", "第二段正文。"];
        doc.extend_from_slice(lines);
        doc.extend_from_slice(&["第三段正文。", "第四段正文。", "某某局", "2021年1月1日"]);
        doc
    }

    #[test]
    fn a_note_tika_wrote_inside_its_paragraph_gets_a_line_of_its_own() {
        let doc = tika_docx(&["成立。 本节所列数字为初步统计数。", "", "后半段。"]);
        let (out, counts) = strip_all(&doc);
        let at = out.iter().position(|l| l == "成立。").unwrap();
        assert_eq!(
            out[at + 1..at + 4],
            ["本节所列数字为初步统计数。", "", "后半段。"]
        );
        assert_eq!(counts.get(Rule::InlineFootnote), 1);
        // Off, the line stays whole.
        let mut rules = RuleSet::default();
        rules.set(Rule::InlineFootnote, false);
        let (out, _) = crate::stages::run_stage(StripStage::new(&rules), &doc);
        assert!(out.iter().any(|l| l == "成立。 本节所列数字为初步统计数。"));
    }

    #[test]
    fn a_line_that_looks_like_a_note_without_the_empty_line_after_it_stays_whole() {
        for lines in [
            // No empty line after it: a space typed after a full stop.
            &["成立。 本节所列数字为初步统计数。", "后半段。"][..],
            // The last line of the document.
            &["成立。 本节所列数字为初步统计数。"][..],
        ] {
            let doc = if lines.len() == 1 {
                let mut doc = tika_docx(&[]);
                doc.extend_from_slice(lines);
                doc
            } else {
                tika_docx(lines)
            };
            let (out, counts) = strip_all(&doc);
            assert!(out.iter().any(|l| l == lines[0]), "{lines:?}");
            assert_eq!(counts.get(Rule::InlineFootnote), 0);
        }
    }

    #[test]
    fn a_document_with_paragraphs_a_blank_line_apart_has_no_inline_notes() {
        let doc = [
            "标题",
            "",
            "成立。 本节所列数字为初步统计数。",
            "",
            "后半段。",
            "",
        ];
        let (out, counts) = strip_all(&doc);
        assert_eq!(out[2], doc[2]);
        assert_eq!(counts.get(Rule::InlineFootnote), 0);
    }

    #[test]
    fn continuation_pieces_keep_their_leading_space() {
        let mut stage = StripStage::new(&RuleSet::default());
        let mut out = Vec::new();
        let mut counts = Counts::default();
        for (text, open) in [("　第一段 ", true), (" 第二段 ", false)] {
            let line = Line {
                text: text.into(),
                open,
                ..Line::default()
            };
            stage.push(line, &mut out, &mut counts);
        }
        stage.finish(&mut out, &mut counts);
        let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["第一段 ", " 第二段"]);
    }
}
