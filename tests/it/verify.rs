//! `check`, `diff` and `detect` (which write nothing and predict `clean`), `clean --in-place`,
//! `--skip-existing`, the report, and an interrupted run.

use crate::common;

use std::fs;
use std::path::Path;

use common::*;
use predicates::prelude::*;

/// A small tree: one file to clean, one clean, one binary, one in GBK.
fn tree(root: &Path) {
    write_tree(
        root,
        &[
            ("docs/dirty.txt", DIRTY.as_bytes()),
            ("docs/sub/clean.txt", CLEAN.as_bytes()),
            ("docs/pic.png", PNG),
        ],
    );
}

fn clean_tree(root: &Path) {
    write_tree(
        root,
        &[
            ("docs/a.txt", CLEAN.as_bytes()),
            ("docs/b/c.txt", CLEAN.as_bytes()),
        ],
    );
}

#[test]
fn check_lists_what_would_change_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    let before = snapshot(tmp.path());
    let output = zhclean()
        .current_dir(tmp.path())
        .args(["check", "docs"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("docs/dirty.txt: "), "{stdout}");
    assert!(
        stdout.contains("indentation ×1") && stdout.contains("trailing-space ×1"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("3 files: 1 would change, 1 unchanged, 1 skipped (binary)"));
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "check wrote or changed a file"
    );
}

#[test]
fn check_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    clean_tree(tmp.path());
    zhclean()
        .current_dir(tmp.path())
        .args(["check", "docs"])
        .assert()
        .code(0)
        .stdout("");
    // A missing input is an error, and the others are still checked.
    write_tree(tmp.path(), &[("dirty.txt", DIRTY.as_bytes())]);
    zhclean()
        .current_dir(tmp.path())
        .args(["check", "missing.txt", "dirty.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::starts_with("dirty.txt: "))
        .stderr(predicate::str::contains(
            "missing.txt: no such file or directory",
        ));
}

#[test]
fn check_predicts_clean() {
    // Whatever check says would change is exactly what clean reports as cleaned.
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    write_tree(
        tmp.path(),
        &[
            ("docs/no-newline.txt", "没有换行".as_bytes()),
            ("docs/crlf.txt", "一\r\n二\r\n".as_bytes()),
        ],
    );
    let check = zhclean()
        .current_dir(tmp.path())
        .args(["check", "docs"])
        .output()
        .unwrap();
    let mut predicted: Vec<String> = String::from_utf8(check.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split(": ").next().unwrap().to_string())
        .collect();
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "docs", "-o", "out", "--report", "r.jsonl"])
        .assert()
        .success();
    let mut cleaned: Vec<String> = fs::read_to_string(tmp.path().join("r.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["status"] == "cleaned")
        .map(|v| v["input"].as_str().unwrap().to_string())
        .collect();
    predicted.sort();
    cleaned.sort();
    assert_eq!(predicted, cleaned);
    assert_eq!(predicted.len(), 3, "{predicted:?}");
    let line_breaks_only = String::from_utf8(
        zhclean()
            .current_dir(tmp.path())
            .args(["check", "docs/no-newline.txt"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(line_breaks_only, "docs/no-newline.txt: line breaks\n");
}

#[test]
fn check_names_a_legacy_encoding() {
    let tmp = tempfile::tempdir().unwrap();
    // 正文。 in GBK.
    write_tree(tmp.path(), &[("gbk.txt", b"\xd5\xfd\xce\xc4\xa1\xa3\n")]);
    zhclean()
        .current_dir(tmp.path())
        .args(["check", "--encoding", "gbk", "gbk.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_match(r"^gbk\.txt: encoding \S+ → UTF-8\n$").unwrap());
}

#[test]
fn diff_shows_decoded_input_against_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    let before = snapshot(tmp.path());
    let output = zhclean()
        .current_dir(tmp.path())
        .args(["diff", "docs"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout
            .starts_with("--- docs/dirty.txt\t(UTF-8)\n+++ docs/dirty.txt\t(cleaned, UTF-8)\n@@ "),
        "{stdout}"
    );
    assert!(stdout.contains("\n-　　标题  \r\n"), "{stdout}");
    assert!(stdout.contains("\n+标题\n"), "{stdout}");
    assert!(!stdout.contains("clean.txt"), "{stdout}");
    assert!(!stdout.contains('\x1b'), "colour when not on a terminal");
    assert_eq!(snapshot(tmp.path()), before);
    // Nothing to change: no output, exit 0.
    let clean = tempfile::tempdir().unwrap();
    clean_tree(clean.path());
    zhclean()
        .current_dir(clean.path())
        .args(["diff", "docs"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn diff_colour_and_stat() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    zhclean()
        .current_dir(tmp.path())
        .args(["diff", "--color", "always", "docs/dirty.txt"])
        .env("NO_COLOR", "1")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\x1b[32m+标题\x1b[0m"));
    zhclean()
        .current_dir(tmp.path())
        .args(["diff", "--color", "auto", "docs/dirty.txt"])
        .env("NO_COLOR", "1")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\x1b").not());
    zhclean()
        .current_dir(tmp.path())
        .args(["diff", "--stat", "docs"])
        .assert()
        .code(1)
        .stdout(" docs/dirty.txt | -2 +2\n 1 file would change, 2 lines removed, 2 added\n");
}

/// The input shape that made `diff` quadratic: paragraphs, page-number lines, form feeds. The
/// diff is complete (every paragraph on both sides, in order) and exact (no coarse fallback).
#[test]
fn diff_of_a_long_paged_file_is_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let text: String = (0..6000)
        .map(|i| format!("正文第{i}段内容。\n- {i} -\n\u{c}"))
        .collect();
    write_tree(tmp.path(), &[("p.txt", text.as_bytes())]);
    let output = zhclean()
        .current_dir(tmp.path())
        .args(["diff", "p.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "1 file: 1 would change, 0 unchanged\n"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let cleaned = zhclean()
        .arg("clean")
        .write_stdin(text.as_bytes())
        .output()
        .unwrap()
        .stdout;
    // Rebuild both sides from the diff's lines.
    let (mut old, mut new) = (String::new(), String::new());
    for line in stdout.lines().skip(2) {
        if let Some(rest) = line.strip_prefix(' ') {
            old.push_str(rest);
            old.push('\n');
            new.push_str(rest);
            new.push('\n');
        } else if let Some(rest) = line.strip_prefix('-') {
            old.push_str(rest);
            old.push('\n');
        } else if let Some(rest) = line.strip_prefix('+') {
            new.push_str(rest);
            new.push('\n');
        }
    }
    let cleaned = String::from_utf8(cleaned).unwrap();
    assert!(!cleaned.is_empty());
    assert!(new == cleaned, "the + side is the cleaned file");
    // The input ends in a form feed with no newline: the diff marks it and carries it.
    assert!(stdout.contains("\n-\u{c}\n\\ No newline at end of file\n"));
    assert!(
        old.strip_suffix('\n') == Some(&text),
        "the - side is the input"
    );
}

/// Past the search deadline (here zero), `diff` still shows every change, as whole blocks, and
/// says so.
#[test]
fn diff_past_its_deadline_says_it_is_coarse() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    zhclean()
        .current_dir(tmp.path())
        .env("ZHCLEAN_DIFF_DEADLINE_MS", "0")
        .args(["diff", "docs/dirty.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\n+标题\n"))
        .stderr(predicate::str::contains(
            "docs/dirty.txt: no line-exact diff within 0 s",
        ));
}

#[test]
fn diff_of_same_text_in_other_bytes_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(tmp.path(), &[("gbk.txt", b"\xd5\xfd\xce\xc4\xa1\xa3\n")]);
    zhclean()
        .current_dir(tmp.path())
        .args(["diff", "--encoding", "gbk", "gbk.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "# the text is the same; the bytes change: encoding",
        ));
}

#[test]
fn diff_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..200 {
        write_tree(
            tmp.path(),
            &[(&format!("docs/{i:03}.txt"), DIRTY.repeat(50).as_bytes())],
        );
    }
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("zhclean"))
        .current_dir(tmp.path())
        .args(["diff", "docs"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is now closed.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
    assert!(output.status.code().is_some(), "killed by a signal");
}

#[test]
fn detect_one_line_per_file_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    write_tree(tmp.path(), &[("docs/lf.txt", "一\n二\n".as_bytes())]);
    let before = snapshot(tmp.path());
    let output = zhclean()
        .current_dir(tmp.path())
        .args(["detect", "docs"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines[0].starts_with("docs/dirty.txt: UTF-8 ("), "{stdout}");
    assert!(lines[0].contains("CRLF line endings"), "{stdout}");
    assert!(
        lines[0].contains("found ") && lines[0].contains("indentation ×1"),
        "{stdout}"
    );
    assert!(
        lines[1].contains("LF line endings, nothing to clean"),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with("docs/pic.png: not a text file"),
        "{stdout}"
    );
    assert!(lines[3].starts_with("docs/sub/clean.txt: "), "{stdout}");

    let json = zhclean()
        .current_dir(tmp.path())
        .args(["detect", "--json", "docs"])
        .output()
        .unwrap();
    let values: Vec<serde_json::Value> = String::from_utf8(json.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(values.len(), 4);
    assert_eq!(values[0]["input"], "docs/dirty.txt");
    assert_eq!(values[0]["encoding"], "UTF-8");
    assert_eq!(values[0]["line_endings"], "CRLF");
    assert_eq!(values[0]["artifacts"]["indentation"], 1);
    assert!(values[0]["script"].is_string());
    assert!(values[2]["binary"].is_string());
    assert_eq!(values[1]["artifacts"], serde_json::json!({}));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn rules_still_lists_the_rules() {
    zhclean()
        .args(["rules"])
        .assert()
        .success()
        .stdout(predicate::str::contains("indentation"));
}

#[test]
fn report_has_every_field_per_input() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "docs", "-o", "out", "--report", "r.jsonl"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "3 files: 1 cleaned, 1 unchanged, 1 skipped (binary)",
        ));
    let report = fs::read_to_string(tmp.path().join("r.jsonl")).unwrap();
    let values: Vec<serde_json::Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dirty = &values[0];
    assert_eq!(dirty["input"], "docs/dirty.txt");
    assert_eq!(dirty["output"], "out/dirty.txt");
    assert_eq!(dirty["status"], "cleaned");
    assert_eq!(dirty["bytes_in"], DIRTY.len());
    assert_eq!(dirty["bytes_out"], DIRTY_CLEANED.len());
    assert_eq!(dirty["decode"]["encoding"], "UTF-8");
    assert!(dirty["decode"]["confidence"].is_string());
    assert!(dirty["decode"]["replaced_offsets"].is_array());
    assert_eq!(dirty["clean"]["rules"]["indentation"], 1);
    assert!(dirty["clean"]["facts"].is_object());
    assert!(dirty["clean"]["warnings"].is_array());
    assert_eq!(values[1]["status"], "skipped");
    assert!(values[1]["reason"]
        .as_str()
        .unwrap()
        .contains("not a text file"));
    assert_eq!(values[2]["status"], "unchanged");
}

#[test]
fn in_place_replaces_changed_files_and_keeps_backups() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    let docs = tmp.path().join("docs");
    let clean_before = fs::metadata(docs.join("sub/clean.txt"))
        .unwrap()
        .modified()
        .unwrap();
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "--in-place", "--backup", ".orig", "docs"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "3 files: 1 cleaned, 1 unchanged, 1 skipped (binary)",
        ));
    assert_eq!(
        fs::read_to_string(docs.join("dirty.txt")).unwrap(),
        DIRTY_CLEANED
    );
    assert_eq!(
        fs::read_to_string(docs.join("dirty.txt.orig")).unwrap(),
        DIRTY
    );
    // Unchanged files are not rewritten and get no backup; binaries are left alone.
    assert_eq!(
        fs::metadata(docs.join("sub/clean.txt"))
            .unwrap()
            .modified()
            .unwrap(),
        clean_before
    );
    assert!(!docs.join("sub/clean.txt.orig").exists());
    assert_eq!(fs::read(docs.join("pic.png")).unwrap(), PNG);
    let names: Vec<_> = walk(&docs);
    assert_eq!(names.len(), 4, "{names:?}");
    // The output equal to the input is refused without --in-place.
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "docs/dirty.txt", "-o", "docs/dirty.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--in-place"));
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "--backup", ".orig", "docs"])
        .assert()
        .code(2);
}

#[test]
fn skip_existing_skips_up_to_date_outputs_only() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "docs", "-o", "out"])
        .assert()
        .success();
    // A newer input is cleaned again; the others are skipped.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write_tree(tmp.path(), &[("docs/sub/clean.txt", DIRTY.as_bytes())]);
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "docs", "-o", "out", "--skip-existing"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "3 files: 1 cleaned, 0 unchanged, 2 skipped (1 binary, 1 up to date)",
        ));
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/sub/clean.txt")).unwrap(),
        DIRTY_CLEANED
    );
}

/// Ctrl-C (or SIGTERM, as `kill` and batch schedulers send) half-way: complete outputs only,
/// no temporary files, exit 128 + the signal, and the same command with `--skip-existing`
/// finishes the job.
#[cfg(unix)]
#[test]
fn interrupted_run_leaves_complete_outputs_and_resumes() {
    for (signal, code, said) in [
        ("INT", 130, "interrupted after"),
        ("TERM", 143, "terminated (SIGTERM) after"),
    ] {
        interrupted_run(signal, code, said);
    }
}

#[cfg(unix)]
fn interrupted_run(signal: &str, code: i32, said: &str) {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let tmp = tempfile::tempdir().unwrap();
    // ~200 KiB per file: the run takes a while after the first outputs.
    let body = DIRTY.repeat(8_000);
    let expected = DIRTY_CLEANED.repeat(8_000);
    for i in 0..40 {
        write_tree(tmp.path(), &[(&format!("big/{i:03}.txt"), body.as_bytes())]);
    }
    let input_before = snapshot(&tmp.path().join("big"));
    let child = Command::new(assert_cmd::cargo::cargo_bin("zhclean"))
        .current_dir(tmp.path())
        .args(["clean", "big", "-o", "out", "-j", "2"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first outputs are complete, so the signal lands half-way through.
    let finished = |out: &Path| {
        walk(out)
            .iter()
            .filter(|p| {
                !p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".zhclean-tmp-")
            })
            .count()
    };
    let started = Instant::now();
    while finished(&tmp.path().join("out")) < 2 && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(2));
    }
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let outputs = walk(&tmp.path().join("out"));
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(stderr.contains(said), "{stderr}");
    assert!(outputs.len() < 40, "nothing was interrupted");
    assert!(outputs.len() >= 2, "{outputs:?}");
    for path in &outputs {
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(!name.starts_with(".zhclean-tmp-"), "temp file left: {name}");
        assert_eq!(
            fs::read_to_string(path).unwrap(),
            expected,
            "incomplete {name}"
        );
    }
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "big", "-o", "out", "--skip-existing"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "{} skipped (up to date)",
            outputs.len()
        )));
    let done = snapshot(&tmp.path().join("out"));
    assert_eq!(done.len(), 40);
    assert!(done.values().all(|bytes| bytes == expected.as_bytes()));
    assert_eq!(snapshot(&tmp.path().join("big")), input_before);
}

#[test]
fn progress_bar_only_when_asked_off_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    write_tree(
        tmp.path(),
        &[(
            "docs/set.zip",
            &zip_raw(&[(b"m.txt", DIRTY.as_bytes(), false)]),
        )],
    );
    let run = |extra: &[&str], out: &str| {
        let output = zhclean()
            .current_dir(tmp.path())
            .args(["clean", "--archives", "docs", "-o", out])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    // Not a terminal: no bar by default, one with --progress always (archive members counted).
    assert!(!run(&[], "o1").contains("files  ["));
    let forced = run(&["--progress", "always"], "o2");
    assert!(forced.contains("/4 files  ["), "{forced}");
    assert!(run(&["--progress", "always", "-q"], "o3").is_empty());
}
