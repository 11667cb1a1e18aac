//! What a line holds that strip's per-line rules start from, found in one pass.
//!
//! Each rule of [`super::StripStage::clean_line`] first searches the line for a byte it cannot
//! act without (a form feed, `[`, a parenthesis, a no-break space, a space), and most lines hold
//! none of them: five searches over every line, each with its own setting out, cost several
//! times the one pass here, which looks for all of them at once ([`visit_nibble_pairs`]: a set
//! of byte pairs costs the same whatever it holds). A rule whose byte is absent is not asked;
//! one whose byte is present searches as before, so what it does is unchanged.

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
    /// `(`, or the bytes `BC 88` that end `（` (`EF BC 88`), among other characters: a pinyin
    /// annotation's parenthesis may be there (`pinyin`).
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

impl Triggers {
    /// Every trigger of `text`, in one pass; it stops once all are found.
    pub fn of(text: &str) -> Triggers {
        let bytes = text.as_bytes();
        let mut found = Triggers::default();
        let _ = visit_nibble_pairs(bytes, &TRIGGERS, |at| {
            match bytes[at] {
                0x0C => found.form_feed = true,
                b'[' => found.bracket = true,
                b'(' | 0xBC => found.parenthesis = true,
                0xC2 => found.nbsp = true,
                _ => found.space = true,
            }
            if found == Triggers::ALL {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        found
    }

    /// Everything: what a text not looked at may hold.
    pub const ALL: Triggers = Triggers {
        form_feed: true,
        bracket: true,
        parenthesis: true,
        nbsp: true,
        space: true,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What each rule searches for itself, as the rule does.
    fn searched(text: &str) -> Triggers {
        let bytes = text.as_bytes();
        Triggers {
            form_feed: memchr::memchr(0x0C, bytes).is_some(),
            bracket: memchr::memchr(b'[', bytes).is_some(),
            parenthesis: text.contains(['(', '（']),
            nbsp: text.contains('\u{00A0}'),
            space: memchr::memchr(b' ', bytes).is_some(),
        }
    }

    /// A trigger is found wherever its byte stands (around the scan's blocks and steps, at
    /// the end), and a rule's byte is never missed: where the rule's own search finds it, so
    /// does the one pass. (`（`'s last two bytes end a few Han characters too: a parenthesis
    /// may be there where none is, and the rule's own search then finds none.)
    #[test]
    fn each_trigger_is_found_wherever_it_stands() {
        let marks = ["\u{000C}", "[", "(", "（", "\u{00A0}", " "];
        for len in 0..80usize {
            for mark in marks {
                for at in 0..=len {
                    let text: String = (0..len)
                        .map(|i| if i == at { mark } else { "中" })
                        .chain((at == len).then_some(mark))
                        .collect();
                    let found = Triggers::of(&text);
                    assert_eq!(found, searched(&text), "{text:?}");
                }
            }
        }
        // All at once, and none.
        let all = "甲\u{000C}[乙](丙)（丁）\u{00A0} 戊";
        assert_eq!(Triggers::of(all), Triggers::ALL);
        assert_eq!(Triggers::of("中文，没有。"), Triggers::default());
        assert_eq!(Triggers::of(""), Triggers::default());
        // `BC 88` inside another character: a parenthesis only may be there.
        assert!(Triggers::of("伈").parenthesis);
        assert!(!searched("伈").parenthesis);
    }
}
