//! Character classes shared by the stages. Kept in one place so that every stage agrees on what
//! "Chinese", "full-width punctuation" or "a safe place to cut" means.

use std::ops::ControlFlow;

pub mod language;
pub(crate) mod nibble_pairs;
pub(crate) mod utf8;

/// Two ASCII words meet where reflow joins two lines: it puts a space between them (and
/// nothing anywhere else). Here, not in reflow, because strip's doubled-first-line rule must
/// see a title set over lines joined exactly as reflow will join it.
pub fn join_needs_space(before: Option<char>, after: Option<char>) -> bool {
    let word_end = |c: char| {
        c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | '%')
    };
    let word_start = |c: char| c.is_ascii_alphanumeric() || c == '(';
    before.is_some_and(word_end) && after.is_some_and(word_start) && !before.is_some_and(is_han)
}

/// A Han ideograph (CJK Unified Ideographs, extensions A–I, compatibility ideographs) or 〇.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EE5F
        | 0x30000..=0x323AF
        | 0x2F800..=0x2FA1F)
}

/// A Chinese numeral as list markers and headings write them: 一二三四五六七八九十百零〇.
pub fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '零' | '〇'
    )
}

/// The UTF-8 lead bytes of U+4000–U+9FFF: Han characters, three bytes each.
pub const HAN_LEAD_BYTES: std::ops::RangeInclusive<u8> = 0xE4..=0xE9;

/// How many bytes [`bytes_in_ranges`] classifies at once.
pub const BLOCK: usize = 16;

/// Which bytes of a block fall in one of `ranges`, each `(start, len)` for the bytes
/// `start..start + len`: bit k of the mask is byte k. Stages use it to pass over the bytes that
/// need no look (Han lead bytes, continuation bytes) sixteen at a time and visit only the
/// others, which in Chinese text are a few per block.
///
/// Written with SSE2, part of every x86_64 processor: the compiler does not vectorise the
/// plain loop (kept for other targets), which costs several instructions a byte.
#[inline(always)]
pub fn bytes_in_ranges(block: &[u8; BLOCK], ranges: &[(u8, u8)]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8, _mm_setzero_si128, _mm_sub_epi8,
        };
        // SAFETY: SSE2 is part of the x86_64 baseline, so these instructions exist on every
        // processor the binary runs on; the load reads exactly the block's 16 bytes, with no
        // alignment required.
        unsafe {
            let bytes = _mm_loadu_si128(block.as_ptr().cast());
            let mut inside = _mm_setzero_si128();
            for &(start, len) in ranges {
                // b - start < len, unsigned: min(b - start, len - 1) == b - start.
                let offset = _mm_sub_epi8(bytes, _mm_set1_epi8(start as i8));
                let last = _mm_set1_epi8((len - 1) as i8);
                let in_range = _mm_cmpeq_epi8(_mm_min_epu8(offset, last), offset);
                inside = _mm_or_si128(inside, in_range);
            }
            _mm_movemask_epi8(inside) as u32
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut mask = 0;
        for (k, &b) in block.iter().enumerate() {
            if in_ranges(b, ranges) {
                mask |= 1 << k;
            }
        }
        mask
    }
}

/// Is `b` in one of `ranges` (as [`bytes_in_ranges`] takes them)? One byte at a time.
#[inline]
pub fn in_ranges(b: u8, ranges: &[(u8, u8)]) -> bool {
    ranges
        .iter()
        .any(|&(start, len)| b.wrapping_sub(start) < len)
}

/// Calls `visit` with the position of each byte of `bytes` that is in one of `ranges`, in
/// order, until it breaks: whole blocks through [`bytes_in_ranges`], the tail byte by byte.
/// A loop with a callback rather than an iterator: the compiler makes a plain loop of it,
/// which it did not of the iterator (twice the time in normalize).
#[inline(always)]
pub fn visit_positions_in_ranges(
    bytes: &[u8],
    ranges: &[(u8, u8)],
    mut visit: impl FnMut(usize) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut start = 0;
    for block in bytes.chunks_exact(BLOCK) {
        let mut mask = bytes_in_ranges(block.try_into().expect("a block"), ranges);
        while mask != 0 {
            visit(start + mask.trailing_zeros() as usize)?;
            mask &= mask - 1;
        }
        start += BLOCK;
    }
    let tail = bytes.len() - start;
    if tail == 0 {
        return ControlFlow::Continue(());
    }
    // The tail as one more block, not byte by byte (some ten instructions a byte, and most
    // lines end in a tail): the last sixteen bytes of the line, whose first bits (bytes already
    // visited) are shifted out; or, in a line shorter than a block, the line in a block of
    // zeros whose bits past the line's end are masked off.
    let mut mask = if let Some(last) = bytes.last_chunk::<BLOCK>() {
        bytes_in_ranges(last, ranges) >> (BLOCK - tail)
    } else {
        let mut padded = [0; BLOCK];
        padded[..tail].copy_from_slice(bytes);
        bytes_in_ranges(&padded, ranges) & ((1 << tail) - 1)
    };
    while mask != 0 {
        visit(start + mask.trailing_zeros() as usize)?;
        mask &= mask - 1;
    }
    ControlFlow::Continue(())
}

/// A byte, and what may follow it, as [`visit_byte_pairs`] looks for them: `(lead, next)`,
/// each `(start, len)` as [`bytes_in_ranges`] takes ranges, is a byte of `lead` followed by one
/// of `next`; `next` of length 0 is anything (after a UTF-8 lead byte, valid UTF-8 always has a
/// continuation byte).
pub type BytePair = ((u8, u8), (u8, u8));

/// Which positions of a block start one of `pairs`: bit k when byte k of `first` is a pair's
/// lead and byte k of `second` (the block one byte on) may follow it. SSE2, as
/// [`bytes_in_ranges`]; the loop over `pairs` is unrolled where they are constant.
#[inline(always)]
fn pairs_in_block(first: &[u8; BLOCK], second: &[u8; BLOCK], pairs: &[BytePair]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8,
            _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_setzero_si128, _mm_sub_epi8,
        };
        // SAFETY: SSE2 is part of the x86_64 baseline, so these instructions exist on every
        // processor the binary runs on; each load reads exactly one array's 16 bytes, with no
        // alignment required.
        unsafe {
            let in_range = |bytes: __m128i, (start, len): (u8, u8)| {
                if len == 1 {
                    _mm_cmpeq_epi8(bytes, _mm_set1_epi8(start as i8))
                } else {
                    // b - start < len, unsigned, as in `bytes_in_ranges`.
                    let offset = _mm_sub_epi8(bytes, _mm_set1_epi8(start as i8));
                    let last = _mm_set1_epi8((len - 1) as i8);
                    _mm_cmpeq_epi8(_mm_min_epu8(offset, last), offset)
                }
            };
            let leads = _mm_loadu_si128(first.as_ptr().cast());
            let nexts = _mm_loadu_si128(second.as_ptr().cast());
            let mut found = _mm_setzero_si128();
            for &(lead, next) in pairs {
                let mut pair = in_range(leads, lead);
                if next.1 > 0 {
                    pair = _mm_and_si128(pair, in_range(nexts, next));
                }
                found = _mm_or_si128(found, pair);
            }
            _mm_movemask_epi8(found) as u32
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut mask = 0;
        for k in 0..BLOCK {
            if is_pair(first[k], second[k], pairs) {
                mask |= 1 << k;
            }
        }
        mask
    }
}

/// Is `lead`, followed by `next`, one of `pairs`? One byte at a time.
#[cfg(not(target_arch = "x86_64"))]
fn is_pair(lead: u8, next: u8, pairs: &[BytePair]) -> bool {
    pairs.iter().any(|&((start, len), follows)| {
        lead.wrapping_sub(start) < len && (follows.1 == 0 || in_ranges(next, &[follows]))
    })
}

/// Calls `visit` with each position of `bytes` where one of `pairs` starts, in order, until it
/// breaks: sixty-four positions a step where the processor has AVX2, sixteen (SSE2) otherwise
/// and for what is left, the last block (or a short line) through a copy padded with zeros.
/// For the searches whose lead byte alone stops too often: `EF` leads full-width punctuation,
/// a dozen a line of Chinese, and `memchr` would stop and set out again at each, where the
/// pair `EF A4` (a compatibility ideograph) or `EF BF` (U+FFFD) is rare. No pair's `next`
/// range may hold 0x00: the padding after the last byte must follow no lead.
#[inline(always)]
pub fn visit_byte_pairs(
    bytes: &[u8],
    pairs: &[BytePair],
    mut visit: impl FnMut(usize) -> ControlFlow<()>,
) -> ControlFlow<()> {
    debug_assert!(pairs.iter().all(|&(_, (start, len))| len == 0
        || (start > 0 && usize::from(start) + usize::from(len) <= 256)));
    let mut start = 0;
    #[cfg(target_arch = "x86_64")]
    if bytes.len() > 2 * BLOCK && std::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2 (just asked).
        start = unsafe { visit_byte_pairs_avx2(bytes, pairs, &mut visit) }?;
    }
    while start + BLOCK < bytes.len() {
        let (Ok(first), Ok(second)) = (
            <&[u8; BLOCK]>::try_from(&bytes[start..start + BLOCK]),
            <&[u8; BLOCK]>::try_from(&bytes[start + 1..start + 1 + BLOCK]),
        ) else {
            unreachable!("two blocks inside `bytes`")
        };
        let mut mask = pairs_in_block(first, second, pairs);
        while mask != 0 {
            visit(start + mask.trailing_zeros() as usize)?;
            mask &= mask - 1;
        }
        start += BLOCK;
    }
    // One to sixteen bytes are left (none in an empty line). Byte by byte they would cost
    // more than all the blocks of a line of a hundred bytes.
    let rest = &bytes[start..];
    if rest.is_empty() {
        return ControlFlow::Continue(());
    }
    let mut padded = [0u8; BLOCK + 1];
    padded[..rest.len()].copy_from_slice(rest);
    let (Ok(first), Ok(second)) = (
        <&[u8; BLOCK]>::try_from(&padded[..BLOCK]),
        <&[u8; BLOCK]>::try_from(&padded[1..]),
    ) else {
        unreachable!("two blocks inside `padded`")
    };
    let mut mask = pairs_in_block(first, second, pairs) & ((1u32 << rest.len()) - 1);
    while mask != 0 {
        visit(start + mask.trailing_zeros() as usize)?;
        mask &= mask - 1;
    }
    ControlFlow::Continue(())
}

/// [`visit_byte_pairs`] with AVX2, where the processor has it (most do; the x86_64 baseline
/// has only SSE2): blocks of thirty-two positions, two a step. On the long paragraphs of the
/// output the search costs less than half of SSE2's. Returns where the blocks ended, for the
/// sixteen-byte path to go on from, or the visit's break.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn visit_byte_pairs_avx2(
    bytes: &[u8],
    pairs: &[BytePair],
    visit: &mut impl FnMut(usize) -> ControlFlow<()>,
) -> ControlFlow<(), usize> {
    use std::arch::x86_64::{
        __m256i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_min_epu8,
        _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8, _mm256_setzero_si256,
        _mm256_sub_epi8, _mm256_testz_si256,
    };
    const WIDE: usize = 2 * BLOCK;
    let in_range = |bytes: __m256i, (start, len): (u8, u8)| {
        if len == 1 {
            _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8(start as i8))
        } else {
            let offset = _mm256_sub_epi8(bytes, _mm256_set1_epi8(start as i8));
            let last = _mm256_set1_epi8((len - 1) as i8);
            _mm256_cmpeq_epi8(_mm256_min_epu8(offset, last), offset)
        }
    };
    // The positions of `bytes[at..at + WIDE]` that start a pair (bit k: `at + k`).
    let found_at = |at: usize| {
        let block = &bytes[at..=at + WIDE];
        // SAFETY: both loads read 32 bytes inside `block`, which has 33; no alignment needed.
        let (leads, nexts) = unsafe {
            (
                _mm256_loadu_si256(block.as_ptr().cast()),
                _mm256_loadu_si256(block[1..].as_ptr().cast()),
            )
        };
        let mut found = _mm256_setzero_si256();
        for &(lead, next) in pairs {
            let mut pair = in_range(leads, lead);
            if next.1 > 0 {
                pair = _mm256_and_si256(pair, in_range(nexts, next));
            }
            found = _mm256_or_si256(found, pair);
        }
        found
    };
    let mut start = 0;
    // Two blocks a step, tested together: nearly every step finds nothing.
    while start + 2 * WIDE < bytes.len() {
        let (low, high) = (found_at(start), found_at(start + WIDE));
        let either = _mm256_or_si256(low, high);
        if _mm256_testz_si256(either, either) == 0 {
            let mut mask = u64::from(_mm256_movemask_epi8(low) as u32)
                | u64::from(_mm256_movemask_epi8(high) as u32) << WIDE;
            while mask != 0 {
                visit(start + mask.trailing_zeros() as usize)?;
                mask &= mask - 1;
            }
        }
        start += 2 * WIDE;
    }
    if start + WIDE < bytes.len() {
        let mut mask = _mm256_movemask_epi8(found_at(start)) as u32;
        while mask != 0 {
            visit(start + mask.trailing_zeros() as usize)?;
            mask &= mask - 1;
        }
        start += WIDE;
    }
    ControlFlow::Continue(start)
}

/// Full-width (CJK) punctuation: 。，、；：？！…—「」『』“”‘’（）《》〈〉【】〔〕 and friends.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301F}'
        | '\u{FF01}' | '\u{FF02}' | '\u{FF05}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF1F}'
        | '\u{FF3B}' | '\u{FF3D}' | '\u{FF5B}' | '\u{FF5D}' | '\u{FF5E}'
        | '\u{2014}' | '\u{2015}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
        | '\u{2026}' | '\u{00B7}' | '\u{30FB}')
}

/// Whitespace that may indent or trail a line: ASCII space and tab, ideographic space, NBSP.
pub fn is_line_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{00A0}')
}

/// How many columns a character takes in a CJK monospace layout: 2 for Han characters, kana,
/// hangul, full-width forms and the punctuation Chinese fonts draw full-width (“”‘’—…), else 1.
/// Used to measure line widths of hard-wrapped text, where mixed lines must compare fairly.
///
/// Not unicode-width's `width`, which measures for terminals: it agrees on Han, kana, hangul
/// and the full-width forms, but gives those six marks one column, vertical and small form
/// variants, 〈〉 (U+2329, U+232A), emoji and some historic scripts two, combining marks zero and
/// control characters none. Each of those would change where reflow finds a wrapped line's
/// width; the test `display_width_is_not_unicode_width` shows where the two differ.
pub fn display_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2014
        | 0x2018
        | 0x2019
        | 0x201C
        | 0x201D
        | 0x2026
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Marks after which a sentence (or a paragraph) may end: 。！？；… and closing quotes and
/// brackets, in both widths (reflow runs before polish, so NFKC'd text still has `!?;)`).
pub fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '。' | '！'
            | '？'
            | '；'
            | '：'
            | '\u{2026}'
            | '”'
            | '’'
            | '」'
            | '』'
            | '）'
            | '》'
            | '】'
            | '〕'
            | '.'
            | '!'
            | '?'
            | ';'
            | ':'
            | ')'
            | '"'
    )
}

/// Characters after which a long line may be cut without harm: the cut falls between two
/// sentences or clauses, never inside a word, a number or a dictionary phrase.
fn is_cut_point(c: char) -> bool {
    matches!(
        c,
        '。' | '！'
            | '？'
            | '；'
            | '，'
            | '、'
            | '：'
            | '\u{2026}'
            | '.'
            | '!'
            | '?'
            | ';'
            | ','
            | ' '
            | '\t'
            | '\u{3000}'
    )
}

/// How far back a cut looks for a bracket it would fall inside: further than any converter marker
/// (`[bookmark: _Toc123456789]`) or pinyin annotation strip removes whole.
const BRACKET_REACH: usize = 256;

/// How many brackets a cut steps back over before it takes the point it has: bounds the work on
/// a line of nothing but open brackets.
const BRACKET_STEPS: usize = 8;

/// Where the bracket `before` ends inside opens, if it ends inside one opened in its last
/// [`BRACKET_REACH`] bytes: the byte offset of the opening bracket. A cut there would split a
/// converter marker (`[bookmark: ` / `_GoBack]`) or a pinyin annotation into pieces that strip
/// reads apart, and it would keep both halves where a second cleaning, cutting its shorter
/// output elsewhere, removes the whole.
fn open_bracket_before(before: &str) -> Option<usize> {
    let mut start = before.len().saturating_sub(BRACKET_REACH);
    while !before.is_char_boundary(start) {
        start += 1;
    }
    for (i, c) in before[start..].char_indices().rev() {
        match c {
            ']' | ')' | '）' => return None,
            '[' | '(' | '（' => return Some(start + i),
            _ => {}
        }
    }
    None
}

/// Where to cut `text` so that the first part is at most about `limit` bytes: just after the last
/// form feed in the second half of the first `limit` bytes; failing that, just after the last
/// punctuation mark or space before `limit` that is not inside a bracket opened just before it
/// (a converter marker, a pinyin annotation); failing that (a run of `limit` bytes without one,
/// which no real document has), the last character boundary before `limit`. Returns
/// `text.len()` when the text is short enough already. The result is always a char boundary and,
/// for non-empty text, greater than zero.
pub fn cut_point(text: &str, limit: usize) -> usize {
    if text.len() <= limit {
        return text.len();
    }
    let mut end = limit.max(1);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end == 0 {
        // `limit` is smaller than the first character: take that character whole.
        return text.chars().next().map_or(0, char::len_utf8);
    }
    // A character boundary: a cut before a bracket is never made before it (below).
    let mut window_start = end / 2;
    while !text.is_char_boundary(window_start) {
        window_start += 1;
    }
    // A form feed ends a line to every stage after the decoder (strip reads a page break
    // there): a cut just after the last one splits no line, where any other cut splits the one
    // it falls in, and a short line cut in two is judged in pieces (an open piece is no title
    // part to reflow's title join) where a second cleaning, reading the output's short lines,
    // judges it whole (the fault campaign's seed 5, input 688: 67,000 form feeds on one line).
    if let Some(form_feed) = memchr::memrchr(b'\x0C', &text.as_bytes()[window_start..end]) {
        return window_start + form_feed + 1;
    }
    let last_cut_point_before = |end: usize| {
        text[..end]
            .char_indices()
            .rev()
            .take_while(|(i, _)| *i >= window_start)
            .find(|(_, c)| is_cut_point(*c))
            .map(|(i, c)| i + c.len_utf8())
    };
    let Some(mut cut) = last_cut_point_before(end) else {
        return end;
    };
    for _ in 0..BRACKET_STEPS {
        let Some(opening) = open_bracket_before(&text[..cut]) else {
            return cut;
        };
        match last_cut_point_before(opening) {
            Some(earlier) => cut = earlier,
            None => break,
        }
    }
    match open_bracket_before(&text[..cut]) {
        // No cut point outside a bracket near enough: cut before the bracket, and before the
        // character an annotation in it would belong to.
        Some(opening) => text[..opening]
            .char_indices()
            .next_back()
            .map_or(cut, |(before, _)| before.max(window_start))
            .max(1),
        None => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_and_punctuation_classes() {
        for c in ['中', '國', '〇', '𠀀', '乾'] {
            assert!(is_han(c), "{c}");
        }
        for c in ['a', '1', '，', '。', '（', '　', 'ー'] {
            assert!(!is_han(c), "{c}");
        }
        for c in [
            '，', '。', '、', '（', '）', '《', '》', '“', '”', '…', '！', '：',
        ] {
            assert!(is_cjk_punct(c), "{c}");
        }
        for c in [',', '.', '(', 'A', '中', '１'] {
            assert!(!is_cjk_punct(c), "{c}");
        }
    }

    #[test]
    fn visit_byte_pairs_finds_every_pair_at_every_position() {
        let pairs: [BytePair; 4] = [
            ((0xC3, 1), (0, 0)),
            ((0xEF, 1), (0xA4, 8)),
            ((0xF0, 1), (0xAF, 1)),
            ((0xEA, 2), (0x80, 2)),
        ];
        let pattern = [
            0xC3, 0xEF, 0xA4, 0xEF, 0xAC, 0xAB, 0xF0, 0xAF, 0xF0, 0xB0, 0xEA, 0x81, 0xEB, 0x82,
        ];
        // Pairs everywhere, then none for more than two wide blocks, then pairs again.
        let bytes: Vec<u8> = pattern
            .iter()
            .cycle()
            .take(47)
            .chain(&[0xE4; 80])
            .chain(pattern.iter().cycle().take(40))
            .chain(&[0xEF, 0xAB, 0xC3])
            .copied()
            .collect();
        for len in 0..=bytes.len() {
            let bytes = &bytes[..len];
            let mut seen = Vec::new();
            let _ = visit_byte_pairs(bytes, &pairs, |at| {
                seen.push(at);
                ControlFlow::Continue(())
            });
            let expected: Vec<usize> = (0..len)
                .filter(|&at| match bytes[at] {
                    0xC3 => true,
                    0xEF => bytes.get(at + 1).is_some_and(|n| (0xA4..=0xAB).contains(n)),
                    0xF0 => bytes.get(at + 1) == Some(&0xAF),
                    0xEA | 0xEB => bytes.get(at + 1).is_some_and(|n| (0x80..=0x81).contains(n)),
                    _ => false,
                })
                .collect();
            assert_eq!(seen, expected, "{len} bytes");
        }
    }

    #[test]
    fn bytes_in_ranges_classifies_every_byte_at_every_position() {
        let ranges = [(0x20, 0x5F), (0x80, 0x40), (0xE4, 6), (0xFF, 1)];
        let inside = |b: u8| {
            ranges
                .iter()
                .any(|&(start, len)| b.wrapping_sub(start) < len)
        };
        for value in 0..=255u8 {
            for at in 0..BLOCK {
                let mut block = [b'a'; BLOCK];
                block[at] = value;
                let expected = if inside(value) {
                    0xFFFF
                } else {
                    0xFFFF & !(1 << at)
                };
                assert_eq!(
                    bytes_in_ranges(&block, &ranges),
                    expected,
                    "{value:#x} at {at}"
                );
            }
        }
        assert_eq!(bytes_in_ranges(&[0x7F; BLOCK], &ranges), 0);
        assert_eq!(bytes_in_ranges(&[0; BLOCK], &[]), 0);
    }

    #[test]
    fn positions_in_ranges_are_visited_in_blocks_and_tail() {
        let ranges = [(b'(', 2), (0xEF, 1)];
        let positions = |bytes: &[u8]| {
            let mut found = Vec::new();
            let flow = visit_positions_in_ranges(bytes, &ranges, |at| {
                found.push(at);
                ControlFlow::Continue(())
            });
            assert!(flow.is_continue());
            found
        };
        for len in [1, 2, 15, 16, 17, 18, 31, 32, 33, 40] {
            for at in 0..len {
                for wanted in [b')', 0xEF] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = wanted;
                    assert_eq!(positions(&bytes), [at], "length {len}, at {at}");
                }
            }
        }
        let bytes = b"(aaaaaaaaaaaaaaaaaaaaaa)";
        assert_eq!(positions(bytes), [0, bytes.len() - 1]);
        assert!(positions(b"").is_empty());
        // A break stops the visit at once.
        let mut visited = 0;
        let flow = visit_positions_in_ranges(bytes, &ranges, |_| {
            visited += 1;
            ControlFlow::Break(())
        });
        assert!(flow.is_break());
        assert_eq!(visited, 1);
    }

    /// Where [`display_width`] and unicode-width agree, and where they do not (over all of
    /// Unicode, on whether a character is wide: 10,771 code points in 129 ranges with
    /// unicode-width 0.2.3, all of the kinds below).
    #[test]
    fn display_width_is_not_unicode_width() {
        use unicode_width::UnicodeWidthChar;
        let agreeing = [
            0x20..=0x7E,       // ASCII
            0x3000..=0x3029,   // CJK punctuation
            0x3041..=0x3096,   // hiragana
            0x30A1..=0x30FA,   // katakana
            0x3400..=0x4DBF,   // CJK Extension A
            0x4E00..=0x9FFF,   // CJK Unified Ideographs
            0xAC00..=0xD7A3,   // hangul syllables
            0xF900..=0xFAFF,   // CJK compatibility ideographs
            0xFF01..=0xFF60,   // full-width forms
            0xFF61..=0xFF9F,   // half-width katakana
            0x20000..=0x2A6DF, // CJK Extension B
        ];
        for c in agreeing.into_iter().flatten().filter_map(char::from_u32) {
            assert_eq!(Some(display_width(c)), c.width(), "{c} U+{:04X}", c as u32);
        }
        // Drawn full-width by Chinese fonts: wide here, narrow for a terminal.
        for c in ['—', '‘', '’', '“', '”', '…'] {
            assert_eq!((display_width(c), c.width()), (2, Some(1)), "{c}");
        }
        // Wide for a terminal, one column here: 〈〉, vertical and small forms, emoji, Tangut.
        for c in [
            '\u{2329}',
            '\u{232A}',
            '︐',
            '﹐',
            '﹔',
            '😀',
            '⭐',
            '\u{17000}',
        ] {
            assert_eq!((display_width(c), c.width()), (1, Some(2)), "{c}");
        }
        // Zero or no width for a terminal, one column here: nothing makes a line shorter
        // (combining marks, the soft hyphen, the half-width hangul filler).
        for c in ['\u{0301}', '\u{00AD}', '\u{FFA0}'] {
            assert_eq!(
                (display_width(c), c.width()),
                (1, Some(0)),
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!((display_width('\u{7}'), '\u{7}'.width()), (1, None));
    }

    #[test]
    fn chinese_numerals() {
        for c in "一二三四五六七八九十百零〇".chars() {
            assert!(is_chinese_numeral(c));
        }
        for c in ['千', '1', '壹', 'a', '、'] {
            assert!(!is_chinese_numeral(c));
        }
    }

    #[test]
    fn cut_point_prefers_punctuation_and_respects_char_boundaries() {
        assert_eq!(cut_point("短句。", 100), "短句。".len());
        let text = "第一句话。第二句话很长很长";
        let cut = cut_point(text, 20);
        assert_eq!(&text[..cut], "第一句话。");
        // No punctuation: cut at a char boundary at or before the limit.
        let text = "一二三四五六七八九十";
        let cut = cut_point(text, 10);
        assert_eq!(&text[..cut], "一二三");
        // A limit inside the first character still makes progress.
        assert_eq!(cut_point("一二", 1), 3);
    }

    #[test]
    fn cut_point_keeps_a_marker_or_an_annotation_whole() {
        let text = "一段正文的末尾。[bookmark: _GoBack]后文";
        let cut = cut_point(text, "一段正文的末尾。[bookmark: ".len());
        assert_eq!(&text[..cut], "一段正文的末尾。");
        let text = "他说了很多的话，习(xí, 注)近平";
        let cut = cut_point(text, "他说了很多的话，习(xí, ".len());
        assert_eq!(&text[..cut], "他说了很多的话，");
        // A closed bracket is no reason to step back.
        let text = "甲（乙）丙，丁戊";
        assert_eq!(
            &text[..cut_point(text, "甲（乙）丙，丁".len())],
            "甲（乙）丙，"
        );
        // Brackets all the way back: cut before the last one's character.
        let text = "[a b]c[d e]f".repeat(40);
        let cut = cut_point(&text, text.len() - 4);
        assert!(text[..cut].ends_with("]c[d e]"), "{}", &text[..cut]);
        // Nor is a bracket opened further back than any marker reaches.
        let text = format!("[{}，尾巴", "字".repeat(100));
        let cut = cut_point(&text, text.len() - 1);
        assert_eq!(&text[cut..], "尾巴");
    }

    /// A form feed ends a line to strip: the cut goes just after the last one, before any later
    /// punctuation, so that the short line after it is not cut in two. None in the second half
    /// of the limit: the cut is as without one.
    #[test]
    fn cut_point_prefers_the_last_form_feed() {
        let text = "正文，很长的一段正文。\u{c}（标题，短）页。";
        let cut = cut_point(text, text.len() - 3);
        assert_eq!(&text[..cut], "正文，很长的一段正文。\u{c}");
        let text = format!("\u{c}{}，尾巴", "字".repeat(100));
        let cut = cut_point(&text, text.len() - 1);
        assert_eq!(&text[cut..], "尾巴");
    }

    /// Whatever the limit, the cut is a character boundary past the start. A cut before a
    /// bracket was bounded by the middle of the limit, which could fall inside a character
    /// (`第一页，正文。` + a form feed + `（标题，短）第二页。`, cut 3 bytes short: 24, inside `（`).
    #[test]
    fn cut_point_is_a_character_boundary_at_every_limit() {
        for text in [
            "第一页，正文。\u{c}（标题，短）第二页。",
            "甲乙（丙丁戊己庚辛",
            "[a b]c[d e]f字（注)字",
            "一二三四五六七八九十",
        ] {
            for limit in 1..text.len() {
                let cut = cut_point(text, limit);
                assert!(
                    text.is_char_boundary(cut) && cut > 0,
                    "{text:?} {limit}: {cut}"
                );
            }
        }
    }
}
