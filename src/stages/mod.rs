//! The cleaning stages, in pipeline order, and the interface they share.
//!
//! ```text
//! decoded text ─▶ lines ─▶ repair ─▶ normalize ─▶ strip ─▶ reflow ─▶ convert ─▶ polish ─▶ output lines
//! ```
//!
//! Each stage is a [`LineStage`] over a stream of [`Line`]s, in a module of its own; the driver
//! that assembles them and streams a document through them is the `pipeline` module. This module
//! is a leaf: the stages import their interface from here, and nothing here imports a stage.

use std::borrow::Cow;

use crate::report::{Counts, Facts};
use crate::text::language::Language;

pub mod convert;
pub mod normalize;
pub mod polish;
pub mod reflow;
pub mod repair;
pub mod strip;

/// About how many bytes of lines the driver gathers before running a batch through the stages;
/// the first lines of this size a stage takes are the prefix it takes whole-document facts from
/// (a first batch of fewer bytes is the whole document).
pub const BATCH_BYTES: usize = 64 * 1024;

/// The longest line or paragraph held in memory. A longer one (a 2 GB file without a line break)
/// is cut into pieces at a safe point ([`crate::text::cut_point`]) and the pieces are marked
/// [`Line::open`], so the output still has no line break there.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// One line of text, without its line break.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// True when this is a piece of an overlong line: the next `Line` continues it, and no line
    /// break is written between them.
    pub open: bool,
    /// Display columns of leading indentation that strip removed from this line (`pdftotext
    /// -layout` and indented paragraphs mark a paragraph start by it; reflow reads it).
    pub indent: u16,
    /// Strip recognised this line as (part of) a footnote at a page foot: reflow keeps it a
    /// paragraph of its own and releases it after the paragraph the page break interrupted.
    pub footnote: bool,
    /// The language this paragraph's own letters show (`Letters::own_language`: Japanese,
    /// Korean, or Chinese when neither is clear, the document's language then deciding), when
    /// a stage has counted them: convert does, for each paragraph it looks at closely (its
    /// script evidence holds the letters), and knows a paragraph its gate's scan finds no kana
    /// or Hangul letter in to be Chinese. Polish reads it rather than counting again. `None`:
    /// nobody counted; a stage that asks counts itself. A stage that makes a paragraph out of
    /// others, or changes its letters, leaves `None`.
    pub language: Option<Language>,
    /// Repair's cheap scan for the signs of mojibake (`repair::signature`) finds nothing in
    /// `text` as it is now: set by the pipeline's reader, from one scan of each chunk it reads
    /// (`repair::ScanStops`), so that the repair stage need not scan the line, and by the repair
    /// stage when its own scan found nothing, so that the pipeline's last look at its output
    /// (`pipeline::fixed_point`, the repair stage of a second cleaning) need not scan it again. A stage that changes the text leaves it `false`
    /// (`map_line` does, and [`Line::new`] and [`Line::default`] start so); one that hands a
    /// line on unchanged keeps it, as may one that only cuts characters off its ends: the scan
    /// judges each byte it stops at by the bytes around it, and finds nothing in a part of a
    /// text it finds nothing in (fewer bytes around, at a cut end). Debug builds check the mark
    /// wherever the scan is skipped.
    pub no_mojibake_sign: bool,
    /// The text holds nothing the compatibility stage after reflow changes
    /// (`normalize::CompatibilityStage`: no CJK compatibility ideograph, no full-width letter
    /// or digit), so that stage need not look: set by normalize on a line of inert characters
    /// only (nearly every line), which it hands on unchanged. Each of those is a whole
    /// character, found in a text only where it stands in one of the texts it was made of, so
    /// a stage that hands a line on unchanged keeps the mark, as may one that cuts characters
    /// out of it or writes ASCII spaces into it (strip), and one that joins two marked lines
    /// (reflow). `map_line` clears it on a change, and [`Line::new`] and [`Line::default`]
    /// start without it. Debug builds check the mark wherever the look is skipped.
    pub no_compatibility_form: bool,
    /// Display columns (a Han character two, an ASCII character one) of printed text strip
    /// took out of the line's inside: pinyin annotations (`設(shè)`), which a PDF printed and a
    /// hard wrap measured. The line stood that much wider on the page, and reflow measures it
    /// so: without them a full line reads as short, and its paragraph is broken there. Zero
    /// on a line nothing was taken from, and once a stage makes a new paragraph of lines. A
    /// byte, at most 255 (no page is that wide): it keeps a `Line` in 32 bytes, and lines are
    /// moved between the stages by the million.
    pub stripped_columns: u8,
}

// Lines are moved between the stages by the million: a field more must not make one larger.
const _: () = assert!(std::mem::size_of::<Line>() <= 32);

impl Line {
    pub fn new(text: impl Into<String>) -> Self {
        Line {
            text: text.into(),
            ..Line::default()
        }
    }
}

/// A pipeline stage over a stream of lines.
///
/// Stages that look at one line at a time implement [`LineStage::push`] as a plain function
/// call; stages that need context (page furniture, reflow) hold a few lines back and release
/// them on later pushes or in [`LineStage::finish`].
pub trait LineStage {
    /// Sees the first batch of the lines the stage takes (about 64 KiB, cut as the driver cuts
    /// its batches: up to the line that makes the bytes), before any of them is pushed: this is
    /// where whole-document facts are taken. They are the lines as the stages before this one
    /// release them, as the output holds them, so a second cleaning takes the same facts; and
    /// they are the lines the stage takes next, in order.
    fn prepare(&mut self, _first_batch: &[Line], _facts: &mut Facts) {}

    /// Takes one line; pushes finished lines to `out`.
    fn push(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts);

    /// Takes all of `lines`, in order, as [`LineStage::push`] takes each, and leaves `lines`
    /// empty. The pipeline hands a stage its batch this way: the loop is the stage's own, where
    /// `push` is a direct call (inlined where it is small), not a call through the stage's
    /// vtable for every line. A stage that hands each line on at once, one for one, may work
    /// on the lines where they stand (`push_batch_in_place`).
    fn push_batch(&mut self, lines: &mut Vec<Line>, out: &mut Vec<Line>, counts: &mut Counts) {
        for line in lines.drain(..) {
            self.push(line, out, counts);
        }
    }

    /// End of the document: release whatever is held back.
    fn finish(&mut self, _out: &mut Vec<Line>, _counts: &mut Counts) {}

    /// Moves to `spare` the texts of lines the stage is done with that did not go on as lines
    /// (reflow's joined lines, whose text was copied into their paragraph's), for the pipeline
    /// to read later lines into: a text reused is an allocation saved. Asked once a batch;
    /// the texts may hold anything, and are cleared before use.
    fn give_spare_texts(&mut self, _spare: &mut Vec<String>) {}
}

/// [`LineStage::push_batch`] for a stage that hands every line on at once, one for one:
/// `make` makes each line what the stage hands on, where it stands in `lines`, and the lines
/// then move to `out` whole (the vectors are swapped when `out` is empty, as the pipeline
/// passes it). Most lines go on unchanged, or with a mark set: nothing of them is moved. (A
/// line moved out and back, 32 bytes, was a tenth of the stages' time: the copy reads whole
/// what was just written a field at a time, which the processor cannot forward.)
pub(crate) fn push_batch_in_place(
    lines: &mut Vec<Line>,
    out: &mut Vec<Line>,
    mut make: impl FnMut(&mut Line),
) {
    for line in lines.iter_mut() {
        make(line);
    }
    if out.is_empty() {
        std::mem::swap(lines, out);
    } else {
        out.append(lines);
    }
}

/// [`LineStage::push`] and [`LineStage::push_batch`] of a stage that hands every line on at
/// once, one for one, written in its `impl LineStage`: both made by the stage's own
/// `make_line(&mut self, line: &mut Line, counts: &mut Counts)`, the batch where it stands
/// (`push_batch_in_place`).
macro_rules! one_for_one_push {
    () => {
        fn push(
            &mut self,
            mut line: $crate::stages::Line,
            out: &mut Vec<$crate::stages::Line>,
            counts: &mut $crate::report::Counts,
        ) {
            self.make_line(&mut line, counts);
            out.push(line);
        }

        fn push_batch(
            &mut self,
            lines: &mut Vec<$crate::stages::Line>,
            out: &mut Vec<$crate::stages::Line>,
            counts: &mut $crate::report::Counts,
        ) {
            $crate::stages::push_batch_in_place(lines, out, |line| self.make_line(line, counts));
        }
    };
}
pub(crate) use one_for_one_push;

/// Applies a per-line text function as a stage, keeping the allocation when nothing changes.
pub(crate) fn map_line(mut line: Line, f: impl FnOnce(&str) -> Cow<'_, str>) -> Line {
    if let Cow::Owned(changed) = f(&line.text) {
        line.text = changed;
        line.no_mojibake_sign = false;
        line.no_compatibility_form = false;
    }
    line
}

/// Runs one stage alone over `lines` as a document (its first batch), for the stages' table
/// tests: the lines it writes, and what it counted.
#[cfg(test)]
pub(crate) fn run_stage(mut stage: impl LineStage, lines: &[&str]) -> (Vec<String>, Counts) {
    let batch = lines.iter().map(|l| Line::new(*l)).collect();
    let (out, counts, _) = run_stage_on(&mut stage, batch);
    (out, counts)
}

/// [`run_stage`] over lines that carry what an earlier stage tells (indentation, footnotes),
/// with the facts the stage took from them.
#[cfg(test)]
pub(crate) fn run_stage_on(
    stage: &mut impl LineStage,
    batch: Vec<Line>,
) -> (Vec<String>, Counts, Facts) {
    let mut facts = Facts::default();
    stage.prepare(&batch, &mut facts);
    let mut out = Vec::new();
    let mut counts = Counts::default();
    for line in batch {
        stage.push(line, &mut out, &mut counts);
    }
    stage.finish(&mut out, &mut counts);
    (out.into_iter().map(|l| l.text).collect(), counts, facts)
}
