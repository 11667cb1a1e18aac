//! The compiled forms `build.rs` writes into `OUT_DIR` and zhclean embeds with
//! `include_bytes!`: one *table* blob per group of dictionaries (`ts.bin`, `st.bin`, …) and
//! the script-evidence blob (`evidence.bin`). Every number is a little-endian `u32`.
//!
//! # Table
//!
//! ```text
//! u32 output count, then per output: u32 byte length, bytes     (the default targets)
//! u32 char count,   then per entry:  u32 code point, u32 output  (single-character keys)
//! u32 node count,   then per node:   u32 output or u32::MAX, u32 first edge, u32 edge count
//! u32 edge count,   then per edge:   u32 code point, u32 child node
//! ```
//!
//! - Outputs are UTF-8 strings, each written once however many keys map to it, numbered in
//!   the order of the first key (in key order) that maps to them.
//! - Single-character keys are listed in key (code point) order. A character that maps to
//!   itself is left out: converting it is copying it.
//! - The nodes and edges are a trie of the multi-character keys. Node 0 is the root; a node's
//!   edges are `edge count` consecutive edges from `first edge`, sorted by code point; nodes
//!   are numbered in the order they were first reached inserting the keys in key order. A
//!   node's output is that of the key ending there, `u32::MAX` when none does.
//!
//! # Evidence
//!
//! Four sets of characters, each `u32 count, then u32 code points` in increasing order
//! (which sets, and why, is said where `build.rs` derives them).
//!
//! zhclean reads tables in `src/stages/convert/table/format.rs` (straight into its lookup structures) and
//! evidence in `src/stages/convert/gate.rs`; [`read_table`] and [`read_char_sets`] here are the
//! reference readers the tests check the compiled blobs with.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// Marks a trie node no key ends at.
pub const NO_OUTPUT: u32 = u32::MAX;

fn put_u32(out: &mut Vec<u8>, n: usize) {
    // The dictionaries are a few MB: no count, length or code point comes near `u32::MAX`.
    out.extend_from_slice(&u32::try_from(n).expect("fits in u32").to_le_bytes());
}

/// Writes a table of `entries` (key → default target). The map is ordered, so that the blob
/// depends on nothing but its entries.
pub fn write_table(entries: &BTreeMap<&str, &str>) -> Vec<u8> {
    let mut outputs: Vec<&str> = Vec::new();
    let mut output_index: HashMap<&str, usize> = HashMap::new();
    let mut chars: Vec<(u32, usize)> = Vec::new();
    let mut trie = TrieBuilder::default();
    for (key, target) in entries {
        let mut key_chars = key.chars();
        let single = match (key_chars.next(), key_chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        if single.is_some() && key == target {
            continue;
        }
        let index = *output_index.entry(target).or_insert_with(|| {
            outputs.push(target);
            outputs.len() - 1
        });
        match single {
            Some(c) => chars.push((c as u32, index)),
            None => trie.insert(key, index),
        }
    }
    let mut blob = Vec::new();
    put_u32(&mut blob, outputs.len());
    for output in &outputs {
        put_u32(&mut blob, output.len());
        blob.extend_from_slice(output.as_bytes());
    }
    put_u32(&mut blob, chars.len());
    for (c, index) in &chars {
        put_u32(&mut blob, *c as usize);
        put_u32(&mut blob, *index);
    }
    trie.write(&mut blob);
    blob
}

/// A trie of phrase keys, built in memory and written as flat node and edge arrays.
struct TrieBuilder {
    /// Per node: its output (if a key ends here) and its children by character.
    nodes: Vec<(Option<usize>, BTreeMap<char, usize>)>,
}

impl Default for TrieBuilder {
    fn default() -> Self {
        TrieBuilder {
            nodes: vec![(None, BTreeMap::new())],
        }
    }
}

impl TrieBuilder {
    fn insert(&mut self, key: &str, output: usize) {
        let mut node = 0;
        for c in key.chars() {
            node = match self.nodes[node].1.get(&c) {
                Some(&child) => child,
                None => {
                    self.nodes.push((None, BTreeMap::new()));
                    let child = self.nodes.len() - 1;
                    self.nodes[node].1.insert(c, child);
                    child
                }
            };
        }
        self.nodes[node].0 = Some(output);
    }

    fn write(&self, blob: &mut Vec<u8>) {
        put_u32(blob, self.nodes.len());
        let mut first_edge = 0;
        for (output, children) in &self.nodes {
            blob.extend_from_slice(&output.map_or(NO_OUTPUT, |o| o as u32).to_le_bytes());
            put_u32(blob, first_edge);
            put_u32(blob, children.len());
            first_edge += children.len();
        }
        put_u32(blob, first_edge);
        for (_, children) in &self.nodes {
            for (c, child) in children {
                put_u32(blob, *c as usize);
                put_u32(blob, *child);
            }
        }
    }
}

/// Writes the evidence blob: each set as its count and its code points in order.
pub fn write_char_sets(sets: &[&BTreeSet<char>]) -> Vec<u8> {
    let mut blob = Vec::new();
    for set in sets {
        put_u32(&mut blob, set.len());
        for c in *set {
            put_u32(&mut blob, *c as usize);
        }
    }
    blob
}

/// A blob that does not follow the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(String);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed blob: {}", self.0)
    }
}

impl std::error::Error for FormatError {}

/// A trie node as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    /// The output index of the key ending here, or [`NO_OUTPUT`].
    pub output: u32,
    pub first_edge: u32,
    pub edge_count: u32,
}

/// A table as stored, each part checked against the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableData {
    pub outputs: Vec<String>,
    /// (code point, output index), sorted by code point.
    pub chars: Vec<(u32, u32)>,
    pub nodes: Vec<Node>,
    /// (code point, child node); per node sorted by code point.
    pub edges: Vec<(u32, u32)>,
}

impl TableData {
    /// What `key` converts to in this table: a single character through the character list
    /// (`None` when it is copied), a longer key through the trie (`None` when it is no phrase).
    pub fn lookup(&self, key: &str) -> Option<&str> {
        let mut chars = key.chars();
        let index = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let code = c as u32;
                let at = self.chars.binary_search_by_key(&code, |&(c, _)| c).ok()?;
                self.chars[at].1
            }
            _ => {
                let mut node = 0usize;
                for c in key.chars() {
                    let n = self.nodes.get(node)?;
                    let first = n.first_edge as usize;
                    let edges = &self.edges[first..first + n.edge_count as usize];
                    let at = edges.binary_search_by_key(&(c as u32), |&(c, _)| c).ok()?;
                    node = edges[at].1 as usize;
                }
                let output = self.nodes.get(node)?.output;
                if output == NO_OUTPUT {
                    return None;
                }
                output
            }
        };
        self.outputs.get(index as usize).map(String::as_str)
    }
}

/// A cursor over a blob's `u32`s.
struct Reader<'a> {
    blob: &'a [u8],
}

impl Reader<'_> {
    fn u32(&mut self, what: &str) -> Result<u32, FormatError> {
        let Some((head, rest)) = self.blob.split_first_chunk::<4>() else {
            return Err(FormatError(format!("ends inside {what}")));
        };
        self.blob = rest;
        Ok(u32::from_le_bytes(*head))
    }

    fn bytes(&mut self, len: usize, what: &str) -> Result<&[u8], FormatError> {
        if self.blob.len() < len {
            return Err(FormatError(format!("ends inside {what}")));
        }
        let (head, rest) = self.blob.split_at(len);
        self.blob = rest;
        Ok(head)
    }

    fn finish(self) -> Result<(), FormatError> {
        if self.blob.is_empty() {
            Ok(())
        } else {
            Err(FormatError(format!(
                "{} bytes after the end",
                self.blob.len()
            )))
        }
    }
}

/// Reads a table blob and checks that every index in it points somewhere and every list is in
/// the order the layout promises.
pub fn read_table(blob: &[u8]) -> Result<TableData, FormatError> {
    let mut reader = Reader { blob };
    let mut table = TableData::default();
    for _ in 0..reader.u32("the output count")? {
        let len = reader.u32("an output length")? as usize;
        let bytes = reader.bytes(len, "an output")?;
        let output = std::str::from_utf8(bytes)
            .map_err(|_| FormatError(format!("output {} is not UTF-8", table.outputs.len())))?;
        table.outputs.push(output.to_string());
    }
    let outputs = table.outputs.len() as u32;
    for _ in 0..reader.u32("the char count")? {
        let code = reader.u32("a character")?;
        let output = reader.u32("a character's output")?;
        if char::from_u32(code).is_none() || output >= outputs {
            return Err(FormatError(format!("bad character entry U+{code:04X}")));
        }
        table.chars.push((code, output));
    }
    if !table.chars.windows(2).all(|w| w[0].0 < w[1].0) {
        return Err(FormatError("characters not in code point order".into()));
    }
    for _ in 0..reader.u32("the node count")? {
        table.nodes.push(Node {
            output: reader.u32("a node")?,
            first_edge: reader.u32("a node")?,
            edge_count: reader.u32("a node")?,
        });
    }
    for _ in 0..reader.u32("the edge count")? {
        table
            .edges
            .push((reader.u32("an edge")?, reader.u32("an edge")?));
    }
    reader.finish()?;
    let nodes = table.nodes.len() as u32;
    for (i, node) in table.nodes.iter().enumerate() {
        let end = node.first_edge as usize + node.edge_count as usize;
        let edges = table
            .edges
            .get(node.first_edge as usize..end)
            .ok_or_else(|| FormatError(format!("node {i}: edges out of range")))?;
        let sorted = edges.windows(2).all(|w| w[0].0 < w[1].0);
        if !sorted || edges.iter().any(|&(_, child)| child >= nodes || child == 0) {
            return Err(FormatError(format!("node {i}: bad edges")));
        }
        if node.output != NO_OUTPUT && node.output >= outputs {
            return Err(FormatError(format!("node {i}: bad output")));
        }
    }
    Ok(table)
}

/// Reads an evidence blob of `count` sets.
pub fn read_char_sets(blob: &[u8], count: usize) -> Result<Vec<Vec<char>>, FormatError> {
    let mut reader = Reader { blob };
    let mut sets = Vec::with_capacity(count);
    for _ in 0..count {
        let mut set = Vec::new();
        for _ in 0..reader.u32("a set's count")? {
            let code = reader.u32("a set")?;
            let c = char::from_u32(code)
                .ok_or_else(|| FormatError(format!("U+{code:04X} is no character")))?;
            if set.last().is_some_and(|&last| last >= c) {
                return Err(FormatError("a set not in code point order".into()));
            }
            set.push(c);
        }
        sets.push(set);
    }
    reader.finish()?;
    Ok(sets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_as_written() {
        let entries: BTreeMap<&str, &str> = [
            ("後", "后"),
            ("後來", "后来"),
            ("後面", "后面"),
            ("面", "面"),
            ("乾", "干"),
            ("乾隆", "乾隆"),
            ("𠉂", "后"),
        ]
        .into_iter()
        .collect();
        let table = read_table(&write_table(&entries)).unwrap();
        assert_eq!(table.lookup("後"), Some("后"));
        assert_eq!(table.lookup("𠉂"), Some("后"));
        assert_eq!(table.lookup("後來"), Some("后来"));
        assert_eq!(
            table.lookup("乾隆"),
            Some("乾隆"),
            "a phrase may map to itself"
        );
        assert_eq!(
            table.lookup("面"),
            None,
            "a character mapping to itself is left out"
        );
        assert_eq!(table.lookup("後"), table.lookup("𠉂"));
        assert_eq!(table.outputs.iter().filter(|o| *o == "后").count(), 1);
        assert_eq!(table.lookup("後去"), None);
        assert_eq!(table.chars.len(), 3);
    }

    #[test]
    fn a_truncated_or_padded_blob_is_an_error() {
        let entries: BTreeMap<&str, &str> = [("後來", "后来")].into_iter().collect();
        let blob = write_table(&entries);
        for len in 0..blob.len() {
            assert!(read_table(&blob[..len]).is_err(), "{len} bytes");
        }
        let mut padded = blob.clone();
        padded.push(0);
        assert!(read_table(&padded).is_err());
    }

    #[test]
    fn char_sets_read_back_as_written() {
        let a: BTreeSet<char> = ['後', '乾', '𠉂'].into_iter().collect();
        let b = BTreeSet::new();
        let blob = write_char_sets(&[&a, &b]);
        let sets = read_char_sets(&blob, 2).unwrap();
        assert_eq!(sets, [vec!['乾', '後', '𠉂'], vec![]]);
        assert!(read_char_sets(&blob, 3).is_err());
    }
}
