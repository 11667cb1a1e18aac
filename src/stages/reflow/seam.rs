//! May two texts be joined at all, whatever reflow's rule that would join them: the seam a
//! join makes must not make what an earlier stage removes or composes.

use crate::stages::strip::{markers, pinyin};
use crate::text::join_needs_space;
use crate::text::language::{may_have_kana_or_hangul, Language, Letters};

/// May `before` and `after` be joined at all, whatever the rule? Not where the join would make
/// what an earlier stage removes or composes, which a second cleaning would then do: a
/// converter marker or a pinyin annotation that strip never saw whole, or a letter and the
/// combining mark a line starts with (the output would not be NFC).
pub(super) fn may_join(before: &str, after: &str) -> bool {
    may_join_after(before, false, || Letters::of(before), false, after)
}

/// [`may_join`], told whether `before` and `after` are known to hold no kana or Hangul letter
/// by the language's quick scan
/// ([`may_have_kana_or_hangul`](crate::text::language::may_have_kana_or_hangul)): the paragraph held, whose scan
/// is kept, and the line, which [`super::ReflowStage::joins`] scans once for this and for the
/// paragraph it joins. Two texts the quick scan finds none in are Chinese, and a join of
/// Chinese texts unlocks no annotation ([`pinyin::join_unlocks_annotation_after`] asks of
/// each side first whether it is Chinese, `after` by the same scan): it is not asked then.
/// `before_letters` counts the letters of `before` (the paragraph's count is kept), when a
/// kana or Hangul letter near the join makes its language matter
/// ([`pinyin::join_completes_annotation_after`]).
pub(super) fn may_join_after(
    before: &str,
    before_has_no_kana_or_hangul: bool,
    before_letters: impl FnOnce() -> Letters,
    after_has_no_kana_or_hangul: bool,
    after: &str,
) -> bool {
    let space = join_needs_space(before.chars().next_back(), after.chars().next());
    let both_chinese = before_has_no_kana_or_hangul && after_has_no_kana_or_hangul;
    !markers::ends_inside_marker(before)
        && !pinyin::join_completes_annotation_after(before, before_letters, space, after)
        && (both_chinese
            || !pinyin::join_unlocks_annotation_after(
                before,
                before_has_no_kana_or_hangul,
                space,
                after,
            ))
        && (space || !markers::join_is_not_nfc(before, after))
}

/// What the join tests read of the paragraph reflow holds, kept as it grows: a paragraph of many
/// joined lines is not read from its start at every join.
impl super::ReflowStage {
    /// Does the paragraph hold no kana or Hangul letter, by the language's quick scan? Only
    /// the bytes appended since the last such answer are scanned: the scan looks for the first
    /// two bytes of a character, which an append at a character boundary cannot make of bytes
    /// on both sides of it.
    pub(super) fn paragraph_has_no_kana_or_hangul(&self) -> bool {
        let known = self.kana_free_bytes.get();
        let appended = self.paragraph.get(known..).unwrap_or(&self.paragraph);
        let none = !may_have_kana_or_hangul(appended);
        if none {
            self.kana_free_bytes.set(self.paragraph.len());
        }
        debug_assert_eq!(none, !may_have_kana_or_hangul(&self.paragraph));
        none
    }

    /// The letters of the paragraph (Han, kana, Hangul): only the bytes appended since the last
    /// count are counted ([`Self::paragraph_letters`]).
    pub(super) fn paragraph_letters(&self) -> Letters {
        let (known, mut letters) = self.paragraph_letters.get();
        if let Some(appended) = self.paragraph.get(known..) {
            letters.add(&Letters::of(appended));
        } else {
            letters = Letters::of(&self.paragraph);
        }
        self.paragraph_letters.set((self.paragraph.len(), letters));
        debug_assert_eq!(letters, Letters::of(&self.paragraph));
        letters
    }

    /// The bytes of the pinyin annotation the line starting with `text` opens with, when a
    /// wrap put it apart from the character it reads (`行政应` / `(yīng)诉工作`), the join the
    /// annotation kept from being made may be made without it, and annotations are removed
    /// ([`Rule::PinyinAnnotation`](crate::rules::Rule::PinyinAnnotation)). Asked only of a join
    /// [`may_join_after`] refused. Strip takes an annotation out of each line; the two lines
    /// are side by side only here, where the page number or the empty lines between them are
    /// gone (strip cannot take it: a page number between hides the character from it, but not
    /// from a second cleaning). A paragraph that is not Chinese keeps it, as strip's lines do.
    pub(super) fn annotation_cut_by_a_wrap(&self, text: &str) -> Option<usize> {
        if !self.strip_pinyin {
            return None;
        }
        let cut = pinyin::annotation_opening(&self.paragraph, text)?;
        let paragraph_has_no_kana_or_hangul = self.paragraph_has_no_kana_or_hangul();
        let line_has_no_kana_or_hangul = self.line_has_no_kana_or_hangul.get();
        let chinese = (paragraph_has_no_kana_or_hangul && line_has_no_kana_or_hangul) || {
            let mut letters = self.paragraph_letters();
            letters.add(&Letters::of(text));
            Language::of_letters(&letters, Language::Chinese) == Language::Chinese
        };
        let joins_without = may_join_after(
            &self.paragraph,
            paragraph_has_no_kana_or_hangul,
            || self.paragraph_letters(),
            line_has_no_kana_or_hangul,
            &text[cut..],
        );
        (chinese && joins_without).then_some(cut)
    }

    /// Forgets what was read of the paragraph ([`Self::kana_free_bytes`],
    /// [`Self::paragraph_letters`]): it was replaced or cut.
    pub(super) fn forget_paragraph_scans(&self) {
        self.kana_free_bytes.set(0);
        self.paragraph_letters.set((0, Letters::default()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::language::may_have_kana_or_hangul;

    /// Told that neither side holds kana or Hangul (by the quick scan), the answer is the one
    /// asked of the texts alone: such a join unlocks no annotation. Among the texts, pinyin
    /// annotations whole and cut, and lines of Japanese and Korean, which keep theirs.
    #[test]
    fn texts_told_free_of_kana_and_hangul_are_judged_as_read() {
        let texts = [
            "",
            "中华人民共和国",
            "中(zhōng)",
            "習(xí",
            ")近平",
            "(xí)近平思想",
            "京(kyō)のこと",
            "中(zhōng)怊츭华人民共和规定",
            "革",
            "ひらがな",
            "the quick brown",
            "fox 字样。",
            "如图[image: flow",
            "chart.png]所示",
            "\u{301}字样。",
        ];
        for before in texts {
            for after in texts {
                let free = |text: &str| !may_have_kana_or_hangul(text);
                assert_eq!(
                    may_join_after(
                        before,
                        free(before),
                        || Letters::of(before),
                        free(after),
                        after
                    ),
                    may_join(before, after),
                    "{before:?} + {after:?}"
                );
            }
        }
    }
}
