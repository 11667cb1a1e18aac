//! `zhclean clean`: run the pipeline and write the results.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::{error, show_progress, thousands, EXIT_ERROR, EXIT_OK};
use crate::cli::CleanArgs;
use crate::run::{clean_stream, FileError, FileReport, Settings};
use crate::sink::{is_broken_pipe, AtomicFile};
use crate::source::{self, Input, Job, Output};

/// How one input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Cleaned,
    Unchanged,
    /// Not a text file, found while walking a directory: not an error.
    Skipped,
    Failed,
}

/// One input's result: what the report file and the summary are made of.
#[derive(Debug, serde::Serialize)]
pub struct Outcome {
    pub input: String,
    pub output: Option<PathBuf>,
    pub status: Status,
    /// Why the file was skipped or failed.
    pub reason: Option<String>,
    #[serde(flatten)]
    pub report: Option<FileReport>,
}

impl Outcome {
    fn new(job: &Job, result: Result<FileReport, FileError>) -> Self {
        let output = match &job.output {
            Output::File(path) => Some(path.clone()),
            Output::Stdout => None,
        };
        let (status, reason, report) = match result {
            Ok(report) => (
                if report.changed {
                    Status::Cleaned
                } else {
                    Status::Unchanged
                },
                None,
                Some(report),
            ),
            Err(e @ FileError::Binary { .. }) if job.walked => {
                (Status::Skipped, Some(e.to_string()), None)
            }
            Err(e) => (Status::Failed, Some(e.to_string()), None),
        };
        Outcome {
            input: job.name.clone(),
            output,
            status,
            reason,
            report,
        }
    }
}

pub fn run(args: CleanArgs) -> u8 {
    let settings = match super::settings(&args.input, &args.pipeline) {
        Ok(settings) => settings,
        Err(message) => {
            error(message);
            return EXIT_ERROR;
        }
    };
    let plan = match source::plan(&args.input.inputs, args.output.as_deref()) {
        Ok(plan) => plan,
        Err(usage) => {
            error(usage);
            return EXIT_ERROR;
        }
    };
    for message in &plan.errors {
        error(message);
    }
    let to_files = plan
        .jobs
        .iter()
        .any(|job| matches!(job.output, Output::File(_)));
    let progress = Progress::new(&plan.jobs, show_progress(&args.input) && to_files);

    let outcomes = if to_files {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(args.input.jobs.unwrap_or(0))
            .build();
        let work = || {
            plan.jobs
                .par_iter()
                .map(|job| clean_to_file(job, &settings, &progress, args.input.quiet))
                .collect()
        };
        match pool {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        }
    } else {
        match clean_to_stdout(&plan.jobs, &settings, args.input.quiet) {
            Some(outcomes) => outcomes,
            // The reader of our output went away (`| head`): end quietly.
            None => return EXIT_OK,
        }
    };
    progress.finish();

    let mut code = if plan.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    };
    if outcomes.iter().any(|o| o.status == Status::Failed) {
        code = EXIT_ERROR;
    }
    if let Some(path) = &args.report {
        if let Err(e) = write_report(path, &outcomes) {
            error(format!(
                "{}: cannot write the report: {}",
                path.display(),
                source::describe_io_error(&e)
            ));
            code = EXIT_ERROR;
        }
    }
    if !args.input.quiet && (to_files || outcomes.len() > 1 || code != EXIT_OK) {
        eprintln!("{}", summary(&outcomes, plan.errors.len()));
    }
    code
}

/// Cleans one input into its output file, atomically.
fn clean_to_file(job: &Job, settings: &Settings, progress: &Progress, quiet: bool) -> Outcome {
    let Output::File(target) = &job.output else {
        unreachable!("file jobs only")
    };
    let result = open(&job.input).and_then(|reader| {
        let mut reader = progress.counting(reader);
        let mut file = AtomicFile::create(target).map_err(FileError::Write)?;
        let report = clean_stream(&mut reader, &mut file, settings)?;
        file.commit().map_err(FileError::Write)?;
        Ok(report)
    });
    let outcome = Outcome::new(job, result);
    progress.file_done();
    progress.suspend(|| tell(&outcome, quiet));
    outcome
}

/// Cleans the inputs one after another onto standard output. Returns `None` when standard output
/// was closed by its reader.
fn clean_to_stdout(jobs: &[Job], settings: &Settings, quiet: bool) -> Option<Vec<Outcome>> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        let result =
            open(&job.input).and_then(|mut reader| clean_stream(&mut reader, &mut out, settings));
        if let Err(FileError::Write(e)) = &result {
            if is_broken_pipe(e) {
                return None;
            }
        }
        let outcome = Outcome::new(job, result);
        tell(&outcome, quiet);
        outcomes.push(outcome);
    }
    match out.flush() {
        Err(e) if is_broken_pipe(&e) => None,
        _ => Some(outcomes),
    }
}

fn open(input: &Input) -> Result<Box<dyn Read + Send>, FileError> {
    Ok(match input {
        Input::Stdin => Box::new(io::stdin()),
        Input::File(path) => Box::new(BufReader::with_capacity(
            0,
            File::open(path).map_err(FileError::Read)?,
        )),
    })
}

/// Says on standard error what went wrong with one input, or what it had to warn about.
fn tell(outcome: &Outcome, quiet: bool) {
    match outcome.status {
        Status::Failed => error(format!(
            "{}: {}",
            outcome.input,
            outcome.reason.as_deref().unwrap_or("failed")
        )),
        Status::Skipped if !quiet => error(format!(
            "{}: skipped: {}",
            outcome.input,
            outcome.reason.as_deref().unwrap_or("")
        )),
        _ => {}
    }
    if quiet {
        return;
    }
    if let Some(report) = &outcome.report {
        if report.decode.replaced > 0 {
            let first = report
                .decode
                .replaced_offsets
                .first()
                .map(|o| format!(" (first at byte {o})"))
                .unwrap_or_default();
            error(format!(
                "{}: warning: {} undecodable byte{} replaced with U+FFFD{first} while reading as {}",
                outcome.input,
                report.decode.replaced,
                if report.decode.replaced == 1 { "" } else { "s" },
                report.decode.encoding
            ));
        }
        for warning in &report.clean().warnings {
            error(format!("{}: warning: {warning}", outcome.input));
        }
    }
}

/// `1,204 files: 1,180 cleaned, 20 unchanged, 3 skipped (binary), 1 failed`
pub fn summary(outcomes: &[Outcome], unusable_inputs: usize) -> String {
    let count = |status| outcomes.iter().filter(|o| o.status == status).count() as u64;
    let total = outcomes.len() as u64 + unusable_inputs as u64;
    let mut line = format!(
        "{} file{}: {} cleaned, {} unchanged",
        thousands(total),
        if total == 1 { "" } else { "s" },
        thousands(count(Status::Cleaned)),
        thousands(count(Status::Unchanged))
    );
    if count(Status::Skipped) > 0 {
        line += &format!(", {} skipped (binary)", thousands(count(Status::Skipped)));
    }
    let failed = count(Status::Failed) + unusable_inputs as u64;
    if failed > 0 {
        line += &format!(", {} failed", thousands(failed));
    }
    line
}

fn write_report(path: &std::path::Path, outcomes: &[Outcome]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    for outcome in outcomes {
        serde_json::to_writer(&mut file, outcome)?;
        file.write_all(b"\n")?;
    }
    file.commit()
}

/// The progress bar: files done of the total, bytes per second, and time left.
struct Progress {
    bar: Option<ProgressBar>,
    files_done: AtomicU64,
    files_total: u64,
}

impl Progress {
    fn new(jobs: &[Job], show: bool) -> Self {
        let files_total = jobs.len() as u64;
        let bar = show.then(|| {
            let bytes: u64 = jobs
                .iter()
                .filter_map(|job| match &job.input {
                    Input::File(path) => std::fs::metadata(path).ok().map(|m| m.len()),
                    Input::Stdin => None,
                })
                .sum();
            let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg} files  [{bar:30}] {bytes}/{total_bytes}  {bytes_per_sec}  ETA {eta}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar.set_message(format!("0/{files_total}"));
            bar
        });
        Progress {
            bar,
            files_done: AtomicU64::new(0),
            files_total,
        }
    }

    fn counting(&self, reader: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
        match &self.bar {
            Some(bar) => Box::new(bar.wrap_read(reader)),
            None => reader,
        }
    }

    fn file_done(&self) {
        let done = self.files_done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{done}/{}", self.files_total));
        }
    }

    fn suspend(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
