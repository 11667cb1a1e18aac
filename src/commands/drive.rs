//! Running a plan: files, standard input and archive members alike become *units* of work, each
//! streamed through the one pipeline by the command's `work`, with the same progress bar, the same
//! handling of binary inputs, `--skip-existing`, and interruption.
//!
//! Jobs run in parallel (an archive's members one after another inside its job, because a zip
//! archive is read through one seekable file); results come back in job order and, inside an
//! archive, in member order, so reports and listings are the same whatever `--jobs` is.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use zhclean::run::{FileError, RunConfig};
use zhclean::source::archive::{self, MemberKind};
use zhclean::source::{self, Destination, Input, Job, Output, Plan, PlanOptions};

use super::contain::{contain, panic_problem};
use super::interrupt::{self, interrupted};
use super::progress::Progress;
use super::Error;

/// One unit of work: a file, standard input, or one member of an archive.
#[derive(Clone, Debug)]
pub(crate) struct Unit {
    /// As the user should see it: a path, `-`, or `archive.zip:member/path.txt`.
    pub name: String,
    /// The file read, or the archive a member comes from (`None` for standard input).
    pub source: Option<PathBuf>,
    /// `File`, `Stdout`, `InPlace` or `Nowhere` (never `Dir`).
    pub output: Output,
    /// Found by walking a directory or inside an archive: binary content is skipped, not failed.
    pub walked: bool,
    /// An archive member whose name an earlier member of the same archive has: what became of
    /// it, for a warning, the summary and the report.
    pub duplicate: Option<String>,
}

/// Why a unit was skipped: the summary counts them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SkipKind {
    Binary,
    UpToDate,
    NotAFile,
    /// In a directory read with `--jsonl`: a file not named as a JSONL shard.
    NotJsonl,
    /// A format left out by `--formats`, or a PDF without pdftotext.
    Unread,
    /// Found in a directory or an archive: data or markup (CSV, JSON, source code), not prose.
    Data,
    /// A hidden archive member (`.git/config`, `.DS_Store`), without `--hidden`.
    Hidden,
}

/// Why a unit did not produce a result.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Problem {
    #[error(transparent)]
    File(#[from] FileError),
    /// Refused before reading (an archive member whose path escapes the output, an unreadable
    /// archive, a file too large to diff), with the message to show.
    #[error("{0}")]
    Refused(String),
    #[error("{1}")]
    Skipped(SkipKind, String),
    /// The output (a path, or standard output) could not be written.
    #[error("cannot write {output}: {cause}", output = .0, cause = source::describe_io_error(.1))]
    Write(String, #[source] io::Error),
    /// A panic while processing it: a bug, contained to this unit (see `contain`).
    #[error("{}", panic_problem(.0.clone()))]
    Panicked(String),
    /// Stopped by Ctrl-C: no outcome is recorded for it.
    #[error("interrupted")]
    Interrupted,
}

/// How to run the jobs.
pub(crate) struct DriveOptions<'a> {
    /// `--jobs`; `Some(1)` runs strictly one unit after another, in order.
    pub threads: Option<usize>,
    /// `--skip-existing`: skip a unit whose output is at least as new as its input.
    pub skip_existing: bool,
    pub progress: &'a Progress,
    /// Set by a command to stop early (its reader went away).
    pub stop: Option<&'a AtomicBool>,
}

impl<'a> DriveOptions<'a> {
    /// Every unit, on `threads` threads (all cores by default), with nothing skipped.
    pub fn new(threads: Option<usize>, progress: &'a Progress) -> Self {
        DriveOptions {
            threads,
            skip_existing: false,
            progress,
            stop: None,
        }
    }

    fn stopped(&self) -> bool {
        interrupted() || self.stop.is_some_and(|stop| stop.load(Ordering::Relaxed))
    }
}

/// What a run produced: one finished value per unit, in order, and whether it was cut short.
pub(crate) struct Driven<O> {
    pub outcomes: Vec<O>,
    pub interrupted: bool,
}

/// Runs every job: `work` processes one unit from its reader; `finish` turns the unit and its
/// result into what the command keeps (and may print warnings as it goes). Units stopped by an
/// interruption are not finished.
pub(crate) fn drive<T, O, W, F>(
    jobs: &[Job],
    options: &DriveOptions,
    work: W,
    finish: F,
) -> Driven<O>
where
    W: Fn(&Unit, &mut dyn Read) -> Result<T, Problem> + Sync,
    F: Fn(Unit, Result<T, Problem>) -> O + Sync,
    O: Send,
{
    // A panic outside any one unit's work (in the command's `finish`, say) still ends only
    // this job: it becomes the job's error.
    let run = |job: &Job| {
        contain(|| run_job(job, options, &work, &finish)).unwrap_or_else(|message| {
            let source = match &job.input {
                Input::File(path) | Input::Archive(path, _) => Some(path.as_path()),
                Input::Stdin => None,
            };
            let unit = unit_for(job, source, Output::Nowhere);
            contain(|| finish(unit, Err(Problem::Panicked(message))))
                .into_iter()
                .collect()
        })
    };
    let per_job: Vec<Vec<O>> = if options.threads == Some(1) {
        jobs.iter().map(run).collect()
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads.unwrap_or(0))
            .build();
        match pool {
            Ok(pool) => pool.install(|| jobs.par_iter().map(run).collect()),
            Err(_) => jobs.par_iter().map(run).collect(),
        }
    };
    Driven {
        outcomes: per_job.into_iter().flatten().collect(),
        interrupted: options.stopped(),
    }
}

fn run_job<T, O>(
    job: &Job,
    options: &DriveOptions,
    work: &(impl Fn(&Unit, &mut dyn Read) -> Result<T, Problem> + Sync),
    finish: &(impl Fn(Unit, Result<T, Problem>) -> O + Sync),
) -> Vec<O> {
    let mut outcomes = Vec::new();
    if options.stopped() {
        return outcomes;
    }
    let progress = options.progress;
    let mut complete = |unit: Unit, result: Result<T, Problem>| {
        let result = match result {
            Err(Problem::File(error @ FileError::Binary { .. })) if unit.walked => {
                Err(Problem::Skipped(SkipKind::Binary, error.to_string()))
            }
            Err(Problem::File(error)) if error.is_skip() => {
                Err(Problem::Skipped(SkipKind::Unread, error.to_string()))
            }
            Err(Problem::File(_) | Problem::Write(..)) if options.stopped() => {
                Err(Problem::Interrupted)
            }
            other => other,
        };
        progress.unit_done();
        if !matches!(result, Err(Problem::Interrupted)) {
            outcomes.push(finish(unit, result));
        }
    };
    // One unit's work, with a panic inside it made that unit's error.
    let work = |unit: &Unit, reader: &mut dyn Read| -> Result<T, Problem> {
        contain(|| work(unit, reader)).unwrap_or_else(|message| Err(Problem::Panicked(message)))
    };
    match &job.input {
        Input::Stdin => {
            let unit = unit_for(job, None, job.output.clone());
            let mut reader = progress.guard(interrupt::stdin());
            let result = work(&unit, &mut reader);
            complete(unit, result);
        }
        Input::File(path) => {
            let unit = unit_for(job, Some(path), job.output.clone());
            // Read once: what kind of file it is decides both what follows and how it opens.
            let metadata = std::fs::metadata(path);
            // Found by a walk, a named pipe, a socket or a device is not read: a pipe would
            // wait for a writer. Named as INPUT, it is read as standard input is.
            let special = match &metadata {
                Ok(metadata) if job.walked => source::walk::special_kind(metadata),
                _ => None,
            };
            let result = if let Some(what) = special {
                Err(Problem::Skipped(
                    SkipKind::NotAFile,
                    format!("{what}, not a regular file: name it as INPUT to read it"),
                ))
            } else if let Some(problem) = data_problem(
                job.prose_only,
                path,
                ": name it as INPUT, or match it with --glob, to clean it anyway",
            ) {
                Err(problem)
            } else if job.walked && archive::ArchiveKind::of(path).is_some() {
                Err(Problem::Skipped(
                    SkipKind::Binary,
                    "an archive: add --archives to clean its members".into(),
                ))
            } else if options.skip_existing && up_to_date(path, &unit.output) {
                Err(up_to_date_problem())
            } else {
                match interrupt::open_file_of(path, metadata) {
                    Ok(file) => work(&unit, &mut progress.guard(file)),
                    Err(error) => Err(Problem::File(FileError::Read(error))),
                }
            };
            complete(unit, result);
        }
        Input::Archive(path, kind) => {
            progress.replace_unit_by_members();
            let file = match File::open(path) {
                Ok(file) => file,
                Err(error) => {
                    progress.add_units(1);
                    let unit = unit_for(job, Some(path), Output::Nowhere);
                    complete(unit, Err(Problem::File(FileError::Read(error))));
                    return outcomes;
                }
            };
            // Zip members are read at the offsets its directory gives: a buffer in between keeps
            // the many small reads of headers cheap.
            let reader = progress.guard(BufReader::with_capacity(64 * 1024, file));
            // The member paths written so far: a second member of the same name is written
            // beside the first (`name.2`), never over it.
            let mut taken = HashSet::new();
            // The archive reader itself may meet a bug on a damaged archive: that panic is the
            // archive's error, after the members read before it.
            let read = contain(|| {
                archive::for_each_member(*kind, reader, &mut |member| {
                    if member.kind == MemberKind::Directory {
                        return ControlFlow::Continue(());
                    }
                    progress.add_units(1);
                    let name = format!("{}:{}", job.name, member.name);
                    // Checked even when nothing is written, so `check` reports what `clean`
                    // refuses.
                    let relative = archive::safe_member_path(&member.name)
                        .map(|relative| distinct_path(relative, &mut taken));
                    let mut unit = Unit {
                        name,
                        source: Some(path.clone()),
                        output: Output::Nowhere,
                        walked: true,
                        duplicate: None,
                    };
                    let output = relative.map(|(relative, renamed)| {
                        let output = match &job.output {
                            Output::Dir(base) => {
                                Output::File(base.join(source::output_name(&relative)))
                            }
                            _ => Output::Nowhere,
                        };
                        if renamed {
                            let written = match &output {
                                Output::File(_) => "written as",
                                _ => "`clean` writes it as",
                            };
                            unit.duplicate = Some(format!(
                                "its name is taken by an earlier member: {written} {}",
                                relative.display()
                            ));
                        }
                        output
                    });
                    // Members are found, not named: hidden ones and data files are skipped as
                    // in a directory walk.
                    let member_path = Path::new(&member.name);
                    let skip = if !job.hidden_members && source::walk::is_hidden(member_path) {
                        Some(Problem::Skipped(
                            SkipKind::Hidden,
                            "a hidden member: add --hidden to clean it".into(),
                        ))
                    } else {
                        data_problem(true, member_path, " (an archive member)")
                    };
                    let result = match (output, member.kind, member.content, skip) {
                        (Err(refused), _, _, _) => Err(Problem::Refused(refused.to_string())),
                        (Ok(_), MemberKind::Other(what), _, _) => Err(Problem::Skipped(
                            SkipKind::NotAFile,
                            format!("a {what}, not a regular file"),
                        )),
                        (Ok(_), _, _, Some(skip)) => Err(skip),
                        (Ok(_), _, Err(unreadable), None) => {
                            Err(Problem::Refused(unreadable.to_string()))
                        }
                        (Ok(output), _, Ok(reader), None) => {
                            unit.output = output;
                            if options.skip_existing && up_to_date(path, &unit.output) {
                                Err(up_to_date_problem())
                            } else {
                                work(&unit, reader)
                            }
                        }
                    };
                    complete(unit, result);
                    if options.stopped() {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                })
            });
            let problem = match read {
                Ok(Ok(())) => None,
                Ok(Err(error)) => Some(Problem::Refused(error.to_string())),
                Err(message) => Some(Problem::Panicked(message)),
            };
            if let Some(problem) = problem {
                if !options.stopped() {
                    progress.add_units(1);
                    let unit = unit_for(job, Some(path), Output::Nowhere);
                    complete(unit, Err(problem));
                }
            }
        }
    }
    outcomes
}

/// `relative`, or the first of `relative.2`, `relative.3`, … not yet in `taken` (which it joins);
/// and whether it had to be renamed.
fn distinct_path(relative: PathBuf, taken: &mut HashSet<PathBuf>) -> (PathBuf, bool) {
    if taken.insert(relative.clone()) {
        return (relative, false);
    }
    let mut n = 2u64;
    loop {
        let mut name = relative.clone().into_os_string();
        name.push(format!(".{n}"));
        let candidate = PathBuf::from(name);
        if taken.insert(candidate.clone()) {
            return (candidate, true);
        }
        n += 1;
    }
}

fn unit_for(job: &Job, source: Option<&Path>, output: Output) -> Unit {
    Unit {
        name: job.name.clone(),
        source: source.map(Path::to_path_buf),
        output,
        walked: job.walked,
        duplicate: None,
    }
}

/// Is the output there already, and at least as new as the input?
pub(crate) fn up_to_date(source: &Path, output: &Output) -> bool {
    let Output::File(target) = output else {
        return false;
    };
    // Only regular files: what a named pipe or a device gives is new on every read, whatever
    // its time says, and such an output has no content to be up to date.
    let modified = |path: &Path| {
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        meta.modified().ok()
    };
    match (modified(source), modified(target)) {
        (Some(source), Some(target)) => target >= source,
        _ => false,
    }
}

/// A file found in a directory or an archive (`prose_only`) that holds data or markup, not
/// prose: skipped, since joining its lines or widening its commas would corrupt it. A file named
/// on the command line, or matched by `--glob`, is always cleaned.
fn data_problem(prose_only: bool, path: &Path, hint: &str) -> Option<Problem> {
    let extension = source::walk::data_file(path).filter(|_| prose_only)?;
    Some(Problem::Skipped(
        SkipKind::Data,
        format!("data or markup ({extension}), not prose{hint}"),
    ))
}

fn up_to_date_problem() -> Problem {
    Problem::Skipped(
        SkipKind::UpToDate,
        "its output is up to date (--skip-existing)".into(),
    )
}

/// The plan of a command that only reads (`check`, `diff`, `detect`); inputs that cannot be used
/// are said at once (and stay in the plan, for the summary and the exit code).
pub(crate) fn plan_reading(run: &RunConfig) -> Result<Plan, Error> {
    let options = PlanOptions {
        destination: Destination::Nowhere,
        archives: run.archives,
        walk: &run.walk,
    };
    let plan = source::plan_with(&run.inputs, options)?;
    for message in &plan.errors {
        super::error(message);
    }
    Ok(plan)
}
