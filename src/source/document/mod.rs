//! Documents read from their structure: a Word, OpenDocument or EPUB file (and a PDF, through
//! poppler's `pdftotext`) becomes the text stream the pipeline takes from a plain text file —
//! UTF-8, one paragraph per line — so every rule, the converter, reports, `check` and `diff`
//! work on it unchanged.
//!
//! Reading the structure is what makes exports unnecessary: body paragraphs, table rows,
//! footnotes after the paragraph citing them and automatic numbering come straight from the
//! markup, and headers, footers, field codes, bookmarks, comments, deleted revisions and hidden
//! text are never read at all, so no rule has to guess them away afterwards.
//!
//! Which reader a file goes to is decided by its bytes first ([`Format::detect`]: a zip holding
//! `word/document.xml` is a Word document whatever its name), its extension second.
//!
//! Documents are read whole into memory (a zip's directory is at its end); the limits below keep
//! a hostile one (a zip bomb, an XML part nested a million deep) from taking the machine with it.

use std::path::Path;

pub(crate) mod doc;
pub(crate) mod docx;
pub(crate) mod epub;
pub(crate) mod html;
pub(crate) mod numbering;
pub(crate) mod odt;
pub(crate) mod package;
pub(crate) mod pdf;
pub(crate) mod table;
pub(crate) mod xml;

/// The largest document read (its bytes as stored): past it the file is refused, not read.
pub const MAX_DOCUMENT_BYTES: u64 = 512 * 1024 * 1024;

/// The largest part of a document once decompressed (`word/document.xml`, one EPUB chapter):
/// a zip bomb stops here, as its compressed size says nothing of what it expands to.
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Everything decompressed from one document, all parts together.
pub const MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;

/// The deepest element nesting an XML part may have. Real documents stay under a hundred
/// (tables in tables in text boxes); more is an attack on whatever keeps a stack per level.
pub const MAX_XML_DEPTH: usize = 1024;

/// Footnotes and endnotes: written after the paragraph that cites them (`--notes keep`, the
/// default), or left out (`--notes drop`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Notes {
    #[default]
    Keep,
    Drop,
}

/// Why a document could not be read. The message names the cause; the caller adds the file.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The structure is not what the format requires (a missing part, a bad signature, a
    /// truncated file), in a few words.
    #[error("damaged document: {0}")]
    Corrupt(String),
    /// Another format in the same container (a Microsoft Works `.wps` in the compound file of
    /// a `.doc`), which no reader here reads: what it is, and what to do.
    #[error("{0}")]
    OtherFormat(&'static str),
    /// Password-protected: its text cannot be read without the password.
    #[error("the document is encrypted (password-protected): save a copy without the password and clean that")]
    Encrypted,
    /// The zip container itself is unreadable (truncated, not a zip at all).
    #[error("damaged document: {0}")]
    Zip(#[source] zip::result::ZipError),
    /// An XML part that does not parse, or breaks a limit ([`MAX_XML_DEPTH`]).
    #[error("damaged document: {part}: {message}")]
    Xml { part: String, message: String },
    /// Larger than [`MAX_DOCUMENT_BYTES`], or a part expands past [`MAX_PART_BYTES`] /
    /// [`MAX_UNPACKED_BYTES`] (a zip bomb).
    #[error("too large: {what} is over {limit_mib} MiB")]
    TooLarge { what: String, limit_mib: u64 },
    /// A PDF, and `pdftotext` is not on the PATH.
    #[error("a PDF is read through poppler's pdftotext, which is not installed: install poppler-utils (Debian/Ubuntu), poppler (Homebrew, dnf), then run again")]
    NoPoppler,
    /// `pdftotext` ran and failed (a damaged or encrypted PDF): what it said.
    #[error("pdftotext could not read it: {0}")]
    Pdf(String),
    /// A format this build reads as text, not through a reader ([`Format::has_reader`]).
    #[error("no reader for {} in this build", .0.describe())]
    NoReader(Format),
}

impl DocumentError {
    /// The error of an XML part that does not parse.
    pub(crate) fn xml(part: &str, message: impl std::fmt::Display) -> Self {
        DocumentError::Xml {
            part: part.to_string(),
            message: message.to_string(),
        }
    }
}

/// What a file is, for reading: plain text, or a document with a reader of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Text in any encoding: decoded by `decode` (the default, and whatever is not a document).
    #[serde(rename = "txt")]
    Text,
    /// Word 2007+ (.docx, .docm, .dotx, .dotm).
    Docx,
    /// OpenDocument text (.odt, .ott).
    Odt,
    Epub,
    /// .html, .htm, .xhtml.
    Html,
    /// Word 97–2003 (.doc) and WPS Office (.wps): the compound-file (CFB) container.
    Doc,
    Pdf,
}

impl Format {
    /// Every format, in the order `--formats` lists them.
    pub const ALL: [Format; 7] = [
        Format::Text,
        Format::Docx,
        Format::Odt,
        Format::Epub,
        Format::Html,
        Format::Doc,
        Format::Pdf,
    ];

    /// The name users give and reports show: `txt`, `docx`, `odt`, `epub`, `html`, `doc`, `pdf`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Epub => "epub",
            Format::Html => "html",
            Format::Doc => "doc",
            Format::Pdf => "pdf",
        }
    }

    /// The format a `--formats` name stands for; the other extensions of a format are accepted
    /// too (`docm`, `htm`, `wps`, `text`).
    pub fn parse(name: &str) -> Option<Format> {
        Format::of_extension(name).or(match name.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            _ => None,
        })
    }

    /// What it is, for messages: "Word document (.docx)".
    pub fn describe(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Docx => "Word document (.docx)",
            Format::Odt => "OpenDocument text (.odt)",
            Format::Epub => "EPUB book",
            Format::Html => "HTML page",
            Format::Doc => "Word 97-2003 / WPS document (.doc/.wps)",
            Format::Pdf => "PDF document",
        }
    }

    /// Whether the format is read through a reader (`extract`); plain text is decoded.
    pub fn has_reader(self) -> bool {
        !matches!(self, Format::Text)
    }

    /// The document format an extension (without the dot, any case) names; `None` for text and
    /// for anything else.
    pub fn of_extension(extension: &str) -> Option<Format> {
        Some(match extension.to_ascii_lowercase().as_str() {
            "docx" | "docm" | "dotx" | "dotm" => Format::Docx,
            "odt" | "ott" => Format::Odt,
            "epub" => Format::Epub,
            "html" | "htm" | "xhtml" => Format::Html,
            "doc" | "dot" | "wps" => Format::Doc,
            "pdf" => Format::Pdf,
            _ => return None,
        })
    }

    /// The document format a file name's extension names (`报告.DOCX` → Docx).
    pub fn of_path(path: &Path) -> Option<Format> {
        Format::of_extension(path.extension()?.to_str()?)
    }

    /// What a file is, from its first bytes (up to 64 KiB are enough) and, when they do not say,
    /// its name:
    ///
    /// - `%PDF-`: PDF. The CFB signature `D0 CF 11 E0 A1 B1 1A E1`: .doc/.wps — or an encrypted
    ///   Word 2007+ file (Office stores those as a CFB holding an `EncryptedPackage` stream),
    ///   which the .docx reader reports as encrypted.
    /// - A zip (`PK\3\4`): by the names of its first members, stored uncompressed in their local
    ///   headers: `mimetype` holding `application/vnd.oasis.opendocument.text` (OpenDocument
    ///   stores it first and uncompressed for this very purpose) is .odt, `application/epub+zip`
    ///   EPUB, a `word/` part .docx. A zip whose first bytes do not say is a document when its
    ///   name says so (the reader then checks), else not one of ours: [`Format::Text`], which
    ///   `decode` reports as a zip archive.
    /// - HTML: by its extension, when the bytes look like markup (`<` after spaces or a BOM), or
    ///   without one, when they open with `<!DOCTYPE html` or `<html` (after an XML
    ///   declaration, for XHTML).
    /// - Anything else: text (the extension of a document on a text file does not make it one).
    pub fn detect(prefix: &[u8], name: Option<&Path>) -> Format {
        let by_name = name.and_then(Format::of_path);
        if prefix.starts_with(b"%PDF-") {
            return Format::Pdf;
        }
        if prefix.starts_with(CFB_SIGNATURE) {
            if contains(prefix, &utf16le("EncryptedPackage")) {
                return Format::Docx;
            }
            return Format::Doc;
        }
        if prefix.starts_with(b"PK\x03\x04") {
            if contains(prefix, b"application/vnd.oasis.opendocument.text") {
                return Format::Odt;
            }
            if contains(prefix, b"application/epub+zip") {
                return Format::Epub;
            }
            if contains(prefix, b"word/") {
                return Format::Docx;
            }
            return match by_name {
                Some(format @ (Format::Docx | Format::Odt | Format::Epub)) => format,
                _ => Format::Text,
            };
        }
        if looks_like_html(prefix, by_name == Some(Format::Html)) {
            return Format::Html;
        }
        Format::Text
    }
}

/// The compound-file (OLE2) signature: .doc, .wps, .xls, and encrypted Office 2007+ files.
pub const CFB_SIGNATURE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Markup at the start of a file: with an HTML extension, any tag or declaration; without one,
/// only an unmistakable HTML opening (a text file may well start with `<`), after the XML
/// declaration an XHTML file opens with (LibreOffice's and EPUB chapters' `<?xml …?>`).
fn looks_like_html(prefix: &[u8], named_html: bool) -> bool {
    let start = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let start = trim_ascii_start(start);
    if named_html {
        return start.starts_with(b"<");
    }
    let start = match start.strip_prefix(b"<?xml") {
        Some(declaration) => match memchr::memmem::find(declaration, b"?>") {
            Some(end) => trim_ascii_start(&declaration[end + 2..]),
            None => return false,
        },
        None => start,
    };
    let head = &start[..start.len().min(64)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")
}

fn trim_ascii_start(bytes: &[u8]) -> &[u8] {
    &bytes[bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len())..]
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// A set of formats: which ones a run reads (`--formats`). All of them by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Formats(u8);

impl Default for Formats {
    fn default() -> Self {
        Formats::all()
    }
}

impl Formats {
    pub fn all() -> Self {
        Formats::ALL_BITS
    }

    const ALL_BITS: Formats = Formats((1 << Format::ALL.len()) - 1);

    pub fn none() -> Self {
        Formats(0)
    }

    pub fn with(self, format: Format) -> Self {
        Formats(self.0 | 1 << format as u8)
    }

    pub fn contains(self, format: Format) -> bool {
        self.0 & 1 << format as u8 != 0
    }

    /// `txt,docx,pdf`: names as [`Format::parse`] takes them, separated by commas; an unknown
    /// name is an error that lists the known ones.
    pub fn parse(list: &str) -> Result<Formats, String> {
        let mut formats = Formats::none();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match Format::parse(name) {
                Some(format) => formats = formats.with(format),
                None => {
                    let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                    return Err(format!(
                        "unknown format '{name}': the formats are {}",
                        known.join(", ")
                    ));
                }
            }
        }
        if formats == Formats::none() {
            return Err("--formats needs at least one format".into());
        }
        Ok(formats)
    }
}

/// Reads a document into text: UTF-8, one paragraph per line, each line ended by `\n`.
///
/// `bytes` is the whole file. A document without any text gives an empty string (not an
/// error). [`Format::Text`] and formats without a reader in this build are
/// [`DocumentError::NoReader`]: the caller decodes those as text.
pub(crate) fn extract(format: Format, bytes: &[u8], notes: Notes) -> Result<String, DocumentError> {
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(DocumentError::TooLarge {
            what: "the document".into(),
            limit_mib: MAX_DOCUMENT_BYTES >> 20,
        });
    }
    match format {
        Format::Docx => docx::extract(bytes, notes),
        Format::Odt => odt::extract(bytes, notes),
        Format::Epub => epub::extract(bytes, notes),
        Format::Pdf => pdf::extract(bytes, notes),
        Format::Html => html::extract(bytes, notes),
        Format::Doc => doc::extract(bytes, notes),
        Format::Text => Err(DocumentError::NoReader(format)),
    }
}

#[cfg(test)]
mod tests;
