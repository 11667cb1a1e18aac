//! The paragraph properties a .doc's text needs: whether a paragraph is in a table or ends a
//! table row, which list numbers it (`sprmPIlfo`, `sprmPIlvl`) — directly, or through its
//! paragraph style (a heading style that numbers its headings) — and whether its style hides
//! its text.
//!
//! Paragraph properties are kept by file offset in the PapxFkp pages of the PlcBtePapx
//! ([MS-DOC] 2.8.5, 2.9.175): each run of offsets is one paragraph, with its style (istd) and
//! the sprms that differ from the style ([`styles`] reads the style's own).
//!
//! Damage gives what could be read: these properties only refine how tables are laid out and
//! add numbers, so a page or style that cannot be read is left out, never a failed document.

use std::ops::Range;

use super::styles::{self, Style};
use super::{fkp_pages, u16_at, u32_at, Sprms};

/// sprms of paragraph properties: in a table, a table row's end mark (outer and nested).
const SPRM_P_F_IN_TABLE: u16 = 0x2416;
const SPRM_P_F_TTP: u16 = 0x2417;
const SPRM_P_F_INNER_TTP: u16 = 0x244C;
const SPRM_P_F_INNER_TABLE_CELL: u16 = 0x244B;

/// What one paragraph's properties say, of what the text needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Paragraph {
    /// In a table: `Some(row end)`.
    pub table: Option<bool>,
    /// The list numbering it: (LFO index, level).
    pub list: Option<(u16, u8)>,
    /// Its style hides (`Some(true)`) or shows its text; `None` when it says nothing.
    pub style_vanish: Option<bool>,
}

/// The paragraphs of the WordDocument stream by file offset.
#[derive(Debug, Default)]
pub(super) struct Paragraphs {
    /// (start, end, properties) of each paragraph with any, sorted.
    ranges: Vec<(u32, u32, Paragraph)>,
}

impl Paragraphs {
    /// Reads the PapxFkp pages of the PlcBtePapx (`bte`), with the `styles` for numbering
    /// and hidden text that come from a paragraph's style.
    pub(super) fn parse(
        word: &[u8],
        table: &[u8],
        bte: Range<usize>,
        styles: &[Style],
    ) -> Paragraphs {
        let mut ranges = Vec::new();
        for fkp in fkp_pages(word, table, bte) {
            read_papx_fkp(fkp, styles, &mut ranges);
        }
        ranges.sort_unstable_by_key(|&(start, end, _)| (start, end));
        Paragraphs { ranges }
    }

    /// The properties of the paragraph holding the byte at `offset`.
    pub(super) fn at(&self, offset: usize) -> Paragraph {
        let Ok(offset) = u32::try_from(offset) else {
            return Paragraph::default();
        };
        let i = self
            .ranges
            .partition_point(|&(start, _, _)| start <= offset);
        match i.checked_sub(1).and_then(|i| self.ranges.get(i)) {
            Some(&(start, end, paragraph)) if start <= offset && offset < end => paragraph,
            _ => Paragraph::default(),
        }
    }
}

/// The paragraphs of one PapxFkp page (512 bytes): `crun` in its last byte, `crun + 1` file
/// offsets, then `crun` 13-byte BxPap whose first byte locates the PapxInFkp (in words).
fn read_papx_fkp(fkp: &[u8], styles: &[Style], ranges: &mut Vec<(u32, u32, Paragraph)>) {
    let crun = usize::from(fkp[511]);
    for i in 0..crun {
        let (Some(start), Some(end)) = (u32_at(fkp, 4 * i), u32_at(fkp, 4 * (i + 1))) else {
            return;
        };
        let Some(&b_offset) = fkp.get(4 * (crun + 1) + 13 * i) else {
            return;
        };
        if b_offset == 0 {
            continue;
        }
        let at = 2 * usize::from(b_offset);
        let Some(&cb) = fkp.get(at) else { continue };
        let (grpprl_at, size) = if cb == 0 {
            let Some(&cb2) = fkp.get(at + 1) else {
                continue;
            };
            (at + 2, 2 * usize::from(cb2))
        } else {
            (at + 1, (2 * usize::from(cb)).saturating_sub(1))
        };
        // GrpPrlAndIstd: the style (2 bytes), then the sprms.
        let Some(istd) = u16_at(fkp, grpprl_at) else {
            continue;
        };
        let Some(props) = fkp.get(grpprl_at + 2..(grpprl_at + size).min(511)) else {
            continue;
        };
        let (mut in_table, mut row_end) = (false, false);
        for (sprm, operand) in Sprms(props) {
            let on = operand.first().is_some_and(|&b| b != 0);
            match sprm {
                SPRM_P_F_IN_TABLE | SPRM_P_F_INNER_TABLE_CELL => in_table |= on,
                SPRM_P_F_TTP | SPRM_P_F_INNER_TTP => row_end |= on,
                _ => {}
            }
        }
        let style = styles.get(usize::from(istd)).copied().unwrap_or_default();
        let lists = styles::ListSprms::read(props).over(style.lists);
        // ilfo 0 is no list; from 0xF802 on (negative) a Word 6 numbering that Word 97
        // converts on opening (never written by Word 97 and later): no list here either.
        let list = match lists.ilfo {
            Some(ilfo @ 1..=0x07FF) => Some((ilfo, lists.ilvl.unwrap_or(0))),
            _ => None,
        };
        let paragraph = Paragraph {
            table: (in_table || row_end).then_some(row_end),
            list,
            style_vanish: style.vanish,
        };
        if paragraph != Paragraph::default() {
            ranges.push((start, end, paragraph));
        }
    }
}
