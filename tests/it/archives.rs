//! Archives as input: members cleaned into `-o DIR` mirroring their paths, GBK member names,
//! members that try to escape the output, archives inside directory walks, and the same report
//! whatever `--jobs` is.

use crate::common;

use std::fs;
use std::path::Path;

use common::*;

/// The members every archive test uses: a dirty text in a folder, a clean one, one named in
/// GBK (zip only), a binary one, and one that tries to climb out of the output directory.
fn zip_fixture() -> Vec<u8> {
    zip_raw(&[
        (b"docs/a.txt", DIRTY.as_bytes(), false),
        (b"b.txt", CLEAN.as_bytes(), false),
        (GBK_NAME, DIRTY.as_bytes(), false),
        (b"pic.png", PNG, false),
        (b"../evil.txt", DIRTY.as_bytes(), false),
    ])
}

fn tar_fixture() -> Vec<u8> {
    tar_raw(&[
        (b"docs/a.txt", DIRTY.as_bytes()),
        (b"b.txt", CLEAN.as_bytes()),
        (b"pic.png", PNG),
        (b"../evil.txt", DIRTY.as_bytes()),
    ])
}

/// Cleans `archive` (written as `name`) into `out/` and checks what came out.
fn clean_archive(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::process::Output) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_tree(&input, &[(name, bytes)]);
    let output = zhclean()
        .current_dir(tmp.path())
        .args(["clean", &format!("in/{name}"), "-o", "out/deep"])
        .output()
        .unwrap();
    // The archive itself is never touched.
    assert_eq!(fs::read(input.join(name)).unwrap(), bytes);
    (tmp, output)
}

fn assert_common_members(out: &Path, stderr: &str) {
    assert_eq!(
        fs::read_to_string(out.join("docs/a.txt")).unwrap(),
        DIRTY_CLEANED
    );
    assert_eq!(fs::read_to_string(out.join("b.txt")).unwrap(), CLEAN);
    assert!(!out.join("pic.png").exists(), "binary member written");
    // `../evil.txt` is refused, with a message, and written nowhere.
    assert!(
        stderr.contains("../evil.txt") && stderr.contains("refused"),
        "{stderr}"
    );
    let root = out.parent().unwrap().parent().unwrap();
    let evil: Vec<_> = walk(root)
        .into_iter()
        .filter(|p| p.ends_with("evil.txt"))
        .collect();
    assert!(evil.is_empty(), "{evil:?}");
}

#[test]
fn zip_members_are_cleaned_mirroring_their_paths() {
    let (tmp, output) = clean_archive("set.zip", &zip_fixture());
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The refused member is an error: exit 2, the others are still written.
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let out = tmp.path().join("out/deep");
    assert_common_members(&out, &stderr);
    assert_eq!(
        fs::read_to_string(out.join("报告.txt")).unwrap(),
        DIRTY_CLEANED,
        "GBK member name not decoded: {:?}",
        walk(&out)
    );
    assert!(
        stderr.contains("5 files: 2 cleaned, 1 unchanged, 1 skipped (binary), 1 failed"),
        "{stderr}"
    );
}

#[test]
fn tar_and_tar_gz_members_are_cleaned_mirroring_their_paths() {
    for (name, bytes) in [
        ("set.tar", tar_fixture()),
        ("set.tar.gz", gzip(&tar_fixture())),
        ("set.tgz", gzip(&tar_fixture())),
    ] {
        let (tmp, output) = clean_archive(name, &bytes);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert_common_members(&tmp.path().join("out/deep"), &stderr);
        assert!(
            stderr.contains("4 files: 1 cleaned, 1 unchanged, 1 skipped (binary), 1 failed"),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn utf8_flagged_and_unflagged_utf8_names_are_kept() {
    let zip = zip_raw(&[
        ("一/甲.txt".as_bytes(), CLEAN.as_bytes(), true),
        ("乙.txt".as_bytes(), CLEAN.as_bytes(), false),
    ]);
    let (tmp, output) = clean_archive("u.zip", &zip);
    assert!(output.status.success(), "{output:?}");
    let out = tmp.path().join("out/deep");
    assert!(out.join("一/甲.txt").is_file() && out.join("乙.txt").is_file());
}

#[test]
fn corrupt_archive_fails_alone() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(
        tmp.path(),
        &[
            ("in/bad.zip", b"not a zip at all"),
            ("in/ok.txt", DIRTY.as_bytes()),
        ],
    );
    let output = zhclean()
        .current_dir(tmp.path())
        .args(["clean", "in/bad.zip", "in/ok.txt", "-o", "out"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("in/bad.zip: not a readable zip archive"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/ok.txt")).unwrap(),
        DIRTY_CLEANED
    );
}

#[test]
fn archive_without_output_directory_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(tmp.path(), &[("a.zip", &zip_fixture())]);
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "a.zip"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "is an archive: give an output directory with -o",
        ));
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "--in-place", "a.zip"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--in-place cannot rewrite an archive",
        ));
}

/// A tree holding archives: skipped as binary in a walk unless `--archives` is given.
fn tree_with_archives(root: &Path) {
    write_tree(
        root,
        &[
            ("in/a.txt", DIRTY.as_bytes()),
            (
                "in/sub/set.zip",
                &zip_raw(&[(b"x.txt", DIRTY.as_bytes(), false)]),
            ),
            (
                "in/sub/more.tar.gz",
                &gzip(&tar_raw(&[(b"y/z.txt", CLEAN.as_bytes())])),
            ),
            ("in/z.txt", CLEAN.as_bytes()),
        ],
    );
}

#[test]
fn archives_in_a_walk_are_skipped_without_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    tree_with_archives(tmp.path());
    let before = snapshot(&tmp.path().join("in"));
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "in", "-o", "out"])
        .assert()
        .success()
        .stderr(predicates::str::contains("add --archives"))
        .stderr(predicates::str::contains(
            "4 files: 1 cleaned, 1 unchanged, 2 skipped (binary)",
        ));
    let written: Vec<_> = snapshot(&tmp.path().join("out")).into_keys().collect();
    assert_eq!(written, ["a.txt", "z.txt"].map(std::path::PathBuf::from));
    assert_eq!(snapshot(&tmp.path().join("in")), before);
}

#[test]
fn archives_in_a_walk_are_read_with_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    tree_with_archives(tmp.path());
    let before = snapshot(&tmp.path().join("in"));
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "--archives", "in", "-o", "out"])
        .assert()
        .success()
        .stderr(predicates::str::contains("4 files: 2 cleaned, 2 unchanged"));
    let out = tmp.path().join("out");
    assert_eq!(
        fs::read_to_string(out.join("sub/set/x.txt")).unwrap(),
        DIRTY_CLEANED
    );
    assert_eq!(
        fs::read_to_string(out.join("sub/more/y/z.txt")).unwrap(),
        CLEAN
    );
    assert_eq!(snapshot(&tmp.path().join("in")), before);
}

#[test]
fn report_order_is_the_same_whatever_the_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    tree_with_archives(tmp.path());
    for i in 0..12 {
        let content = if i % 3 == 0 { DIRTY } else { CLEAN };
        write_tree(
            tmp.path(),
            &[(&format!("in/many/{i:02}.txt"), content.as_bytes())],
        );
    }
    let mut reports = Vec::new();
    for jobs in ["1", "4"] {
        let report = format!("report-{jobs}.jsonl");
        zhclean()
            .current_dir(tmp.path())
            .args(["clean", "--archives", "in", "-j", jobs, "--report", &report])
            .args(["-o", &format!("out-{jobs}")])
            .assert()
            .success();
        let text = fs::read_to_string(tmp.path().join(&report)).unwrap();
        reports.push(text.replace(&format!("out-{jobs}"), "OUT"));
    }
    assert_eq!(reports[0], reports[1]);
    let inputs: Vec<String> = reports[0]
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["input"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(inputs.len(), 16);
    assert_eq!(inputs[0], "in/a.txt");
    assert_eq!(inputs[13], "in/sub/more.tar.gz:y/z.txt");
    assert_eq!(inputs[14], "in/sub/set.zip:x.txt");
}

#[test]
fn check_and_detect_read_archive_members() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(tmp.path(), &[("set.zip", &zip_fixture())]);
    let output = zhclean()
        .current_dir(tmp.path())
        .args(["check", "set.zip"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The escaping member is refused even though check writes nothing: exit 2.
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(stdout.contains("set.zip:docs/a.txt: "), "{stdout}");
    assert!(stdout.contains("set.zip:报告.txt: "), "{stdout}");
    assert!(!stdout.contains("b.txt"), "{stdout}");
    let detect = zhclean()
        .current_dir(tmp.path())
        .args(["detect", "set.zip"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&detect.stdout);
    assert!(stdout.contains("set.zip:b.txt: UTF-8"), "{stdout}");
    assert!(
        stdout.contains("set.zip:pic.png: not a text file"),
        "{stdout}"
    );
    assert_eq!(
        snapshot(tmp.path()).len(),
        1,
        "check or detect wrote something"
    );
}
