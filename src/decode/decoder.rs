//! The streaming decoder: the whole file through encoding_rs in chunks of any size (the bulk of
//! GBK, Big5 and UTF-16 text through the fast paths of `fast.rs`, valid UTF-8 handed over as it
//! stands), every undecodable byte sequence replaced and counted with its file offset.

use encoding_rs::DecoderResult;

use super::detection::{Confidence, Detection};
use super::error::DecodeError;
use super::fast::{self, FastPath};
use super::sniff::PREFIX_BYTES;
use super::utf8::{is_between_utf8_sequences, valid_utf8_prefix};

/// How many replacement offsets a [`DecodeReport`] keeps (the count is always exact).
const MAX_RECORDED_OFFSETS: usize = 32;

/// The replacements a file of `bytes` bytes may need before its encoding is judged wrong:
/// one in a thousand bytes, and at least one.
fn replacements_allowed(bytes: u64) -> u64 {
    (bytes / 1000).max(1)
}

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

    /// The decoder without its fast path, encoding_rs alone: what the fast paths are tested
    /// against.
    #[cfg(test)]
    pub(super) fn without_fast_path(mut self) -> Self {
        self.fast = FastPath::None;
        self
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

#[cfg(test)]
mod tests;
