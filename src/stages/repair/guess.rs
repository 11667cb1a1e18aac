//! Which character a lost byte made: a lossy decoder wrote U+FFFD for a byte of the right
//! encoding, and the bytes it can have been make several characters, often all of them real
//! (`行` and `而` differ in one byte of UTF-8, `合` and `午` too). The choice is made by how likely
//! each one is between its neighbours, and only when one is clearly likeliest: a wrong guess is a
//! false repair, so where the candidates are close the U+FFFD stays.
//!
//! Characters are weighed by a small model of running Chinese text (`data/han/`, from the
//! People's Daily of January 1998): how common a character is, how often it follows the
//! character before it and precedes the one after it (`行` before `政`). Commonness alone is not
//! enough: `而` is commoner than `行`, `重` than `量`, `做` than `坚`, and only the neighbours
//! (`行政`, `质量`, `坚持`) tell them apart. The pairs are counted across words and punctuation
//! and from a paragraph's start and to its end, as running text has them: a heading's `一、` is
//! `一` after a line's start and before `、`, `》` and `《` are told by what stands outside them.
//! The model holds punctuation, digits (as one) and Latin letters (as one) beside Han characters,
//! and a character is looked up in its Simplified form (`model_form`). A pinyin annotation
//! (`責(zé)`) is stepped over: the neighbour that tells is the character beyond it. A character of
//! the script the rest of the run is not written in is unlikely. Characters the model has never
//! seen (pinyin vowels, other alphabets) are ranked as before, by `score::rank`.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::codecs::{self, Piece, Right, Unit};
use super::score;
use crate::stages::convert::{Evidence, Script};

/// How much likelier the best candidate must be than the next: four times.
const MARGIN: f64 = 1.386_294_361; // ln 4
/// How unlikely a character of the other script is: a twentieth.
const OTHER_SCRIPT: f64 = 2.995_732_274; // ln 20
/// The weight of the pair counts against the character counts in a neighbour's term.
const PAIRS: f64 = 0.9;
/// A line's start or end, as the model counts it.
const LINE_EDGE: char = '\n';

/// The counts of `data/han/`.
struct Model {
    /// Each character's count, by its model form.
    characters: FxHashMap<char, f64>,
    pairs: FxHashMap<(char, char), f64>,
    /// All the characters' counts.
    total: f64,
}

/// The characters of a key of `data/han/` (`\n` is written `\\n`).
fn unescape(key: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = key.chars();
    std::iter::from_fn(move || match chars.next()? {
        '\\' => match chars.next()? {
            'n' => Some('\n'),
            't' => Some('\t'),
            c => Some(c),
        },
        c => Some(c),
    })
}

static MODEL: LazyLock<Model> = LazyLock::new(|| {
    let rows = |text: &'static str| {
        text.lines().filter_map(|line| {
            let (key, count) = line.split_once('\t')?;
            Some((key, count.parse::<f64>().ok()?))
        })
    };
    let characters: FxHashMap<char, f64> = rows(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/han/characters.tsv"
    )))
    .filter_map(|(key, count)| Some((unescape(key).next()?, count)))
    .collect();
    let pairs = rows(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/han/pairs.tsv"
    )))
    .filter_map(|(key, count)| {
        let mut chars = unescape(key);
        Some(((chars.next()?, chars.next()?), count))
    })
    .collect();
    let total = characters.values().sum();
    Model {
        characters,
        pairs,
        total,
    }
});

/// The form the model counts a character by (as `data/han/make.py` writes it): digits are `0`,
/// Latin letters `a`, the ASCII punctuation Chinese text also writes full-width is full-width,
/// a Traditional character is its Simplified form.
fn model_form(c: char) -> char {
    match c {
        '0'..='9' | '０'..='９' => '0',
        'a'..='z' | 'A'..='Z' | 'ａ'..='ｚ' | 'Ａ'..='Ｚ' => 'a',
        ',' => '，',
        '(' => '（',
        ')' => '）',
        ':' => '：',
        ';' => '；',
        '?' => '？',
        '!' => '！',
        _ => score::simplified_form(c),
    }
}

impl Model {
    fn count(&self, c: char) -> f64 {
        self.characters.get(&c).copied().unwrap_or(0.0)
    }

    /// How likely `c` is anywhere (counts smoothed: an unseen character is half a count).
    fn alone(&self, c: char) -> f64 {
        (self.count(c) + 0.5) / self.total
    }

    /// How likely `c` is after `before`: the pair's count, mixed with how likely `c` is anywhere.
    fn after(&self, before: char, c: char) -> f64 {
        let pair = self.pairs.get(&(before, c)).copied().unwrap_or(0.0);
        PAIRS * pair / (self.count(before) + 1.0) + (1.0 - PAIRS) * self.alone(c)
    }

    /// The log-likelihood of `c` between `before` and `after` (model forms all; `None`: not
    /// known).
    fn weigh(&self, before: Option<char>, c: char, after: Option<char>) -> f64 {
        let left = match before {
            Some(b) => self.after(b, c),
            None => self.alone(c),
        };
        let right = match after {
            Some(a) => self.after(c, a) / self.alone(a),
            None => 1.0,
        };
        left.ln() + right.ln()
    }
}

/// The script the characters around a guess are written in, as far as they tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lean {
    Simplified,
    Traditional,
    Neither,
}

impl Lean {
    /// What `text` (the characters decoded without a guess) leans to.
    pub(crate) fn of(text: &str) -> Lean {
        let evidence = Evidence::of(text);
        match evidence.simplified.cmp(&evidence.traditional) {
            std::cmp::Ordering::Greater => Lean::Simplified,
            std::cmp::Ordering::Less => Lean::Traditional,
            std::cmp::Ordering::Equal => Lean::Neither,
        }
    }

    /// Is `c` of the other script than this one?
    fn against(self, c: char) -> bool {
        let mut buf = [0; 4];
        let c = &*c.encode_utf8(&mut buf);
        match self {
            Lean::Simplified => Evidence::any_only_in(c, Script::Traditional),
            Lean::Traditional => Evidence::any_only_in(c, Script::Simplified),
            Lean::Neither => false,
        }
    }
}

/// The candidates of one piece with lost bytes, as far as they are told without neighbours:
/// what their ranks give, and each one's model form and weight of its own (the script's
/// penalty). Made once, weighed again with each context.
struct Weighed {
    /// The one candidate of the highest rank (`score::rank`), when one is.
    ranked_first: Option<char>,
    /// The candidates go to the model: the first by rank is a character it has seen, or Han.
    by_model: bool,
    /// Each candidate, its model form and its penalty.
    forms: Vec<(char, char, f64)>,
}

impl Weighed {
    fn new(candidates: &[char], at_end: bool, lean: Lean) -> Self {
        // Punctuation and symbols by their rank (a vowel of pinyin before other Latin letters:
        // `ā` and `č` differ in a byte of UTF-8).
        let key = |c: char| u16::from(score::rank(c, at_end)) * 2 + u16::from(score::is_pinyin(c));
        let (mut top, mut first, mut tied) = (0u16, None, false);
        for &c in candidates {
            let k = key(c);
            if first.is_none() || k > top {
                (top, first, tied) = (k, Some(c), false);
            } else if k == top {
                tied = true;
            }
        }
        let ranked_first = first.filter(|_| !tied);
        let model = &*MODEL;
        let by_model =
            first.is_some_and(|c| score::is_bmp_han(c) || model.count(model_form(c)) > 0.0);
        let forms = match by_model {
            true => candidates
                .iter()
                .map(|&c| {
                    let penalty = if lean.against(c) { OTHER_SCRIPT } else { 0.0 };
                    (c, model_form(c), penalty)
                })
                .collect(),
            false => Vec::new(),
        };
        Weighed {
            ranked_first,
            by_model,
            forms,
        }
    }

    /// The character the lost bytes made between `before` and `after` (model forms; `None`:
    /// not known), when one is clearly likeliest.
    fn choose(&self, before: Option<char>, after: Option<char>) -> Option<char> {
        if !self.by_model {
            return self.ranked_first;
        }
        let model = &*MODEL;
        let (mut best, mut second) = ((f64::NEG_INFINITY, None), f64::NEG_INFINITY);
        for &(c, form, penalty) in &self.forms {
            let w = model.weigh(before, form, after) - penalty;
            if w > best.0 {
                second = best.0;
                best = (w, Some(c));
            } else if w > second {
                second = w;
            }
        }
        if best.0 - second >= MARGIN {
            return best.1;
        }
        // Where the model cannot tell (characters it has no counts for, as the first layer of
        // mojibake applied twice is made of: UTF-8 read as GBK; punctuation that ends a line),
        // the one candidate of the highest class (GB2312's levels, the common characters, the
        // punctuation lists), when there is one.
        self.ranked_first
    }
}

/// The character the lost bytes made, among `candidates` (the characters the bytes they can
/// have been make, in any order), between `before` and `after` (the characters decoded beside
/// it, when known; `\n` for a line's edge); `at_end`: it ends the line. `None` when none is
/// clearly likeliest.
#[cfg(test)]
fn choose(
    before: Option<char>,
    candidates: &[char],
    after: Option<char>,
    at_end: bool,
    lean: Lean,
) -> Option<char> {
    Weighed::new(candidates, at_end, lean).choose(before.map(model_form), after.map(model_form))
}

/// Decodes `units` with `right` as `codecs::decode` does, each piece with lost bytes given the
/// character they clearly made, or U+FFFD; `line_start`, `line_end`: the units start, end the
/// line.
pub(crate) fn decode(units: &[Unit], right: Right, line_start: bool, line_end: bool) -> Vec<Piece> {
    let mut pieces = codecs::decode(units, right);
    if pieces.iter().any(|p| !p.guesses.is_empty()) {
        choose_guesses(&mut pieces, line_start, line_end);
    }
    pieces
}

/// Is `c` a letter of a pinyin annotation (`zé`, `xí`)?
fn is_annotation_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || score::is_pinyin(c)
}

/// The index of the neighbour of piece `k` that tells (`step` -1: before it, +1: after it): the
/// next piece, or the one beyond a pinyin annotation in parentheses there (`責(zé)任`). `None`
/// past the pieces.
fn neighbour(chars: &[Option<char>], k: usize, step: isize) -> Option<usize> {
    let at = |i: isize| usize::try_from(i).ok().filter(|&i| i < chars.len());
    let next = at(k as isize + step)?;
    let (open, close) = if step > 0 { ('(', ')') } else { (')', '(') };
    if chars[next] != Some(open) {
        return Some(next);
    }
    let mut i = next as isize + step;
    let mut letters = 0;
    while let Some(j) = at(i) {
        match chars[j] {
            Some(c) if c == close && letters > 0 => return at(i + step).or(Some(next)),
            Some(c) if is_annotation_letter(c) && letters < 8 => letters += 1,
            _ => break,
        }
        i += step;
    }
    Some(next)
}

/// Chooses the character of each piece with lost bytes: first between the neighbours decoded
/// without a guess (the script of the run told by them), then again between its neighbours as
/// first chosen (two lost characters in a row: `第一`).
fn choose_guesses(pieces: &mut [Piece], line_start: bool, line_end: bool) {
    let sure: String = pieces
        .iter()
        .filter(|p| p.guesses.is_empty())
        .filter_map(|p| p.c)
        .collect();
    let lean = Lean::of(&sure);
    let last = pieces.len() - 1;
    // The candidates of each piece with lost bytes, ranked once.
    let weighed: Vec<Option<Weighed>> = pieces
        .iter()
        .enumerate()
        .map(|(k, p)| {
            (!p.guesses.is_empty()).then(|| Weighed::new(&p.guesses, line_end && k == last, lean))
        })
        .collect();
    let mut chars: Vec<Option<char>> = pieces
        .iter()
        .map(|p| p.c.filter(|_| p.guesses.is_empty()))
        .collect();
    let context = |chars: &[Option<char>], k: usize| {
        let before = match neighbour(chars, k, -1) {
            Some(j) => chars[j].map(model_form),
            None => line_start.then_some(LINE_EDGE),
        };
        let after = match neighbour(chars, k, 1) {
            Some(j) => chars[j].map(model_form),
            None => line_end.then_some(LINE_EDGE),
        };
        (before, after)
    };
    let mut first = chars.clone();
    for (k, w) in weighed.iter().enumerate() {
        if let Some(w) = w {
            let (before, after) = context(&chars, k);
            first[k] = w.choose(before, after);
        }
    }
    for (k, w) in weighed.iter().enumerate() {
        if let Some(w) = w {
            let (before, after) = context(&first, k);
            chars[k] = w.choose(before, after);
        }
    }
    // Two lost characters side by side (`第一`, a heading's `一、`) are told better together:
    // each pair of their candidates is weighed between the neighbours outside them.
    let sure = |k: usize| pieces[k].guesses.is_empty();
    for k in 0..pieces.len().saturating_sub(1) {
        let (Some(Some(left)), Some(Some(right))) = (weighed.get(k), weighed.get(k + 1)) else {
            continue;
        };
        let alone = |j: Option<usize>| j.is_none_or(sure);
        if !alone(k.checked_sub(1)) || !alone(Some(k + 2).filter(|&j| j < pieces.len())) {
            continue;
        }
        let before = match k.checked_sub(1) {
            Some(j) => pieces[j].c.map(model_form),
            None => line_start.then_some(LINE_EDGE),
        };
        let after = match pieces.get(k + 2) {
            Some(p) => p.c.map(model_form),
            None => line_end.then_some(LINE_EDGE),
        };
        if let Some((a, b)) = choose_pair(left, right, before, after) {
            chars[k] = a.or(chars[k]);
            chars[k + 1] = b.or(chars[k + 1]);
        }
    }
    for (piece, c) in pieces.iter_mut().zip(chars) {
        if !piece.guesses.is_empty() {
            piece.c = Some(c.unwrap_or('\u{FFFD}'));
        }
    }
}

/// The most pairs of candidates [`choose_pair`] weighs.
const MAX_PAIRS: usize = 16_384;

/// The characters of two lost characters side by side, between `before` and `after` (model
/// forms; `None`: not known): each one that is clearly likeliest with the likeliest partner of
/// each of its candidates. `None` when the model does not weigh them, or they have too many
/// candidates.
fn choose_pair(
    left: &Weighed,
    right: &Weighed,
    before: Option<char>,
    after: Option<char>,
) -> Option<(Option<char>, Option<char>)> {
    if !left.by_model || !right.by_model || left.forms.len() * right.forms.len() > MAX_PAIRS {
        return None;
    }
    let model = &*MODEL;
    let firsts: Vec<f64> = left
        .forms
        .iter()
        .map(|&(_, form, penalty)| model.weigh(before, form, None) - penalty)
        .collect();
    let lasts: Vec<f64> = right
        .forms
        .iter()
        .map(|&(_, form, penalty)| {
            let next = after.map_or(1.0, |a| model.after(form, a) / model.alone(a));
            next.ln() - penalty
        })
        .collect();
    // The best whole weight with each candidate of either side.
    let mut best_left = vec![f64::NEG_INFINITY; left.forms.len()];
    let mut best_right = vec![f64::NEG_INFINITY; right.forms.len()];
    for (i, &(_, a, _)) in left.forms.iter().enumerate() {
        for (j, &(_, b, _)) in right.forms.iter().enumerate() {
            let w = firsts[i] + model.after(a, b).ln() + lasts[j];
            best_left[i] = best_left[i].max(w);
            best_right[j] = best_right[j].max(w);
        }
    }
    let clear = |weights: &[f64], forms: &[(char, char, f64)]| {
        let (mut best, mut second) = ((f64::NEG_INFINITY, None), f64::NEG_INFINITY);
        for (&w, &(c, _, _)) in weights.iter().zip(forms) {
            if w > best.0 {
                second = best.0;
                best = (w, Some(c));
            } else if w > second {
                second = w;
            }
        }
        (best.0 - second >= MARGIN).then_some(best.1).flatten()
    };
    Some((
        clear(&best_left, &left.forms),
        clear(&best_right, &right.forms),
    ))
}

/// The first of the candidates of the highest rank (`score::rank`), without the model: the
/// choice for the first layer of mojibake applied twice, whose characters are not Chinese.
pub(crate) fn by_rank(candidates: &[char]) -> char {
    let mut best = candidates[0];
    for &c in &candidates[1..] {
        if score::rank(c, false) > score::rank(best, false) {
            best = c;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_tell_characters_that_differ_in_one_byte() {
        // `行` E8 A1 8C and `而` E8 80 8C: `而` is commoner, `行政` a word.
        assert_eq!(
            choose(Some('，'), &['而', '行'], Some('政'), false, Lean::Neither),
            Some('行')
        );
        // `坚` E5 9D 9A and `做` E5 81 9A before `持`.
        assert_eq!(
            choose(None, &['做', '坚'], Some('持'), false, Lean::Neither),
            Some('坚')
        );
        // Alone, the commoner of two far apart.
        assert_eq!(
            choose(None, &['合', '午', '偈'], None, false, Lean::Neither),
            Some('合')
        );
    }

    #[test]
    fn close_candidates_are_no_guess() {
        // The characters of E6 95 and a lost last byte, at a line's end with nothing before.
        let close = ['故', '效', '数', '整', '教'];
        assert_eq!(choose(None, &close, None, true, Lean::Neither), None);
    }

    #[test]
    fn the_other_script_is_unlikely() {
        // In Simplified text `觀` (Traditional `观`) is no reading.
        let candidates = ['议', '觀'];
        assert_eq!(
            choose(Some('复'), &candidates, Some('渠'), false, Lean::Simplified),
            Some('议')
        );
    }

    fn bytes(b: &[u8]) -> Vec<Unit> {
        b.iter().map(|&b| Unit::Byte(b)).collect()
    }

    fn text(pieces: &[Piece]) -> String {
        pieces.iter().map(|p| p.c.unwrap_or('\u{FFFD}')).collect()
    }

    #[test]
    fn decodes_with_lost_bytes_chosen() {
        use codecs::Lost;
        // 中国。 in UTF-8, with the 0x80 of 。 lost.
        let mut units = bytes("中国。".as_bytes());
        units[7] = Unit::Lost(Lost::Gbk);
        assert_eq!(text(&decode(&units, Right::Utf8, false, true)), "中国。");
        // Both continuation bytes of `。` lost at the end of a line: 4,096 fillings, as only
        // 0x80–0xBF can stand there, and `。` ranks first among them.
        let mut units = bytes("位。".as_bytes());
        units[4] = Unit::Lost(Lost::Gbk);
        units[5] = Unit::Lost(Lost::Gbk);
        assert_eq!(text(&decode(&units, Right::Utf8, false, true)), "位。");
    }

    #[test]
    fn two_lost_characters_side_by_side_are_told_together() {
        use codecs::Lost;
        // `第一` with the last two bytes of `第` (E7 AC AC) and the last of `一` (E4 B8 80)
        // lost, as Python's `gbk` loses them: neither is told by its one known neighbour.
        let mut units = bytes("建设第一责任人".as_bytes());
        units[7] = Unit::Lost(Lost::Gbk);
        units[8] = Unit::Lost(Lost::Gbk);
        units[11] = Unit::Lost(Lost::Gbk);
        assert_eq!(
            text(&decode(&units, Right::Utf8, true, true)),
            "建设第一责任人"
        );
    }

    #[test]
    fn a_pinyin_annotation_is_stepped_over() {
        let chars: Vec<Option<char>> = "責(zé)任".chars().map(Some).collect();
        assert_eq!(neighbour(&chars, 0, 1), Some(5));
        assert_eq!(neighbour(&chars, 5, -1), Some(0));
        // Parentheses around anything else are neighbours as they are.
        let chars: Vec<Option<char>> = "一(2)三".chars().map(Some).collect();
        assert_eq!(neighbour(&chars, 0, 1), Some(1));
    }

    #[test]
    fn punctuation_is_ranked_as_before() {
        assert_eq!(
            choose(None, &['」', '、', '』'], None, false, Lean::Neither),
            Some('、')
        );
        assert_eq!(
            choose(None, &['。', '\u{3402}'], None, true, Lean::Neither),
            Some('。')
        );
    }
}
