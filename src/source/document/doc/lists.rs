//! The automatic numbering of a .doc: its lists (PlfLst, [MS-DOC] 2.8.28) and list instances
//! (PlfLfo, 2.8.27) in the table stream, read into the shared [`WordNumbering`], whose counters
//! render the label of each numbered paragraph (`一、`, `（一）`, `1.`) as Word shows it.
//!
//! A PlfLst is a count, that many 28-byte LSTFs (the list's id and whether it has one level or
//! nine), then, after the PlfLst itself, the LVLs of every list in the same order. An LVL is a
//! 28-byte LVLF (start-at, number format, the positions of the level placeholders in the
//! template, restart), two property lists to skip, and the template text (an Xst: `\u{0}、`
//! where the character 0 stands for level 1's number). A PlfLfo is a count, that many 16-byte
//! LFOs (which list), then per LFO its LFOData: a CP and its level overrides (a new start, and
//! sometimes a whole LVL).
//!
//! Damage gives what could be read: numbering only adds labels, and a list that cannot be read
//! is a paragraph without its label, never a failed document.

use std::ops::Range;

use super::super::numbering::{Level, NumberFormat, WordNumbering};
use super::{u16_at, u32_at};

/// LSTF: lsid (4), tplc (4), rgistdPara (18), flags (1: fSimpleList is bit 0), grfhic (1).
const LSTF_SIZE: usize = 28;
const LVLF_SIZE: usize = 28;
/// LFO: lsid (4), two unused (8), clfolvl (1), ibstFltAutoNum, grfhic, unused (3).
const LFO_SIZE: usize = 16;
/// LFOLVL: iStartAt (4), then ilvl (4 bits), fStartAt (bit 4), fFormatting (bit 5) (4).
const LFOLVL_SIZE: usize = 8;
/// A list has at most nine levels; Word numbers at most this many lists in one document
/// (a damaged count asking for more reads no more than the table holds anyway).
const LEVELS: usize = 9;

/// The lists and list instances of a .doc, keyed as [`WordNumbering`] keys Word's: a list by
/// its lsid, an instance by its 1-based index (a paragraph's `sprmPIlfo`).
pub(super) fn parse(table: &[u8], plf_lst: Range<usize>, plf_lfo: Range<usize>) -> WordNumbering {
    let mut numbering = WordNumbering::default();
    // Every offset below is then within the stream, far from overflowing.
    if table.get(plf_lst.clone()).is_none() || table.get(plf_lfo.clone()).is_none() {
        return numbering;
    }
    if let Some(lists) = read_lists(table, plf_lst) {
        for (lsid, levels) in lists {
            numbering.define_list(lsid.to_string(), levels);
        }
    }
    read_instances(table, plf_lfo, &mut numbering);
    numbering
}

/// The lists: (lsid, levels).
fn read_lists(table: &[u8], plf_lst: Range<usize>) -> Option<Vec<(u32, Vec<Level>)>> {
    if plf_lst.is_empty() {
        return None;
    }
    let start = plf_lst.start;
    let count = usize::from(u16_at(table, start)?);
    let mut lists = Vec::new();
    let mut headers = Vec::new();
    for i in 0..count {
        let at = start + 2 + LSTF_SIZE * i;
        let lsid = u32_at(table, at)?;
        let simple = table.get(at + 26)? & 1 != 0;
        headers.push((lsid, if simple { 1 } else { LEVELS }));
    }
    // The LVLs follow the PlfLst (lcbPlfLst counts only the LSTFs).
    let mut at = start + 2 + LSTF_SIZE * count;
    for (lsid, level_count) in headers {
        let mut levels = Vec::with_capacity(level_count);
        for _ in 0..level_count {
            let (level, next) = read_level(table, at)?;
            levels.push(level);
            at = next;
        }
        lists.push((lsid, levels));
    }
    Some(lists)
}

/// The LVL at `at`, and where the next one begins.
fn read_level(table: &[u8], at: usize) -> Option<(Level, usize)> {
    let lvlf = table.get(at..at.checked_add(LVLF_SIZE)?)?;
    let start = u32_at(lvlf, 0)?;
    let nfc = lvlf[4];
    let flags = lvlf[5];
    let legal = flags & 0x04 != 0;
    let no_restart = flags & 0x08 != 0;
    // rgbxchNums: the 1-based positions in the template of the level placeholders, 0 ends them.
    let placeholders: Vec<usize> = lvlf[6..15]
        .iter()
        .take_while(|&&p| p != 0)
        .map(|&p| usize::from(p))
        .collect();
    let chpx = usize::from(lvlf[24]);
    let papx = usize::from(lvlf[25]);
    let restart_limit = lvlf[26];
    let xst = at + LVLF_SIZE + papx + chpx;
    let cch = usize::from(u16_at(table, xst)?);
    let units: Vec<u16> = (0..cch)
        .map(|i| u16_at(table, xst + 2 + 2 * i))
        .collect::<Option<_>>()?;
    let mut text = String::new();
    for (i, unit) in char::decode_utf16(units.iter().copied()).enumerate() {
        let c = unit.unwrap_or(char::REPLACEMENT_CHARACTER);
        match u32::from(c) {
            // A placeholder: the number of the level it names, as `%N` (1-based) says it in
            // the shared template syntax. Positions count UTF-16 units; a placeholder is one.
            level @ 0..=8 if placeholders.contains(&(i + 1)) => {
                text.push('%');
                text.push(char::from(b'1' + level as u8));
            }
            // `%` in the template is text: written as Word shows it, not as a placeholder.
            _ if c == '%' => text.push('％'),
            _ if c.is_control() => {}
            _ => text.push(c),
        }
    }
    let mut level = Level::new(NumberFormat::from_doc(nfc), text, start);
    level.legal = legal;
    // fNoRestart: restarts only after the levels above `ilvlRestartLim` (0: never), as
    // `w:lvlRestart` says it.
    level.restart_after = no_restart.then_some(u32::from(restart_limit));
    Some((level, xst + 2 + 2 * cch))
}

/// The list instances: the list each LFO numbers, with the levels its LFOData restarts.
fn read_instances(table: &[u8], plf_lfo: Range<usize>, numbering: &mut WordNumbering) {
    if plf_lfo.is_empty() {
        return;
    }
    let start = plf_lfo.start;
    let Some(count) = u32_at(table, start).map(|n| n as usize) else {
        return;
    };
    let mut lfos = Vec::new();
    for i in 0..count {
        let at = start + 4 + LFO_SIZE * i;
        let (Some(lsid), Some(&overrides)) = (u32_at(table, at), table.get(at + 12)) else {
            return;
        };
        lfos.push((lsid, usize::from(overrides)));
    }
    // rgLfoData: one LFOData per LFO, after the LFOs: a CP (4), then its LFOLVLs, each
    // followed by an LVL when it has fFormatting.
    let mut at = start + 4 + LFO_SIZE * count;
    let mut data_readable = true;
    for (index, (lsid, override_count)) in lfos.into_iter().enumerate() {
        let mut overrides = Vec::new();
        if data_readable && override_count > 0 {
            match read_overrides(table, at + 4, override_count) {
                Some((read, next)) => {
                    overrides = read;
                    at = next;
                }
                // The rest cannot be located: those instances number from the list's starts.
                None => data_readable = false,
            }
        } else {
            at += 4;
        }
        numbering.define_instance((index + 1).to_string(), lsid.to_string(), overrides);
    }
}

/// `count` LFOLVLs at `at`: the levels they restart (level, start), and where they end.
fn read_overrides(table: &[u8], mut at: usize, count: usize) -> Option<(Vec<(usize, u32)>, usize)> {
    let mut overrides = Vec::new();
    for _ in 0..count {
        let start = u32_at(table, at)?;
        let flags = u32_at(table, at + 4)?;
        let level = (flags & 0x0F) as usize;
        let start_at = flags & 0x10 != 0;
        let formatting = flags & 0x20 != 0;
        at += LFOLVL_SIZE;
        let mut level_start = start;
        if formatting {
            // A whole new level: its start-at is the one Word uses.
            let (lvl, next) = read_level(table, at)?;
            level_start = lvl.start;
            at = next;
        }
        if (start_at || formatting) && level < LEVELS {
            overrides.push((level, level_start));
        }
    }
    Some((overrides, at))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An LVL: start-at, nfc, template (placeholders as `\u{0}`…), restart flags.
    pub(in super::super) fn lvl(start: u32, nfc: u8, template: &str, flags: u8) -> Vec<u8> {
        let units: Vec<u16> = template.encode_utf16().collect();
        let mut lvl = Vec::new();
        lvl.extend(start.to_le_bytes());
        lvl.push(nfc);
        lvl.push(flags);
        let mut nums = [0u8; 9];
        let mut k = 0;
        for (i, &u) in units.iter().enumerate() {
            if u < 9 && k < 9 {
                nums[k] = i as u8 + 1;
                k += 1;
            }
        }
        lvl.extend(nums);
        lvl.push(0); // ixchFollow: a tab
        lvl.extend([0u8; 8]);
        lvl.push(2); // cbGrpprlChpx
        lvl.push(1); // cbGrpprlPapx
        lvl.push(0);
        lvl.push(0);
        lvl.push(0xAA); // papx
        lvl.extend([0xBB, 0xCC]); // chpx
        lvl.extend((units.len() as u16).to_le_bytes());
        lvl.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        lvl
    }

    /// A table stream holding a PlfLst (lists of 2 levels max written, padded to nine for
    /// multi-level lists) and a PlfLfo; returns it with the two ranges.
    pub(in super::super) fn tables(
        lists: &[(u32, Vec<Vec<u8>>)],
        lfos: &[(u32, Vec<(u8, u32)>)],
    ) -> (Vec<u8>, Range<usize>, Range<usize>) {
        let mut table = vec![0u8; 8];
        let lst_at = table.len();
        table.extend((lists.len() as u16).to_le_bytes());
        for (lsid, levels) in lists {
            let mut lstf = vec![0u8; LSTF_SIZE];
            lstf[0..4].copy_from_slice(&lsid.to_le_bytes());
            lstf[26] = u8::from(levels.len() == 1);
            table.extend(lstf);
        }
        let lst = lst_at..table.len();
        for (_, levels) in lists {
            let count = if levels.len() == 1 { 1 } else { LEVELS };
            for i in 0..count {
                match levels.get(i) {
                    Some(l) => table.extend(l),
                    None => table.extend(lvl(1, 0, "\u{0}.", 0)),
                }
            }
        }
        let lfo_at = table.len();
        table.extend((lfos.len() as u32).to_le_bytes());
        for (lsid, overrides) in lfos {
            let mut lfo = vec![0u8; LFO_SIZE];
            lfo[0..4].copy_from_slice(&lsid.to_le_bytes());
            lfo[12] = overrides.len() as u8;
            table.extend(lfo);
        }
        let lfo_end = table.len();
        for (_, overrides) in lfos {
            table.extend(0xFFFF_FFFFu32.to_le_bytes());
            for &(level, start) in overrides {
                table.extend(start.to_le_bytes());
                table.extend((u32::from(level) | 0x10).to_le_bytes());
            }
        }
        (table, lst, lfo_at..lfo_end)
    }

    #[test]
    fn lists_levels_and_instances_number_as_word_does() {
        let (table, lst, lfo) = tables(
            &[
                (
                    7,
                    vec![lvl(1, 37, "\u{0}、", 0), lvl(1, 37, "（\u{1}）", 0)],
                ),
                (9, vec![lvl(1, 0, "\u{0}.", 0)]),
            ],
            &[(7, vec![]), (9, vec![]), (9, vec![(0, 1)])],
        );
        let mut n = parse(&table, lst, lfo);
        let labels: Vec<String> = [("1", 0), ("1", 1), ("1", 1), ("2", 0), ("2", 0), ("1", 0)]
            .iter()
            .map(|&(id, level)| n.label(id, level))
            .collect();
        assert_eq!(labels, ["一、", "（一）", "（二）", "1.", "2.", "二、"]);
        // The third instance restarts list 9 at 1.
        assert_eq!(n.label("3", 0), "1.");
        assert_eq!(n.label("3", 0), "2.");
        // The level under a new level-1 item restarts.
        assert_eq!(n.label("1", 1), "（一）");
        // No instance 0 (no numbering), none past the table.
        assert_eq!(n.label("0", 0), "");
        assert_eq!(n.label("4", 0), "");
    }

    #[test]
    fn a_template_with_two_levels_a_start_and_no_restart() {
        // 1-based: level 2 counts on across level-1 items (fNoRestart, limit 0).
        let (table, lst, lfo) = tables(
            &[(
                3,
                vec![lvl(5, 0, "\u{0}.", 0), lvl(1, 0, "\u{0}.\u{1}%", 0x08)],
            )],
            &[(3, vec![])],
        );
        let mut n = parse(&table, lst, lfo);
        assert_eq!(n.label("1", 0), "5.");
        assert_eq!(n.label("1", 1), "5.1％");
        assert_eq!(n.label("1", 0), "6.");
        assert_eq!(n.label("1", 1), "6.2％");
    }

    #[test]
    fn damaged_tables_give_what_could_be_read() {
        let (table, lst, lfo) = tables(&[(7, vec![lvl(1, 37, "\u{0}、", 0)])], &[(7, vec![])]);
        // The LVLs cut off: no list, no label, no panic.
        let mut n = parse(&table[..lst.end + 10], lst.clone(), lfo.clone());
        assert_eq!(n.label("1", 0), "");
        // Ranges outside the stream.
        let mut n = parse(&table, 1_000_000..1_000_010, usize::MAX - 4..usize::MAX);
        assert_eq!(n.label("1", 0), "");
        let mut n = parse(&table, lst, lfo);
        assert_eq!(n.label("1", 0), "一、");
        for cut in 0..table.len() {
            let mut n = parse(&table[..cut], 8..table.len(), 8..table.len());
            let _ = n.label("1", 0);
        }
    }
}
