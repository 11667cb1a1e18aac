//! The last stage of the pipeline: the output is made a fixed point of repair, so that cleaning
//! it again changes nothing.
//!
//! Repair runs first (see the pipeline's order), and decides on the text as it came. The stages
//! after it change text too: normalize deletes the C1 controls and soft hyphens between the
//! bytes of Latin-1 mojibake, strip removes a marker from the middle of a run, reflow joins two
//! halves of one, convert writes a Traditional character whose GBK bytes complete UTF-8 with
//! the mojibake beside it (`瀵笺€` becomes `瀵箋€`). A run that was no repair as it came can be
//! one as it leaves, and a second cleaning would repair it. Each such case could be fixed in
//! repair by foreseeing the later stage, but the later stages are many and the fuzzer found a
//! new case on every run; so the pipeline asks repair itself.
//!
//! Every output line goes through a [`RepairStage`] fed this cleaning's output, which is what
//! the repair stage of a second cleaning would be fed: the same cheap scan for the signs of
//! mojibake (clean text pays that one scan), the same document evidence, the same switch to the
//! full scan. A line it would repair is repaired, then cleaned again by the stages after repair,
//! and asked again; at most [`MAX_PASSES`] times, then the last is kept. The repairs and what
//! the stages after them do are counted in the report like the first ones; `check` and `diff`,
//! which run the same pipeline, agree with `clean`.
//!
//! What a repaired line is cleaned again with: a repair changes what the later stages decide
//! about the line's neighbours too (reflow joins a title split over two lines at the top of a
//! document once the first no longer ends in mojibake), so in the output's first batch, which
//! is held anyway (below), the whole batch is cleaned again, the repaired lines among the others,
//! as a second cleaning's stages read it: its title region, its page model and the facts its
//! stages take from their first batch are all the batch's. After the first batch a line is
//! cleaned again alone (a document of one line: it is a paragraph of the output already), and
//! the stream is not held: there the title region is over and the page breaks are gone, so a
//! second cleaning's reflow could join the repaired paragraph to a neighbour only as a hard
//! wrap, in an output whose first batch still reads as hard-wrapped.
//!
//! Nothing is repaired here that a second cleaning would not repair: the decisions are repair's
//! own, made on the text a second cleaning would read. Lines are independent for repair (its
//! only document state, the evidence and the full scan, is carried in order), so this streams
//! like the rest; only the output's first batch is held, until it is whole, because a second
//! cleaning's repair takes its evidence from the whole of it.
//!
//! A line longer than [`MAX_LINE_BYTES`] reaches repair in pieces, and a second cleaning cuts
//! the output's line into its own pieces, where its reader cuts it (`text::cut_point`, while
//! more than that is left), not where this cleaning's stages cut it (reflow cuts its joined
//! paragraph, then convert and polish change the pieces' lengths). Repair decides by the piece
//! (a line of Big5 read as GBK is repaired as the one or the other as a whole; what its repair
//! leaves can read as the other, which the next round repairs), so the output's overlong line
//! is cut again here as the second cleaning's reader will cut it, and each of those pieces is
//! asked: a piece it would repair is repaired, cleaned again as the piece of a line it is, and
//! cut again from its start, since its new length moves the cuts after it.
//!
//! [`MAX_PASSES`] bounds how often the same text is repaired and cleaned again, not how often a
//! piece starting at one place is asked: a repair that shortens the piece (mojibake is longer
//! than the text it hides) moves the cut forward, and the piece cut again ends in text of the
//! line no repair has been asked of yet. That text is asked as the first time, with the piece
//! it joins (the passes start again), or a second cleaning would be the first to repair it:
//! under `--to tw`, a megabyte of mojibake that conversion made repairable again shortened by
//! 4 % a pass, and the third piece, kept unasked, ended in 1,600 bytes of it. The passes start
//! again only as the cut reaches new text, which is finite, so the asking ends.

use crate::report::{Counts, Facts};
use crate::rules::Rule;
use crate::stages::repair::RepairStage;
use crate::stages::{Line, LineStage, MAX_LINE_BYTES};
use crate::text::cut_point;

/// How many times a line, or the same piece of an overlong line, is repaired and cleaned again
/// at most: a repair's output, cleaned, seldom gives another (mojibake applied twice is undone in
/// one repair's rounds).
pub const MAX_PASSES: usize = 2;

/// Builds the stages that run after repair, fresh, to clean a repaired line again.
pub type StagesAfterRepair = Box<dyn Fn() -> Vec<Box<dyn LineStage + Send>> + Send>;

/// See the module documentation.
pub struct FixedPointStage {
    /// The repair stage of a second cleaning, fed this cleaning's output.
    next_repair: RepairStage,
    stages_after_repair: StagesAfterRepair,
    /// The output's first lines, held until they make a batch (`batch_bytes`) or the document
    /// ends: the first batch a second cleaning reads. Its repair stage takes its evidence from
    /// them, as they leave this cleaning, not as the first batch came to the stages (where reflow
    /// had not joined them yet). `None` once released.
    first_batch: Option<Vec<Line>>,
    first_bytes: usize,
    batch_bytes: usize,
    /// The last line pushed was a piece of an overlong line, which the next continues.
    in_open_line: bool,
    /// The output's overlong line, not yet given to the next repair in the pieces a second
    /// cleaning's reader cuts it into ([`Self::cut_open_line`]).
    open_text: String,
    /// A piece of the overlong line has been written: the next piece continues it.
    piece_continues: bool,
    /// How many times the piece at the start of `open_text` has been repaired and cleaned again
    /// since its cut last reached text not yet asked (see the module documentation).
    piece_passes: usize,
    /// How many bytes at the end of `open_text` no piece asked of the next repair has held yet.
    /// Cleaning a piece again changes only the text before them.
    unasked: usize,
    /// `--blank-line`: the output has an empty line between paragraphs.
    blank_line: bool,
}

impl FixedPointStage {
    /// `batch_bytes`: the size of the pipeline's batches, which a second cleaning reads the
    /// output in; `blank_line`: the output has an empty line between paragraphs.
    pub fn new(
        next_repair: RepairStage,
        stages_after_repair: StagesAfterRepair,
        batch_bytes: usize,
        blank_line: bool,
    ) -> Self {
        FixedPointStage {
            next_repair,
            stages_after_repair,
            first_batch: Some(Vec::new()),
            first_bytes: 0,
            batch_bytes,
            in_open_line: false,
            open_text: String::new(),
            piece_continues: false,
            piece_passes: 0,
            unasked: 0,
            blank_line,
        }
    }

    /// Releases the held first batch, made a fixed point ([`Self::fix_first_batch`]).
    fn release_first_batch(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        let Some(lines) = self.first_batch.take() else {
            return;
        };
        out.append(&mut self.fix_first_batch(lines, counts));
    }

    /// Makes the output's first batch a fixed point of the whole cleaning, not of repair alone:
    /// when a second cleaning would repair a line of it, the batch is cleaned again whole, the
    /// repaired lines among the others, as the second cleaning's later stages would read them.
    /// A repair changes what reflow decides about the line and its neighbours: at the top of a
    /// document, a line that was mojibake ending in Latin letters may now end a title split
    /// over two lines, which the second cleaning would join (reflow's title rejoins reach
    /// back over many lines, and the page model and the document's facts are the batch's, so
    /// no smaller window would do). Clean text pays the one look of repair as before; the batch
    /// is cleaned again only when a line is repaired.
    ///
    /// The batch may end in the first piece of an overlong line (a piece is larger than a
    /// batch): that piece counts in the batch's evidence, as in a second cleaning's first batch,
    /// but is asked by [`Self::cut_open_line`], with the rest of its line.
    fn fix_first_batch(&mut self, mut lines: Vec<Line>, counts: &mut Counts) -> Vec<Line> {
        let unprepared = self.next_repair.clone();
        let ends_open = lines.last().is_some_and(|line| line.open);
        let mut pass = 0;
        loop {
            // Each pass asks a second cleaning's repair, its evidence taken from these lines.
            let mut next_repair = unprepared.clone();
            next_repair.prepare(&lines, &mut Facts::default());
            // After the last cleaning again the lines are kept as they are, repaired or not.
            let kept = (pass == MAX_PASSES).then(|| lines.clone());
            let mut repairs = Counts::default();
            let mut changed = false;
            let mut in_open_line = false;
            // Repaired in place: nearly every line is handed on as it is, and stays where it is.
            for line in &mut lines {
                // The overlong line the batch ends in is asked with the rest of it.
                let piece = line.open || in_open_line;
                in_open_line = line.open;
                if piece || next_repair.takes_unread(line) {
                    continue;
                }
                let (repaired, line_changed) =
                    next_repair.repair(std::mem::take(line), &mut repairs);
                *line = repaired;
                changed |= line_changed;
            }
            if !changed || kept.is_some() {
                self.next_repair = next_repair;
                return kept.unwrap_or(lines);
            }
            counts.merge(&repairs);
            let (read, separators) = self.as_read_again(lines);
            let mut again = Counts::default();
            lines = self.clean_again(read, &mut again);
            if ends_open {
                // The stages end the document they were given with a whole line; the output's
                // line goes on.
                if let Some(last) = lines.last_mut() {
                    last.open = true;
                }
            }
            // The empty lines between paragraphs are this cleaning's own, not the input's.
            again.take_back(Rule::BlankLines, separators);
            counts.merge(&again);
            pass += 1;
        }
    }

    /// Output lines as a second cleaning reads them: plain lines, with the empty line
    /// `--blank-line` writes between paragraphs (reflow reads one as a paragraph's end).
    /// Also says how many empty lines it put in.
    fn as_read_again(&self, lines: Vec<Line>) -> (Vec<Line>, u64) {
        let mut read = Vec::with_capacity(lines.len() * if self.blank_line { 2 } else { 1 });
        let mut separators = 0;
        let mut after_open = false;
        for line in lines {
            if self.blank_line && !read.is_empty() && !after_open {
                read.push(Line::default());
                separators += 1;
            }
            after_open = line.open;
            read.push(Line {
                text: line.text,
                open: line.open,
                ..Line::default()
            });
        }
        (read, separators)
    }

    /// Cleans `lines` again as a document of their own with the stages after repair.
    fn clean_again(&self, mut lines: Vec<Line>, counts: &mut Counts) -> Vec<Line> {
        let mut facts = Facts::default();
        for mut stage in (self.stages_after_repair)() {
            stage.prepare(&lines, &mut facts);
            let mut next = Vec::with_capacity(lines.len());
            for line in lines.drain(..) {
                stage.push(line, &mut next, counts);
            }
            stage.finish(&mut next, counts);
            lines = next;
        }
        lines
    }
}

impl LineStage for FixedPointStage {
    fn push(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        if line.open || self.in_open_line {
            self.in_open_line = line.open;
            self.open_text.push_str(&line.text);
            self.unasked += line.text.len();
            self.cut_open_line(!line.open, out, counts);
            return;
        }
        self.take(line, out, counts);
    }

    fn push_batch(&mut self, lines: &mut Vec<Line>, out: &mut Vec<Line>, counts: &mut Counts) {
        // Past the output's first batch, nearly every line is read whole and shows no sign of
        // mojibake, so it is handed on unasked where it stands ([`Self::fix`]'s first test):
        // the lines up to the first that is not, without a move; from there, one by one.
        let mut unread = 0;
        if self.first_batch.is_none() && !self.in_open_line {
            while lines
                .get(unread)
                .is_some_and(|line| !line.open && self.next_repair.takes_unread(line))
            {
                unread += 1;
            }
        }
        if unread == lines.len() && out.is_empty() {
            std::mem::swap(lines, out);
            return;
        }
        out.extend(lines.drain(..unread));
        for line in lines.drain(..) {
            self.push(line, out, counts);
        }
    }

    fn finish(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        if self.in_open_line {
            // The document ended inside an overlong line.
            self.in_open_line = false;
            self.cut_open_line(true, out, counts);
        }
        self.release_first_batch(out, counts);
    }
}

/// A piece of the output's overlong line, as the next repair finds it.
enum Piece {
    /// No repair, or none more: written as it is.
    Kept(Line),
    /// Repaired and cleaned again: its text, to be cut again.
    Cleaned(String),
}

impl FixedPointStage {
    /// Takes a line a second cleaning reads whole: into the held first batch, or made a fixed
    /// point of repair. (Inlined: every output line passes here.)
    #[inline]
    fn take(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        if let Some(held) = &mut self.first_batch {
            self.first_bytes += line.text.len();
            held.push(line);
            if self.first_bytes >= self.batch_bytes {
                self.release_first_batch(out, counts);
            }
            return;
        }
        self.fix(line, out, counts);
    }

    /// Cuts the output's overlong line (`open_text`) into the pieces a second cleaning's reader
    /// cuts it into, a piece each time more than [`MAX_LINE_BYTES`] is left, and the rest once
    /// the line `ends`; each piece is asked of the next repair ([`Self::ask_piece`]). A repaired
    /// piece goes back to the start of `open_text`, cleaned again, and is cut again: its new
    /// length moves the cut. The pipeline cuts its own pieces the same way
    /// (`Cleaner::cut_overlong_line`), so where no stage changed the line the pieces are the
    /// ones repair saw.
    fn cut_open_line(&mut self, ends: bool, out: &mut Vec<Line>, counts: &mut Counts) {
        loop {
            let (cut, open) = if self.open_text.len() > MAX_LINE_BYTES {
                (cut_point(&self.open_text, MAX_LINE_BYTES), true)
            } else if ends {
                (self.open_text.len(), false)
            } else {
                return;
            };
            let rest = self.open_text.split_off(cut);
            let text = std::mem::replace(&mut self.open_text, rest);
            if !open && !self.piece_continues {
                // No longer than a line read whole: the second cleaning reads it as one.
                self.unasked = 0;
                self.take(Line::new(text), out, counts);
                return;
            }
            if self.first_batch.is_some() {
                // A piece is larger than a batch: this one ends the output's first batch. It
                // comes back as the batch leaves it, to be asked with the rest of its line.
                let mut back = self.release_first_batch_ending_in(text, out, counts);
                back.push_str(&self.open_text);
                self.open_text = back;
                // The batch's repair left its last piece to be asked here.
                self.unasked = self.open_text.len();
                continue;
            }
            if self.open_text.len() < self.unasked {
                // The piece ends in text no piece has held: asked as the first time.
                self.piece_passes = 0;
                self.unasked = self.open_text.len();
            }
            match self.ask_piece(text, open, counts) {
                Piece::Kept(line) => {
                    out.push(line);
                    self.piece_passes = 0;
                    self.piece_continues = open;
                    if !open {
                        return;
                    }
                }
                Piece::Cleaned(mut cleaned) => {
                    cleaned.push_str(&self.open_text);
                    self.open_text = cleaned;
                    self.piece_passes += 1;
                }
            }
        }
    }

    /// Releases the held first batch with the first piece of an overlong line at its end (see
    /// [`Self::fix_first_batch`]), and gives back that line's text as the batch leaves it.
    fn release_first_batch_ending_in(
        &mut self,
        piece: String,
        out: &mut Vec<Line>,
        counts: &mut Counts,
    ) -> String {
        let mut lines = self.first_batch.take().unwrap_or_default();
        lines.push(Line {
            text: piece,
            open: true,
            ..Line::default()
        });
        let mut lines = self.fix_first_batch(lines, counts);
        // The line's last part, and the pieces before it when a join made it overlong.
        let mut start = lines.len().saturating_sub(1);
        while start > 0 && lines[start - 1].open {
            start -= 1;
        }
        let text = lines.drain(start..).map(|line| line.text).collect();
        out.append(&mut lines);
        text
    }

    /// Asks the next repair of a piece of the output's overlong line, from the state it reaches
    /// the piece in. A piece it would repair is repaired and cleaned again, at most
    /// [`MAX_PASSES`] times at one place; then the last is kept.
    fn ask_piece(&mut self, text: String, open: bool, counts: &mut Counts) -> Piece {
        let mut next_repair = self.next_repair.clone();
        let mut repairs = Counts::default();
        let piece = Line {
            text,
            open,
            ..Line::default()
        };
        if self.piece_passes == MAX_PASSES {
            // Still read, for the state the next repair carries on with.
            next_repair.repair(piece.clone(), &mut repairs);
            self.next_repair = next_repair;
            return Piece::Kept(piece);
        }
        let (repaired, changed) = next_repair.repair(piece, &mut repairs);
        if !changed {
            self.next_repair = next_repair;
            return Piece::Kept(repaired);
        }
        counts.merge(&repairs);
        // Cleaned as the piece of a line it is: after an empty piece when it continues one, so
        // the stages neither cut its indentation nor read it as a line of its own (a title, a
        // page number).
        let mut lines = Vec::with_capacity(2);
        if self.piece_continues {
            lines.push(Line {
                open: true,
                ..Line::default()
            });
        }
        lines.push(Line {
            text: repaired.text,
            open,
            ..Line::default()
        });
        // One line comes out: the stages make no line break inside a line but at a form
        // feed, and the output holds none (nor does repair make one).
        Piece::Cleaned(
            self.clean_again(lines, counts)
                .into_iter()
                .map(|line| line.text)
                .collect(),
        )
    }

    /// Makes a line a fixed point of repair (see the module documentation).
    fn fix(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        // Nearly every line of clean text: no sign, nothing to repair (nor to keep `before` for).
        if self.next_repair.takes_unread(&line) {
            out.push(line);
            return;
        }
        let before = self.next_repair.clone();
        let mut repairs = Counts::default();
        let (mut repaired, changed) = self.next_repair.repair(line, &mut repairs);
        if !changed {
            out.push(repaired);
            return;
        }
        // A second cleaning would repair this line: this one does, and cleans the result as
        // the second cleaning's later stages would (they see a paragraph of plain text).
        let mut lines = vec![Line::new(std::mem::take(&mut repaired.text))];
        for pass in 1..=MAX_PASSES {
            counts.merge(&repairs);
            lines = self.clean_again(lines, counts);
            // Asked again from the same document state: the next cleaning reads these lines
            // where it read the one before.
            let mut next_repair = before.clone();
            repairs = Counts::default();
            let mut again = Vec::with_capacity(lines.len());
            let mut changed = false;
            for line in &lines {
                let (line, line_changed) = next_repair.repair(line.clone(), &mut repairs);
                changed |= line_changed;
                again.push(Line::new(line.text));
            }
            if !changed || pass == MAX_PASSES {
                self.next_repair = next_repair;
                break;
            }
            lines = again;
        }
        out.append(&mut lines);
    }
}
