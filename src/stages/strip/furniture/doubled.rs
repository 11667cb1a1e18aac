//! The doubled-first-line rule: a document that begins with two copies of one short line (Tika
//! prints a Word header once, above the title it repeats) loses the first. The page model
//! applies it to the lines as they come out (`Furniture::settle_opening`).

use std::ops::Range;

use super::super::page::edge_key;
use crate::stages::Line;

/// How many lines the first of two copies may be set over: a title split over lines that
/// reflow joins (`2021年法治政府建设年度`, a page number, `情况报告`, then the whole title).
pub(super) const MAX_DOUBLED_PARTS: usize = 3;

/// The lines of the first of two copies of one short line that begin `lines` (Tika prints a
/// Word header once, above the title it repeats): the copy that goes, as the range of lines
/// from its first part to its last. The first copy may be set over up to
/// [`MAX_DOUBLED_PARTS`] lines, which reflow would join into one: the rule sees them as
/// joined, since a second cleaning sees two copies of one line where the first saw parts (the
/// fuzz finding `clean-idempotence-ff8714c97ee7e788`). Exactly two copies: of three, cleaning
/// again would take another. A line after them that begins with the copy counts as a third:
/// reflow may join the next line to it (`�`, `�`, `�`, then `，`), and a second cleaning
/// would find three copies where the first found two, or two where it found three.
pub(super) fn doubled_first_line(lines: &[Line]) -> Option<Range<usize>> {
    let texts: Vec<(usize, &Line)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.text.is_empty())
        .take(MAX_DOUBLED_PARTS + 2)
        .collect();
    for parts in 1..=MAX_DOUBLED_PARTS {
        let Some(&(_, copy)) = texts.get(parts) else {
            break;
        };
        let after = texts.get(parts + 1).map(|(_, l)| l.text.as_str());
        let doubled = texts[..=parts].iter().all(|(_, l)| !l.open)
            && joins_to(
                texts[..parts].iter().map(|(_, l)| l.text.as_str()),
                &copy.text,
            )
            && !after.is_some_and(|after| after.starts_with(copy.text.as_str()))
            && edge_key(&copy.text).is_some();
        if doubled {
            return Some(texts[0].0..texts[parts - 1].0 + 1);
        }
    }
    None
}

/// Is `whole` the `parts` joined as reflow joins lines: nothing between them, or one space
/// (between two ASCII words)?
fn joins_to<'a>(mut parts: impl Iterator<Item = &'a str>, whole: &str) -> bool {
    let Some(mut rest) = parts.next().and_then(|first| whole.strip_prefix(first)) else {
        return false;
    };
    for part in parts {
        let Some(after) = rest.strip_prefix(part).or_else(|| {
            rest.strip_prefix(' ')
                .and_then(|spaced| spaced.strip_prefix(part))
        }) else {
            return false;
        };
        rest = after;
    }
    rest.is_empty()
}
