//! Replays the inputs the fuzzer found (`fixtures/fuzz/regressions/`) through every target of
//! the harness, under several chunkings: each once failed a property, each must pass now.
//! Inputs whose cause is not fixed yet wait in `fixtures/fuzz/pending/`, replayed by the
//! ignored test below (`cargo test --test it fuzz_regressions -- --ignored` shows where they
//! stand). See docs/FUZZING.md.

use crate::fuzz;

use std::path::{Path, PathBuf};

fn inputs(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|path| path.extension().is_some_and(|e| e == "bin"));
    files.sort();
    files
}

/// Every failure of every input, for one message listing them all.
fn failures(files: &[PathBuf]) -> Vec<String> {
    let mut failed = Vec::new();
    for path in files {
        let input = std::fs::read(path).unwrap();
        // The chunk sizes differ by seed: a few of them.
        for seed in 0..4 {
            if let Err(failure) = fuzz::check(&input, &fuzz::ALL, seed) {
                failed.push(format!("{}: {failure}", path.display()));
                break;
            }
        }
    }
    failed
}

#[test]
fn fuzz_regressions_pass() {
    let files = inputs("fixtures/fuzz/regressions");
    assert!(!files.is_empty(), "the regression inputs are missing");
    let failed = failures(&files);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
#[ignore = "inputs whose cause is not fixed yet; see fixtures/fuzz/pending/README.md"]
fn fuzz_pending_pass() {
    let failed = failures(&inputs("fixtures/fuzz/pending"));
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
