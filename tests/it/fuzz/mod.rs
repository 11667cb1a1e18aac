//! The fuzz harness: what one input is run through and which properties must hold. Shared by
//! the mutation driver (`examples/fuzz.rs`) and the replay of saved inputs
//! (`tests/it/fuzz_regressions.rs`), so a saved input is checked exactly as it was found.
//!
//! Every target runs under `catch_unwind`: a panic is a failure of its property ("no panic"),
//! not the end of the run.

#![allow(dead_code)] // each user takes the parts it needs

use std::fmt;
use std::io::{self, Cursor, Read};
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};

use zhclean::decode::{self, Decoder};
use zhclean::run::{self, clean_stream, Settings, Transform};
use zhclean::source::archive::{for_each_member, ArchiveKind};
use zhclean::stages::convert::{Config, ConvertMode, ConvertOptions, Converter, Target};
use zhclean::{clean_str, Cleaner, Options};

/// What an input is fed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fed {
    /// Each decoder (forced encoding), whole and in chunks, lossy and strict; and detection.
    Decode,
    /// `run::clean_stream`: detection, decoding, the cleaning pipeline, encoding — what
    /// `zhclean clean` runs on a file — then again on its own output.
    Pipeline,
    /// `clean_str` and the streaming `Cleaner` on the input read as UTF-8 (lossy), under
    /// several option sets.
    Clean,
    /// Every built-in conversion configuration on the input read as UTF-8 (lossy).
    Convert,
    /// The zip, tar and tar.gz readers on the input's bytes.
    Archive,
}

pub const ALL: [Fed; 5] = [
    Fed::Decode,
    Fed::Pipeline,
    Fed::Clean,
    Fed::Convert,
    Fed::Archive,
];

impl Fed {
    pub fn name(self) -> &'static str {
        match self {
            Fed::Decode => "decode",
            Fed::Pipeline => "pipeline",
            Fed::Clean => "clean",
            Fed::Convert => "convert",
            Fed::Archive => "archive",
        }
    }
}

/// A property that did not hold.
#[derive(Clone, Debug)]
pub struct Failure {
    pub target: Fed,
    /// Short and stable (it names the saved file and decides whether a smaller input still
    /// shows the same failure): "panic", "idempotence", "nfc", ...
    pub property: &'static str,
    pub detail: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} / {}: {}",
            self.target.name(),
            self.property,
            self.detail
        )
    }
}

/// A small deterministic generator (xorshift64*): inputs found must replay the same on any
/// machine and version.
#[derive(Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // Never zero (xorshift's fixed point); spread small seeds.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A chunk size: mostly tiny (to split every sequence), sometimes large.
    pub fn chunk(&mut self) -> usize {
        match self.below(4) {
            0 => 1,
            1 => 1 + self.below(8),
            2 => 1 + self.below(300),
            _ => 1 + self.below(70_000),
        }
    }
}

/// Runs `input` through `targets`; the first property that fails, if any. `seed` decides the
/// chunk sizes.
pub fn check(input: &[u8], targets: &[Fed], seed: u64) -> Result<(), Failure> {
    for &target in targets {
        let mut rng = Rng::new(seed ^ target as u64);
        let outcome = catch_unwind(AssertUnwindSafe(|| match target {
            Fed::Decode => check_decode(input, &mut rng),
            Fed::Pipeline => check_pipeline(input, &mut rng),
            Fed::Clean => check_clean(input, &mut rng),
            Fed::Convert => check_convert(input),
            Fed::Archive => check_archive(input),
        }));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err((property, detail))) => {
                return Err(Failure {
                    target,
                    property,
                    detail,
                })
            }
            Err(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                return Err(Failure {
                    target,
                    property: "panic",
                    detail: message,
                });
            }
        }
    }
    Ok(())
}

type Checked = Result<(), (&'static str, String)>;

fn fail(property: &'static str, detail: impl Into<String>) -> Checked {
    Err((property, detail.into()))
}

/// A short, printable excerpt of a text around byte `at`.
fn around(text: &str, at: usize) -> String {
    let mut start = at.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!("{:?}", &text[start..end])
}

fn first_difference(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// The output contract of `clean`: UTF-8 (the caller has it as `str`), NFC, LF line ends, a
/// final newline.
fn output_contract(text: &str) -> Checked {
    if let Some(at) = text.find('\r') {
        return fail(
            "lf-only",
            format!("a CR in the output at byte {at}: {}", around(text, at)),
        );
    }
    if !text.is_empty() && !text.ends_with('\n') {
        return fail(
            "final-newline",
            format!("output ends {}", around(text, text.len())),
        );
    }
    if !is_nfc_but_hanja(text) {
        let at = text
            .char_indices()
            .find(|&(i, _)| {
                let end = text[i..].chars().next().map_or(i, |c| i + c.len_utf8());
                !unicode_normalization::is_nfc(&text[i..end])
            })
            .map_or(0, |(i, _)| i);
        return fail("nfc", format!("output not NFC near {}", around(text, at)));
    }
    Ok(())
}

/// Whether the output is NFC, but for the CJK compatibility ideographs a Japanese or Korean
/// paragraph keeps (Korean Hanja such as U+F914 樂 are distinct by their reading, and NFC would
/// fold them): in a document with kana or Hangul left, or read as Japanese or Korean, the text
/// between such ideographs must be NFC; everywhere else all of it.
fn is_nfc_but_hanja(text: &str) -> bool {
    use zhclean::text::language::{is_hangul, is_kana, Language};
    if unicode_normalization::is_nfc(text) {
        return true;
    }
    let compatibility = |c: char| matches!(c, '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}');
    // Normalize decides on the input's first batch, which later stages may change (a
    // furniture line removed, lines joined): any kana or Hangul left in the output, or an
    // output that reads as Japanese or Korean, allows the exception on every line.
    let keeps_hanja = Language::of_document(text.lines()) != Language::Chinese
        || text.chars().any(|c| is_kana(c) || is_hangul(c));
    text.lines().all(|line| {
        if keeps_hanja {
            line.split(compatibility).all(unicode_normalization::is_nfc)
        } else {
            unicode_normalization::is_nfc(line)
        }
    })
}

/// The encodings a file can be decoded from (what detection picks from, and `--encoding`).
const ENCODINGS: [&encoding_rs::Encoding; 7] = [
    encoding_rs::UTF_8,
    encoding_rs::GBK,
    encoding_rs::GB18030,
    encoding_rs::BIG5,
    encoding_rs::UTF_16LE,
    encoding_rs::UTF_16BE,
    encoding_rs::WINDOWS_1252,
];

fn check_decode(input: &[u8], rng: &mut Rng) -> Checked {
    let prefix = &input[..input.len().min(decode::PREFIX_BYTES)];
    let _ = decode::sniff(prefix, input.len() <= decode::PREFIX_BYTES);
    for encoding in ENCODINGS {
        let detection = decode::forced(encoding, prefix);
        let mut whole = String::new();
        let whole_result = Decoder::new(detection, false).decode(input, true, &mut whole);
        // In chunks, through both entry points: the same text.
        let mut chunked = String::new();
        let mut decoder = Decoder::new(detection, false);
        let mut each = String::new();
        let mut each_decoder = Decoder::new(detection, false);
        let mut scratch = String::new();
        let mut at = 0;
        let mut chunked_result = Ok(());
        let mut each_result = Ok(());
        loop {
            let end = (at + rng.chunk()).min(input.len());
            let last = end == input.len();
            if chunked_result.is_ok() {
                chunked_result = decoder.decode(&input[at..end], last, &mut chunked);
            }
            if each_result.is_ok() {
                each_result = each_decoder
                    .decode_each(&input[at..end], last, &mut scratch, |s| each.push_str(s));
            }
            at = end;
            if last {
                break;
            }
        }
        let name = encoding.name();
        // A decoder may fail (too many bad bytes) at a point that depends on the chunking;
        // the text is compared only when all three read to the end.
        if whole_result.is_ok() && chunked_result.is_ok() && chunked != whole {
            let at = first_difference(&whole, &chunked);
            return fail(
                "decode-chunks",
                format!(
                    "{name}: chunked decoding differs near {}",
                    around(&whole, at)
                ),
            );
        }
        if whole_result.is_ok() && each_result.is_ok() && each != whole {
            let at = first_difference(&whole, &each);
            return fail(
                "decode-each",
                format!("{name}: decode_each differs near {}", around(&whole, at)),
            );
        }
        let mut strict = String::new();
        let _ = Decoder::new(detection, true).decode(input, true, &mut strict);
        if !whole.starts_with(&strict) {
            return fail(
                "decode-strict",
                format!("{name}: strict decoding is not a prefix of lossy decoding"),
            );
        }
    }
    Ok(())
}

/// A reader that hands out its bytes in chunks of random sizes.
struct Chunked<'a> {
    bytes: &'a [u8],
    rng: Rng,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.rng.chunk().min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

fn stream(input: &[u8], settings: &Settings, rng: &mut Rng) -> Result<(Vec<u8>, bool), String> {
    let mut reader = Chunked {
        bytes: input,
        rng: Rng::new(rng.next()),
    };
    let mut output = Vec::new();
    match clean_stream(&mut reader, &mut output, settings) {
        Ok(report) => Ok((output, report.changed)),
        Err(error) => Err(format!("{error:?}")),
    }
}

/// The option sets the pipeline and `clean_str` are checked under: the default, each other
/// target script, conversion forced and off, a blank line between paragraphs.
fn option_sets() -> Vec<Options> {
    let with = |target, convert, blank_line| Options {
        target,
        convert,
        blank_line,
        ..Options::default()
    };
    vec![
        Options::default(),
        with(Target::Traditional, ConvertMode::Always, false),
        with(Target::Tw, ConvertMode::Auto, false),
        with(Target::Hk, ConvertMode::Auto, true),
        with(Target::Simplified, ConvertMode::Never, true),
    ]
}

fn check_pipeline(input: &[u8], rng: &mut Rng) -> Checked {
    for (k, options) in option_sets().into_iter().enumerate() {
        // The default options on every input; the others on one input in two (they cost).
        if k > 0 && rng.below(2) == 0 {
            continue;
        }
        let settings = Settings {
            transform: Transform::Clean(options),
            ..Settings::default()
        };
        let label = format!("options #{k}");
        let Ok((output, _)) = stream(input, &settings, rng) else {
            // A binary or undecodable file is refused: that is an answer, not a failure.
            continue;
        };
        let Ok(text) = std::str::from_utf8(&output) else {
            return fail("utf8", format!("{label}: the output is not UTF-8"));
        };
        output_contract(text).map_err(|(p, d)| (p, format!("{label}: {d}")))?;
        // Another chunking, the same output.
        match stream(input, &settings, rng) {
            Ok((again, _)) if again == output => {}
            Ok((again, _)) => {
                let again = String::from_utf8_lossy(&again);
                let at = first_difference(text, &again);
                return fail(
                    "stream-chunks",
                    format!(
                        "{label}: another read chunking changes the output near {}",
                        around(text, at)
                    ),
                );
            }
            Err(error) => {
                return fail(
                    "stream-chunks",
                    format!("{label}: another chunking fails: {error}"),
                )
            }
        }
        // Idempotence, and `check` on the output reports nothing to do.
        match stream(&output, &settings, rng) {
            Ok((twice, changed)) => {
                if twice != output {
                    let twice = String::from_utf8_lossy(&twice);
                    let at = first_difference(text, &twice);
                    return fail(
                        "idempotence",
                        format!(
                            "{label}: cleaning the output changes it: {} -> {}",
                            around(text, at),
                            around(&twice, at)
                        ),
                    );
                }
                if changed {
                    return fail(
                        "check",
                        format!("{label}: check on the output says it would change"),
                    );
                }
            }
            Err(error) => {
                return fail(
                    "idempotence",
                    format!("{label}: the output cannot be cleaned: {error}"),
                )
            }
        }
    }
    Ok(())
}

fn check_clean(input: &[u8], rng: &mut Rng) -> Checked {
    let text = String::from_utf8_lossy(input);
    for (k, options) in option_sets().into_iter().enumerate() {
        if k > 0 && rng.below(2) == 0 {
            continue;
        }
        let label = format!("options #{k}");
        let (whole, _) = clean_str(&text, &options);
        output_contract(&whole).map_err(|(p, d)| (p, format!("{label}: {d}")))?;
        // The streaming cleaner, fed chunks cut at random character boundaries.
        let mut cleaner = Cleaner::new(&options);
        let mut streamed = String::new();
        let mut at = 0;
        while at < text.len() {
            let mut end = (at + rng.chunk()).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            cleaner.push_str(&text[at..end], &mut streamed);
            at = end;
        }
        cleaner.finish(&mut streamed);
        if streamed != whole {
            let at = first_difference(&whole, &streamed);
            return fail(
                "cleaner-chunks",
                format!(
                    "{label}: chunked input cleans differently: {} vs {}",
                    around(&whole, at),
                    around(&streamed, at)
                ),
            );
        }
        let (twice, _) = clean_str(&whole, &options);
        if twice != whole {
            let at = first_difference(&whole, &twice);
            return fail(
                "idempotence",
                format!(
                    "{label}: clean_str of its output changes it: {} -> {}",
                    around(&whole, at),
                    around(&twice, at)
                ),
            );
        }
    }
    Ok(())
}

fn check_convert(input: &[u8]) -> Checked {
    let text = String::from_utf8_lossy(input);
    for config in Config::ALL {
        let converter = Converter::new(config, ConvertOptions::default());
        let (converted, _) = converter.convert_counting(&text);
        if converted.matches('\n').count() != text.matches('\n').count() {
            return fail(
                "convert-lines",
                format!("{}: conversion changes the number of lines", config.name()),
            );
        }
    }
    Ok(())
}

/// The most read from one member: a mutated length field must not make the check read for
/// minutes (bombs are the archive tests' business).
const MEMBER_CAP: u64 = 4 << 20;

fn check_archive(input: &[u8]) -> Checked {
    for kind in [ArchiveKind::Zip, ArchiveKind::Tar, ArchiveKind::TarGz] {
        let mut members = 0usize;
        let _ = for_each_member(kind, Cursor::new(input), &mut |member| {
            members += 1;
            let _ = zhclean::source::archive::safe_member_path(&member.name);
            if let Ok(content) = member.content {
                let _ = io::copy(&mut content.take(MEMBER_CAP), &mut io::sink());
            }
            // A mutated archive may claim millions of members.
            if members > 10_000 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
    }
    Ok(())
}

/// Whether a run of `zhclean clean` on `input` would get past detection (used by the driver to
/// keep its corpus to inputs the pipeline reads).
pub fn is_text(input: &[u8]) -> bool {
    let prefix = &input[..input.len().min(decode::PREFIX_BYTES)];
    run::detect(
        prefix,
        input.len() <= decode::PREFIX_BYTES,
        &Settings::default(),
    )
    .is_ok()
}
