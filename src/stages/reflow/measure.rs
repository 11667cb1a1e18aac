//! How reflow measures a document's first batch for hard wraps: as the output will have it.
//!
//! The wrap is measured on the top with the title and page-break joins made
//! ([`ReflowStage::with_titles_joined`]), and taken only when the lines its joins make would
//! not be measured as wrapped again and joined further by a second cleaning
//! ([`ReflowStage::wrap_settles`]), which reads the output's lines and not the lines the first
//! cleaning measured. When no wrap is taken, the lines the stage makes without one are the
//! output's, and a second cleaning measures those: where they read as wrapped, the stage
//! takes the wrap the second cleaning would take ([`ReflowStage::run_without_a_wrap`]).

use crate::report::{Counts, Facts};
use crate::rules::{Rule, RuleSet};
use crate::stages::{Line, LineStage};

use super::classify;
use super::shape::{LineShape, Measure, ShapeNeeds};
use super::{detect_wrap_width, is_title_part, ReflowStage, WidthModel, Wrap};

/// The first batch with the joins made at its top ([`ReflowStage::with_titles_joined`]).
pub(super) struct TitlesJoined {
    pub(super) lines: Vec<Line>,
    /// How many of the first lines hold the lines the joins made (with any title parts left
    /// alone before them): titles, which the width model does not take for lines of the page
    /// ([`WidthModel::fit`]).
    pub(super) made_by_joins: usize,
}

/// This stage's run over the first batch, reading it as wrapped by one wrap (or by none): the
/// stage as the batch leaves it, what it released and what it counted.
struct Run {
    stage: ReflowStage,
    released: Vec<Line>,
    counts: Counts,
}

impl Run {
    /// The output's lines this run makes, as a second cleaning reads them: plain lines, with
    /// what the stage still holds as the document's end would release it.
    fn read_again(&self) -> Vec<Line> {
        let mut output = self.released.clone();
        let mut ended = self.stage.clone();
        ended.finish(&mut output, &mut Counts::default());
        output.into_iter().map(plain).collect()
    }
}

impl ReflowStage {
    /// Measures the first batch for hard wraps (`join-hard-wrap` on), and takes the wrap when
    /// its joins settle; with no wrap taken, takes the one a second cleaning would read in the
    /// output and join by, when its joins settle ([`Self::run_without_a_wrap`]). The stage's
    /// run over the batch to see that is its own work on it, kept: the batch's lines, pushed
    /// next, are not reflowed again.
    pub(super) fn take_wrap(&mut self, first_batch: &[Line], facts: &mut Facts) {
        let mut measures = Vec::new();
        let run = match self.measured_wrap(first_batch, &mut measures) {
            Wrap::None => None,
            wrap => self.settled_run(wrap, first_batch, &measures),
        };
        let Some(run) = run.or_else(|| self.run_without_a_wrap(first_batch, &measures)) else {
            return;
        };
        let wrap = run.stage.wrap;
        // The run is this stage having taken the first batch, which comes next: its work is
        // kept rather than done again.
        *self = ReflowStage {
            reflowed: run.released,
            reflowed_counts: run.counts,
            reflowed_left: first_batch.len(),
            ..run.stage
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

    /// This stage's run over `lines`, reading them as wrapped by `wrap`; `measures` holds
    /// what [`Self::measured_wrap`] measured of them (by line, as it leaves it).
    fn run_over(&self, wrap: Wrap, lines: &[Line], measures: &[Option<Measure>]) -> Run {
        let mut stage = self.scout(wrap);
        let mut released = Vec::with_capacity(lines.len());
        let mut counts = Counts::default();
        for (i, line) in lines.iter().enumerate() {
            let measured = measures.get(i).and_then(Option::as_ref);
            stage.push_measured(line.clone(), measured, &mut released, &mut counts);
        }
        Run {
            stage,
            released,
            counts,
        }
    }

    /// The run over the first batch by `wrap`, when the output it makes stays as it is when
    /// cleaned again ([`Self::wrap_settles`]). A run that joins no hard wrap makes the lines
    /// a run without a wrap makes, but for the page-break joins a wrap decides (a line as wide
    /// as the page is no title), and is checked as that run is.
    fn settled_run(
        &self,
        wrap: Wrap,
        first_batch: &[Line],
        measures: &[Option<Measure>],
    ) -> Option<Run> {
        let run = self.run_over(wrap, first_batch, measures);
        self.wrap_settles(&run.read_again()).then_some(run)
    }

    /// No wrap was taken from the first batch as measured: the output then holds the batch as
    /// this stage reflows it without one, and a second cleaning measures those lines, not the
    /// ones measured here. Where this stage joins lines without a wrap (page breaks, a list
    /// marker alone and its item) or moves them (footnotes, which come after their paragraph
    /// and are lines of text to a second cleaning), the lines it makes may read as
    /// hard-wrapped where the batch did not (the fault campaign's finding: a line cut by
    /// form feeds into pieces each wider than the page, which no page has, joined into one
    /// by the page-break joins; with one such line among some forty, the output read as
    /// wrapped in 74 columns and a second cleaning joined its wrapped lines). Then this stage
    /// takes the wrap the second cleaning would, when its joins settle on the batch; and keeps
    /// its lines apart when they do not.
    ///
    /// `None` when this stage, without a wrap, leaves the lines as they were measured: there is
    /// no run to keep, and the lines are reflowed as they come.
    fn run_without_a_wrap(
        &self,
        first_batch: &[Line],
        measures: &[Option<Measure>],
    ) -> Option<Run> {
        if !self.may_change_lines_without_a_wrap(first_batch) {
            return None;
        }
        let plain = self.run_over(Wrap::None, first_batch, measures);
        // A run that joined nothing and held no footnote leaves the lines that were measured
        // (Word's "save as text": blank lines between paragraphs that end their sentences).
        let joined = [Rule::JoinPageBreak, Rule::JoinHardWrap, Rule::JoinTitle]
            .into_iter()
            .any(|rule| plain.counts.get(rule) > 0);
        let reads_otherwise = |line: &Line| line.footnote || line.stripped_columns > 0;
        if !joined && !first_batch.iter().any(reads_otherwise) {
            return Some(plain);
        }
        let Some(again) = self.wrap_taken_again(&plain.read_again()) else {
            return Some(plain);
        };
        // A second cleaning would read the output as wrapped and join its lines: this one
        // reads the batch as that one will, if the joins settle; failing that, it joins the
        // lines it made as that one will. If neither settles, the lines are kept apart.
        self.settled_run(again, first_batch, measures)
            .or_else(|| Some(self.run_over_output_if_settled(again, plain)))
    }

    /// The second cleaning's own run: `wrap` over the lines this stage makes without one
    /// (`plain`), when its output settles; `plain` itself when it does not. Taken when the wrap does not settle read into the
    /// batch itself: the lines it measures are there only once the page-break and title joins
    /// are made (the fuzz finding `pipeline-idempotence-4bdb6756b38c8b8c`: eight lines, each
    /// made of two pieces a form feed cut apart, title-joined without a wrap; wrapped in 20
    /// columns, the pieces were no title parts and stayed apart, and a second cleaning of the
    /// eight lines joined them all). The stage goes on from that run: the rest of the document
    /// is read as the second cleaning reads it, after the batch's last line. The joins made
    /// without the wrap are counted with the run's.
    fn run_over_output_if_settled(&self, wrap: Wrap, plain: Run) -> Run {
        let output = plain.read_again();
        let mut run = self.run_over(wrap, &output, &[]);
        if !self.wrap_settles(&run.read_again()) {
            return plain;
        }
        run.counts.merge(&plain.counts);
        run
    }

    /// May this stage, without a wrap, make of the first batch lines other than those
    /// [`Self::measured_wrap`] measures (the top with its title joins, the empty lines the
    /// output drops passed over)? Past the top it joins only across empty lines (page
    /// breaks) and a list marker alone to its item, and it moves footnotes; a batch with none
    /// of them (most documents that are not hard-wrapped) needs no run to see the output.
    fn may_change_lines_without_a_wrap(&self, first_batch: &[Line]) -> bool {
        let mut text_before = false;
        let mut gap = false;
        for line in first_batch {
            // Columns strip took out are measured here, and the output no longer has them.
            if line.open || line.footnote || line.stripped_columns > 0 {
                return true;
            }
            if line.text.trim_start().is_empty() {
                gap = text_before;
                continue;
            }
            if gap || classify::is_lone_marker(&line.text) {
                return true;
            }
            text_before = true;
        }
        false
    }

    /// The wrap a second cleaning of `output` (lines as it reads them) takes and joins lines
    /// by: the one it measures, when that joins lines and its joins settle. `None` when the
    /// second cleaning leaves the lines as they are.
    fn wrap_taken_again(&self, output: &[Line]) -> Option<Wrap> {
        let mut measures = Vec::new();
        let again = self.measured_wrap(output, &mut measures);
        if matches!(again, Wrap::None) {
            return None;
        }
        let mut run = self.run_over(again, output, &measures);
        run.stage.finish(&mut run.released, &mut run.counts);
        if run.counts.get(Rule::JoinHardWrap) == 0 {
            return None;
        }
        let read_again: Vec<Line> = run.released.into_iter().map(plain).collect();
        self.wrap_settles(&read_again).then_some(again)
    }

    /// The first batch as it is measured for hard wraps: its top with the joins this stage
    /// makes there before any wrap is known (title joins, and page breaks), so that it is
    /// measured as the output will have it. A second cleaning reads the joined title as one
    /// line; measured apart by the first, a title split in two added a full line to the second
    /// cleaning's count only, which could then find the document hard-wrapped and join every
    /// line (the fuzz finding: `������������` + `通知`). `None` when no join is made there.
    pub(super) fn with_titles_joined(&self, first_batch: &[Line]) -> Option<TitlesJoined> {
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
            strip_pinyin: self.strip_pinyin,
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
        let mut made = 0;
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
            if !whole {
                made = measured.len() + 1;
            }
            measured.push(Line {
                indent: first.indent,
                footnote: whole && first.footnote,
                ..joined
            });
        }
        measured.extend_from_slice(&first_batch[top..]);
        Some(TitlesJoined {
            lines: measured,
            made_by_joins: made,
        })
    }

    /// How the first batch is wrapped, measured as the output will have its top
    /// ([`Self::with_titles_joined`]). What the width model's fit measured of the batch's
    /// lines is left in `measures` (by line, `None` for a line it did not measure), for the
    /// runs over the batch: nothing when it measured lines with titles joined, which are not
    /// the batch's lines.
    fn measured_wrap(&self, first_batch: &[Line], measures: &mut Vec<Option<Measure>>) -> Wrap {
        let titles_joined = self.with_titles_joined(first_batch);
        let (first_batch, made_by_joins) = match &titles_joined {
            Some(joined) => (joined.lines.as_slice(), joined.made_by_joins),
            None => (first_batch, 0),
        };
        // Blank lines the output drops are not there for a second cleaning to measure with.
        // Under `--blank-line` the output keeps one between paragraphs, and a single blank
        // line is no break to the joins (`join_rule`): a second cleaning reads the lines on
        // either side as following on, so the fit passes over them there too (read as
        // paragraph ends, nine short lines were fitted no model by the first cleaning and one
        // by the second, which joined them: `clean-idempotence-d9b733d0d9e9058a`).
        let fitted = WidthModel::fit(first_batch, made_by_joins, self.drop_blank_lines, measures);
        if titles_joined.is_some() {
            measures.clear();
        }
        if let Some(model) = fitted {
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
            strip_pinyin: self.strip_pinyin,
            blank_separated: self.blank_separated,
            wrap,
            ..ReflowStage::new(&RuleSet::none())
        }
    }

    /// Does the output this stage makes of the first batch (`output`, its lines as a second
    /// cleaning reads them) stay as it is when it is cleaned again? A second cleaning measures
    /// its wrap on the output's lines, not on the lines this stage measured, and in a short
    /// document of short lines the paragraphs joined may measure as hard-wrapped again, by
    /// another width or in columns rather than by a model, and be joined further (the fuzz
    /// finding `pipeline-idempotence-848ee0edc3030387`: fourteen lines measured by a model of
    /// 10 em, joined into eight that measured as wrapped in 20 columns, which the second
    /// cleaning joined into one). Such a document is not read as hard-wrapped: its lines are
    /// kept, and a second cleaning, which reads the same lines, finds the same.
    fn wrap_settles(&self, output: &[Line]) -> bool {
        let mut measures = Vec::new();
        let again = self.measured_wrap(output, &mut measures);
        if matches!(again, Wrap::None) {
            return true;
        }
        let mut second = self.run_over(again, output, &measures);
        second
            .stage
            .finish(&mut second.released, &mut second.counts);
        second.counts.get(Rule::JoinHardWrap) == 0
    }
}

/// A line as a second cleaning reads it from the output: its text, no more.
fn plain(line: Line) -> Line {
    Line {
        text: line.text,
        open: line.open,
        ..Line::default()
    }
}
