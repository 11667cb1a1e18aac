//! How reflow measures a document's first batch for hard wraps: as the output will have it.
//!
//! The wrap is measured on the top with the title and page-break joins made
//! ([`ReflowStage::with_titles_joined`]), and taken only when the lines its joins make would
//! not be measured as wrapped again and joined further by a second cleaning
//! ([`ReflowStage::wrap_settles`]), which reads the output's lines and not the lines the first
//! cleaning measured.

use crate::report::{Counts, Facts};
use crate::rules::{Rule, RuleSet};
use crate::stages::{Line, LineStage};

use super::shape::{LineShape, ShapeNeeds};
use super::{detect_wrap_width, is_title_part, ReflowStage, WidthModel, Wrap};

impl ReflowStage {
    /// Measures the first batch for hard wraps (`join-hard-wrap` on), and takes the wrap when
    /// its joins settle. The stage's run over the batch to see that is its own work on it,
    /// kept: the batch's lines, pushed next, are not reflowed again.
    pub(super) fn take_wrap(&mut self, first_batch: &[Line], facts: &mut Facts) {
        let wrap = self.measured_wrap(first_batch);
        if matches!(wrap, Wrap::None) {
            return;
        }
        let mut scout = self.scout(wrap);
        let mut released = Vec::with_capacity(first_batch.len());
        let mut counts = Counts::default();
        for line in first_batch {
            scout.push(line.clone(), &mut released, &mut counts);
        }
        if counts.get(Rule::JoinHardWrap) > 0 && !self.wrap_settles(&scout, &released) {
            return;
        }
        // The scout is this stage having taken the first batch, which comes next: its work is
        // kept rather than done again.
        *self = ReflowStage {
            reflowed: released,
            reflowed_counts: counts,
            reflowed_left: first_batch.len(),
            ..scout
        };
        match wrap {
            Wrap::Model(model) => {
                facts.insert("wrap-width", format!("{}", (model.margin * 2.0).round()));
                facts.insert("wrap-model", model.to_string());
            }
            Wrap::Columns(width) => {
                facts.insert("wrap-width", width.to_string());
            }
            Wrap::None => {}
        }
    }

    /// The first batch as it is measured for hard wraps: its top with the joins this stage
    /// makes there before any wrap is known (title joins, and page breaks), so that it is
    /// measured as the output will have it. A second cleaning reads the joined title as one
    /// line; measured apart by the first, a title split in two added a full line to the second
    /// cleaning's count only, which could then find the document hard-wrapped and join every
    /// line (the fuzz finding: `������������` + `通知`). `None` when no join is made there.
    pub(super) fn with_titles_joined(&self, first_batch: &[Line]) -> Option<Vec<Line>> {
        if !self.join_titles {
            return None;
        }
        // The top ends at the first line that is no title part (an open piece is none): there
        // the stage's title region ends.
        let needs = ShapeNeeds {
            width: false,
            title: true,
        };
        let top = first_batch
            .iter()
            .position(|l| {
                let blank = !l.open && l.text.trim_start().is_empty();
                !blank && (l.open || !is_title_part(&LineShape::start_as_needed(&l.text, needs)))
            })
            .unwrap_or(first_batch.len());
        let mut scout = ReflowStage {
            drop_blank_lines: self.drop_blank_lines,
            join_page_breaks: self.join_page_breaks,
            join_titles: true,
            join_hard_wraps: false,
            blank_separated: self.blank_separated,
            ..ReflowStage::new(&RuleSet::none())
        };
        let mut out = Vec::new();
        let mut counts = Counts::default();
        for line in &first_batch[..top] {
            scout.push(line.clone(), &mut out, &mut counts);
        }
        scout.finish(&mut out, &mut counts);
        if counts.get(Rule::JoinTitle) == 0 && counts.get(Rule::JoinPageBreak) == 0 {
            return None;
        }
        // Each joined line keeps what the first of its parts says of it (its indentation): the
        // parts are the lines that follow on, as many as make up its characters.
        let mut parts = first_batch[..top]
            .iter()
            .filter(|l| !l.text.trim_start().is_empty());
        let mut measured = Vec::with_capacity(first_batch.len() - top + out.len());
        for joined in out {
            if joined.text.is_empty() {
                measured.push(joined);
                continue;
            }
            let mut left = joined.text.chars().filter(|c| *c != ' ').count();
            let Some(first) = parts.next() else {
                measured.push(joined);
                continue;
            };
            left = left.saturating_sub(first.text.chars().filter(|c| *c != ' ').count());
            while left > 0 {
                let Some(part) = parts.next() else { break };
                left = left.saturating_sub(part.text.chars().filter(|c| *c != ' ').count());
            }
            let whole = joined.text == first.text;
            measured.push(Line {
                indent: first.indent,
                footnote: whole && first.footnote,
                ..joined
            });
        }
        measured.extend_from_slice(&first_batch[top..]);
        Some(measured)
    }

    /// How the first batch is wrapped, measured as the output will have its top
    /// ([`Self::with_titles_joined`]).
    fn measured_wrap(&self, first_batch: &[Line]) -> Wrap {
        let titles_joined = self.with_titles_joined(first_batch);
        let first_batch = titles_joined.as_deref().unwrap_or(first_batch);
        // Blank lines the output drops are not there for a second cleaning to measure with.
        // Under `--blank-line` the output keeps one between paragraphs, and a single blank
        // line is no break to the joins (`join_rule`): a second cleaning reads the lines on
        // either side as following on, so the fit passes over them there too (read as
        // paragraph ends, nine short lines were fitted no model by the first cleaning and one
        // by the second, which joined them: `clean-idempotence-d9b733d0d9e9058a`).
        if let Some(model) = WidthModel::fit(first_batch, self.drop_blank_lines) {
            Wrap::Model(model)
        } else if let Some(width) = detect_wrap_width(first_batch) {
            Wrap::Columns(width)
        } else {
            Wrap::None
        }
    }

    /// A stage configured as this one, reading the document as wrapped by `wrap`: it shows what
    /// this stage makes of lines, or a second cleaning's.
    fn scout(&self, wrap: Wrap) -> ReflowStage {
        ReflowStage {
            drop_blank_lines: self.drop_blank_lines,
            join_page_breaks: self.join_page_breaks,
            join_hard_wraps: self.join_hard_wraps,
            join_titles: self.join_titles,
            blank_separated: self.blank_separated,
            wrap,
            ..ReflowStage::new(&RuleSet::none())
        }
    }

    /// Does the output this stage makes of the first batch, joined as the scout's wrap has it,
    /// stay as it is when it is cleaned again? A second cleaning measures its wrap on the output's
    /// lines, not on the lines this stage measured, and in a short document of short lines the
    /// paragraphs joined may measure as hard-wrapped again, by another width or in columns
    /// rather than by a model, and be joined further (the fuzz finding
    /// `pipeline-idempotence-848ee0edc3030387`: fourteen lines measured by a model of 10 em,
    /// joined into eight that measured as wrapped in 20 columns, which the second cleaning
    /// joined into one). Such a document is not read as hard-wrapped: its lines are kept, and a
    /// second cleaning, which reads the same lines, finds the same.
    ///
    /// `scout` is the stage, reading the document as wrapped by `wrap`, that has taken the
    /// first batch and released `released`.
    fn wrap_settles(&self, scout: &ReflowStage, released: &[Line]) -> bool {
        // The output's lines as a second cleaning reads them: plain lines, with what the scout
        // still holds as the document's end would release it.
        let mut output = released.to_vec();
        let mut ended = scout.clone();
        ended.finish(&mut output, &mut Counts::default());
        let read_again: Vec<Line> = output
            .into_iter()
            .map(|line| Line {
                text: line.text,
                open: line.open,
                ..Line::default()
            })
            .collect();
        let again = self.measured_wrap(&read_again);
        if matches!(again, Wrap::None) {
            return true;
        }
        let mut second = self.scout(again);
        let mut rejoined = Vec::with_capacity(read_again.len());
        let mut counts = Counts::default();
        for line in read_again {
            second.push(line, &mut rejoined, &mut counts);
        }
        second.finish(&mut rejoined, &mut counts);
        counts.get(Rule::JoinHardWrap) == 0
    }
}
