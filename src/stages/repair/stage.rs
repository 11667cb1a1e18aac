//! The repair stage: [`Repair`] over a document's lines, with what it learns of the document
//! (whether it shows UTF-8 read as GBK, the evidence its repairs give).

use std::borrow::Cow;

use super::{cross, signature, Bar, Repair, MIN_HAN};
use crate::report::{Counts, Facts};
use crate::rules::RuleSet;
use crate::stages::{map_line, one_for_one_push, Line, LineStage};

/// The repair stage of the pipeline.
///
/// Looking up every Han character for the signs of UTF-8 read as GBK would cost clean text a
/// tenth of the pipeline's time, so a document is scanned in full only once it shows mojibake:
/// every line is first given the cheap scan (a search for a few bytes), which finds the U+FFFD
/// and Private Use characters that nearly every line of UTF-8 read as GBK holds. When the first
/// batch or any later line shows one, the document's lines are scanned in full from there on (a
/// short heading without any is repaired then).
///
/// The `MIN_HAN` Han characters repairs must give are counted over the document, not the
/// line: reflow joins lines after repair, and two lines of one mojibake character each, left
/// alone, would be one line of two for a second cleaning, which would repair them. So a line
/// whose strong repairs give fewer is repaired once the document has given `MIN_HAN` in all: in
/// the first batch (whose lines are all looked at in `prepare`), in any line of it; after it, in
/// the lines that come after the evidence is complete. What a cleaning leaves unrepaired then
/// gives fewer than `MIN_HAN` Han characters in all, however later stages join its lines.
#[derive(Clone)]
pub struct RepairStage {
    repair: Repair,
    /// Big5 and GBK read as each other.
    cross: cross::Cross,
    /// The document has shown UTF-8 read as GBK: every Han character is looked at.
    full: bool,
    /// The Han characters the strong repairs of the lines looked at so far give (the first
    /// batch's all counted in `prepare`).
    evidence: usize,
    /// Lines of the first batch still to be pushed (their evidence is counted already).
    first_left: usize,
}

impl RepairStage {
    pub fn new(rules: &RuleSet) -> Self {
        RepairStage {
            repair: Repair::from_rules(rules),
            cross: cross::Cross::from_rules(rules),
            full: false,
            evidence: 0,
            first_left: 0,
        }
    }

    /// Whether any repair is on (the stage changes nothing otherwise).
    pub fn is_on(&self) -> bool {
        self.repair.any() || self.cross.any()
    }

    /// Takes a line marked as showing no sign of mojibake while the document is not scanned in
    /// full, as [`Self::repair`] would take it without a look (the cheap scan would find nothing
    /// again: no repair, no evidence, no switch), and says whether it did; the caller hands the
    /// line on unchanged. Nearly every line of clean text comes this way, from the pipeline's
    /// reader or from the stages before the pipeline's last look: a call and the moves of a line
    /// in and out of `repair` cost more than the test.
    #[inline]
    pub fn takes_unread(&mut self, line: &Line) -> bool {
        if !line.no_mojibake_sign || self.full {
            return false;
        }
        debug_assert_eq!(
            signature::scan(&line.text, false),
            signature::Signs::default(),
            "a line marked as showing no sign of mojibake shows one: {:?}",
            line.text
        );
        self.first_left = self.first_left.saturating_sub(1);
        true
    }

    /// Repairs one line as [`LineStage::push`] does, and says whether it changed: the pipeline
    /// asks it of its own output, as the repair stage of a second cleaning would see it
    /// (`pipeline::fixed_point`).
    pub fn repair(&mut self, mut line: Line, counts: &mut Counts) -> (Line, bool) {
        let signs = self.signs(&line);
        let first = self.first_left > 0;
        self.first_left = self.first_left.saturating_sub(1);
        // Nearly every line of clean text: no sign, so no repair of this stage's and no
        // evidence.
        if !(signs.any() || signs.cross && self.cross.any()) {
            // What the cheap scan found is what the pipeline's last look would find again
            // while no stage changes the line (`Line::no_mojibake_sign`).
            line.no_mojibake_sign |= !self.full && signs == signature::Signs::default();
            return (line, false);
        }
        // In the first batch the evidence is the batch's; after it, what came before this line.
        let min_han = match (first, self.evidence >= MIN_HAN) {
            (_, true) => 1,
            (true, false) => MIN_HAN,
            (false, false) => MIN_HAN - self.evidence,
        };
        let mut bar = Bar::new(min_han);
        let mut changed = false;
        let line = map_line(line, |text| {
            let repaired = self.repair.line_scanned(text, signs, &mut bar, counts);
            changed = matches!(repaired, Cow::Owned(_));
            repaired
        });
        let line = map_line(line, |text| {
            let repaired = self.cross.line(text, counts);
            changed |= matches!(repaired, Cow::Owned(_));
            repaired
        });
        if !first {
            self.evidence = self.evidence.saturating_add(bar.evidence());
        }
        (line, changed)
    }

    /// The signs of mojibake in the line, switching to the full scan when it shows UTF-8 read as
    /// GBK.
    fn signs(&mut self, line: &Line) -> signature::Signs {
        let text = line.text.as_str();
        if line.no_mojibake_sign && !self.full {
            // The cheap scan found nothing in this text before (a stage that changed it would
            // have cleared the mark), and would find nothing again: no switch to the full scan.
            debug_assert_eq!(
                signature::scan(text, false),
                signature::Signs::default(),
                "a line marked as showing no sign of mojibake shows one: {text:?}"
            );
            return signature::Signs::default();
        }
        let mut signs = signature::scan(text, self.full);
        if signs.gbk && !self.full && self.repair.utf8_as_gbk {
            self.full = true;
            signs = signature::scan(text, true);
        }
        // The full scan does not look for the signs of Big5 and GBK read as each other: in a
        // document that shows mojibake, `cross` looks for them itself.
        signs.cross |= self.full;
        signs
    }
}

impl LineStage for RepairStage {
    fn prepare(&mut self, first_batch: &[Line], _facts: &mut Facts) {
        // The cheap scan of each line, until one shows UTF-8 read as GBK: then the full scan is
        // on, and the lines are scanned again in full below; otherwise these are their signs.
        let mut cheap = Vec::with_capacity(first_batch.len());
        for line in first_batch {
            let signs = if line.no_mojibake_sign {
                // The pipeline's last look, at its output's first batch: the scan found nothing
                // in this text (see `Self::signs`).
                debug_assert_eq!(
                    signature::scan(&line.text, false),
                    signature::Signs::default()
                );
                signature::Signs::default()
            } else {
                signature::scan(&line.text, false)
            };
            if signs.gbk && self.repair.utf8_as_gbk {
                break;
            }
            cheap.push(signs);
        }
        self.full = cheap.len() < first_batch.len();
        // The evidence of the whole first batch, from each line's first round (never made
        // here: the bar is out of reach).
        let mut scratch = Counts::default();
        self.evidence = 0;
        for (i, line) in first_batch.iter().enumerate() {
            // Past `MIN_HAN` the evidence decides nothing more (it is only compared with it):
            // the rest of the batch need not be read for it.
            if self.evidence >= MIN_HAN {
                break;
            }
            let signs = if self.full {
                signature::scan(&line.text, true)
            } else {
                cheap[i]
            };
            if signs.any() {
                let mut bar = Bar::new(usize::MAX);
                self.repair
                    .line_scanned(&line.text, signs, &mut bar, &mut scratch);
                self.evidence = self.evidence.saturating_add(bar.evidence());
            }
        }
        self.first_left = first_batch.len();
    }

    one_for_one_push!();
}

impl RepairStage {
    /// Makes `line` the line the stage hands on for it (one for each, at once).
    #[inline]
    fn make_line(&mut self, line: &mut Line, counts: &mut Counts) {
        if !self.takes_unread(line) {
            *line = self.repair(std::mem::take(line), counts).0;
        }
    }
}
