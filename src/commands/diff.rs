//! `zhclean diff`: what `clean` would change, as a unified diff from the decoded input (what the
//! user reads in an editor) to the cleaned output. Writes nothing; runs the very pipeline `clean`
//! runs. Both texts are held in memory, so files above [`MAX_DIFF_BYTES`] are refused (`check`
//! streams any size).

use std::io::{self, IsTerminal, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use similar::{ChangeTag, TextDiff};

use super::check::change_reason;
use super::clean::{tell, Outcome, Status};
use super::drive::{drive, finish_reading, prepare_reading, DriveOptions, Problem, Progress};
use super::thousands;
use crate::cli::{DiffArgs, When};
use crate::decode::{Decoder, PREFIX_BYTES};
use crate::run::{self, clean_stream, FileReport, Settings};
use crate::sink::is_broken_pipe;

/// The largest input diffed: both sides are held in memory.
pub const MAX_DIFF_BYTES: u64 = 64 * 1024 * 1024;

/// How one file's diff is shown.
struct Style {
    color: bool,
    stat: bool,
}

/// Lines lost and gained in one file, for `--stat`.
#[derive(Default, Clone, Copy)]
struct Stat {
    deleted: u64,
    inserted: u64,
}

pub fn run(args: DiffArgs) -> u8 {
    let (settings, plan) =
        match prepare_reading(&args.input, &args.pipeline, args.archives.archives) {
            Ok(prepared) => prepared,
            Err(code) => return code,
        };
    let style = Style {
        color: use_color(args.color),
        stat: args.stat,
    };
    let quiet = args.input.quiet;
    // The diff is the output: no progress bar over it, and files in order, one at a time.
    let progress = Progress::new(&plan.jobs, false);
    let closed = AtomicBool::new(false);
    let options = DriveOptions {
        threads: Some(1),
        skip_existing: false,
        progress: &progress,
        stop: Some(&closed),
    };
    let driven = drive(
        &plan.jobs,
        &options,
        |unit, reader| {
            diff_one(&unit.name, reader, &settings, &style).inspect_err(|problem| {
                if matches!(problem, Problem::Interrupted) {
                    closed.store(true, Ordering::Relaxed);
                }
            })
        },
        |unit, result| {
            let (result, stat) = match result {
                Ok((report, stat)) => (Ok(report), stat),
                Err(problem) => (Err(problem), None),
            };
            let outcome = Outcome::new(unit, result);
            if !closed.load(Ordering::Relaxed) {
                tell(&outcome, quiet);
            }
            (outcome, stat)
        },
    );
    if closed.load(Ordering::Relaxed) {
        // The pager or `head` has all it wanted.
        return super::EXIT_WOULD_CHANGE;
    }
    if style.stat {
        if let Err(e) = print_stat(&driven.outcomes) {
            if is_broken_pipe(&e) {
                return super::EXIT_WOULD_CHANGE;
            }
        }
    }
    let outcomes: Vec<Outcome> = driven.outcomes.into_iter().map(|(o, _)| o).collect();
    finish_reading(&outcomes, plan.errors.len(), quiet)
}

/// `--color`: always, never, or on a terminal when `NO_COLOR` is not set.
fn use_color(when: When) -> bool {
    match when {
        When::Always => true,
        When::Never => false,
        When::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
            io::stdout().is_terminal() && !no_color
        }
    }
}

/// Cleans one input into memory and prints its diff (or, with `--stat`, returns its counts).
fn diff_one(
    name: &str,
    reader: &mut dyn Read,
    settings: &Settings,
    style: &Style,
) -> Result<(FileReport, Option<Stat>), Problem> {
    let mut input = Capped {
        inner: reader,
        kept: Vec::new(),
        over: false,
    };
    let mut output = Vec::new();
    let report = match clean_stream(&mut input, &mut output, settings) {
        Ok(report) => report,
        Err(_) if input.over => {
            return Err(Problem::Refused(format!(
                "larger than {} MiB: too large to diff in memory; `zhclean check` tells whether it would change",
                MAX_DIFF_BYTES >> 20
            )))
        }
        Err(error) => return Err(error.into()),
    };
    if !report.changed {
        return Ok((report, style.stat.then(Stat::default)));
    }
    let before = decode_input(&input.kept, settings)?;
    let (after, _, _) = settings.output_encoding.decode(&output);
    let diff = TextDiff::from_lines(before.as_str(), after.as_ref());
    if style.stat {
        let mut stat = Stat::default();
        for change in diff.iter_all_changes() {
            match change.tag() {
                ChangeTag::Delete => stat.deleted += 1,
                ChangeTag::Insert => stat.inserted += 1,
                ChangeTag::Equal => {}
            }
        }
        return Ok((report, Some(stat)));
    }
    let old_header = format!("{name}\t({})", report.decode.encoding);
    let new_header = format!("{name}\t(cleaned, {})", settings.output_encoding.name());
    let mut text = diff
        .unified_diff()
        .context_radius(3)
        .header(&old_header, &new_header)
        .to_string();
    if text.is_empty() {
        // Same text, different bytes (the encoding, a byte-order mark): say so, or the user sees
        // a file that "changes" with no diff.
        text = format!(
            "--- {old_header}\n+++ {new_header}\n# the text is the same; the bytes change: {}\n",
            change_reason(&report, settings)
        );
    }
    let removed: Vec<String> = report
        .clean
        .rules
        .removed_han()
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect();
    if !removed.is_empty() {
        // Before the `---` header, where patch tools skip text: what each rule deleted.
        text.insert_str(
            0,
            &format!("# Han characters removed: {}\n", removed.join(", ")),
        );
    }
    let mut out = io::stdout().lock();
    let written = if style.color {
        out.write_all(colorize(&text).as_bytes())
    } else {
        out.write_all(text.as_bytes())
    };
    written.and_then(|()| out.flush()).map_err(|e| {
        if is_broken_pipe(&e) {
            Problem::Interrupted
        } else {
            Problem::File(run::FileError::Write(e))
        }
    })?;
    Ok((report, None))
}

/// Decodes the input the way `clean_stream` did, so the left side is what the user reads.
fn decode_input(bytes: &[u8], settings: &Settings) -> Result<String, Problem> {
    let prefix = &bytes[..bytes.len().min(PREFIX_BYTES)];
    let detection = run::detect(prefix, bytes.len() <= PREFIX_BYTES, settings)?;
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    // Undecodable bytes were reported by the cleaning run; here they show as U+FFFD.
    let _ = Decoder::new(detection, false).decode(bytes, true, &mut text);
    Ok(text)
}

/// Colours a unified diff line by line: headers bold, hunk ranges cyan, removals red, additions
/// green.
fn colorize(diff: &str) -> String {
    let mut out = String::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let color = if body.starts_with("---") || body.starts_with("+++") {
            "\x1b[1m"
        } else if body.starts_with("@@") {
            "\x1b[36m"
        } else if body.starts_with('-') {
            "\x1b[31m"
        } else if body.starts_with('+') {
            "\x1b[32m"
        } else {
            ""
        };
        if color.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(color);
            out.push_str(body);
            out.push_str("\x1b[0m");
            out.push_str(end);
        }
    }
    out
}

/// `--stat`: one line per file that would change, then the totals.
fn print_stat(results: &[(Outcome, Option<Stat>)]) -> io::Result<()> {
    let changed: Vec<(&str, Stat)> = results
        .iter()
        .filter(|(outcome, _)| outcome.status == Status::Cleaned)
        .filter_map(|(outcome, stat)| Some((outcome.input.as_str(), (*stat)?)))
        .collect();
    let width = changed
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = io::stdout().lock();
    let (mut deleted, mut inserted) = (0, 0);
    for (name, stat) in &changed {
        let pad = width - name.chars().count();
        writeln!(
            out,
            " {name}{:pad$} | -{} +{}",
            "", stat.deleted, stat.inserted
        )?;
        deleted += stat.deleted;
        inserted += stat.inserted;
    }
    writeln!(
        out,
        " {} file{} would change, {} line{} removed, {} added",
        thousands(changed.len() as u64),
        if changed.len() == 1 { "" } else { "s" },
        thousands(deleted),
        if deleted == 1 { "" } else { "s" },
        thousands(inserted)
    )?;
    out.flush()
}

/// Passes reads through and keeps everything, up to [`MAX_DIFF_BYTES`]; past that it fails the
/// read (and says so in `over`), which stops the run of this file.
struct Capped<'a> {
    inner: &'a mut dyn Read,
    kept: Vec<u8>,
    over: bool,
}

impl Read for Capped<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.kept.len() as u64 + n as u64 > MAX_DIFF_BYTES {
            self.over = true;
            return Err(io::Error::other("too large to diff"));
        }
        self.kept.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::colorize;

    #[test]
    fn colors_by_line_kind() {
        let diff = "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same\n";
        let colored = colorize(diff);
        assert!(colored.contains("\x1b[31m-old\x1b[0m\n"));
        assert!(colored.contains("\x1b[32m+new\x1b[0m\n"));
        assert!(colored.contains("\x1b[36m@@ -1 +1 @@\x1b[0m\n"));
        assert!(colored.contains("\x1b[1m--- a\x1b[0m\n"));
        assert!(colored.ends_with(" same\n"));
    }
}
