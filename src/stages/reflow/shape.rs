//! What reflow measures of a line: its characters by the room they take on a page.
//!
//! A PDF page is set in proportional type: a Han character or a full-width mark takes one em,
//! a Latin letter or a digit about half of one (how much depends on the Latin font), a curly
//! quotation mark either (it comes from the Latin font in some exports and from the Chinese one
//! in others), and pdftotext writes a space where the layout left a gap between Chinese and
//! Latin text. So a line is measured in classes — wide, narrow, quotes, spaces — and the
//! document's width model (the `wrap` module, which uses this one) weighs them.

use crate::text::{bytes_in_ranges, display_width, is_sentence_end, BLOCK};

mod packed;

pub use packed::measure;
use packed::measure_char;

use super::classify::{starts_block, MAX_MARKED_HEADING_CHARS, MAX_TITLE_CHARS, TITLE_CHARS_LIMIT};

/// Characters of a text counted by the room they take: the classes of the width model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Room {
    /// Han characters, kana, full-width forms and marks: one em each.
    pub wide: usize,
    /// Latin letters, digits and other narrow characters.
    pub narrow: usize,
    /// Curly quotation marks `“”‘’`: narrow in a Latin font, one em in a Chinese one.
    pub quotes: usize,
    /// ASCII spaces (inside a line: gaps the layout left between Chinese and Latin text).
    pub spaces: usize,
}

impl Room {
    /// One wide character (a Han character, one em) and nothing else: the room of a line's
    /// lead most often, and of the indent a first line leaves.
    pub const ONE_WIDE: Room = Room {
        wide: 1,
        narrow: 0,
        quotes: 0,
        spaces: 0,
    };

    fn add(&mut self, other: Room) {
        self.wide = self.wide.saturating_add(other.wide);
        self.narrow = self.narrow.saturating_add(other.narrow);
        self.quotes = self.quotes.saturating_add(other.quotes);
        self.spaces = self.spaces.saturating_add(other.spaces);
    }

    /// The room with the columns strip took out of the line's inside
    /// ([`Line::stripped_columns`]: pinyin annotations, Latin letters and parentheses) counted
    /// back, as the narrow characters they were printed as.
    ///
    /// [`Line::stripped_columns`]: crate::stages::Line::stripped_columns
    pub fn with_stripped(mut self, columns: u8) -> Room {
        self.narrow = self.narrow.saturating_add(usize::from(columns));
        self
    }

    /// Nothing but wide characters: a line that measures the page without a model.
    pub fn is_pure(&self) -> bool {
        self.narrow == 0 && self.quotes == 0 && self.spaces == 0
    }

    pub(super) fn count(&mut self, class: Class) {
        match class {
            Class::Wide => self.wide += 1,
            Class::Narrow => self.narrow += 1,
            Class::Quote => self.quotes += 1,
            Class::Space => self.spaces += 1,
        }
    }
}

/// The class of one character (see [`Room`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Wide,
    Narrow,
    Quote,
    Space,
}

impl Class {
    /// In the order of the discriminants (the packed table [`ASCII_MEASURES`] stores them).
    const ALL: [Class; 4] = [Class::Wide, Class::Narrow, Class::Quote, Class::Space];
}

/// What measuring reads of each ASCII character, packed in a byte, looked up rather than
/// matched character by character (measuring is most of reflow's work): the layout width
/// ([`layout_width`], bits 0–1), a stop (bit 2), a pause `,` (bit 3), the class
/// ([`class_of`], bits 4–5) and the [`SeamMarks`] it is (bits 6–7: `(` and a space an
/// annotation's, `[` a bracket). `fast_measure_agrees_with_the_slow_one` checks every entry.
const ASCII_MEASURES: [u8; 128] = ascii_measures();

const fn ascii_measures() -> [u8; 128] {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        let (width, class) = match byte {
            b' ' => (0, Class::Space),
            b',' | b':' | b';' | b'(' | b')' | b'!' | b'?' => (2, Class::Wide),
            _ => (1, Class::Narrow),
        };
        let stop = matches!(byte, b'!' | b'?' | b';');
        let pause = byte == b',';
        let marks = match byte {
            b'(' | b' ' => SeamMarks::ANNOTATION,
            b'[' => SeamMarks::BRACKET,
            _ => 0,
        };
        table[b] = width | (stop as u8) << 2 | (pause as u8) << 3 | (class as u8) << 4 | marks << 6;
        b += 1;
    }
    table
}

/// The class of an ASCII byte, from [`ASCII_MEASURES`].
#[inline]
fn ascii_class(byte: u8) -> Class {
    Class::ALL[usize::from(ASCII_MEASURES[usize::from(byte & 0x7F)] >> 4 & 0b11)]
}

/// The class of a character as it comes out of cleaning: polish widens `,:;()!?` in Chinese
/// text, so they are measured wide (a second cleaning then measures the same).
#[inline]
pub fn class_of(c: char) -> Class {
    if c.is_ascii() {
        // ' ' is a space, `,:;()!?` wide, the rest narrow (no ASCII character is two columns).
        return ascii_class(c as u8);
    }
    match c {
        '“' | '”' | '‘' | '’' => Class::Quote,
        _ if display_width(c) == 2 => Class::Wide,
        _ => Class::Narrow,
    }
}

/// Marks beside which polish may take a space away though the character on its other side is
/// of the mark's own class: quotation marks and brackets, beside Chinese text (`quote-space`;
/// the ASCII brackets after `punct-width` has widened them), and the Chinese punctuation drawn
/// narrow (`·`, `―`), which `cjk-ascii-space` reads as Chinese beside a Latin letter or digit
/// (counted as kept, the space of `the ·s` made a line a character longer than the output
/// holds it, too long for a title part; a second cleaning joined the title the first kept
/// apart: the fuzz finding `pipeline-idempotence-34ee9376229a456d`).
fn takes_spaces_beside(c: char) -> bool {
    crate::stages::polish::is_enclosing_mark(c)
        || matches!(c, '(' | ')')
        || (crate::text::is_cjk_punct(c) && display_width(c) == 1)
}

/// The gaps of a line as cleaning leaves them measurable: every meeting of Chinese and Latin
/// text (where the layout set a gap, whether pdftotext wrote a space there or polish took it
/// away), and every run of spaces that cleaning keeps (between two Latin words, or between
/// two Chinese characters, neither of them a mark polish may take a space away beside:
/// [`takes_spaces_beside`]).
#[derive(Debug, Default, PartialEq, Eq)]
struct Gaps {
    gaps: usize,
    /// The runs of spaces that cleaning keeps.
    kept_spaces: usize,
}

/// Where a line's gaps are looked for: what the character before was (its class, and whether
/// polish may take a space away beside it: [`takes_spaces_beside`]), and whether spaces came
/// since.
#[derive(Default)]
struct GapWalk {
    before: Option<(Class, bool)>,
    spaces: bool,
    gaps: Gaps,
}

impl GapWalk {
    /// The next character that is not a space.
    #[inline]
    fn step(&mut self, class: Class, takes_spaces: bool) {
        if let Some((before_class, before_takes_spaces)) = self.before {
            let meet = matches!(
                (before_class, class),
                (Class::Wide, Class::Narrow) | (Class::Narrow, Class::Wide)
            );
            let kept_spaces = self.spaces
                && before_class == class
                && class != Class::Quote
                && !before_takes_spaces
                && !takes_spaces;
            self.gaps.gaps += usize::from(meet || kept_spaces);
            self.gaps.kept_spaces += usize::from(kept_spaces);
        }
        self.before = Some((class, takes_spaces));
        self.spaces = false;
    }
}

/// The [`Gaps`] of `text`. Han characters of U+4000–U+9FFF are passed over sixteen bytes at a
/// time ([`walk_others`]): each is wide and no quotation mark or bracket, so in a run of them
/// only the first can meet what came before, and the rest change nothing.
fn gaps(text: &str) -> Gaps {
    let bytes = text.as_bytes();
    let mut walk = GapWalk::default();
    // The byte after the last character looked at: a later one starts after a run of Han.
    let mut next = 0;
    walk_others(text, |at| {
        if at > next {
            walk.step(Class::Wide, false);
        }
        let lead = bytes[at];
        next = at + crate::text::utf8::utf8_len(lead);
        let (class, takes_spaces) = if lead < 0x80 {
            (ascii_class(lead), matches!(lead, b'(' | b')'))
        } else {
            match text[at..].chars().next() {
                Some(c) => (class_of(c), takes_spaces_beside(c)),
                None => (Class::Narrow, false),
            }
        };
        if class == Class::Space {
            walk.spaces = true;
        } else {
            walk.step(class, takes_spaces);
        }
    });
    if text.len() > next {
        walk.step(Class::Wide, false);
    }
    walk.gaps
}

/// What reflow needs to know about one (logical) line: gathered piece by piece, so an overlong
/// line split into open pieces is described as a whole.
#[derive(Clone, Copy, Debug, Default)]
pub struct LineShape {
    pub chars: usize,
    /// Width in columns of a monospace CJK layout (a Han character is two).
    pub width: usize,
    pub room: Room,
    pub has_stop: bool,
    /// A comma `，` or `,` inside: a clause of running text.
    pub has_pause: bool,
    pub starts_block: bool,
    pub first: Option<char>,
    pub last: Option<char>,
    /// What the seam tests look for, in the text described ([`SeamMarks::UNKNOWN`] when it
    /// was not measured whole).
    pub marks: SeamMarks,
}

/// What of a [`LineShape`] the reflow stage will read.
#[derive(Clone, Copy, Debug)]
pub struct ShapeNeeds {
    /// The width: a wrap width was found, so lines are compared with it.
    pub width: bool,
    /// Whether the line is a title: page breaks are joined, unless at a title.
    pub title: bool,
}

impl LineShape {
    /// The whole shape of `text`, everything measured.
    #[cfg(test)]
    pub fn start(text: &str) -> Self {
        Self::start_as_needed(
            text,
            ShapeNeeds {
                width: true,
                title: true,
            },
        )
    }

    pub fn extend(&mut self, text: &str) {
        self.extend_measured(text, &measure(text));
    }

    /// [`Self::start_as_needed`] when everything is needed (the width: [`ShapeNeeds::width`]),
    /// of a text measured already: `measured` is [`measure`]`(text)`.
    #[cfg(test)]
    pub fn start_measured(text: &str, measured: &Measure) -> Self {
        let mut shape = Self::unmeasured(text);
        shape.extend_measured(text, measured);
        shape
    }

    /// The shape of `text` before it is measured: whether it starts a block, and its first
    /// character. A caller that measures it next ([`Self::extend_measured`],
    /// [`Self::extend_as_needed`]) keeps the shape where it is built (see
    /// `ReflowStage::push_measured`).
    #[inline]
    pub fn unmeasured(text: &str) -> Self {
        LineShape {
            starts_block: starts_block(text),
            first: text.chars().next(),
            ..LineShape::default()
        }
    }

    /// [`Self::extend`] by a text measured already: `m` is [`measure`]`(text)`.
    pub fn extend_measured(&mut self, text: &str, m: &Measure) {
        debug_assert_eq!(*m, measure(text), "{text:?}");
        self.chars = self.chars.saturating_add(m.chars);
        self.width = self.width.saturating_add(m.width);
        self.room.add(m.room);
        self.has_stop |= m.has_stop;
        self.has_pause |= m.has_pause;
        self.marks.add(m.marks);
        self.extend_ends(text);
    }

    /// Counts the columns strip took out of the line's inside back ([`Room::with_stripped`]).
    pub fn add_stripped_columns(&mut self, columns: u8) {
        self.width = self.width.saturating_add(usize::from(columns));
        self.room = self.room.with_stripped(columns);
    }

    /// [`Self::start`] measuring only what `needs` says will be read.
    pub fn start_as_needed(text: &str, needs: ShapeNeeds) -> Self {
        let mut shape = Self::unmeasured(text);
        shape.extend_as_needed(text, needs);
        shape
    }

    /// [`Self::extend`] measuring only what `needs` says will be read. Measuring is most of
    /// reflow's work, and most lines need none of it: without a wrap width the width is never
    /// read, and a line of more characters than any title ([`TITLE_CHARS_LIMIT`]) is no
    /// title whatever its punctuation — a text of more than 4 bytes per character of that
    /// limit is such a line (a character is at most 4 bytes, and spaces are not counted). Then
    /// `chars` is only counted as a lower bound, still above the limit, and `width` and
    /// `has_stop` are left alone.
    pub fn extend_as_needed(&mut self, text: &str, needs: ShapeNeeds) {
        let surely_no_title = self.chars > TITLE_CHARS_LIMIT || text.len() > 4 * TITLE_CHARS_LIMIT;
        if needs.width || (needs.title && !surely_no_title) {
            self.extend(text);
            return;
        }
        let mut lower_bound = text.len().div_ceil(4);
        if needs.title && self.chars <= TITLE_CHARS_LIMIT {
            // Spaces are not characters to `chars` (see [`measure`]): a line of many spaces
            // may be a title after all. Most such lines have few: the bytes besides spaces of
            // their beginning alone are a lower bound above any count `chars` is compared
            // with, and the rest of the line is not read.
            let (prefix, rest) = text
                .as_bytes()
                .split_at(text.len().min(COUNTED_PREFIX_BYTES));
            let prefix_spaces = count_space_bytes(prefix);
            let others = prefix.len() - prefix_spaces;
            if others > 4 * MAX_COMPARED_CHARS {
                self.chars = self.chars.saturating_add(others.div_ceil(4));
                self.marks.add(SeamMarks::UNKNOWN);
                self.extend_ends(text);
                return;
            }
            let spaces = prefix_spaces + count_space_bytes(rest);
            lower_bound = (text.len() - spaces).div_ceil(4);
            if self.chars + lower_bound <= TITLE_CHARS_LIMIT {
                self.extend(text);
                return;
            }
        }
        self.chars = self.chars.saturating_add(lower_bound);
        self.marks.add(SeamMarks::UNKNOWN);
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
    pub fn append(&mut self, next: &LineShape) {
        self.chars = self.chars.saturating_add(next.chars);
        self.width = self.width.saturating_add(next.width);
        self.room.add(next.room);
        self.has_stop |= next.has_stop;
        self.has_pause |= next.has_pause;
        self.marks.add(next.marks);
        if next.last.is_some() {
            self.last = next.last;
        }
        if self.first.is_none() {
            self.first = next.first;
        }
    }

    /// A heading, title, date or signature: short, without sentence punctuation. It stays on its
    /// own line.
    pub fn is_title(&self) -> bool {
        if self.has_stop || self.last.is_some_and(|c| matches!(c, '，' | '、' | ',')) {
            return false;
        }
        self.chars <= MAX_TITLE_CHARS
            || (self.starts_block && self.chars <= MAX_MARKED_HEADING_CHARS)
    }

    /// A heading: a title that starts with a list marker, without the commas of running text
    /// (`五、党政主要负责人履行推进法治建设第一责任人职责情况`).
    pub fn is_heading(&self) -> bool {
        self.starts_block && self.is_title() && !self.has_pause
    }

    pub fn ends_sentence(&self) -> bool {
        self.last.is_some_and(is_sentence_end)
    }
}

/// Characters, layout width, room and whether there is a stop in a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measure {
    pub chars: usize,
    pub width: usize,
    pub room: Room,
    pub has_stop: bool,
    pub has_pause: bool,
    pub marks: SeamMarks,
}

/// What the tests of a join's seam look for in a text (`seam::may_join_after`), found as the
/// text is measured, which looks at every character besides Han anyway: where a text holds
/// none, the tests need not read it. A [`LineShape`] not measured whole has them all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeamMarks(u8);

impl SeamMarks {
    /// `(`, `（`, an ASCII space or a character of U+0080–U+00BF (lead byte C2, the no-break
    /// space's): a pinyin annotation's ends are found by them.
    const ANNOTATION: u8 = 1;
    /// `[`, which opens a converter marker.
    const BRACKET: u8 = 2;
    /// The first two bytes of a kana or Hangul letter as the language's quick scan reads
    /// them ([`may_have_kana_or_hangul`](crate::text::language::may_have_kana_or_hangul)).
    const KANA_OR_HANGUL: u8 = 4;
    /// Not looked for.
    const NOT_LOOKED_FOR: u8 = 8;

    /// An ASCII space.
    pub const SPACE: SeamMarks = SeamMarks(Self::ANNOTATION);
    /// A text that was not looked at: it may hold any.
    pub const UNKNOWN: SeamMarks =
        SeamMarks(Self::ANNOTATION | Self::BRACKET | Self::KANA_OR_HANGUL | Self::NOT_LOOKED_FOR);

    fn add(&mut self, other: SeamMarks) {
        self.0 |= other.0;
    }

    /// The text was looked at: the answers below are exact.
    pub fn known(self) -> bool {
        self.0 & Self::NOT_LOOKED_FOR == 0
    }

    /// May hold a character a pinyin annotation's ends are found by ([`Self::ANNOTATION`]).
    pub fn annotation(self) -> bool {
        self.0 & Self::ANNOTATION != 0
    }

    /// May hold `[`.
    pub fn bracket(self) -> bool {
        self.0 & Self::BRACKET != 0
    }

    /// May hold a kana or Hangul letter, by the quick scan's reading.
    pub fn kana_or_hangul(self) -> bool {
        self.0 & Self::KANA_OR_HANGUL != 0
    }
}

/// Calls `other` with the byte offset of every character of `text` that is not a Han
/// character of U+4000–U+9FFF (lead bytes E4–E9), passed over sixteen bytes at a time
/// ([`bytes_in_ranges`]), and returns how many Han there are: three bytes each, the bytes the
/// others' lead bytes leave (no bit count a block: x86_64's baseline has no `popcnt`). The
/// last bytes are copied into a block of their own, so `other` is inlined into the loop.
#[inline(always)]
fn walk_others(text: &str, mut other: impl FnMut(usize)) -> usize {
    const CONTINUATION: [(u8, u8); 1] = [(0x80, 0x40)];
    const HAN_LEAD: [(u8, u8); 1] = [(0xE4, 6)];
    let bytes = text.as_bytes();
    let mut other_bytes = 0;
    let mut start = 0;
    let mut tail = [0u8; BLOCK];
    while start < bytes.len() {
        let rest = &bytes[start..];
        // The bytes of this block that belong to the text: a short last block is padded with
        // zeros, which are no Han lead and no continuation byte, and are masked off.
        let (block, valid) = match <&[u8; BLOCK]>::try_from(rest.get(..BLOCK).unwrap_or(&[])) {
            Ok(block) => (block, 0xFFFF),
            Err(_) => {
                tail[..rest.len()].copy_from_slice(rest);
                (&tail, (1u32 << rest.len()) - 1)
            }
        };
        let han = bytes_in_ranges(block, &HAN_LEAD) & valid;
        let mut others = !(han | bytes_in_ranges(block, &CONTINUATION)) & valid;
        // Each of the others starts a character (continuation bytes are not among them).
        while others != 0 {
            let at = start + others.trailing_zeros() as usize;
            other_bytes += crate::text::utf8::utf8_len(bytes[at]);
            other(at);
            others &= others - 1;
        }
        start += BLOCK;
    }
    (bytes.len() - other_bytes) / 3
}

/// The layout width of `text` alone: [`measure`]`(text).width`, without the rest.
pub fn width(text: &str) -> usize {
    let mut width = 0;
    let han = walk_others(text, |at| width += measure_char(text, at).width);
    width + 2 * han
}

/// The largest count of characters a line's or a paragraph's `chars` is compared with (by
/// [`LineShape::is_title`] and reflow's joining rules): above it, the exact count changes
/// nothing, so [`LineShape::extend_as_needed`] may stop counting there.
const MAX_COMPARED_CHARS: usize = {
    let most = if TITLE_CHARS_LIMIT > MAX_TITLE_CHARS {
        TITLE_CHARS_LIMIT
    } else {
        MAX_TITLE_CHARS
    };
    if 2 * MAX_MARKED_HEADING_CHARS > most {
        2 * MAX_MARKED_HEADING_CHARS
    } else {
        most
    }
};

/// How much of a long line [`LineShape::extend_as_needed`] reads first: room for
/// [`MAX_COMPARED_CHARS`] characters of four bytes besides a few spaces.
const COUNTED_PREFIX_BYTES: usize = 4 * MAX_COMPARED_CHARS + 64;

/// How many ASCII spaces `text` holds.
pub fn count_spaces(text: &str) -> usize {
    count_space_bytes(text.as_bytes())
}

/// How many ASCII spaces `bytes` holds.
fn count_space_bytes(bytes: &[u8]) -> usize {
    // Most lines of Chinese have none: one search says so, and counting starts at the first.
    let Some(first) = memchr::memchr(b' ', bytes) else {
        return 0;
    };
    // Then sixteen bytes at a time, a mask of the spaces and its bits counted: a few
    // instructions a block (the plain loop is not vectorised). Most blocks of Chinese have no
    // space, and their bits are not counted: the x86_64 baseline has no `popcnt`, and
    // `count_ones` is a dozen instructions.
    let mut blocks = bytes[first + 1..].chunks_exact(BLOCK);
    let mut total = 1;
    for block in blocks.by_ref() {
        let Ok(block) = <&[u8; BLOCK]>::try_from(block) else {
            unreachable!("chunks of BLOCK bytes")
        };
        let spaces = bytes_in_ranges(block, &[(b' ', 1)]);
        if spaces != 0 {
            total += spaces.count_ones() as usize;
        }
    }
    total + blocks.remainder().iter().filter(|&&b| b == b' ').count()
}

/// A character's width in columns. Polish, which runs after reflow, removes spaces next to
/// Chinese and widens `,:;()!?` in Chinese context; measured as they will come out, the widths
/// (and so the wrap-width decision) are the same when the output is cleaned again.
pub fn layout_width(c: char) -> usize {
    match c {
        ' ' => 0,
        ',' | ':' | ';' | '(' | ')' | '!' | '?' => 2,
        _ => display_width(c),
    }
}

#[cfg(test)]
mod tests {
    use super::super::classify::is_stop;
    use super::*;

    /// [`gaps`] character by character.
    fn slow_gaps(text: &str) -> Gaps {
        let mut gaps = 0;
        let mut kept = 0;
        let mut before: Option<(char, Class)> = None;
        let mut spaces = false;
        for c in text.chars() {
            let class = slow_class(c);
            if class == Class::Space {
                spaces = true;
                continue;
            }
            if let Some((b, before_class)) = before {
                let meet = matches!(
                    (before_class, class),
                    (Class::Wide, Class::Narrow) | (Class::Narrow, Class::Wide)
                );
                let kept_spaces = spaces
                    && before_class == class
                    && class != Class::Quote
                    && !takes_spaces_beside(b)
                    && !takes_spaces_beside(c);
                gaps += usize::from(meet || kept_spaces);
                kept += usize::from(kept_spaces);
            }
            before = Some((c, class));
            spaces = false;
        }
        Gaps {
            gaps,
            kept_spaces: kept,
        }
    }

    /// [`class_of`] as a plain match, without the table.
    fn slow_class(c: char) -> Class {
        match c {
            ' ' => Class::Space,
            '“' | '”' | '‘' | '’' => Class::Quote,
            ',' | ':' | ';' | '(' | ')' | '!' | '?' => Class::Wide,
            _ if display_width(c) == 2 => Class::Wide,
            _ => Class::Narrow,
        }
    }

    fn slow_measure(text: &str) -> Measure {
        let mut room = Room::default();
        for c in text.chars() {
            assert_eq!(class_of(c), slow_class(c), "{c:?}");
            room.count(slow_class(c));
        }
        let mut kept_spaces = 0;
        if room.narrow > 0 || room.spaces > 0 {
            let gaps = slow_gaps(text);
            room.spaces = gaps.gaps;
            kept_spaces = gaps.kept_spaces;
        }
        Measure {
            chars: text.chars().filter(|c| *c != ' ').count() + kept_spaces,
            width: text.chars().map(layout_width).sum::<usize>(),
            room,
            has_stop: text.chars().any(is_stop),
            has_pause: text.chars().any(|c| matches!(c, '，' | ',')),
            marks: slow_marks(text),
        }
    }

    /// [`SeamMarks`] character by character, the kana and Hangul by the quick scan itself.
    fn slow_marks(text: &str) -> SeamMarks {
        let annotation = text
            .chars()
            .any(|c| matches!(c, '(' | '（' | ' ' | '\u{80}'..='\u{BF}'));
        let bracket = text.contains('[');
        let kana = crate::text::language::may_have_kana_or_hangul(text);
        let mark = |found: bool, bit: u8| if found { bit } else { 0 };
        SeamMarks(
            mark(annotation, SeamMarks::ANNOTATION)
                | mark(bracket, SeamMarks::BRACKET)
                | mark(kana, SeamMarks::KANA_OR_HANGUL),
        )
    }

    /// A line measures as polish leaves it: the spaces polish takes away were not counted as
    /// characters or gaps before it did, so a second cleaning, which reads the polished line,
    /// finds a title part or a full line where the first did. What polish keeps (spaces
    /// between Latin words, between Chinese characters, beside English quotes) is counted
    /// both times.
    #[test]
    fn a_line_measures_as_polish_leaves_it() {
        let polish = crate::stages::polish::PolishStage::new(&crate::rules::RuleSet::default());
        let mut changed = 0;
        for line in [
            "Nma said ¤the ·s臱笆祇甶驹菠龟ma",
            "马克 · 吐温的小说",
            "马克 ·吐温",
            "a ― b 之间",
            "ISO ― 9000",
            "关于 2021 年法治政府建设",
            "学习强国 APP 学习",
            "GB 50180 的规定",
            "总理 李克强",
            "“Hello” said 他",
            "推进 “一网通办 ”改革",
            "《 条例 》 第三条",
            "（ 一 ） 加强组织领导",
            "1. 按照要求",
            "增长 11.9 % 以上",
            "Windows 10 系统",
        ] {
            let polished = polish.line(line, &mut crate::report::Counts::default());
            changed += usize::from(polished != line);
            let (before, after) = (measure(line), measure(&polished));
            assert_eq!(
                (before.chars, before.room),
                (after.chars, after.room),
                "{line:?} -> {polished:?}"
            );
        }
        assert!(changed >= 8, "the lines polish changes were compared");
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
        // And the ranges whose first bytes the seam's marks are read from: U+0080–U+07FF
        // (lead C2 among them), jamo (E1), Hangul (EA–ED), the half-width forms (EF BD–BF).
        let marked: String = (0x80..0x800)
            .chain(0x1000..0x1200)
            .chain(0xA000..0xD800)
            .chain(0xFF40..0x10000)
            .filter_map(char::from_u32)
            .collect();
        // And every other character of the Basic Multilingual Plane (the general punctuation
        // among them, measured by one lookup), and some beyond it.
        let rest: String = (0x800..0x1000)
            .chain(0x1200..0x3000)
            .chain(0xD800..0xFF00)
            .chain(0x10000..0x10100)
            .chain(0x1F000..0x1F100)
            .chain(0x20000..0x20100)
            .filter_map(char::from_u32)
            .collect();
        for text in [
            ascii.as_str(),
            cjk.as_str(),
            full_width.as_str(),
            marked.as_str(),
            rest.as_str(),
        ] {
            for c in text.chars() {
                let one = c.to_string();
                assert_eq!(measure(&one), slow_measure(&one), "{c:?}");
                assert_eq!(width(&one), measure(&one).width, "{c:?}");
            }
        }
        // Spaces counted across many blocks (more than a lane's counter holds).
        let spaced = "a b  中 ".repeat(1500);
        assert_eq!(count_spaces(&spaced), 4 * 1500);
        assert_eq!(count_spaces(&spaced[1..]), 4 * 1500);
        assert_eq!(count_spaces(&spaced[2..]), 4 * 1500 - 1);
        // Blocks of Han characters passed whole, with other characters at every position.
        let long = "中华人民共和国法治政府建设实施纲要".repeat(2);
        let chars: Vec<char> = long.chars().collect();
        let mut mixed = Vec::new();
        for c in [
            'a', ' ', '“', '。', '！', '，', '…', 'é', '𠀀', '\u{3000}', '—', '、', '（', '•', '(',
            '[',
        ] {
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
            assert_eq!(measure(text), slow_measure(text), "{text:?}");
            assert_eq!(width(text), measure(text).width, "{text:?}");
            let spaces = text.chars().filter(|c| *c == ' ').count();
            assert_eq!(count_spaces(text), spaces, "{text:?}");
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

    /// A line is measured as polish leaves it: the spaces after a list marker go
    /// (`list-marker-space`), and a second cleaning measures the line without them (the
    /// property test's finding, `list-marker-space-measured-as-a-kept-gap.bin`).
    #[test]
    fn the_spaces_after_a_list_marker_are_measured_as_gone() {
        for (spaced, tight) in [
            ("一、 第三条　世界卫生组织(", "一、第三条　世界卫生组织("),
            ("（二）  加强组织领导", "（二）加强组织领导"),
            ("3. 依法行政", "3.依法行政"),
        ] {
            // The seam's marks are of the text as it is (its spaces), not as polish leaves it.
            let measured = |text| Measure {
                marks: SeamMarks::default(),
                ..measure(text)
            };
            assert_eq!(measured(spaced), measured(tight), "{spaced:?}");
        }
        // A space polish keeps is a gap still: between two Han characters, after no marker.
        assert_ne!(measure("第一章 总则"), measure("第一章总则"));
    }

    /// The gaps found passing over Han characters are those found character by character, for
    /// every sequence of up to four of the characters that decide them, alone and after and
    /// between runs of Han characters (inside a block and across block ends).
    #[test]
    fn fast_gaps_agree_with_the_slow_ones() {
        let alphabet = [
            "中", "a", " ", "“", "（", "(", "，", "1", "é", "〔", "𠀀", "　", "丁一",
        ];
        let han = "中华人民共和国法治政府";
        let mut sequences = vec![String::new()];
        let mut last = sequences.clone();
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |a| format!("{s}{a}")))
                .collect();
            sequences.extend(last.iter().cloned());
        }
        for sequence in &sequences {
            for text in [
                sequence.clone(),
                format!("{han}{sequence}"),
                format!("{sequence}{han}"),
                format!("{han}{sequence}{han}{sequence}"),
            ] {
                assert_eq!(gaps(&text), slow_gaps(&text), "{text:?}");
            }
        }
    }

    /// Shapes measured only for titles say the same as whole ones whether a line is a title,
    /// around the length limit, for lines of one and of several pieces.
    #[test]
    fn shapes_measured_for_titles_only_judge_titles_alike() {
        let title_only = ShapeNeeds {
            width: false,
            title: true,
        };
        // Counts above the largest compared with are all alike.
        let compared = |chars: usize| chars.min(MAX_COMPARED_CHARS + 1);
        for unit in [
            "一",
            "a",
            "𠀀",
            "，",
            "。",
            "第一章",
            "一 ",
            "a  ",
            "一    ",
        ] {
            for count in [1, 10, 30, 40, 41, 60, 61, 161, 200, 1000] {
                let text = unit.repeat(count);
                let whole = LineShape::start(&text);
                let partial = LineShape::start_as_needed(&text, title_only);
                assert_eq!(partial.is_title(), whole.is_title(), "{unit} ×{count}");
                assert!(partial.chars <= whole.chars, "{unit} ×{count}");
                // A long line that is no title is counted as a quarter of its bytes besides
                // spaces; reading only its beginning changes no count that is compared.
                let counted = (text.len() - count_spaces(&text)).div_ceil(4);
                if text.len() > 4 * TITLE_CHARS_LIMIT && counted > TITLE_CHARS_LIMIT {
                    assert_eq!(
                        compared(partial.chars),
                        compared(counted),
                        "{unit} ×{count}"
                    );
                }
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
}
