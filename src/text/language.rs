//! Which language a paragraph is written in — Chinese, Japanese or Korean — from its letters.
//!
//! Han characters alone cannot tell: `東京都の會議` and `大韓民國의 國會` are written with the
//! same characters as Traditional Chinese. What tells is the script only the other languages
//! use: kana for Japanese, Hangul for Korean. The rules that assume Chinese (script conversion,
//! punctuation width, CJK–ASCII spacing, pinyin annotations, full-width letters and digits,
//! compatibility ideographs folded by NFC) ask [`Language::of_paragraph`] before they change a
//! paragraph, and leave a Japanese or Korean one exactly as written.
//!
//! **Density, not presence.** Chinese prose borrows a stray kana now and then: `の` in a shop or
//! brand name (`午後の紅茶`), a katakana word in quotation marks, the Japanese `ー` and `・`
//! (which are not counted as kana at all: Chinese writes `・` between the parts of foreign names
//! and `ー` as a dash). Japanese prose, on the contrary, cannot go a clause without a kana
//! particle or inflection (`は が を に で の た`). So a paragraph is Japanese on its own letters
//! when kana make at least [`MIN_SHARE_PERCENT`] % of them (Han, kana, Hangul): a Chinese
//! paragraph with one `の` among thirty characters stays Chinese and is converted, a Japanese
//! headline with two particles among eighteen characters does not. Korean likewise by Hangul,
//! which Chinese text never uses but to quote a Korean name.
//!
//! **The document.** Japanese titles, captions and bibliographic lines can be kanji only or
//! nearly (`第一章　総則`, `『空海の風景』司馬遼太郎，中央公論社`): in chardet's Japanese test
//! files (Shift_JIS and EUC-JP, 59 documents), 37 lines of ten letters or more have less than
//! 10 % kana, while every document as a whole has 37 % or more (the Korean ones 95 % Hangul or
//! more). So when the document is Japanese or Korean (its first batch reaches
//! [`DOCUMENT_SHARE_PERCENT`] % kana or Hangul), a paragraph below the paragraph share follows
//! the document. A Chinese document quoting a Japanese paragraph stays Chinese (0 % kana in the
//! project's Chinese seeds): the quotation is left alone, its other paragraphs still converted.

use std::ops::ControlFlow;

use crate::text::is_han;
use crate::text::nibble_pairs::{
    nibble_range, visit_nibble_pairs, NibblePairs, NibbleProduct, ANY_NIBBLE, CONTINUATION_HIGH,
};

/// A paragraph's letters in kana (or Hangul) at least this share makes it Japanese (Korean).
pub const MIN_SHARE_PERCENT: u64 = 10;

/// A document's letters in kana (or Hangul) at least this share makes it Japanese (Korean).
pub const DOCUMENT_SHARE_PERCENT: u64 = 20;

/// The language of a paragraph or a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    /// Chinese, or no evidence of another language (text without letters too).
    #[default]
    Chinese,
    Japanese,
    Korean,
}

impl Language {
    /// The short name reports use: `zh`, `ja`, `ko` (ISO 639-1).
    pub fn code(self) -> &'static str {
        match self {
            Language::Chinese => "zh",
            Language::Japanese => "ja",
            Language::Korean => "ko",
        }
    }

    /// The language of one paragraph in a document whose language is `document`: its own
    /// letters decide when they are clearly Japanese or Korean; a paragraph with less kana or
    /// Hangul than that (none, or a stray one) follows the document.
    ///
    /// Counting costs a pass over the text, so the stages ask only about a paragraph they are
    /// about to change (most paragraphs of a document are left unchanged by every rule).
    pub fn of_paragraph(text: &str, document: Language) -> Language {
        if document == Language::Chinese && !may_have_kana_or_hangul(text) {
            return Language::Chinese;
        }
        Language::of_letters(&Letters::of(text), document)
    }

    /// [`Language::of_paragraph`] from the paragraph's letters, counted already (the convert
    /// stage counts them with its script evidence, in the same pass).
    pub fn of_letters(letters: &Letters, document: Language) -> Language {
        letters.own_language().in_document(document)
    }

    /// The language of a paragraph whose own letters say `self` ([`Letters::own_language`]),
    /// in a document whose language is `document`: Chinese (no other language of its own)
    /// follows the document.
    pub fn in_document(self, document: Language) -> Language {
        match self {
            Language::Chinese => document,
            language => language,
        }
    }

    /// The language of a document from its first lines (the batch a stage prepares on).
    pub fn of_document<'a>(lines: impl IntoIterator<Item = &'a str> + Clone) -> Language {
        // A document without a single kana or Hangul letter (the quick scan of each line says
        // so) is Chinese without counting anything: most documents, most of the time.
        if !lines.clone().into_iter().any(may_have_kana_or_hangul) {
            return Language::Chinese;
        }
        let mut letters = Letters::default();
        for line in lines {
            letters.add(&Letters::of(line));
        }
        letters.language(DOCUMENT_SHARE_PERCENT)
    }
}

/// Counts of the letters that tell the languages apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Letters {
    pub han: u64,
    pub kana: u64,
    pub hangul: u64,
}

impl Letters {
    pub fn of(text: &str) -> Letters {
        let mut letters = Letters::default();
        // Only three-byte characters and Han beyond the BMP can count.
        for c in text.chars().filter(|&c| c >= '\u{1100}') {
            if is_kana(c) {
                letters.kana += 1;
            } else if is_hangul(c) {
                letters.hangul += 1;
            } else if is_han(c) {
                letters.han += 1;
            }
        }
        letters
    }

    pub fn add(&mut self, other: &Letters) {
        self.han += other.han;
        self.kana += other.kana;
        self.hangul += other.hangul;
    }

    /// Japanese or Korean when kana or Hangul reach `percent` % of the letters (the larger
    /// share wins when both do); Chinese otherwise.
    /// What a paragraph with these letters is by its own letters, whatever the document
    /// ([`MIN_SHARE_PERCENT`]): Japanese, Korean, or Chinese when neither is clear.
    pub fn own_language(&self) -> Language {
        self.language(MIN_SHARE_PERCENT)
    }

    pub fn language(&self, percent: u64) -> Language {
        let letters = self.han + self.kana + self.hangul;
        let reaches = |n: u64| n > 0 && n * 100 >= letters * percent;
        match (reaches(self.kana), reaches(self.hangul)) {
            (true, true) if self.hangul > self.kana => Language::Korean,
            (true, _) => Language::Japanese,
            (false, true) => Language::Korean,
            (false, false) => Language::Chinese,
        }
    }
}

/// Hiragana and katakana letters (with the iteration marks `ゝゞヽヾ`, the small and the
/// half-width forms), not the marks Chinese uses too: `・` (U+30FB), `ー` (U+30FC), `゛゜`.
pub fn is_kana(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309F}'
        | '\u{30A1}'..='\u{30FA}' | '\u{30FD}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF6F}' | '\u{FF71}'..='\u{FF9D}')
}

/// Hangul syllables and jamo.
pub fn is_hangul(c: char) -> bool {
    matches!(c,
        '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3131}'..='\u{318E}'
        | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}' | '\u{FFA0}'..='\u{FFDC}')
}

/// The first two bytes of the UTF-8 of kana and Hangul letters (lead bytes, and the byte
/// after), looked up by their nibbles ([`NibblePairs`]: four pairs cost as much as one).
const KANA_OR_HANGUL: NibblePairs = NibblePairs::new(&[
    // U+1100–U+11FF (jamo): E1 84–87.
    NibbleProduct::pair(0xE1, 0x84, 0x87),
    // U+3040–U+30FF (kana), U+3130–U+318F (compatibility jamo), U+31F0–U+31FF: E3 81–87.
    NibbleProduct::pair(0xE3, 0x81, 0x87),
    // U+A960–U+D7FF (Hangul syllables and jamo extensions): EA–ED, any continuation byte.
    NibbleProduct {
        lead_high: 1 << 0xE,
        lead_low: nibble_range(0xA, 0xD),
        next_high: CONTINUATION_HIGH,
        next_low: ANY_NIBBLE,
    },
    // U+FF66–U+FFDC (half-width katakana and Hangul): EF BD–BF.
    NibbleProduct::pair(0xEF, 0xBD, 0xBF),
]);

/// Could `text` hold a kana or Hangul letter? False means none; true may be a false alarm
/// (U+FF5E `～` shares its first two bytes with half-width katakana). This is asked of every
/// line normalize or polish changes and of the first batch, so it does not decode: thirty-two
/// bytes at a time, it looks for the first two bytes of such a letter (in valid UTF-8 the
/// first is a lead byte only). The lead bytes alone would stop at the punctuation of Chinese
/// text (`。「」` are U+3000–U+303F, `，！？` U+FF01–U+FF1F), a few a block.
///
/// The pairs it looks for are the first two bytes of one character, so a text's answer is the
/// answer of its parts cut at character boundaries: a text that grows by appending is scanned
/// in the part appended only (reflow's paragraphs, which are asked at every join).
pub fn may_have_kana_or_hangul(text: &str) -> bool {
    visit_nibble_pairs(text.as_bytes(), &KANA_OR_HANGUL, |_| ControlFlow::Break(())).is_break()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Language {
        Language::of_paragraph(text, Language::Chinese)
    }

    /// The quick scan's pairs are the first two bytes of every kana and Hangul letter, and of
    /// the few characters beside them that share those bytes (U+3041–U+31FF, U+FF5E–U+FFBF).
    #[test]
    fn the_quick_scan_stops_at_the_first_bytes_of_kana_and_hangul() {
        let mut utf8 = [0u8; 4];
        for c in ('\u{0800}'..='\u{FFFF}').filter(|c| !c.is_ascii()) {
            let bytes = c.encode_utf8(&mut utf8).as_bytes();
            let (lead, next) = (bytes[0], bytes[1]);
            let listed = matches!(
                (lead, next),
                (0xE1, 0x84..=0x87) | (0xE3, 0x81..=0x87) | (0xEA..=0xED, _) | (0xEF, 0xBD..=0xBF)
            );
            assert_eq!(KANA_OR_HANGUL.contains(lead, next), listed, "{c:?}");
            if is_kana(c) || is_hangul(c) {
                assert!(listed, "{c:?}");
            }
        }
    }

    #[test]
    fn japanese_and_korean_paragraphs_are_told_by_kana_and_hangul() {
        let japanese = [
            "日本語の文章です。東京都の會議で國語の学習について話し合った。",
            "政府は１５日、閣議で２０２４年度予算案を決定した。",
            "日本の歴史",
            "令和元年度東京都議会定例会議事録について",
            "カタカナだけ",
            "ｶﾀｶﾅ",
        ];
        for text in japanese {
            assert_eq!(of(text), Language::Japanese, "{text}");
        }
        let korean = [
            "大韓民國의 國會는 國民의 選擧에 依하여 選出된 議員으로 構成한다.",
            "북조선 사람들은 흔히 자국을 조선（朝鮮）이나 공화국（共和國）이라고 부른다.",
            "한국어",
        ];
        for text in korean {
            assert_eq!(of(text), Language::Korean, "{text}");
        }
    }

    /// What must not be taken for Japanese or Korean: Chinese prose with a stray kana, the
    /// marks Chinese shares with Japanese, a quoted Korean name in a long paragraph.
    #[test]
    fn chinese_with_a_stray_kana_stays_chinese() {
        let chinese = [
            "我們在「午後の紅茶」的廣告裡看到這個說法，覺得這個設計很有意思，值得大家參考。",
            "這家名叫「吉野家」的店在臺北很有名，它的招牌ー牛丼ー賣得最好。",
            "列奧納多・達文西是文藝復興時期的畫家。",
            "韓國歌手李知恩（아이유）今天在首爾舉行演唱會，門票在開賣後幾分鐘內全部售罄，主辦單位表示將加開兩場演出以滿足歌迷的需求。",
            "這是繁體中文，國家發展。",
            "",
            "hello, world",
        ];
        for text in chinese {
            assert_eq!(of(text), Language::Chinese, "{text}");
        }
    }

    #[test]
    fn a_paragraph_without_kana_or_hangul_follows_the_document() {
        assert_eq!(
            Language::of_paragraph("第一章　總則", Language::Japanese),
            Language::Japanese
        );
        assert_eq!(
            Language::of_paragraph("第一章　總則", Language::Korean),
            Language::Korean
        );
        assert_eq!(
            Language::of_paragraph("第一章　總則", Language::Chinese),
            Language::Chinese
        );
        // Its own letters decide when they are clear.
        assert_eq!(
            Language::of_paragraph("日本語の文章です。", Language::Korean),
            Language::Japanese
        );
        // A stray kana in a Japanese document's kanji heading: below the share, it follows the
        // document.
        assert_eq!(
            Language::of_paragraph("東京都議会定例会議事録・第三回の議事", Language::Japanese),
            Language::Japanese
        );
    }

    #[test]
    fn documents() {
        let japanese = [
            "第一章　総則",
            "この法律は、国民の健康の保持に寄与することを目的とする。",
        ];
        assert_eq!(Language::of_document(japanese), Language::Japanese);
        let chinese = [
            "這是一篇中文文章，裡面引用了一段日文。",
            "日本語の文章です。",
            "後面還有很多中文段落，說明這份文件主要是中文寫成的，引用只是其中的一小部分而已。",
        ];
        assert_eq!(Language::of_document(chinese), Language::Chinese);
        assert_eq!(
            Language::of_document(["국회는 법률을 제정한다."]),
            Language::Korean
        );
        assert_eq!(Language::of_document(Vec::<&str>::new()), Language::Chinese);
    }

    /// The quick byte scan never misses a kana or Hangul letter.
    #[test]
    fn the_byte_scan_finds_every_letter() {
        for code in 0x1100..=0xFFFF_u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            if is_kana(c) || is_hangul(c) {
                let text = format!("中文{c}中文");
                assert!(may_have_kana_or_hangul(&text), "{c:?}");
            }
        }
        assert!(!may_have_kana_or_hangul("這是繁體中文，國家發展。「引號」"));
    }

    /// The scan goes 32 bytes at a time: a letter is found wherever it falls in a block, at a
    /// block's last byte, split across two blocks, or in the bytes left after the last block;
    /// and Chinese text of every length around the block size raises no alarm.
    #[test]
    fn the_byte_scan_finds_a_letter_at_every_offset() {
        for letter in ['の', 'ｶ', '한', 'ᄀ'] {
            for before in 0..70 {
                for after in [0, 1, 2, 31, 32, 33] {
                    let text = format!("{}{letter}{}", "a".repeat(before), "中".repeat(after));
                    assert!(may_have_kana_or_hangul(&text), "{text:?}");
                    assert_eq!(Letters::of(&text).kana + Letters::of(&text).hangul, 1);
                }
            }
        }
        for len in 0..80 {
            let text: String = "這是，「國」。".chars().cycle().take(len).collect();
            assert!(!may_have_kana_or_hangul(&text), "{text:?}");
            assert!(!may_have_kana_or_hangul(&format!("a{text}")), "{text:?}");
        }
    }
}
