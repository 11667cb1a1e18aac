//! JSONL records: one JSON object a line, one of whose fields (a string, maybe nested:
//! `meta.body`) is a document to clean. This module finds that field in a line and writes the
//! line back with only the field's value replaced; the cleaning itself is the pipeline's, run
//! on the field's text exactly as on a file of that text ([`clean_line`] streams it through
//! [`crate::run::clean_stream`]), so the cleaned field equals `zhclean clean` on the text.
//!
//! **Why the line is edited in place rather than parsed and written again.** Corpora carry
//! fields this tool knows nothing of: numbers beyond `f64` (ids as 20-digit integers), key
//! order that tools downstream read, keys with escapes, `ensure_ascii` escapes in every string
//! (Python's default), spacing after the colons. Parsing into a value and writing it again
//! (serde_json with `preserve_order`) would keep the order but rewrite numbers, escapes and
//! spacing. Here the line is read only to learn where the field's value lies — by `scan`, a
//! check of the line's JSON shape that builds nothing, or, for a line it is unsure of, by
//! serde_json (each member's value borrowed as a [`RawValue`], a slice of the line) — and the
//! output is the line's own bytes with that one span replaced. Every other byte — the other
//! fields, their order, their spelling — is the input's, and a record whose text is already
//! clean comes out byte for byte as it went in.
//!
//! A line that is not a JSON object, or whose field is missing or not a string, is a
//! [`RecordError`]: the caller copies such a line through unchanged and names it.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::report::CleanReport;
use crate::run::{clean_stream, FileError, FileReport, Settings};
use unescape::{unescape, Unescaper};

pub mod compress;
pub mod config;
mod scan;
mod unescape;

pub use compress::Compression;
pub use config::{BadFieldPath, FieldPath, JsonlConfig};

/// Why a line was not cleaned (it is copied through as it was).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("not UTF-8 (a JSON line must be)")]
    NotUtf8,
    #[error("not valid JSON: {0}")]
    Malformed(String),
    #[error("not a JSON object")]
    NotAnObject,
    #[error("no field '{0}'")]
    Missing(String),
    #[error("the field '{field}' appears twice in one object")]
    Duplicate { field: String },
    #[error("the field '{field}' is {kind}, not a string")]
    NotAString { field: String, kind: &'static str },
    /// A key on the way to a nested field holds no object.
    #[error("'{key}' is {kind}, not an object with the field '{field}'")]
    NotNested {
        key: String,
        field: String,
        kind: &'static str,
    },
    /// The field's text is one `clean` refuses as a file (binary content, say).
    #[error("the field '{field}' cannot be cleaned: {reason}")]
    Unclean { field: String, reason: String },
}

/// A JSON object in a line: its members, each value a slice of the line.
struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(Key(key)) = map.next_key()? {
                    let value: &'de RawValue = map.next_value()?;
                    members.push((key, value));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// A key, borrowed from the line unless it had escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_string())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Parses an object, or says why `text` is not one.
fn members(text: &str) -> Result<Members<'_>, RecordError> {
    serde_json::from_str::<Members<'_>>(text).map_err(|error| match error.classify() {
        serde_json::error::Category::Data => RecordError::NotAnObject,
        _ => RecordError::Malformed(error.to_string()),
    })
}

/// Where `inner` (a slice of `outer`) starts in `outer`.
fn offset_in(outer: &str, inner: &str) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

/// One line parsed as a JSON object: where its members' values lie.
pub struct Record<'a> {
    line: &'a str,
    members: Members<'a>,
}

/// The field to clean, found in a record.
#[derive(Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// The bytes of the value in the line, quotes included.
    pub span: Range<usize>,
    /// The value as written, quotes included.
    pub raw: &'a str,
    /// The value was written in ASCII alone with `\u` escapes (Python's `ensure_ascii`): a new
    /// value is written the same way.
    pub ascii: bool,
}

impl<'a> Field<'a> {
    /// The string's text: the line's own bytes when it has no escape, else unescaped into
    /// `buffer` (kept by the caller from record to record: a document of megabytes needs no
    /// fresh allocation, whose pages the kernel would zero).
    pub fn text(&self, buffer: &'a mut String) -> Result<&'a str, RecordError> {
        let inner = &self.raw[1..self.raw.len() - 1];
        if !inner.contains('\\') {
            return Ok(inner);
        }
        buffer.clear();
        unescape(inner, buffer)?;
        Ok(buffer)
    }
}

impl<'a> Record<'a> {
    /// Parses one line (without its line break).
    pub fn parse(line: &'a str) -> Result<Self, RecordError> {
        Ok(Record {
            line,
            members: members(line)?,
        })
    }

    /// Finds the string at `path`.
    pub fn field(&self, path: &FieldPath) -> Result<Field<'a>, RecordError> {
        let name = || path.to_string();
        let mut raw = None;
        let mut nested;
        let mut object = &self.members;
        for (depth, key) in path.keys().iter().enumerate() {
            let mut found = object.0.iter().filter(|(k, _)| k == key).map(|(_, v)| *v);
            let value = found.next().ok_or_else(|| RecordError::Missing(name()))?;
            if found.next().is_some() {
                return Err(RecordError::Duplicate { field: name() });
            }
            if depth + 1 < path.keys().len() {
                nested = match members(value.get()) {
                    Ok(nested) => nested,
                    Err(RecordError::NotAnObject) => {
                        return Err(RecordError::NotNested {
                            key: path.keys()[..=depth].join("."),
                            field: name(),
                            kind: kind_of(value.get()),
                        })
                    }
                    Err(other) => return Err(other),
                };
                object = &nested;
            } else {
                raw = Some(value.get());
            }
        }
        let raw = raw.ok_or_else(|| RecordError::Missing(name()))?;
        if !raw.starts_with('"') {
            return Err(RecordError::NotAString {
                field: name(),
                kind: kind_of(raw),
            });
        }
        let start = offset_in(self.line, raw);
        Ok(Field {
            span: start..start + raw.len(),
            raw,
            ascii: is_ascii_escaped(raw.as_bytes()),
        })
    }

    /// Where a top-level member named `key` has its value (the last, if it appears twice, as
    /// JSON readers take the last), or where a new member goes: just before the closing brace,
    /// with whether it needs a comma before it.
    fn place_for(&self, key: &str) -> Placement {
        if let Some((_, value)) = self.members.0.iter().rev().find(|(k, _)| k == key) {
            let start = offset_in(self.line, value.get());
            return Placement::Replace(start..start + value.get().len());
        }
        let end = self.line.trim_end().len().saturating_sub(1);
        Placement::Insert {
            at: end,
            comma: !self.members.0.is_empty(),
        }
    }
}

enum Placement {
    Replace(Range<usize>),
    Insert { at: usize, comma: bool },
}

/// What kind of JSON value `raw` is, for a message.
fn kind_of(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(b'"') => "a string",
        _ => "a number",
    }
}

/// Writes `text` as a JSON string: non-ASCII as it is, or (`ascii`) as `\u` escapes, lower-case
/// hex as Python writes them.
pub fn write_string(text: &str, ascii: bool, out: &mut Vec<u8>) {
    if !ascii {
        // Writing a string into a vector cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
        return;
    }
    out.push(b'"');
    for c in text.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            ' '..='~' => out.push(c as u8),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
                }
            }
        }
    }
    out.push(b'"');
}

/// What became of one line.
#[derive(Debug)]
pub enum LineResult {
    /// The field was cleaned (the line is written anew only if its text changed or a report
    /// field was asked for).
    Cleaned {
        report: CleanReport,
        /// The field's text changed.
        changed: bool,
    },
    /// An empty (or blank) line: copied as it is.
    Blank,
    /// Not cleaned, and copied as it is.
    Bad(RecordError),
}

/// Buffers [`clean_line`] and [`clean_field`] work in, kept by the caller from line to line:
/// the field's unescaped text and its cleaned text.
#[derive(Debug, Default)]
pub struct Scratch {
    text: String,
    cleaned: Vec<u8>,
}

impl Scratch {
    /// The bytes the larger buffer holds on to.
    pub fn capacity(&self) -> usize {
        self.text.capacity().max(self.cleaned.capacity())
    }
}

/// Cleans the field of one line (`line` without its line break) and appends the line to `out`,
/// rewritten (only the field's value, and the report field if asked for) or, if it is not a
/// record with that field, as it was. The field's text goes through the very pipeline a file
/// goes through ([`clean_stream`] with `settings`), so the cleaned value equals `zhclean clean`
/// on that text.
///
/// JSON is UTF-8: `settings` must decode by detection (no `input_encoding`) and write UTF-8,
/// as `zhclean` ensures by refusing `--encoding` and `--output-encoding` with `--jsonl`.
pub fn clean_line(
    line: &[u8],
    config: &JsonlConfig,
    settings: &Settings,
    scratch: &mut Scratch,
    out: &mut Vec<u8>,
) -> LineResult {
    let (result, line_out) = clean_record(line, config, settings, scratch, out);
    if line_out == LineOut::AsItWas {
        out.extend_from_slice(line);
    }
    result
}

/// What [`clean_record`] did with the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineOut {
    /// The line's new bytes were appended to `out`.
    Rewritten,
    /// The line stays as it was, and nothing was appended: the caller writes it from where it
    /// lies, and a clean record of megabytes is not copied into `out` first.
    AsItWas,
}

/// [`clean_line`], but a line that stays as it was (an unchanged record, a blank or a bad
/// line) is not appended to `out`.
pub fn clean_record(
    line: &[u8],
    config: &JsonlConfig,
    settings: &Settings,
    scratch: &mut Scratch,
    out: &mut Vec<u8>,
) -> (LineResult, LineOut) {
    if line.iter().all(u8::is_ascii_whitespace) {
        return (LineResult::Blank, LineOut::AsItWas);
    }
    match clean_streamed(line, config, settings, &mut scratch.cleaned) {
        Ok(cleaned) => {
            let line_out = if cleaned.report.changed || config.report_field.is_some() {
                // Only a changed text is written, and so needs to be a string.
                let text = if cleaned.report.changed {
                    match cleaned_text(cleaned.cleaned, config) {
                        Ok(text) => text,
                        Err(error) => return (LineResult::Bad(error), LineOut::AsItWas),
                    }
                } else {
                    ""
                };
                rewrite(line, config, &cleaned, text, out);
                LineOut::Rewritten
            } else {
                LineOut::AsItWas
            };
            let result = LineResult::Cleaned {
                changed: cleaned.report.changed,
                report: cleaned.report.clean,
            };
            (result, line_out)
        }
        Err(error) => (LineResult::Bad(error), LineOut::AsItWas),
    }
}

/// A record whose field was cleaned.
pub struct Cleaned<'a> {
    pub record: Record<'a>,
    pub field: Field<'a>,
    /// The field's text, and the text cleaned.
    pub text: &'a str,
    pub cleaned: &'a str,
    pub report: FileReport,
}

/// A record whose field was cleaned, without the field's text (which [`clean_line`] never
/// holds whole: it streams it into the pipeline).
struct CleanedRecord<'a> {
    /// The field's value in the line, quotes included.
    field: Range<usize>,
    /// Where the report field goes, when asked for.
    report_place: Option<Placement>,
    /// The cleaned text, not yet checked for UTF-8 (see [`clean_bytes`]).
    cleaned: &'a [u8],
    report: FileReport,
}

/// Finds the field of a record line (without its line break).
fn locate<'a>(
    line: &'a [u8],
    config: &JsonlConfig,
) -> Result<(Record<'a>, Field<'a>), RecordError> {
    let line = simdutf8::basic::from_utf8(line).map_err(|_| RecordError::NotUtf8)?;
    let record = Record::parse(line)?;
    let field = record.field(&config.field)?;
    Ok((record, field))
}

/// Finds the field of a record line (without its line break) and cleans its text as a file
/// is cleaned (for `zhclean diff`, which shows the text beside the cleaned text).
pub fn clean_field<'a>(
    line: &'a [u8],
    config: &JsonlConfig,
    settings: &Settings,
    scratch: &'a mut Scratch,
) -> Result<Cleaned<'a>, RecordError> {
    let (record, field) = locate(line, config)?;
    let Scratch {
        text: text_buffer,
        cleaned: cleaned_buffer,
    } = scratch;
    let text = field.text(text_buffer)?;
    let (cleaned, report) = clean_text(
        &mut text.as_bytes(),
        text.len(),
        config,
        settings,
        cleaned_buffer,
    )?;
    Ok(Cleaned {
        record,
        field,
        text,
        cleaned,
        report,
    })
}

/// [`clean_field`] for [`clean_line`]: the field's value is unescaped as the pipeline reads
/// it, straight into the pipeline's read buffer, so that no copy of the whole text is made on
/// the way in. The field is found by [`scan::scan`] (the fast way, which leaves the field's
/// UTF-8 to the pipeline's decoder); a line it does not accept, or any error on the fast way,
/// goes the way of [`locate`] (serde_json), which names what is wrong as it always has.
fn clean_streamed<'a>(
    line: &'a [u8],
    config: &JsonlConfig,
    settings: &Settings,
    cleaned_buffer: &'a mut Vec<u8>,
) -> Result<CleanedRecord<'a>, RecordError> {
    let report_key = config.report_field.as_deref();
    if let Some(scanned) = scan::scan(line, config.field.keys(), report_key) {
        if let Some(report) = clean_scanned(line, &scanned.field, config, settings, cleaned_buffer)
        {
            let report_place = report_key.map(|_| match scanned.report {
                Some(span) => Placement::Replace(span),
                None => Placement::Insert {
                    at: scanned.close,
                    comma: scanned.members,
                },
            });
            return Ok(CleanedRecord {
                field: scanned.field,
                report_place,
                cleaned: cleaned_buffer,
                report,
            });
        }
    }
    let (record, field) = locate(line, config)?;
    let inner = &field.raw[1..field.raw.len() - 1];
    let mut reader = Unescaper::new(inner.as_bytes());
    let result = clean_bytes(&mut reader, inner.len(), config, settings, cleaned_buffer);
    // An escape the text cannot hold stops the reading: that is the record's error, as when
    // the text is unescaped whole.
    if let Some(error) = reader.error() {
        return Err(error);
    }
    Ok(CleanedRecord {
        report_place: report_key.map(|key| record.place_for(key)),
        field: field.span,
        cleaned: cleaned_buffer,
        report: result?,
    })
}

/// Cleans the field at `span` of a line [`scan::scan`] accepted, into `buffer`; `None` if
/// anything is amiss (the caller then goes serde_json's way, which names it).
///
/// The scan did not check the field's text for UTF-8: the pipeline's decoder did, as it read
/// it. Decoded as UTF-8 with nothing replaced, the text was valid UTF-8 (a decoded escape is
/// whole UTF-8 and begins with a lead byte, so it can neither finish nor start a broken
/// sequence of the bytes around it); decoded otherwise, the text is checked here, and a field
/// that is not UTF-8 goes serde_json's way, to be named as it always was.
fn clean_scanned(
    line: &[u8],
    span: &Range<usize>,
    config: &JsonlConfig,
    settings: &Settings,
    buffer: &mut Vec<u8>,
) -> Option<FileReport> {
    let inner = &line[span.start + 1..span.end - 1];
    // `Unescaper` works on bytes; its text is checked for UTF-8 below.
    let mut reader = Unescaper::new(inner);
    let report = clean_bytes(&mut reader, inner.len(), config, settings, buffer).ok()?;
    if reader.error().is_some() {
        return None;
    }
    let decoded_as_utf8 = report.decode.encoding == "UTF-8" && report.decode.replaced == 0;
    if !decoded_as_utf8 && simdutf8::basic::from_utf8(inner).is_err() {
        return None;
    }
    Some(report)
}

/// Cleans the text `reader` reads (about `len` bytes) as a file is cleaned, into `buffer`.
fn clean_text<'a>(
    reader: &mut dyn std::io::Read,
    len: usize,
    config: &JsonlConfig,
    settings: &Settings,
    buffer: &'a mut Vec<u8>,
) -> Result<(&'a str, FileReport), RecordError> {
    let report = clean_bytes(reader, len, config, settings, buffer)?;
    Ok((cleaned_text(buffer, config)?, report))
}

/// The cleaned text as a string. The pipeline writes UTF-8 (JSON's encoding): the run's
/// configuration refuses another output encoding with --jsonl.
fn cleaned_text<'a>(buffer: &'a [u8], config: &JsonlConfig) -> Result<&'a str, RecordError> {
    simdutf8::basic::from_utf8(buffer).map_err(|_| RecordError::Unclean {
        field: config.field.to_string(),
        reason: "its cleaned text is not UTF-8 (an output encoding other than UTF-8?)".into(),
    })
}

/// [`clean_text`], its output left as bytes: a record whose text stays as it was is written
/// from its line, and its cleaned text is never needed as a string (checking it for UTF-8 was
/// one more pass over every byte).
fn clean_bytes(
    reader: &mut dyn std::io::Read,
    len: usize,
    config: &JsonlConfig,
    settings: &Settings,
    buffer: &mut Vec<u8>,
) -> Result<FileReport, RecordError> {
    buffer.clear();
    // Room for the whole cleaned text at once: growing by doubling would copy it over and
    // over into fresh memory. A buffer too small is replaced, not grown: growing an empty
    // vector reallocates, and the allocator copies the old block's bytes, stale as they are.
    let room = len + len / 8 + 64;
    if buffer.capacity() < room {
        *buffer = Vec::with_capacity(room);
    }
    clean_stream(reader, buffer, settings).map_err(|error| RecordError::Unclean {
        field: config.field.to_string(),
        reason: match error {
            FileError::Binary { kind, .. } => format!("its text is {kind}"),
            other => other.to_string(),
        },
    })
}

/// Writes the line of a cleaned record to `out`: the line's bytes, with the field's value
/// replaced if its text changed, and the report field put in if asked for — each written
/// straight into `out`, so that a document of megabytes is not copied once more.
fn rewrite(
    line: &[u8],
    config: &JsonlConfig,
    cleaned: &CleanedRecord<'_>,
    text: &str,
    out: &mut Vec<u8>,
) {
    enum Edit {
        Field,
        ReportValue,
        ReportMember { comma: bool },
    }
    let changed = cleaned.report.changed;
    let mut edits: Vec<(Range<usize>, Edit)> = Vec::with_capacity(2);
    if changed {
        edits.push((cleaned.field.clone(), Edit::Field));
    }
    match &cleaned.report_place {
        Some(Placement::Replace(span)) => edits.push((span.clone(), Edit::ReportValue)),
        Some(Placement::Insert { at, comma }) => {
            edits.push((*at..*at, Edit::ReportMember { comma: *comma }))
        }
        None => {}
    }
    edits.sort_by_key(|(span, _)| span.start);
    let mut at = 0;
    for (span, edit) in edits {
        out.extend_from_slice(&line[at..span.start]);
        match edit {
            Edit::Field => write_string(text, is_ascii_escaped(&line[cleaned.field.clone()]), out),
            Edit::ReportValue => write_record_report(&cleaned.report.clean, changed, out),
            Edit::ReportMember { comma } => {
                if comma {
                    out.push(b',');
                }
                let name = config.report_field.as_deref().unwrap_or_default();
                write_string(name, false, out);
                out.push(b':');
                write_record_report(&cleaned.report.clean, changed, out);
            }
        }
        at = span.end;
    }
    out.extend_from_slice(&line[at..]);
}

/// Whether a string's value (quotes included) was written in ASCII alone with `\u` escapes
/// (Python's `ensure_ascii`): a new value is written the same way.
fn is_ascii_escaped(raw: &[u8]) -> bool {
    raw.is_ascii() && memchr::memmem::find(raw, b"\\u").is_some()
}

/// The value of `--report-field`: `{"changed":true,"rules":{…},"removed_han":{…}}`.
fn write_record_report(report: &CleanReport, changed: bool, out: &mut Vec<u8>) {
    #[derive(serde::Serialize)]
    struct RecordReport<'a> {
        changed: bool,
        rules: &'a crate::report::Counts,
        removed_han: std::collections::BTreeMap<&'static str, u64>,
    }
    let value = RecordReport {
        changed,
        rules: &report.rules,
        removed_han: report.rules.removed_han().collect(),
    };
    // Numbers and names: serializing cannot fail.
    let _ = serde_json::to_writer(out, &value);
}

#[cfg(test)]
mod tests;
