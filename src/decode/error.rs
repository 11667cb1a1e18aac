//! Why a file could not be decoded.

use super::detection::Confidence;

/// Why a file could not be decoded. The messages leave out the path, which the caller adds.
/// Neither has a cause: the bytes themselves are the trouble.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// `--strict`: an undecodable byte sequence.
    #[error(
        "invalid {encoding} at byte offset {offset} (--strict allows none); \
         if the file is in another encoding, name it with --encoding (e.g. --encoding {})",
        suggested_label(.encoding)
    )]
    Malformed { encoding: &'static str, offset: u64 },
    /// Too many undecodable bytes: the file is not in the encoding it was decoded with.
    #[error(
        "{} {encoding}, but {replaced} byte sequences in the first {bytes} bytes \
         are not valid {encoding} (the first at byte offset {first_offset}); \
         name the right encoding with --encoding (e.g. --encoding {})",
        how_found(*.confidence),
        suggested_label(.encoding)
    )]
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

/// How the encoding that failed was chosen: named (by a BOM or the user), or guessed.
fn how_found(confidence: Confidence) -> &'static str {
    if confidence == Confidence::Certain {
        "decoded as"
    } else {
        "guessed to be"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages users and reports see, word for word (the path is added by the caller).
    #[test]
    fn error_messages_name_the_encoding_and_suggest_another() {
        let malformed = |encoding| DecodeError::Malformed {
            encoding,
            offset: 7,
        };
        assert_eq!(
            malformed("GBK").to_string(),
            "invalid GBK at byte offset 7 (--strict allows none); if the file is in another \
             encoding, name it with --encoding (e.g. --encoding big5)"
        );
        let suggestions = [
            ("GBK", "big5"),
            ("GB18030", "big5"),
            ("Big5", "gbk"),
            ("UTF-16LE", "utf-16be"),
            ("UTF-16BE", "utf-16le"),
            ("UTF-8", "gbk"),
            ("windows-1252", "gbk"),
        ];
        for (encoding, suggested) in suggestions {
            let message = malformed(encoding).to_string();
            assert!(
                message.ends_with(&format!("(e.g. --encoding {suggested})")),
                "{message}"
            );
        }
        let wrong = |confidence| DecodeError::WrongEncoding {
            encoding: "Big5",
            confidence,
            replaced: 12,
            bytes: 3000,
            first_offset: 40,
        };
        assert_eq!(
            wrong(Confidence::Medium).to_string(),
            "guessed to be Big5, but 12 byte sequences in the first 3000 bytes are not valid Big5 \
             (the first at byte offset 40); name the right encoding with --encoding (e.g. --encoding gbk)"
        );
        assert_eq!(
            wrong(Confidence::Certain).to_string(),
            "decoded as Big5, but 12 byte sequences in the first 3000 bytes are not valid Big5 \
             (the first at byte offset 40); name the right encoding with --encoding (e.g. --encoding gbk)"
        );
        assert_eq!(wrong(Confidence::Low).offset(), 40);
        assert_eq!(malformed("GBK").offset(), 7);
        // No cause: the bytes themselves are the trouble.
        assert!(std::error::Error::source(&wrong(Confidence::High)).is_none());
    }
}
