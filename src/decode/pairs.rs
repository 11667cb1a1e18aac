//! A fast path for the bulk of GBK and Big5 text: ASCII and two-byte characters.
//!
//! encoding_rs decodes these at some 30 instructions a byte, most of it spent on the general
//! case (GB18030 four-byte sequences, pending state, bounds of its output buffer). A lookup
//! table from each byte pair to the character encoding_rs decodes it to does the common case
//! in a few. The table is encoding_rs's mapping by construction: every pair is decoded by
//! encoding_rs once, when the first file of the encoding is met, and only pairs it decodes to
//! exactly one character, leaving the decoder as it found it, are kept. Everything else
//! (malformed bytes, four-byte sequences, GB18030's one-byte 0x80, the Big5 pairs that decode
//! to two characters, a pair cut at the end of the input) is left to encoding_rs, which the
//! caller hands the bytes this path stops at.

use std::sync::OnceLock;

use encoding_rs::{DecoderResult, Encoding, BIG5, GB18030, GBK};

use super::common_han::is_common_han;
use super::utf8::append_utf8;

/// Table slots: one per (lead, trail) with a lead of 0x80–0xFF, so that any non-ASCII lead and
/// any trail index it without a range check.
const SLOTS: usize = 128 * 256;

/// What encoding_rs decodes each byte pair of one encoding to.
pub(super) struct PairTable {
    /// Indexed by [`slot`]: 0 for a pair left to encoding_rs; else the UTF-8 of the pair's
    /// character in bits 0–31 (first byte lowest, zero-padded), its length in bits 32–39,
    /// and in bits 40–47 the character as detection counts it (`HanSample`) ([`HAN`],
    /// [`COMMON_HAN`]), for detection, which counts characters without writing them. One
    /// load gives the decoder all it needs.
    entries: Box<[u64; SLOTS]>,
}

/// [`PairTable::entries`]: the character is a Han character.
pub(super) const HAN: u8 = 1;
/// [`PairTable::entries`]: the character is one of the commonest Han characters (`COMMON_HAN`).
pub(super) const COMMON_HAN: u8 = 2;

/// How much input [`PairTable::decode_run`] decodes into a block on the stack before it appends
/// the block to the text (a power of two, see there).
const BLOCK_BYTES: usize = 512;

fn slot(lead: u8, trail: u8) -> usize {
    (usize::from(lead & 0x7F) << 8) | usize::from(trail)
}

/// The UTF-8 of a [`PairTable::entries`] entry, zero-padded to four bytes.
fn entry_utf8(entry: u64) -> [u8; 4] {
    (entry as u32).to_le_bytes()
}

/// The length of the UTF-8 of a [`PairTable::entries`] entry.
fn entry_len(entry: u64) -> usize {
    usize::from((entry >> 32) as u8)
}

/// The [`HAN`] and [`COMMON_HAN`] flags of a [`PairTable::entries`] entry.
fn entry_han(entry: u64) -> u8 {
    (entry >> 40) as u8
}

static GB18030_PAIRS: OnceLock<PairTable> = OnceLock::new();
static BIG5_PAIRS: OnceLock<PairTable> = OnceLock::new();

/// The pair table of `encoding`, built on first use, or `None` for encodings without one.
/// GBK shares GB18030's: encoding_rs decodes both with the same decoder.
pub(super) fn table_for(encoding: &'static Encoding) -> Option<&'static PairTable> {
    if encoding == GB18030 || encoding == GBK {
        Some(GB18030_PAIRS.get_or_init(|| PairTable::build(GB18030)))
    } else if encoding == BIG5 {
        Some(BIG5_PAIRS.get_or_init(|| PairTable::build(BIG5)))
    } else {
        None
    }
}

/// Whether `decoder` holds no part of a sequence: the only state the fast path may start in,
/// since its table maps pairs read from that state.
pub(super) fn is_between_characters(decoder: &encoding_rs::Decoder) -> bool {
    // encoding_rs answers `None` for a decoder in the middle of a sequence (and for encodings
    // that are not ASCII-compatible, which have no table).
    decoder.latin1_byte_compatible_up_to(&[]).is_some()
}

impl PairTable {
    fn build(encoding: &'static Encoding) -> Self {
        let mut entries: Box<[u64; SLOTS]> = vec![0; SLOTS]
            .into_boxed_slice()
            .try_into()
            .expect("SLOTS entries");
        let mut out = [0u8; 8];
        for lead in 0x81..=0xFE_u8 {
            for trail in (0x40..=0xFE_u8).filter(|&trail| trail != 0x7F) {
                let mut decoder = encoding.new_decoder_without_bom_handling();
                let (result, read, written) =
                    decoder.decode_to_utf8_without_replacement(&[lead, trail], &mut out, false);
                if !matches!(result, DecoderResult::InputEmpty)
                    || read != 2
                    || !is_between_characters(&decoder)
                {
                    continue;
                }
                let Ok(text) = std::str::from_utf8(&out[..written]) else {
                    continue;
                };
                let mut decoded = text.chars();
                let (Some(c), None) = (decoded.next(), decoded.next()) else {
                    // Nothing, or two characters (Big5's Ê̄ and the like).
                    continue;
                };
                if c == '\0' {
                    continue;
                }
                let mut utf8 = [0u8; 4];
                let len = c.encode_utf8(&mut utf8).len();
                let han = match (crate::text::is_han(c), is_common_han(c)) {
                    (true, true) => HAN | COMMON_HAN,
                    (true, false) => HAN,
                    (false, _) => 0,
                };
                entries[slot(lead, trail)] =
                    u64::from(u32::from_le_bytes(utf8)) | (len as u64) << 32 | u64::from(han) << 40;
            }
        }
        PairTable { entries }
    }

    /// Decodes the longest start of `bytes` made of ASCII and pairs of the table, appending it
    /// to `out`, and returns how many bytes that was. The decoder this stands in for must be
    /// [between characters](is_between_characters); it still is after these bytes.
    pub(super) fn decode_run(&self, bytes: &[u8], out: &mut String) -> usize {
        // Two bytes give at most one character of four bytes, and a pair's entry is stored
        // whole (four bytes) before the padding is dropped: the text of the up to
        // BLOCK_BYTES - 1 bytes read before the last character of a block, and that one
        // stored whole, fit. That bound is also what lets each store below be one masked
        // (and so unchecked) index.
        let mut block = [0u8; 2 * BLOCK_BYTES + 4];
        let mut read = 0;
        loop {
            let block_end = bytes.len().min(read + BLOCK_BYTES);
            let mut written = 0;
            let mut stopped = read == block_end;
            while read < block_end {
                let at = written & (2 * BLOCK_BYTES - 1);
                let byte = bytes[read];
                if byte.is_ascii() {
                    block[at] = byte;
                    written += 1;
                    read += 1;
                    continue;
                }
                let entry = match bytes.get(read + 1) {
                    Some(&trail) => self.entries[slot(byte, trail)],
                    None => 0,
                };
                if entry == 0 {
                    stopped = true;
                    break;
                }
                block[at..at + 4].copy_from_slice(&entry_utf8(entry));
                written += entry_len(entry);
                read += 2;
            }
            // Whole UTF-8 sequences only: ASCII bytes, and the UTF-8 of chars, which
            // `char::encode_utf8` wrote into the table.
            append_utf8(out, &block[..written]);
            if stopped {
                return read;
            }
        }
    }

    /// Like [`decode_run`](Self::decode_run), without writing the text: calls `on_pair` with
    /// the [`HAN`] and [`COMMON_HAN`] flags of each pair's character instead (ASCII is
    /// skipped, it is no Han character).
    pub(super) fn scan_run(&self, bytes: &[u8], mut on_pair: impl FnMut(u8)) -> usize {
        let mut read = 0;
        while let Some(&byte) = bytes.get(read) {
            if byte.is_ascii() {
                read += 1;
                continue;
            }
            let Some(&trail) = bytes.get(read + 1) else {
                break;
            };
            let slot = slot(byte, trail);
            let entry = self.entries[slot];
            if entry == 0 {
                break;
            }
            on_pair(entry_han(entry));
            read += 2;
        }
        read
    }
}

#[cfg(test)]
mod tests;
