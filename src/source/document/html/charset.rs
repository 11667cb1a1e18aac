//! The charset of an HTML page: its BOM, else its declaration (checked by decoding), else the
//! project's detection, as for text.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::super::DocumentError;
use crate::decode::{encoding_for_label, sniff, Confidence, Decoder, Detection, Sniff};

/// How far into the page a charset declaration is looked for. The HTML standard says 1024
/// bytes; Chinese portals put kilobytes of scripts and comments before theirs.
const DECLARATION_WINDOW: usize = 8 * 1024;

/// The page's text, in the charset its BOM, its declaration or detection gives.
pub(super) fn decode(bytes: &[u8]) -> Result<String, DocumentError> {
    let whole = bytes.len() <= crate::decode::PREFIX_BYTES;
    let detection = if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        Detection {
            encoding,
            confidence: Confidence::Certain,
            bom_len,
        }
    } else if let Some(encoding) = declared_encoding(bytes) {
        // A page saved again in UTF-8 keeps its old `gb2312` tag, and GBK decodes most UTF-8
        // byte pairs without an error: valid UTF-8 holding non-ASCII text is UTF-8 (real GBK
        // or Big5 text is almost never valid UTF-8).
        if encoding != UTF_8 && !bytes.is_ascii() && simdutf8::basic::from_utf8(bytes).is_ok() {
            return decode_with(detect(bytes, whole)?, bytes)
                .map_err(|e| DocumentError::Corrupt(e.to_string()));
        }
        let declared = Detection {
            encoding,
            confidence: Confidence::Certain,
            bom_len: 0,
        };
        match decode_with(declared, bytes) {
            Ok(text) => return Ok(text),
            // The declaration is wrong (too many undecodable bytes for it): detect instead.
            Err(_) => detect(bytes, whole)?,
        }
    } else {
        detect(bytes, whole)?
    };
    decode_with(detection, bytes).map_err(|e| DocumentError::Corrupt(e.to_string()))
}

fn detect(bytes: &[u8], whole: bool) -> Result<Detection, DocumentError> {
    match sniff(bytes, whole) {
        Sniff::Text(detection) => Ok(detection),
        Sniff::Binary(binary) => Err(DocumentError::Corrupt(format!(
            "not an HTML page: {}",
            binary.kind
        ))),
    }
}

fn decode_with(detection: Detection, bytes: &[u8]) -> Result<String, crate::decode::DecodeError> {
    let mut decoder = Decoder::new(detection, false);
    let mut text = String::with_capacity(bytes.len());
    decoder.decode(bytes, true, &mut text)?;
    Ok(text)
}

/// The encoding a `<meta charset=…>`, `<meta http-equiv="Content-Type" content="…;
/// charset=…">` or `<?xml … encoding="…"?>` names, in the first [`DECLARATION_WINDOW`] bytes.
/// A declared UTF-16 is read as UTF-8, as browsers do: the declaration itself was readable as
/// ASCII, so the bytes are not UTF-16 (a real UTF-16 page has a BOM or is found by detection).
pub(super) fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let window = &bytes[..bytes.len().min(DECLARATION_WINDOW)];
    let lower = window.to_ascii_lowercase();
    let mut found = None;
    if lower.starts_with(b"<?xml") {
        let end = memchr::memmem::find(&lower, b"?>").unwrap_or(lower.len());
        found = attribute_value(&lower[..end], b"encoding");
    }
    let mut at = 0;
    while found.is_none() {
        let Some(start) = memchr::memmem::find(&lower[at..], b"<meta").map(|i| at + i) else {
            break;
        };
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |i| start + i);
        found = attribute_value(&lower[start..end], b"charset");
        at = end;
    }
    let encoding = encoding_for_label(std::str::from_utf8(found?).ok()?)?;
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        encoding
    })
}

/// The value after `name=` in a (lower-cased) tag: quoted or not, and also inside another
/// attribute's value (`content="text/html; charset=gbk"`).
fn attribute_value<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let at = memchr::memmem::find(tag, name)? + name.len();
    let rest = &tag[at..];
    let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
    let rest = rest.strip_prefix(b"=")?;
    let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    (len > 0).then_some(&rest[..len])
}
