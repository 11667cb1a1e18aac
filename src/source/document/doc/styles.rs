//! The styles of a .doc (the STSH, [MS-DOC] 2.9.271), of what the text needs: the list a
//! paragraph style numbers (`sprmPIlfo`, `sprmPIlvl` in its UpxPapx) and whether a paragraph or
//! character style hides its text (`sprmCFVanish` in its UpxChpx), each style on top of the
//! style it is based on.
//!
//! An STSH is its header's size and header (the count of styles, the size of each style's
//! fixed part), then per style its size and STD: the fixed part (kind and base style), the
//! name, then the UPXs — a paragraph style's paragraph then character properties, a character
//! style's character properties.
//!
//! Damage gives what could be read: a style that cannot be read says nothing.

use std::ops::Range;

use super::{u16_at, Sprms};

/// sprms of paragraph properties: the list instance (1-based LFO index; 0 none) and level.
const SPRM_P_ILFO: u16 = 0x460B;
const SPRM_P_ILVL: u16 = 0x260A;
/// sprm of character properties: hidden text.
pub(super) const SPRM_C_F_VANISH: u16 = 0x083C;
/// No base style (`istdBase`), and how deep a chain of styles is followed (a cycle in a
/// damaged file must not loop).
const NO_STYLE: u16 = 0x0FFF;
const MAX_STYLE_DEPTH: usize = 16;
/// Style kinds (stk).
const PARAGRAPH_STYLE: u16 = 1;
const CHARACTER_STYLE: u16 = 2;

/// The numbering sprms of one grpprl: (ilfo, ilvl), each when present.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ListSprms {
    pub ilfo: Option<u16>,
    pub ilvl: Option<u8>,
}

impl ListSprms {
    pub(super) fn read(props: &[u8]) -> ListSprms {
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
    pub(super) fn over(self, base: ListSprms) -> ListSprms {
        ListSprms {
            ilfo: self.ilfo.or(base.ilfo),
            ilvl: self.ilvl.or(base.ilvl),
        }
    }
}

/// What a style says, its base styles' included.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Style {
    pub lists: ListSprms,
    /// Hidden (`Some(true)`), shown again over a hidden base (`Some(false)`), or nothing said.
    pub vanish: Option<bool>,
}

/// The styles of the STSH at `stsh`, by istd.
pub(super) fn read(table: &[u8], stsh: Range<usize>) -> Vec<Style> {
    let Some(stsh) = table.get(stsh) else {
        return Vec::new();
    };
    // (base istd, own properties) of each style.
    let mut own: Vec<(u16, Style)> = Vec::new();
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
        own.push(read_std(std, usize::from(cb_base)).unwrap_or((NO_STYLE, Style::default())));
        at += 2 + cb_std;
    }
    (0..own.len())
        .map(|istd| {
            let mut merged = Style::default();
            let mut at = istd;
            for _ in 0..MAX_STYLE_DEPTH {
                let Some(&(base, style)) = own.get(at) else {
                    break;
                };
                merged.lists = merged.lists.over(style.lists);
                merged.vanish = merged.vanish.or(style.vanish);
                at = usize::from(base);
            }
            merged
        })
        .collect()
}

/// One STD: its base style and what its own UPXs say.
fn read_std(std: &[u8], cb_base: usize) -> Option<(u16, Style)> {
    let kind_and_base = u16_at(std, 2)?;
    let base = kind_and_base >> 4;
    let kind = kind_and_base & 0x0F;
    if kind != PARAGRAPH_STYLE && kind != CHARACTER_STYLE {
        return Some((NO_STYLE, Style::default()));
    }
    // The name (xstzName: a count, the UTF-16 units, a terminating 0), then the UPXs, each
    // its size and bytes, padded to an even length.
    let cch = usize::from(u16_at(std, cb_base)?);
    let mut at = cb_base + 2 + 2 * cch + 2;
    let mut upx = || -> Option<&[u8]> {
        let size = usize::from(u16_at(std, at)?);
        let bytes = std.get(at + 2..at + 2 + size)?;
        at += 2 + size + size % 2;
        Some(bytes)
    };
    let mut style = Style::default();
    if kind == PARAGRAPH_STYLE {
        // UpxPapx: the style's istd, then its sprms.
        let papx = upx()?;
        style.lists = ListSprms::read(papx.get(2..).unwrap_or_default());
    }
    // A character style's only UPX, a paragraph style's second: character properties.
    if let Some(chpx) = upx() {
        style.vanish = Sprms(chpx)
            .filter(|&(sprm, _)| sprm == SPRM_C_F_VANISH)
            .filter_map(|(_, operand)| operand.first().map(|&v| v & 1 != 0))
            .last();
    }
    Some((base, style))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An STSH: (kind, base istd or NO_STYLE, sprms of its UpxPapx, sprms of its UpxChpx).
    pub(in super::super) fn stsh(styles: &[(u16, u16, Vec<u8>, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend(18u16.to_le_bytes()); // cbStshi
        let mut stshi = vec![0u8; 18];
        stshi[0..2].copy_from_slice(&(styles.len() as u16).to_le_bytes());
        stshi[2..4].copy_from_slice(&10u16.to_le_bytes()); // cbSTDBaseInFile
        out.extend(stshi);
        for (i, (kind, base, papx, chpx)) in styles.iter().enumerate() {
            let mut std = Vec::new();
            std.extend((i as u16).to_le_bytes()); // sti
            std.extend((kind | (base << 4)).to_le_bytes()); // stk, istdBase
            std.extend(2u16.to_le_bytes()); // cupx
            std.extend([0u8; 4]);
            std.extend(1u16.to_le_bytes()); // a name of one character
            std.extend("样".encode_utf16().flat_map(u16::to_le_bytes));
            std.extend([0, 0]);
            let mut upxs = Vec::new();
            if *kind == PARAGRAPH_STYLE {
                let mut upx = (i as u16).to_le_bytes().to_vec();
                upx.extend(papx);
                upxs.push(upx);
            }
            upxs.push(chpx.clone());
            for upx in upxs {
                std.extend((upx.len() as u16).to_le_bytes());
                std.extend(&upx);
                if upx.len() % 2 == 1 {
                    std.push(0);
                }
            }
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

    fn vanish(on: u8) -> Vec<u8> {
        let mut sprms = SPRM_C_F_VANISH.to_le_bytes().to_vec();
        sprms.push(on);
        sprms
    }

    #[test]
    fn styles_number_and_hide_through_their_base() {
        let p = PARAGRAPH_STYLE;
        let table = stsh(&[
            (p, NO_STYLE, vec![], vec![]),
            (p, NO_STYLE, list_sprms(2, Some(1)), vec![]),
            // Based on 1: numbered as it is, at its own level.
            (p, 1, vec![0x0A, 0x26, 0x00], vec![]),
            // A cycle: 3 on 4, 4 on 3.
            (p, 4, vec![], vec![]),
            (p, 3, vec![], vec![]),
            // A hidden paragraph style, one based on it shown again, a hidden character style.
            (p, NO_STYLE, vec![], vanish(1)),
            (p, 5, vec![], vanish(0)),
            (CHARACTER_STYLE, NO_STYLE, vec![], vanish(1)),
            (p, 5, vec![], vec![]),
        ]);
        let styles = read(&table, 0..table.len());
        assert_eq!(styles.len(), 9);
        let lists = |i: usize| (styles[i].lists.ilfo, styles[i].lists.ilvl);
        assert_eq!(lists(0), (None, None));
        assert_eq!(lists(1), (Some(2), Some(1)));
        assert_eq!(lists(2), (Some(2), Some(0)));
        assert_eq!(lists(3), (None, None));
        let vanish: Vec<Option<bool>> = styles.iter().map(|s| s.vanish).collect();
        assert_eq!(
            vanish,
            [
                None,
                None,
                None,
                None,
                None,
                Some(true),
                Some(false),
                Some(true),
                Some(true)
            ]
        );
        // Cut anywhere: no panic, what could be read.
        for cut in 0..table.len() {
            let _ = read(&table[..cut], 0..cut);
        }
    }
}
