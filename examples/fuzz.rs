//! A seeded mutation fuzzer on the stable toolchain: `cargo run --release --example fuzz --
//! --seconds 120 --seed 7`. It mutates the committed corpus (the seed documents, the encoding
//! fixtures, the strip / reflow / polish fixtures, a few archives) with byte flips and inserts of
//! the sequences that have broken text cleaners (form feeds, page-number lines, compatibility
//! ideographs, lone surrogates, GBK / Big5 fragments, BOMs, CRs, NULs, very long lines, pinyin
//! in parentheses), and runs each input through decoding, the whole `clean` pipeline, the
//! streaming cleaner, every conversion configuration and the archive readers, checking the
//! properties in `tests/it/fuzz/mod.rs`. A failing input is reduced and saved; the run exits 1
//! if anything failed. See docs/FUZZING.md.

#[path = "../tests/it/fuzz/mod.rs"]
mod harness;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use harness::{check, Failure, Fed, Rng, ALL};

/// Where the corpus is read from, relative to the repository.
const CORPUS_DIRS: [&str; 7] = [
    "fixtures/seeds",
    "fixtures/encodings",
    "fixtures/strip",
    "fixtures/reflow",
    "fixtures/polish",
    "fixtures/fuzz/archives",
    "fixtures/fuzz/regressions",
];

/// An input taking longer than this (all targets together) is a failure: a hang to be.
const SLOW: Duration = Duration::from_secs(10);

struct Args {
    seconds: u64,
    seed: u64,
    out: PathBuf,
    /// Stop at the first failure.
    stop: bool,
    /// How many inputs to save per kind of failure.
    per_kind: usize,
    /// Replay these files instead of fuzzing.
    replay: Vec<PathBuf>,
    /// Properties whose failures are reported and saved but do not fail the run (known open
    /// findings, listed in fixtures/fuzz/pending/, while they are being fixed).
    tolerate: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seconds: 60,
        seed: 1,
        out: PathBuf::from("target/fuzz-found"),
        stop: false,
        per_kind: 1,
        replay: Vec::new(),
        tolerate: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--seconds" => {
                args.seconds = value("--seconds")?
                    .parse()
                    .map_err(|_| "--seconds takes a number")?
            }
            "--seed" => {
                args.seed = value("--seed")?
                    .parse()
                    .map_err(|_| "--seed takes a number")?
            }
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--stop" => args.stop = true,
            "--per-kind" => {
                args.per_kind = value("--per-kind")?
                    .parse()
                    .map_err(|_| "--per-kind takes a number")?
            }
            "--replay" => args.replay.push(PathBuf::from(value("--replay")?)),
            "--tolerate" => args.tolerate.push(value("--tolerate")?),
            "-h" | "--help" => {
                return Err("usage: fuzz [--seconds N] [--seed S] [--out DIR] [--stop] [--per-kind N] [--tolerate PROPERTY]... [--replay FILE]...".into())
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    // Panics are caught and reported as failures; their default message would only be noise.
    std::panic::set_hook(Box::new(|_| {}));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !args.replay.is_empty() {
        let mut failed = false;
        for path in &args.replay {
            let input = std::fs::read(path).unwrap_or_else(|e| {
                eprintln!("{}: {e}", path.display());
                std::process::exit(2)
            });
            for seed in 0..8 {
                let began = Instant::now();
                let result = check(&input, &ALL, seed);
                let took = began.elapsed();
                if let Err(failure) = result {
                    println!("{}: {failure}", path.display());
                    failed = true;
                    break;
                }
                // Judged as the fuzzing loop judges it, so a slow input found there is still
                // found here, and a fixed one is seen to be fixed.
                if took > SLOW {
                    println!(
                        "{}: pipeline / slow: {:.1} s on {} bytes (seed {seed})",
                        path.display(),
                        took.as_secs_f64(),
                        input.len()
                    );
                    failed = true;
                    break;
                }
            }
        }
        std::process::exit(i32::from(failed));
    }
    let corpus = load_corpus(root);
    if corpus.is_empty() {
        eprintln!("no corpus found under {}", root.display());
        std::process::exit(2);
    }
    println!(
        "fuzz: seed {}, {} s, {} corpus files, failures to {}",
        args.seed,
        args.seconds,
        corpus.len(),
        args.out.display()
    );
    let mut rng = Rng::new(args.seed);
    let start = Instant::now();
    let end = start + Duration::from_secs(args.seconds);
    let mut runs = 0u64;
    let mut seen: HashMap<(Fed, &'static str, String), usize> = HashMap::new();
    let mut failures: Vec<(Failure, PathBuf)> = Vec::new();
    // Every corpus file as it is, first.
    let mut queue: Vec<Vec<u8>> = corpus.clone();
    while Instant::now() < end {
        let input = queue.pop().unwrap_or_else(|| mutate(&corpus, &mut rng));
        let seed = rng.next();
        let began = Instant::now();
        let result = check(&input, &ALL, seed);
        let took = began.elapsed();
        runs += 1;
        let failure = match result {
            Err(failure) => Some(failure),
            Ok(()) if took > SLOW => Some(Failure {
                target: Fed::Pipeline,
                property: "slow",
                detail: format!("{:.1} s on {} bytes", took.as_secs_f64(), input.len()),
            }),
            Ok(()) => None,
        };
        let Some(failure) = failure else { continue };
        // One report per distinct failure (its target, property and the first line of the
        // panic message or detail kind).
        let key = (failure.target, failure.property, signature(&failure));
        let count = seen.entry(key).or_default();
        *count += 1;
        if *count > args.per_kind {
            continue;
        }
        let reduced = if failure.property == "slow" {
            input
        } else {
            reduce(
                &input,
                &failure,
                seed,
                Instant::now() + Duration::from_secs(30),
            )
        };
        let path = save(&args.out, &failure, &reduced);
        println!(
            "FAIL {failure}\n     input {} ({} bytes, seed {seed})",
            path.display(),
            reduced.len()
        );
        failures.push((failure, path));
        if args.stop {
            break;
        }
    }
    println!(
        "fuzz: {runs} inputs in {:.0} s ({:.0}/s), {} distinct failure{}",
        start.elapsed().as_secs_f64(),
        runs as f64 / start.elapsed().as_secs_f64().max(0.001),
        failures.len(),
        if failures.len() == 1 { "" } else { "s" }
    );
    let gating = failures
        .iter()
        .filter(|(failure, _)| !args.tolerate.iter().any(|p| p == failure.property))
        .count();
    if gating < failures.len() {
        println!(
            "fuzz: {} of them tolerated (--tolerate {})",
            failures.len() - gating,
            args.tolerate.join(", ")
        );
    }
    if gating > 0 {
        std::process::exit(1);
    }
}

/// What makes two failures the same: for a panic, its message without numbers (a position);
/// otherwise the property and the option set it failed under ("options #3").
fn signature(failure: &Failure) -> String {
    if failure.property == "panic" {
        failure
            .detail
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect()
    } else {
        failure
            .detail
            .split_once(':')
            .map_or("", |(head, _)| head)
            .to_string()
    }
}

fn load_corpus(root: &Path) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    for dir in CORPUS_DIRS {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .filter(|bytes| !bytes.is_empty())
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if !path.extension().is_some_and(|e| e == "py" || e == "md")
            && path.file_name().is_some_and(|n| n != "MANIFEST")
        {
            files.push(path);
        }
    }
}

/// Byte sequences worth inserting: what page furniture, encodings and PDF extraction produce.
fn interesting(rng: &mut Rng) -> Vec<u8> {
    const FIXED: &[&[u8]] = &[
        b"\x0c",
        b"\r",
        b"\r\n",
        b"\n",
        b"\n\n",
        b"\0",
        b"\xef\xbb\xbf",     // UTF-8 BOM
        b"\xff\xfe",         // UTF-16LE BOM
        b"\xfe\xff",         // UTF-16BE BOM
        b"\x00\xd8",         // a lone high surrogate, UTF-16LE
        b"\xd8\x00",         // the same, UTF-16BE
        b"\x00\xdc\x41\x00", // a lone low surrogate then 'A', UTF-16LE
        b"\xd5\xfd\xce\xc4", // 正文 in GBK
        b"\xd5",             // half a GBK character
        b"\x81\x30\x81\x30", // a GB18030 four-byte sequence
        b"\xa4\xa4\xa4\xe5", // 中文 in Big5
        b"\xa4",             // half a Big5 character
        b"\x88\x62\x88\x64", // HKSCS characters in Big5-HKSCS
        "\n- 12 -\n".as_bytes(),
        "\n第 3 页\n".as_bytes(),
        "\n第3頁 共10頁\n".as_bytes(),
        "\n— 7 —\n".as_bytes(),
        "\n12\n".as_bytes(),
        "（zhōng wén）".as_bytes(),
        "(pīn yīn)".as_bytes(),
        "中(zhōng)".as_bytes(),
        "[bookmark: _GoBack]".as_bytes(),
        "[image: 图1]".as_bytes(),
        "　　".as_bytes(),
        "\u{a0}".as_bytes(),
        "\u{2fa1e}".as_bytes(),
        "\u{2fa1f}".as_bytes(),
        "\u{2f800}".as_bytes(), // a compatibility ideograph that decomposes
        "\u{301}".as_bytes(),   // a combining accent
        "e\u{301}".as_bytes(),
        "，".as_bytes(),
        "。\n".as_bytes(),
        "這裡的資料".as_bytes(),
        "这里的数据".as_bytes(),
        "1.".as_bytes(),
        "一、".as_bytes(),
        "\u{feff}".as_bytes(),
        "\u{2028}".as_bytes(),
        "\u{85}".as_bytes(),
        "\u{fffd}".as_bytes(),
        b"\xe4\xb8",     // a cut UTF-8 sequence
        b"\xed\xa0\x80", // an encoded surrogate (invalid UTF-8)
        b"\xc3\xa9",     // é, windows-1252 reads it as two letters
        b"\xe9\xe8\xe0", // windows-1252 letters, invalid UTF-8
    ];
    match rng.below(10) {
        // A compatibility ideograph U+FA6E..U+FAFF (some have no decomposition).
        0 => char::from_u32(0xFA6E + rng.below(0xFAFF - 0xFA6E + 1) as u32)
            .map_or_else(Vec::new, |c| c.to_string().into_bytes()),
        // A very long line, with or without punctuation to cut it at.
        1 => {
            let max = if rng.below(8) == 0 { 300_000 } else { 5_000 };
            let len = 1 + rng.below(max);
            let unit: &str = ["字", "a", "字，", " ", "—"][rng.below(5)];
            unit.repeat(len / unit.len() + 1).into_bytes()
        }
        // Random bytes.
        2 => (0..1 + rng.below(16)).map(|_| rng.next() as u8).collect(),
        _ => FIXED[rng.below(FIXED.len())].to_vec(),
    }
}

/// A corpus file, mutated 1 to 8 times.
fn mutate(corpus: &[Vec<u8>], rng: &mut Rng) -> Vec<u8> {
    let mut data = corpus[rng.below(corpus.len())].clone();
    // Mostly a piece of the file: small inputs run faster and reduce better.
    if data.len() > 4096 && rng.below(3) > 0 {
        let len = 256 + rng.below(4096);
        let start = rng.below(data.len() - len.min(data.len()) + 1);
        data = data[start..(start + len).min(data.len())].to_vec();
    }
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(9) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] = rng.next() as u8;
            }
            2 if !data.is_empty() => {
                let len = 1 + rng.below(64.min(data.len() - at.min(data.len() - 1)));
                let at = at.min(data.len() - 1);
                data.drain(at..(at + len).min(data.len()));
            }
            3 if !data.is_empty() => {
                // Duplicate a range (repeated lines are what furniture detection counts).
                let from = rng.below(data.len());
                let len = 1 + rng.below(200);
                let piece = data[from..(from + len).min(data.len())].to_vec();
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(data.len() + 1);
                    data.splice(at..at, piece.iter().copied());
                }
            }
            4 => {
                // Splice in a piece of another corpus file.
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let len = 1 + rng.below(512);
                    data.splice(
                        at..at,
                        other[from..(from + len).min(other.len())].iter().copied(),
                    );
                }
            }
            5 => data.truncate(at),
            _ => {
                let piece = interesting(rng);
                data.splice(at..at, piece);
            }
        }
    }
    data
}

/// Shrinks an input while it still fails the same way (same target and property; for a panic,
/// the same message): ranges removed, halving their size, then bytes simplified.
fn reduce(input: &[u8], failure: &Failure, seed: u64, deadline: Instant) -> Vec<u8> {
    let same = |candidate: &[u8]| match check(candidate, &[failure.target], seed) {
        Err(f) => f.property == failure.property && signature(&f) == signature(failure),
        Ok(()) => false,
    };
    let mut best = input.to_vec();
    let mut size = (best.len() / 2).max(1);
    while size >= 1 && Instant::now() < deadline {
        let mut at = 0;
        let mut progress = false;
        while at < best.len() && Instant::now() < deadline {
            let mut candidate = best.clone();
            candidate.drain(at..(at + size).min(best.len()));
            if same(&candidate) {
                best = candidate;
                progress = true;
            } else {
                at += size;
            }
        }
        if !progress {
            if size == 1 {
                break;
            }
            size /= 2;
        }
    }
    best
}

fn save(dir: &Path, failure: &Failure, input: &[u8]) -> PathBuf {
    let _ = std::fs::create_dir_all(dir);
    // FNV-1a: a stable name, so the same input found twice is one file.
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!(
        "{}-{}-{hash:016x}.bin",
        failure.target.name(),
        failure.property
    ));
    if let Err(e) = std::fs::write(&path, input) {
        eprintln!("cannot save {}: {e}", path.display());
    }
    path
}
