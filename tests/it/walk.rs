//! What a document is, in a directory walk: hidden files and `.gitignore`d ones left out (as in
//! ripgrep and fd) unless `--hidden`/`--no-ignore`, `--glob`/`--exclude` to choose, and files of
//! data or markup skipped with a reason and counted, unless named on the command line. Archive
//! members follow the same rules.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// The tree a new user's folder might be: a repository's `.git/`, a hidden folder, an ignored
/// file, data files, prose and a Word document.
fn tree() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let docx =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/documents/simplified.docx"))
            .unwrap();
    write_tree(
        &tmp.path().join("in"),
        &[
            (".git/config", b"[core]\n\tbare = false\n"),
            (".hidden/x.txt", DIRTY.as_bytes()),
            (".gitignore", b"scratch.txt\n"),
            ("scratch.txt", DIRTY.as_bytes()),
            ("data.csv", "名称,数量\n苹果,3\n".as_bytes()),
            ("data.json", "{\"标题\": \"正文\"}\n".as_bytes()),
            ("notes.txt", DIRTY.as_bytes()),
            ("sub/report.docx", &docx),
        ],
    );
    tmp
}

/// Runs `clean in -o out` with `args` in the tree; returns the outputs written (relative to
/// `out`) and standard error.
fn clean(tmp: &Path, args: &[&str]) -> (Vec<PathBuf>, String) {
    let out = tmp.join("out");
    let _ = fs::remove_dir_all(&out);
    let assert = zhclean()
        .current_dir(tmp)
        .args(["clean", "in", "-o", "out"])
        .args(args)
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let written = walk(&out)
        .into_iter()
        .map(|p| p.strip_prefix(&out).unwrap().to_path_buf())
        .collect();
    (written, stderr)
}

fn paths(names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(PathBuf::from).collect()
}

#[test]
fn a_walk_cleans_the_prose_and_skips_hidden_ignored_and_data_files() {
    let tmp = tree();
    let (written, stderr) = clean(tmp.path(), &[]);
    assert_eq!(written, paths(&["notes.txt", "sub/report.docx.txt"]));
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/notes.txt")).unwrap(),
        DIRTY_CLEANED
    );
    // Data files are counted, each with its reason; hidden and ignored ones are not files of
    // the run at all.
    assert!(
        stderr.contains("in/data.csv: skipped: data or markup (.csv), not prose"),
        "{stderr}"
    );
    assert!(
        stderr.contains("in/data.json: skipped: data or markup (.json)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("4 files: 2 cleaned, 0 unchanged, 2 skipped (data or markup)"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(".git") && !stderr.contains("scratch"),
        "{stderr}"
    );
}

#[test]
fn hidden_reads_hidden_files_and_directories() {
    let tmp = tree();
    let (written, _) = clean(tmp.path(), &["--hidden"]);
    assert_eq!(
        written,
        paths(&[
            ".git/config",
            ".gitignore",
            ".hidden/x.txt",
            "notes.txt",
            "sub/report.docx.txt"
        ])
    );
}

#[test]
fn no_ignore_reads_what_gitignore_leaves_out() {
    let tmp = tree();
    let (written, _) = clean(tmp.path(), &["--no-ignore"]);
    assert_eq!(
        written,
        paths(&["notes.txt", "scratch.txt", "sub/report.docx.txt"])
    );
    // `.ignore` is read as `.gitignore` is.
    fs::write(tmp.path().join("in/.ignore"), "notes.txt\n").unwrap();
    let (written, _) = clean(tmp.path(), &[]);
    assert_eq!(written, paths(&["sub/report.docx.txt"]));
}

#[test]
fn glob_chooses_files_and_what_it_matches_is_cleaned_even_if_data() {
    let tmp = tree();
    let (written, stderr) = clean(tmp.path(), &["--glob", "*.txt"]);
    assert_eq!(written, paths(&["notes.txt"]));
    assert!(stderr.contains("1 file: 1 cleaned"), "{stderr}");
    let (written, stderr) = clean(tmp.path(), &["-g", "*.csv", "-g", "sub/*.docx"]);
    assert_eq!(written, paths(&["data.csv", "sub/report.docx.txt"]));
    assert!(!stderr.contains("skipped"), "{stderr}");
    // A path glob's `*` stays inside its directory.
    let (written, _) = clean(tmp.path(), &["--glob", "*/notes.txt"]);
    assert_eq!(written, Vec::<PathBuf>::new());
}

#[test]
fn exclude_leaves_out_files_and_whole_directories() {
    let tmp = tree();
    let (written, _) = clean(tmp.path(), &["--exclude", "sub"]);
    assert_eq!(written, paths(&["notes.txt"]));
    let (written, _) = clean(tmp.path(), &["--exclude", "notes.*", "--glob", "*.txt"]);
    assert_eq!(written, Vec::<PathBuf>::new());
}

#[test]
fn an_invalid_glob_is_a_usage_error() {
    let tmp = tree();
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "in", "-o", "out", "--glob", "a[b"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--glob a[b: not a valid glob"));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn a_data_file_named_on_the_command_line_is_cleaned() {
    let tmp = tree();
    // Cleaned as prose, as asked: its commas between Chinese words become full-width, which
    // is why a walk does not do it.
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "in/data.csv"])
        .assert()
        .success()
        .stdout("名称，数量\n苹果，3\n");
    // A hidden or ignored file named is read too.
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "in/.hidden/x.txt", "in/scratch.txt"])
        .assert()
        .success()
        .stdout(format!("{DIRTY_CLEANED}{DIRTY_CLEANED}"));
}

#[test]
fn archive_members_skip_data_and_hidden_members_unless_hidden() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = zip_raw(&[
        (b"a.txt", DIRTY.as_bytes(), false),
        (b"t.csv", b"a,b\n", false),
        (b".DS_Store", b"x\n", false),
        (b"docs/.hidden/b.txt", DIRTY.as_bytes(), false),
    ]);
    write_tree(tmp.path(), &[("in.zip", &zip)]);
    let run = |args: &[&str]| {
        let out = tmp.path().join("out");
        let _ = fs::remove_dir_all(&out);
        let assert = zhclean()
            .current_dir(tmp.path())
            .args(["clean", "in.zip", "-o", "out"])
            .args(args)
            .assert()
            .success();
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        let written: Vec<PathBuf> = walk(&out)
            .into_iter()
            .map(|p| p.strip_prefix(&out).unwrap().to_path_buf())
            .collect();
        (written, stderr)
    };
    let (written, stderr) = run(&[]);
    assert_eq!(written, paths(&["a.txt"]));
    assert!(
        stderr.contains("4 files: 1 cleaned, 0 unchanged, 3 skipped (1 data or markup, 2 hidden)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("in.zip:.DS_Store: skipped: a hidden member: add --hidden"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "in.zip:t.csv: skipped: data or markup (.csv), not prose (an archive member)"
        ),
        "{stderr}"
    );
    let (written, _) = run(&["--hidden"]);
    assert_eq!(
        written,
        paths(&[".DS_Store", "a.txt", "docs/.hidden/b.txt"])
    );
}
