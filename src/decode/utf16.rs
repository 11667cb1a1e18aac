//! UTF-16 without a BOM: Chinese UTF-16 often contains no zero byte at all, so the prefix is
//! read as little- and big-endian code units and each reading is scored by how many units are
//! characters a Chinese document is made of, and how many are its commonest characters.

use encoding_rs::{UTF_16BE, UTF_16LE};

use super::common_han::is_common_han;
use super::detection::{Confidence, Detection};

/// How a prefix reads as UTF-16 of one byte order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Utf16Score {
    /// Units that are evidence for this reading: ASCII with a zero high byte, or a character of
    /// the ranges Chinese documents use (CJK, CJK punctuation, full-width forms, ...).
    strong: usize,
    /// Strong units that are the very stuff of Chinese text: ASCII with a zero byte, common Han
    /// characters, CJK punctuation, full-width forms, kana. Byte pairs of other encodings
    /// (Shift_JIS, traditional text in GBK) read as UTF-16 land all over the CJK block, but
    /// rarely on these.
    signature: usize,
    /// Units that prove nothing: two ASCII bytes (any 8-bit text reads as "CJK" that way:
    /// `he` is U+6568), or a unit whose low byte is zero (ASCII of the other byte order).
    neutral: usize,
    /// Units no Chinese document contains: Hangul, surrogates out of pairs, private use, NUL...
    implausible: usize,
}

impl Utf16Score {
    /// The score of one byte order over the whole prefix (the detector scores both at once,
    /// see [`Utf16Scores`]).
    #[cfg(test)]
    fn of(prefix: &[u8], big_endian: bool) -> Self {
        let mut scores = Utf16Scores::default();
        scores.add(prefix);
        if big_endian {
            scores.big
        } else {
            scores.little
        }
    }

    /// Scores the next code unit; `pending_high_surrogate` carries a high surrogate over to
    /// the unit that follows it.
    #[inline]
    fn add(&mut self, unit: u16, pending_high_surrogate: &mut bool) {
        if *pending_high_surrogate {
            *pending_high_surrogate = false;
            if (0xDC00..=0xDFFF).contains(&unit) {
                self.strong += 2;
                return;
            }
            self.implausible += 1;
        }
        let [high, low] = unit.to_be_bytes();
        if (0xD800..=0xDBFF).contains(&unit) {
            *pending_high_surrogate = true;
        } else if is_ascii_text_byte(high) && is_ascii_text_byte(low) {
            self.neutral += 1;
        } else if high == 0 && is_ascii_text_byte(low) {
            self.strong += 1;
            self.signature += 1;
        } else if low == 0 && high != 0 {
            self.neutral += 1;
        } else if is_chinese_document_unit(unit) {
            self.strong += 1;
            if is_signature_unit(unit) {
                self.signature += 1;
            }
        } else {
            self.implausible += 1;
        }
    }

    /// Whether no `remaining_units` more units can make this reading plausible: a unit adds
    /// at most 2 to [`Self::counted`] (a surrogate pair, or a broken pair's implausible unit
    /// plus its own class; one more for a surrogate pending now), and nothing lowers
    /// `implausible` or `neutral`.
    fn is_hopeless(&self, remaining_units: usize) -> bool {
        let most_counted = self.counted() + 2 * remaining_units + 2;
        self.implausible * 50 > most_counted || self.neutral > most_counted
    }

    /// The units that say something either way.
    fn counted(&self) -> usize {
        self.strong + self.implausible
    }

    /// Plausible as UTF-16: enough evidence, at most 1 in 50 units implausible (a rare symbol),
    /// no more units that prove nothing than units that do (ASCII text read as UTF-16 is all
    /// "neutral"; real Chinese UTF-16 has about one such unit in five), and at least 15% of
    /// the telling units signature units (real text: 40–60%; other encodings: a few percent).
    fn is_plausible(&self) -> bool {
        self.counted() >= MIN_UTF16_EVIDENCE
            && self.implausible * 50 <= self.counted()
            && self.neutral <= self.counted()
            && self.signature * 100 >= self.counted() * 15
    }
}

/// Fewer telling units than this and UTF-16 is not considered: a few bytes of GBK can look like
/// anything.
const MIN_UTF16_EVIDENCE: usize = 8;
/// Telling units from which a UTF-16 reading counts as strong evidence.
const STRONG_UTF16_EVIDENCE: usize = 64;

fn is_ascii_text_byte(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | b'\r' | 0x20..=0x7E)
}

/// The characters of a Chinese document other than ASCII: Han, CJK and general punctuation,
/// full-width forms, Latin with tone marks (pinyin), Greek and Cyrillic (GBK has them), common
/// symbols, box drawing, kana and bopomofo.
fn is_chinese_document_unit(unit: u16) -> bool {
    matches!(unit,
        0x00A0..=0x024F      // Latin-1, Latin Extended A/B (pinyin: ā á ǎ à)
        | 0x02B0..=0x036F    // modifier letters (bopomofo tones ˇˉˊˋ), combining marks
        | 0x0370..=0x04FF    // Greek, Cyrillic
        | 0x2000..=0x27BF    // punctuation, currency, letterlike, arrows, math, boxes, symbols
        | 0x2E80..=0x2FDF    // CJK radicals
        | 0x3000..=0x33FF    // CJK punctuation, kana, bopomofo, enclosed CJK, CJK compatibility
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFE10..=0xFE1F    // vertical forms
        | 0xFE30..=0xFE6F    // CJK compatibility forms, small forms
        | 0xFF00..=0xFFEF) // full-width and half-width forms
}

/// Units that are the stuff of Chinese text itself (see [`Utf16Score::signature`]).
fn is_signature_unit(unit: u16) -> bool {
    matches!(unit, 0x3000..=0x30FF | 0xFF00..=0xFFEF)
        || char::from_u32(u32::from(unit)).is_some_and(is_common_han)
}

/// Both readings of a prefix, scored in one pass.
#[derive(Clone, Copy, Debug, Default)]
struct Utf16Scores {
    little: Utf16Score,
    big: Utf16Score,
    little_pending_surrogate: bool,
    big_pending_surrogate: bool,
}

impl Utf16Scores {
    fn add(&mut self, bytes: &[u8]) {
        for pair in bytes.chunks_exact(2) {
            let (first, second) = (pair[0], pair[1]);
            self.little.add(
                u16::from_le_bytes([first, second]),
                &mut self.little_pending_surrogate,
            );
            self.big.add(
                u16::from_be_bytes([first, second]),
                &mut self.big_pending_surrogate,
            );
        }
    }

    /// Scores the prefix, or `None` as soon as neither reading can turn out plausible (most
    /// files that are not UTF-16 show it within the first kilobytes: GBK, Big5 and UTF-8
    /// Chinese read as UTF-16 are mostly Hangul, private use and surrogates).
    fn of_plausible(prefix: &[u8]) -> Option<Self> {
        /// Bytes scored between two checks of whether the rest could still change the verdict.
        const CHECK_EVERY: usize = 2 * 1024;
        let whole_units = prefix.len() / 2;
        let mut scores = Utf16Scores::default();
        let mut scored_units = 0;
        for chunk in prefix[..whole_units * 2].chunks(CHECK_EVERY) {
            scores.add(chunk);
            scored_units += chunk.len() / 2;
            let remaining_units = whole_units - scored_units;
            if remaining_units > 0
                && scores.little.is_hopeless(remaining_units)
                && scores.big.is_hopeless(remaining_units)
            {
                return None;
            }
        }
        Some(scores)
    }
}

pub(super) fn detect_utf16_without_bom(prefix: &[u8]) -> Option<Detection> {
    let Utf16Scores { little, big, .. } = Utf16Scores::of_plausible(prefix)?;
    let (encoding, score) = match (little.is_plausible(), big.is_plausible()) {
        (true, false) => (UTF_16LE, little),
        (false, true) => (UTF_16BE, big),
        (false, false) => return None,
        // Both readings plausible (text of very few distinct characters): the one with the
        // larger share of telling units wins; a tie means no decision.
        (true, true) => {
            let little_share = little.strong * big.counted();
            let big_share = big.strong * little.counted();
            match little_share.cmp(&big_share) {
                std::cmp::Ordering::Greater => (UTF_16LE, little),
                std::cmp::Ordering::Less => (UTF_16BE, big),
                std::cmp::Ordering::Equal => return None,
            }
        }
    };
    let confidence = if score.counted() >= STRONG_UTF16_EVIDENCE && score.implausible == 0 {
        Confidence::High
    } else {
        Confidence::Medium
    };
    Some(Detection {
        encoding,
        confidence,
        bom_len: 0,
    })
}

#[cfg(test)]
mod tests;
