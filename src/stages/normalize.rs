//! Stage 1, normalize: one canonical form of the characters, so later rules need not care how
//! the text was produced.
//!
//! - NFC (`nfc`). Not NFKC: NFKC would turn the full-width punctuation `，：（）` that Chinese text
//!   is written with into ASCII.
//! - Invisible characters removed (`invisible`): zero-width space/joiners, word joiner, BOMs
//!   inside the text, soft hyphens, and C0/C1 control characters other than tab. A form feed is
//!   a page break: it becomes a line break so the strip stage sees the page boundary.
//! - Full-width ASCII letters and digits become half-width (`fullwidth-alnum`): `２０２１` →
//!   `2021`. Full-width punctuation is left to the polish stage, which knows the context.
//!
//! In a Japanese or Korean paragraph (`crate::text::language`) full-width letters and digits
//! stay (their typography writes them so on purpose), and so do CJK compatibility ideographs,
//! which NFC would fold: Korean Hanja such as 樂 (U+F914, U+F95C, U+F9BF) are distinct by their
//! reading there. The other rules apply as everywhere. Which paragraph a kept ideograph, letter
//! or digit ends up in is known only after strip and reflow have cut and joined lines:
//! [`CompatibilityStage`], after reflow, folds and narrows those that end up in a Chinese
//! paragraph.
//!
//! Line endings are unified by the pipeline driver as it splits lines (`line-endings`).

use std::borrow::Cow;
use std::ops::ControlFlow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::report::{Counts, Facts};
use crate::rules::{Rule, RuleSet};
use crate::stages::{map_line, one_for_one_push, Line, LineStage};
use crate::text::language::Language;
use crate::text::nibble_pairs::{visit_nibble_pairs, NibblePairs, NibbleProduct};
use crate::text::visit_positions_in_ranges;
#[cfg(test)]
use crate::text::HAN_LEAD_BYTES;

/// Characters that carry no text: removed wherever they occur.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200D}' // zero-width space, non-joiner, joiner
        | '\u{2060}'            // word joiner
        | '\u{FEFF}'            // BOM / zero-width no-break space
        | '\u{00AD}'            // soft hyphen
        | '\u{0000}'..='\u{0008}' | '\u{000B}' | '\u{000E}'..='\u{001F}' | '\u{007F}'..='\u{009F}')
}

/// Full-width `Ａ-Ｚ`, `ａ-ｚ`, `０-９` → their ASCII forms.
fn halfwidth_alnum(c: char) -> Option<char> {
    match c {
        'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '０'..='９' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// Can normalize change this character, or the text around it, under any of its rules? A
/// character that is not invisible, not a full-width letter or digit, a starter (combining class
/// 0: nothing is reordered around it) and NFC quick-check "yes" (it neither decomposes nor
/// composes with what follows) is left exactly as it is by every rule.
#[cfg(test)]
fn is_inert(c: char) -> bool {
    !is_invisible(c)
        && halfwidth_alnum(c).is_none()
        && unicode_normalization::char::canonical_combining_class(c) == 0
        && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

/// The inert characters (see `is_inert`, which a test checks every one of these against) that
/// Chinese documents are made of: ASCII, Latin (with the tone-marked vowels of pinyin), general
/// punctuation, symbols, CJK punctuation,
/// kana, bopomofo, Han and full-width punctuation. Not the full-width letters and digits, the
/// combining marks among kana (U+3099, U+309A) and the ideographic tone marks (U+302A–U+302F).
/// A character missing here only sends its line to the full path.
const INERT_RANGES: &[(u32, u32)] = &[
    (0x09, 0x09),
    (0x0C, 0x0C),
    (0x20, 0x7E),
    (0xA0, 0xAC),
    (0xAE, 0x2FF),
    (0x391, 0x3A9),
    (0x3B1, 0x3C9),
    (0x410, 0x44F),
    (0x1E00, 0x1EFF),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x2100, 0x2125),
    (0x2127, 0x2129),
    (0x212C, 0x215F),
    (0x2160, 0x218B),
    (0x2190, 0x21FF),
    (0x2460, 0x24FF),
    (0x2500, 0x27BF),
    (0x3000, 0x3029),
    (0x3030, 0x3098),
    (0x309B, 0x30FF),
    (0x3105, 0x312F),
    (0x3190, 0x33FF),
    (0x3400, 0x9FFF),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE4F),
    (0xFF01, 0xFF0F),
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),
    (0xFFE0, 0xFFE6),
];

/// [`INERT_RANGES`] as one bit per character of the Basic Multilingual Plane (8 KiB, built at
/// compile time, so it costs nothing at start-up): a lookup is a shift, where the Unicode tables
/// behind the full path cost several per character.
static INERT_BMP: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    let mut r = 0;
    while r < INERT_RANGES.len() {
        let (first, last) = INERT_RANGES[r];
        let mut c = first;
        while c <= last {
            bits[(c >> 6) as usize] |= 1 << (c & 63);
            c += 1;
        }
        r += 1;
    }
    bits
};

/// Is `c` one of the inert characters of [`INERT_RANGES`] (a starter that passes the NFC quick
/// check, among others)? One lookup; `false` outside the Basic Multilingual Plane.
pub(crate) fn is_known_inert(c: char) -> bool {
    let c = c as usize;
    c < 0x10000 && INERT_BMP[c >> 6] >> (c & 63) & 1 == 1
}

/// The fast path: a line of inert characters only, all in the Basic Multilingual Plane, comes
/// back untouched from [`Normalize::line`] whatever rules are on (the quick check of a string of
/// starters that each pass it is "yes"). Almost every line of real text is one — Han
/// characters, CJK punctuation and printable ASCII are all inert — so the per-rule pass and the
/// NFC tables are only consulted for the rare line that needs them. A character outside the BMP
/// sends the line to the full path.
fn is_inert_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    visit_positions_in_ranges(bytes, &NEEDS_A_LOOK, |at| {
        if is_inert_at(bytes, at) {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    })
    .is_continue()
}

/// The bytes that start a character to look up, as `(start, len)` ranges: ASCII control
/// characters and lead bytes other than E4–E9 ([`crate::text::HAN_LEAD_BYTES`], all of
/// [`INERT_RANGES`]). The others need no look:
/// printable ASCII is inert, continuation bytes belong to a character looked up from its lead
/// byte, and U+4000–U+9FFF are all inert (Han).
const NEEDS_A_LOOK: [(u8, u8); 4] = [(0x00, 0x20), (0x7F, 1), (0xC0, 0x24), (0xEA, 0x16)];

/// Is the character starting at byte `at` of valid UTF-8 inert? Its code point is assembled
/// from the bytes directly: cheaper than `chars()`, which checks what a `&str` guarantees. One
/// slice pattern takes the bytes, with one test of the length (not one per byte read), and a
/// three-byte character, nearly every one looked up (CJK punctuation, kana, full-width
/// forms), is matched first.
#[inline(always)]
fn is_inert_at(bytes: &[u8], at: usize) -> bool {
    let c = match bytes[at..] {
        [b @ 0xE0..=0xEF, b1, b2, ..] => {
            usize::from(b & 0x0F) << 12 | usize::from(b1 & 0x3F) << 6 | usize::from(b2 & 0x3F)
        }
        [b @ 0x00..=0x7F, ..] => usize::from(b),
        [b @ 0xC0..=0xDF, b1, ..] => usize::from(b & 0x1F) << 6 | usize::from(b1 & 0x3F),
        _ => return false, // outside the BMP
    };
    INERT_BMP[c >> 6] >> (c & 63) & 1 == 1
}

/// What `normalize_line` may do; each switch is one rule.
#[derive(Clone, Copy, Debug)]
pub struct Normalize {
    pub nfc: bool,
    pub invisible: bool,
    pub fullwidth_alnum: bool,
}

impl Normalize {
    pub fn from_rules(rules: &RuleSet) -> Self {
        Normalize {
            nfc: rules.is_on(Rule::Nfc),
            invisible: rules.is_on(Rule::Invisible),
            fullwidth_alnum: rules.is_on(Rule::FullwidthAlnum),
        }
    }

    /// Is any of the rules on?
    fn any_rule(&self) -> bool {
        self.nfc || self.invisible || self.fullwidth_alnum
    }

    /// Normalizes one line (no line breaks inside). Form feeds are kept: the strip stage turns
    /// them into page breaks.
    pub fn line<'a>(&self, line: &'a str, counts: &mut Counts) -> Cow<'a, str> {
        if !self.any_rule() || is_inert_line(line) {
            return Cow::Borrowed(line);
        }
        self.line_in_full(line, counts)
    }

    /// [`Normalize::line`] without the fast path.
    fn line_in_full<'a>(&self, line: &'a str, counts: &mut Counts) -> Cow<'a, str> {
        let needs_char_pass = line.chars().any(|c| {
            (self.invisible && c != '\u{000C}' && is_invisible(c))
                || (self.fullwidth_alnum && halfwidth_alnum(c).is_some())
        });
        let mut text = Cow::Borrowed(line);
        if needs_char_pass {
            let mut removed = 0;
            let mut widened = 0;
            let mut out = String::with_capacity(line.len());
            for c in line.chars() {
                if self.invisible && c != '\u{000C}' && is_invisible(c) {
                    removed += 1;
                } else if let Some(narrow) = halfwidth_alnum(c).filter(|_| self.fullwidth_alnum) {
                    widened += 1;
                    out.push(narrow);
                } else {
                    out.push(c);
                }
            }
            counts.add(Rule::Invisible, removed);
            counts.add(Rule::FullwidthAlnum, widened);
            text = Cow::Owned(out);
        }
        if self.nfc && is_nfc_quick(text.chars()) != IsNormalized::Yes {
            let composed: String = text.nfc().collect();
            if composed != text {
                counts.add(Rule::Nfc, 1);
                text = Cow::Owned(composed);
            }
        }
        text
    }
}

/// A CJK compatibility ideograph (U+F900–U+FAFF, U+2F800–U+2FA1F): NFC folds most of them.
fn is_compatibility_ideograph(c: char) -> bool {
    matches!(c, '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}')
}

/// NFC, except that CJK compatibility ideographs stay as written. They are starters that
/// compose with nothing, so composing the text between them gives the NFC of the rest.
fn nfc_keeping_compatibility_ideographs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in text.split_inclusive(is_compatibility_ideograph) {
        match piece.chars().next_back() {
            Some(last) if is_compatibility_ideograph(last) => {
                out.extend(piece[..piece.len() - last.len_utf8()].nfc());
                out.push(last);
            }
            _ => out.extend(piece.nfc()),
        }
    }
    out
}

/// The normalize stage of the pipeline.
pub struct NormalizeStage {
    normalize: Normalize,
    /// The document's language, from its first batch.
    document: Language,
}

impl NormalizeStage {
    pub fn new(rules: &RuleSet) -> Self {
        NormalizeStage {
            normalize: Normalize::from_rules(rules),
            document: Language::Chinese,
        }
    }
}

impl LineStage for NormalizeStage {
    fn prepare(&mut self, first_batch: &[Line], _facts: &mut Facts) {
        self.document = Language::of_document(first_batch.iter().map(|l| l.text.as_str()));
    }

    one_for_one_push!();
}

impl NormalizeStage {
    /// Makes `line` the line the stage hands on for it (one for each, at once).
    #[inline]
    fn make_line(&mut self, line: &mut Line, counts: &mut Counts) {
        if !self.normalize.any_rule() {
            return;
        }
        if is_inert_line(&line.text) {
            // Nothing to change (the fast path of `Normalize::line`), and nothing the
            // compatibility stage changes either: no compatibility ideograph, full-width letter
            // or digit is inert (`inert_characters_hold_no_compatibility_form`).
            line.no_compatibility_form = true;
            return;
        }
        *line = self.line_out(std::mem::take(line), counts);
    }

    /// The line the stage hands on for `line`, which holds a character that is not inert.
    fn line_out(&mut self, line: Line, counts: &mut Counts) -> Line {
        // The language is asked only of a line normalize would change.
        let mut changes = Counts::default();
        if let Cow::Owned(text) = self.normalize.line_in_full(&line.text, &mut changes) {
            if Language::of_paragraph(&line.text, self.document) == Language::Chinese {
                counts.merge(&changes);
                return Line {
                    text,
                    no_mojibake_sign: false,
                    no_compatibility_form: false,
                    ..line
                };
            }
            let japanese_or_korean = Normalize {
                fullwidth_alnum: false,
                nfc: false,
                ..self.normalize
            };
            let nfc = self.normalize.nfc;
            return map_line(line, |text| {
                let text = japanese_or_korean.line(text, counts);
                if !nfc || is_nfc_quick(text.chars()) == IsNormalized::Yes {
                    return text;
                }
                let composed = nfc_keeping_compatibility_ideographs(&text);
                if composed == *text {
                    return text;
                }
                counts.add(Rule::Nfc, 1);
                Cow::Owned(composed)
            });
        }
        line
    }
}

/// What a paragraph may hold that the compatibility stage changes (each as its bytes say: no
/// character decoded).
#[derive(Clone, Copy, Debug, Default)]
struct Candidates {
    /// A CJK compatibility ideograph: UTF-8 beginning `EF A4`–`EF AB` (U+F900–U+FAFF) or
    /// `F0 AF A0`–`F0 AF A8` (U+2F800–U+2FA1F).
    ideograph: bool,
    /// A full-width letter or digit: `EF BC 90`–`EF BC 99` (U+FF10–U+FF19), `EF BC A1`–`EF BC BA`
    /// (U+FF21–U+FF3A) or `EF BD 81`–`EF BD 9A` (U+FF41–U+FF5A).
    alnum: bool,
}

/// The first two bytes of what the compatibility stage changes ([`Candidates`]), looked up by
/// their nibbles ([`NibblePairs`]): `EF A4`–`EF AB` and `F0 AF` (ideographs), `EF BC`–`EF BD`
/// (full-width letters and digits). `EF` alone would stop at every full-width punctuation mark
/// (`，` is `EF BC 8C`), a dozen a line; here only `EF BC`/`EF BD` do, each a few instructions.
const CANDIDATE_PAIRS: NibblePairs = NibblePairs::new(&[
    NibbleProduct::pair(0xEF, 0xA4, 0xAB),
    NibbleProduct::pair(0xEF, 0xBC, 0xBD),
    NibbleProduct::pair(0xF0, 0xAF, 0xAF),
]);

/// The [`Candidates`] of `text`, in one pass (this runs on every paragraph): the first two
/// bytes of both are looked for thirty-two at a time ([`CANDIDATE_PAIRS`]), and the third
/// checked at each.
fn candidates(text: &str) -> Candidates {
    let bytes = text.as_bytes();
    let mut found = Candidates::default();
    let _ = visit_nibble_pairs(bytes, &CANDIDATE_PAIRS, |at| {
        match (bytes[at], bytes[at + 1], bytes.get(at + 2)) {
            (0xEF, 0xA4..=0xAB, _) | (0xF0, _, Some(0xA0..=0xA8)) => found.ideograph = true,
            (0xEF, 0xBC, Some(0x90..=0x99 | 0xA1..=0xBA)) | (0xEF, 0xBD, Some(0x81..=0x9A)) => {
                found.alnum = true
            }
            _ => {}
        }
        if found.ideograph && found.alnum {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    found
}

impl Candidates {
    /// Neither was found.
    fn none(&self) -> bool {
        !self.ideograph && !self.alnum
    }
}

#[cfg(test)]
fn may_have_compatibility_ideograph(text: &str) -> bool {
    candidates(text).ideograph
}

#[cfg(test)]
fn may_have_fullwidth_alnum(text: &str) -> bool {
    candidates(text).alnum
}

/// The compatibility ideographs and full-width letters and digits normalize kept, decided
/// again on the paragraph they end up in (the second half of the `nfc` and `fullwidth-alnum`
/// rules; the pipeline runs it after reflow).
///
/// Normalize decides on the lines as they come in, and strip and reflow then cut lines at form
/// feeds and join them: a compatibility ideograph kept in a line that read as Korean (U+D7CE, a
/// form feed, then Chinese) could end up in a Chinese paragraph, which a second cleaning folds
/// (the fuzz finding `clean-nfc-bb3268c8f836b011`), and so could a full-width letter kept in a
/// line a half-width Hangul letter made Korean, which reflow then joined to a Chinese title
/// (`fixtures/fuzz/regressions/fullwidth-letter-kept-in-a-korean-line-then-joined.bin`: `ￛＺ`). Here the paragraph is
/// as it leaves the pipeline (convert and polish neither join nor cut lines, nor change what
/// letters count), and the document's language is taken from the first batch of such
/// paragraphs, as the second cleaning's normalize takes it from the output: a Chinese one has
/// its compatibility ideographs folded by NFC and its full-width letters and digits narrowed, a
/// Japanese or Korean one keeps them. What normalize changed stays changed: a Hanja a Chinese
/// line lost to NFC cannot be told from its canonical form.
pub struct CompatibilityStage {
    nfc: bool,
    fullwidth_alnum: bool,
    /// The document's language, from the first batch of paragraphs.
    document: Language,
}

impl CompatibilityStage {
    pub fn new(rules: &RuleSet) -> Self {
        CompatibilityStage {
            nfc: rules.is_on(Rule::Nfc),
            fullwidth_alnum: rules.is_on(Rule::FullwidthAlnum),
            document: Language::Chinese,
        }
    }
}

impl LineStage for CompatibilityStage {
    fn prepare(&mut self, first_batch: &[Line], _facts: &mut Facts) {
        if self.nfc || self.fullwidth_alnum {
            self.document = Language::of_document(first_batch.iter().map(|l| l.text.as_str()));
        }
    }

    one_for_one_push!();
}

impl CompatibilityStage {
    /// Makes `line` the line the stage hands on for it (one for each, at once).
    #[inline]
    fn make_line(&mut self, line: &mut Line, counts: &mut Counts) {
        if line.no_compatibility_form {
            // Normalize found the line inert, and the stages since kept the mark: nothing here
            // to fold or narrow (see `Line::no_compatibility_form`).
            debug_assert!(
                !(self.nfc || self.fullwidth_alnum) || candidates(&line.text).none(),
                "a line marked as holding no compatibility form holds one: {:?}",
                line.text
            );
            return;
        }
        *line = self.line_out(std::mem::take(line), counts);
    }

    /// The line the stage hands on for `line`, which may hold a compatibility form.
    fn line_out(&mut self, line: Line, counts: &mut Counts) -> Line {
        let found = if self.nfc || self.fullwidth_alnum {
            candidates(&line.text)
        } else {
            Candidates::default()
        };
        let folds = self.nfc && found.ideograph;
        let narrows = self.fullwidth_alnum && found.alnum;
        if !(folds || narrows)
            || Language::of_paragraph(&line.text, self.document) != Language::Chinese
        {
            return line;
        }
        let narrow = Normalize {
            nfc: false,
            invisible: false,
            fullwidth_alnum: narrows,
        };
        map_line(line, |text| {
            let text = narrow.line(text, counts);
            // Normalize composed the text between the ideographs: NFC of the whole only folds
            // them (they are starters, and Han composes with nothing).
            if !folds || is_nfc_quick(text.chars()) == IsNormalized::Yes {
                return text;
            }
            let composed: String = text.nfc().collect();
            if composed == *text {
                return text;
            }
            counts.add(Rule::Nfc, 1);
            Cow::Owned(composed)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters the fast path passes by their lead byte are all inert.
    #[test]
    fn han_lead_bytes_cover_inert_characters_only() {
        for code in 0x4000..=0x9FFF_u32 {
            let c = char::from_u32(code).unwrap();
            let mut utf8 = [0; 4];
            let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
            assert!(HAN_LEAD_BYTES.contains(&lead));
            assert!(
                INERT_BMP[(code >> 6) as usize] >> (code & 63) & 1 == 1,
                "{c:?}"
            );
        }
        for code in [0x3FFF_u32, 0xA000] {
            let c = char::from_u32(code).unwrap();
            let mut utf8 = [0; 4];
            assert!(!HAN_LEAD_BYTES.contains(&c.encode_utf8(&mut utf8).as_bytes()[0]));
        }
    }

    fn all() -> Normalize {
        Normalize {
            nfc: true,
            invisible: true,
            fullwidth_alnum: true,
        }
    }

    #[test]
    fn fixes() {
        let cases = [
            ("２０２１年", "2021年"),
            ("ＡＰＰ学习", "APP学习"),
            ("法\u{200B}治", "法治"),
            ("\u{FEFF}正文", "正文"),
            ("soft\u{00AD}hyphen", "softhyphen"),
            ("a\u{0007}b\u{007F}c", "abc"),
            ("e\u{0301}", "é"),
            ("\u{2060}词\u{200D}", "词"),
        ];
        for (input, expected) in cases {
            let mut counts = Counts::default();
            assert_eq!(all().line(input, &mut counts), expected, "{input:?}");
            assert!(!counts.is_empty(), "{input:?} was changed but not counted");
        }
    }

    #[test]
    fn leaves_alone() {
        let cases = [
            "根据《条例》，现将有关情况报告如下：",
            "（一）加强组织领导；“放管服”改革！",
            "第一条　根据宪法", // ideographic space inside a line
            "制表\t符",         // tab is text
        ];
        for input in cases {
            let mut counts = Counts::default();
            let out = all().line(input, &mut counts);
            assert!(matches!(out, Cow::Borrowed(_)), "{input:?} was copied");
            assert_eq!(out, input);
            assert!(counts.is_empty());
        }
        // Full-width punctuation is never touched here (that would be NFKC).
        let mut counts = Counts::default();
        assert_eq!(
            all().line("，：；（）！？％", &mut counts),
            "，：；（）！？％"
        );
        // A form feed survives normalize: it is a page break for the strip stage.
        assert_eq!(all().line("a\u{000C}b", &mut counts), "a\u{000C}b");
    }

    /// The fast path agrees with the full one: every character the table calls inert is inert
    /// by the Unicode tables, and alone, between Han characters and after a letter it might
    /// compose with, it comes back borrowed and uncounted from the full path. Every other
    /// character sends its line to the full path.
    #[test]
    fn fast_path_agrees_with_the_full_path() {
        let in_table = |c: char| {
            INERT_RANGES
                .iter()
                .any(|(a, b)| (*a..=*b).contains(&(c as u32)))
        };
        let mut inert = 0;
        for c in (0..0x1_0000).filter_map(char::from_u32) {
            assert_eq!(is_known_inert(c), in_table(c), "{c:?}");
            if !in_table(c) {
                assert!(!is_inert_line(&format!("中{c}")), "{c:?}");
                continue;
            }
            assert!(
                is_inert(c),
                "{c:?} is in INERT_RANGES but normalize may change it"
            );
            inert += 1;
            for line in [c.to_string(), format!("中{c}文"), format!("e{c}")] {
                assert!(is_inert_line(&line), "{c:?}");
                let mut counts = Counts::default();
                let out = all().line_in_full(&line, &mut counts);
                assert!(matches!(out, Cow::Borrowed(_)), "{c:?}");
                assert!(counts.is_empty(), "{c:?}");
            }
        }
        assert!(inert > 25_000, "{inert}");
        // What the rules act on is never inert.
        for c in [
            '\u{200B}', '\u{FEFF}', '\u{00AD}', '\u{0007}', '\u{0085}', 'Ａ', '０', '\u{0301}',
            '\u{F900}', '\u{3099}', '\u{1161}', '\u{302A}', '\u{2126}',
        ] {
            assert!(!is_inert_line(&format!("中{c}文")), "{c:?}");
        }
        // Outside the BMP the full path decides.
        assert!(!is_inert_line("中𠀀文"));
        assert_eq!(all().line("中𠀀文", &mut Counts::default()), "中𠀀文");
        assert_eq!(all().line("\u{2F800}", &mut Counts::default()), "\u{4E3D}");
    }

    /// Normalize marks an inert line as holding nothing the compatibility stage changes
    /// (`Line::no_compatibility_form`), and that stage then does not look: no inert character
    /// is one it looks for, alone or among others.
    #[test]
    fn inert_characters_hold_no_compatibility_form() {
        for c in (0..0x1_0000).filter_map(char::from_u32) {
            if is_known_inert(c) {
                for text in [c.to_string(), format!("中{c}文"), format!("，{c}")] {
                    assert!(candidates(&text).none(), "{c:?}");
                }
            }
        }
        let mut rules = RuleSet::default();
        let mut normalize = NormalizeStage::new(&rules);
        let mut out = Vec::new();
        for text in ["中文，ＡＢ。", "中文，AB。", "\u{F900}", "\u{2F800}"] {
            normalize.push(Line::new(text), &mut out, &mut Counts::default());
        }
        let marks: Vec<bool> = out.iter().map(|l| l.no_compatibility_form).collect();
        assert_eq!(marks, [false, true, false, false]);
        // Without the rules that would change such a line, nothing is marked.
        rules.set(Rule::Nfc, false);
        rules.set(Rule::Invisible, false);
        rules.set(Rule::FullwidthAlnum, false);
        let mut out = Vec::new();
        NormalizeStage::new(&rules).push(Line::new("中文"), &mut out, &mut Counts::default());
        assert!(!out[0].no_compatibility_form);
    }

    #[test]
    fn the_bytes_to_look_at_are_all_but_plain_ascii_continuations_and_han_leads() {
        for b in 0..=255u8 {
            let plain = (0x20..=0x7E).contains(&b)
                || (0x80..=0xBF).contains(&b)
                || HAN_LEAD_BYTES.contains(&b);
            assert_eq!(crate::text::in_ranges(b, &NEEDS_A_LOOK), !plain, "{b:#x}");
        }
    }

    /// Blocks of plain bytes passed whole must not hide a character the rules act on,
    /// wherever it falls: at the start, inside or at the end of a block, or in the tail.
    #[test]
    fn a_character_to_change_is_found_anywhere_in_a_long_line() {
        let clean = "依法行政abc 2021年，推进法治政府建设。".repeat(3);
        assert!(is_inert_line(&clean));
        let chars: Vec<char> = clean.chars().collect();
        for c in [
            '\u{200B}', '\u{FEFF}', 'Ａ', '０', '\u{0301}', '\u{0007}', '𠀀', '\u{00AD}',
        ] {
            for at in 0..=chars.len() {
                let line: String = chars[..at]
                    .iter()
                    .chain(std::iter::once(&c))
                    .chain(&chars[at..])
                    .collect();
                assert!(!is_inert_line(&line), "{c:?} after {at} characters");
            }
        }
    }

    /// Japanese and Korean lines keep their full-width digits and compatibility ideographs;
    /// invisible characters go everywhere.
    #[test]
    fn japanese_and_korean_keep_their_width_and_hanja() {
        let rules = RuleSet::default();
        let cases = [
            (
                "２０２４年の予算案\u{200B}を決定した",
                "２０２４年の予算案を決定した",
            ),
            ("\u{F914}園에서 １９９８년", "\u{F914}園에서 １９９８년"),
            ("２０２４年\u{F914}園", "2024年樂園"),
            // The rest of a Korean line with Hanja is still composed: NFC but for the Hanja.
            ("\u{F914}園에서 cafe\u{301}를", "\u{F914}園에서 caf\u{E9}를"),
            ("\u{F914}\u{301}한국", "\u{F914}\u{301}한국"),
        ];
        for (input, expected) in cases {
            let (out, _) = crate::stages::run_stage(NormalizeStage::new(&rules), &[input]);
            assert_eq!(out, [expected], "{input}");
        }
    }

    #[test]
    fn each_rule_switches_off() {
        let mut counts = Counts::default();
        let off = Normalize {
            nfc: false,
            invisible: false,
            fullwidth_alnum: false,
        };
        for input in ["２０２１", "法\u{200B}治", "e\u{0301}"] {
            assert_eq!(off.line(input, &mut counts), input);
        }
    }

    /// A compatibility ideograph normalize kept in a line that read as Korean, in a paragraph
    /// that reads as Chinese once strip cut the line at its form feed: folded after reflow, as
    /// a second cleaning's normalize folds it (the fuzz finding `clean-nfc-bb3268c8f836b011`).
    /// Korean and Japanese paragraphs keep theirs, and a line without one is not copied.
    #[test]
    fn compatibility_ideographs_are_decided_on_the_paragraph_as_it_leaves() {
        let rules = RuleSet::default();
        let run = |lines: &[&str]| crate::stages::run_stage(CompatibilityStage::new(&rules), lines);
        let (out, counts) = run(&["根\u{FAA4}", "\u{D7CE}厨进泲"]);
        assert_eq!(out, ["根\u{761D}", "\u{D7CE}厨进泲"]);
        assert_eq!(counts.get(Rule::Nfc), 1);
        assert_eq!(run(&["\u{2F800}"]).0, ["\u{4E3D}"]);
        for lines in [
            // Korean and Japanese paragraphs, and a Chinese document's Korean one.
            vec!["\u{F914}園에서 만났다", "國會는 法律을 制定한다"],
            vec!["\u{F91B}の文章です。"],
            vec![
                "這是中文的一段話，說明文件主要是中文寫成的。",
                "\u{F914}園에서",
            ],
            // No compatibility ideograph: full-width punctuation and a supplementary Han.
            vec!["根据（条例），现将有关情况报告如下：", "中𠀀文"],
        ] {
            let (out, counts) = run(&lines);
            assert_eq!(out, lines);
            assert!(counts.is_empty(), "{lines:?}");
        }
        // A Korean document's Hanja heading keeps its ideograph.
        let (out, _) = run(&[
            "\u{F914}園",
            "국회는 법률을 제정한다. 국회는 법률을 제정한다.",
        ]);
        assert_eq!(out[0], "\u{F914}園");
        // Off with the rule.
        let mut off = RuleSet::default();
        off.set(Rule::Nfc, false);
        let (out, _) = crate::stages::run_stage(CompatibilityStage::new(&off), &["\u{2F800}"]);
        assert_eq!(out, ["\u{2F800}"]);
    }

    /// A full-width letter or digit normalize kept in a line a half-width Hangul letter made
    /// Korean, in a paragraph that reads as Chinese once reflow joined it: narrowed after
    /// reflow, as a second cleaning's normalize narrows it (the fuzz finding `ￛＺ笆琊` joined
    /// to a Chinese title). Korean and Japanese paragraphs keep theirs, and so does a Chinese
    /// paragraph's full-width punctuation.
    #[test]
    fn fullwidth_letters_are_decided_on_the_paragraph_as_it_leaves() {
        let rules = RuleSet::default();
        let run = |lines: &[&str]| crate::stages::run_stage(CompatibilityStage::new(&rules), lines);
        let (out, counts) = run(&["哕沋褃荌蠿拕蠺丂《\u{FFDB}Ｚ笆琊", "２０２４年工作报告"]);
        assert_eq!(out, ["哕沋褃荌蠿拕蠺丂《\u{FFDB}Z笆琊", "2024年工作报告"]);
        assert_eq!(counts.get(Rule::FullwidthAlnum), 5);
        for lines in [
            vec!["２０２４年の予算案を決定した"],
            vec!["\u{FFDB}Ｚ"],
            vec!["\u{F914}園에서 １９９８년"],
            vec!["根据（条例），现将有关情况报告如下：～＋－％"],
        ] {
            let (out, counts) = run(&lines);
            assert_eq!(out, lines);
            assert!(counts.is_empty(), "{lines:?}");
        }
        // Off with the rule.
        let mut off = RuleSet::default();
        off.set(Rule::FullwidthAlnum, false);
        let (out, _) = crate::stages::run_stage(CompatibilityStage::new(&off), &["２０２４年"]);
        assert_eq!(out, ["２０２４年"]);
    }

    #[test]
    fn the_byte_scan_finds_every_fullwidth_letter_and_digit() {
        for c in ('０'..='９').chain('Ａ'..='Ｚ').chain('ａ'..='ｚ') {
            assert!(may_have_fullwidth_alnum(&format!("中{c}文")), "{c:?}");
        }
        for c in [
            '／', '：', '＠', '［', '｀', '｛', '～', '，', '\u{FF66}', '\u{FFDB}', '伤', '伐',
            '位', '弐',
        ] {
            assert!(!may_have_fullwidth_alnum(&format!("中{c}文")), "{c:?}");
        }
        // At every place of a paragraph long enough for each path of the search (wide blocks,
        // sixteen-byte blocks, the padded last one), and not where there is none.
        let text = "中文，伤".repeat(20);
        assert!(!may_have_fullwidth_alnum(&text));
        for at in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
            for c in ['０', 'Ｚ', 'ａ'] {
                let with = format!("{}{c}{}", &text[..at], &text[at..]);
                assert!(may_have_fullwidth_alnum(&with), "{c:?} at {at}");
            }
        }
    }

    #[test]
    fn the_byte_scan_finds_every_compatibility_ideograph() {
        for c in ('\u{F900}'..='\u{FAFF}').chain('\u{2F800}'..='\u{2FA1F}') {
            assert!(
                may_have_compatibility_ideograph(&format!("中{c}文")),
                "{c:?}"
            );
        }
        for c in ['\u{F8FF}', '\u{FB00}', '，', '～', '\u{2F7FF}', '𠀀'] {
            assert!(
                !may_have_compatibility_ideograph(&format!("中{c}文")),
                "{c:?}"
            );
        }
    }
}
