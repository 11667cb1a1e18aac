//! The commands: each turns parsed arguments into settings, runs the pipeline over its inputs,
//! and returns the exit code. Exit codes: 0 success; 1 `check`/`diff` found files that would
//! change; 2 errors (bad arguments, or any file that could not be read, decoded or written —
//! the other files are still processed); 128 + the signal for a run stopped by SIGINT, SIGTERM
//! or SIGHUP. A panic is contained to the document it happened in (see `contain`).

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{Command, InputArgs, PipelineArgs, When};
use crate::decode::encoding_for_label;
use crate::pipeline::Options;
use crate::rules::RuleSet;
use crate::run::Settings;

mod clean;
mod convert;
mod rules;
// Inspecting commands and the job driver they share with clean.
mod check;
mod contain;
mod detect;
mod diff;
mod drive;

pub const EXIT_OK: u8 = 0;
pub const EXIT_ERROR: u8 = 2;
/// `check` and `diff`: some file would change.
pub const EXIT_WOULD_CHANGE: u8 = 1;

/// Runs a parsed command line.
pub fn run(command: Command) -> ExitCode {
    // Each document's processing contains its own panics; this is the last guard, so that
    // not even a bug outside them ends a run with Rust's exit code 101 and no word of why.
    let code = contain::contain(|| match command {
        Command::Clean(args) => clean::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Rules(args) => rules::run(&args),
        // Inspecting commands (check, diff, detect).
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Detect(args) => detect::run(args),
    })
    .unwrap_or_else(|message| {
        error(contain::panic_problem(message));
        EXIT_ERROR
    });
    ExitCode::from(code)
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

/// Resolves the pipeline options and decoding settings, or says what is wrong with them.
pub(crate) fn settings(input: &InputArgs, pipeline: &PipelineArgs) -> Result<Settings, String> {
    let mut rules = RuleSet::default();
    for (names, on) in [(&pipeline.enable, true), (&pipeline.disable, false)] {
        for name in names {
            rules.set(name.trim(), on).map_err(|e| e.to_string())?;
        }
    }
    let label = |flag: &str, label: &Option<String>| -> Result<_, String> {
        label
            .as_deref()
            .map(|l| {
                encoding_for_label(l).ok_or_else(|| {
                    format!("{flag} {l}: unknown encoding (try utf-8, gbk, gb18030, big5, utf-16le or utf-16be)")
                })
            })
            .transpose()
    };
    let output_encoding =
        label("--output-encoding", &pipeline.output_encoding)?.unwrap_or(encoding_rs::UTF_8);
    if output_encoding == encoding_rs::UTF_16LE || output_encoding == encoding_rs::UTF_16BE {
        return Err(
            "--output-encoding: UTF-16 output is not supported; use utf-8, gbk, gb18030 or big5"
                .into(),
        );
    }
    Ok(Settings {
        options: Options {
            rules,
            target: pipeline.to,
            convert: pipeline.convert,
            blank_line: pipeline.blank_line,
        },
        input_encoding: label("--encoding", &input.encoding)?,
        strict: input.strict,
        output_encoding,
        convert_only: None,
    })
}

/// Whether to draw a progress bar: on a terminal by default, never with `--quiet`.
pub(crate) fn show_progress(input: &InputArgs) -> bool {
    !input.quiet
        && match input.progress {
            When::Always => true,
            When::Never => false,
            When::Auto => std::io::stderr().is_terminal(),
        }
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
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1204), "1,204");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
