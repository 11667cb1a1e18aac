//! Reading the blob `build.rs` writes for a table, straight into the lookup structures of
//! [`Table`]. Every number is a little-endian `u32`:
//!
//! ```text
//! u32 output count, then per output: u32 byte length, bytes     (the default targets)
//! u32 char count,   then per entry:  u32 code point, u32 output  (single-character keys)
//! u32 node count,   then per node:   u32 output or u32::MAX, u32 first edge, u32 edge count
//! u32 edge count,   then per edge:   u32 code point, u32 child node
//! ```
//!
//! Node 0 is the root of the trie of multi-character keys; a node's edges are sorted by code
//! point. The layout is defined, and written, in `crates/zhclean-dicts/src/blob.rs`.

use super::{follower_bit, Entry, Node, Table, COMPATIBILITY, EMPTY, NONE};

/// Reads a little-endian u32 from the front of `blob`, advancing it.
fn take_u32(blob: &mut &[u8]) -> u32 {
    let (head, rest) = blob.split_at(4);
    *blob = rest;
    u32::from_le_bytes(head.try_into().expect("4 bytes"))
}

impl Table {
    /// Loads a table written by `build.rs`. The blob is compiled into the binary, so a malformed
    /// one is a build bug: this panics rather than returning an error. `flagged`: the
    /// characters the normalization table maps ([`mapped_chars`]), which this table reports
    /// ([`NeedsNormalizing`](super::NeedsNormalizing)) instead of copying them; empty for the
    /// normalization table itself.
    ///
    /// Exactly the characters the normalization table maps are flagged, not the whole of the
    /// compatibility blocks: those blocks also hold unassigned code points (U+FA6E, U+FADA…)
    /// and twelve unified ideographs (U+FA0E 﨎…) that have no other form. Flagged, such a
    /// character would come out of normalizing unchanged, still flagged, and could never be
    /// converted; it is copied like any character the table does not know.
    ///
    /// Loading is paid by every process that converts, so it touches each character entry
    /// only where the blob says something about it: [`Table::touched`] is set as entries are
    /// written, not by a pass over all 65,536 of them.
    pub(crate) fn from_blob(mut blob: &[u8], flagged: &[u32]) -> Table {
        let output_count = take_u32(&mut blob) as usize;
        // The outputs are checked as UTF-8 in one pass over all of them (one call per output
        // cost more than the rest of reading them), then each start as a character boundary.
        let mut output_bytes = Vec::with_capacity(blob.len());
        let mut spans = Vec::with_capacity(output_count);
        for _ in 0..output_count {
            let len = take_u32(&mut blob) as usize;
            let (bytes, rest) = blob.split_at(len);
            blob = rest;
            let start = output_bytes.len() as u32;
            output_bytes.extend_from_slice(bytes);
            spans.push((start, output_bytes.len() as u32));
        }
        let outputs = String::from_utf8(output_bytes).expect("table outputs are UTF-8");
        // What `Table::output` relies on to slice without testing boundaries: the spans tile
        // `outputs` (built so above) and each starts at a character boundary.
        assert!(
            spans
                .iter()
                .all(|&(start, _)| outputs.is_char_boundary(start as usize)),
            "each table output is UTF-8 on its own"
        );
        let mut bmp: Box<[Entry; 0x10000]> = vec![EMPTY; 0x10000]
            .into_boxed_slice()
            .try_into()
            .unwrap_or_else(|_| unreachable!("0x10000 entries"));
        let mut touched: Box<[u64; 0x10000 / 64]> = Box::new([0; 0x10000 / 64]);
        let mut touch = |code: u32| touched[code as usize / 64] |= 1 << (code % 64);
        let mut astral: Vec<(u32, Entry)> = Vec::new();
        let mut astral_flagged = Vec::new();
        for &code in flagged {
            if code < 0x10000 {
                bmp[code as usize].output = COMPATIBILITY;
                touch(code);
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
                touch(c);
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
                    touch(c);
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
}

/// The characters the table in `blob` maps on their own (its single-character keys), read
/// straight from the blob. Every table flags those of the normalization table; reading them
/// here spares each process that converts the building of the normalization table itself,
/// which only a text holding a compatibility ideograph needs.
pub(super) fn mapped_chars(mut blob: &[u8]) -> Vec<u32> {
    let output_count = take_u32(&mut blob);
    for _ in 0..output_count {
        let len = take_u32(&mut blob) as usize;
        blob = &blob[len..];
    }
    let char_count = take_u32(&mut blob) as usize;
    (0..char_count)
        .map(|_| {
            let code = take_u32(&mut blob);
            take_u32(&mut blob); // its output
            code
        })
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::TableId;
    use super::*;

    /// A table of `chars` (character, its output) and `phrases` (key, output), in the format
    /// `build.rs` writes.
    pub(in crate::stages::convert::table) fn table_of(
        chars: &[(char, &str)],
        phrases: &[(&str, &str)],
    ) -> Table {
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
        Table::from_blob(&blob, super::super::normalized_chars())
    }

    fn convert(table: &Table, text: &str) -> Option<String> {
        let mut out = String::new();
        table.convert_into(text, &mut out, true).ok()?;
        Some(out)
    }

    /// A table read back from the layout does what its entries say: characters map on their
    /// own, the longest phrase wins, a character outside the BMP that both maps and starts
    /// phrases (listed twice on reading, then merged) does both, and the characters the
    /// normalization table maps are flagged, while a unified ideograph of the compatibility
    /// block that has no other form (U+FA0E) is copied like any unknown character.
    #[test]
    fn a_table_reads_back_from_the_layout() {
        let table = table_of(
            &[('A', "a"), ('𠀀', "x"), ('é', "e")],
            &[("AB", "ab"), ("ABC", "abc!"), ("𠀀𠀀", "yy"), ("CA", "ca")],
        );
        let cases = [
            ("", ""),
            ("A", "a"),
            ("AB", "ab"),
            ("ABCA", "abc!a"),
            ("ABD", "abD"),
            ("CAB", "caB"),
            ("𠀀", "x"),
            ("𠀀𠀀𠀀", "yyx"),
            ("éA", "ea"),
            ("\u{FA0E}A", "\u{FA0E}a"),
        ];
        for (text, expected) in cases {
            assert_eq!(convert(&table, text).as_deref(), Some(expected), "{text}");
        }
        assert_eq!(convert(&table, "A\u{F9B5}"), None);
        assert!(table.touches("\u{F9B5}") && table.touches("C") && !table.touches("D"));
        // The normalization table itself flags nothing.
        assert_eq!(
            convert(TableId::Norm.get(), "\u{F9B5}").as_deref(),
            Some("例")
        );
    }
}
