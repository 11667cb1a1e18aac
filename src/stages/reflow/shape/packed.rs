//! [`measure`]: a text's characters counted by the room they take, besides Han a block at a
//! time, the others looked up and their counts added together packed in a word.

use crate::text::{bytes_in_ranges, BLOCK};

use super::super::classify::is_stop;
use super::{class_of, gaps, layout_width, Class, Measure, Room, SeamMarks, ASCII_MEASURES};

/// Measures `text`. Han characters of U+4000–U+9FFF, two columns, wide and no stop, are
/// counted by the blocks they fill (as [`walk_others`] counts them); only the other characters
/// are measured one by one: the common ones (ASCII and the punctuation of
/// [`PUNCTUATION_MEASURES`]) by one lookup each, their counts added together packed in a word
/// ([`PackedCounts`]), and the rest by [`measure_char`].
pub fn measure(text: &str) -> Measure {
    let bytes = text.as_bytes();
    let mut walk = PackedWalk {
        text,
        totals: PackedCounts::default(),
        counts: 0,
        seen: 0,
    };
    // A plain loop over the blocks: the iterator's state of `chunks_exact` was kept on the
    // stack, three loads and stores a block.
    let mut block_start = 0;
    while let Some(Ok(block)) = bytes
        .get(block_start..block_start + BLOCK)
        .map(<&[u8; BLOCK]>::try_from)
    {
        walk.visit(block, block_start, 0xFFFF);
        block_start += BLOCK;
    }
    let rest = bytes.len() - block_start;
    if rest > 0 {
        match <&[u8; BLOCK]>::try_from(&bytes[bytes.len().saturating_sub(BLOCK)..]) {
            // The text's last sixteen bytes, the first `BLOCK - rest` of them looked at already:
            // no copy (of a length the compiler does not know, a call of `memcpy`).
            Ok(last) => walk.visit(last, bytes.len() - BLOCK, 0xFFFF << (BLOCK - rest) & 0xFFFF),
            Err(_) => {
                // A text shorter than a block, padded with zeros (no Han lead, no continuation
                // byte, and masked off).
                let mut padded = [0u8; BLOCK];
                padded[..rest].copy_from_slice(&bytes[block_start..]);
                walk.visit(&padded, block_start, (1u32 << rest) - 1);
            }
        }
    }
    let PackedWalk {
        mut totals,
        counts,
        seen,
        ..
    } = walk;
    totals.add(counts);
    let han = (text.len() - totals.bytes) / 3;
    let flags = (seen >> PackedCounts::FLAGS) as u8;
    let mut m = Measure {
        chars: totals.chars + han,
        width: totals.width + 2 * han,
        room: Room {
            wide: totals.wide + han,
            narrow: totals.narrow,
            quotes: totals.quotes,
            spaces: totals.spaces,
        },
        has_stop: flags & PackedCounts::STOP != 0,
        has_pause: flags & PackedCounts::PAUSE != 0,
        marks: SeamMarks(flags >> PackedCounts::MARKS),
    };
    // Gaps are where Latin text meets Chinese: a line of Chinese only has none to look for.
    if m.room.narrow > 0 || m.room.spaces > 0 {
        // Polish takes the spaces after a list marker away (`一、 第三条`): a second cleaning
        // measures the line without them.
        let gaps = gaps(&crate::stages::polish::tighten_list_marker(text));
        m.room.spaces = gaps.gaps;
        // A run of spaces counts as one character if cleaning keeps it, as none if polish takes
        // it away: a second cleaning must find a line the same length (a title or not).
        m.chars += gaps.kept_spaces;
    }
    m
}

/// [`measure`]'s walk over a text's blocks: the counts of the characters besides Han so far.
struct PackedWalk<'a> {
    text: &'a str,
    totals: PackedCounts,
    /// Added since `totals` was.
    counts: u64,
    /// Every character's counts or'ed: the flags' byte is read from it.
    seen: u64,
}

impl PackedWalk<'_> {
    /// Counts the characters of `block` (which starts at byte `block_start` of the text)
    /// besides Han, of the bytes `valid` has.
    #[inline(always)]
    fn visit(&mut self, block: &[u8; BLOCK], block_start: usize, valid: u32) {
        let mut others = others_than_han(block) & valid;
        while others != 0 {
            let one = packed_measure(self.text, block_start + others.trailing_zeros() as usize);
            // The flags' byte of the sum overflows (it is never read): the sum wraps.
            self.counts = self.counts.wrapping_add(one);
            self.seen |= one;
            others &= others - 1;
        }
        // A block adds at most 32 to a field (sixteen characters two columns wide).
        if self.counts & PackedCounts::HALF_FULL != 0 {
            self.totals.add(self.counts);
            self.counts = 0;
        }
    }
}

/// What [`measure`] counts of the characters it looks at one by one, added up in a word of
/// eight-bit fields (bytes, characters besides spaces, width, then the room's classes wide,
/// narrow, quotes and spaces) and, in its top byte, flags (a stop, a pause, and the
/// [`SeamMarks`] bits above them) that are only ever or'ed (`seen`), never read from the sum. A
/// block of sixteen bytes adds at most 32 to a field: the sum is moved to `usize` counts
/// ([`PackedCounts::add`]) after a block that leaves a field at 128 or more, before any can
/// pass 255.
#[derive(Default)]
struct PackedCounts {
    bytes: usize,
    chars: usize,
    width: usize,
    wide: usize,
    narrow: usize,
    quotes: usize,
    spaces: usize,
}

impl PackedCounts {
    const BYTES: u32 = 0;
    const CHARS: u32 = 8;
    const WIDTH: u32 = 16;
    /// The room's classes from here, in the order of [`Class::ALL`].
    const CLASSES: u32 = 24;
    const FLAGS: u32 = 56;
    /// The flags' bits (of the top byte).
    const STOP: u8 = 1;
    const PAUSE: u8 = 2;
    /// The [`SeamMarks`] bits from here.
    const MARKS: u32 = 2;
    /// The top bit of each field of counts.
    const HALF_FULL: u64 = 0x0080_8080_8080_8080;

    fn add(&mut self, counts: u64) {
        let field = |at: u32| (counts >> at & 0xFF) as usize;
        self.bytes += field(Self::BYTES);
        self.chars += field(Self::CHARS);
        self.width += field(Self::WIDTH);
        self.wide += field(Self::CLASSES);
        self.narrow += field(Self::CLASSES + 8);
        self.quotes += field(Self::CLASSES + 16);
        self.spaces += field(Self::CLASSES + 24);
    }
}

/// Which bytes of a block start a character that is not a Han character of U+4000–U+9FFF:
/// neither a Han lead byte (E4–E9) nor a continuation byte.
#[inline(always)]
fn others_than_han(block: &[u8; BLOCK]) -> u32 {
    !bytes_in_ranges(block, &[(0xE4, 6), (0x80, 0x40)]) & 0xFFFF
}

/// The [`PackedCounts`] of the character at byte `at` of `text`: ASCII and the punctuation of
/// [`PUNCTUATION_MEASURES`] looked up, the rest measured by [`measure_char`].
#[inline(always)]
fn packed_measure(text: &str, at: usize) -> u64 {
    let bytes = text.as_bytes();
    let lead = bytes[at];
    if lead < 0x80 {
        return ASCII_PACKED[usize::from(lead)];
    }
    if let Some(&[lead, second, last]) = bytes.get(at..at + 3) {
        if let Some(family) = punctuation_family(lead, second) {
            return PUNCTUATION_MEASURES[family][usize::from(last & 0x3F)];
        }
    }
    rare_packed_measure(text, at)
}

/// [`packed_measure`] of a character neither ASCII nor common punctuation: out of the loop, so
/// its registers are not the loop's.
#[inline(never)]
fn rare_packed_measure(text: &str, at: usize) -> u64 {
    let len = crate::text::utf8::utf8_len(text.as_bytes()[at]);
    pack(measure_char(text, at), len)
}

/// One character's [`CharMeasure`] of `len` bytes as [`PackedCounts`] adds it.
const fn pack(one: CharMeasure, len: usize) -> u64 {
    let stop = if one.stop { PackedCounts::STOP } else { 0 };
    let pause = if one.pause { PackedCounts::PAUSE } else { 0 };
    let flags = (stop | pause | one.marks << PackedCounts::MARKS) as u64;
    let counted = !matches!(one.class, Class::Space) as u64;
    ((len as u64) << PackedCounts::BYTES)
        | (counted << PackedCounts::CHARS)
        | ((one.width as u64) << PackedCounts::WIDTH)
        | (1 << (PackedCounts::CLASSES + 8 * one.class as u32))
        | (flags << PackedCounts::FLAGS)
}

/// [`ASCII_MEASURES`] packed for [`measure`].
const ASCII_PACKED: [u64; 128] = {
    let mut table = [0; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = pack(ascii_measure(b as u8), 1);
        b += 1;
    }
    table
};

/// The [`CharMeasure`] of an ASCII byte, from [`ASCII_MEASURES`].
const fn ascii_measure(b: u8) -> CharMeasure {
    let packed = ASCII_MEASURES[b as usize];
    CharMeasure {
        width: (packed & 0b11) as usize,
        stop: packed & 0b100 != 0,
        pause: packed & 0b1000 != 0,
        class: Class::ALL[(packed >> 4 & 0b11) as usize],
        marks: packed >> 6,
    }
}

/// The punctuation of Chinese text, three bytes each, measured by one lookup: the rows of
/// [`PUNCTUATION_MEASURES`], each sixty-four characters that share their first two bytes. Which
/// row the character at a lead byte `lead` followed by `second` is in, if any.
#[inline(always)]
fn punctuation_family(lead: u8, second: u8) -> Option<usize> {
    match (lead, second) {
        // U+2000–U+203F: `—‘’“”…` and the other general punctuation.
        (0xE2, 0x80) => Some(0),
        // U+3000–U+303F: `　、。〈〉《》「」『』【】〔〕`.
        (0xE3, 0x80) => Some(1),
        // U+FF00–U+FF3F: `！（），：；？`, full-width digits and capitals.
        (0xEF, 0xBC) => Some(2),
        _ => None,
    }
}

/// The [`PackedCounts`] of each character of the rows [`punctuation_family`] names, by its last
/// byte's low six bits; as [`measure_char`] measures them (`fast_measure_agrees_with_the_slow_one`
/// compares every one).
const PUNCTUATION_MEASURES: [[u64; 64]; 3] = {
    let mut table = [[0; 64]; 3];
    let mut k = 0;
    while k < 64 {
        let last = 0x80 | k as u8;
        // General punctuation: the dash, the ellipsis and the curly quotation marks are drawn
        // two columns wide (`display_width`), the rest one; none is a stop, a pause or a mark.
        let code = 0x2000 + k as u32;
        let (width, class) = match code {
            0x2018 | 0x2019 | 0x201C | 0x201D => (2, Class::Quote),
            0x2014 | 0x2026 => (2, Class::Wide),
            _ => (1, Class::Narrow),
        };
        table[0][k] = pack(
            CharMeasure {
                width,
                stop: false,
                pause: false,
                class,
                marks: 0,
            },
            3,
        );
        // CJK symbols and punctuation: all wide, `。` (E3 80 82) a stop.
        table[1][k] = pack(
            CharMeasure {
                width: 2,
                stop: last == 0x82,
                pause: false,
                class: Class::Wide,
                marks: 0,
            },
            3,
        );
        // Full-width forms: all wide, `！；？` stops, `，` a pause, `（` an annotation's mark.
        table[2][k] = pack(
            CharMeasure {
                width: 2,
                stop: matches!(last, 0x81 | 0x9B | 0x9F),
                pause: last == 0x8C,
                class: Class::Wide,
                marks: if last == 0x88 {
                    SeamMarks::ANNOTATION
                } else {
                    0
                },
            },
            3,
        );
        k += 1;
    }
    table
};

/// What [`measure`] reads of one character.
#[derive(Clone, Copy)]
pub(super) struct CharMeasure {
    pub(super) width: usize,
    stop: bool,
    /// `，` or `,`.
    pause: bool,
    class: Class,
    /// The bits of the [`SeamMarks`] the character is.
    marks: u8,
}

/// Measures the character starting at byte `at`. The common ones are measured from their bytes
/// without decoding: ASCII from [`ASCII_MEASURES`]; lead bytes E3–E9, the characters of
/// U+3000–U+9FFF (CJK punctuation, kana, Han), all two columns wide, of which only `。`
/// (`E3 80 82`) is a stop; and U+FF00–U+FF3F (`EF BC ..`, full-width punctuation, digits and
/// capitals), two columns, of which `！` (81), `；` (9B) and `？` (9F) are stops and `，` (8C)
/// a pause.
#[inline(always)]
pub(super) fn measure_char(text: &str, at: usize) -> CharMeasure {
    let bytes = text.as_bytes();
    let wide = |stop, pause, marks| CharMeasure {
        width: 2,
        stop,
        pause,
        class: Class::Wide,
        marks,
    };
    match bytes[at] {
        b @ 0x00..=0x7F => ascii_measure(b),
        b @ 0xE3..=0xE9 => {
            let second = bytes[at + 1];
            // Kana and compatibility jamo: E3 81–87.
            let kana = b == 0xE3 && (0x81..=0x87).contains(&second);
            wide(
                b == 0xE3 && second == 0x80 && bytes[at + 2] == 0x82,
                false,
                if kana { SeamMarks::KANA_OR_HANGUL } else { 0 },
            )
        }
        0xEF if bytes[at + 1] == 0xBC => wide(
            matches!(bytes[at + 2], 0x81 | 0x9B | 0x9F),
            bytes[at + 2] == 0x8C,
            // `（`, EF BC 88.
            if bytes[at + 2] == 0x88 {
                SeamMarks::ANNOTATION
            } else {
                0
            },
        ),
        lead => {
            // U+0080–U+00BF (the no-break space among them) lead with C2; the rest of the
            // first two bytes of kana and Hangul (`may_have_kana_or_hangul`'s pairs): jamo
            // E1 84–87, Hangul EA–ED, half-width forms EF BD–BF.
            let second = bytes.get(at + 1).copied().unwrap_or(0);
            let marks = match (lead, second) {
                (0xC2, _) => SeamMarks::ANNOTATION,
                (0xE1, 0x84..=0x87) | (0xEA..=0xED, _) | (0xEF, 0xBD..=0xBF) => {
                    SeamMarks::KANA_OR_HANGUL
                }
                _ => 0,
            };
            match text[at..].chars().next() {
                Some(c) => CharMeasure {
                    width: layout_width(c),
                    stop: is_stop(c),
                    pause: false,
                    class: class_of(c),
                    marks,
                },
                None => CharMeasure {
                    width: 0,
                    stop: false,
                    pause: false,
                    class: Class::Narrow,
                    marks,
                },
            }
        }
    }
}
