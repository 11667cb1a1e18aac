//! One conversion table: a group of dictionaries compiled by `build.rs` into a phrase automaton
//! (multi-character keys, leftmost-longest) and a character map (single-character keys).
//!
//! Converting with a table is OpenCC's maximum forward matching: at each position the longest
//! phrase that starts there wins; where no phrase starts, the character is mapped on its own.
//! A leftmost-longest automaton over the phrases gives exactly that: no phrase starts between
//! two reported matches, so everything between them is converted character by character.

use daachorse::CharwiseDoubleArrayAhoCorasick;

/// Marks "no entry" in the character map of the Basic Multilingual Plane.
const NONE: u32 = u32::MAX;

pub(crate) struct Table {
    /// Multi-character keys; the value is an index into `spans`.
    phrases: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// Output index for every BMP character (`NONE` when unmapped): one load per character.
    bmp: Box<[u32]>,
    /// Mapped characters outside the BMP, sorted by code point.
    astral: Vec<(u32, u32)>,
    /// All outputs, concatenated; `spans[i]` is the byte range of output `i`.
    outputs: String,
    spans: Vec<(u32, u32)>,
}

/// Reads a little-endian u32 from the front of `blob`, advancing it.
fn take_u32(blob: &mut &[u8]) -> u32 {
    let (head, rest) = blob.split_at(4);
    *blob = rest;
    u32::from_le_bytes(head.try_into().expect("4 bytes"))
}

impl Table {
    /// Loads a table written by `build.rs`. The blob is compiled into the binary, so a malformed
    /// one is a build bug: this panics rather than returning an error.
    pub(crate) fn from_blob(mut blob: &[u8]) -> Table {
        let output_count = take_u32(&mut blob) as usize;
        let mut outputs = String::new();
        let mut spans = Vec::with_capacity(output_count);
        for _ in 0..output_count {
            let len = take_u32(&mut blob) as usize;
            let (bytes, rest) = blob.split_at(len);
            blob = rest;
            let start = outputs.len() as u32;
            outputs.push_str(std::str::from_utf8(bytes).expect("table outputs are UTF-8"));
            spans.push((start, outputs.len() as u32));
        }
        let char_count = take_u32(&mut blob) as usize;
        let mut bmp = vec![NONE; 0x10000].into_boxed_slice();
        let mut astral = Vec::new();
        for _ in 0..char_count {
            let c = take_u32(&mut blob);
            let index = take_u32(&mut blob);
            if c < 0x10000 {
                bmp[c as usize] = index;
            } else {
                astral.push((c, index));
            }
        }
        let automaton_len = take_u32(&mut blob) as usize;
        let phrases = (automaton_len > 0).then(|| {
            let (automaton, _) =
                CharwiseDoubleArrayAhoCorasick::deserialize(&blob[..automaton_len])
                    .expect("phrase automaton written by build.rs");
            automaton
        });
        Table {
            phrases,
            bmp,
            astral,
            outputs,
            spans,
        }
    }

    fn output(&self, index: u32) -> &str {
        let (start, end) = self.spans[index as usize];
        &self.outputs[start as usize..end as usize]
    }

    /// Appends `text` converted to `out`.
    pub(crate) fn convert_into(&self, text: &str, out: &mut String) {
        let Some(phrases) = &self.phrases else {
            self.convert_chars(text, out);
            return;
        };
        let mut last = 0;
        for m in phrases.leftmost_find_iter(text) {
            self.convert_chars(&text[last..m.start()], out);
            out.push_str(self.output(m.value()));
            last = m.end();
        }
        self.convert_chars(&text[last..], out);
    }

    /// Character by character; unmapped runs are copied whole.
    fn convert_chars(&self, text: &str, out: &mut String) {
        let bytes = text.as_bytes();
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                i += 1;
                continue;
            }
            // Decode one multi-byte UTF-8 character by hand: `text` is a valid str.
            let (code, len) = if b < 0xE0 {
                (((b as u32 & 0x1F) << 6) | (bytes[i + 1] as u32 & 0x3F), 2)
            } else if b < 0xF0 {
                (
                    ((b as u32 & 0x0F) << 12)
                        | ((bytes[i + 1] as u32 & 0x3F) << 6)
                        | (bytes[i + 2] as u32 & 0x3F),
                    3,
                )
            } else {
                (
                    ((b as u32 & 0x07) << 18)
                        | ((bytes[i + 1] as u32 & 0x3F) << 12)
                        | ((bytes[i + 2] as u32 & 0x3F) << 6)
                        | (bytes[i + 3] as u32 & 0x3F),
                    4,
                )
            };
            let index = if code < 0x10000 {
                self.bmp[code as usize]
            } else {
                match self.astral.binary_search_by_key(&code, |&(c, _)| c) {
                    Ok(k) => self.astral[k].1,
                    Err(_) => NONE,
                }
            };
            if index != NONE {
                out.push_str(&text[copied..i]);
                out.push_str(self.output(index));
                copied = i + len;
            }
            i += len;
        }
        out.push_str(&text[copied..]);
    }

    /// Byte ranges of the phrase matches in `text` (OpenCC's maximum-match segmentation by this
    /// table's phrases): the boundaries that later stages of a chain do not match across.
    pub(crate) fn phrase_spans<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.phrases
            .iter()
            .flat_map(move |p| p.leftmost_find_iter(text).map(|m| (m.start(), m.end())))
    }
}
