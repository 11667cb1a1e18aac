//! Where text comes from: standard input, files, directory trees, archives. One of the two modules that
//! touch the file system (with `sink`).
//!
//! Inputs are resolved into a sorted job list before anything runs: the progress bar needs the
//! total, the report needs a stable order, and usage mistakes (a directory without `-o`, an output
//! inside its input) are caught before a single file is written.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

pub mod archive;
pub mod document;
pub mod walk;

pub use archive::ArchiveKind;
pub use walk::WalkOptions;

/// What a job reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
    /// An archive whose members are the units of work, read in archive order.
    Archive(PathBuf, ArchiveKind),
}

/// Where a job writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    Stdout,
    File(PathBuf),
    /// The directory an archive's members are written under, mirroring their paths.
    Dir(PathBuf),
    /// Over the input itself (`clean --in-place`).
    InPlace,
    /// Nowhere: `check`, `diff` and `detect` only read.
    Nowhere,
}

/// One file (or archive) to process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub input: Input,
    pub output: Output,
    /// The input as the user should see it in messages (`-` for standard input).
    pub name: String,
    /// Found by walking a directory (rather than named on the command line): a binary file there
    /// is skipped quietly instead of being an error.
    pub walked: bool,
    /// `--hidden`: an archive's hidden members (a name starting with `.`) are read too.
    pub hidden_members: bool,
    /// Found by walking a directory without `--glob`: a file of data or markup (.csv, .json,
    /// source code) is skipped, not cleaned as prose. A file a `--glob` matched was chosen by
    /// the user, as one named on the command line is.
    pub prose_only: bool,
}

/// The jobs to run, and the inputs that could not be used (the other inputs still run and the
/// exit code says something failed).
#[derive(Debug, Default)]
pub struct Plan {
    pub jobs: Vec<Job>,
    pub errors: Vec<InputError>,
}

/// An input that could not be used, and why: shown as `input: message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{input}: {message}")]
pub struct InputError {
    pub input: String,
    pub message: String,
}

/// A mistake in how the command was called: nothing runs.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Where the outputs of a run go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination<'a> {
    /// `-o PATH`, or standard output without it.
    Output(Option<&'a Path>),
    /// Over each input (`clean --in-place`).
    InPlace,
    /// Nowhere (`check`, `diff`, `detect`).
    Nowhere,
}

/// How inputs become jobs, beyond the paths themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanOptions<'a> {
    pub destination: Destination<'a>,
    /// `--archives`: an archive found while walking a directory is read member by member (an
    /// archive named on the command line always is).
    pub archives: bool,
    /// Which files of a directory are walked into.
    pub walk: &'a WalkOptions,
}

/// Resolves the command line's inputs and `-o` into jobs, for `clean` writing to `-o` or stdout.
pub fn plan(inputs: &[PathBuf], output: Option<&Path>) -> Result<Plan, UsageError> {
    plan_with(
        inputs,
        PlanOptions {
            destination: Destination::Output(output),
            archives: false,
            walk: &WalkOptions::default(),
        },
    )
}

/// Resolves the command line's inputs into jobs.
///
/// - No input, or `-`: standard input.
/// - Without `-o`: every input must be a file (or stdin); outputs go to standard output, in order.
/// - With `-o` and one file (or stdin): `-o` names the output file, or an existing directory to
///   put it in.
/// - With `-o` and a directory or an archive, or several inputs: `-o` is a directory. One
///   directory's tree (or one archive's members) is mirrored directly under it; with several
///   inputs each keeps its own name under it (an archive its name without the extension).
/// - In place, or nowhere: every file is its own output, or has none; archives cannot be
///   rewritten in place.
pub fn plan_with(inputs: &[PathBuf], options: PlanOptions<'_>) -> Result<Plan, UsageError> {
    let stdin_path = Path::new("-");
    let inputs: Vec<&Path> = if inputs.is_empty() {
        vec![stdin_path]
    } else {
        inputs.iter().map(PathBuf::as_path).collect()
    };
    if inputs.iter().filter(|p| **p == stdin_path).count() > 1 {
        return Err(UsageError(
            "standard input ('-') can be read only once".into(),
        ));
    }
    let choice = walk::Choice::new(options.walk)?;
    let mut plan = Plan::default();
    let single = inputs.len() == 1;
    for &input in &inputs {
        if input == stdin_path {
            let output = match options.destination {
                Destination::Nowhere => Output::Nowhere,
                Destination::InPlace => {
                    return Err(UsageError(
                        "--in-place needs files: standard input has no place to write back to"
                            .into(),
                    ))
                }
                Destination::Output(None) => Output::Stdout,
                Destination::Output(Some(out)) if single && !out.is_dir() => {
                    Output::File(out.to_path_buf())
                }
                Destination::Output(Some(_)) => return Err(UsageError(
                    "standard input needs -o FILE (a file name, not a directory) or no -o at all"
                        .into(),
                )),
            };
            plan.jobs.push(Job {
                input: Input::Stdin,
                output,
                name: "-".into(),
                walked: false,
                hidden_members: options.walk.hidden,
                prose_only: false,
            });
            continue;
        }
        let meta = match fs::metadata(input) {
            Ok(meta) => meta,
            Err(error) => {
                plan.errors.push(InputError {
                    input: input.display().to_string(),
                    message: describe_io_error(&error),
                });
                continue;
            }
        };
        let archive = ArchiveKind::of(input).filter(|_| !meta.is_dir());
        if meta.is_dir() || archive.is_some() {
            let what = if meta.is_dir() {
                "a directory"
            } else {
                "an archive"
            };
            let base = match options.destination {
                Destination::Nowhere => None,
                Destination::InPlace if archive.is_some() => {
                    return Err(UsageError(format!(
                        "{}: --in-place cannot rewrite an archive; clean its members into a directory with -o",
                        input.display()
                    )))
                }
                Destination::InPlace => None,
                Destination::Output(None) => {
                    let stem = match archive {
                        Some(kind) => kind.stem(input).display().to_string(),
                        None => input.display().to_string().trim_end_matches('/').to_string(),
                    };
                    return Err(UsageError(format!(
                        "{} is {what}: give an output directory with -o, e.g. `zhclean clean {} -o {stem}-clean`",
                        input.display(),
                        input.display(),
                    )));
                }
                Destination::Output(Some(out_dir)) => {
                    if out_dir.is_file() {
                        return Err(UsageError(format!(
                            "-o {}: is a file, but the input {} is {what}",
                            out_dir.display(),
                            input.display()
                        )));
                    }
                    if meta.is_dir() && is_inside(out_dir, input) {
                        return Err(UsageError(format!(
                            "-o {} lies inside the input {}: its outputs would be read as inputs; choose a directory outside it",
                            out_dir.display(),
                            input.display()
                        )));
                    }
                    Some(match (single, archive) {
                        (true, _) => out_dir.to_path_buf(),
                        (false, Some(kind)) => out_dir.join(kind.stem(input)),
                        (false, None) => out_dir.join(name_of(input)),
                    })
                }
            };
            match archive {
                Some(kind) => plan.jobs.push(Job {
                    input: Input::Archive(input.to_path_buf(), kind),
                    output: base.map_or(Output::Nowhere, Output::Dir),
                    name: input.display().to_string(),
                    walked: false,
                    hidden_members: options.walk.hidden,
                    prose_only: false,
                }),
                None => walk(input, base.as_deref(), options, &choice, &mut plan),
            }
        } else {
            let output = match options.destination {
                Destination::Nowhere => Output::Nowhere,
                Destination::InPlace => Output::InPlace,
                Destination::Output(None) => Output::Stdout,
                Destination::Output(Some(out)) if out.is_dir() || !single => {
                    Output::File(out.join(output_name(&name_of(input))))
                }
                Destination::Output(Some(out)) => Output::File(out.to_path_buf()),
            };
            if let Output::File(out) = &output {
                if same_file(input, out) {
                    return Err(UsageError(format!(
                        "{}: the output is the input itself; write elsewhere with -o, or use --in-place",
                        input.display()
                    )));
                }
            }
            plan.jobs.push(Job {
                input: Input::File(input.to_path_buf()),
                output,
                name: input.display().to_string(),
                walked: false,
                hidden_members: options.walk.hidden,
                prose_only: false,
            });
        }
    }

    // Two inputs must not write the same output (`a/x.txt` and `b/x.txt` given as files).
    let mut seen = HashSet::new();
    let mut clashes = Vec::new();
    plan.jobs.retain(|job| match &job.output {
        Output::File(path) if !seen.insert(path.clone()) => {
            clashes.push(InputError {
                input: job.name.clone(),
                message: format!(
                    "its output {} is already written by another input; skipped",
                    path.display()
                ),
            });
            false
        }
        _ => true,
    });
    plan.errors.extend(clashes);
    Ok(plan)
}

/// Every file under `dir` that the walk options choose, sorted by path, each mapped to the same
/// relative path under `out` (or to no output, or to itself, by the destination). With
/// `--archives`, an archive becomes an archive job whose members go under its path without the
/// extension. Hidden and ignored files are not jobs at all (as in ripgrep and fd); data files
/// are, and are skipped when run, so that the summary counts them.
fn walk(
    dir: &Path,
    out: Option<&Path>,
    options: PlanOptions<'_>,
    choice: &walk::Choice,
    plan: &mut Plan,
) {
    let respect = !options.walk.no_ignore;
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .follow_links(false)
        .hidden(!options.walk.hidden)
        .ignore(respect)
        .git_ignore(respect)
        .git_exclude(respect)
        .parents(respect)
        // The user's global gitignore says what their editor leaves behind, not what an archive
        // holds; and a `.gitignore` in a folder that is not a repository still says what the
        // user wants left out.
        .git_global(false)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b));
    // Excluded files and directories are not walked into at all.
    let (root, excluding) = (dir.to_path_buf(), choice.clone());
    builder.filter_entry(move |entry| {
        entry.depth() == 0
            || !entry
                .path()
                .strip_prefix(&root)
                .is_ok_and(|relative| excluding.excluded(relative))
    });
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                plan.errors.push(walk_error(dir, &error));
                continue;
            }
        };
        // A symbolic link to a file is read as that file; links to directories are not followed
        // (they could loop, or lead outside the tree the user named).
        let is_file = entry.file_type().is_some_and(|t| t.is_file())
            || (entry.path_is_symlink() && entry.path().is_file());
        // A named pipe, a socket or a device is a job the run skips with a note, not a file
        // passed over in silence (nor one whose opening waits for a writer).
        let special = !is_file && walk::special_file(entry.path()).is_some();
        // A temporary output left by a killed run (in place, or an output inside a later input)
        // is not a document.
        let is_temp = entry
            .file_name()
            .to_string_lossy()
            .starts_with(crate::sink::TEMP_PREFIX);
        if !(is_file || special) || is_temp {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        if !choice.included(relative) {
            continue;
        }
        let archive = ArchiveKind::of(entry.path()).filter(|_| {
            options.archives && options.destination != Destination::InPlace && !special
        });
        let (input, output) = match (archive, out, options.destination) {
            (Some(kind), Some(out), _) => (
                Input::Archive(entry.path().to_path_buf(), kind),
                Output::Dir(out.join(relative.with_file_name(kind.stem(relative)))),
            ),
            (Some(kind), None, _) => (
                Input::Archive(entry.path().to_path_buf(), kind),
                Output::Nowhere,
            ),
            (None, Some(out), _) => (
                Input::File(entry.path().to_path_buf()),
                Output::File(out.join(output_name(relative))),
            ),
            (None, None, Destination::InPlace) => {
                (Input::File(entry.path().to_path_buf()), Output::InPlace)
            }
            (None, None, _) => (Input::File(entry.path().to_path_buf()), Output::Nowhere),
        };
        plan.jobs.push(Job {
            input,
            output,
            name: entry.path().display().to_string(),
            walked: true,
            hidden_members: options.walk.hidden,
            prose_only: !choice.chooses(),
        });
    }
}

/// A walk error as `path: cause` (an unreadable directory; a line of a `.gitignore` that is not
/// a valid glob).
fn walk_error(dir: &Path, error: &ignore::Error) -> InputError {
    let mut path = None;
    let mut inner = error;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| p.display().to_string());
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err
            }
            _ => break,
        }
    }
    let message = match inner {
        ignore::Error::Io(io) => describe_io_error(io),
        other => other.to_string(),
    };
    InputError {
        input: path.unwrap_or_else(|| dir.display().to_string()),
        message,
    }
}

/// The name an input's output gets under an output directory: its own, and for a document read
/// into text, its own with `.txt` added (`报告.docx` → `报告.docx.txt`). Added rather than
/// substituted: `报告.docx` and `报告.pdf`, or `报告.txt`, may lie side by side, and their
/// outputs must not be one file. A name given with `-o` is used as it is.
pub fn output_name(relative: &Path) -> PathBuf {
    match document::Format::of_path(relative) {
        Some(format) if format.has_reader() => {
            let mut name = relative.as_os_str().to_os_string();
            name.push(".txt");
            PathBuf::from(name)
        }
        _ => relative.to_path_buf(),
    }
}

/// The last component of a path (`docs/` → `docs`, `.` → the current directory's name).
fn name_of(path: &Path) -> PathBuf {
    match path.file_name() {
        Some(name) => PathBuf::from(name),
        None => fs::canonicalize(path)
            .ok()
            .and_then(|p| p.file_name().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("input")),
    }
}

/// An absolute, `..`-free form of a path that may not exist yet: the longest existing ancestor is
/// canonicalized (resolving symlinks) and the rest appended.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = fs::canonicalize(existing) {
            let mut resolved = canonical;
            for part in rest.iter().rev() {
                resolved.push(part);
            }
            return normalize_dots(&resolved);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return normalize_dots(&absolute),
        }
    }
}

fn normalize_dots(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Does `path` lie inside (or equal) `dir`?
fn is_inside(path: &Path, dir: &Path) -> bool {
    resolve(path).starts_with(resolve(dir))
}

/// Do `a` and `b` name the same path, once symlinks, `.` and `..` are resolved? Paths, not file
/// identities (the `same-file` crate compares those): a hard link to the input is another name,
/// and an output written there (to a temporary file renamed over the name) leaves the input as
/// it was, so it is not refused.
fn same_file(a: &Path, b: &Path) -> bool {
    resolve(a) == resolve(b)
}

/// An I/O error as a short cause for a one-line message ("no such file or directory").
pub fn describe_io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match error.kind() {
        NotFound => "no such file or directory".into(),
        PermissionDenied => "permission denied".into(),
        _ => {
            let text = error.to_string();
            // Drop the "(os error N)" suffix: it tells the user nothing; and begin in lower
            // case, as the other messages do ("No space left on device").
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
                    first
                        .to_lowercase()
                        .chain(text[first.len_utf8()..].chars())
                        .collect()
                }
                _ => text.to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "正文\n").unwrap();
    }

    #[test]
    fn no_input_is_stdin_to_stdout() {
        let plan = plan(&[], None).unwrap();
        assert_eq!(plan.jobs.len(), 1);
        assert_eq!(
            (&plan.jobs[0].input, &plan.jobs[0].output),
            (&Input::Stdin, &Output::Stdout)
        );
    }

    #[test]
    fn directory_is_mirrored_sorted_under_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let docs = tmp.path().join("docs");
        for name in ["b.txt", "a/2.txt", "a/1.txt"] {
            touch(&docs.join(name));
        }
        let out = tmp.path().join("out");
        let plan = plan(std::slice::from_ref(&docs), Some(&out)).unwrap();
        let outputs: Vec<_> = plan.jobs.iter().map(|j| j.output.clone()).collect();
        assert_eq!(
            outputs,
            ["a/1.txt", "a/2.txt", "b.txt"]
                .map(|n| Output::File(out.join(n)))
                .to_vec()
        );
        assert!(plan.jobs.iter().all(|j| j.walked));
    }

    #[test]
    fn usage_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let docs = tmp.path().join("docs");
        touch(&docs.join("a.txt"));
        let err = plan(std::slice::from_ref(&docs), None).unwrap_err();
        assert!(
            err.0.contains("is a directory") && err.0.contains("-o"),
            "{err}"
        );
        let err = plan(std::slice::from_ref(&docs), Some(&docs.join("clean"))).unwrap_err();
        assert!(err.0.contains("inside the input"), "{err}");
        let err = plan(&[docs.join("a.txt")], Some(&docs.join("sub/../a.txt"))).unwrap_err();
        assert!(err.0.contains("the input itself"), "{err}");
    }

    #[test]
    fn the_input_itself_is_refused_as_output_but_a_hard_link_to_it_is_not() {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("a.txt");
        touch(&input);
        let link = tmp.path().join("b.txt");
        fs::hard_link(&input, &link).unwrap();
        let linked = plan(std::slice::from_ref(&input), Some(&link)).unwrap();
        assert_eq!(linked.jobs[0].output, Output::File(link));
        #[cfg(unix)]
        {
            let symlink = tmp.path().join("c.txt");
            std::os::unix::fs::symlink(&input, &symlink).unwrap();
            let err = plan(std::slice::from_ref(&input), Some(&symlink)).unwrap_err();
            assert!(err.0.contains("the input itself"), "{err}");
        }
    }

    #[test]
    fn missing_input_is_reported_and_the_rest_still_runs() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a.txt");
        touch(&a);
        let plan = plan(&[tmp.path().join("missing.txt"), a], None).unwrap();
        assert_eq!(plan.jobs.len(), 1);
        assert_eq!(plan.errors.len(), 1);
        assert!(
            plan.errors[0]
                .to_string()
                .ends_with("missing.txt: no such file or directory"),
            "{:?}",
            plan.errors
        );
    }

    #[test]
    fn single_file_with_o_names_the_file_or_a_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a.txt");
        touch(&a);
        let out_file = tmp.path().join("x.txt");
        assert_eq!(
            plan(std::slice::from_ref(&a), Some(&out_file))
                .unwrap()
                .jobs[0]
                .output,
            Output::File(out_file)
        );
        let out_dir = tmp.path().join("d");
        fs::create_dir(&out_dir).unwrap();
        assert_eq!(
            plan(&[a], Some(&out_dir)).unwrap().jobs[0].output,
            Output::File(out_dir.join("a.txt"))
        );
    }

    fn options(destination: Destination<'_>, archives: bool) -> PlanOptions<'_> {
        PlanOptions {
            destination,
            archives,
            walk: &DEFAULT_WALK,
        }
    }

    static DEFAULT_WALK: WalkOptions = WalkOptions {
        hidden: false,
        no_ignore: false,
        globs: Vec::new(),
        excludes: Vec::new(),
    };

    #[test]
    fn archive_inputs_become_archive_jobs() {
        let tmp = tempfile::tempdir().unwrap();
        let (zip, tgz) = (tmp.path().join("a.zip"), tmp.path().join("b.tar.gz"));
        touch(&zip);
        touch(&tgz);
        let out = tmp.path().join("out");
        // One archive: its members go directly under -o.
        let one = plan_with(
            std::slice::from_ref(&zip),
            options(Destination::Output(Some(&out)), false),
        )
        .unwrap();
        assert_eq!(
            one.jobs[0].input,
            Input::Archive(zip.clone(), ArchiveKind::Zip)
        );
        assert_eq!(one.jobs[0].output, Output::Dir(out.clone()));
        // Several: each under its name without the extension.
        let two = plan_with(
            &[zip.clone(), tgz.clone()],
            options(Destination::Output(Some(&out)), false),
        )
        .unwrap();
        assert_eq!(two.jobs[1].output, Output::Dir(out.join("b")));
        // Reading only: no output at all.
        let read = plan_with(
            std::slice::from_ref(&zip),
            options(Destination::Nowhere, false),
        )
        .unwrap();
        assert_eq!(read.jobs[0].output, Output::Nowhere);
        // Without -o, or in place: a usage error that says what to do.
        let err = plan_with(
            std::slice::from_ref(&zip),
            options(Destination::Output(None), false),
        )
        .unwrap_err();
        assert!(err.0.contains("-o"), "{err}");
        let err = plan_with(&[zip], options(Destination::InPlace, false)).unwrap_err();
        assert!(err.0.contains("--in-place"), "{err}");
    }

    #[test]
    fn walked_archives_need_the_flag() {
        let tmp = tempfile::tempdir().unwrap();
        let docs = tmp.path().join("docs");
        touch(&docs.join("sub/x.tgz"));
        touch(&docs.join("a.txt"));
        touch(&docs.join(".zhclean-tmp-x1y2"));
        let out = tmp.path().join("out");
        let dirs = std::slice::from_ref(&docs);
        let without = plan_with(dirs, options(Destination::Output(Some(&out)), false)).unwrap();
        assert_eq!(without.jobs[1].input, Input::File(docs.join("sub/x.tgz")));
        let with = plan_with(dirs, options(Destination::Output(Some(&out)), true)).unwrap();
        assert_eq!(
            with.jobs[1].input,
            Input::Archive(docs.join("sub/x.tgz"), ArchiveKind::TarGz)
        );
        assert_eq!(with.jobs[1].output, Output::Dir(out.join("sub/x")));
        let in_place = plan_with(dirs, options(Destination::InPlace, true)).unwrap();
        assert_eq!(in_place.jobs[0].output, Output::InPlace);
        assert_eq!(in_place.jobs[1].input, Input::File(docs.join("sub/x.tgz")));
    }
}
