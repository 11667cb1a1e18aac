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

/// The scan as it was, the vectorised checks from one malformed sequence to the next: what
/// the scan a sequence at a time through damage must find.
fn scan_stretch_by_stretch(prefix: &[u8], whole: bool, ratio: usize) -> Option<Utf8Scan> {
    let mut scan = Utf8Scan::default();
    let mut rest = prefix;
    loop {
        let valid_up_to = Encoding::utf8_valid_up_to(rest);
        scan.multibyte += count_multibyte(&rest[..valid_up_to]);
        match std::str::from_utf8(&rest[valid_up_to..]) {
            Ok(_) => return Some(scan),
            Err(error) => match error.error_len() {
                Some(len) => {
                    scan.malformed += 1;
                    rest = &rest[valid_up_to + len..];
                    if scan.malformed.saturating_mul(ratio) > scan.multibyte + rest.len() / 2 {
                        return None;
                    }
                }
                None => {
                    if whole {
                        scan.malformed += 1;
                    }
                    return Some(scan);
                }
            },
        }
    }
}

/// The scan finds what the scan stretch by stretch finds, on byte soups of ASCII, well-formed
/// characters of every length, GBK and Big5, stray and overlong bytes, surrogates, sequences cut
/// short inside and at the end; whole or not, at several tolerances of damage.
#[test]
fn the_scan_through_damage_finds_what_the_stretches_find() {
    let pieces: Vec<Vec<u8>> = vec![
        b"a".to_vec(),
        b"hello, world ".to_vec(),
        "é".into(),
        "中".into(),
        "，".into(),
        "𠀀".into(),
        SIMPLIFIED.into(),
        gbk("中文的段落，第3页"),
        big5("繁體中文"),
        vec![0x80],
        vec![0xBF],
        vec![0xC0, 0x80],
        vec![0xC1, 0xBF],
        vec![0xC2],
        vec![0xE0, 0x80, 0x80],
        vec![0xE0, 0xA0],
        vec![0xE4, 0xB8],
        vec![0xED, 0xA0, 0x80],
        vec![0xEF, 0xBF, 0xBD],
        vec![0xF0, 0x80, 0x80, 0x80],
        vec![0xF0, 0x90, 0x80],
        vec![0xF4, 0x8F, 0xBF, 0xBF],
        vec![0xF4, 0x90, 0x80, 0x80],
        vec![0xF5, 0x80],
        vec![0xFF],
    ];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..4000 {
        let mut bytes = Vec::new();
        let count = next() % 40;
        // Some rounds mostly damage, some mostly text, some a little of each.
        let damage_bias = round % 3;
        for _ in 0..count {
            let pick = next() as usize;
            let piece = match damage_bias {
                0 => &pieces[pick % pieces.len()],
                1 => &pieces[pick % 9],
                _ => &pieces[7 + pick % (pieces.len() - 7)],
            };
            bytes.extend_from_slice(piece);
        }
        let cut = if bytes.is_empty() {
            0
        } else {
            bytes.len() - (next() as usize % bytes.len().min(4))
        };
        let bytes = &bytes[..cut];
        for whole in [false, true] {
            for ratio in [1, 16, 1000] {
                assert_eq!(
                    Utf8Scan::of_unless_damaged(bytes, whole, ratio),
                    scan_stretch_by_stretch(bytes, whole, ratio),
                    "{bytes:02X?} whole {whole} ratio {ratio}"
                );
            }
        }
    }
    // Each kind of sequence alone, as std reads it.
    for piece in &pieces {
        for end in 1..=piece.len() {
            let bytes = &piece[..end];
            for whole in [false, true] {
                assert_eq!(
                    Utf8Scan::of_unless_damaged(bytes, whole, 16),
                    scan_stretch_by_stretch(bytes, whole, 16),
                    "{bytes:02X?}"
                );
            }
        }
    }
}
