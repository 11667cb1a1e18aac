//! What became of each input: its [`Outcome`] (the report file's lines and the summary are made
//! of them), the warnings and errors said about it, and the summary line.

use std::path::PathBuf;

use zhclean::run::FileReport;
use zhclean::source::Output;

use super::drive::{Problem, SkipKind, Unit};
use super::jsonl::RecordTally;
use super::{error, say, thousands, Exit};

/// How one input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Cleaned,
    Unchanged,
    /// Not a text file, found while walking a directory: not an error.
    Skipped,
    Failed,
}

/// One input's result: what the report file and the summary are made of.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Outcome {
    pub input: String,
    /// Written as the input's name is, lossily: a file name that is not UTF-8 (a GBK name on
    /// Linux) cannot be a JSON string, and the report must still have its line.
    #[serde(serialize_with = "lossy_path")]
    pub output: Option<PathBuf>,
    pub status: Status,
    /// Why the file was skipped or failed.
    pub reason: Option<String>,
    #[serde(flatten)]
    pub report: Option<FileReport>,
    /// Why it was skipped, for the summary.
    #[serde(skip)]
    pub skip: Option<SkipKind>,
    /// An archive member with the name of an earlier one: where it went instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<String>,
    /// With `--jsonl`: what became of the file's records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<RecordTally>,
}

/// A path as a JSON string, its bytes that are not UTF-8 shown as U+FFFD (as `Path::display`).
fn lossy_path<S: serde::Serializer>(path: &Option<PathBuf>, to: S) -> Result<S::Ok, S::Error> {
    match path {
        Some(path) => to.serialize_str(&path.to_string_lossy()),
        None => to.serialize_none(),
    }
}

impl Outcome {
    pub(crate) fn new(unit: Unit, result: Result<FileReport, Problem>) -> Self {
        let output = match unit.output {
            Output::File(path) => Some(path),
            Output::InPlace => unit.source,
            Output::Stdout | Output::Dir(_) | Output::Nowhere => None,
        };
        let (status, reason, report, skip) = match result {
            Ok(report) => (
                if report.changed {
                    Status::Cleaned
                } else {
                    Status::Unchanged
                },
                None,
                Some(report),
                None,
            ),
            Err(Problem::Skipped(kind, reason)) => {
                (Status::Skipped, Some(reason), None, Some(kind))
            }
            Err(problem) => (Status::Failed, Some(problem.to_string()), None, None),
        };
        Outcome {
            input: unit.name,
            output,
            status,
            reason,
            report,
            skip,
            duplicate: unit.duplicate,
            records: None,
        }
    }
}

/// Says on standard error what went wrong with one input, or what it had to warn about.
pub(crate) fn tell(outcome: &Outcome, quiet: bool) {
    match outcome.status {
        Status::Failed => error(format!(
            "{}: {}",
            outcome.input,
            outcome.reason.as_deref().unwrap_or("failed")
        )),
        // Up-to-date outputs are what the user asked to skip: the summary counts them.
        Status::Skipped if !quiet && outcome.skip != Some(SkipKind::UpToDate) => error(format!(
            "{}: skipped: {}",
            outcome.input,
            outcome.reason.as_deref().unwrap_or("")
        )),
        _ => {}
    }
    // Said even with --quiet: without it, a user would look for this member under its name.
    if let Some(duplicate) = &outcome.duplicate {
        error(format!("{}: warning: {duplicate}", outcome.input));
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
        for warning in &report.clean.warnings {
            error(format!("{}: warning: {warning}", outcome.input));
        }
    }
}

/// `1,204 files: 1,180 cleaned, 20 unchanged, 3 skipped (binary), 1 failed`
pub(crate) fn summary(outcomes: &[Outcome], unusable_inputs: usize) -> String {
    summary_with(outcomes, unusable_inputs, "cleaned")
}

/// The summary line, with the word for changed files (`cleaned`, or `would change` for `check`).
pub(crate) fn summary_with(outcomes: &[Outcome], unusable_inputs: usize, changed: &str) -> String {
    let count = |status| outcomes.iter().filter(|o| o.status == status).count() as u64;
    let total = outcomes.len() as u64 + unusable_inputs as u64;
    let mut line = format!(
        "{} file{}: {} {changed}, {} unchanged",
        thousands(total),
        if total == 1 { "" } else { "s" },
        thousands(count(Status::Cleaned)),
        thousands(count(Status::Unchanged))
    );
    let skipped = count(Status::Skipped);
    if skipped > 0 {
        let kinds: Vec<String> = [
            (SkipKind::Binary, "binary"),
            (SkipKind::UpToDate, "up to date"),
            (SkipKind::NotAFile, "not regular files"),
            (SkipKind::NotJsonl, "not JSONL"),
            (SkipKind::Unread, "format not read"),
            (SkipKind::Data, "data or markup"),
            (SkipKind::Hidden, "hidden"),
        ]
        .into_iter()
        .filter_map(|(kind, what)| {
            let n = outcomes.iter().filter(|o| o.skip == Some(kind)).count() as u64;
            (n > 0).then_some((n, what))
        })
        .map(|(n, what)| {
            if n == skipped {
                what.to_string()
            } else {
                format!("{} {what}", thousands(n))
            }
        })
        .collect();
        line += &format!(", {} skipped ({})", thousands(skipped), kinds.join(", "));
    }
    let failed = count(Status::Failed) + unusable_inputs as u64;
    if failed > 0 {
        line += &format!(", {} failed", thousands(failed));
    }
    let duplicates = outcomes.iter().filter(|o| o.duplicate.is_some()).count() as u64;
    if duplicates > 0 {
        line += &format!(
            " ({} archive member{} with the name of an earlier one, kept under another name)",
            thousands(duplicates),
            if duplicates == 1 { "" } else { "s" }
        );
    }
    line
}

/// The end of `check` and `diff`: the summary line (unless `quiet`), and how the run exits —
/// failed if anything could not be read (the rest was still looked at), otherwise "would
/// change" if some file would change, success if none would.
pub(crate) fn finish_reading(outcomes: &[Outcome], unusable_inputs: usize, quiet: bool) -> Exit {
    if !quiet {
        say(summary_with(outcomes, unusable_inputs, "would change"));
    }
    let errors = unusable_inputs > 0 || outcomes.iter().any(|o| o.status == Status::Failed);
    let any_change = outcomes.iter().any(|o| o.status == Status::Cleaned);
    if errors {
        Exit::Failed
    } else if any_change {
        Exit::WouldChange
    } else {
        Exit::Success
    }
}
