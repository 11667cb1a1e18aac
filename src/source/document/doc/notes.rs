//! Where a .doc's footnotes and endnotes are cited: each note is written after the paragraph
//! (or table row) holding its reference mark, as the other readers write them.
//!
//! A PlcffndRef (PlcfendRef for endnotes, [MS-DOC] 2.8.14) holds the CP of each reference mark
//! in the main text, n + 1 CPs then n two-byte FRDs; a PlcffndTxt (PlcfendTxt) the start of
//! each note's text in its story, n + 2 CPs (the last two close the last note and the story).

use std::ops::Range;

use super::u32_at;

/// The notes of one story: (the CP of its reference mark, its text's CPs), in note order;
/// `None` when the tables are absent or do not agree (the whole story is then read after the
/// main text, so nothing is lost).
pub(super) fn cited(
    table: &[u8],
    refs: Range<usize>,
    texts: Range<usize>,
    story: Range<u32>,
) -> Option<Vec<(u32, Range<u32>)>> {
    if story.is_empty() {
        return Some(Vec::new());
    }
    let refs = table.get(refs)?;
    let texts = table.get(texts)?;
    if refs.len() < 4 || (refs.len() - 4) % 6 != 0 {
        return None;
    }
    let n = (refs.len() - 4) / 6;
    if texts.len() != 4 * (n + 2) {
        return None;
    }
    let mut notes = Vec::with_capacity(n);
    for i in 0..n {
        let cp = u32_at(refs, 4 * i)?;
        let start = u32_at(texts, 4 * i)?;
        let end = u32_at(texts, 4 * (i + 1))?;
        // Relative to the story; outside it, or backwards, is damage.
        let range = story.start.checked_add(start)?..story.start.checked_add(end)?;
        if range.start > range.end || range.end > story.end {
            return None;
        }
        notes.push((cp, range));
    }
    Some(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plc(cps: &[u32], data: usize) -> Vec<u8> {
        let mut out: Vec<u8> = cps.iter().flat_map(|cp| cp.to_le_bytes()).collect();
        out.extend(vec![0u8; data]);
        out
    }

    #[test]
    fn references_and_texts_are_paired() {
        let mut table = plc(&[5, 40, 100], 2 * 2);
        let refs = 0..table.len();
        table.extend(plc(&[0, 12, 30, 31], 0));
        let texts = refs.end..table.len();
        assert_eq!(
            cited(&table, refs.clone(), texts.clone(), 200..231),
            Some(vec![(5, 200..212), (40, 212..230)])
        );
        // A note running past its story, tables that disagree, tables outside the stream.
        assert_eq!(cited(&table, refs.clone(), texts.clone(), 200..220), None);
        assert_eq!(cited(&table, refs.clone(), 0..8, 200..231), None);
        assert_eq!(cited(&table, refs, 500..600, 200..231), None);
        // No story: no notes, whatever the tables say.
        assert_eq!(cited(&table, 0..0, 0..0, 231..231), Some(vec![]));
    }
}
