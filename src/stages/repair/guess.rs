//! Which character a lost byte made: a lossy decoder wrote U+FFFD for a byte of the right
//! encoding, and the bytes it can have been make several characters, often all of them real
//! (`行` and `而` differ in one byte of UTF-8, `合` and `午` too). The choice is made by how likely
//! each one is between its neighbours, and only when one is clearly likeliest: a wrong guess is a
//! false repair, so where the candidates are close the U+FFFD stays.
//!
//! Han characters are weighed by a small model of Chinese (`data/han/`, from jieba's word
//! frequencies): how common a character is, and how often it follows the character before it
//! and precedes the one after it inside a word (`行` before `政`). Commonness alone is not
//! enough: `而` is commoner than `行`, `重` than `量`, `做` than `坚`, and only the neighbours
//! (`行政`, `质量`, `坚持`) tell them apart. Traditional characters are weighed as their
//! Simplified forms, and a character of the script the rest of the run is not written in is
//! unlikely. Other characters (punctuation, symbols) are ranked as before, by `score::rank`.

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

/// The counts of `data/han/`.
struct Model {
    /// Each character's count, by its Simplified form.
    characters: FxHashMap<char, f64>,
    pairs: FxHashMap<(char, char), f64>,
    /// All the characters' counts.
    total: f64,
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
    .filter_map(|(key, count)| Some((key.chars().next()?, count)))
    .collect();
    let pairs = rows(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/han/bigrams.tsv"
    )))
    .filter_map(|(key, count)| {
        let mut chars = key.chars();
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

impl Model {
    fn count(&self, c: char) -> f64 {
        self.characters.get(&c).copied().unwrap_or(0.0)
    }

    /// How likely `c` is anywhere (counts smoothed: an unlisted character is half a count).
    fn alone(&self, c: char) -> f64 {
        (self.count(c) + 0.5) / self.total
    }

    /// How likely `c` is after `before`: the pair's count, mixed with how likely `c` is anywhere.
    fn after(&self, before: char, c: char) -> f64 {
        let pair = self.pairs.get(&(before, c)).copied().unwrap_or(0.0);
        PAIRS * pair / (self.count(before) + 1.0) + (1.0 - PAIRS) * self.alone(c)
    }

    /// The log-likelihood of `c` between `before` and `after` (Simplified forms all).
    fn weigh(&self, before: Option<char>, c: char, after: Option<char>) -> f64 {
        let left = match before {
            Some(b) if score::is_bmp_han(b) => self.after(b, c),
            _ => self.alone(c),
        };
        let right = match after {
            Some(a) if score::is_bmp_han(a) => self.after(c, a) / self.alone(a),
            _ => 1.0,
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

/// The character the lost bytes made, among `candidates` (the characters the bytes they can
/// have been make, in any order), between `before` and `after` (the characters decoded beside
/// it, when known); `at_end`: it ends the line. `None` when none is clearly likeliest.
pub(crate) fn choose(
    before: Option<char>,
    candidates: &[char],
    after: Option<char>,
    at_end: bool,
    lean: Lean,
) -> Option<char> {
    // Punctuation and symbols by their rank (a vowel of pinyin before other Latin letters:
    // `ā` and `č` differ in a byte of UTF-8); Han characters by the model, when a Han
    // character ranks first.
    let key = |c: char| u16::from(score::rank(c, at_end)) * 2 + u16::from(score::is_pinyin(c));
    let mut ranked: Vec<(u16, char)> = candidates.iter().map(|&c| (key(c), c)).collect();
    ranked.sort_by_key(|&(key, _)| std::cmp::Reverse(key));
    let &(top, first) = ranked.first()?;
    let ranked_first = ranked
        .get(1)
        .is_none_or(|&(second, _)| second < top)
        .then_some(first);
    if !score::is_bmp_han(first) {
        return ranked_first;
    }
    let model = &*MODEL;
    let before = before.map(score::simplified_form);
    let after = after.map(score::simplified_form);
    let mut weighed: Vec<(f64, char)> = candidates
        .iter()
        .filter(|&&c| score::is_bmp_han(c))
        .map(|&c| {
            let penalty = if lean.against(c) { OTHER_SCRIPT } else { 0.0 };
            (
                model.weigh(before, score::simplified_form(c), after) - penalty,
                c,
            )
        })
        .collect();
    weighed.sort_by(|a, b| b.0.total_cmp(&a.0));
    let &(best, c) = weighed.first()?;
    if weighed
        .get(1)
        .is_none_or(|&(second, _)| best - second >= MARGIN)
    {
        return Some(c);
    }
    // Where the model cannot tell (characters it has no counts for, as the first layer of
    // mojibake applied twice is made of: UTF-8 read as GBK), the one candidate of the highest
    // class (GB2312's levels, the common characters), when there is one.
    ranked_first
}

/// Decodes `units` with `right` as `codecs::decode` does, each piece with lost bytes given the
/// character they clearly made, or U+FFFD; `line_end`: the units end the line.
pub(crate) fn decode(units: &[Unit], right: Right, line_end: bool) -> Vec<Piece> {
    let mut pieces = codecs::decode(units, right);
    if pieces.iter().any(|p| !p.guesses.is_empty()) {
        choose_guesses(&mut pieces, line_end);
    }
    pieces
}

/// Chooses the character of each piece with lost bytes: first alone (the script of the run
/// told by its other characters), then again between its neighbours as first chosen.
fn choose_guesses(pieces: &mut [Piece], line_end: bool) {
    let sure: String = pieces
        .iter()
        .filter(|p| p.guesses.is_empty())
        .filter_map(|p| p.c)
        .collect();
    let lean = Lean::of(&sure);
    let last = pieces.len() - 1;
    for (k, piece) in pieces.iter_mut().enumerate() {
        if !piece.guesses.is_empty() {
            let at_end = line_end && k == last;
            piece.c = Some(choose(None, &piece.guesses, None, at_end, lean).unwrap_or('\u{FFFD}'));
        }
    }
    let alone: Vec<Option<char>> = pieces.iter().map(|p| p.c).collect();
    for (k, piece) in pieces.iter_mut().enumerate() {
        if !piece.guesses.is_empty() {
            let before = k.checked_sub(1).and_then(|j| alone[j]);
            let after = alone.get(k + 1).copied().flatten();
            let at_end = line_end && k == last;
            piece.c =
                Some(choose(before, &piece.guesses, after, at_end, lean).unwrap_or('\u{FFFD}'));
        }
    }
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
        assert_eq!(text(&decode(&units, Right::Utf8, true)), "中国。");
        // Both continuation bytes of `。` lost at the end of a line: 4,096 fillings, as only
        // 0x80–0xBF can stand there, and `。` ranks first among them.
        let mut units = bytes("位。".as_bytes());
        units[4] = Unit::Lost(Lost::Gbk);
        units[5] = Unit::Lost(Lost::Gbk);
        assert_eq!(text(&decode(&units, Right::Utf8, true)), "位。");
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
