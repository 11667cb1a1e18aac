//! Page-number lines: the forms a page number takes on a line of its own.
//!
//! Two strengths. A *decorated* number says it is a page number by its form and is a page
//! boundary wherever it stands alone: `— 3 —`, `- 3 -`, `－3－`, `·3·`, `第3页`, `第 3 页`,
//! `第3页共10页` (pdftotext prints a spaced `第 3 页 共 10 页` footer without its spaces), `共10页
//! 第3页`, `Page 3`, `Page 3 of 10`. A *bare* number (`3`) or a fraction (`3/10`) says nothing
//! by itself — a numbered table has the same lines — and is a page number only in the right
//! company (at a page edge, climbing; see the `furniture` module, which uses this one).
//!
//! And the key under which a line at a page edge is compared with the other pages' edges, to
//! find running headers and footers ([`edge_key`]).

use std::ops::ControlFlow;

use super::triggers::any_after;
use crate::text::nibble_pairs::{
    nibble_range, visit_nibble_pairs, NibblePairs, NibbleProduct, ANY_NIBBLE,
};
use crate::text::{is_han, is_line_space};

/// Is the dash-like character one that decorates page numbers?
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '—' | '–' | '－' | '―' | '‒' | '~' | '～' | '·' | '•' | '∙' | '・'
    )
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

fn parse_number(digits: &str) -> Option<u32> {
    let digits = digits.trim_matches(is_space);
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// "Page" in either script: strip runs before conversion, so a Traditional document's footer
/// reads `第3頁`; recognising only `页` would leave it for the second clean, after conversion
/// (and cleaning would not be idempotent).
const PAGE: [char; 2] = ['页', '頁'];

/// `第3页` → 3 (the text without its spaces).
fn page_word(part: &str) -> Option<u32> {
    part.strip_prefix('第')?
        .strip_suffix(PAGE)
        .and_then(parse_number)
}

/// `共10页` → 10 (the text without its spaces).
fn total_word(part: &str) -> Option<u32> {
    part.strip_prefix('共')?
        .strip_suffix(PAGE)
        .and_then(parse_number)
}

/// `第3页共10页`, `第3页/共10页`, `共10页第3页`, `第3页`: the text without its spaces.
fn chinese_page_number(squeezed: &str) -> Option<u32> {
    if let Some(n) = page_word(squeezed) {
        return Some(n);
    }
    // Two parts, the page and the total, in either order, maybe with a separator between.
    let cut = squeezed.find(PAGE)? + '页'.len_utf8();
    let (first, second) = squeezed.split_at(cut);
    let second = second.trim_start_matches(['/', '，', ',', '|', '、']);
    match (page_word(first), total_word(second)) {
        (Some(n), Some(total)) if n <= total => Some(n),
        (Some(_), Some(_)) => None,
        _ => match (total_word(first), page_word(second)) {
            (Some(total), Some(n)) if n <= total => Some(n),
            _ => None,
        },
    }
}

/// A decorated page number: the whole (trimmed) line is one, and it says which page; or one
/// with a label beside it, a wide gap between (`labelled`).
pub fn decorated_page_number(line: &str) -> Option<u32> {
    let line = line.trim_matches(crate::text::is_line_space);
    decorated(line).or_else(|| labelled(line, decorated))
}

/// The longest label beside a page number, in characters: an office's name, a journal's issue.
const MAX_LABEL_CHARS: usize = 24;

/// The line split at each of its wide gaps (an ideographic space, a tab, or two spaces or
/// more), first to last: the parts before and after it, trimmed.
fn splits_at_gaps(line: &str) -> impl Iterator<Item = (&str, &str)> {
    let gap = |c: char| is_space(c) || c == '\t';
    gap_starts(line).map(move |at| {
        (
            line[..at].trim_end_matches(gap),
            line[at..].trim_start_matches(gap),
        )
    })
}

/// Where the wide gaps of `line` start, first to last: the byte offset of each ideographic
/// space (`E3 80 80`), each tab, and each space followed by another. Found by their bytes, not
/// by decoding every character: this runs on every line that starts or ends as a page number
/// may, and most have no gap. Each byte looked for starts a character (ASCII, or the lead byte
/// 0xE3, never a continuation byte), so every offset is a character boundary.
fn gap_starts(line: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = line.as_bytes();
    memchr::memchr3_iter(b'\t', b' ', 0xE3, bytes).filter(move |&at| match bytes[at] {
        b' ' => bytes.get(at + 1) == Some(&b' '),
        0xE3 => bytes[at + 1..].starts_with(&[0x80, 0x80]),
        _ => true,
    })
}

/// A label that may stand beside a page number: short, no sentence, no number of pages itself,
/// and written as an office's or a document's name is (see [`is_name_char`]), with a Han
/// character or a letter in it. Its length is counted without spaces: polish takes some away
/// (`〉 〉`, `“办公厅 ”`), and a second cleaning must find the label the first did not.
///
/// The label is removed with the number, so a label that is no name keeps the line: mojibake
/// (`玳〉〉  ç  ˆ`), which the body holds as well, is text the footer rule has no right to.
fn is_label(text: &str) -> bool {
    !text.is_empty()
        && text.chars().filter(|c| !is_space(*c)).count() <= MAX_LABEL_CHARS
        && text.chars().all(is_name_char)
        && text.chars().any(|c| is_han(c) || c.is_alphabetic())
        && brackets_are_closed(text)
        && decorated(text).is_none()
        && bare_number(text).is_none()
}

/// A character of an office's, a journal's or a document's name as a footer prints it
/// (`沂源县发展和改革委员会`, `1998年第5期`, `“某某局”文件`, `《某某报》`, `XX-2021/3`): Han
/// characters, ASCII letters and digits in either width (normalize narrows the full-width ones
/// after strip in some lines), spaces, and the few marks names hold. Sentence punctuation is
/// not one (a sentence is body text), nor is any other letter: accented Latin letters and
/// modifier letters (`ç`, `Ã`, `ˆ`) beside Chinese are the signs of mojibake.
fn is_name_char(c: char) -> bool {
    is_han(c)
        || c.is_ascii_alphanumeric()
        || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
        || is_space(c)
        || c == '\t'
        || bracket(c).is_some()
        || NAME_MARKS.contains(c)
}

/// The marks besides brackets and quotation marks that a name may hold: a straight quotation
/// mark, dots, dashes, slashes, colons, the enumeration comma, `#`, `&`.
const NAME_MARKS: &str = "\"·・-—–－_/／.．:：、#&";

/// An opening (`true`) or closing bracket or quotation mark of a name, and which pair it is
/// of. The two widths of a parenthesis are one pair: polish widens `(` beside Chinese, and may
/// widen one of the two.
fn bracket(c: char) -> Option<(u8, bool)> {
    Some(match c {
        '(' | '（' => (0, true),
        ')' | '）' => (0, false),
        '《' => (1, true),
        '》' => (1, false),
        '〈' => (2, true),
        '〉' => (2, false),
        '【' => (3, true),
        '】' => (3, false),
        '〔' => (4, true),
        '〕' => (4, false),
        '“' => (5, true),
        '”' => (5, false),
        '‘' => (6, true),
        '’' => (6, false),
        _ => return None,
    })
}

/// Is every bracket and quotation mark of a label closed, in order (`《某某报》`, `“某局”`)?
/// A name opens what it closes; a closing mark with none open (`玳〉〉`) is mojibake's.
fn brackets_are_closed(label: &str) -> bool {
    // A label holds at most `MAX_LABEL_CHARS` characters besides spaces, so at most that many
    // are open at once.
    let mut open = [0u8; MAX_LABEL_CHARS];
    let mut depth = 0;
    for (kind, opens) in label.chars().filter_map(bracket) {
        if opens {
            if depth == open.len() {
                return false;
            }
            open[depth] = kind;
            depth += 1;
        } else if depth > 0 && open[depth - 1] == kind {
            depth -= 1;
        } else {
            return false;
        }
    }
    depth == 0 && label.matches('"').count() % 2 == 0
}

/// A page number (as `number` reads one) with a label beside it, a wide gap between: a footer
/// that holds the office's name and the number on one line (`某某局　　第 3 页 共 5 页`, `- 3 -
/// 某某局`), as Tika prints a PDF's footer. The label is short and no sentence (see
/// [`is_label`]). Either part may hold gaps itself (`第3  页  某某局`, `某某局 2021  年  第3页`),
/// which cleaning takes away (polish, between a digit or a letter and Chinese), and a second
/// cleaning would then split at another gap: each gap is tried, first to last.
fn labelled(line: &str, number: fn(&str) -> Option<u32>) -> Option<u32> {
    // The number stands at one end: rules out nearly every line before any search.
    let (first, last) = (line.chars().next()?, line.chars().next_back()?);
    let may_end = may_end_page_number(last);
    let may_start = may_start_page_number(first);
    if !(may_end || may_start) {
        return None;
    }
    if line.len() > MAX_LABELLED_BYTES {
        // Collapsing keeps every byte but spaces, so a line with more of those than the limit
        // collapses to too much: a count of its spaces rules out the long lines of text
        // (numbered items, sentences ending in a digit) before any is decoded and copied. The
        // count of a prefix twice the limit long rules out nearly all of them already (what
        // is not a space there is not one in the line either), not the whole of each.
        let non_spaces = |bytes: &[u8]| bytes.len() - memchr::memchr_iter(b' ', bytes).count();
        let bytes = line.as_bytes();
        let prefix = &bytes[..bytes.len().min(2 * MAX_LABELLED_BYTES)];
        if non_spaces(prefix) > MAX_LABELLED_BYTES || non_spaces(bytes) > MAX_LABELLED_BYTES {
            return None;
        }
        // Long only for its runs of spaces, it is measured as cleaning may leave it: polish
        // takes such a run away beside a bracket or between Chinese and a letter, and a second
        // cleaning must not find a short footer the first did not.
        let collapsed = collapse_space_runs(line)?;
        return labelled_in(&collapsed, number, may_start, may_end);
    }
    labelled_in(line, number, may_start, may_end)
}

/// The most bytes of a line with a labelled page number, each run of spaces counted as two: a
/// label's characters and a page number's, all of the widest.
const MAX_LABELLED_BYTES: usize = 4 * (MAX_LABEL_CHARS + 24);

/// The line with each run of more than two spaces made two: the same wide gaps, the same
/// label (its length is counted without spaces), in a string no longer than its other
/// characters make it. `None` when that is still longer than [`MAX_LABELLED_BYTES`].
fn collapse_space_runs(line: &str) -> Option<String> {
    let mut collapsed = String::with_capacity(MAX_LABELLED_BYTES);
    let mut spaces = 0;
    for c in line.chars() {
        if c == ' ' {
            spaces += 1;
            if spaces > 2 {
                continue;
            }
        } else {
            spaces = 0;
        }
        if collapsed.len() + c.len_utf8() > MAX_LABELLED_BYTES {
            return None;
        }
        collapsed.push(c);
    }
    Some(collapsed)
}

/// [`labelled`] of a line no longer than [`MAX_LABELLED_BYTES`], which may start or end with
/// a number.
fn labelled_in(
    line: &str,
    number: fn(&str) -> Option<u32>,
    may_start: bool,
    may_end: bool,
) -> Option<u32> {
    // The number is asked first, on either side: it looks at its part's ends and rules out
    // nearly every split, where the label's test decodes its part whole, several times over
    // (both are pure: the order changes no answer).
    if may_end {
        let found =
            splits_at_gaps(line).find_map(|(left, right)| number(right).filter(|_| is_label(left)));
        if found.is_some() {
            return found;
        }
    }
    if !may_start {
        return None;
    }
    splits_at_gaps(line).find_map(|(left, right)| number(left).filter(|_| is_label(right)))
}

/// Can a page number (of any form here) start with `c`: a dash, `第`, `共`, the `P` of `Page`,
/// a digit?
fn may_start_page_number(c: char) -> bool {
    is_dash(c) || matches!(c, '第' | '共' | 'P') || c.is_ascii_digit()
}

/// Can a page number (of any form here) end with `c`: a dash, `页` or `頁`, a digit?
fn may_end_page_number(c: char) -> bool {
    is_dash(c) || PAGE.contains(&c) || c.is_ascii_digit()
}

/// Every character a page number may start or end with ([`may_start_page_number`],
/// [`may_end_page_number`]: the dashes, `第`, `共`, `P`, `页`, `頁`, the digits) and every line
/// space trimmed before them ([`is_line_space`]).
const EDGE_CHARS: &[char] = &[
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-', '—', '–', '－', '―', '‒', '~', '～',
    '·', '•', '∙', '・', '第', '共', 'P', '页', '頁', ' ', '\t', '\u{3000}', '\u{00A0}',
];

/// The bytes of `c` in UTF-8 (its first `len`).
const fn utf8_of(c: char) -> ([u8; 4], usize) {
    const fn tail(c: u32, shift: u32) -> u8 {
        0x80 | ((c >> shift) & 0x3F) as u8
    }
    let c = c as u32;
    if c < 0x80 {
        ([c as u8, 0, 0, 0], 1)
    } else if c < 0x800 {
        ([0xC0 | (c >> 6) as u8, tail(c, 0), 0, 0], 2)
    } else if c < 0x1_0000 {
        ([0xE0 | (c >> 12) as u8, tail(c, 6), tail(c, 0), 0], 3)
    } else {
        (
            [0xF0 | (c >> 18) as u8, tail(c, 12), tail(c, 6), tail(c, 0)],
            4,
        )
    }
}

/// The key of a line's start: its first byte, and the second after a lead byte (an ASCII
/// character is one byte: a zero stands for the rest).
fn start_key(bytes: &[u8]) -> u16 {
    match bytes {
        [first, second, ..] if *first >= 0x80 => u16::from_be_bytes([*first, *second]),
        [first, ..] => u16::from_be_bytes([*first, 0]),
        [] => 0,
    }
}

/// The key of a line's end: its last byte, and the one before it when the last is not ASCII.
fn end_key(bytes: &[u8]) -> u16 {
    match bytes {
        [.., before, last] if *last >= 0x80 => u16::from_be_bytes([*before, *last]),
        [.., last] => u16::from_be_bytes([0, *last]),
        [] => 0,
    }
}

/// A set of keys, one bit each.
struct KeySet([u64; 1024]);

impl KeySet {
    /// The start keys (`end` false) or the end keys of the characters of `chars`.
    const fn of(chars: &[char], end: bool) -> KeySet {
        let mut bits = [0u64; 1024];
        let mut i = 0;
        while i < chars.len() {
            let (bytes, len) = utf8_of(chars[i]);
            let key = match (end, len) {
                (false, 1) => (bytes[0] as u16) << 8,
                (false, _) => (bytes[0] as u16) << 8 | bytes[1] as u16,
                (true, 1) => bytes[0] as u16,
                (true, _) => (bytes[len - 2] as u16) << 8 | bytes[len - 1] as u16,
            };
            bits[(key >> 6) as usize] |= 1 << (key & 63);
            i += 1;
        }
        KeySet(bits)
    }

    fn holds(&self, key: u16) -> bool {
        self.0[usize::from(key >> 6)] >> (key & 63) & 1 != 0
    }
}

/// The start keys of [`EDGE_CHARS`]: a line whose start key is none starts with a character
/// that is neither a line space nor one a page number may start with.
static EDGE_STARTS: KeySet = KeySet::of(EDGE_CHARS, false);
/// The end keys of [`EDGE_CHARS`]: a line whose end key is none ends likewise.
static EDGE_ENDS: KeySet = KeySet::of(EDGE_CHARS, true);

/// Can `line` be a page number of any form: [`decorated_page_number`], [`bare_number`] or
/// [`labelled_bare_number`]? Each form has its number at one end of the trimmed line, which
/// starts as a number may (a dash, `第`, `共`, `Page`, a digit) or ends as one may (a dash,
/// `页`, a digit); a label stands at the other end. The page model asks this of every line
/// first: one look at the two ends rules out nearly all lines of text, which the forms would
/// each trim and decode again.
pub fn may_be_page_number(line: &str) -> bool {
    // The line's first and last two bytes first: a line of text that starts with neither a
    // space nor a character a number may start with, and ends likewise, is none. Nearly every
    // line is ruled out by two bit reads, before any character is decoded (a lead byte alone
    // rules out too few: `第`, `共` and `页` lead as half the Han characters do).
    let bytes = line.as_bytes();
    if !EDGE_STARTS.holds(start_key(bytes)) && !EDGE_ENDS.holds(end_key(bytes)) {
        return false;
    }
    // The ends of the trimmed line, found without trimming it: most lines have no space at
    // either end, and this decodes one character at each.
    let Some(first) = line.chars().find(|c| !is_line_space(*c)) else {
        return false;
    };
    may_start_page_number(first)
        || line
            .chars()
            .rfind(|c| !is_line_space(*c))
            .is_some_and(may_end_page_number)
}

/// A bare page number with a label beside it, a wide gap between (`某某局　　3`): a line about
/// pages whose digits change from page to page (see the `furniture` module's edges), and a
/// page number in the company a bare number needs.
pub fn labelled_bare_number(line: &str) -> Option<u32> {
    let line = line.trim_matches(crate::text::is_line_space);
    labelled(line, bare_number)
}

/// [`decorated_page_number`] of a trimmed line, without a label.
fn decorated(line: &str) -> Option<u32> {
    // The first and last characters first: this runs on every line, and they rule out nearly
    // all. No length test before the spaces are out: cleaning takes those between a digit and
    // Chinese away (`第3` and 22 spaces and `页`), and a second cleaning must find the same.
    let first = line.chars().next()?;
    let last = line.chars().next_back()?;
    // — 3 —, - 3 -, －3－, ·3·: a dash on both sides of a number.
    if is_dash(first) && is_dash(last) {
        let inner = line.trim_matches(|c: char| is_dash(c) || is_space(c));
        return parse_number(inner);
    }
    // 第3页, 第 3 页, 第3页 共10页, 第3页共10页, 共10页 第3页.
    if (first == '第' || first == '共') && PAGE.contains(&last) {
        let squeezed: String = line.chars().filter(|c| !is_space(*c)).collect();
        if squeezed.chars().count() > 24 {
            return None;
        }
        return chinese_page_number(&squeezed);
    }
    // Page 3, Page 3 of 10.
    if let Some(rest) = line.strip_prefix("Page ") {
        return match rest.split_once(" of ") {
            Some((n, total)) => {
                let (n, total) = (parse_number(n)?, parse_number(total)?);
                (n <= total).then_some(n)
            }
            None => parse_number(rest),
        };
    }
    None
}

/// The most bytes of a (trimmed) line [`bare_number`] takes: `9999 / 9999`, and a little more.
pub const BARE_NUMBER_BYTES: usize = 12;

/// A bare number on a line of its own (`3`), or a fraction of pages (`3/10`, `3 / 10`): a page
/// number only in the right company.
pub fn bare_number(line: &str) -> Option<u32> {
    let line = line.trim_matches(crate::text::is_line_space);
    if line.len() > BARE_NUMBER_BYTES {
        return None;
    }
    if let Some((n, total)) = line.split_once('/') {
        let (n, total) = (parse_number(n)?, parse_number(total)?);
        return (n >= 1 && n <= total).then_some(n);
    }
    parse_number(line)
}

/// The longest line that can be a running header or footer, in characters.
pub const MAX_HEADER_CHARS: usize = 40;

/// The key under which an edge line is compared with other pages' edges: without spaces, each
/// run of digits as one `#`. `None`: the line cannot be a running header or footer.
pub fn edge_key(text: &str) -> Option<String> {
    let mut key = String::new();
    edge_key_into(text, &mut key).then_some(key)
}

/// [`edge_key`] written into `key` (cleared first), so a page's edge lines share one buffer;
/// false, with `key` of no use, when the line cannot be a running header or footer. One pass
/// over the line builds the key and counts its characters.
pub fn edge_key_into(text: &str, key: &mut String) -> bool {
    key.clear();
    let text = text.trim_matches(is_line_space);
    if text.is_empty()
        || text.len() > MAX_HEADER_CHARS * 4
        // A sentence is body text, however short.
        || text.ends_with(['。', '！', '？', '；', '!', '?', ';'])
        // So is a line cut inside a sentence, after a comma or an opening mark: a header or a
        // footer never ends so, and a paragraph's opening words wrapped alone on a line
        // (`根据《某某规划纲要》，`) may stand at the foot of two pages by chance.
        || text.ends_with(['，', '、', ',', '《', '“', '（', '「', '『', '【', '〔'])
        // (`bare_number` takes no line of more bytes than a fraction of pages has.)
        || (text.len() <= BARE_NUMBER_BYTES && bare_number(text).is_some())
    {
        return false;
    }
    // The characters are counted, and the bytes of spaces, digits and control characters
    // found, without decoding a character: a line at a page edge is mostly one of body text,
    // some forty characters that hold none or a few of them.
    let bytes = text.as_bytes();
    if bytes.iter().filter(|&&b| !is_continuation_byte(b)).count() > MAX_HEADER_CHARS {
        return false;
    }
    let mut in_digits = false;
    // The start of the run of characters kept as they are, copied whole when it ends.
    let mut kept = 0;
    let found = visit_nibble_pairs(bytes, &EDGE_KEY_STOPS, |at| {
        let (len, digit) = match bytes[at] {
            b' ' => (1, false),
            b'0'..=b'9' => (1, true),
            0xC2 => match bytes.get(at + 1) {
                // A C1 control.
                Some(0x80..=0x9F) => return ControlFlow::Break(()),
                Some(0xA0) => (2, false),
                // Another character from U+00A1 to U+00BF (`·`, `°`): kept.
                _ => return ControlFlow::Continue(()),
            },
            0xE3 if bytes.get(at + 2) == Some(&0x80) => (3, false),
            // CJK punctuation (`、`, `。`, `《`): kept.
            0xE3 => return ControlFlow::Continue(()),
            // A C0 control (the tab among them, and a form feed kept inside a line with the
            // form-feed rule off, which is not ours to remove), or DEL.
            _ => return ControlFlow::Break(()),
        };
        // A character kept since the last space or digit ends a run of digits.
        in_digits &= kept == at;
        key.push_str(&text[kept..at]);
        kept = at + len;
        if digit && !in_digits {
            key.push('#');
        }
        in_digits |= digit;
        ControlFlow::Continue(())
    });
    if found.is_break() {
        key.clear();
        return false;
    }
    key.push_str(&text[kept..]);
    true
}

/// Where [`edge_key_into`] looks at a line's bytes: the space, digits and C0 controls (the tab
/// among them) and DEL, each followed by any byte; `C2`, which starts the C1 controls and the
/// no-break space (and other characters, told apart by the byte after it); `E3 80`, which starts
/// the ideographic space (`E3 80 80`; CJK punctuation too, told apart by the third byte).
const EDGE_KEY_STOPS: NibblePairs = NibblePairs::new(&[
    NibbleProduct {
        lead_high: 0b11,
        lead_low: ANY_NIBBLE,
        next_high: ANY_NIBBLE,
        next_low: ANY_NIBBLE,
    },
    NibbleProduct {
        lead_high: 1 << 3,
        lead_low: nibble_range(0, 9),
        next_high: ANY_NIBBLE,
        next_low: ANY_NIBBLE,
    },
    any_after(b' '),
    any_after(0x7F),
    any_after(0xC2),
    NibbleProduct::pair(0xE3, 0x80, 0x80),
]);

fn is_continuation_byte(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Are `a` and `b` the same text once their spaces are taken out? Compared character by
/// character, without building either text without its spaces: the page model keeps an edge
/// line as it first saw it and compares it only when it sees it again, which most edge lines
/// never are (building each one's text without spaces, a character at a time, was most of
/// their cost).
pub fn same_but_spaces(a: &str, b: &str) -> bool {
    without_spaces(a).eq(without_spaces(b))
}

fn without_spaces(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| !is_line_space(*c))
}

/// Splits a line at form feeds, keeping each form feed as a piece of its own.
pub fn split_form_feeds(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // A form feed is one byte: the byte search, not the search for a character (which
        // the page model's first look at every line of the first batch paid for).
        match memchr::memchr(b'\x0C', rest.as_bytes()) {
            Some(0) => {
                let (ff, tail) = rest.split_at(1);
                rest = tail;
                Some(ff)
            }
            Some(i) => {
                let (head, tail) = rest.split_at(i);
                rest = tail;
                Some(head)
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decorated_page_numbers() {
        let cases = [
            ("— 3 —", 3),
            ("—3—", 3),
            ("- 3 -", 3),
            ("-3-", 3),
            ("－3－", 3),
            ("—12—", 12),
            ("·3·", 3),
            ("  - 7 -  ", 7),
            ("第3页 共10页", 3),
            ("第3页共10页", 3),
            ("第 3 页 共 10 页", 3),
            ("第3页/共10页", 3),
            ("第3页，共10页", 3),
            ("共10页 第3页", 3),
            ("共10页第3页", 3),
            ("第 3 页", 3),
            ("第3页", 3),
            ("第3頁", 3),
            ("第 3 頁 共 10 頁", 3),
            ("Page 3", 3),
            ("Page 3 of 10", 3),
            // However many spaces: cleaning takes them away (the fuzz finding).
            ("第3                      页", 3),
            ("-                                                                                 3 -", 3),
        ];
        for (input, n) in cases {
            assert_eq!(decorated_page_number(input), Some(n), "{input:?}");
        }
        for input in [
            "3",
            "3/10",
            "- 3",
            "3 -",
            "—3—5—",
            "第3页的内容",
            "见第3页。",
            "第三页",
            "第3页共2页",
            "第3页，共计",
            "第3条第5页",
            "共3页",
            "2021-2025",
            "（3）",
            "Page three",
            "Page 12 of 3",
            "-",
            "——",
            "— 一 —",
            "第3条",
        ] {
            assert_eq!(decorated_page_number(input), None, "{input:?}");
        }
    }

    #[test]
    fn page_numbers_with_a_label_beside_them() {
        for (input, n) in [
            ("沂源县发展和改革委员会　　第 1 页 共 3 页", 1),
            ("沂源县发展和改革委员会  — 2 —", 2),
            ("- 3 -\t運城市司法局", 3),
            ("1998年第5期　　第4页", 4),
            // A gap inside the number, which cleaning takes away: the label is after the last.
            ("第3  页  某某局", 3),
            // A gap inside the label, which polish takes away (the fuzz finding: mojibake read
            // as Han and a digit, which a second cleaning read as a label).
            ("绗3  垫  第3页", 3),
            ("某某局 2021  年  第3页", 3),
            // A label measured without its spaces, which polish may take away.
            ("第3页  “沂源县发展和改革委员会 办公厅” 2021 年第 5 期", 3),
        ] {
            assert_eq!(decorated_page_number(input), Some(n), "{input:?}");
        }
        // A sentence, a label too long for a footer, no wide gap, or a gap inside the text:
        // text, whatever number ends it.
        for input in [
            "详见附件，第3页",
            "具体内容请见　第3页。",
            "详见附件第3页",
            "详见附件 第3页",
            "这是一段很长的正文内容不是页脚而是正文中的一句话虽然它没有标点　第3页",
            "第3页　　第4页",
            "第3页  “沂源县发展和改革委员会办公厅文件” 2021 年第 5 期",
            "沂源县发展和改革委员会　　3",
            "一、总体情况　　- 3",
        ] {
            assert_eq!(decorated_page_number(input), None, "{input:?}");
        }
    }

    #[test]
    fn a_label_is_written_as_a_name() {
        for (input, n) in [
            ("《沂源日报》  第3页", 3),
            ("第3页  中共沂源县委、县政府", 3),
            ("第3页  某某局（办公室）", 3),
            ("第3页  某某局(办公室）", 3),
            ("- 3 -  ZHCLEAN-2021/5", 3),
            ("第3页  Annual Report", 3),
        ] {
            assert_eq!(decorated_page_number(input), Some(n), "{input:?}");
        }
        // Mojibake beside a page number is no office's name, and the line is text: the label
        // would go with the number. The fuzz finding first (a second cleaning removed it, `玳`
        // with it), then letters no name holds, marks no name closes, marks alone.
        for input in [
            "第3页  玳〉〉  ç  ˆ ç  ˆ〉坺h艒ng wÃ",
            "第3  页  ˆ",
            "第3  页  é  ¡",
            "第3页  涓浗Ã",
            "第3页  某某局〉",
            "第3页  《某某局",
            "第3页  》某某局《",
            "第3页  “某某局",
            "第3页  某某局\u{FFFD}",
            "第3页  ——",
            "第3页  かな",
        ] {
            assert_eq!(decorated_page_number(input), None, "{input:?}");
        }
    }

    #[test]
    fn a_long_line_is_measured_without_its_runs_of_spaces() {
        // Polish may take a run of spaces away (beside a bracket, between Chinese and a letter):
        // the line must read the same before and after.
        let spaced = format!("第3页  某某局{}ABC", " ".repeat(150));
        assert_eq!(decorated_page_number(&spaced), Some(3));
        assert_eq!(decorated_page_number("第3页  某某局ABC"), Some(3));
        let spaced = format!("第3页  玳〉{}坺h", " ".repeat(150));
        assert_eq!(decorated_page_number(&spaced), None);
        // Long for its other characters, it is no footer however its spaces go.
        let long = format!("第3页  {}", "某".repeat(80));
        assert_eq!(decorated_page_number(&long), None);
        assert_eq!(labelled_bare_number("大理市发展和改革委员会　　3"), Some(3));
        assert_eq!(labelled_bare_number("3  大理市发展和改革委员会"), Some(3));
        for input in [
            "附件3",
            "附件　3。",
            "3　4",
            "大理市发展和改革委员会 3",
            "2021年　　3月",
        ] {
            assert_eq!(labelled_bare_number(input), None, "{input:?}");
        }
    }

    /// `labelled` rules out a long line by the count of its bytes besides spaces, before it
    /// collapses the line: that holds while collapsing keeps every other byte, so a line with
    /// more of them than the limit collapses to too much.
    #[test]
    fn a_line_long_for_more_than_its_spaces_collapses_to_too_much() {
        for other in ["某", "a", "\t", "\u{3000}", "3"] {
            for spaces in [0, 1, 2, 3, 50] {
                let count = MAX_LABELLED_BYTES / other.len() + 1;
                let line = format!("{}{}", other.repeat(count), " ".repeat(spaces));
                assert!(line.len() - spaces > MAX_LABELLED_BYTES);
                assert_eq!(collapse_space_runs(&line), None, "{other:?} {spaces}");
            }
        }
        let spaced = format!("第3页{}某某局", " ".repeat(MAX_LABELLED_BYTES));
        assert!(collapse_space_runs(&spaced).is_some());
        assert_eq!(decorated_page_number(&spaced), Some(3));
    }

    #[test]
    fn bare_numbers_and_fractions() {
        assert_eq!(bare_number("3"), Some(3));
        assert_eq!(bare_number(" 12 "), Some(12));
        assert_eq!(bare_number("3/10"), Some(3));
        assert_eq!(bare_number("3 / 10"), Some(3));
        for input in ["", "3.", "2021年", "12/3", "0/3", "12345", "1/2/3", "三"] {
            assert_eq!(bare_number(input), None, "{input:?}");
        }
    }

    /// The wide gaps found by their bytes are those a walk over the characters finds: an
    /// ideographic space, a tab, a space before another; not the other characters that share
    /// a lead byte with the ideographic space (`、。「ぁ`).
    #[test]
    fn gaps_are_found_by_their_bytes() {
        let by_chars = |line: &str| -> Vec<usize> {
            let bytes = line.as_bytes();
            line.char_indices()
                .filter(|&(at, c)| {
                    c == '\u{3000}' || c == '\t' || (c == ' ' && bytes.get(at + 1) == Some(&b' '))
                })
                .map(|(at, _)| at)
                .collect()
        };
        for line in [
            "",
            "某某局　　第 3 页",
            "第3  页  某某局",
            "甲   乙 丙\t丁",
            "、。「」ぁ　",
            "\u{3000}",
            " ",
            "  ",
            "ab \t",
            "正文，没有空隙。",
        ] {
            assert_eq!(
                gap_starts(line).collect::<Vec<_>>(),
                by_chars(line),
                "{line:?}"
            );
        }
    }

    /// Every line one of the forms reads as a page number passes [`may_be_page_number`]: the
    /// forms' own cases, and every line of up to four characters from those page numbers are
    /// made of (with Han and Latin letters, spaces and gaps).
    #[test]
    fn every_page_number_may_be_one() {
        let is_number = |line: &str| {
            decorated_page_number(line)
                .or_else(|| bare_number(line))
                .or_else(|| labelled_bare_number(line))
                .is_some()
        };
        let cases = [
            "— 3 —",
            "·3·",
            "  - 7 -  ",
            "第 3 页 共 10 页",
            "共10页 第3页",
            "第3頁",
            "Page 3 of 10",
            "沂源县发展和改革委员会　　第 1 页 共 3 页",
            "- 3 -\t運城市司法局",
            "第3  页  某某局",
            "大理市发展和改革委员会　　3",
            "3  大理市发展和改革委员会",
            "\u{a0}3 / 10\u{3000}",
        ];
        for line in cases {
            assert!(is_number(line), "{line:?}");
            assert!(may_be_page_number(line), "{line:?}");
        }
        let alphabet = [
            "1", "2", "/", "-", "—", "·", "第", "页", "頁", "共", "P", "a", "局", " ", "  ",
            "\u{3000}", "\t", "\u{a0}", "Page ", " of ",
        ];
        let mut lines = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = lines
                .iter()
                .flat_map(|line| alphabet.iter().map(move |part| format!("{line}{part}")))
                .collect();
            for line in &longer {
                if is_number(line) {
                    assert!(may_be_page_number(line), "{line:?}");
                }
            }
            lines = longer;
        }
        for line in ["正文一段。", "第一条　根据", "  ", "", "附件"] {
            assert!(!is_number(line), "{line:?}");
        }
        assert!(!may_be_page_number("正文一段。"));
        assert!(!may_be_page_number(""));
        assert!(!may_be_page_number("  "));
    }

    /// The quick look at a line's end bytes rules out no line the characters' own tests would
    /// let through: every character of the whole of Unicode that a page number may start or
    /// end with, or that is a line space, has its start key among the starts and its end key
    /// among the ends (each key is read from the first or the last character alone); and it
    /// rules out lines of text that start and end as prose does, those whose first or last
    /// byte `第`, `共`, `页` or `頁` share too.
    #[test]
    fn the_end_bytes_rule_out_no_line_the_characters_let_through() {
        let mut kept = 0;
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if may_start_page_number(c) || may_end_page_number(c) || is_line_space(c) {
                let mut utf8 = [0; 4];
                let bytes = c.encode_utf8(&mut utf8).as_bytes();
                assert!(EDGE_STARTS.holds(start_key(bytes)), "{c:?}");
                assert!(EDGE_ENDS.holds(end_key(bytes)), "{c:?}");
                kept += 1;
            }
        }
        assert_eq!(kept, EDGE_CHARS.len());
        for line in ["正文一段。", "一条规定。", "总体情况", "附件", "纪", "abc"] {
            let bytes = line.as_bytes();
            assert!(!EDGE_STARTS.holds(start_key(bytes)), "{line:?}");
            assert!(!EDGE_ENDS.holds(end_key(bytes)), "{line:?}");
            assert!(!may_be_page_number(line), "{line:?}");
        }
        // A line space or a digit at either end: the characters decide.
        assert!(may_be_page_number("正文 3"));
        assert!(may_be_page_number("　- 3 -"));
        assert!(!may_be_page_number("　正文。 "));
    }

    #[test]
    fn form_feed_pieces() {
        let pieces: Vec<&str> = split_form_feeds("甲\u{000C}乙\u{000C}").collect();
        assert_eq!(pieces, ["甲", "\u{000C}", "乙", "\u{000C}"]);
        assert_eq!(split_form_feeds("").count(), 0);
    }
}
