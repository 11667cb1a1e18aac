use super::*;

fn text_detection(prefix: &[u8], whole: bool) -> Detection {
    match sniff(prefix, whole) {
        Sniff::Text(detection) => detection,
        Sniff::Binary(binary) => panic!("{prefix:02X?} taken as binary: {}", binary.kind),
    }
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = GBK.encode(text);
    assert!(!unmappable, "{text} is not GBK");
    bytes.into_owned()
}

fn big5(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = BIG5.encode(text);
    assert!(!unmappable, "{text} is not Big5");
    bytes.into_owned()
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|unit| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        })
        .collect()
}

const SIMPLIFIED: &str = "根据《东城区2021年推进法治政府建设工作要点》，结合科信局工作实际，从“提升法治建设水平”、\
“推进科信普法工作”、“建立长效工作机制”三个方面着手，将年度工作目标分解落实到具体责任科室，确保职责到位。\n\
全面贯彻落实“放管服”和“优化营商环境”的总体要求，全力推进“政务服务一站式”和“不见面服务”等具体工作。\
优化工作流程、精简办事程序、及时更新权力事项清单和办事指南。\n";

const TRADITIONAL: &str = "市科技局堅持以習近平新時代中國特色社會主義思想為指導，認真貫徹落實習近平法治思想和\
習近平總書記關於依法治國的重要論述重要講話精神，深入推進法治政府建設各項工作，法治政府建設工作取得積極進展\
和明顯成效，為創新驅動發展戰略實施提供了法治保障。現將有關情況報告如下：\n\
局黨組高度重視法治政府建設工作，認真學習貫徹習近平法治思想，召開專題會議研究部署法治政府建設年度重點工作。\n";

/// Decodes `bytes` through sniff and a Decoder fed `chunk`-sized pieces.
fn decode_in_chunks(
    bytes: &[u8],
    chunk: usize,
    strict: bool,
) -> Result<(String, DecodeReport), DecodeError> {
    let prefix = &bytes[..bytes.len().min(PREFIX_BYTES)];
    let detection = text_detection(prefix, bytes.len() <= PREFIX_BYTES);
    let mut decoder = Decoder::new(detection, strict);
    let mut out = String::new();
    let mut pieces = bytes.chunks(chunk).peekable();
    if pieces.peek().is_none() {
        decoder.decode(&[], true, &mut out)?;
    }
    while let Some(piece) = pieces.next() {
        decoder.decode(piece, pieces.peek().is_none(), &mut out)?;
    }
    Ok((out, decoder.report()))
}

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

/// `text` with a stray byte 0xFF inserted at each of the given char boundaries, or (for an
/// offset inside a character) at the next one. Returns the bytes and the offsets of the strays.
fn with_stray_bytes(text: &str, at: &[usize]) -> (Vec<u8>, Vec<u64>) {
    let mut bytes = Vec::with_capacity(text.len() + at.len());
    let mut offsets = Vec::new();
    let mut targets = at.iter().copied().peekable();
    for (i, c) in text.char_indices() {
        if targets.peek().is_some_and(|target| *target <= i) {
            targets.next();
            offsets.push(bytes.len() as u64);
            bytes.push(0xFF);
        }
        let mut buffer = [0; 4];
        bytes.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
    }
    (bytes, offsets)
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
fn gbk_and_gb18030_four_byte_sequences() {
    assert!(!has_gb18030_four_byte(&gbk("中文123，456")));
    assert!(has_gb18030_four_byte(b"\xD6\xD0\x95\x32\x82\x36"));
    // A digit after a two-byte character is not the second byte of a four-byte one.
    assert!(!has_gb18030_four_byte(b"\xD6\xD01\xCE\xC42"));
    // GBK-labelled text with a four-byte sequence beyond the prefix still decodes.
    let mut bytes = gbk(SIMPLIFIED);
    bytes.extend_from_slice(b"\x95\x32\x82\x36");
    let detection = Detection {
        encoding: GBK,
        confidence: Confidence::High,
        bom_len: 0,
    };
    let mut decoder = Decoder::new(detection, true);
    let mut out = String::new();
    decoder.decode(&bytes, true, &mut out).unwrap();
    assert!(out.ends_with('𠀀'));
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

#[test]
fn chunk_size_does_not_change_the_text() {
    let sources: Vec<Vec<u8>> = vec![
        SIMPLIFIED.as_bytes().to_vec(),
        gbk(SIMPLIFIED),
        big5(TRADITIONAL),
        utf16(SIMPLIFIED, false),
        utf16(TRADITIONAL, true),
    ];
    for bytes in sources {
        let expected = decode_in_chunks(&bytes, bytes.len().max(1), true)
            .unwrap()
            .0;
        for chunk in [1, 2, 3, 7, 64] {
            let (text, report) = decode_in_chunks(&bytes, chunk, true).unwrap();
            assert_eq!(text, expected, "chunk {chunk}");
            assert_eq!(report.replaced, 0);
        }
    }
}

#[test]
fn a_few_bad_bytes_become_replacement_characters_with_offsets() {
    let (bytes, offsets) = with_stray_bytes(&SIMPLIFIED.repeat(8), &[500, 1500]);
    for chunk in [1, 5, 4096] {
        let (text, report) = decode_in_chunks(&bytes, chunk, false).unwrap();
        assert_eq!(report.replaced_offsets, offsets, "chunk {chunk}");
        assert_eq!(report.replaced, 2);
        assert_eq!(text.matches('\u{FFFD}').count(), 2);
        assert_eq!(text.replace('\u{FFFD}', ""), SIMPLIFIED.repeat(8));
    }
    // GBK with a damaged trail byte: the offset is that of the bad sequence.
    let mut bytes = gbk(&SIMPLIFIED.repeat(4));
    // The trail byte of the first character becomes ASCII: the lead byte alone is malformed
    // (and the ASCII byte is decoded as itself).
    let bad = bytes.iter().position(|b| *b >= 0x81).unwrap();
    bytes[bad + 1] = b' ';
    let detection = Detection {
        encoding: GBK,
        confidence: Confidence::High,
        bom_len: 0,
    };
    let mut decoder = Decoder::new(detection, false);
    let mut out = String::new();
    decoder.decode(&bytes, true, &mut out).unwrap();
    let report = decoder.report();
    assert_eq!(report.replaced, 1);
    assert_eq!(report.replaced_offsets, vec![bad as u64]);
}

#[test]
fn offsets_count_the_bom() {
    let (damaged, offsets) = with_stray_bytes(&SIMPLIFIED.repeat(4), &[100]);
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&damaged);
    let (_, report) = decode_in_chunks(&bytes, 2, false).unwrap();
    assert_eq!(report.replaced_offsets, vec![offsets[0] + 3]);
}

#[test]
fn strict_fails_on_the_first_bad_byte() {
    let (bytes, offsets) = with_stray_bytes(&SIMPLIFIED.repeat(8), &[700]);
    let error = decode_in_chunks(&bytes, 33, true).unwrap_err();
    assert_eq!(
        error,
        DecodeError::Malformed {
            encoding: "UTF-8",
            offset: offsets[0]
        }
    );
    assert!(error.to_string().contains(&offsets[0].to_string()));
}

#[test]
fn many_bad_bytes_mean_a_wrong_guess() {
    // Big5 bytes decoded as GBK decode (to the wrong characters); GBK bytes as UTF-8 do not.
    let bytes = gbk(&SIMPLIFIED.repeat(4));
    let detection = Detection {
        encoding: UTF_8,
        confidence: Confidence::High,
        bom_len: 0,
    };
    let mut decoder = Decoder::new(detection, false);
    let mut out = String::new();
    let error = decoder.decode(&bytes, true, &mut out).unwrap_err();
    match &error {
        DecodeError::WrongEncoding {
            encoding,
            first_offset,
            replaced,
            ..
        } => {
            assert_eq!(*encoding, "UTF-8");
            assert_eq!(
                *first_offset,
                bytes.iter().position(|b| *b >= 0x80).unwrap() as u64
            );
            assert!(*replaced > 10);
        }
        other => panic!("{other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains("--encoding"), "{message}");
    assert!(message.contains("UTF-8"), "{message}");
}

#[test]
fn a_wrong_guess_fails_after_the_first_prefix_not_at_the_end() {
    // A long file: the check after PREFIX_BYTES stops it before the rest is decoded.
    let bytes = gbk(&SIMPLIFIED.repeat(600));
    assert!(bytes.len() > 3 * PREFIX_BYTES);
    let detection = Detection {
        encoding: UTF_8,
        confidence: Confidence::Low,
        bom_len: 0,
    };
    let mut decoder = Decoder::new(detection, false);
    let mut out = String::new();
    let mut failed_at = None;
    for (i, chunk) in bytes.chunks(PREFIX_BYTES).enumerate() {
        if decoder.decode(chunk, false, &mut out).is_err() {
            failed_at = Some(i);
            break;
        }
    }
    assert_eq!(failed_at, Some(0));
}

#[test]
fn one_bad_byte_in_a_tiny_file_is_allowed() {
    let detection = Detection {
        encoding: UTF_8,
        confidence: Confidence::Low,
        bom_len: 0,
    };
    let decode = |bytes: &[u8]| {
        let mut decoder = Decoder::new(detection, false);
        let mut out = String::new();
        decoder
            .decode(bytes, true, &mut out)
            .map(|()| (out, decoder.report()))
    };
    let (text, report) = decode(b"ab\xFFcd").unwrap();
    assert_eq!(text, "ab\u{FFFD}cd");
    assert_eq!((report.replaced, report.replaced_offsets), (1, vec![2]));
    assert!(decode(b"ab\xFF\xFEcd").is_err());
}

#[test]
fn truncated_character_at_end_of_file_is_replaced() {
    let mut bytes = SIMPLIFIED.as_bytes().to_vec();
    bytes.extend_from_slice(&"中".as_bytes()[..2]);
    let (text, report) = decode_in_chunks(&bytes, 10, false).unwrap();
    assert!(text.ends_with('\u{FFFD}'));
    assert_eq!(report.replaced_offsets, vec![SIMPLIFIED.len() as u64]);
}

#[test]
fn replaced_offsets_are_bounded() {
    let at: Vec<usize> = (1..=40).map(|i| i * 1000).collect();
    let (bytes, offsets) = with_stray_bytes(&SIMPLIFIED.repeat(300), &at);
    let (_, report) = decode_in_chunks(&bytes, 4096, false).unwrap();
    assert_eq!(report.replaced_offsets, offsets[..32]);
    assert_eq!(report.replaced, 40);
    assert_eq!(report.replaced_offsets.len(), 32);
}

/// `bytes` with a stray 0xFF (invalid in GBK, Big5 and UTF-8) inserted every `every` bytes,
/// at a character boundary of the legacy encoding (after an ASCII byte or a two-byte pair).
fn with_legacy_strays(bytes: &[u8], every: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / every + 1);
    let mut i = 0;
    let mut since_stray = 0;
    while i < bytes.len() {
        let len = if bytes[i] < 0x80 { 1 } else { 2 };
        if since_stray >= every {
            out.push(0xFF);
            since_stray = 0;
        }
        out.extend_from_slice(&bytes[i..(i + len).min(bytes.len())]);
        since_stray += len;
        i += len;
    }
    out
}

#[test]
fn damaged_gbk_and_big5_are_still_found() {
    // chardetng alone gives up on the right encoding at the first bad byte.
    let big5_text = big5(&TRADITIONAL.repeat(8));
    let damaged = with_legacy_strays(&big5_text, 1000);
    let detection = text_detection(&damaged, true);
    assert_eq!(
        (detection.label(), detection.confidence),
        ("Big5", Confidence::Low)
    );
    let (text, report) = decode_in_chunks(&damaged, 7, false).unwrap();
    assert_eq!(text.replace('\u{FFFD}', ""), TRADITIONAL.repeat(8));
    assert!(report.replaced > 0);

    let gbk_text = gbk(&SIMPLIFIED.repeat(4));
    let damaged = with_legacy_strays(&gbk_text, 700);
    assert_eq!(text_detection(&damaged, true).label(), "GBK");
}

#[test]
fn badly_damaged_gbk_fails_naming_gbk_rather_than_becoming_mojibake() {
    let damaged = with_legacy_strays(&gbk(&SIMPLIFIED.repeat(4)), 100);
    let detection = text_detection(&damaged, true);
    assert_eq!(detection.label(), "GBK");
    match decode_in_chunks(&damaged, 64, false) {
        Err(DecodeError::WrongEncoding { encoding, .. }) => assert_eq!(encoding, "GBK"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn other_cjk_encodings_are_not_taken_for_chinese() {
    // Shift_JIS byte pairs are valid GBK; they must not be decoded as GBK.
    let japanese =
        "日本語のテキストです。これは日本語の文章で、ひらがなとカタカナが含まれています。\
                    東京都の天気は晴れです。明日も晴れるでしょう。";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(japanese);
    let detection = text_detection(&bytes, true);
    assert_eq!(detection.encoding, encoding_rs::SHIFT_JIS);
}

#[test]
fn common_characters_overrule_a_wrong_chinese_guess() {
    let bytes = gbk(&SIMPLIFIED.repeat(3));
    let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
    // Told it is Big5, the judge sees nonsense and the GBK reading as real text.
    assert_eq!(
        judge_chinese_guess(&bytes, true, BIG5, non_ascii),
        (GBK, Confidence::Medium)
    );
    // Told it is GBK, the judge confirms.
    assert_eq!(
        judge_chinese_guess(&bytes, true, GBK, non_ascii),
        (GBK, Confidence::High)
    );
    let bytes = big5(TRADITIONAL);
    let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
    assert_eq!(judge_chinese_guess(&bytes, true, GBK, non_ascii).0, BIG5);
    // Few Han characters: too little to overrule anything.
    let bytes = big5("臺灣");
    assert_eq!(judge_chinese_guess(&bytes, true, GBK, 4).0, GBK);
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

#[test]
fn common_han_lookup_is_the_listed_set() {
    for c in COMMON_HAN.chars() {
        assert!(is_common_han(c), "{c} is listed");
    }
    // Han characters not listed, the edges of the block, and characters outside it.
    for c in [
        '瞪',
        '\u{4E00}',
        '\u{9FFF}',
        '\u{4DFF}',
        '\u{A000}',
        'a',
        '。',
        '\u{20000}',
    ] {
        assert_eq!(is_common_han(c), COMMON_HAN.contains(c), "{c:?}");
    }
    assert!(!is_common_han('瞪'));
}

#[test]
fn chardetng_stops_early_only_on_a_confirmed_guess() {
    // Long clean GBK and Big5: settled after the first kilobytes, on chardetng's full guess.
    for (bytes, encoding) in [
        (gbk(&SIMPLIFIED.repeat(60)), GBK),
        (big5(&TRADITIONAL.repeat(60)), BIG5),
    ] {
        assert!(bytes.len() > CHARDETNG_BYTES);
        let (guess, malformed, sample) = chardetng_guess_settled(&bytes, true);
        assert_eq!((guess, malformed), (encoding, 0));
        assert!(sample.is_some(), "stopped early");
        assert_eq!(chardetng_guess(&bytes, true), encoding);
    }
    // A damaged byte anywhere in the prefix: chardetng reads on, and the result is its full
    // guess (the same detector fed in two pieces).
    let mut damaged = gbk(&SIMPLIFIED.repeat(60));
    let middle = damaged.len() / 2;
    damaged.insert(middle, 0xFF);
    let (guess, malformed, sample) = chardetng_guess_settled(&damaged, true);
    assert!(sample.is_none());
    assert_eq!(guess, chardetng_guess(&damaged, true));
    assert_eq!(malformed, malformed_spans(guess, &damaged, true).len());
    // Too short to stop early.
    let short = gbk(SIMPLIFIED);
    let (guess, _, sample) = chardetng_guess_settled(&short, true);
    assert!(sample.is_none());
    assert_eq!(guess, chardetng_guess(&short, true));
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

/// What [`PrefixReading::of`] finds, the way it was first computed: two decodings with
/// encoding_rs alone.
fn prefix_reading_by_encoding_rs(
    encoding: &'static Encoding,
    prefix: &[u8],
    whole: bool,
) -> PrefixReading {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut scratch = String::new();
    let mut rest = prefix;
    let mut malformed = Vec::new();
    loop {
        scratch.clear();
        scratch.reserve(
            decoder
                .max_utf8_buffer_length_without_replacement(rest.len())
                .unwrap_or(rest.len() * 3),
        );
        let (result, read) =
            decoder.decode_to_string_without_replacement(rest, &mut scratch, whole);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::Malformed(bad_len, after) => {
                let end = (prefix.len() - rest.len()).saturating_sub(usize::from(after));
                malformed.push(end.saturating_sub(usize::from(bad_len))..end);
            }
            DecoderResult::OutputFull => {}
        }
    }
    let (text, _) = encoding.decode_without_bom_handling(prefix);
    let mut han = HanSample::default();
    for c in text.chars().filter(|c| crate::text::is_han(*c)) {
        han.han += 1;
        if is_common_han(c) {
            han.common += 1;
        }
    }
    PrefixReading { malformed, han }
}

#[test]
fn prefix_reading_is_that_of_encoding_rs() {
    let mut damaged = gbk(&SIMPLIFIED.repeat(20));
    for (at, bad) in [
        (100, &b"\xFF"[..]),
        (901, b"\x81"),
        (1500, b"\x95\x32\x82\x36"),
    ] {
        damaged.splice(at..at, bad.iter().copied());
    }
    let mut prefixes = vec![
        gbk(&SIMPLIFIED.repeat(20)),
        big5(&TRADITIONAL.repeat(20)),
        damaged.clone(),
        with_legacy_strays(&big5(&TRADITIONAL.repeat(10)), 300),
        b"\xD6\xD0\xD6".to_vec(),
        b"\x81\x30\x81".to_vec(),
        b"ab\xD6 \x80\xFF\x88\x62\xA4".to_vec(),
    ];
    // Every pair of bytes, in a row.
    prefixes.push((0x8000..=0xFFFF_u16).flat_map(u16::to_be_bytes).collect());
    for prefix in &prefixes {
        for encoding in [GBK, GB18030, BIG5, encoding_rs::SHIFT_JIS] {
            for whole in [true, false] {
                for cut in [
                    prefix.len(),
                    prefix.len().saturating_sub(1),
                    prefix.len() / 2,
                ] {
                    let prefix = &prefix[..cut];
                    assert_eq!(
                        PrefixReading::of(encoding, prefix, whole),
                        prefix_reading_by_encoding_rs(encoding, prefix, whole),
                        "{} {cut} {whole}",
                        encoding.name()
                    );
                }
            }
        }
    }
}

/// Decodes `bytes` in the pieces `cuts` makes of it (offsets where a new chunk starts), with
/// [`Decoder::decode_each`] (the pieces joined) or with [`Decoder::decode`].
fn decode_utf8_cut(
    bytes: &[u8],
    cuts: &[usize],
    strict: bool,
    each: bool,
) -> (String, Result<DecodeReport, DecodeError>) {
    let detection = Detection {
        encoding: encoding_rs::UTF_8,
        confidence: Confidence::High,
        bom_len: if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        },
    };
    let mut decoder = Decoder::new(detection, strict);
    let mut out = String::new();
    let mut scratch = String::new();
    let mut bounds = vec![0];
    bounds.extend(cuts.iter().copied().filter(|&cut| cut < bytes.len()));
    bounds.push(bytes.len());
    for (i, piece) in bounds.windows(2).enumerate() {
        let (chunk, last) = (&bytes[piece[0]..piece[1]], i == bounds.len() - 2);
        let decoded = if each {
            decoder.decode_each(chunk, last, &mut scratch, |text| out.push_str(text))
        } else {
            decoder.decode(chunk, last, &mut out)
        };
        if let Err(error) = decoded {
            return (out, Err(error));
        }
    }
    (out, Ok(decoder.report()))
}

fn assert_each_same_as_decode(bytes: &[u8], cuts: &[usize]) {
    for strict in [false, true] {
        assert_eq!(
            decode_utf8_cut(bytes, cuts, strict, true),
            decode_utf8_cut(bytes, cuts, strict, false),
            "{bytes:02X?} cut at {cuts:?}, strict {strict}"
        );
    }
}

/// UTF-8 of every length and the damage found in real files: stray continuation bytes,
/// sequences cut short, bytes that are never UTF-8, encoded surrogates, overlong forms.
fn utf8_soup(seed: u64, len: usize) -> Vec<u8> {
    // The UTF-8 of one of `chars`, picked by `r`.
    let one_of = |chars: &str, r: u64| {
        let picked = chars.chars().nth(r as usize % chars.chars().count());
        picked.map(String::from).unwrap_or_default().into_bytes()
    };
    let mut state = seed | 1;
    let mut bytes = Vec::with_capacity(len + 4);
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let r = state;
        match r % 16 {
            0..=3 => bytes.push((0x20 + (r >> 8) % 0x5F) as u8),
            4..=9 => bytes.extend(one_of("中文，國家", r >> 8)),
            10 => bytes.extend(one_of("é𠀀😀", r >> 8)),
            11 => bytes.push((0x80 + (r >> 8) % 0x40) as u8),
            12 => bytes.extend(&"中𠀀".as_bytes()[..1 + (r >> 8) as usize % 3]),
            13 => bytes.push([0xC0, 0xC1, 0xF5, 0xFF][(r >> 8) as usize % 4]),
            14 => bytes.extend(
                [[0xED, 0xA0, 0x80], [0xE0, 0x80, 0xAF], [0xF4, 0x90, 0x80]][(r >> 8) as usize % 3],
            ),
            _ => bytes.push(b'\n'),
        }
    }
    bytes
}

#[test]
fn each_piece_borrowed_or_decoded_joins_into_what_decode_gives() {
    let clean = SIMPLIFIED.repeat(3);
    let with_bom = [&b"\xEF\xBB\xBF"[..], clean.as_bytes()].concat();
    let mut sources = vec![clean.into_bytes(), with_bom, Vec::new()];
    sources.extend((1..=10).map(|seed| utf8_soup(seed, 200)));
    for bytes in &sources {
        assert_each_same_as_decode(bytes, &[]);
        for cut in 1..bytes.len() {
            assert_each_same_as_decode(bytes, &[cut]);
        }
        for chunk in [1, 2, 3, 5, 17] {
            let cuts: Vec<usize> = (chunk..bytes.len()).step_by(chunk).collect();
            assert_each_same_as_decode(bytes, &cuts);
        }
    }
    // Text with a little damage, longer than the prefix the ratio is first checked after.
    let (damaged, _) = with_stray_bytes(&SIMPLIFIED.repeat(200), &[500, 70_000, 90_001]);
    assert_each_same_as_decode(&damaged, &[1, 65_536, 70_001, 90_002]);
    // Too much damage: the same wrong-guess error at the same point.
    let soup = utf8_soup(77, PREFIX_BYTES + 5000);
    assert_each_same_as_decode(&soup, &[PREFIX_BYTES - 1, PREFIX_BYTES + 1]);
    // ... also where the text that reaches the end of the prefix is valid: the error comes
    // in the chunk that reaches it, not at the end of the file.
    let mut damaged_start = utf8_soup(5, PREFIX_BYTES / 2);
    while damaged_start.len() < 3 * PREFIX_BYTES {
        damaged_start.extend(SIMPLIFIED.as_bytes());
    }
    let boundary = |at: usize| {
        at + damaged_start[at..]
            .iter()
            .position(|&b| b & 0xC0 != 0x80)
            .unwrap()
    };
    let chunks = [boundary(PREFIX_BYTES + 1), boundary(2 * PREFIX_BYTES)];
    assert_each_same_as_decode(&damaged_start, &chunks);
    assert!(
        decode_utf8_cut(&damaged_start, &chunks, false, true)
            .0
            .len()
            < 2 * PREFIX_BYTES
    );
}

#[test]
fn valid_text_is_handed_over_without_a_copy() {
    let text = "法治政府建设 ok\n".repeat(100);
    let mut decoder = Decoder::new(text_detection(text.as_bytes(), true), true);
    let mut scratch = String::new();
    let mut pieces = Vec::new();
    decoder
        .decode_each(text.as_bytes(), true, &mut scratch, |piece| {
            pieces.push(piece.as_ptr())
        })
        .unwrap();
    assert_eq!(pieces, [text.as_ptr()]);
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

/// The messages users and reports see, word for word (the path is added by the caller).
#[test]
fn error_messages_name_the_encoding_and_suggest_another() {
    let malformed = |encoding| DecodeError::Malformed {
        encoding,
        offset: 7,
    };
    assert_eq!(
        malformed("GBK").to_string(),
        "invalid GBK at byte offset 7 (--strict allows none); if the file is in another \
         encoding, name it with --encoding (e.g. --encoding big5)"
    );
    let suggestions = [
        ("GBK", "big5"),
        ("GB18030", "big5"),
        ("Big5", "gbk"),
        ("UTF-16LE", "utf-16be"),
        ("UTF-16BE", "utf-16le"),
        ("UTF-8", "gbk"),
        ("windows-1252", "gbk"),
    ];
    for (encoding, suggested) in suggestions {
        let message = malformed(encoding).to_string();
        assert!(
            message.ends_with(&format!("(e.g. --encoding {suggested})")),
            "{message}"
        );
    }
    let wrong = |confidence| DecodeError::WrongEncoding {
        encoding: "Big5",
        confidence,
        replaced: 12,
        bytes: 3000,
        first_offset: 40,
    };
    assert_eq!(
        wrong(Confidence::Medium).to_string(),
        "guessed to be Big5, but 12 byte sequences in the first 3000 bytes are not valid Big5 \
         (the first at byte offset 40); name the right encoding with --encoding (e.g. --encoding gbk)"
    );
    assert_eq!(
        wrong(Confidence::Certain).to_string(),
        "decoded as Big5, but 12 byte sequences in the first 3000 bytes are not valid Big5 \
         (the first at byte offset 40); name the right encoding with --encoding (e.g. --encoding gbk)"
    );
    assert_eq!(wrong(Confidence::Low).offset(), 40);
    assert_eq!(malformed("GBK").offset(), 7);
    // No cause: the bytes themselves are the trouble.
    assert!(std::error::Error::source(&wrong(Confidence::High)).is_none());
}
