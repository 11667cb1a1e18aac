use encoding_rs::{GBK, UTF_16BE, UTF_16LE, UTF_8};

use super::super::testing::*;
use super::*;

#[test]
fn detects_each_encoding_of_the_same_text() {
    let mut utf8_bom = b"\xEF\xBB\xBF".to_vec();
    utf8_bom.extend_from_slice(SIMPLIFIED.as_bytes());
    let mut utf16le_bom = b"\xFF\xFE".to_vec();
    utf16le_bom.extend(utf16(SIMPLIFIED, false));
    let mut utf16be_bom = b"\xFE\xFF".to_vec();
    utf16be_bom.extend(utf16(SIMPLIFIED, true));
    let mut gb18030 = gbk(SIMPLIFIED);
    gb18030.extend_from_slice(b"\x95\x32\x82\x36"); // 𠀀, outside GBK
    let table: Vec<(&str, Vec<u8>, &str, Confidence)> = vec![
        (
            "utf-8",
            SIMPLIFIED.as_bytes().to_vec(),
            "UTF-8",
            Confidence::High,
        ),
        ("utf-8 bom", utf8_bom, "UTF-8 (BOM)", Confidence::Certain),
        ("utf-16le bom", utf16le_bom, "UTF-16LE", Confidence::Certain),
        ("utf-16be bom", utf16be_bom, "UTF-16BE", Confidence::Certain),
        (
            "utf-16le",
            utf16(SIMPLIFIED, false),
            "UTF-16LE",
            Confidence::High,
        ),
        (
            "utf-16be",
            utf16(SIMPLIFIED, true),
            "UTF-16BE",
            Confidence::High,
        ),
        (
            "utf-16le traditional",
            utf16(TRADITIONAL, false),
            "UTF-16LE",
            Confidence::High,
        ),
        ("gbk", gbk(SIMPLIFIED), "GBK", Confidence::Medium),
        ("gb18030", gb18030, "GB18030", Confidence::Medium),
        ("big5", big5(TRADITIONAL), "Big5", Confidence::Medium),
    ];
    for (name, bytes, label, least) in table {
        let detection = text_detection(&bytes, true);
        assert_eq!(detection.label(), label, "{name}");
        assert!(
            rank(detection.confidence) <= rank(least),
            "{name}: {} is below {least}",
            detection.confidence
        );
    }
}

fn rank(confidence: Confidence) -> u8 {
    confidence as u8
}

#[test]
fn pure_ascii_is_utf8() {
    let detection = text_detection(b"Annual report 2021\nSection 1. Scope\n", true);
    assert_eq!(detection.encoding, UTF_8);
    assert_eq!(detection.confidence, Confidence::High);
    // Only a prefix seen: still UTF-8, but the rest is unknown.
    let detection = text_detection(b"Annual report 2021\n", false);
    assert_eq!(detection.encoding, UTF_8);
    assert_eq!(detection.confidence, Confidence::Low);
    assert_eq!(text_detection(b"", true).encoding, UTF_8);
}

#[test]
fn binary_signatures() {
    let table: &[(&[u8], &str, bool)] = &[
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image", false),
        (b"\xFF\xD8\xFF\xE0\0\x10JFIF", "JPEG image", false),
        (b"GIF89a\x01\0\x01\0", "GIF image", false),
        (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3", "PDF document", true),
        (b"\x1F\x8B\x08\0\0\0\0\0", "gzip archive", false),
        (b"BZh91AY&SY", "bzip2 archive", false),
        (b"\xFD7zXZ\0\0\x04", "xz archive", false),
        (b"7z\xBC\xAF\x27\x1C\0\x04", "7z archive", false),
        (b"\x7FELF\x02\x01\x01", "ELF executable", false),
        (b"{\\rtf1\\ansi\\ansicpg936", "RTF document", true),
        (
            b"PK\x03\x04\x14\0\x06\0[Content_Types].xml....word/document.xml",
            "Word document (.docx)",
            true,
        ),
        (
            b"PK\x03\x04\x14\0\0\0mimetypeapplication/vnd.oasis.opendocument.text",
            "OpenDocument text (.odt)",
            true,
        ),
        (b"PK\x03\x04\x14\0\0\0notes.txt", "zip archive", false),
        (
            b"\x00\x01\x02\x03 data",
            "binary data (contains NUL bytes)",
            false,
        ),
    ];
    for (bytes, kind, convert) in table {
        match sniff(bytes, true) {
            Sniff::Binary(binary) => {
                assert_eq!(binary.kind, *kind);
                assert_eq!(binary.hint.is_some(), *convert, "{kind}");
            }
            Sniff::Text(detection) => panic!("{kind} taken as {} text", detection.label()),
        }
    }
    let mut doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    doc.extend_from_slice(&[0; 64]);
    doc.extend(utf16("WordDocument", false));
    match sniff(&doc, true) {
        Sniff::Binary(binary) => {
            assert_eq!(binary.kind, "Word document (.doc)");
            assert_eq!(binary.hint, Some("convert it to text first"));
        }
        Sniff::Text(_) => panic!("a .doc taken as text"),
    }
}

#[test]
fn text_that_merely_starts_like_a_signature_is_text() {
    for text in [
        "BZh is not bzip2 without a digit",
        "PK is a prefix",
        "GIF images are small",
        "{\\rt",
    ] {
        assert!(
            matches!(sniff(text.as_bytes(), true), Sniff::Text(_)),
            "{text}"
        );
    }
}

#[test]
fn bom_wins_and_is_skipped() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("中文".as_bytes());
    let detection = text_detection(&bytes, true);
    assert_eq!((detection.bom_len, detection.label()), (3, "UTF-8 (BOM)"));
    let (text, report) = decode_in_chunks(&bytes, 1, false).unwrap();
    assert_eq!(text, "中文");
    assert_eq!(report.bytes_in, bytes.len() as u64);
    // A UTF-16 BOM before text with NUL bytes is text, not binary.
    let mut bytes = b"\xFF\xFE".to_vec();
    bytes.extend(utf16("ab", false));
    assert_eq!(text_detection(&bytes, true).label(), "UTF-16LE");
}

#[test]
fn forced_encoding_is_certain_and_skips_its_own_bom_only() {
    let utf8_bom = b"\xEF\xBB\xBFabc";
    assert_eq!(forced(UTF_8, utf8_bom).bom_len, 3);
    assert_eq!(forced(UTF_8, utf8_bom).confidence, Confidence::Certain);
    assert_eq!(forced(GBK, utf8_bom).bom_len, 0);
    assert_eq!(forced(UTF_16LE, b"\xFF\xFEa\0").bom_len, 2);
    assert_eq!(forced(UTF_16BE, b"\xFF\xFEa\0").bom_len, 0);
}

#[test]
fn a_long_ascii_preamble_does_not_hide_the_chinese_text() {
    let mut bytes = b"# Exported by a converter; the header runs on for a while.\n".repeat(300);
    assert!(bytes.len() > 16 * 1024);
    bytes.extend(gbk(&SIMPLIFIED.repeat(150)));
    assert_eq!(text_detection(&bytes[..PREFIX_BYTES], false).label(), "GBK");
    let mut bytes = b"# Exported by a converter; the header runs on for a while.\n".repeat(300);
    bytes.extend(big5(&TRADITIONAL.repeat(150)));
    assert_eq!(
        text_detection(&bytes[..PREFIX_BYTES], false).label(),
        "Big5"
    );
}
