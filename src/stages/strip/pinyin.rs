//! Pinyin annotations (`pinyin-annotation`).
//!
//! Copies of government pages on content-farm sites glue a tone-marked pinyin syllable after some
//! Traditional characters: `習(xí)近平`, `設(shè)`, `們(men)`. The annotation is removed only when
//! the syllable in the parentheses is a reading of the character just before it, checked against
//! the `pinyin` crate's dictionary with all its heteronyms (it covers Traditional characters).
//! That check is what keeps `(2021-2025年)`, `(一)`, `(LED)`, `组织(WHO)`, `(a)` and
//! `(GB 50180)` untouched: none of them is a reading of the character before it.
//!
//! A syllable written without tone marks (`習(xi)`) is ambiguous on its own; it is removed only
//! in a document that already carries verified tone-marked annotations (a document-level fact
//! taken from the first batch, see [`has_tone_marked_annotations`]).
//!
//! This runs in strip, before conversion, so that `習近平` reaches the phrase dictionary whole.

use std::borrow::Cow;
use std::ops::ControlFlow;
use std::sync::LazyLock;

use pinyin::ToPinyinMulti;

use super::triggers::{any_after, OpenParentheses};
use crate::text::language::{may_have_kana_or_hangul, Language, Letters};
use crate::text::nibble_pairs::{visit_nibble_pairs, NibblePairs, NibbleProduct};
use crate::text::{display_width, is_han, visit_positions_in_ranges};

/// `（`, searched for as a whole: its last byte alone occurs inside many Han characters.
static FULL_WIDTH_OPEN: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("（".as_bytes()));

/// Does the line hold `(` or `（`, where an annotation would open? Byte searches, not a
/// per-character scan: most lines have no parenthesis at all.
fn has_open_parenthesis(line: &str) -> bool {
    memchr::memchr(b'(', line.as_bytes()).is_some()
        || FULL_WIDTH_OPEN.find(line.as_bytes()).is_some()
}

/// `(` followed by any byte, and `BC 88`, the last two bytes of `（` (`EF BC 88`): the pairs
/// [`visit_open_parentheses`] stops at.
const OPEN_PARENTHESIS_PAIRS: NibblePairs =
    NibblePairs::new(&[any_after(b'('), NibbleProduct::pair(0xBC, 0x88, 0x88)]);

/// Calls `visit` with where each `(` and `（` of `bytes` starts, in order, until it breaks: one
/// pass for both kinds (the scan strip's triggers use), not a byte search for `(` and a
/// substring search for `（`, each with its own setting out, line after line. `BC 88` ends a
/// few Han characters too (`伈`, E4 BC 88): it is `（` only after `EF`, which only leads a
/// character, so `EF BC 88` is `（` whole; `(` never stands inside a character.
fn visit_open_parentheses(
    bytes: &[u8],
    mut visit: impl FnMut(usize) -> ControlFlow<()>,
) -> ControlFlow<()> {
    visit_nibble_pairs(bytes, &OPEN_PARENTHESIS_PAIRS, |at| {
        if bytes[at] == b'(' {
            visit(at)
        } else if at >= 1 && bytes[at - 1] == 0xEF {
            visit(at - 1)
        } else {
            ControlFlow::Continue(())
        }
    })
}

/// The longest syllable in bytes: `zhuàng` is 7 bytes, `chuāng` 7; a little room for `ü`.
const MAX_SYLLABLE_BYTES: usize = 10;

/// The spaces cleaning takes away next to an annotation: an annotation is read past them.
const SPACES: [char; 2] = [' ', '\u{a0}'];

/// How an annotation's syllable matched the character's readings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Match {
    /// Exactly one of the readings, tone mark included (or a neutral-tone reading).
    Exact,
    /// One of the readings once the tone marks are taken off both.
    Toneless,
}

/// Removes verified pinyin annotations from one line. `allow_toneless` is the document-level
/// permission to remove syllables written without tone marks. Returns the number removed.
pub fn strip_annotations(line: &str, allow_toneless: bool) -> (Cow<'_, str>, u64) {
    let (out, removed, _) = strip_annotations_counting_columns(line, allow_toneless);
    (out, removed)
}

/// [`strip_annotations`], and the display columns of what it took out
/// ([`crate::text::display_width`]: the width they had on a printed line).
pub fn strip_annotations_counting_columns(
    line: &str,
    allow_toneless: bool,
) -> (Cow<'_, str>, u64, usize) {
    let (out, removed, columns) = strip_annotations_of_any_language(line, allow_toneless);
    // Pinyin is a reading of Chinese: a Japanese or Korean line keeps what looks like one
    // (`京(kyō)`, romanised readings beside Hanja). Asked only of a line with one to remove.
    if removed == 0 || Language::of_paragraph(line, Language::Chinese) != Language::Chinese {
        return (Cow::Borrowed(line), 0, 0);
    }
    (out, removed, columns)
}

/// The display columns of an annotation with the spaces before it
/// ([`crate::text::display_width`]), from its bytes: it holds spaces and no-break spaces, ASCII
/// and tone-marked letters (one or two bytes, one column each) and parentheses of either width
/// (`（` is three bytes and two columns), so a character is a byte that does not continue one,
/// and one of three bytes is two columns. Annotations are many in the documents that have
/// them, and a decoding of each of their characters was a tenth of cleaning one.
fn annotation_columns(annotation: &str) -> usize {
    let bytes = annotation.as_bytes();
    let chars = bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count();
    let wide = bytes.iter().filter(|b| **b >= 0xE0).count();
    debug_assert_eq!(
        chars + wide,
        annotation.chars().map(display_width).sum::<usize>(),
        "{annotation:?}"
    );
    chars + wide
}

/// [`strip_annotations_counting_columns`] whatever the line's language.
fn strip_annotations_of_any_language(
    line: &str,
    allow_toneless: bool,
) -> (Cow<'_, str>, u64, usize) {
    // Only the parentheses are visited, not every character: the character before one is
    // read from the bytes behind it.
    let mut removal = Removal::default();
    let _ = visit_open_parentheses(line.as_bytes(), |i| {
        removal.visit(line, allow_toneless, i);
        ControlFlow::Continue(())
    });
    removal.finish(line)
}

/// [`strip_annotations_counting_columns`], told where the first `(` and `（` of `line` start
/// (`opens`: strip's one pass over the line found them), so that the line is searched again
/// only past the last one listed, when there were more.
pub(super) fn strip_listed_annotations_counting_columns<'a>(
    line: &'a str,
    opens: &OpenParentheses,
    allow_toneless: bool,
) -> (Cow<'a, str>, u64, usize) {
    let (listed, more) = opens.listed();
    debug_assert!(listed.iter().all(|&i| line[i..].starts_with(['(', '（'])));
    let mut removal = Removal::default();
    for &i in listed {
        removal.visit(line, allow_toneless, i);
    }
    if let (true, Some(&last)) = (more, listed.last()) {
        // The parentheses that start past the last one listed: a `（` whose last bytes are
        // in the slice but not its first is not one of them.
        let from = last + 1;
        let _ = visit_open_parentheses(&line.as_bytes()[from..], |i| {
            removal.visit(line, allow_toneless, from + i);
            ControlFlow::Continue(())
        });
    }
    let (out, removed, columns) = removal.finish(line);
    // As in `strip_annotations_counting_columns`: a Japanese or Korean line keeps them.
    if removed == 0 || Language::of_paragraph(line, Language::Chinese) != Language::Chinese {
        return (Cow::Borrowed(line), 0, 0);
    }
    (out, removed, columns)
}

/// The annotations taken out of a line so far, its parentheses visited in order
/// ([`Removal::visit`]).
#[derive(Default)]
struct Removal {
    out: String,
    /// The bytes of the line before this are in `out` or taken out.
    copied_to: usize,
    removed: u64,
    columns: usize,
    /// The Han character before the last annotation removed: what precedes the text that
    /// follows it (`習(xí)(xí)` is not a thing, but the character before the second '(' is 習).
    han_before_removed: Option<char>,
}

impl Removal {
    /// The parenthesis at byte `i` of `line` (`(` or `（`): the annotation it opens goes when
    /// it reads the Han character before it.
    #[inline]
    fn visit(&mut self, line: &str, allow_toneless: bool, i: usize) {
        if i < self.copied_to || !may_open_annotation(line.as_bytes(), i) {
            return;
        }
        // Spaces between the character and its annotation go with it (`導 (dǎo)`): polish
        // takes a space between Chinese text and a bracket away, and a second cleaning would
        // find the two touching.
        let start = line[..i].trim_end_matches(SPACES).len().max(self.copied_to);
        let previous = if self.removed > 0 && start == self.copied_to {
            self.han_before_removed
        } else {
            line[..start].chars().next_back()
        };
        let Some(han) = previous.filter(|p| is_han(*p)) else {
            return;
        };
        if let Some((len, how)) = annotation_at(&line[i..], han) {
            if how == Match::Exact || allow_toneless {
                if self.removed == 0 {
                    // Allocated once, on the first annotation that goes.
                    self.out.reserve(line.len());
                }
                self.out.push_str(&line[self.copied_to..start]);
                self.columns += annotation_columns(&line[start..i + len]);
                self.copied_to = i + len;
                self.removed += 1;
                self.han_before_removed = Some(han);
            }
        }
    }

    /// The line without the annotations taken out, how many went and their columns.
    fn finish(mut self, line: &str) -> (Cow<'_, str>, u64, usize) {
        if self.removed == 0 {
            return (Cow::Borrowed(line), 0, 0);
        }
        self.out.push_str(&line[self.copied_to..]);
        (Cow::Owned(self.out), self.removed, self.columns)
    }
}

/// Would joining `before` and `after` (with a space between them when `space`) remove an
/// annotation that neither loses alone? A Japanese or Korean line keeps what looks like one
/// (see [`strip_annotations`]), and a join can make such a line Chinese (`革` and
/// `中(zhōng)怊츭华人民共和规定`: the Hangul syllable outweighed by one Han character more),
/// which a second cleaning would then strip. Reflow does not make such a join. Lines without a
/// kana or Hangul letter (nearly all) are settled by the language's quick scan.
pub fn join_unlocks_annotation(before: &str, space: bool, after: &str) -> bool {
    join_unlocks_annotation_after(before, false, space, after)
}

/// [`join_unlocks_annotation`], told whether `before` is known to hold no kana or Hangul
/// letter (`before_has_no_kana_or_hangul`: the quick scan found none in it already), so that
/// it is Chinese without being looked at again. Reflow asks of its paragraph at every join,
/// and a paragraph of many joined lines would be scanned from its start each time.
pub fn join_unlocks_annotation_after(
    before: &str,
    before_has_no_kana_or_hangul: bool,
    space: bool,
    after: &str,
) -> bool {
    let not_chinese =
        |text: &str| Language::of_paragraph(text, Language::Chinese) != Language::Chinese;
    let before_not_chinese = !before_has_no_kana_or_hangul && not_chinese(before);
    if !(before_not_chinese || not_chinese(after))
        || !(has_open_parenthesis(before) || has_open_parenthesis(after))
    {
        return false;
    }
    let alone = strip_annotations(before, true).1 + strip_annotations(after, true).1;
    let joined = [before, if space { " " } else { "" }, after].concat();
    strip_annotations(&joined, true).1 > alone
}

/// Would joining `before` and `after` (with a space between them when `space`) complete an
/// annotation that neither holds alone (`習(xí` + `)`, `習` + `(xí)近平`)? Reflow does not make
/// such a join: strip, which runs before it, would never see the annotation, and a second
/// cleaning would remove it. Toneless syllables count too (the document's permission is not
/// known there), which only keeps a few more odd breaks apart.
pub fn join_completes_annotation(before: &str, space: bool, after: &str) -> bool {
    join_completes_annotation_after(before, || Letters::of(before), space, after)
}

/// [`join_completes_annotation`], told how to count the letters of `before`
/// (`before_letters`, asked only when kana or Hangul may stand near the join): reflow keeps the
/// count of the paragraph it holds, which grows by appending, and a paragraph of many joined
/// lines would be counted from its start at each join.
pub fn join_completes_annotation_after(
    before: &str,
    before_letters: impl FnOnce() -> Letters,
    space: bool,
    after: &str,
) -> bool {
    // An annotation is a few characters besides the spaces it may hold, however many (the
    // character, `(`, a syllable of at most MAX_SYLLABLE_BYTES letters, `)`): only the two ends
    // near the join matter, NEAR characters that are not spaces on each side with the spaces
    // among them (`習習`, 13 spaces, `(xí` + `)`: the character is 16 characters from the join).
    const NEAR: usize = 16;
    // Most joins have no parenthesis near them: a byte search of the widest the two ends can
    // be (NEAR characters of at most four bytes each) settles those before any character is
    // decoded, when it finds no space there either (the ends reach past spaces). Finding one
    // is no answer yet: it may lie beyond the NEAR characters.
    const NEAR_BYTES: usize = 4 * NEAR;
    let before_end = &before.as_bytes()[before.len().saturating_sub(NEAR_BYTES)..];
    let after_start = &after.as_bytes()[..after.len().min(NEAR_BYTES)];
    let may_hold = |bytes: &[u8]| may_hold_open_parenthesis(bytes) || may_hold_space(bytes);
    if !may_hold(before_end) && !may_hold(after_start) {
        return false;
    }
    let near = |c: &char| !SPACES.contains(c);
    let tail_start = before
        .char_indices()
        .rev()
        .filter(|(_, c)| near(c))
        .nth(NEAR - 1)
        .map_or(0, |(at, _)| at);
    let tail = &before[tail_start..];
    let head_end = after
        .char_indices()
        .filter(|(_, c)| near(c))
        .nth(NEAR)
        .map_or(after.len(), |(at, _)| at);
    let head = &after[..head_end];
    if !has_open_parenthesis(tail) && !has_open_parenthesis(head) {
        return false;
    }
    // Whether a paragraph keeps its annotations is decided by its language, read on the whole
    // paragraph: ends cut from a paragraph with a few kana or Hangul letters can read as
    // Japanese or Korean where the whole reads as Chinese (the fuzz finding
    // `pipeline-idempotence-9d68c80fa3ed9aaa`: `中(` + `zhōng)` and mojibake holding `ヤ`,
    // joined, and the annotation removed by a second cleaning). The language is read from
    // the letters of the whole texts (Han, kana, Hangul: what a second cleaning finds the
    // same, whatever spaces and punctuation the first changed beside them), the annotations
    // counted in the ends. Texts without a kana or Hangul letter near the join (nearly all)
    // are taken for Chinese, as they were before: at worst a join is refused that a Japanese
    // paragraph could have had, and a second cleaning refuses it alike.
    let (before_is_chinese, after_is_chinese, joined_is_chinese) =
        if may_have_kana_or_hangul(tail) || may_have_kana_or_hangul(head) {
            let is_chinese = |letters: &Letters| {
                Language::of_letters(letters, Language::Chinese) == Language::Chinese
            };
            let before_letters = before_letters();
            let after_letters = Letters::of(after);
            let mut joined_letters = before_letters;
            joined_letters.add(&after_letters);
            (
                is_chinese(&before_letters),
                is_chinese(&after_letters),
                is_chinese(&joined_letters),
            )
        } else {
            (true, true, true)
        };
    if !joined_is_chinese {
        return false;
    }
    let count = |text: &str, is_chinese: bool| match is_chinese {
        true => strip_annotations_of_any_language(text, true).1,
        false => 0,
    };
    let joined = [tail, if space { " " } else { "" }, head].concat();
    // The joined ends hold no annotation at all, most often (`（一）`, `(2021年)`): then the
    // join completes none, and the ends need not be counted.
    let in_joined = count(&joined, true);
    in_joined > 0 && in_joined > count(tail, before_is_chinese) + count(head, after_is_chinese)
}

/// The annotation `after` opens with (past spaces) when it reads the Han character `before`
/// ends in (`行政应` + `(yīng)诉工作`): the bytes it takes, the spaces before it included. A
/// hard wrap can fall between a character and its annotation, and strip, which reads a line
/// at a time, never sees the two together; reflow, which puts them side by side, takes the
/// annotation out as it joins the lines. Only a syllable that is exactly one of the
/// character's readings: whether the document's toneless ones are trusted is strip's fact.
pub fn annotation_opening(before: &str, after: &str) -> Option<usize> {
    let han = before
        .trim_end_matches(SPACES)
        .chars()
        .next_back()
        .filter(|c| is_han(*c))?;
    let annotation = after.trim_start_matches(SPACES);
    if !annotation.starts_with(['(', '（']) {
        return None;
    }
    let spaces = after.len() - annotation.len();
    match annotation_at(annotation, han)? {
        (len, Match::Exact) => Some(spaces + len),
        (_, Match::Toneless) => None,
    }
}

/// Whether `bytes` (any slice of a line, which may cut a character) may hold one of
/// [`SPACES`]: a space, or a no-break space (`C2 A0`). Not any `A0`: it is a continuation byte
/// of one Han character in some thirty (`亠`, E4 BA A0), and the ends of most joins of Chinese
/// text held one, which sent them the long way for nothing. The bytes a slice cut from a
/// no-break space count as one: `A0` first (its `C2` before the slice), `C2` last.
fn may_hold_space(bytes: &[u8]) -> bool {
    if bytes.first() == Some(&0xA0) {
        return true;
    }
    // `C2` leads only U+0080–U+00BF (`·`, `°`, `§`): rare in Chinese text, each looked at.
    memchr::memchr2_iter(b' ', 0xC2, bytes)
        .any(|at| bytes[at] == b' ' || bytes.get(at + 1).map_or(true, |&next| next == 0xA0))
}

/// Whether `bytes` (any slice of a line, which may cut a character) hold `(` or the bytes of
/// `（`. One pass over a short slice sixteen bytes at a time, without the set-up of a
/// substring searcher.
fn may_hold_open_parenthesis(bytes: &[u8]) -> bool {
    // `（` is EF BC 88: its last byte is looked for, and its first two are checked behind it.
    // 0x88 ends many Han characters too (a few stops in the slice): a byte search set out
    // again from each, where the blocks' masks hold them all already.
    visit_positions_in_ranges(bytes, &[(b'(', 1), (0x88, 1)], |i| {
        let open = bytes[i] == b'(' || (i >= 2 && bytes[i - 2..i] == [0xEF, 0xBC]);
        if open {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .is_break()
}

/// Does the first batch of a document carry at least one tone-marked annotation that checks out?
/// Only then are toneless ones trusted.
pub fn has_tone_marked_annotations<'a>(lines: impl IntoIterator<Item = &'a str>) -> bool {
    // Only the parentheses are visited, as `strip_annotations` visits them (a decoding of
    // every character of each line holding one was most of this look's cost): the character
    // an annotation follows is the last one before it past the spaces polish would remove.
    lines.into_iter().any(|line| {
        visit_open_parentheses(line.as_bytes(), |i| {
            let previous = line[..i].trim_end_matches(SPACES).chars().next_back();
            let found = previous.is_some_and(is_han)
                && annotation_at(&line[i..], previous.unwrap_or(' '))
                    .is_some_and(|(_, how)| how == Match::Exact)
                && line[i..]
                    .chars()
                    .take(MAX_SYLLABLE_BYTES)
                    .any(is_tone_marked);
            if found {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .is_break()
            // Only a line strip takes annotations from says the document has them. A tone-marked
            // one in a Korean or Japanese line stays there ([`strip_annotations_counting_columns`])
            // and is no sign that toneless ones elsewhere are pinyin. A join can complete one in
            // such a line, which only a second cleaning would then find (the fuzz finding
            // `annotation-completed-in-a-korean-paragraph-lets-strip-take-toneless-ones`: `中(` +
            // `zhōng)캀`, and `習(xi)` taken by the second cleaning only).
            && Language::of_paragraph(line, Language::Chinese) == Language::Chinese
    })
}

/// Can the parenthesis at byte `open` of `bytes` (`(` or `（`) open an annotation, as far as
/// the byte after it tells? An annotation's body starts with a space or a pinyin letter, whose
/// first byte is one of a few ([`annotation_at`] finds none otherwise): most parentheses of
/// Chinese text open a Han character, a digit or a word in capitals, and are passed over
/// without the look behind them for a Han character (a trim, a character decoded backwards),
/// which cost more than the rest of the scan.
fn may_open_annotation(bytes: &[u8], open: usize) -> bool {
    let open_len = if bytes[open] == b'(' { 1 } else { "（".len() };
    bytes
        .get(open + open_len)
        .is_some_and(|&b| may_start_annotation_body(b))
}

/// Is `b` the first byte of a space of [`SPACES`] or a pinyin letter (`is_pinyin_letter`), or
/// of a few other characters? ASCII lower case and the space; `C2`–`C7`, the leads of U+0080–
/// U+01FF (the no-break space, `ü` and the tone-marked vowels); `E1`, the lead of `ḿ`.
fn may_start_annotation_body(b: u8) -> bool {
    b.is_ascii_lowercase() || b == b' ' || matches!(b, 0xC2..=0xC7 | 0xE1)
}

/// An annotation `(syllable)` at the start of `text` that is a reading of `han`: its byte length.
fn annotation_at(text: &str, han: char) -> Option<(usize, Match)> {
    let open = text.chars().next()?;
    let body_start = open.len_utf8();
    // Spaces inside the parentheses (`( shè)`, NBSPs too, however many) are the layout's:
    // cleaning takes them away, and a second cleaning would find the annotation.
    let inner = &text[body_start..];
    let rest = inner.trim_start_matches(SPACES);
    let syllable_len = rest
        .char_indices()
        .take(MAX_SYLLABLE_BYTES)
        .find(|(_, c)| !is_pinyin_letter(*c))
        .map(|(i, _)| i)?;
    let syllable = &rest[..syllable_len];
    let after = rest[syllable_len..].trim_start_matches(SPACES);
    let close = after.chars().next().filter(|c| matches!(c, ')' | '）'))?;
    if syllable.is_empty() {
        return None;
    }
    let how = reading_match(han, syllable)?;
    Some((text.len() - after.len() + close.len_utf8(), how))
}

/// Lower-case Latin letters and the tone-marked vowels of Hanyu Pinyin.
fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || is_tone_marked(c) || c == 'ü'
}

fn is_tone_marked(c: char) -> bool {
    matches!(
        c,
        'ā' | 'á'
            | 'ǎ'
            | 'à'
            | 'ē'
            | 'é'
            | 'ě'
            | 'è'
            | 'ī'
            | 'í'
            | 'ǐ'
            | 'ì'
            | 'ō'
            | 'ó'
            | 'ǒ'
            | 'ò'
            | 'ū'
            | 'ú'
            | 'ǔ'
            | 'ù'
            | 'ǖ'
            | 'ǘ'
            | 'ǚ'
            | 'ǜ'
            | 'ń'
            | 'ň'
            | 'ǹ'
            | 'ḿ'
    )
}

/// The syllable without tone marks (`ü` kept, as the dictionary writes it).
fn toneless(c: char) -> char {
    match c {
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
        'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'ü',
        'ń' | 'ň' | 'ǹ' => 'n',
        'ḿ' => 'm',
        other => other,
    }
}

fn same_toneless(a: &str, b: &str) -> bool {
    // `lv` is how ü is typed on a keyboard.
    let normal = |c: char| match toneless(c) {
        'v' => 'ü',
        other => other,
    };
    a.chars().map(normal).eq(b.chars().map(normal))
}

/// Is `syllable` a reading of `han` (any heteronym)?
fn reading_match(han: char, syllable: &str) -> Option<Match> {
    let readings = han.to_pinyin_multi()?;
    // Exact readings first: they are what annotations almost always are, and need no
    // character-by-character comparison.
    if readings.into_iter().any(|r| r.with_tone() == syllable) {
        return Some(Match::Exact);
    }
    readings
        .into_iter()
        .any(|r| same_toneless(r.with_tone(), syllable))
        .then_some(Match::Toneless)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick look at the byte after a parenthesis passes every character an annotation's
    /// body can start with (a space of `SPACES`, a pinyin letter), over all of Unicode.
    #[test]
    fn every_annotation_body_start_passes_the_quick_look() {
        let starts = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|&c| is_pinyin_letter(c) || SPACES.contains(&c));
        for c in starts {
            let mut utf8 = [0; 4];
            let first = c.encode_utf8(&mut utf8).as_bytes()[0];
            assert!(may_start_annotation_body(first), "{c:?}");
        }
        for open in ["(", "（"] {
            assert!(may_open_annotation(format!("中{open}zhōng)").as_bytes(), 3));
            assert!(!may_open_annotation(format!("中{open}一)").as_bytes(), 3));
            assert!(!may_open_annotation(format!("中{open}").as_bytes(), 3));
        }
    }

    /// Calls `expected` and `found` with slices of generated lines: lines of 0–39 of `pieces`
    /// (every piece at every place over the seeds), each cut at its first six and last six
    /// bytes, whole characters or not. Asserts that the two agree on every slice, and that
    /// both answers were met.
    fn quick_look_agrees_on_every_slice(
        pieces: &[&str],
        expected: impl Fn(&[u8]) -> bool,
        found: impl Fn(&[u8]) -> bool,
    ) {
        let mut met = [false, false];
        for seed in 0..400usize {
            let line: String = (0..seed % 40)
                .map(|k| pieces[(seed * 7 + k * (k + seed)) % pieces.len()])
                .collect();
            let bytes = line.as_bytes();
            for start in 0..=bytes.len().min(6) {
                for end in (start..=bytes.len()).rev().take(6) {
                    let slice = &bytes[start..end];
                    let answer = expected(slice);
                    assert_eq!(found(slice), answer, "{slice:?}");
                    met[usize::from(answer)] = true;
                }
            }
        }
        assert_eq!(met, [true, true]);
    }

    /// The join's quick look finds `(` and `（` in any slice of a line, whole characters or
    /// not, and nothing else: not `丈` (E4 B8 88), whose last byte is the last of `（`, nor
    /// `（`'s last byte cut from the bytes before it.
    #[test]
    fn the_quick_look_for_an_open_parenthesis_finds_exactly_them() {
        quick_look_agrees_on_every_slice(
            &["中", "丈", "（", "(", "a", "，", "）", "ü"],
            |slice| slice.contains(&b'(') || slice.windows(3).any(|w| w == "（".as_bytes()),
            may_hold_open_parenthesis,
        );
    }

    /// The join's quick look for a space finds ` ` and the no-break space in any slice of a
    /// line, and the bytes at its ends that may be cut from one; not the `A0` of `亠`
    /// (E4 BA A0) or `堠` (E5 A0 A0), nor a whole `·` (C2 B7).
    #[test]
    fn the_quick_look_for_a_space_finds_them_and_not_the_bytes_of_others() {
        quick_look_agrees_on_every_slice(
            &["中", "亠", "堠", "·", " ", "\u{a0}", "a", "（"],
            |slice| {
                // The slice cannot tell which character a cut byte was part of.
                let may_be_cut_no_break_space =
                    slice.first() == Some(&0xA0) || slice.last() == Some(&0xC2);
                slice.contains(&b' ')
                    || slice.windows(2).any(|w| w == [0xC2, 0xA0])
                    || may_be_cut_no_break_space
            },
            may_hold_space,
        );
    }

    /// The one pass over a line finds where each `(` and `（` starts, in order, as a walk over
    /// its characters does: not `丈` (E4 B8 88) nor `舰` (E8 88 B0), which hold `（`'s last
    /// byte, nor `伈` (E4 BC 88), which ends in its last two.
    #[test]
    fn the_one_pass_finds_every_open_parenthesis_in_order() {
        let pieces = [
            "中", "丈", "舰", "伈", "（", "(", "a", " ", "）", "ü", "\u{a0}",
        ];
        let mut most = 0;
        for seed in 0..2000usize {
            let line: String = (0..seed % 40)
                .map(|k| pieces[(seed * 7 + k * (k + seed)) % pieces.len()])
                .collect();
            let expected: Vec<usize> = line
                .char_indices()
                .filter(|&(_, c)| matches!(c, '(' | '（'))
                .map(|(i, _)| i)
                .collect();
            let mut found = Vec::new();
            let _ = visit_open_parentheses(line.as_bytes(), |i| {
                found.push(i);
                ControlFlow::Continue(())
            });
            assert_eq!(found, expected, "{line:?}");
            most = most.max(expected.len());
        }
        assert!(most >= 3);
    }

    #[test]
    fn a_join_that_makes_a_kept_annotation_chinese_is_refused() {
        // Korean alone (one Hangul syllable against eight Han characters), so it keeps the
        // reading; one Han character more makes the line Chinese.
        let korean = "中(zhōng)怊츭华人民共和规定";
        assert_eq!(strip_annotations(korean, false).1, 0);
        assert!(join_unlocks_annotation("革", false, korean));
        // A Chinese line loses its annotation alone: the join changes nothing.
        assert!(!join_unlocks_annotation(
            "革",
            false,
            "中(zhōng)国人民共和规定"
        ));
        // A Korean line whose join keeps it Korean, or holds no annotation.
        assert!(!join_unlocks_annotation("한국어", true, korean));
        assert!(!join_unlocks_annotation(
            "革",
            false,
            "中怊츭华人民共和规定"
        ));
    }

    fn strip(line: &str, allow_toneless: bool) -> String {
        strip_annotations(line, allow_toneless).0.into_owned()
    }

    #[test]
    fn annotations_after_no_han_stay() {
        for input in ["(xí)習", "a(xí)", "a (xí)"] {
            assert_eq!(strip_annotations(input, false), (Cow::Borrowed(input), 0));
        }
    }

    #[test]
    fn removes_verified_annotations() {
        let cases = [
            ("習(xí)近平", "習近平"),
            ("建設(shè)", "建設"),
            ("我們(men)的", "我們的"),
            ("關(guān)於", "關於"),
            ("指導(dǎo)", "指導"),
            ("負責(zé)人", "負責人"),
            ("職責(zé)規(guī)定", "職責規定"),
            ("習（xí）近平", "習近平"),          // full-width parentheses
            ("習(xí)近平學（xué）", "習近平學"), // both widths in one line
            ("落實(shí)(2021-2025年)", "落實(2021-2025年)"),
            // An annotation right after a removed one follows the same character.
            ("習(xí)(xí)近", "習近"),
            ("習（xí）(a)中(zhōng)", "習(a)中"),
            // Spaces in between go with it: polish would glue the two (the fuzz finding), and a
            // second cleaning would then remove the annotation.
            ("習 (xí)近平", "習近平"),
            ("導 (dǎo)認", "導認"),
            ("建設(\u{a0}shè)", "建設"),
            ("建設（ shè ）工作", "建設工作"),
            ("導\u{a0}(dǎo)", "導"),
            ("習習(            xí)", "習習"),
            ("習(xí)  (xí)近", "習近"),
        ];
        for (input, expected) in cases {
            let (out, n) = strip_annotations(input, false);
            assert_eq!(out, expected, "{input:?}");
            assert!(n > 0, "{input:?}");
        }
    }

    #[test]
    fn leaves_alone() {
        for input in [
            "《綱要(2021-2025年)》",
            "(一)強化組織保障",
            "LED(LED)顯示屏",
            "顯示屏(LED)",
            "世界卫生组织(WHO)",
            "網民留言(12345市長熱線)",
            "(以下简称《条例》)",
            "条款(a)",
            "标准(GB 50180)",
            "習(xi)近平",   // toneless: not trusted without document evidence
            "習(shè)近平",  // a syllable, but not a reading of 習
            "abc(xí)",      // not after a Han character
            "習(Xí)近平",   // not how the annotations are written
            "習(xíxí)近平", // not one syllable
            // Japanese and Korean: a reading that happens to be pinyin stays.
            "東京(jīng)の大学です",
            "北京(jīng)에 갔다",
        ] {
            let (out, n) = strip_annotations(input, false);
            assert!(matches!(out, Cow::Borrowed(_)), "{input:?} -> {out:?}");
            assert_eq!(n, 0);
        }
        // With toneless syllables trusted, a wrong one is still kept.
        assert_eq!(strip("習(she)近平", true), "習(she)近平");
        assert_eq!(strip("附件(a)", true), "附件(a)");
    }

    #[test]
    fn a_join_that_completes_an_annotation_is_told() {
        for (before, after) in [
            ("習(xí", ")"),
            ("習", "(xí)近平"),
            ("習（x", "í）"),
            ("習 ", "(xí)"),
            // A kana letter a few characters on, in text that reads as Chinese whole: the
            // language is read on the whole, not on the ends.
            ("中(", "zhōng)鎬婌汉銆€娣ヤ藉皦关情鍐"),
        ] {
            assert!(
                join_completes_annotation(before, false, after),
                "{before} + {after}"
            );
        }
        for (before, after) in [
            // Complete on either side already, or no annotation at all.
            ("習(xí)", "近平"),
            ("近平", "習(xí)"),
            ("详见附件(see", " below)"),
            ("中文", "正文"),
        ] {
            assert!(
                !join_completes_annotation(before, false, after),
                "{before} + {after}"
            );
        }
        // The space reflow puts between two ASCII words breaks the syllable.
        assert!(!join_completes_annotation("習(x", true, "í)"));
        // Long lines: only the ends near the join are read (the quick byte search of those
        // ends must find what the character count finds), whatever comes before.
        let long = "中".repeat(40);
        assert!(join_completes_annotation(
            &format!("{long}習(x"),
            false,
            "í)"
        ));
        assert!(join_completes_annotation(
            &format!("{long}習"),
            false,
            &format!("（xí）{long}")
        ));
        assert!(!join_completes_annotation(
            &format!("習(xí){long}"),
            false,
            "近平"
        ));
        assert!(!join_completes_annotation(
            &format!("習(x{long}"),
            false,
            "í)"
        ));
        // Spaces, however many, between the character and its annotation or inside the
        // parentheses are read past: cleaning takes them away (the fuzz finding
        // `pipeline-idempotence-99bf3b077dadee6a`: `習習`, 13 spaces, `(xí` + `)`).
        let spaces = " ".repeat(100);
        for (before, after) in [
            (format!("習習{spaces}(xí"), ")".to_string()),
            (format!("習{spaces}"), format!("(xí{spaces}){long}")),
            ("習".to_string(), format!("{spaces}({spaces}xí)")),
            (format!("{long}習(\u{a0}{spaces}"), "xí)".to_string()),
        ] {
            assert!(
                join_completes_annotation(&before, false, &after),
                "{before} + {after}"
            );
        }
        assert!(!join_completes_annotation(
            &format!("習(xí){spaces}"),
            false,
            &format!("{spaces}近平")
        ));
        // Beside kana (U+FFFD shares its first bytes with them, so the quick scan cannot tell),
        // the answer is the same however many spaces the texts hold: cleaning squeezes them,
        // and a second cleaning must decide alike (the fuzz finding
        // `clean-idempotence-95234f4fa2741a08`: a line of 4,031 spaces, past a bound in bytes
        // that the 912 left by the first cleaning were within).
        for n in [0, 10, 912, 4031, 10_000] {
            let spaces = " ".repeat(n);
            let before = format!("\u{fffd}{spaces}\u{fffd}7k（\u{fffd}\u{2fa1f}");
            assert!(!join_completes_annotation(
                &before,
                false,
                "\u{fffd}求\u{fffd}求"
            ));
            let before = format!("中文{spaces}中(");
            assert!(
                join_completes_annotation(&before, false, "zhōng)ヤ华人民共和国中华人民共和国"),
                "{n}"
            );
            let before = format!("日本語の{spaces}京(");
            assert!(
                !join_completes_annotation(&before, false, "kyō)のこと"),
                "{n}"
            );
        }
    }

    #[test]
    fn toneless_syllables_need_document_evidence() {
        assert_eq!(strip("習(xi)近平", true), "習近平");
        assert_eq!(strip("綠(lv)色", true), "綠色");
        assert!(has_tone_marked_annotations(["建設(shè)工作"]));
        assert!(!has_tone_marked_annotations(["建設(she)工作"]));
        assert!(!has_tone_marked_annotations(["我們(men)的"])); // no tone mark to go by
        assert!(!has_tone_marked_annotations(["(一)强化", "LED(LED)"]));
        // A Korean or Japanese line keeps its annotations, and says nothing of the document's.
        assert!(!has_tone_marked_annotations([
            "中(zhōng)캀",
            "京(jīng)都の代表"
        ]));
        assert!(has_tone_marked_annotations(["中(zhōng)캀", "中(zhōng)国"]));
    }

    #[test]
    fn an_annotation_opening_a_line_is_found_after_its_character() {
        assert_eq!(annotation_opening("行政应", "(yīng)诉工作"), Some(7));
        assert_eq!(annotation_opening("行政应 ", " （yīng）诉"), Some(1 + 11));
        assert_eq!(annotation_opening("習", "(xí)近平"), Some(5));
        // Not a reading, no tone mark, not an annotation, no Han character before it.
        assert_eq!(annotation_opening("行政应", "(zhōng)诉"), None);
        assert_eq!(annotation_opening("行政应", "(ying)诉"), None);
        assert_eq!(annotation_opening("中", "(2021年)"), None);
        assert_eq!(annotation_opening("中", "（一）"), None);
        assert_eq!(annotation_opening("应。", "(yīng)诉"), None);
        assert_eq!(annotation_opening("", "(yīng)诉"), None);
        assert_eq!(annotation_opening("应", "诉(yīng)"), None);
    }
}
