//! Hand-written UTF-8 helpers for the loops that decode every character of a text (those of
//! the conversion): decoding one character, finding one, and counting the characters two texts
//! differ by. Each works on the bytes of a valid `str` and takes positions that are character
//! boundaries.
//!
//! A leaf: nothing here knows about tables or scripts.

/// Decodes the character starting at `bytes[i]` (a char boundary of a valid `str`): its code
/// point and byte length. By hand, because this is the innermost loop.
///
/// The bytes are added, shifted, and the tag bits of all of them taken off at once by one
/// subtraction: in valid UTF-8 they are always the same (`1110`, `10`, `10` for three bytes),
/// so masking each byte apart is not needed; a Han character costs a few instructions fewer,
/// in loops that decode every character of a text. The one mask left on the result of two
/// and three bytes changes nothing in valid UTF-8, but tells the compiler the code point is
/// in the Basic Multilingual Plane, so that the table lookups that follow need no test of
/// it. (`wrapping_sub`: on bytes that are not valid UTF-8, which no caller passes, the result
/// is only wrong, not a panic.)
#[inline(always)]
pub(crate) fn decode(bytes: &[u8], i: usize) -> (u32, usize) {
    let b = bytes[i];
    if b < 0x80 {
        (b as u32, 1)
    } else if (0xE0..0xF0).contains(&b) {
        // Three bytes: every Han character of the BMP. One bounds check for all three.
        let s = &bytes[i..i + 3];
        let sum = ((s[0] as u32) << 12) + ((s[1] as u32) << 6) + s[2] as u32;
        (
            sum.wrapping_sub((0xE0 << 12) + (0x80 << 6) + 0x80) & 0xFFFF,
            3,
        )
    } else if b < 0xE0 {
        let s = &bytes[i..i + 2];
        let sum = ((s[0] as u32) << 6) + s[1] as u32;
        (sum.wrapping_sub((0xC0 << 6) + 0x80) & 0x7FF, 2)
    } else {
        let s = &bytes[i..i + 4];
        let sum =
            ((s[0] as u32) << 18) + ((s[1] as u32) << 12) + ((s[2] as u32) << 6) + s[3] as u32;
        (
            sum.wrapping_sub((0xF0 << 18) + (0x80 << 12) + (0x80 << 6) + 0x80),
            4,
        )
    }
}

/// The position of the first character of `text[from..to]` (whole characters) for which
/// `found(position, code, length)` holds.
#[inline(always)]
pub(crate) fn find_char(
    text: &str,
    from: usize,
    to: usize,
    mut found: impl FnMut(usize, u32, usize) -> bool,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < to {
        let (code, len) = decode(bytes, i);
        if found(i, code, len) {
            return Some(i);
        }
        i += len;
    }
    None
}

/// How many characters differ between `old` and `new`, position by position, plus the
/// difference in length: the measure of change the `clean` report gives.
pub(crate) fn changed_chars(old: &str, new: &str) -> u64 {
    // Fast path for the usual case, texts of the same byte length whose characters line up
    // (every Han character is three bytes in either script): compare character by character
    // without decoding.
    let (a, b) = (old.as_bytes(), new.as_bytes());
    if a.len() == b.len() {
        let mut count = 0;
        let mut i = 0;
        while i < a.len() {
            // Most characters are unchanged: skip eight equal bytes at once, then back up over
            // continuation bytes to the start of the character the skip may have stopped in
            // (equal bytes, so the character boundaries are the same in both).
            if a.len() - i >= 8 && a[i..i + 8] == b[i..i + 8] {
                i += 8;
                while i < a.len() && a[i] & 0xC0 == 0x80 {
                    i -= 1;
                }
                continue;
            }
            let len = utf8_len(a[i]);
            if len != utf8_len(b[i]) {
                return changed_chars_decoded(old, new);
            }
            count += u64::from(!same_char(&a[i..], &b[i..], len));
            i += len;
        }
        return count;
    }
    changed_chars_decoded(old, new)
}

/// Whether the `len`-byte characters at the start of `a` and `b` are the same. By fixed-size
/// comparisons: a slice comparison of run-time length is a `memcmp` call per character.
#[inline(always)]
fn same_char(a: &[u8], b: &[u8], len: usize) -> bool {
    match len {
        1 => a[0] == b[0],
        2 => a[..2] == b[..2],
        3 => a[..3] == b[..3],
        _ => a[..4] == b[..4],
    }
}

/// The byte length of the UTF-8 character that starts with byte `b` (`b` is a lead byte).
#[inline(always)]
pub(crate) fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

fn changed_chars_decoded(old: &str, new: &str) -> u64 {
    let differing = old.chars().zip(new.chars()).filter(|(a, b)| a != b).count();
    let length_change = old.chars().count().abs_diff(new.chars().count());
    (differing + length_change) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decoding gives every character back, after a character of each length and as the
    /// last of the text: the subtraction that takes the tag bits off is right for every
    /// scalar value.
    #[test]
    fn decode_gives_every_character_back() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for before in ["", "a", "é", "中", "𠀀"] {
                let text = format!("{before}{c}");
                let at = before.len();
                assert_eq!(
                    decode(text.as_bytes(), at),
                    (c as u32, c.len_utf8()),
                    "U+{:04X} after {before:?}",
                    c as u32
                );
            }
        }
    }

    /// The byte-level count agrees with the plain character-by-character one, wherever the
    /// changes fall relative to the eight-byte skips, and with characters of every length.
    #[test]
    fn changed_chars_agrees_with_the_decoded_count() {
        let pairs = [
            ("", ""),
            ("國家", "国家"),
            (
                "這是一個很長的句子，沒有任何改變的部分在這裡。",
                "这是一个很长的句子，没有任何改变的部分在这里。",
            ),
            ("一二三四五六七八九十國", "一二三四五六七八九十国"),
            ("abcdefgh國ijklmnop", "abcdefgh国ijklmnop"),
            ("abcdefghijklmnop", "abcdefghijklmnoq"),
            ("ab中文字éü𠀀x國", "ab中文字éü𠀀x国"),
            ("ab中文字éü𠀀x國", "ab中文字éü𠀁x國"),
            ("ab中文字éü𠀀x國", "ab中文字eeü𠀀x國"),
            ("中文中文中文中文", "中文中文中文中文"),
            ("中文中文中文中文", "中文中文中文中文字"),
            ("𠀀𠀀𠀀𠀀", "𠀀𠀀𠀀𠀁"),
        ];
        for (old, new) in pairs {
            assert_eq!(
                changed_chars(old, new),
                changed_chars_decoded(old, new),
                "{old} / {new}"
            );
        }
        assert_eq!(
            changed_chars("一二三四五六七八九十國", "一二三四五六七八九十国"),
            1
        );
        assert_eq!(changed_chars("中文中文中文中文", "中文中文中文中文"), 0);
    }
}
