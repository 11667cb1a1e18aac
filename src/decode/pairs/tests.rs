use super::super::{Confidence, DecodeError, DecodeReport, Decoder, Detection};
use super::*;

/// The encodings with a pair table, as detection reports them.
const ENCODINGS: [&Encoding; 3] = [GBK, GB18030, BIG5];

fn detection(encoding: &'static Encoding) -> Detection {
    Detection {
        encoding,
        confidence: Confidence::High,
        bom_len: 0,
    }
}

/// Decodes `bytes` in the pieces `cuts` makes of it (offsets where a new chunk starts), with
/// the fast path or, for the expected result, with encoding_rs alone.
fn decode_cut(
    encoding: &'static Encoding,
    bytes: &[u8],
    cuts: &[usize],
    strict: bool,
    fast: bool,
) -> (String, Result<DecodeReport, DecodeError>) {
    let mut decoder = Decoder::new(detection(encoding), strict);
    if !fast {
        decoder.pairs = None;
    }
    let mut out = String::new();
    let mut bounds = vec![0];
    bounds.extend(cuts.iter().copied().filter(|&cut| cut < bytes.len()));
    bounds.push(bytes.len());
    for (i, piece) in bounds.windows(2).enumerate() {
        let last = i == bounds.len() - 2;
        if let Err(error) = decoder.decode(&bytes[piece[0]..piece[1]], last, &mut out) {
            return (out, Err(error));
        }
    }
    (out, Ok(decoder.report()))
}

fn assert_same_as_encoding_rs(encoding: &'static Encoding, bytes: &[u8], cuts: &[usize]) {
    for strict in [false, true] {
        assert_eq!(
            decode_cut(encoding, bytes, cuts, strict, true),
            decode_cut(encoding, bytes, cuts, strict, false),
            "{} {bytes:02X?} cut at {cuts:?}, strict {strict}",
            encoding.name()
        );
    }
}

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
fn every_byte_pair_decodes_as_encoding_rs_decodes_it() {
    for encoding in ENCODINGS {
        for lead in 0..=0xFF_u8 {
            // Each pair alone, between ASCII letters, and cut between its bytes.
            for trail in 0..=0xFF_u8 {
                assert_same_as_encoding_rs(encoding, &[lead, trail], &[]);
                assert_same_as_encoding_rs(encoding, &[b'a', lead, trail, b'z'], &[]);
                assert_same_as_encoding_rs(encoding, &[b'a', lead, trail, b'z'], &[2]);
            }
            // All pairs of the lead in a row, as one stream (a malformed pair may take the
            // next byte with it, or give back an ASCII one).
            let row: Vec<u8> = (0..=0xFF_u8).flat_map(|trail| [lead, trail]).collect();
            assert_same_as_encoding_rs(encoding, &row, &[]);
            assert_same_as_encoding_rs(encoding, &row, &[101, 301]);
        }
    }
}

/// Bytes of the kinds legacy Chinese files are made of: ASCII, two-byte characters,
/// GB18030 four-byte sequences, and damage (lone leads, stray bytes, bad trails).
fn byte_soup(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut bytes = Vec::with_capacity(len + 4);
    while bytes.len() < len {
        let r = next();
        let byte = |shift: u32, low: u64, high: u64| (low + (r >> shift) % (high - low + 1)) as u8;
        match r % 16 {
            0..=3 => bytes.push(byte(8, 0x20, 0x7E)),
            4..=10 => bytes.extend([byte(8, 0x81, 0xFE), byte(16, 0x40, 0xFE)]),
            11 => bytes.extend([
                byte(8, 0x81, 0x84),
                byte(16, 0x30, 0x39),
                byte(24, 0x81, 0xFE),
                byte(32, 0x30, 0x39),
            ]),
            12 => bytes.extend([byte(8, 0x81, 0xFE), byte(16, 0x00, 0x7F)]),
            13 => bytes.push(byte(8, 0x80, 0xFF)),
            14 => bytes.extend([0x80, 0xFF]),
            _ => bytes.push(b'\n'),
        }
    }
    bytes
}

#[test]
fn byte_soup_decodes_as_encoding_rs_decodes_it_cut_anywhere() {
    for encoding in ENCODINGS {
        for seed in 1..=12 {
            let soup = byte_soup(seed, 300);
            assert_same_as_encoding_rs(encoding, &soup, &[]);
            for cut in 1..soup.len() {
                assert_same_as_encoding_rs(encoding, &soup, &[cut]);
            }
            // Many small chunks.
            for chunk in [1, 2, 3, 5, 17] {
                let cuts: Vec<usize> = (chunk..soup.len()).step_by(chunk).collect();
                assert_same_as_encoding_rs(encoding, &soup, &cuts);
            }
        }
        // Longer than a block of the fast path and than a window of encoding_rs.
        let soup = byte_soup(99, 5000);
        for cut in (1..soup.len()).step_by(97) {
            assert_same_as_encoding_rs(encoding, &soup, &[cut, cut + 600]);
        }
    }
}

#[test]
fn mostly_clean_text_decodes_as_encoding_rs_decodes_it() {
    // Long runs of the fast path, with a rare sequence it leaves to encoding_rs.
    let text = "法治政府建设工作要点，结合科信局工作实际。Version 2.0 “放管服”\n".repeat(40);
    for encoding in ENCODINGS {
        let (clean, _, _) = encoding.encode(&text);
        let mut bytes = clean.into_owned();
        assert_same_as_encoding_rs(encoding, &bytes, &[]);
        assert_same_as_encoding_rs(encoding, &bytes, &[511, 512, 513, 1025]);
        for (at, rare) in [
            (700, &b"\x95\x32\x82\x36"[..]),
            (1500, b"\xFF"),
            (2100, b"\x80"),
            (2900, b"\x88\x62"),
        ] {
            let at = at.min(bytes.len());
            bytes.splice(at..at, rare.iter().copied());
        }
        assert_same_as_encoding_rs(encoding, &bytes, &[]);
        assert_same_as_encoding_rs(encoding, &bytes, &[701, 1501, 2101, 2901]);
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
                let expected = match (crate::text::is_han(c), super::super::is_common_han(c)) {
                    (true, true) => HAN | COMMON_HAN,
                    (true, false) => HAN,
                    _ => 0,
                };
                assert_eq!(classes, [expected], "{c}");
            }
        }
    }
}

#[test]
fn strict_still_fails_on_the_first_bad_byte() {
    let mut bytes = GBK.encode(&"科信局工作实际".repeat(100)).0.into_owned();
    bytes.insert(300, 0xFF);
    bytes.insert(900, 0xFF);
    let (text, result) = decode_cut(GBK, &bytes, &[], true, true);
    assert_eq!(
        result,
        Err(DecodeError::Malformed {
            encoding: "GBK",
            offset: 300
        })
    );
    // The text before it was decoded.
    assert_eq!(text, "科信局工作实际".repeat(100)[..450]);
}
