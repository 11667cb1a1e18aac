use crate::decode::{DecodeError, Decoder};

use super::super::testing::*;
use super::*;

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

/// The scan first changes no answer: texts of GBK characters, digits, ASCII, four-byte
/// sequences at either alignment and stray bytes (0x80, 0xFF), of every length around the
/// scan's steps; and the count of bytes that are not ASCII is the plain one.
#[test]
fn four_byte_sequences_are_found_as_the_walk_finds_them() {
    let pieces: [&[u8]; 10] = [
        b"\xD6\xD0",
        b"1",
        b"23",
        b"a",
        b"\x95\x32\x82\x36",
        b"\x81",
        b"\x80",
        b"\xFF",
        b"\xCE\xC4",
        b"\x30",
    ];
    let mut state = 11u64;
    for len in 0..120 {
        for _ in 0..300 {
            let mut bytes = Vec::new();
            while bytes.len() < len {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Four-byte sequences rarely, so that most texts hold none.
                let pick = (state >> 33) as usize % (pieces.len() * 8);
                let piece = pieces[if pick < pieces.len() { pick } else { pick % 4 }];
                bytes.extend_from_slice(piece);
            }
            assert_eq!(
                has_gb18030_four_byte(&bytes),
                walks_to_four_byte_sequence(&bytes),
                "{bytes:02X?}"
            );
            assert_eq!(
                non_ascii_bytes(&bytes),
                bytes.iter().filter(|b| !b.is_ascii()).count()
            );
        }
    }
    let long = [0xC4u8; 70_000];
    assert_eq!(non_ascii_bytes(&long), long.len());
}
