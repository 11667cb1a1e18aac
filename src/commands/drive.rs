//! Running a plan: files, standard input and archive members alike become *units* of work, each
//! streamed through the one pipeline by the command's `work`, with the same progress bar, the same
//! handling of binary inputs, `--skip-existing`, and interruption.
//!
//! Jobs run in parallel (an archive's members one after another inside its job, because a zip
//! archive is read through one seekable file); results come back in job order and, inside an
//! archive, in member order, so reports and listings are the same whatever `--jobs` is.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read, Seek, SeekFrom, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Once};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::clean::{summary_with, Outcome, Status};
use super::contain::{contain, panic_problem};
use crate::run::FileError;
use crate::source::archive::{self, MemberKind};
use crate::source::{Input, Job, Output};

/// Set by the first Ctrl-C (or SIGTERM, or SIGHUP): workers stop at their next read, drop their
/// unfinished outputs (whose temporary files are then removed) and the run ends with exit code
/// 128 + the signal.
static INTERRUPTED: LazyLock<Arc<AtomicBool>> = LazyLock::new(Default::default);

/// The signal that stopped the run, 0 while none has.
static STOP_SIGNAL: LazyLock<Arc<AtomicUsize>> = LazyLock::new(Default::default);

/// The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells expect.
pub(crate) const EXIT_INTERRUPTED: u8 = 130;

/// Catches SIGINT (Ctrl-C), SIGTERM (`kill`, a service manager, a batch scheduler's time limit)
/// and SIGHUP (a closed terminal or SSH session) for a run that writes files, so that it stops
/// with no temporary file left. A second signal ends the process at once, for a user who will
/// not wait for the workers to stop.
pub(crate) fn catch_interrupts() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        use signal_hook::flag;
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            // Actions run in the order they were registered: the shutdown sees the flag only
            // once an earlier signal has set it.
            let _ = flag::register_conditional_shutdown(signal, 128 + signal, INTERRUPTED.clone());
            let _ = flag::register_usize(signal, STOP_SIGNAL.clone(), signal as usize);
            let _ = flag::register(signal, INTERRUPTED.clone());
        }
    });
}

pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// How a run stopped by a signal says so, and its exit code (128 + the signal).
pub(crate) fn stopped_by() -> (&'static str, u8) {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    match STOP_SIGNAL.load(Ordering::Relaxed) as i32 {
        SIGTERM => ("terminated (SIGTERM)", 128 + SIGTERM as u8),
        SIGHUP => ("hung up (SIGHUP)", 128 + SIGHUP as u8),
        _ => ("interrupted", EXIT_INTERRUPTED),
    }
}

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
}

/// Why a unit did not produce a result.
#[derive(Debug)]
pub(crate) enum Problem {
    File(FileError),
    /// Refused before reading (an archive member whose path escapes the output, an unreadable
    /// archive, a file too large to diff), with the message to show.
    Refused(String),
    Skipped(SkipKind, String),
    /// The output (a path, or standard output) could not be written.
    Write(String, io::Error),
    /// A panic while processing it: a bug, contained to this unit (see `contain`).
    Panicked(String),
    /// Stopped by Ctrl-C: no outcome is recorded for it.
    Interrupted,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::File(error) => write!(f, "{error}"),
            Problem::Refused(message) | Problem::Skipped(_, message) => f.write_str(message),
            Problem::Write(output, error) => write!(
                f,
                "cannot write {output}: {}",
                crate::source::describe_io_error(error)
            ),
            Problem::Panicked(message) => f.write_str(&panic_problem(message.clone())),
            Problem::Interrupted => f.write_str("interrupted"),
        }
    }
}

impl From<FileError> for Problem {
    fn from(error: FileError) -> Self {
        Problem::File(error)
    }
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
            let mut reader = progress.guard(io::stdin().lock());
            let result = work(&unit, &mut reader);
            complete(unit, result);
        }
        Input::File(path) => {
            let unit = unit_for(job, Some(path), job.output.clone());
            let result = if job.walked && archive::ArchiveKind::of(path).is_some() {
                Err(Problem::Skipped(
                    SkipKind::Binary,
                    "an archive: add --archives to clean its members".into(),
                ))
            } else if options.skip_existing && up_to_date(path, &unit.output) {
                Err(up_to_date_problem())
            } else {
                match File::open(path) {
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
                            Output::Dir(base) => Output::File(base.join(&relative)),
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
                    let result = match (output, member.kind, member.content) {
                        (Err(refused), _, _) => Err(Problem::Refused(refused)),
                        (Ok(_), MemberKind::Other(what), _) => Err(Problem::Skipped(
                            SkipKind::NotAFile,
                            format!("a {what}, not a regular file"),
                        )),
                        (Ok(_), _, Err(unreadable)) => Err(Problem::Refused(unreadable)),
                        (Ok(output), _, Ok(reader)) => {
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
fn up_to_date(source: &Path, output: &Output) -> bool {
    let Output::File(target) = output else {
        return false;
    };
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match (modified(source), modified(target)) {
        (Some(source), Some(target)) => target >= source,
        _ => false,
    }
}

fn up_to_date_problem() -> Problem {
    Problem::Skipped(
        SkipKind::UpToDate,
        "its output is up to date (--skip-existing)".into(),
    )
}

/// A reader that counts what it reads into the progress bar and stops with an error once the run
/// is interrupted, so that a worker gives up at its next chunk.
pub(crate) struct Guarded<R> {
    inner: R,
    bar: Option<ProgressBar>,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if interrupted() {
            // Not ErrorKind::Interrupted: readers retry on that.
            return Err(io::Error::other("interrupted"));
        }
        let n = self.inner.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}

impl<R: Seek> Seek for Guarded<R> {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        self.inner.seek(position)
    }
}

/// The progress bar: units done of the total, bytes per second, and time left. The byte total is
/// the size of the inputs (archives by their size on disk, which is what is read).
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    done: AtomicU64,
    total: AtomicU64,
}

impl Progress {
    pub fn new(jobs: &[Job], show: bool) -> Self {
        let bar = show.then(|| {
            let bytes: u64 = jobs
                .iter()
                .filter_map(|job| match &job.input {
                    Input::File(path) | Input::Archive(path, _) => {
                        std::fs::metadata(path).ok().map(|m| m.len())
                    }
                    Input::Stdin => None,
                })
                .sum();
            // indicatif hides itself when standard error is not a terminal; `--progress always`
            // asks for the bar anyway (a terminal multiplexer, a log the user tails).
            let target = if io::stderr().is_terminal() {
                ProgressDrawTarget::stderr()
            } else {
                ProgressDrawTarget::term_like_with_hz(Box::new(ForcedStderr), 4)
            };
            let bar = ProgressBar::with_draw_target(Some(bytes), target);
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg} files  [{bar:30}] {bytes}/{total_bytes}  {bytes_per_sec}  ETA {eta}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar
        });
        let progress = Progress {
            bar,
            done: AtomicU64::new(0),
            total: AtomicU64::new(jobs.len() as u64),
        };
        progress.redraw();
        progress
    }

    /// Units finished so far, and the total known so far.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    fn guard<R: Read>(&self, inner: R) -> Guarded<R> {
        Guarded {
            inner,
            bar: self.bar.clone(),
        }
    }

    /// An archive counts as one job until it is opened; then its members count one by one.
    fn replace_unit_by_members(&self) {
        self.total.fetch_sub(1, Ordering::Relaxed);
        self.redraw();
    }

    fn add_units(&self, n: u64) {
        self.total.fetch_add(n, Ordering::Relaxed);
        self.redraw();
    }

    fn unit_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
        self.redraw();
    }

    fn redraw(&self) {
        if let Some(bar) = &self.bar {
            let (done, total) = self.counts();
            bar.set_message(format!("{done}/{total}"));
        }
    }

    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Standard error drawn on as a terminal even when it is not one (`--progress always`), with
/// plain ANSI cursor movements.
#[derive(Debug)]
struct ForcedStderr;

impl indicatif::TermLike for ForcedStderr {
    fn width(&self) -> u16 {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|columns| columns.parse().ok())
            .unwrap_or(80)
    }

    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}A"))
    }

    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}B"))
    }

    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}C"))
    }

    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}D"))
    }

    fn write_line(&self, line: &str) -> io::Result<()> {
        writeln!(io::stderr(), "{line}")
    }

    fn write_str(&self, text: &str) -> io::Result<()> {
        // A zero-line move (`ESC[0A`) is a one-line move to most terminals.
        if text.starts_with("\x1b[0") {
            return Ok(());
        }
        io::stderr().write_all(text.as_bytes())
    }

    fn clear_line(&self) -> io::Result<()> {
        self.write_str("\r\x1b[2K")
    }

    fn flush(&self) -> io::Result<()> {
        io::stderr().flush()
    }
}

/// The settings and the plan of a command that only reads (`check`, `diff`, `detect`), or the exit
/// code after saying what is wrong.
pub(crate) fn prepare_reading(
    input: &crate::cli::InputArgs,
    pipeline: &crate::cli::PipelineArgs,
    archives: bool,
) -> Result<(crate::run::Settings, crate::source::Plan), u8> {
    let settings = super::settings(input, pipeline).map_err(|message| {
        super::error(message);
        super::EXIT_ERROR
    })?;
    let options = crate::source::PlanOptions {
        destination: crate::source::Destination::Nowhere,
        archives,
    };
    let plan = crate::source::plan_with(&input.inputs, options).map_err(|usage| {
        super::error(usage);
        super::EXIT_ERROR
    })?;
    for message in &plan.errors {
        super::error(message);
    }
    Ok((settings, plan))
}

/// The end of `check` and `diff`: the summary line (unless `quiet`), and the exit code — 2 if
/// anything could not be read (the rest was still looked at), otherwise 1 if some file would
/// change, 0 if none would.
pub(crate) fn finish_reading(outcomes: &[Outcome], unusable_inputs: usize, quiet: bool) -> u8 {
    if !quiet {
        super::say(summary_with(outcomes, unusable_inputs, "would change"));
    }
    let errors = unusable_inputs > 0 || outcomes.iter().any(|o| o.status == Status::Failed);
    let any_change = outcomes.iter().any(|o| o.status == Status::Cleaned);
    if errors {
        super::EXIT_ERROR
    } else if any_change {
        super::EXIT_WOULD_CHANGE
    } else {
        super::EXIT_OK
    }
}
