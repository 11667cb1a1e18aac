//! `--jsonl` from the command line: the field of each record is cleaned exactly as a file of its
//! text is, every other byte of the line is kept, records keep their order whatever `--jobs`,
//! compressed shards round-trip, and bad lines are copied, named and counted (exit 2).

use crate::common;

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::zhclean;
use serde_json::Value;
use zhclean::jsonl::{FieldPath, Record};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/jsonl")
        .join(name)
}

/// What `zhclean clean` writes for a file holding `text`.
fn clean_as_file(dir: &Path, text: &str) -> String {
    let path = dir.join("doc.txt");
    fs::write(&path, text).unwrap();
    let out = zhclean().arg("clean").arg(&path).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The string at `path` in a JSON line.
fn field(line: &str, path: &str) -> String {
    let record = Record::parse(line).unwrap();
    let field = record.field(&FieldPath::parse(path).unwrap()).unwrap();
    field.text(&mut String::new()).unwrap().to_string()
}

/// A line with the value of `path` cut out: what must be the same before and after.
fn around(line: &str, path: &str) -> String {
    let record = Record::parse(line).unwrap();
    let span = record.field(&FieldPath::parse(path).unwrap()).unwrap().span;
    format!("{}…{}", &line[..span.start], &line[span.end..])
}

fn run_ok(args: &[&str]) -> String {
    let out = zhclean().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_field_equals_cleaning_its_text_as_a_file_and_nothing_else_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = fs::read_to_string(fixture("seeds.jsonl")).unwrap();
    let output = run_ok(&["clean", "--jsonl", fixture("seeds.jsonl").to_str().unwrap()]);
    let (before, after): (Vec<&str>, Vec<&str>) =
        (input.lines().collect(), output.lines().collect());
    assert_eq!(before.len(), after.len());
    let mut changed = 0;
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(
            field(new, "text"),
            clean_as_file(tmp.path(), &field(old, "text"))
        );
        // Every byte outside the field — spacing, key order, 1.0e3, a 23-digit id, escapes —
        // is the input's.
        assert_eq!(around(old, "text"), around(new, "text"));
        changed += usize::from(old != new);
    }
    assert!(changed >= 5, "the seeds need cleaning");
    // The already clean record is copied byte for byte.
    assert_eq!(before.last(), after.last());
    // A field written in ASCII escapes (Python's default) is written back in them.
    assert!(after[0].is_ascii());
}

#[test]
fn a_nested_field_is_cleaned_and_the_others_are_not() {
    let tmp = tempfile::tempdir().unwrap();
    let input = fs::read_to_string(fixture("nested.jsonl")).unwrap();
    let output = run_ok(&[
        "clean",
        "--jsonl",
        "--field",
        "doc.body",
        fixture("nested.jsonl").to_str().unwrap(),
    ]);
    for (old, new) in input.lines().zip(output.lines()) {
        assert_eq!(
            field(new, "doc.body"),
            clean_as_file(tmp.path(), &field(old, "doc.body"))
        );
        assert_ne!(old, new);
        assert_eq!(around(old, "doc.body"), around(new, "doc.body"));
    }
}

#[test]
fn bad_lines_are_copied_named_and_counted_and_the_run_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out_path = tmp.path().join("out.jsonl");
    let out = zhclean()
        .args(["clean", "--jsonl"])
        .arg(fixture("bad.jsonl"))
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    for line in [2, 4, 5, 6, 7] {
        assert!(
            stderr.contains(&format!("bad.jsonl:{line}: ")),
            "line {line}: {stderr}"
        );
    }
    assert!(stderr.contains("bad.jsonl:4: no field 'text'"), "{stderr}");
    assert!(stderr.contains("5 bad (copied unchanged)"), "{stderr}");
    let input = fs::read_to_string(fixture("bad.jsonl")).unwrap();
    let output = fs::read_to_string(&out_path).unwrap();
    let (before, after): (Vec<&str>, Vec<&str>) =
        (input.lines().collect(), output.lines().collect());
    assert_eq!(before.len(), after.len(), "nothing dropped");
    for i in 1..7 {
        assert_eq!(before[i], after[i], "line {}", i + 1);
    }
    assert_eq!(field(after[0], "text"), "第一段。\n");
    assert_eq!(field(after[7], "text"), "第二段\n");
    // The last record had no line break: it gets one.
    assert!(output.ends_with("}\n"));
}

/// Many records, in chunks cleaned by two threads: the same bytes as one thread, in order.
#[test]
fn records_keep_their_order_with_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let seeds = fs::read_to_string(fixture("seeds.jsonl")).unwrap();
    let mut big = String::new();
    for copy in 0..120 {
        for line in seeds.lines() {
            let mut value: Value = serde_json::from_str(line).unwrap();
            value["copy"] = copy.into();
            big += &value.to_string();
            big.push('\n');
        }
    }
    assert!(big.len() > 1 << 20, "several chunks");
    let input = tmp.path().join("big.jsonl");
    fs::write(&input, &big).unwrap();
    let one = run_ok(&["clean", "--jsonl", "-j1", input.to_str().unwrap()]);
    let two = run_ok(&["clean", "--jsonl", "-j2", input.to_str().unwrap()]);
    assert_eq!(one, two);
    let copies: Vec<i64> = two
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["copy"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert!(copies.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(copies.len(), seeds.lines().count() * 120);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn gunzip(path: &Path) -> String {
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(&fs::read(path).unwrap()[..])
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn compressed_shards_round_trip_by_their_names() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = fs::read(fixture("seeds.jsonl")).unwrap();
    let expected = run_ok(&["clean", "--jsonl", fixture("seeds.jsonl").to_str().unwrap()]);
    let gz = tmp.path().join("in.jsonl.gz");
    fs::write(&gz, gzip(&plain)).unwrap();
    // .gz in, .zst out.
    let zst = tmp.path().join("out.jsonl.zst");
    run_ok(&[
        "clean",
        "--jsonl",
        gz.to_str().unwrap(),
        "-o",
        zst.to_str().unwrap(),
    ]);
    let decoded = zstd::decode_all(&fs::read(&zst).unwrap()[..]).unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), expected);
    // .zst in, .gz out.
    let back = tmp.path().join("back.jsonl.gz");
    run_ok(&[
        "clean",
        "--jsonl",
        zst.to_str().unwrap(),
        "-o",
        back.to_str().unwrap(),
    ]);
    let text = gunzip(&back);
    // Cleaning clean records again changes nothing.
    assert_eq!(text, expected);
}

#[test]
fn standard_input_to_standard_output() {
    let input = fs::read(fixture("seeds.jsonl")).unwrap();
    let expected = run_ok(&["clean", "--jsonl", fixture("seeds.jsonl").to_str().unwrap()]);
    let out = zhclean()
        .args(["clean", "--jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn a_directory_of_shards_is_mirrored_and_other_files_are_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let shards = tmp.path().join("shards");
    let plain = fs::read(fixture("seeds.jsonl")).unwrap();
    fs::create_dir_all(shards.join("sub")).unwrap();
    fs::write(shards.join("a.jsonl"), &plain).unwrap();
    fs::write(shards.join("sub/b.jsonl.gz"), gzip(&plain)).unwrap();
    fs::write(shards.join("README.md"), "说明\n").unwrap();
    let out = tmp.path().join("out");
    let report = tmp.path().join("report.jsonl");
    let result = zhclean()
        .args(["clean", "--jsonl"])
        .arg(&shards)
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let expected = run_ok(&["clean", "--jsonl", fixture("seeds.jsonl").to_str().unwrap()]);
    assert_eq!(fs::read_to_string(out.join("a.jsonl")).unwrap(), expected);
    let text = gunzip(&out.join("sub/b.jsonl.gz"));
    assert_eq!(text, expected);
    assert!(!out.join("README.md").exists());
    // The report: one object per file, with its rule counts and record counts.
    let lines: Vec<Value> = fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let a = lines
        .iter()
        .find(|l| l["input"].as_str().unwrap().ends_with("a.jsonl"))
        .unwrap();
    assert_eq!(a["status"], "cleaned");
    assert_eq!(a["records"]["records"], 6);
    assert_eq!(a["records"]["unchanged"], 1);
    assert!(
        a["clean"]["rules"]["blank-lines"].as_u64().unwrap() > 0,
        "{a}"
    );
    let readme = lines
        .iter()
        .find(|l| l["input"].as_str().unwrap().ends_with("README.md"))
        .unwrap();
    assert_eq!(readme["status"], "skipped");
}

#[test]
fn the_report_field_says_what_was_done_to_each_record() {
    let output = run_ok(&[
        "clean",
        "--jsonl",
        "--report-field",
        "zhclean",
        fixture("seeds.jsonl").to_str().unwrap(),
    ]);
    let records: Vec<Value> = output
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[2]["zhclean"]["changed"], true);
    assert!(
        records[2]["zhclean"]["rules"]["pinyin-annotation"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert_eq!(
        records[5]["zhclean"],
        serde_json::json!({"changed": false, "rules": {}, "removed_han": {}})
    );
    // Added last, after the record's own fields.
    assert!(output
        .lines()
        .nth(2)
        .unwrap()
        .ends_with("\"removed_han\":{}}}"));
}

#[test]
fn check_diff_and_detect_read_records() {
    let seeds = fixture("seeds.jsonl");
    let seeds = seeds.to_str().unwrap();
    let out = zhclean()
        .args(["check", "--jsonl", seeds])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("seeds.jsonl: 5 of 6 records would change: "),
        "{stdout}"
    );

    let out = zhclean().args(["diff", "--jsonl", seeds]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!(
            "--- {seeds}:3 text\n+++ {seeds}:3 text (cleaned)\n"
        )),
        "{stdout}"
    );
    assert!(
        !stdout.contains(&format!("{seeds}:6 ")),
        "the clean record has no diff"
    );

    let out = zhclean()
        .args(["detect", "--jsonl", "--json", seeds])
        .output()
        .unwrap();
    assert!(out.status.success());
    let found: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found["records"], 6);
    assert_eq!(found["bad"], 0);
    let scripts = found["scripts"].as_object().unwrap();
    assert_eq!(
        scripts.values().map(|n| n.as_u64().unwrap()).sum::<u64>(),
        6
    );
    assert!(scripts.contains_key("simplified"), "{scripts:?}");

    let out = zhclean()
        .args(["check", "--jsonl"])
        .arg(fixture("bad.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn jsonl_options_that_make_no_sense_are_refused() {
    for args in [
        &["clean", "--jsonl", "--output-encoding", "gbk"][..],
        &["clean", "--jsonl", "--encoding", "gbk"],
        &["clean", "--field", "body"],
        &["clean", "--jsonl", "--field", "a..b"],
    ] {
        let out = zhclean().args(args).write_stdin("").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// A byte-order mark before the first record and CRLF line ends are the file's, and stay.
#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_kept() {
    let input = "\u{feff}{\"text\":\"　　正文。\"}\r\n{\"text\":\"正文。\\n\"}\r\n";
    let out = zhclean()
        .args(["clean", "--jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "\u{feff}{\"text\":\"正文。\\n\"}\r\n{\"text\":\"正文。\\n\"}\r\n"
    );
}

/// `--in-place` rewrites a shard that changes, atomically, and leaves one that does not as it
/// was (same bytes, same modification time).
#[test]
fn in_place_rewrites_only_shards_that_change() {
    let tmp = tempfile::tempdir().unwrap();
    let dirty = tmp.path().join("dirty.jsonl.gz");
    let clean = tmp.path().join("clean.jsonl");
    fs::write(&dirty, gzip("{\"text\":\"　　正文。\"}\n".as_bytes())).unwrap();
    fs::write(&clean, "{\"text\":\"正文。\\n\"}\n").unwrap();
    let before = fs::metadata(&clean).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    run_ok(&[
        "clean",
        "--jsonl",
        "--in-place",
        dirty.to_str().unwrap(),
        clean.to_str().unwrap(),
    ]);
    let text = gunzip(&dirty);
    assert_eq!(text, "{\"text\":\"正文。\\n\"}\n");
    assert_eq!(fs::metadata(&clean).unwrap().modified().unwrap(), before);
    let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(names.len(), 2, "no temporary file left");
}

/// The text of seed `prefix` (a fixture of the kind `clean` changes).
fn seed(prefix: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    let path = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            path.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(prefix)
        })
        .unwrap();
    fs::read_to_string(path).unwrap()
}

/// Writes `lines` as a shard, cleans it (`-j2`), and checks each record: its field at `path` is
/// the text cleaned as a file, and every byte around it is the input's.
fn check_fields(tmp: &Path, lines: &[String], path: &str) {
    let input = tmp.join("in.jsonl");
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let output = run_ok(&[
        "clean",
        "--jsonl",
        "-j2",
        "--field",
        path,
        input.to_str().unwrap(),
    ]);
    let after: Vec<&str> = output.lines().collect();
    assert_eq!(after.len(), lines.len());
    for (old, new) in lines.iter().zip(after) {
        assert_eq!(field(new, path), clean_as_file(tmp, &field(old, path)));
        assert_eq!(around(old, path), around(new, path));
    }
}

#[test]
fn escapes_surrogate_pairs_and_a_last_or_nested_field_read_as_json_reads_them() {
    let tmp = tempfile::tempdir().unwrap();
    let text = seed("002_");
    let first: String = text.chars().take(300).collect();
    // The seed's text as JSON, with escapes of every kind spliced in: a surrogate pair, `\u`
    // escapes of Han characters and of ASCII, quotes, backslashes, `\/`, tabs and line breaks.
    let escaped = |text: &str| {
        let json = serde_json::to_string(text).unwrap();
        let inner = &json[1..json.len() - 1];
        format!(r#""\ud83d\ude00\u4e2d\u6587 \u0041\"{inner}\"\t\/\\ \r\n{inner}\n\ud83d\ude00""#)
    };
    let value = escaped(&first);
    let lines = vec![
        // The field the last key, and the only one.
        format!(r#"{{"text":{value}}}"#),
        format!(r#"{{"id":1,"a":{{"b":2}},"text" : {value} }}"#),
        // A whole seed, far larger than a read of the pipeline's, and escapes throughout.
        format!(r#"{{"text":{},"id":2}}"#, escaped(&text.repeat(40))),
    ];
    check_fields(tmp.path(), &lines, "text");
    let nested = vec![
        format!(r#"{{"id":3,"a":{{"x":[1,"\u4e2d"],"b":{value}}},"text":"\u4e2d"}}"#),
        format!(r#"{{"a":{{"b":{value}}}}}"#),
    ];
    check_fields(tmp.path(), &nested, "a.b");
}

#[test]
fn a_nul_escape_makes_the_text_binary_as_in_a_file_and_the_record_is_copied() {
    let tmp = tempfile::tempdir().unwrap();
    let text = tmp.path().join("nul.txt");
    fs::write(&text, "a\0b 中文").unwrap();
    let as_file = zhclean().arg("clean").arg(&text).output().unwrap();
    assert!(!as_file.status.success(), "a file with NUL is refused");
    let line = r#"{"id":1,"text":"a\u0000b \u4e2d\u6587"}"#;
    let input = tmp.path().join("nul.jsonl");
    fs::write(&input, format!("{line}\n")).unwrap();
    let out = zhclean()
        .args(["clean", "--jsonl", input.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{line}\n"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("nul.jsonl:1:") && stderr.contains("NUL"),
        "{stderr}"
    );
}

/// A record longer than any document (a compressed shard of a few hundred KB can hold one of
/// 256 MiB, and cleaning it held about four times that in memory) fails its shard with a message
/// naming the line; nothing of that shard is written, and the other shards of the run are cleaned.
#[test]
fn a_record_longer_than_64_mib_fails_its_shard_by_name_and_memory_stays_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    let mut huge = b"{\"text\":\"ok\"}\n{\"text\":\"".to_vec();
    huge.resize(huge.len() + (65 << 20), b'a');
    huge.extend_from_slice(b"\"}\n");
    fs::write(dir.join("huge.jsonl.gz"), common::gzip(&huge)).unwrap();
    fs::write(dir.join("small.jsonl"), "{\"text\":\"第一段。\"}\n").unwrap();
    let out = zhclean()
        .args(["clean", "--jsonl", "-q"])
        .arg(&dir)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("huge.jsonl.gz") && stderr.contains("line 2 is longer than 64 MiB"),
        "{stderr}"
    );
    assert!(!tmp.path().join("out/huge.jsonl.gz").exists());
    assert!(tmp.path().join("out/small.jsonl").exists());
}
