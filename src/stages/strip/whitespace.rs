//! Stray whitespace.
//!
//! - `indentation`: leading ASCII spaces, tabs, ideographic spaces and NBSP. Paragraphs are lines
//!   in the output, so an indent carries nothing.
//! - `trailing-space`: the same characters at the end of a line.
//! - `nbsp`: a run of no-break spaces inside a line becomes one ordinary space. Ideographic spaces
//!   inside a line are kept: `第一条　根据…`, `总理　李克强` are written that way on purpose.
//! - `letter-spacing`: a heading typed with a space between every character (`第 一 章  总 则`)
//!   is collapsed; a wider gap between groups becomes one ideographic space (`第一章　总则`).
//!   So is a justified line that pdftotext wrote with a space between every character (`临 沂
//!   造 纸 厂 是 淮 河 流 域 日 排 废 水 100 吨 以 上 的`): a line stretched to the margin
//!   because a long Latin word or number went to the next one.

use std::borrow::Cow;

use crate::text::{is_han, is_line_space};

/// Removes leading indentation (`indentation`).
#[inline]
pub fn strip_indentation(line: &str) -> &str {
    // Most lines start with no space: their first byte says so, before a character is decoded
    // (this runs on every line). A space of `is_line_space` starts with one of these bytes.
    if !matches!(line.as_bytes().first(), Some(b' ' | b'\t' | 0xE3 | 0xC2)) {
        return line;
    }
    trim_indentation(line)
}

/// [`strip_indentation`] past the test of the first byte: out of line, for the few lines that
/// may have an indent.
fn trim_indentation(line: &str) -> &str {
    line.trim_start_matches(is_line_space)
}

/// The display columns of a line's leading indentation (what [`strip_indentation`] removes): an
/// ideographic space is two, a tab reaches the next multiple of eight. Saturates at `u16::MAX`.
pub fn indentation_width(line: &str) -> u16 {
    let mut columns: usize = 0;
    for c in line.chars().take_while(|c| is_line_space(*c)) {
        columns = match c {
            '\t' => (columns / 8 + 1) * 8,
            '\u{3000}' => columns + 2,
            _ => columns + 1,
        };
        if columns >= usize::from(u16::MAX) {
            return u16::MAX;
        }
    }
    columns as u16
}

/// Removes trailing whitespace (`trailing-space`).
#[inline]
pub fn strip_trailing_space(line: &str) -> &str {
    // As for indentation, by the last byte: a space of `is_line_space` ends with one of these
    // (U+3000 is E3 80 80, U+00A0 is C2 A0).
    if !matches!(line.as_bytes().last(), Some(b' ' | b'\t' | 0x80 | 0xA0)) {
        return line;
    }
    trim_trailing_space(line)
}

/// [`strip_trailing_space`] past the test of the last byte.
fn trim_trailing_space(line: &str) -> &str {
    line.trim_end_matches(is_line_space)
}

/// A run of NBSP (with any ASCII spaces next to it) inside a line → one space (`nbsp`). Returns
/// the text and how many runs were replaced.
pub fn replace_nbsp(line: &str) -> (Cow<'_, str>, u64) {
    // NBSP is `C2 A0`. The lead byte C2 (U+0080–U+00BF) is rare in Chinese text, while A0 occurs
    // inside many Han characters: look for C2 and check what follows.
    let bytes = line.as_bytes();
    if !memchr::memchr_iter(0xC2, bytes).any(|i| bytes.get(i + 1) == Some(&0xA0)) {
        return (Cow::Borrowed(line), 0);
    }
    let mut out = String::with_capacity(line.len());
    let mut runs = 0;
    let mut in_run = false;
    let mut pending_spaces = 0;
    for c in line.chars() {
        match c {
            '\u{00A0}' => {
                if !in_run {
                    runs += 1;
                }
                in_run = true;
                pending_spaces = 0;
            }
            ' ' if in_run => {}
            ' ' => pending_spaces += 1,
            _ => {
                if in_run {
                    out.push(' ');
                    in_run = false;
                }
                for _ in 0..pending_spaces {
                    out.push(' ');
                }
                pending_spaces = 0;
                out.push(c);
            }
        }
    }
    if in_run {
        out.push(' ');
    }
    for _ in 0..pending_spaces {
        out.push(' ');
    }
    (Cow::Owned(out), runs)
}

/// The longest line taken for a letter-spaced heading, in characters.
const MAX_LETTER_SPACED_CHARS: usize = 60;

/// Collapses a letter-spaced heading or justified line (`letter-spacing`); `None` leaves the
/// line as it is.
pub fn collapse_letter_spacing(line: &str) -> Option<String> {
    // Both forms have spaces, and most lines of Chinese have none: one search settles those
    // (this runs on every line), rather than one in each form.
    memchr::memchr(b' ', line.as_bytes())?;
    collapse_spaced_heading(line).or_else(|| collapse_justified_line(line))
}

/// The fewest Chinese characters of a justified line taken for letter-spaced.
const MIN_JUSTIFIED_CHARS: usize = 6;

/// A line where every Chinese character stands alone between single spaces, among Latin
/// words and numbers: the spaces between two Chinese characters, or a Chinese character and
/// a Latin word, go; those between two Latin words stay (`IT 指 标` → `IT指标`, `GB 50180`
/// stays). Any two Chinese characters side by side, or a wider gap, and the line is no
/// justified line: `总理 李克强`, `第一条 根据`.
fn collapse_justified_line(line: &str) -> Option<String> {
    let bytes = line.as_bytes();
    // Cheap tests first: this runs on every line with a space ([`collapse_letter_spacing`]
    // found one). (A wider gap, or a space at either end, makes an empty word below, which
    // says no.)
    if line.len() < 2 * MIN_JUSTIFIED_CHARS || line.starts_with(' ') || line.ends_with(' ') {
        return None;
    }
    let is_wide = |c: char| crate::text::display_width(c) == 2;
    // Every Chinese character of a justified line stands between spaces (or the line's ends),
    // and ASCII has none: a line of ASCII only, or whose first other character is a Chinese
    // one beside a letter, is no justified line (most lines with a space are settled here).
    let first_other = bytes.iter().position(|b| !b.is_ascii())?;
    let c = line[first_other..].chars().next()?;
    let alone = (first_other == 0 || bytes[first_other - 1] == b' ')
        && bytes
            .get(first_other + c.len_utf8())
            .is_none_or(|&b| b == b' ');
    if is_wide(c) && !alone {
        return None;
    }
    let mut wide = 0;
    for word in line.split(' ') {
        let mut chars = word.chars();
        let first = chars.next()?;
        if is_wide(first) {
            // A Chinese character stands alone.
            if chars.next().is_some() {
                return None;
            }
            wide += 1;
        } else if word.chars().any(is_wide) {
            return None;
        }
    }
    if wide < MIN_JUSTIFIED_CHARS {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    let mut last_wide = true;
    for word in line.split(' ') {
        let word_wide = word.chars().next().is_some_and(is_wide);
        if !out.is_empty() && !word_wide && !last_wide {
            out.push(' ');
        }
        out.push_str(word);
        last_wide = word_wide;
    }
    Some(out)
}

/// A letter-spaced heading: the whole line is single Han characters separated by ASCII spaces.
/// The narrowest gap is the letter spacing and disappears; wider gaps separate words and become
/// one ideographic space. Anything else is left: `总理 李克强` (one gap between words, not
/// letters), `第一条 根据` (groups, not letters), `A B C`.
fn collapse_spaced_heading(line: &str) -> Option<String> {
    // Cheap tests first: this runs on every line with a space ([`collapse_letter_spacing`]
    // found one; a line without is no letter-spaced heading, and the loop below says so too).
    if line.len() > MAX_LETTER_SPACED_CHARS * 4 || line.chars().count() > MAX_LETTER_SPACED_CHARS {
        return None;
    }
    let mut letters = 0;
    let mut gaps: Vec<usize> = Vec::new();
    let mut run = 0;
    let mut last_was_letter = false;
    for c in line.chars() {
        if c == ' ' {
            run += 1;
            last_was_letter = false;
        } else if is_han(c) {
            if last_was_letter {
                return None; // two characters without a space: a word, not spaced letters
            }
            if letters > 0 {
                gaps.push(run);
            } else if run > 0 {
                return None; // leading spaces: indentation is another rule's business
            }
            run = 0;
            letters += 1;
            last_was_letter = true;
        } else {
            return None;
        }
    }
    // Two letters with one gap cannot be told from two one-character words; three or more can.
    if run > 0 || letters < 3 {
        return None;
    }
    let narrowest = *gaps.iter().min()?;
    let mut out = String::with_capacity(line.len());
    let mut gap_index = 0;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            if gaps[gap_index] > narrowest {
                out.push('\u{3000}');
            }
            gap_index += 1;
        }
        out.push_str(word);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_and_trailing_space() {
        let cases = [
            ("　　根据《条例》", "根据《条例》"),
            ("\t 一、总则", "一、总则"),
            ("\u{00A0}正文", "正文"),
            ("第一条　根据宪法", "第一条　根据宪法"), // inside a line: kept
            ("总理　李克强", "总理　李克强"),
            ("结尾。  \t　", "结尾。"),
        ];
        for (input, expected) in cases {
            assert_eq!(strip_trailing_space(strip_indentation(input)), expected);
        }
    }

    /// The byte tests at either end pass every character `is_line_space` takes: a line that
    /// starts or ends with any of them is trimmed as before, whatever stands beside it.
    #[test]
    fn the_end_byte_tests_pass_every_line_space() {
        let spaces = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|&c| is_line_space(c));
        for space in spaces {
            for other in ["", "中", "a", "\u{3001}", "\u{00B7}"] {
                let leading = format!("{space}{other}");
                assert_eq!(strip_indentation(&leading), other, "{leading:?}");
                let trailing = format!("{other}{space}");
                assert_eq!(strip_trailing_space(&trailing), other, "{trailing:?}");
            }
        }
    }

    #[test]
    fn indentation_width_in_columns() {
        assert_eq!(indentation_width("正文"), 0);
        assert_eq!(indentation_width("   按照"), 3);
        assert_eq!(indentation_width("　　根据"), 4);
        assert_eq!(indentation_width("\t 一"), 9);
        assert_eq!(indentation_width(" \u{00A0}x  y"), 2);
        assert_eq!(indentation_width(&" ".repeat(70_000)), u16::MAX);
    }

    #[test]
    fn nbsp_inside_a_line() {
        assert_eq!(replace_nbsp("Windows\u{00A0}10").0, "Windows 10");
        assert_eq!(replace_nbsp("甲\u{00A0}\u{00A0} 乙").0, "甲 乙");
        assert_eq!(replace_nbsp("甲 \u{00A0}乙").1, 1);
        assert!(matches!(replace_nbsp("甲 乙　丙").0, Cow::Borrowed(_)));
    }

    #[test]
    fn letter_spaced_headings() {
        let cases = [
            ("第 一 章  总 则", "第一章　总则"),
            ("第 一 章", "第一章"),
            ("附  件  一", "附件一"),
            ("总 结 报 告", "总结报告"),
        ];
        for (input, expected) in cases {
            assert_eq!(collapse_letter_spacing(input).as_deref(), Some(expected));
        }
    }

    #[test]
    fn justified_lines_written_letter_spaced() {
        let cases = [
            (
                "临 沂 造 纸 厂 是 淮 河 流 域 日 排 废 水 100 吨 以 上 的 “ 污 染 大",
                "临沂造纸厂是淮河流域日排废水100吨以上的“污染大",
            ),
            (
                "（ 五 ） 深 入 推 进 科 学 民 主 依 法 决 策 ， IT 指 标 增 长",
                "（五）深入推进科学民主依法决策，IT指标增长",
            ),
            (
                "标 准 为 GB 50180 的 规 定 要 求",
                "标准为GB 50180的规定要求",
            ),
            // Latin words first, one with a letter beyond ASCII that is no Chinese character.
            ("Café No 1 临 沂 造 纸 厂 是", "Café No 1临沂造纸厂是"),
            ("第 一 章 总 则 的 IT", "第一章总则的IT"),
        ];
        for (input, expected) in cases {
            assert_eq!(collapse_letter_spacing(input).as_deref(), Some(expected));
        }
        for input in [
            "总理 李克强 出席 会议 并 讲话 指出",
            "第一条 根据 宪法 制定 本 法",
            "The quick brown fox jumps over",
            "甲 乙 丙 丁 戊 2021",               // five: too few to tell
            "临 沂 造 纸  厂 是 GB 淮 河 流 域", // a wider gap
            "IT 指标 增 长 推 进 科 学",         // the first Chinese character beside another
            "IT指 标 增 长 推 进 科 学",         // ... beside a letter
            "Café 临 沂 造 纸 厂 是 淮河",       // Chinese characters side by side, later
            "The quick brown fox jumps over the lazy dog again",
        ] {
            assert_eq!(collapse_letter_spacing(input), None, "{input:?}");
        }
    }

    #[test]
    fn not_letter_spaced() {
        for input in [
            "总理 李克强",
            "第一条 根据宪法",
            "GB 50180",
            "A B C",
            "第 1 章",
            " 第 一 章",
            "第 一 章 ",
            "第一章　总则",
            "总　则",
            "甲 乙", // two letters: could be two one-character words
            "目 录",
        ] {
            assert_eq!(collapse_letter_spacing(input), None, "{input:?}");
        }
    }
}
