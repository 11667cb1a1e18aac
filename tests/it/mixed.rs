//! Files whose lines are in different encodings (rule `mixed-encoding`), through the CLI: the
//! fixtures of `fixtures/repair/mixed` (made by `fixtures/repair/make_fixtures.py` from the
//! seeds with Python's codecs: GBK and UTF-8 files concatenated, a GBK header before a UTF-8
//! body, a GBK or a Big5 paragraph pasted into a UTF-8 file) are cleaned with exit 0 into what
//! their UTF-8 truth cleans into; and line-by-line decoding changes nothing in a file that
//! decodes cleanly in one encoding.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::zhclean;
use zhclean::decode::{detect_mixed, sniff, DecodeReport, Decoder, Sniff};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The mixed fixtures: (input, truth), by name.
fn mixed_cases() -> Vec<(PathBuf, PathBuf)> {
    let dir = fixtures().join("repair/mixed");
    let mut cases: Vec<(PathBuf, PathBuf)> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".truth.txt"))
        .map(|truth| {
            let input = PathBuf::from(truth.to_string_lossy().replace(".truth.txt", ".txt"));
            (input, truth)
        })
        .collect();
    cases.sort();
    cases
}

/// `zhclean clean ARGS FILE` to standard output: exit code, output.
fn clean(file: &Path, args: &[&str]) -> (i32, String) {
    let output = zhclean()
        .arg("clean")
        .arg("-q")
        .args(args)
        .arg(file)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).expect("UTF-8 output");
    (output.status.code().unwrap_or(-1), text)
}

// Levenshtein distance over characters: the real exports' scorer, checked there against the
// plain dynamic programme.
use crate::score::levenshtein as distance;

/// Character error rate of `output` against `truth`, line by line (both must have as many
/// lines: a long file's Levenshtein distance in one piece would take too long).
fn cer(output: &str, truth: &str) -> f64 {
    let (output, truth): (Vec<&str>, Vec<&str>) =
        (output.lines().collect(), truth.lines().collect());
    if output.len() != truth.len() {
        return 1.0;
    }
    let errors: usize = output
        .iter()
        .zip(&truth)
        .map(|(o, t)| {
            distance(
                &o.chars().collect::<Vec<_>>(),
                &t.chars().collect::<Vec<_>>(),
            )
        })
        .sum();
    let chars: usize = truth.iter().map(|t| t.chars().count()).sum();
    errors as f64 / chars.max(1) as f64
}

#[test]
fn mixed_files_are_cleaned_as_their_truth() {
    let cases = mixed_cases();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    let mut failed = Vec::new();
    for (input, truth) in &cases {
        let (code, output) = clean(input, &[]);
        let (_, want) = clean(truth, &[]);
        let rate = cer(&output, &want);
        eprintln!(
            "{:20} exit {code} CER {:6.3}%",
            input.file_name().unwrap().to_string_lossy(),
            rate * 100.0
        );
        if code != 0 || rate > 0.01 {
            failed.push((input.clone(), code, rate));
        }
    }
    assert!(failed.is_empty(), "{failed:?}");
}

#[test]
fn a_mixed_file_larger_than_a_chunk_streams() {
    // Every fixture, one after another, five times over: many 64 KiB chunks, whose ends fall
    // inside lines of either encoding.
    let dir = tempfile::tempdir().unwrap();
    let (mut input, mut truth) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        for (case, case_truth) in mixed_cases() {
            input.extend(fs::read(case).unwrap());
            input.push(b'\n');
            truth.extend(fs::read(case_truth).unwrap());
            truth.push(b'\n');
        }
    }
    assert!(input.len() > 4 * 64 * 1024, "{} bytes", input.len());
    let (input_path, truth_path) = (dir.path().join("in.txt"), dir.path().join("truth.txt"));
    fs::write(&input_path, &input).unwrap();
    fs::write(&truth_path, &truth).unwrap();
    let (code, output) = clean(&input_path, &[]);
    let (_, want) = clean(&truth_path, &[]);
    assert_eq!(code, 0);
    let rate = cer(&output, &want);
    assert!(rate <= 0.01, "CER {rate}");
}

#[test]
fn disabled_the_file_fails_as_before() {
    let concat = fixtures().join("repair/mixed/concat-0.txt");
    let (code, _) = clean(&concat, &["--disable", "mixed-encoding"]);
    assert_eq!(code, 2);
    let (code, _) = clean(&concat, &[]);
    assert_eq!(code, 0);
}

#[test]
fn check_and_detect_name_the_lines() {
    let pasted = fixtures().join("repair/mixed/pasted-1.txt");
    let check = zhclean().arg("check").arg(&pasted).output().unwrap();
    let said = String::from_utf8(check.stdout).unwrap();
    assert!(
        said.contains("mixed-encoding ×1 (GBK: line "),
        "check said: {said}"
    );
    let detect = zhclean().arg("detect").arg(&pasted).output().unwrap();
    let said = String::from_utf8(detect.stdout).unwrap();
    assert!(
        said.contains("UTF-8 (medium) with GBK on 1 line"),
        "detect said: {said}"
    );
    assert!(said.contains("mixed-encoding ×1"), "detect said: {said}");
    let json = zhclean()
        .args(["detect", "--json"])
        .arg(&pasted)
        .output()
        .unwrap();
    let said = String::from_utf8(json.stdout).unwrap();
    assert!(
        said.contains(r#""mixed":[{"encoding":"GBK","lines":1,"line_numbers":["#),
        "{said}"
    );
}

#[test]
fn zhclean_rules_lists_the_rule() {
    let rules = zhclean().arg("rules").output().unwrap();
    let said = String::from_utf8(rules.stdout).unwrap();
    assert!(said.contains("mixed-encoding"), "{said}");
}

/// Detection and decoding as `clean` does them, with line-by-line decoding on or off, the file
/// fed in `chunk`-byte pieces.
fn decode(bytes: &[u8], mixed: bool, chunk: usize) -> (String, DecodeReport) {
    let whole = bytes.len() <= zhclean::decode::PREFIX_BYTES;
    let prefix = &bytes[..bytes.len().min(zhclean::decode::PREFIX_BYTES)];
    let Sniff::Text(mut detection) = sniff(prefix, whole) else {
        panic!("binary");
    };
    if mixed {
        detection = detect_mixed(detection, prefix, whole);
    }
    let mut decoder: Decoder = Decoder::new(detection, false).with_mixed_lines(mixed);
    let mut out = String::new();
    let mut pieces = bytes.chunks(chunk).peekable();
    while let Some(piece) = pieces.next() {
        // A wrong guess fails the same with or without: what is compared is up to there.
        if decoder
            .decode(piece, pieces.peek().is_none(), &mut out)
            .is_err()
        {
            break;
        }
    }
    (out, decoder.report())
}

/// Correct text in every encoding it is written in: the encoding fixtures (damaged ones too),
/// and the seeds and the Traditional fixtures encoded anew.
fn correct_files() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let encodings = fixtures().join("encodings");
    for entry in fs::read_dir(&encodings).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            files.push((path.display().to_string(), fs::read(&path).unwrap()));
        }
    }
    for entry in fs::read_dir(fixtures().join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        for encoding in [
            encoding_rs::UTF_8,
            encoding_rs::GBK,
            encoding_rs::GB18030,
            encoding_rs::BIG5,
        ] {
            let (bytes, _, unmappable) = encoding.encode(&text);
            if !unmappable {
                files.push((
                    format!("{} as {}", path.display(), encoding.name()),
                    bytes.into(),
                ));
            }
        }
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        files.push((format!("{} as UTF-16LE", path.display()), utf16));
    }
    for name in ["traditional.utf8.txt", "traditional-hk.utf8.txt"] {
        let text = fs::read_to_string(encodings.join(name)).unwrap();
        let (bytes, _, _) = encoding_rs::BIG5.encode(&text);
        files.push((format!("{name} as Big5"), bytes.into()));
    }
    files
}

#[test]
fn files_in_one_encoding_decode_exactly_as_before() {
    let files = correct_files();
    assert!(files.len() >= 30, "only {} files", files.len());
    for (name, bytes) in &files {
        for chunk in [7, 4093, 1 << 20] {
            let (before, before_report) = decode(bytes, false, chunk);
            let (after, after_report) = decode(bytes, true, chunk);
            assert!(
                before == after,
                "{name} (chunk {chunk}) decodes differently"
            );
            assert_eq!(before_report, after_report, "{name} (chunk {chunk})");
            assert!(after_report.mixed.is_empty(), "{name}");
        }
    }
}
