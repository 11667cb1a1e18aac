//! `zhclean detect`: what each file is — encoding and confidence, script, language, line
//! endings — and the artifacts the cleaning rules would remove, counted by a pipeline run that
//! writes nothing.

use std::io::{self, Read, Write};

use zhclean::decode::{Decoder, PREFIX_BYTES};
use zhclean::run::{self, clean_input, FileError, FileReport, RunConfig, Settings};
use zhclean::sink::is_broken_pipe;
use zhclean::source::document::Format;

use super::drive::{drive, plan_reading, DriveOptions, Problem, SkipKind};
use super::progress::Progress;
use super::{error, Error, Exit};

/// What `detect` found in one text file.
#[derive(Debug, serde::Serialize)]
struct Detected {
    input: String,
    /// `txt`, or the document format read (`docx`, `pdf`, …).
    format: Format,
    encoding: &'static str,
    confidence: zhclean::decode::Confidence,
    /// Lines decoded in another encoding than `encoding` (rule `mixed-encoding`), by encoding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mixed: Vec<zhclean::decode::MixedLines>,
    /// simplified / traditional / mixed / none, as the convert stage saw it; `-` if it did not say.
    script: String,
    /// zh / ja / ko: the document's language (`clean` converts and polishes only Chinese);
    /// `-` if the pipeline did not say.
    language: String,
    line_endings: &'static str,
    /// Non-zero rule counts: what `clean` would fix.
    artifacts: zhclean::report::Counts,
    bytes: u64,
    lines: u64,
}

/// `json`: one JSON object per input instead of one line of text.
pub(crate) fn detect(run: &RunConfig, json: bool) -> Result<Exit, Error> {
    if let Some(config) = &run.jsonl {
        return super::jsonl::detect_records(run, config, json);
    }
    let plan = plan_reading(run)?;
    let settings = &run.settings;
    let progress = Progress::new(&plan.jobs, run.progress);
    let options = DriveOptions::new(run.jobs, &progress);
    let driven = drive(
        &plan.jobs,
        &options,
        |unit, reader| detect_one(reader, settings, &unit.name),
        |unit, result| (unit.name, result),
    );
    progress.finish();

    let mut failed = !plan.errors.is_empty();
    let mut out = io::stdout().lock();
    // Inputs that could not be used at all (said on standard error already) have their object
    // too.
    if json {
        for unusable in &plan.errors {
            let line = json_line(&unusable.input, "error", &unusable.message);
            if let Err(e) = writeln!(out, "{line}") {
                if is_broken_pipe(&e) {
                    return Ok(Exit::Failed);
                }
            }
        }
    }
    for (name, result) in driven.outcomes {
        let line = match result {
            Ok((report, line_endings)) => {
                let detected = Detected {
                    input: name,
                    format: report.format,
                    encoding: report.decode.encoding,
                    confidence: report.decode.confidence,
                    mixed: report.decode.mixed.clone(),
                    script: report
                        .clean
                        .facts
                        .get("script")
                        .cloned()
                        .unwrap_or_else(|| "-".into()),
                    language: report
                        .clean
                        .facts
                        .get("language")
                        .cloned()
                        .unwrap_or_else(|| "-".into()),
                    line_endings,
                    artifacts: report.clean.rules.clone(),
                    bytes: report.bytes_in,
                    lines: report.clean.lines_in,
                };
                if json {
                    // Strings and numbers: serializing cannot fail, but were it to, the input
                    // still gets its object.
                    serde_json::to_string(&detected).unwrap_or_else(|e| {
                        failed = true;
                        json_line(&detected.input, "error", &e.to_string())
                    })
                } else {
                    describe(&detected)
                }
            }
            // Being binary is a finding here, not an error.
            Err(Problem::File(binary @ FileError::Binary { .. })) => {
                binary_line(&name, &binary.to_string(), json)
            }
            Err(Problem::Skipped(SkipKind::Binary, why)) => binary_line(&name, &why, json),
            // With --json every input has its object, so that a consumer of the lines never
            // loses one: a skipped input says why, a failed one has an `error`.
            Err(Problem::Skipped(_, why)) => {
                if !run.quiet {
                    error(format!("{name}: skipped: {why}"));
                }
                if !json {
                    continue;
                }
                json_line(&name, "skipped", &why)
            }
            Err(problem) => {
                error(format!("{name}: {problem}"));
                failed = true;
                if !json {
                    continue;
                }
                json_line(&name, "error", &problem.to_string())
            }
        };
        match writeln!(out, "{line}") {
            Err(e) if is_broken_pipe(&e) => break,
            _ => {}
        }
    }
    let _ = out.flush();
    Ok(if failed { Exit::Failed } else { Exit::Success })
}

/// `{"input": name, key: text}`: the object of an input that is not a text file, was skipped,
/// or failed.
fn json_line(name: &str, key: &str, text: &str) -> String {
    // By hand, so that `input` comes first as in the other objects.
    let string = |s: &str| serde_json::Value::from(s).to_string();
    format!(
        "{{\"input\":{},{}:{}}}",
        string(name),
        string(key),
        string(text)
    )
}

fn binary_line(name: &str, why: &str, json: bool) -> String {
    if json {
        json_line(name, "binary", why)
    } else {
        format!("{name}: {why}")
    }
}

/// `a.txt: GBK (high), script traditional, language zh, CRLF line endings, found indentation
/// ×3, bookmark ×1`
fn describe(d: &Detected) -> String {
    let found = found(&d.artifacts);
    if d.format.has_reader() {
        // Read from its structure: the text is the reader's UTF-8, so the format is the news.
        return format!(
            "{}: {}, script {}, {found}",
            d.input,
            d.format.describe(),
            d.script
        );
    }
    // `UTF-8 (high) with GBK on 3 lines`: a file whose lines are in different encodings.
    let mixed: String = d
        .mixed
        .iter()
        .map(|m| {
            let s = if m.lines == 1 { "" } else { "s" };
            format!(" with {} on {} line{s}", m.encoding, m.lines)
        })
        .collect();
    format!(
        "{}: {} ({}){mixed}, script {}, language {}, {} line endings, {found}",
        d.input, d.encoding, d.confidence, d.script, d.language, d.line_endings
    )
}

/// `found indentation ×3, bookmark ×1`, or `nothing to clean`.
pub(crate) fn found(artifacts: &zhclean::report::Counts) -> String {
    if artifacts.is_empty() {
        return "nothing to clean".to_string();
    }
    let parts: Vec<String> = artifacts
        .iter()
        .map(|(name, n)| format!("{name} ×{n}"))
        .collect();
    format!("found {}", parts.join(", "))
}

/// Runs the pipeline into nothing, keeping the first bytes to look at the line endings.
fn detect_one(
    reader: &mut dyn Read,
    settings: &Settings,
    name: &str,
) -> Result<(FileReport, &'static str), Problem> {
    let mut prefix = Prefix {
        inner: reader,
        kept: Vec::with_capacity(PREFIX_BYTES),
    };
    let name = Some(std::path::Path::new(name));
    let report = clean_input(&mut prefix, &mut io::sink(), settings, name)?;
    if report.format.has_reader() {
        // A document's reader writes one paragraph a line, each ended by LF.
        return Ok((report, "LF"));
    }
    let whole = report.bytes_in <= prefix.kept.len() as u64;
    let detection = run::detect(&prefix.kept, whole, settings)?;
    let mut text = String::new();
    // Undecodable bytes were already counted by the real run; here only the line ends matter.
    let _ = Decoder::new(detection, false)
        .with_mixed_lines(settings.mixed_lines())
        .decode(&prefix.kept, whole, &mut text);
    Ok((report, line_endings(&text)))
}

/// Passes reads through and keeps a copy of the first [`PREFIX_BYTES`].
struct Prefix<'a> {
    inner: &'a mut dyn Read,
    kept: Vec<u8>,
}

impl Read for Prefix<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let room = PREFIX_BYTES.saturating_sub(self.kept.len());
        self.kept.extend_from_slice(&buf[..n.min(room)]);
        Ok(n)
    }
}

/// The line endings of a text: `LF`, `CRLF`, `CR`, `mixed`, or `no` when it has no line break.
fn line_endings(text: &str) -> &'static str {
    let bytes = text.as_bytes();
    let (mut crlf, mut cr, mut lf) = (0u64, 0u64, 0u64);
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'\r' || b == b'\n') {
        let at = i + offset;
        if bytes[at] == b'\n' {
            lf += 1;
            i = at + 1;
        } else if bytes.get(at + 1) == Some(&b'\n') {
            crlf += 1;
            i = at + 2;
        } else {
            cr += 1;
            i = at + 1;
        }
    }
    match (crlf > 0, cr > 0, lf > 0) {
        (false, false, false) => "no",
        (true, false, false) => "CRLF",
        (false, true, false) => "CR",
        (false, false, true) => "LF",
        _ => "mixed",
    }
}

#[cfg(test)]
mod tests {
    use super::line_endings;

    #[test]
    fn line_endings_by_kind() {
        for (text, kind) in [
            ("", "no"),
            ("一行", "no"),
            ("a\nb\n", "LF"),
            ("a\r\nb\r\n", "CRLF"),
            ("a\rb\r", "CR"),
            ("a\r\nb\n", "mixed"),
            ("a\rb\n", "mixed"),
            ("a\r\n\r\n", "CRLF"),
        ] {
            assert_eq!(line_endings(text), kind, "{text:?}");
        }
    }
}
