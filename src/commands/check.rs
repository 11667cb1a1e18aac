//! `zhclean check`: which files would `clean` change, and why. Runs the very pipeline `clean` runs
//! into a sink that discards the bytes, so its answer is `clean`'s by construction.

use std::io::{self, Write};

use zhclean::rules::Rule;
#[cfg(test)]
use zhclean::run::clean_stream;
use zhclean::run::{clean_input, FileReport, RunConfig, Settings};
use zhclean::sink::is_broken_pipe;

use super::drive::{drive, plan_reading, DriveOptions};
use super::outcome::{finish_reading, tell, Outcome};
use super::progress::Progress;
use super::{Error, Exit};

pub(crate) fn check(run: &RunConfig) -> Result<Exit, Error> {
    if let Some(config) = &run.jsonl {
        return super::jsonl::check_records(run, config);
    }
    let plan = plan_reading(run)?;
    let settings = &run.settings;
    let quiet = run.quiet;
    let progress = Progress::new(&plan.jobs, run.progress);
    let options = DriveOptions::new(run.jobs, &progress);
    let driven = drive(
        &plan.jobs,
        &options,
        |unit, reader| {
            let name = Some(std::path::Path::new(&unit.name));
            Ok(clean_input(reader, &mut io::sink(), settings, name)?)
        },
        |unit, result| {
            let outcome = Outcome::new(unit, result);
            progress.suspend(|| tell(&outcome, quiet));
            outcome
        },
    );
    progress.finish();
    let outcomes = driven.outcomes;

    let mut out = io::stdout().lock();
    for outcome in &outcomes {
        let Some(report) = outcome.report.as_ref().filter(|r| r.changed) else {
            continue;
        };
        let line = format!("{}: {}", outcome.input, change_reason(report, settings));
        match writeln!(out, "{line}") {
            Err(e) if is_broken_pipe(&e) => break,
            _ => {}
        }
    }
    let _ = out.flush();

    Ok(finish_reading(&outcomes, plan.errors.len(), quiet))
}

/// Why `clean` changes a file, in one line: `encoding GBK → UTF-8, bookmark ×3, blank-lines ×12`.
/// Built from what the pipeline reported: the encoding, replaced bytes, and every rule that fired
/// (in pipeline order); when nothing else explains the change, it is the line breaks (a missing
/// final newline, CRLF) or other whitespace the stages normalize without counting.
pub(crate) fn change_reason(report: &FileReport, settings: &Settings) -> String {
    let mut parts = Vec::new();
    if report.format.has_reader() {
        // Its text replaces it: that is the change, whatever the rules do besides.
        parts.push(format!("read as text from a {}", report.format.describe()));
    }
    let output_encoding = settings.output_encoding.name();
    if !report.decode.encoding.eq_ignore_ascii_case(output_encoding) {
        parts.push(format!(
            "encoding {} → {output_encoding}",
            report.decode.encoding
        ));
    }
    if report.decode.replaced > 0 {
        parts.push(format!(
            "{} undecodable byte{} replaced",
            report.decode.replaced,
            if report.decode.replaced == 1 { "" } else { "s" }
        ));
    }
    let counts = &report.clean.rules;
    for rule in Rule::ALL {
        let n = counts.get(rule);
        if n > 0 {
            // A rule that deleted Chinese text says how much, so every deletion can be audited.
            match counts.han(rule) {
                0 if rule == Rule::MixedEncoding => {
                    parts.push(format!("{rule} ×{n} ({})", mixed_lines(report)));
                }
                0 => parts.push(format!("{rule} ×{n}")),
                han => parts.push(format!("{rule} ×{n} ({han} Han removed)")),
            }
        }
    }
    // Counts under names the registry does not list still explain something.
    for (name, n) in counts.iter() {
        if zhclean::rules::find(name).is_none() {
            parts.push(format!("{name} ×{n}"));
        }
    }
    if parts.is_empty() {
        parts.push("line breaks".into());
    }
    parts.join(", ")
}

/// The lines decoded in another encoding, by encoding: `GBK: lines 5, 6, 9`, and `…` when
/// the report kept only the first line numbers.
fn mixed_lines(report: &FileReport) -> String {
    let parts: Vec<String> = report
        .decode
        .mixed
        .iter()
        .map(|m| {
            let numbers: Vec<String> = m.line_numbers.iter().map(u64::to_string).collect();
            let more = if (m.line_numbers.len() as u64) < m.lines {
                ", …"
            } else {
                ""
            };
            let s = if m.lines == 1 { "" } else { "s" };
            format!("{}: line{s} {}{more}", m.encoding, numbers.join(", "))
        })
        .collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real report (so this test does not depend on how decode builds its part), with the
    /// encoding and rule counts set as a case needs.
    fn report(encoding: &'static str, rules: &[(&str, u64)]) -> FileReport {
        let mut report = clean_stream(
            &mut "正文。\n".as_bytes(),
            &mut io::sink(),
            &Settings::default(),
        )
        .unwrap();
        report.decode.encoding = encoding;
        report.changed = true;
        report.clean.rules = Default::default();
        for (name, n) in rules {
            report
                .clean
                .rules
                .add(name.parse().expect("a registered rule"), *n);
        }
        report
    }

    #[test]
    fn reason_names_encoding_and_rules_in_pipeline_order() {
        let settings = Settings::default();
        let r = report("GBK", &[("trailing-space", 2), ("indentation", 3)]);
        assert_eq!(
            change_reason(&r, &settings),
            "encoding GBK → UTF-8, indentation ×3, trailing-space ×2"
        );
    }

    #[test]
    fn reason_says_how_many_han_characters_a_rule_removed() {
        let mut r = report("UTF-8", &[("page-number", 2), ("running-header", 3)]);
        r.clean.rules.add_han(Rule::RunningHeader, 24);
        assert_eq!(
            change_reason(&r, &Settings::default()),
            "page-number ×2, running-header ×3 (24 Han removed)"
        );
    }

    #[test]
    fn reason_falls_back_to_line_breaks() {
        let settings = Settings::default();
        assert_eq!(
            change_reason(&report("UTF-8", &[]), &settings),
            "line breaks"
        );
        let mut replaced = report("UTF-8", &[]);
        replaced.decode.replaced = 1;
        assert_eq!(
            change_reason(&replaced, &settings),
            "1 undecodable byte replaced"
        );
    }
}
