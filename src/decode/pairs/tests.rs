use super::*;

/// The encodings with a pair table, as detection reports them.
const ENCODINGS: [&Encoding; 3] = [GBK, GB18030, BIG5];

#[test]
fn the_table_is_built_for_gbk_gb18030_and_big5_only() {
    assert!(std::ptr::eq(
        table_for(GBK).unwrap(),
        table_for(GB18030).unwrap()
    ));
    assert!(table_for(BIG5).is_some());
    for other in [
        encoding_rs::UTF_8,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_KR,
    ] {
        assert!(table_for(other).is_none(), "{}", other.name());
    }
}

#[test]
fn decode_run_stops_at_what_it_leaves_to_encoding_rs() {
    let gb = table_for(GB18030).unwrap();
    let big5 = table_for(BIG5).unwrap();
    // (table, bytes, text decoded, bytes read)
    let table: [(&PairTable, &[u8], &str, usize); 11] = [
        (gb, b"", "", 0),
        (gb, b"ab\n", "ab\n", 3),
        (gb, b"\xD6\xD0\xCE\xC4!", "中文!", 5),
        // A lead cut at the end of the input: encoding_rs keeps it for the next chunk.
        (gb, b"a\xD6\xD0\xCE", "a中", 3),
        // A GB18030 four-byte sequence, GB18030's one-byte euro sign, a stray byte.
        (gb, b"\xD6\xD0\x95\x32\x82\x36", "中", 2),
        (gb, b"a\x80", "a", 1),
        (gb, b"a\xFF", "a", 1),
        // A lead before an ASCII byte: malformed, the ASCII byte is decoded after it.
        (gb, b"\xD6 ", "", 0),
        (big5, b"\xA4\xA4\xA4\xE5", "中文", 4),
        // Big5 pairs that decode to two characters (Ê̄), and a lead Big5 does not have.
        (big5, b"\xA4\xA4\x88\x62", "中", 2),
        (big5, b"\x80\x40", "", 0),
    ];
    for (pairs, bytes, text, read) in table {
        let mut out = String::from(">");
        assert_eq!(pairs.decode_run(bytes, &mut out), read, "{bytes:02X?}");
        assert_eq!(out, format!(">{text}"), "{bytes:02X?}");
        let mut classes = Vec::new();
        assert_eq!(pairs.scan_run(bytes, |class| classes.push(class)), read);
        assert_eq!(
            classes.len(),
            text.chars().filter(|c| !c.is_ascii()).count()
        );
    }
}

#[test]
fn han_classes_are_those_detection_counts() {
    for encoding in ENCODINGS {
        let pairs = table_for(encoding).unwrap();
        for lead in 0x80..=0xFF_u8 {
            for trail in 0..=0xFF_u8 {
                let mut classes = Vec::new();
                if pairs.scan_run(&[lead, trail], |class| classes.push(class)) == 0 {
                    continue;
                }
                let pair = [lead, trail];
                let (text, _) = encoding.decode_without_bom_handling(&pair);
                let c = text.chars().next().unwrap();
                let expected = match (
                    crate::text::is_han(c),
                    super::super::common_han::is_common_han(c),
                ) {
                    (true, true) => HAN | COMMON_HAN,
                    (true, false) => HAN,
                    _ => 0,
                };
                assert_eq!(classes, [expected], "{c}");
            }
        }
    }
}
