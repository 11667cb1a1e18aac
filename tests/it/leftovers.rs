//! What a run killed outright leaves, and inputs that never end or never begin: the temporary
//! files of a run killed with SIGKILL are removed by the next run into that directory (and a
//! run still writing there keeps its own; an older version's, unnamed by writer, once it has
//! gone a day unwritten), and a named pipe is read as standard input is — a
//! signal stops a run waiting for its writer — while a directory walk skips it with a note.

use crate::common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The temporary outputs in `dir`.
fn temp_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walk(dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".zhclean-tmp-"))
        .collect();
    names.sort();
    names
}

/// Waits (at most half a minute) until `dir` holds `n` temporary files, and returns them.
fn wait_for_temp_files(dir: &Path, n: usize) -> Vec<String> {
    let started = Instant::now();
    while temp_files(dir).len() < n && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    temp_files(dir)
}

/// `zhclean clean - -o out/NAME` in `dir`, reading a standard input it is given a first line
/// of and that stays open: the run has begun its output and waits for more.
fn waiting_run(dir: &Path, name: &str) -> Child {
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("zhclean"))
        .current_dir(dir)
        .args(["clean", "-", "-o", &format!("out/{name}")])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.as_mut().unwrap();
    stdin.write_all("　　这是一段正文。\n".as_bytes()).unwrap();
    stdin.flush().unwrap();
    child
}

/// A run killed with SIGKILL leaves its temporary file (nothing of it can run); the next run
/// into that directory removes it and says so. A run started while another is still writing
/// there leaves that one's temporary file alone, and the other finishes its output as usual.
#[cfg(unix)]
#[test]
fn the_next_run_removes_what_a_killed_run_left_and_nothing_of_a_live_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");

    let mut killed = waiting_run(tmp.path(), "killed.txt");
    let left = wait_for_temp_files(&out, 1);
    assert_eq!(left.len(), 1, "the first run never started");
    killed.kill().unwrap(); // SIGKILL
    killed.wait().unwrap();
    assert_eq!(
        temp_files(&out),
        left,
        "a killed run cannot remove anything"
    );

    // The next run: the killed run's file goes, its own comes.
    let mut live = waiting_run(tmp.path(), "live.txt");
    let started = Instant::now();
    while (temp_files(&out) == left || temp_files(&out).is_empty())
        && started.elapsed() < Duration::from_secs(30)
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    let live_temp = temp_files(&out);
    assert_eq!(live_temp.len(), 1, "{live_temp:?}");
    assert_ne!(live_temp, left);

    // A run beside it touches nothing of it, and has nothing to say.
    fs::write(tmp.path().join("in.txt"), DIRTY).unwrap();
    let beside = zhclean()
        .current_dir(tmp.path())
        .args(["clean", "in.txt", "-o", "out/beside.txt"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&beside.get_output().stderr).into_owned();
    assert!(!stderr.contains("temporary"), "{stderr}");
    assert_eq!(temp_files(&out), live_temp, "{stderr}");
    assert_eq!(
        fs::read_to_string(out.join("beside.txt")).unwrap(),
        DIRTY_CLEANED
    );

    // The live run was not disturbed: its input ends, and its output is whole. It had said
    // what it removed.
    drop(live.stdin.take());
    let finished = live.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&finished.stderr).into_owned();
    assert!(finished.status.success(), "{stderr}");
    assert!(
        stderr.contains("removed 1 temporary file")
            && stderr.contains(&format!("process {}", killed.id())),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(out.join("live.txt")).unwrap(),
        "这是一段正文。\n"
    );
    assert!(temp_files(&out).is_empty());
}

/// The same for an archive's members, written in subdirectories of the output: the run into
/// that tree removes a killed run's file wherever below it the file was left.
#[cfg(unix)]
#[test]
fn a_killed_runs_file_deep_in_an_archives_output_tree_is_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut killed = waiting_run(tmp.path(), "a/b/killed.txt");
    let left = wait_for_temp_files(&out, 1);
    assert_eq!(left.len(), 1, "the first run never started");
    killed.kill().unwrap();
    killed.wait().unwrap();

    let archive = tar_raw(&[(b"a/b/one.txt", DIRTY.as_bytes())]);
    fs::write(tmp.path().join("docs.tar"), archive).unwrap();
    let run = zhclean()
        .current_dir(tmp.path())
        .args(["clean", "--archives", "docs.tar", "-o", "out"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(stderr.contains("removed 1 temporary file"), "{stderr}");
    assert!(temp_files(&out).is_empty(), "{stderr}");
    assert_eq!(
        fs::read_to_string(out.join("a/b/one.txt")).unwrap(),
        DIRTY_CLEANED
    );
}

/// Temporary files named by an older version (which did not record the writing process in
/// the name): one unwritten for two days is removed, and the run says so; one written a minute
/// ago may be a run of that version still writing, and is left, named with the command that
/// removes it; a file that only begins like one is not touched, however old.
#[test]
fn an_older_versions_temporary_file_is_removed_after_a_day_and_named_before() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let written = |name: &str, ago: Duration| {
        let path = out.join(name);
        fs::write(&path, "半个").unwrap();
        let file = fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(std::time::SystemTime::now() - ago)
            .unwrap();
    };
    let day = Duration::from_secs(24 * 60 * 60);
    written(".zhclean-tmp-Old001", 2 * day);
    written(".zhclean-tmp-New001", Duration::from_secs(60));
    written(".zhclean-tmp-notes.txt", 2 * day);
    fs::write(tmp.path().join("in.txt"), DIRTY).unwrap();
    let run = zhclean()
        .current_dir(tmp.path())
        .args(["clean", "in.txt", "-o", "out/in.txt"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(
        stderr.contains("removed 1 temporary file in out left by an older version of zhclean"),
        "{stderr}"
    );
    assert!(
        stderr.contains("rm -- 'out/.zhclean-tmp-New001'"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("Old001") && !stderr.contains("notes"),
        "{stderr}"
    );
    assert_eq!(
        temp_files(&out),
        [".zhclean-tmp-New001", ".zhclean-tmp-notes.txt"]
    );
    assert_eq!(
        fs::read_to_string(out.join("in.txt")).unwrap(),
        DIRTY_CLEANED
    );

    // Quiet: the same files are left, and nothing is said.
    let run = zhclean()
        .current_dir(tmp.path())
        .args(["clean", "-q", "in.txt", "-o", "out/in.txt"])
        .assert()
        .success();
    assert!(run.get_output().stderr.is_empty());
    assert_eq!(
        temp_files(&out),
        [".zhclean-tmp-New001", ".zhclean-tmp-notes.txt"]
    );
}

/// Makes a named pipe.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = StdCommand::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

/// Writes `text` into the named pipe `pipe` once a reader has opened it, in a thread that
/// gives up after a minute (and says so) rather than wait forever for a reader that never
/// comes.
#[cfg(unix)]
fn write_once_read(pipe: std::path::PathBuf, text: &'static str) -> std::thread::JoinHandle<bool> {
    use std::os::unix::fs::OpenOptionsExt;
    std::thread::spawn(move || {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            // Without a reader, opening a pipe to write it without blocking fails (ENXIO).
            let opened = fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&pipe);
            if let Ok(mut file) = opened {
                file.write_all(text.as_bytes()).unwrap();
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    })
}

/// A named pipe named as input no writer ever opens: `open` would wait for one forever, and a
/// signal did nothing (the run was blocked before its first look at it). It stops as a run
/// blocked on standard input does; and a pipe that is written is read whole.
#[cfg(unix)]
#[test]
fn a_named_pipe_as_input_is_read_as_standard_input_is() {
    for (signal, code, said) in [
        ("TERM", 143, "terminated (SIGTERM)"),
        ("HUP", 129, "hung up (SIGHUP)"),
        ("INT", 130, "interrupted"),
    ] {
        for args in [
            &["clean", "pipe", "-o", "out/o.txt"][..],
            &["clean", "--jsonl", "pipe", "-o", "out/o.jsonl"][..],
        ] {
            let tmp = tempfile::tempdir().unwrap();
            mkfifo(&tmp.path().join("pipe"));
            let child = StdCommand::new(assert_cmd::cargo::cargo_bin("zhclean"))
                .current_dir(tmp.path())
                .args(args)
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            // Time to reach the pipe (a run that has not is stopped as well: nothing proves
            // more than that it stops).
            std::thread::sleep(Duration::from_millis(300));
            let (output, hung) = signal_and_wait(child, signal);
            assert!(!hung, "SIG{signal} {args:?}: still waiting for a writer");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
            assert!(stderr.contains(said), "{args:?}: {stderr}");
            assert!(temp_files(&tmp.path().join("out")).is_empty());
        }
    }

    let tmp = tempfile::tempdir().unwrap();
    let pipe = tmp.path().join("pipe");
    mkfifo(&pipe);
    let writer = write_once_read(pipe, DIRTY);
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "pipe", "-o", "out/o.txt"])
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    assert!(writer.join().unwrap(), "nothing opened the pipe to read it");
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/o.txt")).unwrap(),
        DIRTY_CLEANED
    );

    // What a pipe gives is new each time: never "up to date" for --skip-existing (its time
    // says nothing), so the run waits for the writer and reads it.
    let pipe = tmp.path().join("pipe");
    let writer = write_once_read(pipe, CLEAN);
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "--skip-existing", "pipe", "-o", "out/o.txt"])
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    assert!(writer.join().unwrap(), "nothing opened the pipe to read it");
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/o.txt")).unwrap(),
        CLEAN
    );
}

/// A named pipe found by a directory walk is skipped with a note, by every command that walks
/// (it was passed over in silence; opened, it would wait for a writer), and the files beside
/// it are cleaned.
#[cfg(unix)]
#[test]
fn a_walk_skips_a_named_pipe_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    write_tree(&dir, &[("a.txt", DIRTY.as_bytes())]);
    mkfifo(&dir.join("pipe.txt"));
    let run = zhclean()
        .current_dir(tmp.path())
        .args(["clean", "docs", "-o", "out"])
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(
        stderr.contains("pipe.txt") && stderr.contains("a named pipe"),
        "{stderr}"
    );
    assert!(stderr.contains("1 skipped"), "{stderr}");
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/a.txt")).unwrap(),
        DIRTY_CLEANED
    );
    assert!(!tmp.path().join("out/pipe.txt").exists());

    for args in [
        &["check", "docs"][..],
        &["diff", "docs"][..],
        &["detect", "--json", "docs"][..],
    ] {
        let output = zhclean()
            .current_dir(tmp.path())
            .args(args)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert_ne!(
            output.status.code(),
            None,
            "{args:?}: killed by the timeout"
        );
        assert_ne!(output.status.code(), Some(101), "{args:?}");
    }
}
