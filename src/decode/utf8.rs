//! UTF-8: whether a prefix is UTF-8 (a few damaged bytes allowed), where a chunk of it may be
//! handed over as it stands, and how the fast paths append the text they decode.

use encoding_rs::{Encoding, UTF_8};

use super::detection::{Confidence, Detection};

/// What the prefix looks like as UTF-8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Utf8Scan {
    /// Well-formed characters of two to four bytes.
    multibyte: usize,
    /// Malformed sequences (a character cut by the end of a prefix that is not the whole file
    /// does not count).
    malformed: usize,
}

impl Utf8Scan {
    /// What the prefix looks like as UTF-8, or `None` as soon as the prefix has surely more than one malformed
    /// sequence per `max_multibyte_per_malformed` well-formed characters: even if all the rest
    /// were two-byte characters. Legacy CJK text shows it within its first bytes, where
    /// scanning on would restart the UTF-8 check at each of its thousands of malformed bytes.
    fn of_unless_damaged(
        prefix: &[u8],
        whole: bool,
        max_multibyte_per_malformed: usize,
    ) -> Option<Self> {
        let mut scan = Utf8Scan::default();
        let mut rest = prefix;
        loop {
            // encoding_rs's vectorised check finds where the valid text ends.
            let valid_up_to = Encoding::utf8_valid_up_to(rest);
            scan.multibyte += count_multibyte(&rest[..valid_up_to]);
            rest = &rest[valid_up_to..];
            // From there a sequence at a time, until the text runs valid again for a while: in
            // damaged text (legacy CJK read as UTF-8 is malformed every two or three bytes)
            // the vectorised checks, begun again after each malformed sequence, cost some 460
            // instructions for each, nearly all of it setting out for a stretch of a few bytes.
            let mut valid_run = 0;
            while valid_run < VALID_RUN_BACK_TO_BLOCKS {
                let Some(&first) = rest.first() else {
                    return Some(scan);
                };
                if first.is_ascii() {
                    rest = &rest[1..];
                    valid_run += 1;
                    continue;
                }
                match Sequence::at(rest) {
                    Sequence::Valid(len) => {
                        scan.multibyte += 1;
                        rest = &rest[len..];
                        valid_run += len;
                    }
                    Sequence::Malformed(len) => {
                        scan.malformed += 1;
                        rest = &rest[len..];
                        valid_run = 0;
                        let most_multibyte = scan.multibyte + rest.len() / 2;
                        if scan.malformed.saturating_mul(max_multibyte_per_malformed)
                            > most_multibyte
                        {
                            return None;
                        }
                    }
                    Sequence::Cut => {
                        // Incomplete at the end: the edge of the sample, unless it is the file.
                        if whole {
                            scan.malformed += 1;
                        }
                        return Some(scan);
                    }
                }
            }
        }
    }
}

/// How many valid bytes in a row take [`Utf8Scan::of_unless_damaged`] back from its check of
/// one sequence at a time to the vectorised check of the rest.
const VALID_RUN_BACK_TO_BLOCKS: usize = 16;

/// The UTF-8 sequence at the start of some bytes, that starts with a byte that is not ASCII,
/// as std's check of all of them reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sequence {
    /// A well-formed character of this many bytes.
    Valid(usize),
    /// A malformed sequence of this many bytes (`Utf8Error::error_len`).
    Malformed(usize),
    /// A well-formed start cut by the end of the bytes (`error_len` is `None`).
    Cut,
}

impl Sequence {
    /// The sequence at the start of `bytes`. std's check of the first four bytes (or all, when
    /// fewer) says of it what its check of all of them would: no sequence is longer, so its
    /// verdict on the first is whole within them, and a start cut short is cut by the end of
    /// `bytes` itself.
    fn at(bytes: &[u8]) -> Sequence {
        let window = &bytes[..bytes.len().min(4)];
        let valid_up_to = match std::str::from_utf8(window) {
            Ok(_) => window.len(),
            Err(error) => match (error.valid_up_to(), error.error_len()) {
                (0, Some(len)) => return Sequence::Malformed(len),
                (0, None) => return Sequence::Cut,
                (valid_up_to, _) => valid_up_to,
            },
        };
        let len = match window[0] {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        debug_assert!(len <= valid_up_to);
        Sequence::Valid(len)
    }
}

fn count_multibyte(valid_utf8: &[u8]) -> usize {
    valid_utf8.iter().filter(|&&byte| byte >= 0xC0).count()
}

/// Well-formed characters per malformed sequence from which UTF-8 is still the answer.
const MIN_MULTIBYTE_PER_MALFORMED: usize = 16;

pub(super) fn detect_utf8(prefix: &[u8], whole: bool) -> Option<Detection> {
    let scan = Utf8Scan::of_unless_damaged(prefix, whole, MIN_MULTIBYTE_PER_MALFORMED)?;
    let confidence = if scan.malformed == 0 {
        if scan.multibyte >= 8 || (scan.multibyte == 0 && whole) {
            // Plenty of well-formed UTF-8, or a whole file of ASCII (right in any encoding).
            Confidence::High
        } else if scan.multibyte > 0 {
            Confidence::Medium
        } else {
            // ASCII so far; the rest of the file is unseen.
            Confidence::Low
        }
    } else if scan.multibyte >= MIN_MULTIBYTE_PER_MALFORMED * scan.malformed {
        // Damaged UTF-8: a few bad bytes will be replaced and reported; too many make the
        // decoder fail naming UTF-8, which beats a legacy guess that decodes the damage into
        // mojibake without a complaint. Legacy CJK text read as UTF-8 has about as many
        // malformed sequences as characters, far from this.
        Confidence::Medium
    } else {
        return None;
    };
    Some(Detection {
        encoding: UTF_8,
        confidence,
        bom_len: 0,
    })
}

/// The longest start of `bytes` that is valid UTF-8 and ends between sequences. In one pass
/// where the bytes are valid but for a sequence cut at the end, as the chunks of a UTF-8 file
/// are; where they are not, the validation stops at the first error and the text before it is
/// validated again (so a damaged file costs two passes, not one per error).
pub(super) fn valid_utf8_prefix(bytes: &[u8]) -> &str {
    let whole = &bytes[..whole_sequences_len(bytes)];
    match simdutf8::compat::from_utf8(whole) {
        Ok(text) => text,
        Err(error) => simdutf8::basic::from_utf8(&whole[..error.valid_up_to()])
            .expect("valid up to the first error"),
    }
}

/// `bytes` without a UTF-8 sequence cut short at the end, if the last lead byte starts one.
fn whole_sequences_len(bytes: &[u8]) -> usize {
    let tail = &bytes[bytes.len().saturating_sub(3)..];
    let Some(lead_at) = tail.iter().rposition(|&b| b & 0xC0 != 0x80) else {
        return bytes.len();
    };
    let sequence_len = match tail[lead_at] {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0.. => 4,
        _ => 1,
    };
    if lead_at + sequence_len > tail.len() {
        bytes.len() - tail.len() + lead_at
    } else {
        bytes.len()
    }
}

/// Whether a UTF-8 decoder holds no part of a sequence. encoding_rs has no direct query for
/// this; its worst case for the output of no more input is three bytes plus one for each byte
/// it holds and one more, so exactly three when it holds nothing. The tests would notice if
/// that changed: they cut UTF-8 at every offset and compare with encoding_rs alone.
pub(super) fn is_between_utf8_sequences(decoder: &encoding_rs::Decoder) -> bool {
    decoder.max_utf8_buffer_length_without_replacement(0) == Some(3)
}

/// Appends to `out` a block of text a fast path decoded. The block must be whole UTF-8
/// sequences.
pub(super) fn append_utf8(out: &mut String, block: &[u8]) {
    debug_assert!(std::str::from_utf8(block).is_ok());
    // SAFETY: the fast paths only append blocks of whole UTF-8 sequences, each an ASCII byte,
    // the UTF-8 `char::encode_utf8` wrote into a pair table, or that of a UTF-16 unit outside
    // the surrogates (their tests compare every byte pair and every unit, and byte soup cut
    // at every offset, with encoding_rs). Validating the block instead, or pushing its
    // chars onto the String one by one, costs more than decoding it: this runs for the text
    // of every GBK, Big5 and UTF-16 file.
    unsafe { out.as_mut_vec() }.extend_from_slice(block);
}

#[cfg(test)]
mod tests;
