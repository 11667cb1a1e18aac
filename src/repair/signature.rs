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

use std::sync::LazyLock;

use super::codecs::{self, gbk_char};

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
}

impl Signs {
    pub(crate) fn any(self) -> bool {
        self.latin || self.gbk
    }
}

/// Scans a line's bytes for the signs of mojibake.
pub(crate) fn scan(line: &str) -> Signs {
    let mut signs = Signs::default();
    if line.is_ascii() {
        return signs;
    }
    let bytes = line.as_bytes();
    let bits: &HanBits = &SIGNS;
    // The previous character was one of U+0080–U+00FF.
    let mut after_latin = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            after_latin = false;
            i += 1;
        } else if b < 0xE0 {
            // Two in a row: a lone `·`, `°` or `é` between Chinese characters is no sign (a
            // wrong decoding makes two or three of each character it misreads). Windows-1252's
            // own characters count after one: ŒœŠšŸŽžƒˆ˜ start with 0xC5, 0xC6, 0xCB.
            let latin = b <= 0xC3;
            signs.latin |= after_latin && (latin || matches!(b, 0xC5 | 0xC6 | 0xCB));
            after_latin = latin;
            i += 2;
        } else if b < 0xF0 {
            // Windows-1252's characters of General Punctuation (‚„…†‡‰‹›€™–—‘’“”•) start with
            // 0xE2.
            signs.latin |= after_latin && b == 0xE2;
            after_latin = false;
            if (0xE4..=0xE9).contains(&b) && !signs.gbk {
                // The text is valid UTF-8: a lead byte 0xE4–0xE9 has two continuation bytes.
                let cp = (u32::from(b & 0x0F) << 12)
                    | (u32::from(bytes[i + 1] & 0x3F) << 6)
                    | u32::from(bytes[i + 2] & 0x3F);
                // Below U+4E00 (0xE4 starts at U+4000) the index wraps round, past the table.
                let index = cp.wrapping_sub(HAN_FIRST) as usize;
                signs.gbk = bits
                    .get(index / 64)
                    .is_some_and(|word| word & (1 << (index % 64)) != 0)
                    && continues_a_sign(&line[i + 3..]);
            } else if b == 0xEF && bytes[i + 1] == 0xBF && bytes[i + 2] == 0xBD {
                signs.gbk = true;
            }
            i += 3;
        } else {
            after_latin = false;
            i += 4;
        }
        if signs.latin && signs.gbk {
            break;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_chinese_has_no_sign() {
        for line in [
            "中华人民共和国国务院关于2021年工作的通知，现将有关事项通知如下：",
            "這是繁體中文的句子，香港特別行政區政府。",
            "日本語のテキストです。한국어 텍스트입니다.",
            "㐀䶵 before U+4E00, and U+9FFF 鿿",
            "plain ASCII, code: fn main() { println!(\"hi\"); } https://example.com/a?b=c",
        ] {
            assert_eq!(scan(line), Signs::default(), "{line}");
        }
    }

    #[test]
    fn mojibake_has_signs() {
        let utf8_as_gbk = encoding_rs::GBK
            .decode_without_bom_handling("中国人民".as_bytes())
            .0;
        assert!(scan(&utf8_as_gbk).gbk, "{utf8_as_gbk}");
        assert!(scan("ÖÐ¹ú").latin);
        assert!(!scan("马克思·韦伯，温度25°C").latin);
        assert!(scan("ä¸­æ–‡").latin);
        assert!(scan("a\u{FFFD}b").gbk);
        // Two Latin-1 characters in a row are a sign, legitimate or not (the full test then
        // leaves legitimate ones alone).
        assert!(scan("ÆØÅ, Ã©tÃ©").latin);
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
}
