//! Running headers and footers: the lines seen at one edge of the pages, and which of them
//! repeat (see [`super`]; the key an edge line is compared under is `page::edge_key`).

use std::collections::{HashMap, HashSet};

use super::super::page::{is_squeezed, squeeze};

/// The most edge lines remembered while looking for repetitions.
const MAX_EDGE_KEYS: usize = 2048;

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
    pub(super) fn note(&mut self, key: &str, text: &str, page: usize) {
        if self.known.contains(key) {
            return;
        }
        if !self.seen.contains_key(key) {
            if self.seen.len() >= MAX_EDGE_KEYS {
                return;
            }
            self.seen.insert(key.to_owned(), Seen::default());
        }
        let Some(seen) = self.seen.get_mut(key) else {
            return;
        };
        if seen.pages == 0 {
            seen.first = squeeze(text);
        } else if seen.last_page == page {
            return;
        } else if !is_squeezed(text, &seen.first) {
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
            self.seen.remove(key);
            self.known.insert(key.to_owned());
        }
    }
}
