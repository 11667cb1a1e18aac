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
use std::sync::LazyLock;

use super::table::decode;
use crate::text::is_han;

const TRADITIONAL: u8 = 1;
const SIMPLIFIED: u8 = 2;
const TAIWAN: u8 = 4;
const HONG_KONG: u8 = 8;
/// A Han character (`text::is_han`), precomputed for the BMP so a character costs one load.
const HAN: u8 = 16;

/// Evidence flags per BMP character, and the few astral characters with flags.
struct EvidenceTable {
    bmp: Box<[u8]>,
    astral: Vec<(u32, u8)>,
}

static EVIDENCE: LazyLock<EvidenceTable> = LazyLock::new(|| {
    let mut blob: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/evidence.bin"));
    let mut table = EvidenceTable {
        bmp: vec![0; 0x10000].into_boxed_slice(),
        astral: Vec::new(),
    };
    for (code, flags) in table.bmp.iter_mut().enumerate() {
        if char::from_u32(code as u32).is_some_and(is_han) {
            *flags |= HAN;
        }
    }
    for flag in [TRADITIONAL, SIMPLIFIED, TAIWAN, HONG_KONG] {
        let (count, rest) = blob.split_at(4);
        blob = rest;
        let count = u32::from_le_bytes(count.try_into().expect("4 bytes"));
        for _ in 0..count {
            let (code, rest) = blob.split_at(4);
            blob = rest;
            let code = u32::from_le_bytes(code.try_into().expect("4 bytes"));
            if code < 0x10000 {
                table.bmp[code as usize] |= flag;
            } else {
                table.astral.push((code, flag));
            }
        }
    }
    // Merge the flags of a character listed in several sets (sorted, so they are adjacent).
    table.astral.sort_unstable();
    table.astral.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 |= later.1;
        }
        same
    });
    table
});

/// How many flag combinations there are (the flags are the low five bits).
const FLAG_COMBINATIONS: usize = 32;

/// Calls `visit` with the flags of each character of `text` that could carry any (U+0800 and
/// above), until it returns `true`; says whether it did.
///
/// Every flagged character is at U+3007 or above, so bytes below 0xE0 (ASCII, two-byte
/// sequences, continuation bytes) are stepped over one by one without decoding, and a
/// three-byte sequence is decoded straight into its table index.
#[inline(always)]
fn scan(text: &str, mut visit: impl FnMut(u8) -> bool) -> bool {
    let table = &*EVIDENCE;
    let bmp: &[u8; 0x10000] = table
        .bmp
        .as_ref()
        .try_into()
        .expect("one flag per BMP code");
    let mut rest = text.as_bytes();
    loop {
        match rest {
            &[lead @ 0xE0..=0xEF, second, third, ref tail @ ..] => {
                let code = ((lead as usize & 0x0F) << 12)
                    | ((second as usize & 0x3F) << 6)
                    | (third as usize & 0x3F);
                if visit(bmp[code]) {
                    return true;
                }
                rest = tail;
            }
            &[lead, ref tail @ ..] if lead < 0xE0 => rest = tail,
            [] => return false,
            _ => {
                // Four bytes (in valid UTF-8 the only other case): an astral character.
                let (code, len) = decode(rest, 0);
                let listed = table
                    .astral
                    .binary_search_by_key(&code, |&(c, _)| c)
                    .map_or(0, |k| table.astral[k].1);
                let han = if char::from_u32(code).is_some_and(is_han) {
                    HAN
                } else {
                    0
                };
                if visit(listed | han) {
                    return true;
                }
                rest = &rest[len..];
            }
        }
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
}

impl Evidence {
    /// Counts the evidence in `text`: one table load per character, and a histogram of the
    /// flag combinations (one increment per character) summed into counts at the end.
    pub fn of(text: &str) -> Evidence {
        let mut seen = [0u64; FLAG_COMBINATIONS];
        scan(text, |flags| {
            seen[usize::from(flags) % FLAG_COMBINATIONS] += 1;
            false
        });
        let mut evidence = Evidence::default();
        for (flags, &count) in seen.iter().enumerate() {
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
        }
        evidence
    }

    /// Whether `text` holds at least one character that exists only in `script`
    /// (`Script::Traditional` or `Script::Simplified`; any other script: `false`). Stops at
    /// the first such character.
    ///
    /// This is the gate's first question: a paragraph with no character of the other script
    /// is never converted, and most paragraphs of a document are already in the target
    /// script, so they are settled by one table load per character and no counting.
    pub fn any_only_in(text: &str, script: Script) -> bool {
        let flag = match script {
            Script::Traditional => TRADITIONAL,
            Script::Simplified => SIMPLIFIED,
            _ => return false,
        };
        scan(text, |flags| flags & flag != 0)
    }

    pub fn add(&mut self, other: &Evidence) {
        self.han += other.han;
        self.traditional += other.traditional;
        self.simplified += other.simplified;
        self.taiwan += other.taiwan;
        self.hong_kong += other.hong_kong;
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
        ];
        for text in texts {
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
            assert!(!Evidence::any_only_in(text, Script::Common), "{text}");
        }
    }

    #[test]
    fn regional_forms_are_counted() {
        let taiwan = Evidence::of("為什麼你在床裡面睡著");
        assert!(taiwan.taiwan >= 2, "{taiwan:?}");
        assert_eq!(taiwan.hong_kong, 0);
        let hong_kong = Evidence::of("他説這條綫路");
        assert!(hong_kong.hong_kong >= 2, "{hong_kong:?}");
        // Simplified text carries no regional evidence.
        let simplified = Evidence::of("为什么你在床里面睡着");
        assert_eq!((simplified.taiwan, simplified.hong_kong), (0, 0));
    }
}
