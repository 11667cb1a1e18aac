use encoding_rs::UTF_8;

use super::super::testing::*;
use super::*;

#[test]
fn ascii_text_is_not_utf16_although_its_byte_pairs_are_cjk() {
    // "he" read as UTF-16LE is U+6568, a Han character.
    for text in [
        "hello world, this is plain text with letters only",
        "abcdefghijklmnopqrstuvwxyz0123",
    ] {
        assert_eq!(
            text_detection(text.as_bytes(), true).encoding,
            UTF_8,
            "{text}"
        );
    }
}

#[test]
fn short_legacy_text_is_not_utf16() {
    for text in [
        "中文",
        "你好，世界",
        "报告",
        "一、工作情况",
        "法治政府建设年度情况报告",
    ] {
        let bytes = gbk(text);
        let detection = text_detection(&bytes, true);
        assert!(
            detection.encoding != UTF_16LE && detection.encoding != UTF_16BE,
            "GBK {text} taken as {}",
            detection.label()
        );
    }
    for text in ["中華民國", "臺灣，你好", "習近平法治思想"] {
        let bytes = big5(text);
        let detection = text_detection(&bytes, true);
        assert!(
            detection.encoding != UTF_16LE && detection.encoding != UTF_16BE,
            "Big5 {text} taken as {}",
            detection.label()
        );
    }
}

#[test]
fn utf16_without_bom_needs_evidence() {
    // Two characters prove nothing.
    assert_ne!(
        text_detection(&utf16("中文", false), true).encoding,
        UTF_16LE
    );
    // ASCII-heavy UTF-16 is found by its zero bytes, not taken as binary.
    let bytes = utf16("Report 2021: 法治政府建设 (summary)\n", false);
    assert_eq!(text_detection(&bytes, true).encoding, UTF_16LE);
    let bytes = utf16("Report 2021: 法治政府建设 (summary)\n", true);
    assert_eq!(text_detection(&bytes, true).encoding, UTF_16BE);
    // Supplementary characters are surrogate pairs, which count for UTF-16.
    let bytes = utf16("𠀀𠀁中文字符测试内容，一二三四五六。", false);
    assert_eq!(text_detection(&bytes, true).encoding, UTF_16LE);
}

#[test]
fn utf16_unit_scores() {
    // (strong, of which signature, neutral, implausible)
    let score = |bytes: &[u8], big_endian| {
        let score = Utf16Score::of(bytes, big_endian);
        (
            score.strong,
            score.signature,
            score.neutral,
            score.implausible,
        )
    };
    // 的 (U+7684) little-endian: a common character; 瞪 (U+77AA) a rare one.
    assert_eq!(score(b"\x84\x76", false), (1, 1, 0, 0));
    assert_eq!(score(b"\xAA\x77", false), (1, 0, 0, 0));
    // 中 (U+4E2D) little-endian is "-N": two ASCII bytes prove nothing (any 8-bit text reads
    // as CJK that way: "he" is U+6568).
    assert_eq!(score(b"\x2D\x4E", false), (0, 0, 1, 0));
    assert_eq!(score(b"he", true), (0, 0, 1, 0));
    // "a" with its zero byte; the same bytes the other way round prove nothing.
    assert_eq!(score(b"a\0", false), (1, 1, 0, 0));
    assert_eq!(score(b"a\0", true), (0, 0, 1, 0));
    // Full-width comma U+FF0C and ideographic full stop U+3002.
    assert_eq!(score(b"\x0C\xFF\x02\x30", false), (2, 2, 0, 0));
    // GBK 中 (D6 D0) is a surrogate little-endian, Hangul big-endian.
    assert_eq!(score(b"\xD6\xD0", true), (0, 0, 0, 1));
    assert_eq!(score(b"\xD6\xD0\x41\x00", false), (1, 1, 0, 1));
    // A surrogate pair (U+20000) counts for both its units.
    assert_eq!(score(b"\x40\xD8\x00\xDC", false), (2, 0, 0, 0));
    // NUL characters are not text.
    assert_eq!(score(b"\0\0", false), (0, 0, 0, 1));
}

#[test]
fn utf16_needs_the_characters_of_real_text() {
    // Shift_JIS read big-endian is mostly "CJK" (kana are 82 xx and 83 xx), but not the
    // characters Chinese text is made of.
    let japanese = "これは日本語の文章です。ひらがなとカタカナが含まれています。".repeat(3);
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&japanese);
    assert_eq!(detect_utf16_without_bom(&bytes), None);
    // Traditional text in GBK (mostly outside GB2312, leads 81–A0) read big-endian likewise.
    let bytes = gbk(TRADITIONAL);
    assert_eq!(detect_utf16_without_bom(&bytes), None);
    // Real UTF-16 of either script passes.
    assert!(detect_utf16_without_bom(&utf16(TRADITIONAL, true)).is_some());
    assert!(detect_utf16_without_bom(&utf16(SIMPLIFIED, false)).is_some());
}
