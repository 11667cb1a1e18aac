//! Stage 3, reflow: one paragraph per line.
//!
//! - `blank-lines`: empty lines between paragraphs are dropped (Word's "save as text" puts one
//!   between every paragraph; strip leaves one where it removed a page number or a form feed).
//! - `join-page-break`: a paragraph split by a page break — one or more empty lines in between —
//!   is joined when the first part does not end a sentence (no `。！？；：…` or closing quote or
//!   bracket at its end), neither part is a heading, title, date or signature, and the second
//!   part does not start a heading or list item (`一、` `（一）` `1.` `（1）` `第X章` `①` `附件`).
//! - `join-hard-wrap`: in a hard-wrapped document (pdftotext: nearly every line as wide as the
//!   page), detected from the line-width histogram of the first batch, a line at the wrap width
//!   is joined with the next unless the next starts a heading or list item; a shorter line ends
//!   its paragraph.
//!
//! Joining adds no space between Chinese characters, one space between two ASCII words.
//!
//! The stage holds back one paragraph (the one that may still be continued). It respects
//! [`Line::open`] (a piece of an overlong line: the next Line continues it with no break) and
//! caps the paragraph it holds at [`MAX_LINE_BYTES`] by releasing open pieces cut at
//! [`cut_point`], so memory stays bounded even for a 2 GB hard-wrapped file.

use crate::pipeline::{Line, LineStage, MAX_LINE_BYTES};
use crate::report::{Counts, Facts};
use crate::rules::RuleSet;
use crate::text::{
    bytes_in_ranges, cut_point, display_width, is_chinese_numeral, is_han, is_sentence_end, BLOCK,
};

/// A heading, title, date or signature is at most this many characters.
const MAX_TITLE_CHARS: usize = 30;
/// A heading that starts with a list marker (`（一）早谋划，确定全年工作要点`) may be longer.
const MAX_MARKED_HEADING_CHARS: usize = 40;
/// More characters than this and a line is no title of any kind.
const TITLE_CHARS_LIMIT: usize = if MAX_TITLE_CHARS > MAX_MARKED_HEADING_CHARS {
    MAX_TITLE_CHARS
} else {
    MAX_MARKED_HEADING_CHARS
};
/// Wrap widths we believe, in columns (a Han character is two): 10 to 60 characters.
const WRAP_WIDTHS: std::ops::RangeInclusive<usize> = 20..=120;
/// A line this many columns short of the wrap width still counts as full: the layout moves a
/// punctuation mark or a whole ASCII word to the next line.
const WRAP_SLACK: usize = 4;
/// Lines needed in the first batch before we call a document hard-wrapped.
const MIN_WRAPPED_LINES: usize = 8;

/// Sentence punctuation that a title does not have.
fn is_stop(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

/// Does the text start a heading or list item: `一、` `（一）` `(一)` `1.` `1、` `（1）` `第X章/条/节`
/// `①` `附件`?
pub fn starts_block(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let is_numeral = is_chinese_numeral;
    match first {
        '①'..='⑳' | '⑴'..='⒇' | '⒈'..='⒛' | '❶'..='❿' => true,
        '（' | '(' => {
            // What is inside, up to the closing parenthesis or the end: at most three
            // characters, so only the first four are looked at.
            let rest = chars.as_str();
            let close = rest
                .char_indices()
                .take(4)
                .find(|(_, c)| matches!(c, '）' | ')'));
            let inner = match close {
                Some((end, _)) => &rest[..end],
                None if rest.chars().nth(3).is_none() => rest,
                None => return false,
            };
            !inner.is_empty()
                && (inner.chars().all(is_numeral) || inner.chars().all(|c| c.is_ascii_digit()))
        }
        '第' => {
            let mut rest = chars.take(6);
            let numeral_len = rest
                .clone()
                .take_while(|c| is_numeral(*c) || c.is_ascii_digit())
                .count();
            numeral_len > 0
                && rest
                    .nth(numeral_len)
                    .is_some_and(|c| "章条节编部篇款项".contains(c))
        }
        c if c.is_ascii_digit() => {
            let after = text.trim_start_matches(|c: char| c.is_ascii_digit());
            let mut after = after.chars();
            match after.next() {
                Some('、' | '．') => true,
                // `1.` but not `1.5`
                Some('.') => !after.next().is_some_and(|c| c.is_ascii_digit()),
                _ => false,
            }
        }
        c if is_numeral(c) => {
            let after = text.trim_start_matches(is_numeral);
            after.starts_with('、')
        }
        _ => text.starts_with("附件"),
    }
}

/// What reflow needs to know about one (logical) line: gathered piece by piece, so an overlong
/// line split into open pieces is described as a whole.
#[derive(Clone, Copy, Debug, Default)]
struct LineShape {
    chars: usize,
    width: usize,
    has_stop: bool,
    starts_block: bool,
    first: Option<char>,
    last: Option<char>,
}

impl LineShape {
    /// The whole shape of `text`, everything measured.
    #[cfg(test)]
    fn start(text: &str) -> Self {
        Self::start_as_needed(
            text,
            ShapeNeeds {
                width: true,
                title: true,
            },
        )
    }

    fn extend(&mut self, text: &str) {
        let (chars, width, has_stop) = measure(text);
        self.chars = self.chars.saturating_add(chars);
        self.width = self.width.saturating_add(width);
        self.has_stop |= has_stop;
        self.extend_ends(text);
    }

    /// [`Self::start`] measuring only what `needs` says will be read.
    fn start_as_needed(text: &str, needs: ShapeNeeds) -> Self {
        let mut shape = LineShape {
            starts_block: starts_block(text),
            first: text.chars().next(),
            ..LineShape::default()
        };
        shape.extend_as_needed(text, needs);
        shape
    }

    /// [`Self::extend`] measuring only what `needs` says will be read. Measuring is most of
    /// reflow's work, and most lines need none of it: without a wrap width the width is never
    /// read, and a line of more characters than any title ([`TITLE_CHARS_LIMIT`]) is no
    /// title whatever its punctuation — a text of more than 4 bytes per character of that
    /// limit is such a line (a character is at most 4 bytes). Then `chars` is only counted
    /// as a lower bound, still above the limit, and `width` and `has_stop` are left alone.
    fn extend_as_needed(&mut self, text: &str, needs: ShapeNeeds) {
        let surely_no_title = self.chars > TITLE_CHARS_LIMIT || text.len() > 4 * TITLE_CHARS_LIMIT;
        if needs.width || (needs.title && !surely_no_title) {
            self.extend(text);
            return;
        }
        self.chars = self.chars.saturating_add(text.len().div_ceil(4));
        self.extend_ends(text);
    }

    /// The first and last characters, after `text` is added.
    fn extend_ends(&mut self, text: &str) {
        if let Some(c) = text.chars().next_back() {
            self.last = Some(c);
        }
        if self.first.is_none() {
            self.first = text.chars().next();
        }
    }

    /// The shape of this text followed by the text `next` describes: the same as extending by
    /// that text, without reading it again.
    fn append(&mut self, next: &LineShape) {
        self.chars = self.chars.saturating_add(next.chars);
        self.width = self.width.saturating_add(next.width);
        self.has_stop |= next.has_stop;
        if next.last.is_some() {
            self.last = next.last;
        }
        if self.first.is_none() {
            self.first = next.first;
        }
    }

    /// A heading, title, date or signature: short, without sentence punctuation. It stays on its
    /// own line.
    fn is_title(&self) -> bool {
        if self.has_stop || self.last.is_some_and(|c| matches!(c, '，' | '、' | ',')) {
            return false;
        }
        self.chars <= MAX_TITLE_CHARS
            || (self.starts_block && self.chars <= MAX_MARKED_HEADING_CHARS)
    }

    fn ends_sentence(&self) -> bool {
        self.last.is_some_and(is_sentence_end)
    }
}

/// The room made in a paragraph's text at its first join, in bytes: a few hard-wrapped lines.
/// Kept under the size of the texts the driver reuses for the next lines read.
const JOINED_PARAGRAPH_ROOM: usize = 2048;

/// Characters, layout width and whether there is a stop in `text`. Han characters of
/// U+4000–U+9FFF (lead bytes E4–E9), two columns and no stop, are counted sixteen bytes at a
/// time from their lead bytes ([`bytes_in_ranges`]); only the other characters are measured
/// one by one ([`measure_char`]).
fn measure(text: &str) -> (usize, usize, bool) {
    const CONTINUATION: [(u8, u8); 1] = [(0x80, 0x40)];
    const HAN_LEAD: [(u8, u8); 1] = [(0xE4, 6)];
    let bytes = text.as_bytes();
    let (mut chars, mut width, mut has_stop) = (0, 0, false);
    let mut start = 0;
    for block in bytes.chunks_exact(BLOCK) {
        let block: &[u8; BLOCK] = block.try_into().expect("a block");
        let han = bytes_in_ranges(block, &HAN_LEAD);
        let mut others = !(han | bytes_in_ranges(block, &CONTINUATION)) & 0xFFFF;
        chars += han.count_ones() as usize;
        width += 2 * han.count_ones() as usize;
        // Each of the others starts a character (continuation bytes are not among them).
        while others != 0 {
            let (w, stop) = measure_char(text, start + others.trailing_zeros() as usize);
            chars += 1;
            width += w;
            has_stop |= stop;
            others &= others - 1;
        }
        start += BLOCK;
    }
    // The tail, byte by byte; continuation bytes belong to characters counted already.
    for (at, &b) in bytes.iter().enumerate().skip(start) {
        match b {
            0x80..=0xBF => continue,
            0xE4..=0xE9 => width += 2,
            _ => {
                let (w, stop) = measure_char(text, at);
                width += w;
                has_stop |= stop;
            }
        }
        chars += 1;
    }
    (chars, width, has_stop)
}

/// The layout width of the character starting at byte `at`, and whether it is a stop. The
/// common ones are measured from their bytes without decoding: ASCII; lead bytes E3–E9, the
/// characters of U+3000–U+9FFF (CJK punctuation, kana, Han), all two columns wide, of which
/// only `。` (`E3 80 82`) is a stop; and U+FF00–U+FF3F (`EF BC ..`, full-width punctuation,
/// digits and capitals), two columns, of which `！` (81), `；` (9B) and `？` (9F) are stops.
#[inline]
fn measure_char(text: &str, at: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    match bytes[at] {
        b @ 0x00..=0x7F => (layout_width(char::from(b)), matches!(b, b'!' | b'?' | b';')),
        b @ 0xE3..=0xE9 => (
            2,
            b == 0xE3 && bytes[at + 1] == 0x80 && bytes[at + 2] == 0x82,
        ),
        0xEF if bytes[at + 1] == 0xBC => (2, matches!(bytes[at + 2], 0x81 | 0x9B | 0x9F)),
        _ => {
            let c = text[at..]
                .chars()
                .next()
                .expect("at is a character boundary");
            (layout_width(c), is_stop(c))
        }
    }
}

/// Finds the wrap width of a hard-wrapped document from the widths of its first lines: the most
/// common width, when most lines are that wide (within `WRAP_SLACK`) and almost none wider.
pub fn detect_wrap_width(lines: &[Line]) -> Option<usize> {
    let widths: Vec<usize> = lines
        .iter()
        .filter(|l| !l.open && !l.text.trim().is_empty())
        .map(|l| measure(&l.text).1)
        .collect();
    if widths.len() < MIN_WRAPPED_LINES {
        return None;
    }
    let mut histogram = std::collections::BTreeMap::new();
    for w in &widths {
        *histogram.entry(*w).or_insert(0usize) += 1;
    }
    // The most common width; on a tie the wider one (the full line).
    let (&mode, _) = histogram
        .iter()
        .max_by_key(|(width, count)| (**count, **width))?;
    // The page width is the widest line near the most common width (lines with a digit or a
    // Latin letter in them come out a column or two narrower).
    let wrap = widths
        .iter()
        .copied()
        .filter(|w| (mode..=mode + WRAP_SLACK).contains(w))
        .max()
        .unwrap_or(mode);
    if !WRAP_WIDTHS.contains(&wrap) {
        return None;
    }
    let full = widths
        .iter()
        .filter(|w| (wrap.saturating_sub(WRAP_SLACK)..=wrap).contains(*w))
        .count();
    let wider = widths.iter().filter(|w| **w > wrap).count();
    let mostly_full = full * 2 >= widths.len() && full >= MIN_WRAPPED_LINES;
    let almost_none_wider = wider * 20 <= widths.len();
    (mostly_full && almost_none_wider).then_some(wrap)
}

/// A character's width for wrap detection. Polish, which runs after reflow, removes spaces next
/// to Chinese and widens `,:;()!?` in Chinese context; measured as they will come out, the widths
/// (and so the wrap-width decision) are the same when the output is cleaned again.
fn layout_width(c: char) -> usize {
    match c {
        ' ' => 0,
        ',' | ':' | ';' | '(' | ')' | '!' | '?' => 2,
        _ => display_width(c),
    }
}

/// Two ASCII words meet at a join: they need a space between them.
fn needs_space(before: Option<char>, after: Option<char>) -> bool {
    let word_end = |c: char| {
        c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | '%')
    };
    let word_start = |c: char| c.is_ascii_alphanumeric() || c == '(';
    before.is_some_and(word_end) && after.is_some_and(word_start) && !before.is_some_and(is_han)
}

/// What of a [`LineShape`] the reflow stage will read.
#[derive(Clone, Copy, Debug)]
struct ShapeNeeds {
    /// The width: a wrap width was found, so lines are compared with it.
    width: bool,
    /// Whether the line is a title: page breaks are joined, unless at a title.
    title: bool,
}

/// The reflow stage of the pipeline.
pub struct ReflowStage {
    drop_blank_lines: bool,
    join_page_breaks: bool,
    join_hard_wraps: bool,
    wrap_width: Option<usize>,
    /// The paragraph being built; it may still be continued.
    paragraph: String,
    /// Pieces of this paragraph were already released as open lines.
    holding: bool,
    /// The last line added to the paragraph is complete (not open).
    line_complete: bool,
    /// The last (logical) line of the paragraph.
    shape: LineShape,
    /// The whole paragraph so far (a paragraph of several lines is no title).
    paragraph_shape: LineShape,
    /// Empty lines seen since the paragraph's last line.
    gap: usize,
}

impl ReflowStage {
    pub fn new(rules: &RuleSet) -> Self {
        ReflowStage {
            drop_blank_lines: rules.is_on("blank-lines"),
            join_page_breaks: rules.is_on("join-page-break"),
            join_hard_wraps: rules.is_on("join-hard-wrap"),
            wrap_width: None,
            paragraph: String::new(),
            holding: false,
            line_complete: true,
            shape: LineShape::default(),
            paragraph_shape: LineShape::default(),
            gap: 0,
        }
    }

    /// Should the line starting with `text` (complete unless `open`) continue the paragraph?
    fn joins(&self, text: &str, open: bool, next: &LineShape) -> Option<&'static str> {
        if !self.holding || next.starts_block {
            return None;
        }
        // A title is judged on its whole line (an open piece is too long to be one); a line as
        // wide as the page of a hard-wrapped document is no title, whatever its punctuation.
        let next_is_title = !open && next.is_title() && !self.is_full(next);
        let paragraph_is_title = self.paragraph_shape.is_title() && !self.is_full(&self.shape);
        if self.gap > 0 {
            let joins = self.join_page_breaks
                && !self.shape.ends_sentence()
                && !paragraph_is_title
                && !next_is_title
                && !text.is_empty();
            return joins.then_some("join-page-break");
        }
        (self.join_hard_wraps && self.is_full(&self.shape)).then_some("join-hard-wrap")
    }

    /// What [`Self::joins`] reads of line shapes: the width only against a wrap width (found
    /// only when hard wraps are joined), titles only to join page breaks.
    fn shape_needs(&self) -> ShapeNeeds {
        ShapeNeeds {
            width: self.wrap_width.is_some(),
            title: self.join_page_breaks,
        }
    }

    /// Is the line as wide as the page of a hard-wrapped document?
    fn is_full(&self, line: &LineShape) -> bool {
        self.wrap_width
            .is_some_and(|wrap| line.width + WRAP_SLACK >= wrap)
    }

    /// Releases the paragraph being held as a finished line.
    fn release(&mut self, out: &mut Vec<Line>) {
        if self.holding {
            out.push(Line::new(std::mem::take(&mut self.paragraph)));
            self.holding = false;
        }
    }

    /// Empty lines that did not end up inside a join.
    fn release_gap(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        let gap = std::mem::take(&mut self.gap);
        if self.drop_blank_lines {
            counts.add("blank-lines", gap as u64);
        } else {
            out.extend(std::iter::repeat_with(Line::default).take(gap));
        }
    }

    /// Keeps the held paragraph under [`MAX_LINE_BYTES`] by releasing open pieces of it.
    fn cap(&mut self, out: &mut Vec<Line>) {
        while self.paragraph.len() > MAX_LINE_BYTES {
            let cut = cut_point(&self.paragraph, MAX_LINE_BYTES);
            let rest = self.paragraph.split_off(cut);
            let piece = std::mem::replace(&mut self.paragraph, rest);
            out.push(Line {
                text: piece,
                open: true,
                ..Line::default()
            });
        }
    }
}

impl LineStage for ReflowStage {
    fn prepare(&mut self, first_batch: &[Line], facts: &mut Facts) {
        if self.join_hard_wraps {
            self.wrap_width = detect_wrap_width(first_batch);
            if let Some(width) = self.wrap_width {
                facts.insert("wrap-width", width.to_string());
            }
        }
    }

    fn push(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        if !self.line_complete {
            // This piece continues an overlong line: no break, nothing to decide.
            let needs = self.shape_needs();
            self.shape.extend_as_needed(&line.text, needs);
            self.paragraph_shape.extend_as_needed(&line.text, needs);
            self.paragraph.push_str(&line.text);
            self.line_complete = !line.open;
            self.cap(out);
            return;
        }
        // Leading whitespace is all there is to look at: a line of it only is blank.
        if !line.open && line.text.trim_start().is_empty() {
            self.gap += 1;
            return;
        }
        let next = LineShape::start_as_needed(&line.text, self.shape_needs());
        match self.joins(&line.text, line.open, &next) {
            Some(rule) => {
                counts.add(rule, 1);
                // The empty lines inside a join are page-break signals, not paragraph breaks.
                self.gap = 0;
                if self.paragraph.capacity() < JOINED_PARAGRAPH_ROOM {
                    // Joined paragraphs grow line by line: room for a typical one at the first
                    // join, rather than growth by doubling from the size of one line.
                    self.paragraph
                        .reserve(JOINED_PARAGRAPH_ROOM.saturating_sub(self.paragraph.len()));
                }
                if needs_space(self.paragraph.chars().next_back(), next.first) {
                    self.paragraph.push(' ');
                }
                self.paragraph.push_str(&line.text);
                self.paragraph_shape.append(&next);
            }
            None => {
                self.release(out);
                self.release_gap(out, counts);
                self.paragraph = line.text;
                self.paragraph_shape = next;
                self.holding = true;
            }
        }
        self.shape = next;
        self.line_complete = !line.open;
        self.cap(out);
    }

    fn finish(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        self.release(out);
        self.release_gap(out, counts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reflow_with(rules: &RuleSet, lines: &[&str]) -> (Vec<String>, Counts) {
        crate::pipeline::run_stage(ReflowStage::new(rules), lines)
    }

    fn reflow(lines: &[&str]) -> Vec<String> {
        reflow_with(&RuleSet::default(), lines).0
    }

    /// Shapes measured only for titles say the same as whole ones whether a line is a title,
    /// around the length limit, for lines of one and of several pieces.
    #[test]
    fn shapes_measured_for_titles_only_judge_titles_alike() {
        let title_only = ShapeNeeds {
            width: false,
            title: true,
        };
        for unit in ["一", "a", "𠀀", "，", "。", "第一章"] {
            for count in [1, 10, 30, 40, 41, 60, 61, 161, 200] {
                let text = unit.repeat(count);
                let whole = LineShape::start(&text);
                let partial = LineShape::start_as_needed(&text, title_only);
                assert_eq!(partial.is_title(), whole.is_title(), "{unit} ×{count}");
                assert_eq!((partial.first, partial.last), (whole.first, whole.last));
                let (mut whole, mut partial) = (whole, partial);
                whole.extend("。");
                partial.extend_as_needed("。", title_only);
                assert_eq!(partial.is_title(), whole.is_title(), "{unit} ×{count} + 。");
                whole.extend("短");
                partial.extend_as_needed("短", title_only);
                assert_eq!(partial.is_title(), whole.is_title(), "{unit} ×{count} + 短");
            }
        }
    }

    /// The fast measure agrees with measuring character by character, and appending a shape
    /// with extending by its text.
    #[test]
    fn fast_measure_agrees_with_the_slow_one() {
        let samples = [
            "",
            "中华人民共和国",
            "第一条　根据《条例》，现将有关情况报告如下：",
            "關於(guān)落實!?;:() 2021年 GB 50180…“引号”",
            "䷀䷁㐀\u{4DBF}一\u{9FFF}\u{A000}ꀀ𠀀é\u{0301}ｆｕｌｌ",
            "\u{3000}\u{3001}。\u{3003}ぁ\u{3099}ア\u{31FF}\u{33FF}！？；",
        ];
        // Every character of the ranges the fast paths take whole.
        let ascii: String = (0..0x80u8).map(char::from).collect();
        let cjk: String = (0x3000..0xA000).filter_map(char::from_u32).collect();
        let full_width: String = (0xFF00..0xFF40).filter_map(char::from_u32).collect();
        for text in [ascii.as_str(), cjk.as_str(), full_width.as_str()] {
            for c in text.chars() {
                let one = c.to_string();
                let slow = (1, layout_width(c), is_stop(c));
                assert_eq!(measure(&one), slow, "{c:?}");
            }
        }
        // Blocks of Han characters passed whole, with other characters at every position.
        let long = "中华人民共和国法治政府建设实施纲要".repeat(2);
        let chars: Vec<char> = long.chars().collect();
        let mut mixed = Vec::new();
        for c in ['a', '。', '！', '，', '…', 'é', '𠀀', '\u{3000}'] {
            for at in 0..=chars.len() {
                let mut text: String = chars[..at].iter().collect();
                text.push(c);
                text.extend(&chars[at..]);
                mixed.push(text);
            }
        }
        for text in samples
            .iter()
            .copied()
            .chain(mixed.iter().map(String::as_str))
        {
            let slow = (
                text.chars().count(),
                text.chars().map(layout_width).sum::<usize>(),
                text.chars().any(is_stop),
            );
            assert_eq!(measure(text), slow, "{text:?}");
            for next in samples {
                let mut extended = LineShape::start(text);
                extended.extend(next);
                let mut appended = LineShape::start(text);
                appended.append(&LineShape::start(next));
                assert_eq!(
                    format!("{extended:?}"),
                    format!("{appended:?}"),
                    "{text:?} + {next:?}"
                );
            }
        }
    }

    #[test]
    fn list_and_heading_starts() {
        for text in [
            "一、总则",
            "十二、附则",
            "（一）加强",
            "(一)加强",
            "1. 按照",
            "10.全面",
            "1、按照",
            "（1）按照",
            "第三章 总则",
            "第十二条　根据",
            "①按照",
            "附件1",
            "（一二三）加强",
            "(12)按照",
            "（一",
        ] {
            assert!(starts_block(text), "{text:?}");
        }
        for text in [
            "1.5倍",
            "2021年",
            "一是加强",
            "（2021-2025年）",
            "第一批不涉及",
            "报告、经具有",
            "(LED)",
            "（一二三四）加强",
            "（一二三四",
            "()加强",
            "（1二）",
            "第",
        ] {
            assert!(!starts_block(text), "{text:?}");
        }
    }

    #[test]
    fn page_break_joins() {
        // The first part does not end a sentence: joined, no space between Chinese characters.
        assert_eq!(
            reflow(&["16. 严格执行制度。组织新申", "", "报人员参加考试。"]),
            ["16. 严格执行制度。组织新申报人员参加考试。"]
        );
        assert_eq!(
            reflow(&[
                "对县（市、区）级企业的行政检查、",
                "",
                "",
                "科技型中小企业评价。"
            ]),
            ["对县（市、区）级企业的行政检查、科技型中小企业评价。"]
        );
        // Two ASCII words meet: one space.
        assert_eq!(
            reflow(&[
                "使用软件时，我们在界面上看到了 the quick brown",
                "",
                "fox 字样。"
            ]),
            ["使用软件时，我们在界面上看到了 the quick brown fox 字样。"]
        );
    }

    #[test]
    fn page_break_keeps_real_boundaries() {
        let cases: &[&[&str]] = &[
            // The first part ends a sentence.
            &["第一段结束。", "", "第二段开始。"],
            &["如下：", "", "报告正文。"],
            &["（重点实验室）", "", "科技型中小企业评价。"],
            // The next part starts a list item or heading.
            &["现将有关情况报告如下", "", "一、主要举措"],
            &["按照要求开展工作，", "", "（一）加强组织领导"],
            &["按照要求开展工作，", "", "2. 全面落实"],
            // Titles, dates and signatures stay on their own lines.
            &["运城市科学技术局", "", "关于 2021 年法治政府建设的年度报告"],
            &["运城市科学技术局", "", "2021年12月30日"],
            &[
                "2021年推进法治政府建设存在的不足和原因",
                "",
                "一是，创新有待加强。",
            ],
            &[
                "（一）早谋划，确定全年工作要点",
                "",
                "发挥依法行政领导小组作用。",
            ],
        ];
        for lines in cases {
            let expected: Vec<&str> = lines.iter().copied().filter(|l| !l.is_empty()).collect();
            assert_eq!(reflow(lines), expected, "{lines:?}");
        }
    }

    #[test]
    fn lines_without_a_break_are_not_joined_in_a_document_that_is_not_wrapped() {
        let lines = [
            "中站区科工信局",
            "关于2023年法治政府建设工作情况的报告",
            "按照安排，现将情况报告如下：",
            "一、强化组织领导",
        ];
        assert_eq!(reflow(&lines), lines);
    }

    #[test]
    fn hard_wrapped_text_is_joined_at_the_wrap_width() {
        let body = "这是一段从PDF文件中提取的文字每一行都被排版软件截断在固定的宽度上我们需要把它们重新连接成一个完整的段落，然后再输出结果。";
        let chars: Vec<char> = body.chars().collect();
        let mut lines: Vec<String> = Vec::new();
        for _ in 0..3 {
            lines.push("一、标题".into());
            for chunk in chars.chunks(20) {
                lines.push(chunk.iter().collect());
            }
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (out, counts) = reflow_with(&RuleSet::default(), &refs);
        assert_eq!(out, ["一、标题", body, "一、标题", body, "一、标题", body]);
        assert!(counts.get("join-hard-wrap") > 0);
        let mut facts = Facts::default();
        let batch: Vec<Line> = refs.iter().map(|l| Line::new(*l)).collect();
        ReflowStage::new(&RuleSet::default()).prepare(&batch, &mut facts);
        assert_eq!(facts.get("wrap-width").map(String::as_str), Some("40"));
    }

    #[test]
    fn clean_documents_are_not_called_hard_wrapped() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/seeds/001_3eda85141095d995.txt"
        ))
        .unwrap();
        let lines: Vec<Line> = text.lines().map(Line::new).collect();
        assert_eq!(detect_wrap_width(&lines), None);
        let same: Vec<Line> = (0..20).map(|_| Line::new("短行")).collect();
        assert_eq!(detect_wrap_width(&same), None, "too narrow to be a page");
    }

    #[test]
    fn each_join_rule_switches_off() {
        let lines = ["组织新申", "", "报人员参加考试。"];
        let (out, counts) = reflow_with(&RuleSet::only(&["blank-lines"]).unwrap(), &lines);
        assert_eq!(out, ["组织新申", "报人员参加考试。"]);
        assert_eq!(counts.get("blank-lines"), 1);
        let (out, _) = reflow_with(&RuleSet::none(), &lines);
        assert_eq!(out, lines);
    }

    #[test]
    fn open_pieces_stay_one_line_and_the_paragraph_is_capped() {
        let mut stage = ReflowStage::new(&RuleSet::default());
        let mut out = Vec::new();
        let mut counts = Counts::default();
        let sentence = "很长的句子没有结束，";
        let piece = sentence.repeat(MAX_LINE_BYTES / sentence.len() / 2);
        for _ in 0..5 {
            stage.push(
                Line {
                    text: piece.clone(),
                    open: true,
                    ..Line::default()
                },
                &mut out,
                &mut counts,
            );
        }
        stage.push(Line::new("结束。"), &mut out, &mut counts);
        stage.finish(&mut out, &mut counts);
        assert!(out.iter().all(|l| l.text.len() <= MAX_LINE_BYTES));
        assert!(out[..out.len() - 1].iter().all(|l| l.open));
        assert!(!out.last().unwrap().open);
        let joined: String = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined, piece.repeat(5) + "结束。");
    }
}
