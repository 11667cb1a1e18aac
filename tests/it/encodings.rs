//! Every fixture in `fixtures/encodings/` (see its MANIFEST) goes through detection and the
//! streaming decoder, fed in small odd-sized chunks, and must give exactly the text of its UTF-8
//! original, with the right label.

use std::fs;
use std::path::{Path, PathBuf};

use zhclean::decode::{
    encoding_for_label, forced, sniff, Confidence, DecodeError, DecodeReport, Decoder, Detection,
    Sniff, PREFIX_BYTES,
};
use zhclean::encode::Encoder;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/encodings")
}

fn read(name: &str) -> Vec<u8> {
    fs::read(fixture_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

struct Entry {
    file: String,
    original: String,
    label: String,
    replaced_offsets: Vec<u64>,
}

fn manifest() -> Vec<Entry> {
    let text = fs::read_to_string(fixture_dir().join("MANIFEST")).unwrap();
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split(" | ").collect();
            assert_eq!(fields.len(), 5, "MANIFEST line: {line}");
            let replaced_offsets = match fields[3] {
                "-" => Vec::new(),
                list => list.split(',').map(|n| n.parse().unwrap()).collect(),
            };
            Entry {
                file: fields[0].to_string(),
                original: fields[1].to_string(),
                label: fields[2].to_string(),
                replaced_offsets,
            }
        })
        .collect()
}

/// What the caller does: sniff the first PREFIX_BYTES, then stream the whole file.
fn detect(bytes: &[u8]) -> Detection {
    let prefix = &bytes[..bytes.len().min(PREFIX_BYTES)];
    match sniff(prefix, bytes.len() <= PREFIX_BYTES) {
        Sniff::Text(detection) => detection,
        Sniff::Binary(binary) => panic!("taken as binary: {}", binary.kind),
    }
}

fn decode_in_chunks(
    bytes: &[u8],
    detection: Detection,
    chunk: usize,
) -> Result<(String, DecodeReport), DecodeError> {
    let mut decoder = Decoder::new(detection, false);
    let mut out = String::new();
    let mut pieces = bytes.chunks(chunk).peekable();
    while let Some(piece) = pieces.next() {
        decoder.decode(piece, pieces.peek().is_none(), &mut out)?;
    }
    Ok((out, decoder.report()))
}

const ODD_CHUNKS: [usize; 5] = [1, 3, 7, 61, 4093];

#[test]
fn every_fixture_decodes_to_its_original() {
    let entries = manifest();
    assert!(entries.len() >= 16);
    for entry in &entries {
        let bytes = read(&entry.file);
        let original = String::from_utf8(read(&entry.original)).unwrap();
        let detection = detect(&bytes);
        assert_eq!(detection.label(), entry.label, "{}", entry.file);
        if entry.replaced_offsets.is_empty() {
            assert_ne!(detection.confidence, Confidence::Low, "{}", entry.file);
        }
        for chunk in ODD_CHUNKS {
            let (text, report) = decode_in_chunks(&bytes, detection, chunk)
                .unwrap_or_else(|e| panic!("{}: {e}", entry.file));
            assert_eq!(
                report.replaced_offsets, entry.replaced_offsets,
                "{}",
                entry.file
            );
            assert_eq!(report.replaced, entry.replaced_offsets.len() as u64);
            assert_eq!(report.bytes_in, bytes.len() as u64);
            if entry.replaced_offsets.is_empty() {
                assert!(
                    text == original,
                    "{} (chunk {chunk}) differs from {}",
                    entry.file,
                    entry.original
                );
            } else {
                assert_eq!(
                    text.matches('\u{FFFD}').count(),
                    entry.replaced_offsets.len()
                );
                assert!(text.replace('\u{FFFD}', "") == original, "{}", entry.file);
            }
        }
    }
}

#[test]
fn manifest_lists_every_fixture() {
    let listed: Vec<String> = manifest().into_iter().map(|entry| entry.file).collect();
    for dir_entry in fs::read_dir(fixture_dir()).unwrap() {
        let name = dir_entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".txt") {
            assert!(listed.contains(&name), "{name} is not in MANIFEST");
        }
    }
}

#[test]
fn fixtures_are_real_encodings_not_copies() {
    // Guards against a generator that wrote UTF-8 everywhere.
    let original = read("simplified.utf8.txt");
    for name in [
        "simplified.gbk.txt",
        "simplified.utf16le.txt",
        "simplified-ext.gb18030.txt",
    ] {
        assert_ne!(read(name)[..64], original[..64], "{name}");
    }
    // The GB18030 file uses four-byte sequences (𠀀 is 95 32 82 36), the HKSCS file characters
    // outside Big5 proper.
    assert!(read("simplified-ext.gb18030.txt")
        .windows(4)
        .any(|w| w == b"\x95\x32\x82\x36"));
    let hk = String::from_utf8(read("traditional-hk.utf8.txt")).unwrap();
    let (_, _, unmappable) = encoding_rs::BIG5.encode(&hk);
    assert!(
        unmappable,
        "the HKSCS fixture must contain characters outside Big5 proper"
    );
}

/// A file that starts as UTF-8 (beyond the detection prefix) and continues in GBK, as archives
/// concatenated by hand do: detection is sure it is UTF-8, and the decoder must then fail,
/// naming UTF-8 and the offset where the GBK starts, rather than write mojibake.
#[test]
fn a_wrong_guess_fails_with_the_offset() {
    let utf8 = read("simplified.utf8.txt");
    let gbk = read("simplified.gbk.txt");
    let mut bytes = Vec::new();
    while bytes.len() <= PREFIX_BYTES {
        bytes.extend_from_slice(&utf8);
    }
    let gbk_start = bytes.len();
    bytes.extend_from_slice(&gbk);
    let detection = detect(&bytes);
    assert_eq!(detection.label(), "UTF-8");
    assert_eq!(detection.confidence, Confidence::High);
    let first_bad = gbk_start + gbk.iter().position(|b| *b >= 0x80).unwrap();
    for chunk in [7, 65536] {
        let error = decode_in_chunks(&bytes, detection, chunk).unwrap_err();
        match &error {
            DecodeError::WrongEncoding {
                encoding,
                first_offset,
                ..
            } => {
                assert_eq!(*encoding, "UTF-8");
                assert_eq!(*first_offset, first_bad as u64);
            }
            other => panic!("{other:?}"),
        }
        let message = error.to_string();
        assert!(message.contains(&first_bad.to_string()), "{message}");
        assert!(message.contains("--encoding"), "{message}");
    }
}

/// The user names the wrong encoding: the Big5 file forced to UTF-8 fails at its first
/// non-ASCII byte.
#[test]
fn a_wrong_forced_encoding_fails_with_the_offset() {
    let bytes = read("traditional.big5.txt");
    let utf8 = encoding_for_label("utf-8").unwrap();
    let detection = forced(utf8, &bytes);
    assert_eq!(detection.confidence, Confidence::Certain);
    let error = decode_in_chunks(&bytes, detection, 61).unwrap_err();
    let first_bad = bytes.iter().position(|b| *b >= 0x80).unwrap() as u64;
    assert_eq!(error.offset(), first_bad);
}

#[test]
fn forced_encoding_decodes_like_detection() {
    for (file, label) in [
        ("simplified.gbk.txt", "gbk"),
        ("traditional.big5.txt", "big5"),
        ("traditional-hk.big5hkscs.txt", "big5-hkscs"),
        ("simplified.utf16le-bom.txt", "utf-16"),
        ("simplified.utf16le.txt", "utf16le"),
    ] {
        let bytes = read(file);
        let detection = forced(encoding_for_label(label).unwrap(), &bytes);
        let forced_text = decode_in_chunks(&bytes, detection, 3).unwrap().0;
        let detected_text = decode_in_chunks(&bytes, detect(&bytes), 3).unwrap().0;
        assert!(forced_text == detected_text, "{file} as {label}");
    }
}

/// Encoding the decoded text back gives the legacy fixture byte for byte.
#[test]
fn encoding_round_trips_the_legacy_fixtures() {
    for (file, original, label) in [
        ("simplified.gbk.txt", "simplified.utf8.txt", "gbk"),
        (
            "simplified-ext.gb18030.txt",
            "simplified-ext.utf8.txt",
            "gb18030",
        ),
        ("traditional.big5.txt", "traditional.utf8.txt", "big5"),
    ] {
        let text = String::from_utf8(read(original)).unwrap();
        let mut encoder = Encoder::new(encoding_for_label(label).unwrap());
        let mut out = Vec::new();
        for piece in text.split_inclusive('。') {
            encoder.encode(piece, false, &mut out).unwrap();
        }
        encoder.encode("", true, &mut out).unwrap();
        assert!(out == read(file), "{file}");
    }
    // GBK cannot write the GB18030-only characters; the error names the first one.
    let text = String::from_utf8(read("simplified-ext.utf8.txt")).unwrap();
    let mut encoder = Encoder::new(encoding_for_label("gbk").unwrap());
    let error = encoder.encode(&text, true, &mut Vec::new()).unwrap_err();
    assert_eq!(error.character, '𠀀');
}
