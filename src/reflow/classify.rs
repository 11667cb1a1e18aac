//! Which lines are headings, list items and titles: what reflow never joins into a paragraph.

use crate::text::is_chinese_numeral;

/// A heading, title, date or signature is at most this many characters.
pub const MAX_TITLE_CHARS: usize = 30;
/// A heading that starts with a list marker (`（一）早谋划，确定全年工作要点`) may be longer.
pub const MAX_MARKED_HEADING_CHARS: usize = 40;
/// More characters than this and a line is no title of any kind.
pub const TITLE_CHARS_LIMIT: usize = if MAX_TITLE_CHARS > MAX_MARKED_HEADING_CHARS {
    MAX_TITLE_CHARS
} else {
    MAX_MARKED_HEADING_CHARS
};
/// Sentence punctuation that a title does not have.
pub fn is_stop(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

/// Does the text start a heading or list item: `一、` `（一）` `(一)` `1.` `1、` `（1）` `第X章/条/节`
/// `①` `附件`?
pub fn starts_block(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let is_numeral = is_chinese_numeral;
    match first {
        '①'..='⑳' | '⑴'..='⒇' | '⒈'..='⒛' | '❶'..='❿' => true,
        '（' | '(' => {
            // What is inside, up to the closing parenthesis or the end: at most three
            // characters, so only the first four are looked at.
            let rest = chars.as_str();
            let close = rest
                .char_indices()
                .take(4)
                .find(|(_, c)| matches!(c, '）' | ')'));
            let inner = match close {
                Some((end, _)) => &rest[..end],
                None if rest.chars().nth(3).is_none() => rest,
                None => return false,
            };
            !inner.is_empty()
                && (inner.chars().all(is_numeral) || inner.chars().all(|c| c.is_ascii_digit()))
        }
        '第' => {
            let mut rest = chars.take(6);
            let numeral_len = rest
                .clone()
                .take_while(|c| is_numeral(*c) || c.is_ascii_digit())
                .count();
            numeral_len > 0
                && rest
                    .nth(numeral_len)
                    .is_some_and(|c| "章条节编部篇款项".contains(c))
        }
        c if c.is_ascii_digit() => {
            let after = text.trim_start_matches(|c: char| c.is_ascii_digit());
            let mut after = after.chars();
            match after.next() {
                Some('、' | '．') => true,
                // `1.` but not `1.5`
                Some('.') => !after.next().is_some_and(|c| c.is_ascii_digit()),
                _ => false,
            }
        }
        c if is_numeral(c) => {
            let after = text.trim_start_matches(is_numeral);
            after.starts_with('、')
        }
        _ => text.starts_with("附件"),
    }
}

/// Does a footnote line start a note: `1 本文…`, `①`, `[1]`, `*`, `注：`? A line of a note
/// without one continues the note before it.
pub fn starts_footnote(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('①'..='⑳' | '⑴'..='⒇' | '*' | '＊' | '†') => true,
        Some('[' | '［' | '〔') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) if c.is_ascii_digit() => {
            let after = text.trim_start_matches(|c: char| c.is_ascii_digit());
            // `1 本文`, `1本文`, `1.`, `1)`: not a year or an amount (`2023年`, `15%`).
            !after.starts_with(['年', '月', '日', '%', '万', '亿', '元', '个', '.', '．'])
                || after.starts_with(". ")
        }
        _ => text.starts_with("注：") || text.starts_with("注:"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_and_heading_starts() {
        for text in [
            "一、总则",
            "十二、附则",
            "（一）加强",
            "(一)加强",
            "1. 按照",
            "10.全面",
            "1、按照",
            "（1）按照",
            "第三章 总则",
            "第十二条　根据",
            "①按照",
            "附件1",
            "（一二三）加强",
            "(12)按照",
            "（一",
        ] {
            assert!(starts_block(text), "{text:?}");
        }
        for text in [
            "1.5倍",
            "2021年",
            "一是加强",
            "（2021-2025年）",
            "第一批不涉及",
            "报告、经具有",
            "(LED)",
            "（一二三四）加强",
            "（一二三四",
            "()加强",
            "（1二）",
            "第",
        ] {
            assert!(!starts_block(text), "{text:?}");
        }
    }
}
