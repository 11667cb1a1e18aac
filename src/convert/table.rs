//! One conversion table: a group of dictionaries compiled by `build.rs` into a character map
//! (single-character keys) and a trie of phrases (multi-character keys).
//!
//! Converting with a table is OpenCC's maximum forward matching: at each position the longest
//! phrase that starts there wins; where no phrase starts, the character is mapped on its own.
//! Each character is one load from a flat table that says both what the character becomes and
//! which trie node the phrases starting with it hang from, so a position where no phrase
//! starts costs no more than a character lookup.
//!
//! Output is written by *copy, then patch*: the input is appended whole, then each replacement
//! of the same byte length (nearly all of them: a Han character is three bytes in either
//! script) is written over it in place. Only a replacement of another length switches to
//! appending piece by piece for the rest of the text.
//!
//! Why by hand rather than an Aho-Corasick crate: the first version used daachorse's
//! leftmost-longest automaton (about 150 MB/s on Traditional text); OpenCC's semantics are a
//! plain longest prefix match at each position, and almost every position holds a single
//! character, so a per-character table with the trie hanging off it does the same work in one
//! pass with a fraction of the instructions (53 M instead of 99 M per 2 MB under callgrind,
//! about 300 MB/s) — and a conversion table needs per-character outputs anyway.

/// Marks "no entry" in [`Entry`] fields and trie nodes.
const NONE: u32 = u32::MAX;
/// In [`Entry::output`]: a CJK compatibility ideograph the normalization table maps, which must
/// be normalized before any table sees the text (OpenCC maps them to their unified forms first).
const COMPATIBILITY: u32 = u32::MAX - 1;

/// What one character does in a table.
#[derive(Clone, Copy)]
struct Entry {
    /// Output index for the character on its own, `NONE` when it is copied, or
    /// `COMPATIBILITY`.
    output: u32,
    /// The trie node below the root for this character, `NONE` when no phrase starts with it.
    node: u32,
    /// The second characters of the phrases that start with this one, as a one-word Bloom
    /// filter ([`follower_bit`]). Half the walks down the trie end at the second character
    /// on one that no phrase of the first has there; the filter says so from the cache line
    /// the entry is already in, without reading the node and its edges (two more loads from
    /// tables far larger than the cache).
    followers: u64,
}

const EMPTY: Entry = Entry {
    output: NONE,
    node: NONE,
    followers: 0,
};

/// The bit of `code` in [`Entry::followers`]: the top six bits of a multiplicative hash, so
/// that neighbouring code points spread over the word.
#[inline(always)]
fn follower_bit(code: u32) -> u64 {
    1 << (code.wrapping_mul(0x9E37_79B1) >> 26)
}

#[derive(Clone, Copy)]
struct Node {
    output: u32,
    first_edge: u32,
    edge_count: u32,
}

pub(crate) struct Table {
    /// One entry per Basic Multilingual Plane character (a fixed-size array, so that indexing
    /// by a BMP code point needs no bounds check).
    bmp: Box<[Entry; 0x10000]>,
    /// Entries of characters outside the BMP, sorted by code point.
    astral: Vec<(u32, Entry)>,
    /// The characters outside the BMP flagged [`COMPATIBILITY`] (sorted), unless an entry of
    /// `astral` says otherwise. Those of the BMP are flagged in `bmp`.
    astral_flagged: Vec<u32>,
    nodes: Vec<Node>,
    /// Per node, `edge_count` edges from `first_edge`, sorted by code point.
    edges: Vec<(u32, u32)>,
    /// All outputs, concatenated; `spans[i]` is the byte range of output `i`.
    outputs: String,
    spans: Vec<(u32, u32)>,
    /// Per output, its code point when it is one character (`NONE` otherwise).
    single: Vec<u32>,
    /// One bit per BMP character: whether it has an entry (see [`Table::touches`]). A chain
    /// asks this of an earlier stage at every character, and 8 KB stay in the first-level
    /// cache where the entries (512 KB) do not.
    touched: Box<[u64; 0x10000 / 64]>,
    /// One bit per BMP character: whether it is in a phrase (anywhere in one).
    in_phrases: Box<[u64; 0x10000 / 64]>,
    /// One bit per BMP character: whether it is in a phrase after the first character. Most
    /// walks down the trie end at the second character, and most often on one that follows
    /// nothing: one bit test instead of a search of the node's edges.
    follows: Box<[u64; 0x10000 / 64]>,
}

/// A compatibility ideograph was met: normalize the text and convert again.
#[derive(Debug)]
pub(crate) struct NeedsNormalizing;

/// What a chain's one-pass conversion hands a segment it cannot do itself to:
/// `convert_segment(segment, phrase_output, out)` appends the segment's conversion through the
/// whole chain (`phrase_output`: the segmentation table's output when the segment is one of
/// its phrases) and returns the characters changed.
pub(crate) trait ConvertSegment:
    FnMut(&str, Option<&str>, &mut String) -> Result<u64, NeedsNormalizing>
{
}

impl<F> ConvertSegment for F where
    F: FnMut(&str, Option<&str>, &mut String) -> Result<u64, NeedsNormalizing>
{
}

/// Reads a little-endian u32 from the front of `blob`, advancing it.
fn take_u32(blob: &mut &[u8]) -> u32 {
    let (head, rest) = blob.split_at(4);
    *blob = rest;
    u32::from_le_bytes(head.try_into().expect("4 bytes"))
}

/// Decodes the character starting at `bytes[i]` (a char boundary of a valid `str`): its code
/// point and byte length. By hand, because this is the innermost loop.
#[inline(always)]
pub(crate) fn decode(bytes: &[u8], i: usize) -> (u32, usize) {
    let b = bytes[i];
    if b < 0x80 {
        (b as u32, 1)
    } else if (0xE0..0xF0).contains(&b) {
        // Three bytes: every Han character of the BMP. One bounds check for all three.
        let s = &bytes[i..i + 3];
        (
            ((s[0] as u32 & 0x0F) << 12) | ((s[1] as u32 & 0x3F) << 6) | (s[2] as u32 & 0x3F),
            3,
        )
    } else if b < 0xE0 {
        let s = &bytes[i..i + 2];
        (((s[0] as u32 & 0x1F) << 6) | (s[1] as u32 & 0x3F), 2)
    } else {
        let s = &bytes[i..i + 4];
        (
            ((s[0] as u32 & 0x07) << 18)
                | ((s[1] as u32 & 0x3F) << 12)
                | ((s[2] as u32 & 0x3F) << 6)
                | (s[3] as u32 & 0x3F),
            4,
        )
    }
}

/// The position of the first character of `text[from..to]` (whole characters) for which
/// `found(position, code, length)` holds.
#[inline(always)]
fn find_char(
    text: &str,
    from: usize,
    to: usize,
    mut found: impl FnMut(usize, u32, usize) -> bool,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < to {
        let (code, len) = decode(bytes, i);
        if found(i, code, len) {
            return Some(i);
        }
        i += len;
    }
    None
}

/// How many characters differ between `old` and `new`, position by position, plus the
/// difference in length: the measure of change the `clean` report gives.
pub(crate) fn changed_chars(old: &str, new: &str) -> u64 {
    // Fast path for the usual case, texts of the same byte length whose characters line up
    // (every Han character is three bytes in either script): compare character by character
    // without decoding.
    let (a, b) = (old.as_bytes(), new.as_bytes());
    if a.len() == b.len() {
        let mut count = 0;
        let mut i = 0;
        while i < a.len() {
            // Most characters are unchanged: skip eight equal bytes at once, then back up over
            // continuation bytes to the start of the character the skip may have stopped in
            // (equal bytes, so the character boundaries are the same in both).
            if a.len() - i >= 8 && a[i..i + 8] == b[i..i + 8] {
                i += 8;
                while i < a.len() && a[i] & 0xC0 == 0x80 {
                    i -= 1;
                }
                continue;
            }
            let len = utf8_len(a[i]);
            if len != utf8_len(b[i]) {
                return changed_chars_decoded(old, new);
            }
            count += u64::from(!same_char(&a[i..], &b[i..], len));
            i += len;
        }
        return count;
    }
    changed_chars_decoded(old, new)
}

/// Whether the `len`-byte characters at the start of `a` and `b` are the same. By fixed-size
/// comparisons: a slice comparison of run-time length is a `memcmp` call per character.
#[inline(always)]
fn same_char(a: &[u8], b: &[u8], len: usize) -> bool {
    match len {
        1 => a[0] == b[0],
        2 => a[..2] == b[..2],
        3 => a[..3] == b[..3],
        _ => a[..4] == b[..4],
    }
}

/// The byte length of the UTF-8 character that starts with byte `b` (`b` is a lead byte).
#[inline(always)]
fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

fn changed_chars_decoded(old: &str, new: &str) -> u64 {
    let differing = old.chars().zip(new.chars()).filter(|(a, b)| a != b).count();
    let length_change = old.chars().count().abs_diff(new.chars().count());
    (differing + length_change) as u64
}

/// Writes a converted text into `out` by copy, then patch (see the module comment).
struct Patcher<'a> {
    out: &'a mut String,
    text: &'a str,
    /// Where the text starts in `out`.
    base: usize,
    /// `None` while patching in place; once a replacement changed the length, the text byte up
    /// to which `out` holds the text.
    appended_to: Option<usize>,
    changed: u64,
}

/// A state of a [`Patcher`] to return to: that of the output of `text[..start]`.
#[derive(Clone, Copy)]
struct Checkpoint {
    start: usize,
    len: usize,
    appended_to: Option<usize>,
    changed: u64,
}

impl<'a> Patcher<'a> {
    fn new(out: &'a mut String, text: &'a str) -> Self {
        let base = out.len();
        out.push_str(text);
        Patcher {
            out,
            text,
            base,
            appended_to: None,
            changed: 0,
        }
    }

    /// Replaces the single character `text[start..end]` with a different `replacement`.
    #[inline(always)]
    fn replace_char(&mut self, start: usize, end: usize, replacement: &str) {
        self.changed += 1;
        if self.appended_to.is_none() && replacement.len() == 3 && end - start == 3 {
            let at = self.base + start;
            // SAFETY: `out[at..at + 3]` holds one whole 3-byte character (copied from `text`),
            // and a whole 3-byte character replaces it, so `out` stays valid UTF-8.
            unsafe {
                self.out.as_bytes_mut()[at..at + 3].copy_from_slice(&replacement.as_bytes()[..3])
            };
        } else {
            self.replace(start, end, replacement);
        }
    }

    /// Replaces the phrase `text[start..end]` with its output `replacement` where the two
    /// differ, and counts the characters changed.
    fn replace_phrase(&mut self, start: usize, end: usize, replacement: &str) {
        let original = &self.text[start..end];
        if replacement != original {
            self.changed += changed_chars(original, replacement);
            self.replace(start, end, replacement);
        }
    }

    /// Replaces `text[start..end]` (whole characters) with `replacement`.
    fn replace(&mut self, start: usize, end: usize, replacement: &str) {
        match self.appended_to {
            None if replacement.len() == end - start => {
                let at = self.base + start;
                // SAFETY: `out[at..at + len]` holds whole characters copied from `text`, and
                // they are replaced by a whole `str` of the same byte length.
                unsafe {
                    self.out.as_bytes_mut()[at..at + replacement.len()]
                        .copy_from_slice(replacement.as_bytes())
                };
            }
            None => {
                self.out.truncate(self.base + start);
                self.out.push_str(replacement);
                self.appended_to = Some(end);
            }
            Some(copied) => {
                self.out.push_str(&self.text[copied..start]);
                self.out.push_str(replacement);
                self.appended_to = Some(end);
            }
        }
    }

    /// Where the output stands now, with the text written up to `start`, to come back to
    /// with [`Patcher::rewrite`].
    fn checkpoint(&self, start: usize) -> Checkpoint {
        Checkpoint {
            start,
            len: self.out.len(),
            appended_to: self.appended_to,
            changed: self.changed,
        }
    }

    /// Undoes every change made since `checkpoint`, then writes `replacement` for the text
    /// from the checkpoint's start to `end`; `changed` is added to the count of characters
    /// changed.
    fn rewrite(&mut self, checkpoint: Checkpoint, end: usize, replacement: &str, changed: u64) {
        let start = checkpoint.start;
        match (checkpoint.appended_to, self.appended_to) {
            // Patched in place since: `replace` below writes over those patches, or (at
            // another length) truncates them away.
            (None, None) => {}
            // Switched to appending since: `out` holds the output of `text[..start]`.
            (None, Some(_)) => {
                self.out.truncate(self.base + start);
                self.appended_to = Some(start);
            }
            (Some(_), _) => {
                self.out.truncate(checkpoint.len);
                self.appended_to = checkpoint.appended_to;
            }
        }
        self.changed = checkpoint.changed + changed;
        self.replace(start, end, replacement);
    }

    /// Finishes the text; returns the number of characters changed.
    fn finish(self) -> u64 {
        if let Some(copied) = self.appended_to {
            self.out.push_str(&self.text[copied..]);
        }
        self.changed
    }
}

impl Table {
    /// Loads a table written by `build.rs`. The blob is compiled into the binary, so a malformed
    /// one is a build bug: this panics rather than returning an error. `normalizing`: the
    /// normalization table, whose characters this table reports ([`NeedsNormalizing`]) instead
    /// of copying them; `None` for the normalization table itself.
    ///
    /// Exactly the characters the normalization table maps are flagged, not the whole of the
    /// compatibility blocks: those blocks also hold unassigned code points (U+FA6E, U+FADA…)
    /// and twelve unified ideographs (U+FA0E 﨎…) that have no other form. Flagged, such a
    /// character would come out of normalizing unchanged, still flagged, and could never be
    /// converted; it is copied like any character the table does not know.
    pub(crate) fn from_blob(mut blob: &[u8], normalizing: Option<&Table>) -> Table {
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
        let mut bmp: Box<[Entry; 0x10000]> = vec![EMPTY; 0x10000]
            .into_boxed_slice()
            .try_into()
            .unwrap_or_else(|_| unreachable!("0x10000 entries"));
        let mut astral: Vec<(u32, Entry)> = Vec::new();
        let mut astral_flagged = Vec::new();
        for code in normalizing.iter().flat_map(|norm| norm.mapped_chars()) {
            if code < 0x10000 {
                bmp[code as usize].output = COMPATIBILITY;
            } else {
                astral_flagged.push(code);
            }
        }
        astral_flagged.sort_unstable();
        let char_count = take_u32(&mut blob) as usize;
        for _ in 0..char_count {
            let c = take_u32(&mut blob);
            let index = take_u32(&mut blob);
            if c < 0x10000 {
                bmp[c as usize].output = index;
            } else {
                astral.push((
                    c,
                    Entry {
                        output: index,
                        ..EMPTY
                    },
                ));
            }
        }
        let node_count = take_u32(&mut blob) as usize;
        let mut nodes = Vec::with_capacity(node_count);
        for _ in 0..node_count {
            nodes.push(Node {
                output: take_u32(&mut blob),
                first_edge: take_u32(&mut blob),
                edge_count: take_u32(&mut blob),
            });
        }
        let edge_count = take_u32(&mut blob) as usize;
        let mut edges = Vec::with_capacity(edge_count);
        for _ in 0..edge_count {
            edges.push((take_u32(&mut blob), take_u32(&mut blob)));
        }
        // The root's children go into the character entries, with their followers.
        if let Some(root) = nodes.first() {
            let first = root.first_edge as usize;
            for &(c, child) in &edges[first..first + root.edge_count as usize] {
                let node = nodes[child as usize];
                let followers = edges
                    [node.first_edge as usize..(node.first_edge + node.edge_count) as usize]
                    .iter()
                    .fold(0, |bits, &(follower, _)| bits | follower_bit(follower));
                if c < 0x10000 {
                    bmp[c as usize].node = child;
                    bmp[c as usize].followers = followers;
                } else {
                    let node_only = Entry {
                        node: child,
                        followers,
                        ..EMPTY
                    };
                    astral.push((c, node_only));
                }
            }
        }
        // A character with both an output and phrases is listed twice, output first (the
        // stable sort keeps that order): merge the node into the first.
        astral.sort_by_key(|&(c, _)| c);
        astral.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                earlier.1.node = later.1.node;
                earlier.1.followers = later.1.followers;
            }
            same
        });
        let single = spans
            .iter()
            .map(|&(start, end)| {
                let mut chars = outputs[start as usize..end as usize].chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => c as u32,
                    _ => NONE,
                }
            })
            .collect();
        let mut touched: Box<[u64; 0x10000 / 64]> = Box::new([0; 0x10000 / 64]);
        for (code, entry) in bmp.iter().enumerate() {
            if entry.output != NONE || entry.node != NONE {
                touched[code / 64] |= 1 << (code % 64);
            }
        }
        let mut in_phrases: Box<[u64; 0x10000 / 64]> = Box::new([0; 0x10000 / 64]);
        let mut follows: Box<[u64; 0x10000 / 64]> = Box::new([0; 0x10000 / 64]);
        let root_edges = nodes.first().map_or(0..0, |root| {
            root.first_edge as usize..(root.first_edge + root.edge_count) as usize
        });
        for (k, &(code, _)) in edges.iter().enumerate() {
            if code < 0x10000 {
                in_phrases[code as usize / 64] |= 1 << (code % 64);
                if !root_edges.contains(&k) {
                    follows[code as usize / 64] |= 1 << (code % 64);
                }
            }
        }
        Table {
            bmp,
            astral,
            astral_flagged,
            nodes,
            edges,
            outputs,
            spans,
            single,
            touched,
            in_phrases,
            follows,
        }
    }

    /// Whether the character `code` may continue a phrase (astral characters: always).
    #[inline(always)]
    fn may_follow(&self, code: u32) -> bool {
        code >= 0x10000 || self.follows[code as usize / 64] & (1 << (code % 64)) != 0
    }

    /// Whether the character `code` cuts a run of text for the chain "`pre`, then this
    /// table": neither table has a phrase holding it, and `pre` has no entry for it, so no
    /// phrase of either stage spans it and the text on each side converts on its own. Only
    /// characters outside the main Han blocks are asked (punctuation, digits, Latin: a Han
    /// character is nearly always in some phrase), so that a Han character costs two
    /// comparisons.
    #[inline(always)]
    fn cuts_for(&self, pre: &Table, code: u32) -> bool {
        if (0x3400..0xF900).contains(&code) || code >= 0x10000 {
            return false;
        }
        let (word, bit) = (code as usize / 64, code % 64);
        (self.in_phrases[word] | pre.in_phrases[word] | pre.touched[word]) & (1 << bit) == 0
    }

    /// Whether this table has an entry for the character `code` (converts it, starts a phrase
    /// with it, or flags it for normalizing).
    #[inline(always)]
    fn touches_char(&self, code: u32) -> bool {
        if code < 0x10000 {
            self.touched[code as usize / 64] & (1 << (code % 64)) != 0
        } else {
            let entry = self.entry(code);
            entry.output != NONE || entry.node != NONE
        }
    }

    /// The characters this table maps on their own (not those that only start phrases).
    fn mapped_chars(&self) -> impl Iterator<Item = u32> + '_ {
        let bmp = (0..0x10000u32).filter(|&code| self.bmp[code as usize].output != NONE);
        let astral = self
            .astral
            .iter()
            .filter(|(_, entry)| entry.output != NONE)
            .map(|&(code, _)| code);
        bmp.chain(astral)
    }

    fn output(&self, index: u32) -> &str {
        let (start, end) = self.spans[index as usize];
        &self.outputs[start as usize..end as usize]
    }

    #[inline(always)]
    fn entry(&self, code: u32) -> Entry {
        if code < 0x10000 {
            self.bmp[code as u16 as usize]
        } else {
            match self.astral.binary_search_by_key(&code, |&(c, _)| c) {
                Ok(k) => self.astral[k].1,
                Err(_) if self.astral_flagged.binary_search(&code).is_ok() => Entry {
                    output: COMPATIBILITY,
                    ..EMPTY
                },
                Err(_) => EMPTY,
            }
        }
    }

    fn child(&self, node: u32, code: u32) -> Option<u32> {
        let node = self.nodes[node as usize];
        let edges =
            &self.edges[node.first_edge as usize..(node.first_edge + node.edge_count) as usize];
        if edges.len() <= 8 {
            edges
                .iter()
                .find(|&&(c, _)| c == code)
                .map(|&(_, child)| child)
        } else {
            edges
                .binary_search_by_key(&code, |&(c, _)| c)
                .ok()
                .map(|k| edges[k].1)
        }
    }

    /// The longest phrase of `text` that starts at `start` with a character whose entry is
    /// `first` (it starts phrases: `first.node` is a node) and whose byte length is
    /// `first_len`: its end and output.
    fn longest_phrase(
        &self,
        text: &str,
        start: usize,
        first_len: usize,
        first: Entry,
    ) -> Option<(usize, u32)> {
        self.longest_phrase_mapped(text, start, first_len, first, |code, _, _| Some(code))
            .unwrap_or(None)
    }

    /// [`Table::longest_phrase`], and whether its walk met a character `pre` has an entry for.
    /// The walk decodes the phrase's characters after the first (and maybe one more), so the
    /// answer costs a bit test per character, not a second scan.
    #[inline(always)]
    fn longest_phrase_noting(
        &self,
        pre: &Table,
        text: &str,
        start: usize,
        first_len: usize,
        first: Entry,
    ) -> (Option<(usize, u32)>, bool) {
        let mut met = false;
        let found = self
            .longest_phrase_mapped(text, start, first_len, first, |code, _, _| {
                met |= pre.touches_char(code);
                Some(code)
            })
            .unwrap_or(None);
        (found, met)
    }

    /// [`Table::longest_phrase`] over the text as `map` changes its characters (`map(code,
    /// position, length)`; `None`: give up, `Err`).
    #[inline(always)]
    fn longest_phrase_mapped(
        &self,
        text: &str,
        start: usize,
        first_len: usize,
        first: Entry,
        mut map: impl FnMut(u32, usize, usize) -> Option<u32>,
    ) -> Result<Option<(usize, u32)>, ()> {
        let bytes = text.as_bytes();
        let mut i = start + first_len;
        if i >= bytes.len() {
            return Ok(None);
        }
        // The second character: the first one's filter settles most walks.
        let (mut code, mut len) = decode(bytes, i);
        code = map(code, i, len).ok_or(())?;
        if first.followers & follower_bit(code) == 0 {
            return Ok(None);
        }
        let mut node = first.node;
        let mut best = None;
        while let Some(child) = self.child(node, code) {
            node = child;
            i += len;
            let output = self.nodes[node as usize].output;
            if output != NONE {
                best = Some((i, output));
            }
            if i >= bytes.len() {
                break;
            }
            (code, len) = decode(bytes, i);
            code = map(code, i, len).ok_or(())?;
            if !self.may_follow(code) {
                break;
            }
        }
        Ok(best)
    }

    /// What this table makes of the character `code` at `text[at..at + len]` when no phrase of
    /// it matches there: the same code point when it has no entry. `None` when a phrase does
    /// match there, when the output is not one character, or when the character must be
    /// normalized first.
    #[inline(always)]
    fn map_char(&self, text: &str, at: usize, len: usize, code: u32) -> Option<u32> {
        let entry = self.entry(code);
        if entry.node != NONE && self.longest_phrase(text, at, len, entry).is_some() {
            return None;
        }
        match entry.output {
            NONE => Some(code),
            COMPATIBILITY => None,
            output => Some(self.single[output as usize]).filter(|&c| c != NONE),
        }
    }

    /// Converts `text` in one pass as this table would convert `pre`'s conversion of it, for a
    /// chain such as `tw2s` (Taiwan variants back to standard forms, then Traditional to
    /// Simplified) on a run of text where `pre` can only map characters one to one: no phrase
    /// of `pre` matches anywhere in it (then `pre` maps the run character by character,
    /// whatever order its maximum matching would take). Appends to `out` and returns the
    /// characters changed (compared with `text`); returns `None`, with `out` as it was, when
    /// that does not hold.
    pub(crate) fn convert_after_chars_into(
        &self,
        pre: &Table,
        text: &str,
        out: &mut String,
    ) -> Option<u64> {
        let bytes = text.as_bytes();
        let base = out.len();
        let mut patcher = Patcher::new(out, text);
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = decode(bytes, i);
            let Some(mapped) = pre.map_char(text, i, len, code) else {
                patcher.out.truncate(base);
                return None;
            };
            let entry = self.entry(mapped);
            if entry.node != NONE {
                let map = |c, at, len| pre.map_char(text, at, len, c);
                match self.longest_phrase_mapped(text, i, len, entry, map) {
                    Ok(Some((end, output))) => {
                        patcher.replace_phrase(i, end, self.output(output));
                        i = end;
                        continue;
                    }
                    Ok(None) => {}
                    Err(()) => {
                        patcher.out.truncate(base);
                        return None;
                    }
                }
            }
            // The character's final form, compared by code point (one character in, one out).
            let replacement = match entry.output {
                NONE if mapped == code => None,
                // The pre-stage's output for `code` is `mapped`, one character.
                NONE => Some(pre.output(pre.entry(code).output)),
                COMPATIBILITY => {
                    patcher.out.truncate(base);
                    return None;
                }
                output if self.single[output as usize] == code => None,
                output => Some(self.output(output)),
            };
            if let Some(replacement) = replacement {
                patcher.replace_char(i, i + len, replacement);
            }
            i += len;
        }
        Some(patcher.finish())
    }

    /// Converts `text` as a chain "`pre`, then this table" does when it segments the text by
    /// this table's phrases (`tw2s`: Taiwan variants back to the standard forms, then
    /// Traditional to Simplified). Appends to `out`; returns the characters changed.
    ///
    /// The text goes piece by piece, a piece ending at a character that cuts it
    /// ([`Table::cuts_for`]: punctuation, mostly), which no phrase of either table spans, so
    /// each piece converts on its own. Where `pre` acts nowhere in a piece (maps no character,
    /// matches no phrase: 96 % of the pieces, nine bytes in ten, of the Taiwan documents of
    /// the benchmark corpus), it leaves every segment as it is, and the chain does what this
    /// table alone does: maximum matching on its phrases
    /// (the segmentation's), each character mapped on its own between them. That is this
    /// loop, about as cheap as a one-table conversion. A piece where `pre` does act is undone
    /// and converted by [`Table::convert_piece_after`], which follows the chain's every step.
    ///
    /// `convert_segment(segment, phrase_output, out)` appends a segment's conversion through
    /// the whole chain and returns the characters changed (see `convert_piece_after`).
    pub(crate) fn convert_segmented_after(
        &self,
        pre: &Table,
        text: &str,
        out: &mut String,
        mut convert_segment: impl ConvertSegment,
    ) -> Result<u64, NeedsNormalizing> {
        let bytes = text.as_bytes();
        let mut patcher = Patcher::new(out, text);
        let mut scratch = String::new();
        // Where the current piece starts, and the output there.
        let mut piece = patcher.checkpoint(0);
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = decode(bytes, i);
            let entry = self.entry(code);
            let mut pre_acts = pre.touches_char(code) && pre.acts_at(text, i, code, len);
            let mut phrase = None;
            if !pre_acts && entry.node != NONE {
                let walk_met_pre;
                (phrase, walk_met_pre) = self.longest_phrase_noting(pre, text, i, len, entry);
                if let Some((end, _)) = phrase {
                    // The main loop does not visit the phrase's other characters; where `pre`
                    // has an entry for none of them, it does not act within the phrase.
                    pre_acts = walk_met_pre && pre.acts_within(text, i + len, end);
                }
            }
            if pre_acts {
                let end = self.piece_end(pre, text, i + len);
                scratch.clear();
                let piece_text = &text[piece.start..end];
                let changed =
                    self.convert_piece_after(pre, piece_text, &mut scratch, &mut convert_segment)?;
                patcher.rewrite(piece, end, &scratch, changed);
                i = end;
                piece = patcher.checkpoint(end);
                continue;
            }
            if let Some((end, output)) = phrase {
                patcher.replace_phrase(i, end, self.output(output));
                i = end;
                continue;
            }
            self.map_char_into(&mut patcher, i, len, entry)?;
            i += len;
            if self.cuts_for(pre, code) {
                piece = patcher.checkpoint(i);
            }
        }
        Ok(patcher.finish())
    }

    /// Where the piece that holds `text[from..]`'s first character ends: at the next character
    /// that cuts a run for the chain "`pre`, then this table", or at the end of the text.
    fn piece_end(&self, pre: &Table, text: &str, from: usize) -> usize {
        find_char(text, from, text.len(), |_, code, _| {
            self.cuts_for(pre, code)
        })
        .unwrap_or(text.len())
    }

    /// Whether this table acts ([`Table::acts_at`]) at some character of `text[from..to]`.
    fn acts_within(&self, text: &str, from: usize, to: usize) -> bool {
        find_char(text, from, to, |at, code, len| {
            self.touches_char(code) && self.acts_at(text, at, code, len)
        })
        .is_some()
    }

    /// [`Table::convert_segmented_after`] for a piece of text where `pre` acts.
    ///
    /// Segmentation and both conversions are one pass, as [`Table::convert_after_chars_into`]
    /// does them for one run, with the walk for a phrase of this table done once per position:
    /// where `pre` maps nothing the walk sees, the walk over `pre`'s output is the same as the
    /// segmentation's, which found no phrase (a run between phrases holds none). A phrase of
    /// this table found over `pre`'s output is kept only when no phrase of the segmentation
    /// starts inside it (OpenCC converts segment by segment).
    ///
    /// A segment this pass cannot do so (a phrase `pre` acts on; a run where a phrase of
    /// `pre` may match, or that crosses a phrase boundary as above) is handed to
    /// `convert_segment(segment, phrase_output, out)`, which appends its conversion through the
    /// whole chain and returns the characters changed. Of a run, only the piece between the
    /// characters that cut it ([`Table::cuts_for`]: punctuation, mostly) around the trouble is
    /// handed over; the trouble is known only when met, so the piece's characters converted
    /// so far are undone then.
    fn convert_piece_after(
        &self,
        pre: &Table,
        text: &str,
        out: &mut String,
        convert_segment: &mut impl ConvertSegment,
    ) -> Result<u64, NeedsNormalizing> {
        let bytes = text.as_bytes();
        let mut patcher = Patcher::new(out, text);
        let mut scratch = String::new();
        // Where the current run, or the piece of it after its last cut, starts, and the
        // output there.
        let mut piece = patcher.checkpoint(0);
        let mut piece_handed_over = false;
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = decode(bytes, i);
            let entry = self.entry(code);
            // Whether the segmentation's walk met a character `pre` has an entry for.
            let mut walk_met_pre = false;
            if entry.node != NONE {
                let (found, met) = self.longest_phrase_noting(pre, text, i, len, entry);
                if let Some((end, output)) = found {
                    if piece_handed_over {
                        scratch.clear();
                        let changed = convert_segment(&text[piece.start..i], None, &mut scratch)?;
                        patcher.rewrite(piece, i, &scratch, changed);
                        piece_handed_over = false;
                    }
                    let phrase = &text[i..end];
                    let replacement = self.output(output);
                    if pre.acts_on(phrase) {
                        scratch.clear();
                        let changed = convert_segment(phrase, Some(replacement), &mut scratch)?;
                        patcher.replace(i, end, &scratch);
                        patcher.changed += changed;
                    } else {
                        patcher.replace_phrase(i, end, replacement);
                    }
                    i = end;
                    piece = patcher.checkpoint(end);
                    continue;
                }
                walk_met_pre = met || pre.touches_char(code);
            }
            if self.cuts_for(pre, code) {
                if piece_handed_over {
                    scratch.clear();
                    let changed = convert_segment(&text[piece.start..i], None, &mut scratch)?;
                    patcher.rewrite(piece, i, &scratch, changed);
                    piece_handed_over = false;
                }
                match entry.output {
                    NONE | COMPATIBILITY => {}
                    output if self.single[output as usize] == code => {}
                    output => patcher.replace_char(i, i + len, self.output(output)),
                }
                i += len;
                piece = patcher.checkpoint(i);
                continue;
            }
            if piece_handed_over {
                i += len;
                continue;
            }
            // A character of a run: `pre` maps it (one character to one), then this table
            // converts the result.
            let mapped = if pre.touches_char(code) {
                pre.map_char(text, i, len, code)
            } else {
                Some(code)
            };
            let Some(mapped) = mapped else {
                piece_handed_over = true;
                i += len;
                continue;
            };
            let mapped_entry = if mapped == code {
                entry
            } else {
                self.entry(mapped)
            };
            if mapped_entry.node != NONE && (mapped != code || walk_met_pre) {
                let map = |c, at, len| pre.map_char(text, at, len, c);
                match self.longest_phrase_mapped(text, i, len, mapped_entry, map) {
                    Ok(Some((end, output))) if !self.phrase_starts_within(text, i + len, end) => {
                        patcher.replace_phrase(i, end, self.output(output));
                        i = end;
                        continue;
                    }
                    Ok(None) => {}
                    Ok(Some(_)) | Err(()) => {
                        piece_handed_over = true;
                        i += len;
                        continue;
                    }
                }
            }
            // The character's final form, compared by code point (one character in, one out).
            let replacement = match mapped_entry.output {
                NONE if mapped == code => None,
                // `pre`'s output for `code` is `mapped`, one character.
                NONE => Some(pre.output(pre.entry(code).output)),
                COMPATIBILITY => {
                    piece_handed_over = true;
                    i += len;
                    continue;
                }
                output if self.single[output as usize] == code => None,
                output => Some(self.output(output)),
            };
            if let Some(replacement) = replacement {
                patcher.replace_char(i, i + len, replacement);
            }
            i += len;
        }
        if piece_handed_over {
            scratch.clear();
            let changed = convert_segment(&text[piece.start..], None, &mut scratch)?;
            patcher.rewrite(piece, bytes.len(), &scratch, changed);
        }
        Ok(patcher.finish())
    }

    /// Writes the character `text[at..at + len]` (with entry `entry`) as this table maps it on
    /// its own.
    #[inline(always)]
    fn map_char_into(
        &self,
        patcher: &mut Patcher,
        at: usize,
        len: usize,
        entry: Entry,
    ) -> Result<(), NeedsNormalizing> {
        match entry.output {
            NONE => {}
            COMPATIBILITY => return Err(NeedsNormalizing),
            output => patcher.replace_char(at, at + len, self.output(output)),
        }
        Ok(())
    }

    /// Whether a phrase of this table starts at a character boundary of `text` in
    /// `from..to`.
    fn phrase_starts_within(&self, text: &str, from: usize, to: usize) -> bool {
        find_char(text, from, to, |at, code, len| {
            let entry = self.entry(code);
            entry.node != NONE && self.longest_phrase(text, at, len, entry).is_some()
        })
        .is_some()
    }

    /// Appends `text` converted to `out`; returns the number of characters changed. With
    /// `phrases` false, characters are mapped on their own (for text known to hold no phrase).
    pub(crate) fn convert_into(
        &self,
        text: &str,
        out: &mut String,
        phrases: bool,
    ) -> Result<u64, NeedsNormalizing> {
        let bytes = text.as_bytes();
        let mut patcher = Patcher::new(out, text);
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = decode(bytes, i);
            let entry = self.entry(code);
            if phrases && entry.node != NONE {
                if let Some((end, output)) = self.longest_phrase(text, i, len, entry) {
                    patcher.replace_phrase(i, end, self.output(output));
                    i = end;
                    continue;
                }
            }
            self.map_char_into(&mut patcher, i, len, entry)?;
            i += len;
        }
        Ok(patcher.finish())
    }

    /// Whether this table would do anything to `text`: some character of it has an entry (is
    /// converted, starts a phrase, or must be normalized first). Scanning is much cheaper than
    /// converting, and most stages of a chain leave most segments alone.
    pub(crate) fn touches(&self, text: &str) -> bool {
        find_char(text, 0, text.len(), |_, code, _| self.touches_char(code)).is_some()
    }

    /// Whether converting `text` with this table would do more than copy it: some character
    /// is mapped or flagged, or some phrase matches. Finer than [`Table::touches`]: a
    /// character that only starts phrases (人 in the Taiwan variants) usually starts none.
    pub(crate) fn acts_on(&self, text: &str) -> bool {
        self.acts_within(text, 0, text.len())
    }

    /// Whether this table maps or flags the character `code` at `text[at..at + len]`, or a
    /// phrase of it starts there.
    #[inline]
    fn acts_at(&self, text: &str, at: usize, code: u32, len: usize) -> bool {
        let entry = self.entry(code);
        entry.output != NONE
            || (entry.node != NONE && self.longest_phrase(text, at, len, entry).is_some())
    }

    /// Cuts `text` by maximum forward matching on this table's phrases (OpenCC's
    /// `MaxMatchSegmentation`): calls `segment(range, phrase_output)` for each phrase found
    /// (with its output) and for each run of text between phrases (with `None`). The
    /// boundaries are those that later stages of a chain do not match across.
    pub(crate) fn segment(&self, text: &str, mut segment: impl FnMut(usize, usize, Option<&str>)) {
        let bytes = text.as_bytes();
        let mut run_start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = decode(bytes, i);
            let entry = self.entry(code);
            if entry.node != NONE {
                if let Some((end, output)) = self.longest_phrase(text, i, len, entry) {
                    if run_start < i {
                        segment(run_start, i, None);
                    }
                    segment(i, end, Some(self.output(output)));
                    i = end;
                    run_start = end;
                    continue;
                }
            }
            i += len;
        }
        if run_start < bytes.len() {
            segment(run_start, bytes.len(), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::TableId;
    use super::*;

    /// Rewriting a piece undoes the changes made since the checkpoint, whether they were
    /// patched in place, changed the length, or were appended after an earlier change of
    /// length; changes before the checkpoint stay.
    #[test]
    fn rewrite_undoes_the_changes_since_the_checkpoint() {
        // (change before the checkpoint, change since, output, characters changed)
        let cases = [
            (None, None, ">abCDef", 2),
            (Some("x"), Some("y"), ">xbCDef", 3),
            (Some("x"), Some("yyy"), ">xbCDef", 3),
            (Some("xx"), Some("yyy"), ">xxbCDef", 3),
            (Some("xx"), None, ">xxbCDef", 3),
        ];
        for (before, since, expected, changed) in cases {
            let mut out = String::from(">");
            let mut patcher = Patcher::new(&mut out, "abcdef");
            if let Some(replacement) = before {
                patcher.replace(0, 1, replacement);
                patcher.changed += 1;
            }
            let checkpoint = patcher.checkpoint(2);
            if let Some(replacement) = since {
                patcher.replace(2, 3, replacement);
                patcher.changed += 1;
            }
            patcher.rewrite(checkpoint, 4, "CD", 2);
            assert_eq!(patcher.finish(), changed, "{expected}");
            assert_eq!(out, expected);
        }
    }

    /// `acts_on` is finer than `touches`: a character that only starts phrases does nothing
    /// where none of them follows.
    #[test]
    fn acts_on_only_where_a_character_is_mapped_or_a_phrase_matches() {
        let tw_rev = TableId::TwRev.get();
        let cases = [
            ("", false),
            ("中文，123", false),
            ("人民", false),
            ("人才", true),
            ("為", true),
            ("例\u{F9B5}", true),
        ];
        for (text, acts) in cases {
            assert_eq!(tw_rev.acts_on(text), acts, "{text}");
        }
        assert!(tw_rev.touches("人民"));
    }

    /// Punctuation, digits and Latin letters cut a run for `tw2s`; Han characters, and
    /// characters the variant table knows, do not.
    #[test]
    fn punctuation_cuts_runs_but_han_does_not() {
        let (ts, tw_rev) = (TableId::Ts.get(), TableId::TwRev.get());
        for c in ['，', '。', '1', ' ', '\u{3000}'] {
            assert!(ts.cuts_for(tw_rev, c as u32), "{c}");
        }
        for c in ['國', '人', '為', '中', '\u{F9B5}', '𠀀'] {
            assert!(!ts.cuts_for(tw_rev, c as u32), "{c}");
        }
    }

    /// The one-pass chain agrees with segmenting first and converting each segment stage by
    /// stage, where runs are cut by punctuation, hold variant phrases (人才) and mapped
    /// characters (為), and phrases hold them too (因為).
    #[test]
    fn one_pass_chain_agrees_with_segment_by_segment() {
        let (ts, tw_rev) = (TableId::Ts.get(), TableId::TwRev.get());
        let texts = [
            "",
            "為",
            "人才",
            "因為人才，所以為了人民。為什麼",
            "床裡面，峰迴路轉，人才輩出；參與者1234個。",
            "我們的人民，才幹參差不齊，核准針對",
            "abc 為 def 裡",
            "一口吃個胖子，乾燥的天氣，著作為什麼",
        ];
        for text in texts {
            let mut expected = String::new();
            ts.segment(text, |start, end, _| {
                let mut middle = String::new();
                tw_rev
                    .convert_into(&text[start..end], &mut middle, true)
                    .unwrap();
                ts.convert_into(&middle, &mut expected, true).unwrap();
            });
            let mut actual = String::new();
            let mut handed_over = Vec::new();
            ts.convert_segmented_after(tw_rev, text, &mut actual, |segment, _, out| {
                handed_over.push(segment.to_string());
                let mut middle = String::new();
                tw_rev.convert_into(segment, &mut middle, true)?;
                ts.convert_into(&middle, out, true)?;
                Ok(changed_chars(segment, &out[out.len() - middle.len()..]))
            })
            .unwrap();
            assert_eq!(actual, expected, "{text}");
            // Only the pieces around a variant phrase are handed over, never a whole run.
            assert!(
                handed_over.iter().all(|piece| !piece.contains('，')),
                "{text}: {handed_over:?}"
            );
        }
    }

    /// The chain "`pre`, then `last`" done the reference way: segment the whole text by
    /// `last`'s phrases, then convert each segment stage by stage.
    fn chain_segment_by_segment(
        pre: &Table,
        last: &Table,
        text: &str,
    ) -> Result<String, NeedsNormalizing> {
        let mut expected = String::new();
        let mut failure = None;
        last.segment(text, |start, end, _| {
            let mut middle = String::new();
            let converted = pre
                .convert_into(&text[start..end], &mut middle, true)
                .and_then(|_| last.convert_into(&middle, &mut expected, true));
            if let Err(e) = converted {
                failure = Some(e);
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(expected),
        }
    }

    /// The one-pass chain, with each handed-over segment converted stage by stage.
    fn chain_one_pass(
        pre: &Table,
        last: &Table,
        text: &str,
    ) -> Result<(String, u64), NeedsNormalizing> {
        let mut actual = String::from("<");
        let changed = last.convert_segmented_after(pre, text, &mut actual, |segment, _, out| {
            let mut middle = String::new();
            pre.convert_into(segment, &mut middle, true)?;
            let start = out.len();
            last.convert_into(&middle, out, true)?;
            Ok(changed_chars(segment, &out[start..]))
        })?;
        let actual = actual.strip_prefix('<').expect("appended after the prefix");
        Ok((actual.to_string(), changed))
    }

    /// A table of `chars` (character, its output) and `phrases` (key, output), in the format
    /// `build.rs` writes.
    fn table_of(chars: &[(char, &str)], phrases: &[(&str, &str)]) -> Table {
        let mut outputs: Vec<&str> = Vec::new();
        // The trie: per node, its output and its children (code point, node).
        let mut nodes: Vec<(u32, std::collections::BTreeMap<u32, usize>)> =
            vec![(NONE, Default::default())];
        for &(key, output) in phrases {
            let mut node = 0;
            for c in key.chars() {
                let next = nodes.len();
                node = *nodes[node].1.entry(c as u32).or_insert(next);
                if node == next {
                    nodes.push((NONE, Default::default()));
                }
            }
            nodes[node].0 = outputs.len() as u32;
            outputs.push(output);
        }
        let mut blob = Vec::new();
        let put = |blob: &mut Vec<u8>, value: u32| blob.extend(value.to_le_bytes());
        let char_outputs: Vec<(u32, u32)> = chars
            .iter()
            .map(|&(c, output)| {
                outputs.push(output);
                (c as u32, outputs.len() as u32 - 1)
            })
            .collect();
        put(&mut blob, outputs.len() as u32);
        for output in &outputs {
            put(&mut blob, output.len() as u32);
            blob.extend(output.as_bytes());
        }
        put(&mut blob, char_outputs.len() as u32);
        for &(c, index) in &char_outputs {
            put(&mut blob, c);
            put(&mut blob, index);
        }
        put(&mut blob, nodes.len() as u32);
        let mut first_edge = 0;
        for (output, children) in &nodes {
            put(&mut blob, *output);
            put(&mut blob, first_edge);
            put(&mut blob, children.len() as u32);
            first_edge += children.len() as u32;
        }
        put(&mut blob, first_edge);
        for (_, children) in &nodes {
            for (&c, &child) in children {
                put(&mut blob, c);
                put(&mut blob, child as u32);
            }
        }
        Table::from_blob(&blob, Some(TableId::Norm.get()))
    }

    /// Where `pre` acts inside a phrase of the last table (none of OpenCC's Taiwan and Hong
    /// Kong tables do so today), the phrase's segment goes through `pre` first: `AB` is a
    /// phrase of the last table, but `pre` maps its `B`, and `AX` is no phrase.
    #[test]
    fn a_phrase_holding_a_character_the_first_table_maps_goes_through_both() {
        let pre = table_of(&[('B', "X")], &[]);
        let last = table_of(&[('X', "x"), ('A', "a")], &[("AB", "phrase")]);
        for (text, expected) in [("AB", "ax"), ("AB, AB", "ax, ax"), ("ABAB", "axax")] {
            assert_eq!(
                chain_segment_by_segment(&pre, &last, text).unwrap(),
                expected
            );
            assert_eq!(chain_one_pass(&pre, &last, text).unwrap().0, expected);
        }
    }

    proptest::proptest! {
        /// Any mixture of pieces where the variant table acts (it maps 為 裡 眾 參, and its
        /// phrases hold 才 梁 參), pieces where it does not, phrases of either table (藉口
        /// overlaps 口才), and the characters that cut pieces converts as the reference does,
        /// whichever way each piece goes.
        #[test]
        fn one_pass_chain_agrees_on_any_mixture(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "為", "裡", "眾", "參", "予", "參予", "核", "才", "天才兒童", "人才", "一流",
                "上梁不正下梁歪", "梁", "一目瞭然", "瞭", "國", "人", "們", "乾", "後", "著作",
                "著", "藉口", "口才", "口吃", "麼", "，", "。", "a", " ", "1", "𠀀", "\u{F9B5}",
            ]), 0..16)
        ) {
            let text = words.concat();
            let (ts, tw_rev) = (TableId::Ts.get(), TableId::TwRev.get());
            match (chain_one_pass(tw_rev, ts, &text), chain_segment_by_segment(tw_rev, ts, &text)) {
                (Ok((actual, changed)), Ok(expected)) => {
                    proptest::prop_assert_eq!(&actual, &expected);
                    proptest::prop_assert_eq!(changed, changed_chars(&text, &expected));
                }
                (Err(NeedsNormalizing), Err(NeedsNormalizing)) => {}
                (actual, expected) => proptest::prop_assert!(
                    false,
                    "{text}: {:?} against {:?}",
                    actual.is_ok(),
                    expected.is_ok()
                ),
            }
        }
    }

    /// The byte-level count agrees with the plain character-by-character one, wherever the
    /// changes fall relative to the eight-byte skips, and with characters of every length.
    #[test]
    fn changed_chars_agrees_with_the_decoded_count() {
        let pairs = [
            ("", ""),
            ("國家", "国家"),
            (
                "這是一個很長的句子，沒有任何改變的部分在這裡。",
                "这是一个很长的句子，没有任何改变的部分在这里。",
            ),
            ("一二三四五六七八九十國", "一二三四五六七八九十国"),
            ("abcdefgh國ijklmnop", "abcdefgh国ijklmnop"),
            ("abcdefghijklmnop", "abcdefghijklmnoq"),
            ("ab中文字éü𠀀x國", "ab中文字éü𠀀x国"),
            ("ab中文字éü𠀀x國", "ab中文字éü𠀁x國"),
            ("ab中文字éü𠀀x國", "ab中文字eeü𠀀x國"),
            ("中文中文中文中文", "中文中文中文中文"),
            ("中文中文中文中文", "中文中文中文中文字"),
            ("𠀀𠀀𠀀𠀀", "𠀀𠀀𠀀𠀁"),
        ];
        for (old, new) in pairs {
            assert_eq!(
                changed_chars(old, new),
                changed_chars_decoded(old, new),
                "{old} / {new}"
            );
        }
        assert_eq!(
            changed_chars("一二三四五六七八九十國", "一二三四五六七八九十国"),
            1
        );
        assert_eq!(changed_chars("中文中文中文中文", "中文中文中文中文"), 0);
    }
}
