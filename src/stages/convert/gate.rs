//! The script gate: which script a paragraph is written in, from the characters that exist in
//! only one script.
//!
//! The evidence sets are derived from the dictionaries by `build.rs`: a character is
//! Traditional-only when `TSCharacters` converts it and no Simplified target is the same
//! character (國, 這, 說); Simplified-only likewise from `STCharacters` (国, 这, 说). Characters
//! in use in both scripts (乾 於 麼 … in `dicts/overrides/both-scripts.txt`, and every
//! character a dictionary lists as its own alternative, such as 干 后 里) are never evidence.
//! Taiwan and Hong Kong forms (為 裡 眾 / 説 綫 衞) tell which regional standard a Traditional
//! text follows.

use std::fmt;
use std::sync::{LazyLock, OnceLock};

use crate::text::is_han;
use crate::text::language::Letters;
use crate::text::utf8::decode;

const TRADITIONAL: u8 = 1;
const SIMPLIFIED: u8 = 2;
const TAIWAN: u8 = 4;
const HONG_KONG: u8 = 8;
/// A Han character (`text::is_han`), precomputed for the BMP so a character costs one load.
const HAN: u8 = 16;
/// Kana and Hangul letters (`text::language`): counted in the same pass, so the stage can tell
/// a Japanese or Korean paragraph from a Chinese one at no extra cost.
const KANA: u8 = 32;
const HANGUL: u8 = 64;

/// The BMP's Han characters (`text::is_han`), kana (`is_kana`) and Hangul (`is_hangul`), as
/// ranges of code points: the table's letters are marked range by range. Asked of each of
/// the 65,536 code points, the three functions cost 2.8 M instructions at every start (2 % of
/// the cleaning of a 5 MB Simplified file); a test checks the ranges against them, code point
/// by code point.
const LETTER_RANGES: [(u32, u32, u8); 17] = [
    (0x3007, 0x3007, HAN),
    (0x3400, 0x4DBF, HAN),
    (0x4E00, 0x9FFF, HAN),
    (0xF900, 0xFAFF, HAN),
    (0x3041, 0x3096, KANA),
    (0x309D, 0x309F, KANA),
    (0x30A1, 0x30FA, KANA),
    (0x30FD, 0x30FF, KANA),
    (0x31F0, 0x31FF, KANA),
    (0xFF66, 0xFF6F, KANA),
    (0xFF71, 0xFF9D, KANA),
    (0xAC00, 0xD7A3, HANGUL),
    (0x1100, 0x11FF, HANGUL),
    (0x3131, 0x318E, HANGUL),
    (0xA960, 0xA97F, HANGUL),
    (0xD7B0, 0xD7FF, HANGUL),
    (0xFFA0, 0xFFDC, HANGUL),
];

/// Marks the letters of [`LETTER_RANGES`] in `bmp` (one entry per BMP code point). A code
/// point is one kind of letter only, the first its ranges give (Han before kana before Hangul,
/// as the functions are asked in `Evidence::of`; no two ranges overlap).
fn mark_letters(bmp: &mut [u8]) {
    for (first, last, flag) in LETTER_RANGES {
        for flags in &mut bmp[first as usize..=last as usize] {
            if *flags & (HAN | KANA | HANGUL) == 0 {
                *flags |= flag;
            }
        }
    }
}

/// Evidence flags per BMP character, and the few astral characters with flags.
struct EvidenceTable {
    bmp: Box<[u8]>,
    astral: Vec<(u32, u8)>,
    /// The Traditional-only and the Simplified-only characters, as sets of three-byte
    /// sequences (see [`ByLeadingBytes`]).
    traditional_only: LazySet,
    simplified_only: LazySet,
    /// The same, with the kana and Hangul letters in each: the convert stage's question, which
    /// also tells it that a paragraph is Chinese by its own letters (see
    /// [`Evidence::any_only_in_or_letters`]).
    traditional_only_or_letters: LazySet,
    simplified_only_or_letters: LazySet,
}

/// A [`ByLeadingBytes`] set of the characters with any of `flags`, made from the table's flags
/// the first time it is asked for. Each costs 0.3 M instructions to make, and a run needs only
/// the sets of its questions: a clean to Simplified the gate's Traditional-only-or-letters set
/// (and repair the others only where it looks at a line closely).
struct LazySet {
    flags: u8,
    set: OnceLock<Box<ByLeadingBytes>>,
}

impl LazySet {
    const fn of(flags: u8) -> Self {
        LazySet {
            flags,
            set: OnceLock::new(),
        }
    }

    fn get(&self, bmp: &[u8]) -> &ByLeadingBytes {
        self.set.get_or_init(|| by_leading_bytes(bmp, self.flags))
    }
}

/// A set of three-byte UTF-8 sequences: indexed by the first two bytes (the first in the high
/// eight bits, see [`leading_bytes`]), the set of third bytes, one bit per value of its low six
/// bits. The gate's first question scans every paragraph to its end for one character of a
/// set, so a character costs a load of two bytes, a load of a word and a bit test, without
/// decoding. Entries for anything but a three-byte lead and a continuation byte are empty (of
/// the 512 KB only 8 KB are ever read).
type ByLeadingBytes = [u64; 0x10000];

fn by_leading_bytes(bmp: &[u8], flag: u8) -> Box<ByLeadingBytes> {
    let mut set: Box<ByLeadingBytes> = vec![0; 0x10000]
        .into_boxed_slice()
        .try_into()
        .unwrap_or_else(|_| unreachable!("0x10000 entries"));
    for lead in 0xE0..=0xEFu16 {
        for second in 0x80..=0xBFu16 {
            let first_code = usize::from(lead & 0x0F) << 12 | usize::from(second & 0x3F) << 6;
            for (third, &flags) in bmp[first_code..first_code + 64].iter().enumerate() {
                if flags & flag != 0 {
                    set[usize::from(lead << 8 | second)] |= 1 << third;
                }
            }
        }
    }
    set
}

/// The index into a [`ByLeadingBytes`] of the two bytes in the low sixteen bits of `bytes`,
/// the first byte lowest (as a little-endian load puts them).
///
/// The lead byte goes high: the entries of one lead are then one run of 512 bytes (eight
/// cache lines) for its 64 second bytes. With the second byte high, as a plain little-endian
/// index would have it, the entries Chinese text reads lie 2 KB apart, all in the same four
/// sets of the first-level cache: a Simplified paragraph then missed that cache on most of
/// its characters, and the byte swap costs one instruction.
#[inline(always)]
fn leading_bytes(bytes: u64) -> usize {
    usize::from((bytes as u16).swap_bytes())
}

/// How far to step from a lead byte (or a byte inside a sequence, stepped over one at a time)
/// to the next character that could be evidence.
const STEP: [u8; 256] = {
    let mut step = [1; 256];
    let mut b = 0xE0;
    while b < 0x100 {
        step[b] = if b < 0xF0 { 3 } else { 4 };
        b += 1;
    }
    step
};

static EVIDENCE: LazyLock<EvidenceTable> = LazyLock::new(|| {
    let mut blob: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/evidence.bin"));
    let mut bmp = vec![0; 0x10000].into_boxed_slice();
    let mut astral = Vec::new();
    mark_letters(&mut bmp);
    for flag in [TRADITIONAL, SIMPLIFIED, TAIWAN, HONG_KONG] {
        let (count, rest) = blob.split_at(4);
        blob = rest;
        let count = u32::from_le_bytes(count.try_into().expect("4 bytes"));
        for _ in 0..count {
            let (code, rest) = blob.split_at(4);
            blob = rest;
            let code = u32::from_le_bytes(code.try_into().expect("4 bytes"));
            if code < 0x10000 {
                bmp[code as usize] |= flag;
            } else {
                astral.push((code, flag));
            }
        }
    }
    // Merge the flags of a character listed in several sets (sorted, so they are adjacent).
    astral.sort_unstable();
    astral.dedup_by(|later: &mut (u32, u8), earlier: &mut (u32, u8)| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 |= later.1;
        }
        same
    });
    EvidenceTable {
        traditional_only: LazySet::of(TRADITIONAL),
        simplified_only: LazySet::of(SIMPLIFIED),
        traditional_only_or_letters: LazySet::of(TRADITIONAL | KANA | HANGUL),
        simplified_only_or_letters: LazySet::of(SIMPLIFIED | KANA | HANGUL),
        bmp,
        astral,
    }
});

/// How many flag combinations there are (the flags are the low seven bits).
const FLAG_COMBINATIONS: usize = 128;

/// Counts the characters of `text` by their flags (`seen[flags]`), leaving out those that
/// cannot carry any (below U+0800: every flagged character is at U+3007 or above).
///
/// As [`Evidence::any_only_in`] reads them, four three-byte sequences at a time while they
/// last, each turned into its table index by shifts of the loaded bytes, without decoding;
/// ASCII eight bytes at a time; bytes of two-byte sequences one by one.
#[inline(always)]
fn count_flags(text: &str, seen: &mut [u64; FLAG_COMBINATIONS]) {
    let table = &*EVIDENCE;
    let bmp: &[u8; 0x10000] = table
        .bmp
        .as_ref()
        .try_into()
        .expect("one flag per BMP code");
    // The code point of the three-byte sequence in the low 24 bits of `s` (first byte lowest).
    let flags = |s: u64| bmp[((s & 0x0F) << 12 | (s >> 2) & 0x0FC0 | (s >> 16) & 0x3F) as usize];
    let mut add = |flags: u8| seen[usize::from(flags) % FLAG_COMBINATIONS] += 1;
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        while let Some(chunk) = bytes.get(i..i + 12) {
            let x = u64::from_le_bytes(chunk[..8].try_into().expect("8 bytes"));
            let y = u64::from(u32::from_le_bytes(chunk[8..].try_into().expect("4 bytes")));
            if ((x & THREE_BYTE_LEAD_MASK) ^ THREE_BYTE_LEADS) | ((y & 0xF000) ^ 0xE000) != 0 {
                break;
            }
            add(flags(x));
            add(flags(x >> 24));
            add(flags(x >> 48 | y << 16));
            add(flags(y >> 8));
            i += 12;
        }
        let Some(&lead) = bytes.get(i) else {
            return;
        };
        match lead {
            0x00..=0x7F => i = skip_ascii(bytes, i + 1),
            0xE0..=0xEF => {
                let (code, len) = decode(bytes, i);
                add(bmp[code as usize & 0xFFFF]);
                i += len;
            }
            0xF0.. => {
                let (code, len) = decode(bytes, i);
                add(astral_flags(table, code));
                i += len;
            }
            // A two-byte sequence or its continuation byte.
            _ => i += 1,
        }
    }
}

/// The lead bytes of four three-byte sequences in a row, at bytes 0, 3 and 6 of the first
/// eight bytes (and 9, byte 1 of the next four, tested on its own).
const THREE_BYTE_LEAD_MASK: u64 = 0x00F0_0000_F000_00F0;
const THREE_BYTE_LEADS: u64 = 0x00E0_0000_E000_00E0;

/// The position of the first byte from `i` on that may not be ASCII (at most seven bytes
/// short of it: ASCII is skipped eight bytes at a time).
#[inline(always)]
fn skip_ascii(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        if x & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    i
}

/// The flags of the astral character `code`.
fn astral_flags(table: &EvidenceTable, code: u32) -> u8 {
    let listed = table
        .astral
        .binary_search_by_key(&code, |&(c, _)| c)
        .map_or(0, |k| table.astral[k].1);
    let han = if char::from_u32(code).is_some_and(is_han) {
        HAN
    } else {
        0
    };
    listed | han
}

/// Whether `text` holds a character of `set` (three-byte sequences) or, beyond the BMP, one
/// whose flags (`astral_flags`) include `astral_flag`. Stops at the first.
#[inline(always)]
fn any_in(text: &str, set: &ByLeadingBytes, astral_flag: u8) -> bool {
    let thirds = |bytes: u64| set[leading_bytes(bytes)];
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        // Four three-byte sequences at a time, as long as they last: nearly all of a
        // Chinese text (Han characters and CJK punctuation). Twelve bytes are two loads;
        // a character's first two bytes, little-endian, are its index into `set`, and a
        // shift of a `u64` takes only the low six bits of the third byte.
        while let Some(chunk) = bytes.get(i..i + 12) {
            let x = u64::from_le_bytes(chunk[..8].try_into().expect("8 bytes"));
            let y = u32::from_le_bytes(chunk[8..].try_into().expect("4 bytes"));
            if ((x & THREE_BYTE_LEAD_MASK) ^ THREE_BYTE_LEADS) | u64::from((y & 0xF000) ^ 0xE000)
                != 0
            {
                break;
            }
            let hits = thirds(x).wrapping_shr((x >> 16) as u32)
                | thirds(x >> 24).wrapping_shr((x >> 40) as u32)
                | thirds(x >> 48).wrapping_shr(y)
                | thirds(u64::from(y >> 8)).wrapping_shr(y >> 24);
            if hits & 1 != 0 {
                return true;
            }
            i += 12;
        }
        let Some(&lead) = bytes.get(i) else {
            return false;
        };
        if lead < 0x80 {
            i = skip_ascii(bytes, i + 1);
            continue;
        }
        // One character of any other kind (or a byte inside a two-byte sequence). The last
        // two bytes can start no three- or four-byte sequence.
        let Some(&[_, second, third]) = bytes.get(i..i + 3) else {
            return false;
        };
        if thirds(u64::from(u16::from_le_bytes([lead, second]))).wrapping_shr(u32::from(third)) & 1
            != 0
        {
            return true;
        }
        let step = STEP[usize::from(lead)];
        if step == 4 {
            let (code, _) = decode(bytes, i);
            if astral_flags(&EVIDENCE, code) & astral_flag != 0 {
                return true;
            }
        }
        i += usize::from(step);
    }
}

/// Character counts that tell a text's script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Han characters of any kind.
    pub han: u64,
    /// Characters that exist only in Traditional text.
    pub traditional: u64,
    /// Characters that exist only in Simplified text.
    pub simplified: u64,
    /// Taiwan-standard forms (為 裡 眾 啟 …).
    pub taiwan: u64,
    /// Hong Kong-standard forms (説 綫 衞 …).
    pub hong_kong: u64,
    /// Kana and Hangul letters: what tells Japanese and Korean (`text::language`).
    pub kana: u64,
    pub hangul: u64,
}

impl Evidence {
    /// Counts the evidence in `text`: one table load per character, and a histogram of the
    /// flag combinations (one increment per character) summed into counts at the end.
    pub fn of(text: &str) -> Evidence {
        let mut seen = [0u64; FLAG_COMBINATIONS];
        count_flags(text, &mut seen);
        let mut evidence = Evidence::default();
        // Most of the 128 combinations never occur: skipping them keeps the sum as cheap as it
        // was with 32. They are skipped sixteen at a time (a paragraph of Chinese text has
        // none of the 96 with a kana or Hangul flag), by one test of the sixteen counts or'ed
        // together, which the compiler does a few at once.
        let occurring = seen
            .chunks_exact(16)
            .enumerate()
            .filter(|(_, counts)| counts.iter().fold(0, |any, &count| any | count) != 0)
            .flat_map(|(group, counts)| (group * 16..).zip(counts));
        for (flags, &count) in occurring.filter(|&(_, &count)| count > 0) {
            let has = |flag: u8| {
                if flags & usize::from(flag) != 0 {
                    count
                } else {
                    0
                }
            };
            evidence.han += has(HAN);
            evidence.traditional += has(TRADITIONAL);
            evidence.simplified += has(SIMPLIFIED);
            evidence.taiwan += has(TAIWAN);
            evidence.hong_kong += has(HONG_KONG);
            evidence.kana += has(KANA);
            evidence.hangul += has(HANGUL);
        }
        evidence
    }

    /// The letters that tell Chinese, Japanese and Korean apart (`text::language`).
    pub fn letters(&self) -> Letters {
        Letters {
            han: self.han,
            kana: self.kana,
            hangul: self.hangul,
        }
    }

    /// Whether `text` holds at least one character that exists only in `script`
    /// (`Script::Traditional` or `Script::Simplified`; any other script: `false`). Stops at
    /// the first such character.
    ///
    /// This is the gate's first question: a paragraph with no character of the other script
    /// is never converted, and most paragraphs of a document are already in the target
    /// script, so they are settled by one table load per character and no counting.
    pub fn any_only_in(text: &str, script: Script) -> bool {
        let table = &*EVIDENCE;
        match script {
            Script::Traditional => {
                any_in(text, table.traditional_only.get(&table.bmp), TRADITIONAL)
            }
            Script::Simplified => any_in(text, table.simplified_only.get(&table.bmp), SIMPLIFIED),
            _ => false,
        }
    }

    /// Whether `text` holds a character that exists only in `script` (as
    /// [`Evidence::any_only_in`]) or a kana or Hangul letter. Stops at the first.
    ///
    /// The convert stage's question: a paragraph with neither is not converted, and its own
    /// letters say it is Chinese (`Letters::own_language`: no kana, no Hangul), which polish
    /// would otherwise find out by a scan of its own. The letters are bits of the same table,
    /// so the answer costs what the first question alone costs.
    pub fn any_only_in_or_letters(text: &str, script: Script) -> bool {
        let table = &*EVIDENCE;
        match script {
            Script::Traditional => any_in(
                text,
                table.traditional_only_or_letters.get(&table.bmp),
                TRADITIONAL,
            ),
            Script::Simplified => any_in(
                text,
                table.simplified_only_or_letters.get(&table.bmp),
                SIMPLIFIED,
            ),
            _ => false,
        }
    }

    pub fn add(&mut self, other: &Evidence) {
        self.han += other.han;
        self.traditional += other.traditional;
        self.simplified += other.simplified;
        self.taiwan += other.taiwan;
        self.hong_kong += other.hong_kong;
        self.kana += other.kana;
        self.hangul += other.hangul;
    }

    /// The script the evidence shows. A few characters of the other script in a long text (a
    /// quoted name, a variant the dictionaries list on one side only) do not make it mixed: the
    /// minority must reach 5 % of the majority.
    pub fn script(&self) -> Script {
        let (t, s) = (self.traditional, self.simplified);
        if self.han == 0 {
            Script::NoHan
        } else if t == 0 && s == 0 {
            Script::Common
        } else if s * 20 < t {
            Script::Traditional
        } else if t * 20 < s {
            Script::Simplified
        } else {
            Script::Mixed
        }
    }
}

/// The script of a text, as its characters show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// No Han character at all.
    NoHan,
    /// Han characters, but only ones in use in both scripts (中文, 人民): nothing to convert.
    Common,
    Simplified,
    Traditional,
    /// Evidence of both scripts.
    Mixed,
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Script::NoHan => "no-han",
            Script::Common => "common",
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
            Script::Mixed => "mixed",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::language::{is_hangul, is_kana};

    /// The table's letters, marked by ranges, are the characters `is_han`, `is_kana` and
    /// `is_hangul` say are, asked in that order, at every code point of the BMP.
    #[test]
    fn the_letter_ranges_mark_what_the_letter_functions_say() {
        let mut bmp = vec![0u8; 0x10000];
        mark_letters(&mut bmp);
        for (code, &flags) in bmp.iter().enumerate() {
            let expected = match char::from_u32(code as u32) {
                Some(c) if is_han(c) => HAN,
                Some(c) if is_kana(c) => KANA,
                Some(c) if is_hangul(c) => HANGUL,
                _ => 0,
            };
            assert_eq!(flags, expected, "U+{code:04X}");
        }
    }

    #[test]
    fn classifies_by_characters_of_one_script_only() {
        let cases = [
            ("hello, world 123", Script::NoHan),
            ("中文人民", Script::Common),
            ("这是简体中文，国家发展。", Script::Simplified),
            ("這是繁體中文，國家發展。", Script::Traditional),
            ("这是簡體", Script::Mixed),
            // Characters in use in both scripts are no evidence.
            ("乾隆于是", Script::Common),
            ("萧乾", Script::Simplified),
            ("覆盖", Script::Simplified),
            ("瞭望塔", Script::Common),
        ];
        for (text, expected) in cases {
            assert_eq!(Evidence::of(text).script(), expected, "{text}");
        }
    }

    /// The quick test agrees with the counts, wherever in the text the evidence is.
    #[test]
    fn any_only_in_agrees_with_the_counts() {
        let texts = [
            "",
            "hello, world 123",
            "中文人民",
            "乾隆于是",
            "瞭望塔",
            "这是简体中文，国家发展。",
            "這是繁體中文，國家發展。",
            "这是簡體",
            "ascii é ü then 國",
            "中文人民中文人民中文人民，最后一个字是国",
            "中文人民中文人民中文人民，最後一個字是國",
            "𠀀𪚥 中文 ☃ 國",
            "𠀀𪚥 中文 ☃ 国",
            "日本語の文章です",
            "中文人民中文人民中文人民，最后是ｶ",
            "大韓民国의",
            "中文人民中文人民中文人民，最后是ᄀ",
        ];
        for text in texts {
            assert_gate_agrees_with_counts(text);
            assert!(!Evidence::any_only_in(text, Script::Common), "{text}");
        }
    }

    /// The gate's question, asked for each script, has the answer the counts give.
    fn assert_gate_agrees_with_counts(text: &str) {
        let evidence = Evidence::of(text);
        assert_eq!(
            Evidence::any_only_in(text, Script::Traditional),
            evidence.traditional > 0,
            "{text}"
        );
        assert_eq!(
            Evidence::any_only_in(text, Script::Simplified),
            evidence.simplified > 0,
            "{text}"
        );
        let letters = evidence.kana + evidence.hangul > 0;
        assert_eq!(
            Evidence::any_only_in_or_letters(text, Script::Traditional),
            evidence.traditional > 0 || letters,
            "{text}"
        );
        assert_eq!(
            Evidence::any_only_in_or_letters(text, Script::Simplified),
            evidence.simplified > 0 || letters,
            "{text}"
        );
    }

    /// The scan several characters at a time finds a character of either script wherever it
    /// stands relative to the groups of four, after ASCII runs, two-byte and astral characters,
    /// and at the very end; it finds nothing where there is nothing.
    #[test]
    fn any_only_in_finds_evidence_at_every_position() {
        let fillers = [
            "中",
            "中文人民",
            "a",
            "abcdefghijk",
            "é",
            "𠀀",
            "，",
            "中a文é人𠀀民 ",
        ];
        for filler in fillers {
            for count in 0..14 {
                let before = filler.repeat(count);
                for (evidence, script) in [("國", Script::Traditional), ("国", Script::Simplified)]
                {
                    let other = if script == Script::Traditional {
                        Script::Simplified
                    } else {
                        Script::Traditional
                    };
                    for after in ["", "中", "中文人民中文人民", "ab"] {
                        let text = format!("{before}{evidence}{after}");
                        assert!(Evidence::any_only_in(&text, script), "{text}");
                        assert!(!Evidence::any_only_in(&text, other), "{text}");
                        assert!(Evidence::any_only_in_or_letters(&text, script), "{text}");
                        assert!(!Evidence::any_only_in_or_letters(&text, other), "{text}");
                        for letter in ["の", "ｶ", "한", "ᄀ", "ㅎ"] {
                            let text = format!("{before}{letter}{after}");
                            assert!(!Evidence::any_only_in(&text, script), "{text}");
                            assert!(Evidence::any_only_in_or_letters(&text, script), "{text}");
                            assert!(Evidence::any_only_in_or_letters(&text, other), "{text}");
                        }
                    }
                }
                assert!(
                    !Evidence::any_only_in(&before, Script::Traditional),
                    "{before}"
                );
                assert!(
                    !Evidence::any_only_in(&before, Script::Simplified),
                    "{before}"
                );
                for script in [Script::Traditional, Script::Simplified] {
                    assert!(
                        !Evidence::any_only_in_or_letters(&before, script),
                        "{before}"
                    );
                }
            }
        }
        // Astral characters (Traditional 𠁞, Simplified 𠀾) are found as the counting finds them.
        for text in ["𠁞", "中文𠁞", "𠀾", "中文人民𠀾", "中文人民中文人民𠁞"]
        {
            assert_gate_agrees_with_counts(text);
        }
    }

    #[test]
    fn regional_forms_are_counted() {
        let taiwan = Evidence::of("為什麼你在床裡面睡著");
        assert!(taiwan.taiwan >= 2, "{taiwan:?}");
        assert_eq!(taiwan.hong_kong, 0);
        // Kana and Hangul are counted as the language gate needs them.
        let japanese = Evidence::of("日本語の文章です。ｶﾅ");
        assert_eq!((japanese.han, japanese.kana, japanese.hangul), (5, 5, 0));
        let korean = Evidence::of("大韓民國의 國會");
        assert_eq!((korean.han, korean.kana, korean.hangul), (6, 0, 1));
        assert_eq!(
            japanese.letters(),
            crate::text::language::Letters::of("日本語の文章です。ｶﾅ")
        );
        let hong_kong = Evidence::of("他説這條綫路");
        assert!(hong_kong.hong_kong >= 2, "{hong_kong:?}");
        // Simplified text carries no regional evidence.
        let simplified = Evidence::of("为什么你在床里面睡着");
        assert_eq!((simplified.taiwan, simplified.hong_kong), (0, 0));
    }
}
