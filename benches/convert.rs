//! Conversion throughput: `cargo bench --bench convert` (set `ZHCLEAN_BENCH_QUICK=1` for one
//! short iteration, as CI does).
//!
//! - Traditional → Simplified (tw2s and t2s) over ≥ 100 MB of Traditional text, one thread,
//!   paragraph by paragraph, table loading included.
//! - Simplified text through the `clean` gate (auto mode): the cost of finding nothing to do.
//! - Simplified text forced through the converter (always mode): characters changed.
//!
//! With `ZHCLEAN_BENCH_FILE=PATH` it instead converts that file line by line, as a command-line
//! converter would (read, convert, write to `ZHCLEAN_BENCH_OUT`, default `/dev/null`), with
//! `ZHCLEAN_BENCH_CONFIG` (default `t2s`): `benches/convert-vs-opencc.sh` uses this to time
//! zhclean against Debian's `opencc` on the same file in the same run.

use std::time::Instant;

use zhclean::report::{Counts, Measure};
use zhclean::rules::RuleSet;
use zhclean::stages::convert::{
    Config, ConvertMode, ConvertOptions, ConvertStage, Converter, Target,
};
use zhclean::stages::{Line, LineStage};

/// Wall-clock and CPU time since a start. CPU time (Linux: the thread's time on a CPU, from
/// `/proc/thread-self/schedstat`) is the fairer figure on a machine shared with other work.
struct Timer {
    wall: Instant,
    cpu: Option<f64>,
}

fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

impl Timer {
    fn start() -> Timer {
        Timer {
            wall: Instant::now(),
            cpu: cpu_seconds(),
        }
    }

    /// "N MB/s (M MB/s of CPU time)" for `mb` megabytes, and the wall-clock seconds.
    fn rate(&self, mb: f64) -> (String, f64) {
        let wall = self.wall.elapsed().as_secs_f64();
        let cpu = self.cpu.zip(cpu_seconds()).map(|(a, b)| b - a);
        let text = match cpu {
            Some(cpu) => format!("{:.0} MB/s ({:.0} MB/s of CPU time)", mb / wall, mb / cpu),
            None => format!("{:.0} MB/s", mb / wall),
        };
        (text, wall)
    }
}

fn seeds(prefixes: &[&str]) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            prefixes.iter().any(|prefix| name.starts_with(prefix))
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
        .collect()
}

/// `text` repeated to at least `bytes`, as paragraphs.
fn corpus(text: &str, bytes: usize) -> Vec<String> {
    let paragraphs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes {
        for p in &paragraphs {
            out.push(p.to_string());
            total += p.len();
        }
    }
    out
}

fn mb(paragraphs: &[String]) -> f64 {
    paragraphs.iter().map(|p| p.len()).sum::<usize>() as f64 / 1e6
}

/// Converts a whole file, line by line, and reports the throughput including reading,
/// table loading and writing.
fn convert_file(path: &str) {
    use std::io::{BufRead, Write};
    let config: Config = std::env::var("ZHCLEAN_BENCH_CONFIG")
        .unwrap_or_else(|_| "t2s".into())
        .parse()
        .unwrap();
    let out_path = std::env::var("ZHCLEAN_BENCH_OUT").unwrap_or_else(|_| "/dev/null".into());
    let timer = Timer::start();
    let converter = Converter::new(config, ConvertOptions::default());
    let mut input = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path).unwrap());
    let mut output =
        std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&out_path).unwrap());
    let mut bytes = 0;
    let mut line = String::new();
    while input.read_line(&mut line).unwrap() > 0 {
        bytes += line.len();
        output
            .write_all(converter.convert(&line).as_bytes())
            .unwrap();
        line.clear();
    }
    output.flush().unwrap();
    let (rate, secs) = timer.rate(bytes as f64 / 1e6);
    println!(
        "zhclean {config} (library, line by line): {:.1} MB in {secs:.2} s = {rate}",
        bytes as f64 / 1e6,
    );
}

fn main() {
    if let Ok(path) = std::env::var("ZHCLEAN_BENCH_FILE") {
        convert_file(&path);
        return;
    }
    let quick = std::env::var_os("ZHCLEAN_BENCH_QUICK").is_some();
    let size = if quick { 2_000_000 } else { 100_000_000 };

    // `ZHCLEAN_BENCH_ONLY=t2s` (or tw2s, auto, always) runs one case, for a profiler.
    let only = std::env::var("ZHCLEAN_BENCH_ONLY").ok();
    let wanted = |name: &str| only.as_deref().map_or(true, |o| o == name);

    let traditional = corpus(&seeds(&["002"]), size);
    for config in [Config::T2s, Config::Tw2s] {
        if !wanted(config.name()) {
            continue;
        }
        let timer = Timer::start();
        let converter = Converter::new(config, ConvertOptions::default());
        let mut out_bytes = 0;
        for p in &traditional {
            out_bytes += converter.convert(p).len();
        }
        let (rate, secs) = timer.rate(mb(&traditional));
        println!(
            "{config:5} Traditional → Simplified: {:.1} MB in {secs:.2} s = {rate} (out {:.1} MB)",
            mb(&traditional),
            out_bytes as f64 / 1e6
        );
    }

    let simplified = corpus(&seeds(&["000", "001", "003", "004"]), size);
    for mode in [ConvertMode::Auto, ConvertMode::Always] {
        if !wanted(&format!("{mode:?}").to_lowercase()) {
            continue;
        }
        let lines: Vec<Line> = simplified.iter().map(|p| Line::new(p.as_str())).collect();
        let timer = Timer::start();
        let mut stage = ConvertStage::new(&RuleSet::default(), Target::Simplified, mode);
        let mut counts = Counts::default();
        let mut out = Vec::with_capacity(1);
        for line in lines {
            stage.push(line, &mut out, &mut counts);
            out.clear();
        }
        let (rate, secs) = timer.rate(mb(&simplified));
        let chars: usize = simplified.iter().map(|p| p.chars().count()).sum();
        println!(
            "Simplified through the gate ({mode:?}): {:.1} MB in {secs:.2} s = {rate}; characters changed: {} of {chars} \
             = {:.1} per 2 million",
            mb(&simplified),
            counts.measure(Measure::ConvertScriptChars),
            counts.measure(Measure::ConvertScriptChars) as f64 * 2e6 / chars as f64
        );
    }
}
