//! No input can crash a run: characters that once panicked, one failing document among many,
//! termination signals, archives that name a member twice, failures in `detect --json`, and
//! outputs that cannot be written. No run may end with Rust's panic exit code 101.

use crate::common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::*;
use predicates::prelude::*;

/// The code points of the CJK compatibility blocks that the normalization table does not map:
/// unassigned ones and the block's twelve unified ideographs. They once reached an `expect` in
/// the converter (exit 101).
fn unmapped_compatibility() -> Vec<char> {
    let mut chars: Vec<u32> = vec![0xFA0E, 0xFA0F, 0xFA11, 0xFA13, 0xFA14, 0xFA1F, 0xFA21];
    chars.extend([0xFA23, 0xFA24, 0xFA27, 0xFA28, 0xFA29, 0xFA6E, 0xFA6F]);
    chars.extend(0xFADA..=0xFAFF);
    chars.extend([0x2FA1E, 0x2FA1F]);
    chars.into_iter().filter_map(char::from_u32).collect()
}

/// Each of them inside a Traditional paragraph, one file each, through every command: nothing
/// panics, each comes out as it went in, and the text around it is still converted.
#[test]
fn compatibility_code_points_without_a_unified_form_pass_through_every_command() {
    let chars = unmapped_compatibility();
    assert_eq!(chars.len(), 54);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    for (k, c) in chars.iter().enumerate() {
        let text = format!("這個{c}國家的人們說，學習是一件長久的事情。\n");
        write_tree(&dir, &[(&format!("{k:02}.txt"), text.as_bytes())]);
    }
    let all: String = chars.iter().map(|c| format!("這個{c}國家\n")).collect();

    // convert -c t2s on standard input: each line converted around its character.
    let output = zhclean()
        .args(["convert", "-c", "t2s"])
        .write_stdin(all.as_bytes())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let expected: String = chars.iter().map(|c| format!("这个{c}国家\n")).collect();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);

    // clean, clean --to tw, clean --convert always, into directories.
    for (flags, out, converted) in [
        (&[][..], "s", "这个"),
        (&["--to", "tw"][..], "tw", "這個"),
        (&["--convert", "always"][..], "always", "这个"),
    ] {
        let output = zhclean()
            .current_dir(tmp.path())
            .args(["clean", "in", "-o", out])
            .args(flags)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{flags:?}: {output:?}");
        for (k, c) in chars.iter().enumerate() {
            let cleaned =
                fs::read_to_string(tmp.path().join(out).join(format!("{k:02}.txt"))).unwrap();
            assert!(
                cleaned.starts_with(&format!("{converted}{c}")),
                "{flags:?}: {cleaned}"
            );
        }
    }

    // check, diff and detect read every file and say so.
    let check = zhclean()
        .current_dir(tmp.path())
        .args(["check", "in"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    assert_eq!(String::from_utf8_lossy(&check.stdout).lines().count(), 54);
    let diff = zhclean()
        .current_dir(tmp.path())
        .args(["diff", "in"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1), "{diff:?}");
    let diff = String::from_utf8(diff.stdout).unwrap();
    for c in &chars {
        assert!(
            diff.contains(&format!("+这个{c}国家")),
            "U+{:04X}",
            *c as u32
        );
    }
    let detect = zhclean()
        .current_dir(tmp.path())
        .args(["detect", "--json", "in"])
        .output()
        .unwrap();
    assert_eq!(detect.status.code(), Some(0), "{detect:?}");
    assert_eq!(String::from_utf8_lossy(&detect.stdout).lines().count(), 54);
}

/// One document that fails among twenty: named, counted, in the report; the nineteen others
/// are written; exit 2.
#[test]
fn one_failing_document_among_twenty_is_that_documents_error() {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..20 {
        // Invalid UTF-8 in one file, which --strict refuses.
        let body: &[u8] = if i == 13 {
            b"\xe6\xad\xa3\xff\xfe\n"
        } else {
            DIRTY.as_bytes()
        };
        write_tree(tmp.path(), &[(&format!("in/{i:02}.txt"), body)]);
    }
    zhclean()
        .current_dir(tmp.path())
        .args([
            "clean",
            "in",
            "-o",
            "out",
            "--report",
            "r.jsonl",
            "--strict",
            "--encoding",
            "utf-8",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in/13.txt: invalid UTF-8"))
        .stderr(predicate::str::contains(
            "20 files: 19 cleaned, 0 unchanged, 1 failed",
        ));
    let written = walk(&tmp.path().join("out"));
    assert_eq!(written.len(), 19);
    assert!(!tmp.path().join("out/13.txt").exists());
    let report = fs::read_to_string(tmp.path().join("r.jsonl")).unwrap();
    assert_eq!(report.lines().count(), 20);
    let failed: Vec<&str> = report
        .lines()
        .filter(|l| l.contains(r#""status":"failed""#))
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].contains("in/13.txt") && failed[0].contains("invalid UTF-8"),
        "{}",
        failed[0]
    );
}

/// Files in `dir` that are temporary outputs.
fn temp_files(dir: &Path) -> Vec<String> {
    walk(dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".zhclean-tmp-"))
        .collect()
}

/// SIGTERM, SIGHUP and SIGINT to a run that is still reading standard input (so it cannot
/// have finished): it stops at its next chunk, removes its temporary output, says how to
/// resume, and exits with 128 + the signal.
#[cfg(unix)]
#[test]
fn termination_signals_stop_a_run_without_leftovers() {
    for (signal, code, said) in [
        ("TERM", 143, "terminated (SIGTERM)"),
        ("HUP", 129, "hung up (SIGHUP)"),
        ("INT", 130, "interrupted"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("zhclean"))
            .current_dir(tmp.path())
            .args(["clean", "-", "-o", "out/o.txt"])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let chunk = "　　这是一段正文，说明一些事情。\n".repeat(8_000);
        stdin.write_all(chunk.as_bytes()).unwrap();
        // The run has started: its temporary output is there.
        let started = Instant::now();
        while temp_files(&out).is_empty() && started.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(
            temp_files(&out).len(),
            1,
            "SIG{signal}: the run never started"
        );
        let kill = StdCommand::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        // Input keeps coming, so the signal lands while chunks are read and cleaned (a run
        // waiting for input is the next test); the run stops at its next chunk, and input is
        // written until the process is gone (a broken pipe) or a deadline passes.
        let fed = Instant::now();
        while fed.elapsed() < Duration::from_secs(30) {
            if stdin.write_all(chunk.as_bytes()).is_err() || stdin.flush().is_err() {
                break;
            }
        }
        // Standard input is still open: the run cannot end by finishing its input.
        let output = child.wait_with_output().unwrap();
        drop(stdin);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "SIG{signal}: {stderr}");
        assert!(stderr.contains(said), "{stderr}");
        assert!(stderr.contains("--skip-existing"), "{stderr}");
        assert!(
            temp_files(&out).is_empty(),
            "SIG{signal}: temporary file left"
        );
        assert!(
            !out.join("o.txt").exists(),
            "SIG{signal}: an unfinished output"
        );
    }
}

/// The same signals to a run blocked reading standard input: a pipe that stays open and writes
/// nothing more. The run must not wait for input that never comes (it did: the read went on
/// after the signal, and only a second signal, leaving the temporary file, ended it); it stops
/// as above, for `clean` and for `--jsonl`.
#[cfg(unix)]
#[test]
fn termination_signals_stop_a_run_blocked_reading_standard_input() {
    for (signal, code, said) in [
        ("TERM", 143, "terminated (SIGTERM)"),
        ("HUP", 129, "hung up (SIGHUP)"),
        ("INT", 130, "interrupted"),
    ] {
        for (args, line) in [
            (
                &["clean", "-", "-o", "out/o.txt"][..],
                "　　这是一段正文，说明一些事情。\n",
            ),
            (
                &["clean", "--jsonl", "-", "-o", "out/o.jsonl"][..],
                "{\"text\":\"　　这是一段正文，说明一些事情。\"}\n",
            ),
        ] {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("out");
            let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("zhclean"))
                .current_dir(tmp.path())
                .args(args)
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(line.repeat(100).as_bytes()).unwrap();
            stdin.flush().unwrap();
            let started = Instant::now();
            while temp_files(&out).is_empty() && started.elapsed() < Duration::from_secs(30) {
                std::thread::sleep(Duration::from_millis(5));
            }
            assert_eq!(temp_files(&out).len(), 1, "{args:?}: the run never started");
            // Nothing more is written and standard input stays open.
            let (output, hung) = signal_and_wait(child, signal);
            drop(stdin);
            assert!(!hung, "SIG{signal} {args:?}: still waiting for input");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(code),
                "SIG{signal} {args:?}: {stderr}"
            );
            assert!(stderr.contains(said), "{args:?}: {stderr}");
            assert!(
                temp_files(&out).is_empty(),
                "SIG{signal} {args:?}: temporary file left"
            );
        }
    }
}

/// A zip archive (and a tar archive) that names a member twice: both are kept, the second as
/// `name.2`, a member really named `name.2` after them as `name.2.2`; the user is told.
#[test]
fn duplicate_member_names_are_all_kept_under_distinct_names() {
    let zip = zip_raw(&[
        (b"dir/a.txt", "第一份。\n".as_bytes(), false),
        (b"b.txt", "另一个。\n".as_bytes(), false),
        (b"dir/a.txt", "第二份。\n".as_bytes(), false),
        (b"dir/a.txt.2", "真的叫这个名字。\n".as_bytes(), false),
    ]);
    let tar = tar_raw(&[
        (b"dir/a.txt", "第一份。\n".as_bytes()),
        (b"dir/a.txt", "第二份。\n".as_bytes()),
    ]);
    for (name, bytes, count) in [("d.zip", zip, 4), ("d.tar", tar, 2)] {
        let tmp = tempfile::tempdir().unwrap();
        write_tree(tmp.path(), &[(name, &bytes)]);
        let output = zhclean()
            .current_dir(tmp.path())
            .args(["clean", name, "-o", "out", "--report", "r.jsonl"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let read = |path: &str| fs::read_to_string(tmp.path().join("out").join(path)).unwrap();
        assert_eq!(read("dir/a.txt"), "第一份。\n");
        assert_eq!(read("dir/a.txt.2"), "第二份。\n");
        assert_eq!(walk(&tmp.path().join("out")).len(), count, "{name}");
        assert!(
            stderr.contains(&format!(
                "{name}:dir/a.txt: warning: its name is taken by an earlier member: written as dir/a.txt.2"
            )),
            "{stderr}"
        );
        let report = fs::read_to_string(tmp.path().join("r.jsonl")).unwrap();
        assert_eq!(report.lines().count(), count);
        assert!(
            report.contains(
                r#""duplicate":"its name is taken by an earlier member: written as dir/a.txt.2""#
            ),
            "{report}"
        );
        if name == "d.zip" {
            assert_eq!(read("b.txt"), "另一个。\n");
            assert_eq!(read("dir/a.txt.2.2"), "真的叫这个名字。\n");
            assert!(stderr.contains("4 files: 0 cleaned, 4 unchanged (2 archive members with the name of an earlier one, kept under another name)"), "{stderr}");
        } else {
            assert!(
                stderr.contains("(1 archive member with the name of an earlier one"),
                "{stderr}"
            );
        }
    }
}

/// `detect --json`: one object per input, whatever happened to it.
#[test]
fn detect_json_has_an_object_for_every_input() {
    let tmp = tempfile::tempdir().unwrap();
    // UTF-8 with one byte that is not: what --strict refuses.
    let mut bad_utf8 = "这是一段很长的正文，说明一些事情。\n"
        .repeat(20)
        .into_bytes();
    bad_utf8.insert(30, 0xFF);
    write_tree(
        tmp.path(),
        &[
            ("in/a.txt", DIRTY.as_bytes()),
            ("in/b.txt", &bad_utf8),
            ("in/c.png", PNG),
        ],
    );
    let output = zhclean()
        .current_dir(tmp.path())
        .args(["detect", "--json", "--strict", "in", "missing.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let inputs: Vec<&str> = objects
        .iter()
        .map(|o| o["input"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["missing.txt", "in/a.txt", "in/b.txt", "in/c.png"]);
    assert_eq!(objects[0]["error"], "no such file or directory");
    assert_eq!(objects[1]["encoding"], "UTF-8");
    let error = objects[2]["error"].as_str().unwrap();
    assert!(error.contains("invalid UTF-8"), "{stdout}");
    assert!(objects[3]["binary"].is_string(), "{stdout}");
    // Every line starts with the input, as a consumer reading them by eye expects.
    assert!(
        stdout.lines().all(|l| l.starts_with(r#"{"input":"#)),
        "{stdout}"
    );
}

/// A write error names the output that could not be written, and why; not the input.
#[cfg(unix)]
#[test]
fn write_errors_name_the_output_and_the_cause() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(
        tmp.path(),
        &[("ok.txt", DIRTY.as_bytes()), ("blocker", b"a file")],
    );
    // A full device (written in place, as devices are).
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "ok.txt", "-o", "/dev/full"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "ok.txt: cannot write /dev/full: no space left on device",
        ));
    // A file where the output's directory should be.
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "ok.txt", "-o", "blocker/o.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "ok.txt: cannot write blocker/o.txt: blocker is a file, not a directory",
        ));
    // Standard output that is full.
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = StdCommand::new(assert_cmd::cargo::cargo_bin("zhclean"))
        .current_dir(tmp.path())
        .args(["clean", "ok.txt"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot write standard output: no space left on device"),
        "{stderr}"
    );
    assert_eq!(
        fs::read(tmp.path().join("ok.txt")).unwrap(),
        DIRTY.as_bytes()
    );
}

/// An input that cannot be used at all (missing) is in the report too, as failed.
#[test]
fn the_report_names_inputs_that_could_not_be_used() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(tmp.path(), &[("a.txt", DIRTY.as_bytes())]);
    zhclean()
        .current_dir(tmp.path())
        .args([
            "clean",
            "a.txt",
            "missing.txt",
            "-o",
            "out",
            "--report",
            "r.jsonl",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "2 files: 1 cleaned, 0 unchanged, 1 failed",
        ));
    let report = fs::read_to_string(tmp.path().join("r.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["input"], "missing.txt");
    assert_eq!(lines[0]["status"], "failed");
    assert_eq!(lines[0]["reason"], "no such file or directory");
    assert_eq!(lines[1]["input"], "a.txt");
}

/// A file whose name is not UTF-8 (a GBK name, as archives from Chinese Windows unpack to on
/// Linux) is cleaned under its own name, and the report still has its line: a report once failed
/// as a whole ("path contains invalid UTF-8 characters") and the run exited 2.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_keeps_its_name_and_its_report_line() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let tmp = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"\xd6\xd0\xce\xc4.txt"); // 中文.txt in GBK
    fs::create_dir(tmp.path().join("in")).unwrap();
    fs::write(tmp.path().join("in").join(name), DIRTY).unwrap();
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "in", "-o", "out", "--report", "r.jsonl", "-q"])
        .assert()
        .success();
    assert!(tmp.path().join("out").join(name).is_file());
    let report = fs::read_to_string(tmp.path().join("r.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["status"], "cleaned");
    assert_eq!(
        lines[0]["output"],
        "out/\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}.txt"
    );
}
