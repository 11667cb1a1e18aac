//! Scores the cleaner on text that real tools extracted from Word and PDF exports:
//!
//! ```text
//! cargo run --release --example export_score -- fixtures/exports            # per profile
//! cargo run --release --example export_score -- DIR --worst 5                 # + worst files
//! cargo run --release --example export_score -- DIR --file pdftotext/doc007   # one file's diff
//! ```
//!
//! For each profile: files, micro CER (Levenshtein edits over characters, line breaks
//! included, summed over files / reference characters), files cleaned exactly, and LOST
//! characters (reference Han characters outside the longest common subsequence of the Han
//! characters of output and reference) with the number of files that lost any. The fixture
//! layout and how the sets are made: `fixtures/exports/make.sh`.

mod score;

use std::path::PathBuf;
use std::process::ExitCode;

use score::{cases, clean_file, score, Case, Score, Totals, PROFILES};
use similar::{ChangeTag, TextDiff};

fn usage() -> ExitCode {
    eprintln!("usage: export_score DIR [--worst N] [--file PROFILE/DOC]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = None;
    let mut worst = 0usize;
    let mut file = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--worst" => match it.next().and_then(|n| n.parse().ok()) {
                Some(n) => worst = n,
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
    let Some(dir) = dir else { return usage() };
    let all = match cases(&dir) {
        Ok(all) if !all.is_empty() => all,
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

    println!(
        "{:<18} {:>5} {:>8} {:>7} {:>8} {:>7}",
        "profile", "files", "CER %", "exact", "lost", "losing"
    );
    let mut total = Totals::default();
    for profile in PROFILES {
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
            println!();
            print_case(case, s);
            print_diff(output, expected, 12);
        }
    }
    ExitCode::SUCCESS
}

fn print_row(name: &str, t: &Totals) {
    println!(
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
    println!(
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
            println!("   …");
            break;
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Delete => "-",
                    ChangeTag::Insert => "+",
                    ChangeTag::Equal => " ",
                };
                print!("{sign} {}", change.value());
                if change.missing_newline() {
                    println!();
                }
            }
        }
        println!("   ~~");
    }
}
