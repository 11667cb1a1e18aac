//! The fast way to a record's field: one pass over the line's bytes that checks its JSON shape
//! and notes where the field's string (and the report field's value) lies, without building
//! anything. serde_json's parse of the whole line and the UTF-8 check of the whole line before
//! it were a tenth of JSONL mode's instructions on large documents (callgrind): both went over
//! every byte of the document's text once more, byte by byte in serde_json's string loop.
//!
//! **It only ever says yes to less.** [`scan`] accepts a line only when it is sure serde_json
//! would take it and find the same field: whatever it is unsure of (a key with escapes, a nested
//! field's object written twice, deep nesting, any syntax error) is `None`, and the caller then
//! goes the old way, serde_json's, which says what is wrong in serde_json's own words. So a
//! line's fate — cleaned, or named and copied, and with which message — is the same either way.
//!
//! What the scan does not check is left to the reading: the field's escapes are decoded (and
//! checked) by the [`super::unescape::Unescaper`] as the pipeline reads them, and the UTF-8 of
//! the field's text by the pipeline's decoder (see `clean_streamed`); the bytes around the field
//! are checked here.

use std::ops::Range;

/// Deeper than this the scan gives up (serde_json's own limit is 128).
const MAX_DEPTH: usize = 100;

/// Where the field and the report field lie in a line the scan accepted.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Scanned {
    /// The field's value, quotes included.
    pub field: Range<usize>,
    /// The last top-level value whose key is the report field's name (JSON readers take the
    /// last), if asked for and present.
    pub report: Option<Range<usize>>,
    /// The closing brace of the top-level object.
    pub close: usize,
    /// The top-level object has members.
    pub members: bool,
}

/// Scans `line` (without its line break) for the string at `path` (keys from the top-level
/// object), and for the top-level key `report_key` if given. `None`: see the module's doc.
pub(super) fn scan(line: &[u8], path: &[String], report_key: Option<&str>) -> Option<Scanned> {
    let mut scanner = Scanner {
        bytes: line,
        at: 0,
        field: None,
    };
    scanner.whitespace();
    let (close, members, report) = scanner.object(Some(path), report_key, 0)?;
    scanner.whitespace();
    if scanner.at != line.len() {
        return None;
    }
    let field = scanner.field?;
    // The bytes the scan went over as ASCII syntax are ASCII; the other fields' strings are
    // checked here, the field's own text by the pipeline's decoder.
    let valid = |bytes: &[u8]| simdutf8::basic::from_utf8(bytes).is_ok();
    if !(valid(&line[..field.start]) && valid(&line[field.end..])) {
        return None;
    }
    Some(Scanned {
        field,
        report,
        close,
        members,
    })
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The field's string, once found.
    field: Option<Range<usize>>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// An object at `at`, in which the string at `path` is looked for (if given) and the key
    /// `report_key` (if given): where its closing brace is, whether it has members, and where
    /// the report key's last value is.
    fn object(
        &mut self,
        path: Option<&[String]>,
        report_key: Option<&str>,
        depth: usize,
    ) -> Option<(usize, bool, Option<Range<usize>>)> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        self.whitespace();
        if self.eat(b'}').is_some() {
            return Some((self.at - 1, false, None));
        }
        let mut report = None;
        let mut seen_path_key = false;
        loop {
            let key = self.string()?;
            // A key with escapes is read by serde_json (decoded, it might name the field).
            let key = std::str::from_utf8(&self.bytes[key.start + 1..key.end - 1]).ok()?;
            if key.contains('\\') {
                return None;
            }
            self.whitespace();
            self.eat(b':')?;
            self.whitespace();
            let start = self.at;
            match path {
                Some([name, rest @ ..]) if name == key => {
                    // Twice: an error serde_json's way names (or a nested object seen twice).
                    if seen_path_key {
                        return None;
                    }
                    seen_path_key = true;
                    if rest.is_empty() {
                        if self.peek()? != b'"' {
                            return None;
                        }
                        self.field = Some(self.string()?);
                    } else {
                        if self.peek()? != b'{' {
                            return None;
                        }
                        self.object(Some(rest), None, depth + 1)?;
                    }
                }
                _ => self.value(depth + 1)?,
            }
            if report_key == Some(key) {
                report = Some(start..self.at);
            }
            self.whitespace();
            match self.peek()? {
                b',' => {
                    self.at += 1;
                    self.whitespace();
                }
                b'}' => {
                    self.at += 1;
                    return Some((self.at - 1, true, report));
                }
                _ => return None,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => self.object(None, None, depth).map(drop),
            b'[' => self.array(depth),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.eat(b'[')?;
        self.whitespace();
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.value(depth + 1)?;
            self.whitespace();
            match self.peek()? {
                b',' => {
                    self.at += 1;
                    self.whitespace();
                }
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// A number as JSON writes it: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Option<()> {
        self.eat(b'-');
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat(b'.').is_some() {
            self.one_or_more_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.one_or_more_digits()?;
        }
        Some(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    fn one_or_more_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }

    /// A string at `at`: its bytes, quotes included. The runs between escapes are found with
    /// `memchr2` and checked for control characters (which JSON strings cannot hold raw) by
    /// [`has_control`]; each escape is checked for its shape, as serde_json checks a string it
    /// skips (a `\u` escape's surrogates are the decoder's to check).
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.at;
        self.eat(b'"')?;
        let mut at = self.at;
        loop {
            let rest = &self.bytes[at..];
            let run = memchr::memchr2(b'"', b'\\', rest)?;
            if has_control(&rest[..run]) {
                return None;
            }
            at += run;
            if self.bytes[at] == b'"' {
                self.at = at + 1;
                return Some(start..self.at);
            }
            match self.bytes.get(at + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => at += 2,
                b'u' => {
                    let digits = self.bytes.get(at + 2..at + 6)?;
                    if !digits.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    at += 6;
                }
                _ => return None,
            }
        }
    }
}

/// Whether `bytes` holds a control character (below U+0020).
///
/// On x86-64, the least byte of each of 16 lanes over the whole run, in SSE2 (which every
/// x86-64 processor has): two blocks of 16 bytes a step, no branch but the loop's. Written out,
/// because the compiler vectorised none of the plain loops tried (a fold over blocks, an
/// element-wise minimum over an array, and a test of quote, backslash and control character
/// fused into one loop cost 0.5 to 1.8 instructions a byte, in callgrind, against the 0.2 of
/// this one).
#[cfg(target_arch = "x86_64")]
fn has_control(bytes: &[u8]) -> bool {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let mut blocks = bytes.chunks_exact(32);
    // SAFETY: SSE2 is part of the x86-64 baseline, so these instructions exist wherever this
    // code runs; each unaligned load reads 16 bytes inside one 32-byte block of `bytes`.
    let found = unsafe {
        let mut low = _mm_set1_epi8(-1);
        let mut high = _mm_set1_epi8(-1);
        for block in &mut blocks {
            let at = block.as_ptr().cast::<__m128i>();
            low = _mm_min_epu8(low, _mm_loadu_si128(at));
            high = _mm_min_epu8(high, _mm_loadu_si128(at.add(1)));
        }
        let least = _mm_min_epu8(low, high);
        // A lane at or below 0x1f is its own minimum with 0x1f.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(least, _mm_set1_epi8(0x1f)), least);
        _mm_movemask_epi8(control) != 0
    };
    found || blocks.remainder().iter().any(|&b| b < 0x20)
}

/// Whether `bytes` holds a control character (below U+0020).
#[cfg(not(target_arch = "x86_64"))]
fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| b < 0x20)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(field: &str) -> Vec<String> {
        field.split('.').map(str::to_string).collect()
    }

    fn field_of(line: &str, field: &str) -> Option<String> {
        scan(line.as_bytes(), &path(field), None).map(|s| line[s.field].to_string())
    }

    /// Whatever the scan accepts, serde_json accepts too, with the field at the same place.
    #[test]
    fn the_scan_accepts_only_what_serde_json_accepts() {
        let lines = [
            r#"{"id":1,"text":"a\nb","x":[1,-2.5e3,{"y":null}],"z":true}"#,
            r#" { "text" : "中文\"\\\/\b\f\r\t\u4e2D" , "n":-0.0E+1 } "#,
            r#"{"meta":{"body":"x","text":1},"text":"t"}"#,
            r#"{"text":"a","text":"b"}"#,
            r#"{"text":"a",}"#,
            r#"{"text":"a"} x"#,
            r#"{"text":"a	b"}"#,
            r#"{"text":"a\x"}"#,
            r#"{"text":"a\u12G4"}"#,
            r#"{"n":01,"text":"a"}"#,
            r#"{"n":1.,"text":"a"}"#,
            r#"{"n":-,"text":"a"}"#,
            r#"{"n":tru,"text":"a"}"#,
            r#"{"t\u0065xt":"a"}"#,
            r#"{"text":"a""#,
            r#"{"text":"a"}}"#,
            r#"{"a":[1,],"text":"a"}"#,
            r#"{"a":[1 2],"text":"a"}"#,
            r#"{"text":1}"#,
            r#"{"other":"a"}"#,
            r#"["text"]"#,
            r#"{}"#,
        ];
        for line in lines {
            let serde: Option<serde_json::Value> = serde_json::from_str(line).ok();
            if let Some(value) = field_of(line, "text") {
                let serde = serde.unwrap_or_else(|| panic!("serde_json refuses {line:?}"));
                let expected: String = serde_json::from_str(&value).unwrap();
                assert_eq!(serde["text"], expected, "{line:?}");
            }
        }
        assert_eq!(field_of(r#"{"text":"a","text":"b"}"#, "text"), None);
        assert_eq!(field_of(r#"{"text":"a	b"}"#, "text"), None);
        assert_eq!(field_of(r#"{"t\u0065xt":"a"}"#, "text"), None);
        assert_eq!(
            field_of(r#"{"meta":{"body":"x","text":1},"text":"t"}"#, "meta.body").as_deref(),
            Some(r#""x""#)
        );
        assert_eq!(
            field_of(r#"{"id":1,"text":"a\nb","z":true}"#, "text").as_deref(),
            Some(r#""a\nb""#)
        );
    }

    #[test]
    fn deep_nesting_is_left_to_serde_json() {
        let deep = format!(
            r#"{{"a":{}1{},"text":"x"}}"#,
            "[".repeat(150),
            "]".repeat(150)
        );
        assert_eq!(field_of(&deep, "text"), None);
        let shallow = format!(
            r#"{{"a":{}1{},"text":"x"}}"#,
            "[".repeat(50),
            "]".repeat(50)
        );
        assert_eq!(field_of(&shallow, "text").as_deref(), Some(r#""x""#));
    }

    #[test]
    fn the_report_key_and_the_closing_brace_are_found() {
        let line = r#"{"r":1,"text":"a","r":{"b":2} }"#;
        let scanned = scan(line.as_bytes(), &path("text"), Some("r")).unwrap();
        assert_eq!(&line[scanned.report.unwrap()], r#"{"b":2}"#);
        assert_eq!(&line[scanned.close..], "}");
        assert!(scanned.members);
    }

    #[test]
    fn control_characters_are_found_in_any_lane_and_the_tail() {
        let mut bytes = "中文".repeat(40).into_bytes();
        assert!(!has_control(&bytes));
        for at in [0, 31, 32, 63, 100, bytes.len() - 1] {
            for control in [0x1f, b'\t', 0] {
                let kept = bytes[at];
                bytes[at] = control;
                assert!(has_control(&bytes), "{at} {control}");
                bytes[at] = kept;
            }
        }
        assert!(!has_control(b""));
        assert!(!has_control(b" ~\x7f"));
    }

    #[test]
    fn bytes_around_the_field_must_be_utf8() {
        let mut line = br#"{"id":"x","text":"a"}"#.to_vec();
        line[7] = 0xff;
        assert_eq!(scan(&line, &path("text"), None), None);
    }
}
