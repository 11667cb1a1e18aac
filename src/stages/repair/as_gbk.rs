//! UTF-8 read as GBK (`mojibake-utf8-as-gbk`): the runs of a line that are its mojibake, encoded
//! back to GBK and decoded as UTF-8, the bytes a lossy decoder lost guessed (`guess`), and those
//! of a character an earlier round left uncertain (the first layer of mojibake applied twice)
//! decoded as the few bytes they can be.

use super::codecs::{self, ByteSet, Lost, PairSet, Right, Unit};
use super::{apply, candidates, guess, score, signature, to_fixes, Bar, Uncertain};
use crate::report::Counts;
use crate::rules::Rule;
use crate::stages::convert::{Evidence, Script};

/// The GBK bytes of a character an earlier round left uncertain: at each of its two places the
/// byte when its candidates agree, else the bytes they have there. `None` when no candidate has
/// a GBK pair.
///
/// Where both bytes vary, the first is the candidates' pairs ([`Lost::Pair`]): a character of
/// UTF-8 whose bytes hold the whole pair is then decoded from one candidate's two bytes, not
/// from the first byte of one and the second of another.
fn uncertain_units(candidates: &[char]) -> Option<[Unit; 2]> {
    let pairs: Vec<[u8; 2]> = candidates
        .iter()
        .filter_map(|&c| codecs::python_gbk_bytes(c))
        .collect();
    let mut sets = [ByteSet::default(); 2];
    for bytes in &pairs {
        sets[0].insert(bytes[0]);
        sets[1].insert(bytes[1]);
    }
    let unit = |set: ByteSet| match set.len() {
        0 => None,
        1 => set.bytes().next().map(Unit::Byte),
        _ => Some(Unit::Lost(Lost::Among(set))),
    };
    let first = match PairSet::new(&pairs) {
        Some(pairs) if sets[0].len() >= 2 && sets[1].len() >= 2 => Unit::Lost(Lost::Pair(pairs)),
        _ => unit(sets[0])?,
    };
    Some([first, unit(sets[1])?])
}

/// Repairs the runs of UTF-8 read as GBK in `line`; `None` when none is. `original`: the line
/// is as it came to the stage (not a repair's output), and may be convert's output.
/// `uncertain`: the characters of `line` an earlier round could not tell (their candidates'
/// bytes are decoded, and the model chooses), and then those of the repaired line.
pub(super) fn gbk_runs(
    line: &str,
    original: bool,
    bar: &mut Bar,
    counts: &mut Counts,
    uncertain: &mut Uncertain,
) -> Option<String> {
    let mut fixes = Vec::new();
    // A line without a Simplified-only character may be convert's Traditional output of a line
    // this stage left: its runs are scored as their Simplified forms (see `score::simplified`).
    let script_neutral = !Evidence::any_only_in(line, Script::Simplified);
    for (start, end) in signature::gbk_units(line) {
        let run = &line[start..end];
        // U+FFFD alone is no sign of UTF-8 read as GBK: any lossy decoding leaves it, and what
        // stands beside it may be correct Chinese (`�规定`), which a guess would only damage
        // (and a second cleaning, given what a first repair left, would damage again).
        if !run.chars().any(signature::is_sign) {
            continue;
        }
        let chars: Vec<char> = run.chars().collect();
        let mut units = Vec::with_capacity(run.len());
        // The character that starts at each unit (usize::MAX where none does).
        let mut char_at = Vec::with_capacity(run.len() + 1);
        // The character each unit is a byte of (usize::MAX for a lost byte).
        let mut units_of = Vec::with_capacity(run.len());
        // Continuation bytes the UTF-8 read so far still needs (to tell the two euro signs).
        let mut need: usize = 0;
        for (k, (offset, c)) in run.char_indices().enumerate() {
            char_at.push(k);
            let told = uncertain
                .binary_search_by_key(&(start + offset), |(at, _)| *at)
                .ok()
                .and_then(|i| uncertain_units(&uncertain[i].1));
            if let Some(pair) = told {
                for (n, unit) in pair.into_iter().enumerate() {
                    units.push(unit);
                    units_of.push(k);
                    if n > 0 {
                        char_at.push(usize::MAX);
                    }
                }
                // (A lead byte of UTF-8 starts no GBK pair: any candidate's bytes do here.)
                need = need.saturating_sub(2);
                continue;
            }
            let code = match c {
                '\u{FFFD}' => {
                    units.push(Unit::Lost(Lost::Gbk));
                    units_of.push(usize::MAX);
                    need = need.saturating_sub(1);
                    continue;
                }
                // GBK has `€` twice: the single byte 0x80 (a continuation byte) and the pair
                // 0xA2 0xE3 (a continuation byte and a lead byte). The pair when one more
                // continuation byte is needed and the next character starts with more.
                '€' if need == 1
                    && chars
                        .get(k + 1)
                        .and_then(|&next| codecs::gbk_code(next))
                        .map(|code| if code > 0xFF { code >> 8 } else { code })
                        .is_some_and(|first| (0x80..=0xBF).contains(&first)) =>
                {
                    0xA2E3
                }
                _ if c.is_ascii() => c as u16,
                _ => codecs::gbk_code(c).unwrap_or(0),
            };
            let bytes = code.to_be_bytes();
            let bytes = if code > 0xFF { &bytes[..] } else { &bytes[1..] };
            for (n, &b) in bytes.iter().enumerate() {
                units.push(Unit::Byte(b));
                units_of.push(k);
                if n > 0 {
                    char_at.push(usize::MAX);
                }
                need = match b {
                    0x80..=0xBF if need > 0 => need - 1,
                    _ => codecs::utf8_len(b).saturating_sub(1),
                };
            }
        }
        let mut pieces = guess::decode(&units, Right::Utf8, start == 0, end == line.len());
        // A character guessed from two lost bytes and the first byte of a GBK pair, whose
        // second byte is left to the next character, is no reading: any lead byte makes some
        // character with two guessed bytes, and a later stage that changes the pair (convert
        // makes `员` `員`, GBK 0x86 0x54) would give a second cleaning one to guess (`��員`,
        // `妆T`).
        for k in 0..pieces.len() {
            let end = pieces.get(k + 1).map_or(units.len(), |p| p.start);
            // (A byte an earlier round could not tell is one of a few, not any.)
            let lost = units[pieces[k].start..end]
                .iter()
                .filter(|u| matches!(u, Unit::Lost(Lost::Gbk | Lost::Cp1252)))
                .count();
            if lost >= 2 && char_at.get(end) == Some(&usize::MAX) {
                pieces[k].c = None;
            }
            // In a line that may be convert's output, no guess from a Traditional-only
            // character's bytes (`镇�` made `鎮�`: 0xE6 0x82 and a guess are `悄`).
            if lost >= 1
                && original
                && script_neutral
                && units_of[pieces[k].start..end]
                    .iter()
                    .any(|&c| c != usize::MAX && score::simplified(chars[c]) != chars[c])
            {
                pieces[k].c = None;
            }
        }
        let scored: Vec<char> = match script_neutral {
            true => chars.iter().map(|&c| score::simplified(c)).collect(),
            false => Vec::new(),
        };
        let found = candidates(
            &pieces,
            units.len(),
            if script_neutral { &scored } else { &chars },
            |u| char_at.get(u).copied().filter(|&k| k != usize::MAX),
            None,
        );
        fixes.extend(to_fixes(line, start, end, found, Rule::MojibakeUtf8AsGbk));
    }
    apply(line, &fixes, bar, counts, uncertain)
}
