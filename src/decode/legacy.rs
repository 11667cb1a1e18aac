//! Legacy encodings: chardetng's guess over the prefix, checked by decoding it. The share of
//! very common characters tells GBK from Big5 (each decodes most byte pairs of the other, into
//! rare characters), and damaged GBK or Big5, which chardetng gives up on at the first bad
//! byte, is recognised by the bytes around it.

use std::ops::{ControlFlow, Range};

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, BIG5, GB18030, GBK};

use super::common_han::is_common_han;
use super::detection::{Confidence, Detection};
use super::{fast, pairs};
use crate::text::nibble_pairs::{
    nibble_range, visit_nibble_pairs, NibblePairs, NibbleProduct, ANY_NIBBLE,
};

/// The prefix decoded as one encoding: where it is malformed, and its Han characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct PrefixReading {
    /// The malformed sequences (a sequence cut by the end of a partial prefix does not count),
    /// as byte ranges of the prefix.
    malformed: Vec<Range<usize>>,
    han: HanSample,
}

impl PrefixReading {
    /// Decodes the prefix once for both, through the fast path where the encoding has one
    /// (each check of a guess reads the whole 64 KiB prefix; the text itself is not kept).
    fn of(encoding: &'static Encoding, prefix: &[u8], whole: bool) -> Self {
        let table = pairs::table_for(encoding);
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let mut reading = PrefixReading::default();
        let mut scratch = String::new();
        let mut position = 0;
        loop {
            if let Some(table) = table {
                if pairs::is_between_characters(&decoder) {
                    position += table.scan_run(&prefix[position..], |class| {
                        reading.han.han += usize::from(class & pairs::HAN != 0);
                        reading.han.common += usize::from(class & pairs::COMMON_HAN != 0);
                    });
                }
            }
            let rest = &prefix[position..];
            let slow = if table.is_some() {
                rest.len().min(fast::SLOW_PATH_BYTES)
            } else {
                rest.len()
            };
            let slow_is_rest = slow == rest.len();
            scratch.clear();
            scratch.reserve(
                decoder
                    .max_utf8_buffer_length_without_replacement(slow)
                    .unwrap_or(slow * 3),
            );
            let (result, read) = decoder.decode_to_string_without_replacement(
                &rest[..slow],
                &mut scratch,
                whole && slow_is_rest,
            );
            position += read;
            scratch.chars().for_each(|c| reading.han.add(c));
            match result {
                DecoderResult::InputEmpty if slow_is_rest => return reading,
                DecoderResult::InputEmpty | DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad_len, after) => {
                    let end = position.saturating_sub(usize::from(after));
                    reading
                        .malformed
                        .push(end.saturating_sub(usize::from(bad_len))..end);
                }
            }
        }
    }
}

/// Where the prefix read as `encoding` has malformed sequences (a sequence cut by the end of a
/// partial prefix does not count), as byte ranges of the prefix.
fn malformed_spans(encoding: &'static Encoding, prefix: &[u8], whole: bool) -> Vec<Range<usize>> {
    PrefixReading::of(encoding, prefix, whole).malformed
}

/// The prefix without the given byte ranges.
fn without_spans(prefix: &[u8], spans: &[Range<usize>]) -> Vec<u8> {
    let mut kept = Vec::with_capacity(prefix.len());
    let mut position = 0;
    for span in spans {
        kept.extend_from_slice(&prefix[position..span.start.max(position)]);
        position = position.max(span.end);
    }
    kept.extend_from_slice(&prefix[position..]);
    kept
}

/// How much of the prefix chardetng reads from the first non-ASCII byte on. It runs at 2–3 MB/s
/// on CJK text (it scores ~27 candidate encodings at once), so the whole prefix would cost
/// 20–30 ms per file; its guess settles long before 8 KiB of CJK text (~4,000 characters), and
/// is then checked against the whole prefix (malformed sequences, common characters). Leading
/// ASCII costs chardetng next to nothing and is not counted.
const CHARDETNG_BYTES: usize = 8 * 1024;

/// chardetng's guess for `prefix`; UTF-8 was ruled out before, and there is no region hint
/// (a "cn" hint turns real Big5 into GBK).
fn chardetng_guess(prefix: &[u8], whole: bool) -> &'static Encoding {
    let first_non_ascii = prefix.iter().position(|byte| !byte.is_ascii()).unwrap_or(0);
    let sample = &prefix[..prefix.len().min(first_non_ascii + CHARDETNG_BYTES)];
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    // Told whether the sample is the whole file, so a sequence cut at its end is no evidence.
    detector.feed(sample, whole && sample.len() == prefix.len());
    detector.guess(None, Utf8Detection::Deny)
}

/// How much of the prefix chardetng reads, from the first non-ASCII byte on, before its guess
/// is first looked at: about 250 characters of GBK or Big5 text, on which its guess is
/// already the one it makes after [`CHARDETNG_BYTES`] whenever the whole prefix confirms it
/// (see [`chardetng_guess_settled`]); so it is on the archives and cuts of them tried, down
/// to 256 bytes. chardetng costs some 2,000 instructions a byte here, more than all the
/// rest of decoding a typical GBK file.
const CHARDETNG_EARLY_BYTES: usize = 512;

/// [`chardetng_guess`], stopped early when the verdict is already clear, with the number of
/// malformed sequences of the guess in the prefix and, when it was needed to stop early, the
/// guess's [`HanSample`]. Clear means: after
/// [`CHARDETNG_EARLY_BYTES`] chardetng says GBK or Big5, and the whole prefix decodes with
/// that encoding without a malformed sequence into text with the share of common characters
/// real text has — the guess [`judge_chinese_guess_with`] keeps with the most confidence. Anything
/// less and chardetng reads on, as the same detector (so the bytes are not read twice), to
/// [`CHARDETNG_BYTES`].
fn chardetng_guess_settled(
    prefix: &[u8],
    whole: bool,
) -> (&'static Encoding, usize, Option<HanSample>) {
    let first_non_ascii = prefix.iter().position(|byte| !byte.is_ascii()).unwrap_or(0);
    let early_end = prefix.len().min(first_non_ascii + CHARDETNG_EARLY_BYTES);
    let full_end = prefix.len().min(first_non_ascii + CHARDETNG_BYTES);
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    // Told whether the sample is the whole file, so a sequence cut at its end is no evidence.
    detector.feed(&prefix[..early_end], whole && early_end == prefix.len());
    if early_end < full_end {
        let early = detector.guess(None, Utf8Detection::Deny);
        if early == GBK || early == BIG5 {
            let reading = PrefixReading::of(early, prefix, whole);
            let sample = reading.han;
            if reading.malformed.is_empty()
                && sample.han >= MIN_HAN_SAMPLE
                && sample.common_per_mille() >= RIGHT_COMMON_SHARE
            {
                return (early, 0, Some(sample));
            }
        }
        detector.feed(
            &prefix[early_end..full_end],
            whole && full_end == prefix.len(),
        );
    }
    let guess = detector.guess(None, Utf8Detection::Deny);
    (guess, malformed_spans(guess, prefix, whole).len(), None)
}

/// chardetng drops a candidate at its first malformed sequence, so GBK or Big5 text with a
/// single damaged byte gets a single-byte guess (windows-1252 decodes every byte, into
/// mojibake). The Chinese encoding that explains the prefix instead: its malformed sequences
/// are few (one per 32 non-ASCII bytes at most: the decoder then replaces them, or fails naming
/// the encoding if they are too many for it, instead of writing mojibake silently), and
/// chardetng picks it once those bytes are taken out. Shift_JIS and EUC-KR text, which decode
/// as GBK byte pairs, fail that second test.
fn damaged_chinese_candidate(
    prefix: &[u8],
    whole: bool,
    non_ascii: usize,
) -> Option<&'static Encoding> {
    [GBK, BIG5]
        .into_iter()
        .map(|candidate| (malformed_spans(candidate, prefix, whole), candidate))
        .filter(|(spans, _)| spans.len() * 32 <= non_ascii)
        .filter(|(spans, candidate)| {
            let cleaned = without_spans(prefix, spans);
            chardetng_guess(&cleaned, whole) == *candidate
        })
        .min_by_key(|(spans, _)| spans.len())
        .map(|(_, candidate)| candidate)
}

/// Whether a GBK-family prefix uses GB18030's four-byte sequences (byte 2 is a digit), walking
/// the byte structure so that ASCII digits after a two-byte character are not mistaken for one.
fn has_gb18030_four_byte(prefix: &[u8]) -> bool {
    // The walk reads every character (a step a character, some thirty thousand in a prefix of
    // Chinese); a four-byte sequence is a lead byte, a digit, a lead byte, a digit wherever it
    // stands, and most prefixes hold no such four bytes at all: a scan for a lead byte before a
    // digit (a Han character before a number, where they are) settles those.
    may_hold_four_byte_sequence(prefix) && walks_to_four_byte_sequence(prefix)
}

/// The walk of [`has_gb18030_four_byte`], a character at a time, without the scan that
/// settles most prefixes first.
fn walks_to_four_byte_sequence(prefix: &[u8]) -> bool {
    let is_lead = |byte: Option<&u8>| byte.is_some_and(|b| (0x81..=0xFE).contains(b));
    let is_digit = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    while i < prefix.len() {
        if !is_lead(prefix.get(i)) {
            // ASCII, or a byte no sequence starts with (0x80, 0xFF: damage).
            i += 1;
        } else if is_digit(prefix.get(i + 1))
            && is_lead(prefix.get(i + 2))
            && is_digit(prefix.get(i + 3))
        {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

/// Do four bytes of `prefix` anywhere read as a GB18030 four-byte sequence (a lead byte
/// 0x81–0xFE, a digit, a lead byte, a digit), whatever the characters around them?
fn may_hold_four_byte_sequence(prefix: &[u8]) -> bool {
    /// A byte 0x80–0xFF before a digit (0x80 and 0xFF, no leads, are told apart after).
    const HIGH_BEFORE_DIGIT: NibblePairs = NibblePairs::new(&[NibbleProduct {
        lead_high: 0xFF00,
        lead_low: ANY_NIBBLE,
        next_high: 1 << 3,
        next_low: nibble_range(0, 9),
    }]);
    let is_lead = |byte: Option<&u8>| byte.is_some_and(|b| (0x81..=0xFE).contains(b));
    visit_nibble_pairs(prefix, &HIGH_BEFORE_DIGIT, |at| {
        let four = is_lead(prefix.get(at))
            && is_lead(prefix.get(at + 2))
            && prefix.get(at + 3).is_some_and(u8::is_ascii_digit);
        if four {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .is_break()
}

/// How many bytes of `bytes` are not ASCII: counted in blocks whose count fits a byte, which
/// the compiler adds up 32 bytes at a time (a count of each byte into a `usize` is not).
fn non_ascii_bytes(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &b| n + (b >> 7))))
        .sum()
}

/// The Han characters of the prefix decoded as `encoding`, and how many are common ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct HanSample {
    han: usize,
    common: usize,
}

impl HanSample {
    /// The sample of the whole prefix (a sequence cut at its end decodes to U+FFFD, or to
    /// nothing when `whole` is false: no Han character either way).
    fn of(encoding: &'static Encoding, prefix: &[u8]) -> Self {
        PrefixReading::of(encoding, prefix, true).han
    }

    fn add(&mut self, c: char) {
        if crate::text::is_han(c) {
            self.han += 1;
            if is_common_han(c) {
                self.common += 1;
            }
        }
    }

    /// Common characters per thousand Han characters.
    fn common_per_mille(&self) -> usize {
        (self.common * 1000).checked_div(self.han).unwrap_or(0)
    }
}

/// Han characters from which the common-character share is telling.
const MIN_HAN_SAMPLE: usize = 20;
/// Common-character share (per mille) from which a decoding reads as real text.
const RIGHT_COMMON_SHARE: usize = 200;

/// [`judge_chinese_guess_with`], for the tests: the figures it needs are found here.
#[cfg(test)]
fn judge_chinese_guess(
    prefix: &[u8],
    whole: bool,
    guess: &'static Encoding,
    non_ascii: usize,
) -> (&'static Encoding, Confidence) {
    let guess_malformed = malformed_spans(guess, prefix, whole).len();
    let guessed = HanSample::of(guess, prefix);
    judge_chinese_guess_with(prefix, whole, guess, non_ascii, guess_malformed, guessed)
}

/// chardetng chose GBK or Big5 (it has no "sure" flag, and on short texts the two are easily
/// confused, since most byte pairs are valid in both). The share of common characters in the
/// decoded prefix confirms the guess, or overrules it when the rival reads as real text and the
/// guess does not. Given the number of malformed sequences of the guess and its
/// [`HanSample`], which the caller has already (each decodes the whole prefix).
fn judge_chinese_guess_with(
    prefix: &[u8],
    whole: bool,
    guess: &'static Encoding,
    non_ascii: usize,
    guess_malformed: usize,
    guessed: HanSample,
) -> (&'static Encoding, Confidence) {
    let rival = if guess == GBK { BIG5 } else { GBK };
    if guessed.han >= MIN_HAN_SAMPLE && guessed.common_per_mille() < RIGHT_COMMON_SHARE {
        let rivalled = PrefixReading::of(rival, prefix, whole);
        if rivalled.han.han >= MIN_HAN_SAMPLE
            && rivalled.han.common_per_mille() >= RIGHT_COMMON_SHARE
            && rivalled.han.common_per_mille() >= 2 * guessed.common_per_mille()
            && rivalled.malformed.len() <= guess_malformed
        {
            return (rival, Confidence::Medium);
        }
    }
    let confidence = if guess_malformed > 0 || non_ascii < WEAK_LEGACY_EVIDENCE {
        Confidence::Low
    } else if non_ascii >= STRONG_LEGACY_EVIDENCE
        && guessed.common_per_mille() >= RIGHT_COMMON_SHARE
    {
        Confidence::High
    } else {
        Confidence::Medium
    };
    (guess, confidence)
}

/// Non-ASCII bytes from which a clean legacy guess is well supported.
const STRONG_LEGACY_EVIDENCE: usize = 512;
/// Non-ASCII bytes below which a legacy guess is only a guess.
const WEAK_LEGACY_EVIDENCE: usize = 64;

/// A legacy encoding's detection, and whether the prefix decodes in GBK or Big5 as detected
/// without a malformed sequence (a sequence cut by the end of a partial prefix does not count):
/// the detection found that out by decoding it, and the check for mixed lines
/// ([`super::mixed::detect_mixed_knowing`]) need not decode it again.
pub(super) struct LegacyDetection {
    pub detection: Detection,
    pub chinese_prefix_decodes_cleanly: bool,
}

pub(super) fn detect_legacy(prefix: &[u8], whole: bool) -> LegacyDetection {
    let (guess, malformed, guessed) = chardetng_guess_settled(prefix, whole);
    let non_ascii = non_ascii_bytes(prefix);

    let damaged_chinese = if guess != GBK && guess != BIG5 && non_ascii > 0 {
        damaged_chinese_candidate(prefix, whole, non_ascii)
    } else {
        None
    };
    let (encoding, confidence) = if let Some(candidate) = damaged_chinese {
        (candidate, Confidence::Low)
    } else if guess == GBK || guess == BIG5 {
        let guessed = guessed.unwrap_or_else(|| HanSample::of(guess, prefix));
        judge_chinese_guess_with(prefix, whole, guess, non_ascii, malformed, guessed)
    } else if malformed > 0 || non_ascii < WEAK_LEGACY_EVIDENCE {
        (guess, Confidence::Low)
    } else {
        (guess, Confidence::Medium)
    };
    // `malformed` counts the guess's malformed sequences in the whole prefix; a rival or a
    // damaged candidate taken instead was not decoded whole here.
    let chinese_prefix_decodes_cleanly =
        (guess == GBK || guess == BIG5) && encoding == guess && malformed == 0;
    // (GB18030 is decoded by GBK's decoder: encoding_rs has one for both.)
    let encoding = if encoding == GBK && has_gb18030_four_byte(prefix) {
        GB18030
    } else {
        encoding
    };
    LegacyDetection {
        detection: Detection {
            encoding,
            confidence,
            bom_len: 0,
        },
        chinese_prefix_decodes_cleanly,
    }
}

#[cfg(test)]
mod tests;
