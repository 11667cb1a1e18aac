//! A search for byte pairs whose cost does not grow with the number of pairs: each byte's
//! class is looked up by its two nibbles (two table lookups, sixteen entries each, thirty-two
//! bytes at a time with AVX2's byte shuffle), and a position starts a pair when its byte's
//! classes and the next byte's share a bit.
//!
//! [`super::visit_byte_pairs`] compares every block with each pair's ranges in turn, which
//! costs a few instructions per pair and block: right for one to four pairs, not for repair's
//! cheap scan, which every line of clean text pays (twice: the pipeline's fixed point) and
//! which looks for seven. Here the pairs are written as products of nibble sets, one bit each
//! (at most eight), so a set of pairs costs the same two lookups per byte whatever it holds.
//!
//! Written here because no crate searches pairs of byte *ranges*: `memchr` looks for up to three
//! single bytes, and `aho-corasick`'s packed searcher for literals, which these pairs' ranges
//! would expand to some forty of.

use std::ops::ControlFlow;

/// One class of pairs: a lead byte whose high nibble is in `lead_high` and low nibble in
/// `lead_low` (bit n of each set: nibble n), followed by a byte whose nibbles are in
/// `next_high` and `next_low`.
#[derive(Clone, Copy, Debug)]
pub struct NibbleProduct {
    pub lead_high: u16,
    pub lead_low: u16,
    pub next_high: u16,
    pub next_low: u16,
}

impl NibbleProduct {
    /// The lead byte `lead`, then a byte from `first` to `last`, two bytes of one row of
    /// sixteen (the same high nibble): the shape most pairs have.
    pub const fn pair(lead: u8, first: u8, last: u8) -> Self {
        assert!(first >> 4 == last >> 4 && first <= last);
        Self {
            lead_high: 1 << (lead >> 4),
            lead_low: 1 << (lead & 0xF),
            next_high: 1 << (first >> 4),
            next_low: nibble_range(first & 0xF, last & 0xF),
        }
    }
}

/// Every nibble.
pub const ANY_NIBBLE: u16 = 0xFFFF;

/// The high nibbles of a UTF-8 continuation byte (0x80–0xBF): what follows a multi-byte lead
/// byte in valid UTF-8. A class that takes any byte after its lead names these, so that the
/// zero that pads the end of a line follows no lead.
pub const CONTINUATION_HIGH: u16 = 0x0F00;

/// The nibbles `first` to `last`, as a set.
pub const fn nibble_range(first: u8, last: u8) -> u16 {
    let mut set = 0;
    let mut n = first;
    while n <= last {
        set |= 1 << n;
        n += 1;
    }
    set
}

/// A set of byte pairs, up to eight [`NibbleProduct`]s: for each nibble of a lead and of a
/// next byte, the classes (bits) that allow it.
#[derive(Clone, Copy, Debug)]
pub struct NibblePairs {
    lead_low: [u8; 16],
    lead_high: [u8; 16],
    next_low: [u8; 16],
    next_high: [u8; 16],
}

impl NibblePairs {
    /// The pairs of `products`, each product a bit of its own: a product's bit is set in the
    /// tables of exactly its nibbles, so a pair matches only through a product that holds both
    /// its lead and its next byte.
    pub const fn new(products: &[NibbleProduct]) -> Self {
        assert!(
            products.len() <= 8,
            "a byte of classes holds eight products"
        );
        let mut pairs = NibblePairs {
            lead_low: [0; 16],
            lead_high: [0; 16],
            next_low: [0; 16],
            next_high: [0; 16],
        };
        let mut i = 0;
        while i < products.len() {
            let p = products[i];
            let bit = 1u8 << i;
            let mut n = 0;
            while n < 16 {
                if p.lead_low & (1 << n) != 0 {
                    pairs.lead_low[n] |= bit;
                }
                if p.lead_high & (1 << n) != 0 {
                    pairs.lead_high[n] |= bit;
                }
                if p.next_low & (1 << n) != 0 {
                    pairs.next_low[n] |= bit;
                }
                if p.next_high & (1 << n) != 0 {
                    pairs.next_high[n] |= bit;
                }
                n += 1;
            }
            i += 1;
        }
        pairs
    }

    /// Is `lead` followed by `next` one of the pairs?
    pub fn contains(&self, lead: u8, next: u8) -> bool {
        let (lead_low, lead_high) = (usize::from(lead & 0x0F), usize::from(lead >> 4));
        let (next_low, next_high) = (usize::from(next & 0x0F), usize::from(next >> 4));
        self.lead_low[lead_low]
            & self.lead_high[lead_high]
            & self.next_low[next_low]
            & self.next_high[next_high]
            != 0
    }
}

/// Calls `visit` with each position of `bytes` where one of `pairs` starts, in order, until it
/// breaks; the last byte is followed by a zero. As [`super::visit_byte_pairs`] does, with the
/// same answers for the same set of pairs.
#[inline(always)]
pub fn visit_nibble_pairs(
    bytes: &[u8],
    pairs: &NibblePairs,
    mut visit: impl FnMut(usize) -> ControlFlow<()>,
) -> ControlFlow<()> {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2 (just asked).
        return unsafe { visit_nibble_pairs_avx2(bytes, pairs, &mut visit) };
    }
    visit_nibble_pairs_bytewise(bytes, pairs, visit)
}

/// [`visit_nibble_pairs`] a byte at a time: SSE2, the x86_64 baseline, has no byte shuffle.
fn visit_nibble_pairs_bytewise(
    bytes: &[u8],
    pairs: &NibblePairs,
    mut visit: impl FnMut(usize) -> ControlFlow<()>,
) -> ControlFlow<()> {
    for (at, &lead) in bytes.iter().enumerate() {
        let next = bytes.get(at + 1).copied().unwrap_or(0);
        if pairs.contains(lead, next) {
            visit(at)?;
        }
    }
    ControlFlow::Continue(())
}

/// [`visit_nibble_pairs`] with AVX2: sixty-four positions a step, the last read in place (a
/// line of 33 bytes or more), or a line of up to 32 as one block built in registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn visit_nibble_pairs_avx2(
    bytes: &[u8],
    pairs: &NibblePairs,
    visit: &mut impl FnMut(usize) -> ControlFlow<()>,
) -> ControlFlow<()> {
    use std::arch::x86_64::{
        __m256i, _mm256_alignr_epi8, _mm256_and_si256, _mm256_broadcastsi128_si256,
        _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
        _mm256_permute2x128_si256, _mm256_set1_epi8, _mm256_set_epi64x, _mm256_setzero_si256,
        _mm256_shuffle_epi8, _mm256_srli_epi16, _mm256_testz_si256, _mm_loadu_si128,
    };
    const WIDE: usize = 32;
    const STEP: usize = 2 * WIDE;
    // The byte shuffle looks up within each 128-bit half: the table in both.
    // SAFETY: each table is 16 bytes, which the load reads; no alignment needed.
    let table =
        |t: &[u8; 16]| _mm256_broadcastsi128_si256(unsafe { _mm_loadu_si128(t.as_ptr().cast()) });
    let (lead_low, lead_high) = (table(&pairs.lead_low), table(&pairs.lead_high));
    let (next_low, next_high) = (table(&pairs.next_low), table(&pairs.next_high));
    let low_nibble = _mm256_set1_epi8(0x0F);
    // Each byte's classes: the bits its two nibbles both allow. The nibbles are 0–15, so the
    // shuffle's "high bit gives zero" never applies.
    let classes = |v: __m256i, low: __m256i, high: __m256i| {
        let lows = _mm256_and_si256(v, low_nibble);
        let highs = _mm256_and_si256(_mm256_srli_epi16(v, 4), low_nibble);
        _mm256_and_si256(
            _mm256_shuffle_epi8(low, lows),
            _mm256_shuffle_epi8(high, highs),
        )
    };
    // The classes shared by each byte of `leads` and the byte of `nexts` at its position.
    let found_in = |leads: __m256i, nexts: __m256i| {
        _mm256_and_si256(
            classes(leads, lead_low, lead_high),
            classes(nexts, next_low, next_high),
        )
    };
    // The classes shared by the byte at each position of `block[..WIDE]` and the byte after.
    let found_at = |block: &[u8]| {
        let block = &block[..=WIDE];
        // SAFETY: both loads read 32 bytes inside `block`, which has 33; no alignment needed.
        let (leads, nexts) = unsafe {
            (
                _mm256_loadu_si256(block.as_ptr().cast()),
                _mm256_loadu_si256(block[1..].as_ptr().cast()),
            )
        };
        found_in(leads, nexts)
    };
    let zero = _mm256_setzero_si256();
    // Bit k: position k of the 64 starts a pair.
    let positions = |low: __m256i, high: __m256i| {
        let empty_low = _mm256_movemask_epi8(_mm256_cmpeq_epi8(low, zero)) as u32;
        let empty_high = _mm256_movemask_epi8(_mm256_cmpeq_epi8(high, zero)) as u32;
        !(u64::from(empty_low) | u64::from(empty_high) << WIDE)
    };
    let mut start = 0;
    // Two blocks a step, tested together: nearly every step finds nothing.
    while start + STEP < bytes.len() {
        let (low, high) = (found_at(&bytes[start..]), found_at(&bytes[start + WIDE..]));
        let either = _mm256_or_si256(low, high);
        if _mm256_testz_si256(either, either) == 0 {
            visit_bits(positions(low, high), start, visit)?;
        }
        start += STEP;
    }
    // One to sixty-four bytes are left (none in an empty line).
    if start == bytes.len() {
        return ControlFlow::Continue(());
    }
    if bytes.len() > STEP {
        // A line longer than a step: the last step's positions but the last byte are read in
        // place, a step that ends at the last byte (the next byte of the position before it),
        // the positions before `start` (visited already) shifted out; the last byte, followed by
        // the end, alone. A copy of the rest into a padded step cost more than the step, on
        // every line.
        let window = bytes.len() - STEP - 1;
        let visited = start - window;
        let mask = positions(
            found_at(&bytes[window..]),
            found_at(&bytes[window + WIDE..]),
        );
        visit_bits(mask.checked_shr(visited as u32).unwrap_or(0), start, visit)?;
        return visit_last(bytes, pairs, visit);
    }
    if bytes.len() > WIDE {
        // A line of 33 to 64 bytes, read in place as well: its first block (positions 0–31),
        // and the block whose positions end before the last byte (the byte after them read too),
        // the positions it shares with the first shifted out; the last byte alone. A copy into
        // a step padded with zeros (a call to fill it and one to copy, then loads the stores
        // before them cannot forward) cost more than the rest of the scan of such a line.
        let window = bytes.len() - WIDE - 1;
        let mask = positions(found_at(bytes), found_at(&bytes[window..]));
        visit_bits(mask & u64::from(u32::MAX), 0, visit)?;
        // Bit k of the second block is position `window + k`: those from 32 on are new.
        visit_bits((mask >> WIDE) >> (WIDE - window), WIDE, visit)?;
        return visit_last(bytes, pairs, visit);
    }
    // A short line (1 to 32 bytes): one block, built in registers from the line's words, zeros
    // past its end (a copy into a block padded with zeros was stored bytes that the block's
    // load could not take from the stores: it waited for them, on every short line); the
    // next bytes are the block moved down by one byte. The positions past the end start no
    // pair: the zeros after the line's last byte are in no class of a lead.
    let [w0, w1, w2, w3] = short_words(bytes).map(|w| w as i64);
    let leads = _mm256_set_epi64x(w3, w2, w1, w0);
    // The upper half moved down, then each half's bytes one down with the next half's first.
    let upper_half = _mm256_permute2x128_si256::<0x81>(leads, leads);
    let nexts = _mm256_alignr_epi8::<1>(upper_half, leads);
    let mask = positions(found_in(leads, nexts), zero) & ((1u64 << bytes.len()) - 1);
    visit_bits(mask, 0, visit)
}

/// Calls `visit` with `offset` plus the position of each bit set in `mask`, lowest first.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn visit_bits(
    mut mask: u64,
    offset: usize,
    visit: &mut impl FnMut(usize) -> ControlFlow<()>,
) -> ControlFlow<()> {
    while mask != 0 {
        visit(offset + mask.trailing_zeros() as usize)?;
        mask &= mask - 1;
    }
    ControlFlow::Continue(())
}

/// Calls `visit` with the last position of `bytes` when a pair starts there (the byte after it
/// a zero), which the blocks of [`visit_nibble_pairs_avx2`] do not hold.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn visit_last(
    bytes: &[u8],
    pairs: &NibblePairs,
    visit: &mut impl FnMut(usize) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let last = bytes.len() - 1;
    if pairs.contains(bytes[last], 0) {
        visit(last)?;
    }
    ControlFlow::Continue(())
}

/// The bytes of a short line (1 to 32 bytes) as four little-endian words, zeros past its end:
/// each read whole from the line (the last bytes by a word that ends at the line's end, moved
/// down past the bytes before them), none stored and read back.
#[inline(always)]
fn short_words(bytes: &[u8]) -> [u64; 4] {
    let len = bytes.len();
    debug_assert!((1..=32).contains(&len));
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    if len < 8 {
        let low = if len >= 4 {
            // Two reads of four bytes, which overlap: the same bytes at the same places.
            let four = |at: usize| {
                u64::from(u32::from_le_bytes(
                    bytes[at..at + 4].try_into().unwrap_or_default(),
                ))
            };
            four(0) | four(len - 4) << (8 * (len - 4))
        } else {
            bytes
                .iter()
                .enumerate()
                .fold(0, |w, (i, &b)| w | u64::from(b) << (8 * i))
        };
        return [low, 0, 0, 0];
    }
    // The word that ends at the last byte: the part of a word past the last whole one.
    let last = word(len - 8);
    let word_of = |k: usize| {
        let start = 8 * k;
        if start + 8 <= len {
            word(start)
        } else if start < len {
            last >> (8 * (start + 8 - len))
        } else {
            0
        }
    };
    [word_of(0), word_of(1), word_of(2), word_of(3)]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOME: NibblePairs = NibblePairs::new(&[
        // C3 and any continuation byte.
        NibbleProduct {
            lead_high: 1 << 0xC,
            lead_low: 1 << 0x3,
            next_high: CONTINUATION_HIGH,
            next_low: ANY_NIBBLE,
        },
        // EF BF.
        NibbleProduct {
            lead_high: 1 << 0xE,
            lead_low: 1 << 0xF,
            next_high: 1 << 0xB,
            next_low: 1 << 0xF,
        },
        // E2 94–95.
        NibbleProduct {
            lead_high: 1 << 0xE,
            lead_low: 1 << 0x2,
            next_high: 1 << 0x9,
            next_low: 0b11 << 0x4,
        },
        // F5 and any byte, the end of the line too.
        NibbleProduct {
            lead_high: 1 << 0xF,
            lead_low: 1 << 0x5,
            next_high: ANY_NIBBLE,
            next_low: ANY_NIBBLE,
        },
    ]);

    fn expected(lead: u8, next: u8) -> bool {
        matches!(
            (lead, next),
            (0xC3, 0x80..=0xBF) | (0xEF, 0xBF) | (0xE2, 0x94..=0x95) | (0xF5, _)
        )
    }

    #[test]
    fn a_product_holds_its_pairs_and_no_other() {
        for lead in 0..=255u8 {
            for next in 0..=255u8 {
                assert_eq!(
                    SOME.contains(lead, next),
                    expected(lead, next),
                    "{lead:02X} {next:02X}"
                );
            }
        }
    }

    fn visited(bytes: &[u8], bytewise: bool) -> Vec<usize> {
        let mut found = Vec::new();
        let visit = |at| {
            found.push(at);
            ControlFlow::Continue(())
        };
        let _ = if bytewise {
            visit_nibble_pairs_bytewise(bytes, &SOME, visit)
        } else {
            visit_nibble_pairs(bytes, &SOME, visit)
        };
        found
    }

    /// A short line's words hold its bytes, then zeros.
    #[test]
    fn short_words_hold_the_bytes_then_zeros() {
        for len in 1..=32usize {
            let bytes: Vec<u8> = (0..len).map(|i| 0x80 | i as u8).collect();
            let mut padded = [0u8; 32];
            padded[..len].copy_from_slice(&bytes);
            let expected: Vec<u64> = padded
                .chunks(8)
                .map(|w| u64::from_le_bytes(w.try_into().unwrap()))
                .collect();
            assert_eq!(short_words(&bytes).to_vec(), expected, "{len}");
        }
    }

    #[test]
    fn every_pair_is_found_at_every_position() {
        // Lines of every length around the blocks' and steps' edges, a pair at each position,
        // among bytes that start no pair (and a lead with the wrong byte after it).
        for len in 0..200usize {
            for at in 0..len.saturating_sub(1) {
                let mut bytes = vec![b'a'; len];
                bytes.iter_mut().step_by(7).for_each(|b| *b = 0xE2);
                bytes[at] = 0xEF;
                bytes[at + 1] = 0xBF;
                let want = |bytes: &[u8]| -> Vec<usize> {
                    (0..len)
                        .filter(|&i| expected(bytes[i], bytes.get(i + 1).copied().unwrap_or(0)))
                        .collect()
                };
                assert_eq!(visited(&bytes, false), want(&bytes), "{len} {at}");
                assert_eq!(visited(&bytes, true), want(&bytes), "{len} {at}");
                // And a pair at the end, the last byte followed by nothing.
                bytes[len - 1] = 0xF5;
                assert_eq!(
                    visited(&bytes, false),
                    want(&bytes),
                    "{len} {at} at the end"
                );
                assert_eq!(visited(&bytes, true), want(&bytes), "{len} {at} at the end");
            }
        }
        // A lead as the last byte is followed by the padding's zero, which no class holds.
        assert_eq!(visited(&[b'a', 0xC3], false), Vec::<usize>::new());
        assert_eq!(visited(&[0xC3, 0xA9], false), vec![0]);
    }
}
