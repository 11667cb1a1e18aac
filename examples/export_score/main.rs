//! Scores the cleaner on text that real tools extracted from Word and PDF exports:
//!
//! ```text
//! cargo run --release --example export_score -- fixtures/exports            # per profile
//! cargo run --release --example export_score -- DIR --worst 5                 # + worst files
//! cargo run --release --example export_score -- DIR --worst 5 --profile tika-pdf
//! cargo run --release --example export_score -- DIR --file pdftotext/doc007   # one file's diff
//! cargo run --release --example export_score -- fixtures/exports --damage 1    # synthetic damage
//! ```
//!
//! For each profile: files, micro CER (Levenshtein edits over characters, line breaks
//! included, summed over files / reference characters), files cleaned exactly, and LOST
//! characters (reference Han characters outside the longest common subsequence of the Han
//! characters of output and reference) with the number of files that lost any. The fixture
//! layout and how the sets are made: `fixtures/exports/make.sh`.
//!
//! `--damage SEED` scores synthetic damage instead (`damage.rs`: hard wraps, pages, pinyin,
//! markers, pinyin and markers as Tika reads them,
//! pinyin in pages): the references of DIR's `lo-txt` folder damaged under the seed, the
//! set written to a temporary folder (named on standard error, to read its inputs) and scored
//! as the real sets are, a kind of damage in place of a profile.

mod damage;
mod score;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::io::Write;

use score::{cases, clean_file, score, Case, Score, Totals};
use similar::{ChangeTag, TextDiff};

/// Lines are written through one locked handle; a reader that stops early (`| head`) ends the
/// program quietly instead of a panic on the broken pipe.
macro_rules! out {
    ($($arg:tt)*) => {
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    };
}

macro_rules! out_raw {
    ($($arg:tt)*) => {
        if write!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    };
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: export_score DIR [--worst N] [--profile PROFILE] [--file PROFILE/DOC] [--damage SEED]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = None;
    let mut worst = 0usize;
    let mut file = None;
    let mut only: Option<String> = None;
    let mut damage_seed: Option<u64> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--worst" => match it.next().and_then(|n| n.parse().ok()) {
                Some(n) => worst = n,
                None => return usage(),
            },
            "--profile" => match it.next() {
                Some(p) => only = Some(p.clone()),
                None => return usage(),
            },
            "--damage" => match it.next().and_then(|n| n.parse().ok()) {
                Some(seed) => damage_seed = Some(seed),
                None => return usage(),
            },
            "--file" => match it.next() {
                Some(f) => file = Some(f.trim_end_matches(".txt").to_string()),
                None => return usage(),
            },
            _ if dir.is_none() && !arg.starts_with("--") => dir = Some(PathBuf::from(arg)),
            _ => return usage(),
        }
    }
    let Some(mut dir) = dir else { return usage() };
    if let Some(seed) = damage_seed {
        match write_damaged_set(&dir, seed) {
            Ok(set) => {
                eprintln!("damaged set: {}", set.display());
                dir = set;
            }
            Err(e) => {
                eprintln!("{}: {e}", dir.join("lo-txt").display());
                return ExitCode::from(2);
            }
        }
    }
    let all = match cases(&dir) {
        Ok(mut all) if !all.is_empty() => {
            if let Some(p) = &only {
                all.retain(|c| &c.profile == p);
            }
            // The kinds of damage in the order `damage.rs` lists them (a stable sort keeps the
            // documents in order).
            all.sort_by_key(|c| damage::KINDS.iter().position(|k| *k == c.profile));
            all
        }
        Ok(_) => {
            eprintln!("no <profile>/<doc>.txt files under {}", dir.display());
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            return ExitCode::from(2);
        }
    };

    if let Some(name) = file {
        let Some(case) = all
            .iter()
            .find(|c| format!("{}/{}", c.profile, c.doc) == name)
        else {
            eprintln!("no such file: {name} (give PROFILE/DOC, e.g. pdftotext/doc003)");
            return ExitCode::from(2);
        };
        return match clean_file(case) {
            Ok((output, expected)) => {
                let s = score(&output, &expected);
                print_case(case, &s);
                print_diff(&output, &expected, usize::MAX);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}: {e}", case.input.display());
                ExitCode::from(2)
            }
        };
    }

    let mut results: Vec<(&Case, Score, String, String)> = Vec::new();
    for case in &all {
        match clean_file(case) {
            Ok((output, expected)) => {
                let s = score(&output, &expected);
                results.push((case, s, output, expected));
            }
            Err(e) => {
                eprintln!("{}: {e}", case.input.display());
                return ExitCode::from(2);
            }
        }
    }

    out!(
        "{:<18} {:>5} {:>8} {:>7} {:>8} {:>7}",
        "profile",
        "files",
        "CER %",
        "exact",
        "lost",
        "losing"
    );
    let mut total = Totals::default();
    let mut profiles: Vec<&str> = Vec::new();
    for (case, _, _, _) in &results {
        if !profiles.contains(&case.profile.as_str()) {
            profiles.push(&case.profile);
        }
    }
    for profile in profiles {
        let mut t = Totals::default();
        for (case, s, _, _) in &results {
            if case.profile == profile {
                t.add(s);
                total.add(s);
            }
        }
        if t.files > 0 {
            print_row(profile, &t);
        }
    }
    print_row("all", &total);

    if worst > 0 {
        results.sort_by(|a, b| {
            let ra = a.1.edits as f64 / a.1.chars.max(1) as f64;
            let rb = b.1.edits as f64 / b.1.chars.max(1) as f64;
            (b.1.lost, rb)
                .partial_cmp(&(a.1.lost, ra))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        for (case, s, output, expected) in results.iter().take(worst) {
            out!();
            print_case(case, s);
            print_diff(output, expected, 12);
        }
    }
    ExitCode::SUCCESS
}

/// The references of `dir`'s `lo-txt` folder (one paragraph per line, no footnotes), damaged
/// by every kind under `seed`, written beside themselves in a folder per kind of a temporary
/// folder, which is returned.
fn write_damaged_set(dir: &Path, seed: u64) -> std::io::Result<PathBuf> {
    let references = dir.join("lo-txt");
    let set = std::env::temp_dir().join(format!("zhclean-damage-{seed}"));
    if set.exists() {
        std::fs::remove_dir_all(&set)?;
    }
    for kind in damage::KINDS {
        std::fs::create_dir_all(set.join(kind))?;
    }
    for entry in std::fs::read_dir(&references)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let Some(doc) = name.strip_suffix(".expected.txt") else {
            continue;
        };
        let reference = std::fs::read_to_string(references.join(&name))?;
        for kind in damage::KINDS {
            let folder = set.join(kind);
            std::fs::write(folder.join(&name), &reference)?;
            let damaged = damage::damage(&reference, doc, kind, seed);
            std::fs::write(folder.join(format!("{doc}.txt")), damaged)?;
        }
    }
    Ok(set)
}

fn print_row(name: &str, t: &Totals) {
    out!(
        "{:<18} {:>5} {:>8.3} {:>3}/{:<3} {:>8} {:>7}",
        name,
        t.files,
        100.0 * t.cer(),
        t.exact,
        t.files,
        t.lost,
        t.files_losing
    );
}

fn print_case(case: &Case, s: &Score) {
    out!(
        "== {}/{}: {} edits / {} chars ({:.2} %), {} Han characters lost",
        case.profile,
        case.doc,
        s.edits,
        s.chars,
        100.0 * s.edits as f64 / s.chars.max(1) as f64,
        s.lost
    );
}

/// A line diff, reference as `-`, output as `+`, at most `hunks` groups of changes with one
/// line of context.
fn print_diff(output: &str, expected: &str, hunks: usize) {
    let diff = TextDiff::from_lines(expected, output);
    for (n, group) in diff.grouped_ops(1).iter().enumerate() {
        if n == hunks {
            out!("   …");
            break;
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Delete => "-",
                    ChangeTag::Insert => "+",
                    ChangeTag::Equal => " ",
                };
                out_raw!("{sign} {}", change.value());
                if change.missing_newline() {
                    out!();
                }
            }
        }
        out!("   ~~");
    }
}
