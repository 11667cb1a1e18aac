//! The commands: each takes a run configuration resolved from the command line (see `cli`), runs
//! the pipeline over its inputs, and says how the run ended as an [`Exit`]. Exit codes, decided
//! in one place ([`Exit::code`]): 0 success; 1 `check`/`diff` found files that would change; 2
//! errors (bad arguments, or any file that could not be read, decoded or written — the other
//! files are still processed); 128 + the signal for a run stopped by SIGINT, SIGTERM or SIGHUP.
//! A panic is contained to the document it happened in (see `contain`).

use std::io;

use zhclean::rules::UnknownRule;
use zhclean::run::{RunConfig, WriteConfig};
use zhclean::source::UsageError;

// Writing commands (clean, and convert through clean's writer) and the rule listing.
mod clean;
mod rules;
// Inspecting commands.
mod check;
mod detect;
mod diff;
// What the commands share: running a plan, what became of each input, the progress bar, signals
// and panics.
mod contain;
mod drive;
mod interrupt;
mod jsonl;
mod outcome;
mod progress;

pub(crate) use diff::Style as DiffStyle;

/// A command line resolved: what to run, with everything it needs and no clap type.
#[derive(Debug)]
pub(crate) enum Task {
    /// `clean`, and `convert` (whose settings transform by conversion alone): run the pipeline
    /// and write the results.
    Write(RunConfig, WriteConfig),
    /// `check`: which files `clean` would change, and why.
    Check(RunConfig),
    /// `diff`: what `clean` would change, line by line.
    Diff(RunConfig, DiffStyle),
    /// `detect`: what each file is; `json` for one JSON object per file.
    Detect(RunConfig, bool),
    /// `rules`: the rule list; `json` for JSON.
    Rules { json: bool },
}

/// How a run ended. The one place that turns it into a process exit code is [`Exit::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    Success,
    /// `check` and `diff`: some file would change.
    WouldChange,
    /// Bad arguments, or some input could not be read, decoded or written.
    Failed,
    /// Stopped by this signal (SIGINT, SIGTERM, SIGHUP).
    Signal(i32),
}

impl Exit {
    /// The process exit code: 0, 1, 2, or 128 + the signal, as shells expect.
    pub(crate) fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::WouldChange => 1,
            Exit::Failed => 2,
            Exit::Signal(signal) => u8::try_from(128 + signal).unwrap_or(u8::MAX),
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

/// What ends a run before (or instead of) its work: said once, as `zhclean: <message>`, and the
/// run exits with [`Exit::Failed`].
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    UnknownRule(#[from] UnknownRule),
    #[error(
        "{flag} {label}: unknown encoding (try utf-8, gbk, gb18030, big5, utf-16le or utf-16be)"
    )]
    UnknownEncoding { flag: &'static str, label: String },
    #[error("--output-encoding: UTF-16 output is not supported; use utf-8, gbk, gb18030 or big5")]
    Utf16Output,
    #[error(transparent)]
    Field(#[from] zhclean::jsonl::BadFieldPath),
    #[error("--report-field: give the name of the field to add (e.g. --report-field zhclean)")]
    EmptyReportField,
    #[error(
        "--report -: standard output carries the cleaned text; write it to files with -o, or give the report a file"
    )]
    ReportOverText,
    /// `--config FILE`: an OpenCC config file that cannot be used.
    #[error(transparent)]
    ConfigFile(#[from] zhclean::stages::convert::ConfigError),
    /// `--dict FILE`: a dictionary that cannot be used.
    #[error(transparent)]
    Dict(#[from] zhclean::stages::convert::DictError),
    /// A mistake in how the inputs and outputs were given (found while planning the run).
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// Standard output could not be written (other than by a reader that went away).
    #[error("cannot write: {0}")]
    Stdout(#[source] io::Error),
    /// A panic outside any one document's work.
    #[error("{}", contain::panic_problem(.0.clone()))]
    Panicked(String),
}

/// Runs a command line: `resolve` turns it into a [`Task`], which is then run. Errors are said
/// here, and the exit code decided here.
pub(crate) fn execute(resolve: impl FnOnce() -> Result<Task, Error>) -> Exit {
    // Each document's processing contains its own panics; this is the last guard, so that
    // not even a bug outside them ends a run with Rust's exit code 101 and no word of why.
    let result = contain::contain(|| resolve().and_then(dispatch))
        .unwrap_or_else(|message| Err(Error::Panicked(message)));
    result.unwrap_or_else(|e| {
        error(e);
        Exit::Failed
    })
}

fn dispatch(task: Task) -> Result<Exit, Error> {
    match task {
        Task::Write(run, write) => clean::write_results(&run, &write),
        Task::Rules { json } => rules::list(json),
        // Inspecting commands (check, diff, detect).
        Task::Check(run) => check::check(&run),
        Task::Diff(run, style) => diff::diff(&run, style),
        Task::Detect(run, json) => detect::detect(&run, json),
    }
}

/// Prints a one-line error on standard error, prefixed with the program's name.
pub(crate) fn error(message: impl std::fmt::Display) {
    say(format_args!("zhclean: {message}"));
}

/// Prints a line on standard error. Unlike `eprintln!`, which panics when it cannot write
/// (standard error piped into a reader that went away), a line that cannot be written is lost
/// and the run goes on.
pub(crate) fn say(line: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// A count with thousands separators, for summaries (`1,204 files`).
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn exit_codes() {
        assert_eq!(Exit::Success.code(), 0);
        assert_eq!(Exit::WouldChange.code(), 1);
        assert_eq!(Exit::Failed.code(), 2);
        assert_eq!(Exit::Signal(2).code(), 130);
        assert_eq!(Exit::Signal(15).code(), 143);
        assert_eq!(Exit::Signal(1).code(), 129);
    }
}
