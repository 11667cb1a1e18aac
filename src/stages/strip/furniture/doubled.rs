//! The doubled-first-line rule: a document that begins with two copies of one short line (Tika
//! prints a Word header once, above the title it repeats) loses the first. The page model
//! applies it to the lines as they come out (`Furniture::settle_opening`).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use super::super::page::edge_key;
use crate::stages::convert::{Config, ConvertOptions, Converter, Evidence, Script};
use crate::stages::polish::{remove_cjk_ascii_spaces, remove_mark_spaces, widen_punctuation};
use crate::stages::reflow::{continues_title, title_join_joins};
use crate::stages::Line;
use crate::text::join_needs_space;

/// How many lines one of the two copies may be set over: a title split over lines that reflow
/// joins (`2021年法治政府建设年度`, a page number, `情况报告`, then the whole title).
pub(super) const MAX_DOUBLED_PARTS: usize = 3;

/// How many lines of text [`doubled_first_line`] reads: two copies in parts, the line after
/// them, and as much again from the second copy on.
pub(super) const TEXTS_READ: usize = 3 * MAX_DOUBLED_PARTS + 1;

/// The lines of the first of two copies of one short line that begin `lines` (Tika prints a
/// Word header once, above the title it repeats): the copy that goes, as the range of lines
/// from its first part to its last.
///
/// Either copy, or both, may be set over up to [`MAX_DOUBLED_PARTS`] lines, which reflow would
/// join into one: the rule sees them as joined, since a second cleaning sees two copies of one line where
/// the first saw parts (the fuzz findings `clean-idempotence-ff8714c97ee7e788`, the first copy
/// split by a page number, and `clean-idempotence-52741e6c44e1f3b5`, the second split by a form
/// feed; `clean-idempotence-468b401690e0c05b`, both, split at different places). With both in
/// parts, the first copy's parts are joined as reflow joins them and the second's compared with
/// that line as when the first copy is one line already, so that the decision holds on reflow's
/// output (`pipeline-idempotence-478c54d95afffd5e`). Exactly two copies: of three, cleaning again would take another. A line after them
/// that begins with the copy counts as a third: reflow may join the next line to it (`�`, `�`,
/// `�`, then `，`), and a second cleaning would find three copies where the first found two, or
/// two where it found three. Nor when what is left begins with a doubled line again (`�`, `�`,
/// `�`, `��`: the second `�` and the `�` after it make `��`): a second cleaning would take
/// that one's first copy too (the fuzz finding `clean-idempotence-5b5257f7a7100983`).
///
/// The copies are read as the output holds them: a line right under the same line, with no
/// page break between them (`gap` empty lines: one, or two under `--blank-line`), is a copy
/// of its own, not the second part of one copy, unless reflow's title join makes the two one
/// line (a bracket left open). Five copies of one line, each one line, are no two copies set
/// over two lines each (the fault campaign's `pipeline-idempotence-78efedae034d0422`: the
/// first cleaning kept the five lines its joins made, the second took two).
pub(super) fn doubled_first_line(lines: &[Line], gap: usize) -> Option<Range<usize>> {
    let copy = first_copy(lines, gap)?;
    first_copy(&lines[copy.end..], gap)
        .is_none()
        .then_some(copy)
}

/// A line of text at the top as reflow's title join leaves it: one line, or lines it joins
/// into one.
struct Joined {
    /// The index of its first line among the lines read, and of its last.
    first: usize,
    last: usize,
    line: Line,
    /// Its text as the rule compares it ([`as_polished`]).
    key: String,
}

/// The lines of text at the top of `lines` as reflow's title join makes them (up to `count`
/// of them): lines it joins, across page breaks as it does, are read as the one line the
/// output holds, since a second cleaning reads that line (the fuzz finding
/// `pipeline-idempotence-758c5bd93555db0d`: a line, then four pieces cut by form feeds that
/// the title join makes two lines of, which with it are two copies of one line to a second
/// cleaning; the first read the four pieces as too many parts for a copy).
fn joined_texts(lines: &[Line], count: usize) -> Vec<Joined> {
    let mut texts: Vec<Joined> = Vec::with_capacity(count);
    for (at, line) in lines.iter().enumerate() {
        if line.text.is_empty() {
            continue;
        }
        if let Some(held) = texts.last_mut() {
            if !held.line.open && !line.open && title_join_joins(&held.line.text, &line.text) {
                if join_needs_space(held.line.text.chars().next_back(), line.text.chars().next()) {
                    held.line.text.push(' ');
                }
                held.line.text.push_str(&line.text);
                held.last = at;
                continue;
            }
        }
        if texts.len() == count {
            break;
        }
        texts.push(Joined {
            first: at,
            last: at,
            line: line.clone(),
            key: String::new(),
        });
    }
    for joined in &mut texts {
        joined.key = in_one_script(&as_polished(&joined.line.text)).into_owned();
    }
    texts
}

/// [`doubled_first_line`] without the look at what is left.
fn first_copy(lines: &[Line], gap: usize) -> Option<Range<usize>> {
    let texts = joined_texts(lines, 2 * MAX_DOUBLED_PARTS + 1);
    // The lines' texts as the rule compares them ([`as_polished`]).
    let key = |i: usize| texts.get(i).map(|j| j.key.as_str());
    // The first copy in `first` parts, the second in `second`: one of them a single line
    // first, then both in parts.
    let splits = (1..=MAX_DOUBLED_PARTS)
        .map(|parts| (parts, 1))
        .chain((2..=MAX_DOUBLED_PARTS).map(|parts| (1, parts)))
        .chain((2..=MAX_DOUBLED_PARTS).flat_map(|a| (2..=MAX_DOUBLED_PARTS).map(move |b| (a, b))));
    for (first, second) in splits {
        if texts.len() < first + second {
            continue;
        }
        let keys = |range: std::ops::Range<usize>| texts[range].iter().map(|j| j.key.as_str());
        let whole: String = match (first, second) {
            (_, 1) => texts[first].key.clone(),
            (1, _) => texts[0].key.clone(),
            _ => keys(0..first).collect(),
        };
        let same = match (first, second) {
            (_, 1) => joins_to(keys(0..first), &whole),
            (1, _) => joins_to(keys(1..1 + second), &whole),
            // Both in parts: the first copy's parts must join with nothing between (no ASCII
            // on both sides of a seam), so that `whole` is the line reflow makes of them; the
            // second copy's are then compared as when the first is one line, so the decision
            // is the one a second cleaning takes on the joined title (the fuzz finding
            // `pipeline-idempotence-478c54d95afffd5e`: `2021年…年度`, a page number, `情况报告`,
            // then `202` / `1年…情况报告`, which reflow does not join).
            _ => spaceless_seams(keys(0..first)) && joins_to(keys(first..first + second), &whole),
        };
        let doubled = texts[..first + second].iter().all(|j| !j.line.open)
            && same
            && make_one_line(&texts[..first], gap)
            && make_one_line(&texts[first..first + second], gap)
            && !key(first + second).is_some_and(|after| after.starts_with(whole.as_str()))
            && edge_key(&whole).is_some()
            && holds_a_letter(&whole);
        if doubled {
            return Some(texts[0].first..texts[first - 1].last + 1);
        }
    }
    None
}

/// A line as the rule compares it: its half-width punctuation widened in Chinese text, and
/// without the spaces polish takes away between Chinese and ASCII text and beside quotation
/// marks and brackets. The rule runs before polish, so the first cleaning reads lines a second
/// reads polished: compared so, both take the same copies (the fuzz findings
/// `doubled-first-line-read-as-polish-leaves-it`: `g件  一` over `g 件  一`, kept by the first,
/// were two copies of `g件  一` to the second; and
/// `doubled-first-line-read-before-polish-widens-its-bracket`: `中(` over `中 (`, which polish
/// makes `中（` both).
fn as_polished(text: &str) -> Cow<'_, str> {
    let widened = widen_punctuation(text).0;
    let tight = match remove_cjk_ascii_spaces(&widened).0 {
        Cow::Borrowed(_) => widened,
        Cow::Owned(tight) => Cow::Owned(tight),
    };
    match remove_mark_spaces(&tight).0 {
        Cow::Borrowed(_) => tight,
        Cow::Owned(tighter) => Cow::Owned(tighter),
    }
}

/// Traditional to Simplified, for [`in_one_script`].
static FOLD_TO_SIMPLIFIED: LazyLock<Converter> =
    LazyLock::new(|| Converter::new(Config::T2s, ConvertOptions::default()));

/// A line as the rule compares it across scripts: a line holding characters only Traditional
/// Chinese writes is read converted to Simplified. Convert decides each paragraph apart, so
/// copies the rule reads alike may come out one converted and one not, or the other way round
/// (the fuzz findings `doubled-first-line-copies-converted-apart` and `…-2`: three lines that
/// begin alike, two of them converted, read as two copies by a second cleaning). The tables
/// are loaded only for a document whose first lines hold Traditional characters.
fn in_one_script(text: &str) -> Cow<'_, str> {
    if Evidence::any_only_in(text, Script::Traditional) {
        Cow::Owned(FOLD_TO_SIMPLIFIED.convert(text).into_owned())
    } else {
        Cow::Borrowed(text)
    }
}

/// Do these parts of one copy make one line in the output: no part right under the same
/// line (no page break between them) unless reflow's title join joins the two? Two such lines
/// stay two lines, each a copy of its own.
fn make_one_line(parts: &[Joined], gap: usize) -> bool {
    let mut joined = String::new();
    for pair in parts.windows(2) {
        let (before, part) = (&pair[0].line, &pair[1].line);
        joined.push_str(&before.text);
        let page_break = pair[1].first - pair[0].last > gap;
        if pair[1].key == pair[0].key && !page_break && !continues_title(&joined, &part.text) {
            return false;
        }
    }
    true
}

/// Does the line hold a letter (a Han character, a Latin letter, a digit)? A header a tool
/// printed above the title it repeats is text; lines of U+FFFD and marks alone are no header,
/// and how reflow joins them decides whether a second cleaning sees two copies or three (the
/// fuzz finding `clean-idempotence-61945acbf8eb00d8`: `��`, `��`, `�`, `�`, `，`).
fn holds_a_letter(line: &str) -> bool {
    line.chars().any(char::is_alphanumeric)
}

/// Does reflow join each of these lines to the one before it with nothing between? It puts a
/// space between two ASCII words only; this asks less, no ASCII character on both sides of a
/// seam, so that the first of two copies both set over lines is the line reflow makes of it.
fn spaceless_seams<'a>(lines: impl Iterator<Item = &'a str>) -> bool {
    let mut before: Option<char> = None;
    for line in lines {
        let after = line.chars().next();
        if before.is_some_and(|c| c.is_ascii()) && after.is_some_and(|c| c.is_ascii()) {
            return false;
        }
        before = line.chars().next_back();
    }
    true
}

/// Is `whole` the `parts` joined as reflow joins lines: one space where two ASCII words meet
/// (`text::join_needs_space`), nothing at any other seam? Exactly so: a first copy `2` /
/// `021年…` is no copy of `2021年…`, which reflow never makes of it, and a second cleaning,
/// finding the lines as the first left them, would otherwise take them for one (the fuzz
/// finding `pipeline-idempotence-eb11fb6dff92d09d`).
fn joins_to<'a>(mut parts: impl Iterator<Item = &'a str>, whole: &str) -> bool {
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut rest) = whole.strip_prefix(first) else {
        return false;
    };
    let mut before = first.chars().next_back();
    for part in parts {
        let seam = if join_needs_space(before, part.chars().next()) {
            rest.strip_prefix(' ')
        } else {
            Some(rest)
        };
        let Some(after) = seam.and_then(|r| r.strip_prefix(part)) else {
            return false;
        };
        rest = after;
        before = part.chars().next_back().or(before);
    }
    rest.is_empty()
}
