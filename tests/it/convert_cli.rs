//! `zhclean convert`, run as a script would run `opencc -c CONFIG`.

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;

fn convert(config: &str, input: &str) -> String {
    let out = Command::cargo_bin("zhclean")
        .unwrap()
        .args(["convert", "-c", config])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn only_the_script_changes() {
    // Line endings, blank lines, indentation and the missing final newline are kept.
    assert_eq!(
        convert("t2s", "　　這裡的資料\r\n\r\n  蕭乾 著作"),
        "　　这里的资料\r\n\r\n  萧乾 著作"
    );
    // Punctuation is not widened, quotation marks are not swapped.
    assert_eq!(convert("t2s", "「開會」,(一)"), "「开会」,(一)");
}

#[test]
fn config_names_as_opencc_takes_them() {
    assert_eq!(convert("t2s.json", "漢字"), convert("t2s", "漢字"));
    assert_eq!(convert("tw2s", "這裡的資料"), "这里的资料");
    assert_eq!(convert("tw2sp", "這裡的資料"), "这里的数据");
    assert_eq!(convert("s2t", "汉字"), "漢字");
    Command::cargo_bin("zhclean")
        .unwrap()
        .args(["convert", "-c", "t2x"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected one of: t2s, s2t, tw2s"));
}

#[test]
fn files_trees_and_the_input_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    fs::write(input.join("sub/a.txt"), "國家\n\n").unwrap();
    let out = tmp.path().join("out");
    Command::cargo_bin("zhclean")
        .unwrap()
        .args(["convert", "-c", "t2s"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(out.join("sub/a.txt")).unwrap(),
        "国家\n\n"
    );
    Command::cargo_bin("zhclean")
        .unwrap()
        .args(["convert", "-c", "t2s", "-i"])
        .arg(input.join("sub/a.txt"))
        .assert()
        .success()
        .stdout("国家\n\n");
}
