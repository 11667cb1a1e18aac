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
//! full scan. A line it would repair is repaired, then cleaned again by the stages after repair
//! (a document of one line: it is a paragraph of the output already), and asked again; at most
//! [`MAX_PASSES`] times, then the last is kept. The repairs and what the stages after them do
//! are counted in the report like the first ones; `check` and `diff`, which run the same
//! pipeline, agree with `clean`.
//!
//! Nothing is repaired here that a second cleaning would not repair: the decisions are repair's
//! own, made on the text a second cleaning would read. Lines are independent for repair (its
//! only document state, the evidence and the full scan, is carried in order), so this streams
//! like the rest; only the output's first batch is held, until it is whole, because a second
//! cleaning's repair takes its evidence from the whole of it.

use crate::report::{Counts, Facts};
use crate::stages::repair::RepairStage;
use crate::stages::{Line, LineStage};

/// How many times a line is repaired and cleaned again at most: a repair's output, cleaned,
/// seldom gives another (mojibake applied twice is undone in one repair's rounds).
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
    /// The last line was a piece of an overlong line, which the next continues.
    in_open_line: bool,
}

impl FixedPointStage {
    /// `batch_bytes`: the size of the pipeline's batches, which a second cleaning reads the
    /// output in.
    pub fn new(
        next_repair: RepairStage,
        stages_after_repair: StagesAfterRepair,
        batch_bytes: usize,
    ) -> Self {
        FixedPointStage {
            next_repair,
            stages_after_repair,
            first_batch: Some(Vec::new()),
            first_bytes: 0,
            batch_bytes,
            in_open_line: false,
        }
    }

    /// Releases the held first batch, its evidence taken.
    fn release_first_batch(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        let Some(lines) = self.first_batch.take() else {
            return;
        };
        self.next_repair.prepare(&lines, &mut Facts::default());
        for line in lines {
            self.fix(line, out, counts);
        }
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

    fn finish(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        self.release_first_batch(out, counts);
    }

    fn held(&self, out: &mut Vec<Line>) {
        out.extend(self.first_batch.iter().flatten().cloned());
    }
}

impl FixedPointStage {
    /// Makes a line a fixed point of repair (see the module documentation).
    fn fix(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        // The pieces of an overlong line are left as they are: repair reads a line whole.
        let piece = line.open || self.in_open_line;
        self.in_open_line = line.open;
        if piece {
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
