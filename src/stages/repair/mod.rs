//! Stage 0, repair: text that was once decoded with the wrong encoding and saved again
//! (mojibake) is decoded again, rightly, before any other stage changes it.
//!
//! - UTF-8 read as GBK (`mojibake-utf8-as-gbk`): `涓浗` → `中国`, U+FFFD left by a lossy decoder
//!   included (the lost byte is guessed from the characters around it, or left: see `guess`).
//! - GBK read as Latin-1 or Windows-1252 (`mojibake-gbk-as-latin1`, `mojibake-gbk-as-cp1252`):
//!   `ÖÐ¹ú` → `中国` (which of the two a run is counted as: see `codecs`).
//! - UTF-8 read as Latin-1 or Windows-1252 (`mojibake-utf8-as-latin1`, `mojibake-utf8-as-cp1252`):
//!   `ä¸\u{AD}æ–‡` → `中文`.
//! - Big5 and GBK read as each other (`mojibake-big5-as-gbk`, `mojibake-gbk-as-big5`): `cross`.
//! - Mojibake applied twice (a Latin-1 / Windows-1252 layer over UTF-8 read as GBK or over
//!   Latin-1 / Windows-1252 mojibake) is undone a layer a round, each counted under its rule. A
//!   byte the outer layer lost leaves a character of the first layer uncertain; the characters
//!   it can be go to the next round (`Uncertain`), whose repair decodes their bytes as one of a
//!   few (`codecs::Lost::Among`, a GBK pair taken whole where both its bytes are uncertain:
//!   `codecs::Lost::Pair`) and lets the model of Chinese choose: the first layer is
//!   mojibake no model can weigh.
//!
//! The unit of repair is a run inside a line: the characters a wrong decoding can have produced,
//! in a row. The run is encoded back with the wrong codec, decoded with the right one, and the
//! result is kept only where it decodes and scores clearly more Chinese than what it replaces
//! (`score`); everything else is left exactly as it was. A line is first scanned for the signs
//! of mojibake (`signature`): clean text costs that one scan. Repair runs before normalize,
//! whose `invisible` rule would delete the C1 controls that Latin-1 mojibake is partly made of.

use std::borrow::Cow;

use crate::report::Counts;
use crate::rules::{Rule, RuleSet};

mod as_gbk;
mod codecs;
mod cross;
mod guess;
mod score;
mod signature;
mod stage;

pub use signature::{no_sign_after_rewrite, no_sign_at_seam, ScanStops};
pub use stage::RepairStage;

use as_gbk::gbk_runs;
use codecs::{ByteSet, Lost, Piece, Right, Unit};

/// The rules of this stage, in pipeline order.
#[rustfmt::skip]
pub const RULES: [Rule; 7] = [
    Rule::MojibakeUtf8AsGbk, Rule::MojibakeGbkAsLatin1, Rule::MojibakeGbkAsCp1252,
    Rule::MojibakeUtf8AsLatin1, Rule::MojibakeUtf8AsCp1252,
    Rule::MojibakeBig5AsGbk, Rule::MojibakeGbkAsBig5,
];

/// Which repairs are on.
#[derive(Clone, Copy, Debug)]
pub struct Repair {
    utf8_as_gbk: bool,
    gbk_as_latin1: bool,
    gbk_as_cp1252: bool,
    utf8_as_latin1: bool,
    utf8_as_cp1252: bool,
    /// Normalize deletes invisible characters after this stage (its rule `invisible`).
    invisible: bool,
    /// A Latin-1 / Windows-1252 run is read as a layer of mojibake above Latin-1 / Windows-1252
    /// mojibake (off while a layer's own reading is weighed: two layers are the most looked for).
    layers: bool,
}

/// A wrong decoding repair can undo, by what it read the bytes as and what they were.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wrong {
    Latin1,
    Cp1252,
}

/// At most this many rounds per line: mojibake applied twice is undone in two.
const MAX_ROUNDS: usize = 3;

impl Repair {
    pub fn from_rules(rules: &RuleSet) -> Self {
        Repair {
            utf8_as_gbk: rules.is_on(Rule::MojibakeUtf8AsGbk),
            gbk_as_latin1: rules.is_on(Rule::MojibakeGbkAsLatin1),
            gbk_as_cp1252: rules.is_on(Rule::MojibakeGbkAsCp1252),
            utf8_as_latin1: rules.is_on(Rule::MojibakeUtf8AsLatin1),
            utf8_as_cp1252: rules.is_on(Rule::MojibakeUtf8AsCp1252),
            invisible: rules.is_on(Rule::Invisible),
            layers: true,
        }
    }

    fn any(&self) -> bool {
        self.utf8_as_gbk
            || self.gbk_as_latin1
            || self.gbk_as_cp1252
            || self.utf8_as_latin1
            || self.utf8_as_cp1252
    }

    /// Repairs one line, a document of its own; borrowed back when there is nothing to repair.
    pub fn line<'a>(&self, line: &'a str, counts: &mut Counts) -> Cow<'a, str> {
        let mut bar = Bar::new(MIN_HAN);
        self.line_scanned(line, signature::scan(line, true), &mut bar, counts)
    }

    /// [`Repair::line`] with the signs already found, and the Han characters its repairs must
    /// give (`bar`, which is told what the first round found).
    fn line_scanned<'a>(
        &self,
        line: &'a str,
        mut signs: signature::Signs,
        bar: &mut Bar,
        counts: &mut Counts,
    ) -> Cow<'a, str> {
        if !self.any() {
            return Cow::Borrowed(line);
        }
        let mut text = Cow::Borrowed(line);
        let mut uncertain = Uncertain::new();
        for _ in 0..MAX_ROUNDS {
            if !signs.any() {
                break;
            }
            let mut changed = None;
            if signs.latin {
                changed = self.latin_runs(&text, bar, counts, &mut uncertain);
            }
            if changed.is_none() && signs.gbk && self.utf8_as_gbk {
                let original = matches!(text, Cow::Borrowed(_));
                changed = gbk_runs(&text, original, bar, counts, &mut uncertain);
            }
            match changed {
                Some(repaired) => {
                    signs = signature::scan(&repaired, true);
                    text = Cow::Owned(repaired);
                }
                None => break,
            }
        }
        text
    }

    /// The rule for a repair, when it is on.
    fn rule(&self, right: Right, wrong: Wrong) -> Option<Rule> {
        let (on, name) = match (right, wrong) {
            (Right::Gbk, Wrong::Latin1) => (self.gbk_as_latin1, Rule::MojibakeGbkAsLatin1),
            (Right::Gbk, Wrong::Cp1252) => (self.gbk_as_cp1252, Rule::MojibakeGbkAsCp1252),
            (Right::Utf8, Wrong::Latin1) => (self.utf8_as_latin1, Rule::MojibakeUtf8AsLatin1),
            (Right::Utf8, Wrong::Cp1252) => (self.utf8_as_cp1252, Rule::MojibakeUtf8AsCp1252),
        };
        on.then_some(name)
    }

    /// Repairs the runs of Latin-1 / Windows-1252 mojibake in `line`; `None` when none is.
    /// `uncertain`: the characters of `line` an earlier round could not tell, and then those of
    /// the repaired line.
    fn latin_runs(
        &self,
        line: &str,
        bar: &mut Bar,
        counts: &mut Counts,
        uncertain: &mut Uncertain,
    ) -> Option<String> {
        let mut fixes = Vec::new();
        // The same with the visible characters' strong reading for a run whose best reading
        // has no strong repair (`swaps`: one run at least).
        let mut fallback = Vec::new();
        let mut swaps = false;
        for (start, end) in signature::latin_units(line) {
            let chars: Vec<char> = line[start..end].chars().collect();
            if chars.iter().all(char::is_ascii) || is_repeated_symbol(&chars) {
                continue;
            }
            // The bytes of the characters an earlier round could not tell.
            let told: Vec<Option<Unit>> = match uncertain.is_empty() {
                true => vec![None; chars.len()],
                false => line[start..end]
                    .char_indices()
                    .map(|(offset, _)| {
                        let i = uncertain
                            .binary_search_by_key(&(start + offset), |(at, _)| *at)
                            .ok()?;
                        uncertain_latin_unit(&uncertain[i].1)
                    })
                    .collect(),
            };
            let edges = (start == 0, end == line.len());
            let mut best = self.best_reading(&chars, &told, edges);
            let mut visible_strong: Option<(Vec<Candidate>, Rule)> = None;
            // The run as a second cleaning would see it, if this one left it: normalize deletes
            // its C1 controls and soft hyphens, and the bytes left may read as mojibake where the
            // whole did not. Both are tried (a C1 control is as often a byte of the mojibake:
            // `文` read as Latin-1 is `æ` and two of them); deleted, they go with the repair.
            if self.invisible && chars.iter().any(|&c| is_invisible(c)) {
                let kept: Vec<usize> = (0..chars.len())
                    .filter(|&k| !is_invisible(chars[k]))
                    .collect();
                let visible: Vec<char> = kept.iter().map(|&k| chars[k]).collect();
                let visible_told: Vec<Option<Unit>> = kept.iter().map(|&k| told[k]).collect();
                if let Some((key, mut found, rule)) =
                    self.best_reading(&visible, &visible_told, edges)
                {
                    for candidate in &mut found {
                        let (from, to) = candidate.chars;
                        candidate.chars =
                            (kept[from], kept.get(to).copied().unwrap_or(chars.len()));
                    }
                    // Measured in the run's characters, the deleted ones inside a repair too.
                    let key = (covered(&found, false), key.1, covered(&found, true), key.3);
                    // A reading of the whole run that takes every invisible character into
                    // a repair, as the bytes of a character, is kept unless the reading without
                    // them is clearly better: that reading would lose the character (`中…彧0`,
                    // GBK read as Latin-1, holds a soft hyphen and a C1 control inside `…彧`:
                    // `中—0` without them).
                    let whole = best.as_ref().is_some_and(|(_, whole, _)| {
                        reads_invisible(&chars, whole)
                            && !score::clearly_better(reading(whole), reading(&found))
                    });
                    // A weak reading is made only beside strong ones; where the line would make
                    // nothing, take a strong visible one, as a second cleaning would (`数斡`).
                    let weak = |f: &[Candidate]| !f.iter().any(|c| c.strong);
                    if !weak(&found) && best.as_ref().is_some_and(|(_, b, _)| weak(b)) {
                        visible_strong = Some((found.clone(), rule));
                    }
                    if !whole && best.as_ref().is_none_or(|b| key > b.0) {
                        best = Some((key, found, rule));
                    }
                }
            }
            if let Some((found, rule)) = visible_strong {
                fallback.extend(to_fixes(line, start, end, found, rule));
                swaps = true;
            } else if let Some((_, found, rule)) = &best {
                fallback.extend(to_fixes(line, start, end, found.clone(), *rule));
            }
            if let Some((_, found, rule)) = best {
                fixes.extend(to_fixes(line, start, end, found, rule));
            }
        }
        if swaps
            && fixes
                .iter()
                .filter(|f| f.strong)
                .map(|f| f.han)
                .sum::<usize>()
                < bar.min_han
        {
            return apply(line, &fallback, bar, counts, uncertain);
        }
        apply(line, &fixes, bar, counts, uncertain)
    }

    /// The best reading of the characters of a run of Latin-1 / Windows-1252 mojibake, with its
    /// repairs and their rule; `None` when no reading repairs anything. `told`: the byte of each
    /// character an earlier round could not tell; `edges`: the run starts, ends the line.
    fn best_reading(
        &self,
        chars: &[char],
        told: &[Option<Unit>],
        edges: (bool, bool),
    ) -> Option<ReadingKey> {
        let wrong = if chars
            .iter()
            .any(|&c| c == '\u{FFFD}' || codecs::cp1252_special_byte(c).is_some())
        {
            Wrong::Cp1252
        } else {
            Wrong::Latin1
        };
        let units: Vec<Unit> = chars
            .iter()
            .zip(told)
            .map(|(&c, told)| match (told, latin_byte(c)) {
                (Some(unit), _) => *unit,
                (None, Some(b)) => Unit::Byte(b),
                (None, None) => Unit::Lost(Lost::Cp1252),
            })
            .collect();
        // The reading that repairs more characters, then UTF-8 (a valid UTF-8 reading of
        // Latin-1 characters is rare by chance, while most byte pairs are some GBK
        // character: `xÃ\u{AD}` is `xí`, not `x铆`), then the one that repairs more
        // characters clearly, then the one that gains more points.
        let mut best: Option<ReadingKey> = None;
        // GBK also from the second character: a run can start with the trail byte of a
        // pair whose lead byte ended the line before (a line break put inside a character).
        // Read from the first, the pairs are out of step and nothing would be repaired until
        // reflow joins the lines, and a second cleaning would then repair more.
        for (right, skip) in [(Right::Utf8, 0), (Right::Gbk, 0), (Right::Gbk, 1)] {
            let Some(rule) = self.rule(right, wrong) else {
                continue;
            };
            if skip >= units.len() {
                continue;
            }
            let pieces = guess::decode(&units[skip..], right, edges.0 && skip == 0, edges.1);
            // One character per unit: every unit starts a character.
            let mut found = candidates(
                &pieces,
                units.len() - skip,
                &chars[skip..],
                Some,
                Some(self),
            );
            for candidate in &mut found {
                candidate.chars = (candidate.chars.0 + skip, candidate.chars.1 + skip);
            }
            let gain = found.iter().map(|c| c.gain).sum::<i32>();
            let key = (
                covered(&found, false),
                right == Right::Utf8,
                covered(&found, true),
                gain,
            );
            if !found.is_empty() && best.as_ref().is_none_or(|b| key > b.0) {
                best = Some((key, found, rule));
            }
        }
        best
    }
}

/// Is the run one symbol written again and again: a name withheld (`林××`, `××县`) or a
/// rule of dots? Read as GBK its bytes are one character (`××` is `鬃`), and two such masks
/// in a document would pass for mojibake; mojibake of a whole line is never a run this short
/// between correct characters, and a letter repeated (`ÖÖ`) is still read.
fn is_repeated_symbol(chars: &[char]) -> bool {
    chars.len() >= 2
        && !chars[0].is_alphanumeric()
        && !chars[0].is_ascii()
        && chars.iter().all(|&c| c == chars[0])
}

/// The byte Latin-1 or Windows-1252 read as `c`, when one did.
fn latin_byte(c: char) -> Option<u8> {
    codecs::latin1_byte(c).or_else(|| codecs::cp1252_special_byte(c))
}

/// The byte of a character an earlier round left uncertain, as Latin-1 / Windows-1252 read it:
/// the byte when its candidates agree, else the bytes they can be. `None` when no candidate is
/// such a character.
fn uncertain_latin_unit(candidates: &[char]) -> Option<Unit> {
    let mut set = ByteSet::default();
    for b in candidates.iter().filter_map(|&c| latin_byte(c)) {
        set.insert(b);
    }
    match set.len() {
        0 => None,
        1 => set.bytes().next().map(Unit::Byte),
        _ => Some(Unit::Lost(Lost::Among(set))),
    }
}

/// The characters of a run that `found` repairs (the strong repairs' only, with `strong_only`).
fn covered(found: &[Candidate], strong_only: bool) -> usize {
    found
        .iter()
        .filter(|c| c.strong || !strong_only)
        .map(|c| c.chars.1 - c.chars.0)
        .sum()
}

/// Do the repairs `found` of a run (`chars`) take in every invisible character of it?
fn reads_invisible(chars: &[char], found: &[Candidate]) -> bool {
    (0..chars.len())
        .filter(|&k| is_invisible(chars[k]))
        .all(|k| found.iter().any(|c| c.chars.0 <= k && k < c.chars.1))
}

/// The score of what the repairs `found` read as.
fn reading(found: &[Candidate]) -> score::Score {
    score::score(found.iter().flat_map(|c| c.text.chars()))
}

/// The characters of a Latin-1 run that normalize's `invisible` rule deletes: the C1 controls
/// and the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9F}' | '\u{AD}')
}

/// How good a reading of a run is (see [`Repair::latin_runs`]), its repairs and their rule.
type ReadingKey = ((usize, bool, usize, i32), Vec<Candidate>, Rule);

/// The characters of a repaired line that a lost byte left uncertain, for the next round:
/// where each starts, and the characters it can be (the first layer of mojibake applied twice,
/// whose lost bytes only the layer below can tell).
type Uncertain = Vec<(usize, Vec<char>)>;

/// A repair inside a line: the bytes `range` become `text`.
struct Fix {
    range: (usize, usize),
    text: String,
    /// The characters of `text` left uncertain (offsets in `text`).
    uncertain: Uncertain,
    rule: Rule,
    han: usize,
    strong: bool,
}

/// The Han characters a document's repairs must give together: one alone is too little to tell
/// mojibake from a chance reading of legitimate Latin-1 or rare characters. A line is a
/// document's part, and reflow may join it to the next: what two lines give together is
/// evidence for both (see [`RepairStage`]).
const MIN_HAN: usize = 2;

/// The Han characters the strong repairs of a line must give for any of its repairs to be made,
/// and what the line's first round found (its evidence of mojibake for the lines around it).
#[derive(Clone, Copy, Debug)]
struct Bar {
    min_han: usize,
    found: Option<usize>,
}

impl Bar {
    fn new(min_han: usize) -> Self {
        Bar {
            // One at least: a line without a strong repair is never repaired.
            min_han: min_han.max(1),
            found: None,
        }
    }

    /// The Han characters the strong repairs of the line's first round gave.
    fn evidence(&self) -> usize {
        self.found.unwrap_or(0)
    }
}

/// The line with `fixes` (in order, not overlapping) made, when the strong ones give
/// `bar.min_han` Han characters at least (the weak ones are made only then); each is counted
/// under its rule. `uncertain`, the uncertain characters of `line`, become those of the line
/// made: the fixes' own, and the others moved with the text around them (one a fix replaces is
/// gone).
fn apply(
    line: &str,
    fixes: &[Fix],
    bar: &mut Bar,
    counts: &mut Counts,
    uncertain: &mut Uncertain,
) -> Option<String> {
    let strong_han: usize = fixes
        .iter()
        .filter(|fix| fix.strong)
        .map(|fix| fix.han)
        .sum();
    bar.found.get_or_insert(strong_han);
    if strong_han < bar.min_han {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    let mut done = 0;
    let mut earlier = std::mem::take(uncertain).into_iter().peekable();
    // The uncertain characters of `line` before `until` that no fix replaced, moved to `out`
    // (whose end is `line[done]`).
    let mut carry = |until: usize, done: usize, out_len: usize, into: &mut Uncertain| {
        while let Some((at, candidates)) = earlier.next_if(|(at, _)| *at < until) {
            if at >= done {
                into.push((out_len + at - done, candidates));
            }
        }
    };
    for fix in fixes {
        carry(fix.range.0, done, out.len(), uncertain);
        out.push_str(&line[done..fix.range.0]);
        let at = out.len();
        uncertain.extend(fix.uncertain.iter().map(|(k, c)| (at + k, c.clone())));
        out.push_str(&fix.text);
        done = fix.range.1;
        counts.add(fix.rule, 1);
    }
    carry(usize::MAX, done, out.len(), uncertain);
    out.push_str(&line[done..]);
    Some(out)
}

/// The candidates of a run (`line[start..end]`) as repairs of the line.
fn to_fixes(
    line: &str,
    start: usize,
    end: usize,
    found: Vec<Candidate>,
    rule: Rule,
) -> impl Iterator<Item = Fix> {
    let offsets: Vec<usize> = line[start..end]
        .char_indices()
        .map(|(i, _)| start + i)
        .chain([end])
        .collect();
    found.into_iter().map(move |c| Fix {
        range: (offsets[c.chars.0], offsets[c.chars.1]),
        text: c.text,
        uncertain: c.uncertain,
        rule,
        han: c.han,
        strong: c.strong,
    })
}

/// A repair inside a run: the characters `chars.0..chars.1` of the run become `text`, with
/// `han` Han characters.
#[derive(Clone)]
struct Candidate {
    chars: (usize, usize),
    text: String,
    /// The characters of `text` left uncertain (offsets in `text`).
    uncertain: Uncertain,
    han: usize,
    /// Clearly better alone; a repair that is only better is made beside strong ones.
    strong: bool,
    /// Points gained.
    gain: i32,
    /// Characters of the repair other than ASCII.
    wide: usize,
}

/// The repairs of a run from its decoding: each stretch of pieces that decoded, narrowed to
/// where a boundary of the pieces meets a boundary of the run's characters, kept when it scores
/// clearly better than the characters it replaces (or, with `deeper`, the repair of a run of
/// Latin-1 characters, when it is a first layer of mojibake applied twice that `deeper` undoes).
/// `char_at(u)` is the index of the character that starts at unit `u`, when one does.
///
/// A stretch that is no repair as a whole is tried again in parts, cut at the pieces that decode
/// to a character Chinese text is not made of (a Latin letter, another alphabet, a control):
/// correct text beside mojibake in the same run decodes to such characters by chance (`习` is
/// the bytes of `ϰ`), and would otherwise keep the mojibake beside it from being repaired, until
/// a later stage changes that neighbour (convert makes it `習`, which decodes to nothing) and a
/// second cleaning repairs what the first left (UTF-8 read as GBK only: a Latin-1 run holds
/// no correct Chinese, and reading its parts would double the cost of its mojibake applied
/// twice). A part must gain half as much again as a
/// repair must: correct GBK text holds valid UTF-8 by chance too (`璐告。` is the bytes of
/// `贸档`), which only the rest of its stretch kept from being read so.
fn candidates(
    pieces: &[Piece],
    units: usize,
    chars: &[char],
    char_at: impl Fn(usize) -> Option<usize>,
    deeper: Option<&Repair>,
) -> Vec<Candidate> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        if pieces[i].c.is_none() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < pieces.len() && pieces[j].c.is_some() {
            j += 1;
        }
        if let Some(candidate) = candidate(pieces, i, j, units, chars, &char_at, deeper) {
            found.push(candidate);
        } else if deeper.is_none() {
            let mut from = i;
            for k in i..=j {
                let cut = k == j || pieces[k].c.is_some_and(score::is_foreign);
                if cut {
                    if from < k && (from, k) != (i, j) {
                        found.extend(
                            candidate(pieces, from, k, units, chars, &char_at, deeper)
                                .filter(|c| c.strong && 2 * c.gain >= 3 * c.wide as i32),
                        );
                    }
                    from = k + 1;
                }
            }
        }
        i = j;
    }
    found
}

/// The repair that pieces `i..j` (all decoded) make, narrowed to character boundaries, when it
/// is one (see [`candidates`]).
fn candidate(
    pieces: &[Piece],
    i: usize,
    j: usize,
    units: usize,
    chars: &[char],
    char_at: &impl Fn(usize) -> Option<usize>,
    deeper: Option<&Repair>,
) -> Option<Candidate> {
    // Pieces i..j decoded; their unit boundaries are pieces[k].start for k in i..=j.
    let boundary = |k: usize| {
        let unit = pieces.get(k).map_or(units, |p| p.start);
        char_at(unit).or_else(|| (unit == units).then_some(chars.len()))
    };
    let (a, from) = (i..=j).find_map(|k| Some((k, boundary(k)?)))?;
    let (b, to) = (i..=j).rev().find_map(|k| Some((k, boundary(k)?)))?;
    if a >= b {
        return None;
    }
    let mut text: String = pieces[a..b].iter().filter_map(|p| p.c).collect();
    let before = score::score(chars[from..to].iter().copied());
    let mut after = score::score(text.chars());
    // `deeper` marks a run of Latin-1 characters, the readings that chance makes.
    let mut strong =
        score::clearly_better(before, after) && !(deeper.is_some() && score::by_chance(after));
    let mut uncertain = Uncertain::new();
    if let Some(repair) = deeper.filter(|_| !strong) {
        // A first layer of mojibake applied twice is rare characters the model of `guess`
        // cannot choose among: a lost byte is filled by rank there, as U+FFFD would put the
        // bytes of the layer below out of step (it stands for one byte, not two), and the
        // characters it can have been are handed to the next round, whose repair of the layer
        // below is Chinese the model can weigh.
        let mut layer = String::new();
        let mut layer_uncertain = Uncertain::new();
        for p in &pieces[a..b] {
            if p.guesses.is_empty() {
                layer.extend(p.c);
                continue;
            }
            let choices: Vec<char> = p
                .guesses
                .iter()
                .copied()
                .filter(|&c| codecs::python_gbk_bytes(c).is_some() || latin_byte(c).is_some())
                .collect();
            // The character written is one the layer below has bytes for: the next round's
            // runs are of such characters, and one it has none for (`㐇`, where the lost byte
            // of `ぇ`, the GBK bytes of half of `大`, made five) would end the run there.
            let written = guess::by_rank(if choices.is_empty() {
                &p.guesses
            } else {
                &choices
            });
            if choices.len() >= 2 {
                layer_uncertain.push((layer.len(), choices));
            }
            layer.push(written);
        }
        if let Some(inner) = repair.deeper_is_better(&layer, &layer_uncertain, before) {
            strong = true;
            after = score::score(layer.chars());
            // The Han characters it gives are those of the layer below (a layer of Latin-1
            // mojibake has none).
            after.han = after.han.max(inner.han);
            text = layer;
            uncertain = layer_uncertain;
        }
    }
    (strong || score::better(before, after)).then(|| Candidate {
        chars: (from, to),
        han: after.han,
        text,
        uncertain,
        strong,
        gain: after.points - before.points,
        wide: after.wide,
    })
}

impl Repair {
    /// Mojibake applied twice: is `text`, the first layer undone (its characters `uncertain` not
    /// told), UTF-8 read as GBK, or (when `layers`) Latin-1 / Windows-1252 mojibake, that scores
    /// clearly better than `before` once undone too? Its score then. (The next round of
    /// [`Repair::line`] undoes it.)
    fn deeper_is_better(
        &self,
        text: &str,
        uncertain: &Uncertain,
        before: score::Score,
    ) -> Option<score::Score> {
        let mut scratch = Counts::default();
        let signs = signature::scan(text, true);
        // One Han character is enough here: a layer is a run, often short between the ASCII of
        // an annotation (`(xí)`), and the line's repairs together must still give `MIN_HAN`.
        let mut bar = Bar::new(1);
        let mut inner = None;
        if signs.gbk {
            inner = gbk_runs(text, false, &mut bar, &mut scratch, &mut uncertain.clone());
        }
        if inner.is_none() && signs.latin && self.layers {
            let below = Repair {
                layers: false,
                ..*self
            };
            inner = below.latin_runs(text, &mut bar, &mut scratch, &mut uncertain.clone());
        }
        let inner = score::score(inner?.chars());
        score::clearly_better(before, inner).then_some(inner)
    }
}

#[cfg(test)]
mod tests;
