//! The older measure of a hard wrap: the columns of a monospace layout, for a document with too
//! few lines of Chinese for a width model ([`super::WidthModel::fit`]).

use crate::stages::Line;

use super::super::shape::{count_spaces, width};
use super::{MIN_WRAPPED_LINES, WRAP_SLACK, WRAP_WIDTHS};

/// Finds the wrap width of a hard-wrapped document from the widths of its first lines: the most
/// common width, when most lines are that wide (within `WRAP_SLACK`) and almost none wider.
pub fn detect_wrap_width(lines: &[Line]) -> Option<usize> {
    let measured = |l: &&Line| !l.open && !l.text.trim().is_empty();
    // Before measuring: a document with too few lines, or with more than one line in twenty
    // surely wider than any wrap width, is no hard-wrapped one (below, `almost_none_wider`
    // would say so after measuring every line). A character other than a space is at most 4
    // bytes and at least one column wide, a space none: a line of more bytes besides its
    // spaces than 4 × the widest wrap width believed is wider than any wrap width.
    const SURELY_WIDER_BYTES: usize = 4 * *WRAP_WIDTHS.end();
    let (count, surely_wider) = lines.iter().filter(measured).fold((0, 0), |(n, wide), l| {
        let bytes = l.text.len();
        let wider =
            bytes > SURELY_WIDER_BYTES && bytes - count_spaces(&l.text) > SURELY_WIDER_BYTES;
        (n + 1, wide + usize::from(wider))
    });
    if count < MIN_WRAPPED_LINES || surely_wider * 20 > count {
        return None;
    }
    let widths: Vec<usize> = lines
        .iter()
        .filter(measured)
        .map(|l| width(&l.text) + usize::from(l.stripped_columns))
        .collect();
    let mut histogram = std::collections::BTreeMap::new();
    for w in &widths {
        *histogram.entry(*w).or_insert(0usize) += 1;
    }
    // The most common width; on a tie the wider one (the full line).
    let (&mode, _) = histogram
        .iter()
        .max_by_key(|(width, count)| (**count, **width))?;
    // The page width is the widest line near the most common width (lines with a digit or a
    // Latin letter in them come out a column or two narrower).
    let wrap = widths
        .iter()
        .copied()
        .filter(|w| (mode..=mode + WRAP_SLACK).contains(w))
        .max()
        .unwrap_or(mode);
    if !WRAP_WIDTHS.contains(&wrap) {
        return None;
    }
    let full = widths
        .iter()
        .filter(|w| (wrap.saturating_sub(WRAP_SLACK)..=wrap).contains(*w))
        .count();
    let wider = widths.iter().filter(|w| **w > wrap).count();
    let mostly_full = full * 2 >= widths.len() && full >= MIN_WRAPPED_LINES;
    let almost_none_wider = wider * 20 <= widths.len();
    (mostly_full && almost_none_wider).then_some(wrap)
}
