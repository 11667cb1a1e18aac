//! `zhclean clean --jsonl`: each shard cleaned into its output — standard output, a file
//! written atomically (compressed by its name), or over the input — with the report and the
//! summary of a text run, counted in records as well as files.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use zhclean::jsonl::{Compression, JsonlConfig};
use zhclean::run::{FileReport, RunConfig, WriteConfig};
use zhclean::sink::{self, is_broken_pipe, AtomicFile};
use zhclean::source::{self, Job, Output};

use super::{
    file_report, for_each_chunk, open, pool, records_summary, skip_reason, tell_bad, unit_of,
    RecordTally, Records, COPIED,
};
use crate::commands::clean::{end_writing, plan_writing};
use crate::commands::drive::Problem;
use crate::commands::interrupt::{catch_interrupts, interrupted};
use crate::commands::outcome::{summary, tell, Outcome, Status};
use crate::commands::progress::Progress;
use crate::commands::{error, say, Error, Exit};

/// Cleans the field of every record of every input and writes the records where `write` says.
pub(crate) fn write_records(
    run: &RunConfig,
    config: &JsonlConfig,
    write: &WriteConfig,
) -> Result<Exit, Error> {
    let plan = plan_writing(run, write, false)?;
    let to_files = plan
        .jobs
        .iter()
        .any(|job| !matches!(job.output, Output::Stdout));
    if to_files {
        catch_interrupts();
    }
    // Over standard output the bar would mix with the records on a terminal.
    let progress = Progress::new(&plan.jobs, run.progress && to_files);
    let pool = pool(run);
    let records = Records {
        config,
        settings: &run.settings,
        keep_reports: false,
    };
    let stdout = io::stdout();
    let mut stdout = BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut outcomes = Vec::with_capacity(plan.jobs.len());
    let mut total = RecordTally::default();
    let mut closed = false;
    for job in &plan.jobs {
        if interrupted() {
            break;
        }
        let unit = unit_of(job);
        let mut tally = RecordTally::default();
        let result = match skip_reason(job, write.skip_existing) {
            Some(skip) => Err(skip),
            None => clean_file(
                job,
                &records,
                &pool,
                &progress,
                write,
                &mut stdout,
                &mut tally,
            ),
        };
        progress.unit_done();
        if let Err(Problem::Write(_, e)) = &result {
            if matches!(job.output, Output::Stdout) && is_broken_pipe(e) {
                // The reader of our output went away (`| head`): end quietly.
                closed = true;
                break;
            }
        }
        if interrupted() && result.is_err() {
            break;
        }
        total.add(&tally);
        let mut outcome = Outcome::new(unit, result);
        if outcome.status != Status::Skipped {
            outcome.records = Some(tally);
        }
        progress.suspend(|| tell(&outcome, run.quiet));
        outcomes.push(outcome);
    }
    progress.finish();
    if closed {
        return Ok(Exit::Success);
    }
    if let Err(e) = stdout.flush() {
        if !is_broken_pipe(&e) {
            error(format!(
                "cannot write standard output: {}",
                source::describe_io_error(&e)
            ));
            return Ok(Exit::Failed);
        }
    }

    let stopped = interrupted().then_some(plan.jobs.len() as u64);
    let exit = match end_writing(write, &plan.errors, &outcomes, total.bad > 0, stopped) {
        Ok(exit) => exit,
        Err(signal) => return Ok(signal),
    };
    if !run.quiet && (to_files || outcomes.len() > 1 || exit != Exit::Success) {
        say(summary(&outcomes, plan.errors.len()) + &records_summary(&total, "cleaned", COPIED));
    }
    Ok(exit)
}

/// Cleans one shard into its output; `tally` counts its records as they are written.
fn clean_file(
    job: &Job,
    records: &Records<'_>,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    write: &WriteConfig,
    stdout: &mut dyn Write,
    tally: &mut RecordTally,
) -> Result<FileReport, Problem> {
    let mut reader = open(job, progress)?;
    let (target, in_place) = match (&job.output, &job.input) {
        (Output::Stdout, _) => {
            let output = (stdout, "standard output");
            return clean_into(job, records, pool, &mut reader, output, tally);
        }
        (Output::File(target), _) => (target.as_path(), false),
        (Output::InPlace, source::Input::File(path)) => (path.as_path(), true),
        _ => {
            return Err(Problem::Refused(
                "nowhere to write this input (a bug in zhclean's plan)".into(),
            ))
        }
    };
    let name = target.display().to_string();
    let write_error = |e| Problem::Write(name.clone(), e);
    let file = AtomicFile::create(target).map_err(write_error)?;
    let mut compressed = Compression::of(target).writer(file).map_err(write_error)?;
    let output = (&mut compressed as &mut dyn Write, name.as_str());
    let report = clean_into(job, records, pool, &mut reader, output, tally)?;
    let file = compressed.finish().map_err(write_error)?;
    // In place, a shard none of whose records changed is left alone.
    if in_place && !report.changed {
        return Ok(report);
    }
    if let (true, Some(suffix)) = (in_place, write.backup.as_deref()) {
        keep_backup(target, suffix)?;
    }
    file.commit().map_err(write_error)?;
    Ok(report)
}

fn keep_backup(target: &Path, suffix: &str) -> Result<(), Problem> {
    sink::backup(target, suffix).map(drop).map_err(|e| {
        Problem::Refused(format!(
            "cannot keep a backup, so the file was left as it was: {}",
            source::describe_io_error(&e)
        ))
    })
}

/// Streams the records of `reader` through the cleaning into `out` (named `output` in a write
/// error), in order.
fn clean_into(
    job: &Job,
    records: &Records<'_>,
    pool: &rayon::ThreadPool,
    reader: &mut dyn io::BufRead,
    (out, output): (&mut dyn Write, &str),
    tally: &mut RecordTally,
) -> Result<FileReport, Problem> {
    let mut clean = zhclean::report::CleanReport::default();
    let (mut bytes_in, mut bytes_out, mut named) = (0u64, 0u64, 0u64);
    let write_error = |e| Problem::Write(output.to_string(), e);
    let mut changed = false;
    for_each_chunk(
        reader,
        pool,
        &|chunk, out| (chunk.bytes().len(), records.clean_chunk(chunk, out)),
        |(read, done), input, output| {
            let written: usize = done.pieces.slices(input, output).map(<[u8]>::len).sum();
            bytes_in += read as u64;
            bytes_out += written as u64;
            // Any record rewritten, or a line break added or a report field: the bytes differ.
            changed |=
                done.tally.changed > 0 || records.config.report_field.is_some() || written != read;
            tell_bad(&job.name, &done.bad, COPIED, &mut named);
            tally.add(&done.tally);
            clean.rules.merge(&done.clean.rules);
            clean.lines_in += done.clean.lines_in;
            clean.lines_out += done.clean.lines_out;
            let room = 100usize.saturating_sub(clean.warnings.len());
            clean
                .warnings
                .extend(done.clean.warnings.into_iter().take(room));
            for slice in done.pieces.slices(input, output) {
                out.write_all(slice).map_err(write_error)?;
            }
            Ok(())
        },
    )?;
    out.flush().map_err(write_error)?;
    Ok(file_report(clean, bytes_in, bytes_out, changed))
}
