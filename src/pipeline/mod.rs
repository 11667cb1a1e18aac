//! The cleaning pipeline: the order of the stages, and the driver that streams a document
//! through them.
//!
//! ```text
//! decoded text ─▶ lines ─▶ repair ─▶ normalize ─▶ strip ─▶ reflow ─▶ convert ─▶ polish ─▶ repair again? ─▶ output lines
//! ```
//!
//! Why this order:
//! - **repair first**: mojibake is undone before any rule changes it; normalize's `invisible`
//!   rule would delete the C1 controls Latin-1 mojibake is partly made of, and convert would
//!   "convert" mojibake characters, after which the damage could not be undone.
//! - **normalize first**: every later rule can then rely on NFC, LF line ends, no invisible
//!   characters and half-width digits (a page number `－３－` is recognised as `－3－`).
//! - **strip before reflow**: converter markers, page numbers, running headers and form feeds sit
//!   between the two halves of a broken paragraph; they must be gone before reflow decides whether
//!   to join, or a page number would block the join.
//! - **reflow before convert**: a dictionary phrase may straddle a broken line, and pinyin
//!   annotations (removed by strip) sit inside phrases: `習(xí)近平` must reach the phrase
//!   dictionary as `習近平`, whole.
//! - **compatibility ideographs and full-width letters decided again after reflow**: normalize
//!   keeps them in a Japanese or Korean line, but strip and reflow then cut and join lines, so
//!   the paragraph they end up in may read as Chinese, as a second cleaning would read it
//!   (`normalize::CompatibilityStage`, the second half of the `nfc` and `fullwidth-alnum`
//!   rules). Before convert, which must see the ideographs folded to convert them.
//! - **polish after convert**: punctuation width and CJK/ASCII spacing look at the neighbouring
//!   characters, which conversion may change, and conversion dictionaries expect the original
//!   punctuation.
//! - **repair asked again last**: the stages after repair change text, and a run that was no
//!   mojibake as it came may be as it leaves (convert writes a character whose bytes complete
//!   UTF-8 with the mojibake beside it); a line repair would now change is repaired and cleaned
//!   again, so that a second cleaning changes nothing (`fixed_point`).
//!
//! The driver batches lines (about 64 KiB at a time) and pushes each batch through the stages in
//! turn. Each stage is shown the first batch of the lines *it takes* before it takes them
//! ([`LineStage::prepare`]): whole-document facts (the wrap width of a hard-wrapped file, the
//! language and script of the document, whether it carries pinyin annotations) come from this
//! bounded prefix, and the rest streams. A stage's first batch is gathered from what the stages
//! before it release, until it makes [`BATCH_BYTES`] or the document ends; not from the
//! driver's first batch with copies of what those stages still hold. A fact must be the one a
//! second cleaning takes from the output, and the output holds the lines as the earlier stages
//! release them: without the running headers strip removes at a page's end (a Hangul jamo in
//! one made convert read a Chinese document as Korean, which the second cleaning, without them,
//! converted), and with the whole of a paragraph reflow joins across the end of the driver's
//! first batch (convert read the document's language without the paragraph's Han characters
//! that came in the second). Memory is bounded by the batch size, once per stage while the
//! first batches are gathered, plus what a stage holds back (a paragraph being joined), which
//! is itself capped at [`MAX_LINE_BYTES`].

use crate::report::CleanReport;
use crate::rules::{Rule, RuleSet};
use crate::stages::convert::ConvertStage;
use crate::stages::normalize::{CompatibilityStage, NormalizeStage};
use crate::stages::polish::PolishStage;
use crate::stages::reflow::ReflowStage;
use crate::stages::repair::{RepairStage, ScanStops};
use crate::stages::strip::StripStage;
use crate::stages::{Line, LineStage, MAX_LINE_BYTES};
use fixed_point::FixedPointStage;

mod fixed_point;

pub use crate::stages::convert::{Conversion, ConvertMode, Target};

pub use crate::stages::BATCH_BYTES;

/// How many texts of written lines the driver keeps for the next lines (a batch's worth of
/// lines of typical length), and how large each may be: at most 4 MiB kept in all.
const SPARE_TEXTS: usize = 1024;
const SPARE_TEXT_CAPACITY: usize = 4 * 1024;
/// The least capacity a line's text is allocated with: most lines are longer.
const MIN_TEXT_CAPACITY: usize = 64;

thread_local! {
    /// The spare texts of the last [`Cleaner`] this thread finished, for the next one: a
    /// document's first batch is read before any of its lines is written, so without them
    /// each of its lines would be read into a new allocation.
    static SPARE_TEXTS_OF_THE_LAST_DOCUMENT: std::cell::Cell<Vec<String>> =
        const { std::cell::Cell::new(Vec::new()) };
}

/// The first lines a stage not prepared yet has been given, and their bytes.
#[derive(Default)]
struct Gathered {
    lines: Vec<Line>,
    bytes: usize,
}

/// Everything that decides what the cleaning stages do (decoding and I/O are configured
/// elsewhere).
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub rules: RuleSet,
    pub target: Target,
    pub convert: ConvertMode,
    /// Put one blank line between output paragraphs.
    pub blank_line: bool,
    /// `--config` and `--dict`: what converting paragraphs uses besides the built-in tables.
    pub conversion: Conversion,
}

/// Streams one document through the stages. Feed it decoded text in chunks of any size with
/// [`Cleaner::push_str`]; finished output is appended to the `out` string you pass in, so the
/// caller can encode and write it as it comes.
pub struct Cleaner {
    stages: Vec<Box<dyn LineStage + Send>>,
    blank_line: bool,
    /// The unfinished last line of the text pushed so far.
    partial: String,
    /// `partial` lies within the last chunk pushed, and repair's cheap scan of that chunk stops
    /// nowhere in it: the line is marked as showing no sign of mojibake
    /// (`Line::no_mojibake_sign`). A line begun in an earlier chunk is not: its parts were
    /// scanned apart, each cut short at the chunk's end, and a sign across the seam is seen
    /// by neither.
    partial_no_sign: bool,
    /// The previous chunk ended with '\r': a '\n' at the start of the next one belongs to it.
    after_cr: bool,
    batch: Vec<Line>,
    /// The other vector [`Self::run_batch`] passes lines between, kept between batches.
    spare_batch: Vec<Line>,
    /// Texts of lines already written, cleared, to hold the next lines read: most lines then
    /// need no allocation of their own. At most [`SPARE_TEXTS`] texts of at most
    /// [`SPARE_TEXT_CAPACITY`] bytes are kept.
    spare_texts: Vec<String>,
    /// What the stages give back of their spare texts (`LineStage::give_spare_texts`), on its
    /// way to `spare_texts`.
    given_texts: Vec<String>,
    batch_bytes: usize,
    /// For each stage not prepared yet, the lines it has been given so far: its first batch
    /// being gathered (see the module documentation).
    unprepared: Vec<Option<Gathered>>,
    /// The last line written was open (a piece of an overlong line).
    output_open: bool,
    wrote_any: bool,
    report: CleanReport,
}

impl Cleaner {
    pub fn new(options: &Options) -> Self {
        let repair = RepairStage::new(&options.rules);
        let mut stages: Vec<Box<dyn LineStage + Send>> = vec![Box::new(repair.clone())];
        stages.extend(stages_after_repair(options));
        if repair.is_on() {
            let blank_line = options.blank_line;
            let options = options.clone();
            stages.push(Box::new(FixedPointStage::new(
                repair,
                Box::new(move || stages_after_repair(&options)),
                BATCH_BYTES,
                blank_line,
            )));
        }
        Cleaner {
            unprepared: stages.iter().map(|_| Some(Gathered::default())).collect(),
            stages,
            blank_line: options.blank_line,
            partial: String::new(),
            partial_no_sign: true,
            after_cr: false,
            batch: Vec::new(),
            spare_batch: Vec::new(),
            spare_texts: SPARE_TEXTS_OF_THE_LAST_DOCUMENT.take(),
            given_texts: Vec::new(),
            batch_bytes: 0,
            output_open: false,
            wrote_any: false,
            report: CleanReport::default(),
        }
    }

    /// Feeds a chunk of decoded text. Complete output lines are appended to `out`.
    pub fn push_str(&mut self, mut text: &str, out: &mut String) {
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = text.strip_prefix('\n') {
                text = rest;
            }
        }
        // Repair's cheap scan, of the chunk at once: a line without a stop of it is marked as
        // showing no sign, and repair need not scan it (`ScanStops`).
        let chunk = text;
        let mut stops = ScanStops::new(chunk);
        while let Some(pos) = memchr::memchr2(b'\n', b'\r', text.as_bytes()) {
            let (head, tail) = text.split_at(pos);
            let head_start = chunk.len() - text.len();
            // Only a line that starts and ends in this chunk (see `partial_no_sign`).
            let no_sign = self.partial.is_empty() && stops.none_in(head_start, head_start + pos);
            self.make_room_in_partial(head.len());
            self.partial.push_str(head);
            // (The test first: every line passes here, and nearly none is overlong.)
            if self.partial.len() > MAX_LINE_BYTES {
                self.cut_overlong_line(out);
            }
            // An empty line (between paragraphs, often every other line) takes no allocation:
            // the spare in `partial` waits for the next line with text.
            let line = if self.partial.is_empty() {
                String::new()
            } else {
                let spare = self.spare_texts.pop().unwrap_or_default();
                std::mem::replace(&mut self.partial, spare)
            };
            self.add_line(
                Line {
                    no_mojibake_sign: no_sign,
                    ..Line::new(line)
                },
                out,
            );
            // One line break: "\n", "\r\n" or a lone "\r". A "\r" at the very end of the chunk
            // may be the first half of a "\r\n" split across chunks.
            text = if let Some(rest) = tail.strip_prefix("\r\n") {
                rest
            } else if tail == "\r" {
                self.after_cr = true;
                ""
            } else {
                &tail[1..]
            };
            if tail.starts_with('\r') {
                self.report.rules.add(Rule::LineEndings, 1);
            }
        }
        let rest_start = chunk.len() - text.len();
        self.partial_no_sign = self.partial.is_empty() && stops.none_in(rest_start, chunk.len());
        self.partial.push_str(text);
        self.cut_overlong_line(out);
    }

    /// Before `partial` (empty, a spare text or none) takes a line of `len` bytes: a spare too
    /// small for it is freed and the next spare tried, once, and failing that `partial` is
    /// allocated afresh. Growing the spare would reallocate it, which copies its old bytes
    /// (none of them the line's). A spare too small is not put back: the next line would take
    /// it first, and most lines are as long as the one before. A text is allocated at a power
    /// of two (the allocator's size classes round it up anyway), so that, once spare, it holds
    /// any line up to that size, not only lines no longer than the one it was made for.
    fn make_room_in_partial(&mut self, len: usize) {
        if !self.partial.is_empty() || self.partial.capacity() >= len {
            return;
        }
        self.partial = match self.spare_texts.pop() {
            Some(spare) if spare.capacity() >= len => spare,
            _ => String::with_capacity(len.next_power_of_two().max(MIN_TEXT_CAPACITY)),
        };
    }

    /// Gives the stages the pieces of an overlong line read so far, one each time more than
    /// [`MAX_LINE_BYTES`] of it is left; the line's end is the last piece. So where a line is
    /// cut does not depend on the chunks it came in, and a second cleaning's pieces of the
    /// output's line are the ones the fixed-point stage asks repair of (`fixed_point`).
    fn cut_overlong_line(&mut self, out: &mut String) {
        while self.partial.len() > MAX_LINE_BYTES {
            let cut = crate::text::cut_point(&self.partial, MAX_LINE_BYTES);
            let rest = self.partial.split_off(cut);
            let piece = std::mem::replace(&mut self.partial, rest);
            self.add_line(
                Line {
                    text: piece,
                    open: true,
                    // A piece of a line over a mebibyte, which many chunks made: not marked
                    // (see `partial_no_sign`).
                    no_mojibake_sign: false,
                    ..Line::default()
                },
                out,
            );
        }
    }

    /// Ends the document: flushes every stage and returns what the pipeline did.
    pub fn finish(mut self, out: &mut String) -> CleanReport {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.add_line(
                Line {
                    no_mojibake_sign: self.partial_no_sign,
                    ..Line::new(line)
                },
                out,
            );
        }
        self.run_batch(out);
        let mut lines = Vec::new();
        for i in 0..self.stages.len() {
            self.gather_first_batch(i, &mut lines, true);
            let mut released = Vec::new();
            self.stages[i].push_batch(&mut lines, &mut released, &mut self.report.rules);
            self.stages[i].finish(&mut released, &mut self.report.rules);
            lines = released;
        }
        self.write_lines(&mut lines, out);
        if self.output_open {
            // The document ended inside an overlong line: it still gets its final newline.
            out.push('\n');
        }
        SPARE_TEXTS_OF_THE_LAST_DOCUMENT.set(std::mem::take(&mut self.spare_texts));
        self.report
    }

    fn add_line(&mut self, line: Line, out: &mut String) {
        self.report.lines_in += u64::from(!line.open);
        self.batch_bytes += line.text.len();
        self.batch.push(line);
        if self.batch_bytes >= BATCH_BYTES {
            self.run_batch(out);
        }
    }

    fn run_batch(&mut self, out: &mut String) {
        let mut lines = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        for i in 0..self.stages.len() {
            self.gather_first_batch(i, &mut lines, false);
            let stage = &mut self.stages[i];
            let mut next = std::mem::take(&mut self.spare_batch);
            stage.push_batch(&mut lines, &mut next, &mut self.report.rules);
            stage.give_spare_texts(&mut self.given_texts);
            keep_spare_texts(&mut self.spare_texts, &mut self.given_texts);
            self.spare_batch = lines;
            lines = next;
        }
        self.write_lines(&mut lines, out);
        // Both vectors are empty now; the next batch is collected in this one.
        self.batch = lines;
    }

    /// While stage `i` is not prepared, takes `lines` (what the stage before it released) into
    /// its first batch; once that makes [`BATCH_BYTES`], or when the `document_ended`, shows
    /// the stage its first batch as the driver cuts one (up to the line that makes the bytes)
    /// and gives back in `lines` all it gathered, for the stage to take.
    fn gather_first_batch(&mut self, i: usize, lines: &mut Vec<Line>, document_ended: bool) {
        let Some(gathered) = &mut self.unprepared[i] else {
            return;
        };
        // The lines are moved in whole (one copy into room made once), not pushed one by one
        // through the growth of an empty vector; their bytes are counted where they now stand.
        let start = gathered.lines.len();
        gathered.lines.append(lines);
        let mut cut = None;
        for (at, line) in gathered.lines.iter().enumerate().skip(start) {
            gathered.bytes += line.text.len();
            if cut.is_none() && gathered.bytes >= BATCH_BYTES {
                cut = Some(at + 1);
            }
        }
        if cut.is_none() && !document_ended {
            return;
        }
        let gathered = self.unprepared[i].take().unwrap_or_default().lines;
        let shown = cut.unwrap_or(gathered.len());
        self.stages[i].prepare(&gathered[..shown], &mut self.report.facts);
        *lines = gathered;
    }

    fn write_lines(&mut self, lines: &mut Vec<Line>, out: &mut String) {
        for line in lines.drain(..) {
            if self.blank_line && self.wrote_any && !self.output_open {
                out.push('\n');
            }
            out.push_str(&line.text);
            if !line.open {
                out.push('\n');
                self.report.lines_out += 1;
            }
            self.output_open = line.open;
            self.wrote_any = true;
            keep_spare_text(&mut self.spare_texts, line.text);
        }
    }
}

/// Keeps `text` among the `spare` texts, cleared, unless enough are kept or it is too large
/// to keep (or has no allocation to reuse).
fn keep_spare_text(spare: &mut Vec<String>, mut text: String) {
    if spare.len() < SPARE_TEXTS && (1..=SPARE_TEXT_CAPACITY).contains(&text.capacity()) {
        text.clear();
        spare.push(text);
    }
}

/// [`keep_spare_text`] for each text a stage gave (`LineStage::give_spare_texts`), which
/// leaves `given` empty.
fn keep_spare_texts(spare: &mut Vec<String>, given: &mut Vec<String>) {
    for text in given.drain(..) {
        keep_spare_text(spare, text);
    }
}

/// The stages after repair, in pipeline order: the pipeline's, and those that clean a line the
/// fixed-point stage repairs again.
fn stages_after_repair(options: &Options) -> Vec<Box<dyn LineStage + Send>> {
    let rules = &options.rules;
    vec![
        Box::new(NormalizeStage::new(rules)),
        Box::new(StripStage::new(rules).with_blank_line_output(options.blank_line)),
        Box::new(ReflowStage::new(rules).with_blank_line_output(options.blank_line)),
        Box::new(CompatibilityStage::new(rules)),
        Box::new(
            ConvertStage::new(rules, options.target, options.convert)
                .with_conversion(options.conversion.clone()),
        ),
        Box::new(PolishStage::new(rules)),
    ]
}

/// Cleans a whole text at once (for tests and library users with small inputs).
pub fn clean_str(text: &str, options: &Options) -> (String, CleanReport) {
    let mut cleaner = Cleaner::new(options);
    let mut out = String::with_capacity(text.len());
    cleaner.push_str(text, &mut out);
    let report = cleaner.finish(&mut out);
    (out, report)
}

#[cfg(test)]
mod tests;
