//! A JSON string's escapes decoded: into a `String` ([`unescape`], for `diff`, which needs the
//! text whole) or as a [`Read`] the pipeline streams from ([`Unescaper`], for `clean`), so that
//! a document of megabytes goes from the line into the pipeline's own read buffer once, with
//! no copy of its whole text in between. Runs without a backslash are found with `memchr` and
//! copied whole; only the escapes are decoded one by one.

use std::io::{self, Read};

use super::RecordError;

fn malformed(what: &str) -> RecordError {
    RecordError::Malformed(what.to_string())
}

/// The four hex digits of a `\u` escape at `at`.
fn hex(inner: &[u8], at: usize) -> Result<u32, RecordError> {
    inner
        .get(at..at + 4)
        .and_then(|digits| std::str::from_utf8(digits).ok())
        .and_then(|digits| u32::from_str_radix(digits, 16).ok())
        .ok_or_else(|| malformed("invalid \\u escape"))
}

/// Decodes the escape whose backslash is at `at` in `inner`: the character, and where the text
/// goes on after it. A `\u` escape that is half a surrogate pair is an error, as it is to
/// serde_json.
fn escape_at(inner: &[u8], at: usize) -> Result<(char, usize), RecordError> {
    let mut next = at + 2;
    let c = match inner.get(at + 1) {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => {
            let unit = hex(inner, next)?;
            next += 4;
            let code = match unit {
                0xD800..=0xDBFF => {
                    let low = match inner.get(next..next + 2) {
                        Some(b"\\u") => hex(inner, next + 2)?,
                        _ => return Err(malformed("lone leading surrogate in hex escape")),
                    };
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return Err(malformed("lone leading surrogate in hex escape"));
                    }
                    next += 6;
                    0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                }
                0xDC00..=0xDFFF => return Err(malformed("lone trailing surrogate in hex escape")),
                unit => unit,
            };
            char::from_u32(code).ok_or_else(|| malformed("invalid \\u escape"))?
        }
        _ => return Err(malformed("invalid escape")),
    };
    Ok((c, next))
}

/// Appends the text of a JSON string's content (without its quotes, already checked by the
/// parser for the shape of its escapes) to `out`.
pub(super) fn unescape(inner: &str, out: &mut String) -> Result<(), RecordError> {
    let bytes = inner.as_bytes();
    let mut at = 0;
    while let Some(k) = memchr::memchr(b'\\', &bytes[at..]) {
        out.push_str(&inner[at..at + k]);
        let (c, next) = escape_at(bytes, at + k)?;
        out.push(c);
        at = next;
    }
    out.push_str(&inner[at..]);
    Ok(())
}

/// The text of a JSON string's content (without its quotes), read with its escapes decoded.
/// An escape the text cannot hold ends the reading with an error, and [`Unescaper::error`]
/// then says which, as [`unescape`] would.
pub(super) struct Unescaper<'a> {
    inner: &'a [u8],
    /// Where the text not yet read starts in `inner`.
    at: usize,
    /// The UTF-8 of a decoded escape that did not fit into the last read, and how much of it
    /// was read.
    pending: [u8; 4],
    pending_range: (usize, usize),
    error: Option<RecordError>,
}

impl<'a> Unescaper<'a> {
    /// Reads `inner`, the bytes between a string's quotes (checked for UTF-8 by the caller:
    /// the reader passes its bytes on as they are).
    pub(super) fn new(inner: &'a [u8]) -> Self {
        Unescaper {
            inner,
            at: 0,
            pending: [0; 4],
            pending_range: (0, 0),
            error: None,
        }
    }

    /// Why the reading stopped short, if it did.
    pub(super) fn error(self) -> Option<RecordError> {
        self.error
    }
}

impl Read for Unescaper<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        let (from, to) = self.pending_range;
        if from < to {
            let take = (to - from).min(buf.len());
            buf[..take].copy_from_slice(&self.pending[from..from + take]);
            self.pending_range.0 += take;
            n = take;
        }
        while n < buf.len() && self.at < self.inner.len() {
            let rest = &self.inner[self.at..];
            let room = buf.len() - n;
            let run = memchr::memchr(b'\\', &rest[..rest.len().min(room)]);
            let plain = run.unwrap_or(rest.len().min(room));
            buf[n..n + plain].copy_from_slice(&rest[..plain]);
            n += plain;
            self.at += plain;
            if run.is_none() {
                continue;
            }
            let (c, next) = escape_at(self.inner, self.at).map_err(|error| {
                let message = error.to_string();
                self.error = Some(error);
                io::Error::new(io::ErrorKind::InvalidData, message)
            })?;
            self.at = next;
            let encoded = c.encode_utf8(&mut self.pending).len();
            let take = encoded.min(buf.len() - n);
            buf[n..n + take].copy_from_slice(&self.pending[..take]);
            n += take;
            self.pending_range = (take, encoded);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads an `Unescaper` in reads of `size` bytes.
    fn read_in(inner: &str, size: usize) -> Result<Vec<u8>, RecordError> {
        let mut reader = Unescaper::new(inner.as_bytes());
        let mut out = Vec::new();
        let mut buf = vec![0; size];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return Ok(out),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(_) => return Err(reader.error().expect("an error is kept")),
            }
        }
    }

    #[test]
    fn reading_in_any_size_of_buffer_gives_the_text_unescape_gives() {
        let cases = [
            r#"plain 中文 text"#,
            r#"a\nb\"c\\d\/e\tf\rg\bh\fi"#,
            r#"\u4e2d\u6587 and \ud83d\ude00 then \u0000 end"#,
            r#"中\n文\n"#,
            r#"\\\\\\"#,
            "",
        ];
        for inner in cases {
            let mut whole = String::new();
            unescape(inner, &mut whole).unwrap();
            for size in 1..=9 {
                assert_eq!(
                    read_in(inner, size).unwrap(),
                    whole.as_bytes(),
                    "{inner:?} {size}"
                );
            }
        }
    }

    #[test]
    fn a_half_surrogate_stops_the_reading_with_unescapes_error() {
        for inner in [r#"ab\ud83d"#, r#"ab\ude00cd"#, r#"x\ud83d\u0041"#] {
            let expected = unescape(inner, &mut String::new()).unwrap_err();
            for size in [1, 3, 64] {
                assert_eq!(read_in(inner, size).unwrap_err(), expected, "{inner:?}");
            }
        }
    }
}
