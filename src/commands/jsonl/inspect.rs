//! `check`, `diff` and `detect` with `--jsonl`: the records' field looked at with the very
//! cleaning `clean --jsonl` runs, nothing written. `check` says per shard how many records
//! would change and why; `diff` shows each changed record's field as a unified diff headed by
//! the shard and the record's line number; `detect` counts records, scripts and artifacts.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::time::Instant;

use zhclean::jsonl::{clean_field, JsonlConfig, RecordError, Scratch};
use zhclean::report::{CleanReport, Counts};
use zhclean::run::RunConfig;
use zhclean::sink::is_broken_pipe;

use super::{
    file_report, for_each_chunk, open, pool, records_summary, skip_reason, tell_bad, unit_of,
    Chunk, RecordTally, Records, WOULD_COPY,
};
use crate::commands::check::change_reason;
use crate::commands::detect::found;
use crate::commands::diff::{colorize, deadline, lines, removed_han_note, Style};
use crate::commands::drive::{plan_reading, Problem};
use crate::commands::outcome::{summary_with, tell, Outcome, Status};
use crate::commands::progress::Progress;
use crate::commands::{error, say, thousands, Error, Exit};

/// One shard looked at: its outcome, and what `work` made of its chunks.
struct Looked<T> {
    outcome: Outcome,
    parts: Vec<T>,
}

/// What a command's work made of one chunk: its own result, the records' tally, what the
/// pipeline did, and the bad lines.
type Part<T> = (T, RecordTally, CleanReport, Vec<(u64, RecordError)>);

/// Runs `work` over the chunks of every input, files in order, and keeps what it returns.
/// `each` sees each chunk's result as it comes (in order), to print it.
fn look<T: Send>(
    run: &RunConfig,
    progress: bool,
    work: &(dyn Fn(&Chunk, &mut Vec<u8>) -> Part<T> + Sync),
    mut each: impl FnMut(&str, &T) -> Result<(), Problem>,
) -> Result<(Vec<Looked<T>>, RecordTally, usize), Error> {
    let plan = plan_reading(run)?;
    let progress = Progress::new(&plan.jobs, progress);
    let pool = pool(run);
    let mut looked = Vec::new();
    let mut total = RecordTally::default();
    for job in &plan.jobs {
        let unit = unit_of(job);
        let mut tally = RecordTally::default();
        let mut parts = Vec::new();
        let mut clean = CleanReport::default();
        let mut named = 0;
        let result = match skip_reason(job, false) {
            Some(skip) => Err(skip),
            None => open(job, &progress).and_then(|mut reader| {
                for_each_chunk(
                    &mut *reader,
                    &pool,
                    work,
                    |(part, chunk_tally, chunk_clean, bad), _, _| {
                        tell_bad(&job.name, &bad, WOULD_COPY, &mut named);
                        tally.add(&chunk_tally);
                        clean.rules.merge(&chunk_clean.rules);
                        clean.lines_in += chunk_clean.lines_in;
                        clean.lines_out += chunk_clean.lines_out;
                        each(&job.name, &part)?;
                        parts.push(part);
                        Ok(())
                    },
                )
            }),
        };
        progress.unit_done();
        if matches!(result, Err(Problem::Interrupted)) {
            break;
        }
        total.add(&tally);
        let changed = tally.changed > 0;
        let mut outcome = Outcome::new(unit, result.map(|()| file_report(clean, 0, 0, changed)));
        if outcome.status != Status::Skipped {
            outcome.records = Some(tally);
        }
        progress.suspend(|| tell(&outcome, run.quiet));
        looked.push(Looked { outcome, parts });
    }
    progress.finish();
    Ok((looked, total, plan.errors.len()))
}

/// The end of `check` and `diff` with `--jsonl`: the summary, and the exit code (2 if anything
/// could not be read or a line was bad, 1 if a record would change, else 0).
fn finish(outcomes: &[Outcome], total: &RecordTally, unusable: usize, quiet: bool) -> Exit {
    if !quiet {
        say(summary_with(outcomes, unusable, "would change")
            + &records_summary(total, "would change", "`clean` copies them unchanged"));
    }
    if unusable > 0 || total.bad > 0 || outcomes.iter().any(|o| o.status == Status::Failed) {
        Exit::Failed
    } else if total.changed > 0 {
        Exit::WouldChange
    } else {
        Exit::Success
    }
}

/// `check --jsonl`: `shard.jsonl: 120 of 1,000 records would change: indentation ×30, …`
pub(crate) fn check_records(run: &RunConfig, config: &JsonlConfig) -> Result<Exit, Error> {
    let records = Records {
        config,
        settings: &run.settings,
        keep_reports: false,
    };
    let work = |chunk: &Chunk, out: &mut Vec<u8>| {
        let done = records.clean_chunk(chunk, out);
        ((), done.tally, done.clean, done.bad)
    };
    let (looked, total, unusable) = look(run, run.progress, &work, |_, _| Ok(()))?;
    let mut out = io::stdout().lock();
    for Looked { outcome, .. } in &looked {
        let (Some(report), Some(tally)) = (&outcome.report, &outcome.records) else {
            continue;
        };
        if tally.changed == 0 {
            continue;
        }
        let line = format!(
            "{}: {} of {} records would change: {}",
            outcome.input,
            thousands(tally.changed),
            thousands(tally.records),
            change_reason(report, &run.settings)
        );
        if let Err(e) = writeln!(out, "{line}") {
            if is_broken_pipe(&e) {
                break;
            }
        }
    }
    let _ = out.flush();
    let outcomes: Vec<Outcome> = looked.into_iter().map(|l| l.outcome).collect();
    Ok(finish(&outcomes, &total, unusable, run.quiet))
}

/// `diff --jsonl`: each changed record's field, as a unified diff headed
/// `--- shard.jsonl:17 text` / `+++ shard.jsonl:17 text (cleaned)`.
pub(crate) fn diff_records(
    run: &RunConfig,
    config: &JsonlConfig,
    style: Style,
) -> Result<Exit, Error> {
    let field = config.field.to_string();
    // The file's name is not known inside a chunk: the headers carry a placeholder that the
    // printing side replaces.
    const NAME: &str = "\u{0}NAME\u{0}";
    let work = |chunk: &Chunk, _: &mut Vec<u8>| {
        let mut text = String::new();
        let mut stat = (0u64, 0u64);
        let mut tally = RecordTally::default();
        let mut clean = CleanReport::default();
        let mut bad = Vec::new();
        let mut scratch = Scratch::default();
        for (i, line) in chunk.lines().enumerate() {
            let number = chunk.first_line + i as u64;
            let mut body = line.strip_suffix(b"\n").unwrap_or(line);
            body = body.strip_suffix(b"\r").unwrap_or(body);
            if number == 1 {
                body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
            }
            if body.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            tally.records += 1;
            let found = match clean_field(body, config, &run.settings, &mut scratch) {
                Ok(found) => found,
                Err(why) => {
                    tally.bad += 1;
                    tally.bad_lines.push(number);
                    bad.push((number, why));
                    continue;
                }
            };
            let report = &found.report;
            clean.rules.merge(&report.clean.rules);
            if !report.changed {
                tally.unchanged += 1;
                continue;
            }
            tally.changed += 1;
            // Each record has the whole time a file's diff has.
            let diff = lines::diff(found.text, found.cleaned, Instant::now() + deadline());
            for op in &diff.ops {
                for change in op.iter_changes(&diff.old, &diff.new) {
                    match change.tag() {
                        similar::ChangeTag::Delete => stat.0 += 1,
                        similar::ChangeTag::Insert => stat.1 += 1,
                        similar::ChangeTag::Equal => {}
                    }
                }
            }
            if style.stat {
                continue;
            }
            if let Some(note) = removed_han_note(&report.clean.rules) {
                text += &note;
            }
            let old = format!("{NAME}:{number} {field}");
            let new = format!("{NAME}:{number} {field} (cleaned)");
            let mut unified = diff.unified(3, &old, &new);
            if unified.is_empty() {
                unified = format!(
                    "--- {old}\n+++ {new}\n# the text is the same; its line breaks change\n"
                );
            }
            text += &unified;
        }
        ((text, stat), tally, clean, bad)
    };
    let (looked, total, unusable) = look(run, false, &work, |name, (text, _)| {
        if text.is_empty() {
            return Ok(());
        }
        let text = text.replace(NAME, name);
        let text = if style.color { colorize(&text) } else { text };
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| {
                if is_broken_pipe(&e) {
                    Problem::Interrupted
                } else {
                    Problem::File(zhclean::run::FileError::Write(e))
                }
            })
    })?;
    if style.stat {
        let mut out = io::stdout().lock();
        let (mut deleted, mut inserted, mut files) = (0, 0, 0u64);
        for Looked { outcome, parts } in &looked {
            let (d, i) = parts
                .iter()
                .fold((0, 0), |(d, i), (_, (pd, pi))| (d + pd, i + pi));
            if d + i == 0 {
                continue;
            }
            files += 1;
            let _ = writeln!(out, " {} | -{d} +{i}", outcome.input);
            deleted += d;
            inserted += i;
        }
        let _ = writeln!(
            out,
            " {} file{} would change, {} line{} removed, {} added",
            thousands(files),
            if files == 1 { "" } else { "s" },
            thousands(deleted),
            if deleted == 1 { "" } else { "s" },
            thousands(inserted)
        );
    }
    let outcomes: Vec<Outcome> = looked.into_iter().map(|l| l.outcome).collect();
    Ok(finish(&outcomes, &total, unusable, run.quiet))
}

/// What `detect --jsonl` found in one shard.
#[derive(serde::Serialize)]
struct Detected<'a> {
    input: &'a str,
    field: String,
    records: u64,
    bad: u64,
    /// How many records are in each script, as the convert stage saw them.
    scripts: BTreeMap<String, u64>,
    /// Rule counts over all records: what `clean` would fix.
    artifacts: &'a Counts,
}

/// `detect --jsonl`: per shard, its records, their scripts, and the artifacts found.
pub(crate) fn detect_records(
    run: &RunConfig,
    config: &JsonlConfig,
    json: bool,
) -> Result<Exit, Error> {
    let records = Records {
        config,
        settings: &run.settings,
        keep_reports: true,
    };
    let work = |chunk: &Chunk, out: &mut Vec<u8>| {
        let done = records.clean_chunk(chunk, out);
        let mut scripts: BTreeMap<String, u64> = BTreeMap::new();
        for (_, report) in &done.per_record {
            let script = report
                .facts
                .get("script")
                .cloned()
                .unwrap_or_else(|| "-".into());
            *scripts.entry(script).or_default() += 1;
        }
        (scripts, done.tally, done.clean, done.bad)
    };
    let (looked, total, unusable) = look(run, run.progress, &work, |_, _| Ok(()))?;
    let mut out = io::stdout().lock();
    let mut failed = unusable > 0 || total.bad > 0;
    for Looked { outcome, parts } in &looked {
        let (Some(report), Some(tally)) = (&outcome.report, &outcome.records) else {
            if outcome.status == Status::Failed {
                failed = true;
            }
            if json {
                let why = outcome.reason.clone().unwrap_or_default();
                let key = if outcome.status == Status::Failed {
                    "error"
                } else {
                    "skipped"
                };
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::json!({"input": outcome.input, key: why})
                );
            }
            continue;
        };
        let mut scripts: BTreeMap<String, u64> = BTreeMap::new();
        for part in parts {
            for (script, n) in part {
                *scripts.entry(script.clone()).or_default() += n;
            }
        }
        let detected = Detected {
            input: &outcome.input,
            field: config.field.to_string(),
            records: tally.records,
            bad: tally.bad,
            scripts,
            artifacts: &report.clean.rules,
        };
        let line = if json {
            serde_json::to_string(&detected).unwrap_or_default()
        } else {
            describe(&detected)
        };
        if let Err(e) = writeln!(out, "{line}") {
            if is_broken_pipe(&e) {
                break;
            }
        }
    }
    let _ = out.flush();
    if !run.quiet && total.bad > 0 {
        error(format!(
            "{} bad line{} (not records with the field '{}')",
            thousands(total.bad),
            if total.bad == 1 { "" } else { "s" },
            config.field
        ));
    }
    Ok(if failed { Exit::Failed } else { Exit::Success })
}

/// `shard.jsonl: 1,000 records (field text), script simplified ×990, traditional ×10, found …`
fn describe(d: &Detected<'_>) -> String {
    let scripts: Vec<String> = d.scripts.iter().map(|(s, n)| format!("{s} ×{n}")).collect();
    let found = found(d.artifacts);
    let bad = if d.bad > 0 {
        format!(", {} bad", thousands(d.bad))
    } else {
        String::new()
    };
    format!(
        "{}: {} records (field {}){bad}, script {}, {found}",
        d.input,
        thousands(d.records),
        d.field,
        if scripts.is_empty() {
            "-".into()
        } else {
            scripts.join(", ")
        },
    )
}
