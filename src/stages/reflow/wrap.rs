//! Is a document hard-wrapped, and where is its right margin?
//!
//! pdftotext breaks a paragraph where the page's right margin fell: a line is *full* when the
//! first piece of the next line would not have fitted on it. The page is set in proportional
//! type, so widths are measured in ems with a width model fitted to the document
//! ([`WidthModel::fit`]): a Han character or a full-width mark is one em; a Latin letter or a
//! digit, a curly quotation mark and a layout gap (a space pdftotext writes between Chinese and
//! Latin text) weigh what makes the document's full lines meet its margin. The first line of a
//! paragraph is shorter by the paragraph's indent. In `pdftotext -layout` text the indent itself
//! is kept (strip records it in [`Line::indent`]): a line indented deeper than the body starts
//! a paragraph.
//!
//! A document with too few lines of Chinese to fit a model falls back to the columns of a
//! monospace layout and the most common line width ([`detect_wrap_width`]).

use crate::stages::Line;
use crate::text::is_sentence_end;

use super::classify::starts_block;
use super::lead::{is_no_line_start, lead_room};
use super::shape::{class_of, Class};
use super::shape::{count_spaces, measure, Measure, Room};

mod columns;
mod weights;
pub use columns::detect_wrap_width;
use weights::{fit_weights, NARROW, QUOTE};

/// Wrap widths we believe, in columns (a Han character is two): 10 to 60 characters.
pub(super) const WRAP_WIDTHS: std::ops::RangeInclusive<usize> = 20..=120;
/// A line this many columns short of the wrap width still counts as full: the layout moves a
/// punctuation mark or a whole ASCII word to the next line.
pub const WRAP_SLACK: usize = 4;
/// Lines needed in the first batch before we call a document hard-wrapped.
pub(super) const MIN_WRAPPED_LINES: usize = 8;
/// Full lines of wide characters only needed to take the margin from: a short document has
/// few (most lines hold a digit or a mark of some other width).
const MIN_PURE_FULL_LINES: usize = 4;
/// A paragraph's first-line indent, in ems: two characters, the Chinese convention.
const INDENT_EMS: usize = 2;
/// Page widths we believe, in ems.
const MARGINS: std::ops::RangeInclusive<usize> = 10..=60;
/// How much a line may differ from the margin by measuring alone, in ems: glyphs differ a
/// little from the model, Latin letters (an `i`, an `m`) more.
const TOLERANCE: f32 = 0.4;
const TOLERANCE_PER_NARROW: f32 = 0.03;
const MAX_TOLERANCE: f32 = 1.5;
/// How far short of the margin a line may stop and still go on, in text whose indentation
/// marks every paragraph start, in ems.
const LAYOUT_SLACK: f32 = 3.0;

/// The widths of a hard-wrapped document's page, fitted to its first lines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WidthModel {
    /// The width of a full line, in ems.
    pub margin: f32,
    /// The width of a narrow character (a Latin letter, a digit), in ems.
    pub narrow: f32,
    /// The width of a curly quotation mark, in ems.
    pub quote: f32,
    /// The width of a gap pdftotext wrote as a space, in ems.
    pub space: f32,
    /// How much shorter the first line of a paragraph is, in ems.
    pub indent: f32,
    /// In text that keeps the layout's indentation: the indentation of the body (columns);
    /// a line indented deeper starts a paragraph.
    pub body_indent: Option<u16>,
}

/// The fitted widths, as the report shows them: `margin 29 em, narrow 0.55, quote 0.5, gap
/// 0.2, indent 2` (and `body indent N` in text that keeps the layout's indentation).
impl std::fmt::Display for WidthModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "margin {} em, narrow {}, quote {}, gap {}, indent {}",
            self.margin, self.narrow, self.quote, self.space, self.indent
        )?;
        if let Some(body) = self.body_indent {
            write!(f, ", body indent {body}")?;
        }
        Ok(())
    }
}

/// One line of the first batch, as the fit sees it.
struct Sample {
    room: Room,
    /// The closing marks that end the line, which the layout may hang past the margin.
    hang: Room,
    /// The lead of the next line, when it follows right on (no empty line between that the
    /// output keeps).
    next: Option<Room>,
    /// The next line starts a heading or list item.
    next_starts_block: bool,
    ends_sentence: bool,
    starts_block: bool,
    /// The line before was right before it (no empty line between that the output keeps).
    follows: bool,
    /// The line may start a paragraph: nothing right before it, or a line that ends a
    /// sentence or starts a heading.
    may_start: bool,
    /// A title the title join made of lines at the top: as wide as its parts together, no line
    /// of the page.
    made_by_joins: bool,
}

impl WidthModel {
    /// A text's width in ems.
    pub fn em(&self, room: &Room) -> f32 {
        room.wide as f32
            + self.narrow * room.narrow as f32
            + self.quote * room.quotes as f32
            + self.space * room.spaces as f32
    }

    fn tolerance(room: &Room) -> f32 {
        (TOLERANCE + TOLERANCE_PER_NARROW * room.narrow as f32).min(MAX_TOLERANCE)
    }

    /// By how much the line of `room` followed by the lead of the next line (`lead`) is wider
    /// than `room_for` ems, measuring tolerance taken off: above zero, the lead did not fit and
    /// the layout broke the line there.
    fn overflow(&self, room: &Room, lead: &Room, room_for: f32) -> f32 {
        // A Latin word after Chinese text is set off by a gap.
        let gap = if lead.wide == 0 && lead.narrow > 0 {
            self.space
        } else {
            0.0
        };
        self.em(room) + self.em(lead) + gap - room_for + Self::tolerance(room)
    }

    /// Was the line of `room` broken by the layout (the next line's `lead` did not fit)? A
    /// paragraph's first line has `indented` less room.
    pub fn is_full(&self, room: &Room, lead: &Room, indented: bool) -> bool {
        let room_for = if indented {
            self.margin - self.indent
        } else {
            self.margin
        };
        self.overflow(room, lead, room_for) > 0.0
    }

    /// Text that keeps the layout's indentation and indents its paragraphs: a line indented no
    /// deeper than the body goes on its paragraph unless the line before clearly stopped
    /// short of the margin (by more than this many ems).
    pub fn is_nearly_full(&self, room: &Room, lead: &Room, indented: bool) -> bool {
        let indent = if indented { self.indent } else { 0.0 };
        self.overflow(room, lead, self.margin - indent - LAYOUT_SLACK) > 0.0
    }

    /// Is the line of `room` wider than a paragraph's first line, short by the indent, can be
    /// (measuring tolerance given)? Then it goes on a paragraph. Never in a document that does
    /// not indent its paragraphs.
    pub fn is_wider_than_a_first_line(&self, room: &Room) -> bool {
        self.indent > 0.0 && self.em(room) - Self::tolerance(room) > self.margin - self.indent
    }

    /// Is the line of `room` exactly a paragraph's first line: no wider than one (short by the
    /// indent), and broken at that shorter margin (one more wide character would not have
    /// fitted)? Never in a document that does not indent its paragraphs. A line that ends its
    /// paragraph is this wide by chance only, one time in some tens.
    pub fn is_a_full_first_line(&self, room: &Room) -> bool {
        self.indent > 0.0
            && !self.is_wider_than_a_first_line(room)
            && self.is_full(room, &Room::ONE_WIDE, true)
    }

    /// Paragraph starts are marked by indentation (and the document indents them).
    pub fn marks_paragraphs(&self) -> bool {
        self.body_indent.is_some() && self.indent > 0.0
    }

    /// Is a line of this indentation (columns) deeper than the body's: a paragraph start?
    pub fn starts_paragraph(&self, indent: u16) -> bool {
        self.body_indent.is_some_and(|body| indent > body)
    }

    /// Fits a model to the first lines of a document; `None` unless the document is
    /// hard-wrapped Chinese: enough lines of wide characters only that are as wide as one
    /// another, almost no line wider.
    ///
    /// `pass_over_empty_lines`: the lines on either side of an empty line of `lines` follow on
    /// in the output as a second cleaning reads it (the output drops the empty lines, or under
    /// `--blank-line` writes one between paragraphs, which the joins read as no break): they
    /// are then read as following on here too, as that cleaning, which fits its model to the
    /// output, reads them.
    ///
    /// `made_by_joins`: the first lines of `lines` that hold the titles reflow's title join made
    /// at the top (`ReflowStage::with_titles_joined`). A title joined from two lines is as wide
    /// as both: it is neither a line wider than the page nor a paragraph joined already, and
    /// taken for one, it kept a hard-wrapped document whose title was wrapped at its margin
    /// from being fitted a model (the synthetic damage's `wrap` kind: a 33-em title over a
    /// page of 19 em).
    ///
    /// What it measures of each line is left in `measures` (by line; `None` for a line it did
    /// not measure): the stage, which measures the same lines again as it reflows them, takes
    /// it from there (`ReflowStage::push_measured`).
    pub fn fit(
        lines: &[Line],
        made_by_joins: usize,
        pass_over_empty_lines: bool,
        measures: &mut Vec<Option<Measure>>,
    ) -> Option<WidthModel> {
        // The margin first, from the few lines it needs: most documents have none, and are
        // then no hard-wrapped ones without measuring every line (the same lines give the
        // same margin below). Lines longer than this cannot be of wide characters only, fewer
        // than 64 of them: a wide character is at most 4 bytes, and such a line may hold
        // spaces (`（ 一）`: polish takes them away, so they are no gap).
        measures.clear();
        // The most bytes besides spaces of a sample too long to be measured here.
        let mut longest_others = 0;
        for l in lines {
            let text = &l.text;
            let sampled = is_sampled(l);
            // The bytes besides spaces of a line too long to hold only 64 wide characters
            // with them.
            let others =
                (sampled && text.len() > 4 * PURE_WIDTHS).then(|| text.len() - count_spaces(text));
            // A line of whitespace only may be passed over as empty (`samples`): no sample.
            if let Some(others) = others.filter(|_| !text.trim_start().is_empty()) {
                // Half as wide again as the widest page whatever the weights: paragraphs
                // joined already whatever the page width, so no model, and nothing more
                // measured for one (a clean document's first paragraph may come early).
                if is_surely_joined(others, *MARGINS.end() as f32) {
                    measures.resize(lines.len(), None);
                    return None;
                }
                longest_others = longest_others.max(others);
            }
            let measured = sampled && others.map_or(true, |others| others <= 4 * PURE_WIDTHS);
            measures.push(measured.then(|| measure(text)));
        }
        // A line strip took an annotation out of was that much wider on the page, and held
        // more than wide characters.
        let rooms = measures.iter().zip(lines).filter_map(|(measure, line)| {
            Some(measure.as_ref()?.room.with_stripped(line.stripped_columns))
        });
        let page = margin_of(&pure_widths(rooms))?;
        // A line half as wide again as the page is paragraphs joined already, and no model is
        // fitted ([`mostly_full`]). The samples below measure every line whole, a paragraph
        // of a clean document some thousands of characters; a line of so many bytes that
        // its characters are wider than that whatever the weights says so without them.
        if is_surely_joined(longest_others, page) {
            return None;
        }
        let samples = samples(lines, made_by_joins, measures, pass_over_empty_lines);
        if samples.len() < MIN_WRAPPED_LINES || !is_mostly_wide(&samples) {
            return None;
        }
        let mut model = WidthModel {
            margin: 0.0,
            narrow: 0.5,
            // Chinese fonts draw curly quotes one em wide; a Latin font, about half.
            quote: 1.0,
            space: 0.2,
            indent: 2.0,
            body_indent: None,
        };
        // The margin from the lines of wide characters only, which need no weights; then
        // the weights that fit it best.
        model.margin = margin(&samples)?;
        fit_weights(&mut model, &samples);
        if !mostly_full(&model, &samples) {
            return None;
        }
        model.indent = fit_indent(&model, &samples);
        model.body_indent = body_indent(lines);
        Some(model)
    }

    /// How well the model explains the lines: lines followed by more of their paragraph that
    /// it finds full, less three for every line wider than the page (which no page has).
    fn score<'a>(&self, samples: impl IntoIterator<Item = &'a Sample>) -> i64 {
        let mut score = 0i64;
        for s in samples {
            if self.em(&s.room) - self.em(&s.hang) > self.margin + Self::tolerance(&s.room) {
                score -= 3;
            } else if let Some(lead) = &s.next {
                // A line that may start a paragraph may be shorter by an indent.
                score += i64::from(self.is_full(&s.room, lead, s.may_start));
            }
        }
        score
    }
}

/// The room of the closing marks that end `text`, which a layout hangs past the right margin
/// (Word's hanging punctuation, on by default for Chinese): full-width marks and curly
/// quotation marks that cannot start a line, two at most (`。”`). Counted as wider than the
/// page, a line that hangs `”` made the fit take quotation marks for narrow ones.
fn hang_room(text: &str) -> Room {
    let mut room = Room::default();
    for c in text.chars().rev().take(2) {
        match class_of(c) {
            class @ (Class::Wide | Class::Quote) if is_no_line_start(c) => room.count(class),
            _ => break,
        }
    }
    room
}

/// Chinese text: more wide characters than narrow ones.
fn is_mostly_wide(samples: &[Sample]) -> bool {
    let wide: usize = samples.iter().map(|s| s.room.wide).sum();
    let narrow: usize = samples.iter().map(|s| s.room.narrow).sum();
    wide > narrow
}

/// A line the fit looks at: a whole line of body text.
fn is_sampled(line: &Line) -> bool {
    !line.open && !line.footnote && !line.text.is_empty()
}

/// The samples of `lines`, which `measures` holds the measures of where it has them (by line);
/// the lines it lacks are measured here, and their measures put there. The first
/// `made_by_joins` lines hold titles the title join made ([`WidthModel::fit`]).
/// With `pass_over_empty_lines`, an empty line is passed over: the lines on either side of it
/// follow on in the output as a second cleaning, which fits its model there, reads it. Read as a paragraph's end,
/// it left the line before it without a next line's lead to score and the line after it
/// free to start a paragraph, and the same lines could be fitted no model by the first
/// cleaning and one by the second, which then joined lines the first had kept (the fuzz
/// finding `clean-idempotence-c34a4acc7cbd8ccc`).
fn samples(
    lines: &[Line],
    made_by_joins: usize,
    measures: &mut [Option<Measure>],
    pass_over_empty_lines: bool,
) -> Vec<Sample> {
    // Reflow's blank line (`ReflowStage::push`: a complete line of whitespace only).
    let dropped =
        |line: &Line| pass_over_empty_lines && !line.open && line.text.trim_start().is_empty();
    let mut samples = Vec::with_capacity(lines.len());
    let mut follows = false;
    let mut after_end = true;
    // Whether the line after a sample starts a block, by its index: asked for that sample, and
    // taken by the line's own sample rather than asked again.
    let mut next_opens: Option<(usize, bool)> = None;
    for (i, line) in lines.iter().enumerate() {
        if dropped(line) {
            continue;
        }
        if !is_sampled(line) {
            follows = false;
            after_end = true;
            continue;
        }
        let ends_sentence = line.text.chars().next_back().is_some_and(is_sentence_end);
        let opens_block = match next_opens {
            Some((at, opens)) if at == i => opens,
            _ => starts_block(&line.text),
        };
        let next_at = lines[i + 1..]
            .iter()
            .position(|n| !dropped(n))
            .map(|k| i + 1 + k)
            .filter(|&j| is_sampled(&lines[j]));
        next_opens = next_at.map(|j| (j, starts_block(&lines[j].text)));
        samples.push(Sample {
            room: measures[i]
                .get_or_insert_with(|| measure(&line.text))
                .room
                .with_stripped(line.stripped_columns),
            hang: hang_room(&line.text),
            next: next_at.map(|j| lead_room(&lines[j].text)),
            next_starts_block: next_opens.is_some_and(|(_, opens)| opens),
            ends_sentence,
            starts_block: opens_block,
            follows,
            may_start: after_end,
            made_by_joins: i < made_by_joins,
        });
        follows = true;
        after_end = ends_sentence || opens_block;
    }
    samples
}

/// The page width: the most common width of the lines of wide characters only, or one more
/// when many are that wide (the layout pushes a character down to keep a mark off a line's
/// start, so full lines are often one short).
fn margin(samples: &[Sample]) -> Option<f32> {
    margin_of(&pure_widths(samples.iter().map(|s| s.room)))
}

/// The widths counted for the margin: lines of wide characters only, of fewer than this many.
const PURE_WIDTHS: usize = 64;

/// How many lines of wide characters only there are of each width (in ems, below
/// [`PURE_WIDTHS`]) among `rooms`.
fn pure_widths(rooms: impl Iterator<Item = Room>) -> [usize; PURE_WIDTHS] {
    let mut histogram = [0usize; PURE_WIDTHS];
    for room in rooms.filter(Room::is_pure) {
        if let Some(count) = histogram.get_mut(room.wide) {
            *count += 1;
        }
    }
    histogram
}

/// [`margin`] from the histogram of [`pure_widths`].
fn margin_of(histogram: &[usize; PURE_WIDTHS]) -> Option<f32> {
    // The most common width among those a page can have: headings (`一、基本原则`) are lines
    // of wide characters only too, and a document with many can have more of them than of
    // any one full width. On a tie the wider width: a page's full lines are its widest, and a
    // short document full of digits has as few full lines of wide characters only as it has
    // headings (the synthetic damage's `doc009`: three of each, and no model fitted, nothing
    // joined, with the narrower). No width at all: the widest, never a margin.
    let (mode, &count) = histogram
        .iter()
        .enumerate()
        .skip(*MARGINS.start() - 1)
        .max_by_key(|(_, count)| **count)?;
    // The first lines of indented paragraphs are lines of wide characters only too, an
    // indent short of the margin: in text full of digits (which pdftotext spaces out, so few
    // full lines are pure) they can outnumber the full lines. No line of a page is wider than
    // its margin, so lines a little wider than the most common width, two or more of one
    // width and together a third as many, say where the margin is.
    let count_of = |width: usize| histogram.get(width).copied().unwrap_or(0);
    let wider = (mode + 1..=mode + INDENT_EMS + 1)
        .rev()
        .find(|w| count_of(*w) >= 2)
        .filter(|w| (mode + 1..=*w).map(count_of).sum::<usize>() * 3 >= count);
    let margin = match wider {
        Some(width) => width,
        None if count_of(mode + 1) * 4 >= count => mode + 1,
        None => mode,
    };
    // The range first: a margin of 0 (lines of spaces only are the most common) has no width
    // below it to count.
    if !MARGINS.contains(&margin) {
        return None;
    }
    // Full lines: one short too (a mark kept off the next line's start), and the first lines
    // of indented paragraphs.
    let full = histogram[margin - INDENT_EMS..=margin]
        .iter()
        .sum::<usize>();
    (full >= MIN_PURE_FULL_LINES).then_some(margin as f32)
}

/// Is a line of `others` bytes besides its spaces wider than half as wide again as a page of
/// `margin` ems ([`mostly_full`]'s joined paragraphs), whatever weights [`fit_weights`] picks?
/// It holds at least a character for every four of those bytes, each at least as wide as the
/// narrowest weight tried (a quotation mark's, 0.35 em; a wide character is one em, a gap
/// adds to it). Four ems to spare for the float sums of [`WidthModel::em`].
fn is_surely_joined(others: usize, margin: f32) -> bool {
    const LEAST_EMS_PER_CHAR: f32 = 0.35;
    debug_assert!(NARROW
        .iter()
        .chain(&QUOTE)
        .all(|w| *w >= LEAST_EMS_PER_CHAR));
    (others / 4) as f32 * LEAST_EMS_PER_CHAR > 1.5 * margin + 4.0
}

/// Many lines (two in five) are about as wide as the page and almost none wider: the document
/// is wrapped.
fn mostly_full(model: &WidthModel, samples: &[Sample]) -> bool {
    let near = |s: &&Sample| {
        let em = model.em(&s.room);
        em > model.margin - 3.0 && em <= model.margin + WidthModel::tolerance(&s.room)
    };
    let full = samples.iter().filter(near).count();
    let page_lines = || samples.iter().filter(|s| !s.made_by_joins);
    let wider = page_lines()
        .filter(|s| model.em(&s.room) > model.margin + 1.0 + WidthModel::tolerance(&s.room))
        .count();
    // A line half as wide again as the page is paragraphs joined already (cleaned text):
    // nothing in it is a hard wrap.
    let joined = page_lines().any(|s| model.em(&s.room) > 1.5 * model.margin);
    full >= MIN_WRAPPED_LINES
        && full * 5 >= samples.len() * 2
        && wider * 20 <= samples.len()
        && !joined
}

/// The indent of a paragraph's first line, in ems, two or none: from how much room the first
/// lines of paragraphs that go on (after a line that clearly ended the paragraph before)
/// leave, counting only the lines that one reading explains and the other does not; two (the
/// Chinese convention) when there are too few to tell.
fn fit_indent(model: &WidthModel, samples: &[Sample]) -> f32 {
    let mut short_by = Vec::new();
    for pair in samples.windows(2) {
        let (before, first) = (&pair[0], &pair[1]);
        let Some(lead) = &first.next else { continue };
        if !first.follows || first.next_starts_block || first.starts_block {
            continue;
        }
        let Some(first_lead) = &before.next else {
            continue;
        };
        let clearly_ended = before.ends_sentence
            && model.overflow(&before.room, first_lead, model.margin - 4.0) < 0.0;
        if !clearly_ended {
            continue;
        }
        // A line both readings explain tells nothing: full at the margin, and no wider than a
        // first line short by the indent can be (a long lead, a Latin word or a number, did
        // not fit either way). Counted, such lines read as paragraphs set flush.
        if model.is_full(&first.room, lead, false) && !model.is_wider_than_a_first_line(&first.room)
        {
            continue;
        }
        let left =
            -model.overflow(&first.room, lead, model.margin) + WidthModel::tolerance(&first.room);
        if left < 4.5 {
            short_by.push(left);
        }
    }
    if short_by.len() < 3 {
        return 2.0;
    }
    // A first line that went on leaves less than the indent, by less than the piece that did
    // not fit: about half an em less than it in the middle. Chinese paragraphs are indented by
    // two characters or not at all, and the middle tells which.
    short_by.sort_by(f32::total_cmp);
    let middle = short_by[short_by.len() / 2];
    if middle > 0.4 {
        2.0
    } else {
        0.0
    }
}

/// The body's indentation in text that keeps it (`pdftotext -layout`): the most common indent,
/// when some lines — at least three, at most half — are indented deeper.
fn body_indent(lines: &[Line]) -> Option<u16> {
    let indents: Vec<u16> = lines
        .iter()
        .filter(|l| !l.open && !l.footnote && !l.text.is_empty())
        .map(|l| l.indent)
        .collect();
    // Lines all at one indentation (text that does not keep the layout's has them at 0) have
    // none deeper: no histogram needed.
    if indents.iter().all(|i| *i == indents[0]) {
        return None;
    }
    let mut histogram = std::collections::BTreeMap::new();
    for indent in &indents {
        *histogram.entry(*indent).or_insert(0usize) += 1;
    }
    let (&body, _) = histogram.iter().max_by_key(|(_, count)| **count)?;
    let deeper = indents.iter().filter(|i| **i > body).count();
    (deeper >= 3 && deeper * 2 <= indents.len()).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Headings and full lines as many as one another: the margin is the full lines' width,
    /// the widest. And a document of lines narrower than any page has none.
    #[test]
    fn on_a_tie_the_margin_is_the_wider_width() {
        let mut histogram = [0; PURE_WIDTHS];
        histogram[11] = 3;
        histogram[18] = 1;
        histogram[20] = 3;
        assert_eq!(margin_of(&histogram), Some(20.0));
        // Fewer headings: the same.
        histogram[11] = 2;
        assert_eq!(margin_of(&histogram), Some(20.0));
        let mut narrow = [0; PURE_WIDTHS];
        narrow[8] = 4;
        assert_eq!(margin_of(&narrow), None);
    }

    /// A line may hang its closing marks past the margin: two at most, full-width or curly
    /// quotation marks; nothing else that ends a line.
    #[test]
    fn hanging_marks_are_closing_ones_at_the_line_end() {
        let room = |wide, quotes| Room {
            wide,
            narrow: 0,
            quotes,
            spaces: 0,
        };
        assert_eq!(hang_room("举办咖啡节。"), room(1, 0));
        assert_eq!(hang_room("选举“咖啡女王”，"), room(1, 1));
        assert_eq!(hang_room("咖啡女王。”"), room(1, 1));
        assert_eq!(hang_room("咖啡女王”。”"), room(1, 1));
        // Not an opening mark, a Han character, a narrow mark or a digit.
        assert_eq!(hang_room("要举办“"), Room::default());
        assert_eq!(hang_room("咖啡节"), Room::default());
        assert_eq!(hang_room("增长2.7%"), Room::default());
        assert_eq!(hang_room("第1998."), Room::default());
        assert_eq!(hang_room(""), Room::default());
    }
}
