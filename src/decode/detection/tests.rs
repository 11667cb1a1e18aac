use encoding_rs::{BIG5, GB18030, GBK, UTF_16BE, UTF_16LE};

use super::*;

#[test]
fn labels_for_the_command_line() {
    let table: &[(&str, Option<&'static Encoding>)] = &[
        ("utf-8", Some(UTF_8)),
        ("UTF8", Some(UTF_8)),
        ("utf-8-sig", Some(UTF_8)),
        ("gbk", Some(GBK)),
        ("GB2312", Some(GBK)),
        ("cp936", Some(GBK)),
        ("gb18030", Some(GB18030)),
        ("big5", Some(BIG5)),
        ("big5-hkscs", Some(BIG5)),
        ("big5hkscs", Some(BIG5)),
        ("cp950", Some(BIG5)),
        ("utf-16", Some(UTF_16LE)),
        ("utf16le", Some(UTF_16LE)),
        ("utf-16be", Some(UTF_16BE)),
        (" Shift_JIS ", Some(encoding_rs::SHIFT_JIS)),
        ("hz-gb-2312", None),
        ("latin-9000", None),
        ("", None),
    ];
    for (label, expected) in table {
        assert_eq!(encoding_for_label(label), *expected, "{label:?}");
    }
}

#[test]
fn labels_and_confidence_display() {
    let detection = |encoding, bom_len| Detection {
        encoding,
        confidence: Confidence::Low,
        bom_len,
    };
    assert_eq!(detection(UTF_8, 0).label(), "UTF-8");
    assert_eq!(detection(UTF_8, 3).label(), "UTF-8 (BOM)");
    assert_eq!(detection(GBK, 0).label(), "GBK");
    assert_eq!(detection(GB18030, 0).label(), "GB18030");
    assert_eq!(detection(BIG5, 0).label(), "Big5");
    assert_eq!(detection(UTF_16BE, 2).label(), "UTF-16BE");
    assert_eq!(Confidence::Certain.to_string(), "certain");
    assert_eq!(
        serde_json::to_string(&Confidence::Medium).unwrap(),
        "\"medium\""
    );
}
