//! List markers at a line's start (`1.` `1、` `（一）`), and the spaces after one
//! (`list-marker-space`).

use std::borrow::Cow;

use super::is_chinese;
use crate::text::is_chinese_numeral;

/// The length in bytes of a list marker at the start of the line: `1.` `1、` `1．` `（一）`
/// `(1)` `一、` `①`.
fn list_marker_len(line: &str) -> Option<usize> {
    let is_numeral = is_chinese_numeral;
    let first = line.chars().next()?;
    let len = match first {
        '①'..='⑳' => first.len_utf8(),
        '（' | '(' => {
            // The marker's numeral is at most three characters: the closing parenthesis is
            // looked for among the next four only, not along the whole line.
            let close = line
                .char_indices()
                .skip(1)
                .take(4)
                .find(|(_, c)| matches!(c, '）' | ')'))?
                .0;
            let inner = &line[first.len_utf8()..close];
            let ok = !inner.is_empty()
                && inner.chars().count() <= 3
                && (inner.chars().all(is_numeral) || inner.bytes().all(|b| b.is_ascii_digit()));
            if !ok {
                return None;
            }
            close + line[close..].chars().next()?.len_utf8()
        }
        c if c.is_ascii_digit() => {
            let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let mark = line[digits..].chars().next()?;
            if !matches!(mark, '.' | '、' | '．') {
                return None;
            }
            digits + mark.len_utf8()
        }
        c if is_numeral(c) => {
            let numerals = line.len() - line.trim_start_matches(is_numeral).len();
            if !line[numerals..].starts_with('、') {
                return None;
            }
            numerals + '、'.len_utf8()
        }
        _ => return None,
    };
    Some(len)
}

/// Removes the ASCII spaces after a list marker when Chinese follows (`list-marker-space`).
pub fn tighten_list_marker(line: &str) -> Cow<'_, str> {
    let Some(spaces) = list_marker_spaces(line) else {
        return Cow::Borrowed(line);
    };
    let mut tightened = String::with_capacity(line.len() - spaces.len());
    tightened.push_str(&line[..spaces.start]);
    tightened.push_str(&line[spaces.end..]);
    Cow::Owned(tightened)
}

/// Where [`tighten_list_marker`] takes spaces out: the spaces after a list marker followed by
/// Chinese.
pub(super) fn list_marker_spaces(line: &str) -> Option<std::ops::Range<usize>> {
    let marker = list_marker_len(line)?;
    let rest = &line[marker..];
    let text = rest.trim_start_matches(' ');
    if text.len() == rest.len() || !text.chars().next().is_some_and(is_chinese) {
        return None;
    }
    Some(marker..line.len() - text.len())
}
