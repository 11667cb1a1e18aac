//! Stage 0, decode: bytes of any of the encodings Chinese archives are written in → UTF-8 text.
//!
//! Detection looks at a bounded prefix of the file ([`PREFIX_BYTES`]) and asks, in this order:
//!
//! 1. a BOM (UTF-8, UTF-16LE, UTF-16BE) — certain;
//! 2. a known binary signature (images, archives, PDF, Office and RTF documents, executables) —
//!    the file is skipped with a message saying what it is;
//! 3. UTF-16 without a BOM — Chinese UTF-16 often contains no zero byte at all, so the prefix is
//!    read as little- and big-endian code units and each reading is scored by how many units are
//!    characters a Chinese document is made of, and how many are its commonest characters
//!    (other encodings read as UTF-16 land all over the CJK block, rarely on those);
//! 4. NUL bytes in a file that is not UTF-16 — binary;
//! 5. valid UTF-8 (a character cut by the end of the prefix is fine; pure ASCII is UTF-8);
//! 6. chardetng over the prefix (8 KiB of it from the first non-ASCII byte: chardetng is slow),
//!    told whether that is the whole file and
//!    given no region hint (a `cn` hint turns real Big5 into GBK); its guess is checked by
//!    decoding the prefix: the share of very common characters tells GBK from Big5 (each
//!    decodes most byte pairs of the other, into rare characters), and damaged GBK or Big5,
//!    which chardetng gives up on at the first bad byte, is recognised by the bytes around it.
//!
//! The [`Decoder`] then streams the whole file through encoding_rs in chunks of any size (the
//! bulk of GBK, Big5 and UTF-16 text through fast paths that give encoding_rs's text, see
//! `fast.rs`).
//! Undecodable bytes are never lost silently: each becomes U+FFFD and is counted with its file
//! offset; more than one in a thousand means the guess was wrong and decoding fails with a
//! message that names the guess and suggests `--encoding`; `strict` fails on the first.

use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    DecoderResult, Encoding, BIG5, GB18030, GBK, REPLACEMENT, UTF_16BE, UTF_16LE, UTF_8,
};

use fast::FastPath;

mod fast;
mod pairs;

/// How many bytes from the start of a file detection looks at.
pub const PREFIX_BYTES: usize = 64 * 1024;

/// How many replacement offsets a [`DecodeReport`] keeps (the count is always exact).
const MAX_RECORDED_OFFSETS: usize = 32;

/// How sure detection is of the encoding it chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A BOM, or an encoding named by the user.
    Certain,
    /// Valid UTF-8 with non-ASCII text, a strong UTF-16 score, or a GBK/Big5 guess whose
    /// decoding reads as real text (it has the share of common characters real text has).
    High,
    /// Plausible, on little evidence.
    Medium,
    /// A guess: few non-ASCII bytes, or the guess did not decode the prefix cleanly.
    Low,
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Certain => "certain",
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        })
    }
}

/// The encoding a file is decoded with, and how it was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Detection {
    /// The decoder to use. GBK text is reported as `GBK` but decoded with the GB18030 decoder:
    /// encoding_rs's GBK decoder *is* the GB18030 decoder (as the Encoding Standard says), so
    /// four-byte sequences in a file labelled GBK still decode.
    pub encoding: &'static Encoding,
    pub confidence: Confidence,
    /// Bytes of BOM at the start of the file, skipped when decoding.
    pub bom_len: usize,
}

impl Detection {
    /// The human name of the encoding: "UTF-8", "UTF-8 (BOM)", "GBK", "GB18030", "Big5",
    /// "UTF-16LE", "UTF-16BE", or encoding_rs's name for anything else.
    pub fn label(&self) -> &'static str {
        let encoding = self.encoding;
        if encoding == UTF_8 {
            if self.bom_len > 0 {
                "UTF-8 (BOM)"
            } else {
                "UTF-8"
            }
        } else if encoding == BIG5 {
            // encoding_rs's Big5 is Big5-HKSCS; one name for both keeps reports comparable.
            "Big5"
        } else if encoding == GB18030 {
            "GB18030"
        } else {
            // "GBK", "UTF-16LE", "UTF-16BE", "Shift_JIS", "windows-1252", ...
            encoding.name()
        }
    }
}

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
    let (prefix, whole) = if prefix.len() > PREFIX_BYTES {
        (&prefix[..PREFIX_BYTES], false)
    } else {
        (prefix, whole)
    };
    if let Some((encoding, bom_len)) = Encoding::for_bom(prefix) {
        return Sniff::Text(Detection {
            encoding,
            confidence: Confidence::Certain,
            bom_len,
        });
    }
    if let Some(binary) = binary_signature(prefix) {
        return Sniff::Binary(binary);
    }
    if let Some(detection) = detect_utf16_without_bom(prefix) {
        return Sniff::Text(detection);
    }
    if prefix.contains(&0) {
        return Sniff::Binary(Binary {
            kind: "binary data (contains NUL bytes)",
            hint: None,
        });
    }
    if let Some(detection) = detect_utf8(prefix, whole) {
        return Sniff::Text(detection);
    }
    Sniff::Text(detect_legacy(prefix, whole))
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

/// The encoding named by an `--encoding` label: the WHATWG labels (`utf-8`, `gbk`, `gb18030`,
/// `big5`, `big5-hkscs`, `utf-16le`, `utf-16be`, `utf-16` = LE, ...) plus the names people
/// use on the command line (`utf8`, `utf16`, `utf16le`, `utf16be`, `cp936`, `ms936`, `cp950`,
/// `big5hkscs`, `hkscs`, `cp54936`, `utf-8-sig`). Case and surrounding spaces do not matter.
/// The WHATWG "replacement" encoding (what `hz-gb-2312` and `iso-2022-cn` are mapped to) decodes
/// every file to one U+FFFD, so its labels are refused.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let lower = label.trim().to_ascii_lowercase();
    let canonical = match lower.as_str() {
        "utf16" | "utf16le" | "utf-16-le" | "utf_16" | "utf_16le" | "utf_16_le" | "cp1200" => {
            "utf-16le"
        }
        "utf16be" | "utf-16-be" | "utf_16be" | "utf_16_be" | "cp1201" => "utf-16be",
        "utf-8-sig" | "utf_8" | "utf_8_sig" | "cp65001" => "utf-8",
        "cp936" | "ms936" | "windows-936" | "936" => "gbk",
        "cp54936" | "windows-54936" | "gb-18030" | "gb_18030" => "gb18030",
        "cp950" | "ms950" | "windows-950" | "950" | "big5hkscs" | "big5_hkscs" | "hkscs"
        | "big-5" => "big5",
        other => other,
    };
    Encoding::for_label(canonical.as_bytes()).filter(|encoding| *encoding != REPLACEMENT)
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

// ---------------------------------------------------------------------------------------------
// UTF-16 without BOM

/// How a prefix reads as UTF-16 of one byte order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Utf16Score {
    /// Units that are evidence for this reading: ASCII with a zero high byte, or a character of
    /// the ranges Chinese documents use (CJK, CJK punctuation, full-width forms, ...).
    strong: usize,
    /// Strong units that are the very stuff of Chinese text: ASCII with a zero byte, common Han
    /// characters, CJK punctuation, full-width forms, kana. Byte pairs of other encodings
    /// (Shift_JIS, traditional text in GBK) read as UTF-16 land all over the CJK block, but
    /// rarely on these.
    signature: usize,
    /// Units that prove nothing: two ASCII bytes (any 8-bit text reads as "CJK" that way:
    /// `he` is U+6568), or a unit whose low byte is zero (ASCII of the other byte order).
    neutral: usize,
    /// Units no Chinese document contains: Hangul, surrogates out of pairs, private use, NUL...
    implausible: usize,
}

impl Utf16Score {
    /// The score of one byte order over the whole prefix (the detector scores both at once,
    /// see [`Utf16Scores`]).
    #[cfg(test)]
    fn of(prefix: &[u8], big_endian: bool) -> Self {
        let mut scores = Utf16Scores::default();
        scores.add(prefix);
        if big_endian {
            scores.big
        } else {
            scores.little
        }
    }

    /// Scores the next code unit; `pending_high_surrogate` carries a high surrogate over to
    /// the unit that follows it.
    #[inline]
    fn add(&mut self, unit: u16, pending_high_surrogate: &mut bool) {
        if *pending_high_surrogate {
            *pending_high_surrogate = false;
            if (0xDC00..=0xDFFF).contains(&unit) {
                self.strong += 2;
                return;
            }
            self.implausible += 1;
        }
        let [high, low] = unit.to_be_bytes();
        if (0xD800..=0xDBFF).contains(&unit) {
            *pending_high_surrogate = true;
        } else if is_ascii_text_byte(high) && is_ascii_text_byte(low) {
            self.neutral += 1;
        } else if high == 0 && is_ascii_text_byte(low) {
            self.strong += 1;
            self.signature += 1;
        } else if low == 0 && high != 0 {
            self.neutral += 1;
        } else if is_chinese_document_unit(unit) {
            self.strong += 1;
            if is_signature_unit(unit) {
                self.signature += 1;
            }
        } else {
            self.implausible += 1;
        }
    }

    /// Whether no `remaining_units` more units can make this reading plausible: a unit adds
    /// at most 2 to [`Self::counted`] (a surrogate pair, or a broken pair's implausible unit
    /// plus its own class; one more for a surrogate pending now), and nothing lowers
    /// `implausible` or `neutral`.
    fn is_hopeless(&self, remaining_units: usize) -> bool {
        let most_counted = self.counted() + 2 * remaining_units + 2;
        self.implausible * 50 > most_counted || self.neutral > most_counted
    }

    /// The units that say something either way.
    fn counted(&self) -> usize {
        self.strong + self.implausible
    }

    /// Plausible as UTF-16: enough evidence, at most 1 in 50 units implausible (a rare symbol),
    /// no more units that prove nothing than units that do (ASCII text read as UTF-16 is all
    /// "neutral"; real Chinese UTF-16 has about one such unit in five), and at least 15% of
    /// the telling units signature units (real text: 40–60%; other encodings: a few percent).
    fn is_plausible(&self) -> bool {
        self.counted() >= MIN_UTF16_EVIDENCE
            && self.implausible * 50 <= self.counted()
            && self.neutral <= self.counted()
            && self.signature * 100 >= self.counted() * 15
    }
}

/// Fewer telling units than this and UTF-16 is not considered: a few bytes of GBK can look like
/// anything.
const MIN_UTF16_EVIDENCE: usize = 8;
/// Telling units from which a UTF-16 reading counts as strong evidence.
const STRONG_UTF16_EVIDENCE: usize = 64;

fn is_ascii_text_byte(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | b'\r' | 0x20..=0x7E)
}

/// The characters of a Chinese document other than ASCII: Han, CJK and general punctuation,
/// full-width forms, Latin with tone marks (pinyin), Greek and Cyrillic (GBK has them), common
/// symbols, box drawing, kana and bopomofo.
fn is_chinese_document_unit(unit: u16) -> bool {
    matches!(unit,
        0x00A0..=0x024F      // Latin-1, Latin Extended A/B (pinyin: ā á ǎ à)
        | 0x02B0..=0x036F    // modifier letters (bopomofo tones ˇˉˊˋ), combining marks
        | 0x0370..=0x04FF    // Greek, Cyrillic
        | 0x2000..=0x27BF    // punctuation, currency, letterlike, arrows, math, boxes, symbols
        | 0x2E80..=0x2FDF    // CJK radicals
        | 0x3000..=0x33FF    // CJK punctuation, kana, bopomofo, enclosed CJK, CJK compatibility
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFE10..=0xFE1F    // vertical forms
        | 0xFE30..=0xFE6F    // CJK compatibility forms, small forms
        | 0xFF00..=0xFFEF) // full-width and half-width forms
}

/// Units that are the stuff of Chinese text itself (see [`Utf16Score::signature`]).
fn is_signature_unit(unit: u16) -> bool {
    matches!(unit, 0x3000..=0x30FF | 0xFF00..=0xFFEF)
        || char::from_u32(u32::from(unit)).is_some_and(is_common_han)
}

/// Both readings of a prefix, scored in one pass.
#[derive(Clone, Copy, Debug, Default)]
struct Utf16Scores {
    little: Utf16Score,
    big: Utf16Score,
    little_pending_surrogate: bool,
    big_pending_surrogate: bool,
}

impl Utf16Scores {
    fn add(&mut self, bytes: &[u8]) {
        for pair in bytes.chunks_exact(2) {
            let (first, second) = (pair[0], pair[1]);
            self.little.add(
                u16::from_le_bytes([first, second]),
                &mut self.little_pending_surrogate,
            );
            self.big.add(
                u16::from_be_bytes([first, second]),
                &mut self.big_pending_surrogate,
            );
        }
    }

    /// Scores the prefix, or `None` as soon as neither reading can turn out plausible (most
    /// files that are not UTF-16 show it within the first kilobytes: GBK, Big5 and UTF-8
    /// Chinese read as UTF-16 are mostly Hangul, private use and surrogates).
    fn of_plausible(prefix: &[u8]) -> Option<Self> {
        /// Bytes scored between two checks of whether the rest could still change the verdict.
        const CHECK_EVERY: usize = 2 * 1024;
        let whole_units = prefix.len() / 2;
        let mut scores = Utf16Scores::default();
        let mut scored_units = 0;
        for chunk in prefix[..whole_units * 2].chunks(CHECK_EVERY) {
            scores.add(chunk);
            scored_units += chunk.len() / 2;
            let remaining_units = whole_units - scored_units;
            if remaining_units > 0
                && scores.little.is_hopeless(remaining_units)
                && scores.big.is_hopeless(remaining_units)
            {
                return None;
            }
        }
        Some(scores)
    }
}

fn detect_utf16_without_bom(prefix: &[u8]) -> Option<Detection> {
    let Utf16Scores { little, big, .. } = Utf16Scores::of_plausible(prefix)?;
    let (encoding, score) = match (little.is_plausible(), big.is_plausible()) {
        (true, false) => (UTF_16LE, little),
        (false, true) => (UTF_16BE, big),
        (false, false) => return None,
        // Both readings plausible (text of very few distinct characters): the one with the
        // larger share of telling units wins; a tie means no decision.
        (true, true) => {
            let little_share = little.strong * big.counted();
            let big_share = big.strong * little.counted();
            match little_share.cmp(&big_share) {
                std::cmp::Ordering::Greater => (UTF_16LE, little),
                std::cmp::Ordering::Less => (UTF_16BE, big),
                std::cmp::Ordering::Equal => return None,
            }
        }
    };
    let confidence = if score.counted() >= STRONG_UTF16_EVIDENCE && score.implausible == 0 {
        Confidence::High
    } else {
        Confidence::Medium
    };
    Some(Detection {
        encoding,
        confidence,
        bom_len: 0,
    })
}

// ---------------------------------------------------------------------------------------------
// UTF-8

/// What the prefix looks like as UTF-8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Utf8Scan {
    /// Well-formed characters of two to four bytes.
    multibyte: usize,
    /// Malformed sequences (a character cut by the end of a prefix that is not the whole file
    /// does not count).
    malformed: usize,
}

impl Utf8Scan {
    /// What the prefix looks like as UTF-8, or `None` as soon as the prefix has surely more than one malformed
    /// sequence per `max_multibyte_per_malformed` well-formed characters: even if all the rest
    /// were two-byte characters. Legacy CJK text shows it within its first bytes, where
    /// scanning on would restart the UTF-8 check at each of its thousands of malformed bytes.
    fn of_unless_damaged(
        prefix: &[u8],
        whole: bool,
        max_multibyte_per_malformed: usize,
    ) -> Option<Self> {
        let mut scan = Utf8Scan::default();
        let mut rest = prefix;
        loop {
            // encoding_rs's vectorised check finds where the valid text ends; std's, a byte at
            // a time, then only says what is wrong there (a malformed sequence, or one cut by
            // the end of the bytes).
            let valid_up_to = Encoding::utf8_valid_up_to(rest);
            scan.multibyte += count_multibyte(&rest[..valid_up_to]);
            match std::str::from_utf8(&rest[valid_up_to..]) {
                Ok(_) => return Some(scan),
                Err(error) => {
                    debug_assert_eq!(error.valid_up_to(), 0);
                    match error.error_len() {
                        Some(len) => {
                            scan.malformed += 1;
                            rest = &rest[valid_up_to + len..];
                            let most_multibyte = scan.multibyte + rest.len() / 2;
                            if scan.malformed.saturating_mul(max_multibyte_per_malformed)
                                > most_multibyte
                            {
                                return None;
                            }
                        }
                        None => {
                            // Incomplete at the end: the edge of the sample, unless it is the file.
                            if whole {
                                scan.malformed += 1;
                            }
                            return Some(scan);
                        }
                    }
                }
            }
        }
    }
}

fn count_multibyte(valid_utf8: &[u8]) -> usize {
    valid_utf8.iter().filter(|&&byte| byte >= 0xC0).count()
}

/// The replacements a file of `bytes` bytes may need before its encoding is judged wrong:
/// one in a thousand bytes, and at least one.
fn replacements_allowed(bytes: u64) -> u64 {
    (bytes / 1000).max(1)
}

/// Well-formed characters per malformed sequence from which UTF-8 is still the answer.
const MIN_MULTIBYTE_PER_MALFORMED: usize = 16;

fn detect_utf8(prefix: &[u8], whole: bool) -> Option<Detection> {
    let scan = Utf8Scan::of_unless_damaged(prefix, whole, MIN_MULTIBYTE_PER_MALFORMED)?;
    let confidence = if scan.malformed == 0 {
        if scan.multibyte >= 8 || (scan.multibyte == 0 && whole) {
            // Plenty of well-formed UTF-8, or a whole file of ASCII (right in any encoding).
            Confidence::High
        } else if scan.multibyte > 0 {
            Confidence::Medium
        } else {
            // ASCII so far; the rest of the file is unseen.
            Confidence::Low
        }
    } else if scan.multibyte >= MIN_MULTIBYTE_PER_MALFORMED * scan.malformed {
        // Damaged UTF-8: a few bad bytes will be replaced and reported; too many make the
        // decoder fail naming UTF-8, which beats a legacy guess that decodes the damage into
        // mojibake without a complaint. Legacy CJK text read as UTF-8 has about as many
        // malformed sequences as characters, far from this.
        Confidence::Medium
    } else {
        return None;
    };
    Some(Detection {
        encoding: UTF_8,
        confidence,
        bom_len: 0,
    })
}

// ---------------------------------------------------------------------------------------------
// Legacy encodings (chardetng)

/// The prefix decoded as one encoding: where it is malformed, and its Han characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct PrefixReading {
    /// The malformed sequences (a sequence cut by the end of a partial prefix does not count),
    /// as byte ranges of the prefix.
    malformed: Vec<Range<usize>>,
    han: HanSample,
}

impl PrefixReading {
    /// Decodes the prefix once for both, through the fast path where the encoding has one
    /// (each check of a guess reads the whole 64 KiB prefix; the text itself is not kept).
    fn of(encoding: &'static Encoding, prefix: &[u8], whole: bool) -> Self {
        let table = pairs::table_for(encoding);
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let mut reading = PrefixReading::default();
        let mut scratch = String::new();
        let mut position = 0;
        loop {
            if let Some(table) = table {
                if pairs::is_between_characters(&decoder) {
                    position += table.scan_run(&prefix[position..], |class| {
                        reading.han.han += usize::from(class & pairs::HAN != 0);
                        reading.han.common += usize::from(class & pairs::COMMON_HAN != 0);
                    });
                }
            }
            let rest = &prefix[position..];
            let slow = if table.is_some() {
                rest.len().min(fast::SLOW_PATH_BYTES)
            } else {
                rest.len()
            };
            let slow_is_rest = slow == rest.len();
            scratch.clear();
            scratch.reserve(
                decoder
                    .max_utf8_buffer_length_without_replacement(slow)
                    .unwrap_or(slow * 3),
            );
            let (result, read) = decoder.decode_to_string_without_replacement(
                &rest[..slow],
                &mut scratch,
                whole && slow_is_rest,
            );
            position += read;
            scratch.chars().for_each(|c| reading.han.add(c));
            match result {
                DecoderResult::InputEmpty if slow_is_rest => return reading,
                DecoderResult::InputEmpty | DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad_len, after) => {
                    let end = position.saturating_sub(usize::from(after));
                    reading
                        .malformed
                        .push(end.saturating_sub(usize::from(bad_len))..end);
                }
            }
        }
    }
}

/// Where the prefix read as `encoding` has malformed sequences (a sequence cut by the end of a
/// partial prefix does not count), as byte ranges of the prefix.
fn malformed_spans(encoding: &'static Encoding, prefix: &[u8], whole: bool) -> Vec<Range<usize>> {
    PrefixReading::of(encoding, prefix, whole).malformed
}

/// The prefix without the given byte ranges.
fn without_spans(prefix: &[u8], spans: &[Range<usize>]) -> Vec<u8> {
    let mut kept = Vec::with_capacity(prefix.len());
    let mut position = 0;
    for span in spans {
        kept.extend_from_slice(&prefix[position..span.start.max(position)]);
        position = position.max(span.end);
    }
    kept.extend_from_slice(&prefix[position..]);
    kept
}

/// How much of the prefix chardetng reads from the first non-ASCII byte on. It runs at 2–3 MB/s
/// on CJK text (it scores ~27 candidate encodings at once), so the whole prefix would cost
/// 20–30 ms per file; its guess settles long before 8 KiB of CJK text (~4,000 characters), and
/// is then checked against the whole prefix (malformed sequences, common characters). Leading
/// ASCII costs chardetng next to nothing and is not counted.
const CHARDETNG_BYTES: usize = 8 * 1024;

/// chardetng's guess for `prefix`; UTF-8 was ruled out before, and there is no region hint
/// (a "cn" hint turns real Big5 into GBK).
fn chardetng_guess(prefix: &[u8], whole: bool) -> &'static Encoding {
    let first_non_ascii = prefix.iter().position(|byte| !byte.is_ascii()).unwrap_or(0);
    let sample = &prefix[..prefix.len().min(first_non_ascii + CHARDETNG_BYTES)];
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    // Told whether the sample is the whole file, so a sequence cut at its end is no evidence.
    detector.feed(sample, whole && sample.len() == prefix.len());
    detector.guess(None, Utf8Detection::Deny)
}

/// How much of the prefix chardetng reads, from the first non-ASCII byte on, before its guess
/// is first looked at: about 250 characters of GBK or Big5 text, on which its guess is
/// already the one it makes after [`CHARDETNG_BYTES`] whenever the whole prefix confirms it
/// (see [`chardetng_guess_settled`]); so it is on the archives and cuts of them tried, down
/// to 256 bytes. chardetng costs some 2,000 instructions a byte here, more than all the
/// rest of decoding a typical GBK file.
const CHARDETNG_EARLY_BYTES: usize = 512;

/// [`chardetng_guess`], stopped early when the verdict is already clear, with the number of
/// malformed sequences of the guess in the prefix and, when it was needed to stop early, the
/// guess's [`HanSample`]. Clear means: after
/// [`CHARDETNG_EARLY_BYTES`] chardetng says GBK or Big5, and the whole prefix decodes with
/// that encoding without a malformed sequence into text with the share of common characters
/// real text has — the guess [`judge_chinese_guess`] keeps with the most confidence. Anything
/// less and chardetng reads on, as the same detector (so the bytes are not read twice), to
/// [`CHARDETNG_BYTES`].
fn chardetng_guess_settled(
    prefix: &[u8],
    whole: bool,
) -> (&'static Encoding, usize, Option<HanSample>) {
    let first_non_ascii = prefix.iter().position(|byte| !byte.is_ascii()).unwrap_or(0);
    let early_end = prefix.len().min(first_non_ascii + CHARDETNG_EARLY_BYTES);
    let full_end = prefix.len().min(first_non_ascii + CHARDETNG_BYTES);
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    // Told whether the sample is the whole file, so a sequence cut at its end is no evidence.
    detector.feed(&prefix[..early_end], whole && early_end == prefix.len());
    if early_end < full_end {
        let early = detector.guess(None, Utf8Detection::Deny);
        if early == GBK || early == BIG5 {
            let reading = PrefixReading::of(early, prefix, whole);
            let sample = reading.han;
            if reading.malformed.is_empty()
                && sample.han >= MIN_HAN_SAMPLE
                && sample.common_per_mille() >= RIGHT_COMMON_SHARE
            {
                return (early, 0, Some(sample));
            }
        }
        detector.feed(
            &prefix[early_end..full_end],
            whole && full_end == prefix.len(),
        );
    }
    let guess = detector.guess(None, Utf8Detection::Deny);
    (guess, malformed_spans(guess, prefix, whole).len(), None)
}

/// chardetng drops a candidate at its first malformed sequence, so GBK or Big5 text with a
/// single damaged byte gets a single-byte guess (windows-1252 decodes every byte, into
/// mojibake). The Chinese encoding that explains the prefix instead: its malformed sequences
/// are few (one per 32 non-ASCII bytes at most: the decoder then replaces them, or fails naming
/// the encoding if they are too many for it, instead of writing mojibake silently), and
/// chardetng picks it once those bytes are taken out. Shift_JIS and EUC-KR text, which decode
/// as GBK byte pairs, fail that second test.
fn damaged_chinese_candidate(
    prefix: &[u8],
    whole: bool,
    non_ascii: usize,
) -> Option<&'static Encoding> {
    [GBK, BIG5]
        .into_iter()
        .map(|candidate| (malformed_spans(candidate, prefix, whole), candidate))
        .filter(|(spans, _)| spans.len() * 32 <= non_ascii)
        .filter(|(spans, candidate)| {
            let cleaned = without_spans(prefix, spans);
            chardetng_guess(&cleaned, whole) == *candidate
        })
        .min_by_key(|(spans, _)| spans.len())
        .map(|(_, candidate)| candidate)
}

/// Whether a GBK-family prefix uses GB18030's four-byte sequences (byte 2 is a digit), walking
/// the byte structure so that ASCII digits after a two-byte character are not mistaken for one.
fn has_gb18030_four_byte(prefix: &[u8]) -> bool {
    let is_lead = |byte: Option<&u8>| byte.is_some_and(|b| (0x81..=0xFE).contains(b));
    let is_digit = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    while i < prefix.len() {
        if !is_lead(prefix.get(i)) {
            // ASCII, or a byte no sequence starts with (0x80, 0xFF: damage).
            i += 1;
        } else if is_digit(prefix.get(i + 1))
            && is_lead(prefix.get(i + 2))
            && is_digit(prefix.get(i + 3))
        {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

/// The most frequent Han characters of Chinese prose in both scripts, and those of the
/// administrative documents the archives are full of. Text decoded with the right one of
/// GBK and Big5 has 30–45% of its Han characters in this set; decoded with the wrong one (the
/// byte pairs of one are mostly valid in the other) it has under 1% (GBK read as Big5) or
/// under 10% (Big5 read as GBK).
const COMMON_HAN: &str = "的一是不了在人有我他这這个個们們中来來上大为為和国國地到以说說时時要就出\
会會可也你对對生能而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學\
如都同现現当當没沒动動面起看定天分还還进進好小部其些主样樣理心她本前开開但因只从從想实實日政府建设設工\
务務制度管关關区區市省县縣局员員议議";

/// The first code point of the block [`COMMON_HAN`] is drawn from (CJK Unified Ideographs).
const COMMON_HAN_FIRST: u32 = 0x4E00;
/// Bits per code point of U+4E00..=U+9FFF, set for the characters of [`COMMON_HAN`]: the test
/// runs for every Han character of every prefix detection decodes, so it is one bit lookup.
type CommonHanBits = [u64; (0xA000 - COMMON_HAN_FIRST as usize) / 64];

static COMMON_HAN_BITS: LazyLock<CommonHanBits> = LazyLock::new(|| {
    let mut bits = [0; (0xA000 - COMMON_HAN_FIRST as usize) / 64];
    for c in COMMON_HAN.chars() {
        let index = (c as u32)
            .checked_sub(COMMON_HAN_FIRST)
            .map(|index| index as usize)
            .filter(|&index| index < bits.len() * 64)
            .expect("COMMON_HAN holds CJK Unified Ideographs only");
        bits[index / 64] |= 1 << (index % 64);
    }
    bits
});

pub(crate) fn is_common_han(c: char) -> bool {
    let Some(index) = (c as u32).checked_sub(COMMON_HAN_FIRST) else {
        return false;
    };
    let index = index as usize;
    COMMON_HAN_BITS
        .get(index / 64)
        .is_some_and(|word| word & (1 << (index % 64)) != 0)
}

/// The Han characters of the prefix decoded as `encoding`, and how many are common ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct HanSample {
    han: usize,
    common: usize,
}

impl HanSample {
    /// The sample of the whole prefix (a sequence cut at its end decodes to U+FFFD, or to
    /// nothing when `whole` is false: no Han character either way).
    fn of(encoding: &'static Encoding, prefix: &[u8]) -> Self {
        PrefixReading::of(encoding, prefix, true).han
    }

    fn add(&mut self, c: char) {
        if crate::text::is_han(c) {
            self.han += 1;
            if is_common_han(c) {
                self.common += 1;
            }
        }
    }

    /// Common characters per thousand Han characters.
    fn common_per_mille(&self) -> usize {
        (self.common * 1000).checked_div(self.han).unwrap_or(0)
    }
}

/// Han characters from which the common-character share is telling.
const MIN_HAN_SAMPLE: usize = 20;
/// Common-character share (per mille) from which a decoding reads as real text.
const RIGHT_COMMON_SHARE: usize = 200;

/// chardetng chose GBK or Big5 (it has no "sure" flag, and on short texts the two are easily
/// confused, since most byte pairs are valid in both). The share of common characters in the
/// decoded prefix confirms the guess, or overrules it when the rival reads as real text and the
/// guess does not.
#[cfg(test)]
fn judge_chinese_guess(
    prefix: &[u8],
    whole: bool,
    guess: &'static Encoding,
    non_ascii: usize,
) -> (&'static Encoding, Confidence) {
    let guess_malformed = malformed_spans(guess, prefix, whole).len();
    let guessed = HanSample::of(guess, prefix);
    judge_chinese_guess_with(prefix, whole, guess, non_ascii, guess_malformed, guessed)
}

/// [`judge_chinese_guess`] given the number of malformed sequences of the guess and its
/// [`HanSample`], which the caller has already (each decodes the whole prefix).
fn judge_chinese_guess_with(
    prefix: &[u8],
    whole: bool,
    guess: &'static Encoding,
    non_ascii: usize,
    guess_malformed: usize,
    guessed: HanSample,
) -> (&'static Encoding, Confidence) {
    let rival = if guess == GBK { BIG5 } else { GBK };
    if guessed.han >= MIN_HAN_SAMPLE && guessed.common_per_mille() < RIGHT_COMMON_SHARE {
        let rivalled = PrefixReading::of(rival, prefix, whole);
        if rivalled.han.han >= MIN_HAN_SAMPLE
            && rivalled.han.common_per_mille() >= RIGHT_COMMON_SHARE
            && rivalled.han.common_per_mille() >= 2 * guessed.common_per_mille()
            && rivalled.malformed.len() <= guess_malformed
        {
            return (rival, Confidence::Medium);
        }
    }
    let confidence = if guess_malformed > 0 || non_ascii < WEAK_LEGACY_EVIDENCE {
        Confidence::Low
    } else if non_ascii >= STRONG_LEGACY_EVIDENCE
        && guessed.common_per_mille() >= RIGHT_COMMON_SHARE
    {
        Confidence::High
    } else {
        Confidence::Medium
    };
    (guess, confidence)
}

/// Non-ASCII bytes from which a clean legacy guess is well supported.
const STRONG_LEGACY_EVIDENCE: usize = 512;
/// Non-ASCII bytes below which a legacy guess is only a guess.
const WEAK_LEGACY_EVIDENCE: usize = 64;

fn detect_legacy(prefix: &[u8], whole: bool) -> Detection {
    let (guess, malformed, guessed) = chardetng_guess_settled(prefix, whole);
    let non_ascii = prefix.iter().filter(|byte| !byte.is_ascii()).count();

    let damaged_chinese = if guess != GBK && guess != BIG5 && non_ascii > 0 {
        damaged_chinese_candidate(prefix, whole, non_ascii)
    } else {
        None
    };
    let (encoding, confidence) = if let Some(candidate) = damaged_chinese {
        (candidate, Confidence::Low)
    } else if guess == GBK || guess == BIG5 {
        let guessed = guessed.unwrap_or_else(|| HanSample::of(guess, prefix));
        judge_chinese_guess_with(prefix, whole, guess, non_ascii, malformed, guessed)
    } else if malformed > 0 || non_ascii < WEAK_LEGACY_EVIDENCE {
        (guess, Confidence::Low)
    } else {
        (guess, Confidence::Medium)
    };
    let encoding = if encoding == GBK && has_gb18030_four_byte(prefix) {
        GB18030
    } else {
        encoding
    };
    Detection {
        encoding,
        confidence,
        bom_len: 0,
    }
}

// ---------------------------------------------------------------------------------------------
// Streaming decoder

/// Decodes one file, fed in chunks of any size, into UTF-8, counting what it had to replace.
pub struct Decoder {
    detection: Detection,
    inner: encoding_rs::Decoder,
    /// The fast path for the bulk of GBK, Big5 and UTF-16 text.
    fast: FastPath,
    strict: bool,
    /// BOM bytes still to skip (the BOM may straddle chunks).
    bom_left: usize,
    /// Bytes received so far, BOM included: the file offset of the next byte.
    bytes_in: u64,
    replaced: u64,
    replaced_offsets: Vec<u64>,
    /// Whether the replacement ratio was checked after the first PREFIX_BYTES.
    prefix_checked: bool,
}

impl Decoder {
    pub fn new(detection: Detection, strict: bool) -> Self {
        Decoder {
            detection,
            // The BOM (if any) is skipped by offset, so that a BOM of another encoding is
            // decoded as the user asked and offsets stay file offsets.
            inner: detection.encoding.new_decoder_without_bom_handling(),
            fast: FastPath::for_encoding(detection.encoding),
            strict,
            bom_left: detection.bom_len,
            bytes_in: 0,
            replaced: 0,
            replaced_offsets: Vec::new(),
            prefix_checked: false,
        }
    }

    /// Decodes the next bytes of the file (the whole file, BOM included, in chunks of any size;
    /// `last` on the final chunk, which may be empty), appending text to `out`.
    ///
    /// Fails when `strict` and a byte is undecodable, or when more than one byte in a thousand
    /// (at least one) was undecodable — checked once the first [`PREFIX_BYTES`] are decoded,
    /// so a wrong guess fails before much is written, and again at the end.
    pub fn decode(
        &mut self,
        bytes: &[u8],
        last: bool,
        out: &mut String,
    ) -> Result<(), DecodeError> {
        let mut rest = bytes;
        let chunk_start = self.bytes_in;
        if self.bom_left > 0 {
            let skipped = self.bom_left.min(rest.len());
            rest = &rest[skipped..];
            self.bom_left -= skipped;
        }
        // File offset just past the input the decoder has consumed.
        let mut consumed = chunk_start + (bytes.len() - rest.len()) as u64;
        loop {
            let (result, read) = fast::decode_to_string_without_replacement(
                &mut self.inner,
                self.fast,
                rest,
                out,
                last,
            );
            rest = &rest[read..];
            consumed += read as u64;
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad_len, after) => {
                    // The bad sequence ends `after` bytes before the read position and may
                    // have begun in an earlier chunk.
                    let offset = consumed.saturating_sub(u64::from(after) + u64::from(bad_len));
                    self.replaced += 1;
                    if self.replaced_offsets.len() < MAX_RECORDED_OFFSETS {
                        self.replaced_offsets.push(offset);
                    }
                    if self.strict {
                        self.bytes_in = consumed;
                        return Err(DecodeError::Malformed {
                            encoding: self.detection.label(),
                            offset,
                        });
                    }
                    out.push('\u{FFFD}');
                }
            }
        }
        self.bytes_in = chunk_start + bytes.len() as u64;
        self.check_progress(last)
    }

    /// [`Decoder::decode`], handing the text to `emit` piece by piece instead of appending it
    /// to a string, and without copying what needs no decoding: valid UTF-8 input is handed
    /// over as it stands, borrowed from `bytes`. The rest (a sequence cut by the end of the
    /// previous chunk or of this one, malformed bytes, any other encoding) is decoded into
    /// `scratch` and handed over in its place. The pieces, joined, are what `decode` appends.
    ///
    /// UTF-8 is most of any archive, and copying it into a string was a tenth of the time of
    /// a run over clean UTF-8 text.
    pub fn decode_each(
        &mut self,
        bytes: &[u8],
        last: bool,
        scratch: &mut String,
        mut emit: impl FnMut(&str),
    ) -> Result<(), DecodeError> {
        if self.detection.encoding != encoding_rs::UTF_8 || self.bom_left > 0 {
            return self.decode_through(bytes, last, scratch, &mut emit);
        }
        let mut rest = bytes;
        while !rest.is_empty() {
            if is_between_utf8_sequences(&self.inner) {
                let valid = valid_utf8_prefix(rest);
                if !valid.is_empty() {
                    self.bytes_in += valid.len() as u64;
                    emit(valid);
                    rest = &rest[valid.len()..];
                    self.check_progress(false)?;
                    continue;
                }
            }
            // A malformed or cut sequence, where the decoder holds the start of one: a few
            // bytes to encoding_rs (the longest sequence), until it is between sequences again.
            let (slow, after) = rest.split_at(rest.len().min(4));
            self.decode_through(slow, last && after.is_empty(), scratch, &mut emit)?;
            if after.is_empty() {
                return Ok(());
            }
            rest = after;
        }
        // The input ended with valid text: the decoder may still hold a sequence from an
        // earlier chunk (or nothing), and the end of the file is checked as `decode` checks it.
        if last {
            self.decode_through(&[], true, scratch, &mut emit)?;
        }
        Ok(())
    }

    /// [`Decoder::decode`] into `scratch`, whose text then goes to `emit`.
    fn decode_through(
        &mut self,
        bytes: &[u8],
        last: bool,
        scratch: &mut String,
        emit: &mut impl FnMut(&str),
    ) -> Result<(), DecodeError> {
        scratch.clear();
        let decoded = self.decode(bytes, last, scratch);
        if !scratch.is_empty() {
            emit(scratch);
        }
        decoded
    }

    /// The replacement ratio, checked once the first [`PREFIX_BYTES`] are decoded and at the
    /// end of the file.
    fn check_progress(&mut self, last: bool) -> Result<(), DecodeError> {
        if !self.prefix_checked && self.bytes_in >= PREFIX_BYTES as u64 {
            self.prefix_checked = true;
            self.check_ratio()?;
        }
        if last {
            self.check_ratio()?;
        }
        Ok(())
    }

    fn check_ratio(&self) -> Result<(), DecodeError> {
        if self.replaced > replacements_allowed(self.bytes_in) {
            return Err(DecodeError::WrongEncoding {
                encoding: self.detection.label(),
                confidence: self.detection.confidence,
                replaced: self.replaced,
                bytes: self.bytes_in,
                first_offset: self.replaced_offsets.first().copied().unwrap_or(0),
            });
        }
        Ok(())
    }

    /// What was decoded so far: the encoding, how many bytes, what had to be replaced.
    pub fn report(&self) -> DecodeReport {
        DecodeReport {
            encoding: self.detection.label(),
            confidence: self.detection.confidence,
            bytes_in: self.bytes_in,
            replaced: self.replaced,
            replaced_offsets: self.replaced_offsets.clone(),
        }
    }
}

/// The longest start of `bytes` that is valid UTF-8 and ends between sequences. In one pass
/// where the bytes are valid but for a sequence cut at the end, as the chunks of a UTF-8 file
/// are; where they are not, the validation stops at the first error and the text before it is
/// validated again (so a damaged file costs two passes, not one per error).
fn valid_utf8_prefix(bytes: &[u8]) -> &str {
    let whole = &bytes[..whole_sequences_len(bytes)];
    match simdutf8::compat::from_utf8(whole) {
        Ok(text) => text,
        Err(error) => simdutf8::basic::from_utf8(&whole[..error.valid_up_to()])
            .expect("valid up to the first error"),
    }
}

/// `bytes` without a UTF-8 sequence cut short at the end, if the last lead byte starts one.
fn whole_sequences_len(bytes: &[u8]) -> usize {
    let tail = &bytes[bytes.len().saturating_sub(3)..];
    let Some(lead_at) = tail.iter().rposition(|&b| b & 0xC0 != 0x80) else {
        return bytes.len();
    };
    let sequence_len = match tail[lead_at] {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0.. => 4,
        _ => 1,
    };
    if lead_at + sequence_len > tail.len() {
        bytes.len() - tail.len() + lead_at
    } else {
        bytes.len()
    }
}

/// Whether a UTF-8 decoder holds no part of a sequence. encoding_rs has no direct query for
/// this; its worst case for the output of no more input is three bytes plus one for each byte
/// it holds and one more, so exactly three when it holds nothing. The tests would notice if
/// that changed: they cut UTF-8 at every offset and compare with encoding_rs alone.
fn is_between_utf8_sequences(decoder: &encoding_rs::Decoder) -> bool {
    decoder.max_utf8_buffer_length_without_replacement(0) == Some(3)
}

/// The decode stage's part of a file's report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DecodeReport {
    /// The encoding's label ([`Detection::label`]).
    pub encoding: &'static str,
    pub confidence: Confidence,
    /// Bytes read, BOM included.
    pub bytes_in: u64,
    /// Undecodable byte sequences, each written as U+FFFD.
    pub replaced: u64,
    /// File offsets of the first replaced sequences (at most 32).
    pub replaced_offsets: Vec<u64>,
}

/// Why a file could not be decoded. The messages leave out the path, which the caller adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// `--strict`: an undecodable byte sequence.
    Malformed { encoding: &'static str, offset: u64 },
    /// Too many undecodable bytes: the file is not in the encoding it was decoded with.
    WrongEncoding {
        encoding: &'static str,
        confidence: Confidence,
        replaced: u64,
        bytes: u64,
        first_offset: u64,
    },
}

impl DecodeError {
    /// File offset of the first undecodable byte.
    pub fn offset(&self) -> u64 {
        match self {
            DecodeError::Malformed { offset, .. } => *offset,
            DecodeError::WrongEncoding { first_offset, .. } => *first_offset,
        }
    }
}

/// A label to suggest when `encoding` failed: the likeliest other encoding of a Chinese file.
fn suggested_label(encoding: &str) -> &'static str {
    match encoding {
        "GBK" | "GB18030" => "big5",
        "Big5" => "gbk",
        "UTF-16LE" => "utf-16be",
        "UTF-16BE" => "utf-16le",
        _ => "gbk",
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Malformed { encoding, offset } => write!(
                f,
                "invalid {encoding} at byte offset {offset} (--strict allows none); \
                 if the file is in another encoding, name it with --encoding (e.g. --encoding {})",
                suggested_label(encoding)
            ),
            DecodeError::WrongEncoding {
                encoding,
                confidence,
                replaced,
                bytes,
                first_offset,
            } => {
                let how = if *confidence == Confidence::Certain {
                    "decoded as"
                } else {
                    "guessed to be"
                };
                write!(
                    f,
                    "{how} {encoding}, but {replaced} byte sequences in the first {bytes} bytes \
                     are not valid {encoding} (the first at byte offset {first_offset}); \
                     name the right encoding with --encoding (e.g. --encoding {})",
                    suggested_label(encoding)
                )
            }
        }
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests;
