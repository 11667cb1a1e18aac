//! Stage 3, reflow: one paragraph per line.
//!
//! Drops the blank lines that separate paragraphs (`blank-lines`). Joining lines broken inside a
//! sentence (page breaks, hard wraps) builds on this and keeps a window of a few lines, so the
//! stage still streams.

use crate::pipeline::{Line, LineStage};
use crate::report::Counts;
use crate::rules::RuleSet;

/// The reflow stage of the pipeline.
pub struct ReflowStage {
    drop_blank_lines: bool,
}

impl ReflowStage {
    pub fn new(rules: &RuleSet) -> Self {
        ReflowStage {
            drop_blank_lines: rules.is_on("blank-lines"),
        }
    }
}

impl LineStage for ReflowStage {
    fn push(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        if self.drop_blank_lines && !line.open && line.text.trim().is_empty() {
            counts.add("blank-lines", 1);
            return;
        }
        out.push(line);
    }
}
