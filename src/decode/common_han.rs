//! The commonest Han characters, which tell a right decoding from a wrong one. A leaf: UTF-16
//! detection, the legacy guess and the pair tables all ask it.

use std::sync::LazyLock;

/// The most frequent Han characters of Chinese prose in both scripts, and those of the
/// administrative documents the archives are full of. Text decoded with the right one of
/// GBK and Big5 has 30–45% of its Han characters in this set; decoded with the wrong one (the
/// byte pairs of one are mostly valid in the other) it has under 1% (GBK read as Big5) or
/// under 10% (Big5 read as GBK).
const COMMON_HAN: &str = "的一是不了在人有我他这這个個们們中来來上大为為和国國地到以说說时時要就出\
会會可也你对對生能而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學\
如都同现現当當没沒动動面起看定天分还還进進好小部其些主样樣理心她本前开開但因只从從想实實日政府建设設工\
务務制度管关關区區市省县縣局员員议議";

/// The first code point of the block [`COMMON_HAN`] is drawn from (CJK Unified Ideographs).
const COMMON_HAN_FIRST: u32 = 0x4E00;
/// Bits per code point of U+4E00..=U+9FFF, set for the characters of [`COMMON_HAN`]: the test
/// runs for every Han character of every prefix detection decodes, so it is one bit lookup.
type CommonHanBits = [u64; (0xA000 - COMMON_HAN_FIRST as usize) / 64];

static COMMON_HAN_BITS: LazyLock<CommonHanBits> = LazyLock::new(|| {
    let mut bits = [0; (0xA000 - COMMON_HAN_FIRST as usize) / 64];
    for c in COMMON_HAN.chars() {
        let index = (c as u32)
            .checked_sub(COMMON_HAN_FIRST)
            .map(|index| index as usize)
            .filter(|&index| index < bits.len() * 64)
            .expect("COMMON_HAN holds CJK Unified Ideographs only");
        bits[index / 64] |= 1 << (index % 64);
    }
    bits
});

/// Whether `c` is one of [`COMMON_HAN`].
pub(crate) fn is_common_han(c: char) -> bool {
    let Some(index) = (c as u32).checked_sub(COMMON_HAN_FIRST) else {
        return false;
    };
    let index = index as usize;
    COMMON_HAN_BITS
        .get(index / 64)
        .is_some_and(|word| word & (1 << (index % 64)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_han_lookup_is_the_listed_set() {
        for c in COMMON_HAN.chars() {
            assert!(is_common_han(c), "{c} is listed");
        }
        // Han characters not listed, the edges of the block, and characters outside it.
        for c in [
            '瞪',
            '\u{4E00}',
            '\u{9FFF}',
            '\u{4DFF}',
            '\u{A000}',
            'a',
            '。',
            '\u{20000}',
        ] {
            assert_eq!(is_common_han(c), COMMON_HAN.contains(c), "{c:?}");
        }
        assert!(!is_common_han('瞪'));
    }
}
