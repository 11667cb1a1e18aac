//! Running headers and footers: the lines seen at one edge of the pages, and which of them
//! repeat (see [`super`]; the key an edge line is compared under is `page::edge_key`).
//!
//! A running header stands at its edge on page after page. So a line becomes one only when it
//! stands at the same edge of two consecutive pages, and it is one only on the pages of such a
//! run (which takes in a sighting one missed page before it) (a page without it, a chapter's first page, does not end the run). A line that recurs at
//! the edge of pages far apart — a document that repeats its content, a boilerplate line or a
//! table row that lands at a page edge now and then — is body text. So is a line that stands
//! at the edge of one page and one line in from the edge of the next: a footer of two lines
//! keeps its lines in their places on every page, and a body line that a document repeats
//! (the same sentence, wrapped the same way) can land so by chance.

use std::collections::HashMap;

use super::super::page::{edge_key_into, labelled_bare_number, same_but_spaces};
use super::Furniture;
use crate::report::Counts;
use crate::rules::Rule;
use crate::stages::Line;

/// The most edge lines remembered while looking for repetitions, and the most headers known.
const MAX_EDGE_KEYS: usize = 2048;
/// The most runs remembered of one header.
const MAX_RUNS: usize = 64;
/// How many pages in a row a running header may be missing from and still run on.
const MISSED_PAGES: usize = 1;
/// How many lines of text from the top of a page a header line printed late is looked for in
/// ([`Edge::strip_displaced`]).
const DISPLACED_DEPTH: usize = 8;

/// An edge line seen on the previous page (or this one), not yet a running header.
#[derive(Debug, Default)]
struct Seen {
    pages: u32,
    /// The page of its first sighting in this run of consecutive pages.
    first_page: usize,
    last_page: usize,
    /// The line as first seen (compared without its spaces: [`same_but_spaces`]).
    first: String,
    /// Seen with other digits (`第1页`, `第2页`).
    climbs: bool,
    /// Its place from the edge in this run: the edge line 0, the one inside it 1.
    depth: usize,
    /// The first page of an earlier sighting of the same line, one missed page before this
    /// run began: a run that follows takes it in (see [`Edge::note`]).
    bridged_from: Option<usize>,
}

/// Pages a running header ran on.
#[derive(Clone, Copy, Debug)]
struct Run {
    first_page: usize,
    last_page: usize,
}

impl Run {
    /// Is `page` one of the run's, or the next page (or the one after a missing one)?
    fn covers(&self, page: usize) -> bool {
        self.first_page <= page && page <= self.last_page + MISSED_PAGES + 1
    }
}

/// The lines seen at one edge (top or bottom) of the pages, and which of them repeat.
#[derive(Debug, Default)]
pub(super) struct Edge {
    seen: HashMap<String, Seen>,
    /// The page `seen` was last pruned at.
    pruned_at: usize,
    known: HashMap<String, Vec<Run>>,
}

impl Edge {
    /// Is `key` a running header on `page`: a page of one of its runs?
    pub(super) fn is_header(&self, key: &str, page: usize) -> bool {
        self.known
            .get(key)
            .is_some_and(|runs| runs.iter().any(|run| run.covers(page)))
    }

    /// Are any running headers known?
    pub(super) fn any_known(&self) -> bool {
        !self.known.is_empty()
    }

    /// How many distinct running headers are known.
    pub(super) fn known_count(&self) -> usize {
        self.known.len()
    }

    /// Takes the runs another window found (on the same document's first pages).
    pub(super) fn learn_from(&mut self, other: Edge) {
        for (key, runs) in other.known {
            let mine = self.known.entry(key).or_default();
            mine.extend(runs);
            mine.truncate(MAX_RUNS);
        }
    }

    /// Notes `text` (under `key`) at this edge of page `page`, `depth` lines of text in from
    /// the edge.
    pub(super) fn note(&mut self, key: &str, text: &str, page: usize, depth: usize) {
        if let Some(runs) = self.known.get_mut(key) {
            if let Some(run) = runs.iter_mut().find(|run| run.covers(page)) {
                run.last_page = run.last_page.max(page);
                return;
            }
        }
        // Only the lines of the last pages can continue a run: the rest go. A line seen before
        // a missed page is kept to see whether a run follows (see below).
        if page != self.pruned_at {
            self.seen
                .retain(|_, s| s.last_page + MISSED_PAGES + 1 >= page);
            self.pruned_at = page;
        }
        // One lookup (a key is hashed whole, and an edge line may be a paragraph): the owned
        // key it takes is the one a new line is kept under, and most edge lines are new.
        if self.seen.len() >= MAX_EDGE_KEYS && !self.seen.contains_key(key) {
            return;
        }
        let seen = self.seen.entry(key.to_owned()).or_default();
        if seen.pages > 0 && seen.last_page == page {
            return;
        }
        if seen.pages > 0 && seen.last_page + 1 == page && seen.depth != depth {
            // At the edge of one page and in from it on the next: no run (see the module's
            // documentation); this sighting may begin one.
            seen.pages = 0;
            seen.climbs = false;
            seen.bridged_from = None;
        }
        if seen.pages > 0 && seen.last_page + 1 < page {
            // A page missed the line: no run yet. But if the line now runs on from here, it
            // ran from its earlier sighting too, as a known run goes on over a missed page
            // (a word processor prints a header frame after the first lines of a page that
            // opens with a list): the same line, not a heading with another number.
            let same = !seen.climbs && same_but_spaces(text, &seen.first);
            seen.bridged_from = same.then_some(seen.first_page);
            seen.pages = 0;
            seen.climbs = false;
        }
        if seen.pages == 0 {
            seen.first.clear();
            seen.first.push_str(text);
            seen.first_page = page;
            seen.depth = depth;
        } else if !same_but_spaces(text, &seen.first) {
            seen.climbs = true;
        }
        seen.pages += 1;
        seen.last_page = page;
        // Digits that change only count for a line about pages: `附件1` and `附件2` at the
        // top of two pages are two headings, `第1页` and `第2页` one footer. (Asked only of a
        // line whose digits changed: the question decodes the line.)
        let about_pages = || {
            key.contains(['页', '頁'])
                || key.contains("Page")
                || key.contains('/')
                || labelled_bare_number(text).is_some()
        };
        if seen.pages < 2 || (seen.climbs && !about_pages()) {
            return;
        }
        let run = Run {
            first_page: seen.bridged_from.unwrap_or(seen.first_page),
            last_page: page,
        };
        self.seen.remove(key);
        if let Some(runs) = self.known.get_mut(key) {
            if runs.len() < MAX_RUNS {
                runs.push(run);
            }
        } else if self.known.len() < MAX_EDGE_KEYS {
            self.known.insert(key.to_owned(), vec![run]);
        }
    }

    /// Is `page` strictly inside one of `key`'s runs: the line stood at this edge of a page
    /// before it and of a page after it?
    fn is_inside_run(&self, key: &str, page: usize) -> bool {
        self.known.get(key).is_some_and(|runs| {
            runs.iter()
                .any(|run| run.first_page < page && page < run.last_page)
        })
    }

    /// Removes the running headers or footers of page `page` known at this edge from the
    /// lines at the edge (`lines` from the edge inwards), and gives the keys it removed: each
    /// at most once, and only while every line between it and the edge went too.
    pub(super) fn strip<'a>(
        &self,
        page: usize,
        lines: impl Iterator<Item = &'a mut Line>,
        counts: &mut Counts,
    ) -> Vec<String> {
        let mut used: Vec<String> = Vec::new();
        // Nothing known: no line is one (and none needs its key built).
        if !self.any_known() {
            return used;
        }
        let mut key = String::new();
        for line in lines {
            if line.text.is_empty() {
                continue;
            }
            let known =
                !line.open && edge_key_into(&line.text, &mut key) && self.is_header(&key, page);
            if !known || used.contains(&key) {
                break;
            }
            Furniture::remove(line, Rule::RunningHeader, counts);
            used.push(key.clone());
        }
        used
    }

    /// A header line printed below the first lines of a page: pdftotext sets a header frame
    /// after text it reads first (a page that opens with Word's automatic list numbers prints
    /// `1.` `2.` and their items, then the header's second line `注意保存`). Taken only where
    /// the page broke a run of the line at this edge (it stood at the top of a page before and
    /// of a page after this one), within the page's first [`DISPLACED_DEPTH`] lines, and when
    /// no line of that key went from this page already (`used`): a body line that repeats the
    /// header (the office signing the document) stays, since the page's own copy went first.
    pub(super) fn strip_displaced(
        &self,
        page: usize,
        lines: &mut [Line],
        used: &[String],
        counts: &mut Counts,
    ) {
        if !self.any_known() {
            return;
        }
        let mut key = String::new();
        let mut taken: Vec<String> = Vec::new();
        for line in lines
            .iter_mut()
            .filter(|l| !l.text.is_empty())
            .take(DISPLACED_DEPTH)
        {
            let displaced = !line.open
                && edge_key_into(&line.text, &mut key)
                && self.is_inside_run(&key, page)
                && !used.contains(&key)
                && !taken.contains(&key);
            if displaced {
                Furniture::remove(line, Rule::RunningHeader, counts);
                taken.push(key.clone());
            }
        }
    }
}
