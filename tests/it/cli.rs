//! The real binary, run the way users run it: as a filter, on files, on directory trees, and
//! on the mistakes users make.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn zhclean() -> Command {
    Command::cargo_bin("zhclean").unwrap()
}

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds")
}

/// Every file under `dir` with its bytes, sorted by relative path.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn filter_from_stdin_to_stdout() {
    zhclean()
        .arg("clean")
        .write_stdin("　　第一段。  \r\n\r\n第二段。\r\n")
        .assert()
        .success()
        .stdout("第一段。\n第二段。\n")
        .stderr("");
    zhclean()
        .args(["clean", "-"])
        .write_stdin("正文")
        .assert()
        .success()
        .stdout("正文\n");
}

#[test]
fn file_to_stdout_and_to_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.txt");
    fs::write(&input, "标题\n\n正文。\n").unwrap();
    zhclean()
        .arg("clean")
        .arg(&input)
        .assert()
        .success()
        .stdout("标题\n正文。\n");
    let output = tmp.path().join("out.txt");
    zhclean()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&output).unwrap(), "标题\n正文。\n");
    assert_eq!(
        fs::read_to_string(&input).unwrap(),
        "标题\n\n正文。\n",
        "input modified"
    );
}

#[test]
fn directory_tree_is_mirrored_and_inputs_are_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("archive");
    fs::create_dir_all(input.join("2021/科技局")).unwrap();
    for (i, seed) in fs::read_dir(seeds()).unwrap().enumerate() {
        let seed = seed.unwrap().path();
        let sub = if i % 2 == 0 { "2021/科技局" } else { "" };
        fs::copy(&seed, input.join(sub).join(seed.file_name().unwrap())).unwrap();
    }
    fs::write(
        input.join("2021/logo.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
    )
    .unwrap();
    let before = snapshot(&input);
    let output = tmp.path().join("corpus");

    zhclean()
        .args(["clean", "-j", "2"])
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "logo.png: skipped: not a text file (PNG image)",
        ))
        .stderr(predicate::str::contains(
            "6 files: 5 cleaned, 0 unchanged, 1 skipped (binary)",
        ));

    assert_eq!(snapshot(&input), before, "an input was modified");
    let written: Vec<_> = snapshot(&output)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    let expected: Vec<PathBuf> = before
        .iter()
        .map(|(p, _)| p.clone())
        .filter(|p| !p.ends_with("logo.png"))
        .collect();
    assert_eq!(written, expected);
}

#[test]
fn cleaning_twice_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let once = tmp.path().join("once");
    let twice = tmp.path().join("twice");
    zhclean()
        .arg("clean")
        .arg(seeds())
        .arg("-o")
        .arg(&once)
        .assert()
        .success();
    zhclean()
        .arg("clean")
        .arg(&once)
        .arg("-o")
        .arg(&twice)
        .assert()
        .success()
        .stderr(predicate::str::contains("5 files: 0 cleaned, 5 unchanged"));
    assert_eq!(snapshot(&once), snapshot(&twice));
}

#[test]
fn output_format_of_every_seed() {
    for seed in fs::read_dir(seeds()).unwrap() {
        let seed = seed.unwrap().path();
        let out = zhclean().arg("clean").arg(&seed).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).expect("output is UTF-8");
        let name = seed.display();
        assert!(!text.starts_with('\u{FEFF}'), "{name}: BOM");
        assert!(!text.contains('\r'), "{name}: CR");
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "{name}: final newline"
        );
        for line in text.lines() {
            assert!(!line.trim().is_empty(), "{name}: blank line");
            assert_eq!(
                line,
                line.trim_start_matches([' ', '\t', '\u{3000}']),
                "{name}: indentation"
            );
            assert_eq!(line, line.trim_end(), "{name}: trailing space");
        }
    }
}

#[test]
fn missing_input_is_named_and_the_others_still_run() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good.txt");
    fs::write(&good, "正文。\n").unwrap();
    let out = tmp.path().join("out");
    zhclean()
        .arg("clean")
        .arg(tmp.path().join("missing.txt"))
        .arg(&good)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing.txt: no such file or directory",
        ))
        .stderr(predicate::str::contains(
            "2 files: 0 cleaned, 1 unchanged, 1 failed",
        ));
    assert_eq!(
        fs::read_to_string(out.join("good.txt")).unwrap(),
        "正文。\n"
    );
}

#[test]
fn usage_mistakes_are_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("a.txt"), "正文\n").unwrap();
    zhclean()
        .arg("clean")
        .arg(&dir)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "is a directory: give an output directory with -o",
        ));
    zhclean()
        .arg("clean")
        .arg(&dir)
        .arg("-o")
        .arg(dir.join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("lies inside the input"));
    assert!(!dir.join("out").exists());
    zhclean()
        .args(["clean", "--disable", "no-such-rule"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule 'no-such-rule'"));
    zhclean()
        .args(["clean", "--encoding", "klingon"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--encoding klingon: unknown encoding",
        ));
}

#[test]
fn explicit_binary_file_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let png = tmp.path().join("scan.png");
    fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    zhclean()
        .arg("clean")
        .arg(&png)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "scan.png: not a text file (PNG image)",
        ));
}

#[test]
fn unwritable_output_fails_that_file_only() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    fs::write(input.join("a.txt"), "甲\n").unwrap();
    fs::write(input.join("sub/b.txt"), "乙\n").unwrap();
    let output = tmp.path().join("out");
    fs::create_dir(&output).unwrap();
    // A file where the output needs a directory: `sub/b.txt` cannot be written.
    fs::write(output.join("sub"), "in the way").unwrap();
    zhclean()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("b.txt: cannot write"))
        .stderr(predicate::str::contains("1 failed"));
    assert_eq!(fs::read_to_string(output.join("a.txt")).unwrap(), "甲\n");
    let leftovers: Vec<_> = fs::read_dir(&output)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "temp files left behind: {leftovers:?}");
}

#[test]
fn report_file_has_one_object_per_input() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.jsonl");
    zhclean()
        .arg("clean")
        .arg(seeds())
        .arg("-o")
        .arg(tmp.path().join("out"))
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[0]["input"]
        .as_str()
        .unwrap()
        .ends_with("000_b6b30a21da262d98.txt"));
    assert_eq!(lines[0]["status"], "cleaned");
    assert_eq!(lines[0]["decode"]["encoding"], "UTF-8");
    assert!(lines[4]["clean"]["rules"]["blank-lines"].as_u64().unwrap() > 70);
}

#[test]
fn report_dash_is_standard_output_when_the_text_goes_to_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = zhclean()
        .current_dir(tmp.path())
        .arg("clean")
        .arg(seeds())
        .arg("-o")
        .arg(tmp.path().join("out"))
        .args(["--report", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert!(!tmp.path().join("-").exists(), "a file named - was written");
    // Standard output carries the text when there is no -o: the report cannot go there too.
    zhclean()
        .current_dir(tmp.path())
        .arg("clean")
        .arg(seeds().join("000_b6b30a21da262d98.txt"))
        .args(["--report", "-"])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains(
            "--report -: standard output carries the cleaned text",
        ));
}

#[test]
fn rules_lists_every_rule() {
    zhclean()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("nfc"))
        .stdout(predicate::str::contains("blank-lines"));
}

/// The five seeds through the default pipeline, as a user runs it, against expected files read
/// by a person: the four Simplified seeds clean to `fixtures/expected/NAME.snap.txt` (the
/// snapshots of `tests/it/seeds.rs`), the Traditional seed 002 is converted too and cleans to
/// `NAME.simplified.txt`.
#[test]
fn seeds_clean_to_their_expected_files_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    zhclean()
        .arg("clean")
        .arg(seeds())
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let expected_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/expected");
    for seed in fs::read_dir(seeds()).unwrap() {
        let name = seed.unwrap().file_name().into_string().unwrap();
        let simplified = expected_dir.join(name.replace(".txt", ".simplified.txt"));
        let expected = if simplified.exists() {
            simplified
        } else {
            expected_dir.join(name.replace(".txt", ".snap.txt"))
        };
        assert_eq!(
            fs::read_to_string(out.join(&name)).unwrap(),
            fs::read_to_string(&expected).unwrap(),
            "{name} differs from {}",
            expected.display()
        );
    }
}

/// The same document in any encoding cleans to byte-identical output, detected without flags.
#[test]
fn every_encoding_gives_byte_identical_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/encodings");
    let manifest = fs::read_to_string(dir.join("MANIFEST")).unwrap();
    let mut checked = 0;
    for line in manifest.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split(" | ").collect();
        let (file, original, label, replaced) = (fields[0], fields[1], fields[2], fields[3]);
        if replaced != "-" {
            continue; // damaged copies differ by their U+FFFD; tested below
        }
        let clean = |name: &str| zhclean().arg("clean").arg(dir.join(name)).output().unwrap();
        let (got, want) = (clean(file), clean(original));
        assert!(
            got.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&got.stderr)
        );
        assert_eq!(
            got.stdout, want.stdout,
            "{file} ({label}) cleans differently from {original}"
        );
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} fixtures checked");
}

#[test]
fn a_few_bad_bytes_are_replaced_counted_and_warned_about() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/encodings");
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.jsonl");
    zhclean()
        .arg("clean")
        .arg(dir.join("traditional.big5-damaged.txt"))
        .arg("-o")
        .arg(tmp.path().join("out.txt"))
        .arg("--report")
        .arg(&report)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "traditional.big5-damaged.txt: warning: 2 undecodable bytes replaced with U+FFFD (first at byte 720) while reading as Big5",
        ));
    let record: serde_json::Value =
        serde_json::from_str(fs::read_to_string(&report).unwrap().trim()).unwrap();
    assert_eq!(
        record["decode"]["replaced_offsets"],
        serde_json::json!([720, 1706])
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("out.txt"))
            .unwrap()
            .matches('\u{FFFD}')
            .count(),
        2
    );
    // --strict refuses the same file, naming the offset, and writes nothing.
    zhclean()
        .args(["clean", "--strict"])
        .arg(dir.join("traditional.big5-damaged.txt"))
        .arg("-o")
        .arg(tmp.path().join("strict.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("720"));
    assert!(!tmp.path().join("strict.txt").exists());
}
