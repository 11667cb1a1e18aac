//! The paragraph properties a .doc's text needs: whether a paragraph is in a table or ends a
//! table row, and which list numbers it (`sprmPIlfo`, `sprmPIlvl`) — directly, or through its
//! paragraph style (a heading style that numbers its headings, from the STSH).
//!
//! Paragraph properties are kept by file offset in the PapxFkp pages of the PlcBtePapx
//! ([MS-DOC] 2.8.5, 2.9.175): each run of offsets is one paragraph, with its style (istd) and
//! the sprms that differ from the style. A style's own sprms are in its UpxPapx in the STSH
//! (2.9.271), on top of those of the style it is based on.
//!
//! Damage gives what could be read: these properties only refine how tables are laid out and
//! add numbers, so a page or style that cannot be read is left out, never a failed document.

use std::ops::Range;

use super::{fkp_pages, u16_at, u32_at, Sprms};

/// sprms of paragraph properties: in a table, a table row's end mark (outer and nested).
const SPRM_P_F_IN_TABLE: u16 = 0x2416;
const SPRM_P_F_TTP: u16 = 0x2417;
const SPRM_P_F_INNER_TTP: u16 = 0x244C;
const SPRM_P_F_INNER_TABLE_CELL: u16 = 0x244B;
/// sprms of paragraph properties: the list instance (1-based LFO index; 0 none) and level.
const SPRM_P_ILFO: u16 = 0x460B;
const SPRM_P_ILVL: u16 = 0x260A;
/// No base style (`istdBase`), and how deep a chain of styles is followed (a cycle in a
/// damaged file must not loop).
const NO_STYLE: u16 = 0x0FFF;
const MAX_STYLE_DEPTH: usize = 16;

/// What one paragraph's properties say, of what the text needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Paragraph {
    /// In a table: `Some(row end)`.
    pub table: Option<bool>,
    /// The list numbering it: (LFO index, level).
    pub list: Option<(u16, u8)>,
}

/// The numbering sprms of one grpprl: (ilfo, ilvl), each when present.
#[derive(Clone, Copy, Debug, Default)]
struct ListSprms {
    ilfo: Option<u16>,
    ilvl: Option<u8>,
}

impl ListSprms {
    fn read(props: &[u8]) -> ListSprms {
        let mut found = ListSprms::default();
        for (sprm, operand) in Sprms(props) {
            match sprm {
                SPRM_P_ILFO => found.ilfo = u16_at(operand, 0),
                SPRM_P_ILVL => found.ilvl = operand.first().copied(),
                _ => {}
            }
        }
        found
    }

    /// These, with what `base` says where these say nothing.
    fn over(self, base: ListSprms) -> ListSprms {
        ListSprms {
            ilfo: self.ilfo.or(base.ilfo),
            ilvl: self.ilvl.or(base.ilvl),
        }
    }
}

/// The paragraphs of the WordDocument stream by file offset.
#[derive(Debug, Default)]
pub(super) struct Paragraphs {
    /// (start, end, properties) of each paragraph with any, sorted.
    ranges: Vec<(u32, u32, Paragraph)>,
}

impl Paragraphs {
    /// Reads the PapxFkp pages of the PlcBtePapx (`bte`), with the styles of the STSH
    /// (`stsh`) for numbering that comes from a paragraph's style.
    pub(super) fn parse(
        word: &[u8],
        table: &[u8],
        bte: Range<usize>,
        stsh: Range<usize>,
    ) -> Paragraphs {
        let styles = style_lists(table, stsh);
        let mut ranges = Vec::new();
        for fkp in fkp_pages(word, table, bte) {
            read_papx_fkp(fkp, &styles, &mut ranges);
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
fn read_papx_fkp(fkp: &[u8], styles: &[ListSprms], ranges: &mut Vec<(u32, u32, Paragraph)>) {
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
        let lists = ListSprms::read(props).over(style);
        // ilfo 0 is no list; from 0xF802 on (negative) a Word 6 numbering that Word 97
        // converts on opening (never written by Word 97 and later): no list here either.
        let list = match lists.ilfo {
            Some(ilfo @ 1..=0x07FF) => Some((ilfo, lists.ilvl.unwrap_or(0))),
            _ => None,
        };
        let paragraph = Paragraph {
            table: (in_table || row_end).then_some(row_end),
            list,
        };
        if paragraph != Paragraph::default() {
            ranges.push((start, end, paragraph));
        }
    }
}

/// The numbering sprms of each paragraph style (by istd), its base styles' included.
fn style_lists(table: &[u8], stsh: Range<usize>) -> Vec<ListSprms> {
    let Some(stsh) = table.get(stsh) else {
        return Vec::new();
    };
    // (base istd, own sprms) of each style.
    let mut own: Vec<(u16, ListSprms)> = Vec::new();
    let Some(cb_stshi) = u16_at(stsh, 0).map(usize::from) else {
        return Vec::new();
    };
    let (Some(cstd), Some(cb_base)) = (u16_at(stsh, 2), u16_at(stsh, 4)) else {
        return Vec::new();
    };
    let mut at = 2 + cb_stshi;
    for _ in 0..cstd {
        let Some(cb_std) = u16_at(stsh, at).map(usize::from) else {
            break;
        };
        let std = stsh.get(at + 2..at + 2 + cb_std).unwrap_or_default();
        own.push(read_std(std, usize::from(cb_base)).unwrap_or((NO_STYLE, ListSprms::default())));
        at += 2 + cb_std;
    }
    (0..own.len())
        .map(|istd| {
            let mut merged = ListSprms::default();
            let mut at = istd;
            for _ in 0..MAX_STYLE_DEPTH {
                let Some(&(base, sprms)) = own.get(at) else {
                    break;
                };
                merged = merged.over(sprms);
                at = usize::from(base);
            }
            merged
        })
        .collect()
}

/// One STD: its base style and, for a paragraph style, the numbering sprms of its UpxPapx.
fn read_std(std: &[u8], cb_base: usize) -> Option<(u16, ListSprms)> {
    let kind_and_base = u16_at(std, 2)?;
    let base = kind_and_base >> 4;
    // stk 1: a paragraph style (its first UPX is paragraph properties).
    if kind_and_base & 0x0F != 1 {
        return Some((NO_STYLE, ListSprms::default()));
    }
    // The name (xstzName: a count, the UTF-16 units, a terminating 0), then the UPXs.
    let cch = usize::from(u16_at(std, cb_base)?);
    let upx = cb_base + 2 + 2 * cch + 2;
    let cb_upx = usize::from(u16_at(std, upx)?);
    // UpxPapx: the style's istd, then its sprms.
    let props = std.get(upx + 4..upx + 2 + cb_upx)?;
    Some((base, ListSprms::read(props)))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An STSH of paragraph styles: (base istd or NO_STYLE, sprms of its UpxPapx).
    pub(in super::super) fn stsh(styles: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend(18u16.to_le_bytes()); // cbStshi
        let mut stshi = vec![0u8; 18];
        stshi[0..2].copy_from_slice(&(styles.len() as u16).to_le_bytes());
        stshi[2..4].copy_from_slice(&10u16.to_le_bytes()); // cbSTDBaseInFile
        out.extend(stshi);
        for (i, (base, sprms)) in styles.iter().enumerate() {
            let mut std = Vec::new();
            std.extend((i as u16).to_le_bytes()); // sti
            std.extend((1 | (base << 4)).to_le_bytes()); // stk 1, istdBase
            std.extend(2u16.to_le_bytes()); // cupx
            std.extend([0u8; 4]);
            std.extend(1u16.to_le_bytes()); // a name of one character
            std.extend("样".encode_utf16().flat_map(u16::to_le_bytes));
            std.extend([0, 0]);
            std.extend(((2 + sprms.len()) as u16).to_le_bytes());
            std.extend((i as u16).to_le_bytes());
            std.extend(sprms);
            if sprms.len() % 2 == 1 {
                std.push(0);
            }
            std.extend(0u16.to_le_bytes()); // an empty UpxChpx
            out.extend((std.len() as u16).to_le_bytes());
            out.extend(std);
        }
        out
    }

    /// The sprms numbering a paragraph: list instance `ilfo`, level `ilvl`.
    pub(in super::super) fn list_sprms(ilfo: u16, ilvl: Option<u8>) -> Vec<u8> {
        let mut sprms = Vec::new();
        sprms.extend(SPRM_P_ILFO.to_le_bytes());
        sprms.extend(ilfo.to_le_bytes());
        if let Some(level) = ilvl {
            sprms.extend(SPRM_P_ILVL.to_le_bytes());
            sprms.push(level);
        }
        sprms
    }

    #[test]
    fn a_style_numbers_through_its_base() {
        let table = stsh(&[
            (NO_STYLE, vec![]),
            (NO_STYLE, list_sprms(2, Some(1))),
            // Based on 1: numbered as it is, at its own level.
            (1, vec![0x0A, 0x26, 0x00]),
            // A cycle: 3 on 4, 4 on 3.
            (4, vec![]),
            (3, vec![]),
        ]);
        let styles = style_lists(&table, 0..table.len());
        assert_eq!(styles.len(), 5);
        assert_eq!((styles[0].ilfo, styles[0].ilvl), (None, None));
        assert_eq!((styles[1].ilfo, styles[1].ilvl), (Some(2), Some(1)));
        assert_eq!((styles[2].ilfo, styles[2].ilvl), (Some(2), Some(0)));
        assert_eq!(styles[3].ilfo, None);
        // Cut anywhere: no panic, what could be read.
        for cut in 0..table.len() {
            let _ = style_lists(&table[..cut], 0..cut);
        }
    }
}
