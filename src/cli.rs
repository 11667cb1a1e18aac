//! The command line: what users can type, with help that teaches, resolved once
//! ([`Cli::resolve`]) into the run configuration the commands take. No clap type goes further
//! than this file; the commands themselves live in `commands`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use zhclean::decode::encoding_for_label;
use zhclean::jsonl::{FieldPath, JsonlConfig};
use zhclean::pipeline::Options;
use zhclean::rules::RuleSet;
use zhclean::run::{DocumentSettings, RunConfig, Settings, Transform, WriteConfig};
use zhclean::source::document::{Formats, Notes};
use zhclean::source::WalkOptions;
use zhclean::stages::convert::{
    ConfigChoice, Conversion, ConvertMode, ConvertOptions, Converter, Target, UserDict,
};

use crate::commands::{DiffStyle, Error, Task};

const ABOUT: &str = "Turn messy Chinese documents into clean, normalized UTF-8 text";

const LONG_ABOUT: &str = "\
Turn messy Chinese documents into clean, normalized UTF-8 text.

zhclean detects each file's encoding (UTF-8, UTF-16, GBK, GB18030, Big5), converts \
Traditional to Simplified (or back) only where the text is in the other script, strips \
converter debris and page furniture, repairs lines broken mid-sentence, and writes one \
paragraph per line. Inputs are never modified; outputs are written atomically.";

const EXAMPLES: &str = "\
Examples:
  zhclean clean report.txt                 clean one file to standard output
  zhclean clean archive/ -o corpus/        clean a directory tree into corpus/
  cat a.txt | zhclean clean | wc -l        use it as a filter
  zhclean check archive/                   which files would change, and why
  zhclean diff report.txt | less           what would change, line by line
  zhclean convert -c t2s.json < a.txt      script conversion alone, like opencc
  zhclean rules                            list the cleaning rules

JSONL corpora (one JSON object a line; one string field is the document):
  zhclean clean --jsonl shards/ -o clean/  clean the \"text\" field of every record of every
                                           .jsonl, .jsonl.gz and .jsonl.zst shard
  zhclean clean --jsonl --field meta.body a.jsonl.zst -o b.jsonl.zst
                                           a nested field; compression by the file name
  zcat a.jsonl.gz | zhclean clean --jsonl --report-field zhclean > b.jsonl
                                           each record also says what was done to it
  zhclean diff --jsonl a.jsonl             changed records, headed by their line number";

const CONVERT_EXAMPLES: &str = "\
Only the script changes: line breaks, blank lines and spacing are kept as they are.

Examples:
  zhclean convert -c t2s.json < in.txt > out.txt   in place of `opencc -c t2s.json`
  zhclean convert -c tw2sp -i tw.txt -o cn.txt     Taiwan forms and vocabulary to mainland
  zhclean convert -c s2t archive/ -o traditional/  a whole tree
  zhclean convert -c t2s --dict names.txt < in.txt  my phrases first (PHRASE<TAB>REPLACEMENT)
  zhclean convert -c ./my.json < in.txt            an OpenCC config file of my own";

#[derive(Debug, Parser)]
#[command(name = "zhclean", version, about = ABOUT, long_about = LONG_ABOUT, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean files, directory trees or standard input into normalized UTF-8 text
    #[command(after_help = EXAMPLES)]
    Clean(CleanArgs),
    /// Convert between Traditional and Simplified Chinese only, like `opencc -c t2s.json`
    #[command(after_help = CONVERT_EXAMPLES)]
    Convert(ConvertArgs),

    // Inspecting without writing: the same pipeline as `clean`, so they predict what it writes.
    /// List the files `clean` would change, with the reason (exit 1 if any, 0 if none)
    Check(CheckArgs),
    /// Show what `clean` would change, as a unified diff from the decoded input (writes nothing)
    Diff(DiffArgs),
    /// Per file: encoding and confidence, script, line endings, and the artifacts found
    Detect(DetectArgs),
    /// List the cleaning rules: name, stage, default, and what each does
    Rules(RulesArgs),
}

/// When to do something that depends on the terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum When {
    /// Only when standard error is a terminal.
    #[default]
    Auto,
    Always,
    Never,
}

/// `--to`: the library's [`Target`], as the command line names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    /// Simplified Chinese (mainland standard).
    #[default]
    Simplified,
    /// Traditional Chinese (OpenCC standard forms).
    Traditional,
    /// Traditional Chinese, Taiwan standard.
    Tw,
    /// Traditional Chinese, Hong Kong standard.
    Hk,
}

impl From<TargetArg> for Target {
    fn from(arg: TargetArg) -> Self {
        match arg {
            TargetArg::Simplified => Target::Simplified,
            TargetArg::Traditional => Target::Traditional,
            TargetArg::Tw => Target::Tw,
            TargetArg::Hk => Target::Hk,
        }
    }
}

/// `--convert`: the library's [`ConvertMode`], as the command line names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ConvertModeArg {
    /// Convert only paragraphs whose characters show they are in the other script.
    #[default]
    Auto,
    /// Run every paragraph through the converter.
    Always,
    /// Never convert.
    Never,
}

impl From<ConvertModeArg> for ConvertMode {
    fn from(arg: ConvertModeArg) -> Self {
        match arg {
            ConvertModeArg::Auto => ConvertMode::Auto,
            ConvertModeArg::Always => ConvertMode::Always,
            ConvertModeArg::Never => ConvertMode::Never,
        }
    }
}

/// Options every command that reads documents shares.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories to read; none, or '-', reads standard input. In a directory (or an
    /// archive), files of data or markup rather than prose (.csv, .tsv, .json, .jsonl, .xml,
    /// .yaml, .toml, .ini, .svg, source code such as .py or .js) are skipped and counted in the
    /// summary, since joining their lines or widening their commas would corrupt them; a file
    /// named here is always cleaned
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Decode every input with this encoding instead of detecting it
    /// (utf-8, gbk, gb18030, big5, big5-hkscs, utf-16le, utf-16be, ...)
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Fail a file on its first undecodable byte instead of writing U+FFFD and warning
    #[arg(long)]
    pub strict: bool,

    /// How many files to process at once [default: the number of CPUs]
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Show a progress bar on standard error
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = When::Auto)]
    pub progress: When,

    /// Print only errors (no warnings, no summary, no progress bar)
    #[arg(short, long)]
    pub quiet: bool,

    /// Formats to read, comma-separated: txt, docx, odt, epub, html, doc, pdf; files of the
    /// others are skipped [default: all]
    #[arg(long, value_name = "FORMAT,...", value_parser = Formats::parse)]
    pub formats: Option<Formats>,

    /// Footnotes and endnotes of documents: kept, each after the paragraph citing it, or dropped
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = NotesArg::Keep)]
    pub notes: NotesArg,

    /// Also read hidden files and directories in a directory (a name starting with '.', such
    /// as .git/ or .DS_Store), and hidden members of archives. Without it they are left out, as
    /// ripgrep and fd do; a hidden file named as INPUT is always read
    #[arg(long, help_heading = "Choosing files in a directory")]
    pub hidden: bool,

    /// Also read the files that .gitignore, .ignore and .git/info/exclude in the directory
    /// (and above it) leave out. Without it they are left out, as ripgrep and fd do, even
    /// outside a git repository
    #[arg(long, help_heading = "Choosing files in a directory")]
    pub no_ignore: bool,

    /// Read only the files of a directory matching GLOB (repeatable: any of them). A glob
    /// without '/' matches the file's name at any depth ('*.txt', '报告*'); one with '/' its
    /// path below the directory, where '*' stays inside a directory and '**' crosses them
    /// ('2023/**/*.md'). A file a glob matches is cleaned even if it holds data or markup
    /// ('--glob *.csv' cleans CSV files as prose); files named as INPUT are always read
    #[arg(
        long = "glob",
        short = 'g',
        value_name = "GLOB",
        help_heading = "Choosing files in a directory"
    )]
    pub globs: Vec<String>,

    /// Leave out the files and directories of a directory matching GLOB (repeatable), matched
    /// as --glob is: '--exclude drafts' leaves out every directory named drafts. Excluding wins
    /// over --glob
    #[arg(
        long = "exclude",
        value_name = "GLOB",
        help_heading = "Choosing files in a directory"
    )]
    pub excludes: Vec<String>,
}

/// `--notes`: the library's [`Notes`], as the command line names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum NotesArg {
    #[default]
    Keep,
    Drop,
}

impl From<NotesArg> for Notes {
    fn from(arg: NotesArg) -> Self {
        match arg {
            NotesArg::Keep => Notes::Keep,
            NotesArg::Drop => Notes::Drop,
        }
    }
}

/// What the cleaning pipeline does.
#[derive(Debug, Default, Args)]
pub struct PipelineArgs {
    #[command(flatten)]
    pub conversion: ConversionArgs,

    /// The script to write
    #[arg(long, value_enum, value_name = "SCRIPT", default_value_t = TargetArg::Simplified)]
    pub to: TargetArg,

    /// When to convert script: auto converts only paragraphs written in the other script
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ConvertModeArg::Auto)]
    pub convert: ConvertModeArg,

    /// Switch rules on, by name (comma-separated; see `zhclean rules`)
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub enable: Vec<String>,

    /// Switch rules off, by name (comma-separated; see `zhclean rules`)
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub disable: Vec<String>,

    /// Put one blank line between paragraphs
    #[arg(long)]
    pub blank_line: bool,

    /// Write the output in this encoding instead of UTF-8 (gbk, gb18030, big5)
    #[arg(long, value_name = "LABEL")]
    pub output_encoding: Option<String>,
}

/// `--jsonl`: records instead of documents.
#[derive(Debug, Args)]
#[command(next_help_heading = "JSONL records")]
pub struct JsonlArgs {
    /// Read each input as JSONL: one JSON object a line, whose --field is cleaned as one whole
    /// document (exactly as `clean` cleans a file of that text); every other field and every
    /// byte around the field stay as they were, and the records keep their order. A line that
    /// is not such a record is copied unchanged and named (FILE:LINE), and the run exits 2.
    /// .gz and .zst shards are read and written by their names; a directory's .jsonl and
    /// .ndjson shards (compressed or not) are mirrored under -o
    #[arg(long, conflicts_with_all = ["encoding", "output_encoding", "archives"])]
    pub jsonl: bool,

    /// With --jsonl: the string field to clean; KEY.KEY for a nested one (meta.body)
    #[arg(
        long,
        value_name = "KEY[.KEY]",
        default_value = "text",
        requires = "jsonl"
    )]
    pub field: String,
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub pipeline: PipelineArgs,

    #[command(flatten)]
    pub write: WriteArgs,

    #[command(flatten)]
    pub jsonl: JsonlArgs,

    /// With --jsonl: add to each record a top-level field NAME with what cleaning did to it
    /// ({"changed":true,"rules":{"indentation":1},"removed_han":{}}); an existing NAME is
    /// replaced
    #[arg(
        long,
        value_name = "NAME",
        requires = "jsonl",
        help_heading = "JSONL records"
    )]
    pub report_field: Option<String>,
}

/// Where and how a command that writes (`clean`, `convert`) puts its results.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Output file, or output directory for a directory or several inputs [default: standard output]
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Write a report, one JSON object per input, to this file (`-`: standard output, when
    /// the cleaned text goes to files with -o)
    #[arg(long, value_name = "FILE.jsonl")]
    pub report: Option<PathBuf>,

    #[command(flatten)]
    pub archives: ArchiveArgs,

    /// Replace each input file by its result (atomically; unchanged files are not touched)
    #[arg(long, conflicts_with = "output")]
    pub in_place: bool,

    /// With --in-place: keep the original next to it, with this suffix added (e.g. .orig)
    #[arg(long, value_name = "SUFFIX", requires = "in_place")]
    pub backup: Option<String>,

    /// Skip inputs whose output exists and is at least as new (finishes an interrupted run)
    #[arg(long)]
    pub skip_existing: bool,
}

/// `--config` and `--dict`: for `clean`, and for `check` and `diff` to judge as `clean` would
/// (part of the pipeline's options; `convert` has its own).
#[derive(Debug, Default, Args)]
pub struct ConversionArgs {
    /// Convert with this OpenCC configuration (a name, or a config file: see `zhclean convert
    /// --help`) instead of the one chosen for each document; --to and --convert still decide
    /// which paragraphs are converted
    #[arg(long, value_name = "NAME|FILE", value_parser = parse_config)]
    pub config: Option<ConfigChoice>,
    #[command(flatten)]
    pub dict: DictArgs,
}

/// `--dict`, for `clean` and `convert`.
#[derive(Debug, Default, Args)]
pub struct DictArgs {
    /// A dictionary of your own, in OpenCC's text format: one PHRASE<TAB>REPLACEMENT a line
    /// (alternatives after a space are ignored; # starts a comment). Its phrases are looked
    /// up before the built-in dictionaries, the longest first, and written as given, never
    /// converted further. Repeatable; a phrase in two files takes the first file's replacement
    #[arg(long = "dict", value_name = "FILE")]
    pub dicts: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// OpenCC configuration: t2s, tw2s, tw2sp, hk2s, hk2sp, s2t, s2tw, s2twp, s2hk, s2hkp,
    /// t2tw, t2hk, tw2t, hk2t, jp2t, t2jp (a .json suffix is accepted, as in `opencc -c
    /// t2s.json`), or the path of an OpenCC config file: a value holding a / (./my.json), or
    /// a file that exists and is not one of those names. Its dictionaries are `text` files
    /// (relative to the config), OpenCC's own dictionaries by name (TSPhrases.ocd2), groups,
    /// and `inline` entries; // and /* */ comments and trailing commas are accepted
    #[arg(short, long, value_name = "NAME|FILE", value_parser = parse_config)]
    pub config: ConfigChoice,

    #[command(flatten)]
    pub dict: DictArgs,

    /// Also use rare-character mappings, whose output many fonts cannot show
    #[arg(long)]
    pub rare_chars: bool,

    /// An input file, as `opencc -i FILE` takes it (the same as giving FILE as INPUT)
    #[arg(short = 'i', long = "input", value_name = "FILE")]
    pub input_file: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub write: WriteArgs,
}

fn parse_config(name: &str) -> Result<ConfigChoice, zhclean::stages::convert::UnknownConfig> {
    name.parse()
}

/// How archives found inside directories are treated.
#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// Read .zip, .tar, .tar.gz and .tgz files found in directories member by member (archives
    /// named as INPUT always are); without it they are skipped as binary
    #[arg(long)]
    pub archives: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub jsonl: JsonlArgs,

    #[command(flatten)]
    pub pipeline: PipelineArgs,

    #[command(flatten)]
    pub archives: ArchiveArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub jsonl: JsonlArgs,

    #[command(flatten)]
    pub pipeline: PipelineArgs,

    #[command(flatten)]
    pub archives: ArchiveArgs,

    /// Colour the diff: auto colours on a terminal unless NO_COLOR is set
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = When::Auto)]
    pub color: When,

    /// Only count the lines each file would lose and gain
    #[arg(long)]
    pub stat: bool,
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub jsonl: JsonlArgs,

    #[command(flatten)]
    pub pipeline: PipelineArgs,

    #[command(flatten)]
    pub archives: ArchiveArgs,

    /// One JSON object per file instead of one line of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print the rules as JSON
    #[arg(long)]
    pub json: bool,
}

impl Cli {
    /// Resolves the command line into what to run: rule names, encoding labels, the transform,
    /// whether to draw a progress bar or colour a diff. Errors are the user's to fix, and say how.
    pub fn resolve(self) -> Result<Task, Error> {
        Ok(match self.command {
            Command::Clean(args) => {
                let mut settings = settings(&args.input, &args.pipeline)?;
                if args.write.in_place {
                    settings.documents.unread = Some(IN_PLACE_DOCUMENTS);
                }
                let archives = args.write.archives.archives;
                let jsonl = jsonl_config(&args.jsonl, args.report_field)?;
                Task::Write(
                    RunConfig {
                        jsonl,
                        ..run_config(args.input, settings, archives)
                    },
                    write_config(args.write),
                )
            }
            Command::Convert(mut args) => {
                if let Some(file) = args.input_file.take() {
                    args.input.inputs.insert(0, file);
                }
                // Only the shared input options apply: no rules, and UTF-8 out.
                let mut settings = settings(&args.input, &PipelineArgs::default())?;
                let options = ConvertOptions {
                    rare_chars: args.rare_chars,
                };
                let mut converter = Converter::for_choice(&args.config, options)?;
                if let Some(dict) = user_dict(&args.dict)? {
                    converter = converter.with_dict(dict);
                }
                settings.transform = Transform::Convert(converter);
                if args.write.in_place {
                    settings.documents.unread = Some(IN_PLACE_DOCUMENTS);
                }
                let archives = args.write.archives.archives;
                Task::Write(
                    run_config(args.input, settings, archives),
                    write_config(args.write),
                )
            }
            Command::Check(args) => {
                let settings = settings(&args.input, &args.pipeline)?;
                let jsonl = jsonl_config(&args.jsonl, None)?;
                Task::Check(RunConfig {
                    jsonl,
                    ..run_config(args.input, settings, args.archives.archives)
                })
            }
            Command::Diff(args) => {
                let settings = settings(&args.input, &args.pipeline)?;
                let style = DiffStyle {
                    color: use_color(args.color),
                    stat: args.stat,
                };
                let jsonl = jsonl_config(&args.jsonl, None)?;
                Task::Diff(
                    RunConfig {
                        jsonl,
                        ..run_config(args.input, settings, args.archives.archives)
                    },
                    style,
                )
            }
            Command::Detect(args) => {
                let settings = settings(&args.input, &args.pipeline)?;
                let jsonl = jsonl_config(&args.jsonl, None)?;
                Task::Detect(
                    RunConfig {
                        jsonl,
                        ..run_config(args.input, settings, args.archives.archives)
                    },
                    args.json,
                )
            }
            Command::Rules(args) => Task::Rules { json: args.json },
        })
    }
}

/// Why `--in-place` reads no document: its text would replace the document itself.
const IN_PLACE_DOCUMENTS: &str =
    "a document is not replaced by its text in place: clean it into a directory with -o";

/// Resolves the pipeline options and decoding settings, or says what is wrong with them.
fn settings(input: &InputArgs, pipeline: &PipelineArgs) -> Result<Settings, Error> {
    let mut rules = RuleSet::default();
    for (names, on) in [(&pipeline.enable, true), (&pipeline.disable, false)] {
        for name in names {
            rules.set_named(name.trim(), on)?;
        }
    }
    let label = |flag: &'static str, label: &Option<String>| -> Result<_, Error> {
        label
            .as_deref()
            .map(|l| {
                encoding_for_label(l).ok_or_else(|| Error::UnknownEncoding {
                    flag,
                    label: l.to_string(),
                })
            })
            .transpose()
    };
    let output_encoding =
        label("--output-encoding", &pipeline.output_encoding)?.unwrap_or(encoding_rs::UTF_8);
    if output_encoding == encoding_rs::UTF_16LE || output_encoding == encoding_rs::UTF_16BE {
        return Err(Error::Utf16Output);
    }
    Ok(Settings {
        transform: Transform::Clean(Options {
            rules,
            target: pipeline.to.into(),
            convert: pipeline.convert.into(),
            blank_line: pipeline.blank_line,
            conversion: conversion(&pipeline.conversion)?,
        }),
        input_encoding: label("--encoding", &input.encoding)?,
        strict: input.strict,
        output_encoding,
        documents: DocumentSettings {
            formats: input.formats.unwrap_or_default(),
            notes: input.notes.into(),
            unread: None,
        },
    })
}

/// The conversion `--config` and `--dict` ask for.
fn conversion(args: &ConversionArgs) -> Result<Conversion, Error> {
    let options = ConvertOptions::default();
    let config = args
        .config
        .as_ref()
        .map(|c| Converter::for_choice(c, options));
    let config = config.transpose()?;
    let dict = user_dict(&args.dict)?;
    Ok(Conversion { config, dict })
}

/// `--dict` files read, `None` without any.
fn user_dict(args: &DictArgs) -> Result<Option<Arc<UserDict>>, Error> {
    if args.dicts.is_empty() {
        return Ok(None);
    }
    Ok(Some(Arc::new(UserDict::load(&args.dicts)?)))
}

fn run_config(input: InputArgs, settings: Settings, archives: bool) -> RunConfig {
    RunConfig {
        settings,
        archives,
        jobs: input.jobs,
        quiet: input.quiet,
        progress: show_progress(&input),
        inputs: input.inputs,
        // After `show_progress(&input)`: these move out of it.
        walk: WalkOptions {
            hidden: input.hidden,
            no_ignore: input.no_ignore,
            globs: input.globs,
            excludes: input.excludes,
        },
        jsonl: None,
    }
}

/// `--jsonl`, `--field` and `--report-field` resolved: `None` without `--jsonl`.
fn jsonl_config(
    args: &JsonlArgs,
    report_field: Option<String>,
) -> Result<Option<JsonlConfig>, Error> {
    if !args.jsonl {
        return Ok(None);
    }
    if report_field.as_deref() == Some("") {
        return Err(Error::EmptyReportField);
    }
    Ok(Some(JsonlConfig {
        field: FieldPath::parse(&args.field)?,
        report_field,
    }))
}

fn write_config(write: WriteArgs) -> WriteConfig {
    WriteConfig {
        output: write.output,
        in_place: write.in_place,
        backup: write.backup,
        report: write.report,
        skip_existing: write.skip_existing,
    }
}

/// Whether to draw a progress bar: on a terminal by default, never with `--quiet`.
fn show_progress(input: &InputArgs) -> bool {
    !input.quiet
        && match input.progress {
            When::Always => true,
            When::Never => false,
            When::Auto => std::io::stderr().is_terminal(),
        }
}

/// `--color`: always, never, or on a terminal when `NO_COLOR` is not set.
fn use_color(when: When) -> bool {
    match when {
        When::Always => true,
        When::Never => false,
        When::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
            std::io::stdout().is_terminal() && !no_color
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(args: &[&str]) -> Result<Task, Error> {
        Cli::try_parse_from(std::iter::once("zhclean").chain(args.iter().copied()))
            .expect("a valid command line")
            .resolve()
    }

    #[test]
    fn clean_resolves_its_pipeline_and_where_to_write() {
        let Ok(Task::Write(run, write)) = resolve(&[
            "clean",
            "in",
            "--to",
            "tw",
            "--convert",
            "never",
            "--disable",
            "bookmark",
            "--archives",
            "-o",
            "out",
            "-j",
            "3",
            "--quiet",
        ]) else {
            panic!("clean is a writing task");
        };
        let Transform::Clean(options) = &run.settings.transform else {
            panic!("clean cleans");
        };
        assert_eq!(
            (options.target, options.convert),
            (Target::Tw, ConvertMode::Never)
        );
        assert!(!options.rules.is_on(zhclean::rules::Rule::Bookmark));
        assert!(run.archives && run.quiet && !run.progress);
        assert_eq!(run.jobs, Some(3));
        assert_eq!(run.inputs, [PathBuf::from("in")]);
        assert_eq!(write.output, Some(PathBuf::from("out")));
    }

    /// `convert -i FILE` reads FILE first, and converts only: no cleaning rules run.
    #[test]
    fn convert_resolves_to_conversion_alone() {
        let Ok(Task::Write(run, _)) = resolve(&["convert", "-c", "s2twp.json", "b", "-i", "a"])
        else {
            panic!("convert is a writing task");
        };
        let Transform::Convert(converter) = &run.settings.transform else {
            panic!("convert converts only");
        };
        assert_eq!(
            converter.config(),
            Some(zhclean::stages::convert::Config::S2twp)
        );
        assert_eq!(run.inputs, [PathBuf::from("a"), PathBuf::from("b")]);
    }

    /// `--jsonl` resolves into the run's record mode, for every command that reads; without it
    /// there is none.
    #[test]
    fn jsonl_resolves_its_field_and_report_field() {
        let Ok(Task::Write(run, _)) = resolve(&[
            "clean",
            "--jsonl",
            "--field",
            "meta.body",
            "--report-field",
            "zc",
        ]) else {
            panic!("clean is a writing task");
        };
        let jsonl = run.jsonl.expect("--jsonl");
        assert_eq!(jsonl.field.keys(), ["meta", "body"]);
        assert_eq!(jsonl.report_field.as_deref(), Some("zc"));
        let Ok(Task::Diff(run, _)) = resolve(&["diff", "--jsonl"]) else {
            panic!("diff");
        };
        assert_eq!(run.jsonl.expect("--jsonl").field.to_string(), "text");
        let Ok(Task::Check(run)) = resolve(&["check", "a.txt"]) else {
            panic!("check");
        };
        assert!(run.jsonl.is_none());
        let error = resolve(&["detect", "--jsonl", "--field", "a..b"]).unwrap_err();
        assert!(error.to_string().starts_with("--field \"a..b\""), "{error}");
    }

    #[test]
    fn mistakes_are_typed_errors_that_say_the_flag() {
        let error = |args: &[&str]| resolve(args).unwrap_err().to_string();
        assert_eq!(
            error(&["check", "--enable", "no-such-rule"]),
            "unknown rule 'no-such-rule' (run `zhclean rules` to list them)"
        );
        assert!(error(&["diff", "--encoding", "klingon"]).starts_with("--encoding klingon: "));
        assert!(error(&["clean", "--output-encoding", "utf-16le"]).contains("UTF-16 output"));
    }
}
