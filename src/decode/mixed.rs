//! Files whose lines are in different encodings (rule `mixed-encoding`): GBK and UTF-8 files
//! concatenated, a GBK header before a UTF-8 body, a GBK or Big5 paragraph pasted into a UTF-8
//! file. Their bytes are valid in no single encoding, but each line is valid in one.
//!
//! The decoder ([`super::Decoder`]) hands complete lines to the file's encoding as before; only a
//! stretch of lines that encoding cannot decode cleanly is looked at line by line, and a line it
//! cannot decode is decoded in another of the encodings Chinese archives mix (UTF-8, GBK, Big5)
//! when that one decodes it without a single error and reads clearly more Chinese. A line the
//! file's encoding decodes is never touched, so a file that decodes cleanly is decoded exactly
//! as it was; a line no other encoding reads better keeps its replacement characters, counted as
//! before.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU8, Ordering};

use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_8};

use super::common_han::is_common_han;
use super::detection::{Confidence, Detection};

/// How many line numbers a [`MixedLines`] keeps (its count is always exact).
const MAX_RECORDED_LINES: usize = 32;

/// The lines of a file decoded in an encoding other than the file's.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MixedLines {
    /// The encoding these lines were decoded in (`UTF-8`, `GBK`, `Big5`).
    pub encoding: &'static str,
    /// How many lines.
    pub lines: u64,
    /// The first of them, numbered from 1 (at most 32).
    pub line_numbers: Vec<u64>,
}

/// The encodings a line the file's encoding cannot decode is tried in, most likely first; `None`
/// for the encodings whose files are not mixed so (UTF-16, and single-byte encodings, which
/// decode every byte).
pub(super) fn alternatives(encoding: &'static Encoding) -> Option<[&'static Encoding; 2]> {
    if encoding == UTF_8 {
        Some([GBK, BIG5])
    } else if encoding == GBK || encoding == GB18030 {
        Some([UTF_8, BIG5])
    } else if encoding == BIG5 {
        Some([UTF_8, GBK])
    } else {
        None
    }
}

/// The name a report gives a line's encoding.
fn label(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_8 {
        "UTF-8"
    } else if encoding == BIG5 {
        "Big5"
    } else {
        // encoding_rs's GBK decoder is the GB18030 one: four-byte sequences decode too.
        "GBK"
    }
}

/// Where the line-by-line decoding of a file stands.
#[derive(Debug, Default)]
pub(super) struct Lines {
    /// The bytes after the last line break seen: a line not yet complete.
    pub(super) carry: Vec<u8>,
    /// Line breaks before the carry: the number of the carry's line, less one.
    pub(super) breaks: u64,
    /// The lines decoded in another encoding, by encoding.
    pub(super) mixed: Vec<MixedLines>,
}

impl Lines {
    /// Counts a line decoded in `encoding`, whose number is `number`.
    pub(super) fn record(&mut self, encoding: &'static Encoding, number: u64) {
        let name = label(encoding);
        let entry = match self.mixed.iter().position(|m| m.encoding == name) {
            Some(i) => &mut self.mixed[i],
            None => {
                self.mixed.push(MixedLines {
                    encoding: name,
                    lines: 0,
                    line_numbers: Vec::new(),
                });
                self.mixed.last_mut().expect("just pushed")
            }
        };
        entry.lines += 1;
        if entry.line_numbers.len() < MAX_RECORDED_LINES {
            entry.line_numbers.push(number);
        }
    }
}

/// Non-ASCII bytes in lines valid as UTF-8 from which a prefix is evidence of UTF-8 lines.
const MIN_UTF8_EVIDENCE: usize = 64;

/// Detection's guess, looked at again for a file whose lines may be in different encodings:
/// UTF-8 when most of the prefix's non-ASCII bytes stand in lines that are valid UTF-8 (lines of
/// other text are valid UTF-8 only by rare chance, and never line after line) and the guess is
/// no encoding that decodes the whole prefix cleanly. chardetng, given a prefix that is valid in
/// no one encoding, guesses what it can: GBK, or a single-byte encoding that decodes every
/// byte into mojibake. A guess that decodes the prefix cleanly is kept, so a file that decodes
/// cleanly is decoded as before; so is a certain one (a BOM, an encoding the user named).
pub fn detect_mixed(detection: Detection, prefix: &[u8], whole: bool) -> Detection {
    detect_mixed_knowing(detection, prefix, whole, false)
}

/// [`detect_mixed`], told whether detection found the prefix to decode in the GBK or Big5 it
/// detected without a malformed sequence ([`super::Sniffed`]): then the guess decodes the
/// prefix cleanly and is kept, and the prefix (64 KiB) is not decoded again to find that out.
pub fn detect_mixed_knowing(
    detection: Detection,
    prefix: &[u8],
    whole: bool,
    chinese_prefix_decodes_cleanly: bool,
) -> Detection {
    if detection.confidence == Confidence::Certain || detection.encoding == UTF_8 {
        return detection;
    }
    let multibyte = alternatives(detection.encoding).is_some();
    let single_byte = detection.encoding.is_single_byte();
    if !multibyte && !single_byte {
        return detection;
    }
    // Whole lines only: the prefix may end inside a character.
    let lines = match whole {
        true => prefix,
        false => &prefix[..memchr::memrchr(b'\n', prefix).map_or(0, |end| end + 1)],
    };
    // A prefix that decodes cleanly decodes so up to its last line's end: a line feed is no
    // byte of any GBK or Big5 sequence, so no sequence is cut there.
    if multibyte
        && (chinese_prefix_decodes_cleanly
            || detection
                .encoding
                .decode_without_bom_handling_and_without_replacement(lines)
                .is_some())
    {
        return detection;
    }
    let (mut utf8, mut other) = (0usize, 0usize);
    for line in lines.split(|&b| b == b'\n') {
        let non_ascii = line.iter().filter(|b| !b.is_ascii()).count();
        if std::str::from_utf8(line).is_ok() {
            utf8 += non_ascii;
        } else {
            other += non_ascii;
        }
    }
    if utf8 >= MIN_UTF8_EVIDENCE && utf8 > other {
        return Detection {
            encoding: UTF_8,
            confidence: Confidence::Medium,
            bom_len: 0,
        };
    }
    detection
}

/// How Chinese a decoding of a line reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Reading {
    han: usize,
    /// Han characters among the frequent ones: detection's commonest, or the first level of
    /// GB2312 or of Big5 (the 3,755 and 5,401 characters most text is written with).
    frequent: usize,
    /// Han characters among detection's commonest (to choose between two readings).
    common: usize,
    /// Replacement characters, C1 controls and Private Use characters: what no clean text has.
    bad: usize,
}

/// Is `c` in the first level of GB2312 (GBK 0xB0A1–0xD7FE) or of Big5 (0xA440–0xC67E)?
///
/// Asked of every rarer Han character of each line the file's encoding cannot decode, and
/// encoding_rs's encoders search their tables for the character (microseconds each: a fuzzed
/// line of 280 KB took a second to decode), so each BMP character's answer is kept once found.
fn first_level(c: char) -> bool {
    /// Each BMP character's answer, once asked: 0 not yet, 1 no, 2 yes.
    static KNOWN: [AtomicU8; 0x1_0000] = [const { AtomicU8::new(0) }; 0x1_0000];
    let Some(known) = KNOWN.get(c as usize) else {
        return first_level_by_encoding(c);
    };
    match known.load(Ordering::Relaxed) {
        0 => {
            let first = first_level_by_encoding(c);
            known.store(1 + u8::from(first), Ordering::Relaxed);
            first
        }
        answer => answer == 2,
    }
}

/// [`first_level`], asked of the encoders.
fn first_level_by_encoding(c: char) -> bool {
    let mut buffer = [0; 4];
    let text = c.encode_utf8(&mut buffer);
    let (gbk, _, unmappable) = GBK.encode(text);
    if !unmappable && matches!(gbk[..], [0xB0..=0xD7, 0xA1..=0xFE]) {
        return true;
    }
    let (big5, _, unmappable) = BIG5.encode(text);
    !unmappable && matches!(big5[..], [0xA4..=0xC5, _] | [0xC6, 0x40..=0x7E])
}

impl Reading {
    fn of(text: &str) -> Self {
        let mut reading = Reading::default();
        for c in text.chars() {
            if crate::text::is_han(c) {
                let common = is_common_han(c);
                reading.han += 1;
                reading.common += usize::from(common);
                reading.frequent += usize::from(common || first_level(c));
            } else if matches!(c, '\u{FFFD}' | '\u{80}'..='\u{9F}' | '\u{E000}'..='\u{F8FF}') {
                reading.bad += 1;
            }
        }
        reading
    }

    /// Does this reading (of a line decoded without error) read clearly more Chinese than
    /// `wrong`, the file's encoding's lossy reading of it? Chinese text is nearly all
    /// first-level characters; the same bytes in a wrong encoding land on replacement
    /// characters, and on rare characters (UTF-8's lead bytes are GB2312's second level) as
    /// often as on frequent ones: this reading must have twice the frequent characters of that
    /// one, or a share of them half as large again.
    fn clearly_beats(&self, wrong: &Reading) -> bool {
        let enough = self.frequent >= 2 || (self.frequent >= 1 && self.frequent == self.han);
        self.bad == 0
            && enough
            && self.frequent * 4 >= self.han * 3
            && (self.frequent > 2 * wrong.frequent
                || 3 * wrong.frequent * self.han <= 2 * self.frequent * wrong.han)
    }
}

/// The line (`line`, its bytes, line break included) decoded in another encoding, when the
/// file's (`encoding`) cannot decode it and another decodes it without error and reads clearly
/// more Chinese; with that encoding.
pub(super) fn line_in_other_encoding(
    encoding: &'static Encoding,
    line: &[u8],
) -> Option<(&'static Encoding, String)> {
    let others = alternatives(encoding)?;
    if encoding
        .decode_without_bom_handling_and_without_replacement(line)
        .is_some()
    {
        return None;
    }
    let (wrong, _) = encoding.decode_without_bom_handling(line);
    let wrong = Reading::of(&wrong);
    let mut best: Option<(&'static Encoding, Cow<str>, Reading)> = None;
    for other in others {
        let Some(text) = other.decode_without_bom_handling_and_without_replacement(line) else {
            continue;
        };
        let reading = Reading::of(&text);
        if reading.clearly_beats(&wrong)
            && best
                .as_ref()
                .is_none_or(|(_, _, b)| (reading.common, reading.frequent) > (b.common, b.frequent))
        {
            best = Some((other, text, reading));
        }
    }
    best.map(|(other, text, _)| (other, text.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn other(encoding: &'static Encoding, line: &[u8]) -> Option<(&'static str, String)> {
        line_in_other_encoding(encoding, line).map(|(e, text)| (label(e), text))
    }

    #[test]
    fn a_kept_first_level_answer_is_the_encoders() {
        // Asked twice: the second answer is the one kept.
        for c in ['国', '中', '學', '蹤', '鏂', '㐀', 'a', '\u{20000}'] {
            let expected = first_level_by_encoding(c);
            assert_eq!(first_level(c), expected, "{c:?}");
            assert_eq!(first_level(c), expected, "{c:?}");
        }
        assert!(first_level('国') && first_level('學') && !first_level('a'));
    }

    #[test]
    fn a_gbk_line_in_a_utf8_file_is_read_as_gbk() {
        let (bytes, _, _) = GBK.encode("（一）加强组织领导，确保职责到位。\n");
        assert_eq!(
            other(UTF_8, &bytes),
            Some(("GBK", "（一）加强组织领导，确保职责到位。\n".to_string()))
        );
    }

    #[test]
    fn a_big5_line_in_a_utf8_file_is_read_as_big5() {
        let line = "臺灣的國語與香港的粵語，在書面上都使用繁體字。\n";
        let (bytes, _, _) = BIG5.encode(line);
        assert_eq!(other(UTF_8, &bytes), Some(("Big5", line.to_string())));
    }

    #[test]
    fn a_utf8_line_in_a_gbk_file_is_read_as_utf8() {
        // 21 characters of three bytes: the last byte is a GBK lead byte before the line break.
        // (A line GBK decodes, as mojibake, is the repair stage's: `mojibake-utf8-as-gbk`.)
        let line = "根据工作要点，结合实际，从三个方面着手了。\n";
        assert_eq!(
            other(GBK, line.as_bytes()),
            Some(("UTF-8", line.to_string()))
        );
    }

    #[test]
    fn a_line_the_files_encoding_decodes_is_left_to_it() {
        // Valid GBK that is valid UTF-8 too (`璐告。` are the bytes of `贸档`).
        let (bytes, _, _) = GBK.encode("璐告。\n");
        assert_eq!(other(GBK, &bytes), None);
        assert_eq!(other(UTF_8, "中文。\n".as_bytes()), None);
    }

    #[test]
    fn damage_that_no_encoding_reads_better_is_left() {
        // GBK with one byte lost: no other encoding decodes it cleanly into Chinese.
        let (bytes, _, _) = GBK.encode("加强组织领导，确保职责到位。\n");
        let mut damaged = bytes.to_vec();
        damaged.remove(3);
        assert_eq!(other(GBK, &damaged), None);
        // Latin-1 in a UTF-8 file is not Chinese in any encoding.
        assert_eq!(other(UTF_8, b"caf\xe9 M\xfcller\n"), None);
    }

    fn guess(encoding: &'static Encoding) -> Detection {
        Detection {
            encoding,
            confidence: Confidence::Medium,
            bom_len: 0,
        }
    }

    /// `lines` of UTF-8 with a GBK line among them.
    fn utf8_with_gbk_line() -> Vec<u8> {
        let mut bytes = Vec::new();
        for _ in 0..4 {
            bytes.extend_from_slice("根据工作要点，结合实际，从三个方面着手。\n".as_bytes());
        }
        bytes.extend_from_slice(&GBK.encode("（一）加强组织领导\n").0);
        bytes
    }

    #[test]
    fn a_mostly_utf8_file_that_its_guess_cannot_decode_is_utf8() {
        let bytes = utf8_with_gbk_line();
        for wrong in [GBK, encoding_rs::WINDOWS_1252] {
            assert_eq!(detect_mixed(guess(wrong), &bytes, true).encoding, UTF_8);
        }
    }

    #[test]
    fn a_guess_that_decodes_cleanly_or_is_certain_is_kept() {
        // GBK text that decodes as GBK (part of it valid UTF-8 by chance or not).
        let (gbk, _, _) = GBK.encode("（一）加强组织领导，确保职责到位。\n璐告。\n");
        assert_eq!(detect_mixed(guess(GBK), &gbk, true).encoding, GBK);
        let bytes = utf8_with_gbk_line();
        let certain = Detection {
            confidence: Confidence::Certain,
            ..guess(GBK)
        };
        assert_eq!(detect_mixed(certain, &bytes, true), certain);
        // Latin-1 text: no line is UTF-8.
        let latin = b"caf\xe9 M\xfcller na\xefve fa\xe7ade\n".repeat(10);
        let cp1252 = guess(encoding_rs::WINDOWS_1252);
        assert_eq!(detect_mixed(cp1252, &latin, true), cp1252);
    }

    /// Where sniff says the prefix decodes cleanly in the GBK or Big5 it detected, it does up
    /// to its last line's end, as the check for mixed lines decodes it; and that check, told
    /// so, keeps the guess as it would have. Prefixes whole and cut (mid-character too), clean,
    /// with a damaged byte, with a UTF-8 line, and longer than sniff reads.
    #[test]
    fn what_sniff_knows_of_the_prefix_is_what_the_check_finds() {
        let simplified = "（一）加强组织领导，确保职责到位。根据工作要点，结合实际。\n";
        let traditional = "臺灣的國語與香港的粵語，在書面上都使用繁體字。\n";
        let mut prefixes = Vec::new();
        for (encoding, text) in [(GBK, simplified), (BIG5, traditional)] {
            let clean = encoding.encode(&text.repeat(40)).0.into_owned();
            let mut damaged = clean.clone();
            damaged[300] = 0xFF;
            let mut with_utf8 = clean.clone();
            with_utf8.extend_from_slice(simplified.as_bytes());
            with_utf8.extend_from_slice(&clean);
            let long = encoding.encode(&text.repeat(2000)).0.into_owned();
            assert!(long.len() > crate::decode::PREFIX_BYTES);
            for bytes in [clean, damaged, with_utf8, long] {
                prefixes.push((bytes.clone(), true));
                for cut in [bytes.len() / 2, bytes.len() / 2 + 1, bytes.len() - 1] {
                    prefixes.push((bytes[..cut].to_vec(), false));
                }
            }
        }
        let mut known = 0;
        for (prefix, whole) in &prefixes {
            let sniffed = crate::decode::sniff_knowing(prefix, *whole);
            let crate::decode::Sniff::Text(detection) = sniffed.sniff else {
                panic!("text");
            };
            if sniffed.chinese_prefix_decodes_cleanly {
                known += 1;
                let lines = match whole {
                    true => &prefix[..],
                    false => &prefix[..memchr::memrchr(b'\n', prefix).map_or(0, |end| end + 1)],
                };
                assert!(detection
                    .encoding
                    .decode_without_bom_handling_and_without_replacement(lines)
                    .is_some());
            }
            assert_eq!(
                detect_mixed_knowing(
                    detection,
                    prefix,
                    *whole,
                    sniffed.chinese_prefix_decodes_cleanly
                ),
                detect_mixed(detection, prefix, *whole),
                "{} bytes, whole: {whole}",
                prefix.len()
            );
        }
        assert!(known >= 6, "{known} prefixes known to decode cleanly");
    }

    #[test]
    fn single_byte_and_utf16_files_are_not_mixed() {
        assert!(alternatives(encoding_rs::WINDOWS_1252).is_none());
        assert!(alternatives(encoding_rs::UTF_16LE).is_none());
    }
}
