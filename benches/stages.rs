//! Throughput of each pipeline stage, and of the whole pipeline, on the benchmark corpus
//! (`benches/corpus`): `cargo bench --bench stages`. Figures are bytes of input per second.
//!
//! A stage is measured through the pipeline driver with only its own rules on, next to the
//! driver with no rule at all (`driver`), so the difference is the stage's own cost. Quick mode
//! for CI (each benchmark once): `cargo bench --bench stages -- --test`.

#[path = "corpus/mod.rs"]
mod corpus;

use corpus::{Encoding, Kind};
use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use zhclean::decode::{self, Decoder, Sniff};
use zhclean::encode::Encoder;
use zhclean::rules::{Rule, RuleSet, Stage};
use zhclean::run::{clean_stream, Settings};
use zhclean::{clean_str, Options};

/// About 4 MB per document: large enough to swamp set-up, small enough to iterate.
const DOC_BYTES: usize = 4_000_000;

fn main() {
    divan::main();
}

fn text(kind: Kind) -> String {
    corpus::document(kind, DOC_BYTES)
}

/// The rules of one stage, alone.
fn only_stage(stage: Stage) -> Options {
    let rules: Vec<Rule> = Rule::ALL
        .into_iter()
        .filter(|rule| rule.stage() == stage)
        .collect();
    Options {
        rules: RuleSet::only(&rules),
        ..Options::default()
    }
}

fn bench_clean(bencher: Bencher, input: &str, options: &Options) {
    bencher
        .counter(BytesCount::of_str(input))
        .bench(|| clean_str(black_box(input), options));
}

#[divan::bench(args = [Encoding::Utf8, Encoding::Gbk, Encoding::Big5, Encoding::Utf16Le])]
fn decode(bencher: Bencher, encoding: Encoding) {
    let kind = if encoding == Encoding::Big5 {
        Kind::TraditionalPinyin
    } else {
        Kind::CleanSimplified
    };
    let bytes = corpus::encode(&text(kind), encoding);
    let Sniff::Text(detection) =
        decode::sniff(&bytes[..bytes.len().min(decode::PREFIX_BYTES)], false)
    else {
        panic!("the corpus is text");
    };
    bencher.counter(BytesCount::of_slice(&bytes)).bench(|| {
        let mut decoder = Decoder::new(detection, false);
        let mut out = String::with_capacity(bytes.len() * 2);
        for chunk in bytes.chunks(64 * 1024) {
            decoder.decode(chunk, false, &mut out).unwrap();
            out.clear();
        }
        decoder.decode(&[], true, &mut out).unwrap();
    });
}

/// The pipeline driver alone: line splitting and batching with every rule off.
#[divan::bench(args = corpus::KINDS)]
fn driver(bencher: Bencher, kind: Kind) {
    bench_clean(
        bencher,
        &text(kind),
        &Options {
            rules: RuleSet::none(),
            ..Options::default()
        },
    );
}

#[divan::bench(args = corpus::KINDS)]
fn normalize(bencher: Bencher, kind: Kind) {
    bench_clean(bencher, &text(kind), &only_stage(Stage::Normalize));
}

#[divan::bench(args = corpus::KINDS)]
fn strip(bencher: Bencher, kind: Kind) {
    bench_clean(bencher, &text(kind), &only_stage(Stage::Strip));
}

#[divan::bench(args = corpus::KINDS)]
fn reflow(bencher: Bencher, kind: Kind) {
    bench_clean(bencher, &text(kind), &only_stage(Stage::Reflow));
}

/// Traditional input is converted; Simplified input passes the script gate untouched.
#[divan::bench(args = [Kind::TraditionalPinyin, Kind::CleanSimplified])]
fn convert(bencher: Bencher, kind: Kind) {
    bench_clean(bencher, &text(kind), &only_stage(Stage::Convert));
}

#[divan::bench(args = corpus::KINDS)]
fn polish(bencher: Bencher, kind: Kind) {
    bench_clean(bencher, &text(kind), &only_stage(Stage::Polish));
}

#[divan::bench(args = ["utf-8", "gbk"])]
fn encode(bencher: Bencher, label: &str) {
    let input = text(Kind::CleanSimplified);
    let encoding = decode::encoding_for_label(label).expect("known label");
    bencher.counter(BytesCount::of_str(&input)).bench(|| {
        let mut encoder = Encoder::new(encoding);
        let mut out = Vec::with_capacity(input.len());
        encoder.encode(black_box(&input), true, &mut out).unwrap();
        out
    });
}

/// Everything, bytes to bytes, as `zhclean clean` runs it on one file.
#[divan::bench(args = [
    (Kind::TraditionalPinyin, Encoding::Big5),
    (Kind::HardWrapped, Encoding::Gbk),
    (Kind::WordStyle, Encoding::Utf16Le),
    (Kind::CleanSimplified, Encoding::Utf8),
])]
fn pipeline(bencher: Bencher, (kind, encoding): (Kind, Encoding)) {
    let bytes = corpus::encode(&text(kind), encoding);
    let settings = Settings::default();
    bencher.counter(BytesCount::of_slice(&bytes)).bench(|| {
        let mut out = Vec::with_capacity(bytes.len() * 2);
        clean_stream(&mut black_box(&bytes[..]), &mut out, &settings).unwrap();
        out
    });
}
