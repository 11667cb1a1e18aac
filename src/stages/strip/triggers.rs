//! What a line holds that strip's per-line rules start from, found in one pass.
//!
//! Each rule of [`super::StripStage::clean_line`] first searches the line for a byte it cannot
//! act without (a form feed, `[`, a parenthesis, a no-break space, a space), and most lines hold
//! none of them: five searches over every line, each with its own setting out, cost several
//! times the one pass here, which looks for all of them at once ([`visit_nibble_pairs`]: a set
//! of byte pairs costs the same whatever it holds). A rule whose byte is absent is not asked;
//! one whose byte is present searches as before, so what it does is unchanged. Pinyin's
//! parentheses are listed as the pass finds them: the rule reads them from the list, not from a
//! second search of the line.

use std::ops::ControlFlow;

use crate::text::nibble_pairs::{visit_nibble_pairs, NibblePairs, NibbleProduct, ANY_NIBBLE};

/// What [`Triggers::of`] found in a line: each a byte (or pair) a rule needs before it can
/// change anything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Triggers {
    /// A form feed (`form-feed`: the line is cut into pages).
    pub form_feed: bool,
    /// `[`, which every converter marker starts with (`markers`).
    pub bracket: bool,
    /// `(` or `（`, where a pinyin annotation may open (`pinyin`). Where each stands is listed
    /// (the `opens` of [`Triggers::of`]).
    pub parenthesis: bool,
    /// `C2 A0`, a no-break space (`nbsp`).
    pub nbsp: bool,
    /// An ASCII space (`letter-spacing`: both forms have spaces).
    pub space: bool,
}

/// A byte followed by any byte (the end of the line too).
pub(super) const fn any_after(byte: u8) -> NibbleProduct {
    NibbleProduct {
        lead_high: 1 << (byte >> 4),
        lead_low: 1 << (byte & 0xF),
        next_high: ANY_NIBBLE,
        next_low: ANY_NIBBLE,
    }
}

/// The bytes and pairs of [`Triggers`], each a product of its own (a product holds the pairs
/// of its nibbles only, so each of these is exactly its byte or pair).
const TRIGGERS: NibblePairs = NibblePairs::new(&[
    any_after(0x0C),
    any_after(b'['),
    any_after(b'('),
    NibbleProduct::pair(0xBC, 0x88, 0x88),
    NibbleProduct::pair(0xC2, 0xA0, 0xA0),
    any_after(b' '),
]);

/// How many parentheses of a line [`OpenParentheses`] lists: lines hold one or two, nearly all;
/// a line of pinyin annotations more.
const LISTED: usize = 8;

/// Where the first `(` and `（` of a line start, as [`Triggers::of`] found them: pinyin reads
/// them from here, and searches the line only past the last one listed when there were more.
/// (A list of fixed length, not a `Vec`: a push that may call the allocator, inside the scan,
/// made the scan keep its tables and counters in memory, not registers.)
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenParentheses {
    at: [usize; LISTED],
    /// How many were found: more than `at` holds when there were more.
    found: usize,
}

impl OpenParentheses {
    /// Those listed, in order, and whether there may be more after the last of them.
    pub fn listed(&self) -> (&[usize], bool) {
        (&self.at[..self.found.min(LISTED)], self.found > LISTED)
    }

    /// None listed.
    pub fn is_empty(&self) -> bool {
        self.found == 0
    }

    fn push(&mut self, at: usize) {
        if let Some(slot) = self.at.get_mut(self.found) {
            *slot = at;
        }
        self.found += 1;
    }
}

impl Triggers {
    /// Every trigger of `text`, in one pass, and in `opens` (emptied first) where its first
    /// `(` and `（` start, in order. `BC 88` ends a few Han characters too (`伈`, E4 BC 88): it
    /// is `（` only after `EF`, which only leads a character; `(` never stands inside one.
    pub fn of(text: &str, opens: &mut OpenParentheses) -> Triggers {
        const FORM_FEED: u8 = 1;
        const BRACKET: u8 = 2;
        const NBSP: u8 = 4;
        const SPACE: u8 = 8;
        let bytes = text.as_bytes();
        opens.found = 0;
        // The triggers found, a bit each, in one byte: written by the scan's calls, then read
        // once. (A `Triggers` of five flags written a flag at a time, then read whole, made a
        // load that waited for the stores before it, on every line.)
        let mut found = 0u8;
        // Kept small, to be inlined into the scan: it runs at every space of a line.
        let _ = visit_nibble_pairs(bytes, &TRIGGERS, |at| {
            match bytes[at] {
                0x0C => found |= FORM_FEED,
                b'[' => found |= BRACKET,
                b'(' => opens.push(at),
                0xBC => {
                    if at >= 1 && bytes[at - 1] == 0xEF {
                        opens.push(at - 1);
                    }
                }
                0xC2 => found |= NBSP,
                _ => found |= SPACE,
            }
            ControlFlow::Continue(())
        });
        Triggers {
            form_feed: found & FORM_FEED != 0,
            bracket: found & BRACKET != 0,
            parenthesis: !opens.is_empty(),
            nbsp: found & NBSP != 0,
            space: found & SPACE != 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What each rule searches for itself, as the rule does, and where the parentheses are.
    fn searched(text: &str) -> (Triggers, Vec<usize>) {
        let bytes = text.as_bytes();
        let opens: Vec<usize> = text
            .char_indices()
            .filter(|&(_, c)| matches!(c, '(' | '（'))
            .map(|(i, _)| i)
            .collect();
        let triggers = Triggers {
            form_feed: memchr::memchr(0x0C, bytes).is_some(),
            bracket: memchr::memchr(b'[', bytes).is_some(),
            parenthesis: !opens.is_empty(),
            nbsp: text.contains('\u{00A0}'),
            space: memchr::memchr(b' ', bytes).is_some(),
        };
        (triggers, opens)
    }

    /// What the one pass finds, and the parentheses it lists (all of them: the test lines
    /// hold fewer than it lists, but one).
    fn found(text: &str) -> (Triggers, Vec<usize>) {
        let mut opens = OpenParentheses::default();
        opens.push(7);
        let triggers = Triggers::of(text, &mut opens);
        let (listed, more) = opens.listed();
        assert!(!more);
        (triggers, listed.to_vec())
    }

    /// A trigger is found wherever its byte stands (around the scan's blocks and steps, at
    /// the end), as the rule's own search finds it; and the parentheses are listed in order.
    #[test]
    fn each_trigger_is_found_wherever_it_stands() {
        let marks = [
            "\u{000C}", "[", "(", "（", "(x", "（x", "( ", "（ü", "\u{00A0}", " ",
        ];
        for len in 0..80usize {
            for mark in marks {
                for at in 0..=len {
                    let text: String = (0..len)
                        .map(|i| if i == at { mark } else { "中" })
                        .chain((at == len).then_some(mark))
                        .collect();
                    assert_eq!(found(&text), searched(&text), "{text:?}");
                }
            }
        }
        // All at once, and none.
        let all = "甲\u{000C}[乙](丙)（丁）\u{00A0} 戊(wù)（wù）";
        assert_eq!(found(all), searched(all));
        let opens = ["(丙", "（丁", "(wù", "（wù"].map(|open| all.find(open).unwrap());
        assert_eq!(found(all).1, opens);
        assert!(found(all).0.form_feed && found(all).0.bracket && found(all).0.nbsp);
        assert_eq!(found("中文，没有。"), (Triggers::default(), vec![]));
        assert_eq!(found(""), (Triggers::default(), vec![]));
        // `BC 88` inside another character (`伈`, E4 BC 88), `88` alone (`丈`, E4 B8 88), and
        // parentheses in a row.
        for text in [
            "伈x",
            "伈(x)",
            "丈（a）（b）(c)",
            "（（x",
            "(((",
            "伈伈（",
            "中(\u{00A0}x)",
        ] {
            assert_eq!(found(text), searched(text), "{text:?}");
        }
        assert!(!found("伈x").0.parenthesis);
        assert_eq!(found("（（x").1, [0, 3]);
        // More than are listed: the first ones, and word of more.
        let many = "(".repeat(LISTED + 2);
        let mut opens = OpenParentheses::default();
        assert!(Triggers::of(&many, &mut opens).parenthesis);
        let listed: Vec<usize> = (0..LISTED).collect();
        assert_eq!(opens.listed(), (&listed[..], true));
        let exactly = "(".repeat(LISTED);
        Triggers::of(&exactly, &mut opens);
        assert_eq!(opens.listed(), (&listed[..], false));
    }
}
