//! `zhclean clean` and `zhclean convert`: run the pipeline (or script conversion alone, as the
//! settings' transform says) over the inputs and write the results — to standard output, to
//! files written atomically, or over the inputs — with a report if asked for.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use zhclean::run::{clean_input, FileError, FileReport, RunConfig, Settings, WriteConfig};
use zhclean::sink::{self, is_broken_pipe, AtomicFile};
use zhclean::source::{self, Destination, Input, Job, Output, PlanOptions};

use super::contain::contain;
use super::drive::{drive, DriveOptions, Problem, Unit};
use super::interrupt::{catch_interrupts, stopped_by};
use super::outcome::{summary, tell, Outcome, Status};
use super::progress::Progress;
use super::{error, thousands, Error, Exit};

/// Runs the pipeline the settings describe over the inputs and writes the results where
/// `write` says: the whole of `clean`, and of `convert`, whose settings select conversion alone.
pub(crate) fn write_results(run: &RunConfig, write: &WriteConfig) -> Result<Exit, Error> {
    if let Some(config) = &run.jsonl {
        return super::jsonl::write_records(run, config, write);
    }
    let settings = &run.settings;
    let backup = write.backup.as_deref();
    let clean = |unit: &Unit, reader: &mut dyn Read| clean_unit(unit, reader, settings, backup);
    Ok(write_results_with(run, write, clean)?.0)
}

/// [`write_results`], with `clean` cleaning each unit that has a file output; also returns the
/// outcomes.
fn write_results_with(
    run: &RunConfig,
    write: &WriteConfig,
    clean: impl Fn(&Unit, &mut dyn Read) -> Result<FileReport, Problem> + Sync,
) -> Result<(Exit, Vec<Outcome>), Error> {
    let plan = plan_writing(run, write, run.archives)?;
    let to_files = plan
        .jobs
        .iter()
        .any(|job| !matches!(job.output, Output::Stdout));
    if !to_files && write.report.as_deref().is_some_and(is_standard_output) {
        return Err(Error::ReportOverText);
    }
    let quiet = run.quiet;
    let progress = Progress::new(&plan.jobs, run.progress && to_files);

    let (outcomes, interrupted) = if to_files {
        catch_interrupts();
        let options = DriveOptions {
            threads: run.jobs,
            skip_existing: write.skip_existing,
            progress: &progress,
            stop: None,
        };
        let driven = drive(&plan.jobs, &options, clean, |unit, result| {
            let outcome = Outcome::new(unit, result);
            progress.suspend(|| tell(&outcome, quiet));
            outcome
        });
        (driven.outcomes, driven.interrupted)
    } else {
        match clean_to_stdout(&plan.jobs, &run.settings, quiet) {
            Some(outcomes) => (outcomes, false),
            // The reader of our output went away (`| head`): end quietly.
            None => return Ok((Exit::Success, Vec::new())),
        }
    };
    progress.finish();

    let stopped = interrupted.then(|| progress.counts().1);
    let exit = match end_writing(write, &plan.errors, &outcomes, false, stopped) {
        Ok(exit) => exit,
        Err(signal) => return Ok((signal, outcomes)),
    };
    if !quiet && (to_files || outcomes.len() > 1 || exit != Exit::Success) {
        super::say(summary(&outcomes, plan.errors.len()));
    }
    Ok((exit, outcomes))
}

/// The plan of a run that writes (archives read member by member if `archives`); inputs that
/// cannot be used are said at once (and stay in the plan, for the summary and the exit code).
pub(crate) fn plan_writing(
    run: &RunConfig,
    write: &WriteConfig,
    archives: bool,
) -> Result<source::Plan, Error> {
    let destination = if write.in_place {
        Destination::InPlace
    } else {
        Destination::Output(write.output.as_deref())
    };
    let options = PlanOptions {
        destination,
        archives,
        walk: &run.walk,
    };
    let plan = source::plan_with(&run.inputs, options)?;
    for message in &plan.errors {
        error(message);
    }
    remove_stale_temps(&plan.jobs, write, run.quiet);
    Ok(plan)
}

/// Removes the temporary files an earlier run killed outright (`kill -9`, no handler could run)
/// left where this run writes, and says so: the output directories of the plan's files, an
/// archive's output tree, the directories of files cleaned in place, the report's directory.
/// Another run's files are removed only once its process is gone (see
/// [`sink::remove_stale_temps`]).
fn remove_stale_temps(jobs: &[Job], write: &WriteConfig, quiet: bool) {
    let parent = |path: &Path| match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    // Each directory with whether its subdirectories are swept too.
    let mut dirs = std::collections::BTreeMap::new();
    for job in jobs {
        match (&job.output, &job.input) {
            (Output::File(path), _) | (Output::InPlace, Input::File(path)) => {
                dirs.entry(parent(path)).or_insert(false);
            }
            // An archive's members are written under it at their paths: all of its tree.
            (Output::Dir(base), _) => {
                dirs.insert(base.clone(), true);
            }
            _ => {}
        }
    }
    if let Some(report) = write.report.as_deref().filter(|r| !is_standard_output(r)) {
        dirs.entry(parent(report)).or_insert(false);
    }
    for (dir, below) in dirs {
        let found = if below {
            sink::remove_stale_temps_under(&dir)
        } else {
            sink::remove_stale_temps(&dir)
        };
        if !quiet {
            say_leftovers(&dir, &found);
        }
    }
}

/// Says what [`sink::remove_stale_temps`] removed in `dir` (or below it), and names the files
/// of an older version it left, with the command that removes them.
fn say_leftovers(dir: &Path, found: &sink::Leftovers) {
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    let mut pids: Vec<u32> = found.removed.iter().filter_map(|stale| stale.pid).collect();
    if !pids.is_empty() {
        let count = pids.len();
        pids.sort_unstable();
        pids.dedup();
        let pids: Vec<String> = pids.iter().map(u32::to_string).collect();
        error(format!(
            "removed {count} temporary {} in {} left by a run that was killed (process {}, no longer running)",
            files(count),
            dir.display(),
            pids.join(", ")
        ));
    }
    let older = found
        .removed
        .iter()
        .filter(|stale| stale.pid.is_none())
        .count();
    if older > 0 {
        error(format!(
            "removed {older} temporary {} in {} left by an older version of zhclean (unwritten for more than {} hours)",
            files(older),
            dir.display(),
            sink::OLDER_VERSION_TEMP_AGE.as_secs() / 3600
        ));
    }
    let recent = &found.recent_of_older_version;
    if !recent.is_empty() {
        // Quoted for a POSIX shell, as the user would paste it.
        let quoted: Vec<String> = recent
            .iter()
            .map(|path| format!("'{}'", path.display().to_string().replace('\'', r"'\''")))
            .collect();
        error(format!(
            "left {} temporary {} in {} of an older version of zhclean, written in the last {} hours: a run of it may still be writing there; once none is, remove {} with: rm -- {}",
            recent.len(),
            files(recent.len()),
            dir.display(),
            sink::OLDER_VERSION_TEMP_AGE.as_secs() / 3600,
            if recent.len() == 1 { "it" } else { "them" },
            quoted.join(" ")
        ));
    }
}

/// The end of a run that writes: its exit code (2 when an input could not be used or failed,
/// or when `failed` says so), the report file, and for a run stopped by a signal (`stopped`:
/// the units it had in all) the message and the signal's exit code, as `Err`: no summary
/// follows it.
pub(crate) fn end_writing(
    write: &WriteConfig,
    unusable: &[source::InputError],
    outcomes: &[Outcome],
    failed: bool,
    stopped: Option<u64>,
) -> Result<Exit, Exit> {
    let mut exit = if unusable.is_empty() && !failed {
        Exit::Success
    } else {
        Exit::Failed
    };
    if outcomes.iter().any(|o| o.status == Status::Failed) {
        exit = Exit::Failed;
    }
    if let Some(path) = &write.report {
        if let Err(e) = write_report(path, unusable, outcomes) {
            error(format!(
                "{}: cannot write the report: {}",
                path.display(),
                source::describe_io_error(&e)
            ));
            exit = Exit::Failed;
        }
    }
    if let Some(total) = stopped {
        let (how, exit) = stopped_by();
        error(format!(
            "{how} after {} of {} files; every output written is complete and no temporary file is left. Run the same command with --skip-existing to finish",
            thousands(outcomes.len() as u64),
            thousands(total.max(outcomes.len() as u64))
        ));
        return Err(exit);
    }
    Ok(exit)
}

/// Cleans one unit into its output file, atomically, or over its input with `--in-place`.
/// A write error names the file it could not write, not the input.
fn clean_unit(
    unit: &Unit,
    reader: &mut dyn Read,
    settings: &Settings,
    backup: Option<&str>,
) -> Result<FileReport, Problem> {
    let (target, in_place) = match (&unit.output, &unit.source) {
        (Output::File(target), _) => (target, false),
        (Output::InPlace, Some(path)) => (path, true),
        _ => {
            return Err(Problem::Refused(
                "nowhere to write this input (a bug in zhclean's plan)".into(),
            ))
        }
    };
    let write_error = |e| Problem::Write(target.display().to_string(), e);
    let mut file = AtomicFile::create(target).map_err(write_error)?;
    let name = Some(Path::new(&unit.name));
    let report = clean_input(reader, &mut file, settings, name).map_err(|error| match error {
        FileError::Write(e) => write_error(e),
        other => Problem::File(other),
    })?;
    // In place, an unchanged file is left alone: same bytes, same modification time, no backup.
    if in_place && !report.changed {
        return Ok(report);
    }
    if let (true, Some(suffix)) = (in_place, backup) {
        sink::backup(target, suffix).map_err(|e| {
            Problem::Refused(format!(
                "cannot keep a backup, so the file was left as it was: {}",
                source::describe_io_error(&e)
            ))
        })?;
    }
    file.commit().map_err(write_error)?;
    Ok(report)
}

/// Cleans the inputs one after another onto standard output. Returns `None` when standard output
/// was closed by its reader.
fn clean_to_stdout(jobs: &[Job], settings: &Settings, quiet: bool) -> Option<Vec<Outcome>> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        let result = open(&job.input).and_then(|mut reader| {
            let name = Some(Path::new(&job.name));
            match contain(|| clean_input(&mut reader, &mut out, settings, name)) {
                Ok(Ok(report)) => Ok(report),
                Ok(Err(FileError::Write(e))) => Err(Problem::Write("standard output".into(), e)),
                Ok(Err(other)) => Err(Problem::File(other)),
                Err(message) => Err(Problem::Panicked(message)),
            }
        });
        if let Err(Problem::Write(_, e)) = &result {
            if is_broken_pipe(e) {
                return None;
            }
        }
        let unit = Unit {
            name: job.name.clone(),
            source: None,
            output: Output::Stdout,
            walked: job.walked,
            duplicate: None,
        };
        let outcome = Outcome::new(unit, result);
        tell(&outcome, quiet);
        outcomes.push(outcome);
    }
    match out.flush() {
        Err(e) if is_broken_pipe(&e) => None,
        _ => Some(outcomes),
    }
}

fn open(input: &Input) -> Result<Box<dyn Read>, Problem> {
    Ok(match input {
        Input::Stdin => Box::new(io::stdin()),
        Input::File(path) => {
            Box::new(File::open(path).map_err(|e| Problem::File(FileError::Read(e)))?)
        }
        Input::Archive(..) => unreachable!("an archive needs -o DIR, which the plan asks for"),
    })
}

/// The report: one object per input, those that could not be used at all first.
/// `--report -`: the report goes to standard output (which then carries nothing else).
fn is_standard_output(path: &std::path::Path) -> bool {
    path.as_os_str() == "-"
}

fn write_report(
    path: &std::path::Path,
    unusable: &[source::InputError],
    outcomes: &[Outcome],
) -> io::Result<()> {
    if is_standard_output(path) {
        let mut out = BufWriter::new(io::stdout().lock());
        write_report_lines(&mut out, unusable, outcomes)?;
        return out.flush();
    }
    let mut file = AtomicFile::create(path)?;
    write_report_lines(&mut file, unusable, outcomes)?;
    file.commit()
}

fn write_report_lines(
    file: &mut impl Write,
    unusable: &[source::InputError],
    outcomes: &[Outcome],
) -> io::Result<()> {
    for input in unusable {
        let outcome = Outcome {
            input: input.input.clone(),
            output: None,
            status: Status::Failed,
            reason: Some(input.message.clone()),
            report: None,
            skip: None,
            duplicate: None,
            records: None,
        };
        serde_json::to_writer(&mut *file, &outcome)?;
        file.write_all(b"\n")?;
    }
    for outcome in outcomes {
        serde_json::to_writer(&mut *file, outcome)?;
        file.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use crate::commands::Task;
    use clap::Parser;

    /// A bug that panics in the middle of one document, with its output half-written: that
    /// document fails with the panic's message and place, the nineteen others are written, no
    /// temporary file is left, the report has all twenty, and the run exits 2.
    #[test]
    fn a_panic_in_one_document_is_that_documents_error() {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("in");
        std::fs::create_dir(&input).unwrap();
        for i in 0..20 {
            let name = if i == 7 {
                "poison.txt".into()
            } else {
                format!("f{i:02}.txt")
            };
            std::fs::write(input.join(name), "　　正文第一段。\n").unwrap();
        }
        let out = tmp.path().join("out");
        let report = tmp.path().join("r.jsonl");
        let task = Cli::parse_from([
            "zhclean".as_ref(),
            "clean".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--report".as_ref(),
            report.as_os_str(),
        ])
        .resolve()
        .unwrap();
        let Task::Write(run, write) = task else {
            unreachable!("a clean command line");
        };
        let settings = &run.settings;
        let (exit, outcomes) = write_results_with(&run, &write, |unit, reader| {
            if !unit.name.ends_with("poison.txt") {
                return clean_unit(unit, reader, settings, None);
            }
            let Output::File(target) = &unit.output else {
                unreachable!("a file output");
            };
            let mut file = AtomicFile::create(target).unwrap();
            file.write_all("半个".as_bytes()).unwrap();
            file.flush().unwrap();
            panic!("a stage met {} it did not expect", "U+FA6F");
        })
        .unwrap();

        assert_eq!(exit, Exit::Failed);
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names.len(), 19, "{names:?}");
        assert!(
            !names.iter().any(|n| n.starts_with(sink::TEMP_PREFIX)),
            "{names:?}"
        );
        assert!(!names.contains(&"poison.txt".to_string()));
        for name in &names {
            assert_eq!(
                std::fs::read_to_string(out.join(name)).unwrap(),
                "正文第一段。\n"
            );
        }

        let lines: Vec<serde_json::Value> = std::fs::read_to_string(&report)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines.len(), 20);
        let failed: Vec<_> = lines.iter().filter(|l| l["status"] == "failed").collect();
        assert_eq!(failed.len(), 1);
        assert!(failed[0]["input"].as_str().unwrap().ends_with("poison.txt"));
        let reason = failed[0]["reason"].as_str().unwrap();
        assert!(
            reason.contains("a stage met U+FA6F it did not expect at "),
            "{reason}"
        );
        assert!(reason.contains("clean.rs"), "{reason}");
        assert!(reason.contains("a bug"), "{reason}");
        assert!(summary(&outcomes, 0).ends_with("19 cleaned, 0 unchanged, 1 failed"));
    }
}
