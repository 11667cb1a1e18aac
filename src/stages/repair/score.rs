//! How Chinese a text reads: a repair is kept only when its result scores clearly higher than
//! the mojibake it replaces.
//!
//! The score is per character, from how common the character is in Chinese text: the common-Han
//! table detection uses ([`crate::decode::common_han::is_common_han`]), then GB2312's two levels (its first
//! level is the 3,755 most used characters, its second 3,008 rarer ones) and the rest of Han.
//! A wrong decoding turns text into mostly second-level and GBK-extension characters (UTF-8 read
//! as GBK), or into Latin-1 letters, C1 controls and symbols (read as Latin-1 or Windows-1252):
//! these score low or below zero, so the two are far apart.

use std::sync::LazyLock;

use super::codecs::{cp1252_special_byte, gbk_code};
use crate::decode::common_han::is_common_han;

/// Chinese punctuation, most used first (a lost byte inside one is guessed by this order).
const PUNCTUATION: &str = "，。、：；“”（）《》？！‘’—…·「」【】『』〔〕";
/// The same at the end of a line, where sentences and headings end.
const LINE_END: &str = "。：；？！）》」』”…，、（《“—·「【『〔‘’】〕";

/// How likely a character is in Chinese text, for choosing among guesses of a lost byte:
/// higher is likelier.
/// Among common characters, GB2312's first level (the Simplified ones) first: the common table
/// holds the Traditional forms too, and a guess has no script to go by.
pub(crate) fn rank(c: char, at_end: bool) -> u8 {
    // The lists hold no Han character (a test checks it), and most characters ranked are Han
    // (the up to 4,096 candidates of a guessed lost byte): they skip the search.
    if !is_bmp_han(c) {
        let list = if at_end { LINE_END } else { PUNCTUATION };
        if let Some(i) = list.chars().position(|p| p == c) {
            return 59 - i as u8;
        }
    }
    let common = if is_common_han(c) { 40 } else { 0 };
    common
        + match class(c) {
            Class::Level1 => 20,
            Class::Level2 => 10,
            Class::OtherHan => 5,
            Class::Ascii => 4,
            Class::Other => 3,
            Class::Pinyin | Class::Latin | Class::Bad => 0,
        }
}

/// A Han character of the Basic Multilingual Plane's blocks (extension A, the unified block,
/// the compatibility block): what a GBK pair or three bytes of UTF-8 can make. Narrower than
/// `text::is_han`, which also counts 〇 (ranked here with the symbols) and the supplementary
/// planes (never a repair's candidate).
pub(super) fn is_bmp_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Level1,
    Level2,
    OtherHan,
    Ascii,
    /// Other characters of Chinese text: CJK symbols and punctuation, full-width forms.
    Other,
    /// Latin-1's vowels with the tone marks of pinyin.
    Pinyin,
    /// Latin-1 supplement letters and symbols, Windows-1252's extra characters, and the other
    /// alphabets (U+0100–U+1FFF, U+A000–U+D7FF).
    Latin,
    /// C1 controls, the replacement character, the Private Use Area: never in clean text.
    Bad,
}

fn class(c: char) -> Class {
    match c {
        '\0'..='\u{7F}' => Class::Ascii,
        '\u{80}'..='\u{9F}' | '\u{FFFD}' | '\u{E000}'..='\u{F8FF}' => Class::Bad,
        // The vowels of pinyin with tone marks that Latin-1 has (GBK has them too, in the
        // pinyin row 0xA8): Chinese text holds them in annotations (習(xí)).
        'à' | 'á' | 'è' | 'é' | 'ê' | 'ì' | 'í' | 'ò' | 'ó' | 'ù' | 'ú' | 'ü' => {
            Class::Pinyin
        }
        '\u{A0}'..='\u{FF}' => Class::Latin,
        'ā' | 'ē' | 'ī' | 'ō' | 'ū' | 'ǎ' | 'ě' | 'ǐ' | 'ǒ' | 'ǔ' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'ń'
        | 'ň' => Class::Pinyin,
        // Other alphabets, two bytes in UTF-8: what UTF-8 makes of two GBK bytes by chance.
        // And those of three bytes on either side of the CJK blocks (the scripts of South and
        // South-East Asia, Yi, Hangul): what it makes of three GBK bytes by chance, never
        // Chinese.
        '\u{100}'..='\u{7FF}' | '\u{800}'..='\u{1FFF}' | '\u{A000}'..='\u{D7FF}' => Class::Latin,
        c if is_bmp_han(c) => match gbk_code(c).map(u16::to_be_bytes) {
            Some([0xB0..=0xD7, 0xA1..=0xFE]) => Class::Level1,
            Some([0xD8..=0xF7, 0xA1..=0xFE]) => Class::Level2,
            _ => Class::OtherHan,
        },
        // Windows-1252's own characters, but those Chinese text is written with.
        '“' | '”' | '‘' | '’' | '—' | '…' => Class::Other,
        _ if cp1252_special_byte(c).is_some() => Class::Latin,
        _ => Class::Other,
    }
}

/// Is `c` one of the vowels with the tone marks of pinyin (`ā`, `é`, `ǚ`, …)?
pub(crate) fn is_pinyin(c: char) -> bool {
    class(c) == Class::Pinyin
}

/// Is `c` a character Chinese text is not made of: a Latin letter or symbol, another alphabet,
/// a control, U+FFFD or a Private Use character?
pub(crate) fn is_foreign(c: char) -> bool {
    matches!(class(c), Class::Latin | Class::Bad)
}

/// The Traditional-only characters and their Simplified forms, sorted: OpenCC's
/// `TSCharacters` entries of one character whose forms do not include the character itself,
/// each with its first form.
static SIMPLIFIED: LazyLock<Vec<(char, char)>> = LazyLock::new(|| {
    let one = |s: &str| {
        let mut chars = s.chars();
        chars.next().filter(|_| chars.next().is_none())
    };
    let mut pairs: Vec<(char, char)> = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/dicts/TSCharacters.txt"
    ))
    .lines()
    .filter(|line| !line.starts_with('#'))
    .filter_map(|line| {
        let (from, to) = line.split_once('\t')?;
        let traditional = one(from)?;
        let forms: Vec<char> = to.split(' ').filter_map(one).collect();
        let first = *forms.first()?;
        (!forms.contains(&traditional)).then_some((traditional, first))
    })
    .collect();
    pairs.sort_unstable();
    pairs.dedup_by_key(|pair| pair.0);
    pairs
});

/// The Simplified form of a Traditional-only character; any other character is itself.
///
/// A run of UTF-8 read as GBK in a line without Simplified-only characters is scored through
/// it. Such a line may be convert's Traditional output of a line repair left, which a second
/// cleaning sees: convert writes a Traditional character for a Simplified one, whose GBK bytes
/// differ (`东` 0xB6 0xAB, `東` 0x96 0x7C) and may complete UTF-8 with their neighbours
/// (`寤東鍒歡` is `廖|剛g`), and a Traditional character outside GB2312 scores below its
/// Simplified form (`東` -1, `东` 4): scored as written, the run would read as mojibake only
/// once converted. Simplified text and the mojibake of either script (GB2312's second level,
/// where UTF-8's lead bytes fall, is mostly Simplified-only characters) hold some, and are
/// scored as written.
pub(crate) fn simplified(c: char) -> char {
    if c < '\u{3400}' || is_common_han(c) {
        return c;
    }
    simplified_form(c)
}

/// The Simplified form of every Traditional-only character (the common ones too, which
/// [`simplified`] leaves, as they score as common already): `實` is `实`.
pub(crate) fn simplified_form(c: char) -> char {
    if c < '\u{3400}' {
        return c;
    }
    SIMPLIFIED
        .binary_search_by_key(&c, |&(traditional, _)| traditional)
        .map_or(c, |i| SIMPLIFIED[i].1)
}

/// The score of a text, in points; see the module documentation.
fn points(c: char) -> i32 {
    if is_common_han(c) {
        return 4;
    }
    match class(c) {
        Class::Level1 => 3,
        Class::Level2 => 0,
        Class::OtherHan => -1,
        Class::Ascii => 0,
        Class::Pinyin => -2,
        // Chinese punctuation of its own (CJK and full-width forms) is what correct text is
        // punctuated with; mojibake holds it only where a continuation byte 0xA1 meets
        // another (`。` is 0xA1 0xA3): scored as a common character, a correct sentence end
        // is not given up for a reading of its bytes (`璐告。` is the UTF-8 of `贸档`).
        Class::Other if c >= '\u{3000}' && PUNCTUATION.contains(c) => 3,
        Class::Other => 1,
        Class::Latin => -2,
        Class::Bad => -3,
    }
}

/// What the score of a text tells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Score {
    pub points: i32,
    /// Han characters.
    pub han: usize,
    /// Characters other than ASCII.
    pub wide: usize,
    /// Latin-1 supplement, Windows-1252, C1, U+FFFD and Private Use characters.
    pub foreign: usize,
    /// Rare Han characters: neither common nor in GB2312 (GBK's extension, beyond GBK).
    pub rare: usize,
}

pub(crate) fn score(text: impl IntoIterator<Item = char>) -> Score {
    let mut s = Score::default();
    for c in text {
        s.points += points(c);
        s.han += usize::from(matches!(
            class(c),
            Class::Level1 | Class::Level2 | Class::OtherHan
        ));
        s.wide += usize::from(!c.is_ascii());
        s.foreign += usize::from(matches!(class(c), Class::Latin | Class::Bad));
        s.rare +=
            usize::from(!is_common_han(c) && matches!(class(c), Class::Level2 | Class::OtherHan));
    }
    s
}

/// Han characters in a result short enough for chance to make its points: longer ones average
/// them out (and a first layer of mojibake applied twice is mostly rare characters).
const SHORT_HAN: usize = 2;

/// Is `after` clearly more Chinese than `before`, which it would replace? It must hold a Han
/// character, average at least a point per character other than ASCII (Chinese text scores
/// about 2.5, its mojibake below 1, random Han characters about 0), and gain over `before` at
/// least a point per character it keeps.
pub(crate) fn clearly_better(before: Score, after: Score) -> bool {
    after.han >= 1
        && after.wide > 0
        && after.points >= after.wide as i32
        && after.points - before.points >= after.wide as i32
}

/// Could `after`, a short reading of Latin-1 characters, be chance: [`SHORT_HAN`] Han
/// characters at most, as many rare ones as others? A few bytes of garbage read as GBK make a
/// rare character as often as a common one (`œHello¹®` is `淗ello巩`), and a common one's points
/// must not carry a rare one, or the repair depends on where the garbage happens to be cut (a
/// second cleaning, with a control character removed, would cut it elsewhere and repair what
/// the first left).
pub(crate) fn by_chance(after: Score) -> bool {
    after.han <= SHORT_HAN && after.rare * 2 >= after.han
}

/// Is `after` more Chinese than `before` at all: Chinese characters (Han or punctuation),
/// nothing Latin or broken, and more points? (Made only beside clearly better repairs in the
/// same line: a rare character or a comma alone between digits reads as well as legitimate
/// Latin-1.)
pub(crate) fn better(before: Score, after: Score) -> bool {
    after.wide > 0 && after.foreign == 0 && after.points > before.points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_punctuation_lists_hold_no_han_character() {
        // `rank` skips the lists for Han characters.
        assert!(PUNCTUATION
            .chars()
            .chain(LINE_END.chars())
            .all(|c| !is_bmp_han(c)));
        assert_eq!(rank('。', false), 59 - 1);
        assert_eq!(rank('，', true), 59 - 11);
    }

    #[test]
    fn chinese_scores_far_above_its_mojibake() {
        let text = "按照区委全面依法治区委员会统一安排部署，现将区科工信局年度法治政府建设工作情况报告如下";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let utf8_as_gbk = encoding_rs::GBK
            .decode_without_bom_handling(text.as_bytes())
            .0;
        let gbk_as_latin1: String = gbk.iter().map(|&b| char::from(b)).collect();
        let right = score(text.chars());
        for wrong in [utf8_as_gbk.as_ref(), gbk_as_latin1.as_str()] {
            let wrong = score(wrong.chars());
            assert!(clearly_better(wrong, right), "{wrong:?} {right:?}");
            assert!(!clearly_better(right, wrong));
        }
    }

    #[test]
    fn rare_characters_from_garbage_are_no_repair() {
        // `œHello¹®` read as GBK in Windows-1252: one extension character (`œH`) beside one
        // common character; the repair must not hang on the common one.
        let before = score("œHello¹®".chars());
        assert!(by_chance(score("淗ello巩".chars())));
        // The same length of real text is a repair.
        assert!(!by_chance(score("中ello国".chars())));
        assert!(clearly_better(before, score("中ello国".chars())));
    }

    #[test]
    fn ranks_prefer_common_characters_and_punctuation() {
        assert!(rank('的', false) > rank('涓', false));
        assert!(rank('就', false) > rank('對', false));
        assert!(rank('，', false) > rank('〕', false));
        assert!(rank('。', true) > rank('，', true));
        assert!(rank('。', false) > rank('ä', false));
    }
}
