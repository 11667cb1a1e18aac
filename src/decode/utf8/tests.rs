use crate::decode::DecodeError;

use super::super::testing::*;
use super::*;

#[test]
fn utf8_cut_at_the_prefix_end_is_still_utf8() {
    let text = SIMPLIFIED.repeat(2);
    let bytes = text.as_bytes();
    // Cut after the first byte of a three-byte character.
    let cut = text.char_indices().nth(100).unwrap().0 + 1;
    let detection = text_detection(&bytes[..cut], false);
    assert_eq!(detection.encoding, UTF_8);
    assert_eq!(detection.confidence, Confidence::High);
    // The same cut at the end of the whole file is a damaged character, still UTF-8 (it will
    // be replaced and reported).
    assert_eq!(text_detection(&bytes[..cut], true).encoding, UTF_8);
}

#[test]
fn utf8_with_a_few_damaged_bytes_is_still_utf8() {
    let (bytes, _) = with_stray_bytes(&SIMPLIFIED.repeat(4), &[301]);
    let detection = text_detection(&bytes, true);
    assert_eq!(detection.encoding, UTF_8);
    assert_eq!(detection.confidence, Confidence::Medium);
    // Even with too many to decode: the decoder then fails naming UTF-8, rather than a legacy
    // guess turning the text into mojibake.
    let (bytes, _) = with_stray_bytes(&SIMPLIFIED.repeat(2), &[10, 100, 200, 300, 400, 500]);
    assert_eq!(text_detection(&bytes, true).encoding, UTF_8);
    assert!(matches!(
        decode_in_chunks(&bytes, 64, false),
        Err(DecodeError::WrongEncoding {
            encoding: "UTF-8",
            ..
        })
    ));
}

#[test]
fn utf8_scan_gives_up_on_legacy_text_only() {
    // GBK read as UTF-8: malformed almost at once, given up.
    let legacy = gbk(&SIMPLIFIED.repeat(10));
    assert_eq!(Utf8Scan::of_unless_damaged(&legacy, true, 16), None);
    // UTF-8 with two damaged bytes: scanned to the end, every character counted.
    let (damaged, _) = with_stray_bytes(&SIMPLIFIED.repeat(10), &[30, 300]);
    let scan = Utf8Scan::of_unless_damaged(&damaged, true, 16).expect("scanned");
    assert_eq!(scan.malformed, 2);
    assert_eq!(
        scan.multibyte,
        SIMPLIFIED
            .repeat(10)
            .chars()
            .filter(|c| !c.is_ascii())
            .count()
    );
}

#[test]
fn whole_sequences_leave_out_only_a_sequence_cut_at_the_end() {
    let cases: [(&[u8], usize); 10] = [
        (b"", 0),
        (b"abc", 3),
        ("中".as_bytes(), 3),
        (&"中".as_bytes()[..2], 0),
        (b"ab\xE4", 2),
        (b"ab\xE4\xB8", 2),
        ("a𠀀".as_bytes(), 5),
        (&"a𠀀".as_bytes()[..4], 1),
        (b"a\xC3", 1),
        // Not UTF-8 at the end, but not a cut sequence either: validation's business.
        (b"a\x80\x80\x80", 4),
    ];
    for (bytes, whole) in cases {
        assert_eq!(whole_sequences_len(bytes), whole, "{bytes:02X?}");
    }
}
