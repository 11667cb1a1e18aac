use encoding_rs::{GBK, UTF_8};

use super::super::testing::*;
use super::*;
use crate::decode::DecodeError;

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
