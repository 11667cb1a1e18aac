//! Stage 5, polish: punctuation width and spacing by context, after conversion.

use crate::pipeline::{Line, LineStage};
use crate::report::Counts;
use crate::rules::RuleSet;

/// The polish stage of the pipeline.
pub struct PolishStage {}

impl PolishStage {
    pub fn new(_rules: &RuleSet) -> Self {
        PolishStage {}
    }
}

impl LineStage for PolishStage {
    fn push(&mut self, line: Line, out: &mut Vec<Line>, _counts: &mut Counts) {
        out.push(line);
    }
}
