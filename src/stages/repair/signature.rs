//! The cheap test every line goes through: can it hold mojibake at all? Clean text must pay
//! (almost) nothing for repair, so this is one pass over the bytes that looks only at the lead
//! byte of each character, and at the code point of Han characters, one bit each.
//!
//! What a wrong decoding leaves, and why these signs are enough:
//! - read as Latin-1 or Windows-1252 (GBK or UTF-8 bytes): every byte 0xA0–0xFF becomes one of
//!   U+00A0–U+00FF, and GBK's lead bytes (0x81–0xFE, 0xA1–0xF7 for GB2312) and UTF-8's (0xC2–0xF4)
//!   are all there. A mojibake run therefore holds characters of U+0080–U+00FF, whose UTF-8 lead
//!   byte is 0xC2 or 0xC3.
//! - UTF-8 read as GBK: the three bytes of a Chinese character in UTF-8 are a lead byte 0xE2–0xE9
//!   or 0xEF and two continuation bytes 0x80–0xBF, so of two characters in a row, one starts a
//!   GBK pair on its lead byte: the pair is one of the 9 × 64 GBK characters whose lead is such a
//!   byte and whose trail is a continuation byte ([`SIGNS`]). Every second character of the
//!   original leaves one. A lossy decoder's U+FFFD is a sign too.

use std::ops::ControlFlow;
use std::sync::LazyLock;

use super::codecs::{self, gbk_char};
use crate::text::nibble_pairs::{
    nibble_range, visit_nibble_pairs, NibblePairs, NibbleProduct, ANY_NIBBLE, CONTINUATION_HIGH,
};
use crate::text::{visit_positions_in_ranges, BytePair};

const HAN_FIRST: u32 = 0x4E00;
type HanBits = [u64; (0xA000 - HAN_FIRST as usize) / 64];

/// The Han characters GBK reads from a UTF-8 lead byte of Chinese text and a continuation byte.
static SIGNS: LazyLock<HanBits> = LazyLock::new(|| {
    let mut bits = [0; (0xA000 - HAN_FIRST as usize) / 64];
    for lead in (0xE2..=0xE9u8).chain([0xEF]) {
        for trail in 0x80..=0xBFu8 {
            let Some(index) = gbk_char(lead, trail)
                .and_then(|c| (c as u32).checked_sub(HAN_FIRST))
                .map(|i| i as usize)
                .filter(|&i| i < bits.len() * 64)
            else {
                continue;
            };
            bits[index / 64] |= 1 << (index % 64);
        }
    }
    bits
});

/// Is `c` one of the Han characters GBK reads from a UTF-8 lead byte and a continuation byte?
pub(crate) fn is_sign(c: char) -> bool {
    let Some(index) = (c as u32).checked_sub(HAN_FIRST) else {
        return false;
    };
    let index = index as usize;
    SIGNS
        .get(index / 64)
        .is_some_and(|word| word & (1 << (index % 64)) != 0)
}

/// What the scan found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Signs {
    /// Characters of U+0080–U+00FF: Latin-1 or Windows-1252 mojibake may be there.
    pub latin: bool,
    /// Characters GBK reads from UTF-8 (see [`is_sign`]), or U+FFFD: UTF-8 read as GBK may be
    /// there.
    pub gbk: bool,
    /// The first bytes of a character Big5 and GBK read as each other are made of (`cross`):
    /// found by the cheap scan only, so that clean text pays one scan for every repair.
    pub cross: bool,
}

impl Signs {
    pub(crate) fn any(self) -> bool {
        self.latin || self.gbk
    }
}

/// The lead bytes the full scan looks at, as [`visit_positions_in_ranges`] takes them:
/// 0xC2–0xC3 (U+0080–U+00FF), 0xE4–0xE9 (Han), 0xEE (the Private Use Area, where `encoding_rs`
/// puts GBK's user-defined pairs), 0xEF (U+FFFD among others). The rest are passed sixteen at a
/// time.
const FULL: [(u8, u8); 4] = [(0xC2, 2), (0xE4, 6), (0xEE, 1), (0xEF, 1)];

/// Scans a line's bytes for the signs of mojibake; `full` looks up every Han character for
/// the signs of UTF-8 read as GBK ([`is_sign`]), otherwise only U+FFFD and Private Use
/// characters are (nearly every line of UTF-8 read as GBK holds one: a continuation byte 0x80
/// where GBK expects a lead byte, a user-defined pair).
pub(crate) fn scan(line: &str, full: bool) -> Signs {
    if full {
        return scan_full(line);
    }
    // Clean text pays this: one pass, thirty-two bytes at a time, for 0xC3, U+FFFD and the
    // other signs of `cross`. 0xC3 (U+00C0–U+00FF) is enough for Latin-1 mojibake: every UTF-8
    // lead byte of Chinese text and most GBK bytes are there. U+FFFD is found by its first two
    // bytes, `EF BF`, not by its lead byte 0xEF alone: that is full-width punctuation's too, a
    // dozen a line. One pass rather than `memchr` for the bytes and a `memmem` for U+FFFD: on
    // lines of a hundred bytes each search's setting out cost more than the search (and the
    // pipeline runs this scan twice: `pipeline::fixed_point`). The pairs are looked up by their
    // nibbles ([`CHEAP`]): seven pairs cost as much as one.
    let bytes = line.as_bytes();
    let mut signs = Signs::default();
    let _ = visit_nibble_pairs(bytes, &CHEAP, |at| {
        match (bytes[at], bytes[at + 1]) {
            (0xC3, _) => signs.latin |= latin_pair(bytes, at),
            (0xEE, _) => (signs.gbk, signs.cross) = (true, true),
            // `EF BF`: U+FFFD is `EF BF BD`.
            (0xEF, 0xBF) => {
                signs.gbk |= bytes.get(at + 2) == Some(&0xBD);
                signs.cross = true;
            }
            _ => signs.cross = true,
        }
        if signs.latin && signs.gbk && signs.cross {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    signs
}

/// Where the cheap scan (`scan`, not full) stops in a chunk of text many lines long, found
/// by one pass over the chunk rather than one per line: a line of the chunk that holds no stop
/// holds no sign (`Line::no_mojibake_sign`), and clean text, nearly all of it, pays one scan of
/// the chunk instead of a scan's setting out on each of its lines (a third of a line's cost on
/// lines of a few hundred bytes). A stop is a position where the scan calls its visitor; every
/// pair it stops at lies inside one character, the next byte a continuation byte, so a line
/// break never starts one and a line's stops are the chunk's stops inside it. A line that holds
/// one is scanned alone as before (most stops, full-width punctuation's `EF` aside, are
/// already signs).
pub struct ScanStops<'a> {
    bytes: &'a [u8],
    /// The first stop at or after the last range asked about, or the chunk's length for none;
    /// `None` before the first look.
    next: Option<usize>,
}

impl<'a> ScanStops<'a> {
    pub fn new(chunk: &'a str) -> Self {
        ScanStops {
            bytes: chunk.as_bytes(),
            next: None,
        }
    }

    /// Does the chunk's `start..end` (character boundaries, asked in order: each range after
    /// the ones before it) hold no stop of the cheap scan?
    pub fn none_in(&mut self, start: usize, end: usize) -> bool {
        let next = match self.next {
            Some(next) if next >= start => next,
            // The stop found last was in a range before this one (or none was looked for):
            // the scan goes on from here, until the next stop.
            _ => {
                let mut found = self.bytes.len();
                let _ = visit_nibble_pairs(&self.bytes[start..], &CHEAP, |at| {
                    found = start + at;
                    ControlFlow::Break(())
                });
                self.next = Some(found);
                found
            }
        };
        next >= end
    }
}

/// How far around a byte the cheap scan reads to judge it: [`latin_pair`] looks up to three
/// bytes before a character and two after it; the byte pairs of [`CHEAP`] are inside one
/// character. Rounded up, with room for a space a join puts between two lines.
const SEAM_REACH: usize = 8;

/// Does the cheap scan find nothing in `text`, of which `text[..seam]` and `text[seam..]`
/// were each found to hold no sign (`Line::no_mojibake_sign`), two lines reflow joined, with
/// or without a space between? Only a byte within reach of the seam can be judged otherwise in
/// the joined text than in its part, and every byte it is judged by is within reach of the
/// seam too: the scan of the characters around the seam, `SEAM_REACH` bytes each side and
/// more, finds what a scan of the whole would (a byte nearer the window's ends is judged by
/// fewer bytes around it, which finds no sign the whole text does not hold).
pub fn no_sign_at_seam(text: &str, seam: usize) -> bool {
    // Most seams first: a byte is judged by its neighbours only when it is 0xC3 (`latin_pair`;
    // the other signs are pairs inside one character), and only one at most two bytes before
    // the seam, or at most three after it (a space between), can have new neighbours.
    let near = &text.as_bytes()[seam.saturating_sub(2)..(seam + 4).min(text.len())];
    if !near.contains(&0xC3) {
        return true;
    }
    let mut start = seam.saturating_sub(SEAM_REACH);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (seam + SEAM_REACH).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    scan(&text[start..end], false) == Signs::default()
}

/// Does the cheap scan find nothing in `text`, made from a text it found nothing in by taking
/// ASCII characters out and writing full-width forms (U+FF00–U+FF3F, `EF BC ..`: polish's
/// punctuation width and spacing rules)? Every byte the scan stops at but one starts a
/// character it stops at whatever stands around it (`CHEAP`: a lead byte and a byte of the
/// same character), and such a rewrite writes none of those (`EF BC` is none of its pairs) and
/// can only take them away. The one judged by its neighbours is 0xC3 (`latin_pair`), which
/// the rewrite may give new ones: a text without it holds no sign.
pub fn no_sign_after_rewrite(text: &str) -> bool {
    memchr::memchr(0xC3, text.as_bytes()).is_none()
}

/// What the cheap scan stops at: 0xC3 (U+00C0–U+00FF, Latin-1 mojibake's sign) and the
/// [`CROSS_SIGN_PAIRS`], which hold 0xEE (Private Use, a sign of UTF-8 read as GBK too) and
/// `EF BF` (U+FFC0–U+FFFF, where U+FFFD is); as products of nibble sets, eight, each a bit of
/// the lookup (a test checks every pair of bytes against the two lists). A lead byte followed
/// by any byte names the continuation bytes only: in valid UTF-8 no other follows one.
const CHEAP: NibblePairs = {
    NibblePairs::new(&[
        // C3 (Latin-1's sign), CE and CF (Greek), any next byte.
        NibbleProduct {
            lead_high: 1 << 0xC,
            lead_low: 1 << 0x3 | nibble_range(0xE, 0xF),
            next_high: CONTINUATION_HIGH,
            next_low: ANY_NIBBLE,
        },
        // D0 and D1 (Cyrillic), any next byte.
        NibbleProduct {
            lead_high: 1 << 0xD,
            lead_low: nibble_range(0x0, 0x1),
            next_high: CONTINUATION_HIGH,
            next_low: ANY_NIBBLE,
        },
        // EE (Private Use), any next byte.
        NibbleProduct {
            lead_high: 1 << 0xE,
            lead_low: 1 << 0xE,
            next_high: CONTINUATION_HIGH,
            next_low: ANY_NIBBLE,
        },
        // EF 80–9F and EF A0–A3 (U+F000–U+F8FF, Private Use).
        NibbleProduct {
            lead_high: 1 << 0xE,
            lead_low: 1 << 0xF,
            next_high: nibble_range(0x8, 0x9),
            next_low: ANY_NIBBLE,
        },
        NibbleProduct::pair(0xEF, 0xA0, 0xA3),
        // EF BF (U+FFC0–U+FFFF, U+FFFD among them).
        NibbleProduct::pair(0xEF, 0xBF, 0xBF),
        // E2 94–95 (box drawing).
        NibbleProduct::pair(0xE2, 0x94, 0x95),
        // E3 84 (bopomofo).
        NibbleProduct::pair(0xE3, 0x84, 0x84),
    ])
};

/// The first two bytes of the characters Big5 and GBK read as each other are made of (`cross`'s
/// signs), none of them in clean Chinese text but by exception: Greek and Cyrillic (lead bytes
/// 0xCE–0xD1), the Private Use Area from U+E000 (0xEE) and its U+F000–U+F8FF (`EF 80`–`EF A3`),
/// box drawing (U+2500–U+257F, `E2 94`–`E2 95`), bopomofo (U+3100–U+313F, `E3 84`) and
/// U+FFC0–U+FFFF (U+FFFD among them, `EF BF`).
pub(super) const CROSS_SIGN_PAIRS: [BytePair; 6] = [
    ((0xCE, 4), (0, 0)),
    ((0xEE, 1), (0, 0)),
    ((0xEF, 1), (0x80, 0x24)),
    ((0xE2, 1), (0x94, 2)),
    ((0xE3, 1), (0x84, 1)),
    ((0xEF, 1), (0xBF, 1)),
];

/// Is the character at `at` (one of U+0080–U+00FF) next to another, or to one of
/// Windows-1252's own? A lone `·`, `°` or `é` between Chinese characters is no sign: a wrong
/// decoding makes two or three of each character it misreads. Windows-1252's characters start
/// with 0xC5, 0xC6 or 0xCB (ŒœŠšŸŽžƒˆ˜) or 0xE2 (‚„…†‡‰‹›€™–—‘’“”•).
fn latin_pair(bytes: &[u8], at: usize) -> bool {
    matches!(
        bytes.get(at + 2),
        Some(0xC2 | 0xC3 | 0xC5 | 0xC6 | 0xCB | 0xE2)
    ) || (at >= 2 && matches!(bytes[at - 2], 0xC2 | 0xC3 | 0xC5 | 0xC6 | 0xCB))
        || (at >= 3 && bytes[at - 3] == 0xE2)
}

/// [`scan`] looking up every Han character.
fn scan_full(line: &str) -> Signs {
    let mut signs = Signs::default();
    if line.is_ascii() {
        return signs;
    }
    let bytes = line.as_bytes();
    let bits: &HanBits = &SIGNS;
    // The text is valid UTF-8: a lead byte has its continuation bytes after it.
    let _ = visit_positions_in_ranges(bytes, &FULL, |at| {
        match bytes[at] {
            0xC2 | 0xC3 => signs.latin |= latin_pair(bytes, at),
            0xEE => signs.gbk = true,
            0xEF => signs.gbk |= bytes[at + 1] == 0xBF && bytes[at + 2] == 0xBD,
            b if !signs.gbk => {
                let cp = (u32::from(b & 0x0F) << 12)
                    | (u32::from(bytes[at + 1] & 0x3F) << 6)
                    | u32::from(bytes[at + 2] & 0x3F);
                // Below U+4E00 (0xE4 starts at U+4000) the index wraps round, past the table.
                let index = cp.wrapping_sub(HAN_FIRST) as usize;
                signs.gbk = bits
                    .get(index / 64)
                    .is_some_and(|word| word & (1 << (index % 64)) != 0)
                    && continues_a_sign(&line[at + 3..]);
            }
            _ => {}
        }
        if signs.latin && signs.gbk {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    signs
}

/// After a sign (a UTF-8 lead byte and a continuation byte read as GBK), the next GBK pair of
/// mojibake is the character's last continuation byte and the next character's lead byte: a
/// GBK character whose lead is 0x80–0xBF and whose trail is 0xE2–0xEF. Or the line ends there
/// (its last character was cut), or a lossy decoder wrote U+FFFD, or the next character was
/// ASCII and the continuation byte a GBK lead byte of the pair (a character with an ASCII trail
/// byte). Clean Traditional text holds many signs (GBK's extension rows), but seldom this pair
/// after one.
fn continues_a_sign(rest: &str) -> bool {
    let Some(next) = rest.chars().next() else {
        return true;
    };
    if next == '\u{FFFD}' || next == '€' {
        return true;
    }
    match codecs::gbk_code(next).map(u16::to_be_bytes) {
        Some([0x80..=0xBF, trail]) => matches!(trail, 0xE2..=0xEF | 0x40..=0x7E),
        _ => false,
    }
}

/// The byte ranges of `line` that Latin-1 or Windows-1252 mojibake can be made of: characters
/// of U+0080–U+00FF and Windows-1252's own, U+FFFD, and ASCII from `@` up (a GBK trail byte can
/// be one; ASCII below `@`, spaces, digits and most punctuation, is never inside a character of
/// GBK or UTF-8, so it ends a run).
pub(super) fn latin_units(line: &str) -> Vec<(usize, usize)> {
    runs_of(line, |c| {
        ('@'..='~').contains(&c)
            || ('\u{80}'..='\u{FF}').contains(&c)
            || c == '\u{FFFD}'
            || codecs::cp1252_special_byte(c).is_some()
    })
}

/// The byte ranges of `line` that UTF-8 read as GBK can be made of: characters GBK has, U+FFFD,
/// and ASCII (a GBK pair can end in an ASCII byte, and UTF-8 text holds ASCII between its
/// characters).
pub(super) fn gbk_units(line: &str) -> Vec<(usize, usize)> {
    runs_of(line, |c| {
        c.is_ascii() || c == '\u{FFFD}' || codecs::gbk_code(c).is_some()
    })
}

/// The most ASCII characters in a row a run holds. Mojibake holds ASCII only one byte at a time
/// (a GBK pair may end in an ASCII byte, Latin-1 or UTF-8 text holds it between characters), so
/// of a longer stretch all but the first character is text as it was, the same under any
/// reading: the run ends after that first character, and the next starts after the stretch.
/// Without this a line of tens of thousands of letters after a sign of mojibake was weighed as
/// one run, character by character (thousands of instructions a byte: a fuzzed 240 KB input
/// took seconds), for no repair it could make.
pub(super) const MAX_ASCII_IN_A_RUN: usize = 32;

/// The byte ranges of the runs of `line`'s characters that are `member`s, a run cut at a
/// stretch of more than [`MAX_ASCII_IN_A_RUN`] ASCII characters (`cross` cuts its runs so too).
pub(super) fn runs_of(line: &str, member: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut units = Vec::new();
    let mut start = None;
    // Where the stretch of ASCII characters the walk is in started, and its length.
    let mut ascii_from = 0;
    let mut ascii_len = 0;
    for (i, c) in line.char_indices() {
        if c.is_ascii() {
            if ascii_len == 0 {
                ascii_from = i;
            }
            ascii_len += 1;
        } else {
            ascii_len = 0;
        }
        // Inside a stretch too long to be mojibake's, no run goes on or starts; the run the
        // stretch ends keeps the stretch's first character.
        let too_long = ascii_len > MAX_ASCII_IN_A_RUN;
        match (member(c) && !too_long, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let end = if too_long { ascii_from + 1 } else { i };
                if end > s {
                    units.push((s, end));
                }
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        units.push((s, line.len()));
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cheap scan's lookup by nibbles holds 0xC3 and the [`CROSS_SIGN_PAIRS`], no pair
    /// more or less: every lead byte, followed by every byte valid UTF-8 may put after it
    /// (a continuation byte), or by nothing (the line's end).
    #[test]
    fn the_cheap_scan_looks_for_latin_and_the_cross_signs() {
        let in_range = |b: u8, (start, len): (u8, u8)| b.wrapping_sub(start) < len;
        let listed = |lead: u8, next: u8| {
            lead == 0xC3
                || CROSS_SIGN_PAIRS.iter().any(|&(first, second)| {
                    in_range(lead, first) && (second.1 == 0 || in_range(next, second))
                })
        };
        for lead in 0..=255u8 {
            for next in 0x80..=0xBFu8 {
                assert_eq!(
                    CHEAP.contains(lead, next),
                    listed(lead, next),
                    "{lead:02X} {next:02X}"
                );
            }
            assert!(!CHEAP.contains(lead, 0), "{lead:02X} at the end");
        }
    }

    /// What `Line::no_mojibake_sign` rests on where polish rewrites a line and keeps the mark
    /// ([`no_sign_after_rewrite`]): no full-width form is a sign, alone or among others; and
    /// every text of up to four characters (Han, ASCII, spaces, Latin-1 and Windows-1252's
    /// characters, full-width marks) without a sign keeps none when its spaces are taken out or
    /// its commas written full-width, wherever the answer is yes.
    #[test]
    fn a_rewrite_of_spaces_and_full_width_marks_makes_no_sign_without_c3() {
        for c in '\u{FF00}'..='\u{FF3F}' {
            for text in [
                c.to_string(),
                format!("中{c}文"),
                format!("é{c}é"),
                format!("a{c}"),
            ] {
                assert_eq!(scan(&text, false), Signs::default(), "{text:?}");
            }
        }
        let alphabet = ['中', 'a', ' ', ',', '·', '—', 'é', 'Ã', '，', '“'];
        let mut texts = vec![String::new()];
        let mut checked = 0;
        for _ in 0..4 {
            let mut longer = Vec::new();
            for text in &texts {
                for c in alphabet {
                    let text = format!("{text}{c}");
                    if scan(&text, false) == Signs::default() {
                        let rewrites = [
                            text.replace(' ', ""),
                            text.replace(',', "，"),
                            text.replace(' ', "").replace(',', "，"),
                        ];
                        for rewritten in rewrites {
                            if no_sign_after_rewrite(&rewritten) {
                                checked += 1;
                                assert_eq!(
                                    scan(&rewritten, false),
                                    Signs::default(),
                                    "{text:?} -> {rewritten:?}"
                                );
                            }
                        }
                    }
                    longer.push(text);
                }
            }
            texts = longer;
        }
        assert!(checked > 1000, "{checked}");
    }

    /// What `Line::no_mojibake_sign` rests on where a stage cuts a line's ends and keeps the
    /// mark: the cheap scan finds nothing in any part of a text it finds nothing in. Every text
    /// of up to four characters of those the scan judges by their neighbours (Latin-1 and
    /// Windows-1252's characters), and of others, with every part of it.
    #[test]
    fn a_part_of_a_text_without_a_sign_has_none() {
        let alphabet = ['é', '©', 'Ã', '€', '“', 'Œ', '中', 'a', '\u{FFFD}'];
        let mut texts = vec![String::new()];
        let mut checked = 0;
        for _ in 0..4 {
            texts = texts
                .iter()
                .flat_map(|text| alphabet.iter().map(move |&c| format!("{text}{c}")))
                .collect();
            for text in &texts {
                if scan(text, false) != Signs::default() {
                    continue;
                }
                let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
                for &start in &bounds {
                    for end in bounds.iter().copied().chain([text.len()]) {
                        if end > start {
                            assert_eq!(scan(&text[start..end], false), Signs::default(), "{text}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        // Texts with no sign and parts of them were there to check.
        assert!(checked > 1000, "{checked}");
    }

    /// A seam's look finds what a scan of the joined text would: every two texts of up to two
    /// characters of those the scan judges by their neighbours, and of others, each without a
    /// sign, joined with and without a space, and with text before and after the seam's reach.
    #[test]
    fn a_seam_is_judged_as_the_whole_text() {
        let alphabet = ['é', '©', 'Ã', '€', '“', 'Œ', '中', 'a'];
        let mut texts = vec![String::new()];
        for _ in 0..2 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|text| alphabet.iter().map(move |&c| format!("{text}{c}")))
                .collect();
            texts.extend(longer);
        }
        texts.dedup();
        let far = "中".repeat(4);
        let signless: Vec<String> = texts
            .iter()
            .flat_map(|t| [t.clone(), format!("{far}{t}"), format!("{t}{far}")])
            .filter(|t| scan(t, false) == Signs::default())
            .collect();
        let mut joins = 0;
        for left in &signless {
            for right in &signless {
                for space in ["", " "] {
                    let joined = format!("{left}{space}{right}");
                    assert_eq!(
                        no_sign_at_seam(&joined, left.len()),
                        scan(&joined, false) == Signs::default(),
                        "{left:?} + {space:?} + {right:?}"
                    );
                    joins += 1;
                }
            }
        }
        assert!(joins > 10_000, "{joins}");
    }

    #[test]
    fn a_long_stretch_of_ascii_ends_a_run() {
        // `涓` `浗` are UTF-8 read as GBK; the letters between are text as it was.
        let letters = "a".repeat(MAX_ASCII_IN_A_RUN + 1);
        let line = format!("涓{letters}浗");
        let after_first_letter = "涓".len() + 1;
        assert_eq!(
            gbk_units(&line),
            [
                (0, after_first_letter),
                (line.len() - "浗".len(), line.len())
            ]
        );
        // A stretch no longer than mojibake may hold stays inside the run.
        let line = format!("涓{}浗", &letters[1..]);
        assert_eq!(gbk_units(&line), [(0, line.len())]);
        // Latin-1 runs likewise; a stretch that starts with a character no run holds.
        let line = format!("ÖÐ {letters}¹ú");
        assert_eq!(
            latin_units(&line),
            [(0, "ÖÐ".len()), (line.len() - "¹ú".len(), line.len())]
        );
    }

    #[test]
    fn clean_chinese_has_no_sign() {
        for line in [
            "中华人民共和国国务院关于2021年工作的通知，现将有关事项通知如下：",
            "這是繁體中文的句子，香港特別行政區政府。",
            "日本語のテキストです。한국어 텍스트입니다.",
            "㐀䶵 before U+4E00, and U+9FFF 鿿",
            "plain ASCII, code: fn main() { println!(\"hi\"); } https://example.com/a?b=c",
        ] {
            assert_eq!(scan(line, true), Signs::default(), "{line}");
        }
    }

    #[test]
    fn mojibake_has_signs() {
        let utf8_as_gbk = encoding_rs::GBK
            .decode_without_bom_handling("中国人民".as_bytes())
            .0;
        assert!(scan(&utf8_as_gbk, true).gbk, "{utf8_as_gbk}");
        assert!(scan("ÖÐ¹ú", true).latin);
        assert!(!scan("马克思·韦伯，温度25°C", true).latin);
        assert!(scan("ä¸\u{AD}æ–‡", true).latin);
        assert!(scan("a\u{FFFD}b", true).gbk);
        // Two Latin-1 characters in a row are a sign, legitimate or not (the full test then
        // leaves legitimate ones alone).
        assert!(scan("ÆØÅ, Ã©tÃ©", true).latin);
    }

    #[test]
    fn the_cheap_scan_finds_what_nearly_every_line_of_utf8_read_as_gbk_holds() {
        for (line, gbk) in [
            ("涓浗", false),
            ("a\u{FFFD}b", true),
            ("价格€30", false),
            ("\u{E4C6}", true),
            ("中华人民共和国，“引号”……", false),
        ] {
            assert_eq!(scan(line, false).gbk, gbk, "{line}");
        }
        // And the signs of Big5 and GBK read as each other, not clean Chinese punctuation.
        for (line, cross) in [
            ("ㄗ珨ㄘ", true),
            ("ΑΒΓ", true),
            ("─", true),
            ("中\u{FFFD}", true),
            ("\u{F8F0}", true),
            ("（一）加强组织领导，確保。「引用」——“引号”……", false),
            ("ひらがな、カタカナ", false),
        ] {
            assert_eq!(scan(line, false).cross, cross, "{line}");
        }
        // The cheap scan finds Latin-1 mojibake by 0xC3 next to another such character.
        for line in ["ÖÐ¹ú", "¹ú", "ä¸\u{AD}æ–‡"] {
            assert!(scan(line, false).latin, "{line}");
        }
        assert!(!scan("马克思·韦伯，温度25°C，café", false).latin);
    }

    #[test]
    fn every_sign_is_a_han_character_of_the_table() {
        let mut count = 0;
        for lead in (0xE2..=0xE9u8).chain([0xEF]) {
            for trail in 0x80..=0xBFu8 {
                let c = gbk_char(lead, trail).unwrap();
                assert!(('\u{4E00}'..='\u{9FFF}').contains(&c), "{c}");
                assert!(is_sign(c));
                count += 1;
            }
        }
        assert_eq!(count, 9 * 64);
    }

    /// [`ScanStops`] over a chunk of many lines says of each line what the cheap scan of the
    /// line alone stops at: no stop in the line exactly when the scan visits none of its bytes
    /// (so it finds no sign), whatever stands in the lines around it. Lines of signs and near
    /// signs (Latin-1, Greek, Cyrillic, Private Use, U+FFFD, box drawing, bopomofo, full-width
    /// marks, `·`) and clean text, with the line breaks the reader cuts at, in a chunk asked
    /// line by line, as the pipeline's reader asks it.
    #[test]
    fn scan_stops_of_a_chunk_are_those_of_its_lines() {
        let alphabet = [
            "中文", "a", " ", "é", "Ã", "Ω", "Ж", "\u{E000}", "\u{FFFD}", "┃", "ㄅ", "，", "·",
            "。", "\u{F8FF}", "\u{FF5E}",
        ];
        // A fixed sequence that reaches every pair of the alphabet, at every place in a line.
        let mut state = 12345u32;
        let mut next = |n: usize| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (state >> 16) as usize % n
        };
        for _ in 0..200 {
            let lines: Vec<String> = (0..next(40) + 1)
                .map(|_| {
                    (0..next(90))
                        .map(|_| alphabet[next(alphabet.len())])
                        .collect()
                })
                .collect();
            let chunk = lines.join("\n");
            let mut stops = ScanStops::new(&chunk);
            let mut start = 0;
            for line in &lines {
                let end = start + line.len();
                let mut visited = false;
                let _ = visit_nibble_pairs(line.as_bytes(), &CHEAP, |_| {
                    visited = true;
                    ControlFlow::Break(())
                });
                let none = stops.none_in(start, end);
                assert_eq!(none, !visited, "{line:?}");
                if none {
                    assert_eq!(scan(line, false), Signs::default(), "{line:?}");
                }
                start = end + 1;
            }
        }
    }
}
