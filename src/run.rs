//! Running the pipeline: what a run is ([`RunConfig`], resolved once from the command line or
//! built by a caller of the library), and the whole pipeline over one input stream: read →
//! decode → transform → encode → write ([`clean_stream`]).
//!
//! [`clean_stream`] is the one place where the stages meet I/O. It reads in 64 KiB chunks and writes as it
//! goes, so memory stays bounded whatever the size of the file; whole-document decisions (the
//! encoding here, the facts stages take in `prepare`) come from the first 64 KiB.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::decode::{self, DecodeError, DecodeReport, Decoder, Detection, Sniff};
use crate::encode::{EncodeError, Encoder};
use crate::jsonl::config::JsonlConfig;
use crate::pipeline::{Cleaner, Options};
use crate::report::CleanReport;
use crate::rules::Rule;
use crate::source::document::{self, DocumentError, Format, Formats, Notes};
use crate::stages::convert::Converter;
use crate::stages::MAX_LINE_BYTES;
use crate::text::cut_point;

/// Read size: large enough to amortise system calls, small enough to keep memory flat.
const CHUNK_BYTES: usize = 64 * 1024;

/// A whole run: what is done to each input ([`Settings`]) and which inputs, read how. The
/// commands that write (`clean`, `convert`) add a [`WriteConfig`].
#[derive(Clone, Debug, Default)]
pub struct RunConfig {
    pub settings: Settings,
    /// Files or directories to read; none, or `-`, is standard input.
    pub inputs: Vec<PathBuf>,
    /// Read archives found inside directories member by member (archives named as inputs
    /// always are); without it they are skipped as binary.
    pub archives: bool,
    /// Which files of a directory are read (`--hidden`, `--no-ignore`, `--glob`, `--exclude`).
    pub walk: crate::source::WalkOptions,
    /// How many files to process at once (`None`: one per CPU).
    pub jobs: Option<usize>,
    /// Say only errors: no warnings, no summary, no progress bar.
    pub quiet: bool,
    /// Draw a progress bar on standard error (already decided against the terminal and
    /// `quiet`).
    pub progress: bool,
    /// Read each input as JSONL records and clean one field of each (`--jsonl`); `None`: each
    /// input is one document.
    pub jsonl: Option<JsonlConfig>,
}

/// Where and how a run that writes puts its results.
#[derive(Clone, Debug, Default)]
pub struct WriteConfig {
    /// An output file, or a directory for a directory, an archive or several inputs; `None`
    /// is standard output.
    pub output: Option<PathBuf>,
    /// Replace each input file by its result (unchanged files are not touched).
    pub in_place: bool,
    /// With `in_place`: keep the original next to it, with this suffix added.
    pub backup: Option<String>,
    /// Write a report, one JSON object per input, to this file.
    pub report: Option<PathBuf>,
    /// Skip inputs whose output exists and is at least as new.
    pub skip_existing: bool,
}

/// What a run does to the decoded text of each input.
#[derive(Clone, Debug)]
pub enum Transform {
    /// `zhclean clean`: the cleaning pipeline with these options.
    Clean(Options),
    /// `zhclean convert`: script conversion with this converter and nothing else.
    Convert(Converter),
}

impl Default for Transform {
    fn default() -> Self {
        Transform::Clean(Options::default())
    }
}

/// How one file is decoded, transformed and encoded.
#[derive(Clone, Debug)]
pub struct Settings {
    pub transform: Transform,
    /// `--encoding`: skip detection and decode with this.
    pub input_encoding: Option<&'static encoding_rs::Encoding>,
    /// `--strict`: fail on the first undecodable byte instead of writing U+FFFD.
    pub strict: bool,
    /// The encoding of the output (UTF-8 unless asked otherwise).
    pub output_encoding: &'static encoding_rs::Encoding,
    /// How documents (.docx, .odt, .epub, .pdf) are read by [`clean_input`].
    pub documents: DocumentSettings,
}

/// Which formats a run reads, and how documents are read.
#[derive(Clone, Copy, Debug, Default)]
pub struct DocumentSettings {
    /// `--formats`: an input of another format is skipped (all of them by default).
    pub formats: Formats,
    /// `--notes`: footnotes and endnotes kept after their paragraph, or dropped.
    pub notes: Notes,
    /// Why this run reads no document at all, said for each one met (`--in-place`: a
    /// document cannot be replaced by its text); `None`: documents are read.
    pub unread: Option<&'static str>,
}

impl Settings {
    /// Whether a line the file's encoding cannot decode is decoded in another (rule
    /// `mixed-encoding`: on unless the cleaning options switch it off; `convert` has no rules
    /// and decodes so too).
    pub fn mixed_lines(&self) -> bool {
        match &self.transform {
            Transform::Clean(options) => options.rules.is_on(Rule::MixedEncoding),
            Transform::Convert(_) => true,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            transform: Transform::default(),
            input_encoding: None,
            strict: false,
            output_encoding: encoding_rs::UTF_8,
            documents: DocumentSettings::default(),
        }
    }
}

/// Why a file could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Not a text file (by its content).
    #[error("not a text file ({kind}){}", hint.map(|hint| format!(": {hint}")).unwrap_or_default())]
    Binary {
        kind: &'static str,
        hint: Option<&'static str>,
    },
    /// A document (by its bytes) that its reader could not read.
    #[error("cannot read this {}: {error}", format.describe())]
    Document {
        format: Format,
        #[source]
        error: DocumentError,
    },
    /// A format left out by `--formats`.
    #[error("{} not among --formats", if *.0 == Format::Text { "text:" .to_string() } else { format!("{}:", .0.describe()) })]
    NotSelected(Format),
    #[error(transparent)]
    Decode(DecodeError),
    #[error(transparent)]
    Encode(EncodeError),
    #[error("cannot read: {}", crate::source::describe_io_error(.0))]
    Read(#[source] io::Error),
    #[error("cannot write: {}", crate::source::describe_io_error(.0))]
    Write(#[source] io::Error),
}

impl FileError {
    /// Not a failure but a file this run does not read: a format left out by `--formats`, or
    /// a PDF without pdftotext installed. Such a file is skipped, with the reason.
    pub fn is_skip(&self) -> bool {
        matches!(
            self,
            FileError::NotSelected(_)
                | FileError::Document {
                    error: DocumentError::NoPoppler,
                    ..
                }
        )
    }
}

/// Reads until `buf` is full or the input ends; returns how much was read.
fn read_full(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Decides the encoding of a stream from its first bytes (or takes the user's).
pub fn detect(prefix: &[u8], whole: bool, settings: &Settings) -> Result<Detection, FileError> {
    if let Some(encoding) = settings.input_encoding {
        return Ok(decode::forced(encoding, prefix));
    }
    let sniffed = decode::sniff_knowing(prefix, whole);
    match sniffed.sniff {
        Sniff::Text(detection) if settings.mixed_lines() => Ok(decode::detect_mixed_knowing(
            detection,
            prefix,
            whole,
            sniffed.chinese_prefix_decodes_cleanly,
        )),
        Sniff::Text(detection) => Ok(detection),
        Sniff::Binary(binary) => Err(FileError::Binary {
            kind: binary.kind,
            hint: binary.hint,
        }),
    }
}

/// A transformation of decoded text that streams: text goes in as chunks of any size, finished
/// text comes out. The cleaning pipeline is one; script conversion alone (`zhclean convert`) is
/// another ([`Transform`] says which a run uses).
pub trait TextStream {
    fn push_str(&mut self, text: &str, out: &mut String);
    /// Ends the document; says what the transformation did.
    fn finish(self, out: &mut String) -> CleanReport;
}

impl TextStream for Cleaner {
    fn push_str(&mut self, text: &str, out: &mut String) {
        Cleaner::push_str(self, text, out)
    }

    fn finish(self, out: &mut String) -> CleanReport {
        Cleaner::finish(self, out)
    }
}

/// What happened to one file that was processed to the end.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FileReport {
    /// What the input was: `txt`, or the document format read (`docx`, `pdf`, …).
    pub format: Format,
    pub decode: DecodeReport,
    pub clean: CleanReport,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// The output differs from the input byte for byte.
    pub changed: bool,
}

/// Streams `reader` through the whole cleaning pipeline into `writer` (or through conversion
/// alone, for `zhclean convert`). The bytes are text (a JSONL field, say): a document's bytes
/// are a binary file here, and read as a document by [`clean_input`].
///
/// On an error the writer may have received part of the output: a file sink must then be
/// discarded (see `sink::AtomicFile`), which is why this never writes to the final path itself.
pub fn clean_stream(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    settings: &Settings,
) -> Result<FileReport, FileError> {
    clean_from(reader, writer, settings, Origin::Text)
}

/// [`clean_stream`] for an input file (or standard input, or an archive member): a document
/// (.docx, .odt, .epub, a PDF with pdftotext installed) is read by its reader into text first,
/// as `settings.documents` says, and a format left out of it is [`FileError::NotSelected`].
/// `name` is the input's name, for the formats its bytes leave open (HTML).
pub fn clean_input(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    settings: &Settings,
    name: Option<&Path>,
) -> Result<FileReport, FileError> {
    clean_from(reader, writer, settings, Origin::File(name))
}

fn clean_from(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    settings: &Settings,
    origin: Origin<'_>,
) -> Result<FileReport, FileError> {
    match &settings.transform {
        Transform::Clean(options) => {
            stream_from(reader, writer, settings, Cleaner::new(options), origin)
        }
        Transform::Convert(converter) => stream_from(
            reader,
            writer,
            settings,
            ConvertOnly::new(converter.clone()),
            origin,
        ),
    }
}

/// How an input's bytes are taken.
#[derive(Clone, Copy)]
enum Origin<'a> {
    /// As text in some encoding (a JSONL field; [`clean_stream`]).
    Text,
    /// As a file that may be a document, with its name when it has one.
    File(Option<&'a Path>),
    /// The text a document's reader gave: UTF-8.
    Read(Format),
}

/// Script conversion and nothing else (`zhclean convert`): line breaks, blank lines and spacing
/// pass through as they are, as with `opencc`. Text is converted a whole line at a time, so no
/// phrase is split between two chunks; a line longer than [`MAX_LINE_BYTES`] is cut after a
/// punctuation mark, which no dictionary phrase contains.
pub struct ConvertOnly {
    converter: Converter,
    /// Text after the last line break seen: converted once its line is complete.
    pending: String,
    lines_changed: u64,
}

impl ConvertOnly {
    pub fn new(converter: Converter) -> Self {
        ConvertOnly {
            converter,
            pending: String::new(),
            lines_changed: 0,
        }
    }

    fn convert_into(&mut self, end: usize, out: &mut String) {
        let piece = &self.pending[..end];
        let converted = self.converter.convert(piece);
        if matches!(converted, Cow::Owned(_)) {
            self.lines_changed += piece.matches('\n').count().max(1) as u64;
        }
        out.push_str(&converted);
        self.pending.drain(..end);
    }
}

impl TextStream for ConvertOnly {
    fn push_str(&mut self, text: &str, out: &mut String) {
        self.pending.push_str(text);
        if let Some(last_break) = self.pending.rfind('\n') {
            self.convert_into(last_break + 1, out);
        }
        while self.pending.len() > MAX_LINE_BYTES {
            let cut = cut_point(&self.pending, MAX_LINE_BYTES);
            self.convert_into(cut, out);
        }
    }

    fn finish(mut self, out: &mut String) -> CleanReport {
        let end = self.pending.len();
        self.convert_into(end, out);
        let mut report = CleanReport::default();
        report.rules.add(Rule::ConvertScript, self.lines_changed);
        report
            .facts
            .insert("convert-config", self.converter.name().to_string());
        report
    }
}

/// Streams `reader` through `transform` into `writer`: detect the encoding from the first
/// 64 KiB, then read, decode, transform, encode and write chunk by chunk.
pub fn stream<T: TextStream>(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    settings: &Settings,
    transform: T,
) -> Result<FileReport, FileError> {
    stream_from(reader, writer, settings, transform, Origin::Text)
}

fn stream_from<T: TextStream>(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    settings: &Settings,
    transform: T,
    origin: Origin<'_>,
) -> Result<FileReport, FileError> {
    StreamBuffers::with_spare(|buffers| {
        stream_through(reader, writer, settings, transform, buffers, origin)
    })
}

/// The text the reader of `format` gives for a whole document, before any cleaning: what
/// `diff` shows as the input of a document [`clean_input`] read.
pub fn document_text(
    format: Format,
    bytes: &[u8],
    settings: &Settings,
) -> Result<String, FileError> {
    document::extract(format, bytes, settings.documents.notes)
        .map_err(|error| FileError::Document { format, error })
}

/// Reads the rest of a document whose first `prefix` bytes are read, and streams its text.
fn read_document<T: TextStream>(
    format: Format,
    prefix: &[u8],
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    settings: &Settings,
    transform: T,
    buffers: &mut StreamBuffers,
) -> Result<FileReport, FileError> {
    if let Some(why) = settings.documents.unread {
        return Err(FileError::Binary {
            kind: format.describe(),
            hint: Some(why),
        });
    }
    let mut whole = prefix.to_vec();
    // One byte over the limit is enough for the reader to refuse it.
    let room = document::MAX_DOCUMENT_BYTES + 1 - prefix.len() as u64;
    reader
        .take(room)
        .read_to_end(&mut whole)
        .map_err(FileError::Read)?;
    let text = document_text(format, &whole, settings)?;
    let origin = Origin::Read(format);
    let mut report = stream_through(
        &mut text.as_bytes(),
        writer,
        settings,
        transform,
        buffers,
        origin,
    )?;
    report.bytes_in = whole.len() as u64;
    // The output is text where the input was a document: it differs, byte for byte.
    report.changed = true;
    if text.trim().is_empty() {
        // Not an error (a scanned document holds images only), but worth a word.
        report
            .clean
            .warnings
            .push(format!("the {} holds no text", format.describe()));
    }
    Ok(report)
}

/// [`stream`], through the given buffers.
fn stream_through<T: TextStream>(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    settings: &Settings,
    transform: T,
    buffers: &mut StreamBuffers,
    origin: Origin<'_>,
) -> Result<FileReport, FileError> {
    let mut n =
        read_full(reader, &mut buffers.input[..decode::PREFIX_BYTES]).map_err(FileError::Read)?;
    let mut last = n < decode::PREFIX_BYTES;
    let (format, detection) = match origin {
        Origin::Text => (Format::Text, detect(&buffers.input[..n], last, settings)?),
        Origin::Read(format) => (
            format,
            decode::forced(encoding_rs::UTF_8, &buffers.input[..n]),
        ),
        Origin::File(name) => {
            let format = Format::detect(&buffers.input[..n], name);
            if !settings.documents.formats.contains(format) {
                return Err(FileError::NotSelected(format));
            }
            if format.has_reader() {
                let prefix = buffers.input[..n].to_vec();
                return read_document(
                    format, &prefix, reader, writer, settings, transform, buffers,
                );
            }
            (format, detect(&buffers.input[..n], last, settings)?)
        }
    };
    let StreamBuffers {
        input,
        text,
        transformed,
        bytes,
    } = buffers;

    let mut decoder =
        Decoder::new(detection, settings.strict).with_mixed_lines(settings.mixed_lines());
    let mut transform = Some(transform);
    let mut encoder = Encoder::new(settings.output_encoding);
    let mut changes = ChangeTracker::default();
    let (mut bytes_in, mut bytes_out) = (0u64, 0u64);

    loop {
        bytes_in += n as u64;
        changes.input(&input[..n]);
        let active = transform
            .as_mut()
            .expect("the loop returns once the transform is finished");
        decoder
            .decode_each(&input[..n], last, text, |piece| {
                active.push_str(piece, transformed)
            })
            .map_err(FileError::Decode)?;
        let report = if last {
            transform.take().map(|done| done.finish(transformed))
        } else {
            None
        };
        let encoded = encoder
            .encoded(transformed, last, bytes)
            .map_err(FileError::Encode)?;
        writer.write_all(encoded).map_err(FileError::Write)?;
        changes.output(encoded);
        bytes_out += encoded.len() as u64;
        transformed.clear();
        if let Some(mut report) = report {
            writer.flush().map_err(FileError::Write)?;
            let decode = decoder.report();
            report.rules.add(Rule::MixedEncoding, decode.mixed_lines());
            return Ok(FileReport {
                format,
                decode,
                clean: report,
                bytes_in,
                bytes_out,
                changed: changes.changed(),
            });
        }
        n = read_full(reader, &mut input[..CHUNK_BYTES]).map_err(FileError::Read)?;
        last = n < CHUNK_BYTES;
    }
}

/// The buffers [`stream`] reads, decodes, cleans and encodes through. Each thread keeps one
/// set between files: a directory run streams thousands of files, and allocating (and
/// zeroing) half a megabyte of fresh buffers for each one showed in the profile, in the
/// allocator and in the kernel's page faults.
struct StreamBuffers {
    /// The bytes read.
    input: Vec<u8>,
    /// Text the decoder had to decode: valid UTF-8 goes on from `input` as it stands
    /// ([`Decoder::decode_each`]), every other encoding through here.
    text: String,
    /// The transformation's output, before it is encoded.
    transformed: String,
    /// The encoded output.
    bytes: Vec<u8>,
}

thread_local! {
    static SPARE_BUFFERS: std::cell::Cell<Option<StreamBuffers>> =
        const { std::cell::Cell::new(None) };
}

impl StreamBuffers {
    fn new() -> Self {
        StreamBuffers {
            input: vec![0; CHUNK_BYTES.max(decode::PREFIX_BYTES)],
            text: String::with_capacity(CHUNK_BYTES * 2),
            transformed: String::with_capacity(CHUNK_BYTES * 2),
            bytes: Vec::with_capacity(CHUNK_BYTES * 2),
        }
    }

    /// Runs `f` with this thread's spare set (or a new one), and keeps the set for the next
    /// file — emptied, and only at its usual size: one overlong line must not pin a large
    /// buffer for the rest of the run.
    fn with_spare<R>(f: impl FnOnce(&mut StreamBuffers) -> R) -> R {
        let mut buffers = SPARE_BUFFERS.take().unwrap_or_else(StreamBuffers::new);
        let result = f(&mut buffers);
        let most = 4 * CHUNK_BYTES;
        if [
            buffers.text.capacity(),
            buffers.transformed.capacity(),
            buffers.bytes.capacity(),
        ]
        .iter()
        .all(|&capacity| capacity <= most)
        {
            buffers.text.clear();
            buffers.transformed.clear();
            buffers.bytes.clear();
            SPARE_BUFFERS.set(Some(buffers));
        }
        result
    }
}

/// Tells whether the output is byte-identical to the input, comparing as both stream by. Only
/// the input not yet matched by output is held, which the pipeline keeps small (a batch and a
/// paragraph), and nothing at all once a difference is found.
#[derive(Default)]
struct ChangeTracker {
    pending: std::collections::VecDeque<u8>,
    differs: bool,
}

impl ChangeTracker {
    fn input(&mut self, bytes: &[u8]) {
        if !self.differs {
            self.pending.extend(bytes);
        }
    }

    fn output(&mut self, bytes: &[u8]) {
        if self.differs {
            return;
        }
        // Compared as the (at most two) contiguous slices of the queue: a memcmp, not a loop.
        let (front, back) = self.pending.as_slices();
        let split = bytes.len().min(front.len());
        let same = bytes.len() <= self.pending.len()
            && front[..split] == bytes[..split]
            && back[..bytes.len() - split] == bytes[split..];
        if !same {
            self.differs = true;
            self.pending = Default::default();
        } else {
            self.pending.drain(..bytes.len());
        }
    }

    fn changed(&self) -> bool {
        self.differs || !self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8]) -> (Vec<u8>, FileReport) {
        let mut out = Vec::new();
        let report = clean_stream(&mut &input[..], &mut out, &Settings::default()).unwrap();
        (out, report)
    }

    #[test]
    fn clean_input_is_reported_unchanged() {
        let (out, report) = run("标题\n正文。\n".as_bytes());
        assert_eq!(out, "标题\n正文。\n".as_bytes());
        assert!(!report.changed);
        assert_eq!((report.bytes_in, report.bytes_out), (17, 17));
    }

    #[test]
    fn any_difference_is_a_change() {
        for input in ["标题\n\n正文。\n", "标题\n正文。", "　标题\n正文。\n"] {
            let (_, report) = run(input.as_bytes());
            assert!(report.changed, "{input:?}");
        }
    }

    #[test]
    fn binary_input_is_refused() {
        let err = clean_stream(
            &mut &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
            &mut Vec::new(),
            &Settings::default(),
        )
        .unwrap_err();
        assert!(matches!(err, FileError::Binary { .. }), "{err}");
    }

    /// The messages users see stay short; the cause stays reachable for a caller that wants it.
    #[test]
    fn errors_say_the_cause_and_keep_it() {
        use std::error::Error;
        let read = FileError::Read(io::Error::from(io::ErrorKind::NotFound));
        assert_eq!(read.to_string(), "cannot read: no such file or directory");
        assert!(read.source().is_some());
        let binary = FileError::Binary {
            kind: "PNG image",
            hint: None,
        };
        assert_eq!(binary.to_string(), "not a text file (PNG image)");
        let hinted = FileError::Binary {
            kind: "zip archive",
            hint: Some("add --archives"),
        };
        assert_eq!(
            hinted.to_string(),
            "not a text file (zip archive): add --archives"
        );
    }
}
