//! One conversion table: a group of dictionaries compiled by `build.rs` into a character map
//! (single-character keys) and a trie of phrases (multi-character keys).
//!
//! Converting with a table is OpenCC's maximum forward matching: at each position the longest
//! phrase that starts there wins; where no phrase starts, the character is mapped on its own.
//! Each character is one load from a flat table that says both what the character becomes and
//! which trie node the phrases starting with it hang from, so a position where no phrase
//! starts costs no more than a character lookup.
//!
//! Why by hand rather than an Aho-Corasick crate: the first version used daachorse's
//! leftmost-longest automaton (about 150 MB/s on Traditional text); OpenCC's semantics are a
//! plain longest prefix match at each position, and almost every position holds a single
//! character, so a per-character table with the trie hanging off it does the same work in one
//! pass with a fraction of the instructions (53 M instead of 99 M per 2 MB under callgrind,
//! about 300 MB/s) — and a conversion table needs per-character outputs anyway.
//!
//! - [`format`](mod@format): reading a table from the blob `build.rs` writes;
//! - [`trie`]: the longest-phrase walk, and one table's conversion and segmentation;
//! - [`chain`]: the two-table chains (`tw2s`, `hk2s`) in one pass;
//! - [`patcher`]: writing the output by copy, then patch;
//! - [`user`]: dictionaries read at run time (`--dict`, and those of config files);
//! - [`group`]: the chains of config files, a group of dictionaries at a time.
//!
//! The compiled tables themselves are [`TableId`]s, each loaded on first use.

mod chain;
mod format;
mod group;
mod patcher;
mod trie;
mod user;

pub(crate) use group::{Group, Layer};
pub(crate) use user::parse as parse_user_dict;
pub use user::{DictError, UserDict};

use std::sync::OnceLock;

use crate::text::utf8::find_char;

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

impl Table {
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

    /// Output `index`. Asked for every character a table changes, so without the two
    /// character-boundary tests of slicing a `str` (a third of the cost of changing one).
    #[inline(always)]
    fn output(&self, index: u32) -> &str {
        let (start, end) = self.spans[index as usize];
        let bytes = &self.outputs.as_bytes()[start as usize..end as usize];
        // SAFETY: `from_blob` checked that every span starts at a character boundary of
        // `outputs`, and the spans tile it (each ends where the next starts, the last at its
        // end), so each is whole characters of a `str`; neither field changes after loading.
        unsafe { std::str::from_utf8_unchecked(bytes) }
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

    /// Whether this table would do anything to `text`: some character of it has an entry (is
    /// converted, starts a phrase, or must be normalized first). Scanning is much cheaper than
    /// converting, and most stages of a chain leave most segments alone.
    pub(crate) fn touches(&self, text: &str) -> bool {
        find_char(text, 0, text.len(), |_, code, _| self.touches_char(code)).is_some()
    }
}

/// The compiled tables, each loaded on first use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TableId {
    Norm,
    Ts,
    TsExt,
    TwRev,
    TwRevP,
    HkRev,
    HkRevP,
    St,
    Tw,
    TwP,
    Hk,
    HkP,
    Jp,
    JpRev,
}

macro_rules! blob {
    ($name:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".bin"))
    };
}

const TABLE_COUNT: usize = 14;
static TABLES: [OnceLock<Table>; TABLE_COUNT] = [const { OnceLock::new() }; TABLE_COUNT];

impl TableId {
    fn blob(self) -> &'static [u8] {
        match self {
            TableId::Norm => blob!("norm"),
            TableId::Ts => blob!("ts"),
            TableId::TsExt => blob!("ts_ext"),
            TableId::TwRev => blob!("tw_rev"),
            TableId::TwRevP => blob!("tw_rev_p"),
            TableId::HkRev => blob!("hk_rev"),
            TableId::HkRevP => blob!("hk_rev_p"),
            TableId::St => blob!("st"),
            TableId::Tw => blob!("tw"),
            TableId::TwP => blob!("tw_p"),
            TableId::Hk => blob!("hk"),
            TableId::HkP => blob!("hk_p"),
            TableId::Jp => blob!("jp"),
            TableId::JpRev => blob!("jp_rev"),
        }
    }

    pub(crate) fn get(self) -> &'static Table {
        TABLES[self as usize].get_or_init(|| match self {
            TableId::Norm => Table::from_blob(self.blob(), &[]),
            _ => Table::from_blob(self.blob(), normalized_chars()),
        })
    }
}

/// The characters the normalization table maps, which every other table flags: read from its
/// blob once, without building the table (only a text with a compatibility ideograph needs it).
fn normalized_chars() -> &'static [u32] {
    static CHARS: OnceLock<Vec<u32>> = OnceLock::new();
    CHARS.get_or_init(|| format::mapped_chars(TableId::Norm.blob()))
}
