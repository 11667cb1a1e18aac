//! The streaming decoder: the whole file through encoding_rs in chunks of any size (the bulk of
//! GBK, Big5 and UTF-16 text through the fast paths of `fast.rs`, valid UTF-8 handed over as it
//! stands), every undecodable byte sequence replaced and counted with its file offset.

use encoding_rs::DecoderResult;

use super::detection::{Confidence, Detection};
use super::error::DecodeError;
use super::fast::{self, FastPath};
use super::mixed::{self, Lines, MixedLines};
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
    /// Line-by-line decoding of lines the encoding cannot decode (`mixed`), when on.
    lines: Option<Lines>,
    /// The lines decoded in other encodings (kept when line-by-line decoding is given up).
    mixed: Vec<MixedLines>,
}

/// A line longer than this gives up line-by-line decoding for the rest of its file (its bytes
/// are held until the line ends): no text file of lines is written so.
const MAX_LINE_BYTES: usize = 1 << 20;

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
            lines: None,
            mixed: Vec::new(),
        }
    }

    /// With `on`, a line the encoding cannot decode is decoded in another encoding Chinese
    /// archives mix (UTF-8, GBK, Big5) when that one decodes it cleanly and reads clearly more
    /// Chinese (rule `mixed-encoding`; see `mixed.rs`). For UTF-8, GBK, GB18030 and Big5 files,
    /// and not with `strict`, which fails on the first undecodable byte.
    pub fn with_mixed_lines(mut self, on: bool) -> Self {
        let mixable = mixed::alternatives(self.detection.encoding).is_some();
        self.lines = (on && mixable && !self.strict).then(Lines::default);
        self
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
        if self.lines.is_some() {
            let mut scratch = String::new();
            return self.decode_lines(bytes, last, &mut scratch, &mut |text: &str| {
                out.push_str(text)
            });
        }
        self.decode_raw(bytes, last, out)?;
        self.check_progress(last)
    }

    /// [`Decoder::decode`] without the replacement ratio's check.
    fn decode_raw(
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
        Ok(())
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
        if self.lines.is_some() {
            return self.decode_lines(bytes, last, scratch, &mut emit);
        }
        self.decode_each_plain(bytes, last, scratch, emit)
    }

    /// [`Decoder::decode_each`] without line-by-line decoding.
    fn decode_each_plain(
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

    /// [`Decoder::decode_each`] with line-by-line decoding on: the bytes are handed on in
    /// stretches of whole lines (the last, incomplete line of a chunk is held until its end
    /// comes), each decoded whole when the encoding decodes it cleanly, and line by line when it
    /// does not ([`Decoder::lines_of`]).
    fn decode_lines(
        &mut self,
        bytes: &[u8],
        last: bool,
        scratch: &mut String,
        emit: &mut dyn FnMut(&str),
    ) -> Result<(), DecodeError> {
        let mut lines = self.lines.take().expect("line-by-line decoding is on");
        let mut rest = bytes;
        if self.bom_left > 0 {
            let skipped = self.bom_left.min(rest.len());
            rest = &rest[skipped..];
            self.bom_left -= skipped;
            self.bytes_in += skipped as u64;
        }
        let mut carry = std::mem::take(&mut lines.carry);
        let result = (|| {
            if last {
                // The rest of the file: the held line and all that is left, the end checked.
                if carry.is_empty() {
                    return self.stretch(&mut lines, rest, true, scratch, emit);
                }
                carry.extend_from_slice(rest);
                return self.stretch(&mut lines, &carry, true, scratch, emit);
            }
            if !carry.is_empty() {
                let Some(end) = memchr::memchr(b'\n', rest) else {
                    carry.extend_from_slice(rest);
                    return Ok(());
                };
                carry.extend_from_slice(&rest[..=end]);
                rest = &rest[end + 1..];
                self.stretch(&mut lines, &carry, false, scratch, emit)?;
                carry.clear();
            }
            let whole = memchr::memrchr(b'\n', rest).map_or(0, |end| end + 1);
            if whole > 0 {
                self.stretch(&mut lines, &rest[..whole], false, scratch, emit)?;
            }
            carry.extend_from_slice(&rest[whole..]);
            Ok(())
        })();
        if last {
            carry.clear();
        }
        if carry.len() > MAX_LINE_BYTES {
            // No lines to go by: the held bytes and the rest of the file as the encoding reads
            // them. The decoder holds no part of a character (each stretch ended a line).
            self.mixed = lines.mixed;
            self.inner = self.detection.encoding.new_decoder_without_bom_handling();
            result?;
            return self.decode_each_plain(&carry, false, scratch, emit);
        }
        lines.carry = carry;
        self.lines = Some(lines);
        result
    }

    /// Decodes a stretch of whole lines (`last`: the end of the file, where the last line may
    /// have no line break): whole when the encoding decodes it cleanly, as it would without
    /// line-by-line decoding, else line by line.
    fn stretch(
        &mut self,
        lines: &mut Lines,
        stretch: &[u8],
        last: bool,
        scratch: &mut String,
        emit: &mut dyn FnMut(&str),
    ) -> Result<(), DecodeError> {
        let start = self.bytes_in;
        if self.detection.encoding == encoding_rs::UTF_8 {
            if let Ok(text) = simdutf8::basic::from_utf8(stretch) {
                self.bytes_in += stretch.len() as u64;
                lines.breaks += memchr::memchr_iter(b'\n', stretch).count() as u64;
                if !text.is_empty() {
                    emit(text);
                }
                return self.check_progress(last);
            }
        } else {
            let (replaced, recorded) = (self.replaced, self.replaced_offsets.len());
            scratch.clear();
            self.decode_raw(stretch, last, scratch)?;
            if self.replaced == replaced {
                lines.breaks += memchr::memchr_iter(b'\n', stretch).count() as u64;
                if !scratch.is_empty() {
                    emit(scratch);
                }
                return self.check_progress(last);
            }
            // Undone, to be decoded again line by line.
            self.replaced = replaced;
            self.replaced_offsets.truncate(recorded);
            self.bytes_in = start;
            self.inner = self.detection.encoding.new_decoder_without_bom_handling();
        }
        self.lines_of(lines, stretch, last, scratch, emit)?;
        self.check_progress(last)
    }

    /// Decodes a stretch of whole lines one by one: each the encoding cannot decode in the
    /// encoding that reads it as Chinese, if one does ([`mixed::line_in_other_encoding`]); the
    /// others as the encoding reads them, replacements counted.
    fn lines_of(
        &mut self,
        lines: &mut Lines,
        stretch: &[u8],
        last: bool,
        scratch: &mut String,
        emit: &mut dyn FnMut(&str),
    ) -> Result<(), DecodeError> {
        let mut rest = stretch;
        while !rest.is_empty() {
            let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
            let (line, after) = rest.split_at(end);
            rest = after;
            let number = lines.breaks + 1;
            if line.ends_with(b"\n") {
                lines.breaks += 1;
            }
            match mixed::line_in_other_encoding(self.detection.encoding, line) {
                Some((encoding, text)) => {
                    lines.record(encoding, number);
                    self.bytes_in += line.len() as u64;
                    emit(&text);
                }
                None => {
                    scratch.clear();
                    self.decode_raw(line, last && rest.is_empty(), scratch)?;
                    if !scratch.is_empty() {
                        emit(scratch);
                    }
                }
            }
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
            mixed: match &self.lines {
                Some(lines) => lines.mixed.clone(),
                None => self.mixed.clone(),
            },
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
    /// The lines decoded in another encoding than `encoding`, by encoding (rule
    /// `mixed-encoding`).
    pub mixed: Vec<MixedLines>,
}

impl DecodeReport {
    /// How many lines were decoded in another encoding than the file's.
    pub fn mixed_lines(&self) -> u64 {
        self.mixed.iter().map(|m| m.lines).sum()
    }
}

#[cfg(test)]
mod tests;
