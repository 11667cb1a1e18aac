//! The codecs of a wrong decoding, run backwards: a mojibake character back to the byte(s) the
//! wrong codec read it from, and the bytes forward again with the right codec, where some bytes
//! may have been lost (a lossy decoder wrote U+FFFD for them) and are guessed.
//!
//! GBK comes from `encoding_rs` (its decoder, once, into a table both ways). Latin-1 and
//! Windows-1252 are written by hand: `encoding_rs` has no ISO-8859-1 at all (the WHATWG label
//! `latin1` means windows-1252), and its encoders replace an unmappable character with an HTML
//! character reference instead of failing, while repair needs to know that a character has no
//! byte. Both are a byte per character, so the hand-written form is a range check and a table of
//! the 27 characters Windows-1252 puts at 0x80–0x9F.
//!
//! A Latin-1 and a Windows-1252 reading of GB2312 text are the same characters (its bytes are
//! all 0xA1–0xFE, where the two agree): such a run is counted as Latin-1; Windows-1252 is named
//! when the run holds one of its own characters (`€`, `“`, `–`, …) or a byte it leaves undefined.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

/// What a mojibake character stood for: a byte the wrong codec read, or a byte a lossy decoder
/// replaced by U+FFFD, whose value is lost (the candidates are the bytes it can have been).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Unit {
    Byte(u8),
    Lost(Lost),
}

/// Which bytes a lost byte can have been.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Lost {
    /// A byte Python's `gbk` decoder rejected: 0x80, or a lead byte that forms no GBK character
    /// with the byte after it (that byte is kept: the decoder resynchronises on it).
    Gbk,
    /// A byte Python's `cp1252` decoder rejected: one of the five it leaves undefined.
    Cp1252,
    /// A byte of a character an outer repair could not tell (mojibake applied twice: the outer
    /// layer lost a byte, and the characters it can have been are GBK pairs whose bytes are
    /// these): the inner repair chooses, with the model of Chinese text the outer one lacks.
    Among(ByteSet),
    /// The first byte of such a character, where both of its bytes are uncertain: the GBK
    /// pairs its candidates are (the unit after it holds their second bytes, as
    /// [`Lost::Among`]). A window that holds both bytes takes a pair whole: the bytes of one
    /// candidate with the bytes of another are no candidate.
    Pair(PairSet),
}

impl Lost {
    /// The bytes a lost byte among a few can have been (`None` for any of many).
    fn few(&self) -> Option<ByteSet> {
        match self {
            Lost::Among(set) => Some(*set),
            Lost::Pair(pairs) => Some(pairs.firsts()),
            Lost::Gbk | Lost::Cp1252 => None,
        }
    }
}

/// A few GBK pairs (see [`Lost::Pair`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PairSet {
    pairs: [[u8; 2]; PairSet::MAX],
    len: u8,
}

impl PairSet {
    /// The most pairs a set holds: a character with two bytes lost has up to 25 candidates,
    /// most without a GBK pair; more are left to [`Lost::Among`], a byte at a time.
    pub(crate) const MAX: usize = 16;

    pub(crate) fn new(pairs: &[[u8; 2]]) -> Option<Self> {
        let mut set = PairSet {
            pairs: [[0; 2]; PairSet::MAX],
            len: 0,
        };
        for pair in pairs {
            if set.pairs().contains(pair) {
                continue;
            }
            *set.pairs.get_mut(usize::from(set.len))? = *pair;
            set.len += 1;
        }
        Some(set)
    }

    fn pairs(&self) -> &[[u8; 2]] {
        &self.pairs[..usize::from(self.len)]
    }

    fn firsts(&self) -> ByteSet {
        let mut set = ByteSet::default();
        for pair in self.pairs() {
            set.insert(pair[0]);
        }
        set
    }
}

/// A set of byte values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct ByteSet([u64; 4]);

impl ByteSet {
    pub(crate) fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    pub(crate) fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    pub(crate) fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The bytes, in ascending order.
    pub(crate) fn bytes(self) -> impl Iterator<Item = u8> {
        (0..=255u8).filter(move |&b| self.contains(b))
    }
}

/// The five bytes Windows-1252 leaves undefined (Python rejects them; WHATWG decodes them to
/// the C1 controls of the same number).
pub(crate) const CP1252_UNDEFINED: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// Windows-1252's characters at 0x80–0x9F, `None` for the undefined bytes.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The Windows-1252 byte of one of its 27 characters outside Latin-1 (`€`, `“`, `–`, …).
pub(crate) fn cp1252_special_byte(c: char) -> Option<u8> {
    // They lie in U+0152–U+0192, U+02C6–U+02DC and U+2013–U+2122: most characters are told
    // by these bounds alone.
    if !matches!(c as u32, 0x152..=0x2DC | 0x2013..=0x2122) {
        return None;
    }
    CP1252_HIGH
        .iter()
        .position(|&high| high == Some(c))
        .map(|i| 0x80 + i as u8)
}

/// The byte Latin-1 (or Windows-1252, whose undefined bytes WHATWG decodes to C1 controls, and
/// whose 0xA0–0xFF are Latin-1's) decoded to `c`, when `c` is one of U+0000–U+00FF.
pub(crate) fn latin1_byte(c: char) -> Option<u8> {
    u8::try_from(c as u32).ok()
}

/// GBK both ways, from `encoding_rs`'s decoder of every double-byte sequence.
struct GbkTables {
    /// GBK code (lead << 8 | trail) of each BMP character, 0 for none. The euro sign, which
    /// Windows-936 puts at the single byte 0x80, is 0x0080.
    encode: Box<[u16]>,
    /// The character of each double-byte code, at `(lead - 0x81) * 256 + trail`; 0 for none.
    decode: Box<[u16]>,
}

static GBK: LazyLock<GbkTables> = LazyLock::new(|| {
    let mut encode = vec![0u16; 0x10000].into_boxed_slice();
    let mut decode = vec![0u16; 0x7E * 256].into_boxed_slice();
    let mut decoder = encoding_rs::GBK.new_decoder_without_bom_handling();
    for lead in 0x81..=0xFEu8 {
        for trail in (0x40..=0x7Eu8).chain(0x80..=0xFE) {
            let mut out = [0u16; 4];
            let (result, read, written) =
                decoder.decode_to_utf16_without_replacement(&[lead, trail], &mut out, false);
            if matches!(result, encoding_rs::DecoderResult::InputEmpty) && read == 2 && written == 1
            {
                let code = u16::from(lead) << 8 | u16::from(trail);
                decode[usize::from(lead - 0x81) * 256 + usize::from(trail)] = out[0];
                if encode[usize::from(out[0])] == 0 {
                    encode[usize::from(out[0])] = code;
                }
            }
            decoder = encoding_rs::GBK.new_decoder_without_bom_handling();
        }
    }
    encode[0x20AC] = 0x0080;
    GbkTables { encode, decode }
});

/// The two bytes Python's `gbk` codec decodes to `c`, when it has a pair for it (what a
/// character of UTF-8 read as GBK was made of).
pub(crate) fn python_gbk_bytes(c: char) -> Option<[u8; 2]> {
    let [lead, trail] = gbk_code(c).filter(|&code| code > 0xFF)?.to_be_bytes();
    python_gbk_pair(lead, trail).then_some([lead, trail])
}

/// The GBK code of `c` (a double-byte code, or 0x0080 for `€`), when GBK has it.
pub(crate) fn gbk_code(c: char) -> Option<u16> {
    let c = u16::try_from(c as u32).ok()?;
    if c < 0x80 {
        return None;
    }
    Some(GBK.encode[usize::from(c)]).filter(|&code| code != 0)
}

/// The character GBK gives a double-byte sequence, when it gives one.
pub(crate) fn gbk_char(lead: u8, trail: u8) -> Option<char> {
    let index = usize::from(lead.checked_sub(0x81)?) * 256 + usize::from(trail);
    let unit = *GBK.decode.get(index)?;
    (unit != 0)
        .then(|| char::from_u32(u32::from(unit)))
        .flatten()
}

/// Does Python's `gbk` codec decode this pair? It has no user-defined areas (which
/// `encoding_rs` maps into the Private Use Area) and no single-byte euro.
fn python_gbk_pair(lead: u8, trail: u8) -> bool {
    gbk_char(lead, trail).is_some_and(|c| !('\u{E000}'..='\u{F8FF}').contains(&c))
}

/// The bytes a lost byte can have been, given the byte after it (when known).
fn candidates(lost: Lost, next: Option<u8>) -> Vec<u8> {
    match lost {
        Lost::Cp1252 => CP1252_UNDEFINED.to_vec(),
        Lost::Among(_) | Lost::Pair(_) => lost
            .few()
            .map_or_else(Vec::new, |set| set.bytes().collect()),
        Lost::Gbk => (0x80..=0xFFu8)
            .filter(|&b| b == 0x80 || b == 0xFF || next.is_none_or(|n| !python_gbk_pair(b, n)))
            .collect(),
    }
}

/// The character decoded, and how much of the input it took; with lost bytes, the characters
/// they can make instead (`c` is then the first of them; `guess` chooses).
#[derive(Clone)]
struct Decoded {
    c: char,
    len: usize,
    guesses: Vec<char>,
}

/// The byte value of unit `i` (`None` when lost or past the end).
fn known(units: &[Unit], i: usize) -> Option<u8> {
    match units.get(i) {
        Some(Unit::Byte(b)) => Some(*b),
        _ => None,
    }
}

/// The most fillings of lost bytes tried for one character: past it, no guess is made.
const MAX_FILLINGS: usize = 4096;

/// The characters that `decode_one` makes of `units[start..start + len]`, trying every way of
/// filling in its lost bytes (each character once, in the order found: the first lost byte
/// varying slowest). `None` when a unit is missing, when no filling makes a character, or when
/// there are more than [`MAX_FILLINGS`] ways. `fits(k, b)`: byte `b` can stand at place `k` of
/// the window (a continuation byte of UTF-8 is 0x80–0xBF: two lost continuation bytes are 4,096
/// ways, not 16,384).
///
/// The fillings are counted before any is tried and built one at a time in a small buffer:
/// runs of lost bytes in garbage would otherwise build thousands of vectors per position.
fn fillings(
    units: &[Unit],
    start: usize,
    len: usize,
    fits: impl Fn(usize, u8) -> bool,
    decode_one: impl Fn(&[u8]) -> Option<char>,
) -> Option<Vec<char>> {
    #[cfg(test)]
    tests::FILLINGS_WORKED_OUT.with(|n| n.set(n.get() + 1));
    let window = units.get(start..start + len)?;
    // The candidates of each lost byte, by its place in the window: a byte, or a pair whole
    // (the second byte then unused).
    let mut options: Vec<(usize, Vec<[u8; 2]>)> = Vec::new();
    let mut count = 1usize;
    let mut k = 0;
    while k < window.len() {
        let Unit::Lost(lost) = window[k] else {
            k += 1;
            continue;
        };
        let candidates: Vec<[u8; 2]> = match lost {
            Lost::Pair(pairs) if k + 1 < window.len() => pairs
                .pairs()
                .iter()
                .filter(|pair| fits(k, pair[0]) && fits(k + 1, pair[1]))
                .copied()
                .collect(),
            _ => candidates(lost, known(units, start + k + 1))
                .into_iter()
                .filter(|&b| fits(k, b))
                .map(|b| [b, 0])
                .collect(),
        };
        count = count.saturating_mul(candidates.len());
        if count == 0 || count > MAX_FILLINGS {
            return None;
        }
        let whole = matches!(lost, Lost::Pair(_)) && k + 1 < window.len();
        options.push((k, candidates));
        k += if whole { 2 } else { 1 };
    }
    // Which options are pairs whole.
    let whole: Vec<bool> = options
        .iter()
        .map(|(k, _)| matches!(window[*k], Unit::Lost(Lost::Pair(_))) && k + 1 < window.len())
        .collect();
    // Two lost bytes of Python's `gbk` in a row: the first was rejected with the second after
    // it, so the two are no GBK pair (of two lost continuation bytes of UTF-8, a pair with a
    // lead 0x81–0xA0 or 0xB0–0xFE would have been read as one: most of the 4,096 fillings).
    let rejected: Vec<usize> = (0..window.len().saturating_sub(1))
        .filter(|&k| {
            matches!(window[k], Unit::Lost(Lost::Gbk))
                && matches!(window[k + 1], Unit::Lost(Lost::Gbk))
        })
        .collect();
    let mut bytes: Vec<u8> = window
        .iter()
        .map(|unit| match unit {
            Unit::Byte(b) => *b,
            Unit::Lost(_) => 0,
        })
        .collect();
    // An odometer over the candidates, the last lost byte turning fastest.
    let mut digits = vec![0usize; options.len()];
    let mut found: Vec<char> = Vec::new();
    // Whether a character is already among `found`: up to 4,096 fillings, so a search of the
    // list each time would be quadratic (it was most of the cost of repairing mojibake).
    let mut seen: FxHashSet<char> = FxHashSet::default();
    loop {
        for (((k, candidates), &digit), &whole) in options.iter().zip(&digits).zip(&whole) {
            bytes[*k] = candidates[digit][0];
            if whole {
                bytes[*k + 1] = candidates[digit][1];
            }
        }
        let possible = rejected
            .iter()
            .all(|&k| !python_gbk_pair(bytes[k], bytes[k + 1]));
        if let Some(c) = possible.then(|| decode_one(&bytes)).flatten() {
            if seen.insert(c) {
                found.push(c);
            }
        }
        let mut place = digits.len();
        loop {
            if place == 0 {
                return (!found.is_empty()).then_some(found);
            }
            place -= 1;
            digits[place] += 1;
            if digits[place] < options[place].1.len() {
                break;
            }
            digits[place] = 0;
        }
    }
}

/// One UTF-8 character from exactly these bytes.
fn utf8_char(bytes: &[u8]) -> Option<char> {
    let s = std::str::from_utf8(bytes).ok()?;
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// The length of a UTF-8 sequence that starts with `lead` (0 for a byte that starts none).
pub(crate) fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Can byte `b` stand at place `k` of a UTF-8 sequence of `len` bytes?
fn fits_utf8(len: usize, k: usize, b: u8) -> bool {
    match k {
        0 => utf8_len(b) == len,
        _ => (0x80..=0xBF).contains(&b),
    }
}

fn is_continuation(unit: Option<&Unit>) -> bool {
    match unit {
        Some(Unit::Byte(b)) => (0x80..=0xBF).contains(b),
        Some(Unit::Lost(lost)) => lost
            .few()
            .is_none_or(|set| set.bytes().any(|b| (0x80..=0xBF).contains(&b))),
        None => false,
    }
}

/// Decodes the UTF-8 character at `units[i]`, with the characters its lost bytes can make.
fn utf8_at(units: &[Unit], i: usize) -> Option<Decoded> {
    let lengths: Vec<usize> = match units[i] {
        Unit::Byte(b) => vec![utf8_len(b)],
        // A byte an outer repair could not tell starts a character of any length its
        // candidates start.
        Unit::Lost(lost @ (Lost::Among(_) | Lost::Pair(_))) => {
            let set = lost.few().unwrap_or_default();
            let mut lengths: Vec<usize> = set.bytes().map(utf8_len).filter(|&n| n > 0).collect();
            lengths.sort_unstable_by(|a, b| b.cmp(a));
            lengths.dedup();
            lengths
        }
        // A lost byte where a character starts is a lead byte (a lost continuation byte is
        // taken by the lead before it): its length is told by the continuation bytes after it.
        Unit::Lost(_) => (2..=3)
            .rev()
            .filter(|&len| (1..len).all(|k| is_continuation(units.get(i + k))))
            .collect(),
    };
    for len in lengths {
        if len == 0 || i + len > units.len() {
            continue;
        }
        let window = &units[i..i + len];
        if window.iter().skip(1).any(|u| !is_continuation(Some(u))) {
            continue;
        }
        let decoded = if window.iter().any(|u| matches!(u, Unit::Lost(_))) {
            fillings(units, i, len, |k, b| fits_utf8(len, k, b), utf8_char).map(|guesses| Decoded {
                c: guesses[0],
                len,
                guesses,
            })
        } else {
            let bytes: Vec<u8> = window
                .iter()
                .filter_map(|u| match u {
                    Unit::Byte(b) => Some(*b),
                    Unit::Lost(_) => None,
                })
                .collect();
            utf8_char(&bytes).map(|c| Decoded {
                c,
                len,
                guesses: Vec::new(),
            })
        };
        if decoded.is_some() {
            return decoded;
        }
    }
    None
}

/// Decodes the GBK character at `units[i]`, with the characters its lost bytes can make.
fn gbk_at(units: &[Unit], i: usize) -> Option<Decoded> {
    if let Some(b @ 0x00..=0x7F) = known(units, i) {
        return Some(Decoded {
            c: char::from(b),
            len: 1,
            guesses: Vec::new(),
        });
    }
    if i + 2 > units.len() {
        return None;
    }
    let pair = |bytes: &[u8]| gbk_char(bytes[0], bytes[1]);
    if let (Some(lead), Some(trail)) = (known(units, i), known(units, i + 1)) {
        return pair(&[lead, trail]).map(|c| Decoded {
            c,
            len: 2,
            guesses: Vec::new(),
        });
    }
    // A lead byte 0x81–0xFE, a trail byte 0x40–0xFE.
    let fits =
        |k: usize, b: u8| b != 0xFF && (k == 0 && b >= 0x81 || k == 1 && b >= 0x40 && b != 0x7F);
    let guesses = fillings(units, i, 2, fits, pair)?;
    Some(Decoded {
        c: guesses[0],
        len: 2,
        guesses,
    })
}

/// The units `utf8_at` and `gbk_at` read to decode the character at a position: up to four
/// bytes of it and the one after, which tells a lost byte's candidates (`None` past the end).
type Window = [Option<Unit>; 5];

fn window(units: &[Unit], i: usize) -> Window {
    std::array::from_fn(|k| units.get(i + k).copied())
}

/// The target encoding of a repair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Right {
    Utf8,
    Gbk,
}

/// One character of a decoding: where its bytes start among the units, and the character
/// (`None` for units that decode to nothing: a malformed sequence; U+FFFD where lost bytes
/// made several characters and none is clearly likeliest).
#[derive(Clone, Debug)]
pub(crate) struct Piece {
    pub start: usize,
    pub c: Option<char>,
    /// The characters its lost bytes can make (empty without lost bytes).
    pub guesses: Vec<char>,
}

/// Decodes `units` with `right`, leniently: a unit no character can be made from is a piece
/// without a character, and decoding goes on at the next unit. A piece with lost bytes holds
/// the characters they can make, the first of them for now: `guess::decode` chooses.
///
/// What a character's lost bytes can make is worked out once per window: a run of lost bytes
/// (binary data read lossily) shows the same window at every position, and each costs up to
/// [`MAX_FILLINGS`] tries, which made such a line take milliseconds per character.
pub(crate) fn decode(units: &[Unit], right: Right) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(units.len());
    let mut with_lost_bytes: FxHashMap<Window, Option<Decoded>> = FxHashMap::default();
    let mut i = 0;
    while i < units.len() {
        let at = |i| match right {
            Right::Utf8 => utf8_at(units, i),
            Right::Gbk => gbk_at(units, i),
        };
        let window = window(units, i);
        let decoded = if window.iter().any(|u| matches!(u, Some(Unit::Lost(_)))) {
            with_lost_bytes
                .entry(window)
                .or_insert_with(|| at(i))
                .clone()
        } else {
            at(i)
        };
        match decoded {
            Some(d) => {
                pieces.push(Piece {
                    start: i,
                    c: Some(d.c),
                    guesses: d.guesses,
                });
                i += d.len;
            }
            None => {
                pieces.push(Piece {
                    start: i,
                    c: None,
                    guesses: Vec::new(),
                });
                i += 1;
            }
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(b: &[u8]) -> Vec<Unit> {
        b.iter().map(|&b| Unit::Byte(b)).collect()
    }

    fn text(pieces: &[Piece]) -> String {
        pieces.iter().map(|p| p.c.unwrap_or('\u{FFFD}')).collect()
    }

    #[test]
    fn gbk_tables_agree_with_encoding_rs() {
        let (encoded, _, errors) = encoding_rs::GBK.encode("中国人民");
        assert!(!errors);
        assert_eq!(
            gbk_code('中'),
            Some(u16::from_be_bytes([encoded[0], encoded[1]]))
        );
        assert_eq!(gbk_char(0xD6, 0xD0), Some('中'));
        assert_eq!(gbk_code('€'), Some(0x80));
        assert_eq!(gbk_code('a'), None);
    }

    #[test]
    fn cp1252_specials_are_the_27() {
        let specials = (0x80..=0x9Fu8)
            .filter(|&b| !CP1252_UNDEFINED.contains(&b))
            .collect::<Vec<_>>();
        assert_eq!(specials.len(), 27);
        for b in specials {
            let byte = [b];
            let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            let c = decoded.chars().next().unwrap();
            assert_eq!(cp1252_special_byte(c), Some(b), "{c}");
        }
        assert_eq!(cp1252_special_byte('é'), None);
    }

    thread_local! {
        /// How many times `fillings` ran on this thread.
        pub(super) static FILLINGS_WORKED_OUT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Binary data read lossily: a long run of lost bytes between characters. Each window's
    /// fillings are worked out once (a few windows, not one per lost byte: a line of them took
    /// milliseconds per character), and the pieces are those decoding each position afresh
    /// gives.
    #[test]
    fn a_run_of_lost_bytes_is_worked_out_once_per_window() {
        for (lost, right) in [
            (Lost::Gbk, Right::Utf8),
            (Lost::Cp1252, Right::Utf8),
            (Lost::Gbk, Right::Gbk),
        ] {
            let mut units = bytes("关了解".as_bytes());
            units.extend(std::iter::repeat_n(Unit::Lost(lost), 3000));
            units.extend(bytes("夤。".as_bytes()));
            FILLINGS_WORKED_OUT.with(|n| n.set(0));
            let pieces = decode(&units, right);
            let worked_out = FILLINGS_WORKED_OUT.with(|n| n.get());
            assert!(worked_out < 40, "{lost:?} as {right:?}: {worked_out} times");
            let mut i = 0;
            for piece in &pieces {
                assert_eq!(piece.start, i);
                let afresh = match right {
                    Right::Utf8 => utf8_at(&units, i),
                    Right::Gbk => gbk_at(&units, i),
                };
                assert_eq!(piece.c, afresh.as_ref().map(|d| d.c));
                assert_eq!(
                    piece.guesses,
                    afresh
                        .as_ref()
                        .map(|d| d.guesses.clone())
                        .unwrap_or_default()
                );
                i += afresh.map_or(1, |d| d.len);
            }
            assert_eq!(i, units.len());
        }
    }

    #[test]
    fn decodes_leniently() {
        assert_eq!(
            text(&decode(&bytes(&[0xD6, 0xD0, 0x41]), Right::Gbk)),
            "中A"
        );
        // A malformed byte is one piece without a character.
        assert_eq!(
            text(&decode(&bytes(&[0xBF, 0x41]), Right::Utf8)),
            "\u{FFFD}A"
        );
        // A lost byte: the characters it can make.
        let mut units = bytes("中国。".as_bytes());
        units[7] = Unit::Lost(Lost::Gbk);
        let pieces = decode(&units, Right::Utf8);
        assert!(pieces[2].guesses.contains(&'。'), "{:?}", pieces[2]);
        assert!(pieces[0].guesses.is_empty());
    }

    #[test]
    fn a_byte_among_a_few_makes_only_their_characters() {
        // `中` is E4 B8 AD; 0x8D in its place makes `不`.
        let mut set = ByteSet::default();
        set.insert(0xAD);
        set.insert(0x8D);
        let mut units = bytes("中".as_bytes());
        units[2] = Unit::Lost(Lost::Among(set));
        let pieces = decode(&units, Right::Utf8);
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].guesses, ['不', '中']);
        // In a lead byte's place, each candidate's length is tried.
        let mut set = ByteSet::default();
        set.insert(0xE4);
        set.insert(0x41);
        let mut units = bytes("中".as_bytes());
        units[0] = Unit::Lost(Lost::Among(set));
        assert_eq!(decode(&units, Right::Utf8)[0].guesses, ['中']);
    }

    /// Mojibake applied twice: a character of the first layer the outer repair could not tell
    /// is one of a few GBK pairs. Where a character of UTF-8 holds both bytes of the pair, the
    /// bytes are one candidate's: not the first byte of one with the second of another.
    #[test]
    fn a_pair_among_a_few_is_taken_whole() {
        // `涓` (E4 B8) or `鍏` (E5 85), then 0xAD: `中` (E4 B8 AD) or `六` (E5 85 AD); not
        // `席` (E5 B8 AD) nor U+416D (E4 85 AD).
        let pairs = PairSet::new(&[[0xE4, 0xB8], [0xE5, 0x85]]).unwrap();
        let mut seconds = ByteSet::default();
        seconds.insert(0xB8);
        seconds.insert(0x85);
        let units = [
            Unit::Lost(Lost::Pair(pairs)),
            Unit::Lost(Lost::Among(seconds)),
            Unit::Byte(0xAD),
        ];
        let mut guesses = decode(&units, Right::Utf8)[0].guesses.clone();
        guesses.sort_unstable();
        assert_eq!(guesses, ['中', '六']);
        // Without the pair's second byte in the window, its first is one of its pairs' firsts:
        // `中` (E4 B8 AD) or `不` (E4 B8 8D).
        let pairs = PairSet::new(&[[0xAD, 0x41], [0x8D, 0x42]]).unwrap();
        let units = [
            Unit::Byte(0xE4),
            Unit::Byte(0xB8),
            Unit::Lost(Lost::Pair(pairs)),
        ];
        let mut guesses = decode(&units, Right::Utf8)[0].guesses.clone();
        guesses.sort_unstable();
        assert_eq!(guesses, ['不', '中']);
    }

    #[test]
    fn two_lost_bytes_in_a_row_are_no_gbk_pair() {
        // E5 and two lost continuation bytes: Python's `gbk` would have read 0xB0 0xA1 as `啊`,
        // so E5 B0 A1 (`尡`) is no filling; 0x80 0xB0 is (0x80 is never a lead byte).
        let units = [
            Unit::Byte(0xE5),
            Unit::Lost(Lost::Gbk),
            Unit::Lost(Lost::Gbk),
        ];
        let guesses = &decode(&units, Right::Utf8)[0].guesses;
        assert!(!guesses.contains(&'\u{5C21}'), "{guesses:?}");
        assert!(guesses.contains(&'\u{5030}'), "{guesses:?}");
        assert!(guesses.len() < 64 * 64 / 2, "{}", guesses.len());
    }
}
