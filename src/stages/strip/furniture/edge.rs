//! Running headers and footers: the key an edge line is compared under, and the lines seen
//! at one edge of the pages (see [`super`]).

use std::collections::{HashMap, HashSet};

use super::super::page::bare_number;
use crate::text::is_line_space;

/// The longest line that can be a running header or footer, in characters.
const MAX_HEADER_CHARS: usize = 40;
/// The most edge lines remembered while looking for repetitions.
const MAX_EDGE_KEYS: usize = 2048;

/// The key under which an edge line is compared with other pages' edges: without spaces, each
/// run of digits as one `#`. `None`: the line cannot be a running header or footer.
pub(super) fn edge_key(text: &str) -> Option<String> {
    let text = text.trim_matches(is_line_space);
    if text.is_empty()
        || text.len() > MAX_HEADER_CHARS * 4
        || text.chars().count() > MAX_HEADER_CHARS
        || bare_number(text).is_some()
        // A form feed kept inside a line (the form-feed rule off) is not ours to remove.
        || text.contains(char::is_control)
        // A sentence is body text, however short.
        || text.ends_with(['。', '！', '？', '；', '!', '?', ';'])
    {
        return None;
    }
    let mut key = String::with_capacity(text.len());
    let mut in_digits = false;
    for c in text.chars() {
        if is_line_space(c) {
            continue;
        }
        if c.is_ascii_digit() {
            if !in_digits {
                key.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            key.push(c);
        }
    }
    Some(key)
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !is_line_space(*c)).collect()
}

/// An edge line seen on earlier pages.
#[derive(Debug, Default)]
struct Seen {
    pages: u32,
    last_page: usize,
    /// The line as first seen (without spaces).
    first: String,
    /// Seen with other digits (`第1页`, `第2页`) on consecutive pages.
    climbs: bool,
    /// Seen with other digits, but not on consecutive pages.
    differs: bool,
}

/// The lines seen at one edge (top or bottom) of the pages, and which of them repeat.
#[derive(Debug, Default)]
pub(super) struct Edge {
    seen: HashMap<String, Seen>,
    pub(super) known: HashSet<String>,
}

impl Edge {
    pub(super) fn note(&mut self, key: String, text: &str, page: usize) {
        if self.known.contains(&key) {
            return;
        }
        if self.seen.len() >= MAX_EDGE_KEYS && !self.seen.contains_key(&key) {
            return;
        }
        let squeezed = squeeze(text);
        let seen = self.seen.entry(key.clone()).or_default();
        if seen.pages == 0 {
            seen.first = squeezed;
        } else if seen.last_page == page {
            return;
        } else if squeezed != seen.first {
            if page == seen.last_page + 1 {
                seen.climbs = true;
            } else {
                seen.differs = true;
            }
        }
        seen.pages += 1;
        seen.last_page = page;
        // Digits that change only count for a line about pages: `附件1` and `附件2` at the
        // top of two pages are two headings, `第1页` and `第2页` one footer.
        let about_pages = key.contains(['页', '頁']) || key.contains("Page") || key.contains('/');
        let repeats = if seen.climbs || seen.differs {
            about_pages && seen.climbs && !seen.differs
        } else {
            true
        };
        if seen.pages >= 2 && repeats {
            self.seen.remove(&key);
            self.known.insert(key);
        }
    }
}
