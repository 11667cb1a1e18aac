//! What detection decides: the encoding a file is decoded with and how sure that is, and the
//! encodings the user may name on the command line. A leaf: every detector and the decoder
//! use these.

use std::fmt;

use encoding_rs::{Encoding, BIG5, GB18030, REPLACEMENT, UTF_8};

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

#[cfg(test)]
mod tests;
