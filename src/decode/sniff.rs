//! What a file is, from its first bytes: a BOM, a binary signature, or text whose encoding the
//! detectors of the other modules find, in the order the module doc of `decode` gives.

use encoding_rs::Encoding;

use super::detection::{Confidence, Detection};
use super::legacy::detect_legacy;
use super::utf16::detect_utf16_without_bom;
use super::utf8::detect_utf8;

/// How many bytes from the start of a file detection looks at.
pub const PREFIX_BYTES: usize = 64 * 1024;

/// A file that is not text, and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binary {
    /// What the file is: "PNG image", "Word document (.doc)", ...
    pub kind: &'static str,
    /// What to do about it, when there is something to do: "convert it to text first".
    pub hint: Option<&'static str>,
}

/// What the first bytes of a file say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniff {
    Text(Detection),
    Binary(Binary),
}

const CONVERT_FIRST: Option<&str> = Some("convert it to text first");

/// Decides from the first bytes of a file (up to [`PREFIX_BYTES`]; more are ignored) whether it
/// is text and in which encoding. `whole` says the prefix is the entire file, so that a
/// character cut at its end is an error rather than the edge of the sample.
pub fn sniff(prefix: &[u8], whole: bool) -> Sniff {
    sniff_knowing(prefix, whole).sniff
}

/// What [`sniff`] says, and what it found out on the way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub sniff: Sniff,
    /// The whole of the prefix given was read as GBK or Big5 text (it holds no more than
    /// [`PREFIX_BYTES`]), in the encoding detected, and decodes in it without a malformed
    /// sequence (a sequence cut by the end of a partial prefix does not count): the check for
    /// mixed lines ([`super::mixed::detect_mixed_knowing`]) has nothing to look for.
    pub chinese_prefix_decodes_cleanly: bool,
}

/// [`sniff`], saying what it found out of the prefix's decoding on the way ([`Sniffed`]).
pub fn sniff_knowing(prefix: &[u8], whole: bool) -> Sniffed {
    let text = |detection| Sniffed {
        sniff: Sniff::Text(detection),
        chinese_prefix_decodes_cleanly: false,
    };
    let binary = |binary| Sniffed {
        sniff: Sniff::Binary(binary),
        chinese_prefix_decodes_cleanly: false,
    };
    let read_whole = prefix.len() <= PREFIX_BYTES;
    let (prefix, whole) = if prefix.len() > PREFIX_BYTES {
        (&prefix[..PREFIX_BYTES], false)
    } else {
        (prefix, whole)
    };
    if let Some((encoding, bom_len)) = Encoding::for_bom(prefix) {
        return text(Detection {
            encoding,
            confidence: Confidence::Certain,
            bom_len,
        });
    }
    if let Some(found) = binary_signature(prefix) {
        return binary(found);
    }
    if let Some(detection) = detect_utf16_without_bom(prefix) {
        return text(detection);
    }
    if prefix.contains(&0) {
        return binary(Binary {
            kind: "binary data (contains NUL bytes)",
            hint: None,
        });
    }
    if let Some(detection) = detect_utf8(prefix, whole) {
        return text(detection);
    }
    let legacy = detect_legacy(prefix, whole);
    Sniffed {
        sniff: Sniff::Text(legacy.detection),
        chinese_prefix_decodes_cleanly: read_whole && legacy.chinese_prefix_decodes_cleanly,
    }
}

/// `--encoding LABEL`: the user's choice is certain; a BOM of that very encoding is still
/// skipped (a BOM of another encoding is data the user asked to decode as they said).
pub fn forced(encoding: &'static Encoding, prefix: &[u8]) -> Detection {
    let bom_len = match Encoding::for_bom(prefix) {
        Some((bom_encoding, len)) if bom_encoding == encoding => len,
        _ => 0,
    };
    Detection {
        encoding,
        confidence: Confidence::Certain,
        bom_len,
    }
}

// ---------------------------------------------------------------------------------------------
// Binary signatures

/// Known binary formats, by their magic bytes at offset 0.
fn binary_signature(prefix: &[u8]) -> Option<Binary> {
    const SIGNATURES: &[(&[u8], &str, Option<&str>)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image", None),
        (b"\xFF\xD8\xFF", "JPEG image", None),
        (b"GIF87a", "GIF image", None),
        (b"GIF89a", "GIF image", None),
        (b"%PDF-", "PDF document", CONVERT_FIRST),
        (b"\x1F\x8B", "gzip archive", None),
        (b"\xFD7zXZ\x00", "xz archive", None),
        (b"7z\xBC\xAF\x27\x1C", "7z archive", None),
        (b"\x7FELF", "ELF executable", None),
        (b"{\\rtf", "RTF document", CONVERT_FIRST),
    ];
    for (magic, kind, hint) in SIGNATURES {
        if prefix.starts_with(magic) {
            return Some(Binary { kind, hint: *hint });
        }
    }
    // "BZh" alone is a word; the block size digit that follows makes it bzip2.
    if prefix.len() >= 4 && prefix.starts_with(b"BZh") && (b'1'..=b'9').contains(&prefix[3]) {
        return Some(Binary {
            kind: "bzip2 archive",
            hint: None,
        });
    }
    if prefix.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some(ole2_kind(prefix));
    }
    if prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(b"PK\x05\x06") {
        return Some(zip_kind(prefix));
    }
    None
}

/// An OLE2 compound file is a Word, Excel or PowerPoint file of the 97–2003 formats; the stream
/// names in its directory (UTF-16LE) say which, when the directory lies within the prefix.
fn ole2_kind(prefix: &[u8]) -> Binary {
    const STREAMS: &[(&str, &str)] = &[
        ("WordDocument", "Word document (.doc)"),
        ("Workbook", "Excel workbook (.xls)"),
        ("PowerPoint Document", "PowerPoint presentation (.ppt)"),
    ];
    for (stream, kind) in STREAMS {
        let utf16: Vec<u8> = stream.bytes().flat_map(|b| [b, 0]).collect();
        if contains(prefix, &utf16) {
            return Binary {
                kind,
                hint: CONVERT_FIRST,
            };
        }
    }
    Binary {
        kind: "Office document (.doc/.xls/.ppt)",
        hint: CONVERT_FIRST,
    }
}

/// A zip file may be an Office Open XML or OpenDocument file; the names of the first entries
/// (stored uncompressed in the local headers) say which.
fn zip_kind(prefix: &[u8]) -> Binary {
    const DOCUMENTS: &[(&[u8], &str)] = &[
        (b"word/", "Word document (.docx)"),
        (b"xl/", "Excel workbook (.xlsx)"),
        (b"ppt/", "PowerPoint presentation (.pptx)"),
        (
            b"application/vnd.oasis.opendocument.text",
            "OpenDocument text (.odt)",
        ),
        (b"application/epub+zip", "EPUB book"),
    ];
    for (marker, kind) in DOCUMENTS {
        if contains(prefix, marker) {
            return Binary {
                kind,
                hint: CONVERT_FIRST,
            };
        }
    }
    Binary {
        kind: "zip archive",
        hint: None,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests;
