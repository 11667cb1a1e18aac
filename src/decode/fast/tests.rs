use encoding_rs::{BIG5, GB18030, GBK};

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
        decoder = decoder.without_fast_path();
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

/// A small deterministic random stream (xorshift64), so that failures repeat.
fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed | 1;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// Bytes of the kinds legacy Chinese files are made of: ASCII, two-byte characters,
/// GB18030 four-byte sequences, and damage (lone leads, stray bytes, bad trails).
fn byte_soup(seed: u64, len: usize) -> Vec<u8> {
    let mut next = xorshift(seed);
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

/// `bytes` decode as encoding_rs decodes them whole, cut once at every offset, and cut into
/// many small chunks.
fn assert_same_cut_anywhere(encoding: &'static Encoding, bytes: &[u8]) {
    assert_same_as_encoding_rs(encoding, bytes, &[]);
    for cut in 1..bytes.len() {
        assert_same_as_encoding_rs(encoding, bytes, &[cut]);
    }
    for chunk in [1, 2, 3, 5, 17] {
        let cuts: Vec<usize> = (chunk..bytes.len()).step_by(chunk).collect();
        assert_same_as_encoding_rs(encoding, bytes, &cuts);
    }
}

#[test]
fn byte_soup_decodes_as_encoding_rs_decodes_it_cut_anywhere() {
    for encoding in ENCODINGS {
        for seed in 1..=12 {
            assert_same_cut_anywhere(encoding, &byte_soup(seed, 300));
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

#[test]
fn every_utf16_unit_decodes_as_encoding_rs_decodes_it() {
    for (encoding, big_endian) in [(UTF_16LE, false), (UTF_16BE, true)] {
        let bytes_of = |unit: u16| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        };
        // All units in a row (surrogates among them, paired by chance or not), cut inside a
        // unit and between units.
        let all: Vec<u8> = (0..=0xFFFF_u16).flat_map(bytes_of).collect();
        assert_same_as_encoding_rs(encoding, &all, &[]);
        assert_same_as_encoding_rs(encoding, &all, &[1001, 0xD800 * 2 + 1, 0xDC00 * 2 + 2]);
        // Units around the edges of the fast path, alone and between ASCII letters.
        for unit in [
            0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF,
        ]
        .into_iter()
        .chain([0xE000, 0xFEFF, 0xFFFD, 0xFFFF])
        {
            let mut bytes = bytes_of(u16::from(b'a')).to_vec();
            bytes.extend(bytes_of(unit));
            bytes.extend(bytes_of(u16::from(b'z')));
            for cut in 0..bytes.len() {
                assert_same_as_encoding_rs(encoding, &bytes, &[cut]);
            }
        }
    }
}

/// UTF-16 of Chinese text with supplementary characters, lone surrogates and an odd byte.
fn utf16_soup(seed: u64, units: usize, big_endian: bool) -> Vec<u8> {
    let mut next = xorshift(seed);
    let mut soup: Vec<u16> = Vec::with_capacity(units + 2);
    while soup.len() < units {
        let r = next();
        let low = ((r >> 8) & 0xFFFF) as u16;
        match r % 16 {
            0..=3 => soup.push(0x20 + low % 0x5F),
            4..=10 => soup.push(0x4E00 + low % 0x5200),
            11 => soup.extend([0xD840 + low % 0x40, 0xDC00 + low % 0x400]),
            12 => soup.push(0xD800 + low % 0x800),
            13 => soup.push(low),
            _ => soup.push(u16::from(b'\n')),
        }
    }
    let mut bytes: Vec<u8> = soup
        .into_iter()
        .flat_map(|unit| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        })
        .collect();
    if seed % 2 == 0 {
        bytes.pop();
    }
    bytes
}

#[test]
fn utf16_soup_decodes_as_encoding_rs_decodes_it_cut_anywhere() {
    for (encoding, big_endian) in [(UTF_16LE, false), (UTF_16BE, true)] {
        for seed in 1..=10 {
            assert_same_cut_anywhere(encoding, &utf16_soup(seed, 200, big_endian));
        }
        // Longer than a block of the fast path.
        let soup = utf16_soup(99, 3000, big_endian);
        for cut in (1..soup.len()).step_by(89) {
            assert_same_as_encoding_rs(encoding, &soup, &[cut, cut + 1001]);
        }
    }
}

#[test]
fn utf16_with_a_lone_surrogate_fails_strict_at_its_offset() {
    let mut bytes: Vec<u8> = "法治政府建设"
        .repeat(50)
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.splice(200..200, [0x00, 0xD8]);
    let (text, result) = decode_cut(UTF_16LE, &bytes, &[], true, true);
    assert_eq!(
        result,
        Err(DecodeError::Malformed {
            encoding: "UTF-16LE",
            offset: 200
        })
    );
    assert_eq!(text, "法治政府建设".repeat(50)[..300]);
}
