//! Fast paths for the bulk of the text of the encodings archives are mostly in besides UTF-8:
//! GBK and Big5 (ASCII and two-byte characters, see [`super::pairs`]) and UTF-16 (units of the
//! Basic Multilingual Plane). encoding_rs spends some 30 instructions a byte on these, most of
//! it on the general case; the fast paths do the common case in a few, and leave everything
//! else to encoding_rs, starting only where its decoder holds no part of a sequence, so that
//! the text, the malformed sequences and their offsets are encoding_rs's.

use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE};

use super::pairs::{self, PairTable};
use super::utf8::append_utf8;

/// How a decoder's encoding is decoded where encoding_rs's decoder is between characters.
#[derive(Clone, Copy)]
pub(super) enum FastPath {
    /// Not at all: encoding_rs decodes everything (UTF-8 is decoded by encoding_rs at memory
    /// speed already; other encodings are rare).
    None,
    Pairs(&'static PairTable),
    Utf16 {
        big_endian: bool,
    },
}

impl FastPath {
    /// The fast path of `encoding`; for GBK and Big5 this builds the pair table on first use.
    pub(super) fn for_encoding(encoding: &'static Encoding) -> Self {
        if let Some(table) = pairs::table_for(encoding) {
            FastPath::Pairs(table)
        } else if encoding == UTF_16LE {
            FastPath::Utf16 { big_endian: false }
        } else if encoding == UTF_16BE {
            FastPath::Utf16 { big_endian: true }
        } else {
            FastPath::None
        }
    }

    /// Whether the fast path may take over from `decoder` now.
    fn can_start(self, decoder: &encoding_rs::Decoder) -> bool {
        match self {
            FastPath::None => false,
            FastPath::Pairs(_) => pairs::is_between_characters(decoder),
            FastPath::Utf16 { .. } => is_between_utf16_units(decoder),
        }
    }

    /// Decodes the longest start of `bytes` the fast path decodes, appending it to `out`;
    /// returns how many bytes that was. The decoder is still between characters after them.
    fn decode_run(self, bytes: &[u8], out: &mut String) -> usize {
        match self {
            FastPath::None => 0,
            FastPath::Pairs(table) => table.decode_run(bytes, out),
            FastPath::Utf16 { big_endian: false } => decode_utf16_run::<false>(bytes, out),
            FastPath::Utf16 { big_endian: true } => decode_utf16_run::<true>(bytes, out),
        }
    }
}

/// How many bytes encoding_rs is given at a time where the fast path stopped: enough for the
/// sequence it stopped at and a few more, so that the fast path soon takes over again.
pub(super) const SLOW_PATH_BYTES: usize = 16;

/// `decoder.decode_to_string_without_replacement(src, out, last)`, with room reserved, and the
/// same result (what was read, and the first malformed sequence), through `fast` (the fast
/// path of the decoder's encoding) wherever it decodes the bytes.
pub(super) fn decode_to_string_without_replacement(
    decoder: &mut encoding_rs::Decoder,
    fast: FastPath,
    src: &[u8],
    out: &mut String,
    last: bool,
) -> (DecoderResult, usize) {
    let mut read = 0;
    loop {
        if fast.can_start(decoder) {
            read += fast.decode_run(&src[read..], out);
        }
        let rest = &src[read..];
        let slow = if matches!(fast, FastPath::None) {
            rest.len()
        } else {
            rest.len().min(SLOW_PATH_BYTES)
        };
        let slow_is_rest = slow == rest.len();
        out.reserve(
            decoder
                .max_utf8_buffer_length_without_replacement(slow)
                .unwrap_or(slow.saturating_mul(3).saturating_add(16)),
        );
        let (result, slow_read) =
            decoder.decode_to_string_without_replacement(&rest[..slow], out, last && slow_is_rest);
        read += slow_read;
        match result {
            DecoderResult::InputEmpty if slow_is_rest => return (result, read),
            DecoderResult::InputEmpty | DecoderResult::OutputFull => {}
            DecoderResult::Malformed(..) => return (result, read),
        }
    }
}

/// Whether a UTF-16 decoder holds no byte of a unit, no surrogate, and no unit still to write
/// (after a surrogate that was not followed by its pair).
fn is_between_utf16_units(decoder: &encoding_rs::Decoder) -> bool {
    // encoding_rs has no direct query for this; its worst case for the output of no more input
    // counts what the decoder holds (each held byte or unit may still become a character),
    // and is its one spare byte exactly when it holds nothing. The tests would notice if that
    // changed: they cut UTF-16 at every offset and compare with encoding_rs alone.
    decoder.max_utf8_buffer_length_without_replacement(0) == Some(1)
}

/// Units decoded into a block on the stack before it is appended to the text (a power of
/// two, see [`decode_utf16_run`]).
const UTF16_BLOCK_UNITS: usize = 256;

/// Decodes the longest start of `bytes` made of whole UTF-16 units outside the surrogates
/// (the characters of the Basic Multilingual Plane, each one unit), appending it to `out`;
/// returns how many bytes that was. Surrogates (paired or not) and a byte cut at the end are
/// left to encoding_rs.
fn decode_utf16_run<const BIG_ENDIAN: bool>(bytes: &[u8], out: &mut String) -> usize {
    // A unit gives at most three bytes of UTF-8: the up to UTF16_BLOCK_UNITS - 1 units before
    // the last of a block give at most 3 * 255 bytes, less than the mask below, which makes
    // each write into the block one masked (and so unchecked) index.
    const MASK: usize = 4 * UTF16_BLOCK_UNITS - 1;
    let mut block = [0u8; 4 * UTF16_BLOCK_UNITS + 4];
    let mut read = 0;
    loop {
        let units = ((bytes.len() - read) / 2).min(UTF16_BLOCK_UNITS);
        let end = read + 2 * units;
        let mut written = 0;
        let mut stopped = units < UTF16_BLOCK_UNITS;
        while read < end {
            // Four units at a time while they are all three bytes long in UTF-8 (Han
            // characters, CJK punctuation: nearly all of a Chinese text).
            if end - read >= 8 {
                let four: [u8; 8] = bytes[read..read + 8].try_into().expect("8 bytes");
                if let Some(utf8) = utf8_of_four_three_byte_units::<BIG_ENDIAN>(four) {
                    for (k, bytes_of_unit) in utf8.into_iter().enumerate() {
                        let at = (written + 3 * k) & MASK;
                        block[at..at + 4].copy_from_slice(&bytes_of_unit.to_le_bytes());
                    }
                    written += 12;
                    read += 8;
                    continue;
                }
            }
            let pair = [bytes[read], bytes[read + 1]];
            let unit = if BIG_ENDIAN {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            };
            let Some((utf8, len)) = utf8_of_bmp_unit(unit) else {
                stopped = true;
                break;
            };
            let at = written & MASK;
            block[at..at + 4].copy_from_slice(&utf8.to_le_bytes());
            written += len;
            read += 2;
        }
        // Whole UTF-8 sequences only, each of a character (see `utf8_of_bmp_unit` and
        // `utf8_of_four_three_byte_units`).
        append_utf8(out, &block[..written]);
        if stopped {
            return read;
        }
    }
}

/// The UTF-8 of four UTF-16 units (eight bytes), each as `utf8_of_bmp_unit` gives it, when
/// each is three bytes long in UTF-8 (U+0800 and above, outside the surrogates); `None`
/// otherwise. The test of all four is a few operations on one word.
#[inline(always)]
fn utf8_of_four_three_byte_units<const BIG_ENDIAN: bool>(four: [u8; 8]) -> Option<[u32; 4]> {
    const LOW_BITS: u64 = 0x0001_0001_0001_0001;
    const HIGH_BITS: u64 = 0x8000_8000_8000_8000;
    // Whether some 16-bit lane of `v` is zero (exact: a borrow only starts at a zero lane).
    let has_zero_lane = |v: u64| v.wrapping_sub(LOW_BITS) & !v & HIGH_BITS != 0;
    let mut x = u64::from_le_bytes(four);
    if BIG_ENDIAN {
        x = (x & 0x00FF_00FF_00FF_00FF) << 8 | (x >> 8) & 0x00FF_00FF_00FF_00FF;
    }
    // The top five bits of each unit: zero below U+0800, 0xD800 for a surrogate.
    let top = x & 0xF800_F800_F800_F800;
    if has_zero_lane(top) || has_zero_lane(top ^ 0xD800_D800_D800_D800) {
        return None;
    }
    Some(std::array::from_fn(|k| {
        utf8_of_three_byte_unit((x >> (16 * k)) as u32 & 0xFFFF)
    }))
}

/// The UTF-8 of a unit from U+0800 up (first byte lowest), three bytes.
#[inline(always)]
fn utf8_of_three_byte_unit(unit: u32) -> u32 {
    0xE0 | (unit >> 12) | continuation_byte(unit >> 6) << 8 | continuation_byte(unit) << 16
}

/// A UTF-8 continuation byte holding the low six bits of `bits`.
#[inline(always)]
fn continuation_byte(bits: u32) -> u32 {
    0x80 | (bits & 0x3F)
}

/// The UTF-8 of the character a UTF-16 unit outside the surrogates is (first byte lowest,
/// zero-padded to four bytes), and its length; `None` for a surrogate. Written out rather than
/// by `char::encode_utf8`, which costs twice as much here.
fn utf8_of_bmp_unit(unit: u16) -> Option<(u32, usize)> {
    let unit = u32::from(unit);
    if unit < 0x80 {
        Some((unit, 1))
    } else if unit < 0x800 {
        Some((0xC0 | (unit >> 6) | continuation_byte(unit) << 8, 2))
    } else if unit & 0xF800 == 0xD800 {
        // U+D800..=U+DFFF.
        None
    } else {
        Some((utf8_of_three_byte_unit(unit), 3))
    }
}

#[cfg(test)]
mod tests;
