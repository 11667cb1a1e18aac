//! One table's maximum forward matching: the walk down the trie for the longest phrase that
//! starts at a position, and the conversion and segmentation built on it.

use super::patcher::Patcher;
use super::{follower_bit, Entry, NeedsNormalizing, Table, COMPATIBILITY, NONE};
use crate::text::utf8::{decode, find_char};

impl Table {
    /// Whether the character `code` may continue a phrase (astral characters: always).
    #[inline(always)]
    fn may_follow(&self, code: u32) -> bool {
        code >= 0x10000 || self.follows[code as usize / 64] & (1 << (code % 64)) != 0
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
    ///
    /// Inlined up to the second character's test against `first`'s filter, which ends most
    /// walks: a character that starts phrases (one in fifteen of a Traditional seed) then costs
    /// the loop no call, and only the walks that go on pay for one.
    #[inline(always)]
    pub(super) fn longest_phrase(
        &self,
        text: &str,
        start: usize,
        first_len: usize,
        first: Entry,
    ) -> Option<(usize, u32)> {
        let bytes = text.as_bytes();
        let second = start + first_len;
        if second >= bytes.len() {
            return None;
        }
        let (code, len) = decode(bytes, second);
        if first.followers & follower_bit(code) == 0 {
            return None;
        }
        self.walk_from_second(text, second, code, len, first)
    }

    /// The rest of [`Table::longest_phrase`], once the second character (`code`, `len` bytes
    /// at `second`) has passed the filter.
    #[inline(never)]
    fn walk_from_second(
        &self,
        text: &str,
        second: usize,
        code: u32,
        len: usize,
        first: Entry,
    ) -> Option<(usize, u32)> {
        self.walk_mapped(text, second, code, len, first.node, |code, _, _| Some(code))
            .unwrap_or(None)
    }

    /// [`Table::longest_phrase`], and whether its walk met a character `pre` has an entry for.
    /// The walk decodes the phrase's characters after the first (and maybe one more), so the
    /// answer costs a bit test per character, not a second scan.
    #[inline(always)]
    pub(super) fn longest_phrase_noting(
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
    pub(super) fn longest_phrase_mapped(
        &self,
        text: &str,
        start: usize,
        first_len: usize,
        first: Entry,
        mut map: impl FnMut(u32, usize, usize) -> Option<u32>,
    ) -> Result<Option<(usize, u32)>, ()> {
        let bytes = text.as_bytes();
        let second = start + first_len;
        if second >= bytes.len() {
            return Ok(None);
        }
        // The second character: the first one's filter settles most walks.
        let (code, len) = decode(bytes, second);
        let code = map(code, second, len).ok_or(())?;
        if first.followers & follower_bit(code) == 0 {
            return Ok(None);
        }
        self.walk_mapped(text, second, code, len, first.node, map)
    }

    /// The walk down the trie from `node` (that of the phrase's first character), the next
    /// character being `code` (as `map` made it), `len` bytes at `i`.
    #[inline(always)]
    fn walk_mapped(
        &self,
        text: &str,
        mut i: usize,
        mut code: u32,
        mut len: usize,
        mut node: u32,
        mut map: impl FnMut(u32, usize, usize) -> Option<u32>,
    ) -> Result<Option<(usize, u32)>, ()> {
        let bytes = text.as_bytes();
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

    /// Appends `text` converted to `out`; returns the number of characters changed. With
    /// `phrases` false, characters are mapped on their own (for text known to hold no phrase).
    pub(crate) fn convert_into(
        &self,
        text: &str,
        out: &mut String,
        phrases: bool,
    ) -> Result<u64, NeedsNormalizing> {
        if phrases {
            self.convert_into_with::<true>(text, out)
        } else {
            self.convert_into_with::<false>(text, out)
        }
    }

    /// [`Table::convert_into`], with `PHRASES` a constant so that the loop over the characters
    /// does not test it at each of them.
    fn convert_into_with<const PHRASES: bool>(
        &self,
        text: &str,
        out: &mut String,
    ) -> Result<u64, NeedsNormalizing> {
        let bytes = text.as_bytes();
        let mut patcher = Patcher::new(out, text);
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = decode(bytes, i);
            let entry = self.entry(code);
            if PHRASES && entry.node != NONE {
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

    /// Writes the character `text[at..at + len]` (with entry `entry`) as this table maps it on
    /// its own.
    #[inline(always)]
    pub(super) fn map_char_into(
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
    pub(super) fn phrase_starts_within(&self, text: &str, from: usize, to: usize) -> bool {
        find_char(text, from, to, |at, code, len| {
            let entry = self.entry(code);
            entry.node != NONE && self.longest_phrase(text, at, len, entry).is_some()
        })
        .is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::super::format::tests::table_of;

    /// Maximum forward matching: at each position the longest phrase wins, even where a
    /// shorter one ends inside it or another starts inside it; a node with many children
    /// (searched, not scanned) finds each of them; where the walk fails, the character is
    /// mapped on its own.
    #[test]
    fn the_longest_phrase_at_each_position_wins() {
        let many: Vec<(String, String)> = ('a'..='z')
            .map(|c| (format!("X{c}"), format!("<{c}>")))
            .collect();
        let mut phrases: Vec<(&str, &str)> =
            many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        phrases.extend([("一二", "12"), ("一二三四", "1234"), ("三四五", "345")]);
        phrases.sort();
        let table = table_of(&[('一', "1"), ('X', "x")], &phrases);
        let cases = [
            ("一二三四五", "1234五"),
            ("一二三", "12三"),
            ("一三四五", "1345"),
            ("XaXzX", "<a><z>x"),
            ("XmX", "<m>x"),
            ("X一", "x1"),
            ("X", "x"),
        ];
        for (text, expected) in cases {
            let mut out = String::from(">");
            table.convert_into(text, &mut out, true).unwrap();
            assert_eq!(out, format!(">{expected}"), "{text}");
            // Without phrases, only the characters are mapped.
            let mut chars_only = String::new();
            table.convert_into(text, &mut chars_only, false).unwrap();
            assert!(
                !chars_only.contains('<') && !chars_only.contains('2'),
                "{text}"
            );
        }
    }

    /// Segmentation reports the phrases (with their outputs) and the runs between them, and
    /// the pieces put together are the text.
    #[test]
    fn segments_are_the_phrases_and_the_runs_between_them() {
        let table = table_of(&[('一', "1")], &[("一二", "12"), ("三四", "34")]);
        let text = "a一二b一三四";
        let mut segments = Vec::new();
        table.segment(text, |start, end, output| {
            segments.push((&text[start..end], output.map(str::to_string)))
        });
        let expected = [
            ("a", None),
            ("一二", Some("12".to_string())),
            ("b一", None),
            ("三四", Some("34".to_string())),
        ];
        assert_eq!(segments, expected);
        assert!(table.phrase_starts_within(text, 1, text.len()));
        assert!(!table.phrase_starts_within(text, 4, 8));
    }
}
