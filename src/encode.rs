//! Last stage, encode: the cleaned text as UTF-8 (the default: the bytes are copied) or, on
//! request, in a legacy encoding (GBK, GB18030, Big5).
//!
//! A character the target encoding cannot represent is an error that names it. encoding_rs's
//! replacing encoder would write an HTML numeric reference (`&#131072;`) instead, which is data
//! loss dressed up as text, so the non-replacing API is used.
//!
//! Notes on the targets: GB18030 represents every character. GBK has no four-byte sequences
//! (so no `𠀀` or other Extension B characters). encoding_rs's Big5 encoder writes Big5 proper
//! (no HKSCS extensions: `啲` and `㗎` are unmappable) — decoding accepts HKSCS, encoding does
//! not, as the Encoding Standard specifies. UTF-16 output is not supported: encoding_rs encodes
//! UTF-16 requests as UTF-8 ([`Encoding::output_encoding`]); see [`can_encode`].

use encoding_rs::{EncoderResult, Encoding, UTF_8};

/// Whether `encoding` can be written as itself (UTF-16 and the replacement encoding cannot:
/// encoding_rs would write UTF-8 instead).
pub fn can_encode(encoding: &'static Encoding) -> bool {
    encoding.output_encoding() == encoding
}

/// Encodes one output file, fed text in pieces of any size.
pub struct Encoder {
    /// `None` for UTF-8: the text is already in the output encoding.
    inner: Option<encoding_rs::Encoder>,
    encoding: &'static Encoding,
    /// Bytes of text encoded so far: the text offset of the next piece.
    text_offset: u64,
}

impl Encoder {
    /// An encoder writing `encoding` (its [`Encoding::output_encoding`]: UTF-16 writes UTF-8).
    pub fn new(encoding: &'static Encoding) -> Self {
        let encoding = encoding.output_encoding();
        let inner = (encoding != UTF_8).then(|| encoding.new_encoder());
        Encoder {
            inner,
            encoding,
            text_offset: 0,
        }
    }

    /// The encoding written.
    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// The bytes of the next piece of text (`last` on the final one): the text's own bytes
    /// for UTF-8, which are not copied, else the piece encoded into `buffer` (cleared first).
    pub fn encoded<'a>(
        &mut self,
        text: &'a str,
        last: bool,
        buffer: &'a mut Vec<u8>,
    ) -> Result<&'a [u8], EncodeError> {
        if self.inner.is_none() {
            self.text_offset += text.len() as u64;
            return Ok(text.as_bytes());
        }
        buffer.clear();
        self.encode(text, last, buffer)?;
        Ok(buffer)
    }

    /// Encodes the next piece of text (`last` on the final one, which may be empty), appending
    /// bytes to `out`. Fails at the first character the encoding cannot represent.
    pub fn encode(&mut self, text: &str, last: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let Some(inner) = self.inner.as_mut() else {
            out.extend_from_slice(text.as_bytes());
            self.text_offset += text.len() as u64;
            return Ok(());
        };
        let mut rest = text;
        loop {
            let room = inner
                .max_buffer_length_from_utf8_without_replacement(rest.len())
                .unwrap_or(rest.len().saturating_mul(4).saturating_add(16));
            out.reserve(room);
            let (result, read) = inner.encode_from_utf8_to_vec_without_replacement(rest, out, last);
            rest = &rest[read..];
            self.text_offset += read as u64;
            match result {
                EncoderResult::InputEmpty => return Ok(()),
                EncoderResult::OutputFull => {}
                EncoderResult::Unmappable(character) => {
                    return Err(EncodeError {
                        character,
                        encoding: self.encoding.name(),
                        // `read` includes the unmappable character.
                        text_offset: self.text_offset - character.len_utf8() as u64,
                    });
                }
            }
        }
    }
}

/// A character the output encoding cannot represent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the character '{character}' (U+{:04X}) at text offset {text_offset} cannot be written in {encoding}; {}",
    *.character as u32,
    if *.encoding == "GBK" { "write GB18030 or UTF-8 instead" } else { "write UTF-8 instead" }
)]
pub struct EncodeError {
    pub character: char,
    /// The output encoding's name ("GBK", "Big5", ...).
    pub encoding: &'static str,
    /// Byte offset of the character in the (UTF-8) text that was being encoded.
    pub text_offset: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{BIG5, GB18030, GBK, UTF_16LE};

    fn encode_all(encoding: &'static Encoding, pieces: &[&str]) -> Result<Vec<u8>, EncodeError> {
        let mut encoder = Encoder::new(encoding);
        let mut out = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            encoder.encode(piece, i + 1 == pieces.len(), &mut out)?;
        }
        Ok(out)
    }

    #[test]
    fn utf8_is_passed_through_and_legacy_encoded() {
        let mut buffer = Vec::new();
        let mut utf8 = Encoder::new(UTF_8);
        let text = "中文 text";
        let bytes = utf8.encoded(text, false, &mut buffer).unwrap();
        assert_eq!(bytes.as_ptr(), text.as_ptr());
        let mut gbk = Encoder::new(encoding_rs::GBK);
        let bytes = gbk.encoded(text, true, &mut buffer).unwrap();
        assert_eq!(bytes, b"\xd6\xd0\xce\xc4 text");
        let err = gbk.encoded("𠀀", true, &mut buffer).unwrap_err();
        assert_eq!((err.character, err.text_offset), ('𠀀', 11));
    }

    #[test]
    fn utf8_is_a_copy() {
        let text = "中文 text 𠀀\n";
        assert_eq!(encode_all(UTF_8, &[text]).unwrap(), text.as_bytes());
        assert_eq!(
            encode_all(UTF_8, &["中文", " text", ""]).unwrap(),
            "中文 text".as_bytes()
        );
    }

    #[test]
    fn legacy_encodings_match_their_tables() {
        let table: &[(&'static Encoding, &str, &[u8])] = &[
            (GBK, "中文", b"\xD6\xD0\xCE\xC4"),
            (GBK, "a，b", b"a\xA3\xACb"),
            (GB18030, "中𠀀", b"\xD6\xD0\x95\x32\x82\x36"),
            (BIG5, "中文", b"\xA4\xA4\xA4\xE5"),
            (BIG5, "臺灣", b"\xBB\x4F\xC6\x57"),
        ];
        for (encoding, text, bytes) in table {
            assert_eq!(
                encode_all(encoding, &[text]).unwrap(),
                *bytes,
                "{text} in {}",
                encoding.name()
            );
        }
    }

    #[test]
    fn pieces_of_any_size_give_the_same_bytes() {
        let text = "东城区科信局，2021年法治政府建设年度情况报告。";
        let whole = encode_all(GBK, &[text]).unwrap();
        let pieces: Vec<&str> = text
            .char_indices()
            .map(|(i, c)| &text[i..i + c.len_utf8()])
            .collect();
        assert_eq!(encode_all(GBK, &pieces).unwrap(), whole);
    }

    #[test]
    fn unmappable_character_is_an_error_naming_it() {
        let error = encode_all(GBK, &["中文", "甲𠀀乙"]).unwrap_err();
        assert_eq!(error.character, '𠀀');
        assert_eq!(error.encoding, "GBK");
        assert_eq!(error.text_offset, "中文甲".len() as u64);
        let message = error.to_string();
        assert!(message.contains("'𠀀' (U+20000)"), "{message}");
        assert!(message.contains("GBK"), "{message}");

        // HKSCS characters decode from Big5 but are not written back.
        let error = encode_all(BIG5, &["佢哋啲"]).unwrap_err();
        assert_eq!(error.encoding, "Big5");
        // Simplified characters are not in Big5.
        assert_eq!(encode_all(BIG5, &["这"]).unwrap_err().character, '这');
    }

    #[test]
    fn never_writes_numeric_character_references() {
        let result = encode_all(GBK, &["𠀀"]);
        assert!(result.is_err());
        assert!(encode_all(GB18030, &["𠀀"])
            .unwrap()
            .iter()
            .all(|b| *b != b'&'));
    }

    #[test]
    fn utf16_is_not_an_output_encoding() {
        assert!(!can_encode(UTF_16LE));
        assert!(can_encode(GBK) && can_encode(BIG5) && can_encode(UTF_8));
        assert_eq!(Encoder::new(UTF_16LE).encoding(), UTF_8);
    }
}
