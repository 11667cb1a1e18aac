//! A group of dictionaries as an OpenCC config file lists them, for chains read from such a
//! file (`convert -c my.json`): compiled tables and run-time dictionaries, consulted in order
//! at each position, the first that has an entry there winning (OpenCC's `short_circuit`
//! match policy; within one dictionary the longest key wins).
//!
//! This is the plain way, one position at a time, and only config files take it: the built-in
//! configurations keep the single-table fast paths of [`trie`](super::trie) and
//! [`chain`](super::chain).

use std::sync::Arc;

use super::user::UserDict;
use super::{TableId, COMPATIBILITY, NONE};
use crate::text::utf8::decode;

/// One dictionary of a group.
#[derive(Clone, Debug)]
pub(crate) enum Layer {
    /// A compiled table; `chars: false` for its phrases alone (a segmentation dictionary of
    /// phrases such as `TSPhrases`, which the compiled table holds with the characters).
    Table { id: TableId, chars: bool },
    /// A dictionary read at run time (a `text` file or an `inline` one).
    User(Arc<UserDict>),
}

impl Layer {
    /// This dictionary's longest entry at byte `at` of `text`: its end and output.
    fn longest_at<'s>(&'s self, text: &str, at: usize) -> Option<(usize, &'s str)> {
        match self {
            Layer::User(dict) => dict.longest_at(text, at),
            Layer::Table { id, chars } => {
                let table = id.get();
                let (code, len) = decode(text.as_bytes(), at);
                let entry = table.entry(code);
                if entry.node != NONE {
                    if let Some((end, output)) = table.longest_phrase(text, at, len, entry) {
                        return Some((end, table.output(output)));
                    }
                }
                // A compatibility ideograph (flagged): the config's `normalization` step maps
                // it before any group sees it; without one, OpenCC leaves it as it is.
                match entry.output {
                    NONE | COMPATIBILITY => None,
                    _ if !chars => None,
                    output => Some((at + len, table.output(output))),
                }
            }
        }
    }
}

/// The dictionaries of one step of a chain read from a config file, in priority order.
#[derive(Clone, Debug)]
pub(crate) struct Group(pub(crate) Vec<Layer>);

impl Group {
    fn longest_at<'s>(&'s self, text: &str, at: usize) -> Option<(usize, &'s str)> {
        self.0.iter().find_map(|layer| layer.longest_at(text, at))
    }

    /// Appends `text` converted to `out`: at each position the group's entry, else the
    /// character as it is.
    pub(crate) fn convert_into(&self, text: &str, out: &mut String) {
        let mut i = 0;
        while i < text.len() {
            match self.longest_at(text, i) {
                Some((end, output)) => {
                    out.push_str(output);
                    i = end;
                }
                None => {
                    let len = decode(text.as_bytes(), i).1;
                    out.push_str(&text[i..i + len]);
                    i += len;
                }
            }
        }
    }

    /// OpenCC's maximum-match segmentation: each entry found (the longest at its position) is
    /// a segment, and so is each run of text between entries. Calls `segment(piece)` in order.
    pub(crate) fn segment<'t>(&self, text: &'t str, mut segment: impl FnMut(&'t str)) {
        let mut run_start = 0;
        let mut i = 0;
        while i < text.len() {
            match self.longest_at(text, i) {
                Some((end, _)) => {
                    if run_start < i {
                        segment(&text[run_start..i]);
                    }
                    segment(&text[i..end]);
                    i = end;
                    run_start = end;
                }
                None => i += decode(text.as_bytes(), i).1,
            }
        }
        if run_start < text.len() {
            segment(&text[run_start..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(pairs: &[(&str, &str)]) -> Layer {
        Layer::User(Arc::new(UserDict::from_pairs(pairs.iter().copied())))
    }

    fn ts(chars: bool) -> Layer {
        Layer::Table {
            id: TableId::Ts,
            chars,
        }
    }

    /// The first dictionary with an entry at a position wins it, even over a longer entry of a
    /// later one; where none has one, the character is kept.
    #[test]
    fn the_first_dictionary_with_an_entry_wins() {
        let group = Group(vec![user(&[("麥旋風", "冰炫风"), ("後", "後")]), ts(true)]);
        let mut out = String::new();
        group.convert_into("吃麥旋風，後來的頭髮 ok", &mut out);
        assert_eq!(out, "吃冰炫风，後来的头发 ok");
        let mut plain = String::new();
        Group(vec![ts(true)]).convert_into("以後的頭髮", &mut plain);
        assert_eq!(plain, "以后的头发");
    }

    /// Segments are the entries found and the runs between them; a table's phrases alone
    /// segment when its characters are left out.
    #[test]
    fn segments_are_entries_and_runs() {
        let text = "洗得乾乾淨淨的很長";
        let mut segments = Vec::new();
        Group(vec![ts(false)]).segment(text, |s| segments.push(s));
        assert_eq!(segments, ["洗得", "乾乾淨淨", "的很長"]);
        segments.clear();
        Group(vec![user(&[("很", "很")])]).segment(text, |s| segments.push(s));
        assert_eq!(segments, ["洗得乾乾淨淨的", "很", "長"]);
    }
}
