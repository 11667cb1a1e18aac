//! The footnote block at a page foot, and the reference numbers pointing at it (see [`super`]
//! and [`super::super::footnotes`]): marked when the page closes.

use super::super::footnotes::{self, Reference};
use super::Furniture;
use crate::report::Counts;
use crate::rules::Rule;
use crate::stages::Line;
use crate::text::is_line_space;

impl Furniture {
    /// Marks the footnote block at the page foot and removes the references to it.
    pub(super) fn footnotes(&mut self, lines: &mut [Line], counts: &mut Counts) {
        let Some(end) = lines
            .iter()
            .rposition(|l| !l.text.is_empty())
            .map(|i| i + 1)
        else {
            return;
        };
        let texts: Vec<&str> = lines[..end].iter().map(|l| l.text.as_str()).collect();
        let Some(block) = footnotes::find_block(&texts, self.last_footnote) else {
            return;
        };
        drop(texts);
        if let Some(last) = block.numbers.last() {
            self.last_footnote = Some(*last);
        }
        if self.rules.footnotes {
            counts.add(Rule::Footnote, 1);
            for line in &mut lines[block.start..end] {
                line.footnote = !line.text.is_empty();
            }
        }
        if !self.rules.footnote_markers {
            return;
        }
        let mut refs = Vec::new();
        // Measured once a block is found (few pages have one), before references go.
        let widest = footnotes::widest_line(lines.iter().map(|l| l.text.as_str()));
        for n in block.numbers {
            // The reference, when exactly one place on the page can be it.
            let mut found = None;
            let mut places = 0;
            for i in 0..block.start {
                // The footnote below the last body line continues nothing.
                let next = lines[i + 1..block.start]
                    .iter()
                    .find(|l| !l.text.is_empty());
                let next = next.map(|l| l.text.as_str());
                let next = footnotes::wrapped_into(&lines[i].text, next, || widest);
                refs.clear();
                footnotes::references(&lines[i].text, next, n, &mut refs);
                places += refs.len();
                if let Some(r) = refs.first() {
                    found = Some((i, *r));
                }
            }
            let Some((i, reference)) = found.filter(|_| places == 1) else {
                continue;
            };
            // The footnote's own number goes with its reference: the note is its text.
            let own = lines[block.start..end]
                .iter_mut()
                .find(|l| footnotes::leading_mark(&l.text) == Some(footnotes::Mark::Number(n)));
            if let Some(own) = own {
                let len = footnotes::number_len(&own.text);
                if len > 0 && len < own.text.len() {
                    counts.add(Rule::FootnoteMarker, 1);
                    own.text.drain(..len);
                    own.no_mojibake_sign = false;
                }
            }
            counts.add(Rule::FootnoteMarker, 1);
            let line = &mut lines[i];
            line.no_mojibake_sign = false;
            match reference {
                Reference::Line => line.text.clear(),
                Reference::Glued(start, end) => {
                    let rest_is_space = line.text[end..].trim_matches(is_line_space).is_empty();
                    if rest_is_space {
                        line.text.truncate(start);
                        let kept = line.text.trim_end_matches(is_line_space).len();
                        line.text.truncate(kept);
                    } else {
                        line.text.replace_range(start..end, "");
                    }
                }
            }
        }
    }
}
